//! `[translations]`: where the source language lives, where its translations
//! live and how each finds its source (read here; `src/translations/`
//! surveys the corpus with it).

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::config::{expect_list_of_strings, expect_string, unknown_key, ConfigError, Source};
use crate::data::{Node, Value};

/// How a translation finds its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairBy {
    /// The same path under the language folder as under the source folder.
    Path,
    /// The same value of this front matter key (Hugo's `translationKey`);
    /// a file without the key pairs by path.
    Field(String),
}

/// The `[translations]` table.
#[derive(Clone, Debug)]
pub struct TranslationsConfig {
    /// The source language's folder, root-relative.
    pub source: String,
    /// Globs of folders; each match other than `source` is a language, named
    /// by its folder.
    pub targets: Vec<String>,
    targets_set: GlobSet,
    /// How translations pair with sources.
    pub pair_by: PairBy,
    /// A front matter key recording the source commit a translation was made from.
    pub source_commit_field: Option<String>,
}

const KEYS: [&str; 4] = ["source", "targets", "pair_by", "source_commit_field"];

impl TranslationsConfig {
    /// A configuration from folder names and globs (`init`, tests).
    pub fn new(source: &str, targets: &[&str]) -> Result<Self, String> {
        let targets: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
        let targets_set = compile(&targets).map_err(|(_, error)| error)?;
        Ok(Self {
            source: source.trim_matches('/').to_string(),
            targets,
            targets_set,
            pair_by: PairBy::Path,
            source_commit_field: None,
        })
    }

    /// Reads `[translations]` (`source` is required).
    pub fn read(node: &Node, source: &Source, errors: &mut Vec<ConfigError>) -> Option<Self> {
        let Value::Map(fields) = &node.value else {
            errors.push(source.error(node.span.clone(), "`translations` must be a table"));
            return None;
        };
        let mut folder = None;
        let mut targets = Vec::new();
        let mut pair_by = PairBy::Path;
        let mut source_commit_field = None;
        for (key, value) in fields {
            match key.name.as_str() {
                "source" => folder = expect_string(value, source, errors),
                "targets" => targets = expect_list_of_strings(value, source, errors),
                "pair_by" => {
                    pair_by = match expect_string(value, source, errors).as_deref() {
                        None | Some("path") => PairBy::Path,
                        Some(field) if !field.trim().is_empty() => PairBy::Field(field.to_string()),
                        Some(_) => {
                            errors.push(source.error(
                                value.span.clone(),
                                "`pair_by` is \"path\" or a front matter key",
                            ));
                            PairBy::Path
                        }
                    }
                }
                "source_commit_field" => source_commit_field = expect_string(value, source, errors),
                _ => errors.push(unknown_key(source, key, &KEYS)),
            }
        }
        let Some(folder) = folder else {
            errors.push(source.error(
                node.span.clone(),
                "`[translations]` needs `source`, the source language's folder",
            ));
            return None;
        };
        let patterns: Vec<String> = targets.iter().map(|(text, _)| text.clone()).collect();
        let targets_set = match compile(&patterns) {
            Ok(set) => set,
            Err((index, error)) => {
                errors
                    .push(source.error(targets[index].1.clone(), format!("invalid glob: {error}")));
                return None;
            }
        };
        Some(Self {
            source: folder.trim_matches('/').to_string(),
            targets: patterns,
            targets_set,
            pair_by,
            source_commit_field,
        })
    }

    /// What the run cache must change with.
    pub fn cache_key(&self) -> String {
        format!(
            "{}\u{1f}{:?}\u{1f}{:?}\u{1f}{:?}",
            self.source, self.targets, self.pair_by, self.source_commit_field
        )
    }

    /// The source language's name: its folder's last component.
    pub fn source_language(&self) -> &str {
        self.source.rsplit('/').next().unwrap_or(&self.source)
    }

    /// The language folder holding `path` (root-relative), the source's
    /// included, with the path inside it.
    pub(crate) fn folder_of<'p>(&self, path: &'p str) -> Option<(&'p str, &'p str)> {
        let mut cut = 0;
        while let Some(slash) = path[cut..].find('/') {
            let folder = &path[..cut + slash];
            if folder == self.source || self.targets_set.is_match(folder) {
                return Some((folder, &path[cut + slash + 1..]));
            }
            cut += slash + 1;
        }
        None
    }
}

fn compile(patterns: &[String]) -> Result<GlobSet, (usize, String)> {
    let mut builder = GlobSetBuilder::new();
    for (index, pattern) in patterns.iter().enumerate() {
        let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|error| (index, error.kind().to_string()))?;
        builder.add(glob);
    }
    builder.build().map_err(|error| (0, error.to_string()))
}
