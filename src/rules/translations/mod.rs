//! Translation rules (`[translations]`, SPEC 12): translations without a
//! source, behind their source in git history, thinner than their source,
//! and sources without a translation. They judge each file by files no link
//! of it reaches, so they declare [`Needs::whole_corpus`] (when
//! `[translations]` is set; without it they do nothing); the one survey of
//! the run is shared through the run's memo.

mod missing_translation;
mod orphan_translation;
mod stale_translation;
mod translation_shape;

use std::ops::Range;
use std::sync::Arc;

use super::{CorpusContext, Needs, Rule};
use crate::diagnostic::FileId;
use crate::translations::{Survey, TranslationsConfig};

/// The translation rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(orphan_translation::OrphanTranslation),
        Box::new(stale_translation::StaleTranslation),
        Box::new(translation_shape::TranslationShape),
        Box::new(missing_translation::MissingTranslation),
    ]
}

/// What every translation rule needs: the whole corpus, once
/// `[translations]` gives it something to do.
fn needs(config: &crate::config::Config) -> Needs {
    Needs {
        whole_corpus: config.translations.is_some(),
        history: false,
    }
}

/// The run's survey (made once, by the first rule that asks), with the
/// configuration it was made under; `None` without `[translations]`.
fn survey<'c>(cx: &'c CorpusContext<'_>) -> Option<(&'c TranslationsConfig, Arc<Survey>)> {
    let config = cx.config.translations.as_ref()?;
    let survey = cx.memo.get_or_make(|| {
        let paths = paths(cx);
        Survey::new(config, &paths, &|file| (cx.read_text)(file), None)
    });
    Some((config, survey))
}

/// Every file's root-relative path, indexed by file id.
fn paths<'c>(cx: &'c CorpusContext<'_>) -> Vec<&'c str> {
    (0..cx.index.file_count())
        .map(|file| cx.index.file_path(file).unwrap_or(""))
        .collect()
}

/// Where a finding about `file` as a whole points: its term, else its start.
fn anchor(cx: &CorpusContext<'_>, file: FileId) -> Range<usize> {
    let records = cx.index.records_of_file(file);
    records
        .first()
        .and_then(|&record| cx.index.record(record).term.as_ref())
        .map_or(0..0, |term| term.span.clone())
}

/// `file` as the user sees it (relative to the working directory).
fn shown<'c>(cx: &'c CorpusContext<'_>, file: FileId) -> &'c str {
    cx.files.get(file).map_or("", |input| &input.display)
}
