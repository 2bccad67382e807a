//! Spanned data trees: TOML and YAML parsed into one small shape whose every key
//! and value knows its byte range, so front matter and configuration errors point
//! at the exact value ("a bad `aliases` points at that value").

use std::ops::Range;

/// Front matter or configuration larger than this is not parsed (hostile input).
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Deeper nesting than this is rejected before it can exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// A value with the byte range it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Byte range of the value, relative to the start of the parsed text.
    pub span: Range<usize>,
    /// The value itself.
    pub value: Value,
}

/// The value kinds glosslint distinguishes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string (YAML plain scalars that are not numbers or booleans included).
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// Any other scalar (float, date, null): kept only for its type name.
    Other(&'static str),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key text.
    pub name: String,
    /// Byte range of the key.
    pub span: Range<usize>,
}

/// A parse failure with the byte range it points at.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// What went wrong.
    pub message: String,
    /// Where.
    pub span: Range<usize>,
}

impl Value {
    /// A human name of the value's type, for "expected a list, found a string".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "an integer",
            Value::Bool(_) => "a boolean",
            Value::Other(name) => name,
            Value::List(_) => "a list",
            Value::Map(_) => "a table",
        }
    }
}

impl Node {
    /// The entry of a mapping named `name`.
    pub fn get(&self, name: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(key, _)| key.name == name)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    fn shifted(mut self, by: usize) -> Self {
        self.span = self.span.start + by..self.span.end + by;
        match &mut self.value {
            Value::List(items) => {
                let shifted = std::mem::take(items)
                    .into_iter()
                    .map(|item| item.shifted(by))
                    .collect();
                *items = shifted;
            }
            Value::Map(entries) => {
                let shifted = std::mem::take(entries)
                    .into_iter()
                    .map(|(mut key, value)| {
                        key.span = key.span.start + by..key.span.end + by;
                        (key, value.shifted(by))
                    })
                    .collect();
                *entries = shifted;
            }
            _ => {}
        }
        self
    }

    /// Moves every span by `by` bytes (from front-matter-relative to file offsets).
    pub fn offset_by(self, by: usize) -> Self {
        if by == 0 {
            self
        } else {
            self.shifted(by)
        }
    }
}

/// Parses TOML into a spanned tree.
pub fn parse_toml(text: &str) -> Result<Node, SyntaxError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(text));
    }
    let document = toml_edit::Document::parse(text).map_err(|error| SyntaxError {
        message: error.message().trim().to_string(),
        span: error.span().unwrap_or(0..0),
    })?;
    Ok(toml_table(document.as_table(), 0..text.len()))
}

fn too_large(text: &str) -> SyntaxError {
    SyntaxError {
        message: format!("longer than the {MAX_DOCUMENT_BYTES}-byte limit, not parsed"),
        span: 0..text.len().min(1),
    }
}

fn toml_table(table: &toml_edit::Table, fallback: Range<usize>) -> Node {
    let span = table.span().unwrap_or(fallback.clone());
    let entries = table
        .iter()
        .filter_map(|(name, item)| {
            let key_span = table
                .key(name)
                .and_then(toml_edit::Key::span)
                .unwrap_or(span.clone());
            let node = toml_item(item, key_span.clone())?;
            Some((
                Key {
                    name: name.to_string(),
                    span: key_span,
                },
                node,
            ))
        })
        .collect();
    Node {
        span,
        value: Value::Map(entries),
    }
}

fn toml_item(item: &toml_edit::Item, fallback: Range<usize>) -> Option<Node> {
    match item {
        toml_edit::Item::None => None,
        toml_edit::Item::Value(value) => Some(toml_value(value, fallback)),
        toml_edit::Item::Table(table) => Some(toml_table(table, fallback)),
        toml_edit::Item::ArrayOfTables(tables) => {
            let span = tables.span().unwrap_or(fallback.clone());
            let items = tables
                .iter()
                .map(|table| toml_table(table, fallback.clone()))
                .collect();
            Some(Node {
                span,
                value: Value::List(items),
            })
        }
    }
}

