//! Prose rules: wording.

mod placeholder_text;
mod repeated_word;

use super::{EntryContext, Rule};

/// The prose rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(placeholder_text::PlaceholderText),
        Box::new(repeated_word::RepeatedWord),
    ]
}

/// The primary language subtag of the entry, lowercased (`pt` for `pt-BR`):
/// from `[[overrides]] lang`, else front matter `lang` or `language`, else
/// the namespace when it is named like a language (`de`, `zh-cn`).
pub(crate) fn language(cx: &EntryContext<'_>) -> Option<String> {
    let text = cx.file.text;
    let tag = cx
        .file
        .settings
        .lang
        .as_deref()
        .map(str::to_string)
        .or_else(|| front_matter_language(text.get(cx.entry.header.clone()).unwrap_or("")))
        .or_else(|| {
            let namespace: &str = &cx.file.settings.namespace;
            looks_like_language(namespace).then(|| namespace.to_string())
        })?;
    let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
    (!primary.is_empty()).then(|| primary.to_ascii_lowercase())
}

/// The value of a top-level `lang:` or `language:` line of YAML front matter
/// (or `lang =` in TOML front matter).
fn front_matter_language(header: &str) -> Option<String> {
    header.lines().find_map(|line| {
        let (key, value) = line.split_once([':', '='])?;
        let key = key.trim_end();
        if !matches!(key, "lang" | "language") {
            return None;
        }
        let value = value.trim().trim_matches(['"', '\'']).trim();
        looks_like_language(value).then(|| value.to_string())
    })
}

/// `en`, `tr`, `pt-br`, `zh-Hant`: a BCP 47 tag's shape.
fn looks_like_language(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|part| {
            (2..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}
