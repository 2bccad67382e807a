//! The cache in `.glosslint_cache/`: for every file, what its check left behind
//! (index records, per-file findings, suppressions), so an unchanged file is
//! neither read nor parsed again.
//!
//! A file's entry is found by its path and trusted while its size and
//! modification time are unchanged; when they changed, the file is read and
//! its content hash decides. The whole cache is dropped when the glosslint
//! version or the configuration (rules, levels, options, templates,
//! vocabulary, globs) changes. It is written atomically at the end of a run,
//! in a folder that carries its own `.gitignore`: `cache.bin` holds every
//! file, `cache.journal.bin` the files stored since, until the journal
//! outgrows a fiftieth of the base and the base is rewritten.
//!
//! Beside it, `run.bin` keeps the last run's final findings with the size and
//! modification time of every corpus file. When the corpus and configuration
//! are unchanged and every file reported now was reported then, the run is
//! answered from it without reading, parsing or indexing anything: the
//! unchanged re-run and the re-run of a blocked commit ([`run`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::FileOutcome;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileId, Fix, Level, Related};
use crate::index::EntryRecord;
use crate::model::Suppression;
use crate::rules::Registry;

pub mod run;
pub mod snapshot;
pub use run::{load_run, save_run, RunKey, RunResult};
pub use snapshot::{refresh_snapshot, Snapshot};

/// The cache folder, at the project root.
pub const FOLDER: &str = ".glosslint_cache";
/// Bumped whenever a stored type changes shape (2: fingerprint spans in 32 bits).
const FORMAT: u32 = 2;

/// A finding as stored: the rule by name (rule ids are `&'static` in memory).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredDiagnostic {
    rule: String,
    level: Level,
    message: String,
    help: Option<String>,
    span: std::ops::Range<usize>,
    related: Vec<Related>,
    fix: Option<Fix>,
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
/// configuration.
fn read_stored(path: &Path, configuration: u64) -> Option<HashMap<String, StoredFile>> {
    let bytes = std::fs::read(path).ok()?;
    let stored = bincode::deserialize::<Stored>(&bytes).ok()?;
    (stored.format == FORMAT
        && stored.version == env!("CARGO_PKG_VERSION")
        && stored.configuration == configuration)
        .then_some(stored.files)
}

/// A file's size and modification time, the cheap part of its key.
fn stamp(path: &Path) -> Option<(u128, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    let modified = metadata
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((modified, metadata.len()))
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
            let seconds = u128::try_from(found.st_mtime).ok()?;
            // `st_mtime_nsec` is signed on some targets, unsigned on others.
            #[allow(clippy::unnecessary_fallible_conversions)]
            let nanos = u128::try_from(found.st_mtime_nsec).ok()?;
            Some((
                seconds * 1_000_000_000 + nanos,
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

/// Everything in the configuration that changes what a file's check produces.
pub fn configuration_hash(config: &Config, registry: &Registry) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    let ids: Vec<&str> = registry.ids().collect();
    ids.hash(&mut hasher);
    for (index, _) in registry.rules() {
        let meta = registry.meta(index);
        meta.source.hash(&mut hasher);
    }
    format!("{:?}", config.base.levels).hash(&mut hasher);
    let mut options: Vec<_> = config
        .base
        .options
        .iter()
        .map(|(key, value)| (key.0, key.1, *value))
        .collect();
    options.sort_unstable();
    options.hash(&mut hasher);
    for block in &config.overrides {
        block.files.patterns.hash(&mut hasher);
        block.template.hash(&mut hasher);
        block.namespace.hash(&mut hasher);
        format!("{:?}", block.rules).hash(&mut hasher);
    }
    format!("{:?}", config.templates).hash(&mut hasher);
    format!("{:?}", config.vocabulary).hash(&mut hasher);
    format!("{:?}", config.parse).hash(&mut hasher);
    format!("{:?}", config.references).hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    /// Opens the cache of the project at `root` (absolute); a cache written by
    /// another version or configuration, or unreadable, starts empty.
    pub fn open(root: &Path, configuration: u64) -> Self {
        let folder = root.join(FOLDER);
        let mut files = read_stored(&folder.join(BASE), configuration).unwrap_or_default();
        let base_len = files.len();
        let journaled = if base_len == 0 {
            HashMap::new()
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
            changed: false,
        }
    }

    /// The stored file at `relative` if its size and modification time match
    /// and it holds what this run needs (`checked` when the file is reported).
    pub fn by_stamp(
        &self,
        relative: &str,
        stamp: (u128, u64),
        reported: bool,
    ) -> Option<&StoredFile> {
        self.files.get(relative).filter(|stored| {
            (stored.modified_ns, stored.size) == stamp && (stored.checked || !reported)
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
        if let Ok(bytes) = bincode::serialize(&stored) {
            write_atomically(&path, &[&bytes]);
        }
        if compact {
            // An old journal left behind would only hold entries the base
            // has newer ones for; they are checked by stamp and hash anyway.
            let _ = std::fs::remove_file(self.folder.join(JOURNAL));
        }
    }
}

/// Writes `header` (bincode, after its length as 8 little-endian bytes) and
/// then `body` to `path`, atomically: the framing of `run.bin` and `index.bin`.
fn write_framed<'a>(path: &Path, header: &impl Serialize, body: impl Iterator<Item = &'a [u8]>) {
    let Ok(header) = bincode::serialize(header) else {
        return;
    };
    let length = (header.len() as u64).to_le_bytes();
    let head: [&[u8]; 2] = [&length, &header];
    let parts: Vec<&[u8]> = head
        .into_iter()
        .chain(body.map(|part| -> &[u8] { part }))
        .collect();
    write_atomically(path, &parts);
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
            help: self.help.map(Cow::Owned),
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
            help: diagnostic.help.as_deref().map(str::to_string),
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
