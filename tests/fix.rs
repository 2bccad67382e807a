//! `--fix` and `--diff` on a copy of the seed: every certain repair is made,
//! a second run finds nothing more to fix, and `--diff` writes nothing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "common/forged.rs"]
mod forged;
use predicates::prelude::*;

fn seed_project() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root.join("tests/fixtures/seed/000_0599fd0ebb462db5.txt"),
        dir.path().join("seed.txt"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::copy(
        root.join("rules/templates.toml"),
        dir.path().join("rules/templates.toml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[files]\ndumps = [\"*.txt\"]\n",
    )
    .unwrap();
    dir
}

fn glosslint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("glosslint").unwrap();
    command.current_dir(dir).env_remove("GITHUB_ACTIONS");
    command
}

fn json(dir: &Path) -> serde_json::Value {
    let out = glosslint(dir).args(["--format", "json"]).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn seed_path(dir: &Path) -> PathBuf {
    dir.join("seed.txt")
}

#[test]
fn diff_shows_the_repairs_and_writes_nothing() {
    let dir = seed_project();
    let before = std::fs::read(seed_path(dir.path())).unwrap();
    glosslint(dir.path())
        .arg("--diff")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("--- a/seed.txt"))
        .stdout(predicate::str::contains(
            "+3. **Memory Reduction**: Memory consumption drops from $O(L)$ to $O(\\sqrt{L})$.",
        ));
    assert_eq!(std::fs::read(seed_path(dir.path())).unwrap(), before);
}

#[test]
fn fix_restores_every_certain_backslash_and_converges() {
    let dir = seed_project();
    glosslint(dir.path())
        .arg("--fix")
        .assert()
        .stdout(predicate::str::contains("Fixed "));
    let fixed = std::fs::read_to_string(seed_path(dir.path())).unwrap();
    for repaired in [
        "$O(\\sqrt{L})$",
        "$10 \\times$",
        "$8 \\times$",
        "$\\sqrt{L}$",
    ] {
        assert!(fixed.contains(repaired), "{repaired} not restored");
    }
    let after = json(dir.path());
    for diagnostic in after["diagnostics"].as_array().unwrap() {
        let rule = diagnostic["rule"].as_str().unwrap();
        assert!(
            ![
                "swallowed-block",
                "accidental-heading",
                "table-shape",
                "math-delimiters"
            ]
            .contains(&rule),
            "{rule} left after --fix: {diagnostic}"
        );
        if !diagnostic["fix"].is_null() {
            assert_eq!(
                diagnostic["fix"]["applicability"], "unsafe",
                "a safe fix was left: {diagnostic}"
            );
        }
    }
    // A second run has nothing safe left to do.
    glosslint(dir.path())
        .arg("--diff")
        .assert()
        .code(0)
        .stdout("");
    glosslint(dir.path())
        .arg("--fix")
        .assert()
        .stdout(predicate::str::contains("Fixed 0 findings in 0 files"));
}

#[test]
fn fix_only_inserts_line_breaks_and_backslashes_on_the_seed() {
    let dir = seed_project();
    let before = std::fs::read_to_string(seed_path(dir.path())).unwrap();
    glosslint(dir.path()).arg("--fix").assert().code(1);
    let after = std::fs::read_to_string(seed_path(dir.path())).unwrap();
    // Every original character survives, in order (repairs only add text, or
    // join a formula the lost `\r` had split).
    let mut rest = after.chars().filter(|c| *c != '\n' && *c != '\\');
    for ch in before.chars().filter(|c| *c != '\n' && *c != '\\') {
        assert!(
            rest.by_ref().any(|other| other == ch),
            "character {ch:?} lost"
        );
    }
}

