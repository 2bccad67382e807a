//! The text model of an entry body: the one place a rule gets lines, blocks,
//! the ranges that are not prose, prose runs, words and bold spans.
//!
//! Every fact is read off the one pulldown-cmark parse ([`Body::events`]) and
//! computed on first use ([`std::cell::OnceCell`]), so a run with few rules
//! pays for few facts. Every range is a byte range into the file.
//!
//! - **Lines**: where each line of the body starts; a line's range excludes
//!   its line ending.
//! - **Blocks**: every block pulldown-cmark opened, outermost first, with its
//!   depth of block quotes. A block that pulldown-cmark starts at the line
//!   ending before its first line (a list nested with a tab) is moved to that
//!   line, so "does this block start on this line" has one answer.
//! - **Code** (code blocks) and **non-prose** (code blocks, inline code, math,
//!   HTML, autolinks).
//! - **Prose runs**: maximal runs of text written as it renders (no escapes or
//!   entities inside), line breaks included, outside everything non-prose.
//! - **Words**: Unicode words (UAX #29) of the prose runs: a virama or a
//!   combining accent never ends a word.
//! - **Bold spans**: the `**...**` spans.

use std::cell::OnceCell;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

use crate::model::Body;

/// The lazily computed facts of a [`Body`].
#[derive(Debug, Default)]
pub struct TextFacts {
    line_starts: OnceCell<Vec<usize>>,
    line_quote_depths: OnceCell<Vec<usize>>,
    blocks: OnceCell<Vec<Block>>,
    code: OnceCell<Ranges>,
    non_prose: OnceCell<Ranges>,
    prose_runs: OnceCell<Vec<ProseRun>>,
    words: OnceCell<Vec<Word>>,
    bold: OnceCell<Vec<Range<usize>>>,
    length: OnceCell<usize>,
    /// Hugo shortcodes opened in the text runs (set with `prose_runs`).
    opening_shortcodes: OnceCell<usize>,
}

/// Which kind of block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// An ATX or Setext heading.
    Heading,
    /// `> ...`
    Quote,
    /// Fenced or indented code.
    Code,
    /// An HTML block.
    Html,
    /// A list.
    List,
    /// One list item.
    Item,
    /// `[^note]: ...`
    Footnote,
    /// A pipe table.
    Table,
    /// A table's header row or body row.
    Row,
    /// A table cell.
    Cell,
    /// Definition lists and metadata blocks.
    Other,
}

/// A block and where it lies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Which kind.
    pub kind: BlockKind,
    /// Its bytes; it starts on its first line (see the module docs).
    pub range: Range<usize>,
    /// How many block quotes hold it (a quote counts itself).
    pub quote_depth: usize,
}

/// A run of prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProseRun {
    /// Its bytes.
    pub span: Range<usize>,
    /// Inside a link's text (or a wiki link's label) or an image's alt text.
    pub in_link: bool,
    /// Inside a heading.
    pub in_heading: bool,
}

/// A Unicode word of prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Its bytes.
    pub span: Range<usize>,
    /// Which prose run it is in (an index into [`Body::prose_runs`]).
    pub run: usize,
}

/// Sorted, merged byte ranges, for asking whether an offset lies in any.
#[derive(Debug, Default)]
pub struct Ranges(Vec<Range<usize>>);

