//! Check: run the rules. Per file while its text is in memory (entry and file
//! rules), then once over the corpus index (corpus rules), then suppressions.

use std::ops::Range;
use std::sync::Arc;

use crate::config::{Applies, Config, FileSettings};
use crate::diagnostic::{Diagnostic, FileId, Level};
use crate::index::EntryRecord;
use crate::load::{InputFile, SourceText};
use crate::model::{Entry, Suppression, SuppressionKind};
use crate::normalize::{heading_key, term_key};
use crate::parse::outline;
use crate::rules::{
    ActiveTemplate, CorpusContext, CorpusSink, EntryContext, FileContext, Registry, Sink,
    SuppressionContext,
};

/// What one file leaves behind once its text is dropped.
#[derive(Debug)]
pub struct FileOutcome {
    /// Index records of its entries.
    pub records: Vec<EntryRecord>,
    /// Findings of the per-file rules (before suppressions).
    pub diagnostics: Vec<Diagnostic>,
    /// Its suppression comments.
    pub suppressions: Vec<Suppression>,
    /// Levels and templates in force.
    pub settings: Arc<FileSettings>,
}

/// Parses one file and runs the per-file rules on it when it is reported.
pub fn check_file(
    id: FileId,
    file: &InputFile,
    source: &SourceText,
    config: &Config,
    registry: &Registry,
) -> FileOutcome {
    let text = source.text.as_str();
    let outline = outline(text, file.kind, &file.path);
    let relative = crate::load::display_path(
        &crate::discover::absolute(&file.path, &config.root),
        &config.root,
    );
    let settings = config.settings_for(&relative);
    let boilerplate_min_words = registry.fingerprint_min_words(&settings);
    let mut records = Vec::with_capacity(outline.entry_count());
    let mut diagnostics = Vec::new();
    let mut suppressions = Vec::new();
    let cx = FileContext {
        id,
        file,
        text,
        invalid_utf8: &source.invalid_utf8,
        problems: &outline.problems,
        config,
        settings: &settings,
    };
    let enabled: Vec<(usize, &dyn crate::rules::Rule, Level)> = if file.reported {
        registry
            .rules()
            .map(|(index, rule)| (index, rule, settings.rules.levels[index]))
            .filter(|(_, _, level)| *level != Level::Off)
            .collect()
    } else {
        Vec::new()
    };
    for &(index, rule, level) in &enabled {
        let mut sink = sink(index, rule, level, id, &settings, &mut diagnostics);
        rule.check_file(&cx, &mut sink);
    }
    for entry in outline.entries(text, &config.parse) {
        if file.reported {
            let entry_cx = entry_context(&cx, &entry);
            for &(index, rule, level) in &enabled {
                let mut sink = sink(index, rule, level, id, &settings, &mut diagnostics);
                rule.check_entry(&entry_cx, &mut sink);
            }
            suppressions.extend(entry.body.suppressions.iter().cloned());
        }
        // The record outlives the run: made after the rules' scratch memory
        // is freed, it does not pin that memory in the heap.
        let namespace = settings.namespace.clone();
        let mut record = EntryRecord::new(id, &entry, namespace, boilerplate_min_words);
        if config.files.is_referrer(&relative) {
            record.keep_only_links();
        }
        records.push(record);
    }
    // Kept until the corpus is checked: no room to spare.
    diagnostics.shrink_to_fit();
    FileOutcome {
        records,
        diagnostics,
        suppressions,
        settings,
    }
}

fn sink<'a>(
    rule: usize,
    instance: &dyn crate::rules::Rule,
    level: Level,
    file: FileId,
    settings: &'a FileSettings,
    out: &'a mut Vec<Diagnostic>,
) -> Sink<'a> {
    Sink {
        rule,
        meta: instance.meta(),
        level,
        file,
        settings,
        out,
    }
}

/// Whether the entry file's front matter meets every `when` condition of
/// `template` (a template without conditions binds every entry).
fn meets_when(cx: &FileContext<'_>, template: &crate::config::Template) -> bool {
    template.when.iter().all(|(field, accepted)| {
        crate::parse::front_matter::field_strings(cx.text, &cx.config.parse, field)
            .iter()
            .any(|value| accepted.contains(&term_key(value)))
    })
}

