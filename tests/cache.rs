//! The cache in `.glosslint_cache/`: same findings as a cold run, invalidated by
//! content and by configuration, never used with `--no-cache`.

use std::path::Path;

use assert_cmd::Command;

mod common;
#[path = "common/forged.rs"]
mod forged;

use forged::set_modified;

fn glosslint(dir: &Path, args: &[&str]) -> String {
    in_format(dir, "concise", &[&["--quiet"], args].concat())
}

fn in_format(dir: &Path, format: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .args(["check", "--color", "never", "--format", format])
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
    // Every part of it: a run answer whose lengths point past its end, a
    // journal of garbage.
    let mut run = u64::MAX.to_le_bytes().to_vec();
    run.extend_from_slice(b"garbage");
    std::fs::write(dir.path().join(".glosslint_cache/run.bin"), run).unwrap();
    std::fs::write(
        dir.path().join(".glosslint_cache/cache.journal.bin"),
        [0xff; 64],
    )
    .unwrap();
    assert_eq!(glosslint(dir.path(), &[]), cold);
    assert_eq!(glosslint(dir.path(), &["entries/a.md"]), {
        cold.lines()
            .filter(|line| line.starts_with("entries/a.md"))
            .map(|line| format!("{line}\n"))
            .collect::<String>()
    });
}

fn json(dir: &Path, args: &[&str]) -> String {
    in_format(dir, "json", args)
}

/// A project whose duplicate's twin lies in another file, lines down.
fn project_with_twins() -> tempfile::TempDir {
    let dir = project();
    std::fs::write(
        dir.path().join("entries/c.md"),
        "---\nterm: Alpha\n---\n\nLine one.\n\nSee [[nowhere]]. Ünïcode first, then [[delta]].\n",
    )
    .unwrap();
    dir
}

#[test]
fn an_unchanged_run_is_answered_from_the_run_cache() {
    let dir = project_with_twins();
    let cold = json(dir.path(), &["--no-cache"]);
    assert!(cold.contains("duplicate-term"), "{cold}");
    assert_eq!(json(dir.path(), &[]), cold);
    assert!(dir.path().join(".glosslint_cache/run.bin").exists());
    assert_eq!(json(dir.path(), &[]), cold);
}

/// Issue 15, case 1: same size, same modification time (set back as `touch
/// -r` does), other bytes (a line break moved, so the line numbers differ,
/// and another link). The status-change time moved, so neither the run
/// cache nor the per-file cache may answer from the stamp.
#[test]
fn an_edit_that_keeps_size_and_modification_time_is_seen() {
    let dir = project_with_twins();
    let cold = json(dir.path(), &["--no-cache"]);
    assert_eq!(json(dir.path(), &[]), cold);
    let path = dir.path().join("entries/c.md");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text
        .replace("one.\n\nSee", "one. \nSee")
        .replace("nowhere", "NOWHERE");
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, edited).unwrap();
    set_modified(&path, modified);
    let fresh = json(dir.path(), &[]);
    assert!(fresh.contains("NOWHERE"), "{fresh}");
    assert_eq!(fresh, json(dir.path(), &["--no-cache"]));
    // And once more, now that the per-file cache holds the new text.
    assert_eq!(json(dir.path(), &[]), fresh);
}

#[test]
fn staged_files_and_drawn_reports_from_the_run_cache_match_a_cold_run() {
    let dir = project_with_twins();
    let _ = json(dir.path(), &[]);
    for args in [
        &["entries/a.md"][..],
        &["entries/c.md"][..],
        &["entries/a.md", "entries/c.md"][..],
    ] {
        let cold = json(dir.path(), &[&["--no-cache"], args].concat());
        assert_eq!(json(dir.path(), args), cold, "{args:?}");
    }
    for format in ["fancy", "sarif", "concise", "github", "junit"] {
        let run = |extra: &[&str]| in_format(dir.path(), format, &[&["--quiet"], extra].concat());
        assert_eq!(run(&[]), run(&["--no-cache"]), "{format}");
    }
}

#[test]
fn a_few_edits_go_to_the_journal_and_many_rewrite_the_base() {
    let dir = project();
    for index in 0..100 {
        std::fs::write(
            dir.path().join(format!("entries/t{index}.md")),
            format!(
                "---\nterm: term {index}\n---\nA body that says something about term {index}.\n"
            ),
        )
        .unwrap();
    }
    let cold = glosslint(dir.path(), &["--no-cache"]);
    assert_eq!(glosslint(dir.path(), &[]), cold);
    let cache = dir.path().join(".glosslint_cache");
    let base = std::fs::read(cache.join("cache.bin")).unwrap();
    assert!(!cache.join("cache.journal.bin").exists());
    let edit = |index: usize| {
        std::fs::write(
            dir.path().join(format!("entries/t{index}.md")),
            format!("---\nterm: term {index}\n---\nShort.\n"),
        )
        .unwrap();
    };
    edit(1);
    // A whole run (a staged one is answered from the index snapshot and
    // leaves the per-file cache alone).
    let edited = glosslint(dir.path(), &[]);
    assert!(edited.contains("short-body"), "{edited}");
    assert_eq!(edited, glosslint(dir.path(), &["--no-cache"]));
    assert!(cache.join("cache.journal.bin").exists());
    assert_eq!(std::fs::read(cache.join("cache.bin")).unwrap(), base);
    // The journal is read back: a full run agrees with a cold one.
    assert_eq!(
        glosslint(dir.path(), &[]),
        glosslint(dir.path(), &["--no-cache"])
    );
    for index in 2..5 {
        edit(index);
    }
    assert_eq!(
        glosslint(dir.path(), &[]),
        glosslint(dir.path(), &["--no-cache"])
    );
    assert!(!cache.join("cache.journal.bin").exists());
    assert_ne!(std::fs::read(cache.join("cache.bin")).unwrap(), base);
}

