//! Rules: the registry, the [`Rule`] trait, and what a rule sees.
//!
//! A rule is one file under `rules/<family>/`. Its `//!` doc comment is its
//! documentation: `glosslint rule ID` prints it, read from the source embedded
//! with `include_str!`, so docs and code cannot drift apart.
//!
//! Rules run in two phases. `check_file` and `check_entry` see one parsed file
//! while its text is in memory (in parallel, per file). `check_corpus` runs once,
//! after every file has contributed its record to the corpus index, and sees only
//! the index: duplicates now, references and boilerplate next.

pub mod duplicates;
pub mod house;
pub mod markdown;
pub mod meta;
pub mod prose;
pub mod references;
pub mod structure;
pub mod translations;

use std::ops::Range;

use crate::config::{Config, FileSettings, Template};
use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::index::Corpus;
use crate::load::InputFile;
use crate::model::{Entry, Problem};

/// The family a rule belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Entry structure and templates.
    Structure,
    /// Links between entries.
    References,
    /// Terms and text repeated across entries.
    Duplicates,
    /// Markdown that does not render as written.
    Markdown,
    /// Wording.
    Prose,
    /// About glosslint itself (suppressions).
    Meta,
    /// Declared as data in `rules/*.toml`.
    House,
    /// Translations and their sources (`[translations]`).
    Translations,
}

impl Family {
    /// Every family.
    pub const ALL: [Family; 8] = [
        Family::Structure,
        Family::References,
        Family::Duplicates,
        Family::Markdown,
        Family::Prose,
        Family::Meta,
        Family::House,
        Family::Translations,
    ];

    /// Its name in output and in `--select`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Structure => "structure",
            Family::References => "references",
            Family::Duplicates => "duplicates",
            Family::Markdown => "markdown",
            Family::Prose => "prose",
            Family::Meta => "meta",
            Family::House => "house",
            Family::Translations => "translations",
        }
    }
}

/// Whether and how a rule can repair what it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// No fix.
    None,
    /// Always a safe fix.
    Safe,
    /// Only unsafe fixes.
    Unsafe,
    /// Safe where certain, unsafe where a guess.
    Sometimes,
}

impl FixKind {
    /// Its name in `glosslint rules`.
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "no",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
            FixKind::Sometimes => "sometimes",
        }
    }
}

pub use crate::config::RuleOption;

/// What is known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Family.
    pub family: Family,
    /// Level without configuration.
    pub default_level: Level,
    /// Fixability.
    pub fix: FixKind,
    /// Options.
    pub options: &'static [RuleOption],
    /// The rule's source file; its `//!` comment is the documentation.
    pub source: &'static str,
}

impl RuleMeta {
    /// The documentation: the source's leading `//!` lines.
    pub fn documentation(&self) -> String {
        let mut doc = String::new();
        for line in self.source.lines() {
            let Some(text) = line.strip_prefix("//!") else {
                break;
            };
            doc.push_str(text.strip_prefix(' ').unwrap_or(text));
            doc.push('\n');
        }
        doc
    }

