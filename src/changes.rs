//! `--changed-since REV`: ask git what changed, and learn from the old versions
//! which terms, aliases, files and anchors disappeared, so that a change that
//! deletes or renames an entry fails on the links it broke in entries it never
//! touched, without reporting on the whole corpus.

use std::collections::BTreeSet;
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
    /// Root-relative paths no longer in the corpus.
    pub paths: BTreeSet<String>,
    /// Heading anchors that no longer exist.
    pub anchors: BTreeSet<String>,
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|error| format!("error: --changed-since needs git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "error: git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
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
    let fields: Vec<String> = diff
        .split(|&b| b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let kind_of = |relative: &str| corpus_kind(config, relative);
    let mut index = 0;
    while index < fields.len() {
        let status = fields[index].clone();
        let (old, new) = if status.starts_with('R') || status.starts_with('C') {
            index += 3;
            (
                Some(fields[index - 2].clone()),
                Some(fields[index - 1].clone()),
            )
        } else if status.starts_with('D') {
            index += 2;
            (Some(fields[index - 1].clone()), None)
        } else if status.starts_with('A') {
            index += 2;
            (None, Some(fields[index - 1].clone()))
        } else {
            index += 2;
            (
                Some(fields[index - 1].clone()),
                Some(fields[index - 1].clone()),
            )
        };
        if let Some(new) = new.filter(|new| kind_of(new).is_some()) {
            changes.changed.insert(root.join(&new));
        }
        if let Some(old) = old {
            if let Some(kind) = kind_of(&old) {
                let bytes = git(&root, &["show", &format!("{revision}:./{old}")])?;
                changes
                    .before
                    .push((old, kind, SourceText::from_bytes(bytes).text));
            }
        }
    }
    for path in untracked.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let relative = String::from_utf8_lossy(path).into_owned();
        if kind_of(&relative).is_some() {
            changes.changed.insert(root.join(relative));
        }
    }
    Ok(changes)
}

/// Compares the old versions with the current index.
pub fn disappeared(changes: &ChangeSet, index: &CorpusIndex, config: &Config) -> Disappeared {
    let mut gone = Disappeared::default();
    for (path, kind, text) in &changes.before {
        let namespace = config.settings_for(path).namespace.clone();
        let parsed = parse_file(text, *kind, &config.parse);
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
                LinkKind::Path | LinkKind::Stem => {
                    let stem = crate::index::resolve::path_stem(&link.target);
                    !stem.is_empty()
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
