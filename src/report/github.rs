//! GitHub Actions workflow commands (SPEC 7), one per finding, which GitHub
//! turns into annotations on the pull request:
//!
//! ```text
//! ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=glosslint(rule-id)::message
//! ```
//!
//! `warning` findings become `::warning`, `info` ones `::notice`. The help, if
//! any, follows the message on a second line of the annotation. Values are
//! escaped as the runner expects: `%`, `\r` and `\n` everywhere, and `:` and `,`
//! in property values too.

use std::fmt::Write;

use super::Texts;
use crate::diagnostic::Level;
use crate::report::Outcome;

/// The workflow command of a level (`None` for `off`, which is never reported).
pub fn command(level: Level) -> Option<&'static str> {
    match level {
        Level::Error => Some("error"),
        Level::Warning => Some("warning"),
        Level::Info => Some("notice"),
        Level::Off => None,
    }
}

/// Escapes a command's message (its data).
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes a property value (`file=`, `title=`).
pub fn escape_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders one workflow command per finding.
pub fn render(outcome: &Outcome, texts: &Texts) -> String {
    let mut out = String::new();
    for diagnostic in &outcome.diagnostics {
        let Some(command) = command(diagnostic.level) else {
            continue;
        };
        let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
        let (end_line, end_column) = texts.position(diagnostic.file, diagnostic.span.end);
        let mut message = diagnostic.message.to_string();
        if let Some(help) = &diagnostic.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
            escape_property(&outcome.files[diagnostic.file].display),
            escape_property(&format!("glosslint({})", diagnostic.rule)),
            escape_data(&message),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("50% a,b: c\r\nd"), "50%25 a,b: c%0D%0Ad");
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("dir,x/a:b%.md\n"), "dir%2Cx/a%3Ab%25.md%0A");
        assert_eq!(
            escape_property("glosslint(short-body)"),
            "glosslint(short-body)"
        );
    }

    #[test]
    fn levels_map_to_commands() {
        assert_eq!(command(Level::Error), Some("error"));
        assert_eq!(command(Level::Warning), Some("warning"));
        assert_eq!(command(Level::Info), Some("notice"));
        assert_eq!(command(Level::Off), None);
    }
}
