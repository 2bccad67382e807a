//! A staged run answered against the corpus snapshot (`index.bin`, see
//! [`crate::cache::snapshot`]) instead of the whole corpus index.
//!
//! The files the run reports, and any file changed since the snapshot, are
//! read, parsed and checked. Of the rest of the corpus only the entries that
//! can change a reported entry's findings are decoded, and the corpus rules
//! run over that small corpus as they would over the whole one: for every
//! lookup they make on behalf of a reported entry, the small index holds the
//! same entries in the same order. Those lookups are:
//!
//! - its names, as term or alias of another entry (`duplicate-term`,
//!   `alias-conflict`, and every link written with one of them);
//! - its term's plurals, and the terms whose plural it is, each with every
//!   entry defining it (`similar-term`);
//! - its fingerprinted blocks (`boilerplate`);
//! - what its links name: a term or alias, every file a path may mean
//!   (`broken-reference`, `broken-anchor`, `self-reference`);
//! - for a link that resolves to nothing, the names `suggest_terms` would
//!   weigh: the first entries of each word and of the words sharing its
//!   prefix.
//!
//! Rules that read every entry of the corpus (`unlinked-mention` matches every
//! name, `orphan-entry` resolves every link) make the run use the full index.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::snapshot::{relative_paths, Drift};
use crate::cache::Snapshot;
use crate::check::{finish, FileOutcome};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileId};
use crate::index::resolve::{path_candidates, suggestion_query, Target};
use crate::index::{scoped_key, CorpusIndex, EntryRecord};
use crate::load::{self, InputFile};
use crate::model::LinkKind;
use crate::normalize::{plural_forms, term_key};
use crate::rules::{CorpusContext, Registry};

/// Above this many files changed since the snapshot (the reported ones
/// included), the full index is cheaper than checking them one by one.
pub const MOST_CHANGED: usize = 64;

/// How many entries `suggest_terms` takes of one word, and of each word
/// sharing a prefix, and how many such words (see
/// [`CorpusIndex::suggest_terms`]).
const WORD_CANDIDATES: usize = 200;
const PREFIX_CANDIDATES: usize = 20;
const PREFIX_WORDS: usize = 50;

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
/// file unreadable, or a whole-corpus rule enabled.
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
    let mut checked: Vec<(FileId, FileOutcome)> = changed
        .par_iter()
        .map(|&id| {
            let source = load::read(&files[id].path).ok()?;
            let outcome = crate::check::guarded_check(id, &files[id], &source, config, registry);
            Some((id, outcome))
        })
        .collect::<Option<_>>()?;
    let fresh: Vec<EntryRecord> = checked
        .iter_mut()
        .flat_map(|(_, outcome)| std::mem::take(&mut outcome.records))
        .collect();
    let entries = crate::index::reported_entries(&fresh, files);
    let corpus = SmallCorpus {
        snapshot: &snapshot,
        current_of: &current_of,
        relative: &relative,
        files,
    };
    let mut wanted = corpus.related(&fresh, config);
    let mut decoded = corpus.decode(&wanted, BTreeMap::new())?;
    let mut index = corpus.index(fresh, &decoded, &changed);
    // Links that resolve to nothing get suggestions: decode what they weigh.
    let missing: Vec<String> = index
        .entries
        .iter()
        .enumerate()
        .filter(|(_, record)| index.is_reported(record))
        .flat_map(|(from, record)| {
            let index = &index;
            record
                .links
                .iter()
                .filter(move |link| index.resolve(from, link, config, root) == Target::Missing)
        })
        .map(suggestion_query)
        .collect();
    let before = wanted.len();
    for query in &missing {
        corpus.suggestion_candidates(query, &mut wanted);
    }
    if wanted.len() > before {
        decoded = corpus.decode(&wanted, decoded)?;
        // The fresh records back in the run's file ids (decoded ones never
        // lie in a changed file), then the index again with the additions.
        let file_ids = std::mem::take(&mut index.file_ids);
        let fresh = std::mem::take(&mut index.index.entries)
            .into_iter()
            .map(|mut record| {
                record.file = file_ids[record.file];
                record
            })
            .filter(|record| changed.binary_search(&record.file).is_ok())
            .collect();
        index = corpus.index(fresh, &decoded, &changed);
    }
    let involved = index.file_ids.clone();
    let mut outcomes_by_file: BTreeMap<FileId, FileOutcome> = checked.into_iter().collect();
    let outcomes: Vec<FileOutcome> = involved
        .iter()
        .enumerate()
        .map(|(small_id, &id)| match outcomes_by_file.remove(&id) {
            // Its per-file findings, into the small index's file ids.
            Some(mut outcome) => {
                for diagnostic in &mut outcome.diagnostics {
                    diagnostic.file = small_id;
                    for related in &mut diagnostic.related {
                        related.file = small_id;
                    }
                }
                outcome
            }
            None => FileOutcome {
                records: Vec::new(),
                diagnostics: Vec::new(),
                suppressions: Vec::new(),
                settings: config.settings_for(relative[id]),
            },
        })
        .collect();
    let small_files: Vec<InputFile> = involved.iter().map(|&id| files[id].clone()).collect();
    let read_text = |file: FileId| {
        load::read(&small_files[file].path)
            .ok()
            .map(|source| source.text)
    };
    let cx = CorpusContext {
        index: &index.index,
        files: &small_files,
        config,
        root,
        read_text: &read_text,
        memo: &crate::rules::Memo::default(),
    };
    let outside = crate::cache::run::outside_targets(&index, &config.routes, root);
    let mut diagnostics = finish(outcomes, &cx, registry);
    for diagnostic in &mut diagnostics {
        diagnostic.file = involved[diagnostic.file];
        for related in &mut diagnostic.related {
            related.file = involved[related.file];
        }
    }
    Some(Answer {
        diagnostics,
        entries,
        outside,
    })
}

