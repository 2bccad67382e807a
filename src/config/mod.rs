//! Configuration (SPEC 6): `glosslint.toml`, found by walking up from the working
//! directory, and the folder `rules/` beside it. Every error points at its exact
//! span in the TOML, with a "did you mean" where a near name exists.

pub mod references;
pub mod templates;
pub mod translations;

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::data::{self, Key, Node, Value};
use crate::diagnostic::Level;
use crate::normalize::did_you_mean;
use crate::parse::ParseOptions;

pub use references::{References, RelativeMode, WikiMode};
pub use templates::{Applies, Lead, Template};

/// An integer option of a rule, set in `[rules]`.
#[derive(Clone, Copy, Debug)]
pub struct RuleOption {
    /// Its kebab-case name.
    pub name: &'static str,
    /// The value without configuration.
    pub default: i64,
    /// The smallest value accepted.
    pub minimum: i64,
}

/// What reading a configuration needs to know of the rules (their ids,
/// levels and options), so that `config` does not depend on `rules`:
/// `rules::Registry` implements it.
pub trait RuleCatalog {
    /// The index of rule `id`.
    fn index_of(&self, id: &str) -> Option<usize>;
    /// Every rule id.
    fn ids(&self) -> Vec<&'static str>;
    /// The id of rule `index`.
    fn id(&self, index: usize) -> &'static str;
    /// The options of rule `index`.
    fn options(&self, index: usize) -> &'static [RuleOption];
    /// Default level per rule.
    fn default_levels(&self) -> Vec<Level>;
    /// The rules that `rules/vocabulary.toml` switches on.
    fn on_with_vocabulary(&self) -> Vec<usize>;
}

/// The configuration file name.
pub const FILE_NAME: &str = "glosslint.toml";

/// A configuration or rules file, kept to draw errors against.
#[derive(Clone, Debug)]
pub struct Source {
    /// Path as shown to the user.
    pub name: String,
    /// The file's text.
    pub text: Arc<str>,
}

/// A configuration error with the span it points at.
#[derive(Clone, Debug)]
pub struct ConfigError {
    /// The file.
    pub source: Source,
    /// Byte range in it.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// A suggestion.
    pub help: Option<String>,
}

impl Source {
    /// An error at `span`.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            source: self.clone(),
            span,
            message: message.into(),
            help: None,
        }
    }

    /// "expected one of" with a "did you mean".
    pub fn choice_error(&self, node: &Node, got: &str, choices: &[&str]) -> ConfigError {
        let mut error = self.error(
            node.span.clone(),
            format!("`{got}` is not one of {}", quoted(choices)),
        );
        error.help = did_you_mean(got, choices.iter().copied())
            .map(|near| format!("did you mean `{near}`?"));
        error
    }
}

