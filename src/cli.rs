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

#[derive(Debug, Default, Args)]
struct CheckArgs {
    /// Files or folders to report on; the index still covers the whole corpus.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
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
    /// Print how many findings each rule produced.
    #[arg(long)]
    statistics: bool,
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
    #[arg(long)]
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
        None => check(cli.check, &registry, &cwd),
        Some(Command::Check(args)) => check(*args, &registry, &cwd),
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
            let args = CheckArgs {
                config,
                ..CheckArgs::default()
            };
            let config = load_config(&args, &registry, &cwd)?;
            let status =
                crate::translations::report::run(&config, &cwd, language.as_deref(), format)?;
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
    let named = match &cli.command {
        Some(Command::Check(args)) => args.config.clone(),
        None => cli.check.config.clone(),
        Some(Command::Translations { config, .. }) => config.clone(),
        Some(_) => None,
    };
    let file = named
        .map(|file| cwd.join(file))
        .or_else(|| config::find(cwd));
    let Some(root) = file.as_ref().and_then(|file| file.parent()) else {
        return Ok(Registry::builtin());
    };
    Registry::with_house_rules(&root.join("rules"), cwd)
        .map_err(|errors| render_config_errors(&errors, std::io::stderr().is_terminal()))
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

fn load_config(args: &CheckArgs, registry: &Registry, cwd: &Path) -> Result<Config, String> {
    let color = use_color(args.color, std::io::stderr().is_terminal());
    let file = match &args.config {
        Some(file) => Some(cwd.join(file)),
        None => config::find(cwd),
    };
    match file {
        Some(file) => Config::load(&file, cwd, registry)
            .map_err(|errors| render_config_errors(&errors, color)),
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

fn check(args: CheckArgs, registry: &Registry, cwd: &Path) -> Result<u8, String> {
    let started = Instant::now();
    if let Some(threads) = args.threads {
        // Fails only if the pool was built already, in which case it is kept.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let mut config = load_config(&args, registry, cwd)?;
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
    if let Some(path) = &args.stdin_filename {
        if args.fix {
            return Err("error: --fix cannot write standard input back; use --diff".into());
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|error| format!("error: cannot read standard input: {error}"))?;
        request
            .texts
            .insert(crate::discover::absolute(path, cwd), text);
        request.stdin_path = Some(path.clone());
    }
    if let Some(revision) = &args.changed_since {
        request.changes = Some(std::sync::Arc::new(crate::changes::since(
            revision, &config, cwd,
        )?));
    }
    let mut fix_note = String::new();
    let mut write_failed = false;
    if args.fix || args.diff {
        let fixed = crate::fix::run_rounds(&config, registry, &request, cwd, args.unsafe_fixes);
        if args.diff {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(crate::fix::unified_diff(&fixed).as_bytes());
            return Ok(u8::from(!fixed.changed.is_empty()));
        }
        let written = crate::fix::write_all(&fixed, &crate::discover::absolute(&config.root, cwd));
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
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let options = fancy::Options {
        color: use_color(args.color, to_terminal),
    };
    let mut summary = Summary::of(&outcome);
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
        if args.statistics && !format.is_document() {
            text.push_str(&statistics(&outcome));
        }
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
        report::write(&outcome, format, &options, registry, &summary, &mut out)?;
        out.write_all(tail().as_bytes())?;
        out.flush()
    };
    match &args.output {
        Some(path) => std::fs::File::create(cwd.join(path))
            .and_then(|mut file| write(&mut file))
            .map_err(|error| format!("error: cannot write {}: {error}", path.display()))?,
        // A closed pipe (`| head`) is not an error of the run.
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
        .any(|diagnostic| diagnostic.rule == crate::lint::INTERNAL_ERROR);
    if crashed {
        eprintln!(
            "error: glosslint hit an internal error on some files; see `internal-error` above"
        );
    }
    if !outcome.failures.is_empty() || crashed || write_failed {
        return Ok(2);
    }
    let over_warnings = args.max_warnings.is_some_and(|max| summary.warnings > max);
    // The process ends right after this; freeing a large run piece by piece
    // would only delay the exit (the report is written, memory has peaked).
    std::mem::forget(outcome);
    Ok(if summary.errors > 0 || over_warnings {
        1
    } else {
        0
    })
}

fn statistics(outcome: &crate::lint::Outcome) -> String {
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
            for (_, rule) in registry.rules() {
                let meta = rule.meta();
                out.push_str(&format!(
                    "{:<22} {:<11} {:<8} {:<9} {}\n",
                    meta.id,
                    meta.family.as_str(),
                    meta.default_level.as_str(),
                    meta.fix.as_str(),
                    meta.summary()
                ));
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
