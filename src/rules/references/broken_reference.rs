//! ## What it does
//! Reports a reference that resolves to nothing: a wiki link `[[term]]` whose
//! term is neither a term nor an alias of any entry, a relative link
//! `[label](other.md)` to a file that does not exist, a site link
//! `[label](/es/service/)` that no `[[references.routes]]` file answers, a
//! `see_also` item naming no entry, and a path that climbs out of the project
//! root (never followed). The help names the nearest existing terms in the
//! linking file's namespace and the fallback namespace (where its links
//! resolve). External URLs (`https:`, `mailto:`) are not checked. A target
//! wrapped in a second pair of parentheses (`[a]((/x/))`) is
//! `malformed-link`'s finding (the link is written wrong, not broken): one
//! defect, one finding. A target holding a template expression
//! (`/docs/{{< param "version" >}}/api/`, `{{ .Site.BaseURL }}`, `{% link %}`)
//! is filled in by the site generator when it builds, so it cannot be judged
//! from the source and is not reported.
//!
//! ## Why is this bad?
//! A broken link sends the reader nowhere, and in a glossary it usually means
//! a term was renamed or deleted without updating the entries that use it.
//!
//! ## Example
//! ```markdown
//! Trades compute for memory, like [[gradient checkpointing]].
//! ```
//! when no entry has that term or alias.
//!
//! Use instead:
//! ```markdown
//! Trades compute for memory, like [[activation checkpointing]].
//! ```
//!
//! ## Options
//! None; site paths are resolved through `[[references.routes]]`.

use super::{resolved_links, written};

use crate::index::resolve::{suggestion_query, Target};
use crate::rules::prelude::*;

/// See the module documentation.
pub struct BrokenReference;

static META: RuleMeta = RuleMeta {
    id: "broken-reference",
    family: Family::References,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("broken_reference.rs"),
};

impl Rule for BrokenReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn flags(&self) -> Flags {
        Flags {
            judges_link_targets: true,
            ..Flags::default()
        }
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        let fallback = cx.config.references.fallback_namespace.as_deref();
        let found = resolved_links(cx, |_, record, link, target| {
            if is_double_wrapped(link) || is_templated(link) {
                return None;
            }
            let (message, help) = match target {
                Target::Missing => {
                    let namespaces: Vec<&str> = std::iter::once(&*record.namespace)
                        .chain(fallback)
                        .collect();
                    let near = index.suggest_terms(&suggestion_query(link), &namespaces);
                    let help = if near.is_empty() {
                        "no entry has this term, alias or path".to_string()
                    } else {
                        let near: Vec<String> = near.iter().map(|term| format!("`{term}`")).collect();
                        format!("did you mean {}?", near.join(", "))
                    };
                    (format!("`{}` resolves to no entry", written(link)), help)
                }
                Target::OutsideRoot => (
                    format!("`{}` leaves the project root", written(link)),
                    "link to an entry inside the glossary; glosslint never follows links out of the root"
                        .to_string(),
                ),
                Target::Entry { .. } | Target::File => return None,
            };
            Some((record.file, link.span.clone(), message, help))
        });
        for (file, span, message, help) in found {
            sink.report(file, span, message).help(help);
        }
    }
}

/// `[a]((/x/))`: the target pulldown-cmark reads is `(/x/)`.
fn is_double_wrapped(link: &crate::model::Link) -> bool {
    link.kind == crate::model::LinkKind::Path
        && link.target.starts_with('(')
        && link.target.ends_with(')')
}

/// A target the site generator fills in: Hugo, Go, Jinja and Liquid
/// template delimiters in the body. Front matter is data no generator
/// expands: a template there reaches the reader as written, a broken link.
fn is_templated(link: &crate::model::Link) -> bool {
    if link.in_front_matter {
        return false;
    }
    ["{{", "{%", "%7B%7B", "%7b%7b"]
        .iter()
        .any(|open| link.target.contains(open))
}
