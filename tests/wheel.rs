//! The Python wheel (`pyproject.toml`, maturin `bindings = "bin"`): built,
//! installed into a fresh virtual environment, and the `glosslint` it puts on
//! PATH runs a check. Needs maturin and Python's `venv` (`.ci/run` installs
//! maturin and sets `GLOSSLINT_REQUIRE_WHEEL`, so there a missing tool fails).

use std::path::Path;
use std::process::{Command, Output};

fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|out| out.status.success())
}

fn shown(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn the_wheel_installs_a_glosslint_that_checks_a_corpus() {
    let required = std::env::var_os("GLOSSLINT_REQUIRE_WHEEL").is_some();
    if !available("maturin", &["--version"]) || !available("python3", &["-m", "venv", "-h"]) {
        assert!(!required, "maturin and python3 -m venv are required here");
        eprintln!("skipped: maturin or python3 -m venv missing (`.ci/run` installs maturin)");
        return;
    }
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let wheels = scratch.path().join("wheels");
    // The dev profile, in a target folder of its own (kept between runs) so
    // that the binary the other tests run is never overwritten; the release
    // wheel is what `.ci/run` builds and runs on entries/.
    let build = Command::new("maturin")
        .current_dir(here)
        .args(["build", "--profile", "dev", "--quiet", "--target-dir"])
        .arg(here.join("target/hook-build"))
        .arg("--out")
        .arg(&wheels)
        .output()
        .unwrap();
    assert!(build.status.success(), "maturin build:\n{}", shown(&build));
    let wheel = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .expect("maturin wrote a wheel");

    let venv = scratch.path().join("venv");
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .unwrap();
    assert!(created.status.success(), "venv:\n{}", shown(&created));
    let install = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--disable-pip-version-check",
        ])
        .arg(&wheel)
        .output()
        .unwrap();
    assert!(
        install.status.success(),
        "pip install:\n{}",
        shown(&install)
    );

    let project = scratch.path().join("project");
    std::fs::create_dir_all(project.join("entries")).unwrap();
    std::fs::write(
        project.join("glosslint.toml"),
        "[files]\nentries = [\"entries/*.md\"]\n\n[rules]\nshort-body = \"off\"\n",
    )
    .unwrap();
    std::fs::write(
        project.join("entries/acid.md"),
        "---\nterm: Acid Recovery\n---\nReclaims spent acids.\n",
    )
    .unwrap();
    std::fs::write(
        project.join("entries/acid-2.md"),
        "---\nterm: acid recovery\n---\nA second definition.\n",
    )
    .unwrap();
    let installed = venv.join("bin/glosslint");
    assert!(installed.is_file(), "the wheel puts glosslint in bin/");
    let check = Command::new(&installed)
        .current_dir(&project)
        .args(["check", "--output-format", "concise", "--no-cache"])
        .output()
        .unwrap();
    let report = shown(&check);
    assert_eq!(check.status.code(), Some(1), "{report}");
    assert!(report.contains("error[duplicate-term]"), "{report}");
}
