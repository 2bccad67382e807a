//! The CI formats as a user runs them: SARIF (validated against the official
//! 2.1.0 schema), GitHub workflow commands, JUnit XML, the `GITHUB_ACTIONS`
//! default and `--output`.

mod common;

use common::project;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use glosslint::parse::dump::header_lines;
use glosslint::report::github::{escape_data, escape_property};
use glosslint::rules::Registry;
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

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> PathBuf {
    root().join("tests/fixtures/seed/000_0599fd0ebb462db5.txt")
}

/// Runs `check --format FORMAT ARGS..` in `dir` and returns standard output.
fn run(dir: &Path, format: &str, args: &[&str]) -> String {
    let out = glosslint(dir)
        .args(["check", "--format", format])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn seed_run(format: &str) -> String {
    run(root(), format, &[seed().to_str().unwrap()])
}

fn json_diagnostics(text: &str) -> Vec<Value> {
    let json: Value = serde_json::from_str(text).unwrap();
    json["diagnostics"].as_array().unwrap().clone()
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}

#[test]
fn sarif_of_the_seed_validates_and_holds_every_finding_and_rule() {
    let sarif: Value = serde_json::from_str(&seed_run("sarif")).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "glosslint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let registry = Registry::builtin();
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, registry.ids().collect::<Vec<_>>());
    for (index, rule) in rules.iter().enumerate() {
        let meta = registry.meta(index);
        assert_eq!(rule["shortDescription"]["text"], meta.summary());
        assert_eq!(rule["fullDescription"]["markdown"], meta.documentation());
        assert_eq!(rule["help"]["text"], meta.documentation());
        let level = match meta.default_level.as_str() {
            "info" => "note",
            "off" => "none",
            other => other,
        };
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{}", meta.id);
    }

    let diagnostics = json_diagnostics(&seed_run("json"));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert_eq!(results.len(), diagnostics.len());
    let mut fingerprints = BTreeSet::new();
    for (result, diagnostic) in results.iter().zip(&diagnostics) {
        assert_eq!(result["ruleId"], diagnostic["rule"]);
        assert_eq!(
            ids[result["ruleIndex"].as_u64().unwrap() as usize],
            diagnostic["rule"]
        );
        assert_eq!(result["message"]["text"], diagnostic["message"]);
        let level = match diagnostic["level"].as_str().unwrap() {
            "info" => "note",
            other => other,
        };
        assert_eq!(result["level"], level);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], diagnostic["path"]);
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        assert_eq!(region["startLine"], diagnostic["line"]);
        assert_eq!(region["startColumn"], diagnostic["column"]);
        assert_eq!(region["endLine"], diagnostic["end_line"]);
        assert_eq!(region["endColumn"], diagnostic["end_column"]);
        assert_eq!(region["byteOffset"], diagnostic["offset"]);
        assert_eq!(region["byteLength"], diagnostic["length"]);
        assert_eq!(
            result["relatedLocations"].as_array().map_or(0, Vec::len),
            diagnostic["related"].as_array().unwrap().len()
        );
        assert_eq!(result["fixes"].is_array(), !diagnostic["fix"].is_null());
        let fingerprint = result["partialFingerprints"]["glosslint/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fingerprint.len(), 16);
        assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        fingerprints.insert(fingerprint.to_string());
    }
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "fingerprints are distinct"
    );
}

