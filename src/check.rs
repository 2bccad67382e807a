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
    // In place (no scratch list): each file's findings keep the rules' order.
    sort_by_file(&mut corpus);
    corpus
}

/// Sorts `diagnostics` by file, each file's keeping its order, in place:
/// a stable sort would take a scratch list of half a million findings.
fn sort_by_file(diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_sorted_by_key(|diagnostic| diagnostic.file) {
        return;
    }
    // The position breaks ties: the order is total, so the unstable sort
    // keeps each file's order. Sorted as `(file, position)` pairs, then the
    // findings moved to their places by following the permutation's cycles.
    let mut order: Vec<(FileId, u32)> = diagnostics
        .iter()
        .enumerate()
        .map(|(position, diagnostic)| (diagnostic.file, position as u32))
        .collect();
    order.sort_unstable();
    let mut source: Vec<u32> = order.into_iter().map(|(_, position)| position).collect();
    for start in 0..source.len() {
        let mut at = start;
        while source[at] as usize != start {
            let from = source[at] as usize;
            diagnostics.swap(at, from);
            source[at] = at as u32;
            at = from;
        }
        source[at] = at as u32;
    }
}

/// Every file's findings with the corpus findings (`corpus`, in file order):
/// suppressions applied, unused ones reported, each finding's entry named
/// from `records` (all records, in file order), sorted.
///
/// Done in place, in the corpus findings' list (on the user's own shape the
/// larger part, a million boilerplate copies): no second list of every
/// finding is ever alive.
pub fn gather(
    outcomes: Vec<FileOutcome>,
    corpus: Vec<Diagnostic>,
    records: &[EntryRecord],
    files: &[InputFile],
    registry: &Registry,
) -> Vec<Diagnostic> {
    let ids: Vec<&'static str> = registry.ids().collect();
    let found: usize = outcomes
        .iter()
        .map(|outcome| outcome.diagnostics.len())
        .sum();
    let mut all = corpus;
    all.reserve_exact(found);
    let mut kept = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        all.extend(outcome.diagnostics);
        kept.push((outcome.suppressions, outcome.settings));
    }
    sort_by_file(&mut all);
    let mut unused = Vec::new();
    let mut seen = vec![false; kept.len()];
    let mut start = 0;
    while start < all.len() {
        let file_id = all[start].file;
        if let Some(seen) = seen.get_mut(file_id) {
            *seen = true;
        }
        let end = start + all[start..].partition_point(|diagnostic| diagnostic.file == file_id);
        // Records are in file order: this file's are one run.
        let first = records.partition_point(|record| record.file < file_id);
        let last = records.partition_point(|record| record.file <= file_id);
        let file_records = &records[first..last];
        let group = &mut all[start..end];
        if let Some((suppressions, settings)) = kept.get(file_id) {
            let mut extra = suppress(file_id, group, suppressions, settings, registry, &ids);
            for diagnostic in &mut extra {
                diagnostic.entry = entry_at(file_records, &diagnostic.span);
            }
            unused.append(&mut extra);
        }
        for diagnostic in group {
            if diagnostic.level != Level::Off {
                diagnostic.entry = entry_at(file_records, &diagnostic.span);
            }
        }
        start = end;
    }
    // A file without findings may still have unused suppressions.
    for (file_id, (suppressions, settings)) in kept.iter().enumerate() {
        if !suppressions.is_empty() && !seen[file_id] {
            let first = records.partition_point(|record| record.file < file_id);
            let last = records.partition_point(|record| record.file <= file_id);
            let mut extra = suppress(file_id, &mut [], suppressions, settings, registry, &ids);
            for diagnostic in &mut extra {
                diagnostic.entry = entry_at(&records[first..last], &diagnostic.span);
            }
            unused.append(&mut extra);
        }
    }
    all.retain(|diagnostic| diagnostic.level != Level::Off);
    all.append(&mut unused);
    sort(&mut all, files);
    all
}

/// Hides the findings that `suppressions` cover and reports the unused ones
/// (`unused-suppression`); the file's other findings are kept as they are.
pub fn apply_suppressions(
    file: FileId,
    mut diagnostics: Vec<Diagnostic>,
    suppressions: &[Suppression],
    settings: &FileSettings,
    registry: &Registry,
    ids: &[&'static str],
) -> Vec<Diagnostic> {
    let mut unused = suppress(
        file,
        &mut diagnostics,
        suppressions,
        settings,
        registry,
        ids,
    );
    diagnostics.retain(|diagnostic| diagnostic.level != Level::Off);
    diagnostics.append(&mut unused);
    diagnostics
}

/// Marks the findings that `suppressions` cover (their level becomes
/// `Off`) and returns the `unused-suppression` findings.
fn suppress(
    file: FileId,
    diagnostics: &mut [Diagnostic],
    suppressions: &[Suppression],
    settings: &FileSettings,
    registry: &Registry,
    ids: &[&'static str],
) -> Vec<Diagnostic> {
    if suppressions.is_empty() {
        return Vec::new();
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
    let mut unused = Vec::new();
    for diagnostic in diagnostics.iter_mut() {
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
        if hidden {
            diagnostic.level = Level::Off;
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
            out: &mut unused,
        };
        rule.check_suppressions(&cx, &mut sink);
    }
    unused
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
///
/// In place (a stable sort takes a scratch list of half the findings): the
/// order is total but for findings alike in all five, and the input order
/// is the same for any thread count, so the output is too. Files listed in
/// path order (as `discover` lists them) compare by id.
pub fn sort(diagnostics: &mut [Diagnostic], files: &[InputFile]) {
    let by_id = files.is_sorted_by(|a, b| a.display <= b.display);
    diagnostics.sort_unstable_by(|a, b| {
        let file = if by_id {
            a.file.cmp(&b.file)
        } else {
            files[a.file].display.cmp(&files[b.file].display)
        };
        file.then(a.span.start.cmp(&b.span.start))
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
                message: format!("glosslint crashed while checking this file: {reason}").into(),
                help: Some(
                    "please report this with the file attached; the other files were checked"
                        .into(),
                ),
                file: id,
                span: 0..0,
                entry: None,
                related: Default::default(),
                fix: None,
            }],
            suppressions: Vec::new(),
            settings: config.settings_for(""),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(file: FileId, start: usize) -> Diagnostic {
        Diagnostic {
            rule: "boilerplate",
            level: Level::Warning,
            message: "m".into(),
            help: None,
            file,
            span: start..start + 1,
            entry: None,
            related: Default::default(),
            fix: None,
        }
    }

    proptest::proptest! {
        /// The in-place sort by file keeps each file's order, as a stable
        /// sort does.
        #[test]
        fn sort_by_file_is_a_stable_sort(files in proptest::collection::vec(0usize..6, 0..200)) {
            let mut found: Vec<Diagnostic> = files
                .iter()
                .enumerate()
                .map(|(position, &file)| finding(file, position))
                .collect();
            let mut expected = found.clone();
            expected.sort_by_key(|diagnostic| diagnostic.file);
            sort_by_file(&mut found);
            proptest::prop_assert_eq!(found, expected);
        }
    }
}
