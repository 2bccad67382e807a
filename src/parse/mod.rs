//! Parse: text in, [`ParsedFile`] out. Splits dumps into entries, reads front
//! matter, and runs the one pulldown-cmark pass per entry that every rule reads.

pub mod dump;
pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod suppression;
pub mod text;

use crate::load::{FileKind, MAX_FILE_BYTES};
use crate::model::{Entry, ParsedFile, Problem};

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
            link_fields: Vec::new(),
            patterns: Vec::new(),
            percent_comments: false,
        }
    }
}

/// Parses one file of either layout. A file over [`MAX_FILE_BYTES`] is not
/// parsed: it has no entries and one problem (`malformed-entry`) saying why.
pub fn parse_file<'t>(text: &'t str, kind: FileKind, options: &ParseOptions) -> ParsedFile<'t> {
    let outline = outline(text, kind);
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
}

#[derive(Debug)]
enum Slot {
    /// The whole file is one entry.
    File,
    /// A dump entry: its header line and where it ends.
    Dump(std::ops::Range<usize>, usize),
}

/// The outline of `text` in layout `kind`.
pub fn outline(text: &str, kind: FileKind) -> Outline {
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
            }
        }
        FileKind::Entry => Outline {
            problems: Vec::new(),
            slots: vec![Slot::File],
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
            Slot::File => parse_entry_file(text, options),
            Slot::Dump(header, end) => dump::parse_dump_entry(text, header.clone(), *end),
        })
    }
}

/// Parses a one-entry file: optional BOM, optional front matter, then the body.
pub fn parse_entry_file<'t>(text: &'t str, options: &ParseOptions) -> Entry<'t> {
    let front = front_matter::split(text);
    let body_span = front.body_start..text.len();
    let mut body = markdown::parse_body(text, body_span.clone());
    let mut fields = match &front.block {
        Some(block) => front_matter::read_fields(text, block, options),
        None => front_matter::Fields::default(),
    };
    let term_from_h1 = options.term_from.iter().position(|s| *s == TermSource::H1);
    let term_from_field = options
        .term_from
        .iter()
        .position(|s| *s == TermSource::Field);
    let h1_first = match (term_from_h1, term_from_field) {
        (Some(h1), Some(field)) => h1 < field,
        (Some(_), None) => true,
        (None, _) => false,
    };
    if term_from_field.is_none() {
        fields.term = None;
    }
    if term_from_h1.is_some() && (h1_first || fields.term.is_none()) && fields.problems.is_empty() {
        if let Some(heading) = markdown::first_level_one_heading(&body) {
            fields.term = Some(heading);
        }
    }
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
