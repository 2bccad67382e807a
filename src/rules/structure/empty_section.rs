//! ## What it does
//! Reports a heading (or bold pseudo-heading) with nothing under it before the
//! next heading of the same or a higher rank. A bold line that ends like a
//! sentence (`.` or `!`) is a bold closing sentence, not a title, and is skipped.
//!
//! ## Why is this bad?
//! An empty section promises content the reader never gets; it is usually a
//! placeholder or the trace of a deletion.
//!
//! ## Example
//! ```markdown
//! **Why Acid Recovery Matters**
//! **How It Is Used in Practice**
//! - **Calibration**: ...
//! ```
//!
//! Use instead: write the section, or remove its heading.
//!
//! ## Options
//! None.

use super::empty_body::is_blank;
use crate::model::HeadingKind;
use crate::rules::prelude::*;
use crate::rules::shorten;

/// See the module documentation.
pub struct EmptySection;

static META: RuleMeta = RuleMeta {
    id: "empty-section",
    family: Family::Structure,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("empty_section.rs"),
};

impl Rule for EmptySection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let headings = &cx.entry.body.headings;
        let mut has_children = vec![false; headings.len()];
        for heading in headings {
            if let Some(parent) = heading.parent {
                has_children[parent] = true;
            }
        }
        for (index, heading) in headings.iter().enumerate() {
            let has_subsections = has_children[index];
            let under = &cx.file.text[heading.span.end..heading.section.end];
            let bold_sentence =
                heading.kind == HeadingKind::Pseudo && heading.text.ends_with(['.', '!']);
            if !has_subsections && !bold_sentence && is_blank(under) {
                sink.report(
                    heading.span.clone(),
                    format!("section `{}` is empty", shorten(&heading.text)),
                )
                .help("write the section, or remove its heading");
            }
        }
    }
}
