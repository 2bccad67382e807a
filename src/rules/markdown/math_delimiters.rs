//! ## What it does
//! Reports `$` or `$$` math that is opened and never closed. A `$` counts as an
//! opener by the same rule the Markdown parser uses: it is followed by a
//! character that is not whitespace. A `$` followed by a digit or punctuation
//! is a price or a currency sign (`$5`, `$50+ per image`, `$25-50/hour`), not
//! math, and is not reported; neither is an escaped `\$`. Math is closed when
//! the parser turned it into a formula; what is left over as text is unclosed.
//! Math opened in a table row (a line starting with `|`) and closed only on a
//! later line is unclosed too: a table cell cannot span lines.
//!
//! ## Why is this bad?
//! An unclosed formula is printed as raw LaTeX with a stray `$`. Math cannot
//! span a blank line or a table cell, so a line break inside a table row is
//! enough to break it.
//!
//! ## Example
//! ```text
//! | 7. Final prediction | $H(x) = \text{sign}(x) | Weighted vote |
//! ```
//!
//! Use instead:
//! ```text
//! | 7. Final prediction | $H(x) = \text{sign}(x)$ | Weighted vote |
//! ```
//!
//! ## Options
//! None.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MathDelimiters;

static META: RuleMeta = RuleMeta {
    id: "math-delimiters",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("math_delimiters.rs"),
};

impl Rule for MathDelimiters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        let body = &cx.entry.body;
        // What is left over as text: the model's prose runs (code, HTML and
        // escapes are not in them), then math a table row cannot hold.
        let mut found: Vec<(usize, bool)> = body
            .prose_runs()
            .iter()
            .flat_map(|run| unclosed_openers(text, run.span.clone()))
            .collect();
        found.extend(
            body.math()
                .filter(|(range, _)| in_table_row(text, body, range))
                .map(|(range, display)| (range.start, display)),
        );
        found.sort_unstable();
        for (start, display) in found {
            report(sink, start, display);
        }
    }
}

/// Math opened in a pipe-table row and closed only on a later line: a table
/// cell cannot span lines, so in the table as written the math is unclosed.
fn in_table_row(text: &str, body: &crate::model::Body<'_>, range: &std::ops::Range<usize>) -> bool {
    let Some(math) = text.get(range.clone()) else {
        return false;
    };
    if !math.contains('\n') {
        return false;
    }
    let line_start = body.line_start_of(range.start);
    text.get(line_start..range.start)
        .is_some_and(|before| before.trim_start().starts_with('|'))
}

fn report(sink: &mut Sink<'_>, start: usize, display: bool) {
    let (delimiter, length) = if display { ("$$", 2) } else { ("$", 1) };
    sink.report(
        start..start + length,
        format!("`{delimiter}` opens math that is never closed"),
    )
    .help(format!(
        "close the formula with `{delimiter}` in the same paragraph or table cell (math cannot span a blank line or a cell), or write `\\$` for a literal dollar sign"
    ));
}

/// The `$` and `$$` in the text at `range` that open math by the parser's
/// rule, prices aside: `(offset, is_display)`.
pub(crate) fn unclosed_openers(text: &str, range: std::ops::Range<usize>) -> Vec<(usize, bool)> {
    let bytes = text.as_bytes();
    let end = range.end.min(bytes.len());
    let mut found = Vec::new();
    let mut index = range.start;
    while index < end {
        if bytes[index] != b'$' {
            index += 1;
            continue;
        }
        if index > 0 && bytes[index - 1] == b'$' {
            // the second `$` of a `$$` seen with the text before it
            index += 1;
            continue;
        }
        let escaped = index > 0 && bytes[index - 1] == b'\\';
        if bytes.get(index + 1) == Some(&b'$') {
            let next = bytes.get(index + 2).copied();
            if !escaped && !next.is_some_and(|b| b.is_ascii_digit()) {
                found.push((index, true));
            }
            index += 2;
            continue;
        }
        let next = bytes.get(index + 1).copied();
        let opens = next.is_some_and(|b| {
            !b.is_ascii_whitespace()
                && !b.is_ascii_digit()
                && !matches!(
                    b,
                    b'.' | b','
                        | b';'
                        | b':'
                        | b'!'
                        | b'?'
                        | b')'
                        | b']'
                        | b'}'
                        | b'\''
                        | b'"'
                        | b'|'
                )
        });
        if opens && !escaped {
            found.push((index, false));
        }
        index += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openers(text: &str) -> Vec<(usize, bool)> {
        unclosed_openers(text, 0..text.len())
    }

    #[test]
    fn prices_are_not_math() {
        assert!(openers("charges $50+ per image at $25-50/hour").is_empty());
        assert!(openers("costs $5. Or $ 5, or \\$x").is_empty());
    }

    #[test]
    fn leftover_openers_are_found() {
        assert_eq!(openers("| $H(x) = y |"), [(2, false)]);
        assert_eq!(openers("see $$x"), [(4, true)]);
    }
}
