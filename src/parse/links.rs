//! Links that are not Markdown syntax: the values of `[[references.fields]]`
//! front matter fields and the matches of `[[references.patterns]]` (a Hugo
//! shortcode such as `{{< glossary_tooltip term_id="pod" >}}`). They join the
//! body's links, so every rule that reads links (and `unlinked-mention`, which
//! never looks inside one) treats them alike.

use crate::model::{Body, Link, LinkKind, Spanned};
use crate::parse::markdown::is_external;
use crate::parse::LinkPattern;

/// Each field value that is not an external URL, as a site or relative path.
pub fn add_field_links(body: &mut Body<'_>, values: &[Spanned<String>]) {
    for value in values {
        if is_external(&value.value) {
            continue;
        }
        let (target, anchor) = split_anchor(&value.value);
        body.links.push(Link {
            kind: LinkKind::Path,
            target,
            anchor,
            span: value.span.clone(),
            in_front_matter: true,
        });
    }
}

/// Every match of every pattern in the body outside code blocks: `stem` (an
/// entry's file name), `id` (its `id_field`), `term` (a term or alias) or
/// `path`, with an optional `anchor`. A match with none of the four groups
/// is not a link.
pub fn add_pattern_links(text: &str, body: &mut Body<'_>, patterns: &[LinkPattern]) {
    if patterns.is_empty() {
        return;
    }
    let Some(source) = text.get(body.span.clone()) else {
        return;
    };
    let base = body.span.start;
    let mut found = Vec::new();
    for pattern in patterns {
        for captures in pattern.regex.captures_iter(source) {
            let Some(whole) = captures.get(0) else {
                continue;
            };
            let span = base + whole.start()..base + whole.end();
            if body
                .code_blocks
                .iter()
                .any(|block| block.span.start <= span.start && span.start < block.span.end)
            {
                continue;
            }
            let group = |name: &str| captures.name(name).map(|m| m.as_str().trim().to_string());
            let (kind, target) = if let Some(stem) = group("stem") {
                (LinkKind::Stem, stem)
            } else if let Some(id) = group("id") {
                (LinkKind::Id, id)
            } else if let Some(term) = group("term") {
                (LinkKind::Wiki, term)
            } else if let Some(path) = group("path") {
                if is_external(&path) {
                    continue;
                }
                (LinkKind::Path, path)
            } else {
                continue;
            };
            let (target, anchor) = match group("anchor") {
                Some(anchor) => (target, Some(anchor)),
                None => split_anchor(&target),
            };
            found.push(Link {
                kind,
                target,
                anchor,
                span,
                in_front_matter: false,
            });
        }
    }
    body.links.extend(found);
    body.links.sort_by_key(|link| link.span.start);
}

/// Drops the links inside Obsidian `%% comments %%` (an unclosed `%%`
/// comments out the rest of the body, as Obsidian renders it).
pub fn drop_commented_links(text: &str, body: &mut Body<'_>) {
    let Some(source) = text.get(body.span.clone()) else {
        return;
    };
    let base = body.span.start;
    let mut comments = Vec::new();
    let mut rest = 0;
    while let Some(open) = source[rest..].find("%%") {
        let start = rest + open;
        let end = source[start + 2..]
            .find("%%")
            .map_or(source.len(), |close| start + 2 + close + 2);
        comments.push(base + start..base + end);
        rest = end;
    }
    if comments.is_empty() {
        return;
    }
    body.links.retain(|link| {
        !comments
            .iter()
            .any(|comment| comment.contains(&link.span.start))
    });
}

fn split_anchor(value: &str) -> (String, Option<String>) {
    match value.split_once('#') {
        Some((target, anchor)) => (target.trim().to_string(), Some(anchor.trim().to_string())),
        None => (value.trim().to_string(), None),
    }
}
