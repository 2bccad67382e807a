//! Generates a synthetic glossary corpus for benchmarks, shaped like the seed dump
//! (`tests/fixtures/seed/000_0599fd0ebb462db5.txt`): a bold lead, the `practice`
//! template's pseudo-headings with `- **Label**: text` items, essays with tables,
//! code fences and `$...$` math, wiki links and relative links between entries
//! (about 1% of them broken), and about 0.5% duplicate terms.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --entries 10000 --seed 7 --out DIR [--layout both]
//! ```
//!
//! Layouts (each one a project root with its own `glosslint.toml` and
//! `rules/templates.toml`):
//! - `files`: one entry per file, `DIR/entries/NNN/<slug>.md`, 1,000 per folder;
//! - `dumps`: 5,000 entries per file, `DIR/dumps/dump-0001.txt`, ...;
//! - `both` (default): the same entries as `DIR/files/` and `DIR/dumps/`;
//! - `findings`: dumps of stub entries that each draw one `short-body` and one
//!   `repeated-word` finding (a report with 2 findings per entry);
//! - `seed-verbatim`: the user's own data shape, one entry per file: entry `i`
//!   is the seed's entry `i % 50` byte for byte (no blank lines, its boilerplate
//!   bullets, its broken LaTeX), its term replaced by a new unique one wherever
//!   the body spells it, and one line of `[[links]]` to other entries (about 1%
//!   of them broken) appended, as the seed writes: right under the last line.
//!
//! The output is a pure function of `--entries`, `--seed` and the layout: every
//! entry draws from its own PRNG stream, seeded from the seed and its number.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rayon::prelude::*;

/// Entries per folder in the `files` layout.
const PER_FOLDER: usize = 1_000;
/// Entries per dump file.
const PER_DUMP: usize = 5_000;
/// The seed glossary's templates, copied into every generated project.
const TEMPLATES: &str = include_str!("../rules/templates.toml");
/// The seed dump itself, whose entries the `seed-verbatim` layout copies.
const SEED: &str = include_str!("../tests/fixtures/seed/000_0599fd0ebb462db5.txt");

