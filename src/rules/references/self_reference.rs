//! ## What it does
//! Reports a reference from an entry to itself: `[[its own term]]`, an alias of
//! its own, or a `see_also` item naming itself. A link to one of its own
//! headings (`[label](#anchor)`) is navigation, not a self-reference.
//!
//! ## Why is this bad?
//! The reader clicks and lands where they already are; it is usually a
//! copy-paste slip for a different, related term.
//!
//! ## Example
//! ```markdown
//! ---
//! term: Active Learning
//! see_also: [active learning]
//! ---
//! ```
//!
//! Use instead: point at the related term you meant, or drop the link.
//!
//! ## Options
//! None.

use super::{resolved_links, written};
use crate::index::resolve::Target;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct SelfReference;

static META: RuleMeta = RuleMeta {
    id: "self-reference",
    family: Family::References,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("self_reference.rs"),
};

impl Rule for SelfReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let found = resolved_links(cx, |from, record, link, target| {
            let to_itself = !link.target.is_empty()
                && matches!(target, Target::Entry { record, .. } if record == from);
            to_itself.then(|| (record.file, link.span.clone(), written(link)))
        });
        for (file, span, written) in found {
            sink.report(file, span, format!("`{written}` links the entry to itself"))
                .help("link to the related term you meant, or remove the link");
        }
    }
}
