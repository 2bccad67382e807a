//! `[translations]` end to end: pairing, `stale-translation` against a git
//! history built here (checked against `git rev-list` computed
//! independently), the status command in every format, the HTML page in
//! headless Chromium, `init` on a Hugo site, and the caches stepping aside.

mod common;

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

const CONFIG: &str = "[files]\nentries = [\"content/**/*.md\"]\n\n[translations]\nsource = \"content/en\"\ntargets = [\"content/*\"]\n";

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Process::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "core.quotepath=off",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn glosslint(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("glosslint")
        .unwrap()
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap()
}

fn status_json(dir: &Path) -> Value {
    let output = glosslint(dir, &["translations", "--format", "json"]);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// A small deterministic generator, so the history is the same every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A repository of three languages whose files are edited at random over
/// sixty commits (names with spaces and accents included).
fn random_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "glosslint.toml", CONFIG);
    let names = [
        "pod.md",
        "node.md",
        "cloud native apps.md",
        "café.md",
        "sub/service.md",
        "mesh.md",
    ];
    let languages = ["de", "fr", "pt-br"];
    let mut random = Lcg(19);
    for commit in 0..60 {
        for _ in 0..=random.below(3) {
            let name = names[random.below(names.len())];
            let folder = if random.below(2) == 0 {
                "en"
            } else {
                languages[random.below(3)]
            };
            write(
                root,
                &format!("content/{folder}/{name}"),
                &format!("---\nterm: {name}\n---\nRevision {commit} of {name} in {folder}.\n"),
            );
        }
        git(root, &["add", "-A"]);
        git(
            root,
            &[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &format!("commit {commit}"),
            ],
        );
    }
    dir
}

#[test]
fn stale_translation_agrees_with_git_computed_independently() {
    let dir = random_history();
    let root = dir.path();
    let status = status_json(root);
    let mut compared = 0;
    let mut stale = 0;
    for language in status["languages"].as_array().unwrap() {
        for entry in language["entries"].as_array().unwrap() {
            let (Some(path), Some(source)) = (entry["path"].as_str(), entry["source"].as_str())
            else {
                continue;
            };
            let base = git(root, &["log", "-1", "--format=%H", "--", path]);
            let range = format!("{}..HEAD", base.trim());
            let expected: usize = git(root, &["rev-list", "--count", &range, "--", source])
                .trim()
                .parse()
                .unwrap();
            let found = entry["commits"].as_u64().unwrap_or(0) as usize;
            assert_eq!(found, expected, "{path} against {source}");
            assert_eq!(entry["status"] == "stale", expected > 0, "{entry}");
            compared += 1;
            stale += usize::from(expected > 0);
        }
    }
    // The history exercises both outcomes.
    assert!(
        compared >= 12 && stale >= 3 && stale < compared,
        "{compared} {stale}"
    );
    // The rule reports the same translations, with the count and the git
    // diff command in the help, not the message.
    let output = glosslint(
        root,
        &["check", "--select", "stale-translation", "--format", "json"],
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = report["diagnostics"].as_array().unwrap();
    assert_eq!(findings.len(), stale);
    for finding in findings {
        let message = finding["message"].as_str().unwrap();
        assert!(!message.chars().any(|c| c.is_ascii_digit()), "{message}");
        let help = finding["help"].as_str().unwrap();
        assert!(
            help.contains("git diff ") && help.contains(" HEAD -- content/en/"),
            "{help}"
        );
        assert!(help.contains(" commit"), "{help}");
    }
}

#[test]
fn the_recorded_source_commit_is_compared_from_when_configured() {
    let dir = common::project(&[(
        "glosslint.toml",
        format!("{CONFIG}source_commit_field = \"default_lang_commit\"\n"),
    )]);
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "content/en/pod.md", "---\nterm: Pod\n---\nOne.\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "source"]);
    let first = git(root, &["rev-parse", "HEAD"]).trim().to_string();
    write(root, "content/en/pod.md", "---\nterm: Pod\n---\nTwo.\n");
    git(root, &["commit", "-qam", "source again"]);
    // Translated later, but from the first version of the source.
    write(
        root,
        "content/de/pod.md",
        &format!("---\nterm: Pod\ndefault_lang_commit: {first}\n---\nEins.\n"),
    );
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "translation"]);
    let status = status_json(root);
    let entry = &status["languages"][0]["entries"][0];
    assert_eq!(entry["status"], "stale", "{entry}");
    assert_eq!(entry["commits"], 1);
}

