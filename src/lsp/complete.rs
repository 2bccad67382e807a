//! Completion inside wiki links: terms and aliases after `[[`, and the target
//! entry's headings after `[[term#`.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, TextEdit,
};

use super::convert::Lines;
use super::server::{Failure, Server};
use crate::index::{scoped_key, unscoped_key};
use crate::model::HeadingKind;
use crate::normalize::{heading_key, term_key};
use crate::parse::parse_file;

/// At most this many names are offered at once (the list says it is
/// incomplete, so the client asks again as more is typed).
const MAX_ITEMS: usize = 100;

/// `textDocument/completion`.
pub fn completion(
    server: &mut Server<'_>,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>, Failure> {
    let at = params.text_document_position;
    let (Some((doc, file)), Some(workspace)) =
        (server.doc(&at.text_document.uri), server.workspace.as_ref())
    else {
        return Ok(None);
    };
    let lines = Lines::new(&doc.text);
    let offset = lines.offset(at.position);
    let line = lines.line_of(offset);
    let line_start = lines.line_start(line);
    let before = &doc.text[line_start..offset];
    let Some(open) = before.rfind("[[") else {
        return Ok(None);
    };
    let typed = &before[open + 2..];
    if typed.contains("]]") || typed.contains('|') {
        return Ok(None);
    }
    let start = line_start + open + 2;
    let closed = doc.text[offset..lines.line_end(line)].starts_with("]]");
    let close = if closed { "" } else { "]]" };
    let namespace = workspace
        .record_at(file, offset)
        .map(|record| workspace.index.entries[record].namespace.clone())
        .unwrap_or_else(|| std::sync::Arc::from(""));
    let edit = |from: usize, text: String| {
        Some(CompletionTextEdit::Edit(TextEdit::new(
            lines.range(&(from..offset)),
            text,
        )))
    };
    let index = &workspace.index;
    let mut items = Vec::new();
    let mut incomplete = false;
    if let Some((term, heading_typed)) = typed.split_once('#') {
        let key = scoped_key(&namespace, &term_key(term));
        let record = index
            .by_term
            .get(&key)
            .or_else(|| index.by_alias.get(&key))
            .and_then(|records| records.first().copied());
        let Some(record) = record else {
            return Ok(None);
        };
        let target = &index.entries[record];
        let Some((_, text)) = server.file_text(target.file) else {
            return Ok(None);
        };
        let kind = workspace.files[target.file].kind;
        let parsed = parse_file(
            &text,
            kind,
            &workspace.files[target.file].path,
            &workspace.config.parse,
        );
        let position = index
            .records_of(target.file)
            .iter()
            .position(|&slot| slot == record);
        let Some(entry) = position.and_then(|position| parsed.entries.get(position)) else {
            return Ok(None);
        };
        let wanted = heading_key(heading_typed);
        let from = start + term.len() + 1;
        for heading in entry
            .body
            .headings
            .iter()
            .filter(|heading| heading.kind != HeadingKind::Pseudo)
            .filter(|heading| heading_key(&heading.text).contains(&wanted))
        {
            items.push(CompletionItem {
                label: heading.text.clone(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(format!(
                    "heading of {}",
                    target.term.as_ref().map_or("", |term| term.value.as_ref())
                )),
                filter_text: Some(heading.text.clone()),
                text_edit: edit(from, format!("{}{close}", heading.text)),
                ..CompletionItem::default()
            });
        }
    } else {
        let wanted = term_key(typed);
        // Names starting with what was typed first, then names containing it.
        let mut ranked: Vec<(u8, usize, &str, Option<&str>)> = Vec::new();
        for record in &index.entries {
            if record.namespace != namespace {
                continue;
            }
            let term = record.term.as_ref().map(|term| term.value.as_ref());
            let names = record
                .term_key
                .iter()
                .zip(term)
                .map(|(key, term)| (key.as_str(), term, None))
                .chain(
                    record
                        .aliases
                        .iter()
                        .map(|(alias, key)| (key.as_str(), alias.value.as_str(), term)),
                );
            for (key, name, alias_of) in names {
                let key = unscoped_key(key);
                let rank = if key.starts_with(&wanted) {
                    0
                } else if key.contains(&wanted) {
                    1
                } else {
                    continue;
                };
                ranked.push((rank, name.len(), name, alias_of));
            }
            if wanted.is_empty() && ranked.len() > MAX_ITEMS {
                break;
            }
        }
        ranked.sort();
        ranked.dedup_by(|a, b| a.2 == b.2);
        incomplete = ranked.len() > MAX_ITEMS;
        for (_, _, name, alias_of) in ranked.into_iter().take(MAX_ITEMS) {
            items.push(CompletionItem {
                label: name.to_string(),
                kind: Some(CompletionItemKind::REFERENCE),
                detail: alias_of.map(|term| format!("alias of {term}")),
                filter_text: Some(name.to_string()),
                text_edit: edit(start, format!("{name}{close}")),
                ..CompletionItem::default()
            });
        }
    }
    Ok(Some(CompletionResponse::List(CompletionList {
        is_incomplete: incomplete,
        items,
    })))
}
