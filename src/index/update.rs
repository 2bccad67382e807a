//! Incremental updates of the corpus index, for the language server: when one
//! file changes, only its records and their map entries are patched, never the
//! whole index rebuilt (100k entries per keystroke would be far too slow).
//!
//! A file keeps the record slots it had when its entry count is unchanged (the
//! usual case: one entry per file), so record indices stay in file order and
//! every lookup answers exactly as a fresh [`CorpusIndex::build`] would. Extra
//! records are appended, and the name, file-name and word lists keep them in
//! corpus order (by file, then slot), as [`crate::index::Corpus`] promises;
//! slots a file no longer needs become tombstones (a record of no file, with
//! no names, links or blocks) that no map points at.

use std::sync::Arc;

use super::{unscoped_key, CorpusIndex, EntryRecord};
use crate::diagnostic::FileId;

/// The file id of a tombstone: no file has it, so no rule reports on it.
pub const NO_FILE: FileId = FileId::MAX;

impl CorpusIndex {
    /// Adds a file with no records yet (a file created after the index was
    /// built); its id is the next one.
    pub fn add_file(&mut self, path: Arc<str>) -> FileId {
        self.file_paths.push(path);
        self.reported_files.push(false);
        self.file_paths.len() - 1
    }

    /// The record indices of `file`, in entry order.
    pub fn records_of(&self, file: FileId) -> Vec<usize> {
        self.file_paths
            .get(file)
            .and_then(|path| self.by_path.get(path))
            .cloned()
            .unwrap_or_default()
    }

    /// Replaces the records of `file` (all of them, in entry order; none for
    /// a deleted file) and patches every lookup. Returns the new indices.
    pub fn replace_file(&mut self, file: FileId, records: Vec<EntryRecord>) -> Vec<usize> {
        let old = self.records_of(file);
        for &index in &old {
            self.unlink(index);
        }
        let mut slots = Vec::with_capacity(records.len());
        let count = records.len();
        for (position, mut record) in records.into_iter().enumerate() {
            record.file = file;
            let index = match old.get(position) {
                Some(&slot) => {
                    self.entries[slot] = record;
                    slot
                }
                None => {
                    self.entries.push(record);
                    self.entries.len() - 1
                }
            };
            self.link(index);
            slots.push(index);
        }
        for &slot in old.iter().skip(count) {
            self.entries[slot] = tombstone();
        }
        let linked: Vec<(usize, &EntryRecord)> = slots
            .iter()
            .map(|&slot| (slot, &self.entries[slot]))
            .collect();
        self.by_fingerprint.replace(&old, &linked);
        if let Some(path) = self.file_paths.get(file).cloned() {
            if slots.is_empty() {
                self.by_path.remove(&path);
            } else {
                self.by_path.insert(path, slots.clone());
            }
        }
        slots
    }

