//! Parse: text in, [`ParsedFile`] out. Splits dumps into entries, reads front
//! matter, and runs the one pulldown-cmark pass per entry that every rule reads.

pub mod dump;
pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod suppression;
pub mod text;

use std::path::Path;

use crate::load::{FileKind, MAX_FILE_BYTES};
use crate::model::{Entry, ParsedFile, Problem, Spanned};

/// What parsing needs from the configuration.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// The front matter key holding the term (`[entries] term_field`).
    pub term_field: String,
    /// Fields whose string or list values are aliases (`[entries] alias_fields`).
    pub alias_fields: Vec<String>,
    /// Where the term comes from, the first that exists (`[entries] term_from`).
    pub term_from: Vec<TermSource>,
    /// Front matter keys match without case (`[entries] keys = "any-case"`).
    pub any_case_keys: bool,
    /// The front matter key holding the entry's id (`[entries] id_field`),
    /// which a `[[references.patterns]]` `id` group names.
    pub id_field: Option<String>,
    /// Front matter fields whose values are links (`[[references.fields]]`).
    pub link_fields: Vec<String>,
    /// Reference syntaxes given as data (`[[references.patterns]]`).
    pub patterns: Vec<LinkPattern>,
    /// `%% comments %%` are not text, as in Obsidian (`wiki = "file"`).
    pub percent_comments: bool,
}

/// One place an entry's term may come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermSource {
    /// The `term_field` of the front matter.
    Field,
    /// The first level-1 heading of the body.
    H1,
    /// The file's name without its extension, as Obsidian and Foam name a
    /// note (entry files only: a dump's entries are named by their
    /// headers). It is written nowhere in the text, so its span is empty,
    /// at offset 0: findings about it point at the file's first line, and
    /// no edit rewrites it (the language server refuses to rename it).
    FileName,
}

/// A `[[references.patterns]]` entry: text its regex matches is a link.
#[derive(Clone, Debug)]
pub struct LinkPattern {
    /// Its name, for messages.
    pub name: String,
    /// The regex, with named groups `term`, `stem`, `path` and `anchor`.
    pub regex: regex::Regex,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            term_field: "term".into(),
            alias_fields: vec!["aliases".into()],
            term_from: vec![TermSource::Field, TermSource::H1],
            any_case_keys: false,
            id_field: None,
            link_fields: Vec::new(),
            patterns: Vec::new(),
            percent_comments: false,
        }
    }
}

/// Parses one file of either layout; `path` names the file (its name is the
/// term under `term_from = ["file-name"]`; an empty path has none). A file
/// over [`MAX_FILE_BYTES`] is not parsed: it has no entries and one problem
/// (`malformed-entry`) saying why.
pub fn parse_file<'t>(
    text: &'t str,
    kind: FileKind,
    path: &Path,
    options: &ParseOptions,
) -> ParsedFile<'t> {
    let outline = outline(text, kind, path);
    ParsedFile {
        entries: outline.entries(text, options).collect(),
        problems: outline.problems,
    }
}

/// Where a file's entries are, before any is parsed, and the problems
/// outside them. The checker parses the entries one at a time from it and
/// drops each one's events before the next, so a dump of thousands of entries
/// is never held parsed all at once.
#[derive(Debug)]
pub struct Outline {
    /// Problems outside any entry.
    pub problems: Vec<Problem>,
    slots: Vec<Slot>,
    /// The file's name without extension, for `term_from = ["file-name"]`.
    file_name: Option<String>,
}

#[derive(Debug)]
enum Slot {
    /// The whole file is one entry.
    File,
    /// A dump entry: its header line and where it ends.
    Dump(std::ops::Range<usize>, usize),
}

/// The outline of `text` in layout `kind`, read from the file at `path`.
pub fn outline(text: &str, kind: FileKind, path: &Path) -> Outline {
    let file_name = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().trim().to_string())
        .filter(|stem| !stem.is_empty());
    Outline {
        file_name,
        ..outline_text(text, kind)
    }
}

