//! ## What it does
//! Reports an entry without a term: no `term` in its front matter (or the field
//! named by `[entries] term_field`), and, without front matter, no level-1
//! heading.
//!
//! ## Why is this bad?
//! An entry without a headword cannot be linked to, listed or checked for
//! duplicates.
//!
//! ## Example
//! ```markdown
//! ---
//! tags: [chemistry]
//! ---
//! Treatment of acidic exhaust gases.
//! ```
//!
//! Use instead:
//! ```markdown
//! ---
//! term: Acid Gas Scrubbing
//! tags: [chemistry]
//! ---
//! Treatment of acidic exhaust gases.
//! ```
//!
//! ## Options
//! None.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MissingTerm;

static META: RuleMeta = RuleMeta {
    id: "missing-term",
    family: Family::Structure,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("missing_term.rs"),
};

impl Rule for MissingTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        // Front matter that does not parse is `malformed-entry`'s finding; the
        // missing term is only its consequence.
        if cx.entry.term.is_some() || !cx.entry.problems.is_empty() {
            return;
        }
        let field = &cx.file.config.parse.term_field;
        let help = if cx.entry.header.is_empty() {
            format!("add front matter with `{field}: ...`, or a level-1 heading")
        } else {
            format!("add `{field}: ...` to the front matter")
        };
        sink.report(cx.entry.anchor(cx.file.text), "entry has no term")
            .help(help);
    }
}
