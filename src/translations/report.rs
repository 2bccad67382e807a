//! `glosslint translations`: the survey as a status per language, in a
//! table, JSON, Markdown (what a workflow posts on a pull request) or one
//! self-contained HTML page.

use serde::Serialize;

use super::history::date;
use super::{Language, Survey};

/// The status of every language (the JSON shape).
#[derive(Debug, Serialize)]
pub struct Status {
    /// The source language's name.
    pub source: String,
    /// Whether git history was read (without it, nothing counts as stale and
    /// `up_to_date` and `stale` are null).
    pub history: bool,
    /// Languages sorted by name.
    pub languages: Vec<LanguageStatus>,
}

/// One language's counts and entries.
#[derive(Debug, Serialize)]
pub struct LanguageStatus {
    /// Its name.
    pub language: String,
    /// Translations with a source.
    pub translated: usize,
    /// Translations whose source has not changed since.
    pub up_to_date: Option<usize>,
    /// Translations behind their source.
    pub stale: Option<usize>,
    /// Translations without a source.
    pub orphaned: usize,
    /// Sources without a translation.
    pub missing: usize,
    /// Every translation and missing source, by status then path.
    pub entries: Vec<EntryStatus>,
}

/// One translation (or missing one).
#[derive(Debug, Serialize)]
pub struct EntryStatus {
    /// `up-to-date`, `stale`, `orphaned` or `missing`.
    pub status: &'static str,
    /// The translation's path (null when missing).
    pub path: Option<String>,
    /// The source's path (null when orphaned).
    pub source: Option<String>,
    /// For a stale translation: commits to the source since `since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commits: Option<usize>,
    /// For a stale translation: the date (UTC) of the commit compared from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// The statuses an entry can have, in the order pages list them.
pub const STATUSES: [&str; 4] = ["up-to-date", "stale", "missing", "orphaned"];

impl Status {
    /// The status of `survey`, whose file references index `paths` (shown as they are).
    pub fn of(survey: &Survey, paths: &[&str]) -> Self {
        let history = matches!(survey.history, Some(Ok(_)));
        let languages = survey
            .languages
            .iter()
            .map(|language| language_status(language, paths, history))
            .collect();
        Self {
            source: survey.source_language.clone(),
            history,
            languages,
        }
    }

    /// Only `language` (by name); `None` when there is no such language.
    pub fn only(mut self, language: &str) -> Option<Self> {
        self.languages.retain(|status| status.language == language);
        (!self.languages.is_empty()).then_some(self)
    }
}

fn language_status(language: &Language, paths: &[&str], history: bool) -> LanguageStatus {
    let path = |file: usize| Some(paths[file].to_string());
    let mut entries: Vec<EntryStatus> = language
        .pairs
        .iter()
        .map(|pair| EntryStatus {
            status: if pair.stale.is_some() {
                "stale"
            } else {
                "up-to-date"
            },
            path: path(pair.translation),
            source: path(pair.source),
            commits: pair.stale.as_ref().map(|stale| stale.commits),
            since: pair.stale.as_ref().map(|stale| date(stale.since)),
        })
        .collect();
    entries.extend(language.missing.iter().map(|&source| EntryStatus {
        status: "missing",
        path: None,
        source: path(source),
        commits: None,
        since: None,
    }));
    entries.extend(language.orphans.iter().map(|&file| EntryStatus {
        status: "orphaned",
        path: path(file),
        source: None,
        commits: None,
        since: None,
    }));
    entries.sort_by_key(|entry| STATUSES.iter().position(|status| *status == entry.status));
    LanguageStatus {
        language: language.name.clone(),
        translated: language.pairs.len(),
        up_to_date: history.then(|| language.up_to_date()),
        stale: history.then(|| language.stale()),
        orphaned: language.orphans.len(),
        missing: language.missing.len(),
        entries,
    }
}

impl LanguageStatus {
    /// Its entries of `status`, each with its line, or `None` when it has none.
    fn listed(&self, status: &str) -> Option<Vec<String>> {
        let lines: Vec<String> = self
            .entries
            .iter()
            .filter(|entry| entry.status == status)
            .map(entry_line)
            .collect();
        (!lines.is_empty()).then_some(lines)
    }

