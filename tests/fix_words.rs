//! `--fix` changes no word its findings do not name (issue 16): on vendored
//! multilingual excerpts (`tests/fixtures/fix-words/`, see its NOTICE.txt),
//! the whitespace-separated tokens after `--fix --unsafe-fixes` are the
//! tokens before, minus the repeats that `repeated-word` reported: in each
//! finding's span the first word stays and the others go.

use std::path::Path;

use assert_cmd::Command;

fn project() -> tempfile::TempDir {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix-words");
    let dir = tempfile::tempdir().unwrap();
    for file in std::fs::read_dir(&source).unwrap() {
        let file = file.unwrap();
        std::fs::copy(file.path(), dir.path().join(file.file_name())).unwrap();
    }
    dir
}

fn glosslint(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("glosslint").unwrap();
    command.current_dir(dir).env_remove("GITHUB_ACTIONS");
    command
}

/// Each whitespace-separated token of `text` with its byte offset.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, ch) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, ch.is_whitespace()) {
            (None, false) => start = Some(at),
            (Some(open), true) => {
                out.push((open, &text[open..at]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[test]
fn fix_removes_only_the_repeats_it_names() {
    let dir = project();
    let out = glosslint(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut repeats: Vec<(String, usize, usize)> = Vec::new();
    for finding in report["diagnostics"].as_array().unwrap() {
        if finding["rule"] == "repeated-word" {
            let offset = finding["offset"].as_u64().unwrap() as usize;
            let length = finding["length"].as_u64().unwrap() as usize;
            repeats.push((
                finding["path"].as_str().unwrap().to_string(),
                offset,
                length,
            ));
        }
    }
    let reported: Vec<&str> = repeats.iter().map(|(path, _, _)| path.as_str()).collect();
    for path in ["en.md", "pt-br.md", "onenote.md"] {
        assert!(reported.contains(&path), "no repeat found in {path}");
    }
    for path in [
        "bn.md", "de.md", "fr.md", "hi.md", "ja.md", "ru.md", "tr.md", "vi.md", "zh.md",
    ] {
        assert!(
            !reported.contains(&path),
            "grammatical repeat reported in {path}"
        );
    }

    let mut before = std::collections::BTreeMap::new();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            before.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    glosslint(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    for (name, text) in &before {
        // Each finding's span keeps its first word; the text around it stays.
        let mut spans: Vec<(usize, usize)> = repeats
            .iter()
            .filter(|(path, _, _)| path == name)
            .map(|(_, offset, length)| (*offset, offset + length))
            .collect();
        spans.sort_unstable();
        let mut without_repeats = String::new();
        let mut cursor = 0;
        for (start, end) in spans {
            let first_word = text[start..end].split_whitespace().next().unwrap_or("");
            without_repeats.push_str(&text[cursor..start]);
            without_repeats.push_str(first_word);
            cursor = end;
        }
        without_repeats.push_str(&text[cursor..]);
        let expected: Vec<&str> = tokens(&without_repeats)
            .into_iter()
            .map(|(_, token)| token)
            .collect();
        let fixed = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let after: Vec<&str> = tokens(&fixed).into_iter().map(|(_, token)| token).collect();
        assert_eq!(after, expected, "{name}: words changed beyond the repeats");
    }
}

/// Without a language the fix is safe only in all-ASCII prose (taken for
/// English); a double among other letters may be a reduplication.
#[test]
fn without_a_language_only_ascii_prose_is_fixed_safely() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[files]\nentries = [\"*.md\"]\n",
    )
    .unwrap();
    let ascii = "---\nterm: Ascii\n---\nThe the scheduler runs.\n";
    let other = "---\nterm: Çalışma\n---\nÇalışma bazen bazen durur.\n";
    std::fs::write(dir.path().join("ascii.md"), ascii).unwrap();
    std::fs::write(dir.path().join("other.md"), other).unwrap();
    glosslint(dir.path()).arg("--fix").output().unwrap();
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("ascii.md"),
        "---\nterm: Ascii\n---\nThe scheduler runs.\n"
    );
    assert_eq!(read("other.md"), other);
    glosslint(dir.path())
        .args(["--fix", "--unsafe-fixes"])
        .output()
        .unwrap();
    assert_eq!(
        read("other.md"),
        "---\nterm: Çalışma\n---\nÇalışma bazen durur.\n"
    );
}