#[test]
fn the_schema_check_does_reject_bad_sarif() {
    let mut sarif: Value = serde_json::from_str(&seed_run("sarif")).unwrap();
    sarif["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!sarif_validator().is_valid(&sarif));
}

#[test]
fn sarif_columns_and_char_offsets_count_unicode_scalars() {
    let text = "---\nterm: Çà été\n---\nÇà été naïve **bold text that never closes, with enough words to pass the length check of the short body rule easily here.\n";
    let dir = project(&[("entries/çà.md", text)]);
    let sarif: Value = serde_json::from_str(&run(dir.path(), "sarif", &[])).unwrap();
    assert_valid_sarif(&sarif);
    let json = json_diagnostics(&run(dir.path(), "json", &[]));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert_eq!(results.len(), json.len());
    for (result, diagnostic) in results.iter().zip(&json) {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "entries/%C3%A7%C3%A0.md"
        );
        let region = &location["region"];
        assert_eq!(region["startColumn"], diagnostic["column"]);
        let offset = diagnostic["offset"].as_u64().unwrap() as usize;
        let length = diagnostic["length"].as_u64().unwrap() as usize;
        assert_eq!(region["charOffset"], text[..offset].chars().count());
        assert_eq!(
            region["charLength"],
            text[offset..offset + length].chars().count()
        );
    }
    assert!(results
        .iter()
        .any(|result| result["ruleId"] == "unbalanced-emphasis"
            && result["locations"][0]["physicalLocation"]["region"]["startColumn"] == 14));
}

