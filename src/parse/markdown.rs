//! The one pulldown-cmark pass per entry, and the structure read off its events:
//! headings and pseudo-headings, sections, list item labels, code blocks, the
//! bold lead, and suppression comments.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::model::{
    Body, CodeBlock, Heading, HeadingKind, Link, LinkKind, ListItem, Spanned, PSEUDO_RANK,
};
use crate::parse::suppression;

/// The Markdown dialect every entry is read in: GFM plus math and wiki links.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_WIKILINKS
}

/// Parses the body at `span` of `text` once and reads its structure.
pub fn parse_body(text: &str, span: Range<usize>) -> Body<'_> {
    let source = &text[span.clone()];
    let base = span.start;
    // About one event per ten bytes of Markdown: sized once instead of
    // doubled eight times for a typical entry (and no more than 64k events
    // reserved ahead for a huge one; it grows from there as needed).
    let expected_events = (source.len() / 8 + 8).min(1 << 16);
    let mut events: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(expected_events);
    events.extend(
        Parser::new_ext(source, options())
            .into_offset_iter()
            .map(|(event, range)| (event, range.start + base..range.end + base)),
    );
    let mut body = Body {
        source: text,
        span: span.clone(),
        ..Body::default()
    };
    read_structure(text, &events, &mut body);
    body.headings = sections(text, &events, &body.code_blocks, span.clone());
    body.suppressions = suppression::find(text, span, &body.code_blocks);
    body.events = events;
    body
}

/// The text of the first level-1 heading, the term of a file without front matter.
pub fn first_level_one_heading(body: &Body<'_>) -> Option<Spanned<String>> {
    let mut inside = false;
    let mut text = String::new();
    let mut text_span: Option<Range<usize>> = None;
    for (event, range) in &body.events {
        match event {
            Event::Start(Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H1,
                ..
            }) => inside = true,
            Event::End(TagEnd::Heading(pulldown_cmark::HeadingLevel::H1)) if inside => {
                let span = text_span?;
                let trimmed = text.trim();
                return (!trimmed.is_empty()).then(|| Spanned::new(trimmed.to_string(), span));
            }
            Event::Text(chunk) | Event::Code(chunk) if inside => {
                text.push_str(chunk);
                text_span = Some(match text_span {
                    Some(span) => span.start..range.end,
                    None => range.clone(),
                });
            }
            _ => {}
        }
    }
    None
}

