//! The cache in `.glosslint_cache/`: for every file, what its check left behind
//! (index records, per-file findings, suppressions), so an unchanged file is
//! neither read nor parsed again.
//!
//! A file's entry is found by its path and trusted while its stamp (size,
//! modification and status-change times) is unchanged and older than the
//! cache file that holds it (git's "racy" rule: an edit in the same clock
//! tick as the write would not move the stamp); otherwise the file is read
//! and its content hash decides. The whole cache is dropped when the
//! glosslint version, the resolved configuration or a file under `rules/`
//! changes ([`configuration_hash`]). Every stored file carries a checksum; a
//! damaged one is ignored and rebuilt. It is written atomically at the end of a run,
//! in a folder that carries its own `.gitignore`: `cache.bin` holds every
//! file, `cache.journal.bin` the files stored since, until the journal
//! outgrows a fiftieth of the base and the base is rewritten.
//!
//! Beside it, `run.bin` keeps the last run's final findings with the size and
//! modification time of every corpus file. When the corpus and configuration
//! are unchanged and every file reported now was reported then, the run is
//! answered from it without reading, parsing or indexing anything: the
//! unchanged re-run and the re-run of a blocked commit ([`run`]).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::FileOutcome;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileId, Fix, Level, Places, Text};
use crate::index::EntryRecord;
use crate::model::Suppression;
use crate::rules::Registry;

pub mod run;
pub mod snapshot;
pub use run::{load_run, save_run, RunKey, RunResult};
pub use snapshot::{refresh_snapshot, Snapshot};

/// The cache folder, at the project root (named by `discover`, which never
/// walks into it).
pub use crate::discover::CACHE_FOLDER as FOLDER;
/// Bumped whenever a stored type changes shape (2: fingerprint spans in 32
/// bits; 3: stamps with the status-change time, checksums; 4: records with
/// an id and Hugo alias routes; 5: links know whether front matter holds
/// them; 6: variable-length integers, run answers' texts stored once).
const FORMAT: u32 = 6;

/// How the cache encodes: bincode with variable-length integers. Offsets,
/// lengths and ids are small numbers; at eight bytes each they made the
/// cache of a 100k-entry corpus three times the corpus.
fn encoding() -> impl bincode::Options + Copy {
    use bincode::Options;
    bincode::DefaultOptions::new()
        .with_varint_encoding()
        .allow_trailing_bytes()
}

/// `value` encoded by [`encoding`].
fn encode(value: &impl Serialize) -> Option<Vec<u8>> {
    bincode::Options::serialize(encoding(), value).ok()
}

/// A value encoded by [`encode`].
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    bincode::Options::deserialize(encoding(), bytes).ok()
}

/// A finding as stored: the rule by name (rule ids are `&'static` in memory).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredDiagnostic {
    rule: String,
    level: Level,
    message: Text,
    help: Option<Text>,
    span: std::ops::Range<usize>,
    related: Places,
    fix: Option<Box<Fix>>,
}

/// What one file's check left behind.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredFile {
    modified_ns: u128,
    size: u64,
    hash: u64,
    /// Whether the per-file rules ran (they run only on reported files).
    checked: bool,
    records: Vec<EntryRecord>,
    diagnostics: Vec<StoredDiagnostic>,
    suppressions: Vec<Suppression>,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: u32,
    version: String,
    configuration: u64,
    files: HashMap<String, StoredFile>,
}

/// The cache of one run.
pub struct Cache {
    folder: PathBuf,
    configuration: u64,
    /// Every stored file: the base with the journal applied.
    files: HashMap<String, StoredFile>,
    /// Files stored since the base was written (`cache.journal.bin`), kept
    /// in `files`.
    journal: std::collections::HashSet<String>,
    /// How many files the base holds.
    base_len: usize,
    /// When the base and the journal were written: a stamp is trusted only
    /// if older than the file that holds it ([`trusted`]).
    base_written: u128,
    journal_written: u128,
    changed: bool,
}

