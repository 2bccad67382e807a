//! Load: turn a discovered path into text whose byte offsets equal the file's.
//!
//! Invalid UTF-8 must not stop a check, and every span must still be a byte range
//! into the original file. So each invalid byte is replaced by one ASCII SUB
//! (`0x1A`) byte: the text is valid UTF-8 of exactly the original length, and the
//! replaced ranges are kept so `control-character` can report them.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a file holds its entries (SPEC 2.1 and 2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// One entry per file, optionally with front matter.
    Entry,
    /// Many entries back to back, each opened by a `term, tag` header line.
    Dump,
}

/// The stand-in for one invalid byte; one byte long, so offsets are kept.
pub const INVALID_BYTE_STAND_IN: char = '\u{1A}';

/// A file's text, ready to parse.
#[derive(Debug)]
pub struct SourceText {
    /// Valid UTF-8, byte for byte as long as the file.
    pub text: String,
    /// Byte ranges that were not valid UTF-8 in the file.
    pub invalid_utf8: Vec<Range<usize>>,
}

impl SourceText {
    /// Decodes bytes, replacing each invalid byte by [`INVALID_BYTE_STAND_IN`].
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        match String::from_utf8(bytes) {
            Ok(text) => Self {
                text,
                invalid_utf8: Vec::new(),
            },
            Err(error) => {
                let mut bytes = error.into_bytes();
                let mut invalid_utf8: Vec<Range<usize>> = Vec::new();
                let mut start = 0;
                while start < bytes.len() {
                    match std::str::from_utf8(&bytes[start..]) {
                        Ok(_) => break,
                        Err(error) => {
                            let bad_start = start + error.valid_up_to();
                            let bad_len = error.error_len().unwrap_or(bytes.len() - bad_start);
                            for byte in &mut bytes[bad_start..bad_start + bad_len] {
                                *byte = INVALID_BYTE_STAND_IN as u8;
                            }
                            match invalid_utf8.last_mut() {
                                Some(last) if last.end == bad_start => {
                                    last.end = bad_start + bad_len
                                }
                                _ => invalid_utf8.push(bad_start..bad_start + bad_len),
                            }
                            start = bad_start + bad_len;
                        }
                    }
                }
                let text =
                    String::from_utf8(bytes).expect("every invalid byte was replaced by ASCII");
                Self { text, invalid_utf8 }
            }
        }
    }

    /// Wraps text that is already valid UTF-8 (standard input, tests).
    pub fn from_string(text: String) -> Self {
        Self {
            text,
            invalid_utf8: Vec::new(),
        }
    }
}

/// A file that is part of the run: where it is, how it is laid out, and whether
/// its diagnostics are reported or it only feeds the corpus index.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Path used to open the file.
    pub path: PathBuf,
    /// Path shown to the user: relative to the working directory, `/`-separated.
    pub display: Arc<str>,
    /// Entry file or dump.
    pub kind: FileKind,
    /// Whether diagnostics in this file are reported in this run.
    pub reported: bool,
}

/// Files larger than this are not parsed: `parse::parse_file` reports them
/// (`malformed-entry`) instead, and only the first `MAX_FILE_BYTES + 1` bytes
/// are ever read, so memory stays bounded whatever the file's size.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Reads one file; an error is returned, never a panic, and the run goes on.
/// Only regular files are read (a FIFO or a device named on the command line
/// would block or never end), and at most `MAX_FILE_BYTES + 1` bytes of them.
pub fn read(path: &Path) -> std::io::Result<SourceText> {
    use std::io::Read;
    // Asked before opening: opening a FIFO blocks until a writer comes.
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    let expected = usize::try_from(metadata.len()).unwrap_or(usize::MAX);
    let mut bytes = Vec::with_capacity(expected.min(MAX_FILE_BYTES) + 1);
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(SourceText::from_bytes(bytes))
}

/// Configuration files (`glosslint.toml`, `rules/*.toml`) larger than this
/// are refused: a real one is a few kilobytes, and a file that never ends
/// (`/dev/zero`) must not fill memory.
pub const MAX_CONFIG_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a file the run is configured by (configuration, house rules, a
/// baseline) through the same gate as entries: a regular file, or a symlink
/// to one, of at most `max_bytes` bytes of UTF-8. The error says which of
/// these the file is not; a FIFO is never opened, so it cannot block the run.
pub fn read_settings_file(path: &Path, max_bytes: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        let kind = if metadata.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        return Err(Error::new(ErrorKind::InvalidInput, kind));
    }
    let too_large = || {
        Error::new(
            ErrorKind::InvalidData,
            format!("larger than the limit of {max_bytes} bytes"),
        )
    };
    if metadata.len() > max_bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The size read above may be stale by now: stop one byte past the limit.
    std::fs::File::open(path)?
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not valid UTF-8"))
}

