//! ## What it does
//! Reports an entry that no other entry links to (by wiki link, path link,
//! site link or `see_also`). Off by default: many glossaries are browsed by
//! index, not by links.
//!
//! ## Why is this bad?
//! In a glossary meant to be read as a web, an entry nothing points to is found
//! only by search; it often duplicates a better-linked entry under another name.
//!
//! ## Example
//! An entry `activation beacon` that no entry mentions as `[[activation beacon]]`.
//!
//! Use instead: link it from the entries that use the term, or merge it.
//!
//! ## Options
//! None.

use super::resolved;
use crate::index::resolve::Target;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct OrphanEntry;

static META: RuleMeta = RuleMeta {
    id: "orphan-entry",
    family: Family::References,
    default_level: Level::Off,
    fix: FixKind::None,
    options: &[],
    source: include_str!("orphan_entry.rs"),
};

impl Rule for OrphanEntry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// One entry's findings depend on every entry of the corpus (who links
    /// to it, whose term its prose mentions): a staged run indexes everything.
    fn needs(&self, _config: &crate::config::Config) -> crate::rules::Needs {
        crate::rules::Needs {
            whole_corpus: true,
            ..crate::rules::Needs::default()
        }
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        let all = index.all();
        let mut linked = vec![false; index.id_bound()];
        let targets = resolved(cx);
        for &from in &all {
            for target in targets.of(cx, from) {
                if let Target::Entry { record: target, .. } = *target {
                    if target != from && target < linked.len() {
                        linked[target] = true;
                    }
                }
            }
        }
        for &member in &all {
            let record = index.record(member);
            if linked[member] || !index.reports_file(record.file) {
                continue;
            }
            if let Some(term) = &record.term {
                sink.report(
                    record.file,
                    term.span.clone(),
                    format!("no entry links to `{}`", term.value),
                )
                .help(format!(
                    "link it as `[[{}]]` from the entries that use the term",
                    term.value
                ));
            }
        }
    }
}
