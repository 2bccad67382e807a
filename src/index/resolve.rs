//! Resolving references (SPEC 2.5) against the corpus index: wiki links by
//! term or alias, paths relative to the linking file, site paths through
//! `[[references.routes]]`, and `#anchor`s by GitHub heading slug. A link never
//! makes glosslint read a file: a path outside the index is only looked up
//! with a metadata call, and only inside the project root.

use std::path::Path;

use super::{CorpusIndex, EntryRecord};
use crate::config::Route;
use crate::model::{Link, LinkKind};
use crate::normalize::{bounded_edit_distance, edit_distance, heading_key, term_key, DistanceFrom};
use crate::parse::markdown::github_slug;

/// Where a reference leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An entry (a record index); `anchor_found` is `None` without an anchor.
    Entry {
        record: usize,
        anchor_found: Option<bool>,
    },
    /// A file inside the root that is not an entry (an image, a section page).
    File,
    /// Nothing.
    Missing,
    /// A path that climbs out of the project root.
    OutsideRoot,
}

/// How many candidate terms a suggestion looks at, at most.
const SUGGESTION_CANDIDATES: usize = 200;

/// How many names (the term, then aliases) of one candidate entry a
/// suggestion weighs: an entry with thousands of aliases would otherwise
/// make every broken reference near them cost thousands of distances.
const SUGGESTION_NAMES_PER_ENTRY: usize = 16;

/// The prefix a word of a wanted name shares with the known words a
/// suggestion also weighs: five characters, fewer for a short word (all
/// but its last two, at least two), so that `betta` still meets `beta`.
pub fn suggestion_prefix(word: &str) -> String {
    let length = word.chars().count().saturating_sub(2).clamp(2, 5);
    word.chars().take(length).collect()
}

impl CorpusIndex {
    /// Resolves `link`, written in the entry `from`.
    pub fn resolve(&self, from: usize, link: &Link, routes: &[Route], root: &Path) -> Target {
        let source = &self.entries[from];
        match link.kind {
            LinkKind::Wiki => {
                let key = super::scoped_key(&source.namespace, &term_key(&link.target));
                let found = if key.is_empty() {
                    Some(from)
                } else {
                    self.by_term
                        .get(&key)
                        .or_else(|| self.by_alias.get(&key))
                        .and_then(|records| records.first().copied())
                };
                match found {
                    Some(record) => self.entry_target(record, link.anchor.as_deref()),
                    None => Target::Missing,
                }
            }
            LinkKind::Path => {
                let from_path = self
                    .file_paths
                    .get(source.file)
                    .map_or("", |path| path.as_ref());
                let candidates = match path_candidates(from_path, &link.target, routes) {
                    Some(candidates) => candidates,
                    None => return Target::OutsideRoot,
                };
                if link.target.is_empty() {
                    return self.entry_target(from, link.anchor.as_deref());
                }
                for candidate in &candidates {
                    if let Some(records) = self.by_path.get(candidate.as_str()) {
                        let record = match &link.anchor {
                            Some(anchor) => records
                                .iter()
                                .copied()
                                .find(|&record| has_anchor(&self.entries[record], anchor))
                                .unwrap_or(records[0]),
                            None => records[0],
                        };
                        return self.entry_target(record, link.anchor.as_deref());
                    }
                }
                if candidates
                    .iter()
                    .any(|candidate| root.join(candidate).is_file())
                {
                    Target::File
                } else {
                    Target::Missing
                }
            }
        }
    }

    fn entry_target(&self, record: usize, anchor: Option<&str>) -> Target {
        let anchor_found = anchor
            .filter(|anchor| !anchor.is_empty())
            .map(|anchor| has_anchor(&self.entries[record], anchor));
        Target::Entry {
            record,
            anchor_found,
        }
    }

