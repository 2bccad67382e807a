//! ## What it does
//! Reports a bold item label that the template requires in a section's list but
//! that the section lacks (`- **Calibration**: ...`). Labels match ignoring case
//! and a trailing colon.
//!
//! ## Why is this bad?
//! The labelled items are the facts a reader expects in every entry of a kind;
//! a missing one is usually a forgotten fact.
//!
//! ## Example
//! ```markdown
//! **How It Is Used in Practice**
//! - **Method Selection**: ...
//! - **Validation**: ...
//! ```
//!
//! Use instead:
//! ```markdown
//! **How It Is Used in Practice**
//! - **Method Selection**: ...
//! - **Calibration**: ...
//! - **Validation**: ...
//! ```
//!
//! ## Options
//! None; the labels come from the template.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MissingItem;

static META: RuleMeta = RuleMeta {
    id: "missing-item",
    family: Family::Structure,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("missing_item.rs"),
};

impl Rule for MissingItem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let body = &cx.entry.body;
        for active in &cx.templates {
            for (section, found) in active.template.sections.iter().zip(&active.found) {
                let Some(found) = *found else { continue };
                let heading = &body.headings[found];
                let labels = body
                    .list_items
                    .iter()
                    .filter_map(|item| item.label.as_ref())
                    .filter(|label| heading.section.contains(&label.span.start));
                for item in &section.items {
                    if !labels
                        .clone()
                        .any(|label| crate::normalize::same_ignoring_case(&label.value, item))
                    {
                        sink.report(
                            heading.span.clone(),
                            format!("section `{}` has no `{item}` item", heading.text),
                        )
                        .help(format!("add `- **{item}**: ...` to the section's list"));
                    }
                }
            }
        }
    }
}
