//! The "did you mean" of `broken-reference`: which names it finds.

mod common;

use common::project;

/// The help of every `broken-reference` finding in `dir`, in report order.
fn helps(dir: &std::path::Path) -> Vec<String> {
    let out = assert_cmd::Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "json", "--select", "broken-reference"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["help"].as_str().unwrap().to_string())
        .collect()
}

/// Issue 20: a short word shares no five-letter prefix with anything, so
/// `[[betta]]` found no suggestion though `beta` is one letter away.
#[test]
fn short_terms_are_suggested_too() {
    let dir = project(&[
        ("beta.md", "---\nterm: beta\n---\nThe second letter.\n"),
        ("gamma ray.md", "---\nterm: gamma ray\n---\nLight.\n"),
        (
            "links.md",
            "---\nterm: Links\n---\nSee [[betta]], [[gama ray]] and [[xq]].\n",
        ),
    ]);
    assert_eq!(
        helps(dir.path()),
        [
            "did you mean `beta`?",
            "did you mean `gamma ray`?",
            "no entry has this term, alias or path"
        ]
    );
}
