//! Discover: which files make up the corpus, and which of them are reported.
//!
//! The corpus is every file under the project root matched by `[files] entries`
//! or `[files] dumps` and not by `[files] exclude`, walking with `.gitignore`
//! honoured. Paths named on the command line are reported; the rest of the corpus
//! only feeds the index, so a staged file is still judged against everything.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::load::{display_path, FileKind, InputFile};

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
    let mut files: HashMap<PathBuf, InputFile> = HashMap::new();
    for path in walk(&root, request.no_ignore) {
        let relative = display_path(&path, &root);
        let Some(kind) = corpus_kind(config, &relative) else {
            continue;
        };
        let display: Arc<str> = display_path(&path, cwd).into();
        files.insert(
            path.clone(),
            InputFile {
                path,
                display,
                kind,
                reported: request.paths.is_empty(),
            },
        );
    }
    let mut errors = Vec::new();
    let mut named_in_corpus = false;
    let mut named = Vec::new();
    for given in &request.paths {
        let path = absolute(given, cwd);
        let shown = display_path(&path, cwd);
        if path.is_dir() {
            for inner in walk(&path, request.no_ignore) {
                let relative = display_path(&inner, &root);
                let kind = corpus_kind(config, &relative).or_else(|| {
                    (inner.extension().is_some_and(|e| e == "md")
                        && !is_excluded(config, &root, &inner))
                    .then_some(FileKind::Entry)
                });
                if let Some(kind) = kind {
                    named_in_corpus |= files.contains_key(&inner);
                    named.push((inner, kind));
                }
            }
        } else if path.exists() {
            if is_excluded(config, &root, &path) {
                continue;
            }
            let relative = display_path(&path, &root);
            let is_txt = path.extension().is_some_and(|e| e == "txt");
            // Under a configured root, a named Markdown file that the `[files]`
            // globs do not match (a README staged next to the entries) is not
            // an entry: pre-commit passes every staged file.
            if config.file.is_some()
                && path.starts_with(&root)
                && !is_txt
                && corpus_kind(config, &relative).is_none()
            {
                continue;
            }
            let kind = if is_txt || config.files.dumps.is_match(&relative) {
                FileKind::Dump
            } else {
                FileKind::Entry
            };
            named_in_corpus |= files.contains_key(&path);
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
    for (path, kind) in named {
        let display: Arc<str> = display_path(&path, cwd).into();
        let file = files.entry(path.clone()).or_insert(InputFile {
            path,
            display,
            kind,
            reported: true,
        });
        file.reported = true;
        file.kind = kind;
    }
    let mut files: Vec<InputFile> = files.into_values().collect();
    files.sort_by(|a, b| a.display.cmp(&b.display));
    Discovered { files, errors }
}

/// The layout of the corpus file at `relative` (root-relative, `/`-separated),
/// or `None` when the `[files]` globs leave it out.
pub fn corpus_kind(config: &Config, relative: &str) -> Option<FileKind> {
    if config.files.exclude.is_match(relative) {
        None
    } else if config.files.dumps.is_match(relative) {
        Some(FileKind::Dump)
    } else if config.files.entries.is_match(relative) {
        Some(FileKind::Entry)
    } else {
        None
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
    builder
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()))
        .map(|entry| lexical(entry.into_path()))
        .collect()
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
