//! `--fix` safety (SPEC 8, issue 8), as properties over generated entries
//! shaped like the seed: headings, bold pseudo-headings folded into the text
//! above, lists with bold labels, tables, math whose backslashes were lost
//! (`$sqrt{x}$`, `$8 imes 3$`), repeated words and code fences, with LF,
//! CRLF or lone-CR line endings and with or without a BOM.
//!
//! For every generated entry:
//! - each round changes only the bytes inside the edits it applied (checked
//!   by walking the edits over the original text);
//! - the rounds reach a fixed point within `fix::MAX_ROUNDS`, and what
//!   `fix::run_rounds` produces is that fixed point: fixing again changes
//!   nothing;
//! - no kind of line ending appears that the file did not use (a CRLF file
//!   gains no bare `\n`), and a BOM stays first.
//!
//! Then, on real files through the binary and the library: permissions, BOM
//! and line endings survive `--fix`, and a file modified between reading and
//! writing is left alone and reported.

use std::path::Path;

use proptest::prelude::*;

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use glosslint::fix::{self, MAX_ROUNDS};

const TERM: &str = "Acid Gas Scrubbing";

/// Words of the seed's prose, a few of them doubled by the generator.
const WORDS: &[&str] = &[
    "the",
    "acid",
    "gas",
    "is",
    "removed",
    "from",
    "a",
    "stream",
    "by",
    "scrubbing",
    "with",
    "an",
    "alkaline",
    "solution",
    "and",
    "it",
    "reduces",
    "emissions",
    "of",
    "sulfur",
];

/// One block of seed-shaped Markdown (without its line ending).
fn block() -> impl Strategy<Value = String> {
    let words = prop::collection::vec(prop::sample::select(WORDS), 1..12);
    let sentence = words.prop_map(|words| {
        let mut text = words.join(" ");
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        text.push('.');
        text
    });
    let doubled = (sentence.clone(), prop::sample::select(WORDS), 2..5usize).prop_map(
        |(sentence, word, times)| format!("{sentence} Then {} stays.", vec![word; times].join(" ")),
    );
    let math = prop::sample::select(vec![
        "The ratio is $sqrt{x}$ here.",
        "It scales as $8 imes 3$ units.",
        "Half is $frac{1}{2}$ of it.",
        "With $eta_2$ and $alpha$ set.",
        "A price of $5 is not math.",
        "$$H(x) = sum_{i} alpha_i h_i(x)$$",
        "Weighted vote $left( x ight)$ of all.",
        "Display math $$x^2$$ inline.",
    ])
    .prop_map(str::to_string);
    let structure = prop::sample::select(vec![
        "## What Is Acid Gas Scrubbing?",
        "**What Is Acid Gas Scrubbing?**",
        "**Why Acid Gas Scrubbing Matters**",
        "**How It Is Used in Practice**",
        "- **Definition**: removal of acid gases.",
        "- **Core Mechanism**: absorption into a solvent.",
        "1. First step, then",
        "| Step | Effect |",
        "|------|--------|",
        "| 1 | less SO2 |",
        "| 2 | less HCl | extra |",
        "---",
        "===",
        "> quoted the the text",
        "```python\ndef f(x):\n    return x  # the the\n```",
        "```\nno language\n```",
        "<!-- glosslint-disable-next-line repeated-word -->",
        "**Unclosed bold at the end",
        "TODO: expand",
    ])
    .prop_map(str::to_string);
    prop_oneof![4 => sentence, 2 => doubled, 2 => math, 5 => structure]
}

/// A whole entry file: optional BOM, front matter, blocks separated by
/// nothing, a line break or a blank line, and one line ending throughout
/// (`\n`, `\r\n`, or a lone `\r` as in old Mac files).
fn entry() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::sample::select(vec!["\n", "\r\n", "\r"]),
        prop::collection::vec((block(), 0..3usize), 1..14),
    )
        .prop_map(|(bom, ending, blocks)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&format!("---\nterm: {TERM}\n---\n**{TERM}** is "));
            for (block, gap) in blocks {
                text.push_str(&block);
                text.push_str(["\n", "\n", "\n\n"][gap]);
            }
            text.replace('\n', ending)
        })
}

