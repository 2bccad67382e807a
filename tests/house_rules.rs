//! House rules declared in `rules/*.toml` work end to end with no Rust change:
//! listed, documented, reported, fixed.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn glosslint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("glosslint").unwrap();
    command.current_dir(dir).env_remove("GITHUB_ACTIONS");
    command
}

const STYLE: &str = r#"
[[rules]]
id = "prefer-use"
kind = "substitution"
level = "warning"
swap = { utilise = "use", "in order to" = "to" }

[[rules]]
id = "no-hype"
kind = "existence"
level = "error"
words = ["synergy"]
patterns = ['\bcutting[- ]edge\b']
message = "`{match}` is hype"

[[rules]]
id = "calibration-has-a-number"
kind = "required"
section = "How It Is Used in Practice"
patterns = ['\d']
"#;

const ENTRY: &str = "---\nterm: Acid Recovery\n---\nPlants utilise acid recovery in order to cut costs; Utilise it with cutting-edge synergy and enough words to pass every length check today.\n\n**How It Is Used in Practice**\n\nCalibrate often.\n\n```text\nutilise stays in code\n```\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[files]\nentries = [\"*.md\"]\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    std::fs::write(dir.path().join("rules/style.toml"), STYLE).unwrap();
    std::fs::write(dir.path().join("acid.md"), ENTRY).unwrap();
    dir
}

#[test]
fn house_rules_are_listed_and_documented() {
    let dir = project();
    glosslint(dir.path())
        .arg("rules")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "prefer-use             house       warning  safe",
        ))
        .stdout(predicate::str::contains("no-hype"));
    glosslint(dir.path())
        .args(["rule", "prefer-use"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("`utilise` -> `use`"))
        .stdout(predicate::str::contains("rules/style.toml"));
}

#[test]
fn house_rules_report_outside_code_only() {
    let dir = project();
    let out = glosslint(dir.path())
        .args(["--format", "concise"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("acid.md:4:8: warning[prefer-use] say `use`, not `utilise`"),
        "{text}"
    );
    assert!(
        text.contains("acid.md:4:30: warning[prefer-use] say `to`, not `in order to`"),
        "{text}"
    );
    assert!(
        text.contains("acid.md:4:53: warning[prefer-use] say `Use`, not `Utilise`"),
        "{text}"
    );
    assert!(
        text.contains("error[no-hype] `cutting-edge` is hype"),
        "{text}"
    );
    assert!(text.contains("error[no-hype] `synergy` is hype"), "{text}");
    assert!(
        text.contains("acid.md:6:1: warning[calibration-has-a-number]"),
        "{text}"
    );
    assert_eq!(
        text.matches("[prefer-use]").count(),
        3,
        "code is never checked: {text}"
    );
}

#[test]
fn substitution_fixes_apply_with_no_rust_change() {
    let dir = project();
    glosslint(dir.path())
        .args(["--diff"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "+Plants use acid recovery to cut costs; Use it",
        ));
    glosslint(dir.path())
        .args(["--fix", "--select", "prefer-use"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 3 findings in 1 file"));
    let fixed = std::fs::read_to_string(dir.path().join("acid.md")).unwrap();
    assert!(fixed.contains("Plants use acid recovery to cut costs; Use it with cutting-edge"));
    assert!(fixed.contains("utilise stays in code"));
    glosslint(dir.path())
        .args(["--diff", "--select", "prefer-use"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn a_broken_house_rule_is_a_configuration_error() {
    let dir = project();
    std::fs::write(
        dir.path().join("rules/bad.toml"),
        "[[rules]]\nid = \"x\"\nkind = \"existance\"\nwords = [\"a\"]\n",
    )
    .unwrap();
    glosslint(dir.path())
        .env("NO_COLOR", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `existence`?"))
        .stderr(predicate::str::contains("bad.toml:3:8"));
}