fn read_structure(text: &str, events: &[(Event<'_>, Range<usize>)], body: &mut Body<'_>) {
    let mut quote_depth = 0usize;
    let mut first_block_seen = false;
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::CodeBlock(kind)) => {
                let (fenced, info) = match kind {
                    CodeBlockKind::Fenced(info) => (true, info.trim().to_string()),
                    CodeBlockKind::Indented => (false, String::new()),
                };
                let closed = !fenced || fence_is_closed(&text[range.clone()], quote_depth);
                body.code_blocks.push(CodeBlock {
                    span: range.clone(),
                    fenced,
                    info,
                    closed,
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if let Some(link) = link(*link_type, dest_url, range.clone()) {
                    body.links.push(link);
                }
            }
            // `![[note]]` embeds a note: a link to it.
            Event::Start(Tag::Image {
                link_type: link_type @ LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                if let Some(link) = link(*link_type, dest_url, range.clone()) {
                    body.links.push(link);
                }
            }
            Event::Start(Tag::Item) => {
                let label = strong_at(events, index + 1, |event| {
                    matches!(event, Event::Start(Tag::Paragraph))
                });
                let label = label.map(|mut label| {
                    label.value = label
                        .value
                        .trim()
                        .trim_end_matches(':')
                        .trim_end()
                        .to_string();
                    label
                });
                body.list_items.push(ListItem {
                    span: range.clone(),
                    label,
                });
            }
            Event::Start(Tag::Paragraph) if !first_block_seen => {
                body.lead = strong_at(events, index + 1, |_| false);
            }
            _ => {}
        }
        if matches!(event, Event::Start(_)) {
            first_block_seen = true;
        }
    }
}

/// A link event as a reference to an entry, or `None` for external URLs.
fn link(link_type: LinkType, destination: &str, span: Range<usize>) -> Option<Link> {
    let kind = match link_type {
        LinkType::WikiLink { .. } => LinkKind::Wiki,
        LinkType::Autolink | LinkType::Email => return None,
        _ if is_external(destination) => return None,
        _ => LinkKind::Path,
    };
    let (target, anchor) = match destination.split_once('#') {
        Some((target, anchor)) => (target.trim(), Some(anchor.trim().to_string())),
        None => (destination.trim(), None),
    };
    Some(Link {
        kind,
        target: target.to_string(),
        anchor,
        span,
        in_front_matter: false,
    })
}

/// `https:`, `mailto:` and any other scheme, or a protocol-relative `//host`.
pub(crate) fn is_external(destination: &str) -> bool {
    if destination.starts_with("//") {
        return true;
    }
    let scheme_len = destination
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    scheme_len > 0
        && destination.as_bytes().get(scheme_len) == Some(&b':')
        && destination.as_bytes()[0].is_ascii_alphabetic()
}

/// The anchor GitHub gives a heading: lowercase, everything but letters,
/// digits, `-`, `_` and spaces dropped, spaces turned into `-`.
pub fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|ch| match ch {
            ' ' => Some('-'),
            '-' | '_' => Some(ch),
            _ if ch.is_alphanumeric() => Some(ch),
            _ => None,
        })
        .collect()
}

/// Anchors of the real headings, in order, with GitHub's `-1`, `-2` suffixes
/// for repeats.
pub fn anchors(body: &Body<'_>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut anchors = Vec::new();
    for heading in body
        .headings
        .iter()
        .filter(|heading| heading.kind != HeadingKind::Pseudo)
    {
        let slug = github_slug(&heading.text);
        let count = seen.entry(slug.clone()).or_insert(0);
        anchors.push(if *count == 0 {
            slug.clone()
        } else {
            format!("{slug}-{count}")
        });
        *count += 1;
    }
    anchors
}

