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
use crate::normalize::plural_forms;
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
        let mut pairs: Vec<(&Vec<usize>, &Vec<usize>)> = Vec::new();
        for (key, singulars) in &index.by_term {
            for plural in plural_forms(key) {
                if let Some(plurals) = index.by_term.get(&plural) {
                    pairs.push((singulars, plurals));
                }
            }
        }
        pairs.sort_unstable();
        for (singulars, plurals) in pairs {
            for (side, other_side) in [(singulars, plurals), (plurals, singulars)] {
                for &member in side {
                    let record = &index.entries[member];
                    let Some(term) = record.term.as_ref().filter(|_| index.is_reported(record))
                    else {
                        continue;
                    };
                    let other = other_side
                        .iter()
                        .find_map(|&o| index.entries[o].term.as_ref());
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
                        let twin = &index.entries[twin];
                        if let Some(twin_term) = &twin.term {
                            diagnostic.related(twin.file, twin_term.span.clone(), "the other form");
                        }
                    }
                    diagnostic.help(
                        "keep one entry with the singular term and add the plural as an alias",
                    );
                }
            }
        }
    }
}
