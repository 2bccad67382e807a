//! ## What it does
//! Reports a line written as a block of its own that CommonMark/GFM folds into
//! the paragraph, list item, block quote or table above because a blank line is
//! missing, so it does not render as written.
//!
//! The lines it looks at (outside code and HTML blocks) are:
//!
//! - a pseudo-heading, a line that is one bold span (`**What Is Acid?**`): right
//!   under a paragraph line it becomes the end of that paragraph, right under a
//!   list item it is lazy continuation text of the item, right under a table it
//!   becomes a one-cell table row;
//! - a pipe table (a `|` header row followed by its delimiter row) right under a
//!   list item (lazy continuation) or a table;
//! - an ATX heading (`## ...`), a list item (`- `, `* `, `+ `, `1. `) and a code
//!   fence (```` ``` ````, `~~~`) that do not start a block where they are written,
//!   such as `2. item` under a paragraph (only a list starting at 1 may interrupt
//!   a paragraph; numbers above 99 are not taken for list items, so a wrapped
//!   line starting with a year is left alone) or an over-indented line;
//! - a plain text line right under a pseudo-heading, which turns the heading into
//!   the bold lead of a paragraph. A bold label that ends with a colon
//!   (`**Avoid:**`, `**Note：**`) is not taken for a heading here: a label
//!   followed by its text on the next line of the same paragraph is an
//!   ordinary soft line break, and renders as it reads.
//!
//! The rule compares the shape of each line (what the author wrote) with
//! pulldown-cmark's parse of the same bytes (what a renderer shows), so text that
//! renders as it reads is never reported: a list, an ATX heading or a fence
//! directly under a paragraph interrupts it and renders fine, and so does a
//! table under a paragraph. A `|` block whose header and delimiter rows disagree
//! is not a table even after a blank line; `table-shape` reports it.
//!
//! The fix inserts the missing blank line (with the file's line ending) before
//! the swallowed line and re-indents nothing. It is offered only where the
//! blank line makes the line render as written, which the rule checks by
//! parsing the fixed text: an indented lazy line would turn into a code block,
//! for instance, and is reported without a fix.
//!
//! ## Why is this bad?
//! On the rendered page the block disappears: a pseudo-heading vanishes into
//! the lead sentence, a table renders as raw pipes inside a list item, a bold
//! title becomes a table row. The source looks right, so nobody notices.
//!
//! ## Example
//! ```markdown
//! **Acid Gas Scrubbing** is the treatment of acidic exhaust gases.
//! **What Is Acid Gas Scrubbing?**
//! - **Definition**: chemical treatment of acid gases.
//! **How It Works**
//! | Step | Effect |
//! |------|--------|
//! | Contact | Salts form |
//! **Implementation**
//! ```
//!
//! Use instead: a blank line before each block.
//! ```markdown
//! **Acid Gas Scrubbing** is the treatment of acidic exhaust gases.
//!
//! **What Is Acid Gas Scrubbing?**
//! - **Definition**: chemical treatment of acid gases.
//!
//! **How It Works**
//! | Step | Effect |
//! |------|--------|
//! | Contact | Salts form |
//!
//! **Implementation**
//! ```
//!
//! ## Options
//! None.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{Body, HeadingKind};
use crate::parse::markdown::parse_body;
use crate::parse::text::{is_delimiter_row, Block as ParsedBlock, BlockKind as Block};
use crate::rules::prelude::*;
use crate::rules::shorten;

/// See the module documentation.
pub struct SwallowedBlock;

static META: RuleMeta = RuleMeta {
    id: "swallowed-block",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::Safe,
    options: &[],
    source: include_str!("swallowed_block.rs"),
};

impl Rule for SwallowedBlock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        for finding in find(text, &cx.entry.body) {
            let diagnostic = sink.report(finding.span.clone(), finding.message);
            match finding.fix {
                Some(edit) => {
                    diagnostic
                        .help("insert a blank line before this line")
                        .fix(Applicability::Safe, vec![edit]);
                }
                None => {
                    diagnostic.help(
                        "separate it with a blank line and check its indentation: \
                         a blank line alone does not make it render as written here",
                    );
                }
            }
        }
    }
}