impl Ranges {
    /// Builds the set from any ranges.
    pub fn new(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.retain(|range| range.start < range.end);
        ranges.sort_by_key(|range| (range.start, range.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for range in ranges {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        Self(merged)
    }

    /// Whether `offset` lies in one of the ranges.
    pub fn contains(&self, offset: usize) -> bool {
        let index = self.0.partition_point(|range| range.end <= offset);
        self.0
            .get(index)
            .is_some_and(|range| range.start <= offset && offset < range.end)
    }

    /// Whether any byte of `span` lies in one of the ranges.
    pub fn overlaps(&self, span: &Range<usize>) -> bool {
        let index = self.0.partition_point(|range| range.end <= span.start);
        self.0
            .get(index)
            .is_some_and(|range| range.start < span.end)
    }
}

impl Body<'_> {
    /// The file offset of each line start of the body, the first being the
    /// body's start.
    pub fn line_starts(&self) -> &[usize] {
        self.facts.line_starts.get_or_init(|| {
            let source = self.source.get(self.span.clone()).unwrap_or("");
            std::iter::once(self.span.start)
                .chain(
                    memchr::memchr_iter(b'\n', source.as_bytes())
                        .map(|newline| self.span.start + newline + 1)
                        .filter(|&start| start < self.span.end),
                )
                .collect()
        })
    }

    /// The body's lines, each without its line ending.
    pub fn lines(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        (0..self.line_starts().len()).map(|index| self.line(index))
    }

    /// Line `index` of the body, without its line ending.
    fn line(&self, index: usize) -> Range<usize> {
        let starts = self.line_starts();
        let start = starts[index];
        let end = starts.get(index + 1).copied().unwrap_or(self.span.end);
        let line = self.source.get(start..end).unwrap_or("");
        start..start + line.trim_end_matches(['\n', '\r']).len()
    }

    /// The lines of `span` (inside the body), each without its line ending.
    pub fn lines_in(&self, span: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
        let starts = self.line_starts();
        let first = starts.partition_point(|&start| start <= span.start).max(1) - 1;
        let clip = span.clone();
        (first..starts.len())
            .map(|index| self.line(index))
            .take_while(move |line| line.start < clip.end || line.start == clip.start)
            .map(move |line| line.start.max(span.start)..line.end.min(span.end))
    }

    /// The first line of `span` (inside the body), without its line ending.
    pub fn first_line(&self, span: Range<usize>) -> Range<usize> {
        let start = span.start;
        self.lines_in(span).next().unwrap_or(start..start)
    }

    /// Every block, in document order (a container before what it holds).
    pub fn blocks(&self) -> &[Block] {
        self.facts.blocks.get_or_init(|| {
            let mut blocks = Vec::new();
            let mut quote_depth = 0usize;
            for (event, range) in &self.events {
                match event {
                    Event::Start(tag) => {
                        let Some(kind) = block_kind(tag) else {
                            continue;
                        };
                        if kind == BlockKind::Quote {
                            quote_depth += 1;
                        }
                        blocks.push(Block {
                            kind,
                            range: self.on_its_line(range.clone()),
                            quote_depth,
                        });
                    }
                    Event::End(TagEnd::BlockQuote(_)) => {
                        quote_depth = quote_depth.saturating_sub(1)
                    }
                    _ => {}
                }
            }
            blocks
        })
    }

    /// How many block quotes hold the line that `offset` is on (judged at the
    /// line's last byte, which every quote holding the line holds).
    pub fn quote_depth_at(&self, offset: usize) -> usize {
        let depths = self.facts.line_quote_depths.get_or_init(|| {
            let quotes = self
                .blocks()
                .iter()
                .filter(|block| block.kind == BlockKind::Quote);
            let mut quotes = quotes.peekable();
            // Quotes nest: the open ones form a stack, innermost on top.
            let mut open: Vec<&Block> = Vec::new();
            self.lines()
                .map(|line| {
                    let probe = line.end.saturating_sub(1).max(line.start);
                    while let Some(quote) = quotes.next_if(|quote| quote.range.start <= probe) {
                        open.push(quote);
                    }
                    open.retain(|quote| probe < quote.range.end);
                    open.len()
                })
                .collect()
        });
        let line = self.line_starts().partition_point(|&start| start <= offset);
        depths.get(line.saturating_sub(1)).copied().unwrap_or(0)
    }

    /// The part of `line` after the markers of the `depth` block quotes that
    /// hold it (`> > text` at depth 2 is `text`).
    pub fn after_quote_markers(&self, line: Range<usize>, depth: usize) -> Range<usize> {
        let text = self.source.get(line.clone()).unwrap_or("");
        let mut offset = 0;
        for _ in 0..depth {
            let rest = &text[offset..];
            let indent = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            if !rest[indent..].starts_with('>') {
                break;
            }
            offset += indent + 1;
            if text[offset..].starts_with(' ') {
                offset += 1;
            }
        }
        line.start + offset..line.end
    }

    /// Fenced and indented code blocks.
    pub fn code(&self) -> &Ranges {
        self.facts.code.get_or_init(|| {
            Ranges::new(
                self.code_blocks
                    .iter()
                    .map(|block| block.span.clone())
                    .collect(),
            )
        })
    }

    /// Everything that is not prose: code blocks, inline code, math, HTML and
    /// autolinks.
    pub fn non_prose(&self) -> &Ranges {
        self.facts.non_prose.get_or_init(|| {
            let mut ranges: Vec<Range<usize>> = self
                .code_blocks
                .iter()
                .map(|block| block.span.clone())
                .collect();
            for (event, range) in &self.events {
                let hidden = match event {
                    Event::Code(_)
                    | Event::InlineMath(_)
                    | Event::DisplayMath(_)
                    | Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::Start(Tag::HtmlBlock) => true,
                    Event::Start(Tag::Link { link_type, .. }) => {
                        matches!(link_type, LinkType::Autolink | LinkType::Email)
                    }
                    _ => false,
                };
                if hidden {
                    ranges.push(range.clone());
                }
            }
            Ranges::new(ranges)
        })
    }

    /// Inline code, math and inline HTML, in document order.
    pub fn inline_non_prose(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.events
            .iter()
            .filter(|(event, _)| {
                matches!(
                    event,
                    Event::Code(_)
                        | Event::InlineMath(_)
                        | Event::DisplayMath(_)
                        | Event::InlineHtml(_)
                )
            })
            .map(|(_, range)| range.clone())
    }

    /// Every formula, delimiters included, in document order, and whether it
    /// is display math (`$$`).
    pub fn math(&self) -> impl Iterator<Item = (Range<usize>, bool)> + '_ {
        self.events.iter().filter_map(|(event, range)| match event {
            Event::InlineMath(_) => Some((range.clone(), false)),
            Event::DisplayMath(_) => Some((range.clone(), true)),
            _ => None,
        })
    }

    /// Where the line holding `offset` starts (the body's start before it).
    pub fn line_start_of(&self, offset: usize) -> usize {
        let starts = self.line_starts();
        let after = starts.partition_point(|&start| start <= offset);
        starts[after.max(1) - 1]
    }

    /// Where each thematic break (`---`, `***`) starts, in document order.
    pub fn thematic_breaks(&self) -> impl Iterator<Item = usize> + '_ {
        self.events
            .iter()
            .filter(|(event, _)| matches!(event, Event::Rule))
            .map(|(_, range)| range.start)
    }

