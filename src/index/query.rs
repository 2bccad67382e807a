//! The one interface corpus rules query the corpus through.
//!
//! A corpus rule judges one reported entry at a time and asks the corpus
//! about it: which entries have this term, this alias, this plural or
//! singular, this block; which entries a path, a file name, an id
//! (`[entries] id_field`) or a route (Hugo `aliases:`) names; which names
//! share a word (suggestions). [`Corpus`] answers those questions, in corpus
//! order (file order, then entry order), and has two implementations that
//! answer alike:
//!
//! - [`CorpusIndex`], every record in memory with its lookup tables: a full
//!   run, and the editor (patched in place on an edit, `update.rs`);
//! - the snapshot of the last full run with the files changed since laid
//!   over it ([`crate::staged::Overlay`]): a staged run, which decodes a
//!   stored record only when a question reaches it.
//!
//! Only a rule whose metadata says it needs the whole corpus
//! (`Rule::needs().whole_corpus`) walks [`Corpus::all`]; the staged path then
//! builds the whole index instead. Plurals are computed one way for both:
//! [`plural_forms`], and [`singular_forms`] its inverse checked against it.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use super::blocks::Block;
use super::{CorpusIndex, EntryRecord};
use crate::diagnostic::FileId;
use crate::normalize::plural_forms;

/// A record's number in one corpus: an index into [`CorpusIndex::entries`],
/// or the overlay's own numbering. Only [`Corpus::record`] reads it.
pub type RecordId = usize;

/// What corpus rules ask of the corpus (see the module documentation).
/// Every list is in corpus order; a key is a folded, scoped name
/// ([`super::scoped_key`]).
pub trait Corpus: Sync {
    /// The record numbered `id` (a record of no file for an unknown id).
    fn record(&self, id: RecordId) -> &EntryRecord;

    /// One more than the largest id in use (tables indexed by id).
    fn id_bound(&self) -> usize;

    /// Where record `id` stands in corpus order: sorting ids by it puts
    /// them in corpus order (ids alone need not be).
    fn position(&self, id: RecordId) -> (FileId, RecordId);

    /// The records of the reported files.
    fn reported(&self) -> Vec<RecordId>;

    /// Every record of the corpus: only for a rule that needs the whole
    /// corpus.
    fn all(&self) -> Vec<RecordId>;

    /// Whether findings in `file` are reported in this run.
    fn reports_file(&self, file: FileId) -> bool;

    /// How many files the run has (ids `0..file_count()`).
    fn file_count(&self) -> usize;

    /// The root-relative path of `file`.
    fn file_path(&self, file: FileId) -> Option<&str>;

    /// The records of `file`, in entry order.
    fn records_of_file(&self, file: FileId) -> Cow<'_, [RecordId]>;

    /// The records of the file at root-relative `path`.
    fn records_at_path(&self, path: &str) -> Cow<'_, [RecordId]>;

    /// The records whose term key is `key`.
    fn with_term(&self, key: &str) -> Cow<'_, [RecordId]>;

    /// The records with an alias keyed `key`.
    fn with_alias(&self, key: &str) -> Cow<'_, [RecordId]>;

    /// The records of files found by the file name `key` (see
    /// [`super::file_stems`], scoped by the record's namespace).
    fn with_stem(&self, key: &str) -> Cow<'_, [RecordId]>;

    /// The records whose id key (`[entries] id_field`, folded and scoped
    /// like a term) is `key`.
    fn with_id(&self, key: &str) -> Cow<'_, [RecordId]>;

    /// The records of pages that declare the site path `key` among their
    /// routes (Hugo `aliases:`, as [`super::route_key`] writes them).
    fn with_route(&self, key: &str) -> Cow<'_, [RecordId]>;

    /// The blocks fingerprinted `hash` as (hash, record, position among the
    /// record's fingerprints). A full run's index may leave out a block no
    /// other block shares.
    fn with_block(&self, hash: u64) -> Cow<'_, [Block]>;

    /// The records one of whose names has the word `word`.
    fn with_word(&self, word: &str) -> Cow<'_, [RecordId]>;

    /// The first `limit` known words starting with `prefix`, sorted.
    fn words_with_prefix(&self, prefix: &str, limit: usize) -> Vec<String>;

    /// The names of every file under `root` (see `resolve.rs`), found once.
    fn attachments(&self, root: &Path) -> &HashSet<String>;

    /// The records whose term is a plural of `key`: for each of its
    /// [`plural_forms`] in turn, the records with that term.
    fn plurals_of(&self, key: &str) -> Vec<Vec<RecordId>> {
        plural_forms(key)
            .iter()
            .map(|plural| self.with_term(plural).into_owned())
            .filter(|found| !found.is_empty())
            .collect()
    }

    /// The records whose term `key` is a plural of: for each of its
    /// [`singular_forms`] in turn, the records with that term.
    fn singulars_of(&self, key: &str) -> Vec<Vec<RecordId>> {
        singular_forms(key)
            .iter()
            .map(|singular| self.with_term(singular).into_owned())
            .filter(|found| !found.is_empty())
            .collect()
    }
}

