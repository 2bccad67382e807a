//! Completion inside wiki links: terms and aliases after `[[` (under
//! `[references] wiki = "file"`, the notes' file names, as Obsidian and Foam
//! read `[[name]]`), and the target entry's headings after `[[term#`.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, TextEdit,
};

use super::convert::Lines;
use super::server::{Failure, Server};
use crate::config::WikiMode;
use crate::index::resolve::Target;
use crate::index::{scoped_key, unscoped_key, CorpusIndex};
use crate::model::{HeadingKind, Link, LinkKind};
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
    let from = workspace.record_at(file, offset);
    let namespace = from
        .map(|record| workspace.index.entries[record].namespace.clone())
        .unwrap_or_else(|| std::sync::Arc::from(""));
    let by_file = workspace.config.references.wiki == WikiMode::File;
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
        let record = match from {
            // Resolved as the finished link will be, by term or by file name.
            Some(from) => {
                let link = Link {
                    kind: LinkKind::Wiki,
                    target: term.to_string(),
                    anchor: None,
                    span: start..offset,
                    in_front_matter: false,
                };
                match workspace.resolve(from, &link) {
                    Target::Entry { record, .. } => Some(record),
                    _ => None,
                }
            }
            None => index
                .by_term
                .get(&key)
                .or_else(|| index.by_alias.get(&key))
                .and_then(|records| records.first().copied()),
        };
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
    } else if by_file {
        let (found, more) = file_names(index, &namespace, typed);
        incomplete = more;
        for (name, term) in found {
            items.push(CompletionItem {
                label: name.clone(),
                kind: Some(CompletionItemKind::FILE),
                detail: term.filter(|term| *term != name),
                filter_text: Some(name.clone()),
                text_edit: edit(start, format!("{name}{close}")),
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

/// The notes whose file name holds `typed` (without case), those starting
/// with it first, each as `[[name]]` would name it (the name without `.md`;
/// the path without `.md` when two notes share the name) with its term, at
/// most [`MAX_ITEMS`]; and whether there were more.
fn file_names(
    index: &CorpusIndex,
    namespace: &str,
    typed: &str,
) -> (Vec<(String, Option<String>)>, bool) {
    let wanted = typed.trim().to_lowercase();
    let mut ranked: Vec<(u8, String, Option<String>)> = Vec::new();
    for record in index
        .entries
        .iter()
        .filter(|record| !record.links_only && *record.namespace == *namespace)
    {
        let Some(path) = index.file_paths.get(record.file) else {
            continue;
        };
        let bare = path.strip_suffix(".md").unwrap_or(path);
        let stem = bare.rsplit('/').next().unwrap_or(bare);
        let shared = index
            .by_stem
            .get(&scoped_key(namespace, &stem.to_lowercase()))
            .is_some_and(|records| records.len() > 1);
        let name = if shared { bare } else { stem };
        let lower = name.to_lowercase();
        let rank = if lower.starts_with(&wanted) || stem.to_lowercase().starts_with(&wanted) {
            0
        } else if lower.contains(&wanted) {
            1
        } else {
            continue;
        };
        let term = record.term.as_ref().map(|term| term.value.to_string());
        ranked.push((rank, name.to_string(), term));
    }
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    let more = ranked.len() > MAX_ITEMS;
    let found = ranked
        .into_iter()
        .take(MAX_ITEMS)
        .map(|(_, name, term)| (name, term))
        .collect();
    (found, more)
}
