//! The command line (SPEC 5): flags, subcommands and exit status.
//!
//! Exit status: 0 when there are no errors and warnings stay within
//! `--max-warnings`; 1 when findings cross that line; 2 when the run itself
//! failed (bad usage, bad configuration, unreadable input).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::config::{self, Config, ConfigError};
use crate::diagnostic::Level;
use crate::discover::Request;
use crate::lint::{lint, LintRequest};
use crate::normalize::did_you_mean;
use crate::report::{self, fancy, Format, Summary};
use crate::rules::{Family, Registry};

/// A linter for glossaries and knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "glosslint", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint entries (the default command); no PATHS means the configured corpus.
    Check(Box<CheckArgs>),
    /// List every rule: id, family, default level, fixable.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Print a rule's documentation.
    Rule {
        /// The rule id.
        id: String,
    },
    /// Split dump files into one entry file each (bodies byte for byte).
    Import {
        /// Dump files.
        #[arg(required = true)]
        dumps: Vec<PathBuf>,
        /// Folder to write the entries to.
        #[arg(long)]
        out: PathBuf,
        /// Print what would be written, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Write a starter glosslint.toml and rules/templates.toml.
    Init {
        /// Overwrite existing files.
        #[arg(long)]
        force: bool,
    },
    /// Per language: translations up to date, stale, orphaned and missing.
    Translations {
        /// Only this language, with its lists.
        #[arg(long, value_name = "LANGUAGE")]
        language: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: crate::translations::report::StatusFormat,
        /// Use this configuration file instead of searching for glosslint.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Run the language server on standard input and output.
    Lsp,
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ListFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug, Default, Args)]
struct CheckArgs {
    /// Files or folders to report on; the index still covers the whole corpus.
    paths: Vec<PathBuf>,
    /// Output format (`--format` is the old name).
    #[arg(
        long = "output-format",
        visible_alias = "format",
        value_enum,
        value_name = "FORMAT"
    )]
    format: Option<Format>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Use this configuration file instead of searching for glosslint.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run only these rules or families (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    select: Vec<String>,
    /// Do not run these rules or families (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "ID")]
    ignore: Vec<String>,
    /// Fail when there are more warnings than N.
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// Print only how many findings each rule produced.
    #[arg(long)]
    statistics: bool,
    /// Exit 0 even when there are findings (a run that failed still exits 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print the configuration resolved for each named file (or the project), then exit.
    #[arg(long)]
    show_settings: bool,
    /// Print the files that would be checked, then exit.
    #[arg(long, conflicts_with = "show_settings")]
    show_files: bool,
    /// Check, then check again whenever a file under the project changes.
    #[arg(long, conflicts_with_all = ["fix", "diff", "stdin_filename", "write_baseline", "output"])]
    watch: bool,
    /// Lint standard input as if it were this file.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Do not honour .gitignore and other ignore files.
    #[arg(long)]
    no_ignore: bool,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Colours: auto (a terminal without NO_COLOR), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Print findings only, no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Apply safe fixes, re-check, and repeat until nothing changes.
    #[arg(long)]
    fix: bool,
    /// Print the fixes as a unified diff; write nothing (exit 1 if any).
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// With --fix or --diff, apply unsafe fixes too.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Neither read nor write the cache in .glosslint_cache/.
    #[arg(long)]
    no_cache: bool,
    /// Report the entry files changed since REV (git), and the links elsewhere
    /// that point at what the change removed or renamed.
    #[arg(long, value_name = "REV", conflicts_with = "stdin_filename")]
    changed_since: Option<String>,
    /// Report only findings not recorded in this baseline (see --write-baseline).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in FILE as accepted, print no report, exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

/// Parses the arguments and runs; the binary's whole `main`.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(message) => {
            eprint!("{message}");
            if !message.ends_with('\n') {
                eprintln!();
            }
            2
        }
    };
    ExitCode::from(code)
}

