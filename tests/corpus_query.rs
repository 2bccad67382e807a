//! The two implementations of the corpus query interface answer every query
//! alike: the in-memory index of a corpus, and the snapshot of an older
//! version of it with the changed files laid over it (a staged run's view).
//! Records are compared by value, so the two numberings never matter.

mod common;

use std::path::Path;

use glosslint::cache::snapshot::relative_paths;
use glosslint::cache::{refresh_snapshot, Snapshot};
use glosslint::config::Config;
use glosslint::discover::{discover, Request};
use glosslint::index::resolve::{suggestion_query, Target};
use glosslint::index::{scoped_key, Corpus, CorpusIndex, EntryRecord, RecordId};
use glosslint::load::{self, InputFile};
use glosslint::normalize::term_key;
use glosslint::rules::Registry;
use glosslint::staged::Overlay;
use proptest::prelude::*;

/// Names from a small vocabulary, so that random entries collide: as
/// terms, aliases, plurals, words and file names.
const WORDS: [&str; 7] = ["box", "boxes", "boxs", "rate", "rates", "step", "ste"];

const FILLER: [&str; 2] = [
    "This definition follows the house style guide and was reviewed by the editors.",
    "Every entry in this glossary is written for readers who are new to the field.",
];

fn name(picks: &[usize]) -> String {
    let words: Vec<&str> = picks
        .iter()
        .map(|&pick| WORDS[pick % WORDS.len()])
        .collect();
    words.join(" ")
}

/// One random file: its name (from the vocabulary, so that file names
/// collide across folders), a term, maybe an alias, an id and a route (a
/// Hugo `aliases:` site path), links of every kind, maybe shared blocks.
fn random_file() -> impl Strategy<Value = (String, String)> {
    (
        (0usize..2, 0usize..7),
        prop::collection::vec(0usize..7, 1..3),
        prop::option::of(prop::collection::vec(0usize..7, 1..3)),
        (prop::option::of(0usize..7), prop::option::of(0usize..7)),
        prop::collection::vec((0usize..8, prop::collection::vec(0usize..8, 1..3)), 0..4),
        prop::collection::vec(0usize..2, 0..3),
    )
        .prop_map(
            |((folder, stem), term, alias, (id, route), links, blocks)| {
                let path = format!("entries/f{folder}/{}.md", WORDS[stem]);
                let mut header = alias.map_or(String::new(), |alias| {
                    format!("aka: [\"{}\"]\n", name(&alias))
                });
                if let Some(id) = id {
                    header.push_str(&format!("id: {}\n", WORDS[id]));
                }
                if let Some(route) = route {
                    header.push_str(&format!("aliases: [\"/r/{}/\"]\n", WORDS[route]));
                }
                let mut body = String::from("## Usage\n\nBody.");
                for (kind, words) in links {
                    // Pick 7 is no word: a broken link, with suggestions.
                    let words: Vec<&str> = words
                        .iter()
                        .map(|&pick| WORDS.get(pick).copied().unwrap_or("bocks"))
                        .collect();
                    let target = words.join("-");
                    body.push_str(&match kind {
                        0 => format!(" See [[{}]].", words.join(" ")),
                        1 => format!(" See [[{target}#usage]]."),
                        2 => format!(" [p](../f0/{target}.md#usage)"),
                        3 => format!(" {{{{tip {target}}}}}"),
                        // By id, by route (a query dropped), by an anchor the
                        // page `entries/f0/box.md` renders for each entry of
                        // its folder (asked of it, and of the entry itself).
                        4 => format!(" {{{{id {target}}}}}"),
                        5 => format!(" [r](/r/{target}/?all=true)"),
                        6 => format!(" [a](../f0/box.md#term-{target})"),
                        _ => format!(" [a](#term-{target})"),
                    });
                }
                for block in blocks {
                    body.push_str(&format!("\n\n{}", FILLER[block]));
                }
                let text = format!("---\nterm: \"{}\"\n{header}---\n{body}\n", name(&term));
                (path, text)
            },
        )
}

