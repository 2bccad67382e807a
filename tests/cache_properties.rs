//! The cache proved by a property (issue 15): a small project goes through
//! random steps (an edit that keeps size and modification time, an edit, an
//! entry added, deleted or renamed, a configuration key changed, a file
//! outside the corpus that links name added or removed), and after every
//! step the cached answer, the staged answer for a random subset of the
//! entries, and the `--fix --diff` of a cached run all equal what the same
//! run says with no cache at all.

use std::path::{Path, PathBuf};

use glosslint::config::Config;
use glosslint::discover::Request;
use glosslint::lint::{lint, LintRequest};
use glosslint::rules::Registry;
use proptest::prelude::*;

// Only its `set_modified` is needed here.
#[allow(dead_code)]
#[path = "common/forged.rs"]
mod forged;

/// Pieces entry bodies are made of: links that resolve or not (by name, by
/// path, to the file outside the corpus), a fixable repeated word, words
/// that make a body long enough or not.
const PIECES: [&str; 9] = [
    "See [[alpha]].",
    "See [[gamma]] and [[beta]].",
    "Read [the sub page](sub/_index.md).",
    "It is the the same.",
    "Compare [beta](beta.md).",
    "A body with enough words to say what the term means in this glossary.",
    "Short.",
    "Ünïcode wörds here, [[Alpha]].",
    "Another sentence about the idea.",
];

const TERMS: [&str; 4] = ["alpha", "beta", "gamma", "Alpha"];

/// The configuration, with one of its keys switched.
fn configuration(variant: u8) -> String {
    let rules = match variant % 3 {
        0 => "",
        1 => "\n[rules]\nshort-body = \"off\"\n",
        _ => "\n[rules]\nrepeated-word = \"off\"\nbroken-reference = \"warning\"\n",
    };
    format!("[files]\nentries = [\"entries/**/*.md\"]\nexclude = [\"**/_index.md\"]\n{rules}")
}

fn entry(term: usize, pieces: &[usize]) -> String {
    let body: Vec<&str> = pieces
        .iter()
        .map(|piece| PIECES[piece % PIECES.len()])
        .collect();
    format!(
        "---\nterm: {}\n---\n{}\n",
        TERMS[term % TERMS.len()],
        body.join("\n\n")
    )
}

#[derive(Clone, Debug)]
enum Step {
    /// Change one ASCII letter of an entry's body, then set its modification
    /// time back: same size, same modification time, other text.
    EditKeepingStamp {
        file: usize,
        at: usize,
    },
    Edit {
        file: usize,
        term: usize,
        pieces: Vec<usize>,
    },
    Add {
        term: usize,
        pieces: Vec<usize>,
    },
    Delete {
        file: usize,
    },
    Rename {
        file: usize,
    },
    Configure {
        variant: u8,
    },
    ToggleOutsideTarget,
}

fn step() -> impl Strategy<Value = Step> {
    let pieces = || proptest::collection::vec(0..PIECES.len(), 1..4);
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(file, at)| Step::EditKeepingStamp { file, at }),
        (any::<usize>(), 0..TERMS.len(), pieces()).prop_map(|(file, term, pieces)| Step::Edit {
            file,
            term,
            pieces
        }),
        (0..TERMS.len(), pieces()).prop_map(|(term, pieces)| Step::Add { term, pieces }),
        any::<usize>().prop_map(|file| Step::Delete { file }),
        any::<usize>().prop_map(|file| Step::Rename { file }),
        any::<u8>().prop_map(|variant| Step::Configure { variant }),
        Just(Step::ToggleOutsideTarget),
    ]
}

