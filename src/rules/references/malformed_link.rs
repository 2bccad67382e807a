//! ## What it does
//! Reports link syntax that does not render as a link: a space between the
//! text and the target (`[text] (/url/)`), a second target right after a link
//! (`[a](b)(c)`), and a target wrapped in a second pair of parentheses
//! (`[a]((/x/))`). Code spans and code blocks are left alone.
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

use pulldown_cmark::Event;
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
        if !source.contains("](") && !source.contains("] (") {
            return;
        }
        let code: Vec<Range<usize>> = body
            .code_blocks
            .iter()
            .map(|block| block.span.clone())
            .chain(
                body.events
                    .iter()
                    .filter(|(event, _)| matches!(event, Event::Code(_)))
                    .map(|(_, range)| range.clone()),
            )
            .collect();
        let base = body.span.start;
        let mut reported: Vec<Range<usize>> = Vec::new();
        for (regex, message, help) in shapes() {
            for found in regex.find_iter(source) {
                let span = base + found.start()..base + found.end();
                let overlaps =
                    |other: &Range<usize>| other.start < span.end && span.start < other.end;
                if code.iter().any(overlaps) || reported.iter().any(overlaps) {
                    continue;
                }
                sink.report(span.clone(), format!("`{}`: {message}", found.as_str()))
                    .help(*help);
                reported.push(span);
            }
        }
    }
}
