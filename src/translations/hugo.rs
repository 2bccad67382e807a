//! `glosslint init` on a Hugo site with languages: the `[translations]`
//! table read off the site's configuration (`contentDir` per language).

use std::path::Path;

/// The `[translations]` table for the Hugo site at `root`, when its
/// `config.toml` or `hugo.toml` declares languages with their own
/// `contentDir`; `None` otherwise.
pub fn translations_section(root: &Path) -> Option<String> {
    let text = ["hugo.toml", "config.toml"]
        .iter()
        .find_map(|name| std::fs::read_to_string(root.join(name)).ok())?;
    let site = crate::data::parse_toml(&text).ok()?;
    let string = |node: &crate::data::Node, key: &str| match node.get(key) {
        Some((
            _,
            crate::data::Node {
                value: crate::data::Value::Str(text),
                ..
            },
        )) => Some(text.trim_matches('/').to_string()),
        _ => None,
    };
    let default_language = string(&site, "defaultContentLanguage").unwrap_or_else(|| "en".into());
    let (_, languages) = site.get("languages")?;
    let crate::data::Value::Map(languages) = &languages.value else {
        return None;
    };
    let mut source = string(&site, "contentDir");
    let mut targets = Vec::new();
    for (name, settings) in languages {
        let folder = string(settings, "contentDir");
        if name.name == default_language {
            source = folder.or(source);
        } else if let Some(folder) = folder {
            targets.push(folder);
        }
    }
    let source = source?;
    if targets.is_empty() {
        return None;
    }
    targets.sort();
    let targets: Vec<String> = targets.iter().map(|t| format!("{t:?}")).collect();
    Some(format!(
        "\n[translations]\n# Read from the Hugo configuration's languages.\nsource = {source:?}\ntargets = [{}]\npair_by = \"path\"\n",
        targets.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_language_folder_of_a_hugo_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "contentDir = \"content/en\"\ndefaultContentLanguage = \"en\"\n[languages]\n[languages.en]\nweight = 1\n[languages.fr]\ncontentDir = \"content/fr\"\n[languages.de]\ncontentDir = \"content/de\"\n",
        )
        .unwrap();
        let section = translations_section(dir.path()).unwrap();
        assert!(section.contains("source = \"content/en\"\n"), "{section}");
        assert!(
            section.contains("targets = [\"content/de\", \"content/fr\"]"),
            "{section}"
        );
        std::fs::write(dir.path().join("config.toml"), "title = \"one language\"\n").unwrap();
        assert_eq!(translations_section(dir.path()), None);
    }
}