// ---------------------------------------------------------------------------
// PRNG: splitmix64 to seed, xorshift64* to draw.

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A hash of the seed, a number and a salt, for pure per-entry decisions.
fn mix(seed: u64, n: u64, salt: u64) -> u64 {
    splitmix64(splitmix64(seed ^ salt.wrapping_mul(0xA24B_AED4_963E_E407)) ^ n)
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64, n: u64, salt: u64) -> Self {
        Rng(mix(seed, n, salt) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

fn chance_of(hash: u64, p: f64) -> bool {
    ((hash >> 11) as f64) / ((1u64 << 53) as f64) < p
}

// ---------------------------------------------------------------------------
// Vocabulary. No word is another word plus `s`/`es` (that would make
// `similar-term` pairs), none has a hyphen, and none is `legacy` (broken links).

const QUALIFIERS: &[&str] = &[
    "adaptive",
    "robust",
    "sparse",
    "dense",
    "federated",
    "stochastic",
    "thermal",
    "acoustic",
    "optical",
    "plasma",
    "hybrid",
    "quantum",
    "latent",
    "causal",
    "spectral",
    "residual",
    "recursive",
    "modular",
    "distributed",
    "incremental",
    "probabilistic",
    "differential",
    "contrastive",
    "hierarchical",
    "lateral",
    "kinetic",
    "dynamic",
    "elastic",
    "catalytic",
    "ionic",
    "reactive",
    "predictive",
    "generative",
    "bayesian",
    "convex",
    "temporal",
    "spatial",
    "magnetic",
    "cryogenic",
    "volumetric",
    "parallel",
    "streaming",
    "batch",
    "online",
    "offline",
    "lossless",
    "implicit",
    "explicit",
    "selective",
    "weighted",
    "nested",
    "layered",
    "coupled",
    "inverse",
    "linear",
    "nonlinear",
    "discrete",
    "continuous",
    "anisotropic",
    "multimodal",
];

const DOMAINS: &[&str] = &[
    "wafer",
    "gradient",
    "token",
    "memory",
    "signal",
    "attention",
    "kernel",
    "lattice",
    "carbon",
    "sensor",
    "yield",
    "dopant",
    "etch",
    "vision",
    "speech",
    "graph",
    "policy",
    "reward",
    "supply",
    "inventory",
    "emission",
    "water",
    "vapor",
    "photon",
    "mask",
    "resist",
    "cache",
    "buffer",
    "queue",
    "router",
    "oxide",
    "nitride",
    "copper",
    "silicon",
    "lithography",
    "embedding",
    "decoder",
    "encoder",
    "feature",
    "anomaly",
    "demand",
    "energy",
    "battery",
    "heat budget",
    "noise",
    "defect",
    "overlay",
    "contour",
    "tensor",
    "weight",
    "activation",
    "label",
    "sequence",
    "context",
    "corpus",
    "ledger",
    "carbon credit",
    "fleet",
    "spindle",
    "coolant",
];

const HEADS: &[&str] = &[
    "calibration",
    "scheduling",
    "compression",
    "estimation",
    "normalization",
    "regularization",
    "filtering",
    "sampling",
    "alignment",
    "decomposition",
    "inspection",
    "monitoring",
    "recovery",
    "annealing",
    "planarization",
    "deposition",
    "distillation",
    "pruning",
    "quantization",
    "balancing",
    "routing",
    "caching",
    "profiling",
    "tracing",
    "forecasting",
    "segmentation",
    "clustering",
    "ranking",
    "retrieval",
    "synthesis",
    "validation",
    "verification",
    "mitigation",
    "abatement",
    "recycling",
    "metrology",
    "exposure correction",
    "dispatch",
    "throttling",
    "sharding",
    "replication",
    "checkpointing",
    "smoothing",
    "interpolation",
    "extrapolation",
    "fusion",
    "reconstruction",
    "registration",
    "tuning",
    "scaling",
    "warmup",
    "dropout",
    "masking",
    "encoding",
    "hashing",
    "matching",
    "tracking",
    "screening",
    "sorting",
    "gating",
];

/// Fourth words for corpora larger than the three-word space.
const EXTRAS: &[&str] = &[
    "protocol",
    "framework",
    "pipeline",
    "method",
    "strategy",
    "schedule",
    "architecture",
    "benchmark",
    "standard",
    "workflow",
    "toolkit",
    "metric",
    "heuristic",
    "algorithm",
    "program",
    "study",
];

const TAGS: &[&str] = &[
    "environmental & sustainability",
    "machine learning",
    "semiconductor manufacturing",
    "llm architecture",
    "supply chain",
    "facility",
    "implant",
    "lithography",
    "training",
    "inference",
    "optimization",
    "metrology",
    "reliability",
    "data engineering",
    "computer vision",
    "speech",
    "process integration",
    "quality",
    "operations",
    "energy",
];

const SUBJECTS: &[&str] = &[
    "Engineers",
    "Operators",
    "Teams",
    "Analysts",
    "Practitioners",
    "Researchers",
    "Reviewers",
    "Planners",
    "Auditors",
    "Designers",
    "Maintainers",
    "Integrators",
    "Specialists",
    "Technicians",
    "Architects",
    "Modelers",
    "Inspectors",
    "Coordinators",
    "Developers",
    "Scientists",
];

const VERBS: &[&str] = &[
    "tune",
    "monitor",
    "validate",
    "compare",
    "document",
    "adjust",
    "benchmark",
    "stabilize",
    "sequence",
    "isolate",
    "quantify",
    "trace",
    "bound",
    "audit",
    "schedule",
    "prioritize",
    "simulate",
    "review",
    "calibrate",
    "balance",
];

const OBJECTS: &[&str] = &[
    "process windows",
    "control limits",
    "sampling plans",
    "error budgets",
    "failure signatures",
    "throughput targets",
    "recipe parameters",
    "data pipelines",
    "drift indicators",
    "latency budgets",
    "capacity margins",
    "quality gates",
    "yield models",
    "cost drivers",
    "risk registers",
    "test vectors",
    "baseline metrics",
    "feedback loops",
    "tolerance stacks",
    "operating envelopes",
];

const PREPOSITIONS: &[&str] = &[
    "across",
    "within",
    "for",
    "under",
    "alongside",
    "throughout",
    "between",
    "before",
    "after",
    "around",
];

const CONTEXTS: &[&str] = &[
    "production lines",
    "pilot studies",
    "field deployments",
    "training runs",
    "qualification lots",
    "regional sites",
    "shared clusters",
    "supplier networks",
    "edge devices",
    "nightly builds",
    "release cycles",
    "audit periods",
    "maintenance windows",
    "customer programs",
    "lab campaigns",
    "inference fleets",
    "fabrication tools",
    "planning horizons",
    "service tiers",
    "review boards",
];

const GOALS: &[&str] = &[
    "reduce variance",
    "catch regressions early",
    "protect margins",
    "keep results reproducible",
    "limit rework",
    "improve traceability",
    "shorten cycle time",
    "contain risk",
    "sustain accuracy",
    "lower energy use",
    "meet compliance targets",
    "expose hidden coupling",
    "preserve headroom",
    "raise first-pass yield",
    "avoid silent drift",
    "speed up diagnosis",
    "keep costs predictable",
    "support scaling",
    "simplify handoffs",
    "maintain service levels",
];

const TAILS: &[&str] = &[
    "over time",
    "at scale",
    "with minimal overhead",
    "under tight budgets",
    "in practice",
    "for every release",
    "without manual effort",
    "as conditions change",
    "before issues spread",
    "with clear ownership",
];

const DEFINITIONS: &[&str] = &[
    "systematic control of",
    "a structured method for managing",
    "targeted optimization of",
    "statistical treatment of",
    "coordinated adjustment of",
    "automated supervision of",
    "a disciplined approach to",
    "an engineering practice for tuning",
    "continuous improvement of",
    "a measurement framework for",
];

const WHY_LABELS: &[&str] = &[
    "Outcome Quality",
    "Risk Management",
    "Operational Efficiency",
    "Strategic Alignment",
    "Scalable Deployment",
    "Operational Reliability",
    "Cost and Efficiency",
    "Risk and Compliance",
    "Strategic Visibility",
    "Scalable Performance",
    "Decision Speed",
    "Auditability",
];

const ESSAY_HEADINGS: &[&str] = &[
    "Core Concept",
    "Key Characteristics",
    "Technical Implementation",
    "Use Cases",
    "Trade-offs",
    "Comparison",
    "Historical Context",
    "Failure Analysis",
    "Design Considerations",
    "Practical Guidance",
    "Limitations",
    "Measurement",
];

const ESSAY_LABELS: &[&str] = &[
    "Throughput",
    "Latency",
    "Memory Footprint",
    "Accuracy",
    "Stability",
    "Cost",
    "Portability",
    "Observability",
    "Maintainability",
    "Safety",
];

const MATH: &[&str] = &[
    "$O(n \\log n)$",
    "$\\alpha = 0.9$",
    "$\\sigma^2$",
    "$L = 96$",
    "$\\frac{1}{2}$",
    "$\\sqrt{N}$",
    "$O(N^2)$",
    "$\\lambda \\approx 10^{-3}$",
    "$p < 0.05$",
    "$\\beta_2 = 0.999$",
];

/// Math whose backslash was lost, as in the seed (`math-escape` finds it).
const BROKEN_MATH: &[&str] = &["$sqrt{L}$", "$8 imes$", "$O(sqrt{N})$"];

const LANGUAGES: &[&str] = &["python", "text", "bash", "rust", "yaml"];

const CODE_LINES: &[&str] = &[
    "import numpy as np",
    "def step(state, batch):",
    "    loss = model(batch).mean()",
    "    loss.backward()",
    "    optimizer.step()",
    "for epoch in range(epochs):",
    "    state = step(state, next(loader))",
    "threshold = 0.25",
    "result = calibrate(samples, window=64)",
    "assert result.ok, result.reason",
    "print(summary(result))",
    "config = load(\"settings.yaml\")",
];

const BOILERPLATE: &str =
    "This definition follows the house style guide and was reviewed by the glossary editors.";

// ---------------------------------------------------------------------------
// Entries.

/// Size of the three-word term space.
fn term_space() -> usize {
    QUALIFIERS.len() * DOMAINS.len() * HEADS.len()
}

/// The term of entry `index` as generated (before duplicates): a bijection of
/// `index` onto qualifier × domain × head (× extra, past the three-word space).
fn fresh_term(index: usize) -> String {
    let space = term_space();
    let round = index / space;
    // 7919 is prime and coprime with the space, so this permutes it.
    let scrambled = (index % space) * 7919 % space;
    let head = HEADS[scrambled % HEADS.len()];
    let rest = scrambled / HEADS.len();
    let domain = DOMAINS[rest % DOMAINS.len()];
    let qualifier = QUALIFIERS[rest / DOMAINS.len()];
    match round {
        0 => format!("{qualifier} {domain} {head}"),
        _ => format!(
            "{qualifier} {domain} {head} {}{}",
            EXTRAS[(round - 1) % EXTRAS.len()],
            if round > EXTRAS.len() {
                format!(" {}", round / EXTRAS.len())
            } else {
                String::new()
            }
        ),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Practice,
    Essay,
}

/// What other entries need to know about one entry, derived purely from the
/// seed and its number.
struct Meta {
    term: String,
    slug: String,
}

struct Corpus {
    seed: u64,
    entries: usize,
}

impl Corpus {
    /// The entry this one duplicates, if any (about 0.5% of entries).
    fn duplicate_of(&self, index: usize) -> Option<usize> {
        (index > 0 && chance_of(mix(self.seed, index as u64, 1), 0.005))
            .then(|| (mix(self.seed, index as u64, 2) % index as u64) as usize)
    }

    fn term(&self, index: usize) -> String {
        match self.duplicate_of(index) {
            Some(original) => self.term(original),
            None => fresh_term(index),
        }
    }

    fn meta(&self, index: usize) -> Meta {
        let term = self.term(index);
        let mut slug = slugify(&term);
        if self.duplicate_of(index).is_some() {
            let _ = write!(slug, "-{index}");
        }
        Meta { term, slug }
    }

    fn kind(&self, index: usize) -> Kind {
        if chance_of(mix(self.seed, index as u64, 3), 0.3) {
            Kind::Essay
        } else {
            Kind::Practice
        }
    }

    fn folder(&self, index: usize) -> String {
        let width = if self.entries > 1_000 * PER_FOLDER {
            4
        } else {
            3
        };
        format!("{:0width$}", index / PER_FOLDER)
    }

    fn relative_path(&self, index: usize) -> String {
        format!("{}/{}.md", self.folder(index), self.meta(index).slug)
    }
}

fn slugify(term: &str) -> String {
    term.split_whitespace().collect::<Vec<_>>().join("-")
}

fn title_case(term: &str) -> String {
    term.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// Which layout an entry is written for: links differ (a dump has no paths of
/// its own, so its links are all wiki links).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    File,
    Dump,
}

struct Writer<'a> {
    corpus: &'a Corpus,
    index: usize,
    rng: Rng,
    target: Target,
}

impl Writer<'_> {
    fn sentence(&mut self) -> String {
        let r = &mut self.rng;
        let mut s = format!(
            "{} {} {} {} {} to {}",
            r.pick(SUBJECTS),
            r.pick(VERBS),
            r.pick(OBJECTS),
            r.pick(PREPOSITIONS),
            r.pick(CONTEXTS),
            r.pick(GOALS)
        );
        if r.chance(0.6) {
            s.push(' ');
            s.push_str(r.pick(TAILS));
        }
        s.push('.');
        s
    }

    /// A link to another entry: a wiki link or (in entry files) a relative
    /// path; about 1% point at nothing.
    fn link(&mut self) -> String {
        let broken = self.rng.chance(0.01);
        let mut other = self.rng.below(self.corpus.entries);
        if other == self.index {
            other = (other + 1) % self.corpus.entries;
        }
        let meta = self.corpus.meta(other);
        // Draw the same numbers in both layouts, so their texts differ only here.
        let as_path = self.rng.chance(0.35) && self.target == Target::File;
        let labelled = self.rng.chance(0.2);
        if as_path {
            let mut path = if self.corpus.folder(other) == self.corpus.folder(self.index) {
                format!("{}.md", meta.slug)
            } else {
                format!("../{}", self.corpus.relative_path(other))
            };
            if broken {
                path = path.replace(".md", "-legacy.md");
            }
            format!("[{}]({path})", title_case(&meta.term))
        } else if broken {
            format!("[[{} legacy]]", meta.term)
        } else if labelled {
            format!("[[{}|{}]]", meta.term, title_case(&meta.term))
        } else {
            format!("[[{}]]", meta.term)
        }
    }

    fn sentence_with_link(&mut self) -> String {
        let mut s = self.sentence();
        s.pop();
        let link = self.link();
        let _ = write!(s, ", as in {link}.");
        s
    }

    fn math(&mut self, broken: bool) -> String {
        let formula = if broken {
            self.rng.pick(BROKEN_MATH)
        } else {
            self.rng.pick(MATH)
        };
        format!(
            "{} {} the {} at {formula} {} {}.",
            self.rng.pick(SUBJECTS),
            self.rng.pick(VERBS),
            self.rng.pick(OBJECTS),
            self.rng.pick(PREPOSITIONS),
            self.rng.pick(CONTEXTS)
        )
    }

    fn definition(&mut self, term: &str) -> String {
        format!(
            "{} {} {} {} {} to {}",
            self.rng.pick(DEFINITIONS),
            term,
            self.rng.pick(OBJECTS),
            self.rng.pick(PREPOSITIONS),
            self.rng.pick(CONTEXTS),
            self.rng.pick(GOALS)
        )
    }

    fn practice(&mut self, out: &mut String, term: &str, title: &str) {
        // Four entries in five keep a blank line before each pseudo-heading (as
        // `glosslint --fix` leaves them); the rest are written like the seed,
        // where CommonMark folds each pseudo-heading into the block above.
        let gap = if self.rng.chance(0.8) { "\n" } else { "" };
        let definition = self.definition(term);
        let _ = writeln!(
            out,
            "**{title}** is **{definition}** - {} {}",
            self.sentence(),
            self.sentence()
        );
        let _ = writeln!(out, "{gap}**What Is {title}?**");
        let _ = writeln!(out, "- **Definition**: {definition}.");
        let link_at = self.rng.below(12);
        let mut item = 0;
        for label in ["Core Mechanism", "Operational Scope", "Failure Modes"] {
            let mut text = self.item(item == link_at);
            if label == "Failure Modes" {
                text = format!("{text} {}", self.sentence());
            }
            let _ = writeln!(out, "- **{label}**: {text}");
            item += 1;
        }
        let _ = writeln!(out, "{gap}**Why {title} Matters**");
        let start = self.rng.below(WHY_LABELS.len());
        for offset in 0..5 {
            let label = WHY_LABELS[(start + offset * 5) % WHY_LABELS.len()];
            let text = self.item(item == link_at);
            let _ = writeln!(out, "- **{label}**: {text}");
            item += 1;
        }
        let _ = writeln!(out, "{gap}**How It Is Used in Practice**");
        for label in ["Method Selection", "Calibration", "Validation"] {
            let mut text = self.item(item == link_at);
            if label == "Calibration" && self.rng.chance(0.5) {
                text = format!("{text} {}", self.sentence());
            }
            let _ = writeln!(out, "- **{label}**: {text}");
            item += 1;
        }
        let closing = self.sentence_with_link();
        let _ = writeln!(
            out,
            "{title} is **a {} method for {} {}** - {closing}",
            self.rng
                .pick(&["high-impact", "practical", "foundational", "proven"]),
            self.rng
                .pick(&["resilient", "efficient", "auditable", "scalable"]),
            self.rng.pick(CONTEXTS)
        );
    }

    fn item(&mut self, with_link: bool) -> String {
        if with_link {
            self.sentence_with_link()
        } else {
            self.sentence()
        }
    }

    fn heading(&mut self, out: &mut String, atx: bool, text: &str, blank: bool) {
        if blank {
            out.push('\n');
        }
        if atx {
            let _ = writeln!(out, "## {text}");
        } else {
            let _ = writeln!(out, "**{text}**");
        }
        if blank {
            out.push('\n');
        }
    }

    fn essay(&mut self, out: &mut String, term: &str, title: &str) {
        // Most essays keep blank lines around blocks; one in five is written
        // like the seed, with none (CommonMark then folds some blocks).
        let blank = self.rng.chance(0.8);
        let atx = self.rng.chance(0.3);
        let broken_math = self.rng.chance(0.03);
        let definition = self.definition(term);
        let _ = writeln!(
            out,
            "**{title}** is **{definition}** — {} {}",
            self.sentence(),
            self.sentence()
        );
        let mut headings: Vec<&str> = Vec::new();
        while headings.len() < 5 {
            let candidate = self.rng.pick(ESSAY_HEADINGS);
            if !headings.contains(&candidate) {
                headings.push(candidate);
            }
        }
        // 1. Concept: prose with math.
        self.heading(out, atx, headings[0], blank);
        let _ = writeln!(
            out,
            "{} {} {} {}",
            self.sentence(),
            self.math(false),
            self.sentence_with_link(),
            self.math(broken_math)
        );
        let _ = writeln!(
            out,
            "{} {} {}",
            self.sentence(),
            self.sentence(),
            self.sentence()
        );
        // 2. A table.
        self.heading(out, atx, headings[1], blank);
        let _ = writeln!(out, "{}", self.sentence());
        if blank {
            out.push('\n');
        }
        out.push_str("| Aspect | Setting | Effect |\n|--------|---------|--------|\n");
        let misshapen = self.rng.chance(0.01);
        let rows = self.rng.range(3, 6);
        for row in 0..rows {
            let _ = write!(
                out,
                "| **{}** | {} {} | {} |",
                self.rng.pick(ESSAY_LABELS),
                self.rng.pick(VERBS),
                self.rng.pick(OBJECTS),
                self.rng.pick(GOALS)
            );
            if misshapen && row == 1 {
                out.push_str(" extra |");
            }
            out.push('\n');
        }
        // 3. A code block and a list.
        self.heading(out, atx, headings[2], blank);
        let _ = writeln!(out, "{}", self.sentence());
        if blank {
            out.push('\n');
        }
        let language = if self.rng.chance(0.7) {
            self.rng.pick(LANGUAGES)
        } else {
            ""
        };
        let _ = writeln!(out, "```{language}");
        let start = self.rng.below(CODE_LINES.len());
        for line in 0..self.rng.range(5, 10) {
            let _ = writeln!(out, "{}", CODE_LINES[(start + line) % CODE_LINES.len()]);
        }
        out.push_str("```\n");
        if blank {
            out.push('\n');
        }
        let labels = self.rng.range(3, 5);
        let first = self.rng.below(ESSAY_LABELS.len());
        for label in 0..labels {
            let label = ESSAY_LABELS[(first + label) % ESSAY_LABELS.len()];
            let text = self.sentence();
            let _ = writeln!(out, "- **{label}**: {text}");
        }
        // 4. Prose and a list.
        self.heading(out, atx, headings[3], blank);
        let _ = writeln!(
            out,
            "{} {} {}",
            self.sentence(),
            self.sentence(),
            self.sentence()
        );
        for _ in 0..self.rng.range(2, 4) {
            let label = self.rng.pick(WHY_LABELS);
            let text = format!("{} {}", self.sentence(), self.sentence());
            let _ = writeln!(out, "- **{label}**: {text}");
        }
        // 5. Closing prose with links.
        self.heading(out, atx, headings[4], blank);
        let _ = writeln!(
            out,
            "{} {} {}",
            self.sentence(),
            self.sentence_with_link(),
            self.sentence()
        );
        let _ = writeln!(
            out,
            "{} {} {}",
            self.sentence_with_link(),
            self.sentence(),
            self.sentence()
        );
    }

    fn body(&mut self, out: &mut String, term: &str) {
        let title = title_case(term);
        match self.corpus.kind(self.index) {
            Kind::Practice => self.practice(out, term, &title),
            Kind::Essay => self.essay(out, term, &title),
        }
        if self.rng.chance(0.01) {
            out.push('\n');
            out.push_str(BOILERPLATE);
            out.push('\n');
        }
    }

    fn tags(&mut self) -> Vec<&'static str> {
        let first = self.rng.pick(TAGS);
        if self.rng.chance(0.3) {
            let second = self.rng.pick(TAGS);
            if second != first {
                return vec![first, second];
            }
        }
        vec![first]
    }
}

