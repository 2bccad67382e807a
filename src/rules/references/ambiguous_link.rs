//! ## What it does
//! Under `[references] wiki = "file"` (Obsidian, Foam), reports a `[[name]]`
//! that two or more files answer: notes of the same name in different
//! folders. glosslint resolves it to the first in path order; the app may
//! pick another.
//!
//! ## Why is this bad?
//! The link goes to whichever note the app finds first, which changes when a
//! note is added or moved; readers land on the wrong note.
//!
//! ## Example
//! `[[setup]]` with both `projects/a/setup.md` and `projects/b/setup.md`.
//!
//! Use instead: `[[a/setup]]`, a path that names one file.
//!
//! ## Options
//! None.

use crate::config::WikiMode;
use crate::index::scoped_key;
use crate::model::LinkKind;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct AmbiguousLink;

static META: RuleMeta = RuleMeta {
    id: "ambiguous-link",
    family: Family::References,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("ambiguous_link.rs"),
};

impl Rule for AmbiguousLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        if cx.config.references.wiki != WikiMode::File {
            return;
        }
        let index = cx.index;
        for member in index.reported() {
            let record = index.record(member);
            for link in &record.links {
                let name = link.target.trim().trim_end_matches(".md").to_lowercase();
                if link.kind != LinkKind::Wiki || name.is_empty() || name.contains('/') {
                    continue;
                }
                let records = index.with_stem(&scoped_key(&record.namespace, &name));
                let mut files: Vec<usize> = records.iter().map(|&r| index.record(r).file).collect();
                files.dedup();
                if files.len() < 2 {
                    continue;
                }
                let paths: Vec<String> = files
                    .iter()
                    .filter_map(|&file| index.file_path(file))
                    .map(|path| format!("`{path}`"))
                    .collect();
                sink.report(
                    record.file,
                    link.span.clone(),
                    format!(
                        "`[[{}]]` names {} files: {}",
                        link.target,
                        files.len(),
                        paths.join(", ")
                    ),
                )
                .help("write the folder too, as `[[folder/name]]`, so the link names one file");
            }
        }
    }
}
