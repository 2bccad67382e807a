//! ## What it does
//! Reports a template section that comes before a section the template puts
//! ahead of it.
//!
//! ## Why is this bad?
//! Every entry following the same order is what lets a reader skim a glossary.
//!
//! ## Example
//! ```markdown
//! **Why Acid Recovery Matters**
//! ...
//! **What Is Acid Recovery?**
//! ...
//! ```
//!
//! Use instead:
//! ```markdown
//! **What Is Acid Recovery?**
//! ...
//! **Why Acid Recovery Matters**
//! ...
//! ```
//!
//! ## Options
//! None; the order comes from the template.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct SectionOrder;

static META: RuleMeta = RuleMeta {
    id: "section-order",
    family: Family::Structure,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("section_order.rs"),
};

impl Rule for SectionOrder {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let headings = &cx.entry.body.headings;
        for active in &cx.templates {
            let mut latest: Option<usize> = None;
            for found in active.found.iter().flatten().copied() {
                match latest {
                    Some(before) if found < before => {
                        let heading = &headings[found];
                        let file = sink.file;
                        sink.report(
                            heading.span.clone(),
                            format!(
                                "section `{}` comes before `{}`, but template `{}` puts it after",
                                heading.text, headings[before].text, active.template.name
                            ),
                        )
                        .related(
                            file,
                            headings[before].span.clone(),
                            "template puts this section first",
                        );
                    }
                    _ => latest = Some(found),
                }
            }
        }
    }
}
