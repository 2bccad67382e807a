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