/// Appends entry `index` to `out`, as an entry file or a dump entry.
fn write_entry(corpus: &Corpus, index: usize, target: Target, out: &mut String) {
    let meta = corpus.meta(index);
    let mut writer = Writer {
        corpus,
        index,
        rng: Rng::new(corpus.seed, index as u64, 4),
        target,
    };
    let tags = writer.tags();
    match target {
        Target::File => {
            let quoted: Vec<String> = tags.iter().map(|tag| format!("\"{tag}\"")).collect();
            let _ = write!(
                out,
                "---\nterm: \"{}\"\ntags: [{}]\n---\n",
                meta.term,
                quoted.join(", ")
            );
        }
        Target::Dump => {
            let separator = if chance_of(mix(corpus.seed, index as u64, 6), 0.5) {
                ", "
            } else {
                ","
            };
            let _ = writeln!(out, "{}{separator}{}", meta.term, tags.join(separator));
        }
    }
    writer.body(out, &meta.term);
}

// ---------------------------------------------------------------------------
// Layouts.

fn write_project_files(dir: &Path, config: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("rules"))?;
    std::fs::write(dir.join("glosslint.toml"), config)?;
    std::fs::write(dir.join("rules/templates.toml"), TEMPLATES)
}

fn write_files_layout(corpus: &Corpus, dir: &Path) -> std::io::Result<u64> {
    write_entry_files(corpus, dir, "one entry per file.", |index, text| {
        write_entry(corpus, index, Target::File, text);
        corpus.meta(index).slug
    })
}

