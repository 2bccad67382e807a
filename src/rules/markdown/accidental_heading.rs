//! ## What it does
//! Reports a `---` or `===` line right under paragraph text, which CommonMark
//! reads as a Setext underline: the whole paragraph above becomes a heading
//! (`<h2>` for `---`, `<h1>` for `===`).
//!
//! A Setext heading counts as accidental when its text
//! - spans more than one source line, or
//! - is longer than 12 words, or
//! - ends like a sentence (`.`, `!`, `;`, `:`, `,` or `…`).
//!
//! A short one-line title such as `Title` over `=====` or `---` is an
//! intentional Setext heading and is not reported. A `---` under a table or a
//! list item is a thematic break already and is not reported either.
//!
//! The fix (safe) inserts a blank line before a `---` underline of three or
//! more dashes, so it stays a thematic break and the paragraph stays a
//! paragraph; nothing else changes. Other underlines are reported without a
//! fix: with a blank line before it, a `===` line is not a rule but a paragraph
//! reading `===`, and `-` or `--` is a list item or text, so which edit is right
//! (a `---` rule, or deleting the line) is for a person to decide. Inside a
//! block quote no fix is offered either: the blank line would split the quote.
//!
//! ## Why is this bad?
//! The lead sentence of an entry, rendered as a big heading, shouts; it also
//! shows up in the page outline and the table of contents, and the rule the
//! author meant is gone.
//!
//! ## Example
//! ```markdown
//! **Activation Beacon** is the LLM optimization technique that compresses
//! intermediate activations to reduce memory consumption.
//! ---
//! ## Core Concept
//! ```
//!
//! Use instead:
//! ```markdown
//! **Activation Beacon** is the LLM optimization technique that compresses
//! intermediate activations to reduce memory consumption.
//!
//! ---
//! ## Core Concept
//! ```
//!
//! ## Options
//! None.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::model::Body;
use crate::parse::markdown::parse_body;
use crate::rules::prelude::*;
use crate::rules::shorten;

/// See the module documentation.
pub struct AccidentalHeading;

static META: RuleMeta = RuleMeta {
    id: "accidental-heading",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::Safe,
    options: &[],
    source: include_str!("accidental_heading.rs"),
};

/// A Setext heading of more words than this is prose, not a title.
const MAX_TITLE_WORDS: usize = 12;

impl Rule for AccidentalHeading {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        for finding in find(cx.file.text, &cx.entry.body) {
            let diagnostic = sink.report(finding.span, finding.message);
            diagnostic.help(finding.help);
            if let Some(edit) = finding.fix {
                diagnostic.fix(Applicability::Safe, vec![edit]);
            }
        }
    }
}

/// One accidental heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    /// The underline, trimmed.
    pub span: Range<usize>,
    /// What happens.
    pub message: String,
    /// What to do.
    pub help: &'static str,
    /// The blank line before a `---` underline.
    pub fix: Option<Edit>,
}

/// A Setext heading being read from the events.
struct Open {
    range: Range<usize>,
    text: String,
    quoted: bool,
}

/// Every accidental Setext heading of `body`.
pub(crate) fn find(text: &str, body: &Body<'_>) -> Vec<Finding> {
    let mut found: Vec<(Finding, usize)> = Vec::new();
    let mut open: Option<Open> = None;
    for (event, range) in &body.events {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                let written = text.get(range.clone()).unwrap_or("");
                if !written.trim_start().starts_with('#') {
                    open = Some(Open {
                        range: range.clone(),
                        text: String::new(),
                        quoted: body.quote_depth_at(range.start) > 0,
                    });
                }
            }
            Event::Text(chunk) | Event::Code(chunk) | Event::InlineMath(chunk) => {
                if let Some(heading) = open.as_mut() {
                    heading.text.push_str(chunk);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(heading) = open.as_mut() {
                    heading.text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(heading) = open.take() {
                    if let Some(finding) = judge(text, heading) {
                        found.push(finding);
                    }
                }
            }
            _ => {}
        }
    }
    verify_fixes(text, body, &mut found);
    found.into_iter().map(|(finding, _)| finding).collect()
}

/// The finding for one Setext heading, with the start of its underline line.
fn judge(text: &str, heading: Open) -> Option<(Finding, usize)> {
    let mut lines: Vec<(usize, Range<usize>)> = Vec::new();
    let written = text.get(heading.range.clone())?;
    let mut offset = heading.range.start;
    for raw in written.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let content = raw.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            continue;
        }
        // Block quote markers are not part of the line as written.
        let unquoted = content.trim_start_matches(['>', ' ', '\t']);
        let leading = content.len() - unquoted.len();
        let trimmed = unquoted.trim_end();
        if trimmed.is_empty() {
            continue;
        }
        lines.push((start, start + leading..start + leading + trimmed.len()));
    }
    let (underline_start, underline) = lines.pop()?;
    let mark = text.get(underline.clone())?;
    let ch = mark.chars().next()?;
    if !matches!(ch, '-' | '=') || !mark.chars().all(|c| c == ch) {
        return None;
    }
    let title = heading
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let words = title.split_whitespace().count();
    let sentence = title.ends_with(['.', '!', ';', ':', ',', '…']);
    if lines.len() <= 1 && words <= MAX_TITLE_WORDS && !sentence {
        return None;
    }
    let (level, shown) = if ch == '=' {
        ("a level-1 heading", "===")
    } else {
        ("a heading", "---")
    };
    let fixable = ch == '-' && mark.len() >= 3 && !heading.quoted;
    let help = match (ch, fixable) {
        (_, true) => "insert a blank line before it so it stays a thematic break",
        ('-', false) if heading.quoted => {
            "end the quote with a blank `>` line before it, or delete the line"
        }
        _ => "insert a blank line before it and make it `---` for a thematic break, or delete it",
    };
    let finding = Finding {
        span: underline,
        message: format!(
            "a `{shown}` line right under the paragraph turns it into {level}: `{}`",
            shorten(&title)
        ),
        help,
        fix: fixable.then(|| Edit {
            span: underline_start..underline_start,
            replacement: if text[..underline_start].ends_with("\r\n") {
                "\r\n".into()
            } else {
                "\n".into()
            },
        }),
    };
    Some((finding, underline_start))
}

