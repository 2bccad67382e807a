//! A staged run answered from the corpus snapshot (`index.bin`) reports
//! exactly what a run over the whole corpus without any cache reports, for
//! every way a staged entry can relate to the others; and it reads neither
//! the per-file cache nor the unchanged entries.

mod common;

use std::path::Path;

use assert_cmd::Command;
use proptest::prelude::*;

fn json(dir: &Path, args: &[&str]) -> String {
    in_format(dir, "json", args)
}

fn in_format(dir: &Path, format: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .args(["check", "--color", "never", "--quiet", "--format", format])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|code| code <= 1), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

const CONFIG: &str = "[files]\nentries = [\"entries/**/*.md\"]\n\n[rules]\nboilerplate = { level = \"warning\", min-entries = 2 }\n";

fn entry(term: &str, extra: &str, body: &str) -> String {
    format!("---\nterm: \"{term}\"\n{extra}---\n{body}\n")
}

const FILLER: &str =
    "This definition follows the house style guide and was reviewed by the editors.";

/// A corpus whose entries share names, plurals, aliases, boilerplate and links.
fn corpus() -> tempfile::TempDir {
    common::project(&[
        ("glosslint.toml", CONFIG.to_string()),
        (
            "entries/a/anchor-point.md",
            entry(
                "anchor point",
                "",
                &format!("## Usage\n\nSee [[gradient step]] and [[gradient steps]].\n\n{FILLER}"),
            ),
        ),
        (
            "entries/a/gradient-step.md",
            entry(
                "gradient step",
                "aliases: [\"descent step\"]\n",
                "Links [the anchor](anchor-point.md#usage) and [[anchor point#Usage]].",
            ),
        ),
        (
            "entries/b/gradient-steps.md",
            entry("gradient steps", "", &format!("Plural twin.\n\n{FILLER}")),
        ),
        (
            "entries/b/learning-rate.md",
            entry(
                "learning rate",
                "",
                "See [[learning rates]], [[gradient stpe]] and [x](../a/missing.md).",
            ),
        ),
        (
            "entries/b/learning-rate-2.md",
            entry(
                "learning rate",
                "aliases: [\"step size\"]\n",
                "A twin term.",
            ),
        ),
    ])
}

/// Runs `staged` against the snapshot left by a full run, after `edit`, and
/// checks it against `--no-cache`; returns whether the snapshot answered.
fn staged_equals_full(dir: &Path, staged: &[&str]) -> bool {
    let cache = dir.join(".glosslint_cache");
    // Without the per-file cache a run over the whole index rewrites it: a
    // run answered from the snapshot does not look at it. Nor is the run
    // answered from the last run's findings.
    std::fs::remove_file(cache.join("cache.bin")).unwrap();
    let _ = std::fs::remove_file(cache.join("run.bin"));
    let answered = json(dir, staged);
    let from_snapshot = !cache.join("cache.bin").exists();
    let full = json(dir, &[&["--no-cache"], staged].concat());
    assert_eq!(answered, full, "staged {staged:?}");
    // Leave the caches as a full run writes them, for the next case.
    json(dir, &[]);
    from_snapshot
}

fn write(dir: &Path, path: &str, text: &str) {
    std::fs::write(dir.join(path), text).unwrap();
}

