//! `index.bin`: the corpus index of the last run that indexed every file,
//! laid out to be queried where it lies.
//!
//! A pre-commit run names one edited entry of a 100k-entry corpus. Its
//! findings depend on a handful of other entries (the ones sharing a name, a
//! plural, a pasted paragraph, or that its links name: by name, path, file
//! name, id or route), so that run answers the corpus rules' queries from
//! this file's fixed-width tables ([`crate::staged::Overlay`]), looking
//! entries up by hash and decoding one only when a query reaches it; nothing
//! is built for the rest of the corpus.
//!
//! Layout: an 8-byte little-endian header length, a bincode [`Header`], then
//! the sections of [`Section`] back to back. Every number in a section is
//! little-endian; lookup tables are `(u64 hash, u32 record)` pairs sorted by
//! hash, so a name's records are one binary search away. Hashes only narrow
//! the search: the caller compares the decoded records' keys, so a collision
//! costs a record decoded for nothing, never a wrong answer.
//!
//! Every section but the records has a checksum in the header, verified on
//! opening; each record has its own, verified when it is decoded. A damaged
//! snapshot serves nothing (the run falls back to the full index and writes
//! a new one). A file whose stamp is not older than the snapshot counts as
//! changed (the racy rule of [`super::trusted`]).

use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{checksum, read_framed, trusted, write_framed, FOLDER};
use crate::diagnostic::FileId;
use crate::index::{file_stems, fnv1a, scoped_key, CorpusIndex, EntryRecord};
use crate::load::{plain_relative, FileKind, InputFile};

const NAME: &str = "index.bin";
/// 5: records with an id and Hugo alias routes, and their tables; 6: links
/// know whether front matter holds them; 7: headers with variable-length
/// integers.
const FORMAT: u32 = 7;

/// The sections, in file order.
#[derive(Clone, Copy)]
enum Section {
    /// Every file's root-relative path, concatenated.
    PathText,
    /// `u32` end of each path in `PathText`.
    PathEnds,
    /// `u32` file numbers sorted by path, for lookups by path.
    PathOrder,
    /// Per file, [`FILE_WIDTH`] bytes: modification time (`u128` ns), size
    /// (`u64`), first record (`u32`), flags (`u32`: [`DUMP`], [`STAMPED`]).
    Files,
    /// `u64` start of each record in `Records`, and the end of the last.
    RecordOffsets,
    /// Term keys.
    Terms,
    /// Alias keys.
    Aliases,
    /// The file names each record is found by (see [`file_stems`]), in its
    /// namespace.
    Stems,
    /// Id keys (`[entries] id_field`).
    Ids,
    /// Site paths pages are also served at (Hugo `aliases:`, as
    /// [`crate::index::route_key`] writes them).
    Routes,
    /// Boilerplate fingerprints.
    Blocks,
    /// The words of every name, sorted and distinct, concatenated.
    WordText,
    /// `u32` end of each word in `WordText`.
    WordEnds,
    /// `u32` end of each word's records in `WordRecords`.
    WordRecordEnds,
    /// `u32` records having each word, in record order.
    WordRecords,
    /// `u64` [`checksum`] of each record in `Records`.
    RecordSums,
    /// Every record, bincode, in file order then entry order.
    Records,
}

const SECTIONS: usize = Section::Records as usize + 1;
const FILE_WIDTH: usize = 32;
const PAIR_WIDTH: usize = 12;
const DUMP: u32 = 1;
const STAMPED: u32 = 2;

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    configuration: u64,
    files: u32,
    records: u32,
    /// End of each section, in bytes after the header.
    ends: Vec<u64>,
    /// The [`checksum`] of each section but `Records`.
    sums: Vec<u64>,
}

fn path(root: &Path) -> PathBuf {
    root.join(FOLDER).join(NAME)
}

/// A snapshot opened for queries, mapped into memory: a query touches the
/// pages it reads and no more.
pub struct Snapshot {
    map: memmap2::Mmap,
    header: Header,
    /// Where the sections start in the file.
    body_at: usize,
    /// When it was written.
    written: u128,
}