/// A project of one entry per file, 1,000 per folder: `entry` writes entry
/// `index` into the buffer and names its file (without `.md`).
fn write_entry_files(
    corpus: &Corpus,
    dir: &Path,
    comment: &str,
    entry: impl Fn(usize, &mut String) -> String + Sync,
) -> std::io::Result<u64> {
    write_project_files(
        dir,
        &format!("# Generated by examples/gen_corpus.rs: {comment}\n[files]\nentries = [\"entries/**/*.md\"]\n"),
    )?;
    let folders = corpus.entries.div_ceil(PER_FOLDER);
    let sizes: Vec<u64> = (0..folders)
        .into_par_iter()
        .map(|folder| -> std::io::Result<u64> {
            let first = folder * PER_FOLDER;
            let folder_dir = dir.join("entries").join(corpus.folder(first));
            std::fs::create_dir_all(&folder_dir)?;
            let mut bytes = 0;
            let mut text = String::new();
            for index in first..(first + PER_FOLDER).min(corpus.entries) {
                text.clear();
                let slug = entry(index, &mut text);
                std::fs::write(folder_dir.join(format!("{slug}.md")), &text)?;
                bytes += text.len() as u64;
            }
            Ok(bytes)
        })
        .collect::<std::io::Result<_>>()?;
    Ok(sizes.iter().sum())
}

