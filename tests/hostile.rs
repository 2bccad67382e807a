//! Hostile input (issue 8): the binary on files built to break it.
//!
//! Every case runs the debug binary in a temporary project and checks that it
//! - does not panic (exit status not 101, no `panicked` on standard error),
//! - ends with the exit status of SPEC 5 and, where the input is defective,
//!   the right rule id,
//! - takes time roughly linear in the input (a generous wall-clock bound per
//!   case, sized for debug builds on a busy two-core machine), and
//! - keeps its peak memory bounded: peak RSS < 40 x the input + 64 MiB
//!   (measured with `/usr/bin/time -f %M` when present, otherwise by polling
//!   `VmHWM` in `/proc/<pid>/status` every 10 ms).
//!
//! Several cases are regressions of super-linear behaviour found while writing
//! this suite; each says which. Inputs that fuzzing found are replayed by
//! `fuzz_findings_stay_fixed` from `tests/fixtures/hostile/fuzz/<target>/`.

mod common;

use common::project;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[allow(dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod fuzz;

const MIB: u64 = 1024 * 1024;

/// A well-formed entry with no finding at all.
const GOOD: &str = "---\nterm: Acid Recovery\n---\nAcid recovery is the reclamation of spent acids from process streams for reuse or value recovery, which lowers raw acid consumption and the treatment burden of the plant.\n";

/// Front matter that names a term, for bodies built below.
const HEAD: &str = "---\nterm: Hostile\n---\n";

/// One run of the binary.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// User and system CPU time (the wall-clock time without `/usr/bin/time`):
    /// steadier than wall-clock time on a machine others are using.
    cpu: Duration,
    /// Peak resident set size in bytes.
    peak: u64,
}

impl Run {
    /// Rule id to number of findings, from `--format json` output.
    fn rules(&self) -> BTreeMap<String, usize> {
        let json: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {:.500}", self.stdout));
        let mut rules = BTreeMap::new();
        for diagnostic in json["diagnostics"].as_array().expect("diagnostics") {
            *rules
                .entry(diagnostic["rule"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        rules
    }
}

/// Runs the binary in `dir` and measures its time and peak memory.
fn run(dir: &Path, args: &[&str]) -> Run {
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        run_under_time(time, dir, args)
    } else {
        run_polling(dir, args)
    }
}

fn command(program: &Path, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null());
    command
}

const PEAK_MARK: &str = "GLOSSLINT_PEAK_KIB=";
const CPU_MARK: &str = "GLOSSLINT_CPU=";

fn run_under_time(time: &Path, dir: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let output = command(time, dir)
        .arg("-f")
        .arg(format!("{CPU_MARK}%U+%S {PEAK_MARK}%M"))
        .arg(env!("CARGO_BIN_EXE_glosslint"))
        .args(args)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let (stderr, peak, cpu) = match stderr.rfind(CPU_MARK) {
        Some(at) => {
            let measured = &stderr[at + CPU_MARK.len()..];
            let (cpu, peak) = measured.split_once(PEAK_MARK).unwrap();
            let kib: u64 = peak.trim().parse().unwrap();
            let seconds: f64 = cpu
                .trim()
                .split('+')
                .map(|part| part.parse::<f64>().unwrap())
                .sum();
            // GNU time adds "Command exited with non-zero status N" before it.
            let own = stderr[..at]
                .trim_end()
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end_matches("Command exited with non-zero status ")
                .to_string();
            (own, kib * 1024, Duration::from_secs_f64(seconds))
        }
        None => return run_polling(dir, args),
    };
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
        elapsed,
        cpu,
        peak,
    }
}

fn run_polling(dir: &Path, args: &[&str]) -> Run {
    use std::io::Read;
    let started = Instant::now();
    let mut child = command(Path::new(env!("CARGO_BIN_EXE_glosslint")), dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = Vec::new();
        out.read_to_end(&mut text).map(|_| text)
    });
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        err.read_to_end(&mut text).map(|_| text)
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            for line in status.lines() {
                if let Some(kib) = line.strip_prefix("VmHWM:") {
                    let kib: u64 = kib
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse()
                        .unwrap_or(0);
                    peak = peak.max(kib * 1024);
                }
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&out.join().unwrap().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap().unwrap()).into_owned(),
        elapsed,
        cpu: elapsed,
        peak,
    }
}