/// The part of the corpus a staged run looks at.
struct SmallCorpus<'a> {
    snapshot: &'a Snapshot,
    /// The run's id of each snapshot file that still holds.
    current_of: &'a [Option<FileId>],
    /// Root-relative path of each file of the run.
    relative: &'a [&'a str],
    files: &'a [InputFile],
}

/// An index over a few files, and the run's id of each of its files.
struct SmallIndex {
    index: CorpusIndex,
    file_ids: Vec<FileId>,
}

impl std::ops::Deref for SmallIndex {
    type Target = CorpusIndex;

    fn deref(&self) -> &CorpusIndex {
        &self.index
    }
}

impl SmallCorpus<'_> {
    /// The run's id of the file holding snapshot record `record`, if that
    /// file still holds.
    fn current_file(&self, record: u32) -> Option<FileId> {
        self.current_of
            .get(self.snapshot.file_of(record))
            .copied()
            .flatten()
    }

    /// The snapshot records a reported entry among `fresh` may be judged
    /// against (see the module documentation), without the suggestions.
    fn related(&self, fresh: &[EntryRecord], config: &Config) -> BTreeSet<u32> {
        let snapshot = self.snapshot;
        let mut wanted = BTreeSet::new();
        let reported: Vec<&EntryRecord> = fresh
            .iter()
            .filter(|record| self.files[record.file].reported)
            .collect();
        let reported_terms: BTreeSet<&str> = reported
            .iter()
            .filter_map(|record| record.term_key.as_deref())
            .collect();
        for record in &reported {
            let aliases = record.aliases.iter().map(|(_, key)| key.as_str());
            for key in record.term_key.as_deref().into_iter().chain(aliases) {
                if !key.is_empty() {
                    wanted.extend(snapshot.with_term(key).chain(snapshot.with_alias(key)));
                }
            }
            if let Some(key) = &record.term_key {
                for plural in plural_forms(key) {
                    wanted.extend(snapshot.with_term(&plural));
                }
                for singular in snapshot.with_plural(key) {
                    let singular_key = snapshot
                        .record(singular)
                        .and_then(|singular| singular.term_key);
                    if let Some(singular_key) = singular_key {
                        wanted.extend(snapshot.with_term(&singular_key));
                    }
                }
            }
            for block in &record.fingerprints {
                wanted.extend(snapshot.with_block(block.hash));
            }
            for link in &record.links {
                match link.kind {
                    LinkKind::Wiki => {
                        let key = scoped_key(&record.namespace, &term_key(&link.target));
                        if !key.is_empty() {
                            wanted
                                .extend(snapshot.with_term(&key).chain(snapshot.with_alias(&key)));
                        }
                    }
                    // Found by file name: the snapshot has no table of
                    // names, so the linked record is not loaded ahead.
                    LinkKind::Stem => {}
                    LinkKind::Path => {
                        let from = self.relative[record.file];
                        let candidates =
                            path_candidates(from, &link.target, &config.routes).unwrap_or_default();
                        for candidate in candidates {
                            if let Some(file) = snapshot.file_by_path(&candidate) {
                                wanted.extend(snapshot.records_of(file));
                            }
                        }
                    }
                }
            }
        }
        // A changed file that is not reported is judged fresh too: when its
        // term is a singular of a reported one, its whole group counts.
        for record in fresh
            .iter()
            .filter(|record| !self.files[record.file].reported)
        {
            if let Some(key) = &record.term_key {
                let plural_of_reported = plural_forms(key)
                    .iter()
                    .any(|plural| reported_terms.contains(plural.as_str()));
                if plural_of_reported {
                    wanted.extend(snapshot.with_term(key));
                }
            }
        }
        wanted.retain(|&record| self.current_file(record).is_some());
        wanted
    }

    /// Adds the records `suggest_terms(query)` may weigh: for each word,
    /// its first entries, and the first entries of the first words sharing
    /// its `suggestion_prefix`, counting only entries that still hold.
    fn suggestion_candidates(&self, query: &str, wanted: &mut BTreeSet<u32>) {
        let key = term_key(query);
        for word in key.split(' ').filter(|word| !word.is_empty()) {
            let exact = self.snapshot.words_from(word).next();
            if let Some((_, records)) = exact.filter(|(known, _)| *known == word.as_bytes()) {
                let holding = records.filter(|&record| self.current_file(record).is_some());
                wanted.extend(holding.take(WORD_CANDIDATES));
            }
            let prefix = crate::index::resolve::suggestion_prefix(word);
            let mut words = 0;
            for (known, records) in self.snapshot.words_from(&prefix) {
                if words == PREFIX_WORDS || !known.starts_with(prefix.as_bytes()) {
                    break;
                }
                let mut holding = records
                    .filter(|&record| self.current_file(record).is_some())
                    .take(PREFIX_CANDIDATES)
                    .peekable();
                if holding.peek().is_some() {
                    words += 1;
                    wanted.extend(holding);
                }
            }
        }
    }

    /// Decodes the records of `wanted` not in `decoded` yet, in the run's
    /// file ids; `None` when one does not decode.
    fn decode(
        &self,
        wanted: &BTreeSet<u32>,
        mut decoded: BTreeMap<u32, EntryRecord>,
    ) -> Option<BTreeMap<u32, EntryRecord>> {
        for &number in wanted {
            if decoded.contains_key(&number) {
                continue;
            }
            let mut record = self.snapshot.record(number)?;
            record.file = self.current_file(number)?;
            decoded.insert(number, record);
        }
        Some(decoded)
    }

    /// The run's ids of the changed files (a file with no entry still has
    /// its own findings) and of the files holding `decoded`, sorted.
    fn involved(&self, changed: &[FileId], decoded: &BTreeMap<u32, EntryRecord>) -> Vec<FileId> {
        let mut involved: Vec<FileId> = changed
            .iter()
            .copied()
            .chain(decoded.values().map(|record| record.file))
            .collect();
        involved.sort_unstable();
        involved.dedup();
        involved
    }

    /// The index over `fresh` (the records of the `changed` files) and
    /// `decoded`, both in the run's file ids; its files numbered in run order.
    fn index(
        &self,
        fresh: Vec<EntryRecord>,
        decoded: &BTreeMap<u32, EntryRecord>,
        changed: &[FileId],
    ) -> SmallIndex {
        let file_ids = self.involved(changed, decoded);
        let mut records: Vec<EntryRecord> =
            fresh.into_iter().chain(decoded.values().cloned()).collect();
        for record in &mut records {
            record.file = file_ids.binary_search(&record.file).unwrap_or(0);
        }
        // Each file's records are already in entry order: a stable sort by
        // file puts the whole in index order.
        records.sort_by_key(|record| record.file);
        let reported = file_ids.iter().map(|&id| self.files[id].reported).collect();
        let paths = file_ids
            .iter()
            .map(|&id| Arc::from(self.relative[id]))
            .collect();
        SmallIndex {
            index: CorpusIndex::build(records, reported, paths),
            file_ids,
        }
    }
}