    /// The prose runs, in document order.
    pub fn prose_runs(&self) -> &[ProseRun] {
        self.facts.prose_runs.get_or_init(|| {
            let (runs, shortcodes) = prose_runs(self.source, &self.events);
            let _ = self.facts.opening_shortcodes.set(shortcodes);
            runs
        })
    }

    /// The Unicode words of the prose, in document order.
    pub fn words(&self) -> &[Word] {
        self.facts.words.get_or_init(|| {
            let mut words = Vec::new();
            let mut spans = Vec::new();
            for (index, run) in self.prose_runs().iter().enumerate() {
                let text = self.source.get(run.span.clone()).unwrap_or("");
                spans.clear();
                push_word_spans(text, run.span.start, &mut spans);
                words.extend(spans.drain(..).map(|span| Word { span, run: index }));
            }
            words
        })
    }

    /// The bold (`**strong**`) spans, in document order.
    pub fn bold_spans(&self) -> &[Range<usize>] {
        self.facts.bold.get_or_init(|| {
            self.events
                .iter()
                .filter(|(event, _)| matches!(event, Event::Start(Tag::Strong)))
                .map(|(_, range)| range.clone())
                .collect()
        })
    }

    /// The length of the body in words, in every script: Unicode words of the
    /// prose, inline code and math (not code blocks or HTML; a Hugo shortcode is
    /// one word), each Han,
    /// kana, Thai, Lao, Khmer or Myanmar character counting as one word, as
    /// word processors count them (those scripts do not separate words with
    /// spaces), each Hangul syllable as 0.4 of a word ([`word_weight`]).
    pub fn length(&self) -> usize {
        *self.facts.length.get_or_init(|| {
            // The prose's words are the ones `words` segments (one UAX #29
            // pass per entry, shared); a shortcode renders as something (a
            // tooltip's text): one word.
            // Rounded per prose run, as `text_length` rounds each piece.
            let mut prose = 0;
            let mut run = usize::MAX;
            let mut tenths = 0;
            for word in self.words() {
                if word.run != run {
                    prose += rounded_tenths(tenths);
                    (run, tenths) = (word.run, 0);
                }
                let text = self.source.get(word.span.clone()).unwrap_or("");
                // An ASCII word is one word: no need to look at its scripts.
                tenths += if text.is_ascii() {
                    10
                } else {
                    word_weight(text)
                };
            }
            let prose = prose
                + rounded_tenths(tenths)
                + self.facts.opening_shortcodes.get().copied().unwrap_or(0);
            let code_and_math: usize = self
                .events
                .iter()
                .map(|(event, _)| match event {
                    Event::Code(chunk) | Event::InlineMath(chunk) | Event::DisplayMath(chunk) => {
                        text_length(chunk)
                    }
                    _ => 0,
                })
                .sum();
            prose + code_and_math
        })
    }

    /// `range` moved past the line ending it starts with: pulldown-cmark
    /// starts a list nested with a tab at the newline before it.
    fn on_its_line(&self, range: Range<usize>) -> Range<usize> {
        let text = self.source.get(range.clone()).unwrap_or("");
        let skip = if text.starts_with("\r\n") {
            2
        } else {
            usize::from(text.starts_with('\n'))
        };
        (range.start + skip).min(range.end)..range.end
    }
}

/// The words of `text` (UAX #29 segments holding a letter or digit), as
/// ranges into it.
pub fn word_spans(text: &str) -> impl Iterator<Item = Range<usize>> {
    let mut spans = Vec::new();
    push_word_spans(text, 0, &mut spans);
    spans.into_iter()
}

