//! The user's glossary dump, end to end: splitting, duplicates, templates, and
//! the same findings on the imported `entries/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use glosslint::config::{self, Config};
use glosslint::discover::Request;
use glosslint::lint::{lint, LintRequest};
use glosslint::load::SourceText;
use glosslint::parse::dump::parse_dump;
use glosslint::report::Outcome;
use glosslint::rules::Registry;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn seed() -> PathBuf {
    root().join("tests/fixtures/seed/000_0599fd0ebb462db5.txt")
}

const TERMS: [&str; 50] = [
    "acid gas scrubbing",
    "acid neutralization",
    "acid neutralization",
    "acid recovery",
    "acoustic microscopy",
    "acoustic microscopy",
    "action anticipation",
    "action recognition",
    "action space",
    "action-conditional video",
    "activation anneal",
    "activation anneal",
    "activation beacon",
    "activation checkpoint",
    "activation checkpointing",
    "activation checkpointing",
    "activation checkpointing",
    "activation energy extraction",
    "activation function design",
    "activation function zoo",
    "activation function",
    "activation functions survey",
    "activation functions",
    "activation maximization for text",
    "activation maximization",
    "activation maximization",
    "activation patching",
    "activation patching",
    "activation patching",
    "activation sparsity",
    "activation steering",
    "activation",
    "active learning for annotation",
    "active learning for inspection",
    "active learning verification",
    "active learning",
    "active learning",
    "active prompting",
    "active retrieval",
    "active shift",
    "active",
    "activity network",
    "actor model concurrency",
    "ad copy",
    "ad creative generation",
    "adabelief",
    "adaboost",
    "adafactor",
    "adam optimizer",
    "adam optimizer",
];

#[test]
fn the_seed_splits_into_exactly_fifty_entries_in_order() {
    let source = SourceText::from_bytes(std::fs::read(seed()).unwrap());
    let parsed = parse_dump(&source.text);
    let terms: Vec<&str> = parsed
        .entries
        .iter()
        .map(|e| e.term.as_ref().unwrap().value.as_str())
        .collect();
    assert_eq!(terms, TERMS);
    assert!(parsed.problems.is_empty());
    // Entries tile the file: nothing is lost between them.
    for pair in parsed.entries.windows(2) {
        assert_eq!(pair[0].span.end, pair[1].span.start);
    }
    assert_eq!(parsed.entries.last().unwrap().span.end, source.text.len());
}

/// Lints `paths` under the configuration of the first one's folder (the
/// nearest `glosslint.toml`, as the command line finds it), else `cwd`'s.
fn lint_paths(paths: Vec<PathBuf>, cwd: &Path) -> Outcome {
    let registry = Registry::builtin();
    let start = paths.first().and_then(|path| path.parent()).unwrap_or(cwd);
    let config = match config::find(start) {
        Some(file) => Config::load(&file, cwd, &registry).unwrap(),
        None => Config::defaults(cwd.to_path_buf(), &registry),
    };
    lint(
        &config,
        &registry,
        &LintRequest {
            discover: Request {
                paths,
                no_ignore: false,
            },
            ..Default::default()
        },
        cwd,
    )
}

/// (entry term, rule) -> count, for the rules of the foundation.
fn by_entry(outcome: &Outcome, rules: &[&str]) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for diagnostic in outcome
        .diagnostics
        .iter()
        .filter(|d| rules.contains(&d.rule))
    {
        let entry = diagnostic.entry.as_deref().unwrap_or("-").to_string();
        *counts
            .entry((entry, diagnostic.rule.to_string()))
            .or_insert(0) += 1;
    }
    counts
}

#[test]
fn the_seed_reports_every_duplicate_pointing_at_its_twins() {
    let outcome = lint_paths(vec![seed()], &root());
    let duplicates: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == "duplicate-term")
        .collect();
    assert_eq!(duplicates.len(), 18);
    for duplicate in &duplicates {
        let term = duplicate.entry.as_deref().unwrap();
        let expected_twins = TERMS.iter().filter(|t| **t == term).count() - 1;
        assert_eq!(duplicate.related.len(), expected_twins, "{term}");
    }
    let similar: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == "similar-term")
        .collect();
    let similar_terms: Vec<_> = similar
        .iter()
        .map(|d| d.entry.as_deref().unwrap())
        .collect();
    assert_eq!(
        similar_terms,
        ["activation function", "activation functions"]
    );
}

