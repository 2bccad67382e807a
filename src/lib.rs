//! glosslint: a linter for glossaries and knowledge bases.
//!
//! The pipeline is `discover -> load -> parse -> index -> check -> report`, one
//! module each; [`lint`] drives it. See `ARCHITECTURE.md`.

pub mod baseline;
pub mod cache;
pub mod changes;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod import;
pub mod index;
pub mod init;
pub mod lint;
pub mod load;
pub mod lsp;
pub mod model;
pub mod normalize;
pub mod parse;
pub mod report;
pub mod rules;
pub mod staged;
pub mod translations;
pub mod workspace;
