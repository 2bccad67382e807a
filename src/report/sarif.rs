//! SARIF 2.1.0 (SPEC 7), for code scanning services and SARIF viewers.
//!
//! One run. `tool.driver.rules` lists every registered rule, enabled or not, so
//! a result's `ruleIndex` is the rule's index in the registry. Positions follow
//! the other formats: 1-based lines and columns, columns in Unicode scalar values
//! (the run says `columnKind: "unicodeCodePoints"`), `end*` exclusive; `charOffset`
//! and `charLength` count Unicode scalar values too, and `byteOffset` and
//! `byteLength` give the same range in bytes. Paths are relative to the working
//! directory, under the base id `%SRCROOT%`.
//!
//! `partialFingerprints["glosslint/v1"]` is the FNV-1a hash of the baseline key
//! (path, rule, entry term, message; never a position), so a finding keeps its
//! identity when lines move; a key that repeats in one run gets its ordinal
//! hashed in from the second occurrence on.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::line_index::floor_char_boundary;
use super::Texts;
use crate::diagnostic::{Applicability, Diagnostic, FileId, Level};
use crate::report::fingerprint::{Fnv1a, Key};
use crate::report::Outcome;
use crate::rules::{Registry, RuleMeta};

/// Where `$schema` points.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of our entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "glosslint/v1";
/// The base id relative paths are resolved against: the working directory.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    newline_sequences: [&'static str; 3],
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Markdown,
    help: Markdown,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    enabled: bool,
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 1],
    fix: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    entry: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_length: Option<usize>,
    byte_offset: usize,
    byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: [ArtifactChange; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: Applicability,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    inserted_content: Message,
}

/// The SARIF level of a glosslint level.
pub fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
        Level::Off => "none",
    }
}

/// `duplicate-term` -> `DuplicateTerm`, the SARIF convention for rule names.
pub fn rule_name(id: &str) -> String {
    id.split(['-', '_'])
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase())
                .into_iter()
                .chain(chars)
        })
        .collect()
}

/// The tool's home page: the package's homepage or repository when Cargo.toml
/// names one, else its page on crates.io.
fn information_uri() -> &'static str {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
        .unwrap_or(concat!("https://crates.io/crates/", env!("CARGO_PKG_NAME")))
}

/// A displayed path as a URI reference: `/`-separated, percent-encoded.
/// Relative paths are resolved against `%SRCROOT%`; absolute ones become
/// `file://` URIs of their own.
pub fn artifact_uri(display: &str) -> (String, Option<&'static str>) {
    let path = display.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if drive {
        return (
            format!("file:///{}:{}", &path[..1], encode(&path[2..])),
            None,
        );
    }
    if path.starts_with('/') {
        return (format!("file://{}", encode(&path)), None);
    }
    (encode(&path), Some(SRCROOT))
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Byte offset to Unicode scalar offset, with a checkpoint every few KiB so a
/// file with many findings is not rescanned from its start for each.
struct CharOffsets<'t> {
    text: &'t str,
    /// `(byte, chars before it)` at char boundaries, one per `STEP` bytes.
    checkpoints: Vec<(usize, usize)>,
}

impl<'t> CharOffsets<'t> {
    const STEP: usize = 4096;

    fn new(text: &'t str) -> Self {
        let mut checkpoints = vec![(0, 0)];
        let mut chars = 0;
        let mut previous = 0;
        let mut at = Self::STEP;
        while at < text.len() {
            let boundary = floor_char_boundary(text, at);
            chars += text[previous..boundary].chars().count();
            checkpoints.push((boundary, chars));
            previous = boundary;
            at += Self::STEP;
        }
        Self { text, checkpoints }
    }

    fn of(&self, offset: usize) -> usize {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (byte, chars) = self.checkpoints[(offset / Self::STEP).min(self.checkpoints.len() - 1)];
        chars + self.text[byte..offset].chars().count()
    }
}

struct Regions<'a> {
    outcome: &'a Outcome,
    texts: &'a Texts,
    chars: HashMap<FileId, CharOffsets<'a>>,
}

