//! Index: what every entry contributes to the corpus, so that rules needing the
//! whole corpus (duplicates now, references and boilerplate next) run against a
//! compact record per entry instead of every file's text.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::FileId;
use crate::model::{Entry, Spanned};
use crate::normalize::term_key;

/// What one entry contributes to the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRecord {
    /// The file holding it.
    pub file: FileId,
    /// The entry's byte range.
    pub span: Range<usize>,
    /// The term as written, with its span.
    pub term: Option<Spanned<Arc<str>>>,
    /// The term folded by SPEC 2.6.
    pub term_key: Option<String>,
    /// Aliases as written with their folded forms.
    pub aliases: Vec<(Spanned<String>, String)>,
}

impl EntryRecord {
    /// The record of a parsed entry.
    pub fn new(file: FileId, entry: &Entry<'_>) -> Self {
        let term = entry
            .term
            .as_ref()
            .map(|term| Spanned::new(Arc::from(term.value.as_str()), term.span.clone()));
        Self {
            file,
            span: entry.span.clone(),
            term_key: term
                .as_ref()
                .map(|term| term_key(&term.value))
                .filter(|key| !key.is_empty()),
            term,
            aliases: entry
                .aliases
                .iter()
                .map(|alias| (alias.clone(), term_key(&alias.value)))
                .collect(),
        }
    }
}

/// The corpus index: every entry's record and lookups by folded name.
#[derive(Debug, Default)]
pub struct CorpusIndex {
    /// Records in file order, then entry order: deterministic.
    pub entries: Vec<EntryRecord>,
    /// Folded term to the records with that term.
    pub by_term: HashMap<String, Vec<usize>>,
    /// Folded alias to the records with that alias.
    pub by_alias: HashMap<String, Vec<usize>>,
    /// Whether each file's diagnostics are reported in this run.
    pub reported_files: Vec<bool>,
}

impl CorpusIndex {
    /// Builds the lookups over records given in file order.
    pub fn build(entries: Vec<EntryRecord>, reported_files: Vec<bool>) -> Self {
        let mut by_term: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_alias: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, record) in entries.iter().enumerate() {
            if let Some(key) = &record.term_key {
                by_term.entry(key.clone()).or_default().push(index);
            }
            for (_, key) in &record.aliases {
                if !key.is_empty() {
                    by_alias.entry(key.clone()).or_default().push(index);
                }
            }
        }
        Self {
            entries,
            by_term,
            by_alias,
            reported_files,
        }
    }

    /// Whether findings in `record`'s file are reported in this run.
    pub fn is_reported(&self, record: &EntryRecord) -> bool {
        self.reported_files
            .get(record.file)
            .copied()
            .unwrap_or(false)
    }
}