fn outline_text(text: &str, kind: FileKind) -> Outline {
    if text.len() > MAX_FILE_BYTES {
        return Outline {
            problems: vec![Problem {
                span: 0..0,
                message: format!(
                    "the file is larger than the {} MiB limit, so it is not checked",
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
                help: Some(
                    "split it into smaller files (`glosslint import` splits a dump into entry files)"
                        .into(),
                ),
            }],
            slots: Vec::new(),
            file_name: None,
        };
    }
    match kind {
        FileKind::Dump => {
            let (slots, problems) = dump::outline(text);
            Outline {
                problems,
                slots: slots
                    .into_iter()
                    .map(|(header, end)| Slot::Dump(header, end))
                    .collect(),
                file_name: None,
            }
        }
        FileKind::Entry => Outline {
            problems: Vec::new(),
            slots: vec![Slot::File],
            file_name: None,
        },
    }
}

impl Outline {
    /// How many entries the file holds.
    pub fn entry_count(&self) -> usize {
        self.slots.len()
    }

    /// The entries, parsed one by one as the iterator is advanced.
    pub fn entries<'o, 't: 'o>(
        &'o self,
        text: &'t str,
        options: &'o ParseOptions,
    ) -> impl Iterator<Item = Entry<'t>> + 'o {
        self.slots.iter().map(move |slot| match slot {
            Slot::File => parse_named_entry_file(text, self.file_name.as_deref(), options),
            Slot::Dump(header, end) => dump::parse_dump_entry(text, header.clone(), *end),
        })
    }
}

/// Parses a one-entry file: optional BOM, optional front matter, then the body.
pub fn parse_entry_file<'t>(text: &'t str, options: &ParseOptions) -> Entry<'t> {
    parse_named_entry_file(text, None, options)
}

/// [`parse_entry_file`] for the file named `file_name` (without extension),
/// the term under `term_from = ["file-name"]`.
pub fn parse_named_entry_file<'t>(
    text: &'t str,
    file_name: Option<&str>,
    options: &ParseOptions,
) -> Entry<'t> {
    let front = front_matter::split(text);
    let body_span = front.body_start..text.len();
    let mut body = markdown::parse_body(text, body_span.clone());
    let mut fields = match &front.block {
        Some(block) => front_matter::read_fields(text, block, options),
        None => front_matter::Fields::default(),
    };
    // The first source that gives a term; a first heading is not read when
    // the front matter is broken (its recovered `term:` line stands).
    let mut from_field = fields.term.take();
    let mut term = None;
    for source in &options.term_from {
        term = match source {
            TermSource::Field => from_field.take(),
            TermSource::H1 if fields.problems.is_empty() => {
                markdown::first_level_one_heading(&body)
            }
            TermSource::H1 => None,
            TermSource::FileName => file_name.map(|name| Spanned::new(name.to_string(), 0..0)),
        };
        if term.is_some() {
            break;
        }
    }
    fields.term = term;
    if let Some(problem) = front.problem {
        fields.problems.insert(0, problem);
    }
    links::add_field_links(&mut body, &fields.link_values);
    links::add_pattern_links(text, &mut body, &options.patterns);
    if options.percent_comments {
        links::drop_commented_links(text, &mut body);
    }
    Entry {
        span: 0..text.len(),
        header: front.block.map(|block| block.span).unwrap_or(0..0),
        term: fields.term,
        aliases: fields.aliases,
        tags: fields.tags,
        see_also: fields.see_also,
        template: fields.template,
        id: fields.id,
        routes: fields.routes,
        problems: fields.problems,
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_comes_from_the_first_h1_without_front_matter() {
        let text = "Intro\n\n# Big Term\n\nBody\n\n# Other\n";
        let entry = parse_entry_file(text, &ParseOptions::default());
        let term = entry.term.unwrap();
        assert_eq!(term.value, "Big Term");
        assert_eq!(&text[term.span], "Big Term");
    }

    #[test]
    fn bom_and_crlf_front_matter() {
        let text = "\u{feff}---\r\nterm: Acid\r\naliases: [base]\r\n---\r\n**Acid** is sour.\r\n";
        let entry = parse_entry_file(text, &ParseOptions::default());
        assert!(entry.problems.is_empty(), "{:?}", entry.problems);
        let term = entry.term.unwrap();
        assert_eq!(&text[term.span], "Acid");
        assert_eq!(&text[entry.aliases[0].span.clone()], "base");
        assert_eq!(entry.body.lead.unwrap().value, "Acid");
    }

    #[test]
    fn toml_front_matter_with_custom_term_field() {
        let text = "+++\ntitle = \"Servicio\"\ntags = [\"x\"]\n+++\nCuerpo\n";
        let options = ParseOptions {
            term_field: "title".into(),
            ..ParseOptions::default()
        };
        let entry = parse_entry_file(text, &options);
        assert_eq!(entry.term.unwrap().value, "Servicio");
        assert_eq!(entry.tags[0].value, "x");
    }
}
