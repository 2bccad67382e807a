//! Reference rules: links between entries that resolve to nothing, to a
//! missing heading, to the linking entry itself; mentions that could be links;
//! entries nothing links to.

mod ambiguous_link;
mod broken_anchor;
mod broken_reference;
mod malformed_link;
mod orphan_entry;
mod redirected_link;
mod self_reference;
mod unlinked_mention;

use rayon::prelude::*;

use super::{CorpusContext, Rule};
use crate::index::resolve::Target;
use crate::index::{EntryRecord, RecordId};
use crate::model::Link;
use std::sync::{Arc, OnceLock};

/// The references rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(broken_reference::BrokenReference),
        Box::new(broken_anchor::BrokenAnchor),
        Box::new(self_reference::SelfReference),
        Box::new(unlinked_mention::UnlinkedMention),
        Box::new(orphan_entry::OrphanEntry),
        Box::new(malformed_link::MalformedLink),
        Box::new(ambiguous_link::AmbiguousLink),
        Box::new(redirected_link::RedirectedLink),
    ]
}

/// Where each entry's links lead, resolved once per run (by the first rule
/// that asks) and shared by every reference rule.
pub(crate) struct Resolved(Vec<OnceLock<Vec<Target>>>);

/// The run's [`Resolved`].
fn resolved(cx: &CorpusContext<'_>) -> Arc<Resolved> {
    cx.memo
        .get_or_make(|| Resolved((0..cx.index.id_bound()).map(|_| OnceLock::new()).collect()))
}

impl Resolved {
    /// Where each link of record `from` leads, in link order.
    fn of(&self, cx: &CorpusContext<'_>, from: RecordId) -> &[Target] {
        let resolve = || {
            cx.index
                .record(from)
                .links
                .iter()
                .map(|link| cx.index.resolve(from, link, cx.config, cx.root))
                .collect()
        };
        match self.0.get(from) {
            Some(slot) => slot.get_or_init(resolve),
            None => &[],
        }
    }
}

/// What `pick` makes of each link of each reported entry and where it leads,
/// in record and link order. Resolving (and whatever `pick` does) is
/// independent per entry: done in parallel; the rules report in this order.
fn resolved_links<'a, T: Send>(
    cx: &CorpusContext<'a>,
    pick: impl Fn(usize, &'a EntryRecord, &'a Link, Target) -> Option<T> + Sync,
) -> Vec<T> {
    let index = cx.index;
    let pick = &pick;
    let targets = resolved(cx);
    let targets = &targets;
    index
        .reported()
        .par_iter()
        .flat_map_iter(|&from| {
            let record = index.record(from);
            let found: Vec<T> = record
                .links
                .iter()
                .zip(targets.of(cx, from))
                .filter_map(|(link, target)| pick(from, record, link, target.clone()))
                .collect();
            found
        })
        .collect()
}

/// `[[target]]`, `target#anchor` or `(path)` as the reader wrote it, for
/// messages; a pattern's file name or id as the match names it (`pod`).
fn written(link: &crate::model::Link) -> String {
    let target = match &link.anchor {
        Some(anchor) => format!("{}#{anchor}", link.target),
        None => link.target.clone(),
    };
    match link.kind {
        crate::model::LinkKind::Wiki => format!("[[{target}]]"),
        crate::model::LinkKind::Path => format!("({target})"),
        crate::model::LinkKind::Stem | crate::model::LinkKind::Id => target,
    }
}