/// Rounds of lint-and-fix like `--fix` (unsafe fixes as asked), checking
/// each round's edits; returns the fixed point and the number of rounds
/// that changed something.
fn fix_by_rounds(text: &str, unsafe_fixes: bool) -> (String, usize) {
    let mut text = text.to_string();
    for round in 0..=MAX_ROUNDS {
        let outcome = fuzz::lint_text("entry.md", &text);
        if outcome
            .diagnostics
            .iter()
            .any(|d| d.rule == "malformed-entry")
        {
            return (text, round);
        }
        let applied = fix::apply(&text, 0, &outcome.diagnostics, unsafe_fixes);
        let edits = fuzz::chosen_edits(&text, &outcome.diagnostics, unsafe_fixes);
        fuzz::assert_only_edits_changed(&text, &applied.text, &edits);
        if applied.text == text {
            return (text, round);
        }
        text = applied.text;
    }
    panic!("no fixed point after {MAX_ROUNDS} rounds");
}

/// What `fix::run_rounds` makes of `text`, or `text` when nothing changed.
fn run_rounds(text: &str, unsafe_fixes: bool) -> String {
    let (registry, config) = fuzz::setup();
    let fixed = fix::run_rounds(
        config,
        registry,
        &fuzz::request("entry.md", text),
        fuzz::root(),
        unsafe_fixes,
    );
    assert!(fixed.changed.len() <= 1);
    fixed
        .changed
        .into_iter()
        .next()
        .map_or_else(|| text.to_string(), |file| file.fixed)
}

fn has_bare_lf(text: &str) -> bool {
    text.match_indices('\n')
        .any(|(at, _)| at == 0 || text.as_bytes()[at - 1] != b'\r')
}

/// How many line endings of each kind: bare `\n`, `\r\n`, lone `\r`.
fn endings(text: &str) -> [usize; 3] {
    let crlf = text.matches("\r\n").count();
    [
        text.matches('\n').count() - crlf,
        crlf,
        text.matches('\r').count() - crlf,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn fixes_touch_only_their_spans_and_reach_a_fixed_point(text in entry(), unsafe_fixes in any::<bool>()) {
        let (fixed, rounds) = fix_by_rounds(&text, unsafe_fixes);
        prop_assert!(rounds <= MAX_ROUNDS);
        // run_rounds reaches the same fixed point, and fixing it again changes nothing
        let by_library = run_rounds(&text, unsafe_fixes);
        prop_assert_eq!(&by_library, &fixed);
        prop_assert_eq!(run_rounds(&by_library, unsafe_fixes), by_library.clone());
        // line endings and the BOM are kept: no kind of line ending appears
        // that the file did not use
        for (before, after) in endings(&text).into_iter().zip(endings(&fixed)) {
            prop_assert!(before > 0 || after == 0, "a new kind of line ending:\n{:?}\n{:?}", text, fixed);
        }
        prop_assert_eq!(text.starts_with('\u{feff}'), fixed.starts_with('\u{feff}'));
        prop_assert_eq!(fixed.matches('\u{feff}').count(), text.matches('\u{feff}').count());
    }
}

/// The fixes these properties rely on do happen: a generated entry with a
/// doubled word, a swallowed pseudo-heading and a lost backslash is changed.
#[test]
fn the_generated_defects_are_fixable() {
    let text = format!(
        "---\r\nterm: {TERM}\r\n---\r\n**{TERM}** is the the removal.\r\n**Why {TERM} Matters**\r\nThe ratio is $sqrt{{x}}$ here.\r\n"
    );
    let fixed = run_rounds(&text, false);
    assert_eq!(
        fixed,
        format!("---\r\nterm: {TERM}\r\n---\r\n**{TERM}** is the removal.\r\n\r\n**Why {TERM} Matters**\r\n\r\nThe ratio is $\\sqrt{{x}}$ here.\r\n")
    );
    assert_eq!(run_rounds(&fixed, false), fixed);
}

/// Regression: a run of repeated words was fixed one pair per round, so
/// 2,048 of them needed 11 rounds and `--fix` was not idempotent.
#[test]
fn a_long_run_of_repeated_words_is_fixed_in_one_round() {
    let text = format!(
        "---\nterm: {TERM}\n---\n**{TERM}** is {}end.\n",
        "the ".repeat(2_048)
    );
    let (fixed, rounds) = fix_by_rounds(&text, false);
    assert_eq!(rounds, 1);
    assert_eq!(
        fixed,
        format!("---\nterm: {TERM}\n---\n**{TERM}** is the end.\n")
    );
}

fn glosslint(dir: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("glosslint").unwrap();
    command.current_dir(dir).env_remove("GITHUB_ACTIONS");
    command
}

/// Through the binary: BOM, CRLF and permissions survive `--fix`, and a
/// second `--fix` changes nothing.
#[cfg(unix)]
#[test]
fn the_binary_keeps_bom_line_endings_and_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("crlf.md", format!("\u{feff}---\r\nterm: {TERM}\r\n---\r\n**{TERM}** is the the removal of acid gases.\r\n**Why {TERM} Matters**\r\nIt is is required.\r\n"), 0o640),
        ("lf.md", "---\nterm: Other Term\n---\n**Other Term** has a price of $5 and $8 imes 3$ units.\n- item\n| a | b |\n|---|---|\n| 1 | 2 |\n".to_string(), 0o600),
    ];
    for (name, text, mode) in &cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode)).unwrap();
    }
    let first = glosslint(dir.path())
        .args(["check", "--fix", "--format", "concise"])
        .output()
        .unwrap();
    assert_ne!(first.status.code(), Some(101));
    assert!(
        String::from_utf8_lossy(&first.stdout).contains("Fixed"),
        "{first:?}"
    );
    let mut after_first = Vec::new();
    for (name, text, mode) in &cases {
        let path = dir.path().join(name);
        let fixed = std::fs::read_to_string(&path).unwrap();
        assert_ne!(&fixed, text, "{name} was not fixed");
        assert_eq!(
            fixed.starts_with('\u{feff}'),
            text.starts_with('\u{feff}'),
            "{name}"
        );
        assert_eq!(has_bare_lf(&fixed), has_bare_lf(text), "{name}: {fixed:?}");
        assert_eq!(fixed.contains('\r'), text.contains('\r'), "{name}");
        let permissions = std::fs::metadata(&path).unwrap().permissions();
        assert_eq!(permissions.mode() & 0o777, *mode, "{name}");
        after_first.push(fixed);
    }
    glosslint(dir.path())
        .args(["check", "--fix", "--format", "concise"])
        .output()
        .unwrap();
    for ((name, _, _), first) in cases.iter().zip(&after_first) {
        let again = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert_eq!(&again, first, "a second --fix changed {name}");
    }
    // no temporary file is left behind
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with(".glosslint"))
        .collect();
    assert_eq!(left.len(), cases.len(), "{left:?}");
}

