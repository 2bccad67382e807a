//! `[references]` beyond routes, `[[references.patterns]]`,
//! `[[references.fields]]`, the `[entries]` keys, and `{lang}` expansion:
//! how a site generator or note app resolves its links, as data.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::{expect_list_of_strings, expect_string, table, unknown_key, ConfigError, Source};
use crate::data::{Node, Value};
use crate::parse::{LinkPattern, ParseOptions, TermSource};

/// What `[[x]]` names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WikiMode {
    /// A term or alias (the default).
    #[default]
    Term,
    /// A file name without extension, no case, anywhere under the root, or a
    /// path (`[[folder/name]]`), as Obsidian and Foam read it.
    File,
}

/// What a relative link such as `../cluster/` is relative to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RelativeMode {
    /// The linking file's folder (the default).
    #[default]
    File,
    /// The linking file's built page URL (Hugo pretty URLs: `content/tr/a.md`
    /// is `/tr/a/`), as a browser resolves it; the file's folder is tried too.
    Page,
}

/// One rule of a Netlify-style `_redirects` file: `from to [status]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Redirect {
    /// The site path matched, with `:placeholder` segments and a final `*`.
    pub from: String,
    /// Where it leads, with `:placeholder`s and `:splat` filled in.
    pub to: String,
}

impl Redirect {
    /// Where `path` leads when this rule matches it. Trailing slashes are not
    /// significant, as on Netlify.
    pub fn apply(&self, path: &str) -> Option<String> {
        let wanted: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        let pattern: Vec<&str> = self
            .from
            .split('/')
            .filter(|part| !part.is_empty())
            .collect();
        let mut bound: Vec<(&str, String)> = Vec::new();
        for (at, part) in pattern.iter().enumerate() {
            if *part == "*" {
                bound.push(("splat", wanted.get(at..).unwrap_or(&[]).join("/")));
                return Some(fill(&self.to, &bound));
            }
            let given = wanted.get(at)?;
            match part.strip_prefix(':') {
                Some(name) => bound.push((name, (*given).to_string())),
                None if part == given => {}
                None => return None,
            }
        }
        (pattern.len() == wanted.len()).then(|| fill(&self.to, &bound))
    }
}

fn fill(to: &str, bound: &[(&str, String)]) -> String {
    to.split('/')
        .map(|part| {
            part.strip_prefix(':')
                .and_then(|name| bound.iter().find(|(bound, _)| *bound == name))
                .map_or_else(|| part.to_string(), |(_, value)| value.clone())
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a `_redirects` file: blank lines and `#` comments skipped; a line
/// of fewer than two fields is left out.
pub fn parse_redirects(text: &str) -> Vec<Redirect> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let from = fields.next()?;
            let to = fields.next()?;
            Some(Redirect {
                from: from.to_string(),
                to: to.to_string(),
            })
        })
        .collect()
}

/// What names the entry in a generated anchor (`{id}` or `{stem}`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnchorName {
    /// The entry's `[entries] id_field`, folded like a term.
    Id,
    /// The entry's file name without extension, without case.
    Stem,
}

/// A `[[references.anchors]]` block: a page that shows every entry of its
/// folder, each under an anchor made from the entry (the Kubernetes
/// glossary page renders `<div id="term-{{ .Params.id }}">` for each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorPage {
    /// The page's file, relative to the root.
    pub page: String,
    /// The anchor before the entry's name (`term-`).
    pub prefix: String,
    /// What names the entry.
    pub name: AnchorName,
    /// The anchor after the entry's name.
    pub suffix: String,
}

impl AnchorPage {
    /// The folder whose entries the page shows, with a trailing `/` (empty
    /// for the root).
    pub fn folder(&self) -> &str {
        self.page.rfind('/').map_or("", |at| &self.page[..=at])
    }

    /// The entry name inside `anchor`, if the anchor has this page's shape.
    pub fn name_in<'a>(&self, anchor: &'a str) -> Option<&'a str> {
        anchor
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(self.suffix.as_str())
            .filter(|name| !name.is_empty())
    }
}

/// How links resolve beyond routes.
#[derive(Clone, Debug, Default)]
pub struct References {
    /// What `[[x]]` names.
    pub wiki: WikiMode,
    /// What relative links are relative to.
    pub relative: RelativeMode,
    /// Rules of every `redirects` file, in order.
    pub redirects: Vec<Redirect>,
    /// Folders served at the site root, relative to the root.
    pub static_dirs: Vec<String>,
    /// A name not found in the linking file's namespace is looked up here.
    pub fallback_namespace: Option<Arc<str>>,
    /// Pages that show their folder's entries under generated anchors.
    pub anchor_pages: Vec<AnchorPage>,
    /// Where the configuration names an entry's id (a pattern's `id` group,
    /// an anchor's `{id}`): each is an error when `[entries] id_field` is
    /// not set, whichever table comes first in the file.
    pub id_uses: Vec<Range<usize>>,
}