#[test]
fn outside_git_the_rule_says_once_that_it_cannot_run() {
    let dir = common::project(&[
        ("glosslint.toml", CONFIG),
        ("content/en/a.md", "---\nterm: A\n---\nA.\n"),
        ("content/de/a.md", "---\nterm: A\n---\nA.\n"),
        ("content/fr/a.md", "---\nterm: A\n---\nA.\n"),
    ]);
    // The temporary folder must not sit inside some repository.
    if Process::new("git")
        .args(["-C"])
        .arg(dir.path())
        .args(["rev-parse"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("skipped: the temporary folder is inside a git repository");
        return;
    }
    let output = glosslint(
        dir.path(),
        &[
            "check",
            "--select",
            "stale-translation",
            "--format",
            "concise",
        ],
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("[stale-translation]"))
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].contains("cannot run without git history"),
        "{text}"
    );
    let status = status_json(dir.path());
    assert_eq!(status["history"], false);
    assert_eq!(status["languages"][0]["stale"], Value::Null);
}

/// Excerpts of the CNCF glossary (Apache-2.0, see
/// tests/fixtures/translations/cncf/NOTICE): misnamed translations.
fn cncf() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translations/cncf")
}

#[test]
fn orphan_translation_names_the_nearest_source_on_the_cncf_excerpt() {
    let output = glosslint(
        &cncf(),
        &[
            "check",
            "--select",
            "orphan-translation",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let paths: Vec<&str> = found.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "content/de/autoscaling.md",
            "content/hi/cloud native apps.md",
            "content/it/chaos_engineering.md"
        ]
    );
    assert!(found[0].1.contains("`auto-scaling.md`"), "{}", found[0].1);
    assert!(
        found[1].1.contains("`cloud-native-apps.md`"),
        "{}",
        found[1].1
    );
    assert!(
        found[2].1.contains("did you mean `chaos-engineering.md`?"),
        "{}",
        found[2].1
    );
}

/// The CNCF excerpt copied into a repository of one commit.
fn committed_cncf() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut pending = vec![cncf()];
    while let Some(folder) = pending.pop() {
        for item in std::fs::read_dir(&folder).unwrap() {
            let path = item.unwrap().path();
            let target = dir.path().join(path.strip_prefix(cncf()).unwrap());
            if path.is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                pending.push(path);
            } else {
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "excerpt"]);
    dir
}

