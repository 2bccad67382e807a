//! ## What it does
//! Reports control characters other than tab and line endings, the replacement
//! character U+FFFD (the trace of an earlier bad decode), and bytes that are not
//! valid UTF-8. The rest of the file is still checked.
//!
//! ## Why is this bad?
//! Such characters are invisible in most editors, break search and diffs, and
//! render as boxes or nothing at all.
//!
//! ## Example
//! ```text
//! Acid neutralization treats waste\u{0}streams ...
//! ```
//!
//! Use instead: delete the character, or re-save the file as UTF-8.
//!
//! ## Options
//! None.

use crate::load::INVALID_BYTE_STAND_IN;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct ControlCharacter;

static META: RuleMeta = RuleMeta {
    id: "control-character",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("control_character.rs"),
};

impl Rule for ControlCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_file(&self, cx: &FileContext<'_>, sink: &mut Sink<'_>) {
        if cx.text.len() > crate::load::MAX_FILE_BYTES {
            return; // not checked: `malformed-entry` says so (and `load` cut it short)
        }
        for range in cx.invalid_utf8 {
            sink.report(
                range.clone(),
                format!("{} byte(s) of invalid UTF-8", range.len()),
            )
            .help("re-save the file as UTF-8");
        }
        if !may_hold_flagged(cx.text.as_bytes()) {
            return;
        }
        let mut run: Option<(usize, usize, char)> = None;
        for (offset, ch) in cx.text.char_indices() {
            let flagged = is_flagged(ch)
                && !(ch == INVALID_BYTE_STAND_IN && in_ranges(cx.invalid_utf8, offset));
            match (flagged, run) {
                (true, Some((start, end, first))) if end == offset => {
                    run = Some((start, offset + ch.len_utf8(), first))
                }
                (true, previous) => {
                    if let Some((start, end, first)) = previous {
                        report_run(sink, start..end, first);
                    }
                    run = Some((offset, offset + ch.len_utf8(), ch));
                }
                (false, _) => {}
            }
        }
        if let Some((start, end, first)) = run {
            report_run(sink, start..end, first);
        }
    }
}

/// Whether `text` has a byte some flagged character starts with: control
/// characters are the bytes below 0x20 and 0x7F, or start with 0xC2
/// (U+0080 to U+009F); U+FFFD starts with 0xEF. A byte scan, far cheaper than
/// decoding every character of every file.
fn may_hold_flagged(text: &[u8]) -> bool {
    text.iter().any(|&byte| {
        (byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r'))
            || matches!(byte, 0x7f | 0xc2 | 0xef)
    })
}

fn is_flagged(ch: char) -> bool {
    ch == '\u{FFFD}' || (ch.is_control() && !matches!(ch, '\t' | '\n' | '\r'))
}

/// `ranges` are sorted and disjoint (`load` builds them left to right).
fn in_ranges(ranges: &[std::ops::Range<usize>], offset: usize) -> bool {
    let after = ranges.partition_point(|range| range.end <= offset);
    ranges
        .get(after)
        .is_some_and(|range| range.contains(&offset))
}

fn report_run(sink: &mut Sink<'_>, span: std::ops::Range<usize>, first: char) {
    let message = if first == '\u{FFFD}' {
        "replacement character U+FFFD: text was decoded with the wrong encoding".to_string()
    } else {
        format!("control character U+{:04X}", first as u32)
    };
    sink.report(span, message)
        .help("delete it, or replace it with the character meant");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_sees_every_flagged_character() {
        let mut buffer = [0u8; 4];
        for ch in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            if is_flagged(ch) {
                assert!(
                    may_hold_flagged(ch.encode_utf8(&mut buffer).as_bytes()),
                    "{ch:?}"
                );
            }
        }
        assert!(!may_hold_flagged(
            "plain text\twith tabs\r\nand é, —, ∑".as_bytes()
        ));
    }
}