fn run(cli: Cli) -> Result<u8, String> {
    let cwd =
        std::env::current_dir().map_err(|error| format!("error: no working directory: {error}"))?;
    let registry = registry_for(&cli, &cwd)?;
    match cli.command {
        None => check_projects(cli.check, &cwd),
        Some(Command::Check(args)) => check_projects(*args, &cwd),
        Some(Command::Rules { format }) => Ok(list_rules(&registry, format)),
        Some(Command::Rule { id }) => explain_rule(&registry, &id),
        Some(Command::Import {
            dumps,
            out,
            dry_run,
            force,
        }) => import(&dumps, &out, dry_run, force, &cwd),
        Some(Command::Init { force }) => init(&cwd, force),
        Some(Command::Translations {
            language,
            format,
            config,
        }) => {
            let file = config
                .map(|file| cwd.join(file))
                .or_else(|| config::find(&cwd));
            let config = load_config(&CheckArgs::default(), file.as_deref(), &registry, &cwd)?;
            let status = translations_status(&config, &cwd, language.as_deref(), format)?;
            print!("{status}");
            Ok(0)
        }
        Some(Command::Lsp) => crate::lsp::run(&cwd),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "glosslint",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
    }
}

/// The built-in rules plus the house rules in `rules/` beside the configuration
/// the command will use.
fn registry_for(cli: &Cli, cwd: &Path) -> Result<Registry, String> {
    // `check` loads each project's own (see `check_projects`).
    if matches!(cli.command, None | Some(Command::Check(_))) {
        return Ok(Registry::builtin());
    }
    let named = match &cli.command {
        Some(Command::Translations { config, .. }) => config.clone(),
        _ => None,
    };
    let file = named
        .map(|file| cwd.join(file))
        .or_else(|| config::find(cwd));
    registry_beside(file.as_deref(), cwd)
}

/// The built-in rules plus the house rules in `rules/` beside `config_file`.
fn registry_beside(config_file: Option<&Path>, cwd: &Path) -> Result<Registry, String> {
    let Some(root) = config_file.and_then(Path::parent) else {
        return Ok(Registry::builtin());
    };
    Registry::with_house_rules(&root.join("rules"), cwd)
        .map_err(|errors| render_config_errors(&errors, std::io::stderr().is_terminal()))
}

/// One `glosslint.toml` (or none: the defaults) and the named paths under it.
#[derive(Debug, PartialEq, Eq)]
struct Project {
    config: Option<PathBuf>,
    paths: Vec<PathBuf>,
}

/// Groups the named paths by the configuration that governs each (the nearest
/// `glosslint.toml` above it, as ruff finds its own), so that each project is
/// checked against its own corpus. `--config` names one for every path.
fn projects_for(args: &CheckArgs, cwd: &Path) -> Result<Vec<Project>, String> {
    if let Some(file) = &args.config {
        let absolute = crate::discover::absolute(file, cwd);
        // One that exists but is no regular file is refused by the
        // configuration reader's own gate, with its reason.
        if !absolute.exists() {
            return Err(format!(
                "error: the configuration file {} does not exist",
                file.display()
            ));
        }
        return Ok(vec![Project {
            config: Some(absolute),
            paths: args.paths.clone(),
        }]);
    }
    if let Some(path) = &args.stdin_filename {
        return Ok(vec![Project {
            config: crate::discover::config_for(&crate::discover::absolute(path, cwd)),
            paths: args.paths.clone(),
        }]);
    }
    if args.paths.is_empty() {
        return Ok(vec![Project {
            config: config::find(cwd),
            paths: Vec::new(),
        }]);
    }
    let mut projects: Vec<Project> = Vec::new();
    for path in &args.paths {
        let config = crate::discover::config_for(&crate::discover::absolute(path, cwd));
        match projects.iter_mut().find(|project| project.config == config) {
            Some(project) => project.paths.push(path.clone()),
            None => projects.push(Project {
                config,
                paths: vec![path.clone()],
            }),
        }
    }
    Ok(projects)
}

/// `check` over every project the named paths belong to; the worst exit
/// status wins. With `--watch`, again after each change.
fn check_projects(args: CheckArgs, cwd: &Path) -> Result<u8, String> {
    let projects = projects_for(&args, cwd)?;
    let document = args.format.is_some_and(Format::is_document);
    if projects.len() > 1 && (document || args.output.is_some()) {
        let files: Vec<String> = projects
            .iter()
            .map(|project| {
                project.config.as_ref().map_or_else(
                    || "(no configuration)".to_string(),
                    |file| crate::load::display_path(file, cwd),
                )
            })
            .collect();
        return Err(format!(
            "error: the named paths belong to {} projects ({}); one report file holds one project: name the paths of one, or pass --config",
            projects.len(),
            files.join(", ")
        ));
    }
    let roots = watched_roots(&projects, cwd);
    loop {
        // Taken before the check, so a change made while it runs is seen.
        let before = args.watch.then(|| crate::discover::stamps(&roots));
        let mut worst = 0;
        for project in &projects {
            let mut project_args = args.clone();
            project_args.paths.clone_from(&project.paths);
            let code = registry_beside(project.config.as_deref(), cwd).and_then(|registry| {
                check(project_args, project.config.as_deref(), &registry, cwd)
            });
            worst = worst.max(match code {
                Ok(code) => code,
                // A watching run reports a broken configuration and waits for its repair.
                Err(message) if args.watch => {
                    eprintln!("{}", message.trim_end());
                    2
                }
                Err(message) => return Err(message),
            });
        }
        let Some(before) = before else {
            return Ok(worst);
        };
        crate::discover::wait_for_change(&roots, &before);
        eprintln!("File change detected: checking again");
    }
}

