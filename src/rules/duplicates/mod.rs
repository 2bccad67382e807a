//! Duplicate rules: terms defined more than once, near-duplicates, and aliases
//! that collide with other entries.

mod alias_conflict;
mod boilerplate;
mod duplicate_term;
mod similar_term;

use super::Rule;

/// The duplicates rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(duplicate_term::DuplicateTerm),
        Box::new(similar_term::SimilarTerm),
        Box::new(alias_conflict::AliasConflict),
        Box::new(boilerplate::Boilerplate),
    ]
}

/// At most this many twins are drawn as related spans; the message gives the count.
pub const MAX_RELATED: usize = 10;
