//! `path:line:column: level[rule-id] message`, one line each.

use std::fmt::Write;

use super::Texts;
use crate::lint::Outcome;

/// Renders every finding on its own line.
pub fn render(outcome: &Outcome, texts: &Texts) -> String {
    let mut out = String::new();
    for diagnostic in &outcome.diagnostics {
        let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
        let _ = writeln!(
            out,
            "{}:{line}:{column}: {}[{}] {}",
            outcome.files[diagnostic.file].display,
            diagnostic.level.as_str(),
            diagnostic.rule,
            diagnostic.message
        );
    }
    out
}