/// The words of `text` (UAX #29 segments holding a letter or digit), moved
/// by `base`, appended to `out`: [`uax29_word_spans`]'s answer, with the
/// ASCII stretches of `text` split by [`ascii_word_spans`] instead of the
/// Unicode tables.
///
/// `text` is cut where an ASCII space is followed by an ASCII character
/// other than a space. UAX #29 always breaks there (no rule keeps a space
/// before anything but a space or an extending mark, WB3d and WB4), and no
/// rule's context crosses the cut: the rules that look behind (WB7, WB7c,
/// WB11, WB15, WB16) need the character before it to be a letter, digit,
/// separator or regional indicator, those that look ahead (WB6, WB7b, WB12)
/// need the character after a separator to be a letter or digit, and the
/// space is none of those. Each stretch of pieces is then segmented alone.
pub fn push_word_spans(text: &str, base: usize, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        ascii_word_spans(bytes, base, out);
        return;
    }
    // A stretch of consecutive pieces that are all ASCII, or not all.
    let mut stretch_start = 0;
    let mut stretch_ascii = true;
    let mut piece_start = 0;
    let mut piece_ascii = true;
    let flush = |from: usize, to: usize, ascii: bool, out: &mut Vec<Range<usize>>| {
        if from < to {
            if ascii {
                ascii_word_spans(&bytes[from..to], base + from, out);
            } else {
                uax29_word_spans(&text[from..to], base + from, out);
            }
        }
    };
    for at in 1..=bytes.len() {
        let cut = at == bytes.len()
            || (bytes[at - 1] == b' ' && bytes[at] != b' ' && bytes[at].is_ascii());
        if !cut {
            piece_ascii &= bytes[at].is_ascii();
            continue;
        }
        piece_ascii &= bytes[piece_start].is_ascii();
        if piece_ascii != stretch_ascii {
            flush(stretch_start, piece_start, stretch_ascii, out);
            stretch_start = piece_start;
            stretch_ascii = piece_ascii;
        }
        piece_start = at;
        piece_ascii = true;
    }
    flush(stretch_start, bytes.len(), stretch_ascii, out);
}

/// The words of `text` by the Unicode tables (`unicode-segmentation`),
/// moved by `base`.
pub fn uax29_word_spans(text: &str, base: usize, out: &mut Vec<Range<usize>>) {
    out.extend(
        text.split_word_bound_indices()
            .filter(|(_, segment)| segment.chars().any(char::is_alphanumeric))
            .map(|(start, segment)| base + start..base + start + segment.len()),
    );
}

/// UAX #29's character classes of ASCII, as far as words go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiClass {
    /// `A-Za-z` (ALetter).
    Letter,
    /// `0-9` (Numeric).
    Digit,
    /// `_` (ExtendNumLet).
    Underscore,
    /// `:` (MidLetter): joins letters.
    MidLetter,
    /// `,` `;` (MidNum): joins digits.
    MidNum,
    /// `.` `'` (MidNumLet, Single_Quote): joins letters, or digits.
    MidBoth,
    /// Anything else: a segment of its own, or spaces (never a word).
    Other,
}

fn ascii_class(byte: u8) -> AsciiClass {
    match byte {
        b'A'..=b'Z' | b'a'..=b'z' => AsciiClass::Letter,
        b'0'..=b'9' => AsciiClass::Digit,
        b'_' => AsciiClass::Underscore,
        b':' => AsciiClass::MidLetter,
        b',' | b';' => AsciiClass::MidNum,
        b'.' | b'\'' => AsciiClass::MidBoth,
        _ => AsciiClass::Other,
    }
}

/// The words of ASCII `bytes` exactly as UAX #29 finds them, moved by
/// `base`: letters, digits and underscores hold together (WB5, WB8 to
/// WB10, WB13a, WB13b); `:` `.` `'` between two letters and `,` `;` `.`
/// `'` between two digits too (WB6, WB7, WB11, WB12); everything else
/// breaks. A segment of underscores alone is no word.
pub fn ascii_word_spans(bytes: &[u8], base: usize, out: &mut Vec<Range<usize>>) {
    use AsciiClass::{Digit, Letter, MidBoth, MidLetter, MidNum, Underscore};
    let mut at = 0;
    while at < bytes.len() {
        let class = ascii_class(bytes[at]);
        if !matches!(class, Letter | Digit | Underscore) {
            at += 1;
            continue;
        }
        let start = at;
        let mut alphanumeric = class != Underscore;
        let mut last = class;
        at += 1;
        while at < bytes.len() {
            let next = ascii_class(bytes[at]);
            if matches!(next, Letter | Digit | Underscore) {
                alphanumeric |= next != Underscore;
                last = next;
                at += 1;
                continue;
            }
            let after = bytes.get(at + 1).map(|&byte| ascii_class(byte));
            let joins = match (last, next) {
                (Letter, MidLetter | MidBoth) => after == Some(Letter),
                (Digit, MidNum | MidBoth) => after == Some(Digit),
                _ => false,
            };
            if !joins {
                break;
            }
            // The separator and the letter or digit after it.
            at += 2;
        }
        if alphanumeric {
            out.push(base + start..base + at);
        }
    }
}

