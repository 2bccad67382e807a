//! Markdown rules: text that does not render, or does not render as written.

mod accidental_heading;
mod control_character;
mod fence_language;
mod math_delimiters;
mod math_escape;
mod swallowed_block;
mod table_shape;
mod unbalanced_emphasis;
mod unclosed_fence;

use super::Rule;

/// The markdown rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(unclosed_fence::UnclosedFence),
        Box::new(fence_language::FenceLanguage),
        Box::new(table_shape::TableShape),
        Box::new(swallowed_block::SwallowedBlock),
        Box::new(accidental_heading::AccidentalHeading),
        Box::new(unbalanced_emphasis::UnbalancedEmphasis),
        Box::new(math_delimiters::MathDelimiters),
        Box::new(math_escape::MathEscape),
        Box::new(control_character::ControlCharacter),
    ]
}
