//! What identifies a finding across runs, with no position, so edits
//! elsewhere in its file keep it: the key baselines count (`baseline.rs`)
//! and SARIF's `partialFingerprints` hash.

use crate::diagnostic::Diagnostic;
use crate::report::Outcome;

/// What identifies a finding across runs: no position, so edits elsewhere in
/// the file keep it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The reported path, relative to the working directory, `/`-separated.
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// The term of the entry the finding lies in.
    pub entry: Option<String>,
    /// The message (never a position).
    pub message: String,
}

impl Key {
    /// The key of one of the outcome's findings.
    pub fn of(outcome: &Outcome, diagnostic: &Diagnostic) -> Self {
        Self {
            path: outcome.files[diagnostic.file].display.to_string(),
            rule: diagnostic.rule.to_string(),
            entry: diagnostic.entry.as_deref().map(str::to_string),
            message: diagnostic.message.to_string(),
        }
    }

    /// A stable 64-bit FNV-1a hash of the key: the same on every machine, run
    /// and Rust version (unlike std's randomly seeded hasher). Fields are
    /// separated by `0xFF`, a byte UTF-8 text never holds, and an absent entry
    /// hashes differently from an empty one.
    pub fn fingerprint(&self) -> u64 {
        let mut hash = Fnv1a::new();
        hash.write(self.path.as_bytes());
        hash.write(&[0xFF]);
        hash.write(self.rule.as_bytes());
        hash.write(&[0xFF]);
        match &self.entry {
            Some(entry) => {
                hash.write(&[1]);
                hash.write(entry.as_bytes());
            }
            None => hash.write(&[0]),
        }
        hash.write(&[0xFF]);
        hash.write(self.message.as_bytes());
        hash.finish()
    }
}

/// 64-bit FNV-1a.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    /// A fresh hash.
    pub fn new() -> Self {
        Self(Self::OFFSET_BASIS)
    }

    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a {
    fn default() -> Self {
        Self::new()
    }
}
