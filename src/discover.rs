//! Discover: which files make up the corpus, and which of them are reported.
//!
//! The corpus is every file under the project root matched by `[files] entries`
//! or `[files] dumps` and not by `[files] exclude`, walking with `.gitignore`
//! honoured. Paths named on the command line are reported; the rest of the corpus
//! only feeds the index, so a staged file is still judged against everything.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use crate::config::Config;
use crate::load::{display_path, FileKind, InputFile};

/// The folder `.glosslint_cache/` at the project root: never part of the corpus.
pub const CACHE_FOLDER: &str = ".glosslint_cache";
/// What to discover.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// Paths named on the command line (files or folders); empty = whole corpus.
    pub paths: Vec<PathBuf>,
    /// Skip `.gitignore` and other ignore files.
    pub no_ignore: bool,
}

/// A named path that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiscoverError {
    /// The path as shown.
    pub path: String,
    /// Why.
    pub message: String,
}

/// The files of a run, sorted by display path.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Every file to load, reported or not.
    pub files: Vec<InputFile>,
    /// Named paths that do not exist.
    pub errors: Vec<DiscoverError>,
}

/// Finds the run's files. `cwd` is the working directory (absolute).
pub fn discover(config: &Config, request: &Request, cwd: &Path) -> Discovered {
    let root = absolute(&config.root, cwd);
    let corpus: Vec<InputFile> = walk(&root, request.no_ignore)
        .into_par_iter()
        .filter_map(|path| {
            let relative = display_path(&path, &root);
            let kind = corpus_kind(config, &relative)?;
            let referrer = config.files.is_referrer(&relative);
            let display: Arc<str> = if root == cwd {
                relative.into()
            } else {
                display_path(&path, cwd).into()
            };
            Some(InputFile {
                path,
                display,
                kind,
                reported: request.paths.is_empty() && !referrer,
            })
        })
        .collect();
    if request.paths.is_empty() {
        let mut files = corpus;
        files.par_sort_unstable_by(|a, b| a.display.cmp(&b.display));
        return Discovered {
            files,
            errors: Vec::new(),
        };
    }
    // Sorted by the path's bytes (not `Path`'s component-wise order) to find
    // the named files among the corpus cheaply.
    let mut files = corpus;
    files.par_sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    let position = |files: &[InputFile], path: &Path| {
        files
            .binary_search_by(|file| file.path.as_os_str().cmp(path.as_os_str()))
            .ok()
    };
    let mut errors = Vec::new();
    let mut named_in_corpus = false;
    let mut named = Vec::new();
    for given in &request.paths {
        let path = absolute(given, cwd);
        let shown = display_path(&path, cwd);
        if path.is_dir() {
            for inner in walk(&path, request.no_ignore) {
                let relative = display_path(&inner, &root);
                if config.files.is_referrer(&relative) {
                    continue;
                }
                let kind = corpus_kind(config, &relative).or_else(|| {
                    (inner.extension().is_some_and(|e| e == "md")
                        && !is_excluded(config, &root, &inner))
                    .then_some(FileKind::Entry)
                });
                if let Some(kind) = kind {
                    named_in_corpus |= position(&files, &inner).is_some();
                    named.push((inner, kind));
                }
            }
        } else if path.exists() {
            if is_excluded(config, &root, &path) {
                continue;
            }
            let relative = display_path(&path, &root);
            let is_txt = path.extension().is_some_and(|e| e == "txt");
            // Under a configured root, a named file that the `[files]` globs
            // do not match (a README or requirements.txt staged next to the
            // entries) is neither entry nor dump: pre-commit passes every
            // staged file.
            // A referrer (a docs page read for its links) is never reported,
            // even when named: pre-commit names every staged page.
            if outside_corpus(config, &path, cwd) || config.files.is_referrer(&relative) {
                continue;
            }
            let kind = if is_txt || config.files.dumps.is_match(&relative) {
                FileKind::Dump
            } else {
                FileKind::Entry
            };
            named_in_corpus |= position(&files, &path).is_some();
            named.push((path, kind));
        } else {
            errors.push(DiscoverError {
                path: shown,
                message: "no such file or folder".into(),
            });
        }
    }
    // Named files that all lie outside the configured corpus are an ad-hoc run:
    // they are judged among themselves, not against an unrelated corpus.
    if !request.paths.is_empty() && !named_in_corpus {
        files.clear();
    }
    let mut outside: HashMap<PathBuf, InputFile> = HashMap::new();
    for (path, kind) in named {
        if let Some(index) = position(&files, &path) {
            files[index].reported = true;
            files[index].kind = kind;
            continue;
        }
        let display: Arc<str> = display_path(&path, cwd).into();
        let file = outside.entry(path.clone()).or_insert(InputFile {
            path,
            display,
            kind,
            reported: true,
        });
        file.kind = kind;
    }
    files.extend(outside.into_values());
    files.par_sort_unstable_by(|a, b| a.display.cmp(&b.display));
    Discovered { files, errors }
}

