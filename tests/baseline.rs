//! Baselines (SPEC 9) as a user runs them: `--write-baseline` records today's
//! findings, `--baseline` hides them, keyed without lines so edits elsewhere
//! do not resurrect them.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn glosslint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("glosslint").unwrap();
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    command
}

fn write(dir: &Path, path: &str, contents: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// A body long enough for `short-body`, different for each `topic` so that
/// `boilerplate` does not fire.
fn long(topic: &str) -> String {
    format!("The {topic} process is described here in enough words to pass the length rule, and this sentence about {topic} differs from every other entry of the corpus.")
}

/// A project with three old findings: a missing term (a.md), a short body
/// (b.md) and an unfenced code block (c.md).
fn old_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "entries/a.md",
        &format!("---\ntags: [x]\n---\n{}\n", long("alpha")),
    );
    write(
        dir.path(),
        "entries/b.md",
        "---\nterm: Base\n---\nToo short.\n",
    );
    write(
        dir.path(),
        "entries/c.md",
        &format!(
            "---\nterm: Code\n---\n{}\n\n```\nx = 1\n```\n",
            long("gamma")
        ),
    );
    dir
}

fn json(dir: &Path, args: &[&str]) -> (Option<i32>, Value) {
    let out = glosslint(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), json)
}

fn write_baseline(dir: &Path) -> Value {
    glosslint(dir)
        .args(["check", "--write-baseline", "glosslint-baseline.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Wrote 3 findings to the baseline glosslint-baseline.json",
        ));
    serde_json::from_str(&std::fs::read_to_string(dir.join("glosslint-baseline.json")).unwrap())
        .unwrap()
}