/// The whole per-file cache, rewritten when the journal outgrows
/// [`JOURNAL_SHARE`] of it.
const BASE: &str = "cache.bin";
/// What changed since the base: a commit that edits three entries rewrites a
/// few kilobytes, not the 90 MB base of a 100k-entry corpus.
const JOURNAL: &str = "cache.journal.bin";
/// The base is rewritten once the journal holds more than 1 in this many of
/// its files.
const JOURNAL_SHARE: usize = 50;

/// The stored files of `path` if it was written by this version under this
/// configuration and is whole, with the time it was written.
fn read_stored(path: &Path, configuration: u64) -> Option<(HashMap<String, StoredFile>, u128)> {
    let mut file = std::fs::File::open(path).ok()?;
    let written = modified_ns(&file.metadata().ok()?)?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    let stored = decode::<Stored>(checked(&bytes)?)?;
    (stored.format == FORMAT
        && stored.version == env!("CARGO_PKG_VERSION")
        && stored.configuration == configuration)
        .then_some((stored.files, written))
}

/// A file's modification time in nanoseconds since the epoch.
fn modified_ns(metadata: &std::fs::Metadata) -> Option<u128> {
    Some(
        metadata
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// When the cache file at `path` was last written, if it exists.
pub fn written_ns(path: &Path) -> Option<u128> {
    modified_ns(&std::fs::metadata(path).ok()?)
}

/// A file's stamp, the cheap part of its key: its modification and
/// status-change times packed by [`pack_times`], and its size. The
/// status-change time moves on every write and cannot be set back (`touch
/// -r` restores the modification time only).
fn stamp(path: &Path) -> Option<(u128, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        let seconds = u128::try_from(metadata.ctime()).ok()?;
        let nanos = u128::try_from(metadata.ctime_nsec()).ok()?;
        seconds * 1_000_000_000 + nanos
    };
    #[cfg(not(unix))]
    let changed = 0;
    Some((pack_times(modified_ns(&metadata)?, changed), metadata.len()))
}

/// The modification time in the low 64 bits of a stamp's time and the
/// status-change time in the high ones (nanoseconds fit 64 bits until 2554).
fn pack_times(modified_ns: u128, changed_ns: u128) -> u128 {
    (changed_ns & u128::from(u64::MAX)) << 64 | (modified_ns & u128::from(u64::MAX))
}

/// The later of the two times in a stamp: the last moment the file changed.
pub fn stamp_time(stamp: (u128, u64)) -> u128 {
    (stamp.0 >> 64).max(stamp.0 & u128::from(u64::MAX))
}

/// Whether a stamp may stand for the file's content in a cache written at
/// `written`: only when the file last changed strictly before the write, so
/// that no edit can have followed the read within the same clock tick.
pub fn trusted(stamp: (u128, u64), written: u128) -> bool {
    stamp_time(stamp) < written
}

/// A checksum of `bytes` (one multiply-rotate step per 8 bytes, so any one
/// changed word changes it), for telling a damaged cache file from a whole one.
pub fn checksum(bytes: &[u8]) -> u64 {
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
    let step = |hash: u64, word: u64| (hash.rotate_left(23) ^ word).wrapping_mul(MULTIPLIER);
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = step(0, bytes.len() as u64);
    for chunk in &mut chunks {
        hash = step(
            hash,
            u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
        );
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    step(hash, u64::from_le_bytes(tail))
}

/// `bytes` behind the checksum that [`with_checksum`] put before them, if it holds.
fn checked(bytes: &[u8]) -> Option<&[u8]> {
    let (sum, body) = bytes.split_at_checked(8)?;
    (u64::from_le_bytes(sum.try_into().ok()?) == checksum(body)).then_some(body)
}

/// The checksum of `body` as 8 little-endian bytes, to write before it.
fn with_checksum(body: &[u8]) -> [u8; 8] {
    checksum(body).to_le_bytes()
}

/// The stamps of many files, in their order; files sharing a folder are
/// stamped through one handle on it.
pub fn stamps(paths: &[&Path]) -> Vec<Option<(u128, u64)>> {
    use rayon::prelude::*;
    fn folder(path: &Path) -> &[u8] {
        let bytes = path.as_os_str().as_encoded_bytes();
        let cut = bytes.iter().rposition(|&byte| byte == b'/').unwrap_or(0);
        &bytes[..cut]
    }
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for (index, path) in paths.iter().enumerate() {
        match groups.last_mut() {
            Some(group) if folder(paths[group.start]) == folder(path) => group.end = index + 1,
            _ => groups.push(index..index + 1),
        }
    }
    groups
        .into_par_iter()
        .flat_map_iter(|group| stamp_folder(&paths[group]))
        .collect()
}

/// Stamps files of one folder.
#[cfg(unix)]
fn stamp_folder(paths: &[&Path]) -> Vec<Option<(u128, u64)>> {
    use rustix::fs::{AtFlags, Mode, OFlags};
    let folder = paths
        .first()
        .and_then(|path| path.parent())
        .and_then(|folder| {
            rustix::fs::open(
                folder,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .ok()
        });
    let Some(folder) = folder else {
        return paths.iter().map(|path| stamp(path)).collect();
    };
    paths
        .iter()
        .map(|path| {
            let name = path.file_name()?;
            let found = rustix::fs::statat(&folder, name, AtFlags::empty()).ok()?;
            // `st_*time_nsec` is signed on some targets, unsigned on others.
            #[allow(clippy::unnecessary_fallible_conversions)]
            let modified = u128::try_from(found.st_mtime).ok()? * 1_000_000_000
                + u128::try_from(found.st_mtime_nsec).ok()?;
            #[allow(clippy::unnecessary_fallible_conversions)]
            let changed = u128::try_from(found.st_ctime).ok()? * 1_000_000_000
                + u128::try_from(found.st_ctime_nsec).ok()?;
            Some((
                pack_times(modified, changed),
                u64::try_from(found.st_size).ok()?,
            ))
        })
        .collect()
}

/// Stamps files of one folder.
#[cfg(not(unix))]
fn stamp_folder(paths: &[&Path]) -> Vec<Option<(u128, u64)>> {
    paths.iter().map(|path| stamp(path)).collect()
}

/// The content hash part of the key.
pub fn content_hash(text: &str) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The key of everything that can change an answer besides the files: the
/// glosslint version, the whole resolved configuration (from the value
/// itself, [`Config::stable_form`]), the rules in force with their sources,
/// and every file under `rules/`.
pub fn configuration_hash(config: &Config, registry: &Registry) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    FORMAT.hash(&mut hasher);
    config.stable_form().hash(&mut hasher);
    for (index, _) in registry.rules() {
        let meta = registry.meta(index);
        (meta.id, meta.source).hash(&mut hasher);
    }
    hash_folder(&config.root.join("rules"), &mut hasher);
    hasher.finish()
}

/// Hashes the names and contents of every file under `folder`, in name order.
fn hash_folder(folder: &Path, hasher: &mut impl Hasher) {
    let Ok(listing) = std::fs::read_dir(folder) else {
        return;
    };
    let mut paths: Vec<PathBuf> = listing
        .filter_map(|entry| Some(entry.ok()?.path()))
        .collect();
    paths.sort();
    for path in paths {
        path.file_name().hash(hasher);
        // A linked folder is not followed (a loop would never end).
        if std::fs::symlink_metadata(&path).is_ok_and(|metadata| metadata.is_dir()) {
            hash_folder(&path, hasher);
            continue;
        }
        match std::fs::metadata(&path) {
            // Read whole while small; a huge file or a device is stamped
            // instead, so it cannot stall the run (`config` reports it).
            Ok(metadata) if metadata.is_file() && metadata.len() <= RULES_FILE_READ_LIMIT => {
                std::fs::read(&path).ok().hash(hasher);
            }
            Ok(_) => stamp(&path).hash(hasher),
            Err(_) => {}
        }
    }
}

/// Files under `rules/` up to this size are keyed by content.
const RULES_FILE_READ_LIMIT: u64 = 1 << 20;

impl Cache {
    /// Opens the cache of the project at `root` (absolute); a cache written by
    /// another version or configuration, or unreadable, starts empty.
    pub fn open(root: &Path, configuration: u64) -> Self {
        let folder = root.join(FOLDER);
        let (mut files, base_written) =
            read_stored(&folder.join(BASE), configuration).unwrap_or_default();
        let base_len = files.len();
        let (journaled, journal_written) = if base_len == 0 {
            Default::default()
        } else {
            read_stored(&folder.join(JOURNAL), configuration).unwrap_or_default()
        };
        let journal = journaled.keys().cloned().collect();
        files.extend(journaled);
        Self {
            folder,
            configuration,
            files,
            journal,
            base_len,
            base_written,
            journal_written,
            changed: false,
        }
    }

    /// The stored file at `relative` if its stamp matches and is older than
    /// the cache file holding it, and it holds what this run needs
    /// (`checked` when the file is reported).
    pub fn by_stamp(
        &self,
        relative: &str,
        stamp: (u128, u64),
        reported: bool,
    ) -> Option<&StoredFile> {
        let written = if self.journal.contains(relative) {
            self.journal_written
        } else {
            self.base_written
        };
        self.files.get(relative).filter(|stored| {
            (stored.modified_ns, stored.size) == stamp
                && trusted(stamp, written)
                && (stored.checked || !reported)
        })
    }

    /// The stored file at `relative` if its content hash matches.
    pub fn by_hash(&self, relative: &str, hash: u64, reported: bool) -> Option<&StoredFile> {
        self.files
            .get(relative)
            .filter(|stored| stored.hash == hash && (stored.checked || !reported))
    }

    /// Records a file's check (or refreshes the stamp of a hash hit).
    pub fn store(&mut self, relative: String, stored: StoredFile) {
        self.journal.insert(relative.clone());
        self.files.insert(relative, stored);
        self.changed = true;
    }

    /// Writes what changed, atomically: the journal alone while it is small,
    /// else the whole cache as a new base. A failure to write is not an error
    /// of the run (the next run is just slower).
    pub fn save(self) {
        if !self.changed {
            return;
        }
        let compact = self.base_len == 0 || self.journal.len() * JOURNAL_SHARE > self.base_len;
        let (path, files) = if compact {
            (self.folder.join(BASE), self.files)
        } else {
            let mut files = self.files;
            let journal = self
                .journal
                .into_iter()
                .filter_map(|relative| {
                    let stored = files.remove(&relative)?;
                    Some((relative, stored))
                })
                .collect();
            // The rest is not written; free it off the critical path.
            rayon::spawn(move || drop(files));
            (self.folder.join(JOURNAL), journal)
        };
        let stored = Stored {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            configuration: self.configuration,
            files,
        };
        if let Some(bytes) = encode(&stored) {
            write_atomically(&path, &[&with_checksum(&bytes), &bytes]);
        }
        if compact {
            // An old journal left behind would only hold entries the base
            // has newer ones for; they are checked by stamp and hash anyway.
            let _ = std::fs::remove_file(self.folder.join(JOURNAL));
        }
    }
}

/// Writes `header` (bincode, after its length and its [`checksum`] as 8
/// little-endian bytes each) and then `body` to `path`, atomically: the
/// framing of `run.bin` and `index.bin`, read by [`read_framed`]. The header
/// holds the checksums of the body's parts.
fn write_framed<'a>(path: &Path, header: &impl Serialize, body: impl Iterator<Item = &'a [u8]>) {
    let Some(header) = encode(header) else {
        return;
    };
    let length = (header.len() as u64).to_le_bytes();
    let sum = with_checksum(&header);
    let head: [&[u8]; 3] = [&length, &sum, &header];
    let parts: Vec<&[u8]> = head
        .into_iter()
        .chain(body.map(|part| -> &[u8] { part }))
        .collect();
    write_atomically(path, &parts);
}

/// The header of a file written by [`write_framed`] if its checksum holds,
/// and where the body starts.
fn read_framed<H: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<(H, usize)> {
    let length = usize::try_from(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?)).ok()?;
    let body_at = length.checked_add(16)?;
    let header = checked(bytes.get(8..body_at)?)?;
    Some((decode(header)?, body_at))
}

