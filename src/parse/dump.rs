//! The dump layout (SPEC 2.2): entries back to back, each opened by a header
//! line `term, tag, tag`, with no separators and usually no blank lines.

use crate::model::{Entry, ParsedFile, Problem, Spanned};
use crate::parse::markdown;

/// Splits a dump into entries and parses each body.
pub fn parse_dump(text: &str) -> ParsedFile<'_> {
    let (slots, problems) = outline(text);
    let entries = slots
        .into_iter()
        .map(|(header, end)| parse_dump_entry(text, header, end))
        .collect();
    ParsedFile { entries, problems }
}

/// Where a dump's entries are, each as its header line and where it ends,
/// and the problems outside them, without parsing any entry.
pub fn outline(text: &str) -> (Vec<(std::ops::Range<usize>, usize)>, Vec<Problem>) {
    let headers = header_lines(text);
    let mut problems = Vec::new();
    let body_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let first_header = headers.first().map_or(text.len(), |header| header.start);
    let preamble = &text[body_start..first_header];
    if !preamble.trim().is_empty() {
        let start = body_start + (preamble.len() - preamble.trim_start().len());
        let end = body_start + preamble.trim_end().len();
        problems.push(Problem {
            span: start..end,
            message: "text before the first entry header belongs to no entry".into(),
            help: Some("start the dump with a header line such as `term, tag`".into()),
        });
    }
    let slots = headers
        .iter()
        .enumerate()
        .map(|(index, header)| {
            let end = headers.get(index + 1).map_or(text.len(), |next| next.start);
            (header.clone(), end)
        })
        .collect();
    (slots, problems)
}

/// Parses the dump entry under `header`, ending at `end`.
pub fn parse_dump_entry(text: &str, header: std::ops::Range<usize>, end: usize) -> Entry<'_> {
    let line = &text[header.clone()];
    let content_len = line.trim_end_matches(['\n', '\r']).len();
    let mut items = split_items(line[..content_len].as_ref(), header.start);
    let term = (!items.is_empty())
        .then(|| items.remove(0))
        .filter(|term| !term.value.is_empty());
    let body_span = header.end..end;
    Entry {
        span: header.start..end,
        header: header.start..header.start + content_len,
        term,
        aliases: Vec::new(),
        tags: items
            .into_iter()
            .filter(|tag| !tag.value.is_empty())
            .collect(),
        see_also: Vec::new(),
        template: None,
        id: None,
        routes: Vec::new(),
        problems: Vec::new(),
        body: markdown::parse_body(text, body_span),
    }
}

/// The comma-separated items of a header, trimmed, with their spans.
fn split_items(line: &str, offset: usize) -> Vec<Spanned<String>> {
    let mut items = Vec::new();
    let mut start = 0;
    for piece in line.split(',') {
        let leading = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        let item_start = offset + start + leading;
        items.push(Spanned::new(
            trimmed.to_string(),
            item_start..item_start + trimmed.len(),
        ));
        start += piece.len() + 1;
    }
    items
}

/// The lines of `text`, each with its ending: `\n`, `\r\n`, or a lone `\r`
/// (CommonMark's three line endings; old Mac exports use the last).
fn lines_with_endings(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start == bytes.len() {
            return None;
        }
        let rest = &bytes[start..];
        let end = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(at) if rest[at] == b'\r' && rest.get(at + 1) == Some(&b'\n') => at + 2,
            Some(at) => at + 1,
            None => rest.len(),
        };
        let line = &text[start..start + end];
        start += end;
        Some(line)
    })
}

/// Byte ranges of the header lines (line ending included), outside fenced code.
pub fn header_lines(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut headers = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut offset = 0;
    for line in lines_with_endings(text) {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let content = if start == 0 {
            content.trim_start_matches('\u{feff}')
        } else {
            content
        };
        let indented = content.trim_start();
        if let Some((fence_char, fence_len)) = fence {
            if closes_fence(indented, fence_char, fence_len) {
                fence = None;
            }
            continue;
        }
        if let Some(opened) = opens_fence(indented) {
            fence = Some(opened);
            continue;
        }
        if is_header_line(content) {
            let content_start = start + (line.len() - line.trim_start_matches('\u{feff}').len());
            headers.push(content_start..offset);
        }
    }
    headers
}

