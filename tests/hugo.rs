//! A multilingual Hugo glossary works with configuration alone: `title` as the
//! term, `_index.md` and `_TEMPLATE.md` excluded, site links through routes, a
//! translated template per language, and a namespace per language so the same
//! term in two languages is not a duplicate.

use std::path::Path;

use assert_cmd::Command;

#[test]
fn every_broken_link_and_missing_translated_section_is_reported_and_nothing_else() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hugo");
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(&project)
        .args(["check", "--format", "concise", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "content/de/api-gateway.md:2:8: error[missing-section] missing section `Wie es funktioniert` required by template `concept-de`; help: add a `**Wie es funktioniert**` section after `Welches Problem es löst`\n\
         content/de/service-mesh.md:6:36: error[broken-anchor] `[[API Gateway#wie-es-funktioniert]]`: `API Gateway` has no heading `#wie-es-funktioniert`; the target entry: content/de/api-gateway.md:2:8; help: its headings include `#welches-problem-es-löst`\n\
         content/en/api-gateway.md:10:28: error[broken-reference] `[[Load Balancer]]` resolves to no entry; help: no entry has this term, alias or path\n\
         content/en/api-gateway.md:10:56: error[broken-reference] `(/retry-policy/)` resolves to no entry; help: no entry has this term, alias or path\n\
         content/es/api-gateway.md:10:26: error[broken-reference] `(/es/politica-de-reintentos/)` resolves to no entry; help: no entry has this term, alias or path\n"
    );
}
