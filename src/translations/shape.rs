//! The shape of an entry for `translation-shape`: how many sections, tables,
//! code blocks and links its body has. Read in the corpus phase, from the
//! paired files only, with the same Markdown dialect as every entry.

use pulldown_cmark::{Event, Parser, Tag};

/// Counts of the blocks a translation should keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Headings.
    pub sections: usize,
    /// Tables.
    pub tables: usize,
    /// Fenced and indented code blocks.
    pub code_blocks: usize,
    /// Links and images.
    pub links: usize,
}

impl Shape {
    /// The shape of `text`'s body (front matter left out).
    pub fn of(text: &str) -> Self {
        let body = &text[crate::parse::front_matter::split(text).body_start..];
        let mut shape = Self::default();
        for event in Parser::new_ext(body, crate::parse::markdown::options()) {
            match event {
                Event::Start(Tag::Heading { .. }) => shape.sections += 1,
                Event::Start(Tag::Table(_)) => shape.tables += 1,
                Event::Start(Tag::CodeBlock(_)) => shape.code_blocks += 1,
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => shape.links += 1,
                _ => {}
            }
        }
        shape
    }

    /// What `self` (a translation) has fewer of than `source`: each kind's
    /// name with both counts.
    pub fn fewer_than(&self, source: &Shape) -> Vec<(&'static str, usize, usize)> {
        [
            ("sections", self.sections, source.sections),
            ("tables", self.tables, source.tables),
            ("code blocks", self.code_blocks, source.code_blocks),
            ("links", self.links, source.links),
        ]
        .into_iter()
        .filter(|(_, have, want)| have < want)
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_blocks_in_every_container_and_ignores_front_matter() {
        let text = "---\ntitle: \"# not a heading\"\n---\n# Título\n\n> ## Citado\n>\n> ```sh\n> ls\n> ```\n\n- [enlace](a.md) ![img](b.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let shape = Shape::of(text);
        assert_eq!(
            shape,
            Shape {
                sections: 2,
                tables: 1,
                code_blocks: 1,
                links: 2
            }
        );
        let fuller = Shape {
            sections: 3,
            links: 2,
            ..shape
        };
        assert_eq!(shape.fewer_than(&fuller), [("sections", 2, 3)]);
    }
}
