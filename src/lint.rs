//! The pipeline driver: `discover -> load -> parse -> index -> check`, leaving
//! `report` to the caller. Files are loaded, parsed and checked in parallel, one
//! at a time per worker; no file's text outlives its check. At the end the
//! files with findings are read once more, one at a time, for the line and
//! column of every offset the findings point at.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::cache::{self, Cache, StoredFile};
use crate::changes::ChangeSet;
use crate::check::{gather, guarded_check, FileOutcome, INTERNAL_ERROR};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, FileId};
use crate::discover::{absolute, discover, DiscoverError, Request};
use crate::index::CorpusIndex;
use crate::load::{self, display_path, FileKind, InputFile, SourceText};
use crate::report::Outcome;
use crate::rules::{CorpusContext, Registry};

/// What to lint.
#[derive(Clone, Debug, Default)]
pub struct LintRequest {
    /// Paths and walking options.
    pub discover: Request,
    /// With `--stdin-filename`: the one path reported (its text is in `texts`).
    pub stdin_path: Option<PathBuf>,
    /// Unsaved or in-memory text by absolute path, used instead of the file
    /// (standard input, the rounds of `--fix`, an editor's buffers).
    pub texts: HashMap<PathBuf, String>,
    /// With `--changed-since`: report the changed files, and elsewhere only the
    /// links that point at what the change removed.
    pub changes: Option<Arc<ChangeSet>>,
    /// Read and write `.glosslint_cache/` (off with `--no-cache`).
    pub use_cache: bool,
    /// Hold the text of every file a finding points into, for a report that
    /// draws sources (`fancy`, `sarif`): read once, for positions and drawing.
    pub keep_texts: bool,
}

/// Runs the pipeline up to the findings.
pub fn lint(config: &Config, registry: &Registry, request: &LintRequest, cwd: &Path) -> Outcome {
    // On a rayon worker, not the calling thread: glibc's malloc gives each
    // thread a heap of its own, and what follows the per-file phase (the
    // index, the findings gathered) then fills the room that worker's
    // per-file results left behind, instead of growing another heap (a
    // lower peak: BENCHMARKS.md). Called from a worker, it runs in place.
    rayon::scope(|_| lint_on_this_thread(config, registry, request, cwd))
}

fn lint_on_this_thread(
    config: &Config,
    registry: &Registry,
    request: &LintRequest,
    cwd: &Path,
) -> Outcome {
    let mut discover_request = request.discover.clone();
    if let Some(path) = &request.stdin_path {
        discover_request.paths = Vec::new();
        let mut discovered = discover(config, &discover_request, cwd);
        mark_stdin(&mut discovered.files, path, config, cwd);
        return run(
            config,
            registry,
            discovered.files,
            discovered.errors,
            request,
            cwd,
        );
    }
    let mut discovered = discover(config, &discover_request, cwd);
    if let Some(changes) = &request.changes {
        for file in &mut discovered.files {
            file.reported = changes.changed.contains(&file.path);
        }
    }
    run(
        config,
        registry,
        discovered.files,
        discovered.errors,
        request,
        cwd,
    )
}

/// With `--stdin-filename`, only that path is reported; it joins the corpus if
/// it is not already part of it.
fn mark_stdin(files: &mut Vec<InputFile>, path: &Path, config: &Config, cwd: &Path) {
    let absolute_path = absolute(path, cwd);
    for file in files.iter_mut() {
        file.reported = file.path == absolute_path;
    }
    if !files.iter().any(|file| file.reported) {
        let relative = display_path(&absolute_path, &absolute(&config.root, cwd));
        let is_dump = absolute_path.extension().is_some_and(|e| e == "txt")
            || config.files.dumps.is_match(&relative);
        files.push(InputFile {
            display: display_path(&absolute_path, cwd).into(),
            path: absolute_path,
            kind: if is_dump {
                FileKind::Dump
            } else {
                FileKind::Entry
            },
            reported: true,
        });
        files.sort_by(|a, b| a.display.cmp(&b.display));
    }
}

/// One file's part of the run. Kept small (the rare parts boxed): a 100k-file
/// run holds 100k of these at once.
struct Loaded {
    outcome: FileOutcome,
    failure: Option<Box<DiscoverError>>,
    /// What to write to the cache for this file.
    store: Option<Box<(String, StoredFile)>>,
}