fn write_dumps(
    dir: &Path,
    entries: usize,
    comment: &str,
    entry: impl Fn(usize, &mut String) + Sync,
) -> std::io::Result<u64> {
    write_project_files(
        dir,
        &format!("# Generated by examples/gen_corpus.rs: {comment}\n[files]\nentries = []\ndumps = [\"dumps/*.txt\"]\n"),
    )?;
    std::fs::create_dir_all(dir.join("dumps"))?;
    let dumps = entries.div_ceil(PER_DUMP);
    let sizes: Vec<u64> = (0..dumps)
        .into_par_iter()
        .map(|dump| -> std::io::Result<u64> {
            let mut text = String::with_capacity(PER_DUMP * 3_000);
            for index in dump * PER_DUMP..((dump + 1) * PER_DUMP).min(entries) {
                entry(index, &mut text);
            }
            let path = dir.join("dumps").join(format!("dump-{:04}.txt", dump + 1));
            std::fs::write(path, &text)?;
            Ok(text.len() as u64)
        })
        .collect::<std::io::Result<_>>()?;
    Ok(sizes.iter().sum())
}

fn write_dump_layout(corpus: &Corpus, dir: &Path) -> std::io::Result<u64> {
    write_dumps(
        dir,
        corpus.entries,
        "5,000 entries per dump.",
        |index, out| write_entry(corpus, index, Target::Dump, out),
    )
}