fn u32_at(bytes: &[u8], index: usize) -> Option<u32> {
    let start = index.checked_mul(4)?;
    Some(u32::from_le_bytes(
        bytes.get(start..start + 4)?.try_into().ok()?,
    ))
}

fn u64_at(bytes: &[u8], index: usize) -> Option<u64> {
    let start = index.checked_mul(8)?;
    Some(u64::from_le_bytes(
        bytes.get(start..start + 8)?.try_into().ok()?,
    ))
}

/// The range of item `index` in a table of `u32` ends (item `i` runs from
/// the end of item `i - 1` to its own).
fn nth_range(ends: &[u8], index: usize) -> std::ops::Range<usize> {
    let start = match index {
        0 => Some(0),
        _ => u32_at(ends, index - 1),
    };
    match (start, u32_at(ends, index)) {
        (Some(start), Some(end)) => start as usize..end as usize,
        _ => 0..0,
    }
}

/// `items` laid end to end, and the `u32` end of each: the text and ends
/// tables [`nth_range`] reads.
fn concatenated<'a>(items: impl ExactSizeIterator<Item = &'a [u8]>) -> (Vec<u8>, Vec<u8>) {
    let mut ends = Vec::with_capacity(items.len() * 4);
    let mut text = Vec::new();
    for item in items {
        text.extend_from_slice(item);
        ends.extend_from_slice(&(text.len() as u32).to_le_bytes());
    }
    (text, ends)
}

/// The records filed under `hash` in a table of sorted `(hash, record)` pairs.
fn lookup(table: &[u8], hash: u64) -> impl Iterator<Item = u32> + '_ {
    let pairs = table.len() / PAIR_WIDTH;
    let hash_of = |pair: usize| u64_at(&table[pair * PAIR_WIDTH..], 0).unwrap_or(u64::MAX);
    let first = partition_point(pairs, |pair| hash_of(pair) < hash);
    (first..pairs)
        .take_while(move |&pair| hash_of(pair) == hash)
        .filter_map(move |pair| u32_at(&table[pair * PAIR_WIDTH + 8..], 0))
}

