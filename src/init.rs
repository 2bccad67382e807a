//! `glosslint init`: a starter `glosslint.toml` and `rules/templates.toml`.

/// The starter configuration.
pub const CONFIG: &str = r#"# glosslint configuration: https://github.com/glosslint/glosslint#configuration
[files]
entries = ["entries/**/*.md"]
dumps = []
exclude = []

[entries]
term_field = "term"

[rules]
# short-body = { level = "warning", min-words = 25 }
"#;

/// The starter templates.
pub const TEMPLATES: &str = r#"# Section templates: each names the sections an entry must have, in order.
[templates.practice]
applies = "detected"
lead = "bold-term"
sections = [
  { heading = "What Is {term}?", items = ["Definition", "Core Mechanism", "Operational Scope", "Failure Modes"] },
  { heading = "Why {term} Matters" },
  { heading = "How It Is Used in Practice", items = ["Method Selection", "Calibration", "Validation"] },
]
"#;

use std::path::Path;

use crate::data::{self, Value};

/// What `glosslint init` found in a folder and the files it writes there.
#[derive(Debug)]
pub struct Plan {
    /// What was detected and chosen, one line each, for the user.
    pub report: Vec<String>,
    /// `glosslint.toml`.
    pub config: String,
    /// `rules/templates.toml`, for plain entry files only.
    pub templates: Option<&'static str>,
}

/// Looks at `root`: a Hugo site (`hugo.toml` or `config.toml` beside
/// `content/`), an Obsidian vault (`.obsidian/`), a Foam workspace (`.foam/`,
/// `.vscode/foam.json`, or a `.vscode/extensions.json` recommending Foam; at
/// the root or in a folder just under it), else plain entry files.
pub fn plan(root: &Path) -> Plan {
    if let Some(plan) = hugo(root) {
        return plan;
    }
    if let Some(plan) = vault(root) {
        return plan;
    }
    Plan {
        report: vec![
            "detected: no site generator or note app; plain entry files".into(),
            "chose: entries under entries/, a starter template".into(),
        ],
        config: CONFIG.into(),
        templates: Some(TEMPLATES),
    }
}

