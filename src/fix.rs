//! Fix: apply the edits that rules attach to their findings (SPEC 8).
//!
//! Edits are byte-range replacements in one file's text. Overlapping fixes are
//! not applied in the same round; `--fix` re-checks and repeats until nothing
//! changes, so the skipped one gets its turn against the new text.

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
    let mut chosen: Vec<&Edit> = Vec::new();
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
        let overlaps = fix
            .edits
            .iter()
            .any(|edit| chosen.iter().any(|other| overlap(&edit.span, &other.span)));
        if in_bounds && !overlaps {
            chosen.extend(fix.edits.iter());
            fixes += 1;
        }
    }
    chosen.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut cursor = 0;
    for edit in chosen {
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
    let mut originals: BTreeMap<PathBuf, (String, String)> = BTreeMap::new();
    let mut fixes = 0;
    for _ in 0..MAX_ROUNDS {
        let outcome = lint(config, registry, &request, cwd);
        let mut changed_this_round = false;
        let mut fixable: BTreeMap<FileId, Vec<Diagnostic>> = BTreeMap::new();
        for diagnostic in &outcome.diagnostics {
            fixable
                .entry(diagnostic.file)
                .or_default()
                .push(diagnostic.clone());
        }
        for (file, diagnostics) in fixable {
            let malformed = diagnostics
                .iter()
                .any(|diagnostic| diagnostic.rule == "malformed-entry");
            let Some(text) = outcome.text(file) else {
                continue;
            };
            if malformed
                || !diagnostics
                    .iter()
                    .any(|diagnostic| diagnostic.fix.is_some())
            {
                continue;
            }
            let applied = apply(&text, file, &diagnostics, unsafe_fixes);
            if applied.fixes == 0 || applied.text == text.as_ref() {
                continue;
            }
            let input = &outcome.files[file];
            originals
                .entry(input.path.clone())
                .or_insert_with(|| (input.display.to_string(), text.to_string()));
            request.texts.insert(input.path.clone(), applied.text);
            fixes += applied.fixes;
            changed_this_round = true;
        }
        if !changed_this_round {
            break;
        }
    }
    let changed = originals
        .into_iter()
        .map(|(path, (display, original))| {
            let fixed = request
                .texts
                .remove(&path)
                .unwrap_or_else(|| original.clone());
            ChangedFile {
                path,
                display,
                original,
                fixed,
            }
        })
        .filter(|file| file.fixed != file.original)
        .collect();
    Fixed { changed, fixes }
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
    /// Files left alone, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Writes every changed file atomically (a temporary file in the same folder,
/// then a rename), keeping its permissions; a file whose bytes are no longer
/// the text that was checked (changed meanwhile, or not valid UTF-8) is skipped.
pub fn write_all(fixed: &Fixed) -> Written {
    let mut written = Written::default();
    for file in &fixed.changed {
        match write_one(file) {
            Ok(()) => written.files += 1,
            Err(reason) => written.skipped.push((file.display.clone(), reason)),
        }
    }
    written
}

fn write_one(file: &ChangedFile) -> Result<(), String> {
    let current = std::fs::read(&file.path).map_err(|error| error.to_string())?;
    if current != file.original.as_bytes() {
        return Err("it changed since it was read, or is not valid UTF-8".into());
    }
    let permissions = std::fs::metadata(&file.path)
        .map_err(|error| error.to_string())?
        .permissions();
    let folder = file.path.parent().unwrap_or(Path::new("."));
    let mut temporary =
        tempfile::NamedTempFile::new_in(folder).map_err(|error| error.to_string())?;
    temporary
        .write_all(file.fixed.as_bytes())
        .map_err(|error| error.to_string())?;
    temporary
        .as_file()
        .sync_all()
        .map_err(|error| error.to_string())?;
    std::fs::set_permissions(temporary.path(), permissions).map_err(|error| error.to_string())?;
    temporary
        .persist(&file.path)
        .map_err(|error| error.error.to_string())?;
    Ok(())
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
            message: String::new(),
            help: None,
            file: 0,
            span: span.clone(),
            entry: None,
            related: Vec::new(),
            fix: Some(Fix {
                applicability,
                edits: vec![Edit {
                    span,
                    replacement: replacement.to_string().into(),
                }],
            }),
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
}
