//! ## What it does
//! Reports a source entry (a file of `[translations] source`) with no
//! translation in a language, once per language. Off by default: most
//! multilingual glossaries translate a part of their entries.
//!
//! ## Why is this bad?
//! Readers of that language find no entry for the term; where a site falls
//! back to the source language, they find it untranslated.
//!
//! ## Example
//! `content/en/pod.md` with `content/fr/pod.md` but no `content/de/pod.md`.
//!
//! Use instead: translate it, or accept the gap in a baseline.
//!
//! ## Options
//! None; the languages come from `[translations] targets`.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MissingTranslation;

static META: RuleMeta = RuleMeta {
    id: "missing-translation",
    family: Family::Translations,
    default_level: Level::Off,
    fix: FixKind::None,
    options: &[],
    source: include_str!("missing_translation.rs"),
};

impl Rule for MissingTranslation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn needs(&self, config: &crate::config::Config) -> Needs {
        super::needs(config)
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let Some((config, survey)) = super::survey(cx) else {
            return;
        };
        let paths = super::paths(cx);
        for language in &survey.languages {
            for &source in &language.missing {
                let inner = paths[source]
                    .strip_prefix(config.source.as_str())
                    .unwrap_or(paths[source])
                    .trim_start_matches('/');
                sink.report(
                    source,
                    super::anchor(cx, source),
                    format!("this entry has no `{}` translation", language.name),
                )
                .help(format!("translate it as `{}/{inner}`", language.folder));
            }
        }
    }
}
