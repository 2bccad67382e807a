//! ## What it does
//! Reports a translation whose source file does not exist: no file of the
//! source language (`[translations] source`) has its path, or its
//! `pair_by` front matter key. The help names the source files nearest in
//! name.
//!
//! ## Why is this bad?
//! A site generator pairs a translation with its source by path (Hugo) or
//! key, so a misnamed translation is never linked from its source page, is
//! never reported as outdated, and often duplicates a correctly named one.
//!
//! ## Example
//! `content/it/chaos_engineering.md` when the source is
//! `content/en/chaos-engineering.md`.
//!
//! Use instead: rename the translation to `content/it/chaos-engineering.md`.
//!
//! ## Options
//! None; the pairing comes from `[translations]`.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct OrphanTranslation;

static META: RuleMeta = RuleMeta {
    id: "orphan-translation",
    family: Family::Translations,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("orphan_translation.rs"),
};

impl Rule for OrphanTranslation {
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
            for &file in &language.orphans {
                let near = survey.nearest_sources(config, &paths, file);
                let help = match near.as_slice() {
                    [] => format!(
                        "no file in `{}` has a similar name: was the source renamed or removed?",
                        config.source
                    ),
                    [one] => format!(
                        "did you mean `{one}`? name the translation like its source in `{}`",
                        config.source
                    ),
                    many => format!(
                        "nearest source files in `{}`: {}",
                        config.source,
                        many.iter()
                            .map(|name| format!("`{name}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                sink.report(
                    file,
                    super::anchor(cx, file),
                    format!(
                        "this `{}` translation has no source in `{}`",
                        language.name, config.source
                    ),
                )
                .help(help);
            }
        }
    }
}
