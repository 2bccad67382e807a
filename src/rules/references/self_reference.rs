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

use rayon::prelude::*;

use super::written;
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
        let index = cx.index;
        // Resolving is independent per entry: done in parallel, reported in
        // record order.
        let found: Vec<(usize, usize)> = index
            .entries
            .par_iter()
            .enumerate()
            .filter(|(_, record)| index.is_reported(record))
            .flat_map_iter(|(from, record)| {
                record
                    .links
                    .iter()
                    .enumerate()
                    .filter_map(move |(at, link)| {
                        let resolved = (!link.target.is_empty())
                            .then(|| index.resolve(from, link, &cx.config.routes, cx.root));
                        matches!(resolved, Some(Target::Entry { record, .. }) if record == from)
                            .then_some((from, at))
                    })
            })
            .collect();
        for (from, at) in found {
            let record = &index.entries[from];
            let link = &record.links[at];
            sink.report(
                record.file,
                link.span.clone(),
                format!("`{}` links the entry to itself", written(link)),
            )
            .help("link to the related term you meant, or remove the link");
        }
    }
}