impl<'a> Regions<'a> {
    fn new(outcome: &'a Outcome, texts: &'a Texts) -> Self {
        Self {
            outcome,
            texts,
            chars: HashMap::new(),
        }
    }

    fn artifact(&self, file: FileId) -> ArtifactLocation {
        let (uri, uri_base_id) = artifact_uri(&self.outcome.files[file].display);
        ArtifactLocation { uri, uri_base_id }
    }

    fn char_range(
        &mut self,
        file: FileId,
        span: &std::ops::Range<usize>,
    ) -> Option<(usize, usize)> {
        let texts = self.texts;
        let indexed = texts.get(file)?;
        let chars = self
            .chars
            .entry(file)
            .or_insert_with(|| CharOffsets::new(&indexed.text));
        let start = chars.of(span.start);
        let end = chars.of(span.end.max(span.start));
        Some((start, end - start))
    }

    /// The region of a byte span, with lines and columns when the text is known.
    fn region(&mut self, file: FileId, span: &std::ops::Range<usize>, positions: bool) -> Region {
        let chars = self.char_range(file, span);
        let known = chars.is_some() && positions;
        let (start_line, start_column) = self.texts.position(file, span.start);
        let (end_line, end_column) = self.texts.position(file, span.end.max(span.start));
        Region {
            start_line: known.then_some(start_line),
            start_column: known.then_some(start_column),
            end_line: known.then_some(end_line),
            end_column: known.then_some(end_column),
            char_offset: chars.map(|(offset, _)| offset),
            char_length: chars.map(|(_, length)| length),
            byte_offset: span.start,
            byte_length: span.len(),
        }
    }

    fn location(
        &mut self,
        file: FileId,
        span: &std::ops::Range<usize>,
        id: Option<usize>,
        message: Option<&str>,
    ) -> Location {
        Location {
            id,
            physical_location: PhysicalLocation {
                artifact_location: self.artifact(file),
                region: Some(self.region(file, span, true)),
            },
            message: message.map(|text| Message {
                text: text.to_string(),
            }),
        }
    }
}

fn descriptor(meta: &RuleMeta) -> Descriptor {
    let documentation = meta.documentation();
    let summary = meta.summary();
    Descriptor {
        id: meta.id,
        name: rule_name(meta.id),
        short_description: Message {
            text: if summary.is_empty() {
                meta.id.to_string()
            } else {
                summary
            },
        },
        full_description: Markdown {
            text: documentation.clone(),
            markdown: documentation.clone(),
        },
        help: Markdown {
            text: documentation.clone(),
            markdown: documentation,
        },
        default_configuration: Configuration {
            enabled: meta.default_level != Level::Off,
            level: level(meta.default_level),
        },
        properties: RuleProperties {
            tags: [meta.family.as_str()],
            fix: meta.fix.as_str(),
        },
    }
}

fn fingerprint(key: &Key, ordinal: usize) -> String {
    let mut hash = key.fingerprint();
    if ordinal > 0 {
        let mut salted = Fnv1a::new();
        salted.write(&hash.to_le_bytes());
        salted.write(&(ordinal as u64).to_le_bytes());
        hash = salted.finish();
    }
    format!("{hash:016x}")
}

