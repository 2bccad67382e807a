//! Markdown rules: text that does not render, or does not render as written.

mod accidental_heading;
mod control_character;
mod fence_language;
mod math_delimiters;
mod math_escape;
mod swallowed_block;
mod table_shape;
mod unbalanced_emphasis;
mod unclosed_fence;

use std::ops::Range;

use pulldown_cmark::Event;

use super::Rule;
use crate::model::Entry;

/// The markdown rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(unclosed_fence::UnclosedFence),
        Box::new(fence_language::FenceLanguage),
        Box::new(table_shape::TableShape),
        Box::new(swallowed_block::SwallowedBlock),
        Box::new(accidental_heading::AccidentalHeading),
        Box::new(unbalanced_emphasis::UnbalancedEmphasis),
        Box::new(math_delimiters::MathDelimiters),
        Box::new(math_escape::MathEscape),
        Box::new(control_character::ControlCharacter),
    ]
}

/// The first line of `span` in `text`, without its line ending.
pub(crate) fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = text.get(span.clone()).unwrap_or("");
    let end = slice.find(['\r', '\n']).unwrap_or(slice.len());
    span.start..span.start + end
}

/// The lines of `span` in `text`, each without its line ending.
pub(crate) fn lines(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(slice) = text.get(span.clone()) else {
        return out;
    };
    let mut offset = span.start;
    for line in slice.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        out.push(offset..offset + content.len());
        offset += line.len();
    }
    out
}

/// Sorted, merged byte ranges, for asking whether an offset lies in any.
#[derive(Debug, Default)]
pub(crate) struct Ranges(Vec<Range<usize>>);

impl Ranges {
    /// Builds the set from any ranges.
    pub(crate) fn new(mut ranges: Vec<Range<usize>>) -> Self {
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
    pub(crate) fn contains(&self, offset: usize) -> bool {
        let index = self.0.partition_point(|range| range.end <= offset);
        self.0
            .get(index)
            .is_some_and(|range| range.start <= offset && offset < range.end)
    }
}

/// Code blocks only.
pub(crate) fn code_block_ranges(entry: &Entry<'_>) -> Ranges {
    Ranges::new(
        entry
            .body
            .code_blocks
            .iter()
            .map(|block| block.span.clone())
            .collect(),
    )
}

/// Everything that is not prose: code blocks, inline code, math and HTML.
pub(crate) fn non_prose_ranges(entry: &Entry<'_>) -> Ranges {
    let mut ranges: Vec<Range<usize>> = entry
        .body
        .code_blocks
        .iter()
        .map(|block| block.span.clone())
        .collect();
    for (event, range) in &entry.body.events {
        if matches!(
            event,
            Event::Code(_)
                | Event::InlineMath(_)
                | Event::DisplayMath(_)
                | Event::Html(_)
                | Event::InlineHtml(_)
        ) {
            ranges.push(range.clone());
        }
    }
    Ranges::new(ranges)
}

/// The cells of a pipe-table row: byte ranges (relative to `line`) of the
/// text between unescaped `|` outside inline code, the outer pipes dropped.
pub(crate) fn table_cells(line: &str) -> Vec<Range<usize>> {
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

/// Whether `line` is a table delimiter row such as `|---|:--:|`.
pub(crate) fn is_delimiter_row(line: &str) -> bool {
    let cells = table_cells(line);
    !cells.is_empty()
        && line.contains('-')
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

    fn count(line: &str) -> usize {
        table_cells(line).len()
    }

    #[test]
    fn cells_are_counted_like_gfm() {
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
    fn delimiter_rows() {
        assert!(is_delimiter_row("|---|:--:|"));
        assert!(is_delimiter_row("--- | ---"));
        assert!(!is_delimiter_row("| a | b |"));
    }

    #[test]
    fn ranges_contain() {
        let ranges = Ranges::new(vec![5..10, 0..2, 8..12]);
        assert!(ranges.contains(0));
        assert!(!ranges.contains(2));
        assert!(ranges.contains(11));
        assert!(!ranges.contains(12));
    }
}