fn config(root: &Path, wiki_by_file: bool) -> (Config, Registry) {
    let wiki = if wiki_by_file {
        "wiki = \"file\"\n"
    } else {
        ""
    };
    let text = format!(
        "[files]\nentries = [\"entries/**/*.md\"]\n\n[entries]\nalias_fields = [\"aka\"]\nid_field = \"id\"\n\n[rules]\nboilerplate = {{ level = \"warning\", min-words = 4 }}\n\n[references]\n{wiki}\n[[references.patterns]]\nname = \"tip\"\nregex = '\\{{\\{{tip (?P<stem>[a-z-]+)\\}}\\}}'\n\n[[references.patterns]]\nname = \"id\"\nregex = '\\{{\\{{id (?P<id>[a-z-]+)\\}}\\}}'\n\n[[references.anchors]]\npage = \"entries/f0/box.md\"\nanchor = \"term-{{id}}\"\n"
    );
    std::fs::write(root.join("glosslint.toml"), text).unwrap();
    let registry = Registry::builtin();
    let config = Config::load(&root.join("glosslint.toml"), root, &registry).unwrap();
    (config, registry)
}

/// The records of each of `files`, in file order.
fn records(files: &[InputFile], config: &Config, registry: &Registry) -> Vec<Vec<EntryRecord>> {
    files
        .iter()
        .enumerate()
        .map(|(id, file)| {
            let source = load::read(&file.path).unwrap();
            glosslint::check::check_file(id, file, &source, config, registry).records
        })
        .collect()
}

/// Everything a corpus answers, records by value.
#[derive(Debug, PartialEq)]
struct Answers {
    lists: Vec<(String, Vec<EntryRecord>)>,
    blocks: Vec<(u64, Vec<(EntryRecord, u32)>)>,
    words: Vec<(String, Vec<String>)>,
    files: Vec<(Option<String>, bool)>,
    targets: Vec<(String, Option<EntryRecord>, Option<bool>)>,
    suggestions: Vec<Vec<String>>,
}

