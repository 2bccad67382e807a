//! House rules: checks a maintainer declares as data in `rules/*.toml` (every
//! file there except `templates.toml` and `vocabulary.toml`), without writing
//! Rust. Each `[[rules]]` table is one rule with its own id, listed by
//! `glosslint rules` and documented by `glosslint rule ID` like a built-in one.
//!
//! ```toml
//! [[rules]]
//! id = "prefer-use"              # kebab-case, unique
//! kind = "substitution"          # existence | substitution | required
//! level = "warning"              # error | warning | info | off
//! scope = "body"                 # body | headings | lead | front-matter:<field>
//! message = "say `{good}`, not `{bad}`"
//! swap = { utilise = "use", "in order to" = "to" }
//!
//! [[rules]]
//! id = "no-hype"
//! kind = "existence"
//! words = ["leverage", "synergy"]            # whole words or phrases, any case
//! patterns = ['\bcutting[- ]edge\b']         # regular expressions (Rust regex syntax)
//!
//! [[rules]]
//! id = "calibration-has-a-number"
//! kind = "required"
//! section = "How It Is Used in Practice"     # a heading pattern; `{term}` allowed
//! patterns = ['\d']                          # the section must match one of these
//! ```
//!
//! `existence` reports each match; `substitution` reports each `bad` word and
//! offers a safe fix to `good` (keeping a leading capital); `required` reports
//! a section (present in the entry) whose text matches none of the patterns.
//! `body` is prose outside code, `headings` the text of headings and
//! pseudo-headings, `lead` the bold lead, `front-matter:<field>` the values of
//! `term`, `aliases`, `tags` or `see_also`.

use std::ops::Range;

use pulldown_cmark::Event;
use regex::Regex;

use crate::config::templates::HeadingPattern;
use crate::config::{expect_list_of_strings, expect_string, unknown_key, ConfigError, Source};
use crate::data::{self, Node, Value};
use crate::diagnostic::{Applicability, Edit, Level};
use crate::rules::{EntryContext, Family, FixKind, Rule, RuleMeta, Sink};

/// What a house rule looks for.
#[derive(Debug)]
enum Check {
    Existence(Regex),
    Substitution {
        finder: Regex,
        swaps: Vec<(String, String)>,
    },
    Required {
        section: HeadingPattern,
        patterns: Vec<Regex>,
    },
}

/// Where a house rule looks.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    Body,
    Headings,
    Lead,
    FrontMatter(String),
}

/// A rule declared in `rules/*.toml`.
#[derive(Debug)]
pub struct HouseRule {
    meta: &'static RuleMeta,
    check: Check,
    scope: Scope,
    message: Option<String>,
}

const KEYS: [&str; 9] = [
    "id", "kind", "level", "scope", "message", "words", "patterns", "swap", "section",
];
const FIELDS: [&str; 4] = ["term", "aliases", "tags", "see_also"];

