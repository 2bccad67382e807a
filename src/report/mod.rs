//! Report: diagnostics to text. Line and column are computed here and only here.

pub mod concise;
pub mod fancy;
pub mod fingerprint;
pub mod github;
pub mod json;
pub mod junit;
pub mod line_index;
pub mod sarif;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::discover::DiscoverError;
use crate::load::{self, InputFile};
use crate::rules::Registry;
use line_index::{KnownPositions, LineIndex};

/// The result of a run, ready to report.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Every file of the run, by id.
    pub files: Vec<InputFile>,
    /// Findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// In-memory text (standard input, `--fix` rounds) of files findings
    /// point into; others are read where needed (see [`Outcome::text`]).
    pub texts: HashMap<FileId, Arc<str>>,
    /// Line and column of every offset findings point at, by file.
    pub positions: HashMap<FileId, KnownPositions>,
    /// Reported files.
    pub reported_files: usize,
    /// Entries in reported files.
    pub reported_entries: usize,
    /// Every entry of a reported file, in order: its file, byte range and term.
    pub checked_entries: Vec<(FileId, std::ops::Range<usize>, Option<Arc<str>>)>,
    /// Paths that could not be read.
    pub failures: Vec<DiscoverError>,
}

impl Outcome {
    /// The text of `file`, held or read again; `None` when it cannot be read.
    pub fn text(&self, file: FileId) -> Option<Arc<str>> {
        match self.texts.get(&file) {
            Some(text) => Some(text.clone()),
            None => load::read_shared(&self.files.get(file)?.path),
        }
    }
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report.
    Fancy,
    /// `path:line:column: level[rule] message`.
    Concise,
    /// One JSON object.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, one test case per entry.
    Junit,
}

impl Format {
    /// Whether the report shows or measures the source text itself, not only
    /// lines and columns.
    pub fn draws_source(self) -> bool {
        matches!(self, Format::Fancy | Format::Sarif)
    }

    /// Whether the report is one document that a summary line or statistics
    /// appended after it would corrupt.
    pub fn is_document(self) -> bool {
        matches!(self, Format::Json | Format::Sarif | Format::Junit)
    }
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
    /// Findings with a safe fix: what `--fix` applies.
    pub fixable: usize,
    /// Findings with an unsafe fix: what `--unsafe-fixes` applies besides.
    #[serde(skip_serializing_if = "is_zero")]
    pub unsafe_fixable: usize,
    /// With a baseline: the findings it hid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    /// With a baseline: its entries no finding used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<usize>,
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
            match diagnostic.fix.as_ref().map(|fix| fix.applicability) {
                Some(crate::diagnostic::Applicability::Safe) => summary.fixable += 1,
                Some(_) => summary.unsafe_fixable += 1,
                None => {}
            }
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
            match (self.fixable, self.unsafe_fixable) {
                (0, 0) => String::new(),
                (safe, 0) => format!(", {safe} fixable"),
                (0, more) => format!(", {more} fixable with --unsafe-fixes"),
                (safe, more) => format!(", {safe} fixable ({more} more with --unsafe-fixes)"),
            },
            elapsed
        )
    }
}

fn is_zero(count: &usize) -> bool {
    *count == 0
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
    /// Positions stored by the run cache, for files whose text is not needed.
    known: HashMap<FileId, KnownPositions>,
}

impl Texts {
    /// Indexes the texts of the files the findings point into. A text the
    /// outcome does not hold is read here, at the reporting edge, unless its
    /// positions are known and `draws_source` is false (only `fancy` and
    /// `sarif` show or measure the source itself).
    pub fn new(outcome: &Outcome, draws_source: bool) -> Self {
        use rayon::prelude::*;
        let needed: BTreeSet<FileId> = outcome
            .diagnostics
            .iter()
            .flat_map(Diagnostic::files)
            .filter(|&file| file < outcome.files.len())
            .collect();
        let mut known = HashMap::new();
        if !draws_source {
            for &file in &needed {
                if let (false, Some(positions)) = (
                    outcome.texts.contains_key(&file),
                    outcome.positions.get(&file),
                ) {
                    known.insert(file, positions.clone());
                }
            }
        }
        let by_file = needed
            .into_par_iter()
            .filter(|file| !known.contains_key(file))
            .map(|file| {
                let text = outcome.text(file).unwrap_or_else(|| Arc::from(""));
                let indexed = IndexedText {
                    name: outcome.files[file].display.clone(),
                    lines: Arc::new(LineIndex::new(&text)),
                    text,
                };
                (file, indexed)
            })
            .collect();
        Self { by_file, known }
    }

    /// The file's text, or an empty one if it could not be read again.
    pub fn get(&self, file: FileId) -> Option<&IndexedText> {
        self.by_file.get(&file)
    }

    /// 1-based line and column of `offset` in `file`.
    pub fn position(&self, file: FileId, offset: usize) -> (usize, usize) {
        if let Some(indexed) = self.by_file.get(&file) {
            return indexed.lines.position(&indexed.text, offset);
        }
        self.known
            .get(&file)
            .and_then(|known| known.get(offset))
            .unwrap_or((1, 1))
    }
}

/// The line and column of every offset `diagnostics` point at, by file: each
/// file's text is taken from `held` or read, indexed, and let go before the
/// next, so a run never holds every text with findings at once.
pub fn locate(
    files: &[crate::load::InputFile],
    diagnostics: &[Diagnostic],
    held: &HashMap<FileId, Arc<str>>,
) -> HashMap<FileId, KnownPositions> {
    use rayon::prelude::*;
    let mut offsets: HashMap<FileId, Vec<usize>> = HashMap::new();
    for diagnostic in diagnostics {
        let own = offsets.entry(diagnostic.file).or_default();
        own.extend([diagnostic.span.start, diagnostic.span.end]);
        for related in &diagnostic.related {
            offsets
                .entry(related.file)
                .or_default()
                .push(related.span.start);
        }
    }
    offsets
        .into_par_iter()
        .filter_map(|(file, offsets)| {
            let text = match held.get(&file) {
                Some(text) => text.clone(),
                None => crate::load::read_shared(&files.get(file)?.path)?,
            };
            let lines = LineIndex::new(&text);
            Some((file, KnownPositions::of(&text, &lines, offsets)))
        })
        .collect()
}

/// Writes the findings in `format`; SARIF lists every rule of `registry`.
pub fn render(
    outcome: &Outcome,
    format: Format,
    options: &fancy::Options,
    registry: &Registry,
) -> String {
    let texts = Texts::new(outcome, format.draws_source());
    match format {
        Format::Fancy => fancy::render(outcome, &texts, options),
        Format::Concise => concise::render(outcome, &texts, options.color),
        Format::Json => json::render(outcome, &texts),
        Format::Sarif => sarif::render(outcome, &texts, registry),
        Format::Github => github::render(outcome, &texts),
        Format::Junit => junit::render(outcome, &texts, options.warnings_fail),
    }
}

/// Writes the report in `format` to `out`; `summary` is what the document
/// formats state about the run (JSON writes it whole). JSON is written as it
/// is made; the other formats are rendered first.
pub fn write(
    outcome: &Outcome,
    format: Format,
    options: &fancy::Options,
    registry: &Registry,
    summary: &Summary,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(outcome, &Texts::new(outcome, false), summary, out),
        _ => out.write_all(render(outcome, format, options, registry).as_bytes()),
    }
}

/// Whether a finding has a fix.
pub fn is_fixable(diagnostic: &Diagnostic) -> bool {
    diagnostic.fix.is_some()
}