/// Writes `parts`, one after the other, to `path` in the cache folder through a temporary file, so
/// a reader never sees half of it; creates the folder with its `.gitignore`.
fn write_atomically(path: &Path, parts: &[&[u8]]) {
    let Some(folder) = path.parent() else {
        return;
    };
    if std::fs::create_dir_all(folder).is_err() {
        return;
    }
    let ignore = folder.join(".gitignore");
    if !ignore.exists() {
        let _ = std::fs::write(
            ignore,
            "# Written by glosslint; never commit the cache.\n*\n",
        );
    }
    if let Ok(temporary) = tempfile::NamedTempFile::new_in(folder) {
        let mut writer = std::io::BufWriter::new(temporary);
        let written = parts.iter().try_for_each(|part| writer.write_all(part));
        if let (Ok(()), Ok(temporary)) = (written, writer.into_inner()) {
            let _ = temporary.persist(path);
        }
    }
}

impl StoredDiagnostic {
    /// The finding again, in `file` of this run (the rule found by name).
    fn into_diagnostic(
        self,
        file: FileId,
        entry: Option<std::sync::Arc<str>>,
        registry: &Registry,
    ) -> Option<Diagnostic> {
        let rule = registry.meta(registry.index_of(&self.rule)?).id;
        Some(Diagnostic {
            rule,
            level: self.level,
            message: self.message,
            help: self.help,
            file,
            span: self.span,
            entry,
            related: self.related,
            fix: self.fix,
        })
    }

