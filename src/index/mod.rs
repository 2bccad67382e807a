//! Index: what every entry contributes to the corpus, so that rules needing the
//! whole corpus (duplicates now, references and boilerplate next) run against a
//! compact record per entry instead of every file's text.

pub mod blocks;
pub mod query;
pub mod resolve;
pub mod update;

pub use query::{Corpus, RecordId};

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::FileId;
use crate::model::{Entry, Link, LinkKind, Spanned};
use crate::normalize::term_key;

/// What one entry contributes to the index.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntryRecord {
    /// The file holding it.
    pub file: FileId,
    /// The entry's byte range.
    pub span: Range<usize>,
    /// The term as written, with its span.
    pub term: Option<Spanned<Arc<str>>>,
    /// The term folded by SPEC 2.6, inside its namespace (see [`scoped_key`]).
    pub term_key: Option<String>,
    /// The namespace of its file (`[[overrides]] namespace`), empty by default.
    pub namespace: Arc<str>,
    /// Aliases as written with their folded forms.
    pub aliases: Vec<(Spanned<String>, String)>,
    /// Paragraphs and list items long enough to count as boilerplate.
    pub fingerprints: Vec<Fingerprint>,
    /// Anchors of its real headings (GitHub slugs).
    pub anchors: Vec<String>,
    /// Its references: body links, then `see_also` items.
    pub links: Vec<Link>,
    /// A `[files] referrers` page: read for its links, never linked to by
    /// file name.
    #[serde(default)]
    pub links_only: bool,
    /// The `[entries] id_field` value, folded like a term inside its
    /// namespace (see [`scoped_key`]): a pattern's `id` group finds it.
    #[serde(default)]
    pub id_key: Option<String>,
    /// Other site paths the page is served at (Hugo `aliases:` that start
    /// with `/`), without the slashes around them.
    #[serde(default)]
    pub routes: Vec<String>,
}

/// A folded name inside a namespace: names in different namespaces (one per
/// language of a multilingual site, say) never collide.
pub fn scoped_key(namespace: &str, key: &str) -> String {
    if namespace.is_empty() || key.is_empty() {
        key.to_string()
    } else {
        format!("{namespace}\u{1f}{key}")
    }
}

/// A folded name without its namespace.
pub fn unscoped_key(key: &str) -> &str {
    key.rsplit_once('\u{1f}').map_or(key, |(_, bare)| bare)
}

/// A paragraph or list item, folded and hashed for `boilerplate`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    /// Hash of the folded text.
    pub hash: u64,
    /// Where the block starts and ends: 32 bits each, as a 100k-entry corpus
    /// holds over a million of these (a block past 4 GiB is not fingerprinted).
    start: u32,
    end: u32,
}

impl Fingerprint {
    /// Where the block is.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl EntryRecord {
    /// The record of a parsed entry; blocks of at least `boilerplate_min_words`
    /// words are fingerprinted (none when `boilerplate` is off).
    pub fn new(
        file: FileId,
        entry: &Entry<'_>,
        namespace: Arc<str>,
        boilerplate_min_words: Option<usize>,
    ) -> Self {
        let term = entry
            .term
            .as_ref()
            .map(|term| Spanned::new(Arc::from(term.value.as_str()), term.span.clone()));
        let namespace_for_id = namespace.clone();
        Self {
            file,
            span: entry.span.clone(),
            term_key: term
                .as_ref()
                .map(|term| scoped_key(&namespace, &term_key(&term.value)))
                .filter(|key| !key.is_empty()),
            term,
            aliases: entry
                .aliases
                .iter()
                .map(|alias| {
                    (
                        alias.clone(),
                        scoped_key(&namespace, &term_key(&alias.value)),
                    )
                })
                .collect(),
            namespace,
            fingerprints: boilerplate_min_words
                .map_or_else(Vec::new, |min| fingerprints(entry, min)),
            anchors: anchors(entry),
            links: entry
                .body
                .links
                .iter()
                .cloned()
                .chain(entry.see_also.iter().map(|item| {
                    let (target, anchor) = match item.value.split_once('#') {
                        Some((target, anchor)) => (target.to_string(), Some(anchor.to_string())),
                        None => (item.value.clone(), None),
                    };
                    Link {
                        kind: LinkKind::Wiki,
                        target,
                        anchor,
                        span: item.span.clone(),
                        in_front_matter: true,
                    }
                }))
                .collect(),
            links_only: false,
            id_key: entry
                .id
                .as_ref()
                .map(|id| scoped_key(&namespace_for_id, &term_key(&id.value)))
                .filter(|key| !key.is_empty()),
            routes: entry
                .routes
                .iter()
                .map(|route| route_key(&route.value))
                .collect(),
        }
    }
}

