//! The server's standard input and output: Content-Length framed JSON-RPC
//! that survives a misbehaving client.
//!
//! `lsp-server`'s own stdio transport ends the connection on the first frame
//! it cannot read (bad JSON, a missing or non-numeric `Content-Length`,
//! invalid UTF-8) and allocates whatever length a header claims, so one bad
//! frame dropped the editor and `Content-Length: 99999999999999` aborted the
//! process. This reader never gives up on the stream: a body that is not a
//! message is answered with JSON-RPC error -32700 (not JSON) or -32600 (JSON,
//! but not a message), with a `null` id as the specification says when the
//! id cannot be read; a header block without a usable length, or one over
//! [`MAX_FRAME_BYTES`], is skipped with a note on standard error, and reading
//! resumes at the next `Content-Length` header, wherever in a line it starts
//! (the bytes of a body whose length was unknown run into it).

use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

use lsp_server::{Connection, Message};

/// Frames longer than this are skipped: the largest entry the checker reads
/// (`load::MAX_FILE_BYTES`), twice over for JSON escaping.
pub const MAX_FRAME_BYTES: u64 = 2 * crate::load::MAX_FILE_BYTES as u64;

/// A header line longer than this keeps only its last [`HEADER_TAIL`] bytes:
/// enough for a `Content-Length` header that follows stray body bytes.
const MAX_HEADER_LINE: usize = 64 * 1024;
const HEADER_TAIL: usize = 256;

const LENGTH_HEADER: &[u8] = b"content-length:";

/// The thread writing to standard output; joined to flush the last answers.
pub struct Writer(JoinHandle<()>);

impl Writer {
    /// Waits until every message sent on the connection is written.
    pub fn join(self) {
        let _ = self.0.join();
    }
}

/// A connection on standard input and output, read by [`read_frames`].
pub fn stdio() -> (Connection, Writer) {
    let (server, transport) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = transport;
    let writer = std::thread::Builder::new()
        .name("glosslint-lsp-writer".into())
        .spawn(move || {
            for message in from_server {
                // Locked per frame, so the reader's error answers fall
                // between frames.
                let mut out = io::stdout().lock();
                if message.write(&mut out).is_err() {
                    return;
                }
            }
        })
        .expect("a thread can be started");
    std::thread::Builder::new()
        .name("glosslint-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            read_frames(
                &mut input,
                &mut |message| to_server.send(message).is_ok(),
                &mut io::stdout(),
                &mut io::stderr(),
            );
        })
        .expect("a thread can be started");
    (server, Writer(writer))
}

/// Reads frames from `input` until it ends, `deliver` refuses a message, or
/// `exit` is delivered. Error answers go to `answers`, notes to `log`.
pub fn read_frames(
    input: &mut impl BufRead,
    deliver: &mut dyn FnMut(Message) -> bool,
    answers: &mut impl Write,
    log: &mut impl Write,
) {
    let mut line = Vec::new();
    loop {
        let length = match read_header(input, &mut line) {
            Ok(Some(length)) => length,
            Ok(None) | Err(_) => return,
        };
        let length = match length {
            Ok(length) if length <= MAX_FRAME_BYTES => length,
            Ok(length) => {
                let _ = writeln!(
                    log,
                    "glosslint lsp: skipped a frame of {length} bytes (the limit is {MAX_FRAME_BYTES})"
                );
                continue;
            }
            Err(problem) => {
                let _ = writeln!(log, "glosslint lsp: skipped a frame: {problem}");
                continue;
            }
        };
        let mut body = Vec::new();
        // Grown as bytes arrive, never to a length only claimed.
        if input.take(length).read_to_end(&mut body).is_err() || (body.len() as u64) < length {
            return;
        }
        match serde_json::from_slice::<Message>(&body) {
            Ok(message) => {
                let is_exit =
                    matches!(&message, Message::Notification(note) if note.method == "exit");
                if !deliver(message) || is_exit {
                    return;
                }
            }
            Err(error) => {
                let (code, what) = if serde_json::from_slice::<serde_json::Value>(&body).is_ok() {
                    (-32600, "Invalid Request")
                } else {
                    (-32700, "Parse error")
                };
                let _ = writeln!(log, "glosslint lsp: {what}: {error}");
                let answer = serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": {"code": code, "message": format!("{what}: {error}")},
                })
                .to_string();
                // One `write_all`: standard output is locked for the whole
                // frame, so it never lands inside one of the writer's.
                let frame = format!("Content-Length: {}\r\n\r\n{answer}", answer.len());
                let written = answers
                    .write_all(frame.as_bytes())
                    .and_then(|()| answers.flush());
                if written.is_err() {
                    return;
                }
            }
        }
    }
}

