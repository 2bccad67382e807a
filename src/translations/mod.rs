//! Translations (SPEC 12, `[translations]`): which file of each language
//! translates which file of the source language, and which translations are
//! orphaned, stale or missing.
//!
//! A [`Survey`] is made once per run from the corpus' root-relative paths
//! (and, for `stale-translation`, one [`history::History`] read from git):
//! the four translation rules and `glosslint translations` all read it.

pub mod history;
pub mod hugo;
pub mod report;
pub mod shape;

use std::collections::HashMap;

pub use crate::config::translations::{PairBy, TranslationsConfig};
use crate::data::Value;
use crate::normalize::edit_distance;
use history::History;

/// A file of the run, by its index in the list the survey was made from.
pub type FileRef = usize;

/// How far a translation is behind its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// Commits that touched the source after `base`.
    pub commits: usize,
    /// The commit the translation is compared from: its last commit, or the
    /// one its `source_commit_field` records.
    pub base: String,
    /// When `base` was committed (seconds since the epoch).
    pub since: i64,
}

/// A translation and its source.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The source file.
    pub source: FileRef,
    /// The translation.
    pub translation: FileRef,
    /// Whether and how far it is behind (`None` when current, or without history).
    pub stale: Option<Stale>,
}

/// One language.
#[derive(Clone, Debug)]
pub struct Language {
    /// Its name: the folder's last component (`de`, `pt-br`).
    pub name: String,
    /// Its folder, root-relative.
    pub folder: String,
    /// Translations with a source, in path order.
    pub pairs: Vec<Pair>,
    /// Translations without a source, in path order.
    pub orphans: Vec<FileRef>,
    /// Sources without a translation here, in path order.
    pub missing: Vec<FileRef>,
}

impl Language {
    /// Pairs whose source has not changed since.
    pub fn up_to_date(&self) -> usize {
        self.pairs
            .iter()
            .filter(|pair| pair.stale.is_none())
            .count()
    }

    /// Pairs behind their source.
    pub fn stale(&self) -> usize {
        self.pairs.len() - self.up_to_date()
    }
}

/// Every language's translations, for one run.
#[derive(Debug)]
pub struct Survey {
    /// The source language's name.
    pub source_language: String,
    /// The source files, in path order.
    pub sources: Vec<FileRef>,
    /// The languages, sorted by name.
    pub languages: Vec<Language>,
    /// The history read, or why it could not be (`None` when not asked for).
    pub history: Option<Result<History, String>>,
}

impl Survey {
    /// Surveys `paths` (root-relative, `/`-separated; the index is the
    /// [`FileRef`]). `read` gives a file's text, asked only for what the
    /// configuration needs from front matter (`pair_by` a key, or
    /// `source_commit_field`). With `history`, pairs are compared through it.
    pub fn new(
        config: &TranslationsConfig,
        paths: &[&str],
        read: &dyn Fn(FileRef) -> Option<String>,
        history: Option<Result<History, String>>,
    ) -> Self {
        let mut sources: Vec<FileRef> = Vec::new();
        let mut by_folder: HashMap<&str, Vec<FileRef>> = HashMap::new();
        for (file, path) in paths.iter().enumerate() {
            if !path.ends_with(".md") {
                continue;
            }
            match config.folder_of(path) {
                Some((folder, _)) if folder == config.source => sources.push(file),
                Some((folder, _)) => by_folder.entry(folder).or_default().push(file),
                None => {}
            }
        }
        sources.sort_by_key(|&file| paths[file]);
        let wanted_fields: Vec<&str> = match &config.pair_by {
            PairBy::Field(field) => vec![field.as_str()],
            PairBy::Path => Vec::new(),
        };
        let key_of = |file: FileRef| -> String {
            let inner = config.folder_of(paths[file]).map_or("", |(_, inner)| inner);
            let from_field = match &config.pair_by {
                PairBy::Field(_) => read(file)
                    .and_then(|text| front_matter_strings(&text, &wanted_fields).pop().flatten()),
                PairBy::Path => None,
            };
            from_field.map_or_else(
                || format!("path\u{1f}{inner}"),
                |key| format!("key\u{1f}{key}"),
            )
        };
        let mut source_by_key: HashMap<String, FileRef> = HashMap::new();
        for &file in &sources {
            source_by_key.entry(key_of(file)).or_insert(file);
        }
        let history_ok = history.as_ref().and_then(|read| read.as_ref().ok());
        let mut languages: Vec<Language> = by_folder
            .into_iter()
            .map(|(folder, mut files)| {
                files.sort_by_key(|&file| paths[file]);
                let mut language = Language {
                    name: folder.rsplit('/').next().unwrap_or(folder).to_string(),
                    folder: folder.to_string(),
                    pairs: Vec::new(),
                    orphans: Vec::new(),
                    missing: Vec::new(),
                };
                let mut translated = vec![false; paths.len()];
                for file in files {
                    match source_by_key.get(&key_of(file)) {
                        Some(&source) => {
                            translated[source] = true;
                            let stale = history_ok.and_then(|history| {
                                staleness(config, history, paths, read, source, file)
                            });
                            language.pairs.push(Pair {
                                source,
                                translation: file,
                                stale,
                            });
                        }
                        None => language.orphans.push(file),
                    }
                }
                language.missing = sources
                    .iter()
                    .copied()
                    .filter(|&source| !translated[source])
                    .collect();
                language
            })
            .collect();
        languages.sort_by(|a, b| a.name.cmp(&b.name).then(a.folder.cmp(&b.folder)));
        Self {
            source_language: config.source_language().to_string(),
            sources,
            languages,
            history,
        }
    }

