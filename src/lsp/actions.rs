//! Code actions: every fix a finding carries, as a quick fix (safe ones
//! preferred, unsafe ones titled "(unsafe) ..."), and "Disable RULE for this
//! line", which writes `<!-- glosslint-disable-next-line RULE -->` on its own
//! line above, with the same indentation. A finding in front matter or a dump
//! header cannot be suppressed line by line (suppressions live in the body),
//! so there the action disables the rule for the file instead.

use std::collections::{HashMap, HashSet};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    TextEdit, WorkspaceEdit,
};

use super::convert::{self, Lines};
use super::server::{Failure, Server};
use crate::diagnostic::Applicability;
use crate::parse::parse_file;

/// `textDocument/codeAction`.
pub fn code_actions(
    server: &mut Server<'_>,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>, Failure> {
    let wants_quick_fixes = params.context.only.as_ref().is_none_or(|only| {
        only.iter()
            .any(|kind| CodeActionKind::QUICKFIX.as_str().starts_with(kind.as_str()))
    });
    let uri = params.text_document.uri.clone();
    let (Some((doc, file)), Some(workspace)) = (server.doc(&uri), server.workspace.as_ref()) else {
        return Ok(None);
    };
    if !wants_quick_fixes {
        return Ok(Some(Vec::new()));
    }
    let lines = Lines::new(&doc.text);
    let wanted = lines.span(&params.range);
    let parsed = parse_file(
        &doc.text,
        workspace.files[file].kind,
        &workspace.files[file].path,
        &workspace.config.parse,
    );
    let mut fixes = Vec::new();
    let mut disables = Vec::new();
    let mut offered: HashSet<(&str, usize)> = HashSet::new();
    for found in &doc.found {
        if found.span.start > wanted.end || wanted.start > found.span.end {
            continue;
        }
        let diagnostic = convert::diagnostic(found, &lines, &mut |_, _| None);
        if let Some(fix) = &found.fix {
            let safe = fix.applicability == Applicability::Safe;
            let edits = fix
                .edits
                .iter()
                .map(|edit| TextEdit::new(lines.range(&edit.span), edit.replacement.to_string()))
                .collect();
            fixes.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "{}Fix {}: {}",
                    if safe { "" } else { "(unsafe) " },
                    found.rule,
                    found.message
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(safe),
                ..CodeAction::default()
            }));
        }
        let unsuppressible = found.rule == crate::check::INTERNAL_ERROR
            || workspace.registry.flags_of(found.rule).about_suppressions;
        if unsuppressible {
            continue;
        }
        let line = lines.line_of(found.span.start);
        let line_start = lines.line_start(line);
        let text_end = doc.text.len();
        let in_body = parsed.entries.iter().any(|entry| {
            let body = &entry.body.span;
            body.start <= line_start
                && (line_start < body.end || (line_start == body.end && body.end == text_end))
        });
        let (title, at, new_text, key) = if in_body {
            let indent: String = doc.text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            (
                format!("Disable {} for this line", found.rule),
                line_start,
                format!(
                    "{indent}<!-- glosslint-disable-next-line {} -->{}",
                    found.rule,
                    lines.line_break(line)
                ),
                line,
            )
        } else {
            let Some(entry) = parsed.entries.iter().find(|entry| {
                entry.span.start <= found.span.start && found.span.start <= entry.span.end
            }) else {
                continue;
            };
            let at = entry.body.span.start;
            let before = if at > 0 && !doc.text[..at].ends_with(['\n', '\r']) {
                "\n"
            } else {
                ""
            };
            let line_break = lines.line_break(lines.line_of(at.saturating_sub(1)));
            (
                format!("Disable {} for this file", found.rule),
                at,
                format!(
                    "{before}<!-- glosslint-disable-file {} -->{line_break}",
                    found.rule
                ),
                usize::MAX,
            )
        };
        if !offered.insert((found.rule, key)) {
            continue;
        }
        let position = lines.position(at);
        disables.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(
                    uri.clone(),
                    vec![TextEdit::new(
                        lsp_types::Range::new(position, position),
                        new_text,
                    )],
                )])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(false),
            ..CodeAction::default()
        }));
    }
    fixes.extend(disables);
    Ok(Some(fixes))
}
