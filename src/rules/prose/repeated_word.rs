//! ## What it does
//! Reports a word written twice in a row ("the the"), compared without case
//! and separated only by whitespace, in prose outside code and math. Words are
//! Unicode words (UAX #29): a virama or a combining accent never ends one, and
//! a word is repeated only when both are whole tokens, so `что что-то` holds no
//! repeat. Numbers are skipped ("10 10" is often a table or a size). A longer
//! run ("the the the") is one finding. A double in quotation marks
//! (`"inconnues inconnues"`, unknown unknowns) is meant and not reported.
//!
//! The rule knows the entry's language: `[[overrides]] lang = "tr"` in
//! `glosslint.toml`, else front matter `lang` or `language`, else a namespace
//! named like a language (`de`, `pt-br`). Grammatical repetition is not a
//! finding:
//!
//! - languages that reduplicate words (Bengali `ঘন ঘন`, Hindi, Marathi, Nepali,
//!   Tamil, Telugu, Urdu, Persian, Turkish `sık sık`, Azerbaijani, Indonesian,
//!   Malay, Tagalog, Vietnamese `song song`, Thai, Chinese, Japanese, Korean,
//!   Swahili) are not checked at all;
//! - the checked languages allow their grammatical doubles: English (`that
//!   that`, `had had`), German (`die die`, `der der`, `das das`, `den den`,
//!   `dem dem`, `des des`, `sie sie`), French (`nous nous`, `vous vous`),
//!   Spanish, Portuguese, Italian;
//! - any other named language has no rule yet and is not checked;
//! - with no language known, only words in Latin, Greek or Cyrillic script are
//!   checked, with every allowance above.
//!
//! The fix removes the second word (and the whitespace before it), one whole
//! word token and nothing else; for a run it keeps only the first word. It is
//! safe in a checked language, and in an entry of unknown language whose
//! prose is all ASCII (taken for English); elsewhere it is unsafe (the repeat
//! may be a reduplication of a language the rule cannot see).
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

use super::language;
use crate::normalize::same_ignoring_case;
use crate::parse::text::Word;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct RepeatedWord;

static META: RuleMeta = RuleMeta {
    id: "repeated-word",
    family: Family::Prose,
    default_level: Level::Warning,
    fix: FixKind::Sometimes,
    options: &[],
    source: include_str!("repeated_word.rs"),
};

/// Languages whose grammar repeats words (primary subtags).
const REDUPLICATING: [&str; 26] = [
    "bn", "hi", "mr", "ne", "pa", "gu", "ta", "te", "kn", "ml", "ur", "fa", "tr", "az", "id", "ms",
    "jv", "tl", "fil", "vi", "th", "lo", "km", "zh", "ja", "ko",
];

/// The checked languages and the doubles their grammar allows.
const CHECKED: [(&str, &[&str]); 6] = [
    ("en", &["that", "had"]),
    ("de", &["die", "der", "das", "den", "dem", "des", "sie"]),
    ("fr", &["nous", "vous"]),
    ("es", &[]),
    ("pt", &[]),
    ("it", &[]),
];

/// What the rule does in an entry's language.
enum Policy {
    /// Reports repeats not in `allowed`; the fix is safe.
    Checked(&'static [&'static str]),
    /// Language unknown: Latin, Greek and Cyrillic words only, every
    /// allowance, unsafe fix.
    Unknown,
    /// Not checked.
    Off,
}

impl Policy {
    fn of(language: Option<&str>) -> Self {
        let Some(language) = language else {
            return Policy::Unknown;
        };
        if REDUPLICATING.contains(&language) || language == "sw" {
            return Policy::Off;
        }
        CHECKED
            .iter()
            .find(|(checked, _)| *checked == language)
            .map_or(Policy::Off, |(_, allowed)| Policy::Checked(allowed))
    }

    /// Whether a repeat of `word` is reported.
    fn reports(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        match self {
            Policy::Checked(allowed) => !allowed.contains(&lower.as_str()),
            Policy::Unknown => {
                word.chars().all(is_latin_greek_or_cyrillic)
                    && !CHECKED
                        .iter()
                        .any(|(_, allowed)| allowed.contains(&lower.as_str()))
            }
            Policy::Off => false,
        }
    }
}

/// Letters of the Latin, Greek and Cyrillic blocks (with their combining
/// marks), digits and apostrophes.
fn is_latin_greek_or_cyrillic(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
        || matches!(ch as u32,
            0x00C0..=0x024F | 0x0300..=0x036F | 0x0370..=0x03FF | 0x0400..=0x052F
            | 0x1E00..=0x1FFF | 0x2019)
}

impl Rule for RepeatedWord {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let policy = Policy::of(language(cx).as_deref());
        if matches!(policy, Policy::Off) {
            return;
        }
        let text = cx.file.text;
        let words = cx.entry.body.words();
        // Without a language, only prose written all in ASCII is taken for
        // English, where a double is a slip; elsewhere it may be a
        // reduplication the rule cannot see.
        let certain = match policy {
            Policy::Checked(_) => true,
            _ => words.iter().all(|word| text[word.span.clone()].is_ascii()),
        };
        let applicability = if certain {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        for (first, last) in repeats(text, words, &policy) {
            let word = &text[last.clone()];
            sink.report(first.start..last.end, format!("`{word}` is repeated"))
                .help("remove the second one")
                .fix(
                    applicability,
                    vec![Edit {
                        span: first.end..last.end,
                        replacement: "".into(),
                    }],
                );
        }
    }
}

