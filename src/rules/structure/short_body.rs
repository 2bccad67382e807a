//! ## What it does
//! Reports a body of fewer than `min-words` words (25 by default, SPEC 5).
//! Code counts as prose here; an empty body is `empty-body`'s finding
//! instead.
//!
//! A glossary written for tooltips defines each term in one sentence by
//! style (the Kubernetes glossary's 24-word definitions are not stubs): such
//! a site sets `min-words` to about 10, a phrase that is not yet a sentence,
//! and `glosslint init` writes that for a Hugo site with glossary tooltips.
//!
//! A pointer is not a short body: a body that is one paragraph whose link
//! text is at least half as long as the rest of it, or one list whose every
//! item holds a link (`See [[x]]`, "moved to [the guide](../guide.md)", a list
//! of related notes), is a cross-reference entry, which glossaries and note
//! collections write on purpose. Headings and HTML comments (`<!--more-->`)
//! around it do not count as blocks. A short definition with a link in it
//! (`A [Pod](pod.md) on a node.`) is still short.
//!
//! Length is measured the same way in every script: words are Unicode words
//! (UAX #29), and each Han, Hiragana, Katakana, Thai, Lao, Khmer or Myanmar
//! character counts as one word, as word processors count them, because those
//! scripts do not put spaces between words (so a sentence of Chinese or
//! Japanese is not "1 word"). Korean separates its words with spaces, but a
//! Korean word carries its particles and endings (`쿠버네티스의`, "of
//! Kubernetes"), so counting it as one word makes Korean look short: each
//! Hangul syllable counts as 0.4 of a word instead (one English word takes
//! 2.4 syllables in the median translated Kubernetes glossary entry).
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
//! Not reported (a pointer):
//! ```text
//! # Contribution Guide
//!
//! The guide has moved to [CONTRIBUTING.md](../CONTRIBUTING.md).
//! ```
//!
//! Use instead: a definition that says what the term is, why it matters and how
//! it is used.
//!
//! ## Options
//! - `min-words` (integer, default 25): the fewest words a body may have.

use super::empty_body::is_empty;
use crate::model::Body;
use crate::parse::text::BlockKind;
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
        if (words as i64) < minimum
            && !is_empty(cx)
            && cx.entry.problems.is_empty()
            && !is_pointer(&cx.entry.body)
        {
            sink.report(
                cx.entry.anchor(cx.file.text),
                format!("body has {words} words, fewer than {minimum}"),
            )
            .help("expand the definition, or lower `min-words` in [rules] short-body");
        }
    }
}

/// One paragraph holding a link, or one list whose every item holds one, and
/// no other block but headings and HTML (see the module documentation).
fn is_pointer(body: &Body<'_>) -> bool {
    let blocks = body.blocks();
    let mut outermost = Vec::new();
    let mut end = 0;
    for block in blocks {
        if block.range.start >= end {
            end = block.range.end;
            if !matches!(block.kind, BlockKind::Heading | BlockKind::Html) {
                outermost.push(block);
            }
        }
    }
    let runs = body.prose_runs();
    let has_link = |range: &std::ops::Range<usize>| {
        runs.iter()
            .any(|run| run.in_link && range.contains(&run.span.start))
    };
    // A paragraph points when its link text is at least half as long as the
    // rest: `See [[acid recovery]]`, not `A [Pod](pod.md) on a node`.
    let points = |range: &std::ops::Range<usize>| {
        let (linked, other) = body
            .words()
            .iter()
            .filter(|word| range.contains(&word.span.start))
            .fold((0, 0), |(linked, other), word| {
                if runs.get(word.run).is_some_and(|run| run.in_link) {
                    (linked + 1, other)
                } else {
                    (linked, other + 1)
                }
            });
        linked > 0 && linked * 2 >= other
    };
    match outermost[..] {
        [only] if only.kind == BlockKind::Paragraph => points(&only.range),
        [only] if only.kind == BlockKind::List => {
            let mut items = blocks.iter().filter(|block| {
                block.kind == BlockKind::Item
                    && only.range.start <= block.range.start
                    && block.range.end <= only.range.end
            });
            items.all(|item| has_link(&item.range))
        }
        _ => false,
    }
}
