//! ## What it does
//! Reports a suppression comment that suppressed nothing in this run, and a
//! suppression that names a rule id glosslint does not know. A rule switched
//! off for the run (by configuration or `--select`) is not judged.
//!
//! ## Why is this bad?
//! A stale suppression hides the next real finding at that place, and a
//! misspelt id silently suppresses nothing.
//!
//! ## Example
//! ```markdown
//! <!-- glosslint-disable-next-line short-bodyy -->
//! A definition long enough to need no suppression ...
//! ```
//!
//! Use instead: remove the comment, or correct the id.
//!
//! ## Options
//! None.

use crate::model::{Suppression, SuppressionKind};
use crate::normalize::did_you_mean;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    id: "unused-suppression",
    family: Family::Meta,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("unused_suppression.rs"),
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn flags(&self) -> Flags {
        Flags {
            about_suppressions: true,
            ..Flags::default()
        }
    }

    fn check_suppressions(&self, cx: &SuppressionContext<'_>, sink: &mut Sink<'_>) {
        report(cx.suppressions, cx.usage, cx.is_enabled, cx.ids, sink);
    }
}

/// Reports the unused parts of `suppressions`. `is_enabled` says whether a rule
/// ran for the file; `ids` are every known rule id.
fn report(
    suppressions: &[Suppression],
    usage: &[Vec<bool>],
    is_enabled: &dyn Fn(&str) -> bool,
    ids: &[&'static str],
    sink: &mut Sink<'_>,
) {
    for (suppression, used) in suppressions.iter().zip(usage) {
        let what = match suppression.kind {
            SuppressionKind::File => "file",
            SuppressionKind::NextLine => "next line",
            SuppressionKind::Region => "region",
        };
        if suppression.rules.is_empty() {
            if !used[0] {
                sink.report(
                    suppression.span.clone(),
                    format!("this {what} suppression hides no finding"),
                )
                .help("remove the comment");
            }
            continue;
        }
        for (rule, used) in suppression.rules.iter().zip(used) {
            if !ids.contains(&rule.value.as_str()) {
                let diagnostic = sink.report(
                    rule.span.clone(),
                    format!("unknown rule `{}` in a suppression", rule.value),
                );
                match did_you_mean(&rule.value, ids.iter().copied()) {
                    Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
                    None => diagnostic.help("`glosslint rules` lists every rule"),
                };
            } else if !used && is_enabled(&rule.value) {
                sink.report(
                    rule.span.clone(),
                    format!("`{}` is suppressed here but reports nothing", rule.value),
                )
                .help("remove it from the comment");
            }
        }
    }
}