/// Reads one header block: `Ok(None)` at the end of input, else the body's
/// length, or why it has none.
fn read_header(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
) -> io::Result<Option<Result<u64, String>>> {
    let mut length: Option<Result<u64, String>> = None;
    let mut in_block = false;
    loop {
        if !read_line(input, line)? {
            return Ok(None);
        }
        let text = line.trim_ascii();
        if text.is_empty() {
            if in_block {
                break;
            }
            continue;
        }
        in_block = true;
        if let Some(value) = length_value(text) {
            length = Some(
                std::str::from_utf8(value)
                    .ok()
                    .and_then(|value| value.parse::<u64>().ok())
                    .ok_or_else(|| {
                        format!(
                            "Content-Length `{}` is not a number",
                            String::from_utf8_lossy(value)
                        )
                    }),
            );
        }
    }
    Ok(Some(
        length.unwrap_or_else(|| Err("no Content-Length header".into())),
    ))
}

/// The value of the last `Content-Length:` header in `line`, wherever it
/// starts, its name in any case.
fn length_value(line: &[u8]) -> Option<&[u8]> {
    let at = line
        .windows(LENGTH_HEADER.len())
        .rposition(|window| window.eq_ignore_ascii_case(LENGTH_HEADER))?;
    Some(line[at + LENGTH_HEADER.len()..].trim_ascii())
}

/// Reads one line (its `\n` included) into `line`, keeping only the tail of
/// an over-long one; `false` at the end of input.
fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    line.clear();
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(!line.is_empty());
        }
        let (used, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        line.extend_from_slice(&available[..used]);
        input.consume(used);
        if line.len() > MAX_HEADER_LINE {
            line.drain(..line.len() - HEADER_TAIL);
        }
        if done {
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// The methods delivered and the error codes answered for `input`.
    fn read_all(input: &[u8]) -> (Vec<String>, Vec<i64>) {
        let mut delivered = Vec::new();
        let mut answers = Vec::new();
        read_frames(
            &mut io::BufReader::new(input),
            &mut |message| {
                if let Message::Notification(note) = message {
                    delivered.push(note.method);
                }
                true
            },
            &mut answers,
            &mut io::sink(),
        );
        let answers = String::from_utf8(answers).unwrap();
        let codes = answers
            .split("Content-Length: ")
            .filter(|frame| !frame.is_empty())
            .map(|frame| {
                let body = frame.split_once("\r\n\r\n").unwrap().1;
                serde_json::from_str::<serde_json::Value>(body).unwrap()["error"]["code"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        (delivered, codes)
    }

    #[test]
    fn a_frame_after_a_megabyte_of_headerless_bytes_is_still_read() {
        let note = r#"{"jsonrpc":"2.0","method":"found"}"#;
        let mut input = String::from("Content-Type: x\r\n\r\n");
        input.push_str(&"y".repeat(1 << 20));
        input.push_str(&frame(note));
        input.push_str(&frame("{"));
        input.push_str(&frame(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        input.push_str(&frame(r#"{"jsonrpc":"2.0","method":"after exit"}"#));
        assert_eq!(
            read_all(input.as_bytes()),
            (vec!["found".to_string(), "exit".to_string()], vec![-32700])
        );
    }

    #[test]
    fn a_body_cut_short_ends_the_stream_without_a_message() {
        assert_eq!(
            read_all(b"content-length: 50\r\n\r\n{\"jsonrpc\""),
            (Vec::new(), Vec::new())
        );
    }
}