    /// The first sentence of "What it does", for `glosslint rules`.
    pub fn summary(&self) -> String {
        let doc = self.documentation();
        doc.lines()
            .skip_while(|line| line.trim().is_empty() || line.starts_with('#'))
            .take_while(|line| !line.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A check.
pub trait Rule: Send + Sync {
    /// Id, family, level, docs.
    fn meta(&self) -> &'static RuleMeta;

    /// Checks a file as a whole (text outside entries, bytes).
    fn check_file(&self, _cx: &FileContext<'_>, _sink: &mut Sink<'_>) {}

    /// Checks one entry.
    fn check_entry(&self, _cx: &EntryContext<'_>, _sink: &mut Sink<'_>) {}

    /// Checks the corpus through its index.
    fn check_corpus(&self, _cx: &CorpusContext<'_>, _sink: &mut CorpusSink<'_>) {}

    /// What the drivers must know of the rule beyond running it.
    fn flags(&self) -> Flags {
        Flags::default()
    }

    /// Checks a file's suppression comments, once every finding they could
    /// hide is known.
    fn check_suppressions(&self, _cx: &SuppressionContext<'_>, _sink: &mut Sink<'_>) {}

    /// What the rule needs beyond its file and the index under `config`;
    /// the drivers read it to know which shortcuts (cached answers, partial
    /// indexes) would give it a wrong answer.
    fn needs(&self, _config: &Config) -> Needs {
        Needs::default()
    }
}

/// What the drivers must know of a rule, declared by the rule itself so that
/// no driver names a rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// The rule reads the index's block fingerprints: blocks of at least
    /// this option's words (of the rule) are fingerprinted while it is on.
    pub fingerprints_blocks: Option<&'static str>,
    /// The rule judges links by their targets: under `--changed-since`, its
    /// findings in files that did not change are kept when they point at
    /// what the change removed.
    pub judges_link_targets: bool,
    /// A finding of the rule makes the file's structure uncertain: `--fix`
    /// leaves the file alone.
    pub unsettles_structure: bool,
    /// The rule reports on suppression comments themselves: no suppression
    /// can hide its findings, so none is offered.
    pub about_suppressions: bool,
    /// `rules/vocabulary.toml` switches the rule on (at warning) unless
    /// `[rules]` says otherwise.
    pub on_with_vocabulary: bool,
}

/// A file's suppression comments and what each of them hid.
pub struct SuppressionContext<'a> {
    /// The comments, in file order.
    pub suppressions: &'a [crate::model::Suppression],
    /// Per comment, which of its parts hid a finding: one flag per named
    /// rule, or a single flag for a comment that names none.
    pub usage: &'a [Vec<bool>],
    /// Whether a rule ran for the file.
    pub is_enabled: &'a dyn Fn(&str) -> bool,
    /// Every known rule id.
    pub ids: &'a [&'static str],
}

/// What a rule needs beyond one file and the corpus index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Every corpus file, not only those a staged run decodes (it judges a
    /// file by files no name or link of it reaches).
    pub whole_corpus: bool,
    /// Git history, which no file stamp covers: a stored answer cannot serve.
    pub history: bool,
}

impl Needs {
    /// Both sets of needs.
    pub fn union(self, other: Needs) -> Needs {
        Needs {
            whole_corpus: self.whole_corpus || other.whole_corpus,
            history: self.history || other.history,
        }
    }
}

/// Results that several corpus rules of one run share (one survey of the
/// translations, one read of git history), made by the first that asks.
#[derive(Default)]
pub struct Memo(std::sync::Mutex<std::collections::HashMap<std::any::TypeId, MemoValue>>);

type MemoValue = std::sync::Arc<dyn std::any::Any + Send + Sync>;

impl Memo {
    /// The run's `T`, made with `make` the first time.
    pub fn get_or_make<T: std::any::Any + Send + Sync>(
        &self,
        make: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        let key = std::any::TypeId::of::<T>();
        let known = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .cloned();
        let value = known.unwrap_or_else(|| {
            let made: MemoValue = std::sync::Arc::new(make());
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(key)
                .or_insert(made)
                .clone()
        });
        value.downcast::<T>().expect("keyed by its type")
    }
}

/// Every rule of this run.
pub struct Registry {
    rules: Vec<Box<dyn Rule>>,
}

impl Registry {
    /// The built-in rules, in documentation order.
    pub fn builtin() -> Self {
        let mut rules: Vec<Box<dyn Rule>> = Vec::new();
        rules.extend(structure::rules());
        rules.extend(references::rules());
        rules.extend(duplicates::rules());
        rules.extend(markdown::rules());
        rules.extend(prose::rules());
        rules.extend(meta::rules());
        rules.extend(translations::rules());
        Self { rules }
    }

    /// The built-in rules plus the house rules declared in `rules_dir`.
    pub fn with_house_rules(
        rules_dir: &std::path::Path,
        cwd: &std::path::Path,
    ) -> Result<Self, Vec<crate::config::ConfigError>> {
        let mut registry = Self::builtin();
        let taken: Vec<&str> = registry.ids().collect();
        let house = house::load(rules_dir, cwd, &taken)?;
        registry.rules.extend(
            house
                .into_iter()
                .map(|rule| Box::new(rule) as Box<dyn Rule>),
        );
        Ok(registry)
    }