/// The entry's names folded, and the templates it must follow, matched once
/// for every template rule.
fn entry_context<'a>(cx: &'a FileContext<'a>, entry: &'a Entry<'a>) -> EntryContext<'a> {
    let names: Vec<String> = entry.names().map(|name| term_key(&name.value)).collect();
    let chosen: Vec<(usize, bool)> = match &entry.template {
        Some(name) => cx
            .config
            .templates
            .iter()
            .position(|t| t.name == name.value)
            .map(|i| (i, true))
            .into_iter()
            .collect(),
        None => cx
            .settings
            .templates
            .iter()
            .map(|&index| (index, false))
            .collect(),
    };
    let heading_keys: Vec<String> = if chosen.is_empty() {
        Vec::new()
    } else {
        entry
            .body
            .headings
            .iter()
            .map(|heading| heading_key(&heading.text))
            .collect()
    };
    let mut templates = Vec::new();
    for (index, forced) in chosen {
        let template = &cx.config.templates[index];
        if !forced && !meets_when(cx, template) {
            continue;
        }
        let found: Vec<Option<usize>> = template
            .sections
            .iter()
            .map(|section| {
                heading_keys
                    .iter()
                    .position(|heading| section.heading.matches_key(heading, &names))
            })
            .collect();
        let applies =
            forced || template.applies == Applies::Always || found.iter().any(Option::is_some);
        if applies && entry.term.is_some() {
            templates.push(ActiveTemplate { template, found });
        }
    }
    EntryContext {
        file: cx,
        entry,
        names,
        templates,
    }
}

/// Runs the corpus rules, applies suppressions, reports unused ones, fills in
/// each finding's entry (from `records`, in file order), and sorts.
/// `outcomes` are in file order.
pub fn finish(
    outcomes: Vec<FileOutcome>,
    records: &[EntryRecord],
    cx: &CorpusContext<'_>,
    registry: &Registry,
) -> Vec<Diagnostic> {
    let corpus = corpus_findings(&outcomes, cx, registry);
    gather(outcomes, corpus, records, cx.files, registry)
}

/// The corpus rules' findings in reported files, in file order, each at its
/// file's level.
pub fn corpus_findings(
    outcomes: &[FileOutcome],
    cx: &CorpusContext<'_>,
    registry: &Registry,
) -> Vec<Diagnostic> {
    let mut corpus = Vec::new();
    let corpus_settings = cx.config.corpus_settings();
    for (rule_index, rule) in registry.rules() {
        let enabled_somewhere = outcomes
            .iter()
            .any(|outcome| outcome.settings.rules.levels[rule_index] != Level::Off);
        if enabled_somewhere {
            let mut sink = CorpusSink {
                rule: rule_index,
                meta: rule.meta(),
                settings: &corpus_settings,
                out: &mut corpus,
            };
            rule.check_corpus(cx, &mut sink);
        }
    }
    corpus.retain_mut(|diagnostic| {
        let Some(outcome) = outcomes.get(diagnostic.file) else {
            return false;
        };
        let rule_index = registry
            .index_of(diagnostic.rule)
            .expect("corpus rules are registered");
        diagnostic.level = outcome.settings.rules.levels[rule_index];
        diagnostic.level != Level::Off && cx.index.reports_file(diagnostic.file)
    });
    // Stable: each file's findings keep the rules' order.
    corpus.sort_by_key(|diagnostic| diagnostic.file);
    corpus
}

/// Every file's findings with the corpus findings (`corpus`, in file order):
/// suppressions applied, unused ones reported, each finding's entry named
/// from `records` (all records, in file order), sorted.
pub fn gather(
    outcomes: Vec<FileOutcome>,
    corpus: Vec<Diagnostic>,
    records: &[EntryRecord],
    files: &[InputFile],
    registry: &Registry,
) -> Vec<Diagnostic> {
    let ids: Vec<&'static str> = registry.ids().collect();
    // Sized once: 100k files' findings grown by doubling would briefly take
    // twice their room.
    let found: usize = outcomes
        .iter()
        .map(|outcome| outcome.diagnostics.len())
        .sum();
    let mut all = Vec::with_capacity(found + corpus.len());
    let mut corpus = corpus.into_iter().peekable();
    for (file_id, outcome) in outcomes.into_iter().enumerate() {
        let mut diagnostics = outcome.diagnostics;
        while let Some(extra) = corpus.next_if(|diagnostic| diagnostic.file == file_id) {
            diagnostics.push(extra);
        }
        let kept = apply_suppressions(
            file_id,
            diagnostics,
            &outcome.suppressions,
            &outcome.settings,
            registry,
            &ids,
        );
        // Records are in file order: this file's are one run.
        let first = records.partition_point(|record| record.file < file_id);
        let last = records.partition_point(|record| record.file <= file_id);
        for mut diagnostic in kept {
            diagnostic.entry = entry_at(&records[first..last], &diagnostic.span);
            all.push(diagnostic);
        }
    }
    sort(&mut all, files);
    all
}

