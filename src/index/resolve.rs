//! Resolving references (SPEC 2.5) against the corpus index: wiki links by
//! term or alias, paths relative to the linking file, site paths through
//! `[[references.routes]]`, and `#anchor`s by GitHub heading slug. A link never
//! makes glosslint read a file: a path outside the index is only looked up
//! with a metadata call, and only inside the project root.

use std::path::Path;

use super::{Corpus, CorpusIndex, EntryRecord};
use crate::config::references::{AnchorName, Redirect};
use crate::config::{Config, RelativeMode, Route, WikiMode};
use crate::model::{Link, LinkKind};
use crate::normalize::{bounded_edit_distance, edit_distance, heading_key, term_key, DistanceFrom};
use crate::parse::markdown::{github_slug, is_external};

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

/// How many redirects a link may go through.
const MAX_REDIRECTS: usize = 4;

/// How many file names `[[name]]` attachments are looked up among, at most.
const MAX_ATTACHMENTS: usize = 500_000;

/// How many candidate terms a suggestion looks at, at most.
const SUGGESTION_CANDIDATES: usize = 200;

/// How many names (the term, then aliases) of one candidate entry a
/// suggestion weighs: an entry with thousands of aliases would otherwise
/// make every broken reference near them cost thousands of distances.
const SUGGESTION_NAMES_PER_ENTRY: usize = 16;

/// How many known words sharing a [`suggestion_prefix`] a suggestion looks
/// through, at most.
const SUGGESTION_PREFIX_WORDS: usize = 50;

/// The prefix a word of a wanted name shares with the known words a
/// suggestion also weighs: five characters, fewer for a short word (all
/// but its last two, at least two), so that `betta` still meets `beta`.
pub fn suggestion_prefix(word: &str) -> String {
    let length = word.chars().count().saturating_sub(2).clamp(2, 5);
    word.chars().take(length).collect()
}

