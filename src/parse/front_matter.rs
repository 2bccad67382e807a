//! Front matter (SPEC 2.1): YAML between `---` lines or TOML between `+++`
//! lines, at the very start of an entry file (after an optional UTF-8 BOM).

use std::ops::Range;

use crate::data::{self, Key, Node, Value};
use crate::model::{Problem, Spanned};
use crate::parse::ParseOptions;

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
    /// The values of `[[references.fields]]`: site paths or URLs the entry links to.
    pub link_values: Vec<Spanned<String>>,
    /// The `id_field` value.
    pub id: Option<Spanned<String>>,
    /// Hugo `aliases:` values that are site paths (start with `/`).
    pub routes: Vec<Spanned<String>>,
    /// Syntax errors and fields of the wrong type.
    pub problems: Vec<Problem>,
}

/// Parses the block and reads the known fields; other keys are kept out of the
/// way and ignored. Front matter that does not parse still yields what its
/// `key: value` lines say of the term and aliases (see [`recover`]), so links
/// to the entry and duplicates of it are judged as usual.
pub fn read_fields(text: &str, block: &Block, options: &ParseOptions) -> Fields {
    let content = &text[block.content.clone()];
    let parsed = match block.format {
        Format::Yaml => data::parse_yaml(content),
        Format::Toml => data::parse_toml(content),
    };
    let term_field = options.term_field.as_str();
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
            let mut fields = recover(text, block, options);
            fields.problems.push(Problem {
                span: start..end,
                message: format!("front matter is not valid {language}: {}", error.message),
                help: None,
            });
            return fields;
        }
    };
    let mut fields = Fields::default();
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
    let field = |name: &str| lookup(&root, name, options.any_case_keys);
    let mut problems = Vec::new();
    fields.term = string_field(field(term_field), &mut problems);
    fields.template = string_field(field("template"), &mut problems);
    for name in &options.alias_fields {
        fields
            .aliases
            .extend(list_field(field(name), true, &mut problems));
    }
    fields.tags = list_field(field("tags"), false, &mut problems);
    fields.see_also = list_field(field("see_also"), false, &mut problems);
    for name in &options.link_fields {
        fields
            .link_values
            .extend(list_field(field(name), true, &mut problems));
    }
    if let Some(name) = &options.id_field {
        fields.id = string_field(field(name), &mut problems).filter(|id| !id.value.is_empty());
    }
    // Hugo builds a redirect page at each alias, whatever `alias_fields`
    // says: only values that are site paths count (`aliases: [pod]` under
    // the default `alias_fields` is a term's alias, not a page). A value of
    // the wrong type is reported once, by the alias field that reads it.
    fields.routes = list_field(field("aliases"), true, &mut Vec::new())
        .into_iter()
        .filter(|alias| alias.value.starts_with('/'))
        .collect();
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

/// The string values of the front matter field `name` of an entry file (a
/// string, or the strings of a list), for a template's `when`; none when the
/// file has no front matter, it does not parse, or the field is missing.
pub fn field_strings(text: &str, options: &ParseOptions, name: &str) -> Vec<String> {
    let Some(block) = split(text).block else {
        return Vec::new();
    };
    let content = &text[block.content.clone()];
    let parsed = match block.format {
        Format::Yaml => data::parse_yaml(content),
        Format::Toml => data::parse_toml(content),
    };
    let Ok(root) = parsed else {
        return Vec::new();
    };
    list_field(
        lookup(&root, name, options.any_case_keys),
        true,
        &mut Vec::new(),
    )
    .into_iter()
    .map(|value| value.value)
    .collect()
}

/// The field `name` of a table: exactly, or without case under
/// `[entries] keys = "any-case"` (as Hugo reads `Title:`).
fn lookup<'n>(root: &'n Node, name: &str, any_case: bool) -> Option<(&'n Key, &'n Node)> {
    if !any_case {
        return root.get(name);
    }
    match &root.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(key, _)| key.name.eq_ignore_ascii_case(name))
            .map(|(key, node)| (key, node)),
        _ => None,
    }
}

/// What a block that does not parse still says, read line by line: a
/// top-level `term: value` line gives the term, and an alias field gives the
/// aliases, written `aliases: [a, b]`, `aliases: a` or as `- item` lines under
/// it. Values are unquoted; anything more involved is left out.
fn recover(text: &str, block: &Block, options: &ParseOptions) -> Fields {
    let mut fields = Fields::default();
    let separator = if block.format == Format::Yaml {
        ':'
    } else {
        '='
    };
    let matches = |key: &str, name: &str| {
        key == name || (options.any_case_keys && key.eq_ignore_ascii_case(name))
    };
    // The alias field whose `- item` lines follow, if any.
    let mut open_list = false;
    let mut offset = block.content.start;
    while offset < block.content.end {
        let line_end = offset + line_len(&text[offset..block.content.end]);
        let line = &text[offset..line_end];
        let line_start = offset;
        offset = line_end;
        let content = line.trim_end();
        if open_list {
            if let Some(item) = content.trim_start().strip_prefix("- ") {
                let at = line_start + (content.len() - item.len());
                push_value(&mut fields.aliases, item, at);
                continue;
            }
            if content.starts_with([' ', '\t']) || content.is_empty() {
                continue;
            }
            open_list = false;
        }
        if content.starts_with([' ', '\t', '#']) {
            continue;
        }
        let Some((key, value)) = content.split_once(separator) else {
            continue;
        };
        let key = key.trim().trim_matches(['"', '\'']);
        let value_at = line_start + key_prefix_len(content, separator);
        let value_text = &text[value_at..line_start + content.len()];
        if matches(key, &options.term_field) && fields.term.is_none() {
            let (value, at) = unquote(value_text, value_at);
            if !value.is_empty() {
                fields.term = Some(Spanned::new(value.to_string(), at..at + value.len()));
            }
        } else if options.alias_fields.iter().any(|name| matches(key, name)) {
            let trimmed = value.trim();
            if trimmed.is_empty() {
                open_list = true;
            } else if let Some(inner) = trimmed.strip_prefix('[') {
                let inner = inner.strip_suffix(']').unwrap_or(inner);
                let mut at = value_at + (value_text.len() - value_text.trim_start().len()) + 1;
                for item in inner.split(',') {
                    push_value(&mut fields.aliases, item, at);
                    at += item.len() + 1;
                }
            } else {
                push_value(&mut fields.aliases, value_text, value_at);
            }
        }
    }
    fields
}

