//! ## What it does
//! Reports a translation with fewer sections (headings), tables, code blocks
//! or links than its source. The help gives both counts of each.
//!
//! ## Why is this bad?
//! A translation that lost a section or a table was usually cut short or
//! made from an older source; readers of that language miss the part.
//!
//! ## Example
//! `content/es/pod.md` with two headings and no table, when
//! `content/en/pod.md` has three headings and a table.
//!
//! Use instead: translate the missing parts.
//!
//! ## Options
//! None. The counts are in the help, not the message, so that a baseline
//! keeps the finding while the source changes (SPEC 9).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::rules::prelude::*;
use crate::translations::shape::Shape;

/// See the module documentation.
pub struct TranslationShape;

static META: RuleMeta = RuleMeta {
    id: "translation-shape",
    family: Family::Translations,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("translation_shape.rs"),
};

impl Rule for TranslationShape {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn needs(&self, config: &crate::config::Config) -> Needs {
        super::needs(config)
    }

    fn check_corpus(&self, cx: &CorpusContext<'_>, sink: &mut CorpusSink<'_>) {
        let Some((_, survey)) = super::survey(cx) else {
            return;
        };
        let shape = |file| (cx.read_text)(file).map(|text| Shape::of(&text));
        let pairs: Vec<_> = survey
            .languages
            .iter()
            .flat_map(|language| &language.pairs)
            .filter(|pair| cx.index.reports_file(pair.translation))
            .collect();
        let mut sources: Vec<usize> = pairs.iter().map(|pair| pair.source).collect();
        sources.sort_unstable();
        sources.dedup();
        let source_shapes: HashMap<usize, Shape> = sources
            .par_iter()
            .filter_map(|&file| Some((file, shape(file)?)))
            .collect();
        let thinner: Vec<_> = pairs
            .par_iter()
            .filter_map(|pair| {
                let source = source_shapes.get(&pair.source)?;
                let fewer = shape(pair.translation)?.fewer_than(source);
                (!fewer.is_empty()).then_some((pair, fewer))
            })
            .collect();
        for (pair, fewer) in thinner {
            let kinds: Vec<&str> = fewer.iter().map(|(kind, _, _)| *kind).collect();
            let counts: Vec<String> = fewer
                .iter()
                .map(|(kind, have, want)| format!("{kind}: {have} of {want}"))
                .collect();
            sink.report(
                pair.translation,
                super::anchor(cx, pair.translation),
                format!(
                    "this translation has fewer {} than its source `{}`",
                    join(&kinds),
                    super::shown(cx, pair.source)
                ),
            )
            .help(format!(
                "{}; translate the parts it lacks",
                counts.join(", ")
            ))
            .related(pair.source, super::anchor(cx, pair.source), "the source");
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
