//! Baselines (SPEC 9): today's findings, recorded once and hidden afterwards.
//!
//! A finding is keyed by its path, rule, entry term and message, never by its
//! line or column, so edits elsewhere in a file (blank lines inserted above an
//! old finding, an entry moved) do not resurrect it. Identical keys are counted:
//! a baseline holding a key twice hides two such findings and no more, so a
//! second copy of an accepted defect is still reported (a multiset subtraction).
//!
//! The file is JSON, sorted and stable, so it diffs well in review:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"path": "entries/acid.md", "rule": "short-body", "entry": "acid",
//!      "message": "the body has 3 words; at least 25 expected", "count": 1}
//!   ]
//! }
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use crate::report::fingerprint::Key;
use crate::report::Outcome;

/// The version written into, and accepted from, baseline files.
pub const VERSION: u32 = 1;

/// Accepted findings, counted per key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<Key, usize>,
}

/// What applying a baseline did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Findings hidden because the baseline accepts them.
    pub hidden: usize,
    /// Baseline slots no finding of this run used: fixed since, or gone.
    pub stale: usize,
}

impl Applied {
    /// The note added to the human summary line.
    pub fn note(&self) -> String {
        format!(
            "; {} {} hidden by the baseline, {} stale baseline {}",
            self.hidden,
            if self.hidden == 1 {
                "finding"
            } else {
                "findings"
            },
            self.stale,
            if self.stale == 1 { "entry" } else { "entries" }
        )
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Record>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    path: String,
    rule: String,
    entry: Option<String>,
    message: String,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

impl Baseline {
    /// Every finding of the outcome.
    pub fn of(outcome: &Outcome) -> Self {
        let mut counts = BTreeMap::new();
        for diagnostic in &outcome.diagnostics {
            *counts.entry(Key::of(outcome, diagnostic)).or_insert(0) += 1;
        }
        Self { counts }
    }

    /// Number of findings it accepts (a key counted twice counts twice).
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    /// Whether it accepts nothing.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// How many findings with `key` it accepts.
    pub fn count(&self, key: &Key) -> usize {
        self.counts.get(key).copied().unwrap_or(0)
    }

    /// The file's text: sorted by key, one record per key, pretty-printed.
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: VERSION,
            findings: self
                .counts
                .iter()
                .map(|(key, &count)| Record {
                    path: key.path.clone(),
                    rule: key.rule.clone(),
                    entry: key.entry.clone(),
                    message: key.message.clone(),
                    count,
                })
                .collect(),
        };
        let mut out = serde_json::to_string_pretty(&file).expect("a baseline serializes");
        out.push('\n');
        out
    }

