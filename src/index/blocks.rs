//! Every fingerprinted block of the corpus in one flat list sorted by hash,
//! record and block: blocks that share a hash sit side by side.
//!
//! A map from hash to a list of occurrences costs a table slot and a heap
//! list per block, and nearly every block is unique: on 100k entries (about
//! two million blocks) the map took some 200 MiB to build, the flat list 32.

use rayon::prelude::*;

use super::EntryRecord;

/// A block: its hash, its record's index, its position among the record's
/// fingerprints.
pub type Block = (u64, u32, u32);

/// The fingerprinted blocks of every record, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocks {
    sorted: Vec<Block>,
}

/// A record index as stored (no corpus has four billion entries).
fn narrow(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// The blocks of record `index`.
fn blocks_of(index: usize, record: &EntryRecord) -> impl Iterator<Item = Block> + '_ {
    record
        .fingerprints
        .iter()
        .enumerate()
        .map(move |(block, fingerprint)| (fingerprint.hash, narrow(index), narrow(block)))
}

/// A block as (record index, position among the record's fingerprints).
pub fn occurrence(block: &Block) -> (usize, usize) {
    (block.1 as usize, block.2 as usize)
}

impl Blocks {
    /// The blocks of `entries`, record `i` being `entries[i]`.
    pub fn build(entries: &[EntryRecord]) -> Self {
        let count = entries.iter().map(|record| record.fingerprints.len()).sum();
        let mut sorted: Vec<Block> = Vec::with_capacity(count);
        for (index, record) in entries.iter().enumerate() {
            sorted.extend(blocks_of(index, record));
        }
        sorted.par_sort_unstable();
        Self { sorted }
    }

    /// Drops every block whose hash no other block has. Only for an index
    /// no record joins later (the command line's): a block alone can become
    /// boilerplate only when a record with its twin arrives. Nearly every
    /// block is alone, so this keeps a small part of the list.
    pub fn keep_shared(&mut self) {
        let mut kept = Vec::new();
        for run in self.groups().filter(|run| run.len() > 1) {
            kept.extend_from_slice(run);
        }
        kept.shrink_to_fit();
        self.sorted = kept;
    }

    /// The occurrences of `hash` as (record, block), in record order.
    pub fn occurrences(&self, hash: u64) -> impl ExactSizeIterator<Item = (usize, usize)> + '_ {
        self.run(hash).iter().map(occurrence)
    }

    /// The blocks fingerprinted `hash`, in record order.
    pub fn run(&self, hash: u64) -> &[Block] {
        let start = self.sorted.partition_point(|&(other, _, _)| other < hash);
        let end = start + self.sorted[start..].partition_point(|&(other, _, _)| other == hash);
        &self.sorted[start..end]
    }

    /// Runs of blocks sharing a hash, each in record order.
    pub fn groups(&self) -> impl Iterator<Item = &[Block]> + '_ {
        self.sorted.chunk_by(|a, b| a.0 == b.0)
    }

    /// Replaces the blocks of the records `replaced` by those of `records`
    /// (index, record), in one pass over the list.
    pub fn replace(&mut self, replaced: &[usize], records: &[(usize, &EntryRecord)]) {
        let gone: std::collections::HashSet<u32> = replaced.iter().map(|&i| narrow(i)).collect();
        let mut added: Vec<Block> = records
            .iter()
            .flat_map(|&(index, record)| blocks_of(index, record))
            .collect();
        added.sort_unstable();
        let kept = std::mem::take(&mut self.sorted)
            .into_iter()
            .filter(|(_, record, _)| !gone.contains(record));
        let mut merged = Vec::with_capacity(kept.size_hint().1.unwrap_or(0) + added.len());
        let mut added = added.into_iter().peekable();
        for block in kept {
            while let Some(new) = added.next_if(|new| *new < block) {
                merged.push(new);
            }
            merged.push(block);
        }
        merged.extend(added);
        self.sorted = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeping_the_shared_blocks_keeps_every_group_of_two_or_more() {
        let mut blocks = Blocks {
            sorted: vec![
                (1, 0, 0),
                (2, 0, 1),
                (2, 3, 0),
                (5, 1, 0),
                (7, 1, 1),
                (7, 1, 2),
            ],
        };
        let shared: Vec<Vec<Block>> = blocks
            .groups()
            .filter(|run| run.len() > 1)
            .map(<[Block]>::to_vec)
            .collect();
        blocks.keep_shared();
        let kept: Vec<Vec<Block>> = blocks.groups().map(<[Block]>::to_vec).collect();
        assert_eq!(kept, shared);
        assert_eq!(blocks.occurrences(1).len(), 0);
        assert_eq!(blocks.occurrences(2).collect::<Vec<_>>(), [(0, 1), (3, 0)]);
    }
}
