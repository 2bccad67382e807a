//! ## What it does
//! Reports a table row whose number of cells differs from its header's. It
//! checks the tables CommonMark/GFM parses, and also pipe-table blocks that a
//! missing blank line folded into other text (a table written right under a
//! list item or paragraph): consecutive lines starting with `|` whose second
//! line is a delimiter row (`|---|---|`). Cells are counted by unescaped `|`
//! outside inline code, in every container (a table in a block quote is read
//! after its `>` markers). A row with fewer cells than its header, even one
//! cell (`| one |`), is reported: a renderer pads it with empty cells. Each bad
//! row is reported once. A line without any `|`
//! that a missing blank line folded into a table is `swallowed-block`'s
//! finding, not this rule's.
//!
//! ## Why is this bad?
//! A renderer pads short rows with empty cells and drops the extra cells of
//! long ones, so text silently moves to the wrong column or disappears. A row
//! broken in two by a stray line break shows up as two half-empty rows.
//!
//! ## Example
//! ```text
//! | Step | Process | Effect |
//! |------|---------|--------|
//! | 7. Final prediction | $H(x) = \text{sign}(x)
//! $ | Weighted vote |
//! ```
//!
//! Use instead: one line per row, with as many cells as the header:
//! ```text
//! | 7. Final prediction | $H(x) = \text{sign}(x)$ | Weighted vote |
//! ```
//!
//! ## Options
//! None.

use std::ops::Range;

use crate::model::Body;
use crate::parse::text::{is_delimiter_row, table_cells, BlockKind, Ranges};
use crate::rules::prelude::*;

/// See the module documentation.
pub struct TableShape;

static META: RuleMeta = RuleMeta {
    id: "table-shape",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("table_shape.rs"),
};

impl Rule for TableShape {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        let body = &cx.entry.body;
        let mut tables: Vec<Range<usize>> = Vec::new();
        let mut header = 0usize;
        for block in body.blocks() {
            // Rows are read after the markers of the block quotes holding them.
            let content = |line| body.after_quote_markers(line, block.quote_depth);
            match block.kind {
                BlockKind::Table => {
                    let head = content(body.first_line(block.range.clone()));
                    header = table_cells(text.get(head).unwrap_or("")).len();
                    tables.push(block.range.clone());
                }
                BlockKind::Row => {
                    for line in body.lines_in(block.range.clone()) {
                        check_row(text, content(line), header, sink);
                    }
                }
                _ => {}
            }
        }
        let tables = Ranges::new(tables);

        let mut rows: Vec<Range<usize>> = Vec::new();
        for line in body.lines() {
            let line = body.after_quote_markers(line.clone(), body.quote_depth_at(line.start));
            let content = text.get(line.clone()).unwrap_or("");
            let indent = content.len() - content.trim_start().len();
            let starts_row =
                content.trim_start().starts_with('|') && !body.code().contains(line.start + indent);
            if starts_row {
                rows.push(line.start + indent..line.end);
            } else {
                check_block(text, body, &rows, &tables, sink);
                rows.clear();
            }
        }
        check_block(text, body, &rows, &tables, sink);
    }
}

/// A block of consecutive `|` lines: a table when its second line is a
/// delimiter row. Rows pulldown-cmark already parsed are skipped.
fn check_block(
    text: &str,
    body: &Body<'_>,
    block: &[Range<usize>],
    tables: &Ranges,
    sink: &mut Sink<'_>,
) {
    let [head, delimiter, rows @ ..] = block else {
        return;
    };
    let delimiter_text = text.get(delimiter.clone()).unwrap_or("");
    if !is_delimiter_row(delimiter_text) {
        return;
    }
    let header = table_cells(text.get(head.clone()).unwrap_or("")).len();
    for line in std::iter::once(delimiter).chain(rows) {
        if !tables.contains(line.start) && !body.code().contains(line.start) {
            check_row(text, line.clone(), header, sink);
        }
    }
}

fn check_row(text: &str, line: Range<usize>, header: usize, sink: &mut Sink<'_>) {
    let content = text.get(line.clone()).unwrap_or("");
    let trimmed = content.trim();
    if trimmed.is_empty() || header == 0 {
        return;
    }
    let cells = table_cells(content).len();
    if cells == header || (cells == 1 && !trimmed.contains('|')) {
        // one cell without `|`: a line that a missing blank line folded into
        // the table (`swallowed-block` reports it); `| one |` is a short row
        return;
    }
    let start = line.start + (content.len() - content.trim_start().len());
    let help = if cells < header {
        "a stray line break splits a row in two and a missing `|` merges cells: write the row on one line with one cell per column"
    } else {
        "a `|` inside a cell starts a new cell: escape it as `\\|`, or remove the extra cell"
    };
    sink.report(
        start..start + trimmed.len(),
        format!("table row has {cells} cell(s), its header has {header}"),
    )
    .help(help);
}
