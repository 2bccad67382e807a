//! Meta rules: findings about glosslint's own comments.

pub mod unused_suppression;

use super::Rule;

/// The meta rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![Box::new(unused_suppression::UnusedSuppression)]
}
