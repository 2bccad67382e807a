//! ## What it does
//! Where the entry's template sets `lead = "bold-term"`, reports a body that does
//! not open with the term (or an alias) in bold, such as `**Acid Gas
//! Scrubbing** is ...`. A lead that names another term is reported on that
//! bold span. A parenthetical gloss after the term is fine: `**AdaBoost
//! (Adaptive Boosting)**` names `adaboost`.
//!
//! ## Why is this bad?
//! A body that opens with the wrong term was almost always pasted from another
//! entry; one with no bold lead breaks the glossary's look.
//!
//! ## Example
//! ```text
//! acid recovery, environmental & sustainability
//! **Acid Neutralization** is reclamation of spent acids ...
//! ```
//!
//! Use instead:
//! ```text
//! acid recovery, environmental & sustainability
//! **Acid Recovery** is reclamation of spent acids ...
//! ```
//!
//! ## Options
//! None; the template decides where it applies.

use crate::config::Lead;
use crate::normalize::term_key;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct LeadTerm;

static META: RuleMeta = RuleMeta {
    id: "lead-term",
    family: Family::Structure,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("lead_term.rs"),
};

impl Rule for LeadTerm {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let Some(active) = cx
            .templates
            .iter()
            .find(|active| active.template.lead == Some(Lead::BoldTerm))
        else {
            return;
        };
        let Some(term) = &cx.entry.term else { return };
        let template = &active.template.name;
        match &cx.entry.body.lead {
            Some(lead) => {
                // `**AdaBoost (Adaptive Boosting)**` names the term `adaboost`.
                let without_gloss = lead
                    .value
                    .split_once(" (")
                    .map_or(lead.value.as_str(), |(name, _)| name);
                let named = [&lead.value, without_gloss]
                    .iter()
                    .any(|name| cx.names.contains(&term_key(name)));
                if !named {
                    sink.report(
                        lead.span.clone(),
                        format!(
                            "the lead names `{}`, not the term `{}`",
                            lead.value, term.value
                        ),
                    )
                    .help(format!(
                        "open the body with `**{}**` (template `{template}`)",
                        term.value
                    ));
                }
            }
            None => {
                let body = cx.entry.body.span.clone();
                let text = &cx.file.text[body.clone()];
                let start = body.start + (text.len() - text.trim_start().len());
                let first_line = cx.file.text[start..body.end]
                    .find(['\r', '\n'])
                    .map_or(body.end, |end| start + end);
                sink.report(
                    start..first_line,
                    format!(
                        "the body does not open with the term `{}` in bold",
                        term.value
                    ),
                )
                .help(format!(
                    "open the body with `**{}** is ...` (template `{template}`)",
                    term.value
                ));
            }
        }
    }
}