    /// Its name and counts, as the table and the Markdown show them.
    fn row(&self) -> [String; 6] {
        [
            self.language.clone(),
            self.translated.to_string(),
            count(self.up_to_date),
            count(self.stale),
            self.orphaned.to_string(),
            self.missing.to_string(),
        ]
    }
}

fn count(value: Option<usize>) -> String {
    value.map_or_else(|| "-".to_string(), |value| value.to_string())
}

fn entry_line(entry: &EntryStatus) -> String {
    let mut line = match (&entry.path, &entry.source) {
        (Some(path), Some(source)) if entry.status == "stale" => format!("{path} (source {source}"),
        (Some(path), _) => path.clone(),
        (None, Some(source)) => source.clone(),
        (None, None) => String::new(),
    };
    if let (Some(commits), Some(since)) = (entry.commits, &entry.since) {
        let plural = if commits == 1 { "" } else { "s" };
        line.push_str(&format!(": {commits} commit{plural} since {since})"));
    }
    line
}

const HISTORY_NOTE: &str = "no git history: stale translations cannot be told from current ones";

/// The plain-text table, with each language's lists when `lists`.
pub fn table(status: &Status, lists: bool) -> String {
    let mut out = format!(
        "{:<10} {:>10} {:>10} {:>6} {:>8} {:>7}\n",
        "language", "translated", "up to date", "stale", "orphaned", "missing"
    );
    for language in &status.languages {
        let [name, translated, up_to_date, stale, orphaned, missing] = language.row();
        out.push_str(&format!(
            "{name:<10} {translated:>10} {up_to_date:>10} {stale:>6} {orphaned:>8} {missing:>7}\n"
        ));
    }
    if lists {
        for language in &status.languages {
            for name in STATUSES {
                let Some(lines) = language.listed(name) else {
                    continue;
                };
                out.push_str(&format!(
                    "\n{} {name} ({}):\n",
                    language.language,
                    lines.len()
                ));
                for line in lines {
                    out.push_str(&format!("  {line}\n"));
                }
            }
        }
    }
    if !status.history {
        out.push_str(&format!("\nnote: {HISTORY_NOTE}\n"));
    }
    out
}

/// The Markdown status: a table, then each language's stale, missing and
/// orphaned lists folded in `<details>`.
pub fn markdown(status: &Status) -> String {
    let mut out = format!(
        "### Translations (source: `{}`)\n\n| language | translated | up to date | stale | orphaned | missing |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
        status.source
    );
    for language in &status.languages {
        let [name, rest @ ..] = language.row();
        out.push_str(&format!("| `{name}` | {} |\n", rest.join(" | ")));
    }
    for language in &status.languages {
        for name in ["stale", "orphaned", "missing"] {
            let Some(lines) = language.listed(name) else {
                continue;
            };
            out.push_str(&format!(
                "\n<details><summary><code>{}</code> {name}: {}</summary>\n\n",
                language.language,
                lines.len()
            ));
            for line in lines {
                out.push_str(&format!("- `{}`\n", line.replace('`', "'")));
            }
            out.push_str("\n</details>\n");
        }
    }
    if !status.history {
        out.push_str(&format!("\n_Note: {HISTORY_NOTE}._\n"));
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One self-contained page: per language a stacked bar (up to date / stale /
/// missing, widths in proportion) and the lists behind each part. Every
/// number is also in a `data-` attribute, for scripts and tests.
pub fn html(status: &Status) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Translation status</title>\n<style>\n\
body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}\n\
.language{margin:1.2rem 0}\n.language h2{font-size:1.1rem;margin:0 0 .3rem}\n\
.bar{display:flex;height:1.4rem;border:1px solid #999;border-radius:3px;overflow:hidden;background:#f4f4f4}\n\
.bar span{display:block;height:100%}\n.up-to-date{background:#2e8b57}\n.stale{background:#e0a800}\n.missing{background:#c0392b}\n\
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:middle}\n\
.counts{font-size:.9rem;color:#444}\ndetails{margin:.2rem 0 .2rem 1rem;font-size:.9rem}\n</style></head>\n<body>\n",
    );
    out.push_str(&format!(
        "<h1>Translation status</h1>\n<p>Source language: <code id=\"source\">{}</code>. \
<span class=\"legend\"><span class=\"up-to-date\"></span>up to date<span class=\"stale\"></span>stale<span class=\"missing\"></span>missing</span></p>\n",
        escape(&status.source)
    ));
    if !status.history {
        out.push_str(&format!("<p class=\"note\">Note: {HISTORY_NOTE}.</p>\n"));
    }
    for language in &status.languages {
        let up_to_date = language.up_to_date.unwrap_or(language.translated);
        let stale = language.stale.unwrap_or(0);
        let total = (up_to_date + stale + language.missing).max(1);
        let percent = |part: usize| part as f64 * 100.0 / total as f64;
        let name = escape(&language.language);
        out.push_str(&format!(
            "<section class=\"language\" id=\"language-{name}\" data-language=\"{name}\" data-translated=\"{}\" data-up-to-date=\"{up_to_date}\" data-stale=\"{stale}\" data-missing=\"{}\" data-orphaned=\"{}\">\n<h2>{name}</h2>\n<div class=\"bar\" role=\"img\" aria-label=\"{name}: {up_to_date} up to date, {stale} stale, {} missing\">",
            language.translated, language.missing, language.orphaned, language.missing
        ));
        for (class, part) in [
            ("up-to-date", up_to_date),
            ("stale", stale),
            ("missing", language.missing),
        ] {
            out.push_str(&format!(
                "<span class=\"{class}\" style=\"width:{:.3}%\" title=\"{part} {class}\"></span>",
                percent(part)
            ));
        }
        out.push_str(&format!(
            "</div>\n<p class=\"counts\">translated <b class=\"translated\">{}</b> · up to date <b class=\"up-to-date-count\">{}</b> · stale <b class=\"stale-count\">{}</b> · missing <b class=\"missing-count\">{}</b> · orphaned <b class=\"orphaned-count\">{}</b></p>\n",
            language.translated,
            count(language.up_to_date),
            count(language.stale),
            language.missing,
            language.orphaned
        ));
        for name in STATUSES {
            let Some(lines) = language.listed(name) else {
                continue;
            };
            out.push_str(&format!(
                "<details class=\"list-{name}\"><summary>{name} ({})</summary><ul>\n",
                lines.len()
            ));
            for line in lines {
                out.push_str(&format!("<li>{}</li>\n", escape(&line)));
            }
            out.push_str("</ul></details>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// The forms of `glosslint translations`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusFormat {
    /// Plain text columns.
    #[default]
    Table,
    /// `{"source": .., "languages": [..]}`.
    Json,
    /// For a pull request comment.
    Markdown,
    /// One self-contained page.
    Html,
}

/// `glosslint translations`: the status of `survey` over the corpus files
/// (`shown`, their displayed paths), for one language or all.
pub fn render(
    survey: &Survey,
    shown: &[&str],
    language: Option<&str>,
    format: StatusFormat,
) -> Result<String, String> {
    let mut status = Status::of(survey, shown);
    if let Some(language) = language {
        let known: Vec<String> = status
            .languages
            .iter()
            .map(|l| l.language.clone())
            .collect();
        status = status.only(language).ok_or_else(|| {
            let hint = crate::normalize::did_you_mean(language, known.iter().map(String::as_str))
                .map_or_else(
                    || format!(" (languages: {})", known.join(", ")),
                    |near| format!("; did you mean `{near}`?"),
                );
            format!("error: no language `{language}`{hint}")
        })?;
    }
    Ok(match format {
        StatusFormat::Table => table(&status, language.is_some()),
        StatusFormat::Json => {
            let mut json = serde_json::to_string_pretty(&status).expect("status serializes");
            json.push('\n');
            json
        }
        StatusFormat::Markdown => markdown(&status),
        StatusFormat::Html => html(&status),
    })
}