/// Stub entries with one `short-body` and one `repeated-word` finding each.
fn write_findings_layout(corpus: &Corpus, dir: &Path) -> std::io::Result<u64> {
    write_dumps(
        dir,
        corpus.entries,
        "stub entries, two findings each.",
        |index, out| {
            let mut rng = Rng::new(corpus.seed, index as u64, 5);
            let term = fresh_term(index);
            let _ = writeln!(
                out,
                "{term}, stub\nA {} stub with the the gap.",
                rng.pick(&["short", "brief", "small", "thin"])
            );
        },
    )
}

/// One entry of the seed dump: its term, its tags and its body as written.
struct SeedEntry {
    term: String,
    tags: Vec<String>,
    body: String,
}

/// The seed's entries, split where glosslint splits the dump (SPEC 2.2).
fn seed_entries() -> Vec<SeedEntry> {
    let headers = glosslint::parse::dump::header_lines(SEED);
    headers
        .iter()
        .enumerate()
        .map(|(at, header)| {
            let line = SEED[header.clone()].trim_end();
            let mut items = line.split(',').map(str::trim);
            let term = items.next().unwrap_or_default().to_string();
            let tags = items
                .filter(|tag| !tag.is_empty())
                .map(String::from)
                .collect();
            let body_start = header.end;
            let body_end = headers.get(at + 1).map_or(SEED.len(), |next| next.start);
            SeedEntry {
                term,
                tags,
                body: SEED[body_start..body_end.max(body_start)].to_string(),
            }
        })
        .collect()
}