/// The folders `--watch` polls: each project's root.
fn watched_roots(projects: &[Project], cwd: &Path) -> Vec<PathBuf> {
    projects
        .iter()
        .map(|project| {
            project
                .config
                .as_deref()
                .and_then(Path::parent)
                .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
        })
        .collect()
}

fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    }
}

fn load_config(
    args: &CheckArgs,
    file: Option<&Path>,
    registry: &Registry,
    cwd: &Path,
) -> Result<Config, String> {
    let color = use_color(args.color, std::io::stderr().is_terminal());
    match file {
        Some(file) => {
            Config::load(file, cwd, registry).map_err(|errors| render_config_errors(&errors, color))
        }
        None => Ok(Config::defaults(cwd.to_path_buf(), registry)),
    }
}

fn render_config_errors(errors: &[ConfigError], color: bool) -> String {
    let mut out = String::new();
    for error in errors {
        out.push_str(&fancy::render_one(
            &error.source.name,
            &error.source.text,
            error.span.clone(),
            &format!("invalid configuration: {}", error.message),
            error.help.as_deref(),
            color,
        ));
    }
    out
}

/// Turns `--select`/`--ignore` names (rule ids or families) into rule indexes.
fn resolve_names(names: &[String], registry: &Registry) -> Result<Vec<usize>, String> {
    let mut indexes = Vec::new();
    for name in names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
    {
        if name == "all" {
            indexes.extend(0..registry.len());
        } else if let Some(family) = Family::ALL.iter().find(|family| family.as_str() == name) {
            indexes.extend(
                registry
                    .rules()
                    .filter(|(_, rule)| rule.meta().family == *family)
                    .map(|(index, _)| index),
            );
        } else if let Some(index) = registry.index_of(name) {
            indexes.push(index);
        } else {
            let candidates: Vec<&str> = registry
                .ids()
                .chain(Family::ALL.iter().map(|family| family.as_str()))
                .collect();
            let hint = did_you_mean(name, candidates.iter().copied()).map_or_else(
                || " (`glosslint rules` lists every rule)".to_string(),
                |near| format!("; did you mean `{near}`?"),
            );
            return Err(format!("error: unknown rule or family `{name}`{hint}"));
        }
    }
    Ok(indexes)
}

