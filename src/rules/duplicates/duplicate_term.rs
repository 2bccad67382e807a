//! ## What it does
//! Reports two or more entries with the same term, after folding case, `-`, `_`,
//! repeated white space and trailing `.` `:`. Every occurrence is reported, each
//! pointing at its twins, across files and inside one dump. How many entries
//! share the term is in the help, not the message: a baseline keeps accepting
//! the old copies when a third is added, and reports only the new one.
//!
//! ## Why is this bad?
//! A reader who looks a term up finds one definition and never learns of the
//! other; links to the term resolve to whichever the site generator saw first.
//!
//! ## Example
//! ```text
//! acid neutralization, environmental & sustainability
//! **Acid neutralization** is treatment ...
//! acid neutralization,facility
//! Acid neutralization treats acidic chemical waste ...
//! ```
//!
//! Use instead: merge the two definitions into one entry, or give one of them a
//! more specific term (`acid neutralization (facility)`).
//!
//! ## Options
//! None.

use super::MAX_RELATED;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct DuplicateTerm;

static META: RuleMeta = RuleMeta {
    id: "duplicate-term",
    family: Family::Duplicates,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("duplicate_term.rs"),
};

impl Rule for DuplicateTerm {
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
            let group = index.with_term(key);
            if group.len() < 2 {
                continue;
            }
            let diagnostic = sink.report(
                record.file,
                term.span.clone(),
                format!("term `{}` is also defined by another entry", term.value),
            );
            for &twin in group
                .iter()
                .filter(|&&twin| twin != member)
                .take(MAX_RELATED)
            {
                let twin = index.record(twin);
                if let Some(twin_term) = &twin.term {
                    diagnostic.related(twin.file, twin_term.span.clone(), "also defined here");
                }
            }
            diagnostic.help(format!(
                "{} entries define this term: merge the definitions, or make one term more specific",
                group.len()
            ));
        }
    }
}
