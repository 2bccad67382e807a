//! The markdown and math rules on the seed dump: what the issue asks them to
//! find, and what they must leave alone.

use std::path::Path;

use glosslint::config::Config;
use glosslint::diagnostic::Diagnostic;
use glosslint::discover::Request;
use glosslint::lint::{lint, LintRequest};
use glosslint::rules::Registry;

fn diagnostics() -> Vec<Diagnostic> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = root.join("tests/fixtures/seed/000_0599fd0ebb462db5.txt");
    assert!(seed.is_file(), "seed missing: {}", seed.display());
    let registry = Registry::builtin();
    let config = Config::defaults(root.to_path_buf(), &registry);
    let request = LintRequest {
        discover: Request {
            paths: vec![seed],
            ..Request::default()
        },
        ..LintRequest::default()
    };
    let outcome = lint(&config, &registry, &request, root);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    outcome.diagnostics
}

fn count(diagnostics: &[Diagnostic], rule: &str, entry: &str) -> usize {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.rule == rule && diagnostic.entry.as_deref() == Some(entry))
        .count()
}

#[test]
fn damaged_formulas_are_found() {
    let found = diagnostics();
    for entry in [
        "activation checkpointing",
        "activation maximization",
        "adabelief",
        "adaboost",
        "adafactor",
    ] {
        assert!(
            count(&found, "math-escape", entry) > 0,
            "no math-escape in `{entry}`"
        );
    }
}

#[test]
fn the_broken_adaboost_table_is_found() {
    let found = diagnostics();
    assert!(count(&found, "table-shape", "adaboost") > 0);
    assert!(count(&found, "math-delimiters", "adaboost") > 0);
}

#[test]
fn fences_without_language_are_found() {
    let found = diagnostics();
    for entry in ["activation checkpoint", "activation sparsity"] {
        assert!(
            count(&found, "fence-language", entry) > 0,
            "no fence-language in `{entry}`"
        );
    }
}

#[test]
fn correct_math_and_prices_are_left_alone() {
    let found = diagnostics();
    for entry in ["activation function", "active learning"] {
        for rule in ["math-escape", "math-delimiters"] {
            assert_eq!(count(&found, rule, entry), 0, "{rule} in `{entry}`");
        }
    }
}

#[test]
fn every_finding_lies_in_an_entry() {
    let found = diagnostics();
    for rule in [
        "math-escape",
        "math-delimiters",
        "table-shape",
        "fence-language",
    ] {
        assert!(found
            .iter()
            .filter(|diagnostic| diagnostic.rule == rule)
            .all(|diagnostic| diagnostic.entry.is_some()));
    }
}