#[test]
fn sarif_fingerprints_survive_lines_moving() {
    let fingerprints = |body: &str| {
        let dir = project(&[("a.md", body)]);
        let sarif: Value = serde_json::from_str(&run(dir.path(), "sarif", &[])).unwrap();
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| {
                (
                    result["partialFingerprints"]["glosslint/v1"].clone(),
                    result["locations"][0]["physicalLocation"]["region"]["startLine"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = fingerprints("---\nterm: Acid\n---\nToo short.\n");
    let after = fingerprints("---\nterm: Acid\n---\n\n\n\nToo short.\n");
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].0, after[0].0);
    let changed = fingerprints("---\nterm: Base\n---\nToo short.\n");
    assert_ne!(before[0].0, changed[0].0);
}

#[test]
fn github_lines_are_workflow_commands_one_per_finding() {
    let command = predicate::str::is_match(
        r"^::(error|warning|notice) file=[^,:\r\n]+,line=[1-9][0-9]*,col=[1-9][0-9]*,endLine=[1-9][0-9]*,endColumn=[1-9][0-9]*,title=glosslint\([a-z-]+\)::[^\r\n]+$",
    )
    .unwrap();
    let text = seed_run("github");
    let diagnostics = json_diagnostics(&seed_run("json"));
    let mut lines: Vec<&str> = text.lines().collect();
    let summary = lines.pop().unwrap();
    assert!(summary.starts_with("Checked 1 file"), "{summary}");
    assert_eq!(lines.len(), diagnostics.len());
    for (line, diagnostic) in lines.iter().zip(&diagnostics) {
        assert!(command.eval(line), "not a workflow command: {line}");
        let level = match diagnostic["level"].as_str().unwrap() {
            "info" => "notice",
            other => other,
        };
        assert!(line.starts_with(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title=glosslint({})::",
            diagnostic["path"].as_str().unwrap(),
            diagnostic["line"],
            diagnostic["column"],
            diagnostic["end_line"],
            diagnostic["end_column"],
            diagnostic["rule"].as_str().unwrap()
        )));
    }
}

#[test]
fn github_escapes_properties_and_messages() {
    let entry = "---\nterm: \"50%: a,b\\nc\"\n---\nOne.\n";
    let dir = project(&[("x,y:z%.md", entry), ("twin.md", entry)]);
    let text = run(dir.path(), "github", &["--select", "duplicate-term"]);
    assert!(
        text.contains(
            "::error file=x%2Cy%3Az%25.md,line=2,col=7,endLine=2,endColumn=20,title=glosslint(duplicate-term)::term `50%25: a,b%0Ac` is also defined by another entry%0Ahelp: "
        ),
        "{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|line| line.starts_with("::error "))
            .count(),
        2
    );
}

#[test]
fn github_escaper_follows_the_runner_rules() {
    assert_eq!(
        escape_data("100% done\r\nnext: a,b"),
        "100%25 done%0D%0Anext: a,b"
    );
    assert_eq!(
        escape_property("dir/a:b,c%d\r\n.md"),
        "dir/a%3Ab%2Cc%25d%0D%0A.md"
    );
    assert_eq!(escape_data("%3A"), "%253A");
}

/// Test cases of a JUnit document: (suite name, case name, failure message).
fn junit_cases(xml: &str) -> Vec<(String, String, Option<String>)> {
    let document = roxmltree::Document::parse(xml).unwrap_or_else(|error| panic!("{error}\n{xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let mut cases = Vec::new();
    for suite in root
        .children()
        .filter(|node| node.has_tag_name("testsuite"))
    {
        let suite_cases: Vec<_> = suite
            .children()
            .filter(|node| node.has_tag_name("testcase"))
            .collect();
        assert_eq!(
            suite.attribute("tests").unwrap(),
            suite_cases.len().to_string()
        );
        let mut failures = 0;
        for case in suite_cases {
            assert_eq!(case.attribute("classname"), suite.attribute("name"));
            let failure = case.children().find(|node| node.has_tag_name("failure"));
            failures += usize::from(failure.is_some());
            cases.push((
                suite.attribute("name").unwrap().to_string(),
                case.attribute("name").unwrap().to_string(),
                failure.map(|node| node.attribute("message").unwrap().to_string()),
            ));
        }
        assert_eq!(suite.attribute("failures").unwrap(), failures.to_string());
    }
    assert_eq!(root.attribute("tests").unwrap(), cases.len().to_string());
    let failures = cases.iter().filter(|case| case.2.is_some()).count();
    assert_eq!(root.attribute("failures").unwrap(), failures.to_string());
    cases
}

#[test]
fn junit_of_the_seed_has_a_case_per_entry_failing_exactly_those_that_fail_the_run() {
    let json: Value = serde_json::from_str(&seed_run("json")).unwrap();
    assert_eq!(json["summary"]["entries"], 50);
    // Which entries have an error (or a warning), found independently: the
    // dump's entries start at its header lines.
    let text = std::fs::read_to_string(seed()).unwrap();
    let starts: Vec<usize> = header_lines(&text)
        .iter()
        .map(|header| header.start)
        .collect();
    assert_eq!(starts.len(), 50);
    let entries_with = |levels: &[&str]| -> BTreeSet<usize> {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|diagnostic| levels.contains(&diagnostic["level"].as_str().unwrap()))
            .map(|diagnostic| {
                let offset = diagnostic["offset"].as_u64().unwrap() as usize;
                starts.partition_point(|&start| start <= offset) - 1
            })
            .collect()
    };
    let failed_in = |cases: &[(String, String, Option<String>)]| -> BTreeSet<usize> {
        cases
            .iter()
            .enumerate()
            .filter(|(_, case)| case.2.is_some())
            .map(|(index, _)| index)
            .collect()
    };
    // Warnings do not fail the run, so they fail no test case...
    let cases = junit_cases(&seed_run("junit"));
    assert_eq!(cases.len(), 50);
    let with_errors = entries_with(&["error"]);
    let with_warnings = entries_with(&["error", "warning"]);
    assert!(!with_errors.is_empty());
    assert_eq!(failed_in(&cases), with_errors);
    // ...unless --max-warnings makes them fail it.
    let strict = junit_cases(&run(
        root(),
        "junit",
        &[seed().to_str().unwrap(), "--max-warnings", "0"],
    ));
    assert_eq!(failed_in(&strict), with_warnings);
    // Both entries of a duplicated term are cases of their own, and both fail.
    let twins: Vec<_> = cases
        .iter()
        .filter(|case| case.1 == "acid neutralization")
        .collect();
    assert_eq!(twins.len(), 2);
    assert!(twins.iter().all(|case| case.2.as_deref()
        == Some("term `acid neutralization` is also defined by another entry")));
    assert!(cases
        .iter()
        .all(|case| case.0 == "tests/fixtures/seed/000_0599fd0ebb462db5.txt"));
}

#[test]
fn junit_escapes_markup_drops_forbidden_characters_and_lists_clean_files() {
    let entry = "---\nterm: \"a <b> & \\\"c\\\" 'd'\\x01\\x1b\"\n---\nOne.\n";
    let good = "---\nterm: Acid Recovery\n---\nAcid recovery is the reclamation of spent acids from process streams for reuse or value recovery, which lowers raw acid consumption and the treatment burden of the plant.\n";
    let dir = project(&[("a&b.md", entry), ("good.md", good)]);
    // The short body's warning fails its case only when it fails the run.
    let xml = run(dir.path(), "junit", &["--max-warnings", "0"]);
    assert!(
        xml.ends_with("</testsuites>\n"),
        "no summary after the document: {xml}"
    );
    let cases = junit_cases(&xml);
    assert!(
        cases
            .iter()
            .any(|case| case.0 == "a&b.md" && case.1 == "a <b> & \"c\" 'd'" && case.2.is_some()),
        "{cases:?}"
    );
    assert!(
        cases
            .iter()
            .any(|case| case.0 == "good.md" && case.2.is_none()),
        "{cases:?}"
    );
}

#[test]
fn github_actions_makes_github_the_default_format() {
    let dir = project(&[("a.md", "---\nterm: Acid\n---\nToo short.\n")]);
    glosslint(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "::warning file=a.md,line=2,col=7,endLine=2,endColumn=11,title=glosslint(short-body)::",
        ));
    glosslint(dir.path())
        .env("GITHUB_ACTIONS", "true")
        .args(["--format", "concise"])
        .assert()
        .stdout(predicate::str::starts_with("a.md:2:7: warning[short-body]"));
    glosslint(dir.path())
        .env("GITHUB_ACTIONS", "false")
        .assert()
        .stdout(predicate::str::contains("::warning").not())
        .stdout(predicate::str::contains("short-body"));
}

#[test]
fn output_writes_the_report_to_the_file() {
    let dir = project(&[("a.md", "---\nterm: Acid\n---\nToo short.\n")]);
    for (format, file) in [
        ("sarif", "report.sarif"),
        ("junit", "report.xml"),
        ("github", "report.txt"),
    ] {
        glosslint(dir.path())
            .args(["--format", format, "--output", file])
            .assert()
            .code(0)
            .stdout(predicate::str::is_empty());
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        match format {
            "sarif" => {
                let sarif: Value = serde_json::from_str(&text).unwrap();
                assert_valid_sarif(&sarif);
                assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "short-body");
            }
            "junit" => {
                let cases = junit_cases(&text);
                assert_eq!(cases.len(), 1);
                assert!(cases[0].2.is_none(), "a warning alone fails no case");
            }
            _ => assert!(text.starts_with("::warning file=a.md,"), "{text}"),
        }
    }
}