/// Reads every house rule file beside `templates.toml`. Rule ids must not
/// collide with `taken` (the built-in ids) or with each other.
pub fn load(
    rules_dir: &std::path::Path,
    cwd: &std::path::Path,
    taken: &[&str],
) -> Result<Vec<HouseRule>, Vec<ConfigError>> {
    let mut files: Vec<std::path::PathBuf> = match std::fs::read_dir(rules_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .filter(|path| !path.ends_with("templates.toml") && !path.ends_with("vocabulary.toml"))
            .collect(),
        Err(_) => return Ok(Vec::new()),
    };
    files.sort();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut ids: Vec<String> = taken.iter().map(|id| id.to_string()).collect();
    for path in files {
        let text = match crate::load::read_settings_file(&path, crate::load::MAX_CONFIG_BYTES) {
            Ok(text) => text,
            Err(error) => {
                let source = Source {
                    name: crate::load::display_path(&path, cwd),
                    text: "".into(),
                };
                errors.push(source.error(0..0, format!("cannot read: {error}")));
                continue;
            }
        };
        let source = Source {
            name: crate::load::display_path(&path, cwd),
            text: text.into(),
        };
        let root = match data::parse_toml(&source.text) {
            Ok(root) => root,
            Err(error) => {
                errors.push(source.error(error.span, error.message));
                continue;
            }
        };
        let Value::Map(top) = &root.value else {
            continue;
        };
        for (key, node) in top {
            if key.name != "rules" {
                errors.push(unknown_key(&source, key, &["rules"]));
                continue;
            }
            let Value::List(tables) = &node.value else {
                errors.push(
                    source.error(node.span.clone(), "write house rules as `[[rules]]` tables"),
                );
                continue;
            };
            for table in tables {
                if let Some(rule) = read_rule(table, &source, &mut ids, &mut errors) {
                    rules.push(rule);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(rules)
    } else {
        Err(errors)
    }
}

fn read_rule(
    node: &Node,
    source: &Source,
    ids: &mut Vec<String>,
    errors: &mut Vec<ConfigError>,
) -> Option<HouseRule> {
    let Value::Map(fields) = &node.value else {
        errors.push(source.error(node.span.clone(), "a house rule must be a table"));
        return None;
    };
    let before = errors.len();
    let mut id = None;
    let mut kind = None;
    let mut level = Level::Warning;
    let mut scope = Scope::Body;
    let mut message = None;
    let mut words = Vec::new();
    let mut patterns = Vec::new();
    let mut swaps = Vec::new();
    let mut section = None;
    for (key, value) in fields {
        match key.name.as_str() {
            "id" => {
                if let Some(name) = expect_string(value, source, errors) {
                    let valid = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                    if !valid {
                        errors.push(source.error(
                            value.span.clone(),
                            "a rule id is kebab-case: lowercase letters, digits and `-`",
                        ));
                    } else if ids.contains(&name) {
                        errors.push(source.error(
                            value.span.clone(),
                            format!("rule id `{name}` is already taken"),
                        ));
                    } else {
                        id = Some(name);
                    }
                }
            }
            "kind" => match expect_string(value, source, errors).as_deref() {
                Some(known @ ("existence" | "substitution" | "required")) => {
                    kind = Some(known.to_string())
                }
                Some(other) => errors.push(source.choice_error(
                    value,
                    other,
                    &["existence", "substitution", "required"],
                )),
                None => {}
            },
            "level" => {
                if let Some(name) = expect_string(value, source, errors) {
                    match Level::parse(&name) {
                        Some(parsed) => level = parsed,
                        None => errors.push(source.choice_error(value, &name, &Level::NAMES)),
                    }
                }
            }
            "scope" => {
                if let Some(name) = expect_string(value, source, errors) {
                    match parse_scope(&name) {
                        Some(parsed) => scope = parsed,
                        None => errors.push(source.choice_error(
                            value,
                            &name,
                            &[
                                "body",
                                "headings",
                                "lead",
                                "front-matter:term",
                                "front-matter:aliases",
                                "front-matter:tags",
                                "front-matter:see_also",
                            ],
                        )),
                    }
                }
            }
            "message" => message = expect_string(value, source, errors),
            "words" => words = expect_list_of_strings(value, source, errors),
            "patterns" => {
                for (pattern, span) in expect_list_of_strings(value, source, errors) {
                    match Regex::new(&pattern) {
                        Ok(regex) => patterns.push(regex),
                        Err(error) => errors.push(
                            source.error(span, format!("invalid regular expression: {error}")),
                        ),
                    }
                }
            }
            "swap" => match &value.value {
                Value::Map(entries) => {
                    for (bad, good) in entries {
                        if let Some(good) = expect_string(good, source, errors) {
                            swaps.push((bad.name.clone(), good));
                        }
                    }
                }
                other => errors.push(source.error(
                    value.span.clone(),
                    format!(
                        "`swap` must be a table such as `{{ utilise = \"use\" }}`, found {}",
                        other.type_name()
                    ),
                )),
            },
            "section" => section = expect_string(value, source, errors),
            _ => errors.push(unknown_key(source, key, &KEYS)),
        }
    }
    let (Some(id), Some(kind)) = (id, kind) else {
        errors.push(source.error(node.span.clone(), "a house rule needs an `id` and a `kind`"));
        return None;
    };
    let check = match kind.as_str() {
        "existence" => {
            let mut alternatives: Vec<String> = words
                .iter()
                .map(|(word, _)| format!(r"\b{}\b", regex::escape(word)))
                .collect();
            alternatives.extend(
                patterns
                    .iter()
                    .map(|regex| format!("(?:{})", regex.as_str())),
            );
            if alternatives.is_empty() {
                errors.push(source.error(
                    node.span.clone(),
                    "an `existence` rule needs `words` or `patterns`",
                ));
                return None;
            }
            Check::Existence(Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()?)
        }
        "substitution" => {
            if swaps.is_empty() {
                errors.push(source.error(
                    node.span.clone(),
                    "a `substitution` rule needs `swap = { bad = \"good\" }`",
                ));
                return None;
            }
            let alternatives: Vec<String> = swaps
                .iter()
                .map(|(bad, _)| format!(r"\b{}\b", regex::escape(bad)))
                .collect();
            Check::Substitution {
                finder: Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()?,
                swaps,
            }
        }
        _ => {
            let Some(section) = section else {
                errors.push(source.error(node.span.clone(), "a `required` rule needs `section`"));
                return None;
            };
            if patterns.is_empty() {
                errors.push(source.error(node.span.clone(), "a `required` rule needs `patterns`"));
                return None;
            }
            Check::Required {
                section: HeadingPattern::new(&section),
                patterns,
            }
        }
    };
    if errors.len() > before {
        return None;
    }
    ids.push(id.clone());
    let documentation = document(&id, &kind, &scope, &check, message.as_deref(), &source.name);
    let meta: &'static RuleMeta = Box::leak(Box::new(RuleMeta {
        id: Box::leak(id.into_boxed_str()),
        family: Family::House,
        default_level: level,
        fix: if matches!(check, Check::Substitution { .. }) {
            FixKind::Safe
        } else {
            FixKind::None
        },
        options: &[],
        source: Box::leak(documentation.into_boxed_str()),
    }));
    Some(HouseRule {
        meta,
        check,
        scope,
        message,
    })
}