/// No panic, the expected exit status, within `seconds`, and memory within
/// 40 x the input + 64 MiB.
#[track_caller]
fn assert_sane(run: &Run, code: i32, input: u64, seconds: u64) {
    assert_sane_within(run, code, input, seconds, 40);
}

/// Every entry keeps pulldown-cmark's events (about 90 bytes each) for the
/// rules to read, and the parser's own tree lives while they are collected:
/// text where every two or three bytes make a token (`**a **a ...`) peaks at
/// about 130 bytes per input byte. Still linear; this is its bound.
const DENSE: u64 = 160;

/// [`assert_sane`] with memory within `per_byte` x the input + 64 MiB.
#[track_caller]
fn assert_sane_within(run: &Run, code: i32, input: u64, seconds: u64, per_byte: u64) {
    assert_ne!(run.code, Some(101), "panicked: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(
        !run.stdout.contains("internal-error"),
        "a panic was caught: {:.2000}",
        run.stdout
    );
    assert_eq!(
        run.code,
        Some(code),
        "stderr: {}\nstdout: {:.2000}",
        run.stderr,
        run.stdout
    );
    assert!(
        run.elapsed < Duration::from_secs(seconds),
        "took {:?} (bound {seconds} s)",
        run.elapsed
    );
    let bound = per_byte * input + 64 * MIB;
    assert!(
        run.peak < bound,
        "peak RSS {} MiB over the bound {} MiB",
        run.peak / MIB,
        bound / MIB
    );
    eprintln!(
        "  {:?} ({:?} CPU), peak {:.1} MiB for {:.1} MiB of input",
        run.elapsed,
        run.cpu,
        run.peak as f64 / MIB as f64,
        input as f64 / MIB as f64
    );
}

/// Lints one entry file `e.md` holding `contents` with `--format json`.
fn lint_entry(contents: &[u8]) -> Run {
    let dir = project(&[("e.md", contents)]);
    run(dir.path(), &["check", "--format", "json", "e.md"])
}

fn rules(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(id, n)| (id.to_string(), *n)).collect()
}

// ---------------------------------------------------------------- encodings

#[test]
fn invalid_utf8_is_reported_and_the_rest_checked() {
    let mut text = GOOD.as_bytes().to_vec();
    let at = text.len() - 10;
    text.splice(at..at, [0xff, 0xfe, b' ', 0xe2, 0x82]);
    let run = lint_entry(&text);
    assert_sane(&run, 1, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[("control-character", 2)]));
}

/// Regression: `control-character` looked each stand-in byte up in every
/// invalid range, quadratic in their number (200,000 took 220 s).
#[test]
fn many_invalid_bytes_are_linear() {
    let mut text = HEAD.as_bytes().to_vec();
    for _ in 0..50_000 {
        text.extend_from_slice(b"\xffa");
    }
    let dir = project(&[("e.md", &text)]);
    let run = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "control-character",
            "e.md",
        ],
    );
    assert_sane(&run, 1, text.len() as u64, 20);
    assert_eq!(
        run.stdout.matches("error[control-character]").count(),
        50_000
    );
}

/// Regression (found by the `entry_file` fuzz target): in `<!-->` the close
/// overlaps the open, and reading the suppression comment panicked.
#[test]
fn a_comment_whose_close_overlaps_its_open() {
    let text = format!("{GOOD}Then <!-->>> and <!---> and <!---->.\n");
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[]));
}

#[test]
fn nul_bytes_are_control_characters() {
    let text = GOOD.replace("reclamation", "recla\0\0mation");
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 1, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[("control-character", 1)]));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["length"], 2);
}

#[test]
fn a_bom_is_accepted() {
    let text = format!("\u{feff}{GOOD}");
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[]));
}