/// The layout of the corpus file at `relative` (root-relative, `/`-separated),
/// or `None` when the `[files]` globs leave it out.
pub fn corpus_kind(config: &Config, relative: &str) -> Option<FileKind> {
    if config.files.exclude.is_match(relative) {
        None
    } else if config.files.dumps.is_match(relative) {
        Some(FileKind::Dump)
    } else if config.files.entries.is_match(relative) || config.files.referrers.is_match(relative) {
        Some(FileKind::Entry)
    } else {
        None
    }
}

/// Whether `path` lies under a configured root but outside its `[files]`
/// globs, and so is no part of the corpus whatever its extension. Without a
/// `glosslint.toml`, any named file is checked.
pub fn outside_corpus(config: &Config, path: &Path, cwd: &Path) -> bool {
    let root = absolute(&config.root, cwd);
    config.file.is_some()
        && path.starts_with(&root)
        && corpus_kind(config, &display_path(path, &root)).is_none()
}

/// The configuration that governs `path` (absolute): the nearest
/// `glosslint.toml` in its folder (or itself, for a folder) or above.
pub fn config_for(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        crate::config::find(path)
    } else {
        crate::config::find(path.parent()?)
    }
}

/// The top of the git work tree holding `dir` (absolute): the nearest folder
/// at or above it with a `.git` (a folder, or a file in a linked worktree).
pub fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|folder| folder.join(".git").exists())
        .map(Path::to_path_buf)
}

/// What `--watch` compares: every file under the roots with its size and
/// modification time, sorted.
pub type Stamps = Vec<(PathBuf, u64, Option<std::time::SystemTime>)>;

/// The stamps of every file under `roots` now.
pub fn stamps(roots: &[PathBuf]) -> Stamps {
    let mut stamps: Stamps = roots
        .iter()
        .flat_map(|root| walk(root, false))
        // The run cache changes on every run; it is no change of the project.
        .filter(|path| {
            !path
                .components()
                .any(|part| part.as_os_str() == CACHE_FOLDER)
        })
        .map(|path| {
            let metadata = std::fs::metadata(&path).ok();
            let size = metadata.as_ref().map_or(0, std::fs::Metadata::len);
            let modified = metadata.and_then(|metadata| metadata.modified().ok());
            (path, size, modified)
        })
        .collect();
    stamps.sort();
    stamps
}

/// Polls the files under `roots` until one is added, removed or changed
/// since `before` was taken.
pub fn wait_for_change(roots: &[PathBuf], before: &Stamps) {
    while stamps(roots) == *before {
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
}

fn is_excluded(config: &Config, root: &Path, path: &Path) -> bool {
    path.starts_with(root) && config.files.exclude.is_match(&display_path(path, root))
}

fn walk(dir: &Path, no_ignore: bool) -> Vec<PathBuf> {
    let mut builder = ignore::WalkBuilder::new(dir);
    builder.require_git(false).follow_links(false);
    if no_ignore {
        builder
            .git_ignore(false)
            .git_global(false)
            .git_exclude(false)
            .ignore(false)
            .parents(false);
    }
    // `dir` is absolute and lexically clean, so every path under it is too.
    let found = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let mut batch = Batch {
            paths: Vec::new(),
            found: &found,
        };
        Box::new(move |entry| {
            if let Ok(entry) = entry {
                if entry.file_type().is_some_and(|kind| kind.is_file()) {
                    // Kept all run long: without the spare room of the join.
                    batch.paths.push(entry.into_path().into_boxed_path().into());
                    if batch.paths.len() >= 1024 {
                        batch.flush();
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    found.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// One walker thread's paths, handed over in batches so the lock stays off the
/// hot path; the rest goes over when the thread's visitor is dropped.
struct Batch<'a> {
    paths: Vec<PathBuf>,
    found: &'a Mutex<Vec<PathBuf>>,
}

impl Batch<'_> {
    fn flush(&mut self) {
        self.found
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .append(&mut self.paths);
    }
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    lexical(if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    })
}

fn lexical(path: PathBuf) -> PathBuf {
    let mut clean = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other.as_os_str()),
        }
    }
    clean
}
