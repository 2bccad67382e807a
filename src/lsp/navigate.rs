//! Go to definition and hover on references: `[[term]]`, `[[term|label]]`,
//! `[[term#Heading]]`, entry links `[x](other.md#anchor)` and site links, and
//! `see_also` items. The target is found through the corpus index as the
//! rules find it; its heading and first paragraph are read from its text.

use std::ops::Range;

use lsp_types::{
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, Position, Uri,
};
use pulldown_cmark::{Event, Tag};

use super::convert::Lines;
use super::server::{Failure, Server};
use crate::index::resolve::Target;
use crate::model::{Entry, Heading, HeadingKind, Link};
use crate::normalize::heading_key;
use crate::parse::markdown::{anchors, github_slug};
use crate::parse::parse_file;

/// A hover shows at most this many bytes of the target's paragraph.
const HOVER_BYTES: usize = 1200;

/// The reference under the cursor and the record it leads to.
pub struct Reference {
    /// Where the reference is written, in the document.
    pub span: Range<usize>,
    /// The reference.
    pub link: Link,
    /// The record it was written in.
    pub from: usize,
    /// The record it resolves to.
    pub target: usize,
}

/// The reference at `position` of the document `uri`, if it resolves to an
/// entry.
pub fn reference_at(server: &Server<'_>, uri: &Uri, position: Position) -> Option<Reference> {
    let (doc, file) = server.doc(uri)?;
    let workspace = server.workspace.as_ref()?;
    let offset = Lines::new(&doc.text).offset(position);
    let (from, link) = workspace.link_at(file, offset)?;
    match workspace.resolve(from, &link) {
        Target::Entry { record, .. } => Some(Reference {
            span: link.span.clone(),
            link,
            from,
            target: record,
        }),
        _ => None,
    }
}

/// What is shown of a target entry.
pub struct TargetView {
    /// Its file's URI.
    pub uri: Uri,
    /// Its file's text.
    pub text: std::sync::Arc<str>,
    /// Its term.
    pub term: Option<String>,
    /// Where its term is written (the entry's start without one).
    pub term_span: Range<usize>,
    /// The heading the reference's anchor names: its text and line.
    pub heading: Option<(String, Range<usize>)>,
    /// The first paragraph of the heading's section, or of the body.
    pub paragraph: Option<String>,
    /// Its file as shown (relative to the root).
    pub display: String,
}

/// Reads the entry of `record` and finds `anchor`'s heading in it.
pub fn view(server: &Server<'_>, record: usize, anchor: Option<&str>) -> Option<TargetView> {
    let workspace = server.workspace.as_ref()?;
    let found = workspace.index.entries.get(record)?;
    let (uri, text) = server.file_text(found.file)?;
    let input = workspace.files.get(found.file)?;
    let parsed = parse_file(&text, input.kind, &input.path, &workspace.config.parse);
    let position = workspace
        .index
        .records_of(found.file)
        .iter()
        .position(|&slot| slot == record)?;
    let entry = parsed.entries.get(position)?;
    let heading = anchor
        .filter(|anchor| !anchor.is_empty())
        .and_then(|anchor| find_heading(entry, anchor));
    let section = heading.map_or(entry.body.span.clone(), |heading| heading.section.clone());
    let paragraph = first_paragraph(&text, entry, &section);
    let term_span = entry
        .term
        .as_ref()
        .map_or(entry.span.start..entry.span.start, |term| term.span.clone());
    let view = TargetView {
        uri,
        term: entry.term.as_ref().map(|term| term.value.clone()),
        term_span,
        heading: heading.map(|heading| (heading.text.clone(), heading.span.clone())),
        paragraph,
        display: input.display.to_string(),
        text: text.clone(),
    };
    Some(view)
}

/// The heading `wanted` names: by GitHub slug (with `-1` for repeats), or by
/// its text as `[[term#Heading]]` writes it.
pub fn find_heading<'e>(entry: &'e Entry<'_>, wanted: &str) -> Option<&'e Heading> {
    let real: Vec<&Heading> = entry
        .body
        .headings
        .iter()
        .filter(|heading| heading.kind != HeadingKind::Pseudo)
        .collect();
    let slug = github_slug(wanted);
    let key = heading_key(&wanted.replace('-', " "));
    real.iter()
        .zip(anchors(&entry.body))
        .find(|(_, anchor)| {
            *anchor == slug || anchor == wanted || heading_key(&anchor.replace('-', " ")) == key
        })
        .map(|(heading, _)| *heading)
        .or_else(|| {
            let key = heading_key(wanted);
            entry
                .body
                .headings
                .iter()
                .find(|heading| heading_key(&heading.text) == key)
        })
}

/// The first paragraph inside `within`, as written, cut before any heading
/// folded into it (dumps have no blank lines) and to [`HOVER_BYTES`].
fn first_paragraph(text: &str, entry: &Entry<'_>, within: &Range<usize>) -> Option<String> {
    let range = entry.body.events.iter().find_map(|(event, range)| {
        (matches!(event, Event::Start(Tag::Paragraph))
            && range.start >= within.start
            && range.end <= within.end)
            .then(|| range.clone())
    })?;
    let mut end = range.end;
    if let Some(heading) = entry
        .body
        .headings
        .iter()
        .find(|heading| heading.span.start > range.start && heading.span.start < end)
    {
        end = heading.span.start;
    }
    let mut paragraph = text.get(range.start..end)?.trim();
    let mut cut = false;
    if paragraph.len() > HOVER_BYTES {
        let at = crate::report::line_index::floor_char_boundary(paragraph, HOVER_BYTES);
        paragraph = &paragraph[..at];
        cut = true;
    }
    (!paragraph.is_empty()).then(|| {
        let mut out = paragraph.to_string();
        if cut {
            out.push('…');
        }
        out
    })
}

/// `textDocument/definition`: the target entry's term, or the heading its
/// anchor names.
pub fn definition(
    server: &mut Server<'_>,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, Failure> {
    let at = params.text_document_position_params;
    let Some(reference) = reference_at(server, &at.text_document.uri, at.position) else {
        return Ok(None);
    };
    let Some(target) = view(server, reference.target, reference.link.anchor.as_deref()) else {
        return Ok(None);
    };
    let span = target
        .heading
        .as_ref()
        .map_or(target.term_span.clone(), |(_, span)| span.clone());
    let range = Lines::new(&target.text).range(&span);
    Ok(Some(GotoDefinitionResponse::Scalar(Location::new(
        target.uri, range,
    ))))
}

/// `textDocument/hover`: the target's term (and heading) and its first
/// paragraph, in Markdown.
pub fn hover(server: &mut Server<'_>, params: HoverParams) -> Result<Option<Hover>, Failure> {
    let at = params.text_document_position_params;
    let Some(reference) = reference_at(server, &at.text_document.uri, at.position) else {
        return Ok(None);
    };
    let Some(target) = view(server, reference.target, reference.link.anchor.as_deref()) else {
        return Ok(None);
    };
    let mut value = format!("**{}**", target.term.as_deref().unwrap_or("(no term)"));
    if let Some((heading, _)) = &target.heading {
        value.push_str(&format!(" › {heading}"));
    }
    value.push_str("\n\n");
    if let Some(paragraph) = &target.paragraph {
        value.push_str(paragraph);
        value.push_str("\n\n");
    }
    value.push_str(&format!("*{}*", target.display));
    let range = server
        .doc(&at.text_document.uri)
        .map(|(doc, _)| Lines::new(&doc.text).range(&reference.span));
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }))
}