/// At most this many parses of the fixed text per entry.
const MAX_VERIFY_ROUNDS: usize = 8;

/// How many of the blocks around a line `judge` looks at, innermost first
/// (a line nested deeper is judged by its innermost blocks only).
const MAX_STACK: usize = 32;

/// One swallowed line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    /// The swallowed line, trimmed.
    pub span: Range<usize>,
    /// What happens to it.
    pub message: String,
    /// The blank line, where it makes the line render as written.
    pub fix: Option<Edit>,
}

/// How a line is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `**Heading**` alone on a line.
    Pseudo,
    /// A `|` row followed by a delimiter row.
    Table,
    /// `# Heading`.
    Atx,
    /// `- item`, `1. item`.
    ListItem,
    /// ```` ``` ```` or `~~~`.
    Fence,
}

/// A line of the file: `start..end` with its line ending, `text` trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Line {
    start: usize,
    text: Range<usize>,
    end: usize,
}

/// An open block at some position.
#[derive(Clone, Debug)]
struct Open {
    kind: Block,
    range: Range<usize>,
}

/// What the line above did to the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Paragraph,
    ListItem,
    Quote,
    Table,
    Footnote,
}

impl Place {
    fn as_str(self) -> &'static str {
        match self {
            Place::Paragraph => "the paragraph above",
            Place::ListItem => "the list item above",
            Place::Quote => "the block quote above",
            Place::Table => "the table above",
            Place::Footnote => "the footnote above",
        }
    }
}

/// How a candidate line renders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// As written.
    AsWritten,
    /// Not something this rule judges (inside code, HTML, a Setext heading).
    Skip,
    /// Folded into the block above.
    Swallowed(Place),
    /// A pseudo-heading whose paragraph goes on with the next line.
    RunsOn,
}

/// A line that does not render as written, before its fix is checked.
#[derive(Clone, Debug)]
struct Candidate {
    /// The swallowed line.
    line: Line,
    /// What to say.
    message: String,
    /// How to check the fix in the fixed text.
    check: Check,
    /// Reported only when the blank line repairs it.
    needs_fix: bool,
}

/// What must hold after the fix.
#[derive(Clone, Debug)]
enum Check {
    /// The line itself renders as written.
    Line(Shape),
    /// The pseudo-heading on `line` ends its paragraph, and the swallowed line
    /// is not code.
    Ends(Line),
}