    /// The source files nearest in name to orphan `file`, best first (at
    /// most three), as paths inside the source folder.
    pub fn nearest_sources(
        &self,
        config: &TranslationsConfig,
        paths: &[&str],
        file: FileRef,
    ) -> Vec<String> {
        let inner = |file: FileRef| config.folder_of(paths[file]).map_or("", |(_, inner)| inner);
        let wanted = comparable(inner(file));
        let limit = (wanted.chars().count() / 3).max(2);
        let mut ranked: Vec<(usize, &str)> = self
            .sources
            .iter()
            .map(|&source| {
                (
                    edit_distance(&wanted, &comparable(inner(source))),
                    inner(source),
                )
            })
            .filter(|(distance, _)| *distance <= limit)
            .collect();
        ranked.sort();
        ranked
            .into_iter()
            .take(3)
            .map(|(_, name)| name.to_string())
            .collect()
    }
}

/// A file name compared for suggestions: lowercase, `_` and spaces as `-`.
fn comparable(name: &str) -> String {
    name.chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// How far translation `file` is behind `source`: the commits that touched
/// the source after the commit `source_commit_field` records, or else after
/// the translation's last commit. A translation never committed is work in
/// progress, current by definition.
pub fn staleness(
    config: &TranslationsConfig,
    history: &History,
    paths: &[&str],
    read: &dyn Fn(FileRef) -> Option<String>,
    source: FileRef,
    file: FileRef,
) -> Option<Stale> {
    let recorded = config.source_commit_field.as_deref().and_then(|field| {
        let text = read(file)?;
        let hash = front_matter_strings(&text, &[field]).pop().flatten()?;
        history.find(&hash)
    });
    let base = recorded.or_else(|| history.last_touch(paths[file]))?;
    let (commits, _) = history.touches_after(paths[source], base);
    (commits > 0).then(|| Stale {
        commits,
        base: history.commits[base].hash.clone(),
        since: history.commits[base].time,
    })
}

/// The string values of `fields` in `text`'s front matter (a missing or
/// non-string field is `None`); bad front matter reads as no fields.
pub fn front_matter_strings(text: &str, fields: &[&str]) -> Vec<Option<String>> {
    let split = crate::parse::front_matter::split(text);
    let root = split.block.and_then(|block| {
        let content = &text[block.content.clone()];
        match block.format {
            crate::parse::front_matter::Format::Yaml => crate::data::parse_yaml(content).ok(),
            crate::parse::front_matter::Format::Toml => crate::data::parse_toml(content).ok(),
        }
    });
    fields
        .iter()
        .map(|field| {
            let (_, node) = root.as_ref()?.get(field)?;
            match &node.value {
                Value::Str(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigError, Source};

    fn survey(config: &TranslationsConfig, paths: &[&str], texts: &[&str]) -> Survey {
        let texts: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        Survey::new(config, paths, &|file| texts.get(file).cloned(), None)
    }

    fn read(text: &str) -> (Option<TranslationsConfig>, Vec<ConfigError>) {
        let source = Source {
            name: "glosslint.toml".into(),
            text: text.into(),
        };
        let root = crate::data::parse_toml(text).unwrap();
        let (_, node) = root.get("translations").unwrap();
        let mut errors = Vec::new();
        (TranslationsConfig::read(node, &source, &mut errors), errors)
    }

    #[test]
    fn reads_the_table_and_points_at_what_is_wrong() {
        let (config, errors) = read("[translations]\nsource = \"content/en/\"\ntargets = [\"content/*\"]\npair_by = \"translationKey\"\n");
        assert!(errors.is_empty(), "{errors:?}");
        let config = config.unwrap();
        assert_eq!(config.source, "content/en");
        assert_eq!(config.pair_by, PairBy::Field("translationKey".into()));
        let text = "[translations]\nsource = \"en\"\ntarget = [\"*\"]\n";
        let (_, errors) = read(text);
        assert_eq!(errors.len(), 1);
        assert_eq!(&text[errors[0].span.clone()], "target");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `targets`?"));
        let (config, errors) = read("[translations]\ntargets = [\"[\"]\n");
        assert!(config.is_none());
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("needs `source`"), "{messages:?}");
    }

    #[test]
    fn pairs_by_path_and_finds_orphans_and_missing() {
        let config = TranslationsConfig::new("content/en", &["content/*"]).unwrap();
        let paths = [
            "content/de/a.md",
            "content/de/chaos_engineering.md",
            "content/en/a.md",
            "content/en/chaos-engineering.md",
            "content/fr/a.md",
            "content/en/notes.txt",
            "README.md",
        ];
        let found = survey(&config, &paths, &[]);
        assert_eq!(found.source_language, "en");
        assert_eq!(found.sources, [2, 3]);
        let names: Vec<&str> = found.languages.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["de", "fr"]);
        let de = &found.languages[0];
        assert_eq!(de.pairs.len(), 1);
        assert_eq!(de.orphans, [1]);
        assert_eq!(de.missing, [3]);
        assert_eq!(
            found.nearest_sources(&config, &paths, 1),
            ["chaos-engineering.md"]
        );
        assert_eq!(found.languages[1].missing, [3]);
    }

    #[test]
    fn pairs_by_a_front_matter_key_and_falls_back_to_the_path() {
        let mut config = TranslationsConfig::new("en", &["*"]).unwrap();
        config.pair_by = PairBy::Field("translationKey".into());
        let paths = [
            "en/service.md",
            "es/servicio.md",
            "es/other.md",
            "en/plain.md",
            "es/plain.md",
        ];
        let texts = [
            "---\ntranslationKey: svc\n---\nx\n",
            "+++\ntranslationKey = \"svc\"\n+++\nx\n",
            "---\ntranslationKey: nothing\n---\n",
            "x\n",
            "x\n",
        ];
        let found = survey(&config, &paths, &texts);
        let es = &found.languages[0];
        let pairs: Vec<(usize, usize)> =
            es.pairs.iter().map(|p| (p.source, p.translation)).collect();
        assert_eq!(pairs, [(3, 4), (0, 1)]);
        assert_eq!(es.orphans, [2]);
    }

    #[test]
    fn a_recorded_source_commit_is_the_base_of_the_comparison() {
        let mut config = TranslationsConfig::new("en", &["de"]).unwrap();
        config.source_commit_field = Some("default_lang_commit".into());
        let log = "\u{1e}cccc3333\u{1f}300\n\nen/a.md\n\u{1e}bbbb2222\u{1f}200\n\nde/a.md\n\u{1e}aaaa1111\u{1f}100\n\nen/a.md\n";
        let paths = ["de/a.md", "en/a.md"];
        let texts = ["---\ndefault_lang_commit: aaaa1111\n---\n".to_string()];
        let read = |file: usize| texts.get(file).cloned();
        let found = Survey::new(&config, &paths, &read, Some(Ok(History::parse(log))));
        let stale = found.languages[0].pairs[0].stale.clone().unwrap();
        assert_eq!((stale.commits, stale.base.as_str()), (1, "aaaa1111"));
        config.source_commit_field = None;
        let found = Survey::new(&config, &paths, &read, Some(Ok(History::parse(log))));
        let stale = found.languages[0].pairs[0].stale.clone().unwrap();
        assert_eq!((stale.commits, stale.base.as_str()), (1, "bbbb2222"));
    }
}
