//! The entry model: what parsing produces and every rule reads.
//!
//! Every `Range<usize>` here is a byte range into the original file, never into
//! an entry's body: a dump's 40th entry has spans deep inside the dump.

use std::ops::Range;

use pulldown_cmark::Event;

/// A value and the byte range it was written at.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Range<usize>,
}

impl<T> Spanned<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }
}

/// Something the parser could not make sense of; `malformed-entry` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where.
    pub span: Range<usize>,
    /// What is wrong, without any position in it.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// One file, parsed.
#[derive(Debug)]
pub struct ParsedFile<'t> {
    /// The entries in file order.
    pub entries: Vec<Entry<'t>>,
    /// Problems outside any entry (dump text before the first header).
    pub problems: Vec<Problem>,
}

/// One glossary entry.
#[derive(Debug)]
pub struct Entry<'t> {
    /// The whole entry: header or front matter, then body.
    pub span: Range<usize>,
    /// The dump header line or the front matter block (empty when there is none).
    pub header: Range<usize>,
    /// The headword.
    pub term: Option<Spanned<String>>,
    /// Other names the entry answers to.
    pub aliases: Vec<Spanned<String>>,
    /// Categories and keywords.
    pub tags: Vec<Spanned<String>>,
    /// Terms this entry points to.
    pub see_also: Vec<Spanned<String>>,
    /// The template named in front matter.
    pub template: Option<Spanned<String>>,
    /// The entry's id (`[entries] id_field`), for references by id.
    pub id: Option<Spanned<String>>,
    /// Site paths the page is also served at: Hugo `aliases:` values that
    /// start with `/` (a redirect page is built at each).
    pub routes: Vec<Spanned<String>>,
    /// Front matter that did not parse, or fields of the wrong type.
    pub problems: Vec<Problem>,
    /// The Markdown body.
    pub body: Body<'t>,
}

impl Entry<'_> {
    /// The span a whole-entry finding points at: the term, else the header,
    /// else the first line of the body.
    pub fn anchor(&self, text: &str) -> Range<usize> {
        if let Some(term) = &self.term {
            return term.span.clone();
        }
        if !self.header.is_empty() {
            let header = &text[self.header.clone()];
            let first_line = header.find(['\r', '\n']).unwrap_or(header.len());
            return self.header.start..self.header.start + first_line;
        }
        let body = &text[self.body.span.clone()];
        let first_line = body.find(['\r', '\n']).unwrap_or(body.len());
        self.body.span.start..self.body.span.start + first_line
    }

    /// The term followed by the aliases: every name the entry answers to.
    pub fn names(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.term.iter().chain(self.aliases.iter())
    }
}

/// The Markdown body of an entry, parsed once by pulldown-cmark. Lines,
/// blocks, prose, words and bold spans are read off it by the accessors of
/// [`crate::parse::text`], computed on first use.
#[derive(Debug, Default)]
pub struct Body<'t> {
    /// The whole file's text (spans index it).
    pub source: &'t str,
    /// Byte range of the body.
    pub span: Range<usize>,
    /// pulldown-cmark's events with ranges shifted to file offsets.
    pub events: Vec<(Event<'t>, Range<usize>)>,
    /// Real and pseudo headings in document order.
    pub headings: Vec<Heading>,
    /// List items, with their leading bold label when they have one.
    pub list_items: Vec<ListItem>,
    /// Fenced and indented code blocks.
    pub code_blocks: Vec<CodeBlock>,
    /// The bold span the body opens with (`**Acid Gas Scrubbing** is ...`).
    pub lead: Option<Spanned<String>>,
    /// `<!-- glosslint-... -->` comments.
    pub suppressions: Vec<Suppression>,
    /// Links to other entries (external URLs are left out).
    pub links: Vec<Link>,
    /// The text model's facts, computed on first use.
    pub(crate) facts: crate::parse::text::TextFacts,
}

/// How a reference names its target (SPEC 2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LinkKind {
    /// `[[term]]`, `[[term|label]]`, `[[term#Heading]]`, and `see_also` items.
    Wiki,
    /// `[label](other.md#anchor)`, relative to the linking file, or a site path
    /// such as `/es/service/` resolved through `[[references.routes]]`.
    Path,
    /// An entry's file name without extension, without case, as a
    /// `[[references.patterns]]` `stem` group names it (Hugo's
    /// `glossary_tooltip term_id="pod"` finds `pod.md`).
    Stem,
    /// An entry's id (`[entries] id_field`), folded like a term, as a
    /// `[[references.patterns]]` `id` group names it.
    Id,
}

/// A reference to another entry or to a heading.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Link {
    /// Wiki link or path.
    pub kind: LinkKind,
    /// The term or path, without the `#anchor` (empty for `#anchor` alone).
    pub target: String,
    /// The part after `#`, if any.
    pub anchor: Option<String>,
    /// The whole link as written.
    pub span: Range<usize>,
    /// Written as a front matter value (`[[references.fields]]`, `see_also`),
    /// where no site generator expands templates.
    pub in_front_matter: bool,
}

/// How a heading was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadingKind {
    /// `## Heading`
    Atx,
    /// `Heading` underlined with `===` or `---`.
    Setext,
    /// A line that is one bold span: `**What Is Acid Gas Scrubbing?**`.
    Pseudo,
}

/// A heading and the section it opens (SPEC 2.3).
#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    /// How it was written.
    pub kind: HeadingKind,
    /// 1 to 6 for real headings, [`PSEUDO_RANK`] for pseudo-headings.
    pub rank: u8,
    /// The heading's text, markup removed.
    pub text: String,
    /// The heading line (both lines for Setext).
    pub span: Range<usize>,
    /// From the heading to the next heading of the same or a higher rank.
    pub section: Range<usize>,
    /// Index of the enclosing heading, if any.
    pub parent: Option<usize>,
}

/// Pseudo-headings rank below every real heading.
pub const PSEUDO_RANK: u8 = 7;

/// A list item.
#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    /// The item's range.
    pub span: Range<usize>,
    /// The bold label it opens with (`- **Calibration**: ...`), colon dropped.
    pub label: Option<Spanned<String>>,
}

/// A code block.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeBlock {
    /// The block's range, fences included.
    pub span: Range<usize>,
    /// Fenced (```` ``` ```` or `~~~`) rather than indented.
    pub fenced: bool,
    /// The info string after the opening fence.
    pub info: String,
    /// Whether a closing fence was found (indented blocks are always closed).
    pub closed: bool,
}

/// What a suppression comment asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SuppressionKind {
    /// `glosslint-disable` up to the matching `glosslint-enable`.
    Region,
    /// `glosslint-disable-next-line`.
    NextLine,
    /// `glosslint-disable-file`.
    File,
}

/// A suppression comment and the bytes it covers.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Suppression {
    /// Which directive.
    pub kind: SuppressionKind,
    /// The comment itself.
    pub span: Range<usize>,
    /// The rule ids named; empty means every rule.
    pub rules: Vec<Spanned<String>>,
    /// The bytes whose findings it hides (the whole file for `disable-file`).
    pub scope: Range<usize>,
}
