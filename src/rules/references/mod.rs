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
use crate::index::EntryRecord;
use crate::model::Link;

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

/// What `pick` makes of each link of each reported entry and where it leads,
/// in record and link order. Resolving (and whatever `pick` does) is
/// independent per entry: done in parallel; the rules report in this order.
fn resolved_links<'a, T: Send>(
    cx: &CorpusContext<'a>,
    pick: impl Fn(usize, &'a EntryRecord, &'a Link, Target) -> Option<T> + Sync,
) -> Vec<T> {
    let index = cx.index;
    let pick = &pick;
    index
        .entries
        .par_iter()
        .enumerate()
        .filter(|(_, record)| index.is_reported(record))
        .flat_map_iter(|(from, record)| {
            record.links.iter().filter_map(move |link| {
                let target = index.resolve(from, link, cx.config, cx.root);
                pick(from, record, link, target)
            })
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