/// The first of `0..len` for which `before` is false (`before` holds for a
/// prefix of the range).
fn partition_point(len: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if before(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

impl Snapshot {
    /// The snapshot of the project at `root` if this version wrote it under
    /// this configuration and it is whole.
    pub fn open(root: &Path, configuration: u64) -> Option<Self> {
        let file = File::open(path(root)).ok()?;
        // SAFETY: the cache writes `index.bin` to a temporary file and renames
        // it over the old one; a file once renamed into place is never written
        // again, so the mapped bytes cannot change under the reader. (Another
        // program truncating it is outside what the cache defends against, as
        // for every file glosslint reads.)
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let written = super::modified_ns(&file.metadata().ok()?)?;
        let (header, body_at): (Header, usize) = read_framed(&map)?;
        let whole = header.format == FORMAT
            && header.version == env!("CARGO_PKG_VERSION")
            && header.configuration == configuration
            && header.ends.len() == SECTIONS
            && header.sums.len() == SECTIONS - 1
            && header.ends.windows(2).all(|pair| pair[0] <= pair[1])
            && u64::try_from(map.len().saturating_sub(body_at)).ok() == header.ends.last().copied();
        if !whole {
            return None;
        }
        let snapshot = Self {
            map,
            header,
            body_at,
            written,
        };
        let sized = snapshot.section(Section::PathEnds).len() == snapshot.files() * 4
            && snapshot.section(Section::Files).len() == snapshot.files() * FILE_WIDTH
            && snapshot.section(Section::RecordOffsets).len() == (snapshot.records() + 1) * 8
            && snapshot.section(Section::RecordSums).len() == snapshot.records() * 8;
        let intact = (0..SECTIONS - 1)
            .into_par_iter()
            .all(|index| checksum(snapshot.section_at(index)) == snapshot.header.sums[index]);
        (sized && intact).then_some(snapshot)
    }

    fn section(&self, section: Section) -> &[u8] {
        self.section_at(section as usize)
    }

    fn section_at(&self, index: usize) -> &[u8] {
        let start = if index == 0 {
            0
        } else {
            self.header.ends[index - 1]
        };
        let (Ok(start), Ok(end)) = (
            usize::try_from(start),
            usize::try_from(self.header.ends[index]),
        ) else {
            return &[];
        };
        self.map
            .get(self.body_at + start..self.body_at + end)
            .unwrap_or(&[])
    }

    /// How many files it holds.
    pub fn files(&self) -> usize {
        self.header.files as usize
    }

    /// How many records it holds.
    pub fn records(&self) -> usize {
        self.header.records as usize
    }

    /// The root-relative path of `file`.
    pub fn path(&self, file: usize) -> &[u8] {
        let range = nth_range(self.section(Section::PathEnds), file);
        self.section(Section::PathText).get(range).unwrap_or(&[])
    }

    /// The file at root-relative `wanted`, if the snapshot has it.
    pub fn file_by_path(&self, wanted: &str) -> Option<usize> {
        let order = self.section(Section::PathOrder);
        let file_at = |position: usize| u32_at(order, position).map_or(0, |file| file as usize);
        let position = partition_point(order.len() / 4, |position| {
            self.path(file_at(position)) < wanted.as_bytes()
        });
        let file = file_at(position);
        (position < order.len() / 4 && self.path(file) == wanted.as_bytes()).then_some(file)
    }

    fn file_field(&self, file: usize, at: usize, width: usize) -> Option<&[u8]> {
        let start = file.checked_mul(FILE_WIDTH)? + at;
        self.section(Section::Files).get(start..start + width)
    }

    /// The size and modification time `file` had, if it was stamped.
    pub fn stamp(&self, file: usize) -> Option<(u128, u64)> {
        if self.flags(file) & STAMPED == 0 {
            return None;
        }
        let modified = u128::from_le_bytes(self.file_field(file, 0, 16)?.try_into().ok()?);
        let size = u64::from_le_bytes(self.file_field(file, 16, 8)?.try_into().ok()?);
        Some((modified, size))
    }

    /// Whether `file` was read as a dump.
    pub fn is_dump(&self, file: usize) -> bool {
        self.flags(file) & DUMP != 0
    }

    fn flags(&self, file: usize) -> u32 {
        self.file_field(file, 28, 4)
            .and_then(|bytes| u32_at(bytes, 0))
            .unwrap_or(0)
    }

    fn first_record(&self, file: usize) -> usize {
        if file >= self.files() {
            return self.records();
        }
        self.file_field(file, 24, 4)
            .and_then(|bytes| u32_at(bytes, 0))
            .map_or(self.records(), |first| (first as usize).min(self.records()))
    }

    /// The records of `file`.
    pub fn records_of(&self, file: usize) -> std::ops::Range<u32> {
        let first = self.first_record(file);
        let last = self.first_record(file + 1).max(first);
        first as u32..last as u32
    }

    /// Decodes `record` (its `file` is the snapshot's file number).
    pub fn record(&self, record: u32) -> Option<EntryRecord> {
        bincode::deserialize(self.record_bytes(record)?).ok()
    }

    /// Whether every record matches its checksum (opening checks the other
    /// sections; records are checked one by one as they are decoded).
    fn records_intact(&self) -> bool {
        (0..self.records() as u32)
            .into_par_iter()
            .all(|record| self.record_bytes(record).is_some())
    }

    /// The bytes of `record` if they match their checksum.
    fn record_bytes(&self, record: u32) -> Option<&[u8]> {
        let offsets = self.section(Section::RecordOffsets);
        let start = u64_at(offsets, record as usize)?;
        let end = u64_at(offsets, record as usize + 1)?;
        let range = usize::try_from(start).ok()?..usize::try_from(end).ok()?;
        let bytes = self.section(Section::Records).get(range)?;
        (checksum(bytes) == u64_at(self.section(Section::RecordSums), record as usize)?)
            .then_some(bytes)
    }

    /// Records whose term key hashes like `key`.
    pub fn with_term(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        lookup(self.section(Section::Terms), fnv1a(key.as_bytes()))
    }

    /// Records with an alias key hashing like `key`.
    pub fn with_alias(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        lookup(self.section(Section::Aliases), fnv1a(key.as_bytes()))
    }

    /// Records of files found by a file name hashing like `key` (a
    /// [`file_stems`] name inside the record's namespace).
    pub fn with_stem(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        lookup(self.section(Section::Stems), fnv1a(key.as_bytes()))
    }

    /// Records with an id key hashing like `key`.
    pub fn with_id(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        lookup(self.section(Section::Ids), fnv1a(key.as_bytes()))
    }

    /// Records of pages declaring a route hashing like `key`.
    pub fn with_route(&self, key: &str) -> impl Iterator<Item = u32> + '_ {
        lookup(self.section(Section::Routes), fnv1a(key.as_bytes()))
    }

    /// Records with a block fingerprinted `hash`.
    pub fn with_block(&self, hash: u64) -> impl Iterator<Item = u32> + '_ {
        lookup(self.section(Section::Blocks), hash)
    }

    fn words(&self) -> usize {
        self.section(Section::WordEnds).len() / 4
    }

    fn word(&self, word: usize) -> &[u8] {
        let range = nth_range(self.section(Section::WordEnds), word);
        self.section(Section::WordText).get(range).unwrap_or(&[])
    }

    /// The words of names from `prefix` on, in order, each with its records
    /// in record order.
    pub fn words_from<'s>(
        &'s self,
        prefix: &'s str,
    ) -> impl Iterator<Item = (&'s [u8], impl Iterator<Item = u32> + 's)> + 's {
        let first = partition_point(self.words(), |word| self.word(word) < prefix.as_bytes());
        (first..self.words()).map(move |word| {
            let range = nth_range(self.section(Section::WordRecordEnds), word);
            let records = self.section(Section::WordRecords);
            (
                self.word(word),
                range.filter_map(move |index| u32_at(records, index)),
            )
        })
    }
}

