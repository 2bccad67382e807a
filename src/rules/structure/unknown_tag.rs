//! ## What it does
//! Reports a tag outside the controlled vocabulary of `rules/vocabulary.toml`
//! (`tags = ["chemistry", "facility", ...]`). Tags compare like terms: case,
//! `-`, `_` and repeated white space are ignored. The rule is off by default and
//! switches on (as a warning) when the vocabulary file exists.
//!
//! ## Why is this bad?
//! Tags are how readers browse a glossary; a one-off spelling (`Chemistry`,
//! `chem`, `chemicals`) creates a category with one entry in it.
//!
//! ## Example
//! With `tags = ["environmental & sustainability", "facility"]`:
//! ```text
//! acid recovery, enviromental & sustainability
//! ```
//!
//! Use instead:
//! ```text
//! acid recovery, environmental & sustainability
//! ```
//!
//! ## Options
//! None; the vocabulary is `rules/vocabulary.toml`.

use crate::normalize::{did_you_mean, term_key};
use crate::rules::prelude::*;

/// See the module documentation.
pub struct UnknownTag;

static META: RuleMeta = RuleMeta {
    id: "unknown-tag",
    family: Family::Structure,
    default_level: Level::Off,
    fix: FixKind::None,
    options: &[],
    source: include_str!("unknown_tag.rs"),
};

impl Rule for UnknownTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn flags(&self) -> Flags {
        Flags {
            on_with_vocabulary: true,
            ..Flags::default()
        }
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let Some(vocabulary) = &cx.file.config.vocabulary else {
            return;
        };
        for tag in &cx.entry.tags {
            if vocabulary.contains_key(&term_key(&tag.value)) {
                continue;
            }
            let diagnostic = sink.report(
                tag.span.clone(),
                format!("tag `{}` is not in the vocabulary", tag.value),
            );
            match did_you_mean(&tag.value, vocabulary.values().map(String::as_str)) {
                Some(near) => diagnostic.help(format!("did you mean `{near}`?")),
                None => diagnostic.help("add it to rules/vocabulary.toml, or use an existing tag"),
            };
        }
    }
}