/// Every swallowed line of `body`, with a fix where a blank line repairs it.
pub(crate) fn find(text: &str, body: &Body<'_>) -> Vec<Finding> {
    let Some(source) = text.get(body.span.clone()) else {
        return Vec::new();
    };
    let lines = lines(body);
    let pseudo: HashMap<usize, &str> = body
        .headings
        .iter()
        .filter(|heading| heading.kind == HeadingKind::Pseudo)
        .map(|heading| (heading.span.start, heading.text.as_str()))
        .collect();
    let shapes: Vec<Option<Shape>> = (0..lines.len())
        .map(|index| shape(text, &lines, index, &pseudo))
        .collect();
    let inline = inline_spans(text, body);
    let positions: Vec<usize> = lines.iter().map(|line| line.text.start).collect();
    let stacks = stacks_at(body.blocks(), &positions);

    let mut candidates = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let Some(shape) = shapes[index] else { continue };
        if inside(&inline, line.text.start) {
            continue;
        }
        let written = &text[line.text.clone()];
        let verdict = judge(shape, line, stacks.at(index));
        if let Verdict::Swallowed(place) = verdict {
            candidates.push(Candidate {
                line: line.clone(),
                message: swallowed_message(shape, written, pseudo.get(&line.text.start), place),
                check: Check::Line(shape),
                needs_fix: shape == Shape::Table,
            });
        }
        // The line under a pseudo-heading that goes on in the same paragraph
        // (or tight list item) as the heading.
        let runs_on = shape == Shape::Pseudo
            && stacks.at(index).last().is_some_and(|top| {
                matches!(top.kind, Block::Paragraph | Block::Item) && top.range.end > line.end
            })
            && matches!(verdict, Verdict::RunsOn | Verdict::Swallowed(_));
        let next = index + 1;
        let title = pseudo.get(&line.text.start).copied().unwrap_or(written);
        if runs_on
            && !is_label(title)
            && next < lines.len()
            && shapes[next].is_none()
            && !lines[next].text.is_empty()
        {
            candidates.push(Candidate {
                line: lines[next].clone(),
                message: format!(
                    "this line runs into the pseudo-heading `{}` above",
                    shorten(title)
                ),
                check: Check::Ends(line.clone()),
                needs_fix: false,
            });
        }
    }
    if candidates.is_empty() {
        return Vec::new();
    }

    let newline_at = |at: usize| {
        if text[..at].ends_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    };
    let mut fixable = vec![true; candidates.len()];
    // Each round drops at least one fix; a fix is kept only once every kept
    // fix is verified together. Past the cap, no fix is trusted.
    let mut stable = false;
    for _ in 0..MAX_VERIFY_ROUNDS {
        let inserts: Vec<(usize, &str)> = candidates
            .iter()
            .zip(&fixable)
            .filter(|(_, &ok)| ok)
            .map(|(candidate, _)| (candidate.line.start, newline_at(candidate.line.start)))
            .collect();
        if inserts.is_empty() {
            stable = true;
            break;
        }
        let verdicts = verify(source, body.span.start, &inserts, &candidates, &fixable);
        let mut changed = false;
        for (ok, verified) in fixable.iter_mut().zip(verdicts) {
            if *ok && !verified {
                *ok = false;
                changed = true;
            }
        }
        if !changed {
            stable = true;
            break;
        }
    }
    if !stable {
        fixable.iter_mut().for_each(|ok| *ok = false);
    }

    candidates
        .into_iter()
        .zip(fixable)
        .filter(|(candidate, ok)| *ok || !candidate.needs_fix)
        .map(|(candidate, ok)| Finding {
            span: candidate.line.text.clone(),
            message: candidate.message,
            fix: ok.then(|| Edit {
                span: candidate.line.start..candidate.line.start,
                replacement: newline_at(candidate.line.start).into(),
            }),
        })
        .collect()
}

