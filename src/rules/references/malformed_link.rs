//! ## What it does
//! Reports link syntax that does not render as a link: a space between the
//! text and the target (`[text] (/url/)`), a line break between them (`[text]`
//! at the end of a line, `(/url/)` starting the next), a second target right
//! after a link (`[a](b)(c)`), and a target wrapped in a second pair of
//! parentheses (`[a]((/x/))`; `broken-reference` leaves that one to this
//! rule). Code, math and HTML (the text model's non-prose ranges) are left
//! alone.
//!
//! ## Why is this bad?
//! The reader sees brackets and a bare path instead of a link, or a link to a
//! path with parentheses in it that the site never serves. Found by hand in
//! the French and Hindi entries of the CNCF glossary.
//!
//! ## Example
//! ```text
//! Les [microservices] (/fr/microservices/) communiquent ...
//! ```
//!
//! Use instead: `[microservices](/fr/microservices/)`.
//!
//! ## Options
//! None.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MalformedLink;

static META: RuleMeta = RuleMeta {
    id: "malformed-link",
    family: Family::References,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("malformed_link.rs"),
};

/// A target: a site path, a relative path, a URL or an anchor.
const TARGET: &str = r"(?:/|\.\.?/|https?://|#)[^()\s]*";

fn shapes() -> &'static [(Regex, &'static str, &'static str)] {
    static SHAPES: OnceLock<Vec<(Regex, &'static str, &'static str)>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let shape =
            |pattern: String| Regex::new(&pattern).unwrap_or_else(|_| Regex::new("$^").unwrap());
        vec![
            (
                shape(format!(r"\[[^\]\n]+\][ \t]+\({TARGET}\)")),
                "a space between `]` and `(` breaks the link",
                "remove the space",
            ),
            (
                shape(format!(r"\[[^\]\n]+\][ \t]*\r?\n[ \t]*\({TARGET}\)")),
                "a line break between `]` and `(` breaks the link",
                "join the text and the target on one line",
            ),
            (
                shape(format!(r"\[[^\]\n]*\]\([^()\s]*\)\({TARGET}\)")),
                "a second target follows the link",
                "keep one target",
            ),
            (
                shape(format!(r"(?:\[[^\]\n]*\])?\(\({TARGET}\)\)")),
                "the target is wrapped in a second pair of parentheses",
                "write the target in one pair of parentheses",
            ),
        ]
    })
}

impl Rule for MalformedLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let body = &cx.entry.body;
        let Some(source) = cx.file.text.get(body.span.clone()) else {
            return;
        };
        if !source.contains(']') || !source.contains('(') {
            return;
        }
        let non_prose = body.non_prose();
        let base = body.span.start;
        let mut reported: Vec<Range<usize>> = Vec::new();
        for (regex, message, help) in shapes() {
            for found in regex.find_iter(source) {
                let span = base + found.start()..base + found.end();
                let overlaps =
                    |other: &Range<usize>| other.start < span.end && span.start < other.end;
                if non_prose.overlaps(&span) || reported.iter().any(overlaps) {
                    continue;
                }
                // A message is one line: a line break shows as a space.
                let written: String = found
                    .as_str()
                    .split(['\r', '\n'])
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                sink.report(span.clone(), format!("`{written}`: {message}"))
                    .help(*help);
                reported.push(span);
            }
        }
    }
}