fn hugo(root: &Path) -> Option<Plan> {
    let config_file = ["hugo.toml", "config.toml"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file())?;
    if !root.join("content").is_dir() {
        return None;
    }
    let name = config_file.file_name()?.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(&config_file).unwrap_or_default();
    let site = data::parse_toml(&text).ok();
    let string = |key: &str| {
        site.as_ref()
            .and_then(|site| site.get(key))
            .and_then(|(_, node)| match &node.value {
                Value::Str(text) => Some(text.clone()),
                _ => None,
            })
    };
    let default_language = string("defaultContentLanguage").unwrap_or_else(|| "en".into());
    let languages: Vec<String> = site
        .as_ref()
        .and_then(|site| site.get("languages"))
        .and_then(|(_, node)| match &node.value {
            Value::Map(entries) => Some(entries.iter().map(|(key, _)| key.name.clone()).collect()),
            _ => None,
        })
        .unwrap_or_default();
    let language_folders = languages
        .iter()
        .any(|language| root.join("content").join(language).is_dir());
    let glossary_tooltips = root
        .join("layouts/shortcodes/glossary_tooltip.html")
        .is_file();
    let mut report = vec![format!(
        "detected: a Hugo site ({name} and content/){}",
        if languages.is_empty() {
            String::new()
        } else {
            format!(", languages {}", languages.join(", "))
        }
    )];
    let mut config = String::from("# Written by `glosslint init` for a Hugo site.\n[files]\n");
    if glossary_tooltips {
        report.push(
            "detected: the glossary_tooltip shortcode; entries under docs/reference/glossary/, every page read for its tooltips".into(),
        );
        let dir = if language_folders {
            "content/*"
        } else {
            "content"
        };
        config.push_str(&format!(
            "entries = [\"{dir}/docs/reference/glossary/*.md\"]\nexclude = [\"{dir}/docs/reference/glossary/index.md\"]\nreferrers = [\"content/**/*.md\"]\n"
        ));
    } else {
        config.push_str(
            "entries = [\"content/**/*.md\"]\nexclude = [\"**/_index.md\", \"**/_TEMPLATE.md\", \"content/*/search.md\"]\n",
        );
    }
    config.push_str("\n[entries]\nterm_field = \"title\"\n");
    if glossary_tooltips {
        config.push_str("alias_fields = [\"aka\"]\nid_field = \"id\"\n");
    }
    config.push_str("keys = \"any-case\"\n\n[references]\nrelative = \"page\"\n");
    if root.join("static/_redirects").is_file() {
        report.push("detected: static/_redirects".into());
        config.push_str("redirects = [\"static/_redirects\"]\n");
    }
    if root.join("static").is_dir() {
        config.push_str("static = [\"static\"]\n");
    }
    if glossary_tooltips && language_folders {
        config.push_str(&format!("fallback_namespace = \"{default_language}\"\n"));
    }
    if language_folders {
        report.push(format!(
            "chose: a route and a namespace per language folder through {{lang}}, `/` for {default_language}"
        ));
        config.push_str(&format!(
            "\n[[references.routes]]\nprefix = \"/\"\ndir = \"content/{default_language}\"\n\n[[references.routes]]\nprefix = \"/{{lang}}/\"\ndir = \"content/{{lang}}\"\n"
        ));
    } else {
        config.push_str("\n[[references.routes]]\nprefix = \"/\"\ndir = \"content\"\n");
    }
    if glossary_tooltips {
        // `glossary_tooltip` and `glossary_definition` both name an entry
        // by its file name.
        config.push_str(
            "\n[[references.patterns]]\nname = \"glossary-shortcodes\"\nregex = '\\{\\{<\\s*glossary_(?:tooltip|definition)\\b[^>]*?\\bterm_id=\"(?P<stem>[^\"]+)\"[^>]*>\\}\\}'\n",
        );
        // The glossary page renders `term-{{ .Params.id }}` for each entry
        // of its folder, and the tooltips link there.
        report.push(
            "chose: the glossary page's #term-<id> anchors, one per entry of its folder".into(),
        );
        let dir = if language_folders {
            "content/{lang}"
        } else {
            "content"
        };
        config.push_str(&format!(
            "\n[[references.anchors]]\npage = \"{dir}/docs/reference/glossary/index.md\"\nanchor = \"term-{{id}}\"\n"
        ));
        config.push_str("\n[[references.fields]]\nfield = \"full_link\"\n");
    }
    // A tooltip shows one sentence, and a glossary written for tooltips
    // defines in one: `short-body`'s 25 words would call each a stub.
    let tooltip_length = "short-body = { min-words = 10 }";
    if glossary_tooltips {
        report
            .push("chose: short-body at 10 words, as tooltip definitions are one sentence".into());
    }
    if language_folders {
        config
            .push_str("\n[[overrides]]\nfiles = [\"content/{lang}/**\"]\nnamespace = \"{lang}\"\n");
        if glossary_tooltips {
            config.push_str(&format!("rules = {{ {tooltip_length} }}\n"));
        }
    } else if glossary_tooltips {
        config.push_str(&format!("\n[rules]\n{tooltip_length}\n"));
    }
    report.push("chose: `title` as the term, front matter keys without case, links relative to the built page".into());
    Some(Plan {
        report,
        config,
        templates: None,
    })
}