impl dyn Corpus + '_ {
    /// Resolves `link`, written in the entry `from`, the way `config` says the
    /// site resolves links (`[references]`).
    pub fn resolve(&self, from: usize, link: &Link, config: &Config, root: &Path) -> Target {
        let source = self.record(from);
        let anchor = link.anchor.as_deref();
        match link.kind {
            LinkKind::Wiki if config.references.wiki == WikiMode::File => {
                self.resolve_file_name(from, link, config, root)
            }
            LinkKind::Wiki => {
                let key = term_key(&link.target);
                if key.is_empty() {
                    return self.entry_target(from, anchor, config);
                }
                let found = self.in_namespaces(&source.namespace, config, |namespace| {
                    let key = super::scoped_key(namespace, &key);
                    let found = self.with_term(&key).first().copied();
                    found.or_else(|| self.with_alias(&key).first().copied())
                });
                match found {
                    Some(record) => self.entry_target(record, anchor, config),
                    None => Target::Missing,
                }
            }
            // A file name without case, or an id folded like a term.
            LinkKind::Stem | LinkKind::Id => {
                let by_stem = link.kind == LinkKind::Stem;
                let key = if by_stem {
                    link.target.to_lowercase()
                } else {
                    term_key(&link.target)
                };
                let found = self.in_namespaces(&source.namespace, config, |namespace| {
                    let key = super::scoped_key(namespace, &key);
                    let found = if by_stem {
                        self.with_stem(&key)
                    } else {
                        self.with_id(&key)
                    };
                    found.first().copied()
                });
                match found {
                    Some(record) => self.entry_target(record, anchor, config),
                    None => Target::Missing,
                }
            }
            LinkKind::Path => self.resolve_path(from, &link.target, anchor, config, root, 0),
        }
    }

    /// The site path a path link ends at when it resolves only through
    /// `redirects` (each hop followed), for `redirected-link`; `None` when the
    /// link resolves without one, or not at all.
    pub fn redirected(
        &self,
        from: usize,
        link: &Link,
        config: &Config,
        root: &Path,
    ) -> Option<String> {
        if link.kind != LinkKind::Path || !link.target.starts_with('/') {
            return None;
        }
        let anchor = link.anchor.as_deref();
        let direct = self.resolve_path(from, &link.target, anchor, config, root, MAX_REDIRECTS);
        if direct != Target::Missing {
            return None;
        }
        let mut path = percent_decode(&link.target);
        for hops in 0..MAX_REDIRECTS {
            let next = redirect(&path, &config.references.redirects)?;
            if is_external(&next)
                || self.resolve_path(from, &next, anchor, config, root, MAX_REDIRECTS)
                    != Target::Missing
            {
                return Some(next);
            }
            path = next;
            if hops + 1 == MAX_REDIRECTS {
                return None;
            }
        }
        None
    }

    /// `find` in the linking file's namespace, then in `fallback_namespace`.
    fn in_namespaces(
        &self,
        namespace: &str,
        config: &Config,
        find: impl Fn(&str) -> Option<usize>,
    ) -> Option<usize> {
        find(namespace).or_else(|| {
            config
                .references
                .fallback_namespace
                .as_deref()
                .filter(|fallback| *fallback != namespace)
                .and_then(&find)
        })
    }

    /// A path link: relative to the file (and to its page URL under
    /// `relative = "page"`), or a site path through the routes, the static
    /// folders and then the redirects (followed up to [`MAX_REDIRECTS`] hops).
    fn resolve_path(
        &self,
        from: usize,
        target: &str,
        anchor: Option<&str>,
        config: &Config,
        root: &Path,
        hops: usize,
    ) -> Target {
        // A query (`/docs/reference/glossary/?all=true`) is not part of the page.
        let target = target.split_once('?').map_or(target, |(path, _)| path);
        if target.is_empty() {
            return self.entry_target(from, anchor, config);
        }
        let from_path = self.file_path(self.record(from).file).unwrap_or("");
        let site_path = if target.starts_with('/') {
            Some(target.to_string())
        } else if config.references.relative == RelativeMode::Page {
            page_url(from_path, &config.routes)
                .and_then(|page| normalize(&format!("{page}{target}")))
                .map(|joined| format!("/{joined}"))
        } else {
            None
        };
        let mut candidates = Vec::new();
        if let Some(site) = site_path.as_deref().filter(|_| !target.starts_with('/')) {
            candidates.extend(path_candidates(from_path, site, &config.routes).unwrap_or_default());
        }
        match path_candidates(from_path, target, &config.routes) {
            Some(found) => candidates.extend(found),
            None if candidates.is_empty() => return Target::OutsideRoot,
            None => {}
        }
        for candidate in &candidates {
            let records = self.records_at_path(candidate);
            if let Some(&first) = records.first() {
                let record = match anchor {
                    Some(anchor) => records
                        .iter()
                        .copied()
                        .find(|&record| has_anchor(self.record(record), anchor))
                        .unwrap_or(first),
                    None => first,
                };
                return self.entry_target(record, anchor, config);
            }
        }
        if candidates
            .iter()
            .any(|candidate| root.join(candidate).is_file())
        {
            return Target::File;
        }
        let Some(site) = site_path else {
            return Target::Missing;
        };
        // A page that declares this path among its Hugo `aliases:`.
        if let Some(&record) = self.with_route(&super::route_key(&site)).first() {
            return self.entry_target(record, anchor, config);
        }
        let decoded = percent_decode(&site);
        // A folder is served by its `index.html`.
        let in_static = config.references.static_dirs.iter().any(|dir| {
            normalize(&format!("{dir}/{decoded}")).is_some_and(|path| {
                !path.is_empty()
                    && (root.join(&path).is_file() || root.join(&path).join("index.html").is_file())
            })
        });
        if in_static {
            return Target::File;
        }
        if hops < MAX_REDIRECTS {
            if let Some(next) = redirect(&decoded, &config.references.redirects) {
                // The site answers the path either way: a redirect to a
                // page built from other sources (a blog permalink) counts.
                if is_external(&next) {
                    return Target::File;
                }
                return match self.resolve_path(from, &next, anchor, config, root, hops + 1) {
                    Target::Missing | Target::OutsideRoot => Target::File,
                    found => found,
                };
            }
        }
        Target::Missing
    }

    /// `[[name]]` under `wiki = "file"`: a file name without extension and
    /// without case anywhere under the root, `[[folder/name]]` by the end of
    /// its path, else any file of that name (an attachment).
    fn resolve_file_name(&self, from: usize, link: &Link, config: &Config, root: &Path) -> Target {
        let anchor = link.anchor.as_deref();
        let wanted = link.target.trim().trim_end_matches(".md").to_lowercase();
        if wanted.is_empty() {
            return self.entry_target(from, anchor, config);
        }
        if wanted.contains('/') {
            let suffix = format!("/{}", wanted.trim_start_matches('/'));
            let found = (0..self.file_count())
                .filter_map(|file| self.file_path(file))
                .find(|path| {
                    let bare = path.trim_end_matches(".md").to_lowercase();
                    bare == suffix[1..] || bare.ends_with(&suffix)
                });
            if let Some(&record) = found
                .and_then(|path| self.records_at_path(path).first().copied())
                .as_ref()
            {
                return self.entry_target(record, anchor, config);
            }
        } else {
            let key = super::scoped_key(&self.record(from).namespace, &wanted);
            if let Some(&record) = self.with_stem(&key).first() {
                return self.entry_target(record, anchor, config);
            }
        }
        let name = link.target.trim().to_lowercase();
        if self.attachments(root).contains(&name) {
            Target::File
        } else {
            Target::Missing
        }
    }

    /// An Obsidian block reference (`[[name#^block]]`) names a block, not a
    /// heading: it is not checked.
    fn entry_target(&self, record: usize, anchor: Option<&str>, config: &Config) -> Target {
        let anchor_found = anchor
            .filter(|anchor| !anchor.is_empty() && !anchor.starts_with('^'))
            .map(|anchor| {
                has_anchor(self.record(record), anchor)
                    || self.has_page_anchor(record, anchor, config)
            });
        Target::Entry {
            record,
            anchor_found,
        }
    }

    /// Whether `anchor` is one that a `[[references.anchors]]` page renders
    /// for an entry of its folder, asked of that page or of an entry of that
    /// folder (its text is shown on the page, so its own `#term-x` links
    /// land there): the entry named must exist in that folder, in the
    /// record's namespace.
    fn has_page_anchor(&self, record: usize, anchor: &str, config: &Config) -> bool {
        let source = self.record(record);
        let Some(path) = self.file_path(source.file) else {
            return false;
        };
        let in_folder = |path: &str, folder: &str| {
            path.strip_prefix(folder)
                .is_some_and(|name| !name.is_empty() && !name.contains('/'))
        };
        config.references.anchor_pages.iter().any(|page| {
            let folder = page.folder();
            if path != &*page.page && !in_folder(path, folder) {
                return false;
            }
            let Some(name) = page.name_in(anchor) else {
                return false;
            };
            let found = match page.name {
                AnchorName::Id => {
                    self.with_id(&super::scoped_key(&source.namespace, &term_key(name)))
                }
                AnchorName::Stem => {
                    self.with_stem(&super::scoped_key(&source.namespace, &name.to_lowercase()))
                }
            };
            found.iter().any(|&entry| {
                self.file_path(self.record(entry).file)
                    .is_some_and(|path| in_folder(path, folder) && path != &*page.page)
            })
        })
    }

    /// Up to three existing names (terms or aliases) nearest to `wanted`,
    /// looked up through the word index (whole words, then words sharing a
    /// [`suggestion_prefix`]), bounded to [`SUGGESTION_CANDIDATES`] entries
    /// and [`SUGGESTION_NAMES_PER_ENTRY`] names of each. Only entries in
    /// `namespaces` are named (the linking file's and the fallback namespace:
    /// the ones its links resolve in), so a Hindi link is never offered a
    /// Bengali term; and only names that share a word with `wanted` or lie
    /// within a third of its length in edits.
    pub fn suggest_terms(&self, wanted: &str, namespaces: &[&str]) -> Vec<&str> {
        let key = term_key(wanted);
        let in_scope = |record: &&usize| namespaces.contains(&&*self.record(**record).namespace);
        let mut candidates: Vec<usize> = Vec::new();
        for word in key.split(' ').filter(|word| !word.is_empty()) {
            candidates.extend(
                self.with_word(word)
                    .iter()
                    .filter(in_scope)
                    .take(SUGGESTION_CANDIDATES),
            );
            let prefix = suggestion_prefix(word);
            for known in self.words_with_prefix(&prefix, SUGGESTION_PREFIX_WORDS) {
                candidates.extend(
                    self.with_word(&known)
                        .iter()
                        .filter(in_scope)
                        .take(SUGGESTION_CANDIDATES / 10),
                );
            }
            if candidates.len() >= SUGGESTION_CANDIDATES {
                break;
            }
        }
        candidates.sort_unstable_by_key(|&record| self.position(record));
        candidates.dedup();
        candidates.truncate(SUGGESTION_CANDIDATES);
        // Keep the three best. The distance from an ASCII name of up to 64
        // bytes is bit-parallel, a step per byte of the candidate; for other
        // names, a candidate further than the third best so far is abandoned
        // part-way through its table.
        let mut ranked: Vec<(usize, &str)> = Vec::new();
        let from = DistanceFrom::new(&key);
        for &record in &candidates {
            let record = self.record(record);
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
                // A name sharing no word with the one wanted, and far from
                // it, is no suggestion (`monolithic apps` is not `API 网关`).
                let near = distance * 3 <= key.chars().count()
                    || name_key.split(' ').any(|word| {
                        !word.is_empty() && key.split(' ').any(|wanted| wanted == word)
                    });
                if !near {
                    continue;
                }
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
        let mut ranked: Vec<(usize, &str)> = self
            .record(record)
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

/// The same questions of the in-memory index (the editor's, `--changed-since`).
impl CorpusIndex {
    /// See [`Corpus::resolve`](../query/trait.Corpus.html).
    pub fn resolve(&self, from: usize, link: &Link, config: &Config, root: &Path) -> Target {
        (self as &dyn Corpus).resolve(from, link, config, root)
    }

    /// Where a redirected site path ends (see the `dyn Corpus` method).
    pub fn redirected(
        &self,
        from: usize,
        link: &Link,
        config: &Config,
        root: &Path,
    ) -> Option<String> {
        (self as &dyn Corpus).redirected(from, link, config, root)
    }

    /// Up to three names nearest to `wanted` (see the `dyn Corpus` method).
    pub fn suggest_terms(&self, wanted: &str, namespaces: &[&str]) -> Vec<&str> {
        (self as &dyn Corpus).suggest_terms(wanted, namespaces)
    }

    /// Up to three anchors of `record` nearest to `wanted`.
    pub fn suggest_anchors(&self, record: usize, wanted: &str) -> Vec<&str> {
        (self as &dyn Corpus).suggest_anchors(record, wanted)
    }
}

/// The name a broken link was probably after, for [`CorpusIndex::suggest_terms`]:
/// a wiki link's target, or a path's last part read as words.
pub fn suggestion_query(link: &Link) -> String {
    match link.kind {
        LinkKind::Wiki => link.target.clone(),
        LinkKind::Path => path_stem(&link.target).replace(['-', '_'], " "),
        LinkKind::Stem | LinkKind::Id => link.target.replace(['-', '_'], " "),
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

/// The first redirect rule that matches `site_path`, and where it leads.
fn redirect(site_path: &str, rules: &[Redirect]) -> Option<String> {
    rules.iter().find_map(|rule| rule.apply(site_path))
}

/// The URL folder of the page built from `file` (Hugo pretty URLs), with a
/// trailing `/` and no leading one: `content/tr/a.md` under the route
/// `/tr/` → `content/tr` is `tr/a/`; `x/_index.md` is `x/`.
fn page_url(file: &str, routes: &[Route]) -> Option<String> {
    let route = routes
        .iter()
        .filter(|route| {
            let dir = route.dir.trim_matches('/');
            dir.is_empty() || file.starts_with(&format!("{dir}/"))
        })
        .max_by_key(|route| route.dir.trim_matches('/').len());
    let (prefix, rest) = match route {
        Some(route) => {
            let dir = route.dir.trim_matches('/');
            let rest = if dir.is_empty() {
                file
            } else {
                &file[dir.len() + 1..]
            };
            (route.prefix.trim_matches('/').to_string(), rest)
        }
        None => (String::new(), file),
    };
    let rest = rest.strip_suffix(".md").unwrap_or(rest);
    let rest = ["_index", "index"]
        .iter()
        .find_map(|name| {
            if rest == *name {
                Some("")
            } else {
                rest.strip_suffix(&format!("/{name}"))
            }
        })
        .unwrap_or(rest);
    let joined = normalize(&format!("{prefix}/{rest}"))?;
    Some(if joined.is_empty() {
        joined
    } else {
        format!("{joined}/")
    })
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
pub(crate) fn percent_decode(text: &str) -> String {
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

/// The names (lowercase, and with their path under the root) of every
/// file under `root` outside hidden folders, at most [`MAX_ATTACHMENTS`] of
/// them: what `[[attachment.png]]` may name (each corpus finds them once, at
/// the first link that needs them).
pub(crate) fn attachments_under(root: &Path) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(items) = std::fs::read_dir(&folder) else {
            continue;
        };
        for item in items.filter_map(Result::ok) {
            let name = item.file_name().to_string_lossy().to_lowercase();
            if name.starts_with('.') || name == "node_modules" {
                continue;
            }
            match item.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(item.path()),
                Ok(_) => {
                    if let Ok(relative) = item.path().strip_prefix(root) {
                        let relative = relative.to_string_lossy().replace('\\', "/");
                        names.insert(relative.to_lowercase());
                    }
                    names.insert(name);
                }
                Err(_) => {}
            }
            if names.len() >= MAX_ATTACHMENTS {
                return names;
            }
        }
    }
    names
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
    fn page_urls_follow_hugo_pretty_urls() {
        let routes = [
            Route {
                prefix: "/".into(),
                dir: "content/en".into(),
            },
            Route {
                prefix: "/tr/".into(),
                dir: "content/tr".into(),
            },
        ];
        assert_eq!(
            page_url("content/tr/kubernetes.md", &routes).as_deref(),
            Some("tr/kubernetes/")
        );
        assert_eq!(
            page_url("content/en/docs/_index.md", &routes).as_deref(),
            Some("docs/")
        );
        assert_eq!(page_url("notes/a.md", &[]).as_deref(), Some("notes/a/"));
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
