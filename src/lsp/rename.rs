//! Rename of a term (or an alias) across the corpus: on the name in front
//! matter, or on any `[[...]]` / `see_also` reference to it, one workspace
//! edit rewrites the name where the entry defines it and in every wiki
//! reference and `see_also` item that resolves to it by that name, keeping
//! `|label` and `#anchor` parts. References through another alias are left
//! alone: they still resolve.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use lsp_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use super::convert::Lines;
use super::server::{Failure, Server};
use crate::diagnostic::FileId;
use crate::index::resolve::Target;
use crate::index::scoped_key;
use crate::load::FileKind;
use crate::model::LinkKind;
use crate::normalize::term_key;

/// The name being renamed: an entry's term or one of its aliases.
struct Name {
    /// The entry's record.
    record: usize,
    /// `None` for the term, else the alias's position.
    alias: Option<usize>,
    /// The name folded in its namespace.
    key: String,
    /// The name as written where the entry defines it.
    value: String,
    /// The span under the cursor to highlight (the bare name).
    span: Range<usize>,
}

fn failure(message: impl Into<String>) -> Failure {
    (lsp_server::ErrorCode::RequestFailed, message.into())
}

/// The name at `position`: a term or alias in front matter, or the name a
/// wiki reference or `see_also` item uses.
fn name_at(server: &Server<'_>, at: &TextDocumentPositionParams) -> Option<Name> {
    let (doc, file) = server.doc(&at.text_document.uri)?;
    let workspace = server.workspace.as_ref()?;
    let index = &workspace.index;
    let offset = Lines::new(&doc.text).offset(at.position);
    let inside = |span: &Range<usize>| span.start <= offset && offset <= span.end;
    for slot in index.records_of(file) {
        let record = &index.entries[slot];
        if let (Some(term), Some(key)) = (&record.term, &record.term_key) {
            // A term read from the file name is written nowhere to rename.
            if !term.span.is_empty() && inside(&term.span) {
                return Some(Name {
                    record: slot,
                    alias: None,
                    key: key.clone(),
                    value: term.value.to_string(),
                    span: unquoted(&doc.text, &term.span),
                });
            }
        }
        for (position, (alias, key)) in record.aliases.iter().enumerate() {
            if inside(&alias.span) {
                return Some(Name {
                    record: slot,
                    alias: Some(position),
                    key: key.clone(),
                    value: alias.value.clone(),
                    span: unquoted(&doc.text, &alias.span),
                });
            }
        }
    }
    let (from, link) = workspace.link_at(file, offset)?;
    if link.kind != LinkKind::Wiki || link.target.is_empty() {
        return None;
    }
    let Target::Entry { record, .. } = workspace.resolve(from, &link) else {
        return None;
    };
    let key = scoped_key(&index.entries[from].namespace, &term_key(&link.target));
    let target = &index.entries[record];
    let (alias, value) = if target.term_key.as_deref() == Some(key.as_str()) {
        (None, target.term.as_ref()?.value.to_string())
    } else {
        let position = target.aliases.iter().position(|(_, k)| *k == key)?;
        (Some(position), target.aliases[position].0.value.clone())
    };
    Some(Name {
        record,
        alias,
        key,
        value,
        span: reference_name(&doc.text, &link.span)?,
    })
}

/// `textDocument/prepareRename`: the name under the cursor and its text.
pub fn prepare_rename(
    server: &mut Server<'_>,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>, Failure> {
    let Some(name) = name_at(server, &params) else {
        return Ok(None);
    };
    let Some((doc, _)) = server.doc(&params.text_document.uri) else {
        return Ok(None);
    };
    Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: Lines::new(&doc.text).range(&name.span),
        placeholder: name.value,
    }))
}

