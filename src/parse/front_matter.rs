//! Front matter (SPEC 2.1): YAML between `---` lines or TOML between `+++`
//! lines, at the very start of an entry file (after an optional UTF-8 BOM).

use std::ops::Range;

use crate::data::{self, Node, Value};
use crate::model::{Problem, Spanned};

/// Which language the front matter is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `---` fences.
    Yaml,
    /// `+++` fences.
    Toml,
}

/// A front matter block found at the start of a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// YAML or TOML.
    pub format: Format,
    /// The whole block, fences included.
    pub span: Range<usize>,
    /// The text between the fences.
    pub content: Range<usize>,
}

/// The result of looking for front matter.
#[derive(Debug, Default)]
pub struct Split {
    /// The block, when one opens and closes.
    pub block: Option<Block>,
    /// Where the Markdown body starts.
    pub body_start: usize,
    /// An opening fence that never closes.
    pub problem: Option<Problem>,
}

/// Finds the front matter block, if the file opens with one.
pub fn split(text: &str) -> Split {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let (format, fence) = if rest.starts_with("---") {
        (Format::Yaml, "---")
    } else if rest.starts_with("+++") {
        (Format::Toml, "+++")
    } else {
        return Split {
            body_start: start,
            ..Split::default()
        };
    };
    let first_line_end = line_len(rest);
    if !rest[..first_line_end].trim_end().eq(fence) {
        return Split {
            body_start: start,
            ..Split::default()
        };
    }
    let content_start = start + first_line_end;
    let mut offset = content_start;
    while offset < text.len() {
        let line = &text[offset..offset + line_len(&text[offset..])];
        let trimmed = line.trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            let end = offset + line.len();
            return Split {
                block: Some(Block {
                    format,
                    span: start..end,
                    content: content_start..offset,
                }),
                body_start: end,
                problem: None,
            };
        }
        offset += line.len();
    }
    Split {
        block: None,
        body_start: start,
        problem: Some(Problem {
            span: start..start + fence.len(),
            message: format!("front matter opened with `{fence}` is never closed"),
            help: Some(format!("close it with a `{fence}` line before the body")),
        }),
    }
}

/// The length of the first line of `text`, its line ending included: `\n`,
/// `\r\n` or a lone `\r` (old Mac files), as CommonMark and YAML count them.
fn line_len(text: &str) -> usize {
    match text.find(['\n', '\r']) {
        None => text.len(),
        Some(at) if text[at..].starts_with("\r\n") => at + 2,
        Some(at) => at + 1,
    }
}

/// The fields glosslint reads from front matter.
#[derive(Debug, Default)]
pub struct Fields {
    /// The term field.
    pub term: Option<Spanned<String>>,
    /// `aliases`.
    pub aliases: Vec<Spanned<String>>,
    /// `tags`.
    pub tags: Vec<Spanned<String>>,
    /// `see_also`.
    pub see_also: Vec<Spanned<String>>,
    /// `template`.
    pub template: Option<Spanned<String>>,
    /// Syntax errors and fields of the wrong type.
    pub problems: Vec<Problem>,
}

