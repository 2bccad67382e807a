//! The binary as a user runs it: formats, exit status, configuration errors,
//! suppressions, import and init.

mod common;

use common::project;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn glosslint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("glosslint").unwrap();
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    command
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_0599fd0ebb462db5.txt")
}

const GOOD: &str = "---\nterm: Acid Recovery\n---\nAcid recovery is the reclamation of spent acids from process streams for reuse or value recovery, which lowers raw acid consumption and the treatment burden of the plant.\n";

#[test]
fn clean_corpus_exits_zero_with_a_summary() {
    let dir = project(&[("entries/acid.md", GOOD)]);
    glosslint(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Checked 1 file (1 entry): 0 errors, 0 warnings",
        ));
}

#[test]
fn errors_exit_one_and_warnings_only_past_max_warnings() {
    let short = "---\nterm: Acid\n---\nToo short.\n";
    let dir = project(&[("a.md", short)]);
    glosslint(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("warning"));
    glosslint(dir.path())
        .args(["--max-warnings", "0"])
        .assert()
        .code(1);
    let dir = project(&[("a.md", "---\ntags: [x]\n---\nNo term here.\n")]);
    glosslint(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("missing-term"));
}

#[test]
fn concise_lines_point_into_the_dump() {
    glosslint(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "--format", "concise", "--select", "duplicate-term"])
        .arg(seed())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "tests/fixtures/seed/000_0599fd0ebb462db5.txt:1149:1: error[duplicate-term] term `adam optimizer` is also defined by another entry",
        ));
}

#[test]
fn json_has_exactly_the_documented_fields() {
    let out = glosslint(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "--format", "json", "--select", "duplicate-term"])
        .arg(seed())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["version"], 1);
    let summary = json["summary"].as_object().unwrap();
    let keys: Vec<_> = summary.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["entries", "errors", "files", "fixable", "infos", "warnings"]
    );
    assert_eq!(json["summary"]["entries"], 50);
    assert_eq!(json["summary"]["errors"], 18);
    let first = &json["diagnostics"][0];
    let mut fields: Vec<_> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "column",
            "end_column",
            "end_line",
            "entry",
            "fix",
            "help",
            "length",
            "level",
            "line",
            "message",
            "offset",
            "path",
            "related",
            "rule"
        ]
    );
    assert_eq!(first["entry"], "acid neutralization");
    assert_eq!(first["line"], 19);
    assert_eq!(first["end_column"], 20);
    assert_eq!(first["length"], 19);
    assert_eq!(first["related"][0]["line"], 37);
    assert!(first["fix"].is_null());
}

#[test]
fn fancy_draws_the_span_and_its_twin_without_colour_off_a_terminal() {
    let out = glosslint(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "--select", "duplicate-term"])
        .arg(seed())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("duplicate-term"));
    assert!(text.contains("also defined here"));
    assert!(text.contains("000_0599fd0ebb462db5.txt:19:1]"));
    assert!(
        !text.contains('\u{1b}'),
        "no ANSI colour when stdout is not a terminal"
    );
    let coloured = glosslint(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "--select", "duplicate-term", "--color", "always"])
        .arg(seed())
        .output()
        .unwrap();
    assert!(String::from_utf8(coloured.stdout)
        .unwrap()
        .contains('\u{1b}'));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        glosslint(Path::new(env!("CARGO_MANIFEST_DIR")))
            .args(["check", "--format", "json", "--threads", threads])
            .output()
            .unwrap()
            .stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
    assert_eq!(one, run("8"));
}

#[test]
fn bad_configuration_points_at_the_toml_span_with_a_suggestion() {
    let dir = project(&[
        ("glosslint.toml", "[files]\nentires = [\"**/*.md\"]\n\n[rules]\nshort-bdy = \"off\"\nempty-body = \"loud\"\n"),
        ("a.md", GOOD),
    ]);
    glosslint(dir.path())
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown key `entires`"))
        .stderr(predicate::str::contains("did you mean `entries`?"))
        .stderr(predicate::str::contains("glosslint.toml:2:1"))
        .stderr(predicate::str::contains("unknown rule `short-bdy`"))
        .stderr(predicate::str::contains("did you mean `short-body`?"))
        .stderr(predicate::str::contains("`loud` is not one of"));
}