fn vault(root: &Path) -> Option<Plan> {
    let folders = std::iter::once(root.to_path_buf()).chain(
        std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|item| item.file_type().is_ok_and(|kind| kind.is_dir()))
            .map(|item| item.path())
            .filter(|path| {
                !path
                    .file_name()
                    .is_some_and(|name| name.to_string_lossy().starts_with('.'))
            }),
    );
    for folder in folders {
        let app = if folder.join(".obsidian").is_dir() {
            "an Obsidian vault (.obsidian/)"
        } else if folder.join(".foam").is_dir() || folder.join(".vscode/foam.json").is_file() {
            "a Foam workspace"
        } else if std::fs::read_to_string(folder.join(".vscode/extensions.json"))
            .is_ok_and(|text| text.contains("foam.foam-vscode"))
        {
            "a Foam workspace (.vscode/extensions.json recommends Foam)"
        } else {
            continue;
        };
        let relative = folder
            .strip_prefix(root)
            .ok()
            .map(|path| path.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let glob = if relative.is_empty() {
            "**/*.md".to_string()
        } else {
            format!("{relative}/**/*.md")
        };
        let shown = if relative.is_empty() {
            ".".into()
        } else {
            format!("{relative}/")
        };
        return Some(Plan {
            report: vec![
                format!("detected: {app} in {shown}"),
                "chose: [[links]] by file name, case-insensitive, anywhere in the notes".into(),
                "chose: a note without a title or a heading is named by its file".into(),
            ],
            config: format!(
                "# Written by `glosslint init` for a note app.\n[files]\nentries = [\"{glob}\"]\n\n[entries]\nterm_from = [\"field\", \"h1\", \"file-name\"]\n\n[references]\nwiki = \"file\"\n"
            ),
            templates: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_folders_get_the_starter() {
        let dir = tempfile::tempdir().unwrap();
        let plan = plan(dir.path());
        assert_eq!(plan.config, CONFIG);
        assert!(plan.templates.is_some());
    }

    #[test]
    fn a_multilingual_hugo_site_gets_lang_routes_and_redirects() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["content/en", "content/tr", "static"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        std::fs::write(
            dir.path().join("config.toml"),
            "defaultContentLanguage = \"en\"\n[languages]\n[languages.en]\nweight = 1\n[languages.tr]\nweight = 2\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("static/_redirects"), "/a/ /b/\n").unwrap();
        let plan = plan(dir.path());
        assert!(
            plan.report[0].contains("languages en, tr"),
            "{:?}",
            plan.report
        );
        for wanted in [
            "redirects = [\"static/_redirects\"]",
            "prefix = \"/{lang}/\"",
            "namespace = \"{lang}\"",
            "relative = \"page\"",
        ] {
            assert!(plan.config.contains(wanted), "{wanted} in {}", plan.config);
        }
    }

    #[test]
    fn a_foam_workspace_one_folder_down() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs/.vscode")).unwrap();
        std::fs::write(
            dir.path().join("docs/.vscode/extensions.json"),
            "{ \"recommendations\": [\"foam.foam-vscode\"] }",
        )
        .unwrap();
        let plan = plan(dir.path());
        assert!(
            plan.config.contains("entries = [\"docs/**/*.md\"]"),
            "{}",
            plan.config
        );
        assert!(plan.config.contains("wiki = \"file\""));
        assert!(
            plan.config
                .contains("term_from = [\"field\", \"h1\", \"file-name\"]"),
            "{}",
            plan.config
        );
    }

    #[test]
    fn a_hugo_glossary_with_tooltips_gets_ids_and_the_glossary_page_anchors() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["content/en", "content/ko", "layouts/shortcodes"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        std::fs::write(
            dir.path().join("layouts/shortcodes/glossary_tooltip.html"),
            "",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("hugo.toml"),
            "[languages.en]\nweight = 1\n[languages.ko]\nweight = 2\n",
        )
        .unwrap();
        let plan = plan(dir.path());
        for wanted in [
            "id_field = \"id\"",
            "[[references.anchors]]\npage = \"content/{lang}/docs/reference/glossary/index.md\"\nanchor = \"term-{id}\"\n",
        ] {
            assert!(plan.config.contains(wanted), "{wanted} in {}", plan.config);
        }
    }
}
