//! ## What it does
//! Reports a body of fewer than `min-words` words (25 by default). Code counts
//! as prose here; an empty body is `empty-body`'s finding instead.
//!
//! Length is measured the same way in every script: words are Unicode words
//! (UAX #29), and each Han, Hiragana, Katakana, Thai, Lao, Khmer or Myanmar
//! character counts as one word, as word processors count them, because those
//! scripts do not put spaces between words (so a sentence of Chinese or
//! Japanese is not "1 word"). Korean separates its words with spaces, so
//! Hangul is counted by words.
//!
//! ## Why is this bad?
//! A one-line definition rarely tells a reader more than the term itself; it is
//! usually a stub left for later.
//!
//! ## Example
//! ```text
//! activation anneal,implant
//! Heat treatment after implantation.
//! ```
//!
//! Use instead: a definition that says what the term is, why it matters and how
//! it is used.
//!
//! ## Options
//! - `min-words` (integer, default 25): the fewest words a body may have.

use super::empty_body::is_empty;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct ShortBody;

static META: RuleMeta = RuleMeta {
    id: "short-body",
    family: Family::Structure,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[RuleOption {
        name: "min-words",
        default: 25,
        minimum: 0,
    }],
    source: include_str!("short_body.rs"),
};

impl Rule for ShortBody {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let minimum = sink.option("min-words");
        let words = cx.entry.body.length();
        // A body after broken front matter has uncertain bounds: `malformed-entry` first.
        if (words as i64) < minimum && !is_empty(cx) && cx.entry.problems.is_empty() {
            sink.report(
                cx.entry.anchor(cx.file.text),
                format!("body has {words} words, fewer than {minimum}"),
            )
            .help("expand the definition, or lower `min-words` in [rules] short-body");
        }
    }
}