    /// A registry of exactly these rules (tests build odd ones).
    #[cfg(test)]
    pub(crate) fn from_rules(rules: Vec<Box<dyn Rule>>) -> Self {
        Self { rules }
    }

    /// The rules.
    pub fn rules(&self) -> impl Iterator<Item = (usize, &dyn Rule)> {
        self.rules
            .iter()
            .enumerate()
            .map(|(index, rule)| (index, rule.as_ref()))
    }

    /// Every rule id.
    pub fn ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rules.iter().map(|rule| rule.meta().id)
    }

    /// The index of rule `id`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.rules.iter().position(|rule| rule.meta().id == id)
    }

    /// The metadata of rule `index`.
    pub fn meta(&self, index: usize) -> &'static RuleMeta {
        self.rules[index].meta()
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Option `name` of rule `id` in force under `settings`, or `None` when the
    /// rule is off there (or unknown).
    pub fn enabled_option(&self, settings: &FileSettings, id: &str, name: &str) -> Option<i64> {
        let index = self.index_of(id)?;
        (settings.rules.levels[index] != Level::Off)
            .then(|| option_value(self.meta(index), index, settings, name))
    }

    /// What the rules that `config` may enable need, together.
    pub fn needs(&self, config: &Config) -> Needs {
        self.rules()
            .filter(|(index, _)| config.may_enable(*index))
            .fold(Needs::default(), |needs, (_, rule)| {
                needs.union(rule.needs(config))
            })
    }

    /// Default level per rule.
    pub fn default_levels(&self) -> Vec<Level> {
        self.rules
            .iter()
            .map(|rule| rule.meta().default_level)
            .collect()
    }

    /// The flags of rule `index`.
    pub fn flags(&self, index: usize) -> Flags {
        self.rules[index].flags()
    }

    /// The flags of the rule a finding names (none for an id that is no
    /// rule, such as `internal-error`).
    pub fn flags_of(&self, id: &str) -> Flags {
        self.index_of(id)
            .map_or_else(Flags::default, |index| self.flags(index))
    }

    /// The shortest block the index fingerprints under `settings`: the
    /// smallest such option of the enabled rules that read fingerprints.
    pub fn fingerprint_min_words(&self, settings: &FileSettings) -> Option<usize> {
        self.rules()
            .filter(|(index, _)| settings.rules.levels[*index] != Level::Off)
            .filter_map(|(index, rule)| {
                let name = rule.flags().fingerprints_blocks?;
                Some(option_value(rule.meta(), index, settings, name) as usize)
            })
            .min()
    }
}

impl crate::config::RuleCatalog for Registry {
    fn index_of(&self, id: &str) -> Option<usize> {
        Registry::index_of(self, id)
    }

    fn ids(&self) -> Vec<&'static str> {
        Registry::ids(self).collect()
    }

    fn id(&self, index: usize) -> &'static str {
        self.meta(index).id
    }

    fn options(&self, index: usize) -> &'static [RuleOption] {
        self.meta(index).options
    }

    fn default_levels(&self) -> Vec<Level> {
        Registry::default_levels(self)
    }

    fn on_with_vocabulary(&self) -> Vec<usize> {
        self.rules()
            .filter(|(_, rule)| rule.flags().on_with_vocabulary)
            .map(|(index, _)| index)
            .collect()
    }
}

/// A template matched against one entry: which heading answers each section.
#[derive(Debug)]
pub struct ActiveTemplate<'a> {
    /// The template.
    pub template: &'a Template,
    /// For each template section, the index of the first heading that matches.
    pub found: Vec<Option<usize>>,
}

/// What a rule sees of one file.
pub struct FileContext<'a> {
    /// The file's id in this run.
    pub id: FileId,
    /// The file.
    pub file: &'a InputFile,
    /// Its text (invalid bytes replaced one for one).
    pub text: &'a str,
    /// Ranges that were invalid UTF-8.
    pub invalid_utf8: &'a [Range<usize>],
    /// Problems outside any entry (entries reach `check_entry` one at a
    /// time; no rule sees them all at once).
    pub problems: &'a [Problem],
    /// The configuration.
    pub config: &'a Config,
    /// Levels, options and templates for this file.
    pub settings: &'a FileSettings,
}