/// A fence opener: three or more backticks or tildes (backtick fences may not
/// have a backtick in their info string).
pub fn opens_fence(line: &str) -> Option<(u8, usize)> {
    let fence_char = *line.as_bytes().first()?;
    if fence_char != b'`' && fence_char != b'~' {
        return None;
    }
    let len = line.bytes().take_while(|&byte| byte == fence_char).count();
    if len < 3 || (fence_char == b'`' && line[len..].contains('`')) {
        return None;
    }
    Some((fence_char, len))
}

fn closes_fence(line: &str, fence_char: u8, fence_len: usize) -> bool {
    let len = line.bytes().take_while(|&byte| byte == fence_char).count();
    len >= fence_len && line[len..].trim().is_empty()
}

/// The header rule of SPEC 2.2.
pub fn is_header_line(line: &str) -> bool {
    let Some(first) = line.chars().next() else {
        return false;
    };
    if !(first.is_lowercase() || first.is_ascii_digit()) {
        return false;
    }
    if starts_ordered_list_item(line) {
        return false;
    }
    line.contains(',') && !line.contains(['*', '|', '#', '$', '[', ']', '<', '>', '`'])
}

fn starts_ordered_list_item(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0
        && digits <= 9
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(line.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rule() {
        assert!(is_header_line(
            "acid gas scrubbing, environmental & sustainability"
        ));
        assert!(is_header_line("adam optimizer,model training"));
        assert!(is_header_line("3d printing, manufacturing"));
        assert!(!is_header_line("Acid, base"));
        assert!(!is_header_line("- a, b"));
        assert!(!is_header_line("1. first, second"));
        assert!(!is_header_line(" indented, no"));
        assert!(!is_header_line("no comma here"));
        assert!(!is_header_line("price $5, cheap"));
        assert!(!is_header_line("see [x], y"));
    }

    #[test]
    fn headers_inside_fences_do_not_count() {
        let text = "a, x\n```python\ndef f(self, x):\n```\nb, y\nbody\n";
        let parsed = parse_dump(text);
        let terms: Vec<_> = parsed
            .entries
            .iter()
            .map(|e| e.term.clone().unwrap().value)
            .collect();
        assert_eq!(terms, ["a", "b"]);
        assert_eq!(&text[parsed.entries[1].body.span.clone()], "body\n");
    }

    #[test]
    fn lone_cr_crlf_and_lf_split_alike() {
        let lf = "a, x\nbody one\n```\nc, not a header\n```\nb, y\nbody two\n";
        let spans = |text: &str| -> Vec<(String, String)> {
            parse_dump(text)
                .entries
                .iter()
                .map(|entry| {
                    (
                        text[entry.header.clone()].to_string(),
                        text[entry.body.span.clone()].replace(['\r', '\n'], "/"),
                    )
                })
                .collect()
        };
        for ending in ["\r", "\r\n"] {
            let converted = lf.replace('\n', ending);
            let expected: Vec<(String, String)> = spans(lf)
                .into_iter()
                .map(|(header, body)| (header, body.replace('/', &"/".repeat(ending.len()))))
                .collect();
            assert_eq!(spans(&converted), expected, "{ending:?}");
        }
        let pieces: Vec<&str> = lines_with_endings("a\rb\r\nc\nd").collect();
        assert_eq!(pieces, ["a\r", "b\r\n", "c\n", "d"]);
    }

    #[test]
    fn preamble_is_a_problem_and_crlf_headers_work() {
        let text = "Stray text\r\nterm one,tag\r\n**Term one** is\r\n";
        let parsed = parse_dump(text);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(&text[parsed.problems[0].span.clone()], "Stray text");
        let entry = &parsed.entries[0];
        assert_eq!(&text[entry.header.clone()], "term one,tag");
        assert_eq!(&text[entry.tags[0].span.clone()], "tag");
    }
}
