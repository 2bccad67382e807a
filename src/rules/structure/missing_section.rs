//! ## What it does
//! Reports a section that the entry's template requires but the entry lacks.
//! Templates live in `rules/templates.toml`; a template with
//! `applies = "detected"` binds only entries that already have one of its
//! headings, so an entry that opens the template and then leaves it is caught.
//!
//! ## Why is this bad?
//! Readers learn where to look in a glossary from its fixed shape; an entry that
//! drops "Why it matters" breaks that shape and usually lost text in an edit.
//!
//! ## Example
//! With the template `What Is {term}?`, `Why {term} Matters`, `How It Is Used in Practice`:
//! ```markdown
//! **What Is Acid Recovery?**
//! - **Definition**: reclamation of spent acids.
//! **How It Is Used in Practice**
//! - **Calibration**: ...
//! ```
//!
//! Use instead:
//! ```markdown
//! **What Is Acid Recovery?**
//! - **Definition**: reclamation of spent acids.
//! **Why Acid Recovery Matters**
//! - **Outcome Quality**: ...
//! **How It Is Used in Practice**
//! - **Calibration**: ...
//! ```
//!
//! The help writes the heading with the term as the entry spells it, in its
//! headings first and else in its prose (`**Why AdaBoost Matters**` for the
//! term `adaboost`), not as its lower-case key.
//!
//! ## Options
//! None; the sections come from the template.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct MissingSection;

static META: RuleMeta = RuleMeta {
    id: "missing-section",
    family: Family::Structure,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("missing_section.rs"),
};

impl Rule for MissingSection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        // The headings' spelling first (they are what the help writes), then
        // the prose's.
        let term = cx.entry.term.as_ref().map_or("{term}", |term| {
            let body = cx.file.text.get(cx.entry.body.span.clone()).unwrap_or("");
            cx.entry
                .body
                .headings
                .iter()
                .find_map(|heading| spelled_in(&heading.text, &term.value))
                .or_else(|| spelled_in(body, &term.value))
                .unwrap_or(&term.value)
        });
        for active in &cx.templates {
            for (index, section) in active.template.sections.iter().enumerate() {
                if active.found[index].is_some() {
                    continue;
                }
                let heading = section.heading.render(term);
                let diagnostic = sink.report(
                    cx.entry.anchor(cx.file.text),
                    format!(
                        "missing section `{heading}` required by template `{}`",
                        active.template.name
                    ),
                );
                let previous = active.found[..index].iter().rev().flatten().next();
                match previous {
                    Some(&found) => diagnostic.help(format!(
                        "add a `**{heading}**` section after `{}`",
                        cx.entry.body.headings[found].text
                    )),
                    None => diagnostic.help(format!("add a `**{heading}**` section")),
                };
            }
        }
    }
}

/// The first whole-word occurrence of `term` in `text` compared without case,
/// as `text` writes it.
fn spelled_in<'t>(text: &'t str, term: &str) -> Option<&'t str> {
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let term_chars: Vec<char> = term.chars().collect();
    let first = *term_chars.first()?;
    text.char_indices()
        .filter(|&(_, c)| c.to_lowercase().eq(first.to_lowercase()))
        .find_map(|(start, _)| {
            let mut end = start;
            let mut chars = text[start..].chars();
            for &wanted in &term_chars {
                let got = chars.next()?;
                if !got.to_lowercase().eq(wanted.to_lowercase()) {
                    return None;
                }
                end += got.len_utf8();
            }
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            (!is_word(before) && !is_word(after)).then(|| &text[start..end])
        })
}

#[cfg(test)]
mod tests {
    use super::spelled_in;

    #[test]
    fn the_term_is_spelled_as_the_text_writes_it() {
        let body = "**AdaBoost (Adaptive Boosting)** is ...\n**What Is AdaBoost?**";
        assert_eq!(spelled_in(body, "adaboost"), Some("AdaBoost"));
        assert_eq!(spelled_in("Ädaboost-like: ÄDA", "äda"), Some("ÄDA"));
        assert_eq!(spelled_in("no such word", "adaboost"), None);
        assert_eq!(spelled_in("anything", ""), None);
    }
}