fn toml_value(value: &toml_edit::Value, fallback: Range<usize>) -> Node {
    let span = value.span().unwrap_or(fallback);
    let value = match value {
        toml_edit::Value::String(text) => Value::Str(text.value().clone()),
        toml_edit::Value::Integer(number) => Value::Int(*number.value()),
        toml_edit::Value::Boolean(flag) => Value::Bool(*flag.value()),
        toml_edit::Value::Float(_) => Value::Other("a float"),
        toml_edit::Value::Datetime(_) => Value::Other("a date"),
        toml_edit::Value::Array(array) => Value::List(
            array
                .iter()
                .map(|item| toml_value(item, span.clone()))
                .collect(),
        ),
        toml_edit::Value::InlineTable(table) => Value::Map(
            table
                .iter()
                .map(|(name, item)| {
                    let key_span = table
                        .key(name)
                        .and_then(toml_edit::Key::span)
                        .unwrap_or(span.clone());
                    (
                        Key {
                            name: name.to_string(),
                            span: key_span.clone(),
                        },
                        toml_value(item, key_span),
                    )
                })
                .collect(),
        ),
    };
    Node { span, value }
}

/// Parses one YAML document into a spanned tree.
///
/// Aliases are refused rather than expanded, so an alias bomb costs nothing.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    use yaml_rust2::parser::{Event, Parser};
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(too_large(text));
    }
    // Markers count characters; spans are bytes.
    let char_to_byte: Vec<usize> = text
        .char_indices()
        .map(|(byte, _)| byte)
        .chain([text.len()])
        .collect();
    let byte_at = |marker: &yaml_rust2::scanner::Marker| {
        char_to_byte
            .get(marker.index())
            .copied()
            .unwrap_or(text.len())
    };
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let (event, marker) = parser.next_token().map_err(|error| {
            let at = byte_at(error.marker());
            SyntaxError {
                message: error.info().to_string(),
                span: char_span(text, at),
            }
        })?;
        let at = byte_at(&marker);
        let node = match event {
            Event::StreamEnd => break,
            Event::Nothing | Event::StreamStart | Event::DocumentStart | Event::DocumentEnd => {
                continue
            }
            Event::Alias(_) => {
                return Err(SyntaxError {
                    message: "YAML aliases (`*name`) are not supported in front matter".into(),
                    span: at..scalar_end(text, at),
                })
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError {
                        message: format!("nested deeper than {MAX_DEPTH} levels"),
                        span: char_span(text, at),
                    });
                }
                let is_map = matches!(event, Event::MappingStart(..));
                stack.push(Frame {
                    start: at,
                    is_map,
                    items: Vec::new(),
                    entries: Vec::new(),
                    key: None,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = stack
                    .pop()
                    .expect("the YAML parser balances start and end events");
                let end = if text[at..].starts_with([']', '}']) {
                    at + 1
                } else {
                    trim_end_at(text, at.max(frame.start))
                };
                let value = if frame.is_map {
                    Value::Map(frame.entries)
                } else {
                    Value::List(frame.items)
                };
                Node {
                    span: frame.start..end.max(frame.start),
                    value,
                }
            }
            Event::Scalar(value, style, _, _) => {
                let end = scalar_end(text, at);
                let plain = matches!(style, yaml_rust2::scanner::TScalarStyle::Plain);
                Node {
                    span: at..end,
                    value: yaml_scalar(value, plain),
                }
            }
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(frame) if !frame.is_map => frame.items.push(node),
            Some(frame) => match frame.key.take() {
                None => {
                    let name = match node.value {
                        Value::Str(name) => name,
                        Value::Int(number) => number.to_string(),
                        Value::Bool(flag) => flag.to_string(),
                        _ => {
                            return Err(SyntaxError {
                                message: "only plain keys are supported in front matter".into(),
                                span: node.span,
                            })
                        }
                    };
                    frame.key = Some(Key {
                        name,
                        span: node.span,
                    });
                }
                Some(key) => frame.entries.push((key, node)),
            },
        }
    }
    Ok(root.unwrap_or(Node {
        span: 0..0,
        value: Value::Other("empty"),
    }))
}

struct Frame {
    start: usize,
    is_map: bool,
    items: Vec<Node>,
    entries: Vec<(Key, Node)>,
    key: Option<Key>,
}