#[test]
fn crlf_and_lone_cr_line_endings_are_line_endings() {
    for ending in ["\r\n", "\r"] {
        let text = format!("\u{feff}{}", GOOD.replace('\n', ending));
        let run = lint_entry(text.as_bytes());
        assert_sane(&run, 0, text.len() as u64, 10);
        assert_eq!(run.rules(), rules(&[]), "{ending:?}");
        // and a defect is still found, at the right line
        let text = format!("{}**Unclosed bold{ending}", GOOD.replace('\n', ending));
        let run = lint_entry(text.as_bytes());
        assert_sane(&run, 0, text.len() as u64, 10);
        assert_eq!(
            run.rules(),
            rules(&[("unbalanced-emphasis", 1)]),
            "{ending:?}"
        );
    }
}

// ------------------------------------------------------------- sheer size

/// Distinct words, so no rule has anything to say about them.
fn words(bytes: usize) -> String {
    let mut line = String::with_capacity(bytes + 16);
    let mut index = 0u32;
    while line.len() < bytes {
        line.push_str(&format!("w{} ", index % 997));
        index += 1;
    }
    line.truncate(bytes);
    line
}

fn long_line(bytes: usize) -> Run {
    let text = format!("{HEAD}{}\n", words(bytes));
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 90);
    assert_eq!(run.rules(), rules(&[]));
    run
}

/// 20 MB on one line, against 10 MB for rough linearity.
#[test]
fn a_20_mb_line_takes_linear_time() {
    let ten = long_line(10_000_000);
    let twenty = long_line(20_000_000);
    assert!(
        twenty.cpu < ten.cpu * 3 + Duration::from_secs(3),
        "10 MB took {:?} of CPU, 20 MB took {:?}",
        ten.cpu,
        twenty.cpu
    );
}

/// Over `load::MAX_FILE_BYTES` (64 MiB) a file is reported and not parsed, and
/// only the limit's worth of it is read: a 1 GiB sparse file costs no more.
#[test]
fn a_file_over_the_size_limit_is_reported_not_parsed() {
    let dir = project::<&str>(&[]);
    let file = std::fs::File::create(dir.path().join("huge.md")).unwrap();
    file.set_len(1024 * MIB).unwrap();
    let run = run(dir.path(), &["check", "--format", "json", "huge.md"]);
    // bounded by the limit, not by the file: 64 MiB read, held twice at most
    assert_sane(&run, 1, 2 * 64 * MIB, 30);
    assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]));
    assert!(run.stdout.contains("64 MiB limit"), "{}", run.stdout);
}

// ---------------------------------------------------------------- nesting

/// 100,000 nested block quotes, then lazy continuation lines. Regression:
/// `swallowed-block` copied the whole block stack for every line, so 300 lazy
/// lines under 100,000 quotes took 740 MB.
#[test]
fn deeply_nested_block_quotes() {
    let mut text = String::from(HEAD);
    text.push_str(&"> ".repeat(100_000));
    text.push_str("Quoted text\n");
    for index in 0..300 {
        text.push_str(&format!("lazy continuation line {index}\n"));
    }
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 20);
    assert_eq!(run.rules(), rules(&[]));
}

/// 3,000 nested list levels, on one line with 3,000 lazy lines under it
/// (regression: 12 KB took 450 MB, as above), and indented line by line.
#[test]
fn deeply_nested_lists() {
    let mut text = String::from(HEAD);
    text.push_str(&"- ".repeat(3_000));
    text.push_str("item\n");
    for index in 0..3_000 {
        text.push_str(&format!("lazy{index}\n"));
    }
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 20);
    assert_eq!(run.rules(), rules(&[]));

    let mut text = String::from(HEAD);
    for level in 0..3_000 {
        text.push_str(&"  ".repeat(level));
        text.push_str(&format!("- item {level}\n"));
    }
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 40);
    assert_eq!(run.rules(), rules(&[]));
}

// ------------------------------------------------------ unmatched markers

#[test]
fn unmatched_bold_markers() {
    let text = format!("{HEAD}{}\n", "**a ".repeat(200_001));
    let run = lint_entry(text.as_bytes());
    assert_sane_within(&run, 0, text.len() as u64, 20, DENSE);
    assert_eq!(run.rules(), rules(&[("unbalanced-emphasis", 1)]));
}

