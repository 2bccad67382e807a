//! Fix: apply the edits that rules attach to their findings (SPEC 8).
//!
//! Edits are byte-range replacements in one file's text. Overlapping fixes are
//! not applied in the same round; `--fix` re-checks and repeats until nothing
//! changes, so the skipped one gets its turn against the new text.
//!
//! Edits are applied only to the very text they were computed on: a file's
//! findings may come from the cache, so before its first fix the file is
//! read into memory and checked again from that text (in-memory texts never
//! touch the cache), and it is written only if its bytes are still those.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::{Applicability, Diagnostic, Edit, FileId};
use crate::lint::{lint, LintRequest};
use crate::rules::Registry;

/// At most this many check-and-fix rounds per run.
pub const MAX_ROUNDS: usize = 10;

/// The result of applying fixes to one text.
#[derive(Debug, PartialEq, Eq)]
pub struct Applied {
    /// The new text.
    pub text: String,
    /// How many fixes were applied.
    pub fixes: usize,
}

/// Whether a fix of `applicability` is applied under the run's choice.
pub fn is_applicable(applicability: Applicability, unsafe_fixes: bool) -> bool {
    applicability == Applicability::Safe || unsafe_fixes
}

/// Applies the applicable fixes of `file`'s findings to `text`; a fix whose
/// edits overlap an already chosen fix, or fall outside the text, is skipped.
pub fn apply(text: &str, file: FileId, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Applied {
    // The chosen edits by start: no two chosen edits share a start (see
    // [`overlap`]), so one look at each neighbour tells whether a new edit
    // conflicts, and many fixes in one file cost `n log n`, not `n²`.
    let mut chosen: BTreeMap<usize, &Edit> = BTreeMap::new();
    let mut fixes = 0;
    for diagnostic in diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.file == file)
    {
        let Some(fix) = &diagnostic.fix else { continue };
        if !is_applicable(fix.applicability, unsafe_fixes) {
            continue;
        }
        let in_bounds = fix.edits.iter().all(|edit| {
            edit.span.start <= edit.span.end
                && edit.span.end <= text.len()
                && text.is_char_boundary(edit.span.start)
                && text.is_char_boundary(edit.span.end)
        });
        if !in_bounds {
            continue;
        }
        // Edits of one fix are checked against each other too: added one by
        // one, and taken back if any conflicts.
        let mut added = 0;
        for edit in &fix.edits {
            if conflicts(&chosen, &edit.span) {
                break;
            }
            chosen.insert(edit.span.start, edit);
            added += 1;
        }
        if added == fix.edits.len() {
            fixes += 1;
        } else {
            for edit in &fix.edits[..added] {
                chosen.remove(&edit.span.start);
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for edit in chosen.into_values() {
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    Applied { text: out, fixes }
}

/// A file whose text the fixes changed.
#[derive(Debug, PartialEq, Eq)]
pub struct ChangedFile {
    /// Where it lives.
    pub path: PathBuf,
    /// Its path as shown.
    pub display: String,
    /// The text that was read.
    pub original: String,
    /// The text after every round.
    pub fixed: String,
    /// Fixes applied to it over all rounds.
    pub fixes: usize,
}

/// What the rounds of fixing produced, in memory.
#[derive(Debug, Default)]
pub struct Fixed {
    /// Changed files, by display path.
    pub changed: Vec<ChangedFile>,
    /// Fixes applied over all rounds.
    pub fixes: usize,
}

/// Checks, applies fixes in memory, and repeats until a round changes nothing
/// or [`MAX_ROUNDS`] rounds ran. Files whose front matter does not parse are
/// left alone: their entries' boundaries are not known for certain.
pub fn run_rounds(
    config: &Config,
    registry: &Registry,
    request: &LintRequest,
    cwd: &Path,
    unsafe_fixes: bool,
) -> Fixed {
    let mut request = request.clone();
    // Display path, text read and fixes applied, of each file taken into memory.
    let mut originals: BTreeMap<PathBuf, (String, String, usize)> = BTreeMap::new();
    let mut rounds = 0;
    while rounds < MAX_ROUNDS {
        let outcome = lint(config, registry, &request, cwd);
        let mut changed_this_round = false;
        let mut read_this_round = false;
        let mut by_file: BTreeMap<FileId, Vec<&Diagnostic>> = BTreeMap::new();
        for diagnostic in &outcome.diagnostics {
            by_file.entry(diagnostic.file).or_default().push(diagnostic);
        }
        for (file, diagnostics) in by_file {
            let unsettled = diagnostics
                .iter()
                .any(|diagnostic| registry.flags_of(diagnostic.rule).unsettles_structure);
            let fixable = diagnostics.iter().any(|diagnostic| {
                diagnostic
                    .fix
                    .as_ref()
                    .is_some_and(|fix| is_applicable(fix.applicability, unsafe_fixes))
            });
            if unsettled || !fixable {
                continue;
            }
            let input = &outcome.files[file];
            let Some(text) = request.texts.get(&input.path) else {
                // Found on disk (or in the cache): checked again from the
                // text read now before any edit touches it.
                if let Ok(source) = crate::load::read(&input.path) {
                    originals.insert(
                        input.path.clone(),
                        (input.display.to_string(), source.text.clone(), 0),
                    );
                    request.texts.insert(input.path.clone(), source.text);
                    read_this_round = true;
                }
                continue;
            };
            let diagnostics: Vec<Diagnostic> = diagnostics.into_iter().cloned().collect();
            let applied = apply(text, file, &diagnostics, unsafe_fixes);
            if applied.fixes == 0 || applied.text == *text {
                continue;
            }
            // Files given in memory (standard input) are their own original.
            originals
                .entry(input.path.clone())
                .or_insert_with(|| (input.display.to_string(), text.clone(), 0))
                .2 += applied.fixes;
            request.texts.insert(input.path.clone(), applied.text);
            changed_this_round = true;
        }
        if changed_this_round {
            rounds += 1;
        } else if !read_this_round {
            break;
        }
    }
    let changed: Vec<ChangedFile> = originals
        .into_iter()
        .map(|(path, (display, original, fixes))| {
            let fixed = request
                .texts
                .remove(&path)
                .unwrap_or_else(|| original.clone());
            ChangedFile {
                path,
                display,
                original,
                fixed,
                fixes,
            }
        })
        .filter(|file| file.fixed != file.original)
        .collect();
    Fixed {
        fixes: changed.iter().map(|file| file.fixes).sum(),
        changed,
    }
}

/// The fixes as a unified diff, `a/` and `b/` prefixed like git's.
pub fn unified_diff(fixed: &Fixed) -> String {
    let mut out = String::new();
    for file in &fixed.changed {
        let diff = similar::TextDiff::from_lines(&file.original, &file.fixed);
        let text = diff
            .unified_diff()
            .context_radius(3)
            .header(
                &format!("a/{}", file.display),
                &format!("b/{}", file.display),
            )
            .to_string();
        out.push_str(&text);
    }
    out
}

/// What writing produced.
#[derive(Debug, Default)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Fixes in the files written.
    pub fixes: usize,
    /// Files that could not be written, with the reason: the run failed.
    pub failed: Vec<(String, String)>,
    /// Files left alone on purpose (read-only), with the reason.
    pub left_alone: Vec<(String, String)>,
}

/// Why a changed file was not written.
enum NotWritten {
    /// Writing was tried, or the file is not what was fixed: an error.
    Failed(String),
    /// The file says it is not to be written: a note.
    LeftAlone(String),
}

/// Writes every changed file (see [`write_one`]) of the project at `root`
/// (absolute).
pub fn write_all(fixed: &Fixed, root: &Path) -> Written {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut written = Written::default();
    for file in &fixed.changed {
        match write_one(file, &root) {
            Ok(()) => {
                written.files += 1;
                written.fixes += file.fixes;
            }
            Err(NotWritten::Failed(reason)) => written.failed.push((file.display.clone(), reason)),
            Err(NotWritten::LeftAlone(reason)) => {
                written.left_alone.push((file.display.clone(), reason))
            }
        }
    }
    written
}

/// Writes one fixed file, only if its bytes are still the text that was
/// checked (not changed meanwhile, valid UTF-8). A symbolic link is written
/// through to its target when that lies inside the project root; a file with
/// other hard links, or whose owner a new file could not keep, is rewritten
/// in place so every name and the owner stay; otherwise a temporary file in
/// the same folder is renamed over it, with the old mode, owner and group. A
/// read-only file is left alone.
fn write_one(file: &ChangedFile, root: &Path) -> Result<(), NotWritten> {
    let failed = |error: std::io::Error| NotWritten::Failed(error.to_string());
    let target = std::fs::canonicalize(&file.path).map_err(failed)?;
    if !target.starts_with(root) {
        return Err(NotWritten::LeftAlone(format!(
            "it links to {}, outside the project",
            target.display()
        )));
    }
    let metadata = std::fs::metadata(&target).map_err(failed)?;
    if metadata.permissions().readonly() {
        return Err(NotWritten::LeftAlone(
            "it is read-only; make it writable to fix it".into(),
        ));
    }
    let current = std::fs::read(&target).map_err(failed)?;
    if current != file.original.as_bytes() {
        return Err(NotWritten::Failed(
            "it changed since it was read, or is not valid UTF-8; run again".into(),
        ));
    }
    if has_other_links(&metadata) {
        return write_in_place(&target, file).map_err(failed);
    }
    let folder = target.parent().unwrap_or(Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(failed)?;
    if !keep_owner(temporary.as_file(), &metadata) {
        drop(temporary);
        return write_in_place(&target, file).map_err(failed);
    }
    temporary
        .write_all(file.fixed.as_bytes())
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(failed)?;
    std::fs::set_permissions(temporary.path(), metadata.permissions()).map_err(failed)?;
    temporary
        .persist(&target)
        .map_err(|error| failed(error.error))?;
    Ok(())
}

/// Whether the file has more names than this one (a rename would split them).
fn has_other_links(metadata: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        metadata.nlink() > 1
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        false
    }
}

/// Gives `file` the owner and group of `original`; false when that is not
/// allowed (another user's file).
fn keep_owner(file: &std::fs::File, original: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).is_ok()
    }
    #[cfg(not(unix))]
    {
        let _ = (file, original);
        true
    }
}

/// Overwrites `path`'s bytes with the fixed text, keeping the file itself
/// (its links, owner, mode). Not atomic, so used only where a rename would
/// lose one of those; when the write fails (a full disk) the text that was
/// read is put back, so a failure never leaves half a file.
fn write_in_place(path: &Path, file: &ChangedFile) -> std::io::Result<()> {
    let overwrite = |bytes: &[u8]| -> std::io::Result<()> {
        let mut handle = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        handle.write_all(bytes)?;
        handle.sync_all()
    };
    overwrite(file.fixed.as_bytes()).inspect_err(|_| {
        let _ = overwrite(file.original.as_bytes());
    })
}

/// Whether `span` conflicts with an edit in `chosen` (by start, none sharing
/// a start, none overlapping): only the edits starting at, just before and
/// just after its start can.
fn conflicts(chosen: &BTreeMap<usize, &Edit>, span: &std::ops::Range<usize>) -> bool {
    let before = chosen.range(..=span.start).next_back();
    let after = chosen.range(span.start..).next();
    before
        .into_iter()
        .chain(after)
        .any(|(_, other)| overlap(span, &other.span))
}

/// Two edits conflict when their ranges share a byte, or when both insert at
/// the same offset (their order would be arbitrary).
fn overlap(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Level};

    fn diagnostic(
        span: std::ops::Range<usize>,
        replacement: &str,
        applicability: Applicability,
    ) -> Diagnostic {
        Diagnostic {
            rule: "repeated-word",
            level: Level::Warning,
            message: "".into(),
            help: None,
            file: 0,
            span: span.clone(),
            entry: None,
            related: Default::default(),
            fix: Some(Box::new(Fix {
                applicability,
                edits: vec![Edit {
                    span,
                    replacement: replacement.to_string().into(),
                }],
            })),
        }
    }

    #[test]
    fn applies_safe_edits_and_skips_overlaps_and_unsafe_ones() {
        let text = "the the cat sat";
        let found = [
            diagnostic(3..7, "", Applicability::Safe),
            diagnostic(4..8, "x", Applicability::Safe),
            diagnostic(12..15, "stood", Applicability::Unsafe),
        ];
        assert_eq!(
            apply(text, 0, &found, false),
            Applied {
                text: "the cat sat".into(),
                fixes: 1
            }
        );
        assert_eq!(apply(text, 0, &found, true).text, "the cat stood");
    }

    /// Issue 15, case 7: 200k fixes in one file, on one line. Each new fix
    /// is checked against its neighbours only; compared with every chosen
    /// fix, as before, this took minutes.
    #[test]
    fn many_fixes_in_one_file_are_applied_in_one_pass() {
        let pairs = 200_000;
        let text = "the the ".repeat(pairs);
        let found: Vec<Diagnostic> = (0..pairs)
            .map(|pair| diagnostic(pair * 8 + 3..pair * 8 + 7, "", Applicability::Safe))
            .collect();
        let applied = apply(&text, 0, &found, false);
        assert_eq!(applied.fixes, pairs);
        assert_eq!(applied.text, "the ".repeat(pairs));
    }

    /// A fix whose own edits overlap (a rule's bug) is skipped whole, never
    /// half applied, and does not panic.
    #[test]
    fn a_fix_whose_edits_overlap_each_other_is_skipped() {
        let mut broken = diagnostic(0..3, "a", Applicability::Safe);
        broken.fix.as_mut().unwrap().edits.push(Edit {
            span: 1..4,
            replacement: "b".to_string().into(),
        });
        let later = diagnostic(8..11, "dog", Applicability::Safe);
        let applied = apply("the the cat", 0, &[broken, later], false);
        assert_eq!(applied.text, "the the dog");
        assert_eq!(applied.fixes, 1);
    }
}