fn parse_scope(name: &str) -> Option<Scope> {
    match name {
        "body" => Some(Scope::Body),
        "headings" => Some(Scope::Headings),
        "lead" => Some(Scope::Lead),
        _ => {
            let field = name.strip_prefix("front-matter:")?;
            FIELDS
                .contains(&field)
                .then(|| Scope::FrontMatter(field.to_string()))
        }
    }
}

/// The generated documentation, in the `//!` shape built-in rules use.
fn document(
    id: &str,
    kind: &str,
    scope: &Scope,
    check: &Check,
    message: Option<&str>,
    file: &str,
) -> String {
    let scope = match scope {
        Scope::Body => "the body's prose".to_string(),
        Scope::Headings => "headings".to_string(),
        Scope::Lead => "the bold lead".to_string(),
        Scope::FrontMatter(field) => format!("the front matter field `{field}`"),
    };
    let what = match check {
        Check::Existence(regex) => {
            format!("Reports text matching `{}` in {scope}.", regex.as_str())
        }
        Check::Substitution { swaps, .. } => {
            let pairs: Vec<String> = swaps
                .iter()
                .map(|(bad, good)| format!("`{bad}` -> `{good}`"))
                .collect();
            format!(
                "Reports words to replace in {scope}: {}. The fix replaces them.",
                pairs.join(", ")
            )
        }
        Check::Required { section, patterns } => {
            let patterns: Vec<&str> = patterns.iter().map(Regex::as_str).collect();
            format!(
                "Reports a `{}` section whose text matches none of `{}`.",
                section.written,
                patterns.join("`, `")
            )
        }
    };
    let mut doc = format!("//! ## What it does\n//! {what}\n//!\n//! ## Why is this bad?\n//! A house rule of this glossary ({kind}, declared in `{file}`, id `{id}`).");
    if let Some(message) = message {
        doc.push_str(&format!(" Its message: \"{message}\"."));
    }
    doc.push_str("\n//!\n//! ## Example\n//! See the declaration in the rules file.\n//!\n//! ## Options\n//! None; edit the rules file.\n");
    doc
}