    /// What to store of `diagnostic` (its file and entry are stored apart).
    fn of(diagnostic: &Diagnostic) -> Self {
        Self {
            rule: diagnostic.rule.to_string(),
            level: diagnostic.level,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            span: diagnostic.span.clone(),
            related: diagnostic.related.clone(),
            fix: diagnostic.fix.clone(),
        }
    }
}

impl StoredFile {
    /// What to store for a file's fresh check.
    pub fn new(stamp: (u128, u64), hash: u64, checked: bool, outcome: &FileOutcome) -> Self {
        Self {
            modified_ns: stamp.0,
            size: stamp.1,
            hash,
            checked,
            records: outcome.records.clone(),
            diagnostics: outcome
                .diagnostics
                .iter()
                .map(StoredDiagnostic::of)
                .collect(),
            suppressions: outcome.suppressions.clone(),
        }
    }

    /// The same file under a new stamp (its content hash matched).
    pub fn restamped(&self, stamp: (u128, u64)) -> Self {
        Self {
            modified_ns: stamp.0,
            size: stamp.1,
            ..self.clone()
        }
    }

    /// The outcome again, for file `id` of this run. Per-file findings of a
    /// file that is not reported are left out, as a fresh check would.
    pub fn outcome(
        &self,
        id: FileId,
        reported: bool,
        registry: &Registry,
        config: &Config,
        relative: &str,
    ) -> FileOutcome {
        let records = self
            .records
            .iter()
            .cloned()
            .map(|mut record| {
                record.file = id;
                record
            })
            .collect();
        let diagnostics = if reported {
            self.diagnostics
                .iter()
                .filter_map(|stored| {
                    let mut diagnostic = stored.clone().into_diagnostic(id, None, registry)?;
                    for related in &mut diagnostic.related {
                        related.file = id;
                    }
                    Some(diagnostic)
                })
                .collect()
        } else {
            Vec::new()
        };
        FileOutcome {
            records,
            diagnostics,
            suppressions: if reported {
                self.suppressions.clone()
            } else {
                Vec::new()
            },
            settings: config.settings_for(relative),
        }
    }
}