/// Loads and checks one file, or takes its outcome from the cache (with the
/// file's stamp): by size and modification time without reading it, else by
/// content hash.
fn load_and_check(
    id: FileId,
    file: &InputFile,
    relative: &str,
    cache: Option<(&Cache, (u128, u64))>,
    in_memory: &HashMap<PathBuf, String>,
    config: &Config,
    registry: &Registry,
) -> Loaded {
    let stamp = cache.map(|(_, stamp)| stamp);
    let cache = cache.map(|(cache, _)| cache);
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        if let Some(hit) = cache.by_stamp(relative, stamp, file.reported) {
            let outcome = hit.outcome(id, file.reported, registry, config, relative);
            return Loaded {
                outcome,
                failure: None,
                store: None,
            };
        }
    }
    let read = match in_memory.get(&file.path) {
        Some(text) => Ok(SourceText::from_string(text.clone())),
        None => load::read(&file.path),
    };
    let source = match read {
        Ok(source) => source,
        Err(error) => {
            return Loaded {
                outcome: FileOutcome {
                    records: Vec::new(),
                    diagnostics: Vec::new(),
                    suppressions: Vec::new(),
                    settings: config.settings_for(""),
                },
                failure: Some(Box::new(DiscoverError {
                    path: file.display.to_string(),
                    message: error.to_string(),
                })),
                store: None,
            }
        }
    };
    let hash = stamp.map(|_| cache::content_hash(&source.text));
    let (outcome, store) = match (cache, stamp, hash) {
        (Some(cache), Some(stamp), Some(hash)) => {
            match cache.by_hash(relative, hash, file.reported) {
                Some(hit) => (
                    hit.outcome(id, file.reported, registry, config, relative),
                    Some(Box::new((relative.to_string(), hit.restamped(stamp)))),
                ),
                None => {
                    let outcome = guarded_check(id, file, &source, config, registry);
                    let crashed = outcome.diagnostics.iter().any(|d| d.rule == INTERNAL_ERROR);
                    let store = (!crashed).then(|| {
                        Box::new((
                            relative.to_string(),
                            StoredFile::new(stamp, hash, file.reported, &outcome),
                        ))
                    });
                    (outcome, store)
                }
            }
        }
        _ => (guarded_check(id, file, &source, config, registry), None),
    };
    Loaded {
        outcome,
        failure: None,
        store,
    }
}