/// `body` with every ASCII-case-insensitive whole-word occurrence of `old`
/// replaced by `new`, in title case where the body wrote the term capitalized.
fn rename_term(body: &str, old: &str, new: &str) -> String {
    let lower_body = body.to_ascii_lowercase();
    let lower_old = old.to_ascii_lowercase();
    let mut out = String::with_capacity(body.len() + 64);
    let mut last = 0;
    for (at, _) in lower_body.match_indices(&lower_old) {
        let end = at + old.len();
        let is_word = |c: char| c.is_alphanumeric();
        if at < last
            || body[..at].chars().next_back().is_some_and(is_word)
            || body[end..].chars().next().is_some_and(is_word)
        {
            continue;
        }
        out.push_str(&body[last..at]);
        if body[at..].starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push_str(&title_case(new));
        } else {
            out.push_str(new);
        }
        last = end;
    }
    out.push_str(&body[last..]);
    out
}

/// The user's own shape: the seed's bodies verbatim under new terms.
fn write_seed_verbatim_layout(corpus: &Corpus, dir: &Path) -> std::io::Result<u64> {
    let seeds = seed_entries();
    write_entry_files(
        corpus,
        dir,
        "the seed's own bodies, one entry per file.",
        |index, text| {
            let seed = &seeds[index % seeds.len()];
            let term = fresh_term(index);
            let quoted: Vec<String> = seed.tags.iter().map(|tag| format!("\"{tag}\"")).collect();
            let _ = write!(
                text,
                "---\nterm: \"{term}\"\ntags: [{}]\n---\n",
                quoted.join(", ")
            );
            text.push_str(&rename_term(&seed.body, &seed.term, &term));
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let mut rng = Rng::new(corpus.seed, index as u64, 7);
            text.push_str("Related:");
            for _ in 0..3 {
                let target = fresh_term(rng.below(corpus.entries));
                if rng.chance(0.01) {
                    let _ = write!(text, " [[{target} draft]]");
                } else {
                    let _ = write!(text, " [[{target}]]");
                }
            }
            text.push('\n');
            slugify(&term)
        },
    )
}