    /// Reads a baseline file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: BaselineFile = serde_json::from_str(text)
            .map_err(|error| format!("not a glosslint baseline: {error}"))?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                file.version
            ));
        }
        let mut counts = BTreeMap::new();
        for record in file.findings {
            if record.count == 0 {
                return Err(format!(
                    "finding `{}` in {} has count 0",
                    record.rule, record.path
                ));
            }
            let key = Key {
                path: record.path,
                rule: record.rule,
                entry: record.entry,
                message: record.message,
            };
            *counts.entry(key).or_insert(0) += record.count;
        }
        Ok(Self { counts })
    }

    /// Reads the baseline file `path` (relative to `cwd`); the error, naming
    /// the path as given, is ready to print.
    pub fn load(path: &Path, cwd: &Path) -> Result<Self, String> {
        let text =
            crate::load::read_settings_file(&cwd.join(path), crate::load::MAX_FILE_BYTES as u64)
                .map_err(|error| {
                    format!("error: cannot read baseline {}: {error}", path.display())
                })?;
        Self::parse(&text).map_err(|error| format!("error: baseline {}: {error}", path.display()))
    }

    /// Writes the baseline to `path` (relative to `cwd`), creating its folder.
    pub fn write(&self, path: &Path, cwd: &Path) -> Result<(), String> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(cwd.join(parent))
                .map_err(|error| format!("error: cannot create {}: {error}", parent.display()))?;
        }
        std::fs::write(cwd.join(path), self.to_json())
            .map_err(|error| format!("error: cannot write baseline {}: {error}", path.display()))
    }

    /// Removes from the outcome every finding the baseline accepts, each key at
    /// most as often as it was recorded.
    pub fn apply(&self, outcome: &mut Outcome) -> Applied {
        let mut remaining = self.counts.clone();
        let keep: Vec<bool> = outcome
            .diagnostics
            .iter()
            .map(
                |diagnostic| match remaining.get_mut(&Key::of(outcome, diagnostic)) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        false
                    }
                    _ => true,
                },
            )
            .collect();
        let before = outcome.diagnostics.len();
        let mut keep = keep.into_iter();
        outcome
            .diagnostics
            .retain(|_| keep.next().expect("one flag per finding"));
        Applied {
            hidden: before - outcome.diagnostics.len(),
            stale: remaining.values().sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostic::{Diagnostic, Level};
    use crate::load::{FileKind, InputFile};
    use crate::report::{json, Summary, Texts};

    fn outcome(findings: &[(&str, Option<&str>, &str)]) -> Outcome {
        Outcome {
            files: vec![InputFile {
                path: "/corpus/a.md".into(),
                display: Arc::from("a.md"),
                kind: FileKind::Entry,
                reported: true,
            }],
            diagnostics: findings
                .iter()
                .enumerate()
                .map(|(index, (rule, entry, message))| Diagnostic {
                    rule: match *rule {
                        "short-body" => "short-body",
                        _ => "duplicate-term",
                    },
                    level: Level::Warning,
                    message: (*message).to_string().into(),
                    help: None,
                    file: 0,
                    span: index * 10..index * 10 + 3,
                    entry: entry.map(Arc::from),
                    related: Default::default(),
                    fix: None,
                })
                .collect(),
            ..Outcome::default()
        }
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        let hash = |text: &str| {
            let mut hash = crate::report::fingerprint::Fnv1a::new();
            hash.write(text.as_bytes());
            hash.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn fingerprints_ignore_positions_and_tell_fields_apart() {
        let a = outcome(&[("short-body", Some("acid"), "too short")]);
        let mut b = outcome(&[("short-body", Some("acid"), "too short")]);
        b.diagnostics[0].span = 500..520;
        let key = Key::of(&a, &a.diagnostics[0]);
        assert_eq!(
            key.fingerprint(),
            Key::of(&b, &b.diagnostics[0]).fingerprint()
        );
        let no_entry = Key {
            entry: None,
            ..key.clone()
        };
        let empty_entry = Key {
            entry: Some(String::new()),
            ..key.clone()
        };
        assert_ne!(no_entry.fingerprint(), empty_entry.fingerprint());
        assert_ne!(key.fingerprint(), no_entry.fingerprint());
    }

    #[test]
    fn apply_is_a_multiset_subtraction() {
        let recorded = outcome(&[
            ("short-body", Some("acid"), "too short"),
            ("duplicate-term", Some("acid"), "dup"),
            ("duplicate-term", Some("acid"), "dup"),
            ("short-body", Some("base"), "too short"),
        ]);
        let baseline = Baseline::of(&recorded);
        assert_eq!(baseline.len(), 4);
        let parsed = Baseline::parse(&baseline.to_json()).unwrap();
        assert_eq!(parsed, baseline);

        let mut today = outcome(&[
            ("short-body", Some("acid"), "too short"),
            ("duplicate-term", Some("acid"), "dup"),
            ("duplicate-term", Some("acid"), "dup"),
            ("duplicate-term", Some("acid"), "dup"),
        ]);
        let applied = parsed.apply(&mut today);
        assert_eq!(
            applied,
            Applied {
                hidden: 3,
                stale: 1
            }
        );
        assert_eq!(today.diagnostics.len(), 1);
        assert_eq!(today.diagnostics[0].rule, "duplicate-term");
    }

    #[test]
    fn the_file_is_sorted_and_counts_repeated_keys() {
        let baseline = Baseline::of(&outcome(&[
            ("short-body", Some("zeta"), "too short"),
            ("duplicate-term", Some("acid"), "dup"),
            ("duplicate-term", Some("acid"), "dup"),
        ]));
        let json: serde_json::Value = serde_json::from_str(&baseline.to_json()).unwrap();
        assert_eq!(json["version"], 1);
        let findings = json["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0]["rule"], "duplicate-term");
        assert_eq!(findings[0]["count"], 2);
        assert_eq!(findings[1]["entry"], "zeta");
        assert!(!baseline.to_json().contains("line"));
    }

    #[test]
    fn malformed_files_are_refused() {
        for text in [
            "",
            "[]",
            "{\"version\": 1}",
            "{\"version\": 2, \"findings\": []}",
            "{\"version\": 1, \"findings\": [{\"path\": \"a\", \"rule\": \"r\", \"entry\": null, \"message\": \"m\", \"count\": 0}]}",
            "{\"version\": 1, \"findings\": [{\"path\": \"a\", \"rule\": \"r\", \"entry\": null, \"message\": \"m\", \"line\": 3}]}",
        ] {
            assert!(Baseline::parse(text).is_err(), "{text:?}");
        }
        let empty = Baseline::parse("{\"version\": 1, \"findings\": []}").unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn json_summary_gains_the_two_counts() {
        let outcome = outcome(&[("short-body", Some("acid"), "too short")]);
        let summary = Summary {
            baselined: Some(4),
            stale: Some(2),
            ..Summary::of(&outcome)
        };
        let mut report = Vec::new();
        json::write(
            &outcome,
            &Texts::new(&outcome, false),
            &summary,
            &mut report,
        )
        .unwrap();
        let report = String::from_utf8(report).unwrap();
        let json: serde_json::Value = serde_json::from_str(&report).unwrap();
        assert_eq!(json["summary"]["baselined"], 4);
        assert_eq!(json["summary"]["stale"], 2);
        assert_eq!(json["summary"]["warnings"], 1);
        assert_eq!(json["diagnostics"][0]["message"], "too short");
        assert!(report.contains("\n    \"baselined\": 4,\n    \"stale\": 2\n  }"));
    }
}