/// The length of `text` in words, by [`Body::length`]'s count: the sum of
/// [`word_weight`] over its words, in tenths, rounded (a text holding any
/// word is at least one word long).
pub fn text_length(text: &str) -> usize {
    let tenths: usize = word_spans(text).map(|span| word_weight(&text[span])).sum();
    rounded_tenths(tenths)
}

/// A length in tenths of a word as words, rounded; any word is at least one.
fn rounded_tenths(tenths: usize) -> usize {
    match tenths {
        0 => 0,
        tenths => ((tenths + 5) / 10).max(1),
    }
}

/// How much one Unicode word weighs, in tenths of a word: a word is ten; each
/// Han, kana, Thai, Lao, Khmer or Myanmar character is ten (those scripts do
/// not separate words with spaces); each Hangul syllable is four, since a
/// Korean word (a space-separated unit) carries its particles and endings:
/// one English word takes 2.4 Hangul syllables in the median Kubernetes
/// glossary entry translated into Korean (0.4 word per syllable), where a
/// Korean word would count 1.3 English words. A word mixing scripts
/// (`K8s中文`, `API와`) adds ten for its other part.
fn word_weight(word: &str) -> usize {
    let per_character = word.chars().filter(|&ch| counts_per_character(ch)).count();
    let hangul = word.chars().filter(|&ch| is_hangul_syllable(ch)).count();
    let other = word
        .chars()
        .any(|ch| !counts_per_character(ch) && !is_hangul_syllable(ch) && ch.is_alphanumeric());
    per_character * 10 + hangul * 4 + usize::from(other) * 10
}

/// A precomposed Hangul syllable block (U+AC00 to U+D7A3).
fn is_hangul_syllable(ch: char) -> bool {
    matches!(ch as u32, 0xAC00..=0xD7A3)
}

/// Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar: scripts written
/// without spaces between words.
pub fn counts_per_character(ch: char) -> bool {
    matches!(ch as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x31F0..=0x31FF // Katakana extensions
        | 0x3400..=0x4DBF // Han extension A
        | 0x4E00..=0x9FFF // Han
        | 0xF900..=0xFAFF // Han compatibility
        | 0xFF66..=0xFF9D // halfwidth Katakana
        | 0x20000..=0x3134F // Han extensions B to G
    )
}

/// The parts of `text` outside Hugo shortcodes (`{{< tooltip text="x" >}}`,
/// `{{% note %}}`): markup a site expands, not prose.
pub fn outside_shortcodes(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut cursor = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        while !done {
            let rest = &text[cursor..];
            let Some(open) = rest.find("{{<").or_else(|| rest.find("{{%")) else {
                done = true;
                return (cursor < text.len()).then_some(cursor..text.len());
            };
            // The nearer of the two openings.
            let open = [rest.find("{{<"), rest.find("{{%")]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(open);
            let start = cursor + open;
            let close = text[start..]
                .find(">}}")
                .or_else(|| text[start..].find("%}}"))
                .map_or(text.len(), |close| start + close + 3);
            let piece = cursor..start;
            cursor = close;
            if !piece.is_empty() {
                return Some(piece);
            }
        }
        None
    })
}

/// How many shortcodes open in `text` (closing `{{< /note >}}` left out).
fn opening_shortcodes(text: &str) -> usize {
    ["{{<", "{{%"]
        .iter()
        .flat_map(|open| text.match_indices(open))
        .filter(|(at, open)| !text[at + open.len()..].trim_start().starts_with('/'))
        .count()
}

