//! The performance harness: generates corpora with `examples/gen_corpus.rs`, times
//! glosslint on them against a floor (read every file and parse it once with
//! pulldown-cmark, on every core), measures peak memory, and writes
//! `BENCHMARKS.md`.
//!
//! ```text
//! cargo run --release --example bench -- [--sizes 1000,10000,100000] [--runs 5] [--out BENCHMARKS.md]
//!     [--seed 1] [--findings 100000] [--no-tools] [--markdownlint-max 10000] [--no-build]
//! cargo run --release --example bench -- floor DIR    # the floor alone, on DIR
//! ```
//!
//! Each size's corpus is generated once into `target/bench-corpus/<size>/`
//! (`files/` and `dumps/`, two project roots) and reused while the generator's
//! source and the seed are unchanged. Every case runs once untimed (warm-up:
//! page cache, glosslint's own cache), then `--runs` rounds; within a round the
//! cases run one after the other, so a ratio compares runs made under the same
//! background load. Peak memory is the child's `ru_maxrss` from `wait4`.
//!
//! The report replaces `--out`, except for hand-written notes below the line
//! `<!-- bench: notes below this line are kept -->`.
//!
//! rumdl and markdownlint-cli2 are measured on the same files when they are on
//! `PATH`; markdownlint-cli2 only up to `--markdownlint-max` entries (it is slow).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use rayon::prelude::*;

/// In `BENCHMARKS.md`, everything from this line on is kept when the bench
/// rewrites the file.
const NOTES_MARKER: &str = "<!-- bench: notes below this line are kept -->";

/// The generator's source: a change to it invalidates the cached corpora.
const GENERATOR_SOURCE: &str = include_str!("gen_corpus.rs");

// ---------------------------------------------------------------------------
// The floor: read every file and parse it once, in parallel.

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type()?.is_dir() {
            if !hidden {
                markdown_files(&path, out)?;
            }
        } else if path
            .extension()
            .is_some_and(|extension| extension == "md" || extension == "txt")
        {
            out.push(path);
        }
    }
    Ok(())
}

fn floor(args: &[String]) -> ExitCode {
    let Some(dir) = args.first() else {
        eprintln!("usage: bench floor DIR");
        return ExitCode::from(2);
    };
    let mut files = Vec::new();
    if let Err(error) = markdown_files(Path::new(dir), &mut files) {
        eprintln!("bench floor: {dir}: {error}");
        return ExitCode::from(2);
    }
    let options = glosslint::parse::markdown::options();
    let (bytes, events) = files
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            let events = pulldown_cmark::Parser::new_ext(&text, options)
                .into_offset_iter()
                .count();
            (bytes.len(), events)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{} files, {bytes} bytes, {events} events", files.len());
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------
// Running a child and measuring it.

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod sys {
    /// `struct timeval` on 64-bit Linux.
    #[repr(C)]
    #[derive(Default)]
    pub struct Timeval {
        pub seconds: i64,
        pub microseconds: i64,
    }

    /// `struct rusage` on 64-bit Linux (`ru_maxrss` in KiB).
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub user: Timeval,
        pub system: Timeval,
        pub max_rss: i64,
        pub rest: [i64; 13],
    }

    extern "C" {
        // From the C library std already links.
        pub fn wait4(pid: i32, status: *mut i32, options: i32, usage: *mut Rusage) -> i32;
    }
}

/// One measured run.
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: Duration,
    cpu: Option<Duration>,
    max_rss_kib: Option<u64>,
    code: Option<i32>,
}

/// Runs `command` to completion and measures wall time, CPU time and peak RSS.
fn measure(command: &mut Command) -> std::io::Result<Sample> {
    let started = Instant::now();
    let child = command.spawn()?;
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    {
        let mut status = 0i32;
        let mut usage = sys::Rusage::default();
        loop {
            // SAFETY: `status` and `usage` are valid for writes and laid out as
            // the C library expects; the pid is our own unreaped child.
            let pid = unsafe { sys::wait4(child.id() as i32, &mut status, 0, &mut usage) };
            if pid >= 0 {
                break;
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                return Err(error);
            }
        }
        let wall = started.elapsed();
        let time = |t: &sys::Timeval| {
            Duration::from_secs(t.seconds as u64) + Duration::from_micros(t.microseconds as u64)
        };
        // The child is reaped: dropping `child` must not wait again (it does not).
        drop(child);
        Ok(Sample {
            wall,
            cpu: Some(time(&usage.user) + time(&usage.system)),
            max_rss_kib: Some(usage.max_rss as u64),
            code: (status & 0x7f == 0).then_some((status >> 8) & 0xff),
        })
    }
    #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
    {
        let mut child = child;
        let status = child.wait()?;
        Ok(Sample {
            wall: started.elapsed(),
            cpu: None,
            max_rss_kib: None,
            code: status.code(),
        })
    }
}

/// What runs before and after each run of a case.
type Around = (fn(&Path), fn(&Path));

/// A command of one benchmark case.
#[derive(Clone, Debug)]
struct Case {
    /// Column label.
    name: String,
    program: PathBuf,
    args: Vec<String>,
    cwd: PathBuf,
    /// Where the untimed warm-up run writes standard output (to count findings).
    warmup_stdout: Option<PathBuf>,
    /// Where the untimed warm-up run keeps the head of its JSON report (the
    /// summary, to count findings), the rest read and dropped: a 1.4 GB
    /// report written to disk would push the corpora out of the page cache.
    count_head: Option<PathBuf>,
    /// A command run before the warm-up (e.g. to remove a cache).
    prepare: Option<fn(&Path)>,
    /// Commands run before and after every run, untimed (an edit undone).
    around: Option<Around>,
    /// Runs the command once untimed before every timed run: a warm-cache
    /// case interleaved after the staged edit must see a warm cache, and
    /// undoing that edit changed the file's status-change time, which no
    /// user's unchanged re-run sees.
    rewarm: bool,
    /// Entries the case covers (for time per entry).
    entries: usize,
}

