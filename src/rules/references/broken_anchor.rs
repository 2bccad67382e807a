//! ## What it does
//! Reports a `#anchor` with no matching heading in its target: `[[term#Heading]]`,
//! `[label](other.md#anchor)` or `[label](#anchor)`. Anchors follow GitHub's slug
//! rules (lowercase, punctuation dropped, spaces to `-`, Unicode letters kept,
//! `-1`, `-2` for repeated headings); a wiki anchor may also be the heading's
//! text. Pseudo-headings (bold lines) get no anchor on a rendered page, so they
//! do not count.
//!
//! ## Why is this bad?
//! The page opens at its top instead of the section the author meant, and the
//! reader has to hunt for it; it usually means a heading was renamed.
//!
//! ## Example
//! ```markdown
//! See [the trade-off](activation-checkpointing.md#tradeoffs).
//! ```
//! when the heading is `## Trade-offs` (anchor `trade-offs`).
//!
//! Use instead:
//! ```markdown
//! See [the trade-off](activation-checkpointing.md#trade-offs).
//! ```
//!
//! ## Options
//! None.

use super::{resolved_links, written};
use crate::index::resolve::Target;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct BrokenAnchor;

static META: RuleMeta = RuleMeta {
    id: "broken-anchor",
    family: Family::References,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("broken_anchor.rs"),
};

impl Rule for BrokenAnchor {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn flags(&self) -> Flags {
        Flags {
            judges_link_targets: true,
            ..Flags::default()
        }
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        let found = resolved_links(cx, |_, record, link, target| match target {
            Target::Entry {
                record: target,
                anchor_found: Some(false),
            } => Some((record, link, target)),
            _ => None,
        });
        for (record, link, target) in found {
            let anchor = link.anchor.as_deref().unwrap_or("");
            let target_record = index.record(target);
            // A `[files] referrers` page has no term: named by its path.
            let name = target_record.term.as_ref().map_or_else(
                || index.file_path(target_record.file).unwrap_or("the target"),
                |term| term.value.as_ref(),
            );
            let diagnostic = sink.report(
                record.file,
                link.span.clone(),
                format!("`{}`: `{name}` has no heading `#{anchor}`", written(link)),
            );
            let near = index.suggest_anchors(target, anchor);
            if near.is_empty() {
                diagnostic.help("the target has no headings to link to");
            } else {
                let near: Vec<String> = near.iter().map(|anchor| format!("`#{anchor}`")).collect();
                diagnostic.help(format!("its headings include {}", near.join(", ")));
            }
            if let Some(term) = &target_record.term {
                diagnostic.related(target_record.file, term.span.clone(), "the target entry");
            }
        }
    }
}