#[test]
fn github_and_sarif_paths_are_relative_to_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let docs = repo.path().join("docs");
    std::fs::create_dir_all(docs.join("entries")).unwrap();
    std::fs::write(
        docs.join("glosslint.toml"),
        "[files]\nentries = [\"entries/*.md\"]\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("entries/gamma.md"),
        "---\ntags: [x]\n---\nNo term here.\n",
    )
    .unwrap();
    let init = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.path())
        .status()
        .unwrap();
    assert!(init.success());
    // The action's `working-directory: docs`.
    let github = run(&docs, "github", &[]);
    assert!(
        github.contains("::error file=docs/entries/gamma.md,line=1,"),
        "{github}"
    );
    let sarif: Value = serde_json::from_str(&run(&docs, "sarif", &[])).unwrap();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"], "docs/entries/gamma.md",
        "{location}"
    );
    // Other formats keep paths relative to where the user stands.
    let concise = run(&docs, "concise", &[]);
    assert!(concise.starts_with("entries/gamma.md:1:1:"), "{concise}");
    // Outside git, the project root is the base.
    std::fs::remove_dir_all(repo.path().join(".git")).unwrap();
    let github = glosslint(&docs.join("entries"))
        .args(["check", "--format", "github"])
        .env("GIT_CEILING_DIRECTORIES", repo.path().parent().unwrap())
        .output()
        .unwrap();
    let github = String::from_utf8(github.stdout).unwrap();
    assert!(
        github.contains("::error file=entries/gamma.md,line=1,"),
        "{github}"
    );
}