impl References {
    /// The errors of naming ids with no `id_field` to read them from.
    pub(super) fn check_ids(
        &self,
        parse: &ParseOptions,
        source: &Source,
        errors: &mut Vec<ConfigError>,
    ) {
        if parse.id_field.is_some() {
            return;
        }
        for span in &self.id_uses {
            let mut error = source.error(
                span.clone(),
                "this names an entry's id, but no `[entries] id_field` says where ids are",
            );
            error.help =
                Some("add `id_field = \"id\"` (the front matter key) to `[entries]`".into());
            errors.push(error);
        }
    }
}

const ANCHOR_KEYS: [&str; 2] = ["page", "anchor"];

pub(super) const REFERENCES_KEYS: [&str; 9] = [
    "anchors",
    "routes",
    "wiki",
    "relative",
    "redirects",
    "static",
    "fallback_namespace",
    "patterns",
    "fields",
];
const ENTRIES_KEYS: [&str; 5] = [
    "term_field",
    "alias_fields",
    "id_field",
    "term_from",
    "keys",
];
const TERM_SOURCES: [&str; 3] = ["field", "h1", "file-name"];
const PATTERN_KEYS: [&str; 2] = ["name", "regex"];
/// The groups that name a link's target, in the order they are read.
const TARGET_GROUPS: [&str; 4] = ["term", "id", "stem", "path"];
const PATTERN_GROUPS: [&str; 5] = ["term", "id", "stem", "path", "anchor"];

/// Reads `[entries]` into `parse`.
pub(super) fn read_entries(
    node: &Node,
    source: &Source,
    parse: &mut ParseOptions,
    errors: &mut Vec<ConfigError>,
) {
    for (key, value) in table(node, source, errors) {
        match key.name.as_str() {
            "term_field" => {
                if let Some(field) = expect_string(value, source, errors) {
                    parse.term_field = field;
                }
            }
            "id_field" => parse.id_field = expect_string(value, source, errors),
            "alias_fields" => {
                parse.alias_fields = expect_list_of_strings(value, source, errors)
                    .into_iter()
                    .map(|(field, _)| field)
                    .collect();
            }
            "term_from" => {
                let mut sources = Vec::new();
                for (name, span) in expect_list_of_strings(value, source, errors) {
                    match name.as_str() {
                        "field" => sources.push(TermSource::Field),
                        "h1" => sources.push(TermSource::H1),
                        "file-name" => sources.push(TermSource::FileName),
                        _ => errors.push(source.choice_error(
                            &Node {
                                span,
                                value: Value::Str(name.clone()),
                            },
                            &name,
                            &TERM_SOURCES,
                        )),
                    }
                }
                parse.term_from = sources;
            }
            "keys" => match expect_string(value, source, errors).as_deref() {
                Some("exact") => parse.any_case_keys = false,
                Some("any-case") => parse.any_case_keys = true,
                Some(other) => {
                    errors.push(source.choice_error(value, other, &["exact", "any-case"]))
                }
                None => {}
            },
            _ => errors.push(unknown_key(source, key, &ENTRIES_KEYS)),
        }
    }
}