impl HouseRule {
    fn message(&self, found: &str, replacement: Option<&str>) -> String {
        match &self.message {
            Some(template) => template
                .replace("{bad}", found)
                .replace("{match}", found)
                .replace("{good}", replacement.unwrap_or("")),
            None => match replacement {
                Some(good) => format!("say `{good}`, not `{found}`"),
                None => format!("`{found}` is not allowed here"),
            },
        }
    }

    /// Byte ranges of the text in scope.
    fn regions(&self, cx: &EntryContext<'_>) -> Vec<Range<usize>> {
        let entry = cx.entry;
        match &self.scope {
            Scope::Body => {
                let code: Vec<&Range<usize>> = entry
                    .body
                    .code_blocks
                    .iter()
                    .map(|block| &block.span)
                    .collect();
                entry
                    .body
                    .events
                    .iter()
                    .filter_map(|(event, range)| match event {
                        Event::Text(text)
                            if cx.file.text.get(range.clone()) == Some(text.as_ref()) =>
                        {
                            Some(range.clone())
                        }
                        _ => None,
                    })
                    .filter(|range| !code.iter().any(|block| block.contains(&range.start)))
                    .collect()
            }
            Scope::Headings => entry
                .body
                .headings
                .iter()
                .map(|heading| heading.span.clone())
                .collect(),
            Scope::Lead => entry
                .body
                .lead
                .iter()
                .map(|lead| lead.span.clone())
                .collect(),
            Scope::FrontMatter(field) => {
                let values: Vec<&crate::model::Spanned<String>> = match field.as_str() {
                    "term" => entry.term.iter().collect(),
                    "aliases" => entry.aliases.iter().collect(),
                    "tags" => entry.tags.iter().collect(),
                    _ => entry.see_also.iter().collect(),
                };
                values.into_iter().map(|value| value.span.clone()).collect()
            }
        }
    }
}

impl Rule for HouseRule {
    fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        match &self.check {
            Check::Existence(regex) => {
                for region in self.regions(cx) {
                    let Some(slice) = text.get(region.clone()) else {
                        continue;
                    };
                    for found in regex.find_iter(slice) {
                        let span = region.start + found.start()..region.start + found.end();
                        sink.report(span, self.message(found.as_str(), None));
                    }
                }
            }
            Check::Substitution { finder, swaps } => {
                for region in self.regions(cx) {
                    let Some(slice) = text.get(region.clone()) else {
                        continue;
                    };
                    for found in finder.find_iter(slice) {
                        let bad = found.as_str();
                        let Some((_, good)) = swaps
                            .iter()
                            .find(|(candidate, _)| candidate.eq_ignore_ascii_case(bad))
                        else {
                            continue;
                        };
                        let replacement = keep_capital(bad, good);
                        let span = region.start + found.start()..region.start + found.end();
                        sink.report(span.clone(), self.message(bad, Some(&replacement)))
                            .help(format!("replace with `{replacement}`"))
                            .fix(
                                Applicability::Safe,
                                vec![Edit {
                                    span,
                                    replacement: replacement.into(),
                                }],
                            );
                    }
                }
            }
            Check::Required { section, patterns } => {
                for heading in &cx.entry.body.headings {
                    if !section.matches(&heading.text, &cx.names) {
                        continue;
                    }
                    let Some(content) = text.get(heading.span.end..heading.section.end) else {
                        continue;
                    };
                    if !patterns.iter().any(|pattern| pattern.is_match(content)) {
                        let wanted: Vec<&str> = patterns.iter().map(Regex::as_str).collect();
                        let message = self.message.clone().unwrap_or_else(|| {
                            format!(
                                "section `{}` must contain text matching `{}`",
                                heading.text,
                                wanted.join("` or `")
                            )
                        });
                        sink.report(heading.span.clone(), message);
                    }
                }
            }
        }
    }
}

/// `good` with a capital first letter when `bad` had one.
fn keep_capital(bad: &str, good: &str) -> String {
    if bad.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = good.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    } else {
        good.to_string()
    }
}
