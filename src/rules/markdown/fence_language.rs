//! ## What it does
//! Reports a fenced code block whose opening fence names no language (an empty
//! info string). The finding points at the opening fence. An unclosed fence is
//! left to `unclosed-fence`, since its "opening" is often a stray closing fence.
//!
//! ## Why is this bad?
//! Without a language the block is not highlighted, and readers and tools
//! cannot tell Python from shell from pseudo-code.
//!
//! ## Example
//! ````text
//! ```
//! model.gradient_checkpointing_enable()
//! ```
//! ````
//!
//! Use instead:
//! ````text
//! ```python
//! model.gradient_checkpointing_enable()
//! ```
//! ````
//!
//! ## Options
//! None.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct FenceLanguage;

static META: RuleMeta = RuleMeta {
    id: "fence-language",
    family: Family::Markdown,
    default_level: Level::Warning,
    fix: FixKind::None,
    options: &[],
    source: include_str!("fence_language.rs"),
};

impl Rule for FenceLanguage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        for block in &cx.entry.body.code_blocks {
            if block.fenced && block.closed && block.info.trim().is_empty() {
                sink.report(
                    cx.entry.body.first_line(block.span.clone()),
                    "code block names no language",
                )
                .help("name the language after the opening fence (```python, ```bash, ```text)");
            }
        }
    }
}
