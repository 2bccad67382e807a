//! `--changed-since REV` in a real git repository: deleting an entry that three
//! others link to reports those three links and nothing unrelated; renaming a
//! heading does the same for `#anchor` links.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;

fn git(dir: &Path, args: &[&str]) {
    let status = Process::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn entry(term: &str, body: &str) -> String {
    format!("---\nterm: {term}\n---\n{body}\n")
}

fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "glosslint.toml",
        "[files]\nentries = [\"entries/**/*.md\"]\n\n[rules]\nshort-body = \"off\"\n",
    );
    write(
        root,
        "entries/adam.md",
        &entry("adam optimizer", "# Adam\n\n## Update rule\n\nMoments."),
    );
    write(
        root,
        "entries/a.md",
        &entry("alpha", "Uses [[adam optimizer]]."),
    );
    write(
        root,
        "entries/b.md",
        &entry("beta", "Uses [Adam](adam.md)."),
    );
    write(
        root,
        "entries/c.md",
        &entry("gamma", "See also [[adam optimizer#Update rule]]."),
    );
    write(
        root,
        "entries/d.md",
        &entry("delta", "Links [[nothing here]], an old unrelated break."),
    );
    write(
        root,
        "entries/e.md",
        &entry("epsilon", "Reads [the rule](adam.md#update-rule)."),
    );
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "start"]);
    dir
}

fn check(root: &Path, revision: &str) -> assert_cmd::assert::Assert {
    Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(root)
        .args([
            "check",
            "--format",
            "concise",
            "--quiet",
            "--changed-since",
            revision,
        ])
        .assert()
}

#[test]
fn deleting_an_entry_reports_the_links_it_broke_and_nothing_unrelated() {
    let dir = repository();
    std::fs::remove_file(dir.path().join("entries/adam.md")).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "delete adam"]);
    let out = check(dir.path(), "HEAD~1")
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("entries/a.md:4:6: error[broken-reference] `[[adam optimizer]]`"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("entries/b.md:4:6: error[broken-reference] `(adam.md)`"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("entries/c.md:4:10: error[broken-reference]"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("entries/e.md:4:7: error[broken-reference]"),
        "{text}"
    );
    assert!(
        !text.contains("d.md"),
        "the old break in d.md is unrelated: {text}"
    );
}

#[test]
fn renaming_a_heading_reports_the_anchor_links() {
    let dir = repository();
    write(
        dir.path(),
        "entries/adam.md",
        &entry("adam optimizer", "# Adam\n\n## The update\n\nMoments."),
    );
    git(dir.path(), &["commit", "-q", "-am", "rename heading"]);
    check(dir.path(), "HEAD~1")
        .code(1)
        .stdout(predicate::str::contains(
            "entries/c.md:4:10: error[broken-anchor]",
        ))
        .stdout(predicate::str::contains(
            "entries/e.md:4:7: error[broken-anchor]",
        ))
        .stdout(predicate::str::contains("a.md").not())
        .stdout(predicate::str::contains("d.md").not());
}

#[test]
fn an_unchanged_tree_reports_nothing_and_bad_revisions_fail() {
    let dir = repository();
    check(dir.path(), "HEAD").code(0).stdout("");
    check(dir.path(), "no-such-rev")
        .code(2)
        .stderr(predicate::str::contains("`no-such-rev` is not a commit"));
    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "glosslint.toml", "");
    // Outside any git repository, the message says so.
    check(plain.path(), "HEAD")
        .code(2)
        .stderr(predicate::str::contains(
            "--changed-since needs a git repository",
        ));
}

/// Issue 15.11: one changed file whose name is not UTF-8 failed the whole
/// run (exit 2, no findings); it is checked like the others, old version
/// included, and the other changed files are still reported.
#[cfg(unix)]
#[test]
fn a_changed_file_whose_name_is_not_utf8_does_not_fail_the_others() {
    use std::os::unix::ffi::OsStrExt;
    let dir = repository();
    let odd = dir
        .path()
        .join("entries")
        .join(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
    std::fs::write(&odd, entry("cafe", "Brews [[nowhere at all]].")).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "an odd name"]);
    // Modified (old version read from git), and a second file changed.
    std::fs::write(&odd, entry("cafe", "Brews [[nowhere at all]], twice.")).unwrap();
    write(
        dir.path(),
        "entries/a.md",
        &entry("alpha", "Uses [[no such term]]."),
    );
    let out = check(dir.path(), "HEAD")
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("entries/a.md:4:6: error[broken-reference] `[[no such term]]`"),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|line| line.starts_with("entries/caf") && line.contains("`[[nowhere at all]]`")),
        "{text}"
    );
    // Untracked, never committed.
    let fresh = dir
        .path()
        .join("entries")
        .join(std::ffi::OsStr::from_bytes(b"new\xff.md"));
    std::fs::write(&fresh, entry("fresh", "Points at [[gone away]].")).unwrap();
    let out = check(dir.path(), "HEAD")
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("`[[gone away]]`"), "{text}");
    assert!(text.contains("`[[no such term]]`"), "{text}");
}

#[test]
fn dropping_a_hugo_alias_reports_the_links_that_went_through_it() {
    // `/faq` was a page's Hugo `aliases:`; once the page drops it, the link
    // to `/faq` is broken by that change, and the old break stays unreported.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "glosslint.toml",
        "[files]\nentries = [\"content/**/*.md\"]\n\n[rules]\nshort-body = \"off\"\n",
    );
    let faq = |aliases: &str| {
        format!("---\nterm: Dockershim FAQ\naliases: [{aliases}]\n---\nQuestions and answers.\n")
    };
    write(
        root,
        "content/blog/faq-2022.md",
        &faq("'/faq', shim questions"),
    );
    write(
        root,
        "content/shim.md",
        &entry("dockershim", "Read [the FAQ](/faq) and [[nothing here]]."),
    );
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "start"]);
    let clean = check(root, "HEAD").code(0).get_output().stdout.clone();
    assert_eq!(String::from_utf8(clean).unwrap(), "");
    write(root, "content/blog/faq-2022.md", &faq("shim questions"));
    git(root, &["commit", "-q", "-am", "drop the alias"]);
    let out = check(root, "HEAD~1").code(1).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("content/shim.md:4:6: error[broken-reference] `(/faq)`"),
        "{text}"
    );
}
