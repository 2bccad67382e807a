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
use crate::normalize::same_ignoring_case;
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
                        replacement: "".into(),
                    }],
                );
            }
        }
    }
}

/// Runs of adjacent equal words: the first word and the last repeat (ranges
/// into `prose`).
fn repeats(prose: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let repeated = |first: &Word, second: &Word| {
        let a = &prose[first.span.clone()];
        let b = &prose[second.span.clone()];
        // Equal ASCII words have equal lengths: most pairs end here.
        (a.len() == b.len() || !first.ascii || !second.ascii)
            && same_ignoring_case(a, b)
            && prose[first.span.end..second.span.start]
                .chars()
                .all(char::is_whitespace)
            && !a.chars().any(|ch| ch.is_numeric())
            && !ALLOWED.contains(&a.to_lowercase().as_str())
    };
    let mut found = Vec::new();
    let mut previous: Option<Word> = None;
    // The first word of the run of repeats under way, and its last repeat.
    let mut run: Option<(Range<usize>, Range<usize>)> = None;
    for word in words(prose) {
        match previous.take() {
            Some(before) if repeated(&before, &word) => match run.as_mut() {
                Some((_, last)) => *last = word.span.clone(),
                None => run = Some((before.span, word.span.clone())),
            },
            _ => found.extend(run.take()),
        }
        previous = Some(word);
    }
    found.extend(run);
    found
}

/// A word of prose: where it is, and whether it is all ASCII.
struct Word {
    span: Range<usize>,
    ascii: bool,
}

/// The words of `prose`: letters and digits, with apostrophes inside them
/// (`don't`); ASCII is classified byte by byte.
fn words(prose: &str) -> impl Iterator<Item = Word> + '_ {
    let bytes = prose.as_bytes();
    // (is part of a word, may continue but not start one, length in bytes)
    let class = move |at: usize| -> (bool, bool, usize) {
        let ch = prose[at..].chars().next().unwrap_or(' ');
        (ch.is_alphanumeric(), ch == '\u{2019}', ch.len_utf8())
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        // To the next word: ASCII separators skipped in a tight loop.
        loop {
            while at < bytes.len()
                && matches!(CLASS[usize::from(bytes[at])], SEPARATOR | APOSTROPHE)
            {
                at += 1;
            }
            if at >= bytes.len() || bytes[at].is_ascii() {
                break;
            }
            let (word, _, length) = class(at);
            if word {
                break;
            }
            at += length;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let mut ascii = true;
        loop {
            while at < bytes.len() && matches!(CLASS[usize::from(bytes[at])], LETTER | APOSTROPHE) {
                at += 1;
            }
            if at >= bytes.len() || bytes[at].is_ascii() {
                break;
            }
            let (word, inner, length) = class(at);
            if !word && !inner {
                break;
            }
            ascii = false;
            at += length;
        }
        Some(Word {
            span: start..at,
            ascii,
        })
    })
}

/// What an ASCII byte is to a word, and [`OTHER`] for the bytes of other
/// characters: one table load per byte in the loops above.
const SEPARATOR: u8 = 0;
const LETTER: u8 = 1;
const APOSTROPHE: u8 = 2;
const OTHER: u8 = 3;
static CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut byte = 0;
    while byte < 256 {
        let ascii = byte as u8;
        table[byte] = if byte >= 128 {
            OTHER
        } else if ascii.is_ascii_alphanumeric() {
            LETTER
        } else if ascii == b'\'' {
            APOSTROPHE
        } else {
            SEPARATOR
        };
        byte += 1;
    }
    table
};

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
        assert!(pairs("'").is_empty());
        assert_eq!(pairs("' the the"), ["the the"]);
    }

    /// Words found character by character.
    fn by_character(prose: &str) -> Vec<Range<usize>> {
        let mut found = Vec::new();
        let mut start: Option<usize> = None;
        for (at, ch) in prose.char_indices() {
            let inner = ch == '\'' || ch == '\u{2019}';
            match start {
                None if ch.is_alphanumeric() => start = Some(at),
                Some(open) if !ch.is_alphanumeric() && !inner => {
                    found.push(open..at);
                    start = None;
                }
                _ => {}
            }
        }
        found.extend(start.map(|open| open..prose.len()));
        found
    }

    proptest::proptest! {
        #[test]
        fn words_are_found_as_character_by_character(prose in "[a-c1 ,.'’é—Ωx\n]{0,40}") {
            let found: Vec<(Range<usize>, bool)> =
                words(&prose).map(|word| (word.span, word.ascii)).collect();
            let expected: Vec<(Range<usize>, bool)> = by_character(&prose)
                .into_iter()
                .map(|span| {
                    let ascii = prose[span.clone()].is_ascii();
                    (span, ascii)
                })
                .collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