/// The prose runs, and how many shortcodes open in the text runs.
fn prose_runs(source: &str, events: &[(Event<'_>, Range<usize>)]) -> (Vec<ProseRun>, usize) {
    let runs = text_runs(source, events);
    let has_shortcode = |run: &ProseRun| {
        source
            .get(run.span.clone())
            .is_some_and(|text| text.contains("{{"))
    };
    if !runs.iter().any(has_shortcode) {
        return (runs, 0);
    }
    let mut opening = 0;
    let runs = runs
        .into_iter()
        .flat_map(|run| {
            let text = source.get(run.span.clone()).unwrap_or("");
            opening += opening_shortcodes(text);
            outside_shortcodes(text)
                .map(|piece| ProseRun {
                    span: run.span.start + piece.start..run.span.start + piece.end,
                    ..run.clone()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    (runs, opening)
}

fn text_runs(source: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<ProseRun> {
    let mut runs: Vec<ProseRun> = Vec::new();
    // Code blocks, HTML blocks, autolinks, metadata: no prose inside.
    let mut hidden_depth = 0usize;
    // Whether each open link is an autolink.
    let mut links: Vec<bool> = Vec::new();
    let mut image_depth = 0usize;
    let mut heading_depth = 0usize;
    let mut open_run = false;
    for (event, range) in events {
        let mut extends = false;
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                hidden_depth += 1
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                hidden_depth = hidden_depth.saturating_sub(1)
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                hidden_depth += usize::from(autolink);
                links.push(autolink);
            }
            // The guard pops every link; only an autolink's end unhides.
            Event::End(TagEnd::Link) if links.pop() == Some(true) => {
                hidden_depth = hidden_depth.saturating_sub(1);
            }
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => heading_depth += 1,
            Event::End(TagEnd::Heading(_)) => heading_depth = heading_depth.saturating_sub(1),
            // Text that renders as written: no escape or entity inside, so a
            // word's bytes are the word.
            Event::Text(chunk)
                if hidden_depth == 0 && source.get(range.clone()) == Some(chunk.as_ref()) =>
            {
                extends = true
            }
            Event::SoftBreak if hidden_depth == 0 => extends = true,
            _ => {}
        }
        if extends {
            match runs.last_mut() {
                Some(last) if open_run && last.span.end == range.start => last.span.end = range.end,
                _ => runs.push(ProseRun {
                    span: range.clone(),
                    in_link: !links.is_empty() || image_depth > 0,
                    in_heading: heading_depth > 0,
                }),
            }
        }
        open_run = extends;
    }
    runs
}

fn block_kind(tag: &Tag<'_>) -> Option<BlockKind> {
    Some(match tag {
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::Heading { .. } => BlockKind::Heading,
        Tag::BlockQuote(_) => BlockKind::Quote,
        Tag::CodeBlock(_) => BlockKind::Code,
        Tag::HtmlBlock => BlockKind::Html,
        Tag::List(_) => BlockKind::List,
        Tag::Item => BlockKind::Item,
        Tag::FootnoteDefinition(_) => BlockKind::Footnote,
        Tag::Table(_) => BlockKind::Table,
        Tag::TableHead | Tag::TableRow => BlockKind::Row,
        Tag::TableCell => BlockKind::Cell,
        Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::MetadataBlock(_) => BlockKind::Other,
        _ => return None,
    })
}

/// The cells of a pipe-table row: byte ranges (relative to `line`) of the
/// text between unescaped `|` outside inline code, the outer pipes dropped.
pub fn table_cells(line: &str) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut pipes = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\\' => index += 2,
            b'`' => {
                let run = bytes[index..].iter().take_while(|&&b| b == b'`').count();
                let close = find_backtick_run(bytes, index + run, run);
                index = match close {
                    Some(end) => end,
                    None => index + run,
                };
            }
            b'|' => {
                pipes.push(index);
                index += 1;
            }
            _ => index += 1,
        }
    }
    let trimmed_start = line.len() - line.trim_start().len();
    let trimmed_end = line.trim_end().len().max(trimmed_start);
    let leading = pipes.first() == Some(&trimmed_start);
    let trailing = pipes.len() > usize::from(leading)
        && trimmed_end > 0
        && pipes.last() == Some(&(trimmed_end - 1));
    let mut cells = Vec::new();
    let mut start = trimmed_start + usize::from(leading);
    let inner_end = pipes.len() - usize::from(trailing);
    for &pipe in pipes.get(usize::from(leading)..inner_end).unwrap_or(&[]) {
        cells.push(start..pipe);
        start = pipe + 1;
    }
    let end = trimmed_end - usize::from(trailing);
    cells.push(start..end.max(start));
    cells
}

fn find_backtick_run(bytes: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut index = from;
    while index < bytes.len() {
        if bytes[index] == b'`' {
            let length = bytes[index..].iter().take_while(|&&b| b == b'`').count();
            if length == run {
                return Some(index + length);
            }
            index += length;
        } else {
            index += 1;
        }
    }
    None
}

/// Whether `line` is a GFM table delimiter row such as `|---|:--:|`: every
/// cell is dashes with optional colons at either end.
pub fn is_delimiter_row(line: &str) -> bool {
    let cells = table_cells(line);
    line.contains('-')
        && cells.iter().all(|cell| {
            let cell = line.get(cell.clone()).unwrap_or("").trim();
            let cell = cell.strip_prefix(':').unwrap_or(cell);
            let cell = cell.strip_suffix(':').unwrap_or(cell);
            !cell.is_empty() && cell.bytes().all(|b| b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::parse_body;

    fn body(text: &str) -> Body<'_> {
        parse_body(text, 0..text.len())
    }

    fn words(text: &str) -> Vec<&str> {
        let body = body(text);
        body.words()
            .iter()
            .map(|word| &text[word.span.clone()])
            .collect()
    }

    #[test]
    fn words_are_unicode_words() {
        assert_eq!(words("कुबेरनेट्स स्वचालन"), ["कुबेरनेट्स", "स्वचालन"]);
        assert_eq!(words("রিসোর্স স্কেল"), ["রিসোর্স", "স্কেল"]);
        // NFD: the combining acute accent stays in its word.
        assert_eq!(words("le le\u{301}ger"), ["le", "le\u{301}ger"]);
    }

    #[test]
    fn prose_leaves_out_code_math_html_and_autolinks() {
        let text =
            "Use `the code` and $x$ <b>bold</b> <https://a.b> now.\n\n```\nfenced words\n```\n";
        assert_eq!(words(text), ["Use", "and", "bold", "now"]);
    }

    #[test]
    fn escapes_split_runs_so_word_bytes_are_words() {
        let text = "a\\*b c";
        let body = body(text);
        for word in body.words() {
            assert!(!text[word.span.clone()].contains('\\'));
        }
    }

    #[test]
    fn runs_know_links_and_headings() {
        let text = "# Title\n\nSee [the docs](x.md) now.\n";
        let body = body(text);
        let flags: Vec<_> = body
            .prose_runs()
            .iter()
            .map(|run| (&text[run.span.clone()], run.in_link, run.in_heading))
            .collect();
        assert_eq!(
            flags,
            [
                ("Title", false, true),
                ("See ", false, false),
                ("the docs", true, false),
                (" now.", false, false)
            ]
        );
    }

    #[test]
    fn hugo_shortcodes_are_not_prose() {
        let text = "Each {{< glossary_tooltip term_id=\"pod\" text=\"Pod\" >}} runs {{% note %}}here{{% /note %}}.\n";
        assert_eq!(words(text), ["Each", "runs", "here"]);
        // Each opening shortcode renders as one word.
        assert_eq!(body(text).length(), 5);
    }

    #[test]
    fn length_counts_han_kana_and_thai_characters() {
        assert_eq!(text_length("Kubernetes 是一个开源系统"), 1 + 7);
        assert_eq!(text_length("コンテナを実行する"), 9);
        assert_eq!(text_length("ระบบโอเพนซอร์ส"), 14);
        // 14 Hangul syllables at 0.4 each: the English "Kubernetes is an
        // open source platform" has six words.
        assert_eq!(text_length("쿠버네티스는 오픈소스 플랫폼이다"), 6);
        assert_eq!(text_length("API와 컨테이너"), 3);
        assert_eq!(text_length("를"), 1);
        assert_eq!(text_length("two words"), 2);
    }

    #[test]
    fn a_tab_nested_list_item_starts_on_its_line() {
        let text = "- parent\n\t- child\n";
        let body = body(text);
        let items: Vec<_> = body
            .blocks()
            .iter()
            .filter(|block| block.kind == BlockKind::Item)
            .map(|block| block.range.start)
            .collect();
        assert_eq!(items, [0, 9]);
    }

    #[test]
    fn quote_markers_are_stripped_to_the_depth() {
        let text = "> > ```\n> > x\n> > ```\n";
        let body = body(text);
        let line = body.lines().nth(2).unwrap();
        let depth = body.quote_depth_at(line.start + 4);
        assert_eq!(depth, 2);
        assert_eq!(&text[body.after_quote_markers(line, depth)], "```");
    }

    #[test]
    fn lines_and_lines_in() {
        let text = "a\r\nbc\n\nd";
        let body = body(text);
        let lines: Vec<_> = body.lines().map(|line| &text[line]).collect();
        assert_eq!(lines, ["a", "bc", "", "d"]);
        let inner: Vec<_> = body.lines_in(4..7).map(|line| &text[line]).collect();
        assert_eq!(inner, ["c", ""]);
    }

    #[test]
    fn delimiter_rows() {
        assert!(is_delimiter_row("|---|:--:|"));
        assert!(is_delimiter_row("--- | ---"));
        assert!(!is_delimiter_row("| a | b |"));
        assert!(!is_delimiter_row("|-- x --|"));
    }

    #[test]
    fn cells_are_counted_like_gfm() {
        let count = |line: &str| table_cells(line).len();
        assert_eq!(count("| a | b | c |"), 3);
        assert_eq!(count("| a | b | c"), 3);
        assert_eq!(count("a | b | c"), 3);
        assert_eq!(count("| | b | c |"), 3);
        assert_eq!(count("| a \\| b | c |"), 2);
        assert_eq!(count("| `a | b` | c |"), 2);
        assert_eq!(count("ight)$ | Weighted vote of all learners |"), 2);
        assert_eq!(count("|------|---------|--------|"), 3);
    }

    #[test]
    fn ranges_contain_and_overlap() {
        let ranges = Ranges::new(vec![5..10, 0..2, 8..12]);
        assert!(ranges.contains(0));
        assert!(!ranges.contains(2));
        assert!(ranges.contains(11));
        assert!(!ranges.contains(12));
        assert!(ranges.overlaps(&(3..6)));
        assert!(!ranges.overlaps(&(2..5)));
    }

    /// UAX #29 by the tables alone: what [`push_word_spans`] must equal.
    fn reference_words(text: &str) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        uax29_word_spans(text, 0, &mut spans);
        spans
    }

    /// `Body::length` as it was before it shared the words' segmentation:
    /// every text run segmented again, outside its shortcodes.
    fn reference_length(body: &Body<'_>) -> usize {
        let reference_text_length = |text: &str| -> usize {
            let tenths: usize = reference_words(text)
                .into_iter()
                .map(|span| word_weight(&text[span]))
                .sum();
            match tenths {
                0 => 0,
                tenths => ((tenths + 5) / 10).max(1),
            }
        };
        let prose: usize = text_runs(body.source, &body.events)
            .iter()
            .map(|run| {
                let text = &body.source[run.span.clone()];
                outside_shortcodes(text)
                    .map(|piece| reference_text_length(&text[piece]))
                    .sum::<usize>()
                    + opening_shortcodes(text)
            })
            .sum();
        let code: usize = body
            .events
            .iter()
            .map(|(event, _)| match event {
                Event::Code(chunk) | Event::InlineMath(chunk) | Event::DisplayMath(chunk) => {
                    reference_text_length(chunk)
                }
                _ => 0,
            })
            .sum();
        prose + code
    }

    #[test]
    fn ascii_words_follow_uax29_separators() {
        let text = "it's 3.14 a:b 1,000 a.1 1.a __ _x a_1 a:b:c x. .y 1;2 a;b 'q' e.g.";
        let mut fast = Vec::new();
        ascii_word_spans(text.as_bytes(), 0, &mut fast);
        assert_eq!(fast, reference_words(text));
        let shown: Vec<&str> = fast.iter().map(|span| &text[span.clone()]).collect();
        assert_eq!(
            shown,
            [
                "it's", "3.14", "a:b", "1,000", "a", "1", "1", "a", "_x", "a_1", "a:b:c", "x", "y",
                "1;2", "a", "b", "q", "e.g"
            ]
        );
    }

    #[test]
    fn mixed_text_keeps_the_unicode_answer() {
        for text in [
            "caf\u{e9} au lait",
            "a \u{301}b",
            "x \u{93e}y z",
            "Kubernetes 是一个开源系统 and more",
            "  \u{1f1e6}\u{1f1e8}\u{1f1e6} a",
            "le le\u{301}ger's 1.5\u{a0}m",
        ] {
            assert_eq!(
                word_spans(text).collect::<Vec<_>>(),
                reference_words(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn length_shares_the_words_and_counts_as_before() {
        for text in [
            "Each {{< glossary_tooltip text=\"Pod\" >}} runs {{% note %}}here{{% /note %}}.\n",
            "**Term** is `a b c` and $x + y$ over 是一个开源系统.\n\n- **A**: one two\n",
            "{{x}} not a shortcode {{< a >}}\n",
            "쿠버네티스는 **오픈소스** 플랫폼이다 {{< t >}} 를 API와\n",
        ] {
            let body = body(text);
            assert_eq!(body.length(), reference_length(&body), "{text:?}");
        }
    }

    /// Characters that reach UAX #29's interesting rules: every ASCII class,
    /// spaces, accents and vowel signs (Extend), Han, Hebrew, regional
    /// indicators, a joiner, an emoji and Hangul syllables.
    fn mixed_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            6 => proptest::char::range(' ', '~'),
            2 => Just(' '),
            1 => proptest::sample::select(vec![
                '\u{301}', '\u{93e}', '\u{94d}', '\u{e9}', '\u{a0}', '\u{5d0}', '"',
                '\u{4e00}', '\u{30a2}', '\u{1f1e6}', '\u{200d}', '\u{1f600}', '\u{2019}',
                '\u{b7}', '\u{3000}', '\n', '\r', '\t', '\u{85}', '\u{200b}', '\u{ff10}',
                '\u{ac00}', '\u{d7a3}',
            ]),
        ]
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_equals_unicode_segmentation(text in "[ -~\t\n\r]{0,80}") {
            let mut fast = Vec::new();
            ascii_word_spans(text.as_bytes(), 0, &mut fast);
            proptest::prop_assert_eq!(fast, reference_words(&text));
        }

        #[test]
        fn mixed_text_equals_unicode_segmentation(
            chars in proptest::collection::vec(mixed_char(), 0..80),
            base in 0usize..1000,
        ) {
            let text: String = chars.into_iter().collect();
            let mut spans = Vec::new();
            push_word_spans(&text, base, &mut spans);
            let expected: Vec<Range<usize>> = reference_words(&text)
                .into_iter()
                .map(|span| base + span.start..base + span.end)
                .collect();
            proptest::prop_assert_eq!(spans, expected);
        }

        #[test]
        fn length_equals_the_separate_count(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => mixed_char(),
                    1 => proptest::sample::select(vec!['`', '$', '{', '}', '<', '>', '%', '*', '[', ']']),
                ],
                0..120,
            ),
        ) {
            let text: String = chars.into_iter().collect();
            let body = body(&text);
            proptest::prop_assert_eq!(body.length(), reference_length(&body));
        }
    }
}
