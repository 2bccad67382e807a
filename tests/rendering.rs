//! Rendering fidelity (issue 9): the proof that `swallowed-block` and
//! `accidental-heading` find what CommonMark/GFM renders differently from how
//! the source reads, and that their safe fixes (blank lines, nothing else) make
//! every entry render as written.
//!
//! For the seed dump and for every imported entry under `entries/`, the safe
//! fixes of the two rules are applied round after round, then every entry body
//! is parsed with pulldown-cmark (glosslint's options) before and after. After
//! the fixes: every pipe-table block of the source (header row, delimiter row)
//! renders as a `<table>`; every pseudo-heading is a paragraph of its own
//! holding only its strong span (`<p><strong>…</strong></p>`), never a table
//! cell; no paragraph underlined with `---` is a heading; and the only bytes
//! added are line endings.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use glosslint::config::Config;
use glosslint::diagnostic::Diagnostic;
use glosslint::discover::Request;
use glosslint::fix::{self, MAX_ROUNDS};
use glosslint::lint::{lint, LintRequest};
use glosslint::load::FileKind;
use glosslint::model::HeadingKind;
use glosslint::parse::{markdown, parse_file, ParseOptions};
use glosslint::rules::Registry;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

const RULES: [&str; 2] = ["swallowed-block", "accidental-heading"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn seed() -> PathBuf {
    std::fs::canonicalize(root().join("tests/fixtures/seed/000_0599fd0ebb462db5.txt"))
        .expect("the seed dump is present")
}

fn entry_files_in(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("the folder is present")
        .map(|entry| entry.expect("readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

/// One file through the fix rounds.
struct Fixed {
    original: String,
    fixed: String,
    /// The two rules' findings on the original text.
    first: Vec<Diagnostic>,
    /// The two rules' findings on the fixed text.
    last: Vec<Diagnostic>,
}

/// Lints `path` (with its text replaced by `text`, if given) and returns the
/// file's id and the two rules' findings in it.
fn findings(path: &Path, text: Option<&str>) -> (usize, Vec<Diagnostic>) {
    let registry = Registry::builtin();
    let cwd = path.parent().expect("a folder").to_path_buf();
    let config = Config::defaults(cwd.clone(), &registry);
    let mut request = LintRequest {
        discover: Request {
            paths: vec![path.to_path_buf()],
            no_ignore: true,
        },
        ..LintRequest::default()
    };
    if let Some(text) = text {
        request.texts.insert(path.to_path_buf(), text.to_string());
    }
    let outcome = lint(&config, &registry, &request, &cwd);
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    // Other files of the corpus may be read for references; only this one counts.
    let id = outcome
        .files
        .iter()
        .position(|file| file.path == path)
        .expect("the file is linted");
    assert!(outcome.files[id].reported);
    let found = outcome
        .diagnostics
        .into_iter()
        .filter(|diagnostic| diagnostic.file == id && RULES.contains(&diagnostic.rule))
        .collect();
    (id, found)
}

fn fix_rounds(path: &Path) -> Fixed {
    let original = std::fs::read_to_string(path).expect("UTF-8");
    let (mut id, first) = findings(path, None);
    let mut text = original.clone();
    let mut last = first.clone();
    for _ in 0..MAX_ROUNDS {
        let applied = fix::apply(&text, id, &last, false);
        if applied.fixes == 0 || applied.text == text {
            break;
        }
        text = applied.text;
        (id, last) = findings(path, Some(&text));
    }
    Fixed {
        original,
        fixed: text,
        first,
        last,
    }
}

/// Whether `fixed` is `original` with line endings inserted and nothing else.
fn only_newlines_inserted(original: &str, fixed: &str) -> bool {
    let (old, new) = (original.as_bytes(), fixed.as_bytes());
    let mut i = 0;
    for &byte in new {
        if i < old.len() && old[i] == byte {
            i += 1;
        } else if byte != b'\n' && byte != b'\r' {
            return false;
        }
    }
    i == old.len()
}

/// What a renderer makes of one entry body.
#[derive(Debug, Default)]
struct Rendering {
    /// `<table>` elements.
    tables: usize,
    /// Pipe-table blocks written in the source, outside code.
    written_tables: usize,
    /// Pseudo-headings (SPEC 2.3) that are not `<p><strong>…</strong></p>`.
    pseudo_not_alone: Vec<String>,
    /// Pseudo-headings inside a table cell.
    pseudo_in_cells: Vec<String>,
    /// Setext headings underlined with dashes: paragraphs turned into `<h2>`.
    dashed_headings: Vec<String>,
}

fn render(text: &str, kind: FileKind) -> Vec<Rendering> {
    let parsed = parse_file(
        text,
        kind,
        std::path::Path::new(""),
        &ParseOptions::default(),
    );
    parsed
        .entries
        .iter()
        .map(|entry| {
            let span = entry.body.span.clone();
            let source = &text[span.clone()];
            let events: Vec<(Event<'_>, Range<usize>)> =
                Parser::new_ext(source, markdown::options())
                    .into_offset_iter()
                    .collect();
            let mut rendering = Rendering::default();
            let code: Vec<Range<usize>> = events
                .iter()
                .filter(|(event, _)| {
                    matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock))
                })
                .map(|(_, range)| range.clone())
                .collect();
            rendering.tables = events
                .iter()
                .filter(|(event, _)| matches!(event, Event::Start(Tag::Table(_))))
                .count();
            rendering.written_tables = written_tables(source, &code);
            for heading in &entry.body.headings {
                let local = heading.span.start - span.start..heading.span.end - span.start;
                match heading.kind {
                    HeadingKind::Pseudo => {
                        if in_cell(&events, local.start) {
                            rendering.pseudo_in_cells.push(heading.text.clone());
                        }
                        if !alone(&events, &local) {
                            rendering.pseudo_not_alone.push(heading.text.clone());
                        }
                    }
                    HeadingKind::Setext => {
                        let written = text[heading.span.clone()].trim_end();
                        if written.ends_with('-') {
                            rendering.dashed_headings.push(heading.text.clone());
                        }
                    }
                    HeadingKind::Atx => {}
                }
            }
            rendering
        })
        .collect()
}

/// Header row then delimiter row, outside code blocks.
fn written_tables(source: &str, code: &[Range<usize>]) -> usize {
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        lines.push((offset, line.trim()));
        offset += line.len();
    }
    let is_delimiter = |line: &str| {
        line.contains('-')
            && line.contains('|')
            && line.chars().all(|ch| matches!(ch, '|' | '-' | ':' | ' '))
    };
    lines
        .windows(2)
        .filter(|pair| {
            let (start, header) = pair[0];
            let in_code = code
                .iter()
                .any(|range| range.start <= start && start < range.end);
            !in_code && header.starts_with('|') && !is_delimiter(header) && is_delimiter(pair[1].1)
        })
        .count()
}

fn in_cell(events: &[(Event<'_>, Range<usize>)], offset: usize) -> bool {
    events.iter().any(|(event, range)| {
        matches!(event, Event::Start(Tag::TableCell)) && range.start <= offset && offset < range.end
    })
}

/// Whether a paragraph holds exactly the strong span at `span`.
fn alone(events: &[(Event<'_>, Range<usize>)], span: &Range<usize>) -> bool {
    events.iter().enumerate().any(|(index, (event, range))| {
        if !matches!(event, Event::Start(Tag::Paragraph)) || range.start != span.start {
            return false;
        }
        let end_of_strong = events[index + 1..]
            .iter()
            .position(|(event, _)| matches!(event, Event::End(TagEnd::Strong)));
        matches!(events.get(index + 1), Some((Event::Start(Tag::Strong), strong)) if *strong == *span)
            && end_of_strong.is_some_and(|at| {
                matches!(
                    events.get(index + 1 + at + 1),
                    Some((Event::End(TagEnd::Paragraph), _))
                )
            })
    })
}

fn summary(renderings: &[Rendering]) -> (usize, usize, usize, usize, usize) {
    renderings.iter().fold((0, 0, 0, 0, 0), |sum, r| {
        (
            sum.0 + r.tables,
            sum.1 + r.written_tables,
            sum.2 + r.pseudo_not_alone.len(),
            sum.3 + r.pseudo_in_cells.len(),
            sum.4 + r.dashed_headings.len(),
        )
    })
}

fn assert_renders_as_written(name: &str, renderings: &[Rendering]) {
    for (index, rendering) in renderings.iter().enumerate() {
        assert_eq!(
            rendering.tables, rendering.written_tables,
            "{name}, entry {index}: tables"
        );
        assert!(
            rendering.pseudo_not_alone.is_empty(),
            "{name}, entry {index}: pseudo-headings not on their own: {:?}",
            rendering.pseudo_not_alone
        );
        assert!(
            rendering.pseudo_in_cells.is_empty(),
            "{name}, entry {index}: pseudo-headings in table cells: {:?}",
            rendering.pseudo_in_cells
        );
        assert!(
            rendering.dashed_headings.is_empty(),
            "{name}, entry {index}: paragraphs turned into headings: {:?}",
            rendering.dashed_headings
        );
    }
}

/// The trimmed byte range of the first line of `text` equal to `line` after `from`.
fn line_span(text: &str, line: &str, from: &str) -> Range<usize> {
    let after = text.find(from).expect("anchor present");
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        if offset >= after && raw.trim() == line {
            let start = offset + (raw.len() - raw.trim_start().len());
            return start..start + line.len();
        }
        offset += raw.len();
    }
    panic!("no line {line:?} after {from:?}");
}

#[test]
fn the_seed_renders_as_written_after_the_fixes() {
    let path = seed();
    let result = fix_rounds(&path);
    let before = render(&result.original, FileKind::Dump);
    assert_eq!(before.len(), 50);
    let (tables, written, not_alone, in_cells, dashed) = summary(&before);
    assert!(tables < written, "some tables are swallowed before the fix");
    assert!(not_alone > 0 && in_cells > 0 && dashed > 0);

    let after = render(&result.fixed, FileKind::Dump);
    assert_eq!(after.len(), 50, "the fixes keep every entry");
    eprintln!(
        "seed: (tables, pipe-table blocks, pseudo-headings not alone, in cells, dashed headings) \
         before {:?}, after {:?}; {} findings",
        summary(&before),
        summary(&after),
        result.first.len()
    );
    assert_renders_as_written("seed", &after);
    assert!(only_newlines_inserted(&result.original, &result.fixed));
    assert!(
        result.last.is_empty(),
        "findings left after the fixes: {:?}",
        result.last
    );
    assert!(result.first.iter().all(|found| found.fix.is_some()));

    // Each case of issue 9 is reported on its own line.
    let text = &result.original;
    let expect = |rule: &str, line: &str, from: &str, message: &str| {
        let span = line_span(text, line, from);
        assert!(
            result.first.iter().any(|found| found.rule == rule
                && found.span == span
                && found.message.contains(message)),
            "no `{rule}` finding on {line:?} ({message}); found: {:#?}",
            result
                .first
                .iter()
                .map(|found| (&found.span, &found.message))
                .collect::<Vec<_>>()
        );
    };
    expect(
        "swallowed-block",
        "**What Is Acid Gas Scrubbing?**",
        "acid gas scrubbing,",
        "folded into the paragraph above",
    );
    expect(
        "swallowed-block",
        "**Why Acid Gas Scrubbing Matters**",
        "acid gas scrubbing,",
        "folded into the list item above",
    );
    expect(
        "swallowed-block",
        "**How AdaBoost Works**",
        "adaboost,",
        "folded into the list item above",
    );
    expect(
        "swallowed-block",
        "| Step | Process | Effect |",
        "adaboost,",
        "table is folded into the list item above",
    );
    expect(
        "swallowed-block",
        "**Implementation**",
        "activation checkpoint,",
        "becomes a row of the table above",
    );
    expect(
        "swallowed-block",
        "**ReLU (Rectified Linear Unit)**",
        "activation function,",
        "becomes a row of the table above",
    );
    let beacon = text.find("activation beacon,").expect("entry present");
    let dashes = beacon + text[beacon..].find("\n---\n").expect("a rule") + 1;
    assert!(
        result
            .first
            .iter()
            .any(|found| found.rule == "accidental-heading" && found.span == (dashes..dashes + 3)),
        "the `---` under the activation beacon lead is reported"
    );
}

/// The seed imported afresh by `glosslint import`, as `entries/` was before its
/// fixes were committed.
fn freshly_imported() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_glosslint"))
        .current_dir(dir.path())
        .arg("import")
        .arg(root().join("tests/fixtures/seed/000_0599fd0ebb462db5.txt"))
        .args(["--out", "entries"])
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

#[test]
fn the_committed_entries_render_as_written() {
    let files = entry_files_in(&root().join("entries"));
    assert_eq!(files.len(), 50);
    for path in files {
        let name = path.display().to_string();
        let result = fix_rounds(&path);
        assert!(
            result.first.is_empty(),
            "{name} still needs the fixes: {:?}",
            result.first
        );
        assert_renders_as_written(&name, &render(&result.original, FileKind::Entry));
    }
}

#[test]
fn every_imported_entry_renders_as_written_after_the_fixes() {
    let imported = freshly_imported();
    let files = entry_files_in(&imported.path().join("entries"));
    assert_eq!(files.len(), 50);
    let mut fixed_files = 0;
    let mut totals: HashMap<&str, usize> = HashMap::new();
    for path in files {
        let name = path.display().to_string();
        let result = fix_rounds(&path);
        for found in &result.first {
            *totals.entry(found.rule).or_default() += 1;
        }
        let after = render(&result.fixed, FileKind::Entry);
        assert_renders_as_written(&name, &after);
        assert!(
            only_newlines_inserted(&result.original, &result.fixed),
            "{name}: only line endings are inserted"
        );
        assert!(
            result.last.is_empty(),
            "{name}: findings left after the fixes: {:?}",
            result.last
        );
        if result.fixed != result.original {
            fixed_files += 1;
        }
    }
    assert!(fixed_files > 0, "the imported entries need fixing");
    assert!(totals.get("swallowed-block").is_some_and(|&n| n > 0));
}

#[test]
fn only_newlines_inserted_is_strict() {
    assert!(only_newlines_inserted("a\nb\n", "a\n\nb\n"));
    assert!(only_newlines_inserted("a\r\nb\r\n", "a\r\n\r\nb\r\n"));
    assert!(!only_newlines_inserted("a\nb\n", "a\n\nc\n"));
    assert!(!only_newlines_inserted("a\nb\n", "a\n"));
}
