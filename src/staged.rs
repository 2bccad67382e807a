//! A staged run answered against the corpus snapshot (`index.bin`, see
//! [`crate::cache::snapshot`]) instead of the whole corpus index.
//!
//! The files the run reports, and any file changed since the snapshot, are
//! read, parsed and checked. The rest of the corpus stays where it lies: the
//! corpus rules run over an [`Overlay`], the snapshot with the changed
//! files' records laid over it, which answers the same questions as the
//! in-memory index ([`Corpus`]) and decodes a stored record only when a
//! question reaches it. A rule judges one reported entry at a time, so a
//! staged run decodes the entries that share a name, a plural or a block
//! with a staged one, or that its links (by name, path, file name, id or
//! route) or suggestions reach, and no other.
//!
//! Why each answer is the full index's: a stored record counts only while
//! its file still holds (same path, stamp and layout as when the snapshot
//! was written); the changed files' records replace theirs. The snapshot's
//! tables are keyed by hashes, so every record they give is decoded and its
//! key compared before it is counted. Lists are merged in corpus order (the
//! run's file order, then entry order), as the index keeps them.
//!
//! A rule that needs the whole corpus (`Rule::needs().whole_corpus`) makes
//! the run build the full index instead.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::cache::snapshot::{relative_paths, Drift};
use crate::cache::Snapshot;
use crate::check::{finish, FileOutcome};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileId};
use crate::index::blocks::Block;
use crate::index::{file_stems, scoped_key, Corpus, CorpusIndex, EntryRecord, RecordId};
use crate::load::{self, InputFile};
use crate::rules::{CorpusContext, Registry};

/// Above this many files changed since the snapshot (the reported ones
/// included), the full index is cheaper than checking them one by one.
pub const MOST_CHANGED: usize = 64;

/// The findings of a staged run and the entries of its reported files.
pub struct Answer {
    /// Findings, sorted, in the run's file ids.
    pub diagnostics: Vec<Diagnostic>,
    /// Every entry of a reported file: its file, byte range and term.
    pub entries: Vec<(FileId, Range<usize>, Option<Arc<str>>)>,
    /// The files outside the corpus the answer relied on (see
    /// [`crate::cache::RunResult::outside`]).
    pub outside: Vec<(String, bool)>,
}

/// The answer for a run over `files` (stamped `stamps`, under `root`) from
/// the snapshot, or `None` when the snapshot cannot serve it: missing,
/// written under another configuration, too many files changed since, a
/// file unreadable or a stored record damaged, or a whole-corpus rule
/// enabled.
pub fn answer(
    config: &Config,
    registry: &Registry,
    files: &[InputFile],
    stamps: &[Option<(u128, u64)>],
    root: &Path,
    configuration: u64,
) -> Option<Answer> {
    // A rule that judges one entry by every entry (its metadata says so)
    // needs the whole index, which the snapshot path does not build.
    if registry.needs(config).whole_corpus {
        return None;
    }
    let snapshot = Snapshot::open(root, configuration)?;
    let relative = relative_paths(files, root)?;
    let Drift {
        changed,
        current_of,
    } = snapshot.drift(files, &relative, stamps, |id| files[id].reported);
    if changed.len() > MOST_CHANGED {
        return None;
    }
    let checked: Vec<(FileId, FileOutcome)> = changed
        .par_iter()
        .map(|&id| {
            let source = load::read(&files[id].path).ok()?;
            let outcome = crate::check::guarded_check(id, &files[id], &source, config, registry);
            Some((id, outcome))
        })
        .collect::<Option<_>>()?;
    // Every file has an outcome, in run order: the changed files their own,
    // the others none of their own (no finding lands there: none is
    // reported), under the settings of a changed file.
    let placeholder = checked.first().map_or_else(
        || config.settings_for(""),
        |(_, outcome)| outcome.settings.clone(),
    );
    let mut outcomes: Vec<FileOutcome> = (0..files.len())
        .map(|_| FileOutcome {
            records: Vec::new(),
            diagnostics: Vec::new(),
            suppressions: Vec::new(),
            settings: placeholder.clone(),
        })
        .collect();
    let mut fresh = Vec::new();
    for (id, mut outcome) in checked {
        fresh.append(&mut outcome.records);
        outcomes[id] = outcome;
    }
    let entries = crate::index::reported_entries(&fresh, files);
    let overlay = Overlay::new(&snapshot, files, &relative, &current_of, fresh.clone());
    let read_text = |file: FileId| load::read(&files[file].path).ok().map(|source| source.text);
    let cx = CorpusContext {
        index: &overlay,
        files,
        config,
        root,
        read_text: &read_text,
        memo: &crate::rules::Memo::default(),
    };
    let diagnostics = finish(outcomes, &fresh, &cx, registry);
    let outside =
        crate::cache::run::outside_targets_of(&overlay, &overlay.reported(), &config.routes, root);
    if overlay.damaged() {
        return None;
    }
    Some(Answer {
        diagnostics,
        entries,
        outside,
    })
}

