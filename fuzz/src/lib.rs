//! The fuzz targets of glosslint (issue 8), as plain functions that panic when
//! an invariant breaks. `fuzz_targets/*.rs` call them under libFuzzer, and
//! `tests/hostile.rs` includes this file to replay every input kept under
//! `tests/fixtures/hostile/fuzz/<target>/`, so a finding stays fixed.
//!
//! Invariants checked:
//! - nothing panics (a panic caught inside `lint` becomes `internal-error`,
//!   which is an invariant failure here too);
//! - every span (parse model, diagnostics, related spans, fix edits) lies
//!   inside the text and on char boundaries;
//! - fixes change no byte outside their edits, and `--fix` rounds reach a
//!   fixed point within `glosslint::fix::MAX_ROUNDS`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use glosslint::check::INTERNAL_ERROR;
use glosslint::config::Config;
use glosslint::diagnostic::{Diagnostic, Edit, Level};
use glosslint::lint::{lint, LintRequest};
use glosslint::load::SourceText;
use glosslint::model::{Body, Entry, ParsedFile};
use glosslint::parse::{self, front_matter, ParseOptions};
use glosslint::report::Outcome;
use glosslint::rules::Registry;

/// Whether `span` is a valid byte range of `text` on char boundaries.
pub fn is_span(text: &str, span: &Range<usize>) -> bool {
    span.start <= span.end
        && span.end <= text.len()
        && text.is_char_boundary(span.start)
        && text.is_char_boundary(span.end)
}

/// Asserts that `span` is a valid byte range of `text` on char boundaries.
pub fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} is not on char boundaries"
    );
}

fn assert_body(text: &str, body: &Body<'_>) {
    assert_span(text, &body.span, "body");
    for (event, range) in &body.events {
        if !is_span(text, range) {
            assert_span(text, range, &format!("event {event:?}"));
        }
    }
    for heading in &body.headings {
        assert_span(text, &heading.span, "heading");
        assert_span(text, &heading.section, "section");
        assert!(heading.section.start <= heading.span.start || heading.section.is_empty());
    }
    for item in &body.list_items {
        assert_span(text, &item.span, "list item");
        if let Some(label) = &item.label {
            assert_span(text, &label.span, "list label");
        }
    }
    for block in &body.code_blocks {
        assert_span(text, &block.span, "code block");
    }
    for link in &body.links {
        assert_span(text, &link.span, "link");
    }
    if let Some(lead) = &body.lead {
        assert_span(text, &lead.span, "lead");
    }
    for suppression in &body.suppressions {
        assert_span(text, &suppression.span, "suppression");
        assert_span(text, &suppression.scope, "suppression scope");
        for rule in &suppression.rules {
            assert_span(text, &rule.span, "suppression rule");
        }
    }
}

/// Checks every span of a parsed entry.
pub fn assert_entry(text: &str, entry: &Entry<'_>) {
    assert_span(text, &entry.span, "entry");
    assert_span(text, &entry.header, "entry header");
    for name in entry
        .term
        .iter()
        .chain(&entry.aliases)
        .chain(&entry.tags)
        .chain(&entry.see_also)
        .chain(&entry.template)
    {
        assert_span(text, &name.span, "front matter field");
    }
    for problem in &entry.problems {
        assert_span(text, &problem.span, "problem");
    }
    assert_body(text, &entry.body);
    // `Entry::anchor` slices the text: it must not panic either.
    let anchor = entry.anchor(text);
    assert_span(text, &anchor, "entry anchor");
}

fn assert_parsed(text: &str, parsed: &ParsedFile<'_>) {
    for problem in &parsed.problems {
        assert_span(text, &problem.span, "file problem");
    }
    let mut previous_end = 0;
    for entry in &parsed.entries {
        assert_entry(text, entry);
        assert!(
            entry.span.start >= previous_end,
            "entries overlap: {:?} starts before {previous_end}",
            entry.span
        );
        previous_end = entry.span.end;
    }
}

/// Arbitrary bytes decoded as glosslint loads a file (each invalid byte one `0x1A`).
pub fn decode(data: &[u8]) -> String {
    let source = SourceText::from_bytes(data.to_vec());
    assert_eq!(source.text.len(), data.len(), "decoding keeps offsets");
    for range in &source.invalid_utf8 {
        assert_span(&source.text, range, "invalid UTF-8 range");
    }
    source.text
}

