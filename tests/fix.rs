//! `--fix` and `--diff` on a copy of the seed: every certain repair is made,
//! a second run finds nothing more to fix, and `--diff` writes nothing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
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