#[test]
fn unsafe_fixes_only_with_the_flag() {
    let dir = seed_project();
    glosslint(dir.path()).arg("--fix").assert().code(1);
    let safe_only = std::fs::read_to_string(seed_path(dir.path())).unwrap();
    glosslint(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .assert()
        .code(1);
    let with_unsafe = std::fs::read_to_string(seed_path(dir.path())).unwrap();
    assert_ne!(safe_only, with_unsafe);
    let remaining = json(dir.path());
    assert!(remaining["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["rule"] != "math-escape"));
}

#[test]
fn files_with_broken_front_matter_are_not_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "---\nterm: [unclosed\n---\nThe the body.\n";
    std::fs::write(dir.path().join("a.md"), broken).unwrap();
    glosslint(dir.path()).arg("--fix").assert().code(1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        broken
    );
}

/// A project of one entry, `entries/a.md`, holding `text`.
fn entry_project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[files]\nentries = [\"entries/*.md\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("entries")).unwrap();
    std::fs::write(dir.path().join("entries/a.md"), text).unwrap();
    dir
}

const REPEATED: &str = "---\nterm: alpha\n---\nAlpha is the the name, precious data.\n";
const SAME_SIZE: &str = "---\nterm: alpha\n---\nAlpha is my precious name, okay data.\n";

/// Issue 15, case 1, as the issue tells it: check, rewrite the entry to
/// text of the same size, set its modification time back, `--fix`. The old
/// finding's offsets must not be applied to the new text.
#[test]
fn fix_after_a_same_size_edit_with_the_old_time_keeps_the_new_text() {
    assert_eq!(REPEATED.len(), SAME_SIZE.len());
    let dir = entry_project(REPEATED);
    let path = dir.path().join("entries/a.md");
    glosslint(dir.path()).assert().code(0);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    std::fs::write(&path, SAME_SIZE).unwrap();
    forged::set_modified(&path, modified);
    glosslint(dir.path()).arg("--fix").assert().code(0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), SAME_SIZE);
}

/// The `--fix` half of case 1: even when the cache holds the findings of
/// other text under the file's current stamp (a stamp that did not move, on
/// a coarse clock), the fixes are computed again on the text read.
#[test]
fn fix_never_applies_findings_of_other_text() {
    use glosslint::config::Config;
    use glosslint::rules::Registry;
    let dir = entry_project(SAME_SIZE);
    let path = dir.path().join("entries/a.md");
    forged::store_findings_of_other_text(dir.path(), "entries/a.md", REPEATED);
    let registry = Registry::builtin();
    let config = Config::load(&dir.path().join("glosslint.toml"), dir.path(), &registry).unwrap();
    let request = glosslint::lint::LintRequest {
        use_cache: true,
        ..Default::default()
    };
    // The check itself is answered by the lie...
    let checked = glosslint::lint::lint(&config, &registry, &request, dir.path());
    assert!(checked
        .diagnostics
        .iter()
        .any(|d| d.rule == "repeated-word"));
    // ...the fixes are not.
    let fixed = glosslint::fix::run_rounds(&config, &registry, &request, dir.path(), false);
    assert!(fixed.changed.is_empty(), "{fixed:?}");
    let written = glosslint::fix::write_all(&fixed, dir.path());
    assert_eq!(written.files, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), SAME_SIZE);
}