/// Regression: every unpaired `**` run was compared with every paired one
/// (100,000 of each took 127 s).
#[test]
fn paired_and_unpaired_bold_on_one_line() {
    let text = format!(
        "{HEAD}{}{}\n",
        "**a** ".repeat(100_000),
        "**b ".repeat(100_001)
    );
    let run = lint_entry(text.as_bytes());
    assert_sane_within(&run, 0, text.len() as u64, 20, DENSE);
    assert_eq!(run.rules(), rules(&[("unbalanced-emphasis", 1)]));
}

#[test]
fn unmatched_wiki_link_openers() {
    let text = format!("{HEAD}{}\n", "[[a ".repeat(200_000));
    let run = lint_entry(text.as_bytes());
    assert_sane_within(&run, 0, text.len() as u64, 20, DENSE);
    assert_eq!(run.rules(), rules(&[]));
}

#[test]
fn a_table_50000_columns_wide() {
    let text = format!(
        "{HEAD}|{}\n|{}\n|{}\n",
        "a|".repeat(50_000),
        "-|".repeat(50_000),
        "1|".repeat(49_999)
    );
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 1, text.len() as u64, 20);
    assert_eq!(run.rules(), rules(&[("table-shape", 1)]));
    assert!(run.stdout.contains("49999 cell(s), its header has 50000"));
}

// ------------------------------------------------------------ front matter

#[test]
fn a_yaml_alias_bomb_is_refused_not_expanded() {
    let mut text = String::from("---\nterm: Laughs\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        text.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{previous}"); 9].join(",")
        ));
    }
    text.push_str("---\nBody.\n");
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 1, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]));
    assert!(run.stdout.contains("aliases"), "{}", run.stdout);
}

#[test]
fn front_matter_nested_past_the_depth_limit() {
    // past `data::MAX_DEPTH` (64), and past yaml-rust2's own recursion limit
    for (depth, message) in [(100, "nested deeper than"), (10_000, "recursion limit")] {
        let text = format!(
            "---\nterm: x\nd: {}{}\n---\nBody.\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let run = lint_entry(text.as_bytes());
        assert_sane(&run, 1, text.len() as u64, 10);
        assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]));
        assert!(run.stdout.contains(message), "{}", run.stdout);
    }
    let text = format!(
        "+++\nterm = \"x\"\nd = {}{}\n+++\nBody.\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 1, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]));
}

/// Over `data::MAX_DOCUMENT_BYTES` (256 KiB), front matter is not parsed.
#[test]
fn front_matter_over_the_size_limit() {
    let text = format!(
        "---\nterm: Big\n{}---\nBody.\n",
        "note: filler text for the limit\n".repeat(10_000)
    );
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 1, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]));
    assert!(run.stdout.contains("262144-byte limit"), "{}", run.stdout);
}

#[test]
fn unterminated_front_matter() {
    let text = "---\nterm: Acid\ntags: [a]\nAcid is a body without a closing fence.\n";
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 1, text.len() as u64, 10);
    assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]));
    assert!(run.stdout.contains("never closed"));
}

#[test]
fn a_file_that_is_only_a_fence() {
    for text in ["---", "---\n", "+++\r\n"] {
        let run = lint_entry(text.as_bytes());
        assert_sane(&run, 1, text.len() as u64, 10);
        assert_eq!(run.rules(), rules(&[("malformed-entry", 1)]), "{text:?}");
    }
}

#[test]
fn empty_files() {
    let dir = project(&[("e.md", b""), ("d.txt", b"")]);
    let run = run(dir.path(), &["check", "--format", "json", "e.md", "d.txt"]);
    assert_sane(&run, 1, 0, 10);
    // the empty entry file has no term and no body; the empty dump has no entries
    assert_eq!(
        run.rules(),
        rules(&[("empty-body", 1), ("missing-term", 1)])
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["entries"], 1);
}

// ------------------------------------------------------- the file system

