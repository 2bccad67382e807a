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
        // The twin is named on the line, never reported itself.
        .stdout(predicate::str::contains("\nentries/acid.md").not())
        .stdout(predicate::str::starts_with("entries/acid.md").not());
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
        .stdout(predicate::str::contains("\nentries/acid.md:").not())
        .stdout(predicate::str::starts_with("entries/acid.md:").not())
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

const CONFIG: &str = "[files]\nentries = [\"entries/**/*.md\"]\n";

#[test]
fn output_format_is_the_flag_and_format_its_alias() {
    let dir = project(&[("entries/a.md", "---\ntags: [x]\n---\nNo term here.\n")]);
    let concise = "entries/a.md:1:1: error[missing-term]";
    for flag in ["--output-format", "--format"] {
        glosslint(dir.path())
            .args(["check", flag, "concise"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(concise));
    }
}

#[test]
fn exit_zero_and_quiet() {
    let dir = project(&[("entries/a.md", "---\ntags: [x]\n---\nNo term here.\n")]);
    glosslint(dir.path())
        .args(["check", "--exit-zero", "-q", "--output-format", "concise"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("error[missing-term]"))
        .stdout(predicate::str::contains("Checked").not());
    // A run that failed still says so.
    glosslint(dir.path())
        .args(["check", "--exit-zero", "missing.md"])
        .assert()
        .code(2);
}

#[test]
fn statistics_prints_only_the_table() {
    let dir = project(&[("entries/a.md", "---\ntags: [x]\n---\nNo term here.\n")]);
    let out = glosslint(dir.path())
        .args(["check", "--statistics", "--output-format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("     1  missing-term"), "{text}");
    assert!(!text.contains("entries/a.md"), "{text}");
    assert!(!text.contains("Checked"), "{text}");
}

#[test]
fn show_files_and_show_settings() {
    let dir = project(&[
        (
            "glosslint.toml",
            "[files]\nentries = [\"entries/**/*.md\"]\n\n[[overrides]]\nfiles = [\"entries/drafts/**\"]\nrules = { short-body = \"off\" }\n",
        ),
        ("entries/acid.md", GOOD),
        ("entries/drafts/b.md", GOOD),
        ("README.md", "# Not an entry\n"),
    ]);
    glosslint(dir.path())
        .args(["check", "--show-files"])
        .assert()
        .code(0)
        .stdout("entries/acid.md\nentries/drafts/b.md\n");
    let out = glosslint(dir.path())
        .args([
            "check",
            "--show-settings",
            "entries/drafts/b.md",
            "README.md",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("configuration = \"glosslint.toml\""),
        "{text}"
    );
    assert!(
        text.contains("# entries/drafts/b.md (entry file)"),
        "{text}"
    );
    assert!(text.contains("# README.md (not in the corpus)"), "{text}");
    let drafts = &text[text.find("# entries/drafts").unwrap()..text.find("# README").unwrap()];
    assert!(
        drafts.contains("short-body = { level = \"off\""),
        "{drafts}"
    );
    let readme = &text[text.find("# README").unwrap()..];
    assert!(
        readme.contains("short-body = { level = \"warning\", min-words = 10 }"),
        "{readme}"
    );
}

#[test]
fn concise_names_the_twin_and_the_suggestion_and_colours_on_request() {
    let dir = project(&[
        ("entries/acid.md", GOOD),
        ("entries/acid-2.md", GOOD),
        (
            "entries/beta.md",
            "---\nterm: Beta\n---\nSee [[acid recovry]] for the reclamation of spent acids, a text long enough for the length rule.\n",
        ),
    ]);
    let out = glosslint(dir.path())
        .args([
            "check",
            "--output-format",
            "concise",
            "--select",
            "duplicate-term,broken-reference",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("entries/acid-2.md:2:7: error[duplicate-term] term `Acid Recovery` is also defined by another entry; also defined here: entries/acid.md:2:7"),
        "{text}"
    );
    assert!(
        text.contains("help: did you mean `Acid Recovery`?"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour off a terminal: {text}");
    let coloured = glosslint(dir.path())
        .args(["check", "--output-format", "concise", "--color", "always"])
        .output()
        .unwrap();
    let coloured = String::from_utf8(coloured.stdout).unwrap();
    assert!(
        coloured.contains("\x1b[1mentries/acid-2.md:2:7:\x1b[0m \x1b[31merror"),
        "{coloured}"
    );
}

#[test]
fn fix_on_standard_input_writes_the_fixed_text_to_standard_output() {
    let dir = project(&[("glosslint.toml", CONFIG), ("entries/acid.md", GOOD)]);
    let input = "---\nterm: Beta\n---\nBeta is the the second letter of the Greek alphabet, used for many things in science and in the naming of stars.\n";
    glosslint(dir.path())
        .args([
            "check",
            "--fix",
            "--stdin-filename",
            "entries/beta.md",
            "--output-format",
            "concise",
        ])
        .write_stdin(input)
        .assert()
        .code(0)
        .stdout(input.replace("the the", "the"))
        .stderr(predicate::str::contains("Checked 1 file"));
    // Nothing was written to disk.
    assert!(!dir.path().join("entries/beta.md").exists());
}

#[test]
fn stdin_outside_the_globs_is_not_an_entry() {
    let dir = project(&[("glosslint.toml", CONFIG), ("entries/acid.md", GOOD)]);
    glosslint(dir.path())
        .args([
            "check",
            "--stdin-filename",
            "README.md",
            "--output-format",
            "concise",
        ])
        .write_stdin("# Project\n\nNo front matter here.\n")
        .assert()
        .code(0)
        .stdout("");
    glosslint(dir.path())
        .args(["check", "--fix", "--stdin-filename", "README.md"])
        .write_stdin("# Project the the\n")
        .assert()
        .code(0)
        .stdout("# Project the the\n");
}

#[test]
fn named_files_outside_the_globs_are_skipped_whatever_their_extension() {
    let dir = project(&[
        ("glosslint.toml", CONFIG),
        ("entries/acid.md", GOOD),
        ("requirements.txt", "serde==1.0\nnot an entry dump\n"),
        ("README.md", "# Project\n"),
    ]);
    glosslint(dir.path())
        .args(["check", "requirements.txt", "README.md", "entries/acid.md"])
        .args(["--output-format", "concise"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("malformed-entry").not())
        .stdout(predicate::str::contains("Checked 1 file (1 entry)"));
}

#[test]
fn each_named_path_is_checked_under_its_nearest_configuration() {
    // The repository root has no entries of its own; docs/ is the glossary.
    let dir = project(&[
        ("glosslint.toml", "[files]\nentries = [\"glossary/*.md\"]\n"),
        ("README.md", "# The repository\n"),
        ("docs/glosslint.toml", CONFIG),
        ("docs/README.md", "# The docs\n"),
        ("docs/entries/acid.md", GOOD),
        ("docs/entries/acid-2.md", GOOD),
    ]);
    // pre-commit names every staged file from the repository root.
    let out = glosslint(dir.path())
        .args([
            "check",
            "README.md",
            "docs/README.md",
            "docs/entries/acid-2.md",
        ])
        .args(["--output-format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    // Judged against docs/'s own corpus: the twin in docs/entries is found.
    assert!(
        text.contains("docs/entries/acid-2.md:2:7: error[duplicate-term]"),
        "{text}"
    );
    assert!(!text.contains("README.md:"), "{text}");
}

#[test]
fn a_missing_configuration_file_is_named_as_missing() {
    let dir = project(&[("entries/acid.md", GOOD)]);
    glosslint(dir.path())
        .args(["check", "--config", "nonexist.toml"])
        .assert()
        .code(2)
        .stderr("error: the configuration file nonexist.toml does not exist\n");
}

#[test]
fn changed_since_outside_git_says_so() {
    let dir = project(&[("glosslint.toml", CONFIG), ("entries/acid.md", GOOD)]);
    glosslint(dir.path())
        .args(["check", "--changed-since", "HEAD"])
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--changed-since needs a git repository",
        ));
}

#[test]
fn rules_fits_a_terminal_and_rule_prints_the_whole_text() {
    let out = glosslint(Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(["rules"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() > 30, "{text}");
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(text.contains('…'), "long summaries are cut: {text}");
}

#[test]
fn watch_checks_again_when_a_file_changes() {
    use std::io::{BufRead, BufReader};
    let dir = project(&[("glosslint.toml", CONFIG), ("entries/acid.md", GOOD)]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("glosslint"))
        .current_dir(dir.path())
        .args([
            "check",
            "--watch",
            "--no-cache",
            "--output-format",
            "concise",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Should the second check never come, end the child so the test fails
    // instead of hanging.
    let pid = child.id().to_string();
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let finished = finished.clone();
        std::thread::spawn(move || {
            for _ in 0..600 {
                if finished.load(std::sync::atomic::Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            let _ = std::process::Command::new("kill").arg(&pid).status();
        })
    };
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next_summary = || {
        lines
            .by_ref()
            .map_while(Result::ok)
            .find(|line| line.starts_with("Checked"))
    };
    let first = next_summary();
    std::fs::write(dir.path().join("entries/acid-2.md"), GOOD).unwrap();
    let second = next_summary();
    finished.store(true, std::sync::atomic::Ordering::SeqCst);
    watchdog.join().unwrap();
    let _ = child.kill();
    child.wait().unwrap();
    assert!(first
        .unwrap()
        .contains("Checked 1 file (1 entry): 0 errors"));
    assert!(second
        .unwrap()
        .contains("Checked 2 files (2 entries): 2 errors"));
}

#[test]
fn missing_section_help_spells_the_term_as_the_entry_does() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/missing-section/fail");
    // The dump's header says `acid recovery`; its text writes `Acid Recovery`.
    glosslint(&fixture)
        .args(["check", "--no-cache", "--select", "missing-section"])
        .args(["--output-format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "help: add a `**Why Acid Recovery Matters**` section after `What Is Acid Recovery?`",
        ));
}

/// The README's Neovim snippet, as a user pastes it into `init.lua`.
fn readme_neovim_snippet() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme.find("**Neovim**").expect("a Neovim section")..];
    let start = section.find("```lua\n").unwrap() + "```lua\n".len();
    let end = start + section[start..].find("```").unwrap();
    section[start..end].to_string()
}

#[test]
fn the_readme_neovim_snippet_attaches_glosslint() {
    let nvim = std::process::Command::new("nvim").arg("--version").output();
    let Some(version) = nvim.ok().filter(|out| out.status.success()) else {
        eprintln!("skipped: nvim is not installed (`.ci/run` installs Debian's)");
        return;
    };
    eprintln!(
        "{}",
        String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or("")
    );
    let dir = project(&[
        ("glosslint.toml", CONFIG),
        ("entries/a.md", "---\nterm: Acid\n---\nSee [[nothing here]].\n"),
        ("init.lua", &readme_neovim_snippet()),
        (
            "probe.lua",
            "vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)\nfor _, d in ipairs(vim.diagnostic.get(0)) do\n  io.stdout:write(string.format(\"%d:%d %s\\n\", d.lnum + 1, d.col + 1, d.message))\nend\nvim.cmd(\"qa!\")\n",
        ),
    ]);
    let bin_dir = assert_cmd::cargo::cargo_bin("glosslint")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let out = std::process::Command::new("nvim")
        .current_dir(dir.path())
        .env("PATH", path)
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .args([
            "--headless",
            "-u",
            "init.lua",
            "entries/a.md",
            "-c",
            "luafile probe.lua",
        ])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("4:5 `[[nothing here]]` resolves to no entry"),
        "{shown}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