/// Parses `source` (the body, at file offset `base`) with `inserts` applied and
/// tells, for each candidate whose fix is in, whether it now renders as written.
fn verify(
    source: &str,
    base: usize,
    inserts: &[(usize, &str)],
    candidates: &[Candidate],
    fixable: &[bool],
) -> Vec<bool> {
    let mut fixed = String::with_capacity(source.len() + inserts.len() * 2);
    let mut cursor = 0;
    for &(at, newline) in inserts {
        let at = at - base;
        if at < cursor || !source.is_char_boundary(at) {
            continue;
        }
        fixed.push_str(&source[cursor..at]);
        fixed.push_str(newline);
        cursor = at;
    }
    fixed.push_str(&source[cursor..]);
    // A file offset in `source` to an offset in `fixed`: an insertion at `at`
    // moves every byte from `at` on.
    // Bytes inserted at or before each insert, for a binary search per offset
    // (a linear sum per offset made many candidates quadratic).
    let inserted: Vec<usize> = inserts
        .iter()
        .scan(0, |total, (_, newline)| {
            *total += newline.len();
            Some(*total)
        })
        .collect();
    let map = |offset: usize| {
        let count = inserts.partition_point(|(at, _)| *at <= offset);
        let shift = count.checked_sub(1).map_or(0, |last| inserted[last]);
        offset - base + shift
    };
    let map_line = |line: &Line| Line {
        start: map(line.start),
        text: map(line.text.start)..map(line.text.end),
        end: map(line.end),
    };
    let body = parse_body(&fixed, 0..fixed.len());
    let mut probes: Vec<(usize, Line)> = Vec::new();
    for (index, candidate) in candidates.iter().enumerate() {
        if !fixable[index] {
            continue;
        }
        probes.push((index, map_line(&candidate.line)));
        if let Check::Ends(heading) = &candidate.check {
            probes.push((index, map_line(heading)));
        }
    }
    probes.sort_by_key(|(_, line)| line.text.start);
    let positions: Vec<usize> = probes.iter().map(|(_, line)| line.text.start).collect();
    let stacks = stacks_at(body.blocks(), &positions);
    let mut stack_of: HashMap<usize, &[Open]> = HashMap::new();
    for (index, position) in positions.iter().enumerate() {
        stack_of.insert(*position, stacks.at(index));
    }
    let stack = |line: &Line| stack_of.get(&line.text.start).copied().unwrap_or(&[]);
    candidates
        .iter()
        .enumerate()
        .map(|(index, candidate)| {
            if !fixable[index] {
                return false;
            }
            let line = map_line(&candidate.line);
            match &candidate.check {
                Check::Line(shape) => {
                    matches!(
                        judge(*shape, &line, stack(&line)),
                        Verdict::AsWritten | Verdict::RunsOn
                    ) && (*shape != Shape::Pseudo || own_paragraph_start(&line, stack(&line)))
                }
                Check::Ends(heading) => {
                    let heading = map_line(heading);
                    let ends = stack(&heading).last().is_some_and(|open| {
                        open.kind == Block::Paragraph && open.range.end <= heading.end
                    });
                    let code = stack(&line)
                        .iter()
                        .any(|open| matches!(open.kind, Block::Code | Block::Html));
                    ends && !code
                }
            }
        })
        .collect()
}

/// A bold label that introduces the text after it (`Avoid:`), not a title.
fn is_label(title: &str) -> bool {
    let title = title.trim_end_matches(['*', '_', ' ']);
    title.ends_with([':', '\u{FF1A}'])
}

/// Whether the innermost block at `line` is a paragraph that starts on it.
fn own_paragraph_start(line: &Line, stack: &[Open]) -> bool {
    stack.last().is_some_and(|open| {
        open.kind == Block::Paragraph
            && line.start <= open.range.start
            && open.range.start <= line.text.start
    })
}

/// How the line at `line` renders, given the blocks open at its first byte.
fn judge(shape: Shape, line: &Line, stack: &[Open]) -> Verdict {
    if stack
        .iter()
        .any(|open| matches!(open.kind, Block::Code | Block::Html))
    {
        return if shape == Shape::Fence {
            Verdict::AsWritten
        } else {
            Verdict::Skip
        };
    }
    let starts_here = |kind: Block| {
        stack.iter().any(|open| {
            open.kind == kind
                && line.start <= open.range.start
                && open.range.start <= line.text.start
        })
    };
    if shape == Shape::Atx && starts_here(Block::Heading) {
        return Verdict::AsWritten;
    }
    if stack.iter().any(|open| open.kind == Block::Heading) {
        return Verdict::Skip;
    }
    match shape {
        Shape::Table if starts_here(Block::Table) => return Verdict::AsWritten,
        Shape::ListItem if starts_here(Block::Item) => return Verdict::AsWritten,
        Shape::Pseudo => {
            if let Some(top) = stack.last() {
                if top.kind == Block::Paragraph && top.range.start >= line.start {
                    return if top.range.end > line.end {
                        Verdict::RunsOn
                    } else {
                        Verdict::AsWritten
                    };
                }
            }
        }
        _ => {}
    }
    match place_above(stack, line) {
        Some(place) => Verdict::Swallowed(place),
        None => Verdict::Skip,
    }
}

