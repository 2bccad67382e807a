//! The hooks as pre-commit runs them, with the real `pre-commit` tool: a clean
//! commit (with a README and a requirements.txt staged beside the entries)
//! passes; a commit adding a duplicate term is blocked with the diagnostic
//! shown. Both hooks: `glosslint` (`language: rust`) and `glosslint-wheel`
//! (`language: python`, the maturin wheel). Needs `pre-commit` (installed by
//! `.ci/run`) and this repository's HEAD (pre-commit clones the hook
//! repository at a revision).

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, program: &str, args: &[&str], home: &Path) -> Output {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("PRE_COMMIT_HOME", home)
        // The wheel hook's pip build: maturin in the dev profile. The hooks'
        // builds share one target folder of their own (kept between runs), so
        // they never overwrite the binary the other tests run.
        .env("MATURIN_PEP517_ARGS", "--profile dev")
        .env("CARGO_TARGET_DIR", here.join("target/hook-build"))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .unwrap_or_else(|error| panic!("{program}: {error}"))
}

fn available(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[test]
fn the_rust_hook_blocks_a_commit_that_adds_a_duplicate_term() {
    hook_blocks_a_commit_that_adds_a_duplicate_term("glosslint");
}

#[test]
fn the_wheel_hook_blocks_a_commit_that_adds_a_duplicate_term() {
    hook_blocks_a_commit_that_adds_a_duplicate_term("glosslint-wheel");
}

fn hook_blocks_a_commit_that_adds_a_duplicate_term(hook: &str) {
    let required = std::env::var_os("GLOSSLINT_REQUIRE_PRE_COMMIT").is_some();
    if !available("pre-commit") {
        assert!(!required, "pre-commit is required here but not installed");
        eprintln!("skipped: pre-commit is not installed (`.ci/run` installs it)");
        return;
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = Command::new("git")
        .current_dir(here)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    if !head.status.success() {
        assert!(!required, "the hook repository has no commit");
        eprintln!(
            "skipped: {} is not a git repository with a commit",
            here.display()
        );
        return;
    }
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    // pre-commit builds the hook once per revision; keep its cache between runs.
    let home = here.join("target/pre-commit-home");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("glosslint.toml"),
        "[files]\nentries = [\"entries/**/*.md\"]\n\n[rules]\nshort-body = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: {hook}\n",
            here.display()
        ),
    )
    .unwrap();
    std::fs::create_dir(root.join("entries")).unwrap();
    std::fs::write(
        root.join("entries/acid.md"),
        "---\nterm: Acid Recovery\n---\nReclaims spent acids.\n",
    )
    .unwrap();
    std::fs::write(root.join("README.md"), "# Not an entry\n").unwrap();
    // The hook's `files` pattern hands it any `.txt`: outside [files], skipped.
    std::fs::write(root.join("requirements.txt"), "serde==1.0\n").unwrap();
    assert!(run(root, "git", &["init", "-q", "-b", "main"], &home)
        .status
        .success());
    assert!(run(root, "pre-commit", &["install"], &home)
        .status
        .success());
    assert!(run(root, "git", &["add", "."], &home).status.success());
    let clean = run(root, "git", &["commit", "-q", "-m", "clean"], &home);
    assert!(
        clean.status.success(),
        "a clean commit must pass:\n{}{}",
        String::from_utf8_lossy(&clean.stdout),
        String::from_utf8_lossy(&clean.stderr)
    );
    std::fs::write(
        root.join("entries/acid-2.md"),
        "---\nterm: acid recovery\n---\nA second definition.\n",
    )
    .unwrap();
    assert!(run(root, "git", &["add", "entries/acid-2.md"], &home)
        .status
        .success());
    let blocked = run(root, "git", &["commit", "-q", "-m", "duplicate"], &home);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&blocked.stdout),
        String::from_utf8_lossy(&blocked.stderr)
    );
    assert!(
        !blocked.status.success(),
        "the duplicate must be blocked:\n{shown}"
    );
    assert!(
        shown.contains("entries/acid-2.md:2:7: error[duplicate-term]"),
        "{shown}"
    );
    assert!(
        !shown
            .lines()
            .any(|line| line.starts_with("entries/acid.md:")),
        "only the staged file is reported:\n{shown}"
    );
}
