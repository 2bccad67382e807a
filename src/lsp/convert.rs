//! Conversions at the protocol's edge: byte offsets to LSP positions (UTF-16
//! code units, as the protocol requires; `\n`, `\r\n` and a lone `\r` all end
//! a line), file URIs to paths, and findings to LSP diagnostics.

use std::borrow::Cow;
use std::ops::Range;
use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Uri,
};

use crate::diagnostic::{Diagnostic, Level};
use crate::report::line_index::{floor_char_boundary, LineIndex};

/// A text with its line index, converting byte offsets to and from LSP
/// positions.
#[derive(Clone, Debug)]
pub struct Lines<'t> {
    text: &'t str,
    index: Cow<'t, LineIndex>,
}

impl<'t> Lines<'t> {
    /// Indexes `text`.
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            index: Cow::Owned(LineIndex::new(text)),
        }
    }

    /// `text` with a line index built earlier (kept across calls).
    pub fn borrowed(text: &'t str, index: &'t LineIndex) -> Self {
        Self {
            text,
            index: Cow::Borrowed(index),
        }
    }

    /// The text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The position of byte `offset` (clamped to the text, and back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line);
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    /// The byte offset of `position`; a column past the end of its line is
    /// the line's end, a line past the end is the end of the text, and a
    /// column inside a surrogate pair moves to the character after it.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let start = self.index.line_start(line);
        let end = self.line_end(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, ch) in self.text[start..end].char_indices() {
            if units >= wanted {
                return start + at;
            }
            units += ch.len_utf16();
        }
        end
    }

    /// The LSP range of a byte span.
    pub fn range(&self, span: &Range<usize>) -> lsp_types::Range {
        lsp_types::Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte span of an LSP range.
    pub fn span(&self, range: &lsp_types::Range) -> Range<usize> {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.index.line_start(line)
    }

    /// Byte offset where 0-based `line` ends, before its line break.
    pub fn line_end(&self, line: usize) -> usize {
        let next = if line + 1 < self.index.line_count() {
            self.index.line_start(line + 1)
        } else {
            return self.text.len();
        };
        let before = &self.text[..next];
        if before.ends_with("\r\n") {
            next - 2
        } else {
            next - 1
        }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset)
    }

    /// The line break that ends 0-based `line` (`\n` after the last line).
    pub fn line_break(&self, line: usize) -> &'t str {
        let end = self.line_end(line);
        let next = if line + 1 < self.index.line_count() {
            self.index.line_start(line + 1)
        } else {
            end
        };
        match &self.text[end..next] {
            "" => "\n",
            found => found,
        }
    }
}

/// The path of a `file:` URI, percent-decoded; `None` for other schemes.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            if let Some(value) = rest
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                decoded.push(value);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    Some(bytes_to_path(decoded))
}

#[cfg(unix)]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn bytes_to_path(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> Uri {
    let text = path.to_string_lossy();
    let mut encoded = String::with_capacity(text.len() + 8);
    encoded.push_str("file://");
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'.' | b'_' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
        .parse()
        .expect("a percent-encoded file URI always parses")
}

/// The LSP severity of a level.
pub fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Info | Level::Off => DiagnosticSeverity::INFORMATION,
    }
}

/// A finding as an LSP diagnostic; `related` gives the URI and lines of
/// another file (for duplicates' twins and links' targets).
pub fn diagnostic(
    found: &Diagnostic,
    lines: &Lines<'_>,
    related: &mut dyn FnMut(usize, &Range<usize>) -> Option<Location>,
) -> lsp_types::Diagnostic {
    let mut message = found.message.to_string();
    if let Some(help) = &found.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related_information: Vec<DiagnosticRelatedInformation> = found
        .related
        .iter()
        .filter_map(|item| {
            Some(DiagnosticRelatedInformation {
                location: related(item.file, &item.span)?,
                message: item.message.to_string(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range: lines.range(&found.span),
        severity: Some(severity(found.level)),
        code: Some(NumberOrString::String(found.rule.to_string())),
        code_description: None,
        source: Some("glosslint".into()),
        message,
        related_information: (!related_information.is_empty()).then_some(related_information),
        tags: None,
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_round_trip_on_every_line_ending() {
        let text = "a√—b\r\nc😀d\re\nf";
        let lines = Lines::new(text);
        // `√` and `—` are one UTF-16 unit each, three bytes each in UTF-8.
        assert_eq!(lines.position(7), Position::new(0, 3));
        assert_eq!(lines.offset(Position::new(0, 3)), 7);
        // `😀` is two UTF-16 units and four bytes.
        let d = text.find('d').unwrap();
        assert_eq!(lines.position(d), Position::new(1, 3));
        assert_eq!(lines.offset(Position::new(1, 3)), d);
        assert_eq!(lines.offset(Position::new(1, 2)), d, "inside the pair");
        assert_eq!(lines.position(text.find('e').unwrap()), Position::new(2, 0));
        assert_eq!(lines.position(text.len()), Position::new(3, 1));
        // Past the end of a line: before its `\r\n`.
        assert_eq!(lines.offset(Position::new(0, 99)), 8);
        assert_eq!(lines.line_break(0), "\r\n");
        assert_eq!(lines.line_break(1), "\r");
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn file_uris_and_paths() {
        let path = Path::new("/tmp/a b/√.md");
        let uri = uri_of(path);
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%E2%88%9A.md");
        assert_eq!(path_of(&uri).unwrap(), path);
        let vscode: Uri = "file:///tmp/a%20b/%e2%88%9a.md".parse().unwrap();
        assert_eq!(path_of(&vscode).unwrap(), path);
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
    }
}
