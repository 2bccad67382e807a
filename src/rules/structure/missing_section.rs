//! ## What it does
//! Reports a section that the entry's template requires but the entry lacks.
//! Templates live in `rules/templates.toml`; a template with
//! `applies = "detected"` binds only entries that already have one of its
//! headings, so an entry that opens the template and then leaves it is caught.
//!
//! ## Why is this bad?
//! Readers learn where to look in a glossary from its fixed shape; an entry that
//! drops "Why it matters" breaks that shape and usually lost text in an edit.
//!
//! ## Example
//! With the template `What Is {term}?`, `Why {term} Matters`, `How It Is Used in Practice`:
//! ```markdown
//! **What Is Acid Recovery?**
//! - **Definition**: reclamation of spent acids.
//! **How It Is Used in Practice**
//! - **Calibration**: ...
//! ```
//!
//! Use instead:
//! ```markdown
//! **What Is Acid Recovery?**
//! - **Definition**: reclamation of spent acids.
//! **Why Acid Recovery Matters**
//! - **Outcome Quality**: ...
//! **How It Is Used in Practice**
//! - **Calibration**: ...
//! ```
//!
//! ## Options
//! None; the sections come from the template.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MissingSection;

static META: RuleMeta = RuleMeta {
    id: "missing-section",
    family: Family::Structure,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("missing_section.rs"),
};

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let term = cx
            .entry
            .term
            .as_ref()
            .map_or("{term}", |term| term.value.as_str());
        for active in &cx.templates {
            for (index, section) in active.template.sections.iter().enumerate() {
                if active.found[index].is_some() {
                    continue;
                }
                let heading = section.heading.render(term);
                let diagnostic = sink.report(
                    cx.entry.anchor(cx.file.text),
                    format!(
                        "missing section `{heading}` required by template `{}`",
                        active.template.name
                    ),
                );
                let previous = active.found[..index].iter().rev().flatten().next();
                match previous {
                    Some(&found) => diagnostic.help(format!(
                        "add a `**{heading}**` section after `{}`",
                        cx.entry.body.headings[found].text
                    )),
                    None => diagnostic.help(format!("add a `**{heading}**` section")),
                };
            }
        }
    }
}
