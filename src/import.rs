//! `glosslint import`: split dump files into one entry file each, bodies byte for
//! byte, with `term` and `tags` from the header as front matter.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::load::SourceText;
use crate::parse::dump::parse_dump;

/// One file `import` writes.
#[derive(Debug, PartialEq, Eq)]
pub struct Planned {
    /// Where.
    pub path: PathBuf,
    /// The entry's term.
    pub term: String,
    /// The whole file.
    pub contents: Vec<u8>,
}

/// What `import` found in one dump besides entries.
#[derive(Debug, PartialEq, Eq)]
pub struct Leftover {
    /// The dump.
    pub dump: String,
    /// The text before the first header, which belongs to no entry.
    pub text: String,
}

/// Plans the files for `dumps`, giving every entry a slug no other entry has.
/// `dumps` are the raw bytes of each dump with its name; bodies are copied from
/// those bytes, so even bytes that are not UTF-8 survive the import.
pub fn plan(dumps: &[(String, Vec<u8>)], out: &Path) -> (Vec<Planned>, Vec<Leftover>) {
    let mut used: HashSet<String> = HashSet::new();
    let mut planned = Vec::new();
    let mut leftovers = Vec::new();
    for (name, raw) in dumps {
        let source = SourceText::from_bytes(raw.clone());
        let text = source.text.as_str();
        let parsed = parse_dump(text);
        for problem in &parsed.problems {
            leftovers.push(Leftover {
                dump: name.clone(),
                text: text[problem.span.clone()].to_string(),
            });
        }
        for entry in &parsed.entries {
            let term = entry.term.as_ref().map_or("", |term| term.value.as_str());
            let base = slug(term);
            let mut candidate = base.clone();
            let mut counter = 2;
            while !used.insert(candidate.clone()) {
                candidate = format!("{base}-{counter}");
                counter += 1;
            }
            let mut contents = String::from("---\n");
            let _ = writeln!(contents, "term: {}", yaml_string(term));
            if !entry.tags.is_empty() {
                let tags: Vec<String> = entry
                    .tags
                    .iter()
                    .map(|tag| yaml_string(&tag.value))
                    .collect();
                let _ = writeln!(contents, "tags: [{}]", tags.join(", "));
            }
            contents.push_str("---\n");
            let mut bytes = contents.into_bytes();
            bytes.extend_from_slice(&raw[entry.body.span.clone()]);
            planned.push(Planned {
                path: out.join(format!("{candidate}.md")),
                term: term.to_string(),
                contents: bytes,
            });
        }
    }
    (planned, leftovers)
}

/// A double-quoted YAML scalar (JSON string syntax is valid YAML).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

/// The longest slug, in bytes: with a `-N` counter and `.md` a file name
/// stays far below the 255 bytes file systems allow (a 300-character term
/// made `import` fail part-way with "file name too long").
pub const MAX_SLUG_BYTES: usize = 100;

/// A file name for a term: lowercase ASCII letters and digits, `-` between
/// words, cut after the last whole word that fits [`MAX_SLUG_BYTES`].
pub fn slug(term: &str) -> String {
    let mut slug = String::new();
    for ch in term.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if slug.len() > MAX_SLUG_BYTES {
        // ASCII only, so any byte is a char boundary.
        let cut = match slug[..=MAX_SLUG_BYTES].rfind('-') {
            Some(at) if at > 0 => at,
            _ => MAX_SLUG_BYTES,
        };
        slug.truncate(cut);
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        slug.push_str("entry");
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_never_collide_and_bodies_are_kept() {
        let dump = "acid neutralization, env\nBody one.\nacid neutralization,facility\nBody two.\n";
        let (planned, leftovers) = plan(
            &[("d.txt".into(), dump.as_bytes().to_vec())],
            Path::new("out"),
        );
        assert!(leftovers.is_empty());
        let names: Vec<_> = planned
            .iter()
            .map(|p| p.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["out/acid-neutralization.md", "out/acid-neutralization-2.md"]
        );
        let second = String::from_utf8(planned[1].contents.clone()).unwrap();
        assert_eq!(
            second,
            "---\nterm: \"acid neutralization\"\ntags: [\"facility\"]\n---\nBody two.\n"
        );
    }

    #[test]
    fn slug_folds_punctuation() {
        assert_eq!(
            slug("Action-Conditional Video (AI)"),
            "action-conditional-video-ai"
        );
        assert_eq!(slug("√"), "entry");
    }

    #[test]
    fn long_terms_get_short_distinct_slugs() {
        let words = "word ".repeat(60);
        assert_eq!(slug(&words).len(), 99);
        assert!(slug(&words).ends_with("-word"));
        let one_word = "x".repeat(300);
        assert_eq!(slug(&one_word), "x".repeat(MAX_SLUG_BYTES));
        let dump = format!("{words}a, t\nOne.\n{words}b, t\nTwo.\n");
        let (planned, _) = plan(&[("d.txt".into(), dump.into_bytes())], Path::new("out"));
        let names: Vec<String> = planned
            .iter()
            .map(|file| {
                file.path
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names[1], names[0].replace(".md", "-2.md"));
        assert!(names.iter().all(|name| name.len() < 120), "{names:?}");
    }
}