/// The block above that a line starting inside `stack` was folded into.
fn place_above(stack: &[Open], line: &Line) -> Option<Place> {
    let above = |open: &Open| open.range.start < line.start;
    if stack
        .iter()
        .any(|open| open.kind == Block::Table && above(open))
    {
        return Some(Place::Table);
    }
    let top = stack.last()?;
    if !above(top) {
        return None;
    }
    match top.kind {
        Block::Item => Some(Place::ListItem),
        Block::Paragraph => {
            let container = stack[..stack.len() - 1]
                .iter()
                .rev()
                .find(|open| matches!(open.kind, Block::Item | Block::Quote | Block::Footnote));
            Some(match container.map(|open| open.kind) {
                Some(Block::Item) => Place::ListItem,
                Some(Block::Quote) => Place::Quote,
                Some(Block::Footnote) => Place::Footnote,
                _ => Place::Paragraph,
            })
        }
        _ => None,
    }
}

fn swallowed_message(shape: Shape, written: &str, title: Option<&&str>, into: Place) -> String {
    let place = into.as_str();
    match (shape, into) {
        (Shape::Pseudo, Place::Table) => format!(
            "pseudo-heading `{}` becomes a row of {place}",
            shorten(title.copied().unwrap_or(written))
        ),
        (Shape::Pseudo, _) => format!(
            "pseudo-heading `{}` is folded into {place}",
            shorten(title.copied().unwrap_or(written))
        ),
        (Shape::Table, Place::Table) => format!("table header becomes a row of {place}"),
        (Shape::Table, _) => format!("table is folded into {place} and renders as text"),
        (Shape::Atx, _) => format!("heading `{}` is folded into {place}", shorten(written)),
        (Shape::ListItem, _) => {
            format!("list item `{}` is folded into {place}", shorten(written))
        }
        (Shape::Fence, _) => format!("code fence `{}` is folded into {place}", shorten(written)),
    }
}

/// The body's lines, each with its text trimmed of spaces and tabs.
fn lines(body: &Body<'_>) -> Vec<Line> {
    let starts = body.line_starts();
    body.lines()
        .enumerate()
        .map(|(index, content)| {
            let written = body.source.get(content.clone()).unwrap_or("");
            let leading = written.len() - written.trim_start_matches([' ', '\t']).len();
            let trimmed = written.trim_start_matches([' ', '\t']).trim_end();
            let text_start = content.start + leading;
            Line {
                start: content.start,
                text: text_start..text_start + trimmed.len(),
                end: starts.get(index + 1).copied().unwrap_or(body.span.end),
            }
        })
        .collect()
}

/// How line `index` is written, if as one of the blocks this rule knows.
fn shape(text: &str, lines: &[Line], index: usize, pseudo: &HashMap<usize, &str>) -> Option<Shape> {
    let line = &lines[index];
    if line.text.is_empty() {
        return None;
    }
    if pseudo.contains_key(&line.text.start) {
        return Some(Shape::Pseudo);
    }
    let written = &text[line.text.clone()];
    if written.starts_with('|') {
        let delimiter_below = lines
            .get(index + 1)
            .is_some_and(|next| is_delimiter_row(&text[next.text.clone()]));
        return (delimiter_below && !is_delimiter_row(written)).then_some(Shape::Table);
    }
    if is_atx(written) {
        return Some(Shape::Atx);
    }
    if is_fence(written) {
        return Some(Shape::Fence);
    }
    if is_list_item(written) {
        return Some(Shape::ListItem);
    }
    None
}

/// `#` to `######` then a space, a tab, or the end of the line.
fn is_atx(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&byte| byte == b'#').count();
    (1..=6).contains(&hashes) && matches!(line.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

/// Three or more backticks (no backtick after them) or tildes.
fn is_fence(line: &str) -> bool {
    let backticks = line.bytes().take_while(|&byte| byte == b'`').count();
    if backticks >= 3 {
        return !line[backticks..].contains('`');
    }
    line.starts_with("~~~")
}

/// `- x`, `* x`, `+ x`, `1. x`, `12) x`; not a thematic break such as `- - -`.
fn is_list_item(line: &str) -> bool {
    let bytes = line.as_bytes();
    let rest = match bytes.first() {
        Some(b'-' | b'*' | b'+') => &line[1..],
        Some(byte) if byte.is_ascii_digit() => {
            let digits = bytes
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            if digits > 2 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return false;
            }
            &line[digits + 1..]
        }
        _ => return false,
    };
    let is_break = {
        let mut marks = line.chars().filter(|ch| !ch.is_whitespace());
        let first = marks.next();
        matches!(first, Some('-' | '*' | '_'))
            && marks
                .try_fold(1, |count, ch| (Some(ch) == first).then_some(count + 1))
                .is_some_and(|count| count >= 3)
    };
    rest.starts_with([' ', '\t']) && !rest.trim().is_empty() && !is_break
}

