//! ## What it does
//! Reports another entry's term (or alias) written in plain text where a link
//! would serve, once per term per entry (its first mention). Matching ignores
//! ASCII case and respects word boundaries; text in code, in links and in
//! headings is never matched, nor the entry's own names. Off by default. The
//! fix (unsafe: the author decides what deserves a link) wraps the mention in
//! `[[...]]`.
//!
//! ## Why is this bad?
//! A glossary whose entries link the terms they use lets a reader follow an
//! unfamiliar word to its definition; an unlinked mention is a missed path.
//!
//! ## Example
//! ```markdown
//! Checkpointing saves memory when training with the adam optimizer.
//! ```
//!
//! Use instead:
//! ```markdown
//! Checkpointing saves memory when training with the [[adam optimizer]].
//! ```
//!
//! ## Options
//! None.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

use crate::parse::parse_file;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct UnlinkedMention;

static META: RuleMeta = RuleMeta {
    id: "unlinked-mention",
    family: Family::References,
    default_level: Level::Off,
    fix: FixKind::Unsafe,
    options: &[],
    source: include_str!("unlinked_mention.rs"),
};

impl Rule for UnlinkedMention {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    /// One entry's findings depend on every entry of the corpus (who links
    /// to it, whose term its prose mentions): a staged run indexes everything.
    fn needs(&self, _config: &crate::config::Config) -> crate::rules::Needs {
        crate::rules::Needs {
            whole_corpus: true,
            ..crate::rules::Needs::default()
        }
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        // One automaton over every name in the corpus; pattern i names `owners[i]`.
        let mut patterns: Vec<&str> = Vec::new();
        let mut owners: Vec<usize> = Vec::new();
        for record_index in index.all() {
            let record = index.record(record_index);
            let names = record
                .term
                .iter()
                .map(|term| term.value.as_ref())
                .chain(record.aliases.iter().map(|(alias, _)| alias.value.as_str()));
            for name in names.filter(|name| name.chars().count() >= 3) {
                patterns.push(name);
                owners.push(record_index);
            }
        }
        if patterns.is_empty() {
            return;
        }
        let Ok(automaton) = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
        else {
            return;
        };
        let reported_files: Vec<usize> = (0..cx.files.len())
            .filter(|&file| index.reports_file(file))
            .collect();
        // Every file on every core (each reads and parses its text again),
        // the findings reported afterwards in file order: the same answer
        // for any thread count.
        let found: Vec<Vec<Mention>> = reported_files
            .par_iter()
            .map(|&file| mentions(cx, &automaton, &owners, file))
            .collect();
        for mention in found.into_iter().flatten() {
            let Mention {
                file,
                span,
                words,
                term,
            } = mention;
            sink.report(
                file,
                span.clone(),
                format!("`{words}` could link to the entry `{term}`"),
            )
            .help(format!("write `[[{words}]]`"))
            .fix(
                Applicability::Unsafe,
                vec![
                    Edit {
                        span: span.start..span.start,
                        replacement: "[[".into(),
                    },
                    Edit {
                        span: span.end..span.end,
                        replacement: "]]".into(),
                    },
                ],
            );
        }
    }
}

/// One mention found, to be reported.
struct Mention {
    file: usize,
    span: std::ops::Range<usize>,
    words: String,
    term: String,
}

/// The mentions in `file`, in order.
fn mentions(
    cx: &CorpusContext<'_>,
    automaton: &AhoCorasick,
    owners: &[usize],
    file: usize,
) -> Vec<Mention> {
    let index = cx.index;
    let mut out = Vec::new();
    let Some(text) = (cx.read_text)(file) else {
        return out;
    };
    let parsed = parse_file(
        &text,
        cx.files[file].kind,
        &cx.files[file].path,
        &cx.config.parse,
    );
    let records = index.records_of_file(file);
    for (entry, &own) in parsed.entries.iter().zip(records.iter()) {
        let own_key = &index.record(own).term_key;
        let mut mentioned: HashSet<usize> = HashSet::new();
        // Prose outside links, images and headings.
        let runs = entry.body.prose_runs().iter();
        for run in runs.filter(|run| !run.in_link && !run.in_heading) {
            let range = &run.span;
            let Some(chunk) = text.get(range.clone()) else {
                continue;
            };
            for found in automaton.find_iter(chunk) {
                let target = owners[found.pattern().as_usize()];
                let same_term = index.record(target).term_key == *own_key;
                // A link resolves in the file's own namespace first:
                // another language's entry is not it.
                let other_namespace = index.record(target).namespace != index.record(own).namespace;
                if target == own
                    || same_term
                    || other_namespace
                    || !at_word_boundaries(chunk, found.start(), found.end())
                {
                    continue;
                }
                // Inside a `[[references.patterns]]` match (a
                // shortcode) the words are already a link.
                let start = range.start + found.start();
                if entry
                    .body
                    .links
                    .iter()
                    .any(|link| link.span.contains(&start))
                {
                    continue;
                }
                if !mentioned.insert(target) {
                    continue;
                }
                let span = range.start + found.start()..range.start + found.end();
                let words = &chunk[found.start()..found.end()];
                let term = index
                    .record(target)
                    .term
                    .as_ref()
                    .map_or(words.to_string(), |term| term.value.to_string());
                out.push(Mention {
                    file,
                    span,
                    words: words.to_string(),
                    term,
                });
            }
        }
    }
    out
}

fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}
