//! Structure rules: terms, bodies, sections and templates.

mod duplicate_section;
mod empty_body;
mod empty_section;
mod lead_term;
mod malformed_entry;
mod missing_item;
mod missing_section;
mod missing_term;
mod section_order;
mod short_body;
mod unknown_tag;

use super::Rule;

/// The structure rules.
pub fn rules() -> Vec<Box<dyn Rule>> {
    vec![
        Box::new(malformed_entry::MalformedEntry),
        Box::new(missing_term::MissingTerm),
        Box::new(empty_body::EmptyBody),
        Box::new(short_body::ShortBody),
        Box::new(missing_section::MissingSection),
        Box::new(section_order::SectionOrder),
        Box::new(missing_item::MissingItem),
        Box::new(empty_section::EmptySection),
        Box::new(duplicate_section::DuplicateSection),
        Box::new(lead_term::LeadTerm),
        Box::new(unknown_tag::UnknownTag),
    ]
}