#[test]
fn configuration_is_found_walking_up_and_overrides_apply() {
    let dir = project(&[
        ("glosslint.toml", "[files]\nentries = [\"entries/**/*.md\"]\n\n[rules]\nshort-body = { level = \"error\", min-words = 5 }\n\n[[overrides]]\nfiles = [\"entries/drafts/**\"]\nrules = { short-body = \"off\" }\n"),
        ("entries/a.md", "---\nterm: A\n---\nOne two three.\n"),
        ("entries/drafts/b.md", "---\nterm: B\n---\nOne two.\n"),
        ("notes/c.md", "not part of the corpus"),
    ]);
    glosslint(&dir.path().join("entries/drafts"))
        .args(["--format", "concise"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("../a.md:1:1: error[short-body]")
                .or(predicate::str::contains("a.md:2:7: error[short-body]")),
        )
        .stdout(predicate::str::contains("b.md").not())
        .stdout(predicate::str::contains("c.md").not());
}

#[test]
fn unreadable_paths_are_reported_and_the_rest_is_checked() {
    let dir = project(&[("a.md", "---\ntags: [x]\n---\nNo term.\n")]);
    glosslint(dir.path())
        .args(["check", "missing.md", "a.md", "--format", "concise"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read missing.md: no such file or folder",
        ))
        .stdout(predicate::str::contains("a.md:1:1: error[missing-term]"));
}

#[test]
fn hostile_files_get_diagnostics_not_panics() {
    let dir = project(&[
        ("empty.md", ""),
        ("only-fence.md", "---"),
        ("broken.md", "---\nterm: [unclosed\n---\nBody\n"),
        (
            "crlf.md",
            "\u{feff}---\r\nterm: CRLF\r\n---\r\n**CRLF** is fine.\r\n",
        ),
    ]);
    std::fs::write(
        dir.path().join("latin1.md"),
        b"---\nterm: Caf\xe9\n---\nBody \xff.\n",
    )
    .unwrap();
    let out = glosslint(dir.path())
        .args(["--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("empty.md:1:1: error[missing-term]"), "{text}");
    assert!(
        text.contains("only-fence.md:1:1: error[malformed-entry]"),
        "{text}"
    );
    assert!(
        text.contains("broken.md:") && text.contains("front matter is not valid YAML"),
        "{text}"
    );
    assert!(
        text.contains("latin1.md:2:10: error[control-character] 1 byte(s) of invalid UTF-8"),
        "{text}"
    );
    assert!(
        !text
            .lines()
            .any(|line| line.starts_with("crlf.md") && line.contains("error")),
        "{text}"
    );
}

#[test]
fn suppressions_hide_findings_and_unused_ones_are_reported() {
    let dir = project(&[
        (
            "a.md",
            "---\nterm: A\n---\n<!-- glosslint-disable-file short-body -->\nShort.\n",
        ),
        (
            "b.md",
            "---\nterm: B\n---\n<!-- glosslint-disable-next-line empty-body -->\nShort too.\n",
        ),
    ]);
    glosslint(dir.path())
        .args(["--format", "concise"])
        .assert()
        .stdout(predicate::str::contains("a.md").not())
        .stdout(predicate::str::contains(
            "b.md:4:34: warning[unused-suppression]",
        ))
        .stdout(predicate::str::contains("b.md:2:7: warning[short-body]"));
}

#[test]
fn select_and_ignore_take_rules_and_families() {
    let dir = project(&[("a.md", "---\ntags: [x]\n---\nShort.\n")]);
    glosslint(dir.path())
        .args(["--select", "duplicates", "--format", "concise"])
        .assert()
        .code(0);
    glosslint(dir.path())
        .args(["--ignore", "missing-term", "--format", "concise"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("short-body"));
    glosslint(dir.path())
        .args(["--select", "missing-trem"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `missing-term`?"));
}

#[test]
fn stdin_is_linted_as_the_named_file_against_the_corpus() {
    let dir = project(&[("entries/acid.md", GOOD)]);
    glosslint(dir.path())
        .args(["check", "--stdin-filename", "entries/new.md", "--format", "concise"])
        .write_stdin("---\nterm: acid recovery\n---\nA second definition of a term that already exists in the corpus, long enough to pass the length check easily.\n")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("entries/new.md:2:7: error[duplicate-term]"))
        .stdout(predicate::str::contains("entries/acid.md").not());
}

#[test]
fn named_staged_file_is_judged_against_the_whole_corpus() {
    let dir = project(&[
        (
            "glosslint.toml",
            "[files]\nentries = [\"entries/**/*.md\"]\nexclude = [\"entries/drafts/**\"]\n",
        ),
        ("entries/acid.md", GOOD),
        ("entries/staged.md", GOOD),
        ("entries/drafts/x.md", "---\ntags: [x]\n---\nNo term.\n"),
    ]);
    glosslint(dir.path())
        .args([
            "check",
            "entries/staged.md",
            "entries/drafts/x.md",
            "--format",
            "concise",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "entries/staged.md:2:7: error[duplicate-term]",
        ))
        .stdout(predicate::str::contains("entries/acid.md:").not())
        .stdout(predicate::str::contains("drafts").not());
}

#[test]
fn rules_lists_every_rule_and_rule_prints_its_documentation() {
    let dir = tempfile::tempdir().unwrap();
    glosslint(dir.path())
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "duplicate-term         duplicates  error",
        ));
    let out = glosslint(dir.path())
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .any(|rule| rule["id"] == "short-body" && rule["options"][0]["name"] == "min-words"));
    glosslint(dir.path())
        .args(["rule", "short-body"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## Why is this bad?"))
        .stdout(predicate::str::contains("`min-words`"));
    glosslint(dir.path())
        .args(["rule", "short-bod"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `short-body`?"));
}

#[test]
fn import_splits_the_seed_byte_for_byte_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    glosslint(dir.path())
        .args(["import", "--out", "entries", "--dry-run"])
        .arg(seed())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "would write entries/acid-neutralization-2.md (acid neutralization)",
        ));
    assert!(!dir.path().join("entries").exists());
    glosslint(dir.path())
        .args(["import", "--out", "entries"])
        .arg(seed())
        .assert()
        .code(0);
    let files = std::fs::read_dir(dir.path().join("entries"))
        .unwrap()
        .count();
    assert_eq!(files, 50);
    // Bodies, concatenated after their header lines, give back the dump.
    let dump = std::fs::read_to_string(seed()).unwrap();
    let imported = std::fs::read_to_string(dir.path().join("entries/adam-optimizer-2.md")).unwrap();
    let body = imported.splitn(3, "---\n").nth(2).unwrap();
    assert!(dump.ends_with(&format!("adam optimizer,model training\n{body}")));
    glosslint(dir.path())
        .args(["import", "--out", "entries"])
        .arg(seed())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    glosslint(dir.path())
        .args(["import", "--out", "entries", "--force"])
        .arg(seed())
        .assert()
        .code(0);
}

#[test]
fn init_writes_a_working_starter_configuration() {
    let dir = project(&[("entries/acid.md", GOOD)]);
    glosslint(dir.path()).arg("init").assert().code(0);
    assert!(dir.path().join("glosslint.toml").is_file());
    assert!(dir.path().join("rules/templates.toml").is_file());
    glosslint(dir.path()).assert().code(0);
    glosslint(dir.path()).arg("init").assert().code(2);
}
