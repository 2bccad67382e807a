//! JUnit XML (SPEC 7), for CI systems that show test reports.
//!
//! One `<testsuite>` per reported file (`name` = its path) and one `<testcase>`
//! per entry (`name` = the entry's term, `classname` = the path). An entry with
//! an `error` finding fails, as the run's exit status does: its `<failure>`
//! carries the first such message and rule as attributes and lists every
//! finding of the entry, one `line:column level[rule] message` line each.
//! Warnings fail only when they fail the run (`--max-warnings` crossed). An
//! entry whose findings do not fail passes, listing them in `<system-out>`. A file that could not be read
//! is a suite with one test case in `<error>`.
//!
//! Findings are matched to entries by position: each checked entry carries its
//! byte range.

use std::collections::HashMap;
use std::fmt::Write;

use super::Texts;
use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::report::Outcome;

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
    fn failing(&self, lowest_failing: Level) -> Option<&Diagnostic> {
        self.findings
            .iter()
            .copied()
            .find(|diagnostic| diagnostic.level >= lowest_failing)
    }
}

struct Suite<'a> {
    path: &'a str,
    cases: Vec<Case<'a>>,
    /// Why the file could not be read.
    error: Option<&'a str>,
}

/// Puts each finding in the test case of the entry whose range holds it;
/// findings outside every entry get a case of their own, first.
fn assign<'a>(cases: &mut Vec<Case<'a>>, starts: &[usize], findings: Vec<&'a Diagnostic>) {
    let mut outside = Vec::new();
    for diagnostic in findings {
        match starts
            .partition_point(|&start| start <= diagnostic.span.start)
            .checked_sub(1)
        {
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
pub fn render(outcome: &Outcome, texts: &Texts, warnings_fail: bool) -> String {
    let mut findings_of: HashMap<FileId, Vec<&Diagnostic>> = HashMap::new();
    for diagnostic in &outcome.diagnostics {
        findings_of
            .entry(diagnostic.file)
            .or_default()
            .push(diagnostic);
    }
    let mut entries_of: HashMap<FileId, Vec<(usize, Option<&str>)>> = HashMap::new();
    for (file, span, term) in &outcome.checked_entries {
        entries_of
            .entry(*file)
            .or_default()
            .push((span.start, term.as_deref()));
    }
    let mut suites = Vec::new();
    for (id, file) in outcome.files.iter().enumerate() {
        let findings = findings_of.remove(&id).unwrap_or_default();
        if !file.reported && findings.is_empty() {
            continue;
        }
        let entries = entries_of.remove(&id).unwrap_or_default();
        let mut cases: Vec<Case<'_>> = entries
            .iter()
            .map(|(_, term)| Case {
                name: term.map_or_else(|| NO_TERM.to_string(), str::to_string),
                findings: Vec::new(),
            })
            .collect();
        if !findings.is_empty() {
            let starts: Vec<usize> = entries.iter().map(|(start, _)| *start).collect();
            assign(&mut cases, &starts, findings);
        }
        suites.push(Suite {
            path: &file.display,
            cases,
            error: None,
        });
    }
    let lowest_failing = if warnings_fail {
        Level::Warning
    } else {
        Level::Error
    };
    write_xml(outcome, texts, suites, lowest_failing)
}

fn write_xml<'a>(
    outcome: &'a Outcome,
    texts: &Texts,
    mut suites: Vec<Suite<'a>>,
    lowest_failing: Level,
) -> String {
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
            .filter(|case| case.failing(lowest_failing).is_some())
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
            match case.failing(lowest_failing) {
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
    use crate::load::FileKind;
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
            message: message.to_string().into(),
            help: None,
            file: 0,
            span: start..start + 1,
            entry: entry.map(Arc::from),
            related: Default::default(),
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
                (0, 5..20, term("acid")),
                (0, 20..40, term("base")),
                (0, 40..45, None),
                (0, 45..text.len(), term("acid")),
                (1, 0..1, term("clean")),
            ],
            ..Outcome::default()
        }
    }

    /// A dump whose headers start at bytes 5, 20, 40 and 45.
    const DUMP: &str = "pre\n\nacid, x\nbodyxy\nbase, y\nbody body b\n1, z\nacid, x\nbody\n";

    #[test]
    fn every_checked_entry_is_a_test_case_and_findings_find_their_entry() {
        let outcome = outcome(DUMP);
        let xml = render(&outcome, &Texts::new(&outcome, false), true);
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
    fn warnings_pass_unless_they_fail_the_run() {
        let outcome = outcome(DUMP);
        let xml = render(&outcome, &Texts::new(&outcome, false), false);
        // Only the error outside any entry fails; the warned `acid` entries pass.
        assert!(
            xml.contains("<testsuites name=\"glosslint\" tests=\"6\" failures=\"1\" errors=\"0\">"),
            "{xml}"
        );
        assert!(
            !xml.contains("<failure message=\"first &lt;acid&gt;\""),
            "{xml}"
        );
        assert!(
            xml.contains("warning[short-body] first &lt;acid&gt;"),
            "{xml}"
        );
    }
}