/// The text of `path` to share among readers; `None` when it cannot be read.
pub fn read_shared(path: &Path) -> Option<std::sync::Arc<str>> {
    read(path)
        .ok()
        .map(|source| std::sync::Arc::from(source.text))
}

/// The part of `path` past `base/` when it is UTF-8 made of plain names
/// (no `.`, `..` or empty part), as discovery hands out under a lexically
/// clean root: the root-relative path without splitting either into
/// components. `None` otherwise, and off Unix.
pub fn plain_relative<'p>(path: &'p Path, base: &Path) -> Option<&'p str> {
    if !cfg!(unix) {
        return None;
    }
    let rest = path
        .as_os_str()
        .as_encoded_bytes()
        .strip_prefix(base.as_os_str().as_encoded_bytes())?
        .strip_prefix(b"/")?;
    let plain = rest
        .split(|&byte| byte == b'/')
        .all(|part| !part.is_empty() && part != b"." && part != b"..");
    plain.then(|| std::str::from_utf8(rest).ok()).flatten()
}

/// `path` relative to `base` with `/` separators, climbing with `..` when it
/// lies outside `base` (both absolute, or both relative to the same folder).
pub fn display_path(path: &Path, base: &Path) -> String {
    use std::path::Component;
    // The common case, a path under `base`, without splitting both into parts.
    if let Some(rest) = plain_relative(path, base) {
        return rest.to_string();
    }
    #[cfg(unix)]
    if let Ok(rest) = path.strip_prefix(base) {
        let clean = rest
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
        if clean && !rest.as_os_str().is_empty() {
            return rest.to_string_lossy().into_owned();
        }
    }
    let path_parts: Vec<Component<'_>> = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let base_parts: Vec<Component<'_>> = base
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = Vec::new();
    if common == 0 && path.is_absolute() {
        return path.to_string_lossy().replace('\\', "/");
    }
    parts.extend(base_parts[common..].iter().map(|_| "..".to_string()));
    parts.extend(
        path_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_keep_their_offsets() {
        let source = SourceText::from_bytes(b"ab\xffc\xe2\x82d\xf0".to_vec());
        assert_eq!(source.text.len(), 8);
        assert_eq!(source.invalid_utf8, vec![2..3, 4..6, 7..8]);
        assert_eq!(&source.text[6..7], "d");
    }

    #[cfg(unix)]
    #[test]
    fn settings_files_pass_the_gate_only_when_regular_small_and_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.toml");
        std::fs::write(&small, "a = 1\n").unwrap();
        assert_eq!(read_settings_file(&small, 16).unwrap(), "a = 1\n");
        let refused =
            |path: &Path, max: u64| read_settings_file(path, max).unwrap_err().to_string();
        assert_eq!(refused(&small, 3), "larger than the limit of 3 bytes");
        let fifo = dir.path().join("fifo.toml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        assert_eq!(refused(&fifo, 16), "not a regular file");
        let link = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(refused(&link, 16), "not a regular file");
        assert_eq!(refused(dir.path(), 16), "a folder");
        std::fs::write(&small, b"a = \xff\n").unwrap();
        assert_eq!(refused(&small, 16), "not valid UTF-8");
    }

    #[test]
    fn display_paths_are_relative_to_the_base() {
        assert_eq!(
            display_path(Path::new("/w/main/entries/a.md"), Path::new("/w/main")),
            "entries/a.md"
        );
        assert_eq!(
            display_path(Path::new("/w/shared/seed.txt"), Path::new("/w/main")),
            "../shared/seed.txt"
        );
        assert_eq!(
            display_path(Path::new("/w/main"), Path::new("/w/main")),
            "."
        );
        // A byte prefix that is not a folder prefix, and a climb back out.
        for (path, shown) in [
            ("/w/mainly/a.md", "../mainly/a.md"),
            ("/w/main/../shared/x.txt", "../shared/x.txt"),
        ] {
            assert_eq!(display_path(Path::new(path), Path::new("/w/main")), shown);
        }
    }
}