/// The snapshot with the changed files laid over it: a [`Corpus`] over the
/// run's files, in the run's file ids.
///
/// Record ids: the changed files' records are `0..fresh`, in run order;
/// stored record `n` is `fresh + n`, decoded on first use.
pub struct Overlay<'a> {
    snapshot: &'a Snapshot,
    files: &'a [InputFile],
    /// Root-relative path of each file of the run.
    relative: &'a [&'a str],
    /// The run's id of each snapshot file that still holds.
    current_of: &'a [Option<FileId>],
    /// The snapshot file each run file still is.
    stored_of: Vec<Option<usize>>,
    /// The run's id of the file of each stored record, [`FileId::MAX`] when
    /// that file changed or left.
    file_of_stored: Vec<FileId>,
    /// The records of the changed files (run file ids) and their lookups.
    fresh: CorpusIndex,
    /// Stored records decoded so far, in the run's file ids.
    decoded: Vec<OnceLock<Box<EntryRecord>>>,
    /// A stored record did not decode: the answer cannot be trusted.
    damaged: AtomicBool,
    attachments: OnceLock<HashSet<String>>,
}

impl<'a> Overlay<'a> {
    /// `snapshot` under a run over `files` (root-relative `relative`), whose
    /// stored files still holding are `current_of` (see
    /// [`Snapshot::drift`]), with `fresh`, every record of the other files,
    /// in run order.
    pub fn new(
        snapshot: &'a Snapshot,
        files: &'a [InputFile],
        relative: &'a [&'a str],
        current_of: &'a [Option<FileId>],
        fresh: Vec<EntryRecord>,
    ) -> Self {
        let mut stored_of = vec![None; files.len()];
        let mut file_of_stored = vec![FileId::MAX; snapshot.records()];
        for (stored, current) in current_of.iter().enumerate() {
            let Some(current) = *current else {
                continue;
            };
            if let Some(slot) = stored_of.get_mut(current) {
                *slot = Some(stored);
            }
            for number in snapshot.records_of(stored) {
                if let Some(slot) = file_of_stored.get_mut(number as usize) {
                    *slot = current;
                }
            }
        }
        let reported = files.iter().map(|file| file.reported).collect();
        let paths = relative.iter().map(|&path| Arc::from(path)).collect();
        Self {
            snapshot,
            files,
            relative,
            current_of,
            stored_of,
            file_of_stored,
            fresh: CorpusIndex::build(fresh, reported, paths),
            decoded: (0..snapshot.records()).map(|_| OnceLock::new()).collect(),
            damaged: AtomicBool::new(false),
            attachments: OnceLock::new(),
        }
    }

    /// Whether a stored record the rules asked for did not decode.
    pub fn damaged(&self) -> bool {
        self.damaged.load(Ordering::Relaxed)
    }

    fn fresh_count(&self) -> usize {
        self.fresh.entries.len()
    }

    /// The run's id of the file holding stored record `stored`, if it holds.
    fn current_file(&self, stored: u32) -> Option<FileId> {
        self.file_of_stored
            .get(stored as usize)
            .copied()
            .filter(|&file| file != FileId::MAX)
    }

    /// The ids of the stored records among `stored` that still hold, in
    /// corpus order.
    fn holding(&self, stored: impl Iterator<Item = u32>) -> Vec<RecordId> {
        let mut ids: Vec<RecordId> = stored
            .filter(|&number| self.current_file(number).is_some())
            .map(|number| self.fresh_count() + number as usize)
            .collect();
        ids.sort_unstable_by_key(|&id| self.corpus_key(id));
        ids.dedup();
        ids
    }

    /// [`Overlay::holding`], each record decoded and kept only if `keep`
    /// holds (a hash table's answer checked against the record's key).
    fn holding_checked(
        &self,
        stored: impl Iterator<Item = u32>,
        keep: impl Fn(&EntryRecord) -> bool,
    ) -> Vec<RecordId> {
        let mut ids = self.holding(stored);
        ids.retain(|&id| keep(self.record(id)));
        ids
    }

    /// The records a name table answers for `key`: `fresh`'s, and the stored
    /// ones among `stored` that still hold and for which `keep` holds.
    fn answered<'s>(
        &self,
        fresh: Cow<'s, [RecordId]>,
        stored: impl Iterator<Item = u32>,
        keep: impl Fn(&EntryRecord) -> bool,
    ) -> Cow<'s, [RecordId]> {
        self.merged(fresh, self.holding_checked(stored, keep))
    }

    /// Where record `id` stands in corpus order, without decoding it: its
    /// run file, then its id (a file's records are all fresh or all stored,
    /// and numbered in entry order either way).
    fn corpus_key(&self, id: RecordId) -> (FileId, RecordId) {
        let file = match id.checked_sub(self.fresh_count()) {
            None => self.fresh.entries[id].file,
            Some(number) => u32::try_from(number)
                .ok()
                .and_then(|number| self.current_file(number))
                .unwrap_or(FileId::MAX),
        };
        (file, id)
    }

    /// `fresh` and `stored` ids together, in corpus order.
    fn merged<'s>(
        &self,
        fresh: Cow<'s, [RecordId]>,
        mut stored: Vec<RecordId>,
    ) -> Cow<'s, [RecordId]> {
        if stored.is_empty() {
            return fresh;
        }
        if fresh.is_empty() {
            return Cow::Owned(stored);
        }
        stored.extend_from_slice(&fresh);
        stored.sort_unstable_by_key(|&id| self.corpus_key(id));
        stored.dedup();
        Cow::Owned(stored)
    }
}