/// The project on disk and the names of its entries.
struct Project {
    dir: tempfile::TempDir,
    entries: Vec<String>,
    next_name: usize,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("glosslint.toml"), configuration(0)).unwrap();
        std::fs::create_dir_all(dir.path().join("entries/sub")).unwrap();
        std::fs::write(
            dir.path().join("entries/sub/_index.md"),
            "---\ntitle: Sub\n---\n",
        )
        .unwrap();
        let mut project = Self {
            dir,
            entries: Vec::new(),
            next_name: 0,
        };
        for (term, pieces) in [(0, vec![1, 3]), (1, vec![0, 2, 5]), (2, vec![4, 7])] {
            project.add(&entry(term, &pieces));
        }
        project
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join("entries").join(name)
    }

    fn add(&mut self, text: &str) {
        // `beta.md` first: the path link of PIECES names it.
        let name = match self.next_name {
            1 => "beta.md".to_string(),
            n => format!("e{n}.md"),
        };
        self.next_name += 1;
        std::fs::write(self.path(&name), text).unwrap();
        self.entries.push(name);
    }

    fn pick(&self, file: usize) -> Option<String> {
        (!self.entries.is_empty()).then(|| self.entries[file % self.entries.len()].clone())
    }

    fn apply(&mut self, step: &Step) {
        match step {
            Step::EditKeepingStamp { file, at } => {
                let Some(name) = self.pick(*file) else { return };
                let path = self.path(&name);
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                let mut bytes = std::fs::read(&path).unwrap();
                let body = bytes.len() / 2;
                let letters: Vec<usize> = (body..bytes.len())
                    .filter(|&index| bytes[index].is_ascii_lowercase())
                    .collect();
                if letters.is_empty() {
                    return;
                }
                let index = letters[at % letters.len()];
                bytes[index] = if bytes[index] == b'x' { b'y' } else { b'x' };
                std::fs::write(&path, bytes).unwrap();
                forged::set_modified(&path, modified);
            }
            Step::Edit { file, term, pieces } => {
                if let Some(name) = self.pick(*file) {
                    std::fs::write(self.path(&name), entry(*term, pieces)).unwrap();
                }
            }
            Step::Add { term, pieces } => self.add(&entry(*term, pieces)),
            Step::Delete { file } => {
                if let Some(name) = self.pick(*file) {
                    std::fs::remove_file(self.path(&name)).unwrap();
                    self.entries.retain(|other| *other != name);
                }
            }
            Step::Rename { file } => {
                if let Some(name) = self.pick(*file) {
                    let renamed = format!("r{}.md", self.next_name);
                    self.next_name += 1;
                    std::fs::rename(self.path(&name), self.path(&renamed)).unwrap();
                    for other in &mut self.entries {
                        if *other == name {
                            other.clone_from(&renamed);
                        }
                    }
                }
            }
            Step::Configure { variant } => {
                std::fs::write(
                    self.dir.path().join("glosslint.toml"),
                    configuration(*variant),
                )
                .unwrap();
            }
            Step::ToggleOutsideTarget => {
                let target = self.path("sub/_index.md");
                if target.exists() {
                    std::fs::remove_file(target).unwrap();
                } else {
                    std::fs::write(target, "---\ntitle: Sub\n---\n").unwrap();
                }
            }
        }
    }
}

/// Every finding of a run, as text: file, span, level, rule, message, help.
fn answer(root: &Path, paths: &[String], use_cache: bool) -> Vec<String> {
    let registry = Registry::builtin();
    let config = Config::load(&root.join("glosslint.toml"), root, &registry).unwrap();
    let request = LintRequest {
        discover: Request {
            paths: paths
                .iter()
                .map(|name| Path::new("entries").join(name))
                .collect(),
            no_ignore: false,
        },
        use_cache,
        ..LintRequest::default()
    };
    let outcome = lint(&config, &registry, &request, root);
    outcome
        .diagnostics
        .iter()
        .map(|finding| {
            format!(
                "{} {:?} {:?} {} {} {:?}",
                outcome.files[finding.file].display,
                finding.span,
                finding.level,
                finding.rule,
                finding.message,
                finding.help
            )
        })
        .collect()
}

/// The unified diff `--fix --diff` prints.
fn fix_diff(root: &Path, use_cache: bool) -> String {
    let registry = Registry::builtin();
    let config = Config::load(&root.join("glosslint.toml"), root, &registry).unwrap();
    let request = LintRequest {
        use_cache,
        ..LintRequest::default()
    };
    let fixed = glosslint::fix::run_rounds(&config, &registry, &request, root, false);
    glosslint::fix::unified_diff(&fixed)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn the_cache_answers_as_no_cache_after_any_step(
        steps in proptest::collection::vec((step(), any::<u64>()), 1..7)
    ) {
        let mut project = Project::new();
        let root = project.dir.path().to_path_buf();
        // Warm: the cache, the run answer and the snapshot exist before the
        // first step.
        let _ = answer(&root, &[], true);
        for (step, subset) in &steps {
            project.apply(step);
            let cold = answer(&root, &[], false);
            prop_assert_eq!(&answer(&root, &[], true), &cold, "cached, after {:?}", step);
            prop_assert_eq!(&answer(&root, &[], true), &cold, "cached again, after {:?}", step);
            let staged: Vec<String> = project
                .entries
                .iter()
                .enumerate()
                .filter(|(index, _)| subset >> (index % 64) & 1 == 1)
                .map(|(_, name)| name.clone())
                .collect();
            if !staged.is_empty() {
                prop_assert_eq!(
                    answer(&root, &staged, true),
                    answer(&root, &staged, false),
                    "staged {:?}, after {:?}", staged, step
                );
            }
            prop_assert_eq!(fix_diff(&root, true), fix_diff(&root, false), "--fix --diff, after {:?}", step);
        }
    }
}