/// How the corpus of a run differs from a snapshot.
pub struct Drift {
    /// The run's files that are new or have another stamp or layout, and
    /// those the caller asked to count as changed; in run order.
    pub changed: Vec<FileId>,
    /// For each snapshot file that still holds, its id in the run.
    pub current_of: Vec<Option<FileId>>,
}

/// The root-relative paths of `files` (see [`plain_relative`]); `None` when
/// one is not a plain path under `root` (then no snapshot serves the run).
pub fn relative_paths<'f>(files: &'f [InputFile], root: &Path) -> Option<Vec<&'f str>> {
    files
        .par_iter()
        .map(|file| plain_relative(&file.path, root))
        .collect()
}

impl Snapshot {
    /// Compares a run over `files` (root-relative `relative`, stamped
    /// `stamps`) with the snapshot; files for which `count_as_changed` holds
    /// are changed whatever their stamp.
    pub fn drift(
        &self,
        files: &[InputFile],
        relative: &[&str],
        stamps: &[Option<(u128, u64)>],
        count_as_changed: impl Fn(FileId) -> bool + Sync,
    ) -> Drift {
        let aligned = files.len() == self.files()
            && relative
                .par_iter()
                .enumerate()
                .all(|(file, path)| self.path(file) == path.as_bytes());
        let to_snapshot: Vec<Option<usize>> = if aligned {
            (0..files.len()).map(Some).collect()
        } else {
            relative
                .par_iter()
                .map(|path| self.file_by_path(path))
                .collect()
        };
        let changed: Vec<FileId> = (0..files.len())
            .into_par_iter()
            .filter(|&id| {
                count_as_changed(id)
                    || to_snapshot[id].is_none_or(|stored| {
                        stamps[id].is_none_or(|stamp| !trusted(stamp, self.written))
                            || self.stamp(stored) != stamps[id]
                            || self.is_dump(stored) != (files[id].kind == FileKind::Dump)
                    })
            })
            .collect();
        let mut current_of: Vec<Option<FileId>> = vec![None; self.files()];
        for (id, stored) in to_snapshot.iter().enumerate() {
            if let Some(stored) = stored {
                current_of[*stored] = Some(id);
            }
        }
        for &id in &changed {
            if let Some(stored) = to_snapshot[id] {
                current_of[stored] = None;
            }
        }
        Drift {
            changed,
            current_of,
        }
    }
}