fn run(
    config: &Config,
    registry: &Registry,
    files: Vec<InputFile>,
    mut failures: Vec<DiscoverError>,
    request: &LintRequest,
    cwd: &Path,
) -> Outcome {
    let in_memory = &request.texts;
    let changes = request.changes.as_deref();
    let root = absolute(&config.root, cwd);
    let configuration = request
        .use_cache
        .then(|| cache::configuration_hash(config, registry));
    // Every file's size and modification time, once: the key of the run
    // cache, and of each file's entry in the per-file cache.
    let stamps: Vec<Option<(u128, u64)>> = match configuration {
        Some(_) => {
            let paths: Vec<&Path> = files.iter().map(|file| file.path.as_path()).collect();
            cache::stamps(&paths)
        }
        None => vec![None; files.len()],
    };
    // The stored answer of the last run serves when nothing it depends on moved.
    // What the enabled rules need rules out the shortcuts that would answer
    // them wrongly: history is in no file stamp, and a staged index lacks
    // the files a whole-corpus rule judges by.
    let needs = registry.needs(config);
    let run_key = configuration
        .filter(|_| in_memory.is_empty() && changes.is_none() && failures.is_empty())
        .filter(|_| !needs.history)
        .and_then(|configuration| cache::RunKey::of(&files, &stamps, &root, configuration));
    if let Some(run_key) = &run_key {
        let stored = cache::load_run(&root, run_key, registry);
        if let Some(stored) = stored {
            return from_stored_run(files, stored, failures);
        }
    }
    // A staged run over a corpus indexed before (under the same conditions
    // as a stored answer) reads only what changed and what the changed
    // entries are judged against.
    let staged = configuration.filter(|_| {
        run_key.is_some() && !needs.whole_corpus && files.iter().any(|file| !file.reported)
    });
    if let Some(configuration) = staged {
        let answer = crate::staged::answer(config, registry, &files, &stamps, &root, configuration);
        if let Some(answer) = answer {
            return conclude(
                files,
                Concluded {
                    diagnostics: answer.diagnostics,
                    checked_entries: answer.entries,
                    outside: answer.outside,
                },
                failures,
                request,
                &root,
                run_key,
            );
        }
    }
    let cache = configuration.map(|configuration| Cache::open(&root, configuration));
    // Root-relative paths: the per-file cache's keys and the index's paths.
    // Run from the root, they are the display paths: shared, not copied.
    let file_paths: Vec<Arc<str>> = files
        .par_iter()
        .map(|file| {
            let relative = display_path(&file.path, &root);
            if *relative == *file.display {
                file.display.clone()
            } else {
                Arc::from(relative)
            }
        })
        .collect();
    let loaded: Vec<Loaded> = files
        .par_iter()
        .enumerate()
        .map(|(id, file)| {
            let relative = &file_paths[id];
            let cached = cache
                .as_ref()
                .filter(|_| !in_memory.contains_key(&file.path) && file.path.starts_with(&root))
                .zip(stamps[id]);
            load_and_check(id, file, relative, cached, in_memory, config, registry)
        })
        .collect();
    let mut cache = cache;
    let mut outcomes = Vec::with_capacity(loaded.len());
    for item in loaded {
        if let (Some(cache), Some(store)) = (cache.as_mut(), item.store) {
            let (relative, stored) = *store;
            cache.store(relative, stored);
        }
        failures.extend(item.failure.map(|failure| *failure));
        outcomes.push(item.outcome);
    }
    // The records move into the index; `finish` finds each file's there.
    // Sized once: grown by doubling, 100k records would briefly take twice
    // their room and leave the old buffers as holes in the heap.
    let record_count = outcomes.iter().map(|outcome| outcome.records.len()).sum();
    let mut records = Vec::with_capacity(record_count);
    for outcome in &mut outcomes {
        // Taken, not drained: the file's own buffer is freed here.
        records.append(&mut std::mem::take(&mut outcome.records));
    }
    // With --changed-since, the corpus rules judge every file; the links they
    // find broken outside the changed files are kept only when they point at
    // what the change removed.
    let corpus_reported = files
        .iter()
        .map(|file| file.reported || changes.is_some())
        .collect();
    let index = CorpusIndex::build_fixed(records, corpus_reported, file_paths);
    let read_text = |file: FileId| match in_memory.get(&files[file].path) {
        Some(text) => Some(text.clone()),
        None => load::read(&files[file].path).ok().map(|source| source.text),
    };
    // A run that indexed every corpus file leaves the index for staged runs,
    // written while the corpus rules run.
    let snapshot =
        configuration.filter(|_| in_memory.is_empty() && changes.is_none() && failures.is_empty());
    let (mut corpus, ()) = rayon::join(
        || {
            let cx = CorpusContext {
                index: &index,
                files: &files,
                config,
                root: &root,
                read_text: &read_text,
                memo: &crate::rules::Memo::default(),
            };
            crate::check::corpus_findings(&outcomes, &cx, registry)
        },
        || {
            if let Some(configuration) = snapshot {
                cache::refresh_snapshot(&root, configuration, &files, &stamps, &index);
            }
        },
    );
    if let Some(changes) = changes {
        let gone = crate::changes::disappeared(changes, &index, config);
        corpus.retain(|diagnostic| {
            files[diagnostic.file].reported
                || (registry.flags_of(diagnostic.rule).judges_link_targets
                    && crate::changes::points_at(&gone, &index, diagnostic.file, &diagnostic.span))
        });
    }
    // Taken from the index only now: not held while the corpus rules run.
    let checked_entries = crate::index::reported_entries(&index.entries, &files);
    let outside = match run_key {
        Some(_) => cache::run::outside_targets(&index, &config.routes, &root),
        None => Vec::new(),
    };
    // The lookup tables are freed before the findings are gathered: only the
    // records are needed to name each finding's entry.
    let records = index.into_records();
    let diagnostics = gather(outcomes, corpus, &records, &files, registry);
    drop(records);
    if let Some(cache) = cache {
        cache.save();
    }
    conclude(
        files,
        Concluded {
            diagnostics,
            checked_entries,
            outside,
        },
        failures,
        request,
        &root,
        run_key,
    )
}

/// A run's answer before the report's positions are added.
struct Concluded {
    diagnostics: Vec<Diagnostic>,
    checked_entries: Vec<cache::run::Entry>,
    /// See [`cache::RunResult::outside`].
    outside: Vec<(String, bool)>,
}