/// Parses the block and reads the known fields; other keys are kept out of the
/// way and ignored.
pub fn read_fields(text: &str, block: &Block, term_field: &str) -> Fields {
    let content = &text[block.content.clone()];
    let parsed = match block.format {
        Format::Yaml => data::parse_yaml(content),
        Format::Toml => data::parse_toml(content),
    };
    let mut fields = Fields::default();
    let root = match parsed {
        Ok(root) => root.offset_by(block.content.start),
        Err(error) => {
            let start = (block.content.start + error.span.start).min(block.content.end);
            let end = (block.content.start + error.span.end).clamp(start, block.content.end);
            let language = if block.format == Format::Yaml {
                "YAML"
            } else {
                "TOML"
            };
            fields.problems.push(Problem {
                span: start..end,
                message: format!("front matter is not valid {language}: {}", error.message),
                help: None,
            });
            return fields;
        }
    };
    match &root.value {
        Value::Map(_) => {}
        Value::Other("empty") => return fields,
        other => {
            fields.problems.push(Problem {
                span: block.content.clone(),
                message: format!(
                    "front matter must be a table of fields, found {}",
                    other.type_name()
                ),
                help: Some(format!(
                    "write `{term_field}: ...` and the other fields as keys"
                )),
            });
            return fields;
        }
    }
    let mut problems = Vec::new();
    fields.term = string_field(&root, term_field, &mut problems);
    fields.template = string_field(&root, "template", &mut problems);
    fields.aliases = list_field(&root, "aliases", &mut problems);
    fields.tags = list_field(&root, "tags", &mut problems);
    fields.see_also = list_field(&root, "see_also", &mut problems);
    fields.problems = problems;
    if fields
        .term
        .as_ref()
        .is_some_and(|term| term.value.trim().is_empty())
    {
        fields.term = None;
    }
    fields
}

fn string_field(root: &Node, name: &str, problems: &mut Vec<Problem>) -> Option<Spanned<String>> {
    let (_, node) = root.get(name)?;
    match &node.value {
        Value::Str(text) => Some(Spanned::new(text.trim().to_string(), node.span.clone())),
        other => {
            problems.push(Problem {
                span: node.span.clone(),
                message: format!("`{name}` must be a string, found {}", other.type_name()),
                help: None,
            });
            None
        }
    }
}

fn list_field(root: &Node, name: &str, problems: &mut Vec<Problem>) -> Vec<Spanned<String>> {
    let Some((_, node)) = root.get(name) else {
        return Vec::new();
    };
    let items = match &node.value {
        Value::List(items) => items,
        other => {
            problems.push(Problem {
                span: node.span.clone(),
                message: format!(
                    "`{name}` must be a list of strings, found {}",
                    other.type_name()
                ),
                help: Some(format!("write `{name}: [first, second]`")),
            });
            return Vec::new();
        }
    };
    items
        .iter()
        .filter_map(|item| match &item.value {
            Value::Str(text) if !text.trim().is_empty() => {
                Some(Spanned::new(text.trim().to_string(), item.span.clone()))
            }
            Value::Str(_) => None,
            other => {
                problems.push(Problem {
                    span: item.span.clone(),
                    message: format!(
                        "every item of `{name}` must be a string, found {}",
                        other.type_name()
                    ),
                    help: None,
                });
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Fields {
        let split = split(text);
        read_fields(text, split.block.as_ref().unwrap(), "term")
    }

    #[test]
    fn bad_aliases_point_at_the_value() {
        let text = "---\nterm: x\naliases: 42\n---\n";
        let fields = fields(text);
        assert_eq!(fields.problems.len(), 1);
        assert_eq!(&text[fields.problems[0].span.clone()], "42");
        assert!(fields.problems[0]
            .message
            .contains("`aliases` must be a list"));
    }

    #[test]
    fn broken_yaml_is_a_problem_inside_the_block() {
        let text = "---\nterm: [unclosed\n---\nbody\n";
        let fields = fields(text);
        assert_eq!(fields.problems.len(), 1);
        assert!(fields.problems[0].span.end <= 20);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let text = "---\rterm: Acid\r---\rBody\r";
        let fields = fields(text);
        assert!(fields.problems.is_empty(), "{:?}", fields.problems);
        assert_eq!(&text[fields.term.unwrap().span], "Acid");
        assert_eq!(split(text).body_start, text.len() - "Body\r".len());
    }

    #[test]
    fn unterminated_and_bare_fences() {
        assert!(split("---\nterm: x\n").problem.is_some());
        let only = split("---");
        assert!(only.problem.is_some());
        assert!(split("--- not a fence\n").block.is_none());
    }
}
