//! Suppression comments (SPEC 4): `<!-- glosslint-disable ID ID -->` up to
//! `<!-- glosslint-enable ID -->`, `<!-- glosslint-disable-next-line ID -->` and
//! `<!-- glosslint-disable-file ID -->`; no id means every rule.

use std::ops::Range;

use crate::model::{CodeBlock, Spanned, Suppression, SuppressionKind};

const OPEN: &str = "<!--";
const CLOSE: &str = "-->";
const PREFIX: &str = "glosslint-";

struct Directive {
    name: String,
    span: Range<usize>,
    rules: Vec<Spanned<String>>,
}

/// Finds every suppression comment in `span` of `text`, outside code.
///
/// A `disable` region with no matching `enable` runs to the end of the entry.
pub fn find(text: &str, span: Range<usize>, code_blocks: &[CodeBlock]) -> Vec<Suppression> {
    let directives = directives(text, span.clone(), code_blocks);
    let ends = region_ends(&directives);
    let mut suppressions = Vec::new();
    for (index, directive) in directives.iter().enumerate() {
        let (kind, scope) = match directive.name.as_str() {
            "disable-file" => (SuppressionKind::File, 0..text.len()),
            "disable-next-line" => {
                let line_start = text[directive.span.end..]
                    .find('\n')
                    .map_or(span.end, |at| directive.span.end + at + 1);
                let line_end = text[line_start..]
                    .find('\n')
                    .map_or(text.len(), |at| line_start + at);
                (
                    SuppressionKind::NextLine,
                    line_start.min(span.end)..line_end.min(span.end),
                )
            }
            "disable" => {
                let end = ends[index].map_or(span.end, |later| directives[later].span.start);
                (SuppressionKind::Region, directive.span.end..end)
            }
            _ => continue,
        };
        suppressions.push(Suppression {
            kind,
            span: directive.span.clone(),
            rules: directive.rules.clone(),
            scope,
        });
    }
    suppressions
}

/// For each `disable`, the index of the first later `enable` that ends it: one
/// naming no rule, or any `enable` for a `disable` naming no rule, or one that
/// names one of its rules. One backward sweep (a forward search from every
/// `disable` was quadratic in the number of comments).
fn region_ends(directives: &[Directive]) -> Vec<Option<usize>> {
    let mut ends = vec![None; directives.len()];
    let mut next_any: Option<usize> = None;
    let mut next_bare: Option<usize> = None;
    let mut next_naming: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (index, directive) in directives.iter().enumerate().rev() {
        match directive.name.as_str() {
            "disable" if directive.rules.is_empty() => ends[index] = next_any,
            "disable" => {
                ends[index] = directive
                    .rules
                    .iter()
                    .filter_map(|rule| next_naming.get(rule.value.as_str()).copied())
                    .chain(next_bare)
                    .min();
            }
            "enable" => {
                next_any = Some(index);
                if directive.rules.is_empty() {
                    next_bare = Some(index);
                }
                for rule in &directive.rules {
                    next_naming.insert(rule.value.as_str(), index);
                }
            }
            _ => {}
        }
    }
    ends
}

fn directives(text: &str, span: Range<usize>, code_blocks: &[CodeBlock]) -> Vec<Directive> {
    let mut found = Vec::new();
    let mut cursor = span.start;
    // Set up once: `str::find` sets up its searcher on every call, for every
    // entry.
    static OPENING: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(OPEN));
    while let Some(at) = OPENING.find(&text.as_bytes()[cursor..span.end]) {
        let start = cursor + at;
        let inner_start = start + OPEN.len();
        // The close is searched after the opener: in `<!-->` the `-->`
        // overlaps `<!--` (found by the `entry_file` fuzz target).
        let Some(close) = text[inner_start..span.end].find(CLOSE) else {
            break;
        };
        let end = inner_start + close + CLOSE.len();
        cursor = end;
        // Code blocks come in document order and never overlap.
        let before = code_blocks.partition_point(|block| block.span.start <= start);
        if before
            .checked_sub(1)
            .is_some_and(|index| code_blocks[index].span.contains(&start))
        {
            continue;
        }
        let inner = &text[inner_start..inner_start + close];
        let leading = inner.len() - inner.trim_start().len();
        let Some(command) = inner.trim_start().strip_prefix(PREFIX) else {
            continue;
        };
        let mut words = word_spans(command, inner_start + leading + PREFIX.len());
        if words.is_empty() {
            continue;
        }
        let name = words.remove(0).value;
        let rules = words.into_iter().map(|word| {
            let value = word.value.trim_end_matches(',').to_string();
            Spanned::new(
                value.clone(),
                word.span.start..word.span.start + value.len(),
            )
        });
        found.push(Directive {
            name,
            span: start..end,
            rules: rules.filter(|rule| !rule.value.is_empty()).collect(),
        });
    }
    found
}

fn word_spans(text: &str, offset: usize) -> Vec<Spanned<String>> {
    let mut words = Vec::new();
    let mut start = None;
    for (index, ch) in text.char_indices().chain([(text.len(), ' ')]) {
        match (ch.is_whitespace(), start) {
            (true, Some(from)) => {
                words.push(Spanned::new(
                    text[from..index].to_string(),
                    offset + from..offset + index,
                ));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => {}
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_overlapping_the_open_is_not_a_close() {
        let text = "a <!-->>> b --> <!---->\n<!-- glosslint-disable-file -->";
        let found = find(text, 0..text.len(), &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, SuppressionKind::File);
    }

    #[test]
    fn regions_lines_and_files() {
        let text = "a\n<!-- glosslint-disable short-body empty-body -->\nb\n<!-- glosslint-enable short-body -->\nc\n<!-- glosslint-disable-next-line -->\nd\n<!--glosslint-disable-file repeated-word-->\n";
        let found = find(text, 0..text.len(), &[]);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].kind, SuppressionKind::Region);
        assert_eq!(found[0].rules.len(), 2);
        assert_eq!(&text[found[0].rules[1].span.clone()], "empty-body");
        assert!(text[found[0].scope.clone()].contains("b\n"));
        assert!(!text[found[0].scope.clone()].contains("c\n"));
        assert_eq!(&text[found[1].scope.clone()], "d");
        assert!(found[1].rules.is_empty());
        assert_eq!(found[2].scope, 0..text.len());
    }
}