/// Hides the findings that `suppressions` cover and reports the unused ones
/// (`unused-suppression`); the file's other findings are kept as they are.
pub fn apply_suppressions(
    file: FileId,
    diagnostics: Vec<Diagnostic>,
    suppressions: &[Suppression],
    settings: &FileSettings,
    registry: &Registry,
    ids: &[&'static str],
) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return diagnostics;
    }
    let mut usage: Vec<Vec<bool>> = suppressions
        .iter()
        .map(|s| vec![false; s.rules.len().max(1)])
        .collect();
    // Suppressions by where their scope starts, with the furthest scope end so
    // far: a finding looks back only while an earlier scope can still reach it.
    let mut order: Vec<usize> = (0..suppressions.len()).collect();
    order.sort_by_key(|&index| suppressions[index].scope.start);
    let mut furthest_end = Vec::with_capacity(order.len());
    let mut furthest = 0;
    for &index in &order {
        let scope = &suppressions[index].scope;
        furthest = furthest.max(if suppressions[index].kind == SuppressionKind::File {
            usize::MAX
        } else {
            scope.end
        });
        furthest_end.push(furthest);
    }
    let mut kept = Vec::new();
    for diagnostic in diagnostics {
        let at = diagnostic.span.start;
        let mut hidden = false;
        let mut position = order.partition_point(|&index| suppressions[index].scope.start <= at);
        while position > 0 && furthest_end[position - 1] > at {
            position -= 1;
            let index = order[position];
            let suppression = &suppressions[index];
            let covers =
                suppression.kind == SuppressionKind::File || suppression.scope.contains(&at);
            if !covers {
                continue;
            }
            let used = &mut usage[index];
            if suppression.rules.is_empty() {
                used[0] = true;
                hidden = true;
            } else if let Some(rule) = suppression
                .rules
                .iter()
                .position(|rule| rule.value == diagnostic.rule)
            {
                used[rule] = true;
                hidden = true;
            }
        }
        if !hidden {
            kept.push(diagnostic);
        }
    }
    let is_enabled = |id: &str| {
        registry
            .index_of(id)
            .is_some_and(|index| settings.rules.levels[index] != Level::Off)
    };
    let cx = SuppressionContext {
        suppressions,
        usage: &usage,
        is_enabled: &is_enabled,
        ids,
    };
    for (rule_index, rule) in registry.rules() {
        let level = settings.rules.levels[rule_index];
        if level == Level::Off || !rule.flags().about_suppressions {
            continue;
        }
        let mut sink = Sink {
            rule: rule_index,
            meta: rule.meta(),
            level,
            file,
            settings,
            out: &mut kept,
        };
        rule.check_suppressions(&cx, &mut sink);
    }
    kept
}

/// The term of the entry whose range holds `span`'s start.
pub fn entry_at(records: &[EntryRecord], span: &Range<usize>) -> Option<Arc<str>> {
    let position = records.partition_point(|record| record.span.start <= span.start);
    let record = records.get(position.checked_sub(1)?)?;
    (span.start < record.span.end || record.span.is_empty() || span.start == record.span.end)
        .then(|| record.term.as_ref().map(|term| term.value.clone()))
        .flatten()
}

/// Sorts by path, position, rule and message: the same order whatever the
/// thread count.
pub fn sort(diagnostics: &mut [Diagnostic], files: &[InputFile]) {
    diagnostics.sort_by(|a, b| {
        files[a.file]
            .display
            .cmp(&files[b.file].display)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.rule.cmp(b.rule))
            .then(a.span.end.cmp(&b.span.end))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// The rule id of the finding that stands for a panic while checking a file.
pub const INTERNAL_ERROR: &str = "internal-error";

/// Checks one file; a panic in a rule or the parser becomes an
/// `internal-error` finding naming the file, and the other files go on (the
/// CLI run and the editor's workspace both check through here).
pub fn guarded_check(
    id: FileId,
    file: &InputFile,
    source: &SourceText,
    config: &Config,
    registry: &Registry,
) -> FileOutcome {
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_file(id, file, source, config, registry)
    }));
    attempt.unwrap_or_else(|panic| {
        let reason = panic
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        FileOutcome {
            records: Vec::new(),
            diagnostics: vec![Diagnostic {
                rule: INTERNAL_ERROR,
                level: crate::diagnostic::Level::Error,
                message: format!("glosslint crashed while checking this file: {reason}"),
                help: Some(
                    "please report this with the file attached; the other files were checked"
                        .into(),
                ),
                file: id,
                span: 0..0,
                entry: None,
                related: Vec::new(),
                fix: None,
            }],
            suppressions: Vec::new(),
            settings: config.settings_for(""),
        }
    })
}