fn check(
    args: CheckArgs,
    config_file: Option<&Path>,
    registry: &Registry,
    cwd: &Path,
) -> Result<u8, String> {
    let started = Instant::now();
    if let Some(threads) = args.threads {
        // Fails only if the pool was built already, in which case it is kept.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let mut config = load_config(&args, config_file, registry, cwd)?;
    let baseline = args
        .baseline
        .as_ref()
        .map(|path| crate::baseline::Baseline::load(path, cwd))
        .transpose()?;
    let selected = resolve_names(&args.select, registry)?;
    let ignored = resolve_names(&args.ignore, registry)?;
    if !selected.is_empty() || !ignored.is_empty() {
        let defaults = registry.default_levels();
        config.restrict_rules(&|index, level| {
            if ignored.contains(&index) || (!selected.is_empty() && !selected.contains(&index)) {
                Level::Off
            } else if !selected.is_empty() && level == Level::Off {
                // Selecting a rule by name switches it on even where it is off.
                if defaults[index] == Level::Off {
                    Level::Warning
                } else {
                    defaults[index]
                }
            } else {
                level
            }
        });
    }
    // In a GitHub Actions job, findings become annotations unless asked otherwise.
    let format = args.format.unwrap_or_else(|| {
        if std::env::var_os("GITHUB_ACTIONS").is_some_and(|value| value == "true") {
            Format::Github
        } else {
            Format::Fancy
        }
    });
    let mut request = LintRequest {
        discover: Request {
            paths: args.paths.clone(),
            no_ignore: args.no_ignore,
        },
        use_cache: !args.no_cache,
        keep_texts: format.draws_source(),
        ..LintRequest::default()
    };
    if args.show_settings {
        print!("{}", show_settings(&config, registry, &args.paths, cwd));
        return Ok(0);
    }
    if args.show_files {
        let discovered = crate::discover::discover(&config, &request.discover, cwd);
        let mut stdout = std::io::stdout().lock();
        for file in discovered.files.iter().filter(|file| file.reported) {
            let _ = writeln!(stdout, "{}", file.display);
        }
        for error in &discovered.errors {
            eprintln!("error: {}: {}", error.path, error.message);
        }
        return Ok(if discovered.errors.is_empty() { 0 } else { 2 });
    }
    let stdin_path = args
        .stdin_filename
        .as_ref()
        .map(|path| crate::discover::absolute(path, cwd));
    if let (Some(path), Some(absolute_path)) = (&args.stdin_filename, &stdin_path) {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|error| format!("error: cannot read standard input: {error}"))?;
        // A file the configured globs leave out is not an entry: nothing to
        // report, and the editor's format-on-save gets its text back as it was.
        if crate::discover::outside_corpus(&config, absolute_path, cwd) {
            if args.fix {
                print!("{text}");
            }
            return Ok(0);
        }
        request.texts.insert(absolute_path.clone(), text);
        request.stdin_path = Some(path.clone());
    }
    if let Some(revision) = &args.changed_since {
        let root = crate::discover::absolute(&config.root, cwd);
        if crate::discover::repository_root(&root).is_none() {
            return Err(format!(
                "error: --changed-since needs a git repository, and {} is not inside one",
                crate::load::display_path(&root, cwd)
            ));
        }
        request.changes = Some(std::sync::Arc::new(crate::changes::since(
            revision, &config, cwd,
        )?));
    }
    let mut fix_note = String::new();
    let mut write_failed = false;
    // `--fix` on standard input writes the fixed text to standard output, so
    // the report goes to standard error.
    let fixing_stdin = args.fix && stdin_path.is_some();
    if args.fix || args.diff {
        let fixed = crate::fix::run_rounds(&config, registry, &request, cwd, args.unsafe_fixes);
        if let Some(text) = stdin_path
            .as_ref()
            .filter(|_| args.fix)
            .and_then(|path| request.texts.get_mut(path).map(|text| (path, text)))
            .map(|(path, text)| {
                if let Some(changed) = fixed.changed.iter().find(|file| &file.path == path) {
                    text.clone_from(&changed.fixed);
                }
                text
            })
        {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
        if args.diff {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(crate::fix::unified_diff(&fixed).as_bytes());
            return Ok(u8::from(!fixed.changed.is_empty()));
        }
        let written = if fixing_stdin {
            crate::fix::Written::default()
        } else {
            crate::fix::write_all(&fixed, &crate::discover::absolute(&config.root, cwd))
        };
        for (path, reason) in &written.left_alone {
            eprintln!("note: {path} not fixed: {reason}");
        }
        for (path, reason) in &written.failed {
            eprintln!("error: cannot write {path}: {reason}");
        }
        write_failed = !written.failed.is_empty();
        fix_note = format!(
            "Fixed {} {} in {} {}\n",
            written.fixes,
            if written.fixes == 1 {
                "finding"
            } else {
                "findings"
            },
            written.files,
            if written.files == 1 { "file" } else { "files" }
        );
    }
    let mut outcome = lint(&config, registry, &request, cwd);
    if let Some(path) = &args.write_baseline {
        let recorded = crate::baseline::Baseline::of(&outcome);
        recorded.write(path, cwd)?;
        if !args.quiet {
            println!(
                "Wrote {} {} to the baseline {}",
                recorded.len(),
                if recorded.len() == 1 {
                    "finding"
                } else {
                    "findings"
                },
                path.display()
            );
        }
        for failure in &outcome.failures {
            eprintln!("error: cannot read {}: {}", failure.path, failure.message);
        }
        return Ok(if outcome.failures.is_empty() { 0 } else { 2 });
    }
    let applied = baseline
        .as_ref()
        .map(|baseline| baseline.apply(&mut outcome));
    let to_terminal = if fixing_stdin {
        std::io::stderr().is_terminal()
    } else {
        args.output.is_none() && std::io::stdout().is_terminal()
    };
    let mut summary = Summary::of(&outcome);
    let over_warnings = args.max_warnings.is_some_and(|max| summary.warnings > max);
    let options = fancy::Options {
        color: use_color(args.color, to_terminal),
        warnings_fail: over_warnings,
    };
    // Annotations and code scanning name files from the repository's top,
    // wherever the run started (the action's `working-directory`).
    if matches!(format, Format::Github | Format::Sarif) {
        let root = crate::discover::absolute(&config.root, cwd);
        let base = crate::discover::repository_root(&root).unwrap_or(root);
        for file in &mut outcome.files {
            file.display = crate::load::display_path(&file.path, &base).into();
        }
    }
    if let (Some(applied), Format::Json) = (&applied, format) {
        summary.baselined = Some(applied.hidden);
        summary.stale = Some(applied.stale);
    }
    // A document format other than JSON has no room for the baseline's note.
    if let Some(applied) = applied
        .as_ref()
        .filter(|_| !args.quiet && format.is_document() && format != Format::Json)
    {
        eprintln!("{}", applied.note().trim_start_matches("; "));
    }
    // What follows the report on a terminal: made once the report is
    // written, so the time it states includes the writing.
    let tail = || {
        let mut text = String::new();
        if !args.quiet && !format.is_document() {
            text.push_str(&fix_note);
            text.push_str(&summary.line(started.elapsed()));
            if let Some(applied) = &applied {
                text.push_str(&applied.note());
            }
            text.push('\n');
        }
        text
    };
    // Written as it is made: the JSON of 100k findings is never held whole.
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
        // `--statistics` replaces the report with its table, as ruff's does.
        if args.statistics {
            out.write_all(statistics(&outcome).as_bytes())?;
        } else {
            report::write(&outcome, format, &options, registry, &summary, &mut out)?;
            out.write_all(tail().as_bytes())?;
        }
        out.flush()
    };
    match &args.output {
        Some(path) => std::fs::File::create(cwd.join(path))
            .and_then(|mut file| write(&mut file))
            .map_err(|error| format!("error: cannot write {}: {error}", path.display()))?,
        // A closed pipe (`| head`) is not an error of the run.
        None if fixing_stdin => {
            let _ = write(&mut std::io::stderr().lock());
        }
        None => {
            let _ = write(&mut std::io::stdout().lock());
        }
    }
    for failure in &outcome.failures {
        eprintln!("error: cannot read {}: {}", failure.path, failure.message);
    }
    let crashed = outcome
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.rule == crate::check::INTERNAL_ERROR);
    if crashed {
        eprintln!(
            "error: glosslint hit an internal error on some files; see `internal-error` above"
        );
    }
    if !outcome.failures.is_empty() || crashed || write_failed {
        return Ok(2);
    }
    // The process ends right after this; freeing a large run piece by piece
    // would only delay the exit (the report is written, memory has peaked).
    // A watching process runs again, and frees it.
    if !args.watch {
        std::mem::forget(outcome);
    }
    Ok(if args.exit_zero {
        0
    } else if summary.errors > 0 || over_warnings {
        1
    } else {
        0
    })
}