/// Issue 15, case 2: a configuration key no hand-kept list named (the
/// routes of site links) changes the answer, so it changes the key.
#[test]
fn a_changed_route_is_a_changed_configuration() {
    let config = |dir: &str| {
        format!(
            "[files]\nentries = [\"content/**/*.md\"]\n\n[rules]\nshort-body = \"off\"\n\n\
             [[references.routes]]\nprefix = \"/es/\"\ndir = \"{dir}\"\n"
        )
    };
    let dir = common::project(&[
        ("glosslint.toml", config("content/es")),
        (
            "content/es/alpha.md",
            "---\nterm: alfa\n---\nVéase [beta](/es/beta/).\n".into(),
        ),
        (
            "content/es/beta.md",
            "---\nterm: beta\n---\nVéase [alfa](/es/alpha/).\n".into(),
        ),
    ]);
    let before = glosslint(dir.path(), &[]);
    assert!(!before.contains("broken-reference"), "{before}");
    std::fs::write(dir.path().join("glosslint.toml"), config("content/zz")).unwrap();
    let after = glosslint(dir.path(), &[]);
    assert_eq!(after.matches("broken-reference").count(), 2, "{after}");
    assert_eq!(after, glosslint(dir.path(), &["--no-cache"]));
}

/// A file under `rules/` that no configuration reads today keys the cache
/// too: whatever reads it tomorrow cannot be answered from an old run.
#[test]
fn any_file_under_rules_keys_the_cache() {
    let dir = project();
    let _ = glosslint(dir.path(), &[]);
    let key = |dir: &Path| std::fs::read(dir.join(".glosslint_cache/run.bin")).unwrap();
    let before = key(dir.path());
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/notes.txt"), "kept here\n").unwrap();
    let _ = glosslint(dir.path(), &[]);
    assert_ne!(key(dir.path())[..64], before[..64]);
}

/// Issue 15, case 3: a link to a file that is not an entry (excluded) is
/// accepted while the file exists; once it is gone the cached run must say
/// so as `--no-cache` does.
#[test]
fn a_link_target_outside_the_corpus_is_checked_again() {
    let dir = common::project(&[
        (
            "glosslint.toml",
            "[files]\nentries = [\"entries/**/*.md\"]\nexclude = [\"**/_index.md\"]\n",
        ),
        (
            "entries/a.md",
            "---\nterm: alpha\n---\nSee [s](sub/_index.md).\n",
        ),
        ("entries/sub/_index.md", "---\ntitle: Sub\n---\n"),
    ]);
    let before = glosslint(dir.path(), &[]);
    assert!(!before.contains("broken-reference"), "{before}");
    std::fs::remove_file(dir.path().join("entries/sub/_index.md")).unwrap();
    for args in [&[][..], &["entries/a.md"][..]] {
        let after = glosslint(dir.path(), args);
        assert!(after.contains("broken-reference"), "{args:?}: {after}");
        assert_eq!(
            after,
            glosslint(dir.path(), &[&["--no-cache"], args].concat())
        );
    }
    // And back: the file returns, the finding goes.
    std::fs::write(
        dir.path().join("entries/sub/_index.md"),
        "---\ntitle: Sub\n---\n",
    )
    .unwrap();
    assert!(!glosslint(dir.path(), &[]).contains("broken-reference"));
}

/// Issue 15, case 5: one flipped bit in any stored file (a message in
/// `run.bin`, a link in `cache.bin` or `index.bin`) is caught by its
/// checksum; the run answers as a cold one and rewrites the file.
#[test]
fn a_flipped_bit_in_any_cache_file_is_not_served() {
    for (name, args) in [
        ("run.bin", &[][..]),
        ("cache.bin", &[][..]),
        // Staged a.md: c.md, which defines the same term, is decoded from it.
        ("index.bin", &["entries/a.md"][..]),
    ] {
        let dir = project_with_twins();
        let cold = json(dir.path(), &[&["--no-cache"], args].concat());
        let _ = json(dir.path(), &[]);
        let _ = json(dir.path(), args);
        let cache = dir.path().join(".glosslint_cache");
        // Only the damaged file may answer.
        for other in ["run.bin", "cache.bin", "index.bin"] {
            if other != name {
                let _ = std::fs::remove_file(cache.join(other));
            }
        }
        let path = cache.join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes
            .windows(7)
            .position(|window| window == b"nowhere")
            .unwrap_or_else(|| panic!("{name} holds the link"));
        bytes[at] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(json(dir.path(), args), cold, "{name}");
        assert_ne!(std::fs::read(&path).unwrap(), bytes, "{name} is rebuilt");
        assert_eq!(json(dir.path(), args), cold, "{name}, rebuilt");
    }
}

/// Git's racy rule, case 1 on a coarse clock: a stamp that is not older
/// than the cache file holding it may hide an edit made in the same tick
/// as the check, so the file is read and its hash decides. Here the cache
/// is made to lie (other text's findings under the file's real stamp) and
/// dated back before the file's last change: the lie must not be served.
#[test]
fn a_stamp_not_older_than_the_cache_is_not_trusted() {
    let dir = project();
    forged::store_findings_of_other_text(
        dir.path(),
        "entries/b.md",
        "---\nterm: gamma\n---\nAlso the the short.\n",
    );
    set_modified(
        &dir.path().join(".glosslint_cache/cache.bin"),
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(1),
    );
    let cold = glosslint(dir.path(), &["--no-cache"]);
    assert!(!cold.contains("repeated-word"), "{cold}");
    assert_eq!(glosslint(dir.path(), &[]), cold);
}