/// `textDocument/rename`: one edit over every file that names the entry.
pub fn rename(
    server: &mut Server<'_>,
    params: RenameParams,
) -> Result<Option<WorkspaceEdit>, Failure> {
    let Some(name) = name_at(server, &params.text_document_position) else {
        return Err(failure("there is no term or reference to rename here"));
    };
    let Some(workspace) = server.workspace.as_ref() else {
        return Ok(None);
    };
    let new_name = params.new_name.trim();
    let index = &workspace.index;
    let target = &index.entries[name.record];
    let target_kind = workspace.files[target.file].kind;
    check_name(
        new_name,
        target_kind == FileKind::Dump && name.alias.is_none(),
    )?;
    refuse_taken_name(workspace, &name, new_name)?;
    if name.alias.is_none()
        && target
            .term
            .as_ref()
            .is_some_and(|term| term.span.is_empty())
    {
        return Err(failure(
            "the term is the file's name (`term_from = [\"file-name\"]`): rename the file instead",
        ));
    }
    // Where the entry defines the name, then every reference to it.
    let mut places: BTreeMap<FileId, Vec<Place>> = BTreeMap::new();
    let defined = match name.alias {
        None => target.term.as_ref().map(|term| term.span.clone()),
        Some(position) => target.aliases.get(position).map(|(a, _)| a.span.clone()),
    };
    if let Some(span) = defined {
        places
            .entry(target.file)
            .or_default()
            .push(Place::Definition(span));
    }
    for (from, record) in index.entries.iter().enumerate() {
        for link in &record.links {
            if link.kind != LinkKind::Wiki || link.target.is_empty() {
                continue;
            }
            if scoped_key(&record.namespace, &term_key(&link.target)) != name.key {
                continue;
            }
            let resolves = matches!(
                workspace.resolve(from, link),
                Target::Entry { record, .. } if record == name.record
            );
            if resolves {
                places
                    .entry(record.file)
                    .or_default()
                    .push(Place::Reference(link.span.clone()));
            }
        }
    }
    // `Uri` caches its parts in cells, but hashes and compares by its text.
    #[allow(clippy::mutable_key_type)]
    let mut changes = HashMap::new();
    for (file, found) in places {
        let Some((uri, text)) = server.file_text(file) else {
            continue;
        };
        let kind = workspace.files[file].kind;
        let header = front_matter(&text, kind, workspace);
        let lines = Lines::new(&text);
        let mut edits: Vec<(Range<usize>, String)> = found
            .iter()
            .filter_map(|place| match place {
                Place::Definition(span) => Some(rewrite_value(
                    &text,
                    span,
                    new_name,
                    header
                        .iter()
                        .any(|h| h.start <= span.start && span.end <= h.end),
                )),
                Place::Reference(span) => rewrite_reference(&text, span, new_name),
            })
            .collect();
        edits.sort_by_key(|(span, _)| (span.start, span.end));
        edits.dedup_by(|a, b| a.0.start < b.0.end);
        let edits: Vec<TextEdit> = edits
            .into_iter()
            .map(|(span, text)| TextEdit::new(lines.range(&span), text))
            .collect();
        if !edits.is_empty() {
            changes.insert(uri, edits);
        }
    }
    Ok(Some(WorkspaceEdit {
        changes: Some(changes),
        ..WorkspaceEdit::default()
    }))
}

enum Place {
    /// The term or alias in the entry itself.
    Definition(Range<usize>),
    /// A `[[...]]` link or `see_also` item.
    Reference(Range<usize>),
}

/// Refuses a new name that another entry already has as term or alias: the
/// references to both would then be one set of `[[...]]` links, and no
/// later rename could tell them apart again.
fn refuse_taken_name(
    workspace: &crate::workspace::Workspace,
    name: &Name,
    new_name: &str,
) -> Result<(), Failure> {
    let index = &workspace.index;
    let key = scoped_key(&index.entries[name.record].namespace, &term_key(new_name));
    let holders = index.by_term.get(&key).into_iter().flatten();
    let mut holders = holders.chain(index.by_alias.get(&key).into_iter().flatten());
    let Some(&other) = holders.find(|&&holder| holder != name.record) else {
        return Ok(());
    };
    let other = &index.entries[other];
    let described = match &other.term {
        Some(term) => format!("the entry `{}`", term.value),
        None => "an entry".to_string(),
    };
    Err(failure(format!(
        "`{new_name}` is already a name of {described} in {}: renaming would merge the references to both entries",
        workspace.files[other.file].display
    )))
}

