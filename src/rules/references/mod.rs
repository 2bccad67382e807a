//! Reference rules: links between entries that resolve to nothing, to a
//! missing heading, to the linking entry itself; mentions that could be links;
//! entries nothing links to.

mod broken_anchor;
mod broken_reference;
mod orphan_entry;
mod self_reference;
mod unlinked_mention;

use super::Rule;

/// The references rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(broken_reference::BrokenReference),
        Box::new(broken_anchor::BrokenAnchor),
        Box::new(self_reference::SelfReference),
        Box::new(unlinked_mention::UnlinkedMention),
        Box::new(orphan_entry::OrphanEntry),
    ]
}

/// `[[target]]`, `target#anchor` or `(path)` as the reader wrote it, for messages.
fn written(link: &crate::model::Link) -> String {
    let target = match &link.anchor {
        Some(anchor) => format!("{}#{anchor}", link.target),
        None => link.target.clone(),
    };
    match link.kind {
        crate::model::LinkKind::Wiki => format!("[[{target}]]"),
        crate::model::LinkKind::Path => format!("({target})"),
    }
}
