//! Section templates (SPEC 2.4), read from `rules/templates.toml`.

use crate::data::{Node, Value};
use crate::normalize::{heading_key, term_key};

use super::{expect_list_of_strings, expect_string, unknown_key, ConfigError, Source};

/// When a template is enforced on an entry in its scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// Only on entries that already have one of its headings.
    Detected,
    /// On every entry in scope.
    Always,
}

/// What the body must open with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lead {
    /// `**Term** is ...` (or an alias).
    BoldTerm,
}

/// A heading pattern such as `What Is {term}?`, folded for matching, with
/// the alternative spellings a template accepts (`heading = ["How it helps",
/// "How it works"]`).
#[derive(Clone, Debug, PartialEq)]
pub struct HeadingPattern {
    /// The pattern as written in the template (the first alternative).
    pub written: String,
    /// Each alternative folded: the part before `{term}` and the part after.
    variants: Vec<(String, Option<String>)>,
}

/// Typographic quotes as their ASCII forms, so `Qu’est-ce que` is
/// `Qu'est-ce que` when headings are compared.
fn fold_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    const SINGLE: [char; 4] = ['\u{2018}', '\u{2019}', '\u{02bc}', '\u{2032}'];
    const DOUBLE: [char; 4] = ['\u{201c}', '\u{201d}', '\u{201e}', '\u{00ab}'];
    if text.is_ascii() || !text.contains(|c| SINGLE.contains(&c) || DOUBLE.contains(&c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| {
            if SINGLE.contains(&c) {
                '\''
            } else if DOUBLE.contains(&c) {
                '"'
            } else {
                c
            }
        })
        .collect()
}

impl HeadingPattern {
    /// Folds a written pattern; `{term}` may appear once.
    pub fn new(written: &str) -> Self {
        Self::alternatives(&[written.to_string()])
    }

    /// Folds each alternative spelling; the first is the one shown.
    pub fn alternatives(written: &[String]) -> Self {
        let variants = written
            .iter()
            .map(|alternative| {
                let folded = heading_key(&fold_quotes(alternative));
                match folded.split_once("{term}") {
                    Some((prefix, suffix)) => (prefix.to_string(), Some(suffix.to_string())),
                    None => (folded, None),
                }
            })
            .collect();
        Self {
            written: written.first().cloned().unwrap_or_default(),
            variants,
        }
    }

    /// Whether `heading` (as written) matches, with `{term}` standing for one
    /// of `names` (already folded by [`term_key`]).
    pub fn matches(&self, heading: &str, names: &[String]) -> bool {
        self.matches_key(&heading_key(heading), names)
    }

    /// [`HeadingPattern::matches`] for a heading already folded by
    /// [`heading_key`].
    pub fn matches_key(&self, heading: &str, names: &[String]) -> bool {
        let heading = fold_quotes(heading);
        let heading = heading.as_ref();
        self.variants.iter().any(|(prefix, suffix)| match suffix {
            None => heading == prefix,
            Some(suffix) => {
                heading.len() >= prefix.len() + suffix.len()
                    && heading.starts_with(prefix.as_str())
                    && heading.ends_with(suffix.as_str())
                    && heading.is_char_boundary(heading.len() - suffix.len())
                    && heading.is_char_boundary(prefix.len())
                    && {
                        let middle = term_key(&heading[prefix.len()..heading.len() - suffix.len()]);
                        names.contains(&middle)
                    }
            }
        })
    }

    pub fn render(&self, term: &str) -> String {
        self.written.replace("{term}", term)
    }
}

/// One required section.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateSection {
    /// Its heading.
    pub heading: HeadingPattern,
    /// Bold item labels its list must contain.
    pub items: Vec<String>,
}

/// A named template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// Its name (`[templates.NAME]`).
    pub name: String,
    /// Detected or always.
    pub applies: Applies,
    /// The required lead, if any.
    pub lead: Option<Lead>,
    /// The sections, in order.
    pub sections: Vec<TemplateSection>,
    /// Front matter conditions: the template binds only entries whose field
    /// has one of these values (folded like terms), `when = { category = [...] }`.
    pub when: Vec<(String, Vec<String>)>,
}

const TEMPLATE_KEYS: [&str; 4] = ["applies", "lead", "sections", "when"];
const SECTION_KEYS: [&str; 2] = ["heading", "items"];

/// Reads `[templates.*]` from a parsed `templates.toml`.
pub fn read(root: &Node, source: &Source, errors: &mut Vec<ConfigError>) -> Vec<Template> {
    let mut templates = Vec::new();
    let Value::Map(top) = &root.value else {
        return templates;
    };
    for (key, node) in top {
        if key.name != "templates" {
            errors.push(unknown_key(source, key, &["templates"]));
            continue;
        }
        let Value::Map(named) = &node.value else {
            errors.push(source.error(
                node.span.clone(),
                "`templates` must be a table of templates",
            ));
            continue;
        };
        for (name, body) in named {
            if let Some(template) = read_template(&name.name, body, source, errors) {
                templates.push(template);
            }
        }
    }
    templates
}

