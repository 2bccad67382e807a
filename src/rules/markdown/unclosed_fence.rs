//! ## What it does
//! Reports a fenced code block (```` ``` ```` or `~~~`) whose closing fence is
//! missing. The finding points at the opening fence.
//!
//! ## Why is this bad?
//! An unclosed fence turns everything after it, to the end of the entry, into
//! code: the rest of the definition renders as a grey block and its links,
//! emphasis and math stop working.
//!
//! ## Example
//! ````text
//! ```python
//! model.gradient_checkpointing_enable()
//! **Why It Matters**
//! ````
//!
//! Use instead: close the block with a fence of the same character, at least as
//! long as the opening one.
//!
//! ## Options
//! None.

use crate::rules::prelude::*;

/// See the module documentation.
pub struct UnclosedFence;

static META: RuleMeta = RuleMeta {
    id: "unclosed-fence",
    family: Family::Markdown,
    default_level: Level::Error,
    fix: FixKind::None,
    options: &[],
    source: include_str!("unclosed_fence.rs"),
};

impl Rule for UnclosedFence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_entry(&self, cx: &EntryContext<'_>, sink: &mut Sink<'_>) {
        let text = cx.file.text;
        for block in &cx.entry.body.code_blocks {
            if !block.fenced || block.closed {
                continue;
            }
            let span = cx.entry.body.first_line(block.span.clone());
            let opening = text.get(span.clone()).unwrap_or("").trim_start();
            let fence_char = opening.chars().next().unwrap_or('`');
            let fence: String = opening.chars().take_while(|&ch| ch == fence_char).collect();
            sink.report(span, "code fence is never closed")
                .help(format!("add a closing `{fence}` line where the code ends"));
        }
    }
}
