//! Real sites as configuration (issue 18): minimal vendored excerpts of the
//! Kubernetes website, the CNCF glossary and the Foam docs, each checked with
//! the configuration beside it. Every finding here is a true one; the false
//! alarms each site used to raise (tooltips not seen as links, `_redirects`,
//! Hugo page-relative links, Obsidian file-name links) must stay away.

use std::path::Path;

use assert_cmd::Command;

fn check(site: &str, rules: &str) -> String {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(site);
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(&project)
        .args([
            "check",
            "--no-cache",
            "--format",
            "concise",
            "--quiet",
            "--select",
            rules,
        ])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn kubernetes_tooltips_full_links_redirects_and_languages() {
    // Tooltips find entries by file name without case (`term_id="Pod"`),
    // in the page's language and then in English; docs pages are read for
    // their tooltips only; `/dockershim` is answered by `_redirects`;
    // `{#container-images}` is an anchor; a `full_link` holding a shortcode
    // (`{{< param "version" >}}`) is the site's to fill in. What stays: a
    // Chinese entry nothing links to.
    assert_eq!(
        check(
            "kubernetes",
            "broken-reference,broken-anchor,self-reference,orphan-entry,unlinked-mention,malformed-entry"
        ),
        "content/zh-cn/docs/reference/glossary/pod.md:2:8: warning[orphan-entry] no entry links to `Pod`; help: link it as `[[Pod]]` from the entries that use the term\n"
    );
}

#[test]
fn cncf_page_relative_links_redirects_any_case_keys_and_broken_front_matter() {
    // `../cluster/` from `content/tr/kubernetes.md` is `/tr/cluster/`;
    // `/microservices/` is redirected; `Title:` is the term; the entry whose
    // front matter does not parse still answers `[[Serverless]]`.
    assert_eq!(
        check(
            "cncf",
            "broken-reference,broken-anchor,self-reference,malformed-entry,duplicate-term"
        ),
        "content/pt-br/serverless.md:5:1: error[malformed-entry] front matter is not valid YAML: while parsing a flow sequence, expected ',' or ']'\n\
         content/tr/kubernetes.md:6:13: error[broken-reference] `(../container/)` resolves to no entry; help: no entry has this term, alias or path\n"
    );
}

#[test]
fn foam_links_by_file_name_embeds_block_references_and_comments() {
    // `[[Wikilinks]]` is `wikilinks.md` anywhere, `[[features/backlinking]]`
    // by path, `![[foam-logo.png]]` an attachment, `[[wikilinks#^first-block]]`
    // a block; the link inside `%% ... %%` is no link.
    assert_eq!(
        check(
            "foam",
            "broken-reference,broken-anchor,self-reference,orphan-entry"
        ),
        "docs/index.md:9:6: error[broken-reference] `[[getting-started]]` resolves to no entry; help: no entry has this term, alias or path\n"
    );
}

#[test]
fn unknown_reference_keys_and_bad_patterns_are_errors_with_spans() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[references]\nwiki = \"files\"\nredirect = []\n\n[[references.patterns]]\nname = \"x\"\nregex = 'term_id=\"[^\"]+\"'\n",
    )
    .unwrap();
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`files` is not one of `term`, `file`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `redirects`?"), "{stderr}");
    assert!(
        stderr.contains("names no group `term`, `stem` or `path`"),
        "{stderr}"
    );
}

#[test]
fn the_redirected_link_fix_writes_the_final_target_and_nothing_else() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/redirected-link/fail");
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "glosslint.toml",
        "static/_redirects",
        "content/cluster.md",
        "content/microservices-architecture.md",
    ] {
        let to = dir.path().join(file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), to).unwrap();
    }
    Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-cache",
            "--fix",
            "--quiet",
            "--select",
            "redirected-link",
        ])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("content/cluster.md")).unwrap(),
        "---\ntitle: Cluster\n---\nA group of machines running [microservices](/microservices-architecture/#why) and [MSA](/microservices-architecture/).\n"
    );
}

#[test]
fn templates_bind_by_category_and_accept_alternative_headings() {
    // The CNCF style guide: properties need no "Problem it addresses"; a
    // French translation writes its heading with a typographic apostrophe.
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let to = dir.path().join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    };
    write(
        "glosslint.toml",
        "[files]\nentries = [\"content/**/*.md\"]\n\n[entries]\nterm_field = \"title\"\n",
    );
    write(
        "rules/templates.toml",
        "[templates.concept]\napplies = \"always\"\nwhen = { category = [\"concept\", \"technology\"] }\nsections = [{ heading = [\"Problem it addresses\", \"Quel problème résout-il\"] }, { heading = [\"How it helps\", \"Comment ça aide\", \"How it works\"] }]\n",
    );
    write(
        "content/idempotence.md",
        "---\ntitle: Idempotence\ncategory: property\n---\n\nIdempotence means that doing a thing twice is the same as doing it once, whatever the thing.\n",
    );
    write(
        "content/cluster.md",
        "---\ntitle: Cluster\ncategory: Concept\n---\n\nA cluster is a group of computers working together towards a common goal.\n\n## How it works\n\nThe machines share the load.\n",
    );
    write(
        "content/fr/conteneur.md",
        "---\ntitle: Conteneur\ncategory: technology\n---\n\nUn conteneur regroupe une application et ses dépendances.\n\n## Quel problème résout-il\n\nLes dépendances.\n\n## Comment ça aide\n\nIl isole l’application.\n",
    );
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-cache",
            "--format",
            "concise",
            "--quiet",
            "--select",
            "missing-section",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "content/cluster.md:2:8: error[missing-section] missing section `Problem it addresses` required by template `concept`; help: add a `**Problem it addresses**` section\n"
    );
}
