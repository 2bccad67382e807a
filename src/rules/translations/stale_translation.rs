//! ## What it does
//! Reports a translation whose source changed after the translation was last
//! updated: git commits touched the source after the last commit that touched
//! the translation, or, with `[translations] source_commit_field`, after the
//! source commit the translation records in its front matter (OpenTelemetry's
//! `default_lang_commit`). The help says how many commits and since when, and
//! gives the `git diff` command that shows what changed in the source.
//!
//! History is read with one `git log` for the whole run. Outside a git
//! repository the rule says once that it cannot run.
//!
//! The count and the date are in the help, not the message: a baseline keys
//! on the message (SPEC 9), and the count moves with every commit to the
//! source, another file, so an accepted finding would come back each time.
//!
//! ## Why is this bad?
//! A translation that lags its source tells readers of that language
//! something the source no longer says.
//!
//! ## Example
//! `content/de/pod.md` last committed in March, and `content/en/pod.md`
//! edited twice since.
//!
//! Use instead: bring the translation up to date with the source's changes
//! (`git diff <commit> HEAD -- content/en/pod.md`) and commit it, or update
//! its `source_commit_field`.
//!
//! ## Options
//! None; the pairing and `source_commit_field` come from `[translations]`.

use crate::rules::prelude::*;
use crate::translations::history::{date, History};
use crate::translations::staleness;

/// See the module documentation.
pub struct StaleTranslation;

static META: RuleMeta = RuleMeta {
    id: "stale-translation",
    family: Family::Translations,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("stale_translation.rs"),
};

/// The run's history, read once.
struct RunHistory(Result<History, String>);

impl Rule for StaleTranslation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn needs(&self, config: &crate::config::Config) -> Needs {
        let needs = super::needs(config);
        Needs {
            history: needs.whole_corpus,
            ..needs
        }
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let Some((config, survey)) = super::survey(cx) else {
            return;
        };
        let mut pairs = survey.languages.iter().flat_map(|language| &language.pairs);
        let Some(first) = pairs.clone().next() else {
            return;
        };
        let history = cx.memo.get_or_make(|| RunHistory(History::read(cx.root)));
        let history = match &history.0 {
            Ok(history) => history,
            Err(reason) => {
                sink.report(
                    first.translation,
                    super::anchor(cx, first.translation),
                    format!("stale-translation cannot run without git history: {reason}"),
                )
                .help("run glosslint inside the git repository of the translations, or turn `stale-translation` off");
                return;
            }
        };
        let paths = super::paths(cx);
        let read = |file| (cx.read_text)(file);
        for pair in pairs.by_ref() {
            let Some(stale) = staleness(
                config,
                history,
                &paths,
                &read,
                pair.source,
                pair.translation,
            ) else {
                continue;
            };
            let source = super::shown(cx, pair.source);
            let short = &stale.base[..stale.base.len().min(12)];
            let plural = if stale.commits == 1 { "" } else { "s" };
            let compared = if config.source_commit_field.is_some()
                && history
                    .last_touch(paths[pair.translation])
                    .is_some_and(|last| history.commits[last].hash != stale.base)
            {
                "the source commit it records"
            } else {
                "its last commit"
            };
            sink.report(
                pair.translation,
                super::anchor(cx, pair.translation),
                format!("this translation is behind its source `{source}`"),
            )
            .help(format!(
                "{} commit{plural} touched the source since {} ({compared}, {short}); see what changed: `git diff {short} HEAD -- {source}`",
                stale.commits,
                date(stale.since),
            ))
            .related(pair.source, super::anchor(cx, pair.source), "the source");
        }
    }
}
