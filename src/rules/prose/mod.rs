//! Prose rules: wording.

mod placeholder_text;
mod repeated_word;

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Rule;
use crate::model::Entry;

/// The prose rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(placeholder_text::PlaceholderText),
        Box::new(repeated_word::RepeatedWord),
    ]
}

/// The byte ranges of the entry's prose: runs of adjacent text events (and
/// the line breaks between them), outside code blocks, inline code, math and
/// HTML.
pub(crate) fn prose_runs(entry: &Entry<'_>) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut code_depth = 0usize;
    let mut open_run = false;
    for (event, range) in &entry.body.events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                code_depth += 1;
                open_run = false;
            }
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Text(_) | Event::SoftBreak if code_depth == 0 => {
                match runs.last_mut() {
                    Some(last) if open_run && last.end == range.start => last.end = range.end,
                    _ => runs.push(range.clone()),
                }
                open_run = true;
            }
            _ => open_run = false,
        }
    }
    runs
}