#[test]
fn a_directory_named_like_an_entry() {
    let dir = project(&[
        ("good.md", GOOD.as_bytes()),
        ("x.md/inner.txt", b"not an entry"),
    ]);
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--format", "json", "x.md"],
    ] {
        let run = run(dir.path(), args);
        assert_sane(&run, 0, 1024, 10);
        assert_eq!(run.rules(), rules(&[]));
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = project(&[("good.md", GOOD.as_bytes())]);
    symlink("b.md", dir.path().join("a.md")).unwrap();
    symlink("a.md", dir.path().join("b.md")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    symlink("..", dir.path().join("sub/up")).unwrap();
    // walking the corpus: links are not followed, the loop is never entered
    let run = run(dir.path(), &["check", "--format", "json"]);
    assert_sane(&run, 0, 1024, 10);
    assert_eq!(run.rules(), rules(&[]));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1);
    // naming the loop: it cannot be read, the run fails (exit 2)
    let run = self::run(
        dir.path(),
        &["check", "--format", "json", "a.md", "good.md"],
    );
    assert_sane(&run, 2, 1024, 10);
    assert!(run.stderr.contains("a.md"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_or_a_fifo_named_is_a_failed_run_not_a_hang() {
    use std::os::unix::fs::symlink;
    let dir = project(&[("good.md", GOOD.as_bytes())]);
    symlink("gone.md", dir.path().join("dangling.md")).unwrap();
    let run = run(
        dir.path(),
        &["check", "--format", "json", "dangling.md", "good.md"],
    );
    assert_sane(&run, 2, 1024, 10);
    assert!(run.stderr.contains("dangling.md"), "{}", run.stderr);
    // Regression: a FIFO named on the command line blocked the run forever.
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.md"))
        .status()
        .is_ok_and(|status| status.success());
    if made {
        let run = self::run(
            dir.path(),
            &["check", "--format", "json", "pipe.md", "good.md"],
        );
        assert_sane(&run, 2, 1024, 10);
        assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    }
}

/// A named file that vanishes before it is read: the library reports it as a
/// failure (exit 2 in the binary) and checks the rest.
#[test]
fn a_file_deleted_before_it_is_read() {
    use glosslint::lint::{lint, LintRequest};
    let dir = project(&[("good.md", GOOD.as_bytes()), ("doomed.md", GOOD.as_bytes())]);
    let registry = glosslint::rules::Registry::builtin();
    let config = glosslint::config::Config::defaults(dir.path().to_path_buf(), &registry);
    let mut request = LintRequest::default();
    request.discover.paths = vec![PathBuf::from("doomed.md"), PathBuf::from("good.md")];
    std::fs::remove_file(dir.path().join("doomed.md")).unwrap();
    let outcome = lint(&config, &registry, &request, dir.path());
    assert_eq!(outcome.failures.len(), 1, "{:?}", outcome.failures);
    assert_eq!(outcome.failures[0].path, "doomed.md");
    assert!(outcome.diagnostics.is_empty());
    assert_eq!(outcome.reported_entries, 1);
    assert!(glosslint::load::read(&dir.path().join("doomed.md")).is_err());
}

/// Files deleted while the binary walks and reads them: whatever the timing,
/// no panic, and a file that could not be read makes the exit status 2.
#[test]
fn files_deleted_while_the_run_is_under_way() {
    let dir = project::<&str>(&[]);
    let paths: Vec<PathBuf> = (0..2_000)
        .map(|index| {
            let path = dir.path().join(format!("e{index:04}.md"));
            std::fs::write(
                &path,
                GOOD.replace("Acid Recovery", &format!("Term {index}")),
            )
            .unwrap();
            path
        })
        .collect();
    let deleter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        for path in paths.iter().rev() {
            let _ = std::fs::remove_file(path);
        }
    });
    let run = run(dir.path(), &["check", "--format", "json"]);
    deleter.join().unwrap();
    let code = if run.stderr.contains("cannot read") {
        2
    } else {
        0
    };
    assert_sane(&run, code, 2_000 * GOOD.len() as u64, 20);
}

// ------------------------------------------------- configuration files

/// Runs the binary in `dir`, killing it after `seconds`: a hang fails the
/// test instead of blocking the suite. Returns the exit status (`None` when
/// killed) and standard error.
fn run_or_kill(dir: &Path, args: &[&str], seconds: u64) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = command(Path::new(env!("CARGO_BIN_EXE_glosslint")), dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let err = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = err.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    });
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status, err.join().unwrap())
}

