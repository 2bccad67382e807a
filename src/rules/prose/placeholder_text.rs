//! ## What it does
//! Reports placeholder text left in an entry: the markers `TODO`, `FIXME`,
//! `TBD` and `XXX` (whole words, upper case), "lorem ipsum" (any case), and an
//! unexpanded template variable such as `{term}` or `{{ term }}`. Code and math
//! are not checked. A marker named inside a sentence, with a word before it
//! and a word or comma after it (`Toggle TODO items`, `scans for TODO, FIXME,
//! and other tags`), is a mention of the marker, not a placeholder.
//!
//! ## Why is this bad?
//! Placeholders are notes to the author, not content: a reader sees an
//! unfinished entry, and generated text that still says `{term}` names
//! nothing.
//!
//! ## Example
//! ```text
//! **{term}** is a memory optimization technique. TODO: add an example.
//! ```
//!
//! Use instead:
//! ```text
//! **Activation checkpointing** is a memory optimization technique.
//! ```
//!
//! ## Options
//! None.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::rules::prelude::*;

/// See the module documentation.
pub struct PlaceholderText;

static META: RuleMeta = RuleMeta {
    id: "placeholder-text",
    family: Family::Prose,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("placeholder_text.rs"),
};

const MARKERS: [&str; 4] = ["TODO", "FIXME", "TBD", "XXX"];

impl Rule for PlaceholderText {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        for run in cx.entry.body.prose_runs() {
            let run = &run.span;
            let Some(prose) = text.get(run.clone()) else {
                continue;
            };
            for (at, length, what) in placeholders(prose) {
                if is_mention(prose, at, at + length) {
                    continue;
                }
                let start = run.start + at;
                sink.report(start..start + length, format!("placeholder text `{what}`"))
                    .help("write the missing content, or remove the placeholder");
            }
        }
    }
}

/// Whether the marker at `start..end` is named rather than left: it sits
/// inside a sentence, a word before it and a word or a comma after it
/// (`Toggle TODO items`, `scans for TODO, FIXME, and other tags`). Other
/// markers and commas between it and the word before are skipped.
fn is_mention(prose: &str, start: usize, end: usize) -> bool {
    let mut before = prose[..start].trim_end_matches([' ', ',']);
    while let Some(marker) = MARKERS.iter().find(|marker| before.ends_with(**marker)) {
        before = before[..before.len() - marker.len()].trim_end_matches([' ', ',']);
    }
    let word_before = before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
        && before.len() < prose[..start].len();
    let after = prose[end..].trim_start_matches(' ');
    let word_after = after
        .chars()
        .next()
        .is_some_and(|ch| ch.is_alphanumeric() || ch == ',');
    !prose[..start].ends_with("//") && word_before && word_after
}

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The markers, and `lorem ipsum` in any case, in one automaton: matching
/// ignores ASCII case, and a marker's case is checked after.
static SEARCH: std::sync::LazyLock<AhoCorasick> = std::sync::LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostFirst)
        .build(MARKERS.iter().copied().chain([LOREM]))
        .expect("fixed patterns build")
});

const LOREM: &str = "lorem ipsum";

/// `(offset, length, text)` of each placeholder in `prose`, in order.
fn placeholders(prose: &str) -> Vec<(usize, usize, String)> {
    let bytes = prose.as_bytes();
    let mut found = Vec::new();
    // Leftmost, not overlapping: no pattern ends with what another starts
    // with, but for `XXX`, whose overlapping twin is not a whole word anyway,
    // so this finds what a search per pattern finds, in one pass that SIMD
    // prefilters (overlapping search cannot).
    for hit in SEARCH.find_iter(prose) {
        let (at, end) = (hit.start(), hit.end());
        match MARKERS.get(hit.pattern().as_usize()) {
            Some(marker) => {
                let before = at.checked_sub(1).map(|index| bytes[index]);
                let after = bytes.get(end).copied();
                if &prose[at..end] == *marker
                    && !before.is_some_and(is_word_byte)
                    && !after.is_some_and(is_word_byte)
                {
                    found.push((at, marker.len(), marker.to_string()));
                }
            }
            None => found.push((at, end - at, prose[at..end].to_string())),
        }
    }
    let mut index = 0;
    while let Some(open) = prose.get(index..).and_then(|rest| rest.find('{')) {
        let open = index + open;
        index = open + 1;
        if let Some(length) = template_variable(prose.get(open..).unwrap_or("")) {
            found.push((open, length, prose[open..open + length].to_string()));
            index = open + length;
        }
    }
    found.sort();
    found
}

