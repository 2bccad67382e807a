//! ## What it does
//! Reports a reference that resolves to nothing: a wiki link `[[term]]` whose
//! term is neither a term nor an alias of any entry, a relative link
//! `[label](other.md)` to a file that does not exist, a site link
//! `[label](/es/service/)` that no `[[references.routes]]` file answers, a
//! `see_also` item naming no entry, and a path that climbs out of the project
//! root (never followed). The help names the nearest existing terms. External
//! URLs (`https:`, `mailto:`) are not checked.
//!
//! ## Why is this bad?
//! A broken link sends the reader nowhere, and in a glossary it usually means
//! a term was renamed or deleted without updating the entries that use it.
//!
//! ## Example
//! ```markdown
//! Trades compute for memory, like [[gradient checkpointing]].
//! ```
//! when no entry has that term or alias.
//!
//! Use instead:
//! ```markdown
//! Trades compute for memory, like [[activation checkpointing]].
//! ```
//!
//! ## Options
//! None; site paths are resolved through `[[references.routes]]`.

use super::written;
use crate::index::resolve::Target;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct BrokenReference;

static META: RuleMeta = RuleMeta {
    id: "broken-reference",
    family: Family::References,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("broken_reference.rs"),
};

impl Rule for BrokenReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        for (from, record) in index.entries.iter().enumerate() {
            if !index.is_reported(record) {
                continue;
            }
            for link in &record.links {
                match index.resolve(from, link, &cx.config.routes, cx.root) {
                    Target::Missing => {
                        let diagnostic = sink.report(
                            record.file,
                            link.span.clone(),
                            format!("`{}` resolves to no entry", written(link)),
                        );
                        let near = match link.kind {
                            crate::model::LinkKind::Wiki => index.suggest_terms(&link.target),
                            crate::model::LinkKind::Path => {
                                let stem = link
                                    .target
                                    .trim_end_matches('/')
                                    .rsplit('/')
                                    .next()
                                    .unwrap_or("");
                                index.suggest_terms(&stem.trim_end_matches(".md").replace('-', " "))
                            }
                        };
                        if near.is_empty() {
                            diagnostic.help("no entry has this term, alias or path");
                        } else {
                            let near: Vec<String> =
                                near.iter().map(|term| format!("`{term}`")).collect();
                            diagnostic.help(format!("did you mean {}?", near.join(", ")));
                        }
                    }
                    Target::OutsideRoot => {
                        sink.report(
                            record.file,
                            link.span.clone(),
                            format!("`{}` leaves the project root", written(link)),
                        )
                        .help("link to an entry inside the glossary; glosslint never follows links out of the root");
                    }
                    Target::Entry { .. } | Target::File => {}
                }
            }
        }
    }
}
