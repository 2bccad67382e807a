//! JUnit XML (SPEC 7), for CI systems that show test reports.
//!
//! One `<testsuite>` per reported file (`name` = its path) and one `<testcase>`
//! per entry (`name` = the entry's term, `classname` = the path). An entry with
//! an `error` or `warning` finding fails: its `<failure>` carries the first such
//! message and rule as attributes and lists every finding of the entry, one
//! `line:column level[rule] message` line each. An entry with `info` findings
//! only passes, listing them in `<system-out>`. A file that could not be read
//! is a suite with one test case in `<error>`.
//!
//! Findings are matched to entries by position: the entries of a dump are
//! delimited by its header lines, an entry file is one entry. Should a file's
//! header lines and its checked entries disagree, findings are matched by term
//! instead, in order (two entries of one file with the same term may then share
//! their findings).

use std::collections::HashMap;
use std::fmt::Write;

use super::Texts;
use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::lint::Outcome;
use crate::load::FileKind;
use crate::parse::dump::header_lines;

/// The test case name of an entry without a term.
pub const NO_TERM: &str = "(no term)";
/// The test case name of findings outside every entry (text before a dump's
/// first header).
pub const OUTSIDE: &str = "(outside entries)";

struct Case<'a> {
    name: String,
    findings: Vec<&'a Diagnostic>,
}

impl Case<'_> {
    fn failing(&self) -> Option<&Diagnostic> {
        self.findings
            .iter()
            .copied()
            .find(|diagnostic| diagnostic.level >= Level::Warning)
    }
}

struct Suite<'a> {
    path: &'a str,
    cases: Vec<Case<'a>>,
    /// Why the file could not be read.
    error: Option<&'a str>,
}

/// Where each of the file's `count` entries starts, when that can be known.
fn entry_starts(
    outcome: &Outcome,
    texts: &Texts,
    file: FileId,
    count: usize,
) -> Option<Vec<usize>> {
    match outcome.files[file].kind {
        FileKind::Entry => (count == 1).then(|| vec![0]),
        FileKind::Dump => {
            let headers = header_lines(&texts.get(file)?.text);
            (headers.len() == count).then(|| headers.iter().map(|header| header.start).collect())
        }
    }
}

/// Puts each finding in its entry's test case; findings outside every entry
/// get a case of their own, first.
fn assign<'a>(
    cases: &mut Vec<Case<'a>>,
    terms: &[Option<&str>],
    starts: Option<&[usize]>,
    findings: Vec<&'a Diagnostic>,
) {
    let mut outside = Vec::new();
    let mut cursor = 0;
    for diagnostic in findings {
        let index = match starts {
            Some(starts) => starts
                .partition_point(|&start| start <= diagnostic.span.start)
                .checked_sub(1),
            None => {
                let term = diagnostic.entry.as_deref();
                let found = terms[cursor..]
                    .iter()
                    .position(|candidate| *candidate == term)
                    .map(|at| cursor + at)
                    .or_else(|| terms.iter().position(|candidate| *candidate == term));
                if let Some(found) = found {
                    cursor = found;
                }
                found
            }
        };
        match index {
            Some(index) => cases[index].findings.push(diagnostic),
            None => outside.push(diagnostic),
        }
    }
    if !outside.is_empty() {
        cases.insert(
            0,
            Case {
                name: OUTSIDE.to_string(),
                findings: outside,
            },
        );
    }
}

/// Renders one test suite per reported file, one test case per checked entry.
pub fn render(outcome: &Outcome, texts: &Texts) -> String {
    let mut findings_of: HashMap<FileId, Vec<&Diagnostic>> = HashMap::new();
    for diagnostic in &outcome.diagnostics {
        findings_of
            .entry(diagnostic.file)
            .or_default()
            .push(diagnostic);
    }
    let mut terms_of: HashMap<FileId, Vec<Option<&str>>> = HashMap::new();
    for (file, term) in &outcome.checked_entries {
        terms_of.entry(*file).or_default().push(term.as_deref());
    }
    let mut suites = Vec::new();
    for (id, file) in outcome.files.iter().enumerate() {
        let findings = findings_of.remove(&id).unwrap_or_default();
        if !file.reported && findings.is_empty() {
            continue;
        }
        let terms = terms_of.remove(&id).unwrap_or_default();
        let mut cases: Vec<Case<'_>> = terms
            .iter()
            .map(|term| Case {
                name: term.map_or_else(|| NO_TERM.to_string(), str::to_string),
                findings: Vec::new(),
            })
            .collect();
        if !findings.is_empty() {
            let starts = entry_starts(outcome, texts, id, terms.len());
            assign(&mut cases, &terms, starts.as_deref(), findings);
        }
        suites.push(Suite {
            path: &file.display,
            cases,
            error: None,
        });
    }
    write_xml(outcome, texts, suites)
}