#[test]
fn the_status_lists_languages_by_name_in_every_format() {
    let copy = committed_cncf();
    let root = copy.path().to_path_buf();
    let status = status_json(&root);
    assert_eq!(status["source"], "en");
    let names: Vec<&str> = status["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["language"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["de", "hi", "it"]);
    let it = &status["languages"][2];
    assert_eq!(
        (
            it["translated"].as_u64(),
            it["orphaned"].as_u64(),
            it["missing"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    let table = String::from_utf8(glosslint(&root, &["translations"]).stdout).unwrap();
    assert!(table.lines().nth(3).unwrap().starts_with("it "), "{table}");
    let lists =
        String::from_utf8(glosslint(&root, &["translations", "--language", "it"]).stdout).unwrap();
    assert!(
        lists.contains("it orphaned (1):\n  content/it/chaos_engineering.md"),
        "{lists}"
    );
    assert!(lists.contains("it missing (2):"), "{lists}");
    let markdown =
        String::from_utf8(glosslint(&root, &["translations", "--format", "markdown"]).stdout)
            .unwrap();
    assert!(
        markdown.contains("| `it` | 1 | 1 | 0 | 1 | 2 |"),
        "{markdown}"
    );
    let wrong = glosslint(&root, &["translations", "--language", "itt"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("did you mean `it`?"));
}

#[test]
fn the_html_page_shows_each_languages_numbers_in_chromium() {
    let dir = random_history();
    let html = glosslint(dir.path(), &["translations", "--format", "html"]).stdout;
    let page = dir.path().join("status.html");
    std::fs::write(&page, &html).unwrap();
    let status = status_json(dir.path());
    let Some(chromium) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|name| Process::new(name).arg("--version").output().is_ok())
    else {
        assert!(
            std::env::var_os("GLOSSLINT_REQUIRE_CHROMIUM").is_none(),
            "chromium is required but absent"
        );
        eprintln!("skipped: chromium is not installed");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let browse = |extra: &[&str]| {
        Process::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(format!("file://{}", page.display()))
            .output()
            .unwrap()
    };
    let dom = String::from_utf8(browse(&["--dump-dom"]).stdout).unwrap();
    for language in status["languages"].as_array().unwrap() {
        let name = language["language"].as_str().unwrap();
        let opening = format!(
            "<section class=\"language\" id=\"language-{name}\" data-language=\"{name}\" data-translated=\"{}\" data-up-to-date=\"{}\" data-stale=\"{}\" data-missing=\"{}\" data-orphaned=\"{}\">",
            language["translated"], language["up_to_date"], language["stale"], language["missing"], language["orphaned"]
        );
        assert!(dom.contains(&opening), "{opening} not in the DOM:\n{dom}");
    }
    assert_eq!(dom.matches("class=\"bar\"").count(), 3, "{dom}");
    let shot = dir.path().join("status.png");
    let output = browse(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1000,800",
    ]);
    let png = std::fs::read(&shot).unwrap_or_else(|_| panic!("no screenshot: {output:?}"));
    assert!(png.starts_with(b"\x89PNG") && png.len() > 1000);
}

#[test]
fn init_fills_translations_for_a_hugo_site_with_languages() {
    let dir = common::project(&[(
        "config.toml",
        "contentDir = \"content/en\"\ndefaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.es]\ncontentDir = \"content/es\"\n",
    )]);
    let output = glosslint(dir.path(), &["init"]);
    assert!(output.status.success(), "{output:?}");
    let written = std::fs::read_to_string(dir.path().join("glosslint.toml")).unwrap();
    assert!(written.contains("[translations]\n"), "{written}");
    assert!(
        written.contains("source = \"content/en\"\ntargets = [\"content/es\"]"),
        "{written}"
    );
    // What init wrote is a configuration that loads.
    assert!(glosslint(dir.path(), &["translations"]).status.success());
}

#[test]
fn a_commit_the_file_stamps_do_not_show_is_not_answered_from_the_cache() {
    let dir = common::project(&[("glosslint.toml", CONFIG)]);
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, "content/en/a.md", "---\nterm: A\n---\nA.\n");
    write(root, "content/de/a.md", "---\nterm: A\n---\nA.\n");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "both"]);
    write(root, "content/en/a.md", "---\nterm: A\n---\nA, edited.\n");
    let check =
        || String::from_utf8(glosslint(root, &["check", "--format", "concise"]).stdout).unwrap();
    assert!(!check().contains("stale-translation"));
    // Committing the edit changes no file, only the history.
    git(root, &["commit", "-qam", "source edited"]);
    assert!(check().contains("[stale-translation]"));
}

#[test]
fn a_run_on_named_files_still_sees_every_source() {
    let dir = common::project(&[
        ("glosslint.toml", CONFIG),
        ("content/en/a.md", "---\nterm: Apple\n---\nAn apple.\n"),
        // Translated terms share no name with their sources: nothing but
        // the pairing ties them.
        ("content/de/a.md", "---\nterm: Apfel\n---\nEin Apfel.\n"),
        ("content/de/b.md", "---\nterm: Birne\n---\nEine Birne.\n"),
    ]);
    let root = dir.path();
    let check = |args: &[&str]| {
        let mut all = vec![
            "check",
            "--select",
            "orphan-translation",
            "--format",
            "concise",
        ];
        all.extend_from_slice(args);
        String::from_utf8(glosslint(root, &all).stdout).unwrap()
    };
    // A full run leaves the index for staged runs; the staged run must not
    // take the unnamed source for absent.
    assert!(check(&[]).contains("content/de/b.md"));
    assert!(!check(&["content/de/a.md"]).contains("orphan-translation"));
    assert!(check(&["content/de/b.md"]).contains("content/de/b.md"));
}