    /// Up to three existing names (terms or aliases) nearest to `wanted`,
    /// looked up through the word index (whole words, then words sharing a
    /// [`suggestion_prefix`]), bounded to [`SUGGESTION_CANDIDATES`] entries
    /// and [`SUGGESTION_NAMES_PER_ENTRY`] names of each.
    pub fn suggest_terms(&self, wanted: &str) -> Vec<&str> {
        let key = term_key(wanted);
        let mut candidates: Vec<usize> = Vec::new();
        for word in key.split(' ').filter(|word| !word.is_empty()) {
            if let Some(records) = self.by_word.get(word) {
                candidates.extend(records.iter().take(SUGGESTION_CANDIDATES));
            }
            let prefix = suggestion_prefix(word);
            let start = self
                .words
                .partition_point(|known| known.as_str() < prefix.as_str());
            for known in self.words[start..]
                .iter()
                .take_while(|known| known.starts_with(&prefix))
                .take(50)
            {
                candidates.extend(self.by_word[known].iter().take(SUGGESTION_CANDIDATES / 10));
            }
            if candidates.len() >= SUGGESTION_CANDIDATES {
                break;
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.truncate(SUGGESTION_CANDIDATES);
        // Keep the three best. The distance from an ASCII name of up to 64
        // bytes is bit-parallel, a step per byte of the candidate; for other
        // names, a candidate further than the third best so far is abandoned
        // part-way through its table.
        let mut ranked: Vec<(usize, &str)> = Vec::new();
        let from = DistanceFrom::new(&key);
        for &record in &candidates {
            let record = &self.entries[record];
            let term = record.term.as_ref().zip(record.term_key.as_ref());
            let names = term
                .map(|(term, term_key)| (term_key.as_str(), term.value.as_ref()))
                .into_iter()
                .chain(
                    record
                        .aliases
                        .iter()
                        .map(|(alias, alias_key)| (alias_key.as_str(), alias.value.as_str())),
                )
                .take(SUGGESTION_NAMES_PER_ENTRY);
            for (name_key, name) in names {
                let limit = if ranked.len() < 3 {
                    usize::MAX
                } else {
                    ranked[2].0
                };
                let name_key = super::unscoped_key(name_key);
                let distance = match from.as_ref().and_then(|from| from.to(name_key)) {
                    Some(distance) => Some(distance).filter(|&distance| distance <= limit),
                    None => bounded_edit_distance(&key, name_key, limit),
                };
                let Some(distance) = distance else {
                    continue;
                };
                if !ranked.iter().any(|(_, known)| *known == name) {
                    ranked.push((distance, name));
                    ranked.sort_unstable();
                    ranked.truncate(3);
                }
            }
        }
        ranked.into_iter().map(|(_, name)| name).collect()
    }

    /// Up to three anchors of `record` nearest to `wanted`.
    pub fn suggest_anchors(&self, record: usize, wanted: &str) -> Vec<&str> {
        let slug = github_slug(wanted);
        let mut ranked: Vec<(usize, &str)> = self.entries[record]
            .anchors
            .iter()
            .map(|anchor| (edit_distance(&slug, anchor), anchor.as_str()))
            .collect();
        ranked.sort_unstable();
        ranked
            .into_iter()
            .take(3)
            .map(|(_, anchor)| anchor)
            .collect()
    }
}

/// The name a broken link was probably after, for [`CorpusIndex::suggest_terms`]:
/// a wiki link's target, or a path's last part read as words.
pub fn suggestion_query(link: &Link) -> String {
    match link.kind {
        LinkKind::Wiki => link.target.clone(),
        LinkKind::Path => path_stem(&link.target).replace('-', " "),
    }
}

/// A path's last part without `.md`: `../b/learning-rate.md` gives
/// `learning-rate`.
pub fn path_stem(target: &str) -> &str {
    target
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md")
}

/// Whether `record` has a heading answering `anchor`: by GitHub slug, or, for
/// `[[term#Heading]]`, by the heading text itself.
fn has_anchor(record: &EntryRecord, anchor: &str) -> bool {
    let slug = github_slug(anchor);
    let wanted = heading_key(&anchor.replace('-', " "));
    record.anchors.iter().any(|candidate| {
        *candidate == slug
            || *candidate == anchor
            || heading_key(&candidate.replace('-', " ")) == wanted
    })
}

/// The root-relative files a path link may mean, or `None` if it climbs out of
/// the root. Relative paths start from the linking file's folder; site paths
/// (`/...`) go through the longest matching route.
pub fn path_candidates(from: &str, target: &str, routes: &[Route]) -> Option<Vec<String>> {
    let target = percent_decode(target);
    let (base, rest): (String, &str) = if let Some(site) = target.strip_prefix('/') {
        let route = routes
            .iter()
            .filter(|route| {
                target.starts_with(route.prefix.as_str()) || format!("{target}/") == route.prefix
            })
            .max_by_key(|route| route.prefix.len());
        match route {
            Some(route) => {
                let rest = target.get(route.prefix.len()..).unwrap_or("");
                (route.dir.trim_matches('/').to_string(), rest)
            }
            None => (String::new(), site),
        }
    } else {
        let folder = from.rsplit_once('/').map_or("", |(folder, _)| folder);
        (folder.to_string(), target.as_str())
    };
    let joined = normalize(&format!("{base}/{rest}"))?;
    let trimmed = joined.trim_end_matches('/');
    let mut candidates = vec![trimmed.to_string()];
    if !trimmed.ends_with(".md") {
        let prefix = if trimmed.is_empty() {
            String::new()
        } else {
            format!("{trimmed}/")
        };
        if !trimmed.is_empty() {
            candidates.push(format!("{trimmed}.md"));
        }
        candidates.push(format!("{prefix}index.md"));
        candidates.push(format!("{prefix}_index.md"));
    }
    Some(candidates)
}

/// Resolves `.` and `..` in a `/`-separated path; `None` past the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `%20` and friends decoded; invalid escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            if let Some(value) = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                out.push(value);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes() -> Vec<Route> {
        vec![
            Route {
                prefix: "/".into(),
                dir: "content/en".into(),
            },
            Route {
                prefix: "/es/".into(),
                dir: "content/es".into(),
            },
        ]
    }

    #[test]
    fn relative_paths_and_climbing_out() {
        assert_eq!(
            path_candidates("a/b/c.md", "../d.md", &[]).unwrap(),
            ["a/d.md"]
        );
        assert_eq!(path_candidates("c.md", "../../etc/passwd", &[]), None);
        assert_eq!(
            path_candidates("a/c.md", "my%20file.md", &[]).unwrap(),
            ["a/my file.md"]
        );
    }

    #[test]
    fn site_paths_take_the_longest_route() {
        let candidates = path_candidates("content/es/x.md", "/es/servicio/", &routes()).unwrap();
        assert_eq!(
            candidates,
            [
                "content/es/servicio",
                "content/es/servicio.md",
                "content/es/servicio/index.md",
                "content/es/servicio/_index.md"
            ]
        );
        let candidates = path_candidates("content/es/x.md", "/service/", &routes()).unwrap();
        assert_eq!(candidates[1], "content/en/service.md");
        let candidates = path_candidates("content/es/x.md", "/es/", &routes()).unwrap();
        assert_eq!(
            candidates,
            [
                "content/es",
                "content/es.md",
                "content/es/index.md",
                "content/es/_index.md"
            ]
        );
    }
}
