//! ## What it does
//! Reports a paragraph or list item of at least `min-words` words that is
//! repeated in at least `min-entries` entries. Before comparing, each entry's own
//! term and aliases are folded out, so "Acid Recovery improves X" and "Acid Gas
//! Scrubbing improves X" count as the same sentence. Every occurrence is
//! reported, pointing at a few of the others; the help says how many there
//! are (the message does not, so that a baseline keeps accepting the old
//! copies when a new one is added).
//!
//! ## Why is this bad?
//! Filler pasted into dozens of entries says nothing about any of them, and it
//! drowns the sentences that do.
//!
//! ## Example
//! ```markdown
//! - **Outcome Quality**: Better methods improve decision reliability, efficiency, and measurable impact.
//! ```
//! in thirty entries.
//!
//! Use instead: say what this term improves, and how.
//!
//! ## Options
//! - `min-words` (integer, default 8): shorter blocks are never boilerplate.
//! - `min-entries` (integer, default 3): how many entries must share a block.

use crate::index::blocks::occurrence;
use crate::rules::prelude::*;

/// See the module documentation.
pub struct Boilerplate;

/// At most this many other occurrences are drawn as related spans.
const SHOWN: usize = 3;

static META: RuleMeta = RuleMeta {
    id: "boilerplate",
    family: Family::Duplicates,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[
        RuleOption {
            name: "min-words",
            default: 8,
            minimum: 1,
        },
        RuleOption {
            name: "min-entries",
            default: 3,
            minimum: 2,
        },
    ],
    source: include_str!("boilerplate.rs"),
};

impl Rule for Boilerplate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn flags(&self) -> Flags {
        Flags {
            fingerprints_blocks: Some("min-words"),
            ..Flags::default()
        }
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let index = cx.index;
        let min_entries = sink.option("min-entries").max(2) as usize;
        // One pass over the blocks sorted by hash: shared blocks sit side by
        // side, and a unique one costs a comparison.
        for run in index.by_fingerprint.groups() {
            if run.len() < min_entries {
                continue;
            }
            let occurrences: Vec<(usize, usize)> = run.iter().map(occurrence).collect();
            let entries = distinct_records(occurrences.iter().copied());
            if entries < min_entries {
                continue;
            }
            // Stored once per group: the help, and the first few places,
            // which every copy but those few points at.
            let help: std::sync::Arc<str> = format!(
                "{entries} entries share this text: write what is specific to this term, or delete the sentence"
            )
            .into();
            let first = crate::diagnostic::Places::shared(
                occurrences[..SHOWN.min(occurrences.len())]
                    .iter()
                    .map(|&(other_index, other_block)| {
                        let other = &index.entries[other_index];
                        let span = other.fingerprints[other_block].span();
                        crate::diagnostic::Related {
                            file: other.file,
                            span,
                            message: "also here".into(),
                        }
                    })
                    .collect(),
            );
            for (position, &(record_index, block)) in occurrences.iter().enumerate() {
                let record = &index.entries[record_index];
                if !index.is_reported(record) {
                    continue;
                }
                let diagnostic = sink.report(
                    record.file,
                    record.fingerprints[block].span(),
                    "this text is repeated in other entries",
                );
                diagnostic.help(&help);
                if position >= SHOWN {
                    diagnostic.related_places(&first);
                    continue;
                }
                let others = occurrences
                    .iter()
                    .enumerate()
                    .filter(|(other, _)| *other != position);
                for (_, &(other_index, other_block)) in others.take(SHOWN) {
                    let other = &index.entries[other_index];
                    diagnostic.related(
                        other.file,
                        other.fingerprints[other_block].span(),
                        "also here",
                    );
                }
            }
        }
    }
}

/// How many entries share a block, given its occurrences in record order.
fn distinct_records(occurrences: impl Iterator<Item = (usize, usize)>) -> usize {
    let mut previous = None;
    occurrences
        .filter(|&(record, _)| previous.replace(record) != Some(record))
        .count()
}
