//! ## What it does
//! Reports front matter that does not parse (bad YAML or TOML, an opening fence
//! that never closes, fields of the wrong type, a `template` that does not
//! exist) and dump text before the first header line.
//!
//! ## Why is this bad?
//! glosslint cannot tell what the entry's term, aliases or tags are, so every
//! other check of the entry is guesswork, and the site generator usually fails
//! on the same file.
//!
//! ## Example
//! ```markdown
//! ---
//! term: Acid Gas Scrubbing
//! aliases: scrubbing
//! ---
//! ```
//!
//! Use instead:
//! ```markdown
//! ---
//! term: Acid Gas Scrubbing
//! aliases: [scrubbing]
//! ---
//! ```
//!
//! ## Options
//! None.

use crate::normalize::did_you_mean;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct MalformedEntry;

static META: RuleMeta = RuleMeta {
    id: "malformed-entry",
    family: Family::Structure,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("malformed_entry.rs"),
};

impl Rule for MalformedEntry {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn flags(&self) -> Flags {
        Flags {
            unsettles_structure: true,
            ..Flags::default()
        }
    }

    fn check_file(&self, cx: &FileContext<'_>, sink: &mut Sink<'_>) {
        for problem in cx.problems {
            let diagnostic = sink.report(problem.span.clone(), problem.message.clone());
            if let Some(help) = &problem.help {
                diagnostic.help(help.clone());
            }
        }
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        for problem in &cx.entry.problems {
            let diagnostic = sink.report(problem.span.clone(), problem.message.clone());
            if let Some(help) = &problem.help {
                diagnostic.help(help.clone());
            }
        }
        if let Some(name) = &cx.entry.template {
            let templates = &cx.file.config.templates;
            if !templates.iter().any(|template| template.name == name.value) {
                let diagnostic = sink.report(
                    name.span.clone(),
                    format!("no template `{}` is defined", name.value),
                );
                match did_you_mean(&name.value, templates.iter().map(|t| t.name.as_str())) {
                    Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
                    None => diagnostic.help("templates are defined in rules/templates.toml"),
                };
            }
        }
    }
}