/// A file changed after its fixes were computed is not written, and is
/// reported in `failed`; an unchanged one is written.
#[test]
fn a_file_modified_between_read_and_write_is_left_alone() {
    use glosslint::config::Config;
    use glosslint::lint::LintRequest;
    use glosslint::rules::Registry;
    let dir = tempfile::tempdir().unwrap();
    let text = |term: &str| {
        format!(
            "---\nterm: {term}\n---\n**{term}** is the the removal of acid gases from a stream.\n"
        )
    };
    std::fs::write(dir.path().join("a.md"), text("Alpha")).unwrap();
    std::fs::write(dir.path().join("b.md"), text("Beta")).unwrap();
    let registry = Registry::builtin();
    let config = Config::defaults(dir.path().to_path_buf(), &registry);
    let fixed = fix::run_rounds(
        &config,
        &registry,
        &LintRequest::default(),
        dir.path(),
        false,
    );
    assert_eq!(fixed.changed.len(), 2);
    let edited = format!("{}An edit made meanwhile.\n", text("Alpha"));
    std::fs::write(dir.path().join("a.md"), &edited).unwrap();
    let written = fix::write_all(&fixed, dir.path());
    assert_eq!(written.files, 1);
    assert_eq!(written.failed.len(), 1);
    assert_eq!(written.failed[0].0, "a.md");
    assert!(
        written.failed[0].1.contains("changed"),
        "{:?}",
        written.failed
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        edited
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.md")).unwrap(),
        text("Beta").replace("the the", "the")
    );
    // deleted meanwhile: skipped too, not recreated
    let fixed = fix::run_rounds(
        &config,
        &registry,
        &LintRequest::default(),
        dir.path(),
        false,
    );
    assert_eq!(fixed.changed.len(), 1);
    std::fs::remove_file(dir.path().join("a.md")).unwrap();
    let written = fix::write_all(&fixed, dir.path());
    assert_eq!((written.files, written.failed.len()), (0, 1));
    assert!(!dir.path().join("a.md").exists());
}
