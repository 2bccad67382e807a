//! ## What it does
//! Reports `**` or `__` left unpaired on a line: outside code blocks, inline
//! code, math and HTML, the markers that did not become bold are counted per
//! line, and when their number is odd the last one is reported. Bold that
//! CommonMark pairs across a line break is not reported. Two lines of one
//! paragraph in a row, the first leaving its last marker unpaired and the
//! second its first (a bold span across a line break whose closing marker
//! cannot close, `**Treat it\n** Only`), are one broken span, reported once,
//! on its first line.
//!
//! ## Why is this bad?
//! An unpaired marker is printed literally (`**Definition: ...`), and often
//! the bold the author meant is missing, or spills into the wrong words.
//!
//! ## Example
//! ```text
//! - **Definition: a boosting algorithm that reweights examples.
//! ```
//!
//! Use instead:
//! ```text
//! - **Definition**: a boosting algorithm that reweights examples.
//! ```
//!
//! ## Options
//! None.

use std::ops::Range;

use crate::parse::text::{BlockKind, Ranges};
use crate::rules::prelude::*;

/// See the module documentation.
pub struct UnbalancedEmphasis;

static META: RuleMeta = RuleMeta {
    id: "unbalanced-emphasis",
    family: Family::Markdown,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("unbalanced_emphasis.rs"),
};

impl Rule for UnbalancedEmphasis {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        let body = &cx.entry.body;
        let skip = body.non_prose();
        let mut paired: Vec<usize> = Vec::new();
        for bold in body.bold_spans() {
            paired.push(bold.start);
            paired.push(bold.end.saturating_sub(2));
        }
        paired.sort_unstable();
        // Paragraphs do not nest: in document order, for a binary search.
        let paragraphs: Vec<&Range<usize>> = body
            .blocks()
            .iter()
            .filter(|block| block.kind == BlockKind::Paragraph)
            .map(|block| &block.range)
            .collect();
        let paragraph_of = |offset: usize| {
            let after = paragraphs.partition_point(|range| range.start <= offset);
            after
                .checked_sub(1)
                .filter(|&index| offset < paragraphs[index].end)
        };
        // Per marker, the line and paragraph of the last finding.
        let mut last: [Option<(usize, usize)>; 2] = [None, None];
        // Scratch lists for each line, kept across lines.
        let mut runs = Vec::new();
        let mut unpaired: [Vec<Range<usize>>; 2] = [Vec::new(), Vec::new()];
        for (line_index, line) in body.lines().enumerate() {
            let content = text.get(line.clone()).unwrap_or("");
            if content
                .trim()
                .chars()
                .all(|ch| matches!(ch, '*' | '_' | '-' | ' ' | '\t'))
            {
                // a thematic break such as `***` or `___`
                continue;
            }
            unpaired.iter_mut().for_each(Vec::clear);
            marker_runs(text, line, skip, &mut runs);
            // Where the line's first and last markers of each kind start.
            let mut first: [Option<usize>; 2] = [None, None];
            let mut final_run: [Option<usize>; 2] = [None, None];
            for (marker, run) in &runs {
                let slot = usize::from(*marker == b'_');
                first[slot].get_or_insert(run.start);
                final_run[slot] = Some(run.end - 2);
            }
            for (marker, run) in runs.drain(..) {
                let first = paired.partition_point(|&position| position < run.start);
                let is_paired = paired
                    .get(first)
                    .is_some_and(|&position| position < run.end);
                if !is_paired {
                    let slot = usize::from(marker == b'_');
                    let pairs = run.len() / 2;
                    for index in 0..pairs {
                        let start = run.start + 2 * index;
                        unpaired[slot].push(start..start + 2);
                    }
                }
            }
            for (slot, found) in unpaired.iter().enumerate() {
                if found.len() % 2 == 1 {
                    let at = found[found.len() - 1].clone();
                    let paragraph = paragraph_of(at.start);
                    let continues = found.len() == 1
                        && first[slot] == Some(at.start)
                        && paragraph.is_some_and(|paragraph| {
                            last[slot] == Some((line_index.wrapping_sub(1), paragraph))
                        });
                    if continues {
                        // The other half of the span reported on the line above.
                        last[slot] = None;
                        continue;
                    }
                    // Only a line's last marker can open a span across the break.
                    last[slot] = paragraph
                        .filter(|_| final_run[slot] == Some(at.start))
                        .map(|paragraph| (line_index, paragraph));
                    let marker = if slot == 0 { "**" } else { "__" };
                    let last = at;
                    let escaped = if slot == 0 { "\\*\\*" } else { "\\_\\_" };
                    sink.report(last, format!("`{marker}` is left unpaired on this line"))
                        .help(format!(
                            "close the bold span with a matching `{marker}`, or write it as `{escaped}` to show it literally"
                        ));
                }
            }
        }
    }
}

/// Runs of two or more `*` or `_` on `line`, outside `skip`, not escaped,
/// and (for `_`) not inside a word, added to `runs`.
fn marker_runs(text: &str, line: Range<usize>, skip: &Ranges, runs: &mut Vec<(u8, Range<usize>)>) {
    let bytes = text.as_bytes();
    let mut index = line.start;
    // From one byte that matters to the next (memchr: SIMD, instead of a
    // walk byte by byte over every line).
    while let Some(offset) = bytes
        .get(index..line.end)
        .and_then(|rest| memchr::memchr3(b'\\', b'*', b'_', rest))
    {
        index += offset;
        let byte = bytes[index];
        if byte == b'\\' {
            index += 2;
            continue;
        }
        let mut end = index;
        while end < line.end && bytes[end] == byte {
            end += 1;
        }
        // `snake__case` in any script: a letter or digit on both sides.
        let inside_word = byte == b'_'
            && text[line.start..index]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
            && text[end..line.end]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        if end - index >= 2 && !inside_word && !skip.contains(index) {
            runs.push((byte, index..end));
        }
        index = end;
    }
}