#[test]
fn complete_template_entries_pass_and_abandoned_ones_fail() {
    let outcome = lint_paths(vec![seed()], &root());
    let counts = by_entry(&outcome, &["missing-section", "missing-item", "lead-term"]);
    for complete in [
        "acid gas scrubbing",
        "action space",
        "activity network",
        "acid recovery",
        "activation steering",
    ] {
        assert!(
            !counts.keys().any(|(entry, _)| entry == complete),
            "{complete} follows the template but got {counts:?}"
        );
    }
    for abandoned in [
        "acoustic microscopy",
        "action anticipation",
        "active learning",
        "adaboost",
    ] {
        assert!(
            counts.contains_key(&(abandoned.to_string(), "missing-section".to_string())),
            "{abandoned}"
        );
    }
}

/// (entry, rule, message, offset from the body's start or `None` for the
/// header/front matter) -> count.
fn placed(
    outcome: &Outcome,
    entries: &BTreeMap<String, Vec<(usize, usize)>>,
) -> BTreeMap<(String, String, String, Option<usize>), usize> {
    let mut counts = BTreeMap::new();
    for diagnostic in &outcome.diagnostics {
        let path = outcome.files[diagnostic.file].display.to_string();
        let starts = &entries[&path];
        let entry = starts
            .partition_point(|&(start, _)| start <= diagnostic.span.start)
            .checked_sub(1);
        let offset = entry
            .map(|entry| starts[entry].1)
            .filter(|&body| diagnostic.span.start >= body)
            .map(|body| diagnostic.span.start - body);
        let entry = diagnostic.entry.as_deref().unwrap_or("-").to_string();
        *counts
            .entry((
                entry,
                diagnostic.rule.to_string(),
                diagnostic.message.to_string(),
                offset,
            ))
            .or_insert(0) += 1;
    }
    counts
}

/// Where each entry and its body start, per file.
fn body_starts(outcome: &Outcome) -> BTreeMap<String, Vec<(usize, usize)>> {
    let mut starts = BTreeMap::new();
    for file in &outcome.files {
        let text = std::fs::read_to_string(&file.path).unwrap();
        let parsed =
            glosslint::parse::parse_file(&text, file.kind, &file.path, &Default::default());
        let bodies: Vec<(usize, usize)> = parsed
            .entries
            .iter()
            .map(|entry| (entry.span.start, entry.body.span.start))
            .collect();
        starts.insert(file.display.to_string(), bodies);
    }
    starts
}

#[test]
fn imported_entries_get_the_same_findings_at_the_corresponding_places() {
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir(project.path().join("rules")).unwrap();
    std::fs::copy(
        root().join("rules/templates.toml"),
        project.path().join("rules/templates.toml"),
    )
    .unwrap();
    std::fs::write(
        project.path().join("glosslint.toml"),
        "[files]\nentries = [\"entries/*.md\"]\n",
    )
    .unwrap();
    // The dump, outside the entries' globs, is a project of its own with the
    // same templates.
    let dump = project.path().join("dump");
    std::fs::create_dir_all(dump.join("rules")).unwrap();
    std::fs::copy(
        root().join("rules/templates.toml"),
        dump.join("rules/templates.toml"),
    )
    .unwrap();
    std::fs::write(
        dump.join("glosslint.toml"),
        "[files]\ndumps = [\"*.txt\"]\n",
    )
    .unwrap();
    std::fs::copy(seed(), dump.join("seed.txt")).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_glosslint"))
        .current_dir(project.path())
        .args(["import", "dump/seed.txt", "--out", "entries"])
        .status()
        .unwrap();
    assert!(status.success());
    let from_dump = lint_paths(vec![dump.join("seed.txt")], project.path());
    let from_entries = lint_paths(Vec::new(), project.path());
    assert_eq!(from_entries.reported_entries, 50);
    assert_eq!(from_dump.diagnostics.len(), from_entries.diagnostics.len());
    assert_eq!(
        placed(&from_dump, &body_starts(&from_dump)),
        placed(&from_entries, &body_starts(&from_entries))
    );
}