#[test]
fn every_relation_of_a_staged_entry_is_judged_as_in_a_full_run() {
    let dir = corpus();
    let root = dir.path();
    json(root, &[]);
    assert!(root.join(".glosslint_cache/index.bin").exists());
    // Unchanged, then edited in each way that relates it to other entries.
    let edits: [(&str, String); 8] = [
        (
            "entries/b/learning-rate.md",
            entry("learning rate", "", "Now [[learning rate]] links itself."),
        ),
        (
            "entries/b/learning-rate.md",
            entry("gradient step", "", "Now a duplicate of another term."),
        ),
        (
            "entries/b/learning-rate.md",
            entry("anchor points", "", "Now the plural of another term."),
        ),
        (
            "entries/b/learning-rate.md",
            entry("rate", "aliases: [\"descent step\"]\n", "An alias taken."),
        ),
        (
            "entries/b/learning-rate.md",
            entry("rate", "", &format!("Pasted filler.\n\n{FILLER}")),
        ),
        (
            "entries/b/learning-rate.md",
            entry(
                "rate",
                "",
                "[a](../a/anchor-point.md#nope), [b](../a/gradient-step), [[anchor pint]].",
            ),
        ),
        (
            "entries/a/gradient-step.md",
            entry(
                "gradient step",
                "",
                "The alias dropped: [[descent step]] breaks.",
            ),
        ),
        (
            "entries/b/gradient-steps.md",
            entry("gradient steps", "", "No filler any more."),
        ),
    ];
    for (path, text) in &edits {
        write(root, path, text);
        assert!(staged_equals_full(root, &[path]), "{path}: {text}");
    }
    // Every format draws the same report from the snapshot's answer.
    let staged = "entries/b/learning-rate.md";
    for format in ["fancy", "sarif", "github", "junit", "concise"] {
        let cache = root.join(".glosslint_cache");
        std::fs::remove_file(cache.join("cache.bin")).unwrap();
        let _ = std::fs::remove_file(cache.join("run.bin"));
        let answered = in_format(root, format, &[staged]);
        assert!(
            !cache.join("cache.bin").exists(),
            "{format}: from the snapshot"
        );
        let full = in_format(root, format, &["--no-cache", staged]);
        assert_eq!(answered, full, "{format}");
        assert!(
            answered.contains("learning-rate.md"),
            "{format}: {answered}"
        );
        json(root, &[]);
    }
    // An entry changed but not staged is judged fresh; a new file joins.
    write(
        root,
        "entries/a/anchor-point.md",
        &entry("learning rate", "", "Changed, not staged."),
    );
    write(
        root,
        "entries/b/new.md",
        &entry("rate", "", "New, staged, and [[learning rate]] again."),
    );
    assert!(staged_equals_full(root, &["entries/b/new.md"]));
    // A removed file leaves the corpus.
    std::fs::remove_file(root.join("entries/b/learning-rate-2.md")).unwrap();
    assert!(staged_equals_full(root, &["entries/b/new.md"]));
}

/// A project of `files` under `config` whose `entries/b/staged.md` (one of
/// `files`) is then staged with a body of `links`: checks the staged run
/// against `--no-cache` and returns its findings.
fn staged_links(config: String, files: &[(&str, String)], links: &str) -> String {
    let config = [("glosslint.toml", config)];
    let dir = common::project(&[&config[..], files].concat());
    let root = dir.path();
    json(root, &[]);
    write(root, "entries/b/staged.md", &entry("staged", "", links));
    assert!(staged_equals_full(root, &["entries/b/staged.md"]));
    json(root, &["entries/b/staged.md"])
}

#[test]
fn file_name_targets_are_answered_from_the_snapshot() {
    // `[[references.patterns]]` with a `stem` group (Hugo's `term_id`), and
    // `wiki = "file"` (Obsidian): both find an unchanged entry by its file
    // name, which only the snapshot's table of file names holds.
    let pattern =
        "[[references.patterns]]\nname = \"tip\"\nregex = '\\{\\{tip (?P<stem>[a-z-]+)\\}\\}'\n";
    for wiki in ["", "wiki = \"file\"\n"] {
        let found = staged_links(
            format!("{CONFIG}\n[references]\n{wiki}\n{pattern}"),
            &[
                (
                    "entries/a/gradient-step.md",
                    entry("gradient step", "", "A step."),
                ),
                ("entries/b/setup.md", entry("setup one", "", "One.")),
                ("entries/c/setup.md", entry("setup two", "", "Two.")),
                ("entries/b/staged.md", entry("staged", "", "Nothing yet.")),
            ],
            "Uses {{tip gradient-step}}, {{tip no-such-file}} and [[setup]], [[gradient-step]].",
        );
        assert!(found.contains("no-such-file"), "{found}");
        assert!(!found.contains("`gradient-step` resolves"), "{found}");
    }
}

