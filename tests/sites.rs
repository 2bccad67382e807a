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
    check_in(&project, rules).0
}

/// What `check --select rules` prints in `project`, concise: stdout, stderr.
fn check_in(project: &Path, rules: &str) -> (String, String) {
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(project)
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
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn kubernetes_tooltips_full_links_redirects_and_languages() {
    // Tooltips find entries by file name without case (`term_id="Pod"`),
    // in the page's language and then in English; docs pages are read for
    // their tooltips only; `/dockershim` is answered by `_redirects`;
    // `{#container-images}` is an anchor; `/zh-cn/dockershim` is a blog
    // post's Hugo `aliases:`; the glossary page renders `#term-<id>` for
    // every entry of its folder (`#term-member`, and `#term-workloads` for
    // `workload.md`, whose id differs from its file name), a query
    // (`?all=true`) is not part of the path. What stays: a `full_link`
    // holding an unexpanded shortcode, and `#term-workload`, the file name
    // where the glossary page renders the id.
    assert_eq!(
        check(
            "kubernetes",
            "broken-reference,broken-anchor,self-reference,orphan-entry,unlinked-mention,malformed-entry"
        ),
        "content/en/docs/reference/glossary/host-aliases.md:4:12: error[broken-reference] `(/docs/reference/generated/kubernetes-api/{{< param \"version\" >}}/#hostalias-v1-core)` resolves to no entry; help: no entry has this term, alias or path\n\
         content/en/docs/reference/glossary/upstream.md:14:39: error[broken-anchor] `(#term-workload)`: `Upstream (disambiguation)` has no heading `#term-workload`; the target entry: content/en/docs/reference/glossary/upstream.md:2:8; help: the target has no headings to link to\n"
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
    // a block; the link inside `%% ... %%` is no link. A note with no
    // title and no heading is named by its file (`term_from` ends with
    // "file-name"), so it has a term and links to it count.
    assert_eq!(
        check(
            "foam",
            "broken-reference,broken-anchor,self-reference,orphan-entry,missing-term"
        ),
        "docs/index.md:9:6: error[broken-reference] `[[getting-started]]` resolves to no entry; help: no entry has this term, alias or path\n"
    );
}

/// A new temporary folder holding `files` (path, text).
fn write_project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let to = dir.path().join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    dir
}

/// Writes `files` (path, text) into a new temporary project and checks it
/// with the rules `select`, concise.
fn check_project(files: &[(&str, &str)], select: &str) -> String {
    let dir = write_project(files);
    let (stdout, stderr) = check_in(dir.path(), select);
    stdout + &stderr
}

#[test]
fn a_pattern_id_group_finds_entries_by_their_id_folded_like_terms() {
    // `{{< term id="Cluster_IP" >}}` finds the entry whose `id:` is
    // `cluster-ip` (case, `-` and `_` folded as in terms), not by its file
    // name; an id that no entry has is broken.
    let out = check_project(
        &[
            (
                "glosslint.toml",
                "[files]\nentries = [\"terms/*.md\"]\n\n[entries]\nterm_field = \"title\"\nid_field = \"id\"\n\n[[references.patterns]]\nname = \"term\"\nregex = '\\{\\{<\\s*term\\s+id=\"(?P<id>[^\"]+)\"\\s*>\\}\\}'\n",
            ),
            (
                "terms/service-ip.md",
                "---\ntitle: Cluster IP\nid: cluster-ip\n---\nThe address of a {{< term id=\"Pod\" >}} service.\n",
            ),
            (
                "terms/pod.md",
                "---\ntitle: Pod\nid: pod\n---\nA pod has a {{< term id=\"Cluster_IP\" >}} and a {{< term id=\"service-ip\" >}}.\n",
            ),
        ],
        "broken-reference,orphan-entry",
    );
    assert_eq!(
        out,
        "terms/pod.md:5:48: error[broken-reference] `service-ip` resolves to no entry; help: did you mean `Cluster IP`?\n"
    );
}

#[test]
fn a_term_from_the_file_name_points_at_the_first_line() {
    // Two notes named alike in two folders, neither with a title or a
    // heading: the duplicate is reported at each file's first line.
    let out = check_project(
        &[
            (
                "glosslint.toml",
                "[references]\nwiki = \"file\"\n\n[entries]\nterm_from = [\"field\", \"h1\", \"file-name\"]\n",
            ),
            ("a/Daily.md", "A note written on a day, every day.\n"),
            ("b/daily.md", "Another note written on a day.\n"),
        ],
        "duplicate-term,missing-term",
    );
    assert!(
        out.starts_with("a/Daily.md:1:1: error[duplicate-term]"),
        "{out}"
    );
    assert!(
        out.contains("\nb/daily.md:1:1: error[duplicate-term]"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn unknown_reference_keys_and_bad_patterns_are_errors_with_spans() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("glosslint.toml"),
        "[references]\nwiki = \"files\"\nredirect = []\n\n[[references.patterns]]\nname = \"x\"\nregex = 'term_id=\"[^\"]+\"'\n\n[[references.patterns]]\nname = \"y\"\nregex = 'id=\"(?P<id>[^\"]+)\"'\n\n[[references.anchors]]\npage = \"glossary/index.md\"\nanchor = \"term-\"\n\n[entries]\nterm_from = [\"file\"]\n",
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
        stderr.contains("names no group `term`, `id`, `stem` or `path`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("this names an entry's id, but no `[entries] id_field`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the anchor names the entry nowhere"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`file` is not one of `field`, `h1`, `file-name`"),
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
    let out = check_project(
        &[
            (
                "glosslint.toml",
                "[files]\nentries = [\"content/**/*.md\"]\n\n[entries]\nterm_field = \"title\"\n",
            ),
            (
                "rules/templates.toml",
                "[templates.concept]\napplies = \"always\"\nwhen = { category = [\"concept\", \"technology\"] }\nsections = [{ heading = [\"Problem it addresses\", \"Quel problème résout-il\"] }, { heading = [\"How it helps\", \"Comment ça aide\", \"How it works\"] }]\n",
            ),
            (
                "content/idempotence.md",
                "---\ntitle: Idempotence\ncategory: property\n---\n\nIdempotence means that doing a thing twice is the same as doing it once, whatever the thing.\n",
            ),
            (
                "content/cluster.md",
                "---\ntitle: Cluster\ncategory: Concept\n---\n\nA cluster is a group of computers working together towards a common goal.\n\n## How it works\n\nThe machines share the load.\n",
            ),
            (
                "content/fr/conteneur.md",
                "---\ntitle: Conteneur\ncategory: technology\n---\n\nUn conteneur regroupe une application et ses dépendances.\n\n## Quel problème résout-il\n\nLes dépendances.\n\n## Comment ça aide\n\nIl isole l’application.\n",
            ),
        ],
        "missing-section",
    );
    assert_eq!(
        out,
        "content/cluster.md:2:8: error[missing-section] missing section `Problem it addresses` required by template `concept`; help: add a `**Problem it addresses**` section\n"
    );
}

/// The TOML block of the README's real-sites example headed `**{site}**`.
fn readme_example(site: &str) -> String {
    let readme = include_str!("../README.md");
    let from = readme
        .find(&format!("**{site}**"))
        .unwrap_or_else(|| panic!("no README example for {site}"));
    let rest = &readme[from..];
    let start = rest.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + rest[start..].find("```").unwrap();
    rest[start..end].to_string()
}

/// What `glosslint init` writes in a folder holding `files`, without its
/// comment line and the `[translations]` table (the Translations section's).
fn init_in(files: &[(&str, &str)]) -> String {
    let dir = write_project(files);
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let written = std::fs::read_to_string(dir.path().join("glosslint.toml")).unwrap();
    let written = written
        .split("\n[translations]")
        .next()
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("# Written by"))
        .collect::<Vec<_>>()
        .join("\n");
    written.trim_end().to_string() + "\n"
}

#[test]
fn init_writes_the_readme_example_of_each_site() {
    // Folders shaped as the three corpora: what init detects in each.
    let hugo =
        "defaultContentLanguage = \"en\"\n[languages.en]\nweight = 1\n[languages.ko]\nweight = 2\n";
    let kubernetes = init_in(&[
        ("config.toml", hugo),
        (
            "content/en/docs/reference/glossary/pod.md",
            "---\ntitle: Pod\n---\n",
        ),
        (
            "content/ko/docs/reference/glossary/pod.md",
            "---\ntitle: 파드\n---\n",
        ),
        ("layouts/shortcodes/glossary_tooltip.html", ""),
        ("static/_redirects", "/a /b 301\n"),
    ]);
    assert_eq!(kubernetes, readme_example("Kubernetes website"));
    let cncf = init_in(&[
        ("config.toml", hugo),
        ("content/en/cluster.md", "---\ntitle: Cluster\n---\n"),
        ("content/ko/cluster.md", "---\ntitle: 클러스터\n---\n"),
        ("static/_redirects", "/a /b 301\n"),
    ]);
    assert_eq!(cncf, readme_example("CNCF glossary"));
    let foam = init_in(&[
        (
            "docs/.vscode/extensions.json",
            "{ \"recommendations\": [\"foam.foam-vscode\"] }",
        ),
        ("docs/index.md", "# Foam\n"),
    ]);
    assert_eq!(foam, readme_example("Foam docs"));
}

#[test]
fn a_named_referrer_page_is_read_for_its_links_and_never_reported() {
    // Pre-commit names every staged page; a docs page is a referrer there
    // (read for its tooltips), never an entry, so naming it reports nothing
    // of it while the entries it names are still judged.
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/kubernetes");
    let page = "content/en/docs/concepts/workloads/pods/_index.md";
    assert!(project.join(page).is_file());
    let out = Command::cargo_bin("glosslint")
        .unwrap()
        .current_dir(&project)
        .args(["check", "--no-cache", "--format", "concise", page])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stdout.contains(page), "{stdout}");
    assert!(
        format!("{stdout}{stderr}").contains("Checked 0 files"),
        "{stdout}{stderr}"
    );
}

#[test]
fn a_template_in_a_body_link_is_the_sites_but_in_front_matter_it_is_broken() {
    // Hugo expands a shortcode in the body (the link is filled in when the
    // site builds) but never in front matter, where `{{< param >}}` reaches
    // the reader as written: the Kubernetes `host-aliases.md` full_link.
    let out = check_project(
        &[
            (
                "glosslint.toml",
                "[files]\nentries = [\"terms/*.md\"]\n\n[entries]\nterm_field = \"title\"\n\n[[references.fields]]\nfield = \"full_link\"\n",
            ),
            (
                "terms/alias.md",
                "---\ntitle: Host alias\nfull_link: /api/{{< param \"version\" >}}/alias/\n---\nSee the [API](/api/{{< param \"version\" >}}/alias/) of a host alias.\n",
            ),
        ],
        "broken-reference",
    );
    assert_eq!(
        out,
        "terms/alias.md:3:12: error[broken-reference] `(/api/{{< param \"version\" >}}/alias/)` resolves to no entry; help: did you mean `Host alias`?\n"
    );
}
