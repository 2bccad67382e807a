//! The GitHub action and the gate workflow, read as data: no input is pasted
//! into a shell script, the SARIF upload is there and skips fork pull
//! requests, and the workflow grants what the upload needs. (actionlint checks
//! the workflows' syntax in `.ci/run`.)

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

fn load(path: &str) -> Yaml {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

#[test]
fn action_inputs_reach_scripts_only_through_the_environment() {
    let action = load("action.yml");
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let scripts: Vec<&str> = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .collect();
    assert!(scripts.len() >= 4, "{scripts:?}");
    for script in &scripts {
        assert!(
            !script.contains("${{"),
            "an expression pasted into a script:\n{script}"
        );
    }
    // The arguments are split into words, never evaluated.
    let lint = steps
        .iter()
        .find(|step| step["name"].as_str() == Some("Lint"))
        .unwrap();
    assert_eq!(
        lint["env"]["GLOSSLINT_ARGS"].as_str(),
        Some("${{ inputs.args }}")
    );
    assert!(lint["run"]
        .as_str()
        .unwrap()
        .contains("read -r -a args <<< \"$GLOSSLINT_ARGS\""));
    // No source build on every run: the install is cached.
    assert!(steps
        .iter()
        .any(|step| step["uses"].as_str() == Some("actions/cache@v4")));
    let upload = steps
        .iter()
        .find(|step| step["uses"].as_str() == Some("github/codeql-action/upload-sarif@v3"))
        .expect("the action uploads SARIF when asked");
    let condition = upload["if"].as_str().unwrap();
    assert!(
        condition.contains("inputs.upload-sarif == 'true'"),
        "{condition}"
    );
    assert!(
        condition.contains("github.event.pull_request.head.repo.fork"),
        "{condition}"
    );
}

#[test]
fn the_gate_workflow_may_upload_sarif() {
    let workflow = load(".github/workflows/glossary.yml");
    let permissions = &workflow["permissions"];
    assert_eq!(permissions["actions"].as_str(), Some("read"));
    assert_eq!(permissions["security-events"].as_str(), Some("write"));
    let steps = workflow["jobs"]["gate"]["steps"].as_vec().unwrap();
    let gate = steps
        .iter()
        .find(|step| step["uses"].as_str() == Some("./"))
        .expect("the gate runs this repository's action");
    assert_eq!(gate["with"]["upload-sarif"].as_str(), Some("true"));
}