    /// The `by_stem` keys of record `index` (none for a referrer).
    fn stem_keys(&self, index: usize) -> Vec<String> {
        let record = &self.entries[index];
        match self.file_paths.get(record.file) {
            Some(path) if !record.links_only => super::file_stems(path)
                .iter()
                .map(|stem| super::scoped_key(&record.namespace, stem))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Adds record `index` to the name, block and word lookups.
    fn link(&mut self, index: usize) {
        for key in self.stem_keys(index) {
            in_corpus_order(self.by_stem.entry(key).or_default(), index, &self.entries);
        }
        let record = &self.entries[index];
        if let Some(key) = &record.term_key {
            in_corpus_order(
                self.by_term.entry(key.clone()).or_default(),
                index,
                &self.entries,
            );
        }
        if let Some(key) = &record.id_key {
            in_corpus_order(
                self.by_id.entry(key.clone()).or_default(),
                index,
                &self.entries,
            );
        }
        for route in &record.routes {
            in_corpus_order(
                self.by_route.entry(route.clone()).or_default(),
                index,
                &self.entries,
            );
        }
        for (_, key) in &record.aliases {
            if !key.is_empty() {
                in_corpus_order(
                    self.by_alias.entry(key.clone()).or_default(),
                    index,
                    &self.entries,
                );
            }
        }
        let words: Vec<String> = record
            .term_key
            .iter()
            .chain(record.aliases.iter().map(|(_, key)| key))
            .flat_map(|key| unscoped_key(key).split(' '))
            .map(str::to_string)
            .collect();
        for word in words {
            let records = self.by_word.entry(word.clone()).or_default();
            if records.is_empty() {
                if let Err(at) = self.words.binary_search(&word) {
                    self.words.insert(at, word);
                }
            }
            in_corpus_order(records, index, &self.entries);
        }
    }

    /// Removes record `index` from every lookup; keys left with no record go.
    fn unlink(&mut self, index: usize) {
        for key in self.stem_keys(index) {
            remove_from(&mut self.by_stem, &key, |&other| other == index);
        }
        let record = &self.entries[index];
        if let Some(key) = &record.term_key {
            remove_from(&mut self.by_term, key, |&other| other == index);
        }
        if let Some(key) = &record.id_key {
            remove_from(&mut self.by_id, key, |&other| other == index);
        }
        for route in &record.routes {
            remove_from(&mut self.by_route, route, |&other| other == index);
        }
        for (_, key) in &record.aliases {
            remove_from(&mut self.by_alias, key, |&other| other == index);
        }
        let words: Vec<&str> = record
            .term_key
            .iter()
            .chain(record.aliases.iter().map(|(_, key)| key))
            .flat_map(|key| unscoped_key(key).split(' '))
            .collect();
        for word in words {
            let emptied = match self.by_word.get_mut(word) {
                Some(records) => {
                    records.retain(|&other| other != index);
                    records.is_empty()
                }
                None => false,
            };
            if emptied {
                self.by_word.remove(word);
                if let Ok(at) = self
                    .words
                    .binary_search_by(|known| known.as_str().cmp(word))
                {
                    self.words.remove(at);
                }
            }
        }
    }
}

/// A slot no file uses any more.
pub(crate) fn tombstone() -> EntryRecord {
    EntryRecord {
        file: NO_FILE,
        span: 0..0,
        term: None,
        term_key: None,
        namespace: Arc::from(""),
        aliases: Vec::new(),
        fingerprints: Vec::new(),
        anchors: Vec::new(),
        links: Vec::new(),
        links_only: false,
        id_key: None,
        routes: Vec::new(),
    }
}

/// Adds record `index` to `list`, kept in corpus order (file, then slot: a
/// file's extra slots come after every other file's, yet its records stay
/// among its own file's).
fn in_corpus_order(list: &mut Vec<usize>, index: usize, entries: &[EntryRecord]) {
    let key = |record: usize| (entries.get(record).map_or(NO_FILE, |r| r.file), record);
    if let Err(at) = list.binary_search_by_key(&key(index), |&other| key(other)) {
        list.insert(at, index);
    }
}

fn remove_from<K, V, Q>(
    map: &mut std::collections::HashMap<K, Vec<V>>,
    key: &Q,
    matches: impl Fn(&V) -> bool,
) where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    let emptied = match map.get_mut(key) {
        Some(list) => {
            list.retain(|value| !matches(value));
            list.is_empty()
        }
        None => false,
    };
    if emptied {
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_file, ParseOptions};

    fn records(file: FileId, text: &str) -> Vec<EntryRecord> {
        let kind = if text.starts_with("---") {
            crate::load::FileKind::Entry
        } else {
            crate::load::FileKind::Dump
        };
        parse_file(
            text,
            kind,
            std::path::Path::new(""),
            &ParseOptions::default(),
        )
        .entries
        .iter()
        .map(|entry| EntryRecord::new(file, entry, Arc::from(""), Some(4)))
        .collect()
    }

    fn same(a: &CorpusIndex, b: &CorpusIndex) {
        let live = |index: &CorpusIndex| {
            let mut by_path: Vec<(Arc<str>, Vec<EntryRecord>)> = index
                .by_path
                .iter()
                .map(|(path, slots)| {
                    (
                        path.clone(),
                        slots.iter().map(|&s| index.entries[s].clone()).collect(),
                    )
                })
                .collect();
            by_path.sort_by(|x, y| x.0.cmp(&y.0));
            by_path
        };
        assert_eq!(live(a), live(b));
        let names = |map: &std::collections::HashMap<String, Vec<usize>>, index: &CorpusIndex| {
            let mut out: Vec<(String, Vec<(usize, usize)>)> = map
                .iter()
                .map(|(key, slots)| {
                    let mut at: Vec<(usize, usize)> = slots
                        .iter()
                        .map(|&s| (index.entries[s].file, index.entries[s].span.start))
                        .collect();
                    at.sort_unstable();
                    (key.clone(), at)
                })
                .collect();
            out.sort();
            out
        };
        assert_eq!(names(&a.by_term, a), names(&b.by_term, b));
        assert_eq!(names(&a.by_alias, a), names(&b.by_alias, b));
        assert_eq!(names(&a.by_word, a), names(&b.by_word, b));
        assert_eq!(names(&a.by_id, a), names(&b.by_id, b));
        assert_eq!(names(&a.by_route, a), names(&b.by_route, b));
        assert_eq!(a.words, b.words);
        assert_eq!(a.by_fingerprint, b.by_fingerprint);
    }

    #[test]
    fn patching_a_file_answers_like_a_fresh_build() {
        let first = "---\nterm: Acid Gas\naliases: [sour gas]\n---\nOne two three four five.\n";
        let second = "---\nterm: Base\n---\nOne two three four five.\n";
        let dump = "alpha, x\nText one two three four.\nbeta, y\nMore text here now.\n";
        let paths: Vec<Arc<str>> = vec!["a.md".into(), "b.md".into(), "d.txt".into()];
        let mut all = records(0, first);
        all.extend(records(1, second));
        all.extend(records(2, dump));
        let mut index = CorpusIndex::build(all, vec![false; 3], paths.clone());
        // Rename an entry, then shrink and grow a dump.
        let renamed = "---\nterm: Acid Rain\n---\nSix seven eight nine ten.\n";
        index.replace_file(0, records(0, renamed));
        index.replace_file(2, records(2, "gamma, z\nOnly one entry left.\n"));
        index.replace_file(
            2,
            records(2, "gamma, z\nOne.\ndelta, w\nTwo.\nepsilon, v\nThree.\n"),
        );
        let mut fresh = records(0, renamed);
        fresh.extend(records(1, second));
        fresh.extend(records(
            2,
            "gamma, z\nOne.\ndelta, w\nTwo.\nepsilon, v\nThree.\n",
        ));
        same(&index, &CorpusIndex::build(fresh, vec![false; 3], paths));
        assert!(!index.by_term.contains_key("acid gas"));
        assert!(!index.words.contains(&"sour".to_string()));
        // A new file, then its deletion.
        let id = index.add_file("c.md".into());
        index.replace_file(id, records(id, "---\nterm: Acid Rain\n---\nx\n"));
        assert_eq!(index.by_term["acid rain"].len(), 2);
        index.replace_file(id, Vec::new());
        assert_eq!(index.by_term["acid rain"].len(), 1);
        assert!(index.records_of(id).is_empty());
    }

    #[test]
    fn a_file_that_grows_keeps_its_place_in_corpus_order() {
        let paths: Vec<Arc<str>> = vec!["a.txt".into(), "b.txt".into()];
        let mut all = records(0, "alpha, x\nOne.\n");
        all.extend(records(1, "beta, y\nTwo.\n"));
        let mut index = CorpusIndex::build(all, vec![false; 2], paths);
        // The new slot is appended after b's, yet a's `beta` comes first.
        index.replace_file(0, records(0, "alpha, x\nOne.\nbeta, z\nThree.\n"));
        let files: Vec<usize> = index.by_term["beta"]
            .iter()
            .map(|&slot| index.entries[slot].file)
            .collect();
        assert_eq!(files, [0, 1]);
    }
}