/// Target `entry_file`: one entry file, parsed.
pub fn entry_file(data: &[u8]) {
    let text = decode(data);
    let entry = parse::parse_entry_file(&text, &ParseOptions::default());
    assert_entry(&text, &entry);
    let hugo = ParseOptions {
        term_field: "title".into(),
        alias_fields: vec!["aka".into(), "aliases".into()],
        any_case_keys: true,
        link_fields: vec!["full_link".into()],
        percent_comments: true,
        ..ParseOptions::default()
    };
    assert_entry(&text, &parse::parse_entry_file(&text, &hugo));
}

/// Target `dump`: a dump, split and parsed.
pub fn dump(data: &[u8]) {
    let text = decode(data);
    let parsed = parse::dump::parse_dump(&text);
    assert_parsed(&text, &parsed);
    for header in parse::dump::header_lines(&text) {
        assert_span(&text, &header, "header line");
    }
}

fn assert_node(text: &str, node: &glosslint::data::Node) {
    use glosslint::data::Value;
    assert_span(text, &node.span, "data node");
    match &node.value {
        Value::List(items) => items.iter().for_each(|item| assert_node(text, item)),
        Value::Map(entries) => {
            for (key, value) in entries {
                assert_span(text, &key.span, "data key");
                assert_node(text, value);
            }
        }
        _ => {}
    }
}

/// Target `front_matter`: YAML and TOML trees, and front matter split and read.
pub fn front_matter(data: &[u8]) {
    let text = decode(data);
    for parsed in [
        glosslint::data::parse_yaml(&text),
        glosslint::data::parse_toml(&text),
    ] {
        match parsed {
            Ok(root) => assert_node(&text, &root),
            Err(error) => {
                assert!(
                    error.span.start <= error.span.end && error.span.end <= text.len(),
                    "syntax error span {:?} outside {} bytes",
                    error.span,
                    text.len()
                )
            }
        }
    }
    let split = front_matter::split(&text);
    assert!(split.body_start <= text.len() && text.is_char_boundary(split.body_start));
    if let Some(problem) = &split.problem {
        assert_span(&text, &problem.span, "split problem");
    }
    if let Some(block) = &split.block {
        assert_span(&text, &block.span, "front matter block");
        assert_span(&text, &block.content, "front matter content");
        let fields = front_matter::read_fields(&text, block, &ParseOptions::default());
        for name in fields
            .term
            .iter()
            .chain(&fields.aliases)
            .chain(&fields.tags)
            .chain(&fields.see_also)
            .chain(&fields.template)
        {
            assert_span(&text, &name.span, "field");
        }
        for problem in &fields.problems {
            assert_span(&text, &problem.span, "field problem");
        }
    }
}

/// An empty folder that stands for the project root (shared by every process:
/// nothing is ever written to it, the text is linted in memory).
pub fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join("glosslint-fuzz-empty-root");
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    })
}

/// The built-in rules, every one of them on, for a project at [`root`].
pub fn setup() -> &'static (Registry, Config) {
    static SETUP: OnceLock<(Registry, Config)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let registry = Registry::builtin();
        let mut config = Config::defaults(root().to_path_buf(), &registry);
        // Every rule on, off-by-default ones included.
        config.restrict_rules(&|_, level| {
            if level == Level::Off {
                Level::Warning
            } else {
                level
            }
        });
        (registry, config)
    })
}

/// A request for `text` in memory as the one reported file `name` under [`root`].
pub fn request(name: &str, text: &str) -> LintRequest {
    let path = root().join(name);
    LintRequest {
        stdin_path: Some(path.clone()),
        texts: HashMap::from([(path, text.to_string())]),
        ..LintRequest::default()
    }
}

/// Lints `text` in memory as the one reported file `name` under [`root`].
pub fn lint_text(name: &str, text: &str) -> Outcome {
    let (registry, config) = setup();
    lint(config, registry, &request(name, text), root())
}

fn assert_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        assert_ne!(
            diagnostic.rule, INTERNAL_ERROR,
            "a panic was caught: {}",
            diagnostic.message
        );
        assert_eq!(diagnostic.file, 0, "only one file is linted");
        let what = || format!("{} `{}`", diagnostic.rule, diagnostic.message);
        if !is_span(text, &diagnostic.span) {
            assert_span(text, &diagnostic.span, &what());
        }
        for related in &diagnostic.related {
            if !is_span(text, &related.span) {
                assert_span(text, &related.span, &format!("related of {}", what()));
            }
        }
        if let Some(fix) = &diagnostic.fix {
            for edit in &fix.edits {
                if !is_span(text, &edit.span) {
                    assert_span(text, &edit.span, &format!("fix of {}", what()));
                }
            }
            for pair in fix.edits.windows(2) {
                assert!(
                    pair[0].span.end <= pair[1].span.start,
                    "edits of {} overlap or are out of order",
                    what()
                );
            }
        }
    }
}