/// A snapshot this far behind the corpus (in changed files) is still used,
/// and not rewritten by a run that indexes everything: staged runs read those
/// files afresh, and the full run saves writing 90 MB for a 100k corpus.
const STALE_FILES: usize = 16;

/// Writes the snapshot of a run that indexed every corpus file (`files` and
/// `stamps` in run order, `index` built over all of them), unless the one in
/// place is at most [`STALE_FILES`] files behind.
pub fn refresh_snapshot(
    root: &Path,
    configuration: u64,
    files: &[InputFile],
    stamps: &[Option<(u128, u64)>],
    index: &CorpusIndex,
) {
    // A damaged record is found only when a staged run decodes it; a
    // snapshot that holds one is rewritten here, not kept.
    let close = Snapshot::open(root, configuration).is_some_and(|snapshot| {
        snapshot.records_intact()
            && relative_paths(files, root).is_some_and(|relative| {
                snapshot
                    .drift(files, &relative, stamps, |_| false)
                    .changed
                    .len()
                    <= STALE_FILES
            })
    });
    if !close {
        save_snapshot(root, configuration, files, stamps, index);
    }
}

/// Writes the snapshot of a run that indexed every corpus file: `files` and
/// `stamps` in run order, `index` built over all of them.
fn save_snapshot(
    root: &Path,
    configuration: u64,
    files: &[InputFile],
    stamps: &[Option<(u128, u64)>],
    index: &CorpusIndex,
) {
    let (Ok(records), Ok(file_count)) = (
        u32::try_from(index.entries.len()),
        u32::try_from(files.len()),
    ) else {
        return;
    };
    if index.file_paths.len() != files.len() || stamps.len() != files.len() {
        return;
    }
    let mut sections: Vec<Vec<u8>> = Vec::with_capacity(SECTIONS);
    let paths = &index.file_paths;
    let (path_text, path_ends) = concatenated(paths.iter().map(|path| path.as_bytes()));
    let mut order: Vec<u32> = (0..paths.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| paths[a as usize].cmp(&paths[b as usize]));
    let mut file_table = Vec::with_capacity(files.len() * FILE_WIDTH);
    for (file, (input, stamp)) in files.iter().zip(stamps).enumerate() {
        let first = index.entries.partition_point(|record| record.file < file) as u32;
        let (modified, size) = stamp.unwrap_or_default();
        let flags = if input.kind == FileKind::Dump {
            DUMP
        } else {
            0
        } | if stamp.is_some() { STAMPED } else { 0 };
        file_table.extend_from_slice(&modified.to_le_bytes());
        file_table.extend_from_slice(&size.to_le_bytes());
        file_table.extend_from_slice(&first.to_le_bytes());
        file_table.extend_from_slice(&flags.to_le_bytes());
    }
    // Records encoded in parallel chunks, then laid end to end.
    let chunks: Vec<(Vec<u8>, Vec<u64>, Vec<u8>)> = index
        .entries
        .par_chunks(1024)
        .map(|chunk| {
            let mut bytes = Vec::new();
            let mut lengths = Vec::with_capacity(chunk.len());
            let mut sums = Vec::with_capacity(chunk.len() * 8);
            for record in chunk {
                let before = bytes.len();
                if bincode::serialize_into(&mut bytes, record).is_err() {
                    bytes.truncate(before);
                }
                lengths.push((bytes.len() - before) as u64);
                sums.extend_from_slice(&checksum(&bytes[before..]).to_le_bytes());
            }
            (bytes, lengths, sums)
        })
        .collect();
    let mut record_offsets = Vec::with_capacity((index.entries.len() + 1) * 8);
    let mut offset = 0u64;
    record_offsets.extend_from_slice(&offset.to_le_bytes());
    for length in chunks.iter().flat_map(|(_, lengths, _)| lengths) {
        offset += length;
        record_offsets.extend_from_slice(&offset.to_le_bytes());
    }
    let table = |pairs: &mut Vec<(u64, u32)>| {
        pairs.par_sort_unstable();
        pairs.dedup();
        let mut bytes = Vec::with_capacity(pairs.len() * PAIR_WIDTH);
        for (hash, record) in pairs.iter() {
            bytes.extend_from_slice(&hash.to_le_bytes());
            bytes.extend_from_slice(&record.to_le_bytes());
        }
        bytes
    };
    let hashed = |key: &str| fnv1a(key.as_bytes());
    let mut terms = Vec::new();
    let mut aliases = Vec::new();
    let mut stems = Vec::new();
    let mut ids = Vec::new();
    let mut routes = Vec::new();
    let mut blocks = Vec::new();
    for (record_index, record) in index.entries.iter().enumerate() {
        let record_index = record_index as u32;
        if let Some(key) = &record.term_key {
            terms.push((hashed(key), record_index));
        }
        if let Some(path) = paths.get(record.file).filter(|_| !record.links_only) {
            for stem in file_stems(path) {
                stems.push((hashed(&scoped_key(&record.namespace, &stem)), record_index));
            }
        }
        if let Some(key) = &record.id_key {
            ids.push((hashed(key), record_index));
        }
        for route in &record.routes {
            routes.push((hashed(route), record_index));
        }
        for (_, key) in record.aliases.iter().filter(|(_, key)| !key.is_empty()) {
            aliases.push((hashed(key), record_index));
        }
        for block in &record.fingerprints {
            blocks.push((block.hash, record_index));
        }
    }
    let (word_text, word_ends) = concatenated(index.words.iter().map(|word| word.as_bytes()));
    let mut word_record_ends = Vec::with_capacity(index.words.len() * 4);
    let mut word_records = Vec::new();
    for word in &index.words {
        for &record in index.by_word.get(word).into_iter().flatten() {
            word_records.extend_from_slice(&(record as u32).to_le_bytes());
        }
        word_record_ends.extend_from_slice(&((word_records.len() / 4) as u32).to_le_bytes());
    }
    sections.push(path_text);
    sections.push(path_ends);
    sections.push(order.iter().flat_map(|file| file.to_le_bytes()).collect());
    sections.push(file_table);
    sections.push(record_offsets);
    sections.push(table(&mut terms));
    sections.push(table(&mut aliases));
    sections.push(table(&mut stems));
    sections.push(table(&mut ids));
    sections.push(table(&mut routes));
    sections.push(table(&mut blocks));
    sections.push(word_text);
    sections.push(word_ends);
    sections.push(word_record_ends);
    sections.push(word_records);
    sections.push(
        chunks
            .iter()
            .flat_map(|(_, _, sums)| sums)
            .copied()
            .collect(),
    );
    let mut ends = Vec::with_capacity(SECTIONS);
    let mut end = 0u64;
    for section in &sections {
        end += section.len() as u64;
        ends.push(end);
    }
    ends.push(end + offset);
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        configuration,
        files: file_count,
        records,
        ends,
        sums: sections
            .par_iter()
            .map(|section| checksum(section))
            .collect(),
    };
    let body = sections
        .iter()
        .map(Vec::as_slice)
        .chain(chunks.iter().map(|(bytes, _, _)| bytes.as_slice()));
    write_framed(&path(root), &header, body);
}