fn answers(corpus: &dyn Corpus, config: &Config, root: &Path, hashes: &[u64]) -> Answers {
    let by_value = |ids: &[RecordId]| -> Vec<EntryRecord> {
        ids.iter().map(|&id| corpus.record(id).clone()).collect()
    };
    let mut lists = vec![
        ("reported".to_string(), by_value(&corpus.reported())),
        ("all".to_string(), by_value(&corpus.all())),
    ];
    // Ids sorted by their position are in corpus order, whatever order
    // they came in.
    let mut shuffled = corpus.all();
    shuffled.reverse();
    shuffled.sort_by_key(|&id| corpus.position(id));
    lists.push(("by position".to_string(), by_value(&shuffled)));
    let mut keys: Vec<String> = Vec::new();
    for first in WORDS.iter().chain(["bocks", "nothing"].iter()) {
        keys.push(term_key(first));
        for second in WORDS {
            keys.push(term_key(&format!("{first} {second}")));
        }
    }
    for key in &keys {
        lists.push((format!("term {key}"), by_value(&corpus.with_term(key))));
        lists.push((format!("alias {key}"), by_value(&corpus.with_alias(key))));
        lists.push((
            format!("stem {key}"),
            by_value(&corpus.with_stem(&key.replace(' ', "-"))),
        ));
        lists.push((format!("word {key}"), by_value(&corpus.with_word(key))));
        lists.push((format!("id {key}"), by_value(&corpus.with_id(key))));
        let route = format!("r/{}", key.replace(' ', "-"));
        lists.push((
            format!("route {route}"),
            by_value(&corpus.with_route(&route)),
        ));
        for (number, found) in corpus.plurals_of(key).iter().enumerate() {
            lists.push((format!("plural {number} {key}"), by_value(found)));
        }
        for (number, found) in corpus.singulars_of(key).iter().enumerate() {
            lists.push((format!("singular {number} {key}"), by_value(found)));
        }
        lists.push((
            format!("scoped {key}"),
            by_value(&corpus.with_term(&scoped_key("other", key))),
        ));
    }
    let mut paths: Vec<String> = (0..corpus.file_count())
        .filter_map(|file| corpus.file_path(file).map(str::to_string))
        .collect();
    paths.push("entries/f0/none.md".into());
    for path in &paths {
        lists.push((
            format!("path {path}"),
            by_value(&corpus.records_at_path(path)),
        ));
    }
    for file in 0..corpus.file_count() + 1 {
        lists.push((
            format!("file {file}"),
            by_value(&corpus.records_of_file(file)),
        ));
    }
    let blocks = hashes
        .iter()
        .map(|&hash| {
            let found = corpus
                .with_block(hash)
                .iter()
                .map(|&(_, record, block)| (corpus.record(record as usize).clone(), block))
                .collect();
            (hash, found)
        })
        .collect();
    let mut words = Vec::new();
    for prefix in ["", "b", "bo", "box", "r", "s", "st", "ste", "x"] {
        for limit in [1, 2, 50] {
            words.push((
                format!("{prefix} {limit}"),
                corpus.words_with_prefix(prefix, limit),
            ));
        }
    }
    let files = (0..corpus.file_count() + 1)
        .map(|file| {
            (
                corpus.file_path(file).map(str::to_string),
                corpus.reports_file(file),
            )
        })
        .collect();
    let mut targets = Vec::new();
    let mut suggestions = Vec::new();
    for from in corpus.all() {
        for link in &corpus.record(from).links {
            let (record, anchor) = match corpus.resolve(from, link, config, root) {
                Target::Entry {
                    record,
                    anchor_found,
                } => (Some(corpus.record(record).clone()), anchor_found),
                other => (None, Some(other == Target::File)),
            };
            targets.push((link.target.clone(), record, anchor));
            let namespace = corpus.record(from).namespace.clone();
            let near = corpus.suggest_terms(&suggestion_query(link), &[&namespace]);
            suggestions.push(near.into_iter().map(str::to_string).collect());
        }
    }
    Answers {
        lists,
        blocks,
        words,
        files,
        targets,
        suggestions,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any corpus, any set of files changed since its snapshot (some of
    /// them reported): the overlay answers as the index of the corpus as it
    /// is now.
    #[test]
    fn the_overlay_answers_every_query_as_the_index(
        before in prop::collection::vec(random_file(), 2..8),
        edits in prop::collection::vec((0usize..8, random_file(), any::<bool>()), 0..4),
        wiki_by_file in any::<bool>(),
    ) {
        // Paths first picked win: each file once.
        let mut written: Vec<(String, String)> = Vec::new();
        for (path, text) in before {
            if !written.iter().any(|(known, _)| *known == path) {
                written.push((path, text));
            }
        }
        let written: Vec<(&str, &str)> =
            written.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect();
        let dir = common::project(&written);
        let root = dir.path();
        let (config, registry) = config(root, wiki_by_file);
        let mut files = discover(&config, &Request::default(), root).files;
        for file in &mut files {
            file.reported = false;
        }
        let old = records(&files, &config, &registry);
        let paths: Vec<std::sync::Arc<str>> = relative_paths(&files, root)
            .unwrap()
            .into_iter()
            .map(std::sync::Arc::from)
            .collect();
        let stamps = vec![None; files.len()];
        let index = CorpusIndex::build(old.concat(), vec![false; files.len()], paths.clone());
        refresh_snapshot(root, 7, &files, &stamps, &index);
        let snapshot = Snapshot::open(root, 7).unwrap();
        // Edits keep each file's path (the file's text changes), some of
        // them reported.
        let mut changed = vec![false; files.len()];
        for (pick, (_, text), reported) in edits {
            let id = pick % files.len();
            std::fs::write(&files[id].path, text).unwrap();
            changed[id] = true;
            files[id].reported |= reported;
        }
        let new = records(&files, &config, &registry);
        let relative = relative_paths(&files, root).unwrap();
        let current_of: Vec<Option<usize>> =
            (0..files.len()).map(|id| (!changed[id]).then_some(id)).collect();
        let fresh: Vec<EntryRecord> = (0..files.len())
            .filter(|&id| changed[id])
            .flat_map(|id| new[id].clone())
            .collect();
        let overlay = Overlay::new(&snapshot, &files, &relative, &current_of, fresh);
        let reported = files.iter().map(|file| file.reported).collect();
        let all_new = new.concat();
        let hashes: Vec<u64> = old
            .iter()
            .chain(&new)
            .flatten()
            .flat_map(|record| record.fingerprints.iter().map(|block| block.hash))
            .collect();
        let index = CorpusIndex::build(all_new, reported, paths);
        let from_index = answers(&index, &config, root, &hashes);
        let from_overlay = answers(&overlay, &config, root, &hashes);
        prop_assert!(!overlay.damaged());
        prop_assert_eq!(from_overlay, from_index);
    }
}