/// `--show-settings`: the configuration in force for each named file (for
/// the project as a whole without one), in TOML-like lines.
fn show_settings(config: &Config, registry: &Registry, paths: &[PathBuf], cwd: &Path) -> String {
    let root = crate::discover::absolute(&config.root, cwd);
    let mut out = format!(
        "configuration = {:?}\nroot = {:?}\n[files]\nentries = {:?}\ndumps = {:?}\nexclude = {:?}\n",
        config
            .file
            .as_ref()
            .map_or_else(|| "(none: defaults)".to_string(), |file| crate::load::display_path(file, cwd)),
        crate::load::display_path(&root, cwd),
        config.files.entries.patterns,
        config.files.dumps.patterns,
        config.files.exclude.patterns,
    );
    let mut targets: Vec<(String, std::sync::Arc<config::FileSettings>)> = paths
        .iter()
        .map(|path| {
            let absolute = crate::discover::absolute(path, cwd);
            let relative = crate::load::display_path(&absolute, &root);
            let kind = match crate::discover::corpus_kind(config, &relative) {
                Some(crate::load::FileKind::Entry) => "entry file",
                Some(crate::load::FileKind::Dump) => "dump",
                None => "not in the corpus",
            };
            (
                format!("{} ({kind})", crate::load::display_path(&absolute, cwd)),
                config.settings_for(&relative),
            )
        })
        .collect();
    if targets.is_empty() {
        targets.push((
            "the project ([rules])".to_string(),
            config.corpus_settings(),
        ));
    }
    for (name, settings) in targets {
        out.push_str(&format!(
            "\n# {name}\nnamespace = {:?}\n",
            &*settings.namespace
        ));
        let templates: Vec<&str> = settings
            .templates
            .iter()
            .filter_map(|&index| config.templates.get(index))
            .map(|template| template.name.as_str())
            .collect();
        out.push_str(&format!("templates = {templates:?}\n[rules]\n"));
        for (index, rule) in registry.rules() {
            let meta = rule.meta();
            let level = settings
                .rules
                .levels
                .get(index)
                .copied()
                .unwrap_or(Level::Off);
            let options: Vec<String> = meta
                .options
                .iter()
                .map(|option| {
                    let value = settings
                        .rules
                        .options
                        .get(&(index, option.name))
                        .copied()
                        .unwrap_or(option.default);
                    format!("{} = {value}", option.name)
                })
                .collect();
            if options.is_empty() {
                out.push_str(&format!("{} = {:?}\n", meta.id, level.as_str()));
            } else {
                out.push_str(&format!(
                    "{} = {{ level = {:?}, {} }}\n",
                    meta.id,
                    level.as_str(),
                    options.join(", ")
                ));
            }
        }
    }
    out
}