/// Runs of adjacent equal words: the first word and the last repeat.
fn repeats(text: &str, words: &[Word], policy: &Policy) -> Vec<(Range<usize>, Range<usize>)> {
    let repeated = |first: &Word, second: &Word| {
        let a = &text[first.span.clone()];
        let b = &text[second.span.clone()];
        first.run == second.run
            && same_ignoring_case(a, b)
            && text[first.span.end..second.span.start]
                .chars()
                .all(char::is_whitespace)
            && stands_alone(text, &first.span)
            && stands_alone(text, &second.span)
            && !a.chars().any(char::is_numeric)
            && policy.reports(a)
    };
    // A quoted double ("unknown unknowns", `"inconnues inconnues"`) is meant.
    let quoted = |first: &Range<usize>, last: &Range<usize>| {
        let quote = |ch: Option<char>| ch.is_some_and(|ch| QUOTES.contains(ch));
        quote(text[..first.start].chars().next_back()) && quote(text[last.end..].chars().next())
    };
    let mut found = Vec::new();
    // The first word of the run of repeats under way, and its last repeat.
    let mut run: Option<(Range<usize>, Range<usize>)> = None;
    for pair in words.windows(2) {
        if repeated(&pair[0], &pair[1]) {
            match run.as_mut() {
                Some((_, last)) => *last = pair[1].span.clone(),
                None => run = Some((pair[0].span.clone(), pair[1].span.clone())),
            }
        } else {
            found.extend(run.take());
        }
    }
    found.extend(run);
    found.retain(|(first, last)| !quoted(first, last));
    found
}

/// Quotation marks of many languages.
const QUOTES: &str = "\"'«»“”„‘’‚‹›「」『』";

/// Whether the word at `span` is a whole token: no hyphen, apostrophe,
/// underscore, slash or letter joins it to its neighbours (`что-то`, `k8s/k8s`).
fn stands_alone(text: &str, span: &Range<usize>) -> bool {
    let joins = |ch: char| {
        ch.is_alphanumeric()
            || matches!(
                ch,
                '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '_' | '/' | '@' | '.' | '+'
            )
    };
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    // A full stop after the word ends a sentence ("the the."), unless a word
    // goes on after it (`example.com`).
    let after_joins = match after {
        Some('.') => text[span.end + 1..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric),
        Some(ch) => joins(ch),
        None => false,
    };
    !before.is_some_and(joins) && !after_joins
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::parse_body;

    fn pairs_in(prose: &str, language: Option<&str>) -> Vec<String> {
        let body = parse_body(prose, 0..prose.len());
        repeats(prose, body.words(), &Policy::of(language))
            .into_iter()
            .map(|(first, second)| prose[first.start..second.end].to_string())
            .collect()
    }

    fn pairs(prose: &str) -> Vec<String> {
        pairs_in(prose, Some("en"))
    }

    #[test]
    fn repeats_are_found() {
        assert_eq!(
            pairs("The the cat sat on\nthe the mat"),
            ["The the", "the the"]
        );
        assert_eq!(pairs("ends with the the."), ["the the"]);
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
        assert!(pairs("see `x` x and x-x x x.y").is_empty());
        assert!(pairs("the \"unknown unknowns\" and «nous nous»").is_empty());
    }

    #[test]
    fn unicode_words_are_never_split() {
        // A virama or a combining accent does not end a word.
        assert!(pairs_in("कुबेरनेट्स स्वचालन", None).is_empty());
        assert!(pairs_in("রিসোর্স স্কেল", None).is_empty());
        assert!(pairs_in("le le\u{301}ger", None).is_empty());
        assert!(pairs_in("что что-то", Some("ru")).is_empty());
        assert!(pairs_in("что что-то", None).is_empty());
    }

    #[test]
    fn grammatical_repetition_is_not_a_finding() {
        assert!(pairs_in("ঘন ঘন", Some("bn")).is_empty());
        assert!(pairs_in("धीरे धीरे", Some("hi")).is_empty());
        assert!(pairs_in("sık sık", Some("tr")).is_empty());
        assert!(pairs_in("song song", Some("vi")).is_empty());
        assert!(pairs_in("kadang kadang", Some("id")).is_empty());
        assert!(pairs_in("die die", Some("de")).is_empty());
        assert!(pairs_in("nous nous", Some("fr")).is_empty());
        // No language: Latin words are checked, other scripts are not.
        assert_eq!(pairs_in("le le chat", None), ["le le"]);
        assert!(pairs_in("ঘন ঘন", None).is_empty());
        assert!(pairs_in("die die", None).is_empty());
        // A language without a rule is not checked.
        assert!(pairs_in("так так", Some("ru")).is_empty());
    }
}
