//! Byte offset to line and column, computed once per file at the reporting edge.

/// Where each line starts.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// Inside long lines, every [`CHECKPOINT_STRIDE`] bytes or so: a char
    /// boundary and how many characters precede it on its line. A column is
    /// counted from the nearest one, so many findings on one long line cost
    /// what they would on short lines (counting from the line's start made
    /// 200k findings on one line quadratic).
    checkpoints: Vec<(usize, usize)>,
    len: usize,
}

/// Bytes between two column checkpoints, at most (plus one character).
const CHECKPOINT_STRIDE: usize = 256;

impl LineIndex {
    /// Indexes `text`; `\n`, `\r\n` and a lone `\r` each end a line.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut checkpoints = Vec::new();
        let mut last_mark = 0;
        let mut chars_on_line = 0;
        for (index, &byte) in bytes.iter().enumerate() {
            let boundary = byte & 0xC0 != 0x80;
            if boundary {
                if index - last_mark >= CHECKPOINT_STRIDE {
                    checkpoints.push((index, chars_on_line));
                    last_mark = index;
                }
                chars_on_line += 1;
            }
            let ends_line = match byte {
                b'\n' => true,
                b'\r' => bytes.get(index + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                starts.push(index + 1);
                last_mark = index + 1;
                chars_on_line = 0;
            }
        }
        Self {
            starts,
            checkpoints,
            len: text.len(),
        }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset.min(self.len))
            - 1
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based column in Unicode scalar values.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let nearest = self
            .checkpoints
            .partition_point(|&(mark, _)| mark <= offset)
            .checked_sub(1)
            .map(|at| self.checkpoints[at])
            .filter(|&(mark, _)| mark >= start);
        let (from, before) = nearest.unwrap_or((start, 0));
        (line + 1, before + text[from..offset].chars().count() + 1)
    }
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Line and column of chosen offsets of one file, kept where its text is not
/// (the run cache stores them, so printing findings reads no file).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KnownPositions {
    /// Offset, 1-based line, 1-based column; sorted by offset.
    known: Vec<(usize, usize, usize)>,
}

impl KnownPositions {
    /// The positions of `offsets` in `text`.
    pub fn of(text: &str, lines: &LineIndex, offsets: impl IntoIterator<Item = usize>) -> Self {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let known = offsets
            .into_iter()
            .map(|offset| {
                let (line, column) = lines.position(text, offset);
                (offset, line, column)
            })
            .collect();
        Self { known }
    }

    /// The line and column of `offset`, if it is one of the known.
    pub fn get(&self, offset: usize) -> Option<(usize, usize)> {
        let at = self
            .known
            .binary_search_by_key(&offset, |&(known, _, _)| known)
            .ok()?;
        let (_, line, column) = self.known[at];
        Some((line, column))
    }

    /// Whether no offset is known.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_scalar_values_and_all_line_endings() {
        let text = "a√b\r\nc\rd\ne";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.position(text, 4), (1, 3));
        assert_eq!(index.position(text, 7), (2, 1));
        assert_eq!(index.position(text, 9), (3, 1));
        assert_eq!(index.position(text, text.len()), (4, 2));
    }

    /// Every offset of a text with long lines of mixed scripts and all
    /// three line endings, against counting from the line's start.
    #[test]
    fn checkpointed_columns_equal_counted_columns() {
        let line = "ab√Ωc日本語 ".repeat(200);
        let text = format!("{line}\r\n{line}\r{line}\nshort\n{line}");
        let index = LineIndex::new(&text);
        assert!(index.checkpoints.len() > 20);
        let mut line_start = 0;
        let mut line_number = 1;
        for (offset, character) in text.char_indices() {
            let column = text[line_start..offset].chars().count() + 1;
            assert_eq!(
                index.position(&text, offset),
                (line_number, column),
                "{offset}"
            );
            let next = offset + character.len_utf8();
            let ends = character == '\n'
                || (character == '\r' && text.as_bytes().get(next) != Some(&b'\n'));
            if ends {
                line_start = next;
                line_number += 1;
            }
        }
    }

    #[test]
    fn known_positions_answer_only_what_was_asked_and_agree_with_the_index() {
        let text = "a√b\r\nc\rd\ne";
        let index = LineIndex::new(text);
        let known = KnownPositions::of(text, &index, [9, 4, 4, 0]);
        for offset in [0, 4, 9] {
            assert_eq!(known.get(offset), Some(index.position(text, offset)));
        }
        assert_eq!(known.get(7), None);
    }
}
