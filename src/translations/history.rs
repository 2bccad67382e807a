//! Git history for `stale-translation`, read with ONE `git log` for the whole
//! run: every commit, newest first, with the root-relative paths it touched.
//! Per file, the commits that touched it are kept as indexes into that list,
//! so "commits touching the source after the translation's last commit" is a
//! count of smaller indexes, with no git process per file.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// One commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commit {
    /// Full hash.
    pub hash: String,
    /// Committer time, seconds since the Unix epoch.
    pub time: i64,
}

/// Every commit and the files each touched.
#[derive(Debug, Default)]
pub struct History {
    /// Newest first, as `git log` lists them.
    pub commits: Vec<Commit>,
    /// Root-relative path to the indexes (into `commits`, ascending, so
    /// newest first) of the commits that touched it.
    touched: HashMap<String, Vec<usize>>,
}

/// Separates commits in the `git log` output (ASCII record separator).
const RECORD: char = '\u{1e}';
/// Separates hash and time in a commit's header (ASCII unit separator).
const UNIT: char = '\u{1f}';

impl History {
    /// Reads the history of the repository holding `root`, with paths
    /// relative to `root`; the error says why it cannot (not a repository,
    /// no git).
    pub fn read(root: &Path) -> Result<Self, String> {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "core.quotepath=off",
                "log",
                "--relative",
                "--name-only",
                "--no-renames",
                "--format=%x1e%H%x1f%ct",
            ])
            .output()
            .map_err(|error| format!("git cannot be run: {error}"))?;
        if !output.status.success() {
            let reason = String::from_utf8_lossy(&output.stderr);
            let reason = reason.lines().next().unwrap_or("git log failed").trim();
            // A repository without a commit yet has no history to compare.
            if reason.contains("does not have any commits") {
                return Ok(Self::default());
            }
            return Err(reason.trim_start_matches("fatal: ").to_string());
        }
        Ok(Self::parse(&String::from_utf8_lossy(&output.stdout)))
    }

    /// Parses the output of the `git log` that [`History::read`] runs.
    pub fn parse(log: &str) -> Self {
        let mut history = Self::default();
        for record in log.split(RECORD).filter(|record| !record.trim().is_empty()) {
            let mut lines = record.lines();
            let Some((hash, time)) = lines.next().and_then(|header| header.split_once(UNIT)) else {
                continue;
            };
            let index = history.commits.len();
            history.commits.push(Commit {
                hash: hash.trim().to_string(),
                time: time.trim().parse().unwrap_or(0),
            });
            for path in lines.filter(|line| !line.is_empty()) {
                let indexes = history.touched.entry(path.to_string()).or_default();
                if indexes.last() != Some(&index) {
                    indexes.push(index);
                }
            }
        }
        history
    }

    /// The newest commit that touched `path`.
    pub fn last_touch(&self, path: &str) -> Option<usize> {
        self.touched
            .get(path)
            .and_then(|indexes| indexes.first().copied())
    }

    /// How many commits touched `path` after commit `index` (newer ones),
    /// and the oldest of them.
    pub fn touches_after(&self, path: &str, index: usize) -> (usize, Option<usize>) {
        let Some(indexes) = self.touched.get(path) else {
            return (0, None);
        };
        let newer = indexes.partition_point(|&touch| touch < index);
        (newer, newer.checked_sub(1).map(|last| indexes[last]))
    }

    /// The commit whose hash starts with `prefix` (at least 4 hex digits).
    pub fn find(&self, prefix: &str) -> Option<usize> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.len() < 4 || !prefix.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        self.commits
            .iter()
            .position(|commit| commit.hash.starts_with(&prefix))
    }
}

/// `seconds` since the epoch as a UTC date, `YYYY-MM-DD`.
pub fn date(seconds: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\u{1e}cccc3333\u{1f}300\n\nen/a.md\n\u{1e}bbbb2222\u{1f}200\n\nde/a.md\nen/a.md\n\u{1e}aaaa1111\u{1f}100\n\nen/a.md\nde/a.md\n";

    #[test]
    fn counts_the_touches_newer_than_a_commit() {
        let history = History::parse(LOG);
        assert_eq!(history.commits.len(), 3);
        assert_eq!(history.last_touch("de/a.md"), Some(1));
        assert_eq!(history.touches_after("en/a.md", 1), (1, Some(0)));
        assert_eq!(history.touches_after("en/a.md", 2), (2, Some(1)));
        assert_eq!(history.touches_after("missing.md", 2), (0, None));
        assert_eq!(history.find("AAAA"), Some(2));
        assert_eq!(history.find("aa"), None);
    }

    #[test]
    fn dates_are_utc_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_735_689_599), "2024-12-31");
    }
}