/// Issue 15.6: a configuration file that is a FIFO, a symlink to
/// `/dev/zero` or to a FIFO, or over the size cap hung the run, filled
/// memory, or (as `glosslint.toml`) was silently ignored. Each is now a
/// failed run (exit 2) naming the file and what is wrong with it.
#[cfg(unix)]
#[test]
fn a_configuration_file_that_is_no_regular_file_is_a_failed_run() {
    use std::os::unix::fs::symlink;
    let mkfifo = |path: &Path| {
        Command::new("mkfifo")
            .arg(path)
            .status()
            .is_ok_and(|status| status.success())
    };
    let cases: [(&str, &[&str]); 5] = [
        ("glosslint.toml", &[]),
        ("rules/style.toml", &[]),
        ("rules/templates.toml", &[]),
        ("rules/vocabulary.toml", &[]),
        ("given.toml", &["--config", "given.toml"]),
    ];
    for (place, extra) in cases {
        for kind in ["fifo", "zero", "link to fifo", "oversized"] {
            let dir = project(&[("good.md", GOOD.as_bytes())]);
            let path = dir.path().join(place);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if place.starts_with("rules/") {
                std::fs::write(dir.path().join("glosslint.toml"), "").unwrap();
            }
            match kind {
                "fifo" => assert!(mkfifo(&path)),
                "zero" => symlink("/dev/zero", &path).unwrap(),
                "link to fifo" => {
                    assert!(mkfifo(&dir.path().join("pipe")));
                    symlink(dir.path().join("pipe"), &path).unwrap();
                }
                _ => {
                    let comment = "# filler\n".repeat(500_000);
                    std::fs::write(&path, comment).unwrap();
                }
            }
            let mut args = vec!["check", "--format", "json"];
            args.extend_from_slice(extra);
            let (code, stderr) = run_or_kill(dir.path(), &args, 20);
            assert_eq!(code, Some(2), "{place} as {kind}: {stderr}");
            let why = if kind == "oversized" {
                "larger than the limit"
            } else {
                "not a regular file"
            };
            let name = place.rsplit('/').next().unwrap();
            assert!(
                stderr.contains(why) && stderr.contains(name),
                "{place} as {kind}: {stderr}"
            );
        }
    }
    // `--config /dev/zero` itself, named directly.
    let dir = project(&[("good.md", GOOD.as_bytes())]);
    let (code, stderr) = run_or_kill(dir.path(), &["check", "--config", "/dev/zero"], 20);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

// ------------------------------------------------------------------- dumps

#[test]
fn a_dump_of_20000_headers_with_empty_bodies() {
    let mut text = String::new();
    for index in 0..20_000 {
        text.push_str(&format!("term{index}, tag\n"));
    }
    let dir = project(&[("glossary.txt", text.as_bytes())]);
    let run = run(dir.path(), &["check", "--format", "json", "glossary.txt"]);
    assert_sane(&run, 1, text.len() as u64, 30);
    assert_eq!(run.rules(), rules(&[("empty-body", 20_000)]));
}

/// Regression (issue 15.12): a dump with lone-CR line endings read as one
/// line, so 0 entries and one `malformed-entry`; it splits like the LF seed,
/// with the same entry-level findings (terms, duplicates, boilerplate) at
/// the same lines and columns. (Some Markdown rules still read lines by
/// `\n` alone, so the comparison stops at the entries' own findings.)
#[test]
fn a_dump_with_lone_cr_line_endings_splits_like_the_lf_seed() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_0599fd0ebb462db5.txt");
    let lf = std::fs::read_to_string(seed).unwrap();
    let report = |text: &str| {
        let dir = project(&[("glossary.txt", text.as_bytes())]);
        let run = run(dir.path(), &["check", "--format", "json", "glossary.txt"]);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let findings: Vec<(String, u64, u64)> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|finding| {
                (
                    finding["rule"].as_str().unwrap().to_string(),
                    finding["line"].as_u64().unwrap(),
                    finding["column"].as_u64().unwrap(),
                )
            })
            .collect();
        (json["summary"]["entries"].as_u64(), findings)
    };
    let of_entries = |findings: Vec<(String, u64, u64)>| -> Vec<(String, u64, u64)> {
        findings
            .into_iter()
            .filter(|(rule, _, _)| {
                [
                    "duplicate-term",
                    "similar-term",
                    "boilerplate",
                    "malformed-entry",
                ]
                .contains(&rule.as_str())
            })
            .collect()
    };
    let (entries, findings) = report(&lf);
    assert_eq!(entries, Some(50));
    let findings = of_entries(findings);
    assert!(findings.len() > 50, "{findings:?}");
    for ending in ["\r", "\r\n"] {
        let (converted_entries, converted) = report(&lf.replace('\n', ending));
        assert_eq!(converted_entries, Some(50), "{ending:?}");
        assert_eq!(of_entries(converted), findings, "{ending:?}");
    }
}

