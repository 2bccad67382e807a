//! Report: diagnostics to text. Line and column are computed here and only here.

pub mod concise;
pub mod fancy;
pub mod json;
pub mod line_index;

use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::lint::Outcome;
use line_index::LineIndex;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report.
    Fancy,
    /// `path:line:column: level[rule] message`.
    Concise,
    /// One JSON object.
    Json,
}

/// Counts for the summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Reported files.
    pub files: usize,
    /// Entries in them.
    pub entries: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Findings with a fix.
    pub fixable: usize,
}

impl Summary {
    /// Counts the outcome's findings.
    pub fn of(outcome: &Outcome) -> Self {
        let mut summary = Self {
            files: outcome.reported_files,
            entries: outcome.reported_entries,
            ..Self::default()
        };
        for diagnostic in &outcome.diagnostics {
            match diagnostic.level {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                Level::Info => summary.infos += 1,
                Level::Off => {}
            }
            summary.fixable += usize::from(diagnostic.fix.is_some());
        }
        summary
    }

    /// The closing line of the human formats.
    pub fn line(&self, elapsed: std::time::Duration) -> String {
        format!(
            "Checked {} {} ({} {}): {} {}, {} {}, {} {}{} in {:.0?}",
            self.files,
            plural(self.files, "file", "files"),
            self.entries,
            plural(self.entries, "entry", "entries"),
            self.errors,
            plural(self.errors, "error", "errors"),
            self.warnings,
            plural(self.warnings, "warning", "warnings"),
            self.infos,
            plural(self.infos, "info", "infos"),
            if self.fixable > 0 {
                format!(", {} fixable", self.fixable)
            } else {
                String::new()
            },
            elapsed
        )
    }
}

fn plural(count: usize, one: &'static str, many: &'static str) -> &'static str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// A file's text with its line index, shared by every finding in it.
#[derive(Clone, Debug)]
pub struct IndexedText {
    /// The path shown.
    pub name: Arc<str>,
    /// The text.
    pub text: Arc<str>,
    /// Its line starts.
    pub lines: Arc<LineIndex>,
}

/// Line indexes of every file a finding points into, built once each.
pub struct Texts {
    by_file: HashMap<FileId, IndexedText>,
}

impl Texts {
    /// Indexes the outcome's texts.
    pub fn new(outcome: &Outcome) -> Self {
        let by_file = outcome
            .texts
            .iter()
            .map(|(&id, text)| {
                let indexed = IndexedText {
                    name: outcome.files[id].display.clone(),
                    text: text.clone(),
                    lines: Arc::new(LineIndex::new(text)),
                };
                (id, indexed)
            })
            .collect();
        Self { by_file }
    }

    /// The file's text, or an empty one if it could not be read again.
    pub fn get(&self, file: FileId) -> Option<&IndexedText> {
        self.by_file.get(&file)
    }

    /// 1-based line and column of `offset` in `file`.
    pub fn position(&self, file: FileId, offset: usize) -> (usize, usize) {
        match self.by_file.get(&file) {
            Some(indexed) => indexed.lines.position(&indexed.text, offset),
            None => (1, 1),
        }
    }
}

/// Writes the findings in `format`.
pub fn render(outcome: &Outcome, format: Format, options: &fancy::Options) -> String {
    let texts = Texts::new(outcome);
    match format {
        Format::Fancy => fancy::render(outcome, &texts, options),
        Format::Concise => concise::render(outcome, &texts),
        Format::Json => json::render(outcome, &texts),
    }
}

/// Whether a finding has a fix.
pub fn is_fixable(diagnostic: &Diagnostic) -> bool {
    diagnostic.fix.is_some()
}