/// A name that can be written in every place a term lives.
fn check_name(name: &str, dump_header: bool) -> Result<(), Failure> {
    if name.is_empty() {
        return Err(failure("the new name is empty"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| matches!(c, '\n' | '\r' | '[' | ']' | '|' | '#'))
    {
        return Err(failure(format!(
            "a term cannot contain `{}`: wiki links could not name it",
            bad.escape_default()
        )));
    }
    if dump_header {
        let starts_well = name
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        let forbidden = name
            .chars()
            .any(|c| matches!(c, ',' | '*' | '$' | '<' | '>' | '`'));
        if !starts_well || forbidden {
            return Err(failure(
                "a term in a dump header must start with a lowercase letter or a digit and contain no `,` `*` `$` `<` `>` or backtick",
            ));
        }
    }
    Ok(())
}

/// The byte ranges of the front matter blocks of a file.
fn front_matter(
    text: &str,
    kind: FileKind,
    workspace: &crate::workspace::Workspace,
) -> Vec<Range<usize>> {
    if kind == FileKind::Dump {
        return Vec::new();
    }
    crate::parse::parse_file(text, kind, Path::new(""), &workspace.config.parse)
        .entries
        .iter()
        .map(|entry| entry.header.clone())
        .collect()
}

/// `span` without its quotes, when it is a quoted string.
fn unquoted(text: &str, span: &Range<usize>) -> Range<usize> {
    let raw = text.get(span.clone()).unwrap_or("");
    for quote in ['"', '\''] {
        if raw.len() >= 2 && raw.starts_with(quote) && raw.ends_with(quote) {
            return span.start + 1..span.end - 1;
        }
    }
    span.clone()
}

/// The name a reference is written with: in `[[name#anchor|label]]` the part
/// before `#` and `|`; in a `see_also` item (quoted or not) the part before
/// `#`; white space around it left out.
fn reference_name(text: &str, span: &Range<usize>) -> Option<Range<usize>> {
    let raw = text.get(span.clone())?;
    let (start, end) = if let Some(inner) = raw.strip_prefix("[[") {
        let stop = inner.find(['|', '#', ']']).unwrap_or(inner.len());
        (span.start + 2, span.start + 2 + stop)
    } else {
        let inner = unquoted(text, span);
        let raw = &text[inner.clone()];
        (
            inner.start,
            inner.start + raw.find('#').unwrap_or(raw.len()),
        )
    };
    let name = &text[start..end];
    let leading = name.len() - name.trim_start().len();
    let trailing = name.len() - name.trim_end().len();
    Some(start + leading..end - trailing)
}

/// The edit writing `name` in place of the value at `span` (a term or alias
/// where the entry defines it), keeping its quotes and adding them where
/// YAML front matter needs them.
fn rewrite_value(
    text: &str,
    span: &Range<usize>,
    name: &str,
    in_front_matter: bool,
) -> (Range<usize>, String) {
    let raw = text.get(span.clone()).unwrap_or("");
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        return (span.start + 1..span.end - 1, escape_double(name));
    }
    if raw.len() >= 2 && raw.starts_with('\'') && raw.ends_with('\'') {
        return (span.start + 1..span.end - 1, name.replace('\'', "''"));
    }
    if in_front_matter && needs_quotes(name) {
        return (span.clone(), format!("\"{}\"", escape_double(name)));
    }
    (span.clone(), name.to_string())
}

/// The edit writing `name` in a reference, keeping `#anchor` and `|label`.
fn rewrite_reference(
    text: &str,
    span: &Range<usize>,
    name: &str,
) -> Option<(Range<usize>, String)> {
    let bare = reference_name(text, span)?;
    let raw = text.get(span.clone())?;
    if raw.starts_with("[[") {
        return Some((bare, name.to_string()));
    }
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        return Some((bare, escape_double(name)));
    }
    if raw.len() >= 2 && raw.starts_with('\'') && raw.ends_with('\'') {
        return Some((bare, name.replace('\'', "''")));
    }
    if needs_quotes(name) {
        let rest = &text[bare.end..span.end];
        return Some((
            span.clone(),
            format!("\"{}\"", escape_double(&format!("{name}{rest}"))),
        ));
    }
    Some((bare, name.to_string()))
}

fn escape_double(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Whether a YAML plain scalar would not read back as `name` (inside a flow
/// list too): anything beyond letters, digits, spaces and `-_.()/'`, a
/// leading symbol, or a word YAML reads as a boolean, null or number.
fn needs_quotes(name: &str) -> bool {
    let plain = name.chars().all(|c| {
        c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')' | '/' | '\'')
    });
    let starts_well = name.chars().next().is_some_and(char::is_alphanumeric);
    let special = matches!(
        name.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    ) || name.parse::<f64>().is_ok();
    !plain || !starts_well || special || name != name.trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_names_keep_anchor_and_label() {
        let text = "see [[ Acid Gas #Uses|gas]] and x";
        let span = 4..27;
        assert_eq!(&text[span.clone()], "[[ Acid Gas #Uses|gas]]");
        let bare = reference_name(text, &span).unwrap();
        assert_eq!(&text[bare], "Acid Gas");
        let (at, new) = rewrite_reference(text, &span, "Sour Gas").unwrap();
        let mut out = text.to_string();
        out.replace_range(at, &new);
        assert_eq!(out, "see [[ Sour Gas #Uses|gas]] and x");
    }

    #[test]
    fn see_also_items_and_front_matter_values_keep_or_gain_quotes() {
        let text = "see_also: [\"Base#Uses\", Base]";
        let quoted = 11..22;
        let (at, new) = rewrite_reference(text, &quoted, "New \"B\"").unwrap();
        assert_eq!((&text[at], new.as_str()), ("Base", "New \\\"B\\\""));
        let plain = 24..28;
        let (at, new) = rewrite_reference(text, &plain, "A: B").unwrap();
        assert_eq!((&text[at], new.as_str()), ("Base", "\"A: B\""));
        let term = "term: acid";
        assert_eq!(rewrite_value(term, &(6..10), "yes", true).1, "\"yes\"");
        assert_eq!(
            rewrite_value(term, &(6..10), "Acid Rain", true).1,
            "Acid Rain"
        );
        assert_eq!(rewrite_value(term, &(6..10), "x: y", false).1, "x: y");
    }
}