fn statistics(outcome: &crate::report::Outcome) -> String {
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> =
        std::collections::BTreeMap::new();
    for diagnostic in &outcome.diagnostics {
        *counts
            .entry((diagnostic.rule, diagnostic.level.as_str()))
            .or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.iter()
        .map(|((rule, level), count)| format!("{count:>6}  {rule:<22} {level}\n"))
        .collect()
}

fn list_rules(registry: &Registry, format: ListFormat) -> u8 {
    let mut out = String::new();
    match format {
        ListFormat::Table => {
            out.push_str(&format!(
                "{:<22} {:<11} {:<8} {:<9} {}\n",
                "id", "family", "level", "fix", "summary"
            ));
            let width = terminal_width();
            for (_, rule) in registry.rules() {
                let meta = rule.meta();
                let row = format!(
                    "{:<22} {:<11} {:<8} {:<9} ",
                    meta.id,
                    meta.family.as_str(),
                    meta.default_level.as_str(),
                    meta.fix.as_str(),
                );
                let room = width.saturating_sub(row.chars().count()).max(20);
                out.push_str(&row);
                out.push_str(&cut_to(&meta.summary(), room));
                out.push('\n');
            }
        }
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = registry
                .rules()
                .map(|(_, rule)| {
                    let meta = rule.meta();
                    serde_json::json!({
                        "id": meta.id,
                        "family": meta.family.as_str(),
                        "default_level": meta.default_level.as_str(),
                        "fix": meta.fix.as_str(),
                        "summary": meta.summary(),
                        "options": meta.options.iter().map(|o| serde_json::json!({"name": o.name, "default": o.default})).collect::<Vec<_>>(),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&rules).expect("rules serialize");
            out.push('\n');
        }
    }
    print!("{out}");
    0
}

/// The columns of the terminal (`COLUMNS`, as shells export it), else 80.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .filter(|&columns: &usize| columns > 0)
        .unwrap_or(80)
}

/// `text` cut to at most `room` characters, an ellipsis marking the cut
/// (`glosslint rule ID` prints the whole text).
fn cut_to(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(room.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

fn explain_rule(registry: &Registry, id: &str) -> Result<u8, String> {
    let Some(index) = registry.index_of(id) else {
        let hint = did_you_mean(id, registry.ids())
            .map_or_else(String::new, |near| format!("; did you mean `{near}`?"));
        return Err(format!("error: unknown rule `{id}`{hint}"));
    };
    let meta = registry.meta(index);
    println!(
        "# {}\n\nFamily: {} · default level: {} · fix: {}\n\n{}",
        meta.id,
        meta.family.as_str(),
        meta.default_level.as_str(),
        meta.fix.as_str(),
        meta.documentation().trim_end()
    );
    Ok(0)
}

fn import(
    dumps: &[PathBuf],
    out: &Path,
    dry_run: bool,
    force: bool,
    cwd: &Path,
) -> Result<u8, String> {
    let mut sources = Vec::new();
    for dump in dumps {
        let bytes = std::fs::read(cwd.join(dump))
            .map_err(|error| format!("error: cannot read {}: {error}", dump.display()))?;
        sources.push((dump.display().to_string(), bytes));
    }
    let out_dir = cwd.join(out);
    let (planned, leftovers) = crate::import::plan(&sources, out);
    for leftover in &leftovers {
        eprintln!(
            "warning: {}: text before the first header belongs to no entry and was not imported: {:?}",
            leftover.dump,
            leftover.text.chars().take(60).collect::<String>()
        );
    }
    if !force {
        let existing: Vec<String> = planned
            .iter()
            .filter(|file| cwd.join(&file.path).exists())
            .map(|file| file.path.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "error: {} file(s) already exist, such as {}; pass --force to overwrite",
                existing.len(),
                existing[0]
            ));
        }
    }
    if dry_run {
        for file in &planned {
            println!("would write {} ({})", file.path.display(), file.term);
        }
        println!(
            "{} entries from {} dump(s); nothing written (--dry-run)",
            planned.len(),
            dumps.len()
        );
        return Ok(u8::from(!leftovers.is_empty()));
    }
    std::fs::create_dir_all(&out_dir)
        .map_err(|error| format!("error: cannot create {}: {error}", out.display()))?;
    for file in &planned {
        std::fs::write(cwd.join(&file.path), &file.contents)
            .map_err(|error| format!("error: cannot write {}: {error}", file.path.display()))?;
    }
    println!(
        "wrote {} entries from {} dump(s) to {}",
        planned.len(),
        dumps.len(),
        out.display()
    );
    Ok(u8::from(!leftovers.is_empty()))
}

/// `glosslint translations`: surveys the configured corpus (with git
/// history, when there is one) and renders its status.
fn translations_status(
    config: &Config,
    cwd: &Path,
    language: Option<&str>,
    format: crate::translations::report::StatusFormat,
) -> Result<String, String> {
    let Some(translations) = &config.translations else {
        return Err(
            "error: no `[translations]` table in glosslint.toml (`glosslint init` writes one for a Hugo site with languages)"
                .into(),
        );
    };
    let root = crate::discover::absolute(&config.root, cwd);
    let discovered = crate::discover::discover(config, &Request::default(), cwd);
    let relative: Vec<String> = discovered
        .files
        .iter()
        .map(|file| crate::load::display_path(&file.path, &root))
        .collect();
    let paths: Vec<&str> = relative.iter().map(String::as_str).collect();
    let read = |file: usize| {
        crate::load::read(&discovered.files[file].path)
            .ok()
            .map(|source| source.text)
    };
    let survey = crate::translations::Survey::new(
        translations,
        &paths,
        &read,
        Some(crate::translations::history::History::read(&root)),
    );
    let shown: Vec<&str> = discovered.files.iter().map(|file| &*file.display).collect();
    crate::translations::report::render(&survey, &shown, language, format)
}

fn init(cwd: &Path, force: bool) -> Result<u8, String> {
    let plan = crate::init::plan(cwd);
    // A Hugo site with languages gets its `[translations]` table filled in.
    let hugo = crate::translations::hugo::translations_section(cwd).unwrap_or_default();
    let config_text = format!("{}{hugo}", plan.config);
    let mut files = vec![(cwd.join(config::FILE_NAME), config_text.as_str())];
    if let Some(templates) = plan.templates {
        files.push((cwd.join("rules").join("templates.toml"), templates));
    }
    if !force {
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            return Err(format!(
                "error: {} already exists; pass --force to overwrite",
                path.display()
            ));
        }
    }
    for line in &plan.report {
        println!("{line}");
    }
    if plan.templates.is_some() {
        std::fs::create_dir_all(cwd.join("rules"))
            .map_err(|error| format!("error: cannot create rules/: {error}"))?;
    }
    for (path, contents) in &files {
        std::fs::write(path, contents)
            .map_err(|error| format!("error: cannot write {}: {error}", path.display()))?;
        println!("wrote {}", crate::load::display_path(path, cwd));
    }
    Ok(0)
}