fn write_xml<'a>(outcome: &'a Outcome, texts: &Texts, mut suites: Vec<Suite<'a>>) -> String {
    for failure in &outcome.failures {
        suites.push(Suite {
            path: &failure.path,
            cases: Vec::new(),
            error: Some(&failure.message),
        });
    }
    let count = |suite: &Suite<'_>| {
        let failures = suite
            .cases
            .iter()
            .filter(|case| case.failing().is_some())
            .count();
        let tests = suite.cases.len() + usize::from(suite.error.is_some());
        (tests, failures, usize::from(suite.error.is_some()))
    };
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for suite in &suites {
        let (t, f, e) = count(suite);
        tests += t;
        failures += f;
        errors += e;
    }
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"glosslint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    );
    for suite in &suites {
        let (tests, failures, errors) = count(suite);
        let path = escape(suite.path);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{path}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">"
        );
        if let Some(error) = suite.error {
            let _ = writeln!(
                out,
                "    <testcase name=\"(file)\" classname=\"{path}\">\n      <error message=\"{}\" type=\"unreadable\">{}</error>\n    </testcase>",
                escape(&format!("cannot read {}: {error}", suite.path)),
                escape(error)
            );
        }
        for case in &suite.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{path}\"",
                escape(&case.name)
            );
            if case.findings.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            let mut lines = String::new();
            for diagnostic in &case.findings {
                let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
                let _ = writeln!(
                    lines,
                    "{line}:{column} {}[{}] {}",
                    diagnostic.level.as_str(),
                    diagnostic.rule,
                    diagnostic.message
                );
            }
            match case.failing() {
                Some(first) => {
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        escape(&first.message),
                        escape(first.rule),
                        escape(&lines)
                    );
                }
                None => {
                    let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&lines));
                }
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for XML 1.0 attribute values and element content alike: the
/// five markup characters, line breaks and tabs as character references (so
/// attribute values keep them), and characters XML 1.0 does not allow at all
/// (other C0 controls, U+FFFE, U+FFFF) dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether XML 1.0 allows `c` (`Char` production; Rust chars are never surrogates).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::load::InputFile;

    #[test]
    fn escape_handles_markup_breaks_and_forbidden_characters() {
        assert_eq!(
            escape("a<b>&\"c'\n\u{1}\u{1b}\u{FFFE}\u{FFFF}é\u{1F600}"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;é\u{1F600}"
        );
    }

    fn outcome(text: &str) -> Outcome {
        let file = |name: &str, kind: FileKind| InputFile {
            path: format!("/c/{name}").into(),
            display: Arc::from(name),
            kind,
            reported: true,
        };
        let finding = |level: Level, start: usize, entry: Option<&str>, message: &str| Diagnostic {
            rule: "short-body",
            level,
            message: message.to_string(),
            help: None,
            file: 0,
            span: start..start + 1,
            entry: entry.map(Arc::from),
            related: Vec::new(),
            fix: None,
        };
        let term = |term: &str| Some(Arc::from(term));
        Outcome {
            files: vec![
                file("d.txt", FileKind::Dump),
                file("clean.md", FileKind::Entry),
            ],
            diagnostics: vec![
                finding(Level::Error, 0, None, "text before the first header"),
                finding(Level::Warning, 10, Some("acid"), "first <acid>"),
                finding(Level::Info, 12, Some("acid"), "second"),
                finding(Level::Info, 30, Some("base"), "info only"),
                finding(Level::Warning, 50, Some("acid"), "the twin"),
            ],
            texts: HashMap::from([(0, Arc::from(text))]),
            checked_entries: vec![
                (0, term("acid")),
                (0, term("base")),
                (0, None),
                (0, term("acid")),
                (1, term("clean")),
            ],
            ..Outcome::default()
        }
    }

    /// A dump whose headers start at bytes 5, 20, 40 and 45.
    const DUMP: &str = "pre\n\nacid, x\nbodyxy\nbase, y\nbody body b\n1, z\nacid, x\nbody\n";

    #[test]
    fn every_checked_entry_is_a_test_case_and_findings_find_their_entry() {
        assert_eq!(
            header_lines(DUMP)
                .iter()
                .map(|h| h.start)
                .collect::<Vec<_>>(),
            [5, 20, 40, 45]
        );
        let outcome = outcome(DUMP);
        let xml = render(&outcome, &Texts::new(&outcome));
        assert!(
            xml.contains("<testsuites name=\"glosslint\" tests=\"6\" failures=\"3\" errors=\"0\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase name=\"(outside entries)\" classname=\"d.txt\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase name=\"(no term)\" classname=\"d.txt\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase name=\"clean\" classname=\"clean.md\"/>"),
            "{xml}"
        );
        assert_eq!(xml.matches("<testcase name=\"acid\"").count(), 2, "{xml}");
        assert!(
            xml.contains("<failure message=\"first &lt;acid&gt;\" type=\"short-body\">"),
            "{xml}"
        );
        assert!(xml.contains("message=\"the twin\""), "{xml}");
        assert!(xml.contains("<system-out>"), "{xml}");
    }

    #[test]
    fn without_header_lines_findings_are_matched_by_term_in_order() {
        // The text does not delimit the entries: findings are matched by term,
        // moving forward, so the second `acid` finding after `base` lands in
        // the second `acid` entry.
        let mut outcome = outcome("no headers here\n");
        outcome.checked_entries.remove(2);
        let xml = render(&outcome, &Texts::new(&outcome));
        assert!(xml.contains("tests=\"5\" failures=\"3\""), "{xml}");
        assert!(
            xml.contains("<testcase name=\"(outside entries)\""),
            "{xml}"
        );
        assert!(xml.contains("<failure message=\"the twin\""), "{xml}");
        assert!(
            xml.contains("info[short-body] info only&#10;</system-out>"),
            "{xml}"
        );
    }
}