impl Case {
    fn command(&self, stdout: Option<&Path>) -> std::io::Result<Command> {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .current_dir(&self.cwd)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .env("NO_COLOR", "1");
        match stdout {
            Some(path) => command.stdout(std::fs::File::create(path)?),
            None => command.stdout(Stdio::null()),
        };
        Ok(command)
    }

    fn run(&self, stdout: Option<&Path>) -> Result<Sample, String> {
        if self.rewarm {
            self.command(None)
                .and_then(|mut command| command.status())
                .map_err(|error| format!("{}: cannot run {}: {error}", self.name, self.shown()))?;
        }
        if let Some((before, _)) = self.around {
            before(&self.cwd);
        }
        let sample = self
            .command(stdout)
            .and_then(|mut command| measure(&mut command))
            .map_err(|error| format!("{}: cannot run {}: {error}", self.name, self.shown()));
        if let Some((_, after)) = self.around {
            after(&self.cwd);
        }
        let sample = sample?;
        // 0 and 1 (findings) are fine for every tool here; 2 and signals are not.
        match sample.code {
            Some(0 | 1) => Ok(sample),
            code => Err(format!(
                "{}: `{}` (in {}) failed with {code:?}",
                self.name,
                self.shown(),
                self.cwd.display()
            )),
        }
    }

    fn shown(&self) -> String {
        let program = self
            .program
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        std::iter::once(program)
            .chain(self.args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Runs `case` once, keeping the first 4 KiB of its standard output in
/// `head` and dropping the rest as it comes.
fn keep_head(case: &Case, head: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut command = case.command(None).map_err(|e| e.to_string())?;
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: cannot run {}: {e}", case.name, case.shown()))?;
    let mut stdout = child.stdout.take().ok_or("no standard output")?;
    let mut first = vec![0; 4096];
    let mut filled = 0;
    while filled < first.len() {
        match stdout.read(&mut first[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(read) => filled += read,
        }
    }
    first.truncate(filled);
    let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    child.wait().map_err(|e| e.to_string())?;
    std::fs::write(head, first).map_err(|e| e.to_string())
}

/// Median, minimum and maximum of a case's samples.
#[derive(Clone, Debug)]
struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
    cpu: Option<Duration>,
    max_rss_kib: Option<u64>,
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2
    }
}

fn stats(samples: &[Sample]) -> Stats {
    let walls: Vec<Duration> = samples.iter().map(|s| s.wall).collect();
    let cpus: Option<Vec<Duration>> = samples.iter().map(|s| s.cpu).collect();
    Stats {
        median: median(walls.clone()),
        min: walls.iter().copied().min().unwrap_or_default(),
        max: walls.iter().copied().max().unwrap_or_default(),
        cpu: cpus.map(median),
        max_rss_kib: samples.iter().filter_map(|s| s.max_rss_kib).max(),
    }
}

/// Runs every case once untimed, then `runs` interleaved rounds.
fn run_cases(cases: &[Case], runs: usize) -> Result<Vec<Stats>, String> {
    for case in cases {
        if let Some(prepare) = case.prepare {
            prepare(&case.cwd);
        }
        eprintln!("  warm-up  {:<28} {}", case.name, case.shown());
        match &case.count_head {
            Some(head) => keep_head(case, head)?,
            None => {
                case.run(case.warmup_stdout.as_deref())?;
            }
        }
    }
    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); cases.len()];
    for round in 1..=runs {
        for (case, samples) in cases.iter().zip(&mut samples) {
            let sample = case.run(None)?;
            eprintln!(
                "  run {round}/{runs} {:<28} {:>9.3}s {:>7} MiB",
                case.name,
                sample.wall.as_secs_f64(),
                sample
                    .max_rss_kib
                    .map_or_else(|| "?".into(), |kib| format!("{:.1}", kib as f64 / 1024.0))
            );
            samples.push(sample);
        }
    }
    Ok(samples.iter().map(|samples| stats(samples)).collect())
}

// ---------------------------------------------------------------------------
// Environment.

fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// A program on `PATH`, resolved through pyenv's shims (their start-up would
/// otherwise be timed too).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())?;
    if found.to_string_lossy().contains("/.pyenv/shims/") {
        return output_of("pyenv", &["which", name]).map(PathBuf::from);
    }
    Some(found)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn memory_total() -> String {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|line| line.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown".into())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|load| {
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| "unknown".into())
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Bytes of the Markdown and dump files under `dir`, counted without keeping
/// a list (this process stays small: see [`findings_of`]).
/// Bytes of every file under `dir`.
fn cache_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => cache_bytes(&entry.path()),
            _ => entry.metadata().map_or(0, |metadata| metadata.len()),
        })
        .sum()
}

fn directory_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut total = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            total += directory_bytes(&path);
        } else if path
            .extension()
            .is_some_and(|extension| extension == "md" || extension == "txt")
        {
            total += entry.metadata().map_or(0, |metadata| metadata.len());
        }
    }
    total
}

// ---------------------------------------------------------------------------
// The benchmark.

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    out: PathBuf,
    seed: u64,
    findings: usize,
    tools: bool,
    markdownlint_max: usize,
    build: bool,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        sizes: vec![1_000, 10_000, 100_000],
        runs: 5,
        out: manifest.join("BENCHMARKS.md"),
        seed: 1,
        findings: 100_000,
        tools: true,
        markdownlint_max: 10_000,
        build: true,
    };
    let number = |flag: &str, value: Option<&String>| -> Result<usize, String> {
        value
            .ok_or_else(|| format!("{flag} needs a value"))?
            .replace('_', "")
            .parse()
            .map_err(|error| format!("{flag}: {error}"))
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        match flag.as_str() {
            "--sizes" => {
                let value = args.next().ok_or("--sizes needs a value")?;
                options.sizes = value
                    .split(',')
                    .map(|size| number("--sizes", Some(&size.trim().to_string())))
                    .collect::<Result<_, _>>()?;
            }
            "--runs" => options.runs = number(flag, args.next())?.max(1),
            "--out" => options.out = PathBuf::from(args.next().ok_or("--out needs a value")?),
            "--seed" => options.seed = number(flag, args.next())? as u64,
            "--findings" => options.findings = number(flag, args.next())?,
            "--markdownlint-max" => options.markdownlint_max = number(flag, args.next())?,
            "--no-tools" => options.tools = false,
            "--no-build" => options.build = false,
            other => {
                return Err(format!(
                "unknown argument `{other}`\nusage: bench [--sizes 1000,10000,100000] [--runs 5] \
                     [--out BENCHMARKS.md] [--seed 1] [--findings 100000] [--no-tools] \
                     [--markdownlint-max 10000] [--no-build] | bench floor DIR"
            ))
            }
        }
    }
    Ok(options)
}

