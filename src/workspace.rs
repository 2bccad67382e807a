//! An in-memory corpus session, for the language server: the configuration,
//! the rules, every file of the corpus and a [`CorpusIndex`] kept up to date
//! as files change, one file at a time.
//!
//! [`Workspace::check`] re-parses the one file that changed (its unsaved text
//! counts), patches the index in place ([`CorpusIndex::replace_file`]), runs
//! the corpus rules for that file alone and returns its findings, exactly as
//! `glosslint check FILE` would report them against the same corpus.
//!
//! The corpus rules ask the index ([`crate::index::Corpus`]) about the
//! reported entries one at a time, so a keystroke costs the lookups of the
//! edited file's entries, not a walk of 100k entries (only a rule that needs
//! the whole corpus walks it). `tests` compare the result with a full `lint`
//! run for every rule switched on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::guarded_check;
use crate::check::{apply_suppressions, entry_at, sort, FileOutcome};
use crate::config::{self, Config, FileSettings};
use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::discover::{absolute, discover, Request};
use crate::index::resolve::Target;
use crate::index::{CorpusIndex, EntryRecord};
use crate::load::{self, display_path, FileKind, InputFile, SourceText};
use crate::model::Link;
use crate::rules::{CorpusContext, CorpusSink, Registry};

/// Files are loaded in batches of this many between two progress reports.
const LOAD_BATCH: usize = 2048;

/// A corpus held in memory.
pub struct Workspace {
    /// The configuration in force.
    pub config: Config,
    /// Built-in and house rules.
    pub registry: Registry,
    /// The project root, absolute.
    pub root: PathBuf,
    /// Every file known, by id (display paths are relative to the root).
    pub files: Vec<InputFile>,
    /// The corpus index, patched as files change.
    pub index: CorpusIndex,
    ids: HashMap<PathBuf, FileId>,
    /// Unsaved texts (open documents).
    texts: HashMap<FileId, Arc<str>>,
    /// Per-file outcomes of files checked as reported (open documents).
    checked: HashMap<FileId, FileOutcome>,
}

/// What an update changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Update {
    /// The file.
    pub file: FileId,
    /// Whether what other entries see of it changed: names, headings, links,
    /// blocks or entry count. If so, other files' findings may change too.
    pub corpus_changed: bool,
}