/// Inline spans that cross lines and may hide block syntax: code, math, HTML.
fn inline_spans(text: &str, body: &Body<'_>) -> Vec<Range<usize>> {
    body.inline_non_prose()
        .filter(|range| {
            text.get(range.clone())
                .is_some_and(|span| span.contains('\n'))
        })
        .collect()
}

fn inside(spans: &[Range<usize>], offset: usize) -> bool {
    // Inline spans come in document order and do not overlap: only the last
    // one starting before `offset` can hold it.
    let before = spans.partition_point(|span| span.start < offset);
    before
        .checked_sub(1)
        .is_some_and(|index| offset < spans[index].end)
}

/// The innermost blocks open at each of a list of positions, one after the
/// other in one list (a list per position cost an allocation per line).
struct Stacks {
    opens: Vec<Open>,
    /// Where each position's blocks end in `opens`.
    ends: Vec<usize>,
}

impl Stacks {
    /// The blocks open at the `index`th position, outermost first.
    fn at(&self, index: usize) -> &[Open] {
        let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.opens[start..self.ends[index]]
    }
}

/// The blocks open at each of `positions` (ascending), outermost first.
fn stacks_at(blocks: &[ParsedBlock], positions: &[usize]) -> Stacks {
    let mut stack: Vec<&ParsedBlock> = Vec::new();
    let mut next = 0;
    let mut out = Stacks {
        opens: Vec::with_capacity(positions.len()),
        ends: Vec::with_capacity(positions.len()),
    };
    for &position in positions {
        // Blocks come in document order, a container before what it holds.
        while let Some(block) = blocks
            .get(next)
            .filter(|block| block.range.start <= position)
        {
            stack.push(block);
            next += 1;
        }
        stack.retain(|block| position < block.range.end);
        // Only the innermost blocks matter to `judge`; copying the whole stack
        // for every line made deep nesting quadratic in time and memory.
        let first = out.opens.len();
        out.opens
            .extend(stack.iter().rev().take(MAX_STACK).map(|block| Open {
                kind: block.kind,
                range: block.range.clone(),
            }));
        out.opens[first..].reverse();
        out.ends.push(out.opens.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings on `text` taken as one body, and the text with their fixes.
    fn run(text: &str) -> (Vec<String>, String) {
        let body = parse_body(text, 0..text.len());
        let findings = find(text, &body);
        let mut fixed = String::new();
        let mut cursor = 0;
        for finding in &findings {
            if let Some(edit) = &finding.fix {
                fixed.push_str(&text[cursor..edit.span.start]);
                fixed.push_str(&edit.replacement);
                cursor = edit.span.end;
            }
        }
        fixed.push_str(&text[cursor..]);
        let described = findings
            .iter()
            .map(|finding| {
                format!(
                    "{}|{}|{}",
                    &text[finding.span.clone()],
                    finding.message,
                    finding.fix.is_some()
                )
            })
            .collect();
        (described, fixed)
    }

    fn quiet(text: &str) {
        let (found, _) = run(text);
        assert!(found.is_empty(), "{text:?}: {found:?}");
    }

    /// Tags of the top-level blocks of `text`.
    fn blocks(text: &str) -> Vec<String> {
        use pulldown_cmark::Event;
        let mut depth = 0;
        let mut out = Vec::new();
        for event in pulldown_cmark::Parser::new_ext(text, crate::parse::markdown::options()) {
            match event {
                Event::Start(tag) => {
                    if depth == 0 {
                        out.push(
                            format!("{tag:?}")
                                .split(['(', ' '])
                                .next()
                                .unwrap()
                                .to_string(),
                        );
                    }
                    depth += 1;
                }
                Event::End(_) => depth -= 1,
                Event::Rule if depth == 0 => out.push("Rule".into()),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn a_list_nested_with_a_tab_is_a_nested_list() {
        quiet("- parent\n\t- child\n");
        quiet("- parent\r\n\t- child\r\n");
        quiet("1. parent\n\t1. child\n");
    }

    #[test]
    fn a_list_or_heading_or_fence_interrupts_a_paragraph() {
        quiet("text\n- item\n");
        quiet("text\n1. item\n");
        quiet("text\n## Heading\n");
        quiet("text\n```\ncode\n```\n");
        quiet("- item\n# Heading\n");
        quiet("| a |\n|---|\n| 1 |\n- item\n");
    }

    #[test]
    fn a_table_interrupts_a_paragraph_but_not_a_list_item() {
        quiet("text\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        let text = "- item\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let (found, fixed) = run(text);
        assert_eq!(
            found,
            ["| a | b ||table is folded into the list item above and renders as text|true"]
        );
        assert_eq!(blocks(&fixed), ["List", "Table"]);
    }

    #[test]
    fn a_malformed_table_is_left_to_table_shape() {
        quiet("- item\n| a | b |\n|---|\n");
    }

    #[test]
    fn a_pseudo_heading_under_a_paragraph_is_folded_into_it() {
        let text = "**Acid** is sour.\n**What Is Acid?**\n- **Definition**: x.\n";
        let (found, fixed) = run(text);
        assert_eq!(
            found,
            ["**What Is Acid?**|pseudo-heading `What Is Acid?` is folded into the paragraph above|true"]
        );
        assert_eq!(
            fixed,
            "**Acid** is sour.\n\n**What Is Acid?**\n- **Definition**: x.\n"
        );
        assert_eq!(blocks(&fixed), ["Paragraph", "Paragraph", "List"]);
    }

    #[test]
    fn a_pseudo_heading_under_a_list_item_is_lazy_continuation() {
        let text = "- **Failure Modes**: drift.\n**Why Acid Matters**\n- **Outcome**: y.\n";
        let (found, fixed) = run(text);
        assert_eq!(
            found,
            ["**Why Acid Matters**|pseudo-heading `Why Acid Matters` is folded into the list item above|true"]
        );
        assert_eq!(blocks(&fixed), ["List", "Paragraph", "List"]);
    }

    #[test]
    fn a_pseudo_heading_then_a_table_under_a_list_item() {
        let text = "- x\n**How It Works**\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let (found, fixed) = run(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(blocks(&fixed), ["List", "Paragraph", "Table"]);
    }

    #[test]
    fn a_pseudo_heading_under_a_table_becomes_a_row() {
        let text = "| a | b |\n|---|---|\n| 1 | 2 |\n**Implementation**\n```python\nx = 1\n```\n";
        let (found, fixed) = run(text);
        assert_eq!(
            found,
            ["**Implementation**|pseudo-heading `Implementation` becomes a row of the table above|true"]
        );
        assert_eq!(blocks(&fixed), ["Table", "Paragraph", "CodeBlock"]);
    }

    #[test]
    fn text_under_a_pseudo_heading_runs_into_it() {
        let text = "**The Memory Problem**\nDuring training, activations are stored.\n";
        let (found, fixed) = run(text);
        assert_eq!(
            found,
            ["During training, activations are stored.|this line runs into the pseudo-heading `The Memory Problem` above|true"]
        );
        assert_eq!(blocks(&fixed), ["Paragraph", "Paragraph"]);
    }

    #[test]
    fn text_under_a_bold_label_is_a_soft_break() {
        // Foam's note-taking-in-foam.md (MIT): a label, then its text.
        quiet("**Avoid:**\nMixing multiple unrelated concepts in one note.\n");
        quiet("**Avoid**:\nMixing concepts.\n");
        quiet("**注意：**\n请勿混合。\n");
        // A title still runs into the text under it.
        let (found, _) = run("**Avoid**\nMixing concepts.\n");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn a_paragraph_then_pseudo_heading_then_text_is_reported_twice() {
        let text = "Lead text.\n**Heading**\nMore text.\n";
        let (found, fixed) = run(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(fixed, "Lead text.\n\n**Heading**\n\nMore text.\n");
    }

    #[test]
    fn an_ordered_list_not_starting_at_one_cannot_interrupt() {
        let text = "Steps follow.\n2. second\n";
        let (found, fixed) = run(text);
        assert_eq!(
            found,
            ["2. second|list item `2. second` is folded into the paragraph above|true"]
        );
        assert_eq!(blocks(&fixed), ["Paragraph", "List"]);
        quiet("He was born in\n1984. He then left.\n");
    }

    #[test]
    fn an_indented_lazy_line_gets_no_fix_when_a_blank_line_makes_it_code() {
        let text = "Some text\n    **Heading**\n";
        let (found, fixed) = run(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("|false"), "{found:?}");
        assert_eq!(fixed, text);
    }

    #[test]
    fn an_indented_continuation_in_a_list_item_gets_a_fix_that_keeps_it_there() {
        let text = "- item\n  **Heading**\n";
        let (found, fixed) = run(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].ends_with("|true"), "{found:?}");
        assert_eq!(blocks(&fixed), ["List"]);
    }

    #[test]
    fn what_renders_as_it_reads_is_quiet() {
        quiet("**Heading**\n\nText.\n");
        quiet("Text.\n\n**Heading**\n- item\n");
        quiet("**A** and **B**\nmore\n");
        quiet("```\n**not a heading**\n| a |\n|---|\n```\n");
        quiet("Title\n=====\n");
        quiet("**Heading**\n| a | b |\n|---|---|\n");
        quiet("- item\n- **Bold**\n");
        quiet("text\n- - -\n");
        quiet("<div>\n**x**\n</div>\n");
        quiet("`code\n# not heading`\n");
    }

    #[test]
    fn crlf_files_get_crlf_blank_lines() {
        let text = "Lead.\r\n**Heading**\r\n\r\nText.\r\n";
        let (found, fixed) = run(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(fixed, "Lead.\r\n\r\n**Heading**\r\n\r\nText.\r\n");
    }

    #[test]
    fn no_panic_and_newline_only_fixes_on_line_combinations() {
        const PARTS: [&str; 16] = [
            "**H**",
            "text",
            "- item",
            "| a | b |",
            "|---|---|",
            "---",
            "===",
            "```",
            "    **x**",
            "> q",
            "2. x",
            "",
            "é**é**",
            "  - n",
            "# h",
            "  **y**\r",
        ];
        let mut seed = 7u64;
        for round in 0..6000 {
            let count = if round < 4096 { 3 } else { 7 };
            let mut text = String::new();
            for position in 0..count {
                let pick = if round < 4096 {
                    (round >> (4 * position)) & 15
                } else {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed % 16) as usize
                };
                text.push_str(PARTS[pick]);
                text.push('\n');
            }
            let body = parse_body(&text, 0..text.len());
            let edits = find(&text, &body)
                .into_iter()
                .filter_map(|finding| finding.fix)
                .chain(
                    super::super::accidental_heading::find(&text, &body)
                        .into_iter()
                        .filter_map(|finding| finding.fix),
                );
            for edit in edits {
                assert!(edit.span.is_empty() && text.is_char_boundary(edit.span.start));
                assert!(matches!(edit.replacement.as_ref(), "\n" | "\r\n"));
            }
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "",
            "\n",
            "**",
            "|",
            "| é |\n|-",
            "é\n**é**\né",
            "- \n**x**",
            "> q\n**H**\n",
        ] {
            run(text);
        }
    }
}