// ---------------------------------------------------------------------------
// Command line.

struct Args {
    entries: usize,
    seed: u64,
    out: PathBuf,
    layout: String,
}

fn usage() -> String {
    "usage: gen_corpus --entries N [--seed S] --out DIR [--layout files|dumps|both|findings|seed-verbatim]"
        .to_string()
}

fn parse_args() -> Result<Args, String> {
    let mut entries = None;
    let mut seed = 1;
    let mut out = None;
    let mut layout = "both".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--entries" => {
                entries = Some(
                    value()?
                        .replace('_', "")
                        .parse()
                        .map_err(|e| format!("--entries: {e}"))?,
                )
            }
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--layout" => layout = value()?,
            "-h" | "--help" => return Err(usage()),
            other => return Err(format!("unknown argument `{other}`\n{}", usage())),
        }
    }
    let (Some(entries), Some(out)) = (entries, out) else {
        return Err(usage());
    };
    if !matches!(
        layout.as_str(),
        "files" | "dumps" | "both" | "findings" | "seed-verbatim"
    ) {
        return Err(format!("unknown layout `{layout}`\n{}", usage()));
    }
    Ok(Args {
        entries,
        seed,
        out,
        layout,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let corpus = Corpus {
        seed: args.seed,
        entries: args.entries.max(1),
    };
    let started = std::time::Instant::now();
    let result = match args.layout.as_str() {
        "files" => write_files_layout(&corpus, &args.out),
        "dumps" => write_dump_layout(&corpus, &args.out),
        "findings" => write_findings_layout(&corpus, &args.out),
        "seed-verbatim" => write_seed_verbatim_layout(&corpus, &args.out),
        _ => write_files_layout(&corpus, &args.out.join("files")).and_then(|files| {
            write_dump_layout(&corpus, &args.out.join("dumps")).map(|dumps| files + dumps)
        }),
    };
    match result {
        Ok(bytes) => {
            eprintln!(
                "gen_corpus: {} entries ({} layout), {:.1} MB in {:.1?} -> {}",
                corpus.entries,
                args.layout,
                bytes as f64 / 1e6,
                started.elapsed(),
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gen_corpus: {error}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_unique_across_the_space() {
        let mut seen = std::collections::HashSet::new();
        for index in 0..term_space() + 5_000 {
            assert!(seen.insert(fresh_term(index)), "{index}");
        }
    }

    #[test]
    fn the_seed_splits_into_its_fifty_entries() {
        let seeds = seed_entries();
        assert_eq!(seeds.len(), 50);
        assert_eq!(seeds[0].term, "acid gas scrubbing");
        assert_eq!(seeds[49].term, "adam optimizer");
        assert!(seeds.iter().all(|seed| !seed.body.is_empty()));
    }

    #[test]
    fn renaming_keeps_every_other_byte() {
        let body = "**Acid Gas Scrubbing** is acid gas scrubbing, not acidic.";
        assert_eq!(
            rename_term(body, "acid gas scrubbing", "dry sorbent injection"),
            "**Dry Sorbent Injection** is dry sorbent injection, not acidic."
        );
    }
}