/// Issue 15, case 13: a symbolic link inside the project is written through
/// (the link stays a link, its target is fixed); a link out of the project
/// is left alone; a hard link keeps sharing the fixed text; owner, group and
/// mode stay; a read-only file is left alone with a note.
#[cfg(unix)]
#[test]
fn fix_keeps_links_owner_mode_and_read_only_files() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = entry_project(REPEATED);
    let fixed_text = REPEATED.replace("the the", "the");
    let entries = dir.path().join("entries");
    // Through a link inside the project.
    std::fs::create_dir(dir.path().join("store")).unwrap();
    std::fs::write(dir.path().join("store/b.md"), REPEATED).unwrap();
    std::os::unix::fs::symlink("../store/b.md", entries.join("b.md")).unwrap();
    // A link out of the project.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("c.md"), REPEATED).unwrap();
    std::os::unix::fs::symlink(outside.path().join("c.md"), entries.join("c.md")).unwrap();
    // A hard link, outside the corpus globs.
    std::fs::hard_link(entries.join("a.md"), dir.path().join("a-link.md")).unwrap();
    // A group-writable mode, another owner where we may give one.
    std::fs::set_permissions(entries.join("a.md"), std::fs::Permissions::from_mode(0o664)).unwrap();
    let root = is_root(dir.path());
    if root {
        std::os::unix::fs::chown(entries.join("a.md"), Some(4321), Some(4322)).unwrap();
    }
    // Read-only.
    std::fs::write(entries.join("d.md"), REPEATED).unwrap();
    std::fs::set_permissions(entries.join("d.md"), std::fs::Permissions::from_mode(0o444)).unwrap();
    glosslint(dir.path())
        // Named: a walk does not follow links.
        .args(["--fix", "--no-cache", "entries/a.md", "entries/b.md"])
        .args(["entries/c.md", "entries/d.md"])
        .assert()
        .stderr(predicate::str::contains("note: entries/d.md not fixed"))
        .stderr(predicate::str::contains("read-only"))
        .stderr(predicate::str::contains("note: entries/c.md not fixed"))
        .stdout(predicate::str::contains("Fixed 2 findings in 2 files"));
    let metadata = std::fs::metadata(entries.join("a.md")).unwrap();
    assert_eq!(
        std::fs::read_to_string(entries.join("a.md")).unwrap(),
        fixed_text
    );
    assert_eq!(metadata.nlink(), 2, "the hard link is kept");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a-link.md")).unwrap(),
        fixed_text
    );
    assert_eq!(metadata.mode() & 0o777, 0o664);
    if root {
        assert_eq!((metadata.uid(), metadata.gid()), (4321, 4322));
    }
    assert!(std::fs::symlink_metadata(entries.join("b.md"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("store/b.md")).unwrap(),
        fixed_text
    );
    assert_eq!(
        std::fs::read_to_string(outside.path().join("c.md")).unwrap(),
        REPEATED
    );
    assert_eq!(
        std::fs::read_to_string(entries.join("d.md")).unwrap(),
        REPEATED
    );
}

/// Issue 15, case 14: a file that cannot be written is reported by name,
/// the summary counts only what was written, and the run fails (exit 2).
/// Run as an unprivileged user (root may write anywhere) in a folder it may
/// read but not write.
#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_written_fails_the_run() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = entry_project(REPEATED);
    let entries = dir.path().join("entries");
    std::fs::write(entries.join("b.md"), REPEATED).unwrap();
    for folder in [dir.path(), entries.as_path()] {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("glosslint"));
    command
        .current_dir(dir.path())
        .env_remove("GITHUB_ACTIONS")
        .args(["check", "--fix", "--no-cache", "--color", "never"]);
    if is_root(dir.path()) {
        command.uid(65534).gid(65534);
    }
    let out = command.output().unwrap();
    for folder in [dir.path(), entries.as_path()] {
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("error: cannot write entries/a.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: cannot write entries/b.md"),
        "{stderr}"
    );
    assert!(stdout.contains("Fixed 0 findings in 0 files"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(entries.join("a.md")).unwrap(),
        REPEATED
    );
}

/// Issue 15, case 15: "N fixable" counts what `--fix` does; the fixes only
/// `--unsafe-fixes` applies are counted apart.
#[test]
fn the_summary_counts_safe_and_unsafe_fixes_apart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let math = std::fs::read_to_string(root.join("tests/fixtures/rules/math-escape/fail/entry.md"))
        .unwrap();
    let dir = entry_project(&math);
    std::fs::write(dir.path().join("entries/b.md"), REPEATED).unwrap();
    let report = json(dir.path());
    let applicability = |wanted: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|finding| finding["fix"]["applicability"] == wanted)
            .count()
    };
    let (safe, unsafe_only) = (applicability("safe"), applicability("unsafe"));
    assert!(safe > 0 && unsafe_only > 0, "{report}");
    assert_eq!(report["summary"]["fixable"], safe);
    assert_eq!(report["summary"]["unsafe_fixable"], unsafe_only);
    glosslint(dir.path())
        .args(["--format", "concise"])
        .assert()
        .stdout(predicate::str::contains(format!(
            ", {safe} fixable ({unsafe_only} more with --unsafe-fixes)"
        )));
}

/// Whether the tests run as root: the files they make belong to user 0.
#[cfg(unix)]
fn is_root(made_by_us: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(made_by_us).unwrap().uid() == 0
}