#[test]
fn ids_routes_and_page_anchors_are_answered_from_the_snapshot() {
    // `[entries] id_field` with a pattern's `id` group, Hugo `aliases:`
    // routes (a query dropped), and a `[[references.anchors]]` page: each
    // finds an unchanged entry only the snapshot's tables hold.
    let found = staged_links(
        format!(
            "{CONFIG}\n[entries]\nid_field = \"id\"\n\n[references]\n\n[[references.patterns]]\nname = \"tip\"\nregex = '\\{{\\{{tip (?P<id>[a-z-]+)\\}}\\}}'\n\n[[references.anchors]]\npage = \"entries/g/index.md\"\nanchor = \"term-{{id}}\"\n"
        ),
        &[
            ("entries/g/index.md", entry("glossary", "", "Every term.")),
            (
                "entries/g/gradient-step.md",
                entry(
                    "gradient step",
                    "id: grad-step\naliases: [\"/old/gradient-step/\"]\n",
                    "A step.",
                ),
            ),
            ("entries/b/staged.md", entry("staged", "", "Nothing yet.")),
        ],
        "Uses {{tip grad-step}}, {{tip no-such-id}}, [o](/old/gradient-step/?x=1), \
         [g](/old/missing/), [a](../g/index.md#term-grad-step) and [b](../g/index.md#term-nope).",
    );
    for broken in ["no-such-id", "/old/missing/", "term-nope"] {
        assert!(found.contains(broken), "{broken}: {found}");
    }
    for resolved in ["grad-step`", "/old/gradient-step/", "term-grad-step"] {
        assert!(!found.contains(resolved), "{resolved}: {found}");
    }
}

#[test]
fn related_entries_are_listed_in_corpus_order_whichever_file_changed() {
    // The alias is the term of an unchanged entry and of one changed since
    // the snapshot (the overlay numbers changed files' records first).
    let dir = common::project(&[
        ("glosslint.toml", CONFIG.to_string()),
        ("entries/e0.md", entry("grad", "", "Body.")),
        ("entries/e1.md", entry("grads", "", "Body.")),
        ("entries/e2.md", entry("grad", "", "Body.")),
    ]);
    let root = dir.path();
    json(root, &[]);
    write(
        root,
        "entries/e0.md",
        &entry("grad", "aliases: [\"grads\"]\n", "Body."),
    );
    write(root, "entries/e2.md", &entry("grads", "", "Body."));
    assert!(staged_equals_full(root, &["entries/e0.md"]));
}

#[test]
fn a_corrupt_or_foreign_snapshot_leaves_the_run_to_the_full_index() {
    let dir = corpus();
    let root = dir.path();
    json(root, &[]);
    let snapshot = root.join(".glosslint_cache/index.bin");
    let bytes = std::fs::read(&snapshot).unwrap();
    write(
        root,
        "entries/b/learning-rate.md",
        &entry("gradient step", "", "A duplicate."),
    );
    for broken in [
        bytes[..bytes.len() / 2].to_vec(),
        bytes.iter().map(|byte| byte ^ 0x5a).collect(),
        Vec::new(),
    ] {
        std::fs::write(&snapshot, broken).unwrap();
        assert!(!staged_equals_full(root, &["entries/b/learning-rate.md"]));
        std::fs::write(&snapshot, &bytes).unwrap();
    }
    // Another configuration: the snapshot is not used.
    std::fs::write(&snapshot, &bytes).unwrap();
    write(
        root,
        "glosslint.toml",
        &format!("{CONFIG}similar-term = \"error\"\n"),
    );
    assert!(!staged_equals_full(root, &["entries/b/learning-rate.md"]));
    // A rule that reads every entry makes the run use the full index.
    write(
        root,
        "glosslint.toml",
        &format!("{CONFIG}orphan-entry = \"warning\"\n"),
    );
    json(root, &[]);
    assert!(!staged_equals_full(root, &["entries/b/learning-rate.md"]));
}

/// Names from a small vocabulary, so that random entries collide.
const WORDS: [&str; 6] = ["grad", "grads", "rate", "rates", "step", "steps"];

