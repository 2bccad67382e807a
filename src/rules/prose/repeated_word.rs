//! ## What it does
//! Reports a word written twice in a row ("the the"), compared without case
//! and separated only by whitespace, in prose outside code and math. Numbers
//! are skipped ("10 10" is often a table or a size). The fix removes the
//! second word and the whitespace before it; a longer run ("the the the") is
//! one finding whose fix keeps only the first word, so one `--fix` round
//! settles it.
//!
//! ## Why is this bad?
//! A doubled word is almost always a slip made while editing, and readers
//! stumble over it.
//!
//! ## Example
//! ```text
//! Activation checkpointing trades compute for for memory.
//! ```
//!
//! Use instead:
//! ```text
//! Activation checkpointing trades compute for memory.
//! ```
//!
//! ## Options
//! None.

use std::ops::Range;

use super::prose_runs;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct RepeatedWord;

static META: RuleMeta = RuleMeta {
    id: "repeated-word",
    family: Family::Prose,
    default_level: Level::Warning,
    fix: FixKind::Safe,
    options: &[],
    source: include_str!("repeated_word.rs"),
};

/// Doubled words that are often grammatical ("that that", "had had").
const ALLOWED: [&str; 2] = ["that", "had"];

impl Rule for RepeatedWord {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        for run in prose_runs(cx.entry) {
            let Some(prose) = text.get(run.clone()) else {
                continue;
            };
            for (first, second) in repeats(prose) {
                let word = &prose[second.clone()];
                let removed = run.start + first.end..run.start + second.end;
                sink.report(
                    run.start + first.start..run.start + second.end,
                    format!("`{word}` is repeated"),
                )
                .help("remove the second one")
                .fix(
                    Applicability::Safe,
                    vec![Edit {
                        span: removed,
                        replacement: String::new(),
                    }],
                );
            }
        }
    }
}

/// Runs of adjacent equal words: the first word and the last repeat (ranges
/// into `prose`).
/// Equal ignoring case, without allocating for ASCII words.
fn same_word(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn repeats(prose: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut start: Option<usize> = None;
    for (at, ch) in prose.char_indices() {
        if ch.is_alphanumeric() {
            start.get_or_insert(at);
        } else if matches!(ch, '\'' | '\u{2019}') && start.is_some() {
            // an apostrophe inside a word (`don't`)
        } else if let Some(begin) = start.take() {
            words.push(begin..at);
        }
    }
    if let Some(begin) = start {
        words.push(begin..prose.len());
    }
    let repeated = |index: usize| {
        let (first, second) = (&words[index - 1], &words[index]);
        let a = &prose[first.clone()];
        let b = &prose[second.clone()];
        let between = &prose[first.end..second.start];
        same_word(a, b)
            && !between.is_empty()
            && between.chars().all(char::is_whitespace)
            && !a.chars().any(|ch| ch.is_numeric())
            && !ALLOWED.contains(&a.to_lowercase().as_str())
    };
    let mut found = Vec::new();
    let mut index = 1;
    while index < words.len() {
        if repeated(index) {
            let mut last = index;
            while last + 1 < words.len() && repeated(last + 1) {
                last += 1;
            }
            found.push((words[index - 1].clone(), words[last].clone()));
            index = last + 2;
        } else {
            index += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(prose: &str) -> Vec<String> {
        repeats(prose)
            .into_iter()
            .map(|(first, second)| prose[first.start..second.end].to_string())
            .collect()
    }

    #[test]
    fn repeats_are_found() {
        assert_eq!(
            pairs("The the cat sat on\nthe the mat"),
            ["The the", "the the"]
        );
    }

    #[test]
    fn a_run_of_repeats_is_one_finding() {
        assert_eq!(pairs("so the the the THE cat"), ["the the the THE"]);
    }

    #[test]
    fn others_are_not() {
        assert!(pairs("10 10 the, the that that don't t").is_empty());
    }
}
