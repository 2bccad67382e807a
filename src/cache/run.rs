//! `run.bin`: the last run's answer, for a run that would give the same one.
//!
//! It holds a digest of every corpus file's path, layout, size and
//! modification time, which files were reported, and then one block per file:
//! its final findings, its entries, and the line and column of every offset a
//! finding points at (so findings are printed without reading any file). A
//! run over the same files with the same stamps and configuration, reporting
//! no file that was not reported then, is answered from it; only the blocks
//! of the files it reports are decoded. It is not trusted when a corpus file
//! changed no earlier than it was written (the racy rule of
//! [`super::trusted`]), when a file outside the corpus that a path link
//! named has appeared or gone since ([`outside_targets`]), or when a
//! checksum fails.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{checksum, decode, encode, read_framed, trusted, write_framed, FOLDER, FORMAT};
use crate::config::Route;
use crate::diagnostic::{Diagnostic, FileId, Fix, Level, Related, Text};
use crate::index::resolve::path_candidates;
use crate::index::{Corpus, CorpusIndex, RecordId};
use crate::load::{FileKind, InputFile};
use crate::model::LinkKind;
use crate::report::line_index::KnownPositions;
use crate::rules::Registry;

/// What a stored answer must match: the configuration, a digest of every
/// corpus file's path, layout, size and modification time in run order, and
/// which files are reported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunKey {
    configuration: u64,
    digest: u64,
    reported: Vec<bool>,
    /// The stamp of the corpus file that changed last.
    newest: (u128, u64),
}

impl RunKey {
    /// The key of a run over `files` (all under `root`) stamped `stamps`
    /// (see [`super::stamps`]); `None` when one could not be stamped or lies
    /// outside the root.
    pub fn of(
        files: &[InputFile],
        stamps: &[Option<(u128, u64)>],
        root: &Path,
        configuration: u64,
    ) -> Option<Self> {
        let root = root.as_os_str().as_encoded_bytes();
        // Hashed in parallel chunks, combined in order: 100k paths take 15 ms
        // on one core, a tenth of a staged run.
        const CHUNK: usize = 4096;
        let chunks: Vec<u64> = files
            .par_chunks(CHUNK)
            .zip(stamps.par_chunks(CHUNK))
            .map(|(files, stamps)| {
                let mut hasher = std::hash::DefaultHasher::new();
                for (file, stamp) in files.iter().zip(stamps) {
                    // Discovery hands out paths under the lexically clean
                    // root: a byte prefix is the root-relative path.
                    let relative = file
                        .path
                        .as_os_str()
                        .as_encoded_bytes()
                        .strip_prefix(root)?;
                    relative.hash(&mut hasher);
                    (file.kind == FileKind::Dump).hash(&mut hasher);
                    (*stamp)?.hash(&mut hasher);
                }
                Some(hasher.finish())
            })
            .collect::<Option<_>>()?;
        let mut hasher = std::hash::DefaultHasher::new();
        files.len().hash(&mut hasher);
        chunks.hash(&mut hasher);
        let newest = stamps
            .iter()
            .flatten()
            .copied()
            .max_by_key(|stamp| super::stamp_time(*stamp))
            .unwrap_or_default();
        Some(Self {
            configuration,
            digest: hasher.finish(),
            reported: files.iter().map(|file| file.reported).collect(),
            newest,
        })
    }
}

/// An entry of a reported file: its file, byte range and term.
pub type Entry = (FileId, Range<usize>, Option<Arc<str>>);

/// A run's answer: final findings (sorted, suppressions applied, entries filled
/// in), every entry of the reported files, and positions where known.
#[derive(Debug, Default)]
pub struct RunResult {
    /// The findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Every entry of a reported file.
    pub entries: Vec<Entry>,
    /// Line and column of the offsets the findings point at, by file.
    pub positions: HashMap<FileId, KnownPositions>,
    /// The files outside the corpus the answer relied on, root-relative, and
    /// whether each existed ([`outside_targets`]).
    pub outside: Vec<(String, bool)>,
}

/// The existence answers the corpus rules read from the disk: for every path
/// link of `index` that names no corpus file, each file it may mean and
/// whether it is a file (`broken-reference` accepts a link to an image or an
/// excluded page). No stamp covers those files, so a stored answer holds only
/// while every one of them reads the same.
pub fn outside_targets(index: &CorpusIndex, routes: &[Route], root: &Path) -> Vec<(String, bool)> {
    let records: Vec<RecordId> = (0..index.entries.len()).collect();
    outside_targets_of(index, &records, routes, root)
}

