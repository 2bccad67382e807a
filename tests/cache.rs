//! The cache in `.glosslint_cache/`: same findings as a cold run, invalidated by
//! content and by configuration, never used with `--no-cache`.

use std::path::Path;

use assert_cmd::Command;

fn glosslint(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .args(["check", "--format", "concise", "--quiet"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[files]\nentries = [\"entries/*.md\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("entries")).unwrap();
    std::fs::write(
        dir.path().join("entries/a.md"),
        "---\nterm: alpha\n---\nShort. See [[beta]].\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("entries/b.md"),
        "---\nterm: gamma\n---\nAlso short.\n",
    )
    .unwrap();
    dir
}

#[test]
fn a_warm_run_reports_what_a_cold_run_does() {
    let dir = project();
    let cold = glosslint(dir.path(), &["--no-cache"]);
    assert!(
        !dir.path().join(".glosslint_cache").exists(),
        "--no-cache writes nothing"
    );
    let first = glosslint(dir.path(), &[]);
    assert_eq!(first, cold);
    let cache = dir.path().join(".glosslint_cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    assert_eq!(glosslint(dir.path(), &[]), cold);
    // A staged file judged from the cache still sees the whole corpus.
    assert_eq!(
        glosslint(dir.path(), &["entries/a.md"]),
        cold.lines()
            .filter(|l| l.starts_with("entries/a.md"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
}

#[test]
fn content_and_configuration_changes_invalidate_it() {
    let dir = project();
    let before = glosslint(dir.path(), &[]);
    assert!(before.contains("[[beta]]"), "{before}");
    // Same size, new content: the content hash decides.
    std::fs::write(
        dir.path().join("entries/b.md"),
        "---\nterm: beta.\n---\nAlso short.\n",
    )
    .unwrap();
    let after = glosslint(dir.path(), &[]);
    assert!(!after.contains("[[beta]]` resolves"), "{after}");
    assert_eq!(after, glosslint(dir.path(), &["--no-cache"]));
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[files]\nentries = [\"entries/*.md\"]\n\n[rules]\nshort-body = \"off\"\n",
    )
    .unwrap();
    let reconfigured = glosslint(dir.path(), &[]);
    assert!(!reconfigured.contains("short-body"), "{reconfigured}");
    assert_eq!(reconfigured, glosslint(dir.path(), &["--no-cache"]));
}

#[test]
fn a_corrupt_cache_is_ignored() {
    let dir = project();
    let cold = glosslint(dir.path(), &["--no-cache"]);
    std::fs::create_dir(dir.path().join(".glosslint_cache")).unwrap();
    std::fs::write(
        dir.path().join(".glosslint_cache/cache.bin"),
        b"not a cache",
    )
    .unwrap();
    assert_eq!(glosslint(dir.path(), &[]), cold);
}
