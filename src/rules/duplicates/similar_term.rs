//! ## What it does
//! Reports terms that differ only by a plural `s` or `es` on their last word,
//! such as `activation function` and `activation functions`. Each entry is
//! reported, pointing at the others.
//!
//! ## Why is this bad?
//! Singular and plural entries split one concept in two; links land on either
//! at random and the two definitions drift apart.
//!
//! ## Example
//! ```text
//! activation function,relu,gelu
//! ...
//! activation functions, nonlinear transformations
//! ...
//! ```
//!
//! Use instead: one entry with the singular term and the plural as an alias.
//!
//! ## Options
//! None.

use super::MAX_RELATED;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct SimilarTerm;

static META: RuleMeta = RuleMeta {
    id: "similar-term",
    family: Family::Duplicates,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("similar_term.rs"),
};

impl Rule for SimilarTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        for member in index.reported() {
            let record = index.record(member);
            let (Some(term), Some(key)) = (&record.term, &record.term_key) else {
                continue;
            };
            // Its plurals' entries, then the entries whose plural it is.
            let others = index
                .plurals_of(key)
                .into_iter()
                .chain(index.singulars_of(key));
            for other_side in others {
                let other = other_side
                    .iter()
                    .find_map(|&o| index.record(o).term.as_ref());
                let Some(other) = other else { continue };
                let diagnostic = sink.report(
                    record.file,
                    term.span.clone(),
                    format!(
                        "term `{}` differs from `{}` only by a plural",
                        term.value, other.value
                    ),
                );
                for &twin in other_side.iter().take(MAX_RELATED) {
                    let twin = index.record(twin);
                    if let Some(twin_term) = &twin.term {
                        diagnostic.related(twin.file, twin_term.span.clone(), "the other form");
                    }
                }
                diagnostic
                    .help("keep one entry with the singular term and add the plural as an alias");
            }
        }
    }
}
