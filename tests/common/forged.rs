//! A cache made to lie, and file times set back: what the cache tests and
//! the `--fix` tests both need to show that a stamp is not taken on trust.

use std::path::Path;
use std::time::SystemTime;

use glosslint::cache::{self, Cache, StoredFile};
use glosslint::config::Config;
use glosslint::load::{FileKind, InputFile, SourceText};
use glosslint::rules::Registry;

/// Sets `path`'s modification time (as `touch -r` does).
pub fn set_modified(path: &Path, modified: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
}

/// Stores in the per-file cache of the project at `root` the check of
/// `other_text` under the current stamp of `relative`, as a stamp that did
/// not move with an edit would leave it.
pub fn store_findings_of_other_text(root: &Path, relative: &str, other_text: &str) {
    let path = root.join(relative);
    let registry = Registry::builtin();
    let config = Config::load(&root.join("glosslint.toml"), root, &registry).unwrap();
    let input = InputFile {
        path: path.clone(),
        display: relative.into(),
        kind: FileKind::Entry,
        reported: true,
    };
    let outcome = glosslint::check::guarded_check(
        0,
        &input,
        &SourceText::from_string(other_text.to_string()),
        &config,
        &registry,
    );
    let stamp = cache::stamps(&[path.as_path()])[0].unwrap();
    let mut lying = Cache::open(root, cache::configuration_hash(&config, &registry));
    lying.store(
        relative.into(),
        StoredFile::new(stamp, cache::content_hash(other_text), true, &outcome),
    );
    // Written a moment after the file, so that its stamp is older.
    std::thread::sleep(std::time::Duration::from_millis(20));
    lying.save();
}