fn read_template(
    name: &str,
    node: &Node,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Option<Template> {
    let Value::Map(fields) = &node.value else {
        errors.push(source.error(
            node.span.clone(),
            format!("template `{name}` must be a table"),
        ));
        return None;
    };
    let mut template = Template {
        name: name.to_string(),
        applies: Applies::Detected,
        lead: None,
        sections: Vec::new(),
        when: Vec::new(),
    };
    for (key, value) in fields {
        match key.name.as_str() {
            "applies" => match expect_string(value, source, errors).as_deref() {
                Some("detected") => template.applies = Applies::Detected,
                Some("always") => template.applies = Applies::Always,
                Some(other) => {
                    errors.push(source.choice_error(value, other, &["detected", "always"]))
                }
                None => {}
            },
            "lead" => match expect_string(value, source, errors).as_deref() {
                Some("bold-term") => template.lead = Some(Lead::BoldTerm),
                Some("none") => template.lead = None,
                Some(other) => {
                    errors.push(source.choice_error(value, other, &["bold-term", "none"]))
                }
                None => {}
            },
            "sections" => {
                let Value::List(sections) = &value.value else {
                    errors.push(source.error(
                        value.span.clone(),
                        "`sections` must be a list of `{ heading = \"...\" }` tables",
                    ));
                    continue;
                };
                for section in sections {
                    if let Some(section) = read_section(section, source, errors) {
                        template.sections.push(section);
                    }
                }
            }
            "when" => {
                let Value::Map(conditions) = &value.value else {
                    errors.push(source.error(
                        value.span.clone(),
                        "`when` must be a table such as `{ category = [\"concept\"] }`",
                    ));
                    continue;
                };
                for (field, values) in conditions {
                    let accepted = match &values.value {
                        Value::Str(one) => vec![term_key(one)],
                        _ => expect_list_of_strings(values, source, errors)
                            .into_iter()
                            .map(|(value, _)| term_key(&value))
                            .collect(),
                    };
                    template.when.push((field.name.clone(), accepted));
                }
            }
            _ => errors.push(unknown_key(source, key, &TEMPLATE_KEYS)),
        }
    }
    Some(template)
}

fn read_section(
    node: &Node,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Option<TemplateSection> {
    let Value::Map(fields) = &node.value else {
        errors.push(source.error(
            node.span.clone(),
            "a section must be a table such as `{ heading = \"Why {term} Matters\" }`",
        ));
        return None;
    };
    let mut heading = None;
    let mut items = Vec::new();
    for (key, value) in fields {
        match key.name.as_str() {
            "heading" => {
                heading = match &value.value {
                    Value::List(_) => Some(
                        expect_list_of_strings(value, source, errors)
                            .into_iter()
                            .map(|(alternative, _)| alternative)
                            .collect::<Vec<_>>(),
                    )
                    .filter(|alternatives| !alternatives.is_empty()),
                    _ => expect_string(value, source, errors).map(|one| vec![one]),
                }
            }
            "items" => {
                items = expect_list_of_strings(value, source, errors)
                    .into_iter()
                    .map(|(item, _)| item)
                    .collect()
            }
            _ => errors.push(unknown_key(source, key, &SECTION_KEYS)),
        }
    }
    match heading {
        Some(heading) => Some(TemplateSection {
            heading: HeadingPattern::alternatives(&heading),
            items,
        }),
        None => {
            errors.push(source.error(node.span.clone(), "a section needs a `heading`"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_term_or_alias_ignoring_case_space_and_punctuation() {
        let pattern = HeadingPattern::new("What Is {term}?");
        let names = vec![term_key("acid gas scrubbing"), term_key("AGS")];
        assert!(pattern.matches("What Is Acid Gas  Scrubbing?", &names));
        assert!(pattern.matches("what is ags", &names));
        assert!(!pattern.matches("What Is Acid?", &names));
        assert!(HeadingPattern::new("How It Is Used in Practice")
            .matches("How it is used in practice:", &[]));
    }

    #[test]
    fn alternatives_and_typographic_quotes() {
        let pattern = HeadingPattern::alternatives(&["How it helps".into(), "How it works".into()]);
        assert!(pattern.matches("How It Works", &[]));
        assert!(pattern.matches("How it helps", &[]));
        assert!(!pattern.matches("How it fails", &[]));
        assert_eq!(pattern.written, "How it helps");
        let french = HeadingPattern::new("Qu'est-ce que c'est ?");
        assert!(french.matches("Qu’est-ce que c’est ?", &[]));
    }
}