/// Reads the `[references]` keys other than `routes`; files named by
/// `redirects` are read from `root` (a missing one is an error at its span).
pub(super) fn read_reference_key(
    name: &str,
    value: &Node,
    source: &Source,
    root: &Path,
    references: &mut References,
    parse: &mut ParseOptions,
    errors: &mut Vec<ConfigError>,
) {
    match name {
        "wiki" => match expect_string(value, source, errors).as_deref() {
            Some("term") => references.wiki = WikiMode::Term,
            Some("file") => {
                references.wiki = WikiMode::File;
                parse.percent_comments = true;
            }
            Some(other) => errors.push(source.choice_error(value, other, &["term", "file"])),
            None => {}
        },
        "relative" => match expect_string(value, source, errors).as_deref() {
            Some("file") => references.relative = RelativeMode::File,
            Some("page") => references.relative = RelativeMode::Page,
            Some(other) => errors.push(source.choice_error(value, other, &["file", "page"])),
            None => {}
        },
        "redirects" => {
            for (file, span) in expect_list_of_strings(value, source, errors) {
                match std::fs::read_to_string(root.join(&file)) {
                    Ok(text) => references.redirects.extend(parse_redirects(&text)),
                    Err(error) => {
                        errors.push(source.error(span, format!("cannot read `{file}`: {error}")))
                    }
                }
            }
        }
        "static" => {
            references.static_dirs = expect_list_of_strings(value, source, errors)
                .into_iter()
                .map(|(dir, _)| dir.trim_matches('/').to_string())
                .collect();
        }
        "fallback_namespace" => {
            references.fallback_namespace = expect_string(value, source, errors).map(Arc::from);
        }
        "patterns" => {
            for block in tables(value, source, "references.patterns", errors) {
                if let Some((pattern, span)) = read_pattern(block, source, errors) {
                    if pattern.regex.capture_names().flatten().any(|g| g == "id") {
                        references.id_uses.push(span);
                    }
                    parse.patterns.push(pattern);
                }
            }
        }
        "anchors" => {
            for block in tables(value, source, "references.anchors", errors) {
                for block in expand_lang(block, "page", root, source, errors) {
                    if let Some((page, span)) = read_anchor_page(&block, source, errors) {
                        if page.name == AnchorName::Id {
                            references.id_uses.push(span);
                        }
                        references.anchor_pages.push(page);
                    }
                }
            }
        }
        "fields" => {
            for block in tables(value, source, "references.fields", errors) {
                for (key, field) in table(block, source, errors) {
                    if key.name != "field" {
                        errors.push(unknown_key(source, key, &["field"]));
                    } else if let Some(field) = expect_string(field, source, errors) {
                        parse.link_fields.push(field);
                    }
                }
            }
        }
        _ => {}
    }
}

fn tables<'n>(
    node: &'n Node,
    source: &Source,
    name: &str,
    errors: &mut Vec<ConfigError>,
) -> &'n [Node] {
    match &node.value {
        Value::List(items) => items,
        _ => {
            errors.push(source.error(
                node.span.clone(),
                format!("`{name}` must be written as `[[{name}]]` tables"),
            ));
            &[]
        }
    }
}