/// The length of a `{term}` / `{{ term }}` at the start of `rest`.
fn template_variable(rest: &str) -> Option<usize> {
    let double = rest.starts_with("{{");
    let opening = if double { 2 } else { 1 };
    let inner_start = rest.get(opening..)?;
    let trimmed = inner_start.trim_start_matches(' ');
    let name_len = trimmed
        .bytes()
        .take_while(|byte| byte.is_ascii_alphabetic() || *byte == b'_')
        .count();
    let name = trimmed.get(..name_len)?;
    if !matches!(
        name.to_ascii_lowercase().as_str(),
        "term" | "alias" | "term_name"
    ) {
        return None;
    }
    let after = trimmed.get(name_len..)?.trim_start_matches(' ');
    let closing = if double { "}}" } else { "}" };
    if !after.starts_with(closing) {
        return None;
    }
    Some(rest.len() - after.len() + closing.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(prose: &str) -> Vec<String> {
        placeholders(prose)
            .into_iter()
            .map(|(_, _, text)| text)
            .collect()
    }

    #[test]
    fn placeholders_are_found() {
        assert_eq!(
            texts("TODO: {term} and {{ Term }} Lorem Ipsum dolor, FIXME."),
            ["TODO", "{term}", "{{ Term }}", "Lorem Ipsum", "FIXME"]
        );
    }

    #[test]
    fn markers_named_inside_a_sentence_are_mentions() {
        let mentions = |prose: &str| -> Vec<bool> {
            placeholders(prose)
                .into_iter()
                .map(|(at, length, _)| is_mention(prose, at, at + length))
                .collect()
        };
        assert_eq!(mentions("Track TODO items across files"), [true]);
        assert_eq!(
            mentions("scans for TODO, FIXME, and other tags"),
            [true, true]
        );
        assert_eq!(mentions("Toggle TODO items."), [true]);
        assert_eq!(mentions("try it. //TODO as we have none"), [false]);
        assert_eq!(mentions("TODO: add it"), [false]);
        assert_eq!(mentions("This part is TBD."), [false]);
        assert_eq!(mentions("- **Status**: FIXME before release"), [false]);
    }

    #[test]
    fn ordinary_words_are_not() {
        assert!(texts("Todo lists, TODOS, XXXL shirts, {x}, {terms}, tbd").is_empty());
    }

    /// A search per marker, as the rule once did.
    fn by_search(prose: &str) -> Vec<(usize, usize, String)> {
        let bytes = prose.as_bytes();
        let mut found = Vec::new();
        for marker in MARKERS {
            for (at, _) in prose.match_indices(marker) {
                let before = at.checked_sub(1).map(|index| bytes[index]);
                let after = bytes.get(at + marker.len()).copied();
                if !before.is_some_and(is_word_byte) && !after.is_some_and(is_word_byte) {
                    found.push((at, marker.len(), marker.to_string()));
                }
            }
        }
        let lower = prose.to_ascii_lowercase();
        for (at, _) in lower.match_indices("lorem ipsum") {
            found.push((at, 11, prose[at..at + 11].to_string()));
        }
        found.sort();
        found
    }

    proptest::proptest! {
        #[test]
        fn one_pass_finds_what_a_search_per_marker_finds(
            prose in "(TODO|FIXME|TBD|XXX|todo|Tbd|xXx|X|T|lorem|LoReM| ipsum|é|_|a| |\\{term\\}){0,12}"
        ) {
            let mut markers = placeholders(&prose);
            markers.retain(|(_, _, text)| !text.starts_with('{'));
            proptest::prop_assert_eq!(markers, by_search(&prose));
        }
    }
}
