//! ## What it does
//! Reports a site path that resolves only through a `[references] redirects`
//! file (Netlify's `_redirects`), and names where the redirects lead. The safe
//! fix writes that final target in place of the old path; the link's text
//! and anchor stay as written.
//!
//! ## Why is this bad?
//! Every reader pays a redirect, and the link breaks the day the redirect
//! file is cleaned up.
//!
//! ## Example
//! With `/microservices/  /microservices-architecture/` in `static/_redirects`:
//! ```text
//! built from [microservices](/microservices/)
//! ```
//!
//! Use instead: `[microservices](/microservices-architecture/)`.
//!
//! ## Options
//! None.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct RedirectedLink;

static META: RuleMeta = RuleMeta {
    id: "redirected-link",
    family: Family::References,
    default_level: Level::Info,
    fix: FixKind::Safe,
    options: &[],
    source: include_str!("redirected_link.rs"),
};

impl Rule for RedirectedLink {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        if cx.config.references.redirects.is_empty() {
            return;
        }
        let index = cx.index;
        for from in index.reported() {
            let record = index.record(from);
            for link in &record.links {
                let Some(target) = index.redirected(from, link, cx.config, cx.root) else {
                    continue;
                };
                let diagnostic = sink.report(
                    record.file,
                    link.span.clone(),
                    format!("`{}` is redirected to `{target}`", link.target),
                );
                diagnostic.help(format!("link to `{target}` directly"));
                // The path as written, found once inside the link: the edit
                // touches it and nothing else.
                let Some(text) = (cx.read_text)(record.file) else {
                    continue;
                };
                let Some(written) = text.get(link.span.clone()) else {
                    continue;
                };
                let mut found = written.match_indices(link.target.as_str());
                if let (Some((at, _)), None) = (found.next(), found.next()) {
                    let start = link.span.start + at;
                    diagnostic.fix(
                        Applicability::Safe,
                        vec![Edit {
                            span: start..start + link.target.len(),
                            replacement: target.clone().into(),
                        }],
                    );
                }
            }
        }
    }
}