/// [`outside_targets`] for the links of `records` of `corpus`.
pub fn outside_targets_of(
    corpus: &dyn Corpus,
    records: &[RecordId],
    routes: &[Route],
    root: &Path,
) -> Vec<(String, bool)> {
    let candidates: BTreeSet<String> = records
        .par_iter()
        .flat_map_iter(|&id| {
            let record = corpus.record(id);
            let from = corpus.file_path(record.file).unwrap_or("");
            record
                .links
                .iter()
                .filter(|link| link.kind == LinkKind::Path && !link.target.is_empty())
                .filter_map(move |link| path_candidates(from, &link.target, routes))
                .filter(|candidates| {
                    !candidates
                        .iter()
                        .any(|candidate| !corpus.records_at_path(candidate).is_empty())
                })
                .flatten()
        })
        .collect();
    candidates
        .into_par_iter()
        .map(|candidate| {
            let exists = root.join(&candidate).is_file();
            (candidate, exists)
        })
        .collect()
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    configuration: u64,
    digest: u64,
    reported: Vec<bool>,
    /// Rule ids, which findings name by position.
    rules: Vec<String>,
    /// Where each file's block starts in the blocks that follow the header;
    /// one more than there are files.
    offsets: Vec<u64>,
    /// The [`checksum`] of each file's block.
    sums: Vec<u64>,
    /// See [`RunResult::outside`].
    outside: Vec<(String, bool)>,
    /// Every message, help, related text and entry term, once: findings name
    /// them by position (a million boilerplate copies say two sentences).
    texts: Vec<String>,
}

/// One file's part, as read back (written from borrowed parts in the same
/// order by [`save_run`]).
#[derive(Default, Deserialize)]
struct Block {
    /// Entry term and rule (positions in the header's lists), the finding.
    findings: Vec<(Option<u32>, u16, StoredFinding)>,
    entries: Vec<(Range<usize>, Option<String>)>,
    positions: KnownPositions,
}

fn path(root: &Path) -> PathBuf {
    root.join(FOLDER).join("run.bin")
}

/// A finding without its rule, file and entry, which its block and the
/// header give.
#[derive(Serialize, Deserialize)]
struct StoredFinding {
    level: Level,
    message: u32,
    help: Option<u32>,
    span: Range<usize>,
    /// File, span and text (its position in the header's texts).
    related: Vec<(FileId, Range<usize>, u32)>,
    fix: Option<Box<Fix>>,
}