/// The outcome of a run from its findings: the texts and positions the
/// report needs, and the answer stored for the next run with the same key.
fn conclude(
    files: Vec<InputFile>,
    Concluded {
        diagnostics,
        checked_entries,
        outside,
    }: Concluded,
    failures: Vec<DiscoverError>,
    request: &LintRequest,
    root: &Path,
    run_key: Option<cache::RunKey>,
) -> Outcome {
    let texts = held_texts(&files, &diagnostics, &request.texts, request.keep_texts);
    let result = cache::RunResult {
        positions: crate::report::locate(&files, &diagnostics, &texts),
        diagnostics,
        entries: checked_entries,
        outside,
    };
    if let (Some(run_key), true) = (run_key, failures.is_empty()) {
        cache::save_run(root, &run_key, &result);
    }
    Outcome {
        reported_files: reported_files(&files, &result.diagnostics),
        reported_entries: result.entries.len(),
        checked_entries: result.entries,
        files,
        diagnostics: result.diagnostics,
        texts,
        positions: result.positions,
        failures,
    }
}

/// Reported files and the files findings point into.
fn reported_files(files: &[InputFile], diagnostics: &[Diagnostic]) -> usize {
    let with_findings: std::collections::HashSet<FileId> = diagnostics
        .iter()
        .map(|diagnostic| diagnostic.file)
        .collect();
    files
        .iter()
        .enumerate()
        .filter(|(id, file)| file.reported || with_findings.contains(id))
        .count()
}

/// The outcome of a run answered from the snapshot of an earlier one: no
/// text is read here; the report reads what it draws.
fn from_stored_run(
    files: Vec<InputFile>,
    stored: cache::RunResult,
    failures: Vec<DiscoverError>,
) -> Outcome {
    Outcome {
        reported_files: reported_files(&files, &stored.diagnostics),
        reported_entries: stored.entries.len(),
        checked_entries: stored.entries,
        files,
        diagnostics: stored.diagnostics,
        texts: HashMap::new(),
        positions: stored.positions,
        failures,
    }
}

/// The texts the run holds for the report: of the files findings point into,
/// the in-memory ones, and with `keep` all of them.
fn held_texts(
    files: &[InputFile],
    diagnostics: &[Diagnostic],
    in_memory: &HashMap<PathBuf, String>,
    keep: bool,
) -> HashMap<FileId, Arc<str>> {
    if in_memory.is_empty() && !keep {
        return HashMap::new();
    }
    let needed: std::collections::BTreeSet<FileId> =
        diagnostics.iter().flat_map(Diagnostic::files).collect();
    needed
        .into_par_iter()
        .filter_map(|file| {
            let text = match in_memory.get(&files[file].path) {
                Some(text) => Arc::from(text.as_str()),
                None if keep => load::read_shared(&files[file].path)?,
                None => return None,
            };
            Some((file, text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{EntryContext, Family, FixKind, Rule, RuleMeta, Sink};

    /// A rule that panics on entries whose term is `boom`.
    struct Panicky;

    static META: RuleMeta = RuleMeta {
        id: "panicky",
        family: Family::Meta,
        default_level: crate::diagnostic::Level::Error,
        fix: FixKind::None,
        options: &[],
        source: "",
    };

    impl Rule for Panicky {
        fn meta(&self) -> &'static RuleMeta {
            &META
        }

        fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
            let term = cx
                .entry
                .term
                .as_ref()
                .map_or("", |term| term.value.as_str());
            assert!(term != "boom", "rule bug");
            sink.report(0..0, "checked");
        }
    }

    #[test]
    fn a_panic_in_one_file_becomes_an_internal_error_and_the_rest_is_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "---\nterm: boom\n---\nx\n").unwrap();
        std::fs::write(dir.path().join("b.md"), "---\nterm: fine\n---\nx\n").unwrap();
        let registry = Registry::from_rules(vec![Box::new(Panicky)]);
        let config = Config::defaults(dir.path().to_path_buf(), &registry);
        let outcome = lint(&config, &registry, &LintRequest::default(), dir.path());
        let found: Vec<(&str, &str)> = outcome
            .diagnostics
            .iter()
            .map(|d| (outcome.files[d.file].display.as_ref(), d.rule))
            .collect();
        assert_eq!(found, [("a.md", INTERNAL_ERROR), ("b.md", "panicky")]);
        assert!(outcome.diagnostics[0].message.contains("rule bug"));
    }
}