fn name(picks: &[usize]) -> String {
    picks
        .iter()
        .map(|&pick| WORDS[pick % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// One random entry: a term, maybe an alias, links by name and by path,
/// maybe the filler.
fn random_entry() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(0usize..6, 1..3),
        prop::option::of(prop::collection::vec(0usize..6, 1..3)),
        prop::collection::vec(prop::collection::vec(0usize..7, 1..3), 0..3),
        prop::option::of(0usize..6),
        any::<bool>(),
    )
        .prop_map(|(term, alias, links, path, filler)| {
            let alias = alias.map_or(String::new(), |alias| {
                format!("aliases: [\"{}\"]\n", name(&alias))
            });
            let mut body = String::from("Body.");
            for link in links {
                // Pick 6 misspells a word: a broken link with suggestions.
                let words: Vec<&str> = link
                    .iter()
                    .map(|&pick| WORDS.get(pick).copied().unwrap_or("gard"))
                    .collect();
                body.push_str(&format!(" See [[{}]].", words.join(" ")));
            }
            if let Some(path) = path {
                body.push_str(&format!(" [p](e{path}.md#{})", WORDS[path]));
            }
            if filler {
                body.push_str(&format!("\n\n{FILLER}"));
            }
            entry(&name(&term), &alias, &body)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any corpus, any edit of one entry and of another left unstaged: the
    /// staged run from the snapshot equals the full run.
    #[test]
    fn a_staged_run_from_the_snapshot_equals_a_full_run(
        entries in prop::collection::vec(random_entry(), 2..7),
        staged_edit in random_entry(),
        unstaged_edit in prop::option::of(random_entry()),
        staged in 0usize..7,
        unstaged in 0usize..7,
    ) {
        let mut files: Vec<(String, String)> = entries
            .iter()
            .enumerate()
            .map(|(number, text)| (format!("entries/e{number}.md"), text.clone()))
            .collect();
        files.push(("glosslint.toml".into(), CONFIG.into()));
        let files: Vec<(&str, &str)> =
            files.iter().map(|(path, text)| (path.as_str(), text.as_str())).collect();
        let dir = common::project(&files);
        let root = dir.path();
        json(root, &[]);
        let staged = format!("entries/e{}.md", staged % entries.len());
        write(root, &staged, &staged_edit);
        if let Some(text) = unstaged_edit {
            let unstaged = format!("entries/e{}.md", unstaged % entries.len());
            if unstaged != staged {
                write(root, &unstaged, &text);
            }
        }
        prop_assert!(staged_equals_full(root, &[&staged]));
    }
}

#[test]
fn a_snapshot_a_few_files_behind_is_kept_and_one_far_behind_rewritten() {
    let dir = corpus();
    let root = dir.path();
    let extra = |number: usize, term: &str| {
        let path = format!("entries/b/extra-{number}.md");
        write(root, &path, &entry(term, "", "Body."));
    };
    for number in 0..20 {
        extra(number, &format!("extra {number}"));
    }
    json(root, &[]);
    let snapshot = root.join(".glosslint_cache/index.bin");
    let written = std::fs::read(&snapshot).unwrap();
    let kept = || std::fs::read(&snapshot).unwrap() == written;
    // Each edit makes a duplicate of `learning rate`.
    extra(0, "learning rate");
    json(root, &[]);
    assert!(kept(), "one file behind");
    // Staged runs read the files the snapshot is behind on afresh.
    assert!(staged_equals_full(root, &["entries/b/learning-rate.md"]));
    for number in 1..20 {
        extra(number, "learning rate");
    }
    json(root, &[]);
    assert!(!kept(), "20 files behind");
    assert!(staged_equals_full(root, &["entries/b/learning-rate.md"]));
}

#[test]
fn a_staged_file_without_entries_keeps_its_own_findings() {
    let dir = common::project(&[
        (
            "glosslint.toml",
            "[files]\nentries = [\"entries/*.md\"]\ndumps = [\"dumps/*.txt\"]\n",
        ),
        ("entries/ok.md", "---\nterm: fine\n---\nBody text here.\n"),
        ("dumps/d.txt", "alpha beta, field\nBody of alpha.\n"),
    ]);
    let root = dir.path();
    json(root, &[]);
    // Text before any entry header: no entry, one file-level finding.
    write(root, "dumps/d.txt", "stray text\n");
    assert!(staged_equals_full(root, &["dumps/d.txt"]));
    let concise = in_format(root, "concise", &["dumps/d.txt"]);
    assert!(concise.contains("malformed-entry"), "{concise}");
}
