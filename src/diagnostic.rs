//! Diagnostics: what rules produce and reporters print.
//!
//! A diagnostic holds byte spans only; lines and columns are computed once, at
//! the reporting edge. Messages never contain positions, so a baseline keyed by
//! message survives edits elsewhere in the file (SPEC 9).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Index of a file in the run's file list.
pub type FileId = usize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Off,
    /// Reported, never fails the run.
    Info,
    /// Fails the run past `--max-warnings`.
    Warning,
    /// Fails the run.
    Error,
}

impl Level {
    /// Every level, in the order configuration spells them.
    pub const NAMES: [&'static str; 4] = ["error", "warning", "info", "off"];

    /// Parses a configuration level name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "error" => Some(Self::Error),
            "warning" => Some(Self::Warning),
            "info" => Some(Self::Info),
            "off" => Some(Self::Off),
            _ => None,
        }
    }

    /// The name used in output and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
            Self::Off => "off",
        }
    }
}

/// Whether a fix can be applied without a human reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Applied by `--fix`.
    Safe,
    /// Applied only with `--unsafe-fixes`.
    Unsafe,
}

/// A message, help or related text: a fixed sentence of the rule's,
/// borrowed; one made for this finding; or one shared by every finding of a
/// group (a boilerplate block's 2,000 copies say the same help). A 100k-entry
/// run holds a million of these: most cost nothing but the 24 bytes here.
#[derive(Clone)]
pub enum Text {
    /// A constant.
    Static(&'static str),
    /// Made for one finding, without spare capacity.
    Owned(Box<str>),
    /// Made once, shared by many findings.
    Shared(Arc<str>),
}

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Static(text) => text,
            Text::Owned(text) => text,
            Text::Shared(text) => text,
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Static("")
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl From<&'static str> for Text {
    fn from(text: &'static str) -> Self {
        Text::Static(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::Owned(text.into_boxed_str())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::Owned(text.as_str().into())
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Self {
        Text::Owned(text)
    }
}

impl From<Arc<str>> for Text {
    fn from(text: Arc<str>) -> Self {
        Text::Shared(text)
    }
}

impl From<&Arc<str>> for Text {
    fn from(text: &Arc<str>) -> Self {
        Text::Shared(text.clone())
    }
}

impl From<Cow<'static, str>> for Text {
    fn from(text: Cow<'static, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Text::Static(text),
            Cow::Owned(text) => text.into(),
        }
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.as_str().to_string()
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Text::from)
    }
}

/// One replacement of a byte range.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// The bytes replaced (empty for an insertion).
    pub span: Range<usize>,
    /// What replaces them: most fixes insert a fixed text (a newline, a
    /// backslash), borrowed instead of allocated for each of 80k findings.
    pub replacement: Cow<'static, str>,
}

/// A set of edits that repairs one finding.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// Safe or unsafe.
    pub applicability: Applicability,
    /// Non-overlapping edits, in order.
    pub edits: Vec<Edit>,
}

/// A second place a diagnostic points at (a duplicate's twin, say).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Related {
    /// The file.
    pub file: FileId,
    /// The span.
    pub span: Range<usize>,
    /// What is there (mostly a constant: "also here").
    pub message: Text,
}

/// The other places a finding points at, in order. Usually none (16 bytes,
/// nothing on the heap); a list that many findings of one group share
/// (every copy of a boilerplate block points at the same first few) is
/// stored once, behind an `Arc`, and changed only by copying it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Places(Option<Arc<[Related]>>);

impl Places {
    /// A list to share: each clone costs a reference count.
    pub fn shared(places: Vec<Related>) -> Self {
        Self((!places.is_empty()).then(|| places.into()))
    }

    /// Adds a place at the end.
    pub fn push(&mut self, place: Related) {
        let mut places: Vec<Related> = Vec::with_capacity(self.len() + 1);
        places.extend(self.iter().cloned());
        places.push(place);
        self.0 = Some(places.into());
    }

    /// The places, to change (a shared list is copied first).
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Related> {
        match &mut self.0 {
            Some(places) => Arc::make_mut(places).iter_mut(),
            None => [].iter_mut(),
        }
    }
}

