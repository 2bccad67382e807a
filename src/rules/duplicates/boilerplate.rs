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

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::index::blocks::{occurrence, Block};
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
        // Each shared block asked about, with how many entries share it: a
        // block pasted into thousands of entries is looked up and counted
        // once, not once per copy.
        // With it, made once too: the help, and the first few places, which
        // every copy but those few points at (one list, shared).
        let mut sharing: HashMap<u64, Shared<'_>> = HashMap::new();
        for member in index.reported() {
            let record = index.record(member);
            for (block, fingerprint) in record.fingerprints.iter().enumerate() {
                let shared = match sharing.entry(fingerprint.hash) {
                    Entry::Occupied(known) => known.into_mut(),
                    Entry::Vacant(slot) => {
                        let run = index.with_block(fingerprint.hash);
                        if run.len() < min_entries {
                            continue;
                        }
                        let entries = distinct_records(run.iter().map(occurrence));
                        let first = run
                            .iter()
                            .take(SHOWN)
                            .map(|block| {
                                let (other_index, other_block) = occurrence(block);
                                let other = index.record(other_index);
                                crate::diagnostic::Related {
                                    file: other.file,
                                    span: other.fingerprints[other_block].span(),
                                    message: "also here".into(),
                                }
                            })
                            .collect();
                        slot.insert(Shared {
                            help: format!(
                                "{entries} entries share this text: write what is specific to this term, or delete the sentence"
                            )
                            .into(),
                            first: crate::diagnostic::Places::shared(first),
                            run,
                            entries,
                        })
                    }
                };
                if shared.entries < min_entries {
                    continue;
                }
                let run = &shared.run;
                let diagnostic = sink.report(
                    record.file,
                    fingerprint.span(),
                    "this text is repeated in other entries",
                );
                diagnostic.help(&shared.help);
                if !run
                    .iter()
                    .take(SHOWN)
                    .any(|b| occurrence(b) == (member, block))
                {
                    diagnostic.related_places(&shared.first);
                    continue;
                }
                let others = run
                    .iter()
                    .map(occurrence)
                    .filter(|&other| other != (member, block));
                for (other_index, other_block) in others.take(SHOWN) {
                    let other = index.record(other_index);
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

/// A shared block, as every copy of it is reported.
struct Shared<'a> {
    run: Cow<'a, [Block]>,
    entries: usize,
    help: std::sync::Arc<str>,
    first: crate::diagnostic::Places,
}

/// How many entries share a block, given its occurrences in record order.
fn distinct_records(occurrences: impl Iterator<Item = (usize, usize)>) -> usize {
    let mut previous = None;
    occurrences
        .filter(|&(record, _)| previous.replace(record) != Some(record))
        .count()
}