/// Regression (issue 15.16): `import` of a dump with a 300-character term
/// wrote the entries before it, then failed with "file name too long".
/// Every entry is written, the long one under a shortened slug.
#[test]
fn import_of_a_300_character_term_writes_every_entry() {
    let long_term = "very long term ".repeat(20);
    let dump = format!(
        "alpha, t\nFirst body.\n{}, t\nLong body.\nomega, t\nLast body.\n",
        long_term.trim()
    );
    let dir = project(&[("glossary.txt", dump.as_bytes())]);
    let run = run(dir.path(), &["import", "glossary.txt", "--out", "entries"]);
    assert_sane(&run, 0, dump.len() as u64, 10);
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("entries"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(names[0], "alpha.md");
    assert_eq!(names[1], "omega.md");
    assert!(
        names[2].starts_with("very-long-term-") && names[2].len() <= 110,
        "{names:?}"
    );
    let long = std::fs::read_to_string(dir.path().join("entries").join(&names[2])).unwrap();
    assert!(
        long.contains(long_term.trim()) && long.ends_with("Long body.\n"),
        "{long}"
    );
}

#[test]
fn the_same_bytes_for_any_thread_count_on_the_seed() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_0599fd0ebb462db5.txt");
    let dir = project(&[("glossary.txt", &std::fs::read(seed).unwrap())]);
    let output = |threads: &str| {
        assert_cmd::Command::cargo_bin("glosslint")
            .unwrap()
            .current_dir(dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--threads",
                threads,
                "glossary.txt",
            ])
            .output()
            .unwrap()
    };
    let one = output("1");
    assert_eq!(one.status.code(), Some(1));
    assert!(one.stdout.len() > 1000);
    for threads in ["2", "8"] {
        let other = output(threads);
        assert_eq!(other.status.code(), Some(1));
        assert!(one.stdout == other.stdout, "--threads {threads} differs");
    }
}

// --------------------------------------------- quadratic shapes, now linear

/// Regression: `swallowed-block` summed every earlier insertion for every
/// candidate line; 20,000 pseudo-headings folded into paragraphs took > 300 s.
#[test]
fn many_swallowed_pseudo_headings() {
    let text = format!(
        "{HEAD}{}",
        "Some text here.\n**Heading Here**\n".repeat(20_000)
    );
    let dir = project(&[("e.md", text.as_bytes())]);
    let run = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "swallowed-block",
            "e.md",
        ],
    );
    assert_sane(&run, 1, text.len() as u64, 20);
    assert_eq!(run.stdout.matches("error[swallowed-block]").count(), 39_999);
}

/// Regression: pseudo-heading detection compared every bold line with every
/// heading and code block.
#[test]
fn many_headings_and_code_blocks() {
    let text = format!("{HEAD}{}", "# h\n**ab**\n```\nc\n```\n".repeat(20_000));
    let dir = project(&[("e.md", text.as_bytes())]);
    let run = run(dir.path(), &["check", "--format", "concise", "e.md"]);
    assert_sane(&run, 0, text.len() as u64, 20);
    assert_eq!(
        run.stdout.matches("warning[duplicate-section]").count(),
        19_999
    );
    assert_eq!(
        run.stdout.matches("warning[fence-language]").count(),
        20_000
    );
}