fn quoted(choices: &[&str]) -> String {
    choices
        .iter()
        .map(|choice| format!("`{choice}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An unknown key, with the nearest known one.
pub fn unknown_key(source: &Source, key: &Key, known: &[&str]) -> ConfigError {
    let mut error = source.error(key.span.clone(), format!("unknown key `{}`", key.name));
    error.help = Some(match did_you_mean(&key.name, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("expected one of {}", quoted(known)),
    });
    error
}

/// A string value, or an error.
pub fn expect_string(
    node: &Node,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Option<String> {
    match &node.value {
        Value::Str(text) => Some(text.clone()),
        other => {
            errors.push(source.error(
                node.span.clone(),
                format!("expected a string, found {}", other.type_name()),
            ));
            None
        }
    }
}

/// A list of strings with their spans, or an error.
pub fn expect_list_of_strings(
    node: &Node,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Vec<(String, Range<usize>)> {
    match &node.value {
        Value::List(items) => items
            .iter()
            .filter_map(|item| {
                expect_string(item, source, errors).map(|text| (text, item.span.clone()))
            })
            .collect(),
        other => {
            errors.push(source.error(
                node.span.clone(),
                format!("expected a list of strings, found {}", other.type_name()),
            ));
            Vec::new()
        }
    }
}

/// Compiled globs, matched against `/`-separated paths relative to the root.
#[derive(Clone, Debug, Default)]
pub struct Globs {
    /// The patterns as written.
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl Globs {
    fn new(
        patterns: &[(String, Range<usize>)],
        source: Option<&Source>,
        errors: &mut Vec<ConfigError>,
    ) -> Self {
        let mut builder = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for (pattern, span) in patterns {
            let trimmed = pattern.trim_start_matches("./");
            match GlobBuilder::new(trimmed).literal_separator(true).build() {
                Ok(glob) => {
                    builder.add(glob);
                    kept.push(pattern.clone());
                }
                Err(error) => {
                    if let Some(source) = source {
                        errors.push(
                            source.error(span.clone(), format!("invalid glob: {}", error.kind())),
                        );
                    }
                }
            }
        }
        let set = builder.build().unwrap_or_default();
        Self {
            patterns: kept,
            set,
        }
    }

    fn defaults(patterns: &[&str]) -> Self {
        let owned: Vec<(String, Range<usize>)> =
            patterns.iter().map(|p| (p.to_string(), 0..0)).collect();
        Self::new(&owned, None, &mut Vec::new())
    }

    /// Whether `relative` (a `/`-separated path under the root) matches.
    pub fn is_match(&self, relative: &str) -> bool {
        self.set.is_match(relative)
    }

    /// Whether there are no patterns.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// Which files make up the corpus.
#[derive(Clone, Debug)]
pub struct FilesConfig {
    /// One-entry files.
    pub entries: Globs,
    /// Dump files.
    pub dumps: Globs,
    /// Never read.
    pub exclude: Globs,
    /// Read only for their links (`[files] referrers`): site pages whose links
    /// count for `orphan-entry` but that are not entries and never reported.
    pub referrers: Globs,
}

impl FilesConfig {
    /// Whether the file at `relative` is read only for its links.
    pub fn is_referrer(&self, relative: &str) -> bool {
        !self.entries.is_match(relative)
            && !self.dumps.is_match(relative)
            && self.referrers.is_match(relative)
    }
}

/// Rule levels and options in force for a file.
#[derive(Clone, Debug)]
pub struct RuleSettings {
    /// Level per rule, by registry index.
    pub levels: Vec<Level>,
    /// Options set in configuration, by registry index and option name.
    pub options: HashMap<(usize, &'static str), i64>,
}

/// A `[[overrides]]` block.
#[derive(Clone, Debug)]
pub struct Override {
    /// Paths it applies to.
    pub files: Globs,
    /// The template it scopes to those paths.
    pub template: Option<usize>,
    /// Rule settings it changes.
    pub rules: Vec<RuleSetting>,
    /// Terms of these files are compared and linked only among themselves.
    pub namespace: Option<Arc<str>>,
    /// The language these files are written in (a BCP 47 tag such as `tr`).
    pub lang: Option<Arc<str>>,
}

/// One `[rules]` entry.
#[derive(Clone, Debug)]
pub struct RuleSetting {
    /// Registry index.
    pub rule: usize,
    /// New level, if set.
    pub level: Option<Level>,
    /// Options set.
    pub options: Vec<(&'static str, i64)>,
}

/// The settings resolved for one file.
#[derive(Debug)]
pub struct FileSettings {
    /// Levels and options.
    pub rules: RuleSettings,
    /// Templates whose scope includes the file.
    pub templates: Vec<usize>,
    /// The namespace its terms live in (the last matching override's).
    pub namespace: Arc<str>,
    /// The language it is written in (the last matching override's `lang`).
    pub lang: Option<Arc<str>>,
}

/// A `[[references.routes]]` entry: site paths under `prefix` live in `dir`.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// URL path prefix, such as `/es/`.
    pub prefix: String,
    /// Folder relative to the root.
    pub dir: String,
}

/// The whole configuration.
#[derive(Debug)]
pub struct Config {
    /// The project root: the folder of `glosslint.toml`, else the working directory.
    pub root: PathBuf,
    /// The configuration file, when there is one.
    pub file: Option<PathBuf>,
    /// Which files make up the corpus.
    pub files: FilesConfig,
    /// What parsing needs.
    pub parse: ParseOptions,
    /// Templates from `rules/templates.toml`.
    pub templates: Vec<Template>,
    /// Allowed tags from `rules/vocabulary.toml`: folded tag to tag as written.
    pub vocabulary: Option<std::collections::BTreeMap<String, String>>,
    /// Site routes for links.
    pub routes: Vec<Route>,
    /// How links resolve beyond routes (`[references]`).
    pub references: References,
    /// `[rules]` applied to every file.
    pub base: RuleSettings,
    /// `[[overrides]]` in order.
    pub overrides: Vec<Override>,
    /// `[translations]`, when set.
    pub translations: Option<translations::TranslationsConfig>,
    resolved: Mutex<HashMap<Vec<usize>, Arc<FileSettings>>>,
}

const TOP_KEYS: [&str; 6] = [
    "files",
    "entries",
    "rules",
    "references",
    "overrides",
    "translations",
];
const FILES_KEYS: [&str; 4] = ["entries", "dumps", "exclude", "referrers"];
const ROUTE_KEYS: [&str; 2] = ["prefix", "dir"];
const OVERRIDE_KEYS: [&str; 5] = ["files", "template", "rules", "namespace", "lang"];

/// Finds `glosslint.toml` in `start` or the nearest folder above it. Any
/// kind of file counts as found (a FIFO, a symlink to a device), so that
/// reading it refuses it with an error rather than ignoring it silently.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| is_present(candidate))
}

/// Whether anything, even a dangling symlink, is at `path`.
fn is_present(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

impl Config {
    /// The whole resolved configuration in a form that is the same in every
    /// process (its `Debug` text, hash maps in sorted order, the per-file memo
    /// left out): the cache is keyed on it, so a field added to `Config`
    /// keys the cache without anyone keeping a list (the destructuring
    /// below names every field, and does not compile until a new one is
    /// named).
    pub fn stable_form(&self) -> String {
        let Self {
            root,
            file,
            files,
            parse,
            templates,
            vocabulary,
            routes,
            base: RuleSettings { levels, options },
            overrides,
            translations,
            references,
            resolved: _,
        } = self;
        let mut options: Vec<_> = options.iter().collect();
        options.sort_unstable();
        format!(
            "{root:?} {file:?} {files:?} {parse:?} {templates:?} {vocabulary:?} {routes:?} \
             {levels:?} {options:?} {overrides:?} {translations:?} {references:?}"
        )
    }
}

impl Config {
    /// Defaults for a folder without `glosslint.toml`.
    pub fn defaults(root: PathBuf, registry: &dyn RuleCatalog) -> Self {
        Self {
            root,
            file: None,
            files: FilesConfig {
                entries: Globs::defaults(&["**/*.md"]),
                dumps: Globs::default(),
                exclude: Globs::default(),
                referrers: Globs::default(),
            },
            parse: ParseOptions::default(),
            templates: Vec::new(),
            vocabulary: None,
            routes: Vec::new(),
            references: References::default(),
            base: RuleSettings {
                levels: registry.default_levels(),
                options: HashMap::new(),
            },
            overrides: Vec::new(),
            translations: None,
            resolved: Mutex::new(HashMap::new()),
        }
    }

    /// Loads `file` and the `rules/` folder beside it.
    pub fn load(
        file: &Path,
        cwd: &Path,
        registry: &dyn RuleCatalog,
    ) -> Result<Self, Vec<ConfigError>> {
        let root = file
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        let root = if root.as_os_str().is_empty() {
            cwd.to_path_buf()
        } else {
            root
        };
        let source = read_source(file, cwd)?;
        let mut errors = Vec::new();
        let mut config = Self::defaults(root.clone(), registry);
        config.file = Some(file.to_path_buf());
        let templates_path = root.join("rules").join("templates.toml");
        if is_present(&templates_path) {
            let templates_source = read_source(&templates_path, cwd)?;
            match data::parse_toml(&templates_source.text) {
                Ok(node) => {
                    config.templates = templates::read(&node, &templates_source, &mut errors)
                }
                Err(error) => errors.push(templates_source.error(error.span, error.message)),
            }
        }
        let vocabulary_path = root.join("rules").join("vocabulary.toml");
        if is_present(&vocabulary_path) {
            let vocabulary_source = read_source(&vocabulary_path, cwd)?;
            config.read_vocabulary(&vocabulary_source, registry, &mut errors);
        }
        match data::parse_toml(&source.text) {
            Ok(node) => config.read_main(&node, &source, registry, &mut errors),
            Err(error) => errors.push(source.error(error.span, error.message)),
        }
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }

    /// `tags = [...]`; its presence switches `unknown-tag` on unless
    /// `[rules]` says otherwise.
    fn read_vocabulary(
        &mut self,
        source: &Source,
        registry: &dyn RuleCatalog,
        errors: &mut Vec<ConfigError>,
    ) {
        let root = match data::parse_toml(&source.text) {
            Ok(root) => root,
            Err(error) => return errors.push(source.error(error.span, error.message)),
        };
        let mut allowed = std::collections::BTreeMap::new();
        for (key, value) in table(&root, source, errors) {
            if key.name != "tags" {
                errors.push(unknown_key(source, key, &["tags"]));
                continue;
            }
            for (tag, _) in expect_list_of_strings(value, source, errors) {
                allowed.insert(crate::normalize::term_key(&tag), tag);
            }
        }
        self.vocabulary = Some(allowed);
        for index in registry.on_with_vocabulary() {
            if self.base.levels[index] == Level::Off {
                self.base.levels[index] = Level::Warning;
            }
        }
    }

    fn read_main(
        &mut self,
        root: &Node,
        source: &Source,
        registry: &dyn RuleCatalog,
        errors: &mut Vec<ConfigError>,
    ) {
        let Value::Map(top) = &root.value else { return };
        for (key, node) in top {
            match key.name.as_str() {
                "files" => self.read_files(node, source, errors),
                "entries" => references::read_entries(node, source, &mut self.parse, errors),
                "rules" => {
                    for setting in read_rule_settings(node, source, registry, errors) {
                        apply_setting(&mut self.base, &setting);
                    }
                }
                "references" => self.read_references(node, source, errors),
                "overrides" => self.read_overrides(node, source, registry, errors),
                "translations" => {
                    self.translations = translations::TranslationsConfig::read(node, source, errors)
                }
                _ => errors.push(unknown_key(source, key, &TOP_KEYS)),
            }
        }
        self.references.check_ids(&self.parse, source, errors);
    }

    fn read_files(&mut self, node: &Node, source: &Source, errors: &mut Vec<ConfigError>) {
        for (key, value) in table(node, source, errors) {
            let patterns = match key.name.as_str() {
                "entries" | "dumps" | "exclude" | "referrers" => {
                    expect_list_of_strings(value, source, errors)
                }
                _ => {
                    errors.push(unknown_key(source, key, &FILES_KEYS));
                    continue;
                }
            };
            let globs = Globs::new(&patterns, Some(source), errors);
            match key.name.as_str() {
                "entries" => self.files.entries = globs,
                "dumps" => self.files.dumps = globs,
                "referrers" => self.files.referrers = globs,
                _ => self.files.exclude = globs,
            }
        }
    }

    fn read_references(&mut self, node: &Node, source: &Source, errors: &mut Vec<ConfigError>) {
        for (key, value) in table(node, source, errors) {
            if !references::REFERENCES_KEYS.contains(&key.name.as_str()) {
                errors.push(unknown_key(source, key, &references::REFERENCES_KEYS));
                continue;
            }
            if key.name != "routes" {
                references::read_reference_key(
                    &key.name,
                    value,
                    source,
                    &self.root,
                    &mut self.references,
                    &mut self.parse,
                    errors,
                );
                continue;
            }
            let Value::List(routes) = &value.value else {
                errors.push(source.error(
                    value.span.clone(),
                    "`routes` must be written as `[[references.routes]]` tables",
                ));
                continue;
            };
            let expanded: Vec<Node> = routes
                .iter()
                .flat_map(|route| references::expand_lang(route, "dir", &self.root, source, errors))
                .collect();
            for route in &expanded {
                let mut prefix = None;
                let mut dir = None;
                for (key, value) in table(route, source, errors) {
                    match key.name.as_str() {
                        "prefix" => prefix = expect_string(value, source, errors),
                        "dir" => dir = expect_string(value, source, errors),
                        _ => errors.push(unknown_key(source, key, &ROUTE_KEYS)),
                    }
                }
                match (prefix, dir) {
                    (Some(prefix), Some(dir)) => self.routes.push(Route { prefix, dir }),
                    _ => errors.push(
                        source.error(route.span.clone(), "a route needs both `prefix` and `dir`"),
                    ),
                }
            }
        }
    }

    fn read_overrides(
        &mut self,
        node: &Node,
        source: &Source,
        registry: &dyn RuleCatalog,
        errors: &mut Vec<ConfigError>,
    ) {
        let Value::List(blocks) = &node.value else {
            errors.push(source.error(
                node.span.clone(),
                "`overrides` must be written as `[[overrides]]` tables",
            ));
            return;
        };
        let expanded: Vec<Node> = blocks
            .iter()
            .flat_map(|block| references::expand_lang(block, "files", &self.root, source, errors))
            .collect();
        for block in &expanded {
            let mut files = None;
            let mut template = None;
            let mut rules = Vec::new();
            let mut namespace = None;
            let mut lang = None;
            for (key, value) in table(block, source, errors) {
                match key.name.as_str() {
                    "files" => {
                        let patterns = expect_list_of_strings(value, source, errors);
                        files = Some(Globs::new(&patterns, Some(source), errors));
                    }
                    "template" => {
                        if let Some(name) = expect_string(value, source, errors) {
                            match self.templates.iter().position(|t| t.name == name) {
                                Some(index) => template = Some(index),
                                None => {
                                    let names: Vec<&str> =
                                        self.templates.iter().map(|t| t.name.as_str()).collect();
                                    let mut error = source.error(
                                        value.span.clone(),
                                        format!("no template `{name}` in rules/templates.toml"),
                                    );
                                    error.help = did_you_mean(&name, names.iter().copied())
                                        .map(|near| format!("did you mean `{near}`?"));
                                    errors.push(error);
                                }
                            }
                        }
                    }
                    "rules" => rules = read_rule_settings(value, source, registry, errors),
                    "namespace" => namespace = expect_string(value, source, errors).map(Arc::from),
                    "lang" => lang = expect_string(value, source, errors).map(Arc::from),
                    _ => errors.push(unknown_key(source, key, &OVERRIDE_KEYS)),
                }
            }
            match files {
                Some(files) => self.overrides.push(Override {
                    files,
                    template,
                    rules,
                    namespace,
                    lang,
                }),
                None => errors.push(source.error(block.span.clone(), "an override needs `files`")),
            }
        }
    }

    /// The settings of `[rules]` alone, for options that apply to the corpus as
    /// a whole.
    pub fn corpus_settings(&self) -> Arc<FileSettings> {
        self.resolve(Vec::new())
    }

    /// The settings for a file at `relative` (`/`-separated, under the root).
    pub fn settings_for(&self, relative: &str) -> Arc<FileSettings> {
        let matched: Vec<usize> = self
            .overrides
            .iter()
            .enumerate()
            .filter(|(_, block)| block.files.is_match(relative))
            .map(|(index, _)| index)
            .collect();
        self.resolve(matched)
    }

    fn resolve(&self, matched: Vec<usize>) -> Arc<FileSettings> {
        let mut cache = self
            .resolved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(matched.clone())
            .or_insert_with(|| {
                let mut rules = self.base.clone();
                for &index in &matched {
                    for setting in &self.overrides[index].rules {
                        apply_setting(&mut rules, setting);
                    }
                }
                let scoped: Vec<usize> = self
                    .overrides
                    .iter()
                    .filter_map(|block| block.template)
                    .collect();
                let templates = (0..self.templates.len())
                    .filter(|index| {
                        !scoped.contains(index)
                            || matched
                                .iter()
                                .any(|&m| self.overrides[m].template == Some(*index))
                    })
                    .collect();
                let namespace = matched
                    .iter()
                    .rev()
                    .find_map(|&m| self.overrides[m].namespace.clone())
                    .unwrap_or_else(|| Arc::from(""));
                let lang = matched
                    .iter()
                    .rev()
                    .find_map(|&m| self.overrides[m].lang.clone());
                Arc::new(FileSettings {
                    rules,
                    templates,
                    namespace,
                    lang,
                })
            })
            .clone()
    }

    /// Whether rule number `rule` is on for some file: by default or in an
    /// `[[overrides]]` block.
    pub fn may_enable(&self, rule: usize) -> bool {
        self.base
            .levels
            .get(rule)
            .is_some_and(|level| *level != Level::Off)
            || self
                .overrides
                .iter()
                .flat_map(|block| &block.rules)
                .any(|setting| {
                    setting.rule == rule && setting.level.is_some_and(|level| level != Level::Off)
                })
    }

    /// Applies `--select` and `--ignore` to every level in force.
    pub fn restrict_rules(&mut self, enabled: &dyn Fn(usize, Level) -> Level) {
        restrict(&mut self.base, enabled);
        for block in &mut self.overrides {
            for setting in &mut block.rules {
                if let Some(level) = setting.level {
                    setting.level = Some(enabled(setting.rule, level));
                }
            }
        }
        self.resolved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

fn restrict(settings: &mut RuleSettings, enabled: &dyn Fn(usize, Level) -> Level) {
    for (index, level) in settings.levels.iter_mut().enumerate() {
        *level = enabled(index, *level);
    }
}

fn apply_setting(settings: &mut RuleSettings, setting: &RuleSetting) {
    if let Some(level) = setting.level {
        settings.levels[setting.rule] = level;
    }
    for (name, value) in &setting.options {
        settings.options.insert((setting.rule, name), *value);
    }
}

fn read_source(path: &Path, cwd: &Path) -> Result<Source, Vec<ConfigError>> {
    let name = crate::load::display_path(path, cwd);
    match crate::load::read_settings_file(path, crate::load::MAX_CONFIG_BYTES) {
        Ok(text) => Ok(Source {
            name,
            text: text.into(),
        }),
        Err(error) => {
            let source = Source {
                name: name.clone(),
                text: "".into(),
            };
            Err(vec![
                source.error(0..0, format!("cannot read {name}: {error}"))
            ])
        }
    }
}

fn table<'n>(node: &'n Node, source: &Source, errors: &mut Vec<ConfigError>) -> &'n [(Key, Node)] {
    match &node.value {
        Value::Map(entries) => entries,
        other => {
            errors.push(source.error(
                node.span.clone(),
                format!("expected a table, found {}", other.type_name()),
            ));
            &[]
        }
    }
}

fn read_rule_settings(
    node: &Node,
    source: &Source,
    registry: &dyn RuleCatalog,
    errors: &mut Vec<ConfigError>,
) -> Vec<RuleSetting> {
    let mut settings = Vec::new();
    for (key, value) in table(node, source, errors) {
        let Some(rule) = registry.index_of(&key.name) else {
            let mut error = source.error(key.span.clone(), format!("unknown rule `{}`", key.name));
            error.help = Some(match did_you_mean(&key.name, registry.ids()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "`glosslint rules` lists every rule".into(),
            });
            errors.push(error);
            continue;
        };
        let (id, options) = (registry.id(rule), registry.options(rule));
        let mut setting = RuleSetting {
            rule,
            level: None,
            options: Vec::new(),
        };
        match &value.value {
            Value::Str(level) => setting.level = read_level(value, level, source, errors),
            Value::Map(fields) => {
                for (field, field_value) in fields {
                    if field.name == "level" {
                        if let Some(level) = expect_string(field_value, source, errors) {
                            setting.level = read_level(field_value, &level, source, errors);
                        }
                        continue;
                    }
                    let Some(option) = options.iter().find(|option| option.name == field.name)
                    else {
                        let mut known: Vec<&str> =
                            options.iter().map(|option| option.name).collect();
                        known.insert(0, "level");
                        let mut error = unknown_key(source, field, &known);
                        error.message = format!("rule `{id}` has no option `{}`", field.name);
                        errors.push(error);
                        continue;
                    };
                    match field_value.value {
                        Value::Int(number) if number >= option.minimum => {
                            setting.options.push((option.name, number))
                        }
                        Value::Int(_) => errors.push(source.error(
                            field_value.span.clone(),
                            format!("`{}` must be at least {}", option.name, option.minimum),
                        )),
                        ref other => errors.push(source.error(
                            field_value.span.clone(),
                            format!(
                                "`{}` must be an integer, found {}",
                                option.name,
                                other.type_name()
                            ),
                        )),
                    }
                }
            }
            other => errors.push(source.error(
                value.span.clone(),
                format!(
                    "expected a level such as \"warning\" or a table, found {}",
                    other.type_name()
                ),
            )),
        }
        settings.push(setting);
    }
    settings
}

fn read_level(
    node: &Node,
    name: &str,
    source: &Source,
    errors: &mut Vec<ConfigError>,
) -> Option<Level> {
    let level = Level::parse(name);
    if level.is_none() {
        errors.push(source.choice_error(node, name, &Level::NAMES));
    }
    level
}