/// The configuration and rules of the project around `root`: the nearest
/// `glosslint.toml` at or above it (with house rules from `rules/` beside it),
/// or the defaults. Errors are returned as plain text.
pub fn configure(root: &Path) -> Result<(Config, Registry), String> {
    let Some(file) = config::find(root) else {
        let registry = Registry::builtin();
        return Ok((Config::defaults(root.to_path_buf(), &registry), registry));
    };
    let folder = file.parent().unwrap_or(root).to_path_buf();
    let describe = |errors: Vec<config::ConfigError>| {
        errors
            .iter()
            .map(|error| format!("{}: {}", error.source.name, error.message))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let registry = Registry::with_house_rules(&folder.join("rules"), root).map_err(describe)?;
    let config = Config::load(&file, root, &registry).map_err(describe)?;
    Ok((config, registry))
}

impl Workspace {
    /// Loads every file of the corpus (in parallel) and indexes it;
    /// `progress(done, total)` is called between batches.
    pub fn load(
        config: Config,
        registry: Registry,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Self {
        let root = absolute(&config.root, &std::env::current_dir().unwrap_or_default());
        let files = discover(&config, &Request::default(), &root).files;
        Self::from_files(config, registry, root, files, progress)
    }

    /// A session over no files at all (when loading the corpus failed).
    pub fn empty(config: Config, registry: Registry) -> Self {
        let root = absolute(&config.root, &std::env::current_dir().unwrap_or_default());
        Self::from_files(config, registry, root, Vec::new(), &mut |_, _| {})
    }

    fn from_files(
        config: Config,
        registry: Registry,
        root: PathBuf,
        mut files: Vec<InputFile>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Self {
        for file in &mut files {
            file.reported = false;
        }
        let total = files.len();
        let mut records = Vec::new();
        progress(0, total);
        for (batch_index, batch) in files.chunks(LOAD_BATCH).enumerate() {
            let start = batch_index * LOAD_BATCH;
            let batch_records: Vec<Vec<EntryRecord>> = batch
                .par_iter()
                .enumerate()
                .map(|(offset, file)| match load::read(&file.path) {
                    Ok(source) => {
                        guarded_check(start + offset, file, &source, &config, &registry).records
                    }
                    Err(_) => Vec::new(),
                })
                .collect();
            records.extend(batch_records.into_iter().flatten());
            progress((start + batch.len()).min(total), total);
        }
        let file_paths = files
            .iter()
            .map(|file| Arc::from(display_path(&file.path, &root)))
            .collect();
        let index = CorpusIndex::build(records, vec![false; files.len()], file_paths);
        let ids = files
            .iter()
            .enumerate()
            .map(|(id, file)| (file.path.clone(), id))
            .collect();
        Self {
            config,
            registry,
            root,
            files,
            index,
            ids,
            texts: HashMap::new(),
            checked: HashMap::new(),
        }
    }

    /// The id of the file at `path`, if it is known.
    pub fn file_id(&self, path: &Path) -> Option<FileId> {
        self.ids.get(&absolute(path, &self.root)).copied()
    }

    /// Number of entries in the index (tombstones aside).
    pub fn entry_count(&self) -> usize {
        self.index.by_path.values().map(Vec::len).sum()
    }

    /// Whether a file at `path` is linted: it is part of the corpus, or would
    /// be once saved (under the root, matched by the `[files]` globs and not
    /// excluded). Other documents (a README, a file elsewhere) are left alone.
    pub fn accepts(&self, path: &Path) -> bool {
        let path = absolute(path, &self.root);
        if self.ids.contains_key(&path) {
            return true;
        }
        if !path.starts_with(&self.root) {
            return false;
        }
        let relative = display_path(&path, &self.root);
        let files = &self.config.files;
        !files.exclude.is_match(&relative)
            && (files.entries.is_match(&relative) || files.dumps.is_match(&relative))
    }

    /// The id of `path`, adding it to the session when it is new (a document
    /// not saved yet, or a file created since the index was built).
    fn ensure(&mut self, path: &Path) -> Option<FileId> {
        let path = absolute(path, &self.root);
        if let Some(&id) = self.ids.get(&path) {
            return Some(id);
        }
        if !self.accepts(&path) {
            return None;
        }
        let relative = display_path(&path, &self.root);
        let kind = if self.config.files.dumps.is_match(&relative) {
            FileKind::Dump
        } else {
            FileKind::Entry
        };
        let id = self.index.add_file(Arc::from(relative.as_str()));
        self.files.push(InputFile {
            display: relative.into(),
            path: path.clone(),
            kind,
            reported: false,
        });
        self.ids.insert(path, id);
        Some(id)
    }

    /// The text of `file`: the unsaved one, else the file on disk.
    pub fn text(&self, file: FileId) -> Option<Arc<str>> {
        match self.texts.get(&file) {
            Some(text) => Some(text.clone()),
            None => load::read_shared(&self.files.get(file)?.path),
        }
    }

    /// Whether `file` has unsaved text in the session.
    pub fn is_open(&self, file: FileId) -> bool {
        self.texts.contains_key(&file)
    }

    /// Sets the unsaved text of `path` (an open document) and re-indexes it.
    /// `None` when the file is not linted (excluded, or not Markdown or text).
    pub fn set_text(&mut self, path: &Path, text: String) -> Option<Update> {
        let id = self.ensure(path)?;
        let source = SourceText::from_string(text);
        self.texts.insert(id, Arc::from(source.text.as_str()));
        Some(self.reindex(id, &source, true))
    }

    /// Forgets the unsaved text of `path` (the document was closed): the file
    /// on disk counts again (none, if it was never saved).
    pub fn close(&mut self, path: &Path) -> Option<Update> {
        let id = self.file_id(path)?;
        self.texts.remove(&id);
        self.checked.remove(&id);
        self.reload(path)
    }

    /// Re-reads `path` from disk after a change outside the editor (created,
    /// changed or deleted). Open documents keep their unsaved text.
    pub fn reload(&mut self, path: &Path) -> Option<Update> {
        let absolute_path = absolute(path, &self.root);
        let known = self.ids.get(&absolute_path).copied();
        if known.is_some_and(|id| self.texts.contains_key(&id)) {
            return None;
        }
        match load::read(&absolute_path) {
            Ok(source) => {
                let id = match known {
                    Some(id) => id,
                    None => self.ensure(&absolute_path)?,
                };
                Some(self.reindex(id, &source, false))
            }
            Err(_) => known.map(|id| self.replace(id, Vec::new())),
        }
    }

    /// Lints `text` as the content of `path` against the corpus and returns
    /// its findings (sorted); the index keeps the new text.
    pub fn check(&mut self, path: &Path, text: String) -> Vec<Diagnostic> {
        match self.set_text(path, text) {
            Some(update) => self
                .diagnostics(&[update.file])
                .into_iter()
                .next()
                .map(|(_, found)| found)
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    fn reindex(&mut self, id: FileId, source: &SourceText, reported: bool) -> Update {
        let mut file = self.files[id].clone();
        file.reported = reported;
        let outcome = guarded_check(id, &file, source, &self.config, &self.registry);
        let records = outcome.records.clone();
        if reported {
            self.checked.insert(id, outcome);
        }
        self.replace(id, records)
    }

    fn replace(&mut self, id: FileId, records: Vec<EntryRecord>) -> Update {
        let before: Vec<EntryRecord> = self
            .index
            .records_of(id)
            .into_iter()
            .map(|slot| self.index.entries[slot].clone())
            .collect();
        let corpus_changed = !same_for_others(&before, &records);
        self.index.replace_file(id, records);
        Update {
            file: id,
            corpus_changed,
        }
    }

    /// The findings of each of `files` against the corpus as it is now, each
    /// list sorted; files never checked as open documents are read from disk.
    pub fn diagnostics(&mut self, files: &[FileId]) -> Vec<(FileId, Vec<Diagnostic>)> {
        let mut files: Vec<FileId> = files.to_vec();
        files.sort_unstable();
        files.dedup();
        for &file in &files {
            if !self.checked.contains_key(&file) {
                if let Some(source) = self.text(file) {
                    let source = SourceText::from_string(source.to_string());
                    self.reindex(file, &source, true);
                }
            }
        }
        let corpus = self.corpus_findings(&files);
        let ids: Vec<&'static str> = self.registry.ids().collect();
        let mut out = Vec::new();
        for file in files {
            let Some(outcome) = self.checked.get(&file) else {
                out.push((file, Vec::new()));
                continue;
            };
            let mut found = outcome.diagnostics.clone();
            for mut diagnostic in corpus.iter().filter(|d| d.file == file).cloned() {
                let Some(rule) = self.registry.index_of(diagnostic.rule) else {
                    continue;
                };
                diagnostic.level = outcome.settings.rules.levels[rule];
                if diagnostic.level != Level::Off {
                    found.push(diagnostic);
                }
            }
            let kept = apply_suppressions(
                file,
                found,
                &outcome.suppressions,
                &outcome.settings,
                &self.registry,
                &ids,
            );
            let mut kept: Vec<Diagnostic> = kept
                .into_iter()
                .map(|mut diagnostic| {
                    diagnostic.entry = entry_at(&outcome.records, &diagnostic.span);
                    diagnostic
                })
                .collect();
            sort(&mut kept, &self.files);
            out.push((file, kept));
        }
        out
    }

    fn settings(&self, file: FileId) -> Arc<FileSettings> {
        match self.checked.get(&file) {
            Some(outcome) => outcome.settings.clone(),
            None => self.config.settings_for(&self.index.file_paths[file]),
        }
    }

    /// Runs the corpus rules with only `files` reported: each asks the index
    /// about the reported entries alone.
    fn corpus_findings(&mut self, files: &[FileId]) -> Vec<Diagnostic> {
        let settings: Vec<Arc<FileSettings>> = files.iter().map(|&f| self.settings(f)).collect();
        let index = &mut self.index;
        for &file in files {
            index.reported_files[file] = true;
        }
        let mut corpus = Vec::new();
        {
            let texts = &self.texts;
            let all_files = &self.files;
            let read_text = |file: FileId| -> Option<String> {
                match texts.get(&file) {
                    Some(text) => Some(text.to_string()),
                    None => load::read(&all_files.get(file)?.path)
                        .ok()
                        .map(|source| source.text),
                }
            };
            let cx = CorpusContext {
                index: &self.index,
                files: &self.files,
                config: &self.config,
                root: &self.root,
                read_text: &read_text,
                memo: &crate::rules::Memo::default(),
            };
            let corpus_settings = self.config.corpus_settings();
            for (rule_index, rule) in self.registry.rules() {
                let enabled = settings
                    .iter()
                    .any(|settings| settings.rules.levels[rule_index] != Level::Off);
                if enabled {
                    let mut sink = CorpusSink {
                        rule: rule_index,
                        meta: rule.meta(),
                        settings: &corpus_settings,
                        out: &mut corpus,
                    };
                    rule.check_corpus(&cx, &mut sink);
                }
            }
        }
        for &file in files {
            self.index.reported_files[file] = false;
        }
        corpus
    }

    /// The record of `file` whose entry holds `offset`.
    pub fn record_at(&self, file: FileId, offset: usize) -> Option<usize> {
        let slots = self.index.records_of(file);
        let last = slots
            .iter()
            .rev()
            .find(|&&slot| self.index.entries[slot].span.start <= offset)
            .or(slots.first())?;
        Some(*last)
    }

    /// The reference (body link or `see_also` item) of `file` at `offset`,
    /// with the record it was written in.
    pub fn link_at(&self, file: FileId, offset: usize) -> Option<(usize, Link)> {
        self.index.records_of(file).into_iter().find_map(|slot| {
            self.index.entries[slot]
                .links
                .iter()
                .find(|link| link.span.start <= offset && offset <= link.span.end)
                .map(|link| (slot, link.clone()))
        })
    }

    /// Where `link`, written in record `from`, leads.
    pub fn resolve(&self, from: usize, link: &Link) -> Target {
        self.index.resolve(from, link, &self.config, &self.root)
    }
}

/// Whether two versions of a file's records look the same to other entries:
/// same names (and where they are written), headings, links, blocks.
fn same_for_others(before: &[EntryRecord], after: &[EntryRecord]) -> bool {
    before.len() == after.len()
        && before.iter().zip(after).all(|(a, b)| {
            a.term == b.term
                && a.term_key == b.term_key
                && a.aliases == b.aliases
                && a.anchors == b.anchors
                && a.namespace == b.namespace
                && a.id_key == b.id_key
                && a.routes == b.routes
                && a.fingerprints.len() == b.fingerprints.len()
                && a.fingerprints
                    .iter()
                    .zip(&b.fingerprints)
                    .all(|(x, y)| x.hash == y.hash)
                && a.links.len() == b.links.len()
                && a.links
                    .iter()
                    .zip(&b.links)
                    .all(|(x, y)| x.kind == y.kind && x.target == y.target && x.anchor == y.anchor)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Corpus;
    use crate::lint::{lint, LintRequest};

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, contents).unwrap();
        }
        dir
    }

    /// Every rule switched on, so the views are exercised by all of them.
    fn everything_on(root: &Path) -> (Config, Registry) {
        let registry = Registry::builtin();
        let mut config = Config::defaults(root.to_path_buf(), &registry);
        config.restrict_rules(&|_, _| Level::Warning);
        (config, registry)
    }

    fn summary(found: &[Diagnostic]) -> Vec<(String, std::ops::Range<usize>, String, usize)> {
        found
            .iter()
            .map(|d| {
                (
                    d.rule.to_string(),
                    d.span.clone(),
                    d.message.to_string(),
                    d.related.len(),
                )
            })
            .collect()
    }

    const FILLER: &str =
        "This shared sentence about process plants appears in several entries word for word.";

    fn corpus() -> tempfile::TempDir {
        project(&[
            ("a.md", &format!("---\nterm: Acid Gas\naliases: [sour gas]\nsee_also: [Base, nothing here]\n---\n**Acid Gas** is a gas. See [[Bases]] and [[Base#Uses]] and [[Acid Gas]].\n\n{FILLER}\n")),
            ("b.md", &format!("---\nterm: Base\n---\n# Base\n\n## Uses\n\nBase text mentions acid gas here, long enough to pass.\n\n{FILLER}\n")),
            ("c.md", &format!("---\nterm: Bases\naliases: [Sour Gas]\n---\nText [[missing thing]] and [b](b.md#nope).\n\n{FILLER}\n")),
            ("d.md", "---\nterm: acid gas\n---\nDuplicate.\n"),
        ])
    }

    fn full_run(root: &Path, file: &str, text: Option<&str>) -> Vec<Diagnostic> {
        let (config, registry) = everything_on(root);
        let mut request = LintRequest::default();
        request.discover.paths = vec![root.join(file)];
        if let Some(text) = text {
            request.texts.insert(root.join(file), text.to_string());
        }
        lint(&config, &registry, &request, root).diagnostics
    }

    #[test]
    fn a_check_matches_a_full_run_for_every_rule() {
        let dir = corpus();
        let root = dir.path();
        let (config, registry) = everything_on(root);
        let mut workspace = Workspace::load(config, registry, &mut |_, _| {});
        let mut seen = std::collections::BTreeSet::new();
        for file in ["a.md", "b.md", "c.md", "d.md"] {
            let text = std::fs::read_to_string(root.join(file)).unwrap();
            let found = workspace.check(&root.join(file), text);
            assert_eq!(
                summary(&found),
                summary(&full_run(root, file, None)),
                "{file}"
            );
            seen.extend(found.iter().map(|d| d.rule));
        }
        // Every rule that reports from the corpus index of this corpus (no
        // list of ids: whatever `check_corpus` finds here) fired in the checks.
        let from_corpus = corpus_rules_that_fire(&workspace);
        assert!(from_corpus.len() >= 5, "{from_corpus:?}");
        for rule in from_corpus {
            assert!(seen.contains(rule), "{rule} never fired: {seen:?}");
        }
    }

    /// The rules whose `check_corpus` reports something on `workspace`'s
    /// corpus with every file reported.
    fn corpus_rules_that_fire(workspace: &Workspace) -> std::collections::BTreeSet<&'static str> {
        let records: Vec<EntryRecord> = workspace
            .index
            .all()
            .iter()
            .map(|&id| workspace.index.entries[id].clone())
            .collect();
        let files = workspace.index.file_paths.clone();
        let index = CorpusIndex::build(records, vec![true; files.len()], files);
        let read_text = |file: FileId| {
            load::read(&workspace.files[file].path)
                .ok()
                .map(|source| source.text)
        };
        let cx = CorpusContext {
            index: &index,
            files: &workspace.files,
            config: &workspace.config,
            root: &workspace.root,
            read_text: &read_text,
            memo: &crate::rules::Memo::default(),
        };
        let settings = workspace.config.corpus_settings();
        let mut fired = std::collections::BTreeSet::new();
        for (rule_index, rule) in workspace.registry.rules() {
            let mut out = Vec::new();
            let mut sink = CorpusSink {
                rule: rule_index,
                meta: rule.meta(),
                settings: &settings,
                out: &mut out,
            };
            rule.check_corpus(&cx, &mut sink);
            if !out.is_empty() {
                fired.insert(rule.meta().id);
            }
        }
        fired
    }

    #[test]
    fn an_edit_updates_the_index_and_other_files() {
        let dir = corpus();
        let root = dir.path();
        let (config, registry) = everything_on(root);
        let mut workspace = Workspace::load(config, registry, &mut |_, _| {});
        let edited = "---\nterm: Missing Thing\n---\nNow [[Acid Gas]] and [[base]].\n";
        let found = workspace.check(&root.join("d.md"), edited.to_string());
        assert_eq!(
            summary(&found),
            summary(&full_run(root, "d.md", Some(edited)))
        );
        let c = workspace.file_id(&root.join("c.md")).unwrap();
        let after = workspace.diagnostics(&[c]).remove(0).1;
        assert!(!after
            .iter()
            .any(|d| d.rule == "broken-reference" && d.message.contains("missing thing")));
        // An unchanged body edit does not touch what others see.
        let update = workspace
            .set_text(&root.join("d.md"), edited.replace("Now", "So"))
            .unwrap();
        assert!(!update.corpus_changed);
        let update = workspace
            .set_text(&root.join("d.md"), edited.replace("Missing", "Absent"))
            .unwrap();
        assert!(update.corpus_changed);
        // Deleting a file on disk drops its entry.
        std::fs::remove_file(root.join("b.md")).unwrap();
        workspace.reload(&root.join("b.md")).unwrap();
        let a = workspace.file_id(&root.join("a.md")).unwrap();
        let found = workspace.diagnostics(&[a]).remove(0).1;
        assert!(found
            .iter()
            .any(|d| d.rule == "broken-reference" && d.message.contains("Base")));
    }

    #[test]
    fn an_edit_of_only_an_id_or_an_alias_route_changes_what_others_see() {
        // Links by id (`[entries] id_field`) and by a Hugo `aliases:` path
        // reach an entry through these alone.
        let dir = corpus();
        let root = dir.path();
        let (mut config, registry) = everything_on(root);
        config.parse.id_field = Some("id".into());
        // Aliases of the term in `aka`, so `aliases:` holds routes only.
        config.parse.alias_fields = vec!["aka".into()];
        let mut workspace = Workspace::load(config, registry, &mut |_, _| {});
        let page = |id: &str, route: &str| {
            format!("---\nterm: acid gas\nid: {id}\naliases: [{route}]\n---\nDuplicate.\n")
        };
        let path = root.join("d.md");
        workspace.set_text(&path, page("one", "/old/")).unwrap();
        let update = workspace.set_text(&path, page("two", "/old/")).unwrap();
        assert!(update.corpus_changed, "a new id");
        let update = workspace.set_text(&path, page("two", "/new/")).unwrap();
        assert!(update.corpus_changed, "a new alias route");
        let update = workspace.set_text(&path, page("two", "/new/")).unwrap();
        assert!(!update.corpus_changed, "the same text");
    }
}
