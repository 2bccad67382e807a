//! The JSON format of SPEC 7: `{"version": 1, "summary": {...}, "diagnostics": [...]}`.

use serde::Serialize;

use super::{Summary, Texts};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::report::Outcome;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    level: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    path: &'a str,
    entry: Option<&'a str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    offset: usize,
    length: usize,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    offset: usize,
    length: usize,
    replacement: &'a str,
}

fn convert<'a>(
    outcome: &'a Outcome,
    texts: &Texts,
    diagnostic: &'a Diagnostic,
) -> JsonDiagnostic<'a> {
    let (line, column) = texts.position(diagnostic.file, diagnostic.span.start);
    let (end_line, end_column) = texts.position(diagnostic.file, diagnostic.span.end);
    JsonDiagnostic {
        rule: diagnostic.rule,
        level: diagnostic.level.as_str(),
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        path: &outcome.files[diagnostic.file].display,
        entry: diagnostic.entry.as_deref(),
        line,
        column,
        end_line,
        end_column,
        offset: diagnostic.span.start,
        length: diagnostic.span.len(),
        related: diagnostic
            .related
            .iter()
            .map(|related| {
                let (line, column) = texts.position(related.file, related.span.start);
                JsonRelated {
                    path: &outcome.files[related.file].display,
                    line,
                    column,
                    message: &related.message,
                }
            })
            .collect(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            applicability: fix.applicability,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    offset: edit.span.start,
                    length: edit.span.len(),
                    replacement: &edit.replacement,
                })
                .collect(),
        }),
    }
}

/// Renders the whole outcome as one JSON object (see [`write`]).
pub fn render(outcome: &Outcome, texts: &Texts) -> String {
    let mut out = Vec::new();
    write(outcome, texts, &Summary::of(outcome), &mut out).expect("memory takes any write");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Findings serialized at once, in parallel: a few megabytes of text alive
/// at a time, where the whole document of a large run is tens of megabytes.
const FINDINGS_PER_BATCH: usize = 4096;

/// Writes the whole outcome as one JSON object to `out` as it is made:
/// findings are serialized in parallel batches, each pretty-printed as if
/// nested in the document, so the result is byte for byte what one
/// pretty-printing pass writes, and no more than a batch is held.
pub fn write(
    outcome: &Outcome,
    texts: &Texts,
    summary: &Summary,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let head = Document {
        version: 1,
        summary: *summary,
        diagnostics: Vec::new(),
    };
    let head = serde_json::to_string_pretty(&head).expect("the JSON document serializes");
    if outcome.diagnostics.is_empty() {
        out.write_all(head.as_bytes())?;
        return out.write_all(b"\n");
    }
    let empty_array_end = head.len() - "[]\n}".len();
    out.write_all(&head.as_bytes()[..empty_array_end])?;
    out.write_all(b"[\n")?;
    for (batch_index, batch) in outcome.diagnostics.chunks(FINDINGS_PER_BATCH).enumerate() {
        let pieces: Vec<Vec<u8>> = batch
            .par_chunks(512)
            .map(|chunk| {
                let mut buffer = Vec::new();
                for (index, diagnostic) in chunk.iter().enumerate() {
                    if index > 0 {
                        buffer.extend_from_slice(b",\n");
                    }
                    buffer.extend_from_slice(b"    ");
                    let mut serializer =
                        serde_json::Serializer::with_formatter(&mut buffer, Nested::new(2));
                    convert(outcome, texts, diagnostic)
                        .serialize(&mut serializer)
                        .expect("a finding serializes");
                }
                buffer
            })
            .collect();
        for (index, piece) in pieces.iter().enumerate() {
            if batch_index > 0 || index > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(piece)?;
        }
    }
    out.write_all(b"\n  ]\n}\n")
}

/// serde_json's pretty printing (two spaces a level) starting `depth` levels
/// deep, for values serialized apart from the document they sit in.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn new(depth: usize) -> Self {
        Self {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn next<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Edit, Fix, Level, Related};
    use crate::load::{FileKind, InputFile};

    fn outcome(findings: usize) -> Outcome {
        let text = "line one\nline \"two\" é\n";
        let diagnostics = (0..findings)
            .map(|index| Diagnostic {
                rule: "short-body",
                level: Level::Warning,
                message: format!("finding {index} with \"quotes\" and \\ and \t").into(),
                help: (index % 2 == 0).then(|| "help\nwith a break".into()),
                file: 0,
                span: index % text.len()..text.len(),
                entry: Some(Arc::from("term")),
                related: vec![Related {
                    file: 0,
                    span: 9..10,
                    message: "there".into(),
                }]
                .into(),
                fix: Some(Box::new(Fix {
                    applicability: Applicability::Safe,
                    edits: vec![Edit {
                        span: 0..0,
                        replacement: "\n".into(),
                    }],
                })),
            })
            .collect();
        Outcome {
            files: vec![InputFile {
                path: PathBuf::from("a.md"),
                display: Arc::from("a.md"),
                kind: FileKind::Entry,
                reported: true,
            }],
            diagnostics,
            texts: HashMap::from([(0, Arc::from(text))]),
            ..Outcome::default()
        }
    }

    #[test]
    fn parallel_rendering_is_byte_for_byte_one_pretty_pass() {
        let batch = FINDINGS_PER_BATCH;
        for findings in [0, 1, 7, 1100, batch, batch + 1, 2 * batch + 513] {
            let outcome = outcome(findings);
            let texts = Texts::new(&outcome, false);
            let whole = Document {
                version: 1,
                summary: Summary::of(&outcome),
                diagnostics: outcome
                    .diagnostics
                    .iter()
                    .map(|diagnostic| convert(&outcome, &texts, diagnostic))
                    .collect(),
            };
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(render(&outcome, &texts), expected);
        }
    }

    /// Records the size of every write it takes.
    #[derive(Default)]
    struct Writes(Vec<usize>);

    impl std::io::Write for Writes {
        fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
            self.0.push(buffer.len());
            Ok(buffer.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_document_is_written_a_batch_at_a_time() {
        let outcome = outcome(3 * FINDINGS_PER_BATCH);
        let mut writes = Writes::default();
        let texts = Texts::new(&outcome, false);
        write(&outcome, &texts, &Summary::of(&outcome), &mut writes).unwrap();
        let whole: usize = writes.0.iter().sum();
        assert_eq!(whole, render(&outcome, &texts).len());
        let largest = writes.0.iter().copied().max().unwrap();
        assert!(
            largest * 8 < whole,
            "{largest} of {whole} bytes in one write"
        );
    }
}
