//! `--changed-since REV`: ask git what changed, and learn from the old versions
//! which terms, aliases, files and anchors disappeared, so that a change that
//! deletes or renames an entry fails on the links it broke in entries it never
//! touched, without reporting on the whole corpus.

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::Config;
use crate::discover::{absolute, corpus_kind};
use crate::index::{scoped_key, CorpusIndex};
use crate::load::{FileKind, SourceText};
use crate::model::LinkKind;
use crate::normalize::term_key;
use crate::parse::{markdown, parse_file};

/// What changed since a revision.
#[derive(Debug, Default)]
pub struct ChangeSet {
    /// Added, modified and renamed-to files (absolute paths), in the corpus.
    pub changed: BTreeSet<PathBuf>,
    /// Old versions of modified, renamed and deleted files: root-relative path,
    /// layout and text.
    pub before: Vec<(String, FileKind, String)>,
}

/// What the change made disappear.
#[derive(Debug, Default)]
pub struct Disappeared {
    /// Folded names (inside their namespace) no entry has any more.
    pub names: BTreeSet<String>,
    /// Folded ids (`[entries] id_field`, inside their namespace) no entry
    /// has any more.
    pub ids: BTreeSet<String>,
    /// Site paths a page declared (Hugo `aliases:`) that none does any more.
    pub routes: BTreeSet<String>,
    /// Root-relative paths no longer in the corpus.
    pub paths: BTreeSet<String>,
    /// Heading anchors that no longer exist.
    pub anchors: BTreeSet<String>,
}