fn result<'a>(
    regions: &mut Regions<'_>,
    rule_index: Option<usize>,
    diagnostic: &'a Diagnostic,
    fingerprint: String,
) -> SarifResult<'a> {
    let file = diagnostic.file;
    let related_locations = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(index, related)| {
            regions.location(
                related.file,
                &related.span,
                Some(index),
                Some(&related.message),
            )
        })
        .collect();
    let fixes = diagnostic
        .fix
        .iter()
        .filter(|fix| !fix.edits.is_empty())
        .map(|fix| SarifFix {
            description: Message {
                text: diagnostic.help.as_deref().map_or_else(
                    || format!("{} fix", applicability_name(fix.applicability)),
                    str::to_string,
                ),
            },
            artifact_changes: [ArtifactChange {
                artifact_location: regions.artifact(file),
                replacements: fix
                    .edits
                    .iter()
                    .map(|edit| Replacement {
                        deleted_region: regions.region(file, &edit.span, false),
                        inserted_content: Message {
                            text: edit.replacement.to_string(),
                        },
                    })
                    .collect(),
            }],
            properties: FixProperties {
                applicability: fix.applicability,
            },
        })
        .collect();
    SarifResult {
        rule_id: diagnostic.rule,
        rule_index,
        level: level(diagnostic.level),
        message: Message {
            text: diagnostic.message.to_string(),
        },
        locations: [regions.location(file, &diagnostic.span, None, None)],
        related_locations,
        fixes,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        properties: diagnostic
            .entry
            .as_deref()
            .map(|entry| ResultProperties { entry }),
    }
}

fn applicability_name(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    }
}

/// Renders the outcome as one SARIF log.
pub fn render(outcome: &Outcome, texts: &Texts, registry: &Registry) -> String {
    let indexes: HashMap<&str, usize> = registry
        .rules()
        .map(|(index, rule)| (rule.meta().id, index))
        .collect();
    let mut regions = Regions::new(outcome, texts);
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let results = outcome
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let key = Key::of(outcome, diagnostic);
            let fingerprint = {
                let ordinal = seen.entry(key.clone()).or_insert(0);
                let value = fingerprint(&key, *ordinal);
                *ordinal += 1;
                value
            };
            result(
                &mut regions,
                indexes.get(diagnostic.rule).copied(),
                diagnostic,
                fingerprint,
            )
        })
        .collect();
    let notifications = outcome
        .failures
        .iter()
        .map(|failure| {
            let (uri, uri_base_id) = artifact_uri(&failure.path);
            Notification {
                level: "error",
                message: Message {
                    text: format!("cannot read {}: {}", failure.path, failure.message),
                },
                locations: [Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri, uri_base_id },
                        region: None,
                    },
                    message: None,
                }],
            }
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "glosslint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: information_uri(),
                    rules: registry
                        .rules()
                        .map(|(_, rule)| descriptor(rule.meta()))
                        .collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: outcome.failures.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            newline_sequences: ["\r\n", "\n", "\r"],
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("the SARIF log serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(rule_name("duplicate-term"), "DuplicateTerm");
        assert_eq!(rule_name("missing-term"), "MissingTerm");
    }

    #[test]
    fn uris_are_encoded_and_relative_ones_use_the_source_root() {
        assert_eq!(
            artifact_uri("entries/a b/ä:x.md"),
            ("entries/a%20b/%C3%A4%3Ax.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("../x.md"),
            ("../x.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("/tmp/x#1.md"),
            ("file:///tmp/x%231.md".to_string(), None)
        );
        assert_eq!(
            artifact_uri("C:\\g\\x.md"),
            ("file:///C:/g/x.md".to_string(), None)
        );
    }

    #[test]
    fn char_offsets_count_scalar_values_across_checkpoints() {
        let text = "é".repeat(5000) + "abc";
        let offsets = CharOffsets::new(&text);
        assert_eq!(offsets.of(0), 0);
        assert_eq!(offsets.of(2), 1);
        assert_eq!(offsets.of(4097), 2048);
        assert_eq!(offsets.of(4096), 2048);
        assert_eq!(offsets.of(10_000), 5000);
        assert_eq!(offsets.of(10_003), 5003);
        assert_eq!(offsets.of(99_999), 5003);
    }

    #[test]
    fn repeated_keys_get_distinct_stable_fingerprints() {
        let key = Key {
            path: "a.md".into(),
            rule: "duplicate-term".into(),
            entry: Some("acid".into()),
            message: "dup".into(),
        };
        assert_eq!(fingerprint(&key, 0), format!("{:016x}", key.fingerprint()));
        assert_ne!(fingerprint(&key, 0), fingerprint(&key, 1));
        assert_eq!(fingerprint(&key, 1), fingerprint(&key, 1));
    }
}
