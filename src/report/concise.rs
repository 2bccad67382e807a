//! `path:line:column: level[rule-id] message`, one line each. The other places
//! a finding involves (a duplicate's twin) and its help (a broken link's
//! nearest terms) follow on the same line, since a pre-commit hook shows
//! nothing else: `...; also defined here: entries/a.md:2:7; help: ...`.
//! With colour, the path is bold and the level coloured as in the fancy format.

use std::fmt::Write;

use super::Texts;
use crate::diagnostic::Level;
use crate::report::Outcome;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

fn level_colour(level: Level) -> &'static str {
    match level {
        Level::Error => "\x1b[31m",
        Level::Warning => "\x1b[33m",
        Level::Info | Level::Off => "\x1b[36m",
    }
}

/// Renders every finding on its own line.
pub fn render(outcome: &Outcome, texts: &Texts, color: bool) -> String {
    let paint = |style: &'static str| if color { style } else { "" };
    let reset = paint(RESET);
    let mut out = String::new();
    for diagnostic in &outcome.diagnostics {
        let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
        let _ = write!(
            out,
            "{}{}:{line}:{column}:{reset} {}{}{reset}{}[{}]{reset} {}",
            paint(BOLD),
            outcome.files[diagnostic.file].display,
            paint(level_colour(diagnostic.level)),
            diagnostic.level.as_str(),
            paint(DIM),
            diagnostic.rule,
            diagnostic.message
        );
        for related in &diagnostic.related {
            let (line, column) = texts.position(related.file, related.span.start);
            let _ = write!(
                out,
                "; {}: {}:{line}:{column}",
                related.message, outcome.files[related.file].display
            );
        }
        if let Some(help) = &diagnostic.help {
            let _ = write!(out, "; help: {help}");
        }
        out.push('\n');
    }
    out
}