#[test]
fn the_baseline_file_is_sorted_keys_without_positions() {
    let dir = old_project();
    let baseline = write_baseline(dir.path());
    assert_eq!(baseline["version"], 1);
    let findings = baseline["findings"].as_array().unwrap();
    let keys: Vec<(&str, &str)> = findings
        .iter()
        .map(|finding| {
            (
                finding["path"].as_str().unwrap(),
                finding["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("entries/a.md", "missing-term"),
            ("entries/b.md", "short-body"),
            ("entries/c.md", "fence-language"),
        ]
    );
    for finding in findings {
        let mut fields: Vec<&str> = finding
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        assert_eq!(fields, ["count", "entry", "message", "path", "rule"]);
    }
    assert_eq!(findings[0]["entry"], Value::Null);
    assert_eq!(findings[1]["entry"], "Base");
    // Writing again gives the same bytes.
    let first = std::fs::read(dir.path().join("glosslint-baseline.json")).unwrap();
    write_baseline(dir.path());
    assert_eq!(
        first,
        std::fs::read(dir.path().join("glosslint-baseline.json")).unwrap()
    );
}

#[test]
fn only_the_new_finding_is_reported_after_lines_move() {
    let dir = old_project();
    write_baseline(dir.path());
    glosslint(dir.path())
        .args([
            "--baseline",
            "glosslint-baseline.json",
            "--format",
            "concise",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("entries/").not())
        .stdout(predicate::str::contains(
            "0 errors, 0 warnings, 0 infos in ",
        ))
        .stdout(predicate::str::contains(
            "; 3 findings hidden by the baseline, 0 stale baseline entries",
        ));

    // Blank lines above every old finding, and one new defect: a second
    // entry without a term.
    write(
        dir.path(),
        "entries/a.md",
        &format!("---\n\ntags: [x]\n\n---\n\n\n{}\n", long("alpha")),
    );
    write(
        dir.path(),
        "entries/b.md",
        "---\n\n\nterm: Base\n---\n\n\nToo short.\n",
    );
    write(
        dir.path(),
        "entries/c.md",
        &format!(
            "---\nterm: Code\n---\n\n\n{}\n\n\n\n```\nx = 1\n```\n",
            long("gamma")
        ),
    );
    write(
        dir.path(),
        "entries/d.md",
        &format!("---\ntags: [y]\n---\n{}\n", long("delta")),
    );

    let out = glosslint(dir.path())
        .args([
            "--baseline",
            "glosslint-baseline.json",
            "--format",
            "concise",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let findings: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("entries/"))
        .collect();
    assert_eq!(
        findings,
        ["entries/d.md:1:1: error[missing-term] entry has no term; help: add `term: ...` to the front matter"],
        "{text}"
    );
    assert!(
        text.contains("1 error, 0 warnings, 0 infos in ")
            && text.contains("; 3 findings hidden by the baseline, 0 stale baseline entries"),
        "{text}"
    );

    let (code, report) = json(dir.path(), &["--baseline", "glosslint-baseline.json"]);
    assert_eq!(code, Some(1));
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["summary"]["baselined"], 3);
    assert_eq!(report["summary"]["stale"], 0);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(report["diagnostics"][0]["path"], "entries/d.md");
}

#[test]
fn a_fixed_finding_leaves_one_stale_baseline_entry() {
    let dir = old_project();
    write_baseline(dir.path());
    write(
        dir.path(),
        "entries/b.md",
        &format!("---\nterm: Base\n---\n{}\n", long("beta")),
    );
    glosslint(dir.path())
        .args([
            "--baseline",
            "glosslint-baseline.json",
            "--format",
            "concise",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "; 2 findings hidden by the baseline, 1 stale baseline entry",
        ));
    let (code, report) = json(dir.path(), &["--baseline", "glosslint-baseline.json"]);
    assert_eq!(code, Some(0));
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["summary"]["stale"], 1);
}

#[test]
fn identical_findings_need_one_baseline_slot_each() {
    let dir = old_project();
    write_baseline(dir.path());
    // A second unfenced block in the same entry: same path, rule, entry and
    // message as the accepted one, so only one of the two is hidden.
    write(
        dir.path(),
        "entries/c.md",
        &format!(
            "---\nterm: Code\n---\n{}\n\n```\nx = 1\n```\n\n```\ny = 2\n```\n",
            long("gamma")
        ),
    );
    let (code, report) = json(dir.path(), &["--baseline", "glosslint-baseline.json"]);
    assert_eq!(code, Some(0));
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{report}");
    assert_eq!(diagnostics[0]["rule"], "fence-language");
    assert_eq!(report["summary"]["baselined"], 3);
    assert_eq!(report["summary"]["warnings"], 1);
}

#[test]
fn json_keeps_its_documented_summary_without_a_baseline() {
    let dir = old_project();
    let (_, report) = json(dir.path(), &[]);
    let keys: Vec<&str> = report["summary"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["entries", "errors", "files", "fixable", "infos", "warnings"]
    );
}

#[test]
fn a_missing_or_malformed_baseline_is_a_failed_run() {
    let dir = old_project();
    glosslint(dir.path())
        .args(["--baseline", "nowhere.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read baseline nowhere.json",
        ));
    for malformed in [
        "not json",
        "{\"version\": 1}",
        "{\"version\": 9, \"findings\": []}",
        "{\"version\": 1, \"findings\": [{\"path\": \"entries/b.md\", \"rule\": \"short-body\", \"line\": 4}]}",
    ] {
        write(dir.path(), "bad.json", malformed);
        glosslint(dir.path())
            .args(["--baseline", "bad.json", "--format", "json"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("error: baseline bad.json:"));
    }
}

/// A project where three entries share a sentence (`boilerplate`) and two
/// share a term (`duplicate-term`), every other body its own.
fn shared_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (file, term) in [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")] {
        write(
            dir.path(),
            &format!("entries/{file}.md"),
            &format!("---\nterm: {term}\n---\n{}\n\n{FILLER}\n", long(file)),
        );
    }
    for file in ["twin-1", "twin-2"] {
        write(
            dir.path(),
            &format!("entries/{file}.md"),
            &format!("---\nterm: Twin\n---\n{}\n", long(file)),
        );
    }
    dir
}

const FILLER: &str =
    "Better methods improve decision reliability, efficiency, and measurable impact everywhere.";

/// The rules and paths of a JSON report's findings.
fn rules_and_paths(report: &Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_string(),
                finding["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn another_copy_of_shared_text_or_a_term_reports_only_the_new_copy() {
    // SPEC 9: no key holds a number another file can change, so a new
    // copy of a block or a term leaves the accepted ones accepted.
    let dir = shared_project();
    glosslint(dir.path())
        .args(["check", "--write-baseline", "glosslint-baseline.json"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Wrote 5 findings to the baseline glosslint-baseline.json",
        ));
    write(
        dir.path(),
        "entries/d.md",
        &format!("---\nterm: Delta\n---\n{}\n\n{FILLER}\n", long("d")),
    );
    write(
        dir.path(),
        "entries/twin-3.md",
        &format!("---\nterm: Twin\n---\n{}\n", long("twin-3")),
    );
    let (code, report) = json(dir.path(), &["--baseline", "glosslint-baseline.json"]);
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(
        rules_and_paths(&report),
        [
            ("boilerplate".to_string(), "entries/d.md".to_string()),
            (
                "duplicate-term".to_string(),
                "entries/twin-3.md".to_string()
            ),
        ],
        "{report}"
    );
    assert_eq!(report["summary"]["baselined"], 5);
    assert_eq!(report["summary"]["stale"], 0);
    // The counts are still told, in the help.
    let (_, full) = json(dir.path(), &[]);
    let helps: Vec<&str> = full["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|finding| finding["help"].as_str())
        .collect();
    assert!(
        helps
            .iter()
            .any(|help| help.starts_with("4 entries share this text")),
        "{helps:?}"
    );
    assert!(
        helps
            .iter()
            .any(|help| help.starts_with("3 entries define this term")),
        "{helps:?}"
    );
}