/// The file name a fuzz input is linted under: its first byte picks a dump
/// (odd) or an entry file (even); the rest is the text.
pub fn split_kind(data: &[u8]) -> (&'static str, &[u8]) {
    match data.split_first() {
        Some((kind, rest)) if kind % 2 == 1 => ("glossary.txt", rest),
        Some((_, rest)) => ("entry.md", rest),
        None => ("entry.md", data),
    }
}

/// Target `check_one_file`: every rule on one file; every span sane.
pub fn check_one_file(data: &[u8]) {
    let (name, data) = split_kind(data);
    let text = decode(data);
    let outcome = lint_text(name, &text);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    assert_diagnostics(&text, &outcome.diagnostics);
}

/// The edits `fix::apply` chooses, per its contract: fixes in order, each
/// taken whole when applicable, in bounds, and clear of every edit taken so far.
pub fn chosen_edits(text: &str, diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Vec<Edit> {
    let mut chosen: Vec<Edit> = Vec::new();
    for diagnostic in diagnostics {
        let Some(fix) = &diagnostic.fix else { continue };
        if !glosslint::fix::is_applicable(fix.applicability, unsafe_fixes) {
            continue;
        }
        let in_bounds = fix.edits.iter().all(|edit| is_span(text, &edit.span));
        let clash = |a: &Range<usize>, b: &Range<usize>| {
            (a.start < b.end && b.start < a.end)
                || (a.start == b.start && (a.is_empty() || b.is_empty()))
        };
        let overlaps = fix
            .edits
            .iter()
            .any(|edit| chosen.iter().any(|other| clash(&edit.span, &other.span)));
        if in_bounds && !overlaps {
            chosen.extend(fix.edits.iter().cloned());
        }
    }
    chosen.sort_by_key(|edit| (edit.span.start, edit.span.end));
    chosen
}

/// Asserts that `fixed` is `original` with exactly `edits` applied: every
/// byte outside the edits' spans is kept, in order.
pub fn assert_only_edits_changed(original: &str, fixed: &str, edits: &[Edit]) {
    let mut cursor = 0; // in `original`
    let mut out = 0; // in `fixed`
    for edit in edits {
        let kept = &original[cursor..edit.span.start];
        assert_eq!(
            fixed.get(out..out + kept.len()),
            Some(kept),
            "bytes {cursor}..{} outside every fix changed",
            edit.span.start
        );
        out += kept.len();
        assert_eq!(
            fixed.get(out..out + edit.replacement.len()),
            Some(edit.replacement.as_ref()),
            "the edit at {:?} was not applied as written",
            edit.span
        );
        out += edit.replacement.len();
        cursor = edit.span.end;
    }
    assert_eq!(
        fixed.get(out..),
        Some(&original[cursor..]),
        "bytes after the last fix changed"
    );
}

/// Target `fix_apply`: lint, apply every fix (unsafe ones too), check that only
/// the fixed bytes changed, and repeat: a fixed point is reached within
/// `MAX_ROUNDS` rounds, as `--fix` promises.
pub fn fix_apply(data: &[u8]) {
    let (name, data) = split_kind(data);
    let mut text = decode(data);
    for round in 0..=glosslint::fix::MAX_ROUNDS {
        let outcome = lint_text(name, &text);
        assert_diagnostics(&text, &outcome.diagnostics);
        if outcome
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.rule == "malformed-entry")
        {
            return; // `--fix` leaves such files alone
        }
        let applied = glosslint::fix::apply(&text, 0, &outcome.diagnostics, true);
        let edits = chosen_edits(&text, &outcome.diagnostics, true);
        assert_eq!(applied.fixes > 0, !edits.is_empty());
        assert_only_edits_changed(&text, &applied.text, &edits);
        if applied.text == text {
            return;
        }
        assert!(
            round < glosslint::fix::MAX_ROUNDS,
            "fixes still change the text after {} rounds:\n{text:?}",
            glosslint::fix::MAX_ROUNDS
        );
        text = applied.text;
    }
}