/// Regressions: suppression comments were compared with every code block,
/// and every `disable` searched all later comments for its `enable`.
#[test]
fn many_suppressions_and_code_blocks() {
    let text = format!(
        "{HEAD}{}",
        "<!-- x -->\n```text\nc\n```\n<!-- glosslint-disable short-body -->\n".repeat(20_000)
    );
    let run = lint_entry(text.as_bytes());
    assert_sane(&run, 0, text.len() as u64, 20);
    // (`short-body` points at the term, above every region)
    assert_eq!(
        run.rules(),
        rules(&[("short-body", 1), ("unused-suppression", 20_000)])
    );
}

/// Regression (issue 15.7): every finding's column was counted from the
/// start of its line, so 200,000 findings on one line took minutes (40,000
/// took 2.9 s in a debug build, 200,000 about 70 s; now about 1.5 s).
#[test]
fn many_findings_on_one_line() {
    let text = format!("{HEAD}{}\n", "word the the ".repeat(200_000));
    let dir = project(&[("e.md", text.as_bytes())]);
    let run = run(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "repeated-word",
            "e.md",
        ],
    );
    assert_sane(&run, 0, text.len() as u64, 30);
    let last = run
        .stdout
        .lines()
        .rfind(|line| line.contains("[repeated-word]"))
        .unwrap();
    // The last pair, 13 characters a repetition.
    let column = 13 * 199_999 + 6;
    assert!(last.starts_with(&format!("e.md:4:{column}: ")), "{last}");
    assert_eq!(run.stdout.matches("[repeated-word]").count(), 200_000);
}

/// Regression (issue 15.8): the help of every broken reference weighed every
/// name of every candidate entry, so 2,000 broken `see_also` items near two
/// entries of 10,000 aliases each took about 25 s in a debug build (now about
/// 2 s); the suggestions are still made.
#[test]
fn broken_references_near_entries_of_many_aliases() {
    let mut files: Vec<(String, String)> = (0..2)
        .map(|entry| {
            let aliases: Vec<String> = (0..10_000)
                .map(|alias| format!("\"shared alias {entry}-{alias}\""))
                .collect();
            (
                format!("big{entry}.md"),
                format!(
                    "---\nterm: Big {entry}\naliases: [{}]\n---\nBody.\n",
                    aliases.join(", ")
                ),
            )
        })
        .collect();
    for index in 0..2_000 {
        files.push((
            format!("e{index}.md"),
            format!(
                "---\nterm: Entry {index}\nsee_also: [\"shared alias x{index}\"]\n---\nBody.\n"
            ),
        ));
    }
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_bytes()))
        .collect();
    let input: usize = files.iter().map(|(_, text)| text.len()).sum();
    let dir = project(&files);
    let run = run(
        dir.path(),
        &["check", "--format", "json", "--select", "broken-reference"],
    );
    assert_sane(&run, 1, input as u64, 10);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = json["diagnostics"].as_array().unwrap();
    assert_eq!(findings.len(), 2_000);
    assert!(findings.iter().all(|finding| finding["help"]
        .as_str()
        .unwrap()
        .starts_with("did you mean `shared alias ")));
}

// ------------------------------------------------------------ fuzz findings

fn fixtures(target: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| Some(entry.ok()?.path()))
                .collect()
        })
        .unwrap_or_default();
    files.retain(|path| path.is_file() && path.file_name().is_some_and(|name| name != "README.md"));
    files.sort();
    files
}

/// Every input kept from fuzzing, replayed through its target's checks.
#[test]
fn fuzz_findings_stay_fixed() {
    type Target = (&'static str, fn(&[u8]));
    let targets: [Target; 5] = [
        ("entry_file", fuzz::entry_file),
        ("dump", fuzz::dump),
        ("front_matter", fuzz::front_matter),
        ("check_one_file", fuzz::check_one_file),
        ("fix_apply", fuzz::fix_apply),
    ];
    for (target, check) in targets {
        for path in fixtures(target) {
            let data = std::fs::read(&path).unwrap();
            let started = Instant::now();
            check(&data);
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{} took {:?}",
                path.display(),
                started.elapsed()
            );
        }
    }
}
