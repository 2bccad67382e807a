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
        let mut linked = vec![false; index.entries.len()];
        for (from, record) in index.entries.iter().enumerate() {
            for link in &record.links {
                if let Target::Entry { record: target, .. } =
                    index.resolve(from, link, cx.config, cx.root)
                {
                    if target != from {
                        linked[target] = true;
                    }
                }
            }
        }
        for (record, is_linked) in index.entries.iter().zip(linked) {
            if is_linked || !index.is_reported(record) {
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