/// An anchors block, and where its `anchor` is written.
fn read_anchor_page(
    block: &Node,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Option<(AnchorPage, Range<usize>)> {
    let mut page = None;
    let mut shape = None;
    let mut anchor_written = false;
    for (key, value) in table(block, source, errors) {
        match key.name.as_str() {
            "page" => {
                page = expect_string(value, source, errors)
                    .map(|page| page.trim_start_matches("./").trim_matches('/').to_string())
            }
            "anchor" => {
                anchor_written = true;
                let Some(text) = expect_string(value, source, errors) else {
                    continue;
                };
                let found = [("{id}", AnchorName::Id), ("{stem}", AnchorName::Stem)]
                    .into_iter()
                    .find_map(|(placeholder, name)| {
                        let (prefix, suffix) = text.split_once(placeholder)?;
                        Some((prefix.to_string(), name, suffix.to_string()))
                    });
                match found {
                    Some(found) => shape = Some((found, value.span.clone())),
                    None => errors.push(source.error(
                        value.span.clone(),
                        "the anchor names the entry nowhere: write `{id}` or `{stem}` in it, as `term-{id}`",
                    )),
                }
            }
            _ => errors.push(unknown_key(source, key, &ANCHOR_KEYS)),
        }
    }
    let page_missing = page.is_none();
    match (page, shape) {
        (Some(page), Some(((prefix, name, suffix), span))) => Some((
            AnchorPage {
                page,
                prefix,
                name,
                suffix,
            },
            span,
        )),
        _ => {
            if page_missing || !anchor_written {
                errors.push(source.error(
                    block.span.clone(),
                    "an anchors block needs `page` and `anchor`",
                ));
            }
            None
        }
    }
}

/// A pattern, and where its regex is written.
fn read_pattern(
    block: &Node,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Option<(LinkPattern, Range<usize>)> {
    let mut name = None;
    let mut regex = None;
    for (key, value) in table(block, source, errors) {
        match key.name.as_str() {
            "name" => name = expect_string(value, source, errors),
            "regex" => {
                let text = expect_string(value, source, errors)?;
                match regex::Regex::new(&text) {
                    Ok(compiled) => regex = Some((compiled, value.span.clone())),
                    Err(error) => errors
                        .push(source.error(value.span.clone(), format!("invalid regex: {error}"))),
                }
            }
            _ => errors.push(unknown_key(source, key, &PATTERN_KEYS)),
        }
    }
    let (Some(name), Some((regex, span))) = (name, regex) else {
        errors.push(source.error(block.span.clone(), "a pattern needs `name` and `regex`"));
        return None;
    };
    if !regex
        .capture_names()
        .flatten()
        .any(|group| TARGET_GROUPS.contains(&group))
    {
        let mut error = source.error(
            span,
            "the regex names no group `term`, `id`, `stem` or `path`, so it never finds a link",
        );
        error.help = Some(format!(
            "name the part that points at the entry, as `(?P<stem>[^\"]+)`; groups: {}",
            PATTERN_GROUPS.join(", ")
        ));
        errors.push(error);
        return None;
    }
    Some((LinkPattern { name, regex }, span))
}

/// The `{lang}` copies of a table: when `key` (a string or list of strings)
/// holds `{lang}` after a literal folder (`content/{lang}/**`), one copy per
/// folder found there under `root`, every `{lang}` in its strings replaced
/// by the folder's name; otherwise the table itself.
pub(super) fn expand_lang(
    block: &Node,
    key: &str,
    root: &Path,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Vec<Node> {
    let Some((_, value)) = block.get(key) else {
        return vec![block.clone()];
    };
    let written: Vec<(String, Range<usize>)> = match &value.value {
        Value::Str(text) => vec![(text.clone(), value.span.clone())],
        Value::List(items) => items
            .iter()
            .filter_map(|item| match &item.value {
                Value::Str(text) => Some((text.clone(), item.span.clone())),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let Some((pattern, span)) = written.iter().find(|(text, _)| text.contains("{lang}")) else {
        return vec![block.clone()];
    };
    let parent = &pattern[..pattern.find("{lang}").unwrap_or(0)];
    if !(parent.is_empty() || parent.ends_with('/')) || parent.contains(['*', '?', '[', '{']) {
        errors.push(source.error(
            span.clone(),
            "`{lang}` must be a whole folder name after literal folders, as `content/{lang}/**`",
        ));
        return Vec::new();
    }
    let mut languages: Vec<String> = std::fs::read_dir(root.join(parent))
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|item| item.file_type().is_ok_and(|kind| kind.is_dir()))
                .filter_map(|item| item.file_name().into_string().ok())
                .filter(|name| !name.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    languages.sort();
    languages
        .iter()
        .map(|language| replace_lang(block, language))
        .collect()
}

fn replace_lang(node: &Node, language: &str) -> Node {
    let value = match &node.value {
        Value::Str(text) => Value::Str(text.replace("{lang}", language)),
        Value::List(items) => Value::List(
            items
                .iter()
                .map(|item| replace_lang(item, language))
                .collect(),
        ),
        Value::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(key, value)| (key.clone(), replace_lang(value, language)))
                .collect(),
        ),
        other => other.clone(),
    };
    Node {
        span: node.span.clone(),
        value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_pages_read_the_entry_name_between_prefix_and_suffix() {
        let page = AnchorPage {
            page: "content/en/docs/reference/glossary/index.md".into(),
            prefix: "term-".into(),
            name: AnchorName::Stem,
            suffix: "-def".into(),
        };
        assert_eq!(page.folder(), "content/en/docs/reference/glossary/");
        assert_eq!(page.name_in("term-pod-def"), Some("pod"));
        assert_eq!(page.name_in("term--def"), None);
        assert_eq!(page.name_in("term-pod"), None);
        assert_eq!(page.name_in("pod-def"), None);
        let root = AnchorPage {
            page: "index.md".into(),
            ..page
        };
        assert_eq!(root.folder(), "");
    }

    #[test]
    fn redirects_with_splats_and_placeholders() {
        let rules = parse_redirects(
            "# moved\n/microservices/  /microservice/  301\n/news/:year/:slug /blog/:year/:slug\n/docs/*  /documentation/:splat\nbroken\n",
        );
        assert_eq!(rules.len(), 3);
        assert_eq!(
            rules[0].apply("/microservices").as_deref(),
            Some("/microservice/")
        );
        assert_eq!(
            rules[1].apply("/news/2024/hello/").as_deref(),
            Some("/blog/2024/hello")
        );
        assert_eq!(rules[1].apply("/news/2024/"), None);
        assert_eq!(
            rules[2].apply("/docs/a/b/").as_deref(),
            Some("/documentation/a/b")
        );
        assert_eq!(rules[0].apply("/other/"), None);
    }
}
