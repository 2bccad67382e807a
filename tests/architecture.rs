//! The shape ARCHITECTURE.md promises, checked on the source itself: the
//! top-level modules import each other one way only, and no code outside
//! `src/rules/` names a rule (a rule's special needs are flags in its
//! metadata, `Rule::flags` and `Rule::needs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use glosslint::rules::Registry;

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

/// A file's code before its test module, without comment lines.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to (`src/rules/x/y.rs` is `rules`).
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(source_root()).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&source_root(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&file);
        if module == "main" || module == "lib" {
            continue;
        }
        let code = code_of(&file);
        let used = graph.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != module && !name.is_empty() {
                used.insert(name);
            }
        }
    }
    graph
}

/// Every module `from` reaches through imports.
fn reach(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_string()];
    while let Some(module) = stack.pop() {
        for next in graph.get(&module).into_iter().flatten() {
            if seen.insert(next.clone()) {
                stack.push(next.clone());
            }
        }
    }
    seen
}

#[test]
fn top_level_modules_import_one_way() {
    let graph = imports();
    // `model` is the data `parse` produces; an entry's `Body` holds the
    // facts `parse::text` computes on first use, so the two are one stage.
    let same_stage = |a: &str, b: &str| matches!((a, b), ("model", "parse") | ("parse", "model"));
    let mut cycles = Vec::new();
    for module in graph.keys() {
        for other in reach(&graph, module) {
            if &other != module
                && !same_stage(module, &other)
                && module < &other
                && reach(&graph, &other).contains(module)
            {
                cycles.push(format!("{module} <-> {other}"));
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles: {cycles:?}");
}

#[test]
fn no_code_outside_the_rules_names_a_rule() {
    let ids: Vec<&str> = Registry::builtin().ids().collect();
    let mut files = Vec::new();
    rust_files(&source_root(), &mut files);
    let mut named = Vec::new();
    for file in files {
        if file.starts_with(source_root().join("rules")) {
            continue;
        }
        let code = code_of(&file);
        for id in &ids {
            if code.contains(&format!("\"{id}\"")) {
                named.push(format!("{} names `{id}`", module_of(&file)));
            }
        }
    }
    assert!(named.is_empty(), "{named:?}");
}
