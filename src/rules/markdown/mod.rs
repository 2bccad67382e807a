//! Markdown rules: text that does not render, or does not render as written.

mod control_character;

use super::Rule;

/// The markdown rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(control_character::ControlCharacter)]
}