fn git<A: AsRef<OsStr>>(root: &Path, args: &[A]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|error| format!("error: --changed-since needs git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let shown: Vec<_> = args
            .iter()
            .map(|arg| arg.as_ref().to_string_lossy())
            .collect();
        Err(format!(
            "error: git {} failed: {}",
            shown.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// A root-relative path as git prints it (`-z`: raw bytes, unquoted), kept
/// byte for byte where the platform allows, since a file name need not be
/// UTF-8.
fn git_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The old version of the root-relative `path` at `revision`.
fn old_version(root: &Path, revision: &str, path: &Path) -> Result<Vec<u8>, String> {
    let mut spec = OsString::from(format!("{revision}:./"));
    spec.push(path.as_os_str());
    git(root, &[OsString::from("show"), spec])
}

/// Asks git for the entry files added, modified, renamed or deleted since
/// `revision` (committed or not), and reads the old versions.
pub fn since(revision: &str, config: &Config, cwd: &Path) -> Result<ChangeSet, String> {
    let root = absolute(&config.root, cwd);
    git(
        &root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{revision}^{{commit}}"),
        ],
    )
    .map_err(|_| {
        format!("error: --changed-since: `{revision}` is not a commit in this repository")
    })?;
    let diff = git(
        &root,
        &[
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--relative",
            revision,
            "--",
        ],
    )?;
    let untracked = git(&root, &["ls-files", "--others", "--exclude-standard", "-z"])?;
    let mut changes = ChangeSet::default();
    // Raw bytes: a name that is not UTF-8 is still a name git can be asked
    // about, and one such file must not fail the run for the others. It is
    // matched against the globs, and shown, in its lossy form.
    let fields: Vec<&[u8]> = diff.split(|&b| b == 0).filter(|f| !f.is_empty()).collect();
    let kind_of = |relative: &[u8]| corpus_kind(config, &String::from_utf8_lossy(relative));
    let mut index = 0;
    while index < fields.len() {
        let status = fields[index];
        let (old, new) = if status.starts_with(b"R") || status.starts_with(b"C") {
            index += 3;
            (fields.get(index - 2), fields.get(index - 1))
        } else if status.starts_with(b"D") {
            index += 2;
            (fields.get(index - 1), None)
        } else if status.starts_with(b"A") {
            index += 2;
            (None, fields.get(index - 1))
        } else {
            index += 2;
            (fields.get(index - 1), fields.get(index - 1))
        };
        if let Some(new) = new.filter(|new| kind_of(new).is_some()) {
            changes.changed.insert(root.join(git_path(new)));
        }
        if let Some(old) = old {
            if let Some(kind) = kind_of(old) {
                let bytes = old_version(&root, revision, &git_path(old))?;
                changes.before.push((
                    String::from_utf8_lossy(old).into_owned(),
                    kind,
                    SourceText::from_bytes(bytes).text,
                ));
            }
        }
    }
    for path in untracked.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        if kind_of(path).is_some() {
            changes.changed.insert(root.join(git_path(path)));
        }
    }
    Ok(changes)
}

/// Compares the old versions with the current index.
pub fn disappeared(changes: &ChangeSet, index: &CorpusIndex, config: &Config) -> Disappeared {
    let mut gone = Disappeared::default();
    for (path, kind, text) in &changes.before {
        let namespace = config.settings_for(path).namespace.clone();
        let parsed = parse_file(text, *kind, std::path::Path::new(path), &config.parse);
        if !index.by_path.contains_key(path.as_str()) {
            gone.paths.insert(path.clone());
        }
        let current_anchors: BTreeSet<&str> = index
            .by_path
            .get(path.as_str())
            .into_iter()
            .flatten()
            .flat_map(|&record| index.entries[record].anchors.iter().map(String::as_str))
            .collect();
        for entry in &parsed.entries {
            for route in &entry.routes {
                let key = crate::index::route_key(&route.value);
                if !index.by_route.contains_key(&key) {
                    gone.routes.insert(key);
                }
            }
            if let Some(id) = &entry.id {
                let key = scoped_key(&namespace, &term_key(&id.value));
                if !index.by_id.contains_key(&key) {
                    gone.ids.insert(key);
                }
            }
            for name in entry.names() {
                let key = scoped_key(&namespace, &term_key(&name.value));
                if !index.by_term.contains_key(&key) && !index.by_alias.contains_key(&key) {
                    gone.names.insert(key);
                }
            }
            for anchor in markdown::anchors(&entry.body) {
                if !current_anchors.contains(anchor.as_str()) {
                    gone.anchors.insert(anchor);
                }
            }
        }
    }
    gone
}

/// Whether a broken link at `span` in `file` points at something that disappeared.
pub fn points_at(
    gone: &Disappeared,
    index: &CorpusIndex,
    file: usize,
    span: &std::ops::Range<usize>,
) -> bool {
    let Some(path) = index.file_paths.get(file) else {
        return false;
    };
    let records = index.by_path.get(path).into_iter().flatten();
    records
        .flat_map(|&record| {
            let namespace = index.entries[record].namespace.clone();
            index.entries[record]
                .links
                .iter()
                .filter(|link| link.span == *span)
                .map(move |link| (namespace.clone(), link))
        })
        .any(|(namespace, link)| {
            let anchor_gone = link.anchor.as_deref().is_some_and(|anchor| {
                gone.anchors.contains(anchor)
                    || gone.anchors.contains(&markdown::github_slug(anchor))
            });
            let target_gone = match link.kind {
                LinkKind::Wiki => gone
                    .names
                    .contains(&scoped_key(&namespace, &term_key(&link.target))),
                LinkKind::Id => gone
                    .ids
                    .contains(&scoped_key(&namespace, &term_key(&link.target))),
                LinkKind::Path | LinkKind::Stem => {
                    let stem = crate::index::resolve::path_stem(&link.target);
                    gone.routes.contains(&crate::index::route_key(&link.target))
                        || !stem.is_empty()
                            && gone.paths.iter().any(|path| {
                                let old_stem = path
                                    .rsplit('/')
                                    .next()
                                    .unwrap_or("")
                                    .trim_end_matches(".md");
                                old_stem == stem
                                    || path.ends_with(&format!("{stem}/index.md"))
                                    || path.ends_with(&format!("{stem}/_index.md"))
                            })
                }
            };
            anchor_gone || target_gone
        })
}