impl std::ops::Deref for Places {
    type Target = [Related];
    fn deref(&self) -> &[Related] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl From<Vec<Related>> for Places {
    fn from(places: Vec<Related>) -> Self {
        Self::shared(places)
    }
}

impl<'a> IntoIterator for &'a Places {
    type Item = &'a Related;
    type IntoIter = std::slice::Iter<'a, Related>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Places {
    type Item = &'a mut Related;
    type IntoIter = std::slice::IterMut<'a, Related>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl Serialize for Places {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        <[Related]>::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for Places {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Related>::deserialize(deserializer).map(Places::shared)
    }
}

/// One finding. Kept small (136 bytes; the fix, which most findings lack,
/// boxed; texts borrowed or shared where they can be): a run holds every
/// finding until it is sorted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's id.
    pub rule: &'static str,
    /// The level in force for the file.
    pub level: Level,
    /// What is wrong; never a position.
    pub message: Text,
    /// How to fix it: mostly a fixed sentence of the rule's, borrowed.
    pub help: Option<Text>,
    /// The file.
    pub file: FileId,
    /// Byte range in the file.
    pub span: Range<usize>,
    /// The term of the entry the span lies in.
    pub entry: Option<Arc<str>>,
    /// Other places involved.
    pub related: Places,
    /// A repair, where one is safe to offer.
    pub fix: Option<Box<Fix>>,
}

/// `text` without spare capacity: `format!` reserves about twice its literal
/// parts, and a 100k-entry run keeps about 100k messages and help texts.
pub fn without_spare(mut text: String) -> String {
    text.shrink_to_fit();
    text
}

impl Diagnostic {
    /// The files this finding points into: its own, then its related places'.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        std::iter::once(self.file).chain(self.related.iter().map(|related| related.file))
    }

    /// Sets the help text.
    pub fn help(&mut self, help: impl Into<Text>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a related location.
    pub fn related(
        &mut self,
        file: FileId,
        span: Range<usize>,
        message: impl Into<Text>,
    ) -> &mut Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Points at `places`, a list other findings share (see [`Places`]).
    pub fn related_places(&mut self, places: &Places) -> &mut Self {
        self.related = places.clone();
        self
    }

    /// Attaches a fix.
    pub fn fix(&mut self, applicability: Applicability, edits: Vec<Edit>) -> &mut Self {
        self.fix = Some(Box::new(Fix {
            applicability,
            edits,
        }));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_small() {
        // A run holds every finding until it is sorted: 1.6 million on the
        // user's shape at 100k entries.
        assert!(std::mem::size_of::<Diagnostic>() <= 136);
        assert_eq!(std::mem::size_of::<Text>(), 24);
        assert_eq!(std::mem::size_of::<Option<Text>>(), 24);
        assert_eq!(std::mem::size_of::<Places>(), 16);
    }

    #[test]
    fn shared_places_are_stored_once_and_copied_on_change() {
        let place = |file| Related {
            file,
            span: 0..1,
            message: "also here".into(),
        };
        let first = Places::shared(vec![place(1), place(2)]);
        let mut a = first.clone();
        let b = first.clone();
        assert!(std::ptr::eq(a.as_ptr(), b.as_ptr()));
        for related in &mut a {
            related.file += 10;
        }
        assert_eq!(a.iter().map(|r| r.file).collect::<Vec<_>>(), [11, 12]);
        assert_eq!(b.iter().map(|r| r.file).collect::<Vec<_>>(), [1, 2]);
        a.push(place(3));
        assert_eq!(a.len(), 3);
        assert!(Places::shared(Vec::new()).is_empty());
        let stored = bincode::serialize(&b).unwrap();
        assert_eq!(
            stored,
            bincode::serialize(&vec![place(1), place(2)]).unwrap()
        );
        assert_eq!(bincode::deserialize::<Places>(&stored).unwrap(), b);
    }

    #[test]
    fn texts_compare_as_their_strings() {
        let shared: Arc<str> = "same".into();
        assert_eq!(Text::from("same"), Text::from(shared));
        assert_eq!(Text::from(String::from("same")), "same");
        let (a, b) = (Text::from("a"), Text::from(String::from("b")));
        assert!(a < b);
    }
}