/// The strong span starting at `events[index]` (after skipping events that
/// `skip` accepts), with its plain text.
fn strong_at(
    events: &[(Event<'_>, Range<usize>)],
    mut index: usize,
    skip: impl Fn(&Event<'_>) -> bool,
) -> Option<Spanned<String>> {
    while events.get(index).is_some_and(|(event, _)| skip(event)) {
        index += 1;
    }
    let (Event::Start(Tag::Strong), span) = events.get(index)? else {
        return None;
    };
    let mut label = String::new();
    for (event, _) in &events[index + 1..] {
        match event {
            Event::End(TagEnd::Strong) => return Some(Spanned::new(label, span.clone())),
            Event::Text(chunk) | Event::Code(chunk) => label.push_str(chunk),
            Event::SoftBreak | Event::HardBreak => label.push(' '),
            _ => {}
        }
    }
    None
}

/// Whether the fenced block `block`, held by `quote_depth` block quotes,
/// ends with a closing fence (each line read after its quote markers).
fn fence_is_closed(block: &str, quote_depth: usize) -> bool {
    let content = |line: &'_ str| -> String {
        let mut rest = line;
        for _ in 0..quote_depth {
            let trimmed = rest.trim_start_matches([' ', '\t']);
            match trimmed.strip_prefix('>') {
                Some(after) => rest = after.strip_prefix(' ').unwrap_or(after),
                None => break,
            }
        }
        rest.trim().to_string()
    };
    let mut lines = block.lines();
    let first_line = content(lines.next().unwrap_or(""));
    let fence_char = first_line.chars().next().unwrap_or('`');
    let fence_len = first_line
        .chars()
        .take_while(|&ch| ch == fence_char)
        .count();
    lines.last().is_some_and(|last| {
        let last = content(last);
        last.chars().take_while(|&ch| ch == fence_char).count() >= fence_len
            && last.chars().all(|ch| ch == fence_char)
    })
}

/// Real headings from the events plus pseudo-headings from the lines, with the
/// section each one opens.
fn sections(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    code_blocks: &[CodeBlock],
    body: Range<usize>,
) -> Vec<Heading> {
    let mut headings = real_headings(text, events);
    let strong_spans: Vec<Range<usize>> = events
        .iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::Strong)))
        .map(|(_, range)| range.clone())
        .collect();
    let mut blocked: Vec<Range<usize>> =
        code_blocks.iter().map(|block| block.span.clone()).collect();
    blocked.extend(headings.iter().map(|heading| heading.span.clone()));
    blocked.extend(
        events
            .iter()
            .filter(|(event, _)| matches!(event, Event::Start(Tag::HtmlBlock)))
            .map(|(_, range)| range.clone()),
    );
    // Code blocks, headings and HTML blocks are leaf blocks and never overlap:
    // sorted, only the last one starting at or before a line can hold it.
    blocked.sort_by_key(|range| range.start);
    let mut offset = body.start;
    for line in text[body.clone()].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.len() < 5 || !trimmed.starts_with("**") || !trimmed.ends_with("**") {
            continue;
        }
        // A bold sentence (`**We updated this guide.**`) is emphasis, not a
        // heading: headings do not end with a full stop in any script.
        if trimmed[..trimmed.len() - 2].ends_with(['.', '。', '।', '۔', '։']) {
            continue;
        }
        let trimmed_start = start + (line.len() - line.trim_start().len());
        let trimmed_span = trimmed_start..trimmed_start + trimmed.len();
        let before = blocked.partition_point(|range| range.start <= trimmed_span.start);
        if before
            .checked_sub(1)
            .is_some_and(|index| trimmed_span.end <= blocked[index].end)
        {
            continue;
        }
        if strong_spans
            .binary_search_by(|range| range.start.cmp(&trimmed_span.start))
            .is_ok_and(|found| strong_spans[found] == trimmed_span)
        {
            headings.push(Heading {
                kind: HeadingKind::Pseudo,
                rank: PSEUDO_RANK,
                text: trimmed[2..trimmed.len() - 2].trim().to_string(),
                span: trimmed_span,
                section: 0..0,
                parent: None,
            });
        }
    }
    headings.sort_by_key(|heading| heading.span.start);
    let mut parents: Vec<usize> = Vec::new();
    for index in 0..headings.len() {
        while parents
            .last()
            .is_some_and(|&parent| headings[parent].rank >= headings[index].rank)
        {
            parents.pop();
        }
        headings[index].parent = parents.last().copied();
        parents.push(index);
        let end = headings[index + 1..]
            .iter()
            .find(|next| next.rank <= headings[index].rank)
            .map_or(body.end, |next| next.span.start);
        headings[index].section = headings[index].span.start..end;
    }
    headings
}

