//! ## What it does
//! Reports an entry whose body holds no text at all.
//!
//! ## Why is this bad?
//! A term without a definition is a dead end for the reader, and in a dump it
//! usually means a header line was pasted without the text that belonged to it.
//!
//! ## Example
//! ```text
//! acid recovery, environmental & sustainability
//! acid neutralization, facility
//! Acid neutralization treats acidic waste streams ...
//! ```
//!
//! Use instead:
//! ```text
//! acid recovery, environmental & sustainability
//! **Acid Recovery** is reclamation of spent acids for reuse.
//! acid neutralization, facility
//! Acid neutralization treats acidic waste streams ...
//! ```
//!
//! ## Options
//! None.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct EmptyBody;

static META: RuleMeta = RuleMeta {
    id: "empty-body",
    family: Family::Structure,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("empty_body.rs"),
};

impl Rule for EmptyBody {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        if is_empty(cx) && cx.entry.problems.is_empty() {
            sink.report(cx.entry.anchor(cx.file.text), "entry has no body text")
                .help("write the definition below the term");
        }
    }
}

/// Whether the body holds nothing but white space and comments.
pub fn is_empty(cx: &EntryContext<'_>) -> bool {
    let body = &cx.file.text[cx.entry.body.span.clone()];
    cx.entry.body.length() == 0 && cx.entry.body.code_blocks.is_empty() && is_blank(body)
}

/// White space and comments only.
pub fn is_blank(text: &str) -> bool {
    let mut rest = text.trim();
    while let Some(comment) = rest.strip_prefix("<!--") {
        rest = comment
            .split_once("-->")
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    rest.is_empty()
}