/// What a rule sees of one entry.
pub struct EntryContext<'a> {
    /// The file around it.
    pub file: &'a FileContext<'a>,
    /// The entry.
    pub entry: &'a Entry<'a>,
    /// Its term and aliases, folded for comparison.
    pub names: Vec<String>,
    /// The templates it must follow, matched against its headings.
    pub templates: Vec<ActiveTemplate<'a>>,
}

/// Collects the findings of one rule in one file.
pub struct Sink<'a> {
    pub(crate) rule: usize,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) level: Level,
    pub(crate) file: FileId,
    pub(crate) settings: &'a FileSettings,
    pub(crate) out: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    /// Reports a finding at `span`.
    pub fn report(
        &mut self,
        span: Range<usize>,
        message: impl Into<crate::diagnostic::Text>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            rule: self.meta.id,
            level: self.level,
            message: message.into(),
            help: None,
            file: self.file,
            span,
            entry: None,
            related: Default::default(),
            fix: None,
        });
        self.out.last_mut().expect("just pushed")
    }

    /// The value of this rule's option `name` in force for this file.
    pub fn option(&self, name: &str) -> i64 {
        option_value(self.meta, self.rule, self.settings, name)
    }
}

fn option_value(meta: &RuleMeta, rule: usize, settings: &FileSettings, name: &str) -> i64 {
    let declared = meta.options.iter().find(|option| option.name == name);
    let declared =
        declared.unwrap_or_else(|| panic!("rule `{}` declares no option `{name}`", meta.id));
    settings
        .rules
        .options
        .get(&(rule, declared.name))
        .copied()
        .unwrap_or(declared.default)
}

/// What a corpus rule sees.
pub struct CorpusContext<'a> {
    /// The corpus, asked about one reported entry at a time (see
    /// [`crate::index::query`]): the whole index, or a staged run's overlay.
    pub index: &'a dyn Corpus,
    /// Every file of the run.
    pub files: &'a [InputFile],
    /// The configuration (routes for site links).
    pub config: &'a Config,
    /// The project root, absolute.
    pub root: &'a std::path::Path,
    /// Reads a file's text again (or its in-memory version), for the rare
    /// corpus rule that must see text after the index is built.
    pub read_text: &'a (dyn Fn(FileId) -> Option<String> + Sync),
    /// What the corpus rules of this run share.
    pub memo: &'a Memo,
}

/// Collects the findings of one corpus rule; levels come from each file's settings.
pub struct CorpusSink<'a> {
    pub(crate) rule: usize,
    pub(crate) meta: &'static RuleMeta,
    pub(crate) settings: &'a FileSettings,
    pub(crate) out: &'a mut Vec<Diagnostic>,
}

impl CorpusSink<'_> {
    /// The value of this rule's option `name` for the corpus as a whole
    /// (`[rules]`; a corpus-wide count cannot differ per file).
    pub fn option(&self, name: &str) -> i64 {
        option_value(self.meta, self.rule, self.settings, name)
    }

    /// Reports a finding in `file` at `span`.
    pub fn report(
        &mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<crate::diagnostic::Text>,
    ) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            rule: self.meta.id,
            level: Level::Off,
            message: message.into(),
            help: None,
            file,
            span,
            entry: None,
            related: Default::default(),
            fix: None,
        });
        self.out.last_mut().expect("just pushed")
    }
}

/// Long headings and quotes are cut to this many characters in messages.
const MESSAGE_QUOTE_CHARS: usize = 60;

/// `text` cut to a length that reads well inside a message.
pub fn shorten(text: &str) -> String {
    match text.char_indices().nth(MESSAGE_QUOTE_CHARS) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

/// Imports for rule files.
pub mod prelude {
    pub use super::{
        CorpusContext, CorpusSink, EntryContext, Family, FileContext, FixKind, Flags, Needs, Rule,
        RuleMeta, RuleOption, Sink, SuppressionContext,
    };
    pub use crate::diagnostic::{Applicability, Edit, Level};
}