fn real_headings(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut current: Option<Heading> = None;
    for (event, range) in events {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let written = text[range.clone()].trim_end();
                let kind = if written.trim_start().starts_with('#') {
                    HeadingKind::Atx
                } else {
                    HeadingKind::Setext
                };
                current = Some(Heading {
                    kind,
                    rank: *level as u8,
                    text: String::new(),
                    span: range.start..range.start + written.len(),
                    section: 0..0,
                    parent: None,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut heading) = current.take() {
                    heading.text = heading.text.trim().to_string();
                    headings.push(heading);
                }
            }
            Event::Text(chunk) | Event::Code(chunk) | Event::InlineMath(chunk) => {
                if let Some(heading) = current.as_mut() {
                    heading.text.push_str(chunk);
                }
            }
            _ => {}
        }
    }
    headings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body<'_> {
        parse_body(text, 0..text.len())
    }

    #[test]
    fn pseudo_headings_count_even_when_folded_into_a_paragraph() {
        let text = "**Acid** is sour.\n**What Is Acid?**\n- **Definition**: x.\n**Why Acid Matters**\ntext\n";
        let body = body(text);
        let titles: Vec<_> = body.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(titles, ["What Is Acid?", "Why Acid Matters"]);
        assert_eq!(&text[body.headings[0].span.clone()], "**What Is Acid?**");
        assert_eq!(body.headings[0].section, 18..57);
        assert_eq!(body.lead.as_ref().unwrap().value, "Acid");
        assert_eq!(
            body.list_items[0].label.as_ref().unwrap().value,
            "Definition"
        );
    }

    #[test]
    fn a_bold_sentence_is_not_a_pseudo_heading() {
        let text = "Text.\n\n**We updated this guide.**\n\n**এই নির্দেশিকা আপডেট করেছি।**\n\n**ガイドを更新しました。**\n";
        assert!(body(text).headings.is_empty());
    }

    #[test]
    fn sections_nest_by_rank() {
        let text = "# A\n## B\n**c**\n## D\n";
        let body = body(text);
        let ranks: Vec<_> = body.headings.iter().map(|h| (h.rank, h.parent)).collect();
        assert_eq!(ranks, [(1, None), (2, Some(0)), (7, Some(1)), (2, Some(0))]);
        assert_eq!(body.headings[0].section, 0..text.len());
        assert_eq!(body.headings[1].section, 4..15);
    }

    #[test]
    fn bold_lines_in_code_or_with_two_spans_are_not_headings() {
        let text = "```\n**not**\n```\n**a** and **b**\n";
        assert!(body(text).headings.is_empty());
    }

    #[test]
    fn a_fence_inside_a_block_quote_is_closed() {
        let body = body("> ```\n> code\n> ```\n\n> > ~~~\n> > x\n> > ~~~\n");
        assert!(body.code_blocks.iter().all(|block| block.closed));
        let unclosed = self::body("> ```\n> code\n");
        assert!(!unclosed.code_blocks[0].closed);
    }

    #[test]
    fn unclosed_fences_are_noticed() {
        let body = body("```rust\nfn x() {}\n");
        assert!(!body.code_blocks[0].closed);
        assert_eq!(body.code_blocks[0].info, "rust");
    }

    #[test]
    fn links_wiki_and_path_but_not_external() {
        let text = "See [[Acid Gas|gas]], [[Acid#Uses]], [x](../b.md#top), [y](/es/servicio/), [z](https://e.com), <https://a.b>, [s](#local).\n";
        let body = body(text);
        let found: Vec<_> = body
            .links
            .iter()
            .map(|l| (l.kind, l.target.as_str(), l.anchor.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (LinkKind::Wiki, "Acid Gas", None),
                (LinkKind::Wiki, "Acid", Some("Uses")),
                (LinkKind::Path, "../b.md", Some("top")),
                (LinkKind::Path, "/es/servicio/", None),
                (LinkKind::Path, "", Some("local")),
            ]
        );
        assert_eq!(&text[body.links[0].span.clone()], "[[Acid Gas|gas]]");
    }

    #[test]
    fn github_slugs_and_repeats() {
        assert_eq!(
            github_slug("Problema que aborda ¿Por qué?"),
            "problema-que-aborda-por-qué"
        );
        assert_eq!(github_slug("C++ & Rust: 2024"), "c--rust-2024");
        let body = body("# A\n## Uses\n## Uses\n**Pseudo**\n");
        assert_eq!(anchors(&body), ["a", "uses", "uses-1"]);
    }

    #[test]
    fn setext_headings_are_real_headings() {
        let body = body("Title\n=====\n");
        assert_eq!(body.headings[0].kind, HeadingKind::Setext);
        assert_eq!(body.headings[0].rank, 1);
    }
}
