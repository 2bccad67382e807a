//! ## What it does
//! Reports a `---` or `===` line right under paragraph text, which CommonMark
//! reads as a Setext underline: the whole paragraph above becomes a heading
//! (`<h2>` for `---`, `<h1>` for `===`).
//!
//! A Setext heading counts as accidental when its text
//! - spans more than one source line, or
//! - is longer than 12 words (measured as `short-body` measures length, so
//!   that each Han, kana or Thai character counts as a word), or
//! - ends like a sentence (`.`, `!`, `;`, `:`, `,` or `…`, and their CJK and
//!   Devanagari forms `。！；：，।`).
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

use crate::model::Body;
use crate::parse::markdown::parse_body;
use crate::parse::text::{text_length, BlockKind};
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

/// Every accidental Setext heading of `body`, read off the text model: its
/// heading blocks, lines, quote markers, prose runs and length.
pub(crate) fn find(text: &str, body: &Body<'_>) -> Vec<Finding> {
    let mut found: Vec<(Finding, usize)> = Vec::new();
    for block in body.blocks() {
        if block.kind != BlockKind::Heading {
            continue;
        }
        let written = text.get(block.range.clone()).unwrap_or("");
        if written.trim_start().starts_with('#') {
            continue;
        }
        if let Some(finding) = judge(text, body, block.range.clone()) {
            found.push(finding);
        }
    }
    verify_fixes(text, body, &mut found);
    found.into_iter().map(|(finding, _)| finding).collect()
}

/// The heading's text as it renders: its prose runs and inline code or
/// math, white space folded.
fn title(text: &str, body: &Body<'_>, heading: &Range<usize>) -> String {
    let inside = |range: &Range<usize>| heading.start <= range.start && range.end <= heading.end;
    let mut pieces: Vec<Range<usize>> = body
        .prose_runs()
        .iter()
        .filter(|run| run.in_heading)
        .map(|run| run.span.clone())
        .chain(body.inline_non_prose())
        .filter(inside)
        .collect();
    pieces.sort_by_key(|piece| piece.start);
    let joined: Vec<&str> = pieces
        .into_iter()
        .map(|piece| text.get(piece).unwrap_or(""))
        .collect();
    joined
        .concat()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The finding for one Setext heading, with the start of its underline line.
fn judge(text: &str, body: &Body<'_>, heading: Range<usize>) -> Option<(Finding, usize)> {
    let quoted = body.quote_depth_at(heading.start) > 0;
    // Each non-blank line: where it starts, and its text without quote markers.
    let mut lines: Vec<(usize, Range<usize>)> = Vec::new();
    for (index, line) in body.lines_in(heading.clone()).enumerate() {
        let depth = body.quote_depth_at(line.start);
        // The first line starts where the heading does, after any markers.
        let content = if index == 0 {
            line.clone()
        } else {
            body.after_quote_markers(line.clone(), depth)
        };
        let written = text.get(content.clone()).unwrap_or("");
        let trimmed = written.trim();
        if trimmed.is_empty() {
            continue;
        }
        let leading = written.len() - written.trim_start().len();
        let start = content.start + leading;
        lines.push((line.start, start..start + trimmed.len()));
    }
    let (underline_start, underline) = lines.pop()?;
    let mark = text.get(underline.clone())?;
    let ch = mark.chars().next()?;
    if !matches!(ch, '-' | '=') || !mark.chars().all(|c| c == ch) {
        return None;
    }
    let title = title(text, body, &heading);
    // Length in every script, as `short-body` measures it (a Chinese title
    // of twelve characters is as long as an English one of twelve words).
    let words = text_length(&title);
    let sentence = title.ends_with([
        '.', '!', ';', ':', ',', '…', '。', '！', '；', '：', '，', '।',
    ]);
    if lines.len() <= 1 && words <= MAX_TITLE_WORDS && !sentence {
        return None;
    }
    let (level, shown) = if ch == '=' {
        ("a level-1 heading", "===")
    } else {
        ("a heading", "---")
    };
    let fixable = ch == '-' && mark.len() >= 3 && !quoted;
    let help = match (ch, fixable) {
        (_, true) => "insert a blank line before it so it stays a thematic break",
        ('-', false) if quoted => {
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
    let rules: Vec<usize> = parsed.thematic_breaks().collect();
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
    use pulldown_cmark::{Event, Tag};

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
    fn length_and_sentence_ends_in_every_script() {
        // A short Chinese title is a title; a Chinese sentence is not.
        assert!(run("核心概念\n---\n").0.is_empty());
        assert_eq!(run("容器是一种轻量级的可执行镜像。\n---\n").0.len(), 1);
        // Thirteen Han characters are longer than a title, without a stop.
        assert_eq!(run("容器是一种轻量级的可执行镜像包\n---\n").0.len(), 1);
        // Markup is not part of the title; inline code is.
        let (found, _) = run("**Pods** run `containers` here\n> q\n");
        assert!(found.is_empty());
        let (found, _) = run("**Pods** run `containers` and more.\n---\n");
        assert!(
            found[0]
                .message
                .ends_with("`Pods run `containers` and more.`"),
            "{:?}",
            found[0].message
        );
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