/// A site path as the `routes` of a record hold it: percent escapes, a
/// query and the slashes around it dropped (`/zh-cn/dockershim/` and
/// `/zh-cn/dockershim` are the same page).
pub fn route_key(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    resolve::percent_decode(path).trim_matches('/').to_string()
}

impl EntryRecord {
    /// A record of a `[files] referrers` page: its links count, but it
    /// answers to no name and shares no block.
    pub fn keep_only_links(&mut self) {
        self.term = None;
        self.term_key = None;
        self.aliases.clear();
        self.fingerprints.clear();
        self.id_key = None;
        self.links_only = true;
    }
}

/// The entry's heading anchors: GitHub slugs, and the ids that Hugo's
/// heading attributes give (`## Termination of Pods {#pod-termination}`).
fn anchors(entry: &Entry<'_>) -> Vec<String> {
    let mut anchors = crate::parse::markdown::anchors(&entry.body);
    for heading in &entry.body.headings {
        let Some(attributes) = heading
            .text
            .trim_end()
            .strip_suffix('}')
            .and_then(|rest| rest.rsplit_once('{'))
            .map(|(_, inside)| inside)
        else {
            continue;
        };
        for id in attributes
            .split_whitespace()
            .filter_map(|part| part.strip_prefix('#'))
        {
            if !anchors.iter().any(|known| known == id) {
                anchors.push(id.to_string());
            }
        }
    }
    anchors
}

