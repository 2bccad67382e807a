//! The JSON format of SPEC 7: `{"version": 1, "summary": {...}, "diagnostics": [...]}`.

use serde::Serialize;

use super::{Summary, Texts};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::lint::Outcome;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    level: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    path: &'a str,
    entry: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    offset: usize,
    length: usize,
    replacement: &'a str,
}

fn convert<'a>(
    outcome: &'a Outcome,
    texts: &Texts,
    diagnostic: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
    let (end_line, end_column) = texts.position(diagnostic.file, diagnostic.span.end);
    JsonDiagnostic {
        rule: diagnostic.rule,
        level: diagnostic.level.as_str(),
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        path: &outcome.files[diagnostic.file].display,
        entry: diagnostic.entry.as_deref(),
        line,
        column,
        end_line,
        end_column,
        offset: diagnostic.span.start,
        length: diagnostic.span.len(),
        related: diagnostic
            .related
            .iter()
            .map(|related| {
                let (line, column) = texts.position(related.file, related.span.start);
                JsonRelated {
                    path: &outcome.files[related.file].display,
                    line,
                    column,
                    message: &related.message,
                }
            })
            .collect(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    offset: edit.span.start,
                    length: edit.span.len(),
                    replacement: &edit.replacement,
                })
                .collect(),
        }),
    }
}

/// Renders the whole outcome as one JSON object.
pub fn render(outcome: &Outcome, texts: &Texts) -> String {
    let document = Document {
        version: 1,
        summary: Summary::of(outcome),
        diagnostics: outcome
            .diagnostics
            .iter()
            .map(|diagnostic| convert(outcome, texts, diagnostic))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).expect("the JSON document serializes");
    out.push('\n');
    out
}
