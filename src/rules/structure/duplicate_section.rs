//! ## What it does
//! Reports a heading that repeats an earlier heading with the same parent in the
//! same entry (case, spacing and trailing punctuation ignored). The same title
//! under different parents, such as `Example` under each of several methods, is
//! fine.
//!
//! ## Why is this bad?
//! Two sections with one title split what belongs together, and their anchors
//! collide on the rendered page.
//!
//! ## Example
//! ```markdown
//! ## Applications
//! ...
//! ## Limitations
//! ...
//! ## Applications
//! ```
//!
//! Use instead: merge the two sections.
//!
//! ## Options
//! None.

use crate::normalize::heading_key;
use crate::rules::prelude::*;
use crate::rules::shorten;

/// See the module documentation.
pub struct DuplicateSection;

static META: RuleMeta = RuleMeta {
    id: "duplicate-section",
    family: Family::Structure,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("duplicate_section.rs"),
};

impl Rule for DuplicateSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let headings = &cx.entry.body.headings;
        let keys: Vec<String> = headings
            .iter()
            .map(|heading| heading_key(&heading.text))
            .collect();
        // The first heading with each (parent, title), filled in order.
        let mut first_of: std::collections::HashMap<(Option<usize>, &str), usize> =
            std::collections::HashMap::new();
        for (index, heading) in headings.iter().enumerate() {
            if keys[index].is_empty() {
                continue;
            }
            let first = *first_of
                .entry((heading.parent, keys[index].as_str()))
                .or_insert(index);
            if first != index {
                let file = sink.file;
                sink.report(
                    heading.span.clone(),
                    format!("section `{}` appears twice", shorten(&heading.text)),
                )
                .related(file, headings[first].span.clone(), "first written here")
                .help("merge the two sections");
            }
        }
    }
}