/// Writes a configuration beside the generated one in `root`: the
/// generated `glosslint.toml` with `extra` appended (its `[rules]` table).
/// Returns its name, for `--config`.
fn write_config(root: &Path, name: &str, extra: &str) -> Result<String, String> {
    let base = std::fs::read_to_string(root.join("glosslint.toml")).map_err(|e| e.to_string())?;
    std::fs::write(root.join(name), format!("{base}\n{extra}")).map_err(|e| e.to_string())?;
    Ok(name.to_string())
}

/// Generates the corpus into `dir` unless a matching one is there already.
fn ensure_corpus(
    generator: &Path,
    dir: &Path,
    entries: usize,
    seed: u64,
    layout: &str,
) -> Result<(), String> {
    let stamp = format!(
        "gen_corpus {:016x} entries={entries} seed={seed} layout={layout}\n",
        fnv(GENERATOR_SOURCE)
    );
    let stamp_path = dir.join(".bench-stamp");
    if std::fs::read_to_string(&stamp_path).is_ok_and(|found| found == stamp) {
        eprintln!("corpus {} is up to date", dir.display());
        return Ok(());
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    eprintln!(
        "generating {entries} entries ({layout}) into {}",
        dir.display()
    );
    let status = Command::new(generator)
        .args([
            "--entries",
            &entries.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(["--layout", layout, "--out"])
        .arg(dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", generator.display()))?;
    if !status.success() {
        return Err(format!("gen_corpus failed ({status})"));
    }
    std::fs::write(&stamp_path, stamp).map_err(|e| e.to_string())
}

/// What [`edit_staged`] changes: the staged file's text and modification
/// time, and the run answer in the cache.
struct StagedOriginal {
    path: PathBuf,
    text: Vec<u8>,
    modified: std::time::SystemTime,
    run_answer: Option<Vec<u8>>,
}

static STAGED_ORIGINAL: std::sync::Mutex<Option<StagedOriginal>> = std::sync::Mutex::new(None);

fn run_answer_path(root: &Path) -> PathBuf {
    root.join(".glosslint_cache").join("run.bin")
}

/// Appends a line to the first entry file under `root`, as a commit that
/// edits one entry does; [`restore_staged`] undoes it, modification time
/// included, and puts back the run answer the staged run replaced, so the
/// other cases find the corpus and cache they expect.
fn edit_staged(root: &Path) {
    let Some(staged) = first_entry_file(&root.join("entries")).map(|path| root.join(path)) else {
        return;
    };
    let (Ok(text), Ok(modified)) = (
        std::fs::read(&staged),
        std::fs::metadata(&staged).and_then(|metadata| metadata.modified()),
    ) else {
        return;
    };
    let mut edited = text.clone();
    edited.extend_from_slice(b"\nA line added by the benchmark.\n");
    let run_answer = std::fs::read(run_answer_path(root)).ok();
    if std::fs::write(&staged, edited).is_ok() {
        *STAGED_ORIGINAL.lock().unwrap_or_else(|e| e.into_inner()) = Some(StagedOriginal {
            path: staged,
            text,
            modified,
            run_answer,
        });
    }
}

fn restore_staged(root: &Path) {
    let original = STAGED_ORIGINAL
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    if let Some(original) = original {
        let restored = std::fs::write(&original.path, original.text)
            .and_then(|()| std::fs::File::options().write(true).open(&original.path))
            .and_then(|file| file.set_modified(original.modified));
        if let Err(error) = restored {
            eprintln!("cannot restore {}: {error}", original.path.display());
        }
        if let Some(answer) = original.run_answer {
            let _ = std::fs::write(run_answer_path(root), answer);
        }
    }
}

fn remove_cache(root: &Path) {
    let _ = std::fs::remove_dir_all(root.join(".glosslint_cache"));
}

/// Counts of a JSON report's summary, as `errors/warnings/infos`. Reads only
/// the head of the report, where the summary is: parsing a whole large report
/// would grow this process, and a child's `ru_maxrss` starts from its parent's
/// resident set (the child is spawned from a copy of it).
fn findings_of(report: &Path) -> Option<(u64, String)> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(report)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    let head = String::from_utf8_lossy(&head);
    let start = head.find("\"summary\"")?;
    let open = start + head[start..].find('{')?;
    let close = open + head[open..].find('}')?;
    let summary: serde_json::Value = serde_json::from_str(&head[open..=close]).ok()?;
    let count = |key: &str| summary.get(key).and_then(|v| v.as_u64()).unwrap_or(0);
    let (errors, warnings, infos) = (count("errors"), count("warnings"), count("infos"));
    Some((
        errors + warnings + infos,
        format!("{errors} errors, {warnings} warnings, {infos} infos"),
    ))
}

/// This process's own peak resident set, the least a child can report.
fn own_peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Everything measured for one corpus size.
struct SizeResult {
    entries: usize,
    files_bytes: u64,
    /// `.glosslint_cache/` of the files layout after the warm-cache runs.
    cache_bytes: u64,
    /// Per findings case: its label, findings, and bytes of peak memory per
    /// finding above the run with the fewest.
    per_finding: Vec<(String, u64, Option<f64>)>,
    dumps_bytes: u64,
    findings: Option<String>,
    rows: Vec<(Case, Stats)>,
    notes: Vec<String>,
}

impl SizeResult {
    fn get(&self, name: &str) -> Option<&Stats> {
        self.rows
            .iter()
            .find(|(case, _)| case.name == name)
            .map(|(_, stats)| stats)
    }
}

struct Tools {
    glosslint: PathBuf,
    bench: PathBuf,
    rumdl: Option<PathBuf>,
    markdownlint: Option<PathBuf>,
    has_no_cache: bool,
}

fn glosslint_check(tools: &Tools, cold: bool, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["check".to_string()];
    if cold && tools.has_no_cache {
        args.push("--no-cache".into());
    }
    args.extend(extra.iter().map(|arg| arg.to_string()));
    args
}

/// The first entry file in path order, looking only into the first folder at
/// each level.
fn first_entry_file(entries: &Path) -> Option<String> {
    let root = entries.parent()?;
    let mut dir = entries.to_path_buf();
    loop {
        let mut children: Vec<PathBuf> = std::fs::read_dir(&dir)
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.is_dir() || path.extension().is_some_and(|e| e == "md"))
            .collect();
        children.sort();
        let first = children.into_iter().next()?;
        if first.is_dir() {
            dir = first;
        } else {
            return Some(
                first
                    .strip_prefix(root)
                    .ok()?
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
}

fn bench_size(
    tools: &Tools,
    options: &Options,
    corpus_root: &Path,
    generator: &Path,
    entries: usize,
) -> Result<SizeResult, String> {
    let dir = corpus_root.join(entries.to_string());
    ensure_corpus(generator, &dir, entries, options.seed, "both")?;
    let files = dir.join("files");
    let dumps = dir.join("dumps");
    let seed_verbatim = dir.join("seed-verbatim");
    ensure_corpus(
        generator,
        &seed_verbatim,
        entries,
        options.seed,
        "seed-verbatim",
    )?;
    let json = ["--format", "json", "--output", "/dev/null"];
    let mut notes = Vec::new();
    let case = |name: &str, program: &Path, args: Vec<String>, cwd: &Path| Case {
        name: name.into(),
        program: program.to_path_buf(),
        args,
        cwd: cwd.to_path_buf(),
        warmup_stdout: None,
        prepare: None,
        around: None,
        rewarm: false,
        count_head: None,
        entries,
    };
    let mut cases = vec![
        case(
            "floor (files)",
            &tools.bench,
            vec!["floor".into(), "entries".into()],
            &files,
        ),
        case(
            "check (files)",
            &tools.glosslint,
            glosslint_check(tools, true, &json),
            &files,
        ),
    ];
    // An untimed run that keeps its report, to count the findings.
    let count_case = Case {
        args: glosslint_check(tools, true, &["--format", "json"]),
        warmup_stdout: Some(dir.join("check-files.json")),
        ..cases[1].clone()
    };
    if tools.has_no_cache {
        cases.push(Case {
            prepare: Some(remove_cache),
            rewarm: true,
            ..case(
                "check (files, warm cache)",
                &tools.glosslint,
                glosslint_check(tools, false, &json),
                &files,
            )
        });
    } else {
        notes.push("warm cache: n/a, this glosslint has no cache (`--no-cache` missing)".into());
    }
    let staged = first_entry_file(&files.join("entries")).ok_or("no entry files generated")?;
    let mut staged_args = json.to_vec();
    staged_args.push(&staged);
    cases.push(case(
        "staged file",
        &tools.glosslint,
        glosslint_check(tools, true, &staged_args),
        &files,
    ));
    if tools.has_no_cache {
        cases.push(Case {
            rewarm: true,
            ..case(
                "staged file (warm cache)",
                &tools.glosslint,
                glosslint_check(tools, false, &staged_args),
                &files,
            )
        });
        cases.push(Case {
            around: Some((edit_staged, restore_staged)),
            ..case(
                "staged file, edited (warm cache)",
                &tools.glosslint,
                glosslint_check(tools, false, &staged_args),
                &files,
            )
        });
    }
    cases.push(case(
        "floor (dumps)",
        &tools.bench,
        vec!["floor".into(), "dumps".into()],
        &dumps,
    ));
    cases.push(case(
        "check (dumps)",
        &tools.glosslint,
        glosslint_check(tools, true, &json),
        &dumps,
    ));
    cases.push(case(
        "floor (seed-verbatim)",
        &tools.bench,
        vec!["floor".into(), "entries".into()],
        &seed_verbatim,
    ));
    cases.push(case(
        "check (seed-verbatim)",
        &tools.glosslint,
        glosslint_check(tools, true, &json),
        &seed_verbatim,
    ));
    // `unlinked-mention` on (off by default): the corpus pass on every core.
    let unlinked = write_config(
        &files,
        "bench-unlinked-mention.toml",
        "[rules]\nunlinked-mention = \"warning\"\n",
    )?;
    let mut unlinked_args = vec!["--config", unlinked.as_str()];
    unlinked_args.extend(json);
    cases.push(case(
        "check (files, unlinked-mention)",
        &tools.glosslint,
        glosslint_check(tools, true, &unlinked_args),
        &files,
    ));
    // Memory per finding: the same corpus, index and rules, with more or
    // fewer findings (a rule off keeps nothing after its file; boilerplate
    // stays on, fingerprints and all, but finds nothing above `min-entries`).
    let finding_rules = [
        "swallowed-block",
        "missing-item",
        "math-escape",
        "missing-section",
        "fence-language",
        "empty-section",
        "accidental-heading",
        "table-shape",
        "math-delimiters",
        "repeated-word",
        "self-reference",
        "broken-reference",
    ];
    let per_file_off: String = finding_rules
        .iter()
        .map(|rule| format!("{rule} = \"off\"\n"))
        .collect();
    let no_boilerplate = "boilerplate = { level = \"warning\", min-entries = 1000000000 }\n";
    for (label, rules) in [
        ("none", format!("{per_file_off}{no_boilerplate}")),
        ("per-file rules", no_boilerplate.to_string()),
        ("boilerplate", per_file_off.clone()),
        ("all", String::new()),
    ] {
        let name = format!("findings {label} (seed-verbatim)");
        let config = write_config(
            &seed_verbatim,
            &format!("bench-findings-{}.toml", label.replace(' ', "-")),
            &format!("[rules]\n{rules}"),
        )?;
        cases.push(Case {
            count_head: Some(dir.join(format!("findings-{}.head", label.replace(' ', "-")))),
            ..case(
                &name,
                &tools.glosslint,
                glosslint_check(tools, true, &["--config", &config, "--format", "json"]),
                &seed_verbatim,
            )
        });
    }
    // The peers, on both shapes of one-file-per-entry corpus.
    for (shape, root) in [("files", &files), ("seed-verbatim", &seed_verbatim)] {
        if let Some(rumdl) = &tools.rumdl {
            cases.push(case(
                &format!("rumdl ({shape})"),
                rumdl,
                [
                    "check",
                    "--no-cache",
                    "--no-config",
                    "--output-format",
                    "json",
                    "entries",
                ]
                .map(String::from)
                .to_vec(),
                root,
            ));
        }
        if let Some(markdownlint) = &tools.markdownlint {
            if entries <= options.markdownlint_max {
                cases.push(case(
                    &format!("markdownlint-cli2 ({shape})"),
                    markdownlint,
                    vec!["entries/**/*.md".into()],
                    root,
                ));
            }
        }
    }
    if tools.markdownlint.is_some() && entries > options.markdownlint_max {
        notes.push(format!(
            "markdownlint-cli2: not run above {} entries (too slow)",
            options.markdownlint_max
        ));
    }
    eprintln!("size {entries}: counting findings");
    count_case.run(count_case.warmup_stdout.as_deref())?;
    let findings = findings_of(&dir.join("check-files.json")).map(|(total, detail)| {
        format!(
            "{total} ({detail}; {:.2} per entry)",
            total as f64 / entries as f64
        )
    });
    eprintln!("size {entries}: {} cases", cases.len());
    let measured = run_cases(&cases, options.runs)?;
    // Memory per finding, each findings case against the one with fewest.
    let counted: Vec<(String, u64, u64)> = cases
        .iter()
        .zip(&measured)
        .filter(|(case, _)| case.name.starts_with("findings "))
        .filter_map(|(case, stats)| {
            let (total, _) = findings_of(case.count_head.as_deref()?)?;
            Some((case.name.clone(), total, stats.max_rss_kib?))
        })
        .collect();
    let fewest = counted.iter().min_by_key(|(_, total, _)| *total).cloned();
    let per_finding = counted
        .iter()
        .map(|(name, total, kib)| {
            let per = fewest.as_ref().and_then(|(_, few, few_kib)| {
                (total > few)
                    .then(|| (*kib as f64 - *few_kib as f64) * 1024.0 / (total - few) as f64)
            });
            (name.clone(), *total, per)
        })
        .collect();
    Ok(SizeResult {
        entries,
        cache_bytes: cache_bytes(&files.join(".glosslint_cache")),
        per_finding,
        files_bytes: directory_bytes(&files.join("entries")),
        dumps_bytes: directory_bytes(&dumps.join("dumps")),
        findings,
        rows: cases.into_iter().zip(measured).collect(),
        notes,
    })
}

/// The fancy-versus-json case: a corpus with two findings per stub entry.
struct FindingsResult {
    entries: usize,
    findings: Option<String>,
    rows: Vec<(Case, Stats)>,
}

fn bench_findings(
    tools: &Tools,
    options: &Options,
    corpus_root: &Path,
    generator: &Path,
) -> Result<FindingsResult, String> {
    let entries = options.findings;
    let dir = corpus_root.join(format!("findings-{entries}"));
    ensure_corpus(generator, &dir, entries, options.seed, "findings")?;
    let output = ["--output", "/dev/null"];
    let args = |format: &[&str]| {
        let mut extra = format.to_vec();
        extra.extend(output);
        glosslint_check(tools, true, &extra)
    };
    let case = |name: &str, args: Vec<String>| Case {
        name: name.into(),
        program: tools.glosslint.clone(),
        args,
        cwd: dir.clone(),
        warmup_stdout: None,
        prepare: None,
        around: None,
        rewarm: false,
        count_head: None,
        entries,
    };
    let cases = vec![
        case("json", args(&["--format", "json"])),
        case("fancy", args(&["--format", "fancy", "--color", "never"])),
        case("concise", args(&["--format", "concise"])),
    ];
    let report = dir.join("findings.json");
    let counter = Case {
        args: glosslint_check(tools, true, &["--format", "json"]),
        ..cases[0].clone()
    };
    counter.run(Some(&report))?;
    let findings = findings_of(&report).map(|(total, detail)| format!("{total} ({detail})"));
    eprintln!("findings corpus ({entries} entries): {} cases", cases.len());
    let measured = run_cases(&cases, options.runs)?;
    Ok(FindingsResult {
        entries,
        findings,
        rows: cases.into_iter().zip(measured).collect(),
    })
}

// ---------------------------------------------------------------------------
// The report.

fn seconds(duration: Duration) -> String {
    let s = duration.as_secs_f64();
    if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else {
        format!("{s:.2} s")
    }
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(
        || "?".into(),
        |kib| format!("{:.0} MiB", kib as f64 / 1024.0),
    )
}

fn ratio(a: &Stats, b: &Stats) -> f64 {
    a.median.as_secs_f64() / b.median.as_secs_f64()
}

fn per_entry(stats: &Stats, entries: usize) -> f64 {
    stats.median.as_secs_f64() * 1e6 / entries as f64
}

struct Environment {
    date: String,
    cpu: String,
    cores: usize,
    memory: String,
    rustc: String,
    glosslint: String,
    commit: String,
    load_before: String,
    load_after: String,
    own_peak: String,
    rumdl: Option<String>,
    markdownlint: Option<String>,
    command: String,
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

fn report(
    environment: &Environment,
    options: &Options,
    sizes: &[SizeResult],
    findings: Option<&FindingsResult>,
) -> String {
    let mut out = String::new();
    let e = environment;
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `{}` (`examples/bench.rs`; corpora from `examples/gen_corpus.rs \
         --seed {}`). Regenerate with the same command.\n",
        e.command, options.seed
    );
    let _ = writeln!(out, "## Machine\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| date | {} |", e.date);
    let _ = writeln!(out, "| CPU | {} ({} cores) |", e.cpu, e.cores);
    let _ = writeln!(out, "| memory | {} |", e.memory);
    let _ = writeln!(out, "| rustc | {} |", e.rustc);
    let _ = writeln!(out, "| glosslint | {} |", e.glosslint);
    let _ = writeln!(out, "| commit | {} |", e.commit);
    let _ = writeln!(
        out,
        "| load average (1, 5, 15 min) | {} before, {} after |",
        e.load_before, e.load_after
    );
    if let Some(rumdl) = &e.rumdl {
        let _ = writeln!(out, "| rumdl | {rumdl} |");
    }
    if let Some(markdownlint) = &e.markdownlint {
        let _ = writeln!(out, "| markdownlint-cli2 | {markdownlint} |");
    }
    let _ = writeln!(
        out,
        "\nOther jobs (builds, fuzzers) may share the machine: absolute times are noisy. \
         Cases run interleaved, round by round, so ratios within one run compare like \
         with like. Times are wall-clock medians of {} runs after one untimed warm-up \
         (min and max beside them); CPU is user + system time of the child; peak memory \
         is the child's maximum resident set size (`ru_maxrss` from `wait4`), the largest \
         of the runs; it counts from the harness's own resident set at spawn time \
         (the child starts as a copy of it), which peaked at {}.\n",
        options.runs, e.own_peak
    );
    let _ = writeln!(out, "## Cases\n");
    let _ = writeln!(
        out,
        "- **floor**: `bench floor DIR`, read every file and parse it once with \
         pulldown-cmark and glosslint's options (`glosslint::parse::markdown::options()`), \
         in parallel with rayon on every core. Nothing can lint faster than this.\n\
         - **check (files)**: `glosslint check --no-cache --format json --output /dev/null` \
         on one file per entry (`entries/NNN/<slug>.md`, 1,000 per folder).\n\
         - **check (files, warm cache)**: the same without `--no-cache`, after a run that \
         filled `.glosslint_cache/`.\n\
         - **staged file**: `glosslint check <one entry file>`: one file reported, the \
         index still built from the whole corpus (the pre-commit case).\n\
         - **staged file, edited**: the same after a line is appended to that file (undone \
         after each run, modification time and the run answer it stored included): the file \
         is read and checked, the rest of the corpus judged from the index snapshot a full \
         run left.\n\
         - **check (dumps)**: the same entries as 5,000-entry dump files.\n\
         - **check (seed-verbatim)**: the user's own data shape (`gen_corpus --layout \
         seed-verbatim`): the seed's 50 bodies verbatim under new terms, no blank lines, \
         a line of `[[links]]` each (about 1% broken), one file per entry; \
         **floor (seed-verbatim)** is the floor on those files.\n\
         - **rumdl**, **markdownlint-cli2**: other Markdown linters on the same files, \
         default rules, no cache (they check Markdown only: no corpus index).\n"
    );
    let _ = writeln!(out, "## Results\n");
    for size in sizes {
        let _ = writeln!(
            out,
            "### {} entries\n\nFiles layout {:.1} MB ({:.0} bytes per entry), dumps {:.1} MB. \
             Findings (files layout): {}.\n",
            size.entries,
            size.files_bytes as f64 / 1e6,
            size.files_bytes as f64 / size.entries as f64,
            size.dumps_bytes as f64 / 1e6,
            size.findings.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            out,
            "| case | median | min | max | CPU | peak memory | per entry | vs floor |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|"
        );
        let floor_files = size.get("floor (files)");
        let floor_dumps = size.get("floor (dumps)");
        for (case, stats) in &size.rows {
            let floor = if case.name.contains("dumps") {
                floor_dumps
            } else if case.name.contains("seed-verbatim") {
                size.get("floor (seed-verbatim)")
            } else {
                floor_files
            };
            let versus = match floor {
                Some(floor) if !case.name.starts_with("floor") => {
                    format!("{:.2}x", ratio(stats, floor))
                }
                _ => String::new(),
            };
            let per_entry = if case.name.starts_with("staged") {
                String::new()
            } else {
                format!("{:.1} µs", per_entry(stats, case.entries))
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                case.name,
                timing_cells(stats),
                per_entry,
                versus
            );
        }
        if !size.per_finding.is_empty() {
            let _ = writeln!(
                out,
                "\nMemory per finding (the findings cases: one corpus, one index, more or fewer \
                 findings; peak memory above the case with the fewest, per finding):\n\n\
                 | case | findings | bytes per finding |\n|---|---:|---:|"
            );
            for (name, total, per) in &size.per_finding {
                let per = per.map_or_else(|| "(base)".into(), |per| format!("{per:.0}"));
                let _ = writeln!(out, "| {name} | {total} | {per} |");
            }
        }
        if size.cache_bytes > 0 {
            let _ = writeln!(
                out,
                "\nCache on disk (files layout): {:.1} MB for {:.1} MB of entries ({:.2}x).",
                size.cache_bytes as f64 / 1e6,
                size.files_bytes as f64 / 1e6,
                size.cache_bytes as f64 / size.files_bytes.max(1) as f64
            );
        }
        for note in &size.notes {
            let _ = writeln!(out, "\n- {note}");
        }
        out.push('\n');
    }
    if let Some(result) = findings {
        let _ = writeln!(
            out,
            "### Drawing many findings\n\n{} stub entries in dumps (`gen_corpus --layout findings`), \
             each with a `short-body` and a `repeated-word` finding: {} findings. \
             `--color never --output /dev/null`, `--no-cache`.\n",
            result.entries,
            result.findings.as_deref().unwrap_or("?")
        );
        let _ = writeln!(
            out,
            "| format | median | min | max | CPU | peak memory | vs json |\n|---|---:|---:|---:|---:|---:|---:|"
        );
        let json = result
            .rows
            .iter()
            .find(|(case, _)| case.name == "json")
            .map(|(_, stats)| stats.clone());
        for (case, stats) in &result.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                case.name,
                timing_cells(stats),
                json.as_ref()
                    .map_or_else(String::new, |json| format!("{:.2}x", ratio(stats, json)))
            );
        }
        out.push('\n');
    }
    out.push_str(&targets(sizes, findings));
    out
}

/// The median, min, max, CPU and peak memory cells of a table row.
fn timing_cells(stats: &Stats) -> String {
    format!(
        "{} | {} | {} | {} | {}",
        seconds(stats.median),
        seconds(stats.min),
        seconds(stats.max),
        stats.cpu.map_or_else(|| "?".into(), seconds),
        mib(stats.max_rss_kib)
    )
}

fn targets(sizes: &[SizeResult], findings: Option<&FindingsResult>) -> String {
    let mut out = String::from("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
    let Some(largest) = sizes.iter().max_by_key(|size| size.entries) else {
        return out;
    };
    let n = largest.entries;
    for layout in ["files", "dumps"] {
        if let (Some(check), Some(floor)) = (
            largest.get(&format!("check ({layout})")),
            largest.get(&format!("floor ({layout})")),
        ) {
            let r = ratio(check, floor);
            let _ = writeln!(
                out,
                "| full check ≤ 3x the floor ({layout}, {n} entries) | {r:.2}x ({} vs {}) | {} |",
                seconds(check.median),
                seconds(floor.median),
                verdict(r <= 3.0)
            );
        }
    }
    let peak = largest
        .rows
        .iter()
        .filter(|(case, _)| case.name.starts_with("check") || case.name.starts_with("staged"))
        .filter(|(case, _)| !case.name.contains("seed-verbatim"))
        .filter_map(|(case, stats)| Some((case.name.as_str(), stats.max_rss_kib?)))
        .max_by_key(|(_, kib)| *kib);
    if let Some((name, kib)) = peak {
        let _ = writeln!(
            out,
            "| peak memory ≤ 200 MiB ({n} entries) | {} ({name}) | {} |",
            mib(Some(kib)),
            verdict(kib <= 200 * 1024)
        );
    }
    // The user's own shape (issue 17): its own bounds, and the peer beside it.
    if let (Some(check), Some(floor)) = (
        largest.get("check (seed-verbatim)"),
        largest.get("floor (seed-verbatim)"),
    ) {
        let r = ratio(check, floor);
        let _ = writeln!(
            out,
            "| full check ≤ 5x the floor (seed-verbatim, {n} entries) | {r:.2}x ({} vs {}) | {} |",
            seconds(check.median),
            seconds(floor.median),
            verdict(r <= 5.0)
        );
        if let Some(kib) = check.max_rss_kib {
            let _ = writeln!(
                out,
                "| peak memory ≤ 400 MiB (seed-verbatim, {n} entries) | {} | {} |",
                mib(Some(kib)),
                verdict(kib <= 400 * 1024)
            );
        }
        if let Some(rumdl) = largest.get("rumdl (seed-verbatim)") {
            let r = ratio(rumdl, check);
            let _ = writeln!(
                out,
                "| ≥ 3x faster than rumdl (seed-verbatim, {n} entries) | {r:.2}x ({} vs {}) | {} |",
                seconds(rumdl.median),
                seconds(check.median),
                verdict(r >= 3.0)
            );
        }
    }
    if let (Some(unlinked), Some(check)) = (
        largest.get("check (files, unlinked-mention)"),
        largest.get("check (files)"),
    ) {
        let r = ratio(unlinked, check);
        let _ = writeln!(
            out,
            "| `unlinked-mention` on ≤ 2x the default full check (files, {n} entries) | {r:.2}x ({} vs {}) | {} |",
            seconds(unlinked.median),
            seconds(check.median),
            verdict(r <= 2.0)
        );
    }
    let worst = largest
        .per_finding
        .iter()
        .filter_map(|(name, total, per)| Some((name, total, (*per)?)))
        .max_by(|a, b| a.2.total_cmp(&b.2));
    if let Some((name, total, per)) = worst {
        let _ = writeln!(
            out,
            "| memory per finding ≤ 100 bytes above the no-findings run (worst of {} counts) | {per:.0} bytes ({name}, {total} findings) | {} |",
            largest.per_finding.len() - 1,
            verdict(per <= 100.0)
        );
    }
    if largest.cache_bytes > 0 {
        let r = largest.cache_bytes as f64 / largest.files_bytes.max(1) as f64;
        let _ = writeln!(
            out,
            "| cache on disk ≤ 1.5x the corpus (files, {n} entries) | {r:.2}x ({:.1} MB for {:.1} MB) | {} |",
            largest.cache_bytes as f64 / 1e6,
            largest.files_bytes as f64 / 1e6,
            verdict(r <= 1.5)
        );
    }
    let by_size: BTreeMap<usize, &SizeResult> = sizes.iter().map(|s| (s.entries, s)).collect();
    if let (Some(small), Some(large)) = (by_size.get(&10_000), by_size.get(&100_000)) {
        for layout in ["files", "dumps"] {
            let name = format!("check ({layout})");
            if let (Some(a), Some(b)) = (small.get(&name), large.get(&name)) {
                let (a, b) = (per_entry(a, 10_000), per_entry(b, 100_000));
                let change = b / a - 1.0;
                let _ = writeln!(
                    out,
                    "| time per entry flat within 20% from 10k to 100k ({layout}) | {a:.1} → {b:.1} µs ({:+.0}%) | {} |",
                    change * 100.0,
                    verdict(change.abs() <= 0.2)
                );
            }
        }
    }
    // The cache targets: both are measured with the cache the run before left.
    for (name, what, bound) in [
        ("check (files, warm cache)", "unchanged re-run", 0.5),
        ("staged file (warm cache)", "one staged file", 0.25),
        (
            "staged file, edited (warm cache)",
            "one staged file, edited",
            0.25,
        ),
    ] {
        if let Some(stats) = largest.get(name) {
            let _ = writeln!(
                out,
                "| {what} ≤ {bound} s with the cache ({name}, {n} entries) | {} | {} |",
                seconds(stats.median),
                verdict(stats.median.as_secs_f64() <= bound)
            );
        }
    }
    if let Some(result) = findings {
        let get = |name: &str| {
            result
                .rows
                .iter()
                .find(|(case, _)| case.name == name)
                .map(|(_, stats)| stats)
        };
        if let (Some(fancy), Some(json)) = (get("fancy"), get("json")) {
            let r = ratio(fancy, json);
            let _ = writeln!(
                out,
                "| `fancy` ≤ 2x `json` on {} | {r:.2}x ({} vs {}) | {} |",
                result.findings.as_deref().unwrap_or("?"),
                seconds(fancy.median),
                seconds(json.median),
                verdict(r <= 2.0)
            );
        }
    }
    out
}

fn run(options: &Options) -> Result<(), String> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target"));
    if options.build {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        eprintln!("building glosslint and gen_corpus (release)");
        let status = Command::new(cargo)
            .args([
                "build",
                "--release",
                "--bin",
                "glosslint",
                "--example",
                "gen_corpus",
            ])
            .current_dir(manifest)
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err("cargo build failed".into());
        }
    }
    let bench = std::env::current_exe().map_err(|e| e.to_string())?;
    let generator = bench.with_file_name(format!("gen_corpus{}", std::env::consts::EXE_SUFFIX));
    let glosslint = target.join("release").join("glosslint");
    for needed in [&generator, &glosslint] {
        if !needed.is_file() {
            return Err(format!(
                "{} is missing: run `cargo build --release --examples --bin glosslint`",
                needed.display()
            ));
        }
    }
    let corpus_root = target.join("bench-corpus");
    std::fs::create_dir_all(&corpus_root).map_err(|e| e.to_string())?;
    // Run a copy: a build elsewhere must not swap the binary in mid-run.
    let snapshot = corpus_root.join(format!("glosslint{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(&glosslint, &snapshot)
        .map_err(|e| format!("cannot copy {}: {e}", glosslint.display()))?;
    let glosslint = snapshot;
    let glosslint_str = glosslint.to_string_lossy().into_owned();
    let has_no_cache = output_of(&glosslint_str, &["check", "--help"])
        .is_some_and(|help| help.contains("--no-cache"));
    let rumdl = options.tools.then(|| find_program("rumdl")).flatten();
    let markdownlint = options
        .tools
        .then(|| find_program("markdownlint-cli2"))
        .flatten();
    // The first line a tool prints about itself (`markdownlint-cli2 --help`
    // exits with 2).
    let version = |program: &Option<PathBuf>, args: &[&str]| {
        let output = Command::new(program.as_ref()?)
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        text.lines().next().map(|line| line.trim().to_string())
    };
    let commit = output_of(
        "git",
        &["-C", &manifest.to_string_lossy(), "rev-parse", "HEAD"],
    )
    .map(|commit| {
        let dirty = output_of(
            "git",
            &[
                "-C",
                &manifest.to_string_lossy(),
                "status",
                "--porcelain",
                "--untracked-files=no",
            ],
        )
        .is_some_and(|status| !status.is_empty());
        if dirty {
            format!("{commit} (with uncommitted changes in the working tree)")
        } else {
            commit
        }
    })
    .unwrap_or_else(|| "unknown".into());
    let mut environment = Environment {
        date: output_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
        cpu: cpu_model(),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory: memory_total(),
        rustc: output_of("rustc", &["--version"]).unwrap_or_else(|| "unknown".into()),
        glosslint: output_of(&glosslint_str, &["--version"]).unwrap_or_default(),
        commit,
        load_before: load_average(),
        load_after: String::new(),
        own_peak: String::new(),
        rumdl: version(&rumdl, &["--version"]),
        markdownlint: version(&markdownlint, &["--help"]),
        command: format!(
            "cargo run --release --example bench -- --sizes {} --runs {}",
            options
                .sizes
                .iter()
                .map(|size| size.to_string())
                .collect::<Vec<_>>()
                .join(","),
            options.runs
        ),
    };
    let tools = Tools {
        glosslint,
        bench,
        rumdl,
        markdownlint,
        has_no_cache,
    };
    let mut sizes = Vec::new();
    for &entries in &options.sizes {
        sizes.push(bench_size(
            &tools,
            options,
            &corpus_root,
            &generator,
            entries,
        )?);
    }
    let findings = if options.findings > 0 {
        Some(bench_findings(&tools, options, &corpus_root, &generator)?)
    } else {
        None
    };
    environment.load_after = load_average();
    environment.own_peak = mib(own_peak_kib());
    let mut text = report(&environment, options, &sizes, findings.as_ref());
    // Hand-written notes (a profile, say) below the marker survive a rerun.
    if let Some(notes) = std::fs::read_to_string(&options.out)
        .ok()
        .and_then(|old| old.find(NOTES_MARKER).map(|at| old[at..].to_string()))
    {
        text.push('\n');
        text.push_str(&notes);
    }
    std::fs::write(&options.out, &text)
        .map_err(|e| format!("cannot write {}: {e}", options.out.display()))?;
    print!("{text}");
    eprintln!("wrote {}", options.out.display());
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("floor") {
        return floor(&args[1..]);
    }
    let result = parse_options(&args).and_then(|options| run(&options));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}