/// Drops any fix after which the underline would not be a thematic break.
fn verify_fixes(text: &str, body: &Body<'_>, found: &mut [(Finding, usize)]) {
    if found.iter().all(|(finding, _)| finding.fix.is_none()) {
        return;
    }
    let Some(source) = text.get(body.span.clone()) else {
        return;
    };
    let base = body.span.start;
    let mut fixed = String::with_capacity(source.len() + found.len() * 2);
    let mut cursor = 0;
    let mut moved: Vec<Option<usize>> = Vec::with_capacity(found.len());
    for (finding, _) in found.iter() {
        match &finding.fix {
            Some(edit) if edit.span.start >= base + cursor => {
                let at = edit.span.start - base;
                fixed.push_str(&source[cursor..at]);
                fixed.push_str(&edit.replacement);
                cursor = at;
                moved.push(Some(fixed.len()));
            }
            _ => moved.push(None),
        }
    }
    fixed.push_str(&source[cursor..]);
    let parsed = parse_body(&fixed, 0..fixed.len());
    let rules: Vec<usize> = parsed
        .events
        .iter()
        .filter(|(event, _)| matches!(event, Event::Rule))
        .map(|(_, range)| range.start)
        .collect();
    for ((finding, underline_start), moved) in found.iter_mut().zip(moved) {
        let Some(line_start) = moved else {
            finding.fix = None;
            continue;
        };
        let indent = finding.span.start - *underline_start;
        let is_rule = rules
            .iter()
            .any(|&start| line_start <= start && start <= line_start + indent);
        if !is_rule {
            finding.fix = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Vec<Finding>, String) {
        let body = parse_body(text, 0..text.len());
        let found = find(text, &body);
        let mut fixed = String::new();
        let mut cursor = 0;
        for finding in &found {
            if let Some(edit) = &finding.fix {
                fixed.push_str(&text[cursor..edit.span.start]);
                fixed.push_str(&edit.replacement);
                cursor = edit.span.end;
            }
        }
        fixed.push_str(&text[cursor..]);
        (found, fixed)
    }

    fn has_heading(text: &str) -> bool {
        pulldown_cmark::Parser::new_ext(text, crate::parse::markdown::options())
            .any(|event| matches!(event, Event::Start(Tag::Heading { .. })))
    }

    #[test]
    fn a_short_one_line_title_is_an_intentional_heading() {
        assert!(run("Title\n=====\n").0.is_empty());
        assert!(run("Core Concept\n---\n").0.is_empty());
        assert!(run("**What Is It?**\n---\n").0.is_empty());
    }

    #[test]
    fn a_long_lead_sentence_over_dashes_is_reported_and_fixed() {
        let text = "**Activation Beacon** is the LLM optimization technique that compresses intermediate activations to reduce memory\n---\n## Core\n";
        let (found, fixed) = run(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "---");
        assert!(found[0].message.starts_with(
            "a `---` line right under the paragraph turns it into a heading: `Activation Beacon is"
        ));
        assert_eq!(fixed, text.replacen("\n---", "\n\n---", 1));
        assert!(fixed.contains("\n\n---\n"));
        let headings = pulldown_cmark::Parser::new_ext(&fixed, crate::parse::markdown::options())
            .filter(|event| matches!(event, Event::Start(Tag::Heading { .. })))
            .count();
        assert_eq!(headings, 1);
    }

    #[test]
    fn two_lines_or_a_sentence_make_it_accidental() {
        let (found, fixed) = run("One line\ntwo lines\n---\n");
        assert_eq!(found.len(), 1);
        assert!(!has_heading(&fixed));
        let (found, fixed) = run("It ends here.\n----\n");
        assert_eq!(found.len(), 1);
        assert!(!has_heading(&fixed));
    }

    #[test]
    fn equals_and_short_dashes_get_no_fix() {
        let (found, fixed) =
            run("This is a whole sentence that was never meant as a heading at all.\n===\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
        assert!(found[0].message.contains("level-1"));
        assert!(has_heading(&fixed));
        let (found, _) = run("A sentence.\n--\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn rules_under_tables_and_lists_are_not_headings() {
        assert!(run("| a |\n|---|\n| 1 |\n---\n").0.is_empty());
        assert!(
            run("- an item that is a long sentence of many many words here.\n---\n")
                .0
                .is_empty()
        );
        assert!(run("Text.\n\n---\n").0.is_empty());
        assert!(run("## Heading.\n").0.is_empty());
    }

    #[test]
    fn inside_a_list_item_and_a_quote() {
        let (found, fixed) = run("- item\n  more text.\n  ---\n");
        assert_eq!(found.len(), 1);
        assert!(!has_heading(&fixed));
        let (found, _) = run("> quoted text here.\n> ---\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn crlf() {
        let (found, fixed) = run("A sentence.\r\n---\r\n");
        assert_eq!(found.len(), 1);
        assert_eq!(fixed, "A sentence.\r\n\r\n---\r\n");
    }
}