/// The stored answer for a run with `key` when every file reported now was
/// reported then; findings in files not reported now are left out.
pub fn load_run(root: &Path, key: &RunKey, registry: &Registry) -> Option<RunResult> {
    let file = std::fs::File::open(path(root)).ok()?;
    // Mapped, not read: a run that does not match reads the header alone,
    // not the 30 MB of a 100k-entry corpus's findings.
    // SAFETY: `run.bin` is replaced by renaming a new file over it, never
    // written in place, so the mapped bytes do not change under the reader.
    let bytes = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let written = super::modified_ns(&file.metadata().ok()?)?;
    if !trusted(key.newest, written) {
        return None;
    }
    let (header, body_at): (Header, usize) = read_framed(&bytes)?;
    let blocks = bytes.get(body_at..)?;
    let files = key.reported.len();
    let same_run = header.format == FORMAT
        && header.version == env!("CARGO_PKG_VERSION")
        && header.configuration == key.configuration
        && header.digest == key.digest
        && header.reported.len() == files
        && header.offsets.len() == files + 1
        && header.sums.len() == files
        && header
            .reported
            .iter()
            .zip(&key.reported)
            .all(|(then, now)| *then || !now);
    if !same_run {
        return None;
    }
    let outside_holds = header
        .outside
        .par_iter()
        .all(|(candidate, existed)| root.join(candidate).is_file() == *existed);
    if !outside_holds {
        return None;
    }
    let rules: Vec<&'static str> = header
        .rules
        .iter()
        .map(|rule| Some(registry.meta(registry.index_of(rule)?).id))
        .collect::<Option<_>>()?;
    let block = |file: FileId| -> Option<Block> {
        let start = usize::try_from(header.offsets[file]).ok()?;
        let end = usize::try_from(header.offsets[file + 1]).ok()?;
        let block = blocks.get(start..end)?;
        if checksum(block) != header.sums[file] {
            return None;
        }
        decode(block)
    };
    let texts: Vec<Arc<str>> = header
        .texts
        .iter()
        .map(|text| Arc::from(text.as_str()))
        .collect();
    let text = |at: u32| texts.get(at as usize).cloned();
    let reported: Vec<FileId> = (0..files)
        .filter(|&file| key.reported[file] && header.offsets[file] != header.offsets[file + 1])
        .collect();
    type Decoded = (FileId, Vec<Diagnostic>, Vec<Entry>, KnownPositions);
    let decoded: Vec<Decoded> = reported
        .par_iter()
        .map(|&file| {
            let block = block(file)?;
            let terms: HashMap<&str, Arc<str>> = block
                .entries
                .iter()
                .filter_map(|(_, term)| term.as_deref())
                .map(|term| (term, Arc::from(term)))
                .collect();
            let share = |term: Option<&str>| {
                term.map(|term| terms.get(term).cloned().unwrap_or_else(|| Arc::from(term)))
            };
            let diagnostics = block
                .findings
                .into_iter()
                .map(|(entry, rule, finding)| {
                    let entry = match entry {
                        Some(at) => Some(share(Some(&*text(at)?))?),
                        None => None,
                    };
                    let related: Vec<Related> = finding
                        .related
                        .into_iter()
                        .map(|(file, span, message)| {
                            Some(Related {
                                file,
                                span,
                                message: Text::Shared(text(message)?),
                            })
                        })
                        .collect::<Option<_>>()?;
                    Some(Diagnostic {
                        rule: rules.get(usize::from(rule)).copied()?,
                        level: finding.level,
                        message: Text::Shared(text(finding.message)?),
                        help: match finding.help {
                            Some(at) => Some(Text::Shared(text(at)?)),
                            None => None,
                        },
                        file,
                        span: finding.span,
                        entry,
                        related: related.into(),
                        fix: finding.fix,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            let entries = block
                .entries
                .iter()
                .map(|(span, term)| (file, span.clone(), share(term.as_deref())))
                .collect();
            Some((file, diagnostics, entries, block.positions))
        })
        .collect::<Option<_>>()?;
    let mut result = RunResult {
        outside: header.outside,
        ..RunResult::default()
    };
    for (file, diagnostics, entries, positions) in decoded {
        result.diagnostics.extend(diagnostics);
        result.entries.extend(entries);
        result.positions.insert(file, positions);
    }
    // A finding's related place may lie in a file not reported now: its
    // positions are in that file's block.
    let elsewhere: BTreeSet<FileId> = result
        .diagnostics
        .iter()
        .flat_map(|diagnostic| diagnostic.related.iter().map(|related| related.file))
        .filter(|file| *file < files && !result.positions.contains_key(file))
        .collect();
    for file in elsewhere {
        result.positions.insert(file, block(file)?.positions);
    }
    Some(result)
}

/// Stores a run's answer for [`load_run`]. `result.positions` must cover
/// every offset a finding points at.
pub fn save_run(root: &Path, key: &RunKey, result: &RunResult) {
    let files = key.reported.len();
    let mut rules: Vec<&'static str> = Vec::new();
    let mut texts = Texts::default();
    let mut findings: Vec<Vec<(Option<u32>, u16, FindingRef<'_>)>> =
        (0..files).map(|_| Vec::new()).collect();
    for diagnostic in &result.diagnostics {
        let rule = match rules.iter().position(|rule| *rule == diagnostic.rule) {
            Some(position) => position,
            None => {
                rules.push(diagnostic.rule);
                rules.len() - 1
            }
        };
        let (Ok(rule), Some(block)) = (u16::try_from(rule), findings.get_mut(diagnostic.file))
        else {
            return;
        };
        block.push((
            diagnostic.entry.as_deref().map(|term| texts.intern(term)),
            rule,
            FindingRef {
                level: diagnostic.level,
                message: texts.intern(&diagnostic.message),
                help: diagnostic.help.as_deref().map(|help| texts.intern(help)),
                span: &diagnostic.span,
                related: diagnostic
                    .related
                    .iter()
                    .map(|related| (related.file, &related.span, texts.intern(&related.message)))
                    .collect(),
                fix: &diagnostic.fix,
            },
        ));
    }
    let mut entries: Vec<Vec<(&Range<usize>, Option<&str>)>> =
        (0..files).map(|_| Vec::new()).collect();
    for (file, span, term) in &result.entries {
        if let Some(block) = entries.get_mut(*file) {
            block.push((span, term.as_deref()));
        }
    }
    let empty = KnownPositions::default();
    let encoded: Vec<Vec<u8>> = findings
        .par_iter()
        .zip(&entries)
        .enumerate()
        .map(|(file, (findings, entries))| {
            let positions = result.positions.get(&file).unwrap_or(&empty);
            if findings.is_empty() && entries.is_empty() && positions.is_empty() {
                return Vec::new();
            }
            encode(&(findings, entries, positions)).unwrap_or_default()
        })
        .collect();
    drop((findings, entries));
    let mut offsets = Vec::with_capacity(encoded.len() + 1);
    let mut offset = 0u64;
    offsets.push(offset);
    for block in &encoded {
        offset += block.len() as u64;
        offsets.push(offset);
    }
    let header = Header {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        configuration: key.configuration,
        digest: key.digest,
        reported: key.reported.clone(),
        rules: rules.iter().map(|rule| rule.to_string()).collect(),
        offsets,
        sums: encoded.iter().map(|block| checksum(block)).collect(),
        outside: result.outside.clone(),
        texts: texts.list.iter().map(|text| text.to_string()).collect(),
    };
    write_framed(&path(root), &header, encoded.iter().map(Vec::as_slice));
}

/// The texts of a run's findings, each once, by position.
#[derive(Default)]
struct Texts<'a> {
    list: Vec<&'a str>,
    known: HashMap<&'a str, u32>,
}

impl<'a> Texts<'a> {
    /// The position of `text`, added if new.
    fn intern(&mut self, text: &'a str) -> u32 {
        *self.known.entry(text).or_insert_with(|| {
            self.list.push(text);
            (self.list.len() - 1) as u32
        })
    }
}

/// A finding as [`StoredFinding`] is read back, borrowed for writing.
#[derive(Serialize)]
struct FindingRef<'a> {
    level: Level,
    message: u32,
    help: Option<u32>,
    span: &'a Range<usize>,
    related: Vec<(FileId, &'a Range<usize>, u32)>,
    fix: &'a Option<Box<Fix>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run answer like the user's: many copies of a boilerplate finding,
    /// each with the same texts and three related places.
    fn answer(files: usize, per_file: usize) -> RunResult {
        let help: Arc<str> = "2000 entries share this text: write what is specific".into();
        let mut result = RunResult::default();
        for file in 0..files {
            let term: Arc<str> = format!("term {file}").into();
            result.entries.push((file, 0..400, Some(term.clone())));
            for copy in 0..per_file {
                let mut diagnostic = Diagnostic {
                    rule: "boilerplate",
                    level: Level::Warning,
                    message: "this text is repeated in other entries".into(),
                    help: Some(help.clone().into()),
                    file,
                    span: 10 * copy..10 * copy + 9,
                    entry: Some(term.clone()),
                    related: Default::default(),
                    fix: None,
                };
                for other in 0..3 {
                    diagnostic.related((file + other + 1) % files, 5..9, "also here");
                }
                result.diagnostics.push(diagnostic);
            }
        }
        result
    }

    #[test]
    fn a_stored_finding_takes_a_few_bytes_and_reads_back_whole() {
        let root = tempfile::tempdir().unwrap();
        let (files, per_file) = (100, 20);
        let result = answer(files, per_file);
        let key = RunKey {
            configuration: 7,
            digest: 9,
            reported: vec![true; files],
            newest: (0, 0),
        };
        save_run(root.path(), &key, &result);
        let size = std::fs::metadata(path(root.path())).unwrap().len();
        // Texts once in the header, small numbers in a byte or two: it was
        // 300 bytes a finding with eight-byte integers and texts repeated.
        assert!(
            size < (files * per_file * 40) as u64,
            "{size} bytes for {} findings",
            files * per_file
        );
        let loaded = load_run(root.path(), &key, &crate::rules::Registry::builtin()).unwrap();
        assert_eq!(loaded.diagnostics, result.diagnostics);
        assert_eq!(loaded.entries, result.entries);
    }
}
