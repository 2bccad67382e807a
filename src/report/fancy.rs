//! miette's graphical report. miette's stock `SourceCode` for strings scans from
//! the start of the text for every label, which is quadratic on a large dump
//! with many findings; [`IndexedText`] answers from its line index instead.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, Severity,
    SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;

use super::{IndexedText, Texts};
use crate::diagnostic::{Diagnostic, Level};
use crate::report::Outcome;

/// Drawing options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// ANSI colours.
    pub color: bool,
    /// Whether a warning fails like an error (`--max-warnings` was crossed):
    /// JUnit marks an entry with only warnings as failed then, else passed.
    pub warnings_fail: bool,
}

impl SourceCode for IndexedText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = self.text.as_ref();
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let last_byte = if span.is_empty() { start } else { end - 1 };
        let first_line = self
            .lines
            .line_of(start)
            .saturating_sub(context_lines_before);
        let last_line = (self.lines.line_of(last_byte) + context_lines_after)
            .min(self.lines.line_count().saturating_sub(1));
        let (from, column) = if context_lines_before == 0 {
            (
                start,
                text[self.lines.line_start(self.lines.line_of(start))..start].len(),
            )
        } else {
            (self.lines.line_start(first_line), 0)
        };
        let to = self.lines.line_start(last_line + 1).max(from);
        let first_line = if context_lines_before == 0 {
            self.lines.line_of(start)
        } else {
            first_line
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            first_line,
            column,
            last_line - first_line + 1,
        )))
    }
}

/// One finding, in the shape miette draws.
struct Drawn<'a> {
    message: String,
    code: &'static str,
    severity: Severity,
    help: Option<String>,
    source: Option<&'a IndexedText>,
    labels: Vec<LabeledSpan>,
    related: Vec<Drawn<'a>>,
}

impl fmt::Debug for Drawn<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl fmt::Display for Drawn<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for Drawn<'_> {}

impl miette::Diagnostic for Drawn<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.code.is_empty()).then(|| Box::new(self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = LabeledSpan>>)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic))
                as Box<dyn Iterator<Item = _>>
        })
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info | Level::Off => Severity::Advice,
    }
}

fn drawn<'a>(diagnostic: &Diagnostic, texts: &'a Texts) -> Drawn<'a> {
    let source = texts.get(diagnostic.file);
    let clamp = |span: &std::ops::Range<usize>| {
        let len = source.map_or(0, |s| s.text.len());
        let start = span.start.min(len);
        (start, span.end.clamp(start, len) - start)
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        None,
        clamp(&diagnostic.span),
    )];
    let mut related = Vec::new();
    for other in &diagnostic.related {
        if other.file == diagnostic.file {
            labels.push(LabeledSpan::new_with_span(
                Some(other.message.to_string()),
                clamp(&other.span),
            ));
        } else {
            let other_source = texts.get(other.file);
            let len = other_source.map_or(0, |s| s.text.len());
            let start = other.span.start.min(len);
            related.push(Drawn {
                message: format!(
                    "{}: {}",
                    other_source.map_or("?", |s| s.name.as_ref()),
                    other.message
                ),
                code: "",
                severity: Severity::Advice,
                help: None,
                source: other_source,
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(other.message.to_string()),
                    (start, other.span.end.clamp(start, len) - start),
                )],
                related: Vec::new(),
            });
        }
    }
    Drawn {
        message: diagnostic.message.to_string(),
        code: diagnostic.rule,
        severity: severity(diagnostic.level),
        help: diagnostic.help.as_deref().map(str::to_string),
        source,
        labels,
        related,
    }
}

/// Draws every finding.
pub fn render(outcome: &Outcome, texts: &Texts, options: &Options) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    // Findings are drawn in parallel chunks and joined in order.
    let chunks: Vec<String> = outcome
        .diagnostics
        .par_chunks(256)
        .map(|chunk| {
            let mut out = String::new();
            for diagnostic in chunk {
                let drawn = drawn(diagnostic, texts);
                if handler.render_report(&mut out, &drawn).is_err() {
                    out.push_str(&format!("{}: {}\n", diagnostic.rule, diagnostic.message));
                }
                out.push('\n');
            }
            out
        })
        .collect();
    chunks.concat()
}

/// Draws configuration errors and other one-off reports on a named text.
pub fn render_one(
    name: &str,
    text: &str,
    span: std::ops::Range<usize>,
    message: &str,
    help: Option<&str>,
    color: bool,
) -> String {
    let indexed = IndexedText {
        name: name.into(),
        text: text.into(),
        lines: std::sync::Arc::new(super::LineIndex::new(text)),
    };
    let start = span.start.min(text.len());
    let drawn = Drawn {
        message: message.to_string(),
        code: "",
        severity: Severity::Error,
        help: help.map(str::to_string),
        source: Some(&indexed),
        labels: vec![LabeledSpan::new_primary_with_span(
            None,
            (start, span.end.clamp(start, text.len()) - start),
        )],
        related: Vec::new(),
    };
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let _ = GraphicalReportHandler::new_themed(theme).render_report(&mut out, &drawn);
    out
}