/// Where the value of a `key: value` line starts, past the separator.
fn key_prefix_len(line: &str, separator: char) -> usize {
    line.find(separator).map_or(line.len(), |at| at + 1)
}

/// `value` without surrounding blanks and quotes, and where that starts.
fn unquote(value: &str, at: usize) -> (&str, usize) {
    let start = value.len() - value.trim_start().len();
    let trimmed = value.trim();
    let unquoted = trimmed
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .or_else(|| {
            trimmed
                .strip_prefix('\'')
                .and_then(|inner| inner.strip_suffix('\''))
        });
    match unquoted {
        Some(inner) => (
            inner.trim(),
            at + start + 1 + (inner.len() - inner.trim_start().len()),
        ),
        None => (trimmed, at + start),
    }
}

fn push_value(into: &mut Vec<Spanned<String>>, raw: &str, at: usize) {
    let (value, start) = unquote(raw, at);
    if !value.is_empty() {
        into.push(Spanned::new(value.to_string(), start..start + value.len()));
    }
}

fn string_field(
    field: Option<(&Key, &Node)>,
    problems: &mut Vec<Problem>,
) -> Option<Spanned<String>> {
    let (key, node) = field?;
    let name = key.name.as_str();
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

/// The strings of a list field; a null item (`- ` with nothing after it, as
/// Obsidian templates write) is skipped. With `single_allowed`, a lone string
/// counts as a list of one (Hugo's `aka: pod` and `full_link: /docs/x/`).
fn list_field(
    field: Option<(&Key, &Node)>,
    single_allowed: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Spanned<String>> {
    let Some((key, node)) = field else {
        return Vec::new();
    };
    let name = key.name.as_str();
    let items = match &node.value {
        Value::Str(text) if single_allowed => {
            return Some(Spanned::new(text.trim().to_string(), node.span.clone()))
                .filter(|value| !value.value.is_empty())
                .into_iter()
                .collect();
        }
        Value::Other("null") => return Vec::new(),
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
            Value::Str(_) | Value::Other("null") => None,
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
        read_fields(
            text,
            split.block.as_ref().unwrap(),
            &ParseOptions::default(),
        )
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
    fn broken_yaml_keeps_the_term_and_aliases_lines() {
        let text = "---\nterm: \"Acid Gas\"\naliases:\n  - sour gas\n  - 'H2S'\ntags: [unclosed\n---\nbody\n";
        let recovered = fields(text);
        assert_eq!(recovered.problems.len(), 1);
        let term = recovered.term.unwrap();
        assert_eq!(&text[term.span], "Acid Gas");
        let aliases: Vec<&str> = recovered
            .aliases
            .iter()
            .map(|alias| &text[alias.span.clone()])
            .collect();
        assert_eq!(aliases, ["sour gas", "H2S"]);
        let flow = "---\nterm: x\naliases: [a, \"b c\"]\n: bad\n---\n";
        let aliases: Vec<String> = fields(flow).aliases.into_iter().map(|a| a.value).collect();
        assert_eq!(aliases, ["a", "b c"]);
    }

    #[test]
    fn a_null_list_item_is_skipped_not_malformed() {
        let text = "---\nterm: x\ntags:\n- one\n- \naliases:\n---\n";
        let fields = fields(text);
        assert!(fields.problems.is_empty(), "{:?}", fields.problems);
        assert_eq!(fields.tags.len(), 1);
        assert!(fields.aliases.is_empty());
    }

    #[test]
    fn any_case_keys_and_alias_fields() {
        let text = "---\nTitle: Pod\naka: [po]\nfull_link: /docs/pods/\n---\n";
        let options = ParseOptions {
            term_field: "title".into(),
            alias_fields: vec!["aka".into()],
            any_case_keys: true,
            link_fields: vec!["full_link".into()],
            ..ParseOptions::default()
        };
        let fields = read_fields(text, split(text).block.as_ref().unwrap(), &options);
        assert_eq!(fields.term.unwrap().value, "Pod");
        assert_eq!(fields.aliases[0].value, "po");
        assert_eq!(fields.link_values[0].value, "/docs/pods/");
        let exact = ParseOptions {
            any_case_keys: false,
            ..options
        };
        assert!(
            read_fields(text, split(text).block.as_ref().unwrap(), &exact)
                .term
                .is_none()
        );
    }

    #[test]
    fn unterminated_and_bare_fences() {
        assert!(split("---\nterm: x\n").problem.is_some());
        let only = split("---");
        assert!(only.problem.is_some());
        assert!(split("--- not a fence\n").block.is_none());
    }
}
