//! Fixture-driven rule tests.
//!
//! Every rule has `tests/fixtures/rules/<id>/fail/` and `.../pass/`, each a tiny
//! project (entry files, dumps, optionally `glosslint.toml` and `rules/`). The
//! `fail` project must produce at least one finding of the rule, and those
//! findings must match the snapshot `tests/snapshots/rules__<id>.snap`; the
//! `pass` project must produce none.

use std::path::{Path, PathBuf};

use glosslint::config::{self, Config};
use glosslint::lint::{lint, LintRequest};
use glosslint::report;
use glosslint::rules::Registry;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// A fixture with `git-history.txt` is linted in a copy with that history:
/// each line is one commit of the listed files (as the fixture has them).
fn with_history(project: &Path) -> Option<tempfile::TempDir> {
    let history = std::fs::read_to_string(project.join("git-history.txt")).ok()?;
    let copy = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=fixture",
                "-c",
                "user.email=fixture@example.com",
            ])
            .args(args)
            .current_dir(copy.path())
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    for line in history.lines().filter(|line| !line.trim().is_empty()) {
        for path in line.split_whitespace() {
            let target = copy.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(project.join(path), &target).unwrap();
            git(&["add", path]);
        }
        git(&["commit", "-q", "-m", line]);
    }
    Some(copy)
}

/// Lints a fixture project and returns the concise lines of `rule`'s findings.
fn findings(project: &Path, rule: &str, registry: &Registry) -> Vec<String> {
    let copy = with_history(project);
    let project = copy.as_ref().map_or(project, |copy| copy.path());
    let config = match config::find(project).filter(|file| file.starts_with(project)) {
        Some(file) => {
            Config::load(&file, project, registry).unwrap_or_else(|errors| panic!("{errors:?}"))
        }
        None => Config::defaults(project.to_path_buf(), registry),
    };
    let outcome = lint(&config, registry, &LintRequest::default(), project);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    // `path:line:column: level[rule] message`: the rule's own findings, without
    // the related places and help the concise format adds, so that a snapshot
    // follows its rule and not the report format.
    let texts = report::Texts::new(&outcome, false);
    outcome
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.rule == rule)
        .map(|diagnostic| {
            let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
            format!(
                "{}:{line}:{column}: {}[{}] {}",
                outcome.files[diagnostic.file].display,
                diagnostic.level.as_str(),
                diagnostic.rule,
                diagnostic.message
            )
        })
        .collect()
}

#[test]
fn every_rule_fails_on_its_fail_fixture_and_passes_its_pass_fixture() {
    let registry = Registry::builtin();
    let mut missing = Vec::new();
    for id in registry.ids() {
        let dir = fixtures().join(id);
        let (fail, pass) = (dir.join("fail"), dir.join("pass"));
        if !fail.is_dir() || !pass.is_dir() {
            missing.push(id);
            continue;
        }
        let failing = findings(&fail, id, &registry);
        assert!(
            !failing.is_empty(),
            "`{id}` reports nothing on its fail fixture"
        );
        insta::assert_snapshot!(id.to_string(), failing.join("\n"));
        let passing = findings(&pass, id, &registry);
        assert!(
            passing.is_empty(),
            "`{id}` reports on its pass fixture:\n{}",
            passing.join("\n")
        );
    }
    assert!(
        missing.is_empty(),
        "rules without fail/ and pass/ fixtures: {missing:?}"
    );
}

#[test]
fn every_rule_is_documented() {
    let registry = Registry::builtin();
    for (_, rule) in registry.rules() {
        let doc = rule.meta().documentation();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Options",
        ] {
            assert!(
                doc.contains(heading),
                "`{}` documentation lacks `{heading}`",
                rule.meta().id
            );
        }
    }
}

/// Writes `files` into a fresh project and lints it with every built-in rule.
fn lint_files(files: &[(&str, &str)]) -> (tempfile::TempDir, glosslint::report::Outcome) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let registry = Registry::builtin();
    let file = config::find(dir.path()).unwrap();
    let config = Config::load(&file, dir.path(), &registry).unwrap();
    let outcome = lint(&config, &registry, &LintRequest::default(), dir.path());
    (dir, outcome)
}

/// The CNCF glossary's shapes (issue 16): a Hindi link is offered Hindi and
/// fallback names only, never Bengali ones, and a target in two pairs of
/// parentheses is one finding, `malformed-link`'s.
#[test]
fn broken_reference_suggests_within_the_namespace_and_leaves_double_parentheses() {
    let (_dir, outcome) = lint_files(&[
        (
            "glosslint.toml",
            "[files]\nentries = [\"content/**/*.md\"]\n\n[entries]\nterm_field = \"title\"\n\n[references]\nfallback_namespace = \"en\"\n\n\
             [[references.routes]]\nprefix = \"/{lang}/\"\ndir = \"content/{lang}\"\n\n\
             [[overrides]]\nfiles = [\"content/{lang}/**\"]\nnamespace = \"{lang}\"\n\n\
             [rules]\nshort-body = \"off\"\n",
        ),
        ("content/en/event-streaming.md", "---\ntitle: Event Streaming\n---\nEvents flow.\n"),
        ("content/bn/event-streaming.md", "---\ntitle: ঘটনা প্রবাহ (Event Streaming)\n---\nঘটনা।\n"),
        ("content/hi/service.md", "---\ntitle: सेवा (Service)\n---\nसेवा।\n"),
        ("content/hi/api-gateway.md", "---\ntitle: API गेटवे\n---\nगेटवे।\n"),
        (
            "content/hi/apps.md",
            "---\ntitle: ऐप्स\n---\nदेखें [[Event Streamin]] और [माइक्रोसर्विसेज]((/hi/service/)), [ऐप्स](/hi/monolithic_apps/).\n",
        ),
    ]);
    let found: Vec<(&str, String, String)> = outcome
        .diagnostics
        .iter()
        .filter(|d| matches!(d.rule, "broken-reference" | "malformed-link"))
        .map(|d| {
            (
                d.rule,
                d.message.to_string(),
                d.help.as_deref().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(found.len(), 3, "{found:?}");
    let broken = found
        .iter()
        .find(|(rule, ..)| *rule == "broken-reference")
        .unwrap();
    assert!(broken.1.contains("Event Streamin"), "{broken:?}");
    assert!(broken.2.contains("`Event Streaming`"), "{broken:?}");
    assert!(!broken.2.contains("ঘটনা"), "{broken:?}");
    // `monolithic apps` shares no word with `API गेटवे` and is far from it.
    let apps = found
        .iter()
        .find(|(_, message, _)| message.contains("monolithic_apps"))
        .unwrap();
    assert_eq!(apps.2, "no entry has this term, alias or path", "{apps:?}");
    assert!(found.iter().any(
        |(rule, message, _)| *rule == "malformed-link" && message.contains("((/hi/service/))")
    ));
}