impl Corpus for Overlay<'_> {
    fn record(&self, id: RecordId) -> &EntryRecord {
        let Some(number) = id.checked_sub(self.fresh_count()) else {
            return &self.fresh.entries[id];
        };
        let Some(slot) = self.decoded.get(number) else {
            return crate::index::query::no_record();
        };
        slot.get_or_init(|| {
            let number = number as u32;
            let decoded = self.snapshot.record(number).zip(self.current_file(number));
            match decoded {
                Some((mut record, file)) => {
                    record.file = file;
                    Box::new(record)
                }
                None => {
                    self.damaged.store(true, Ordering::Relaxed);
                    Box::new(crate::index::update::tombstone())
                }
            }
        })
    }

    fn id_bound(&self) -> usize {
        self.fresh_count() + self.snapshot.records()
    }

    fn position(&self, id: RecordId) -> (FileId, RecordId) {
        self.corpus_key(id)
    }

    fn reported(&self) -> Vec<RecordId> {
        (0..self.files.len())
            .filter(|&file| self.files[file].reported)
            .flat_map(|file| self.records_of_file(file).into_owned())
            .collect()
    }

    fn all(&self) -> Vec<RecordId> {
        (0..self.files.len())
            .flat_map(|file| self.records_of_file(file).into_owned())
            .collect()
    }

    fn reports_file(&self, file: FileId) -> bool {
        self.files.get(file).is_some_and(|file| file.reported)
    }

    fn file_count(&self) -> usize {
        self.files.len()
    }

    fn file_path(&self, file: FileId) -> Option<&str> {
        self.relative.get(file).copied()
    }

    fn records_of_file(&self, file: FileId) -> Cow<'_, [RecordId]> {
        match self.stored_of.get(file).copied().flatten() {
            Some(stored) => {
                let first = self.fresh_count();
                let records = self.snapshot.records_of(stored);
                Cow::Owned(records.map(|number| first + number as usize).collect())
            }
            None => self.fresh.records_of_file(file),
        }
    }

    fn records_at_path(&self, path: &str) -> Cow<'_, [RecordId]> {
        let current = self
            .snapshot
            .file_by_path(path)
            .and_then(|stored| self.current_of.get(stored).copied().flatten());
        match current {
            Some(file) => self.records_of_file(file),
            None => self.fresh.records_at_path(path),
        }
    }

    fn with_term(&self, key: &str) -> Cow<'_, [RecordId]> {
        let stored = self.snapshot.with_term(key);
        self.answered(self.fresh.with_term(key), stored, |record| {
            record.term_key.as_deref() == Some(key)
        })
    }

    fn with_alias(&self, key: &str) -> Cow<'_, [RecordId]> {
        let stored = self.snapshot.with_alias(key);
        self.answered(self.fresh.with_alias(key), stored, |record| {
            record.aliases.iter().any(|(_, alias)| alias == key)
        })
    }

    fn with_stem(&self, key: &str) -> Cow<'_, [RecordId]> {
        let stored = self.snapshot.with_stem(key);
        self.answered(self.fresh.with_stem(key), stored, |record| {
            !record.links_only
                && self.file_path(record.file).is_some_and(|path| {
                    file_stems(path)
                        .iter()
                        .any(|stem| scoped_key(&record.namespace, stem) == key)
                })
        })
    }

    fn with_id(&self, key: &str) -> Cow<'_, [RecordId]> {
        let stored = self.snapshot.with_id(key);
        self.answered(self.fresh.with_id(key), stored, |record| {
            record.id_key.as_deref() == Some(key)
        })
    }

    fn with_route(&self, key: &str) -> Cow<'_, [RecordId]> {
        let stored = self.snapshot.with_route(key);
        self.answered(self.fresh.with_route(key), stored, |record| {
            record.routes.iter().any(|route| route == key)
        })
    }

    fn with_block(&self, hash: u64) -> Cow<'_, [Block]> {
        let fresh = self.fresh.with_block(hash);
        let stored = self.holding(self.snapshot.with_block(hash));
        if stored.is_empty() {
            return fresh;
        }
        let mut blocks: Vec<Block> = fresh.into_owned();
        for id in stored {
            let fingerprints = &self.record(id).fingerprints;
            for (position, fingerprint) in fingerprints.iter().enumerate() {
                if fingerprint.hash == hash {
                    blocks.push((hash, narrow(id), narrow(position)));
                }
            }
        }
        blocks.sort_unstable_by_key(|&(_, id, position)| (self.corpus_key(id as usize), position));
        blocks.dedup();
        Cow::Owned(blocks)
    }

    fn with_word(&self, word: &str) -> Cow<'_, [RecordId]> {
        let exact = self
            .snapshot
            .words_from(word)
            .next()
            .filter(|(known, _)| *known == word.as_bytes());
        let stored = match exact {
            Some((_, records)) => self.holding(records),
            None => Vec::new(),
        };
        self.merged(self.fresh.with_word(word), stored)
    }

    fn words_with_prefix(&self, prefix: &str, limit: usize) -> Vec<String> {
        let mut words = self.fresh.words_with_prefix(prefix, limit);
        let mut stored = 0;
        for (known, mut records) in self.snapshot.words_from(prefix) {
            if stored == limit || !known.starts_with(prefix.as_bytes()) {
                break;
            }
            // A word only the changed files had is no longer the corpus's.
            if records.any(|record| self.current_file(record).is_some()) {
                stored += 1;
                words.push(String::from_utf8_lossy(known).into_owned());
            }
        }
        words.sort_unstable();
        words.dedup();
        words.truncate(limit);
        words
    }

    fn attachments(&self, root: &Path) -> &HashSet<String> {
        self.attachments
            .get_or_init(|| crate::index::resolve::attachments_under(root))
    }
}

/// A record id or block position as a block stores it.
fn narrow(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
