//! Diagnostics: what rules produce and reporters print.
//!
//! A diagnostic holds byte spans only; lines and columns are computed once, at
//! the reporting edge. Messages never contain positions, so a baseline keyed by
//! message survives edits elsewhere in the file (SPEC 9).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Index of a file in the run's file list.
pub type FileId = usize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported, never fails the run.
    Info,
    /// Fails the run past `--max-warnings`.
    Warning,
    /// Fails the run.
    Error,
}

impl Level {
    /// Every level, in the order configuration spells them.
    pub const NAMES: [&'static str; 4] = ["error", "warning", "info", "off"];

    /// Parses a configuration level name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "info" => Some(Self::Info),
            "off" => Some(Self::Off),
            _ => None,
        }
    }

    /// The name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
            Self::Off => "off",
        }
    }
}

/// Whether a fix can be applied without a human reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `--fix`.
    Safe,
    /// Applied only with `--unsafe-fixes`.
    Unsafe,
}

/// One replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// The bytes replaced (empty for an insertion).
    pub span: Range<usize>,
    /// What replaces them: most fixes insert a fixed text (a newline, a
    /// backslash), borrowed instead of allocated for each of 80k findings.
    pub replacement: Cow<'static, str>,
}

/// A set of edits that repairs one finding.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// Non-overlapping edits, in order.
    pub edits: Vec<Edit>,
}

/// A second place a diagnostic points at (a duplicate's twin, say).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Related {
    /// The file.
    pub file: FileId,
    /// The span.
    pub span: Range<usize>,
    /// What is there.
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's id.
    pub rule: &'static str,
    /// The level in force for the file.
    pub level: Level,
    /// What is wrong; never a position.
    pub message: String,
    /// How to fix it: mostly a fixed sentence of the rule's, borrowed.
    pub help: Option<Cow<'static, str>>,
    /// The file.
    pub file: FileId,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// The term of the entry the span lies in.
    pub entry: Option<Arc<str>>,
    /// Other places involved.
    pub related: Vec<Related>,
    /// A repair, where one is safe to offer.
    pub fix: Option<Fix>,
}

/// `text` without spare capacity: `format!` reserves about twice its literal
/// parts, and a 100k-entry run keeps about 100k messages and help texts.
pub fn without_spare(mut text: String) -> String {
    text.shrink_to_fit();
    text
}

impl Diagnostic {
    /// The files this finding points into: its own, then its related places'.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        std::iter::once(self.file).chain(self.related.iter().map(|related| related.file))
    }

    /// Sets the help text.
    pub fn help(&mut self, help: impl Into<Cow<'static, str>>) -> &mut Self {
        self.help = Some(match help.into() {
            Cow::Owned(text) => Cow::Owned(without_spare(text)),
            fixed => fixed,
        });
        self
    }

    /// Adds a related location.
    pub fn related(
        &mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Attaches a fix.
    pub fn fix(&mut self, applicability: Applicability, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Fix {
            applicability,
            edits,
        });
        self
    }
}