/// Fingerprints the entry's paragraphs (outside lists) and list items (their
/// own text, before a nested list), as the text model gives them: the block's
/// Unicode words of prose ([`crate::model::Body::words`]), lowercased, one
/// space apart, and the entry's own term and aliases (folded the same way)
/// replaced by `{term}`, so the same filler pasted into many entries hashes
/// alike. A block of fewer than `min_words` words is not fingerprinted.
pub fn fingerprints(entry: &Entry<'_>, min_words: usize) -> Vec<Fingerprint> {
    use crate::parse::text::BlockKind;
    let body = &entry.body;
    let source = body.source;
    let names: Vec<(String, memchr::memmem::Finder<'static>)> = entry
        .names()
        .map(|name| fold_words(&name.value, crate::parse::text::word_spans(&name.value)))
        .filter(|name| !name.is_empty())
        .map(|name| {
            let padded = format!(" {name} ");
            // Searched for in every block: set up once (`str::contains`
            // sets up its searcher for each block and name).
            let finder = memchr::memmem::Finder::new(&padded).into_owned();
            (padded, finder)
        })
        .collect();
    let words = body.words();
    let blocks = body.blocks();
    let mut found = Vec::new();
    // The block's folded text between two spaces, and the same with the
    // entry's names replaced: buffers kept across blocks.
    let mut padded = String::new();
    let mut replaced = String::new();
    // The end of the outermost list item seen so far: a paragraph starting
    // before it is part of that item's text.
    let mut item_end = 0usize;
    for (index, block) in blocks.iter().enumerate() {
        let own = match block.kind {
            BlockKind::Item => {
                item_end = item_end.max(block.range.end);
                // Its own text stops where a nested list starts.
                let nested = blocks[index + 1..]
                    .iter()
                    .take_while(|inner| inner.range.start < block.range.end)
                    .find(|inner| inner.kind == BlockKind::List)
                    .map_or(block.range.end, |list| list.range.start);
                block.range.start..nested
            }
            BlockKind::Paragraph if block.range.start >= item_end => block.range.clone(),
            _ => continue,
        };
        let first = words.partition_point(|word| word.span.start < own.start);
        let last = words.partition_point(|word| word.span.start < own.end);
        let own_words = &words[first..last];
        if own_words.is_empty() {
            continue;
        }
        padded.clear();
        padded.push(' ');
        for word in own_words {
            push_folded(&mut padded, source.get(word.span.clone()).unwrap_or(""));
            padded.push(' ');
        }
        for (name, finder) in &names {
            // `str::replace` into the second buffer, which then trades
            // places: neither is allocated again for the next block.
            replaced.clear();
            let mut copied = 0;
            for at in finder.find_iter(padded.as_bytes()) {
                if at < copied {
                    continue;
                }
                replaced.push_str(&padded[copied..at]);
                replaced.push_str(" {term} ");
                copied = at + name.len();
            }
            if copied > 0 {
                replaced.push_str(&padded[copied..]);
                std::mem::swap(&mut padded, &mut replaced);
            }
        }
        let folded = padded.trim();
        let count = folded.bytes().filter(|&byte| byte == b' ').count() + 1;
        if count < min_words {
            continue;
        }
        // Where the block's text ends: a block's own range runs on over the
        // line break after it (and an item's up to its nested list).
        let end = own.start
            + source
                .get(own.clone())
                .map_or(0, |written| written.trim_end().len());
        if let (Ok(start), Ok(end)) = (u32::try_from(own.start), u32::try_from(end)) {
            found.push(Fingerprint {
                hash: fnv1a(folded.as_bytes()),
                start,
                end,
            });
        }
    }
    // Kept for the whole run: no room to spare.
    found.shrink_to_fit();
    found
}

/// `text`'s words at `spans`, lowercased, one space apart.
fn fold_words(text: &str, spans: impl Iterator<Item = Range<usize>>) -> String {
    let mut folded = String::new();
    for span in spans {
        if !folded.is_empty() {
            folded.push(' ');
        }
        push_folded(&mut folded, &text[span]);
    }
    folded
}

/// `word` lowercased onto `out` (ASCII at once, the rest by character).
fn push_folded(out: &mut String, word: &str) {
    if word.is_ascii() {
        let from = out.len();
        out.push_str(word);
        out[from..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// FNV-1a: fast and stable for short texts, unlike the std hasher.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The file, byte range and term of each of `records` in a reported file of
/// `files`: what a run lists of the entries it checked.
pub fn reported_entries(
    records: &[EntryRecord],
    files: &[crate::load::InputFile],
) -> Vec<(FileId, Range<usize>, Option<Arc<str>>)> {
    records
        .iter()
        .filter(|record| files.get(record.file).is_some_and(|file| file.reported))
        .map(|record| {
            let term = record.term.as_ref().map(|term| term.value.clone());
            (record.file, record.span.clone(), term)
        })
        .collect()
}

/// The lowercase names a file is found by: its name without `.md` (as
/// Obsidian reads `[[index]]`) and, for `index.md` and `_index.md`, the name
/// of its folder (a Hugo page bundle).
pub fn file_stems(path: &str) -> Vec<String> {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or("");
    let name = name.strip_suffix(".md").unwrap_or(name);
    let mut stems = vec![name.to_lowercase()];
    if name == "index" || name == "_index" {
        stems.extend(parts.next().map(str::to_lowercase));
    }
    stems.retain(|stem| !stem.is_empty());
    stems
}

/// A list for one record: most names and paths have just one (a `Vec`
/// grows to four at its first push).
fn single() -> Vec<usize> {
    Vec::with_capacity(1)
}

/// The corpus index: every entry's record and lookups by folded name.
#[derive(Debug, Default)]
pub struct CorpusIndex {
    /// Records in file order, then entry order: deterministic.
    pub entries: Vec<EntryRecord>,
    /// Folded term to the records with that term.
    pub by_term: HashMap<String, Vec<usize>>,
    /// Folded alias to the records with that alias.
    pub by_alias: HashMap<String, Vec<usize>>,
    /// Every fingerprinted block, for `boilerplate`.
    pub by_fingerprint: blocks::Blocks,
    /// Each file's path relative to the project root, `/`-separated.
    pub file_paths: Vec<Arc<str>>,
    /// Root-relative path to the records of that file.
    pub by_path: HashMap<Arc<str>, Vec<usize>>,
    /// A file's name without `.md`, lowercase, inside the namespace of its
    /// records (a folder's name for its `index.md` or `_index.md`): Hugo's
    /// `term_id` and Obsidian's `[[name]]` find entries by it.
    pub by_stem: HashMap<String, Vec<usize>>,
    /// A record's folded id (`[entries] id_field`), inside its namespace, to
    /// the records with it: a pattern's `id` group finds entries by it.
    pub by_id: HashMap<String, Vec<usize>>,
    /// A site path some page declares as its alias (Hugo `aliases:`), as
    /// [`route_key`] writes it, to the records of those pages.
    pub by_route: HashMap<String, Vec<usize>>,
    /// Every file name under the root, for `[[attachment.png]]`; see
    /// `resolve::attachments`.
    attachments: std::sync::OnceLock<std::collections::HashSet<String>>,
    /// Each word of a folded term to the records whose term has it, for
    /// "did you mean" without scanning every term.
    pub by_word: HashMap<String, Vec<usize>>,
    /// The keys of `by_word`, sorted, for prefix lookups.
    pub words: Vec<String>,
    /// Whether each file's diagnostics are reported in this run.
    pub reported_files: Vec<bool>,
}

impl CorpusIndex {
    /// Builds the lookups over records given in file order.
    pub fn build(
        entries: Vec<EntryRecord>,
        reported_files: Vec<bool>,
        file_paths: Vec<Arc<str>>,
    ) -> Self {
        let by_fingerprint = blocks::Blocks::build(&entries);
        Self::with_blocks(entries, reported_files, file_paths, by_fingerprint)
    }

    /// [`CorpusIndex::build`] for an index that no record joins or leaves
    /// later (one run of the command line): it keeps only the blocks that
    /// some other block shares (see [`blocks::Blocks::keep_shared`]).
    pub fn build_fixed(
        entries: Vec<EntryRecord>,
        reported_files: Vec<bool>,
        file_paths: Vec<Arc<str>>,
    ) -> Self {
        // Pruned before the tables are built: the whole list and the tables
        // are never held at once.
        let mut by_fingerprint = blocks::Blocks::build(&entries);
        by_fingerprint.keep_shared();
        Self::with_blocks(entries, reported_files, file_paths, by_fingerprint)
    }

    fn with_blocks(
        entries: Vec<EntryRecord>,
        reported_files: Vec<bool>,
        file_paths: Vec<Arc<str>>,
        by_fingerprint: blocks::Blocks,
    ) -> Self {
        // Sized once, so no table is rebuilt while it grows (each rebuild
        // leaves the old table as a hole in the heap).
        let mut by_path: HashMap<Arc<str>, Vec<usize>> = HashMap::with_capacity(file_paths.len());
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_term: HashMap<String, Vec<usize>> = HashMap::with_capacity(entries.len());
        let mut by_alias: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_stem: HashMap<String, Vec<usize>> = HashMap::with_capacity(entries.len());
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_route: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, record) in entries.iter().enumerate() {
            if let Some(key) = &record.id_key {
                by_id.entry(key.clone()).or_insert_with(single).push(index);
            }
            for route in &record.routes {
                by_route
                    .entry(route.clone())
                    .or_insert_with(single)
                    .push(index);
            }
            if let Some(path) = file_paths.get(record.file) {
                by_path
                    .entry(path.clone())
                    .or_insert_with(single)
                    .push(index);
                for stem in file_stems(path).into_iter().filter(|_| !record.links_only) {
                    by_stem
                        .entry(scoped_key(&record.namespace, &stem))
                        .or_insert_with(single)
                        .push(index);
                }
            }
            if let Some(key) = &record.term_key {
                by_term
                    .entry(key.clone())
                    .or_insert_with(single)
                    .push(index);
            }
            let names = record
                .term_key
                .iter()
                .chain(record.aliases.iter().map(|(_, key)| key));
            for word in names.flat_map(|key| unscoped_key(key).split(' ')) {
                let records = by_word.entry(word.to_string()).or_default();
                if records.last() != Some(&index) {
                    records.push(index);
                }
            }
            for (_, key) in &record.aliases {
                if !key.is_empty() {
                    by_alias.entry(key.clone()).or_default().push(index);
                }
            }
        }
        let mut words: Vec<String> = by_word.keys().cloned().collect();
        words.sort_unstable();
        Self {
            words,
            entries,
            by_term,
            by_alias,
            by_fingerprint,
            file_paths,
            by_path,
            by_stem,
            by_id,
            by_route,
            attachments: std::sync::OnceLock::new(),
            by_word,
            reported_files,
        }
    }

    /// The records, the lookups dropped.
    pub fn into_records(self) -> Vec<EntryRecord> {
        self.entries
    }

    /// Whether findings in `record`'s file are reported in this run.
    pub fn is_reported(&self, record: &EntryRecord) -> bool {
        self.reported_files
            .get(record.file)
            .copied()
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_ends_where_its_text_ends_not_on_the_next_line() {
        let text = "---\nterm: Acid\n---\nOne two three four five six seven eight\nnine *ten*.\n\n- **Item**: one two three four five six seven eight\n  nine.\n\n  - inner one two three four five six seven eight\n\nLast.\n";
        let entry = crate::parse::parse_entry_file(text, &crate::parse::ParseOptions::default());
        let spans: Vec<&str> = fingerprints(&entry, 8)
            .iter()
            .map(|fingerprint| &text[fingerprint.span()])
            .collect();
        assert_eq!(
            spans,
            [
                "One two three four five six seven eight\nnine *ten*.",
                "- **Item**: one two three four five six seven eight\n  nine.",
                "- inner one two three four five six seven eight",
            ]
        );
    }

    fn hashes(text: &str) -> Vec<u64> {
        let entry = crate::parse::parse_entry_file(text, &crate::parse::ParseOptions::default());
        fingerprints(&entry, 8)
            .iter()
            .map(|fingerprint| fingerprint.hash)
            .collect()
    }

    #[test]
    fn blocks_are_the_text_models_words() {
        // Markup, punctuation and case do not count; the entry's own term is
        // folded out; a Hugo shortcode and inline code are not prose.
        let text = "---\nterm: Acid Gas\n---\n**Acid gas** improves one, two-three {{< tooltip text=\"x\" >}} four `a` five six.\n\n- acid GAS improves one two three {{< tooltip text=\"y\" >}} four `b` five six\n";
        let found = hashes(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], found[1]);
    }
}

#[cfg(test)]
mod anchor_tests {
    use super::*;
    use crate::parse::{parse_entry_file, ParseOptions};

    #[test]
    fn hugo_heading_ids_are_anchors() {
        let text = "---\ntitle: Pods\n---\n## Termination of Pods {#pod-termination}\n\nText.\n";
        let entry = parse_entry_file(text, &ParseOptions::default());
        let record = EntryRecord::new(0, &entry, Arc::from(""), None);
        assert!(
            record
                .anchors
                .iter()
                .any(|anchor| anchor == "pod-termination"),
            "{:?} {:?}",
            record.anchors,
            entry.body.headings
        );
    }
}