fn yaml_scalar(value: String, plain: bool) -> Value {
    if plain {
        match value.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => return Value::Other("null"),
            "true" | "True" | "TRUE" => return Value::Bool(true),
            "false" | "False" | "FALSE" => return Value::Bool(false),
            _ => {}
        }
        if let Ok(number) = value.parse::<i64>() {
            return Value::Int(number);
        }
        if value.parse::<f64>().is_ok() && value.contains(|c: char| c.is_ascii_digit()) {
            return Value::Other("a number");
        }
    }
    Value::Str(value)
}

/// End of the scalar written at `start`: a quoted scalar ends at its closing
/// quote; a plain one at the end of the line, a flow separator or a comment.
fn scalar_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let bytes = rest.as_bytes();
    match bytes.first() {
        Some(&quote @ (b'"' | b'\'')) => {
            let mut index = 1;
            while index < bytes.len() {
                if bytes[index] == b'\\' && quote == b'"' {
                    index += 2;
                    continue;
                }
                if bytes[index] == quote {
                    if quote == b'\'' && bytes.get(index + 1) == Some(&b'\'') {
                        index += 2;
                        continue;
                    }
                    return start + index + 1;
                }
                index += 1;
            }
            start + bytes.len()
        }
        _ => {
            let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            let line = &rest[..line_end];
            let mut end = line.len();
            for (index, ch) in line.char_indices() {
                let ends = match ch {
                    ',' | ']' | '}' => true,
                    '#' => index > 0 && line[..index].ends_with([' ', '\t']),
                    ':' => line[index + 1..].starts_with([' ', '\t']) || index + 1 == line.len(),
                    _ => false,
                };
                if ends {
                    end = index;
                    break;
                }
            }
            start + line[..end].trim_end().len()
        }
    }
}

/// The span of the character at `at`, a char boundary (empty at the end):
/// one byte past `at` may fall inside a multi-byte character.
fn char_span(text: &str, at: usize) -> Range<usize> {
    let len = text[at..].chars().next().map_or(0, char::len_utf8);
    at..at + len
}

fn trim_end_at(text: &str, end: usize) -> usize {
    text[..end.min(text.len())].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_at<'a>(text: &'a str, node: &Node) -> &'a str {
        &text[node.span.clone()]
    }

    #[test]
    fn yaml_values_know_their_bytes() {
        let text = "term: \"Größe\"\naliases: [a b, 'c']\ntags:\n  - x\n  - yz # note\n";
        let root = parse_yaml(text).unwrap();
        let (_, term) = root.get("term").unwrap();
        assert_eq!(text_at(text, term), "\"Größe\"");
        assert_eq!(term.value, Value::Str("Größe".into()));
        let (key, aliases) = root.get("aliases").unwrap();
        assert_eq!(&text[key.span.clone()], "aliases");
        assert_eq!(text_at(text, aliases), "[a b, 'c']");
        let Value::List(tags) = &root.get("tags").unwrap().1.value else {
            panic!()
        };
        assert_eq!(text_at(text, &tags[1]), "yz");
    }

    #[test]
    fn yaml_aliases_are_refused() {
        let error = parse_yaml("a: &x [1]\nb: *x\n").unwrap_err();
        assert!(error.message.contains("aliases"));
    }

    #[test]
    fn yaml_error_spans_cover_whole_characters() {
        // found by the `front_matter` fuzz target: the error is at `é`
        for text in ["a: b\né c\né d", "a: b\r휋 c\r휋", "a: [é", "x: \"\\é\""] {
            let error = parse_yaml(text).unwrap_err();
            assert!(
                text.get(error.span.clone()).is_some(),
                "{text:?}: {error:?}"
            );
        }
        let deep = format!("{}é", "[".repeat(MAX_DEPTH + 1));
        let error = parse_yaml(&deep).unwrap_err();
        assert!(deep.get(error.span.clone()).is_some(), "{error:?}");
    }

    #[test]
    fn toml_values_know_their_bytes() {
        let text = "term = \"x\"\naliases = [\"a\", 3]\n";
        let root = parse_toml(text).unwrap();
        let Value::List(aliases) = &root.get("aliases").unwrap().1.value else {
            panic!()
        };
        assert_eq!(text_at(text, &aliases[1]), "3");
    }

    #[test]
    fn toml_errors_carry_a_span() {
        let error = parse_toml("a = [").unwrap_err();
        assert!(error.span.start <= 5);
    }
}
