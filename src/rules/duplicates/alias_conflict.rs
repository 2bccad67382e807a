//! ## What it does
//! Reports an alias equal (after term folding) to another entry's term or alias.
//!
//! ## Why is this bad?
//! A link to that name could mean either entry; glosslint and the site
//! generator must pick one, and the reader may land on the wrong definition.
//!
//! ## Example
//! ```markdown
//! ---
//! term: Adam optimizer
//! aliases: [AdamW]
//! ---
//! ```
//! while another entry has `term: AdamW`.
//!
//! Use instead: drop the alias, or merge the entries.
//!
//! ## Options
//! None.

use super::MAX_RELATED;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct AliasConflict;

static META: RuleMeta = RuleMeta {
    id: "alias-conflict",
    family: Family::Duplicates,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("alias_conflict.rs"),
};

impl Rule for AliasConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        for member in index.reported() {
            let record = index.record(member);
            for (alias, key) in &record.aliases {
                let as_term = index.with_term(key);
                let as_term = as_term.iter().filter(|&&other| other != member);
                let as_alias = index.with_alias(key);
                let as_alias = as_alias.iter().filter(|&&other| other != member);
                let mut others: Vec<(usize, bool)> = as_term
                    .map(|&other| (other, true))
                    .chain(as_alias.map(|&other| (other, false)))
                    .collect();
                // In corpus order; an entry with the name as term and as
                // alias is drawn once, by its alias.
                others.sort_unstable_by_key(|&(other, is_term)| (index.position(other), is_term));
                others.dedup_by_key(|(other, _)| *other);
                if others.is_empty() {
                    continue;
                }
                let diagnostic = sink.report(
                    record.file,
                    alias.span.clone(),
                    format!("alias `{}` is also a name of another entry", alias.value),
                );
                for &(other, is_term) in others.iter().take(MAX_RELATED) {
                    let other = index.record(other);
                    let span = if is_term {
                        other.term.as_ref().map(|term| term.span.clone())
                    } else {
                        other
                            .aliases
                            .iter()
                            .find(|(_, other_key)| other_key == key)
                            .map(|(a, _)| a.span.clone())
                    };
                    if let Some(span) = span {
                        diagnostic.related(
                            other.file,
                            span,
                            if is_term {
                                "the term of this entry"
                            } else {
                                "an alias of this entry"
                            },
                        );
                    }
                }
                diagnostic.help(format!(
                    "{} other {} this name: drop the alias, or merge the entries",
                    others.len(),
                    if others.len() == 1 {
                        "entry has"
                    } else {
                        "entries have"
                    }
                ));
            }
        }
    }
}