/// The keys `key` is a plural of: those whose [`plural_forms`] hold it.
pub fn singular_forms(key: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for cut in 1..=key.len().min(4) {
        let Some(singular) = key.get(..key.len() - cut) else {
            continue;
        };
        if !super::unscoped_key(singular).is_empty()
            && plural_forms(singular).iter().any(|plural| plural == key)
        {
            found.push(singular.to_string());
        }
    }
    found
}

/// The record of no file, for an id a corpus does not know.
pub(crate) fn no_record() -> &'static EntryRecord {
    static NONE: std::sync::OnceLock<EntryRecord> = std::sync::OnceLock::new();
    NONE.get_or_init(super::update::tombstone)
}

fn listed<'a>(
    map: &'a std::collections::HashMap<String, Vec<usize>>,
    key: &str,
) -> Cow<'a, [usize]> {
    map.get(key).map_or(Cow::Borrowed(&[][..]), |found| {
        Cow::Borrowed(found.as_slice())
    })
}

impl CorpusIndex {
    /// The records for which `keep` holds, in corpus order: record order,
    /// unless an edit appended a file's extra records (`update.rs`).
    fn in_corpus_order(&self, keep: impl Fn(&EntryRecord) -> bool) -> Vec<RecordId> {
        let mut ids: Vec<RecordId> = (0..self.entries.len())
            .filter(|&id| keep(&self.entries[id]))
            .collect();
        let file = |id: &RecordId| self.entries[*id].file;
        if !ids.windows(2).all(|pair| file(&pair[0]) <= file(&pair[1])) {
            ids.sort_by_key(|id| (file(id), *id));
        }
        ids
    }
}

impl Corpus for CorpusIndex {
    fn record(&self, id: RecordId) -> &EntryRecord {
        self.entries.get(id).unwrap_or_else(|| no_record())
    }

    fn id_bound(&self) -> usize {
        self.entries.len()
    }

    fn position(&self, id: RecordId) -> (FileId, RecordId) {
        (self.record(id).file, id)
    }

    fn reported(&self) -> Vec<RecordId> {
        self.in_corpus_order(|record| self.reports_file(record.file))
    }

    fn all(&self) -> Vec<RecordId> {
        self.in_corpus_order(|record| record.file != super::update::NO_FILE)
    }

    fn reports_file(&self, file: FileId) -> bool {
        self.reported_files.get(file).copied().unwrap_or(false)
    }

    fn file_count(&self) -> usize {
        self.file_paths.len()
    }

    fn file_path(&self, file: FileId) -> Option<&str> {
        self.file_paths.get(file).map(|path| path.as_ref())
    }

    fn records_of_file(&self, file: FileId) -> Cow<'_, [RecordId]> {
        match self.file_paths.get(file) {
            Some(path) => self.records_at_path(path),
            None => Cow::Borrowed(&[]),
        }
    }

    fn records_at_path(&self, path: &str) -> Cow<'_, [RecordId]> {
        self.by_path
            .get(path)
            .map_or(Cow::Borrowed(&[][..]), |found| {
                Cow::Borrowed(found.as_slice())
            })
    }

    fn with_term(&self, key: &str) -> Cow<'_, [RecordId]> {
        listed(&self.by_term, key)
    }

    fn with_alias(&self, key: &str) -> Cow<'_, [RecordId]> {
        listed(&self.by_alias, key)
    }

    fn with_stem(&self, key: &str) -> Cow<'_, [RecordId]> {
        listed(&self.by_stem, key)
    }

    fn with_id(&self, key: &str) -> Cow<'_, [RecordId]> {
        listed(&self.by_id, key)
    }

    fn with_route(&self, key: &str) -> Cow<'_, [RecordId]> {
        listed(&self.by_route, key)
    }

    fn with_block(&self, hash: u64) -> Cow<'_, [Block]> {
        Cow::Borrowed(self.by_fingerprint.run(hash))
    }

    fn with_word(&self, word: &str) -> Cow<'_, [RecordId]> {
        listed(&self.by_word, word)
    }

    fn words_with_prefix(&self, prefix: &str, limit: usize) -> Vec<String> {
        let start = self.words.partition_point(|known| known.as_str() < prefix);
        self.words[start..]
            .iter()
            .take_while(|known| known.starts_with(prefix))
            .take(limit)
            .cloned()
            .collect()
    }

    fn attachments(&self, root: &Path) -> &HashSet<String> {
        self.attachments
            .get_or_init(|| super::resolve::attachments_under(root))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singulars_invert_plurals() {
        for key in ["box", "step", "gas", "s", "es", "bus", "class"] {
            for plural in plural_forms(key) {
                assert!(singular_forms(&plural).contains(&key.to_string()), "{key}");
            }
        }
        assert_eq!(singular_forms("boxes"), ["boxe", "box"]);
        assert!(singular_forms("s").is_empty());
    }
}
