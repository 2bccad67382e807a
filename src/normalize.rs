//! Term normalization (SPEC 2.6): the one definition of "the same term".

/// Folds a term to its comparison key: Unicode lowercase, `-`, `_` and runs of
/// white space folded to one space, trimmed, trailing `.` and `:` dropped.
pub fn term_key(term: &str) -> String {
    let mut key = String::with_capacity(term.len());
    let mut pending_space = false;
    for ch in term.chars() {
        if ch == '-' || ch == '_' || ch.is_whitespace() {
            pending_space = !key.is_empty();
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        key.extend(ch.to_lowercase());
    }
    while key.ends_with(['.', ':']) {
        key.pop();
        while key.ends_with(' ') {
            key.pop();
        }
    }
    key
}

/// The plural forms whose singular is `key`: two terms are similar when one is
/// the other with `s` or `es` added to its last word.
pub fn plural_forms(key: &str) -> [String; 2] {
    [format!("{key}s"), format!("{key}es")]
}

/// Folds a heading for template matching (SPEC 2.4): case, repeated white space
/// and trailing `?` `:` `.` are ignored.
pub fn heading_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    while key.ends_with(['?', ':', '.']) {
        key.pop();
        while key.ends_with(' ') {
            key.pop();
        }
    }
    key
}

/// Equal once lowercased (`str::to_lowercase`), without lowercased copies
/// when both are ASCII.
pub fn same_ignoring_case(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// Edit distance counting a swap of two neighbouring characters as one edit
/// (optimal string alignment), for "did you mean" over short names: `trem`
/// is one edit from `term`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    bounded_edit_distance(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`], or `None` as soon as it must exceed `limit`: three rolling
/// rows, no table, so ranking many candidates stays cheap.
pub fn bounded_edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        if limit < a.len().max(b.len()) && bag_distance(a.as_bytes(), b.as_bytes()) > limit {
            return None;
        }
        return bounded_distance(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded_distance(&a, &b, limit)
}

/// [`edit_distance`] from one fixed text to many others, for texts of ASCII
/// and a fixed text of at most 64 bytes: Hyyrö's bit-parallel algorithm for
/// the optimal string alignment distance (2003, as in rapidfuzz), one step
/// per byte of the other text where the table takes one per pair of bytes.
/// Did-you-mean ranks up to 200 candidates for every broken link.
pub struct DistanceFrom {
    /// For each byte, the positions of the fixed text holding it.
    positions: [u64; 128],
    length: usize,
}

impl DistanceFrom {
    /// `None` when `text` is empty, longer than 64 bytes or not ASCII.
    pub fn new(text: &str) -> Option<Self> {
        if text.is_empty() || text.len() > 64 || !text.is_ascii() {
            return None;
        }
        let mut positions = [0u64; 128];
        for (at, byte) in text.bytes().enumerate() {
            positions[usize::from(byte)] |= 1 << at;
        }
        Some(Self {
            positions,
            length: text.len(),
        })
    }

    /// The distance to `other`; `None` when `other` is not ASCII.
    pub fn to(&self, other: &str) -> Option<usize> {
        if !other.is_ascii() {
            return None;
        }
        // Vertical deltas of the column (+1 and -1 bits), the diagonal zero
        // bits of the last step, and the last byte's positions.
        let mut plus_vertical = u64::MAX;
        let mut minus_vertical = 0u64;
        let mut zero_diagonal = 0u64;
        let mut previous_positions = 0u64;
        let mut distance = self.length;
        let last = 1u64 << (self.length - 1);
        for byte in other.bytes() {
            let positions = self.positions[usize::from(byte)];
            let transposed = ((!zero_diagonal & positions) << 1) & previous_positions;
            zero_diagonal = (((positions & plus_vertical).wrapping_add(plus_vertical))
                ^ plus_vertical)
                | positions
                | minus_vertical
                | transposed;
            let plus_horizontal = minus_vertical | !(zero_diagonal | plus_vertical);
            let minus_horizontal = zero_diagonal & plus_vertical;
            if plus_horizontal & last != 0 {
                distance += 1;
            }
            if minus_horizontal & last != 0 {
                distance -= 1;
            }
            let plus_horizontal = (plus_horizontal << 1) | 1;
            let minus_horizontal = minus_horizontal << 1;
            plus_vertical = minus_horizontal | !(zero_diagonal | plus_horizontal);
            minus_vertical = plus_horizontal & zero_diagonal;
            previous_positions = positions;
        }
        Some(distance)
    }
}

/// A lower bound of the edit distance in linear time: the bytes of one text
/// the other lacks, counted with repeats (a swap changes neither count, any
/// other edit at most one each): against a small limit, most candidates are
/// turned away before any table is filled (names [`DistanceFrom`] cannot
/// take: longer than 64 bytes, or not ASCII).
fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    let mut counts = [0i32; 128];
    for &byte in a {
        counts[usize::from(byte & 0x7f)] += 1;
    }
    for &byte in b {
        counts[usize::from(byte & 0x7f)] -= 1;
    }
    let (mut only_in_a, mut only_in_b) = (0, 0);
    for count in counts {
        if count > 0 {
            only_in_a += count.unsigned_abs() as usize;
        } else {
            only_in_b += count.unsigned_abs() as usize;
        }
    }
    only_in_a.max(only_in_b)
}

/// [`bounded_edit_distance`] over symbols (bytes of ASCII text, else chars).
fn bounded_distance<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    // Three rows side by side in one buffer: before previous, previous,
    // current; on the stack for names up to 63 symbols.
    let mut on_stack = [0usize; 3 * 64];
    let mut on_heap = Vec::new();
    let rows: &mut [usize] = if 3 * width <= on_stack.len() {
        &mut on_stack[..3 * width]
    } else {
        on_heap.resize(3 * width, 0);
        &mut on_heap
    };
    let (mut before_previous, mut previous, mut current) = (0, width, 2 * width);
    for (j, cell) in rows[previous..current].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[current] = i;
        let mut row_minimum = i;
        for j in 1..=b.len() {
            let substitution = rows[previous + j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution
                .min(rows[previous + j] + 1)
                .min(rows[current + j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[before_previous + j - 2] + 1);
            }
            rows[current + j] = best;
            row_minimum = row_minimum.min(best);
        }
        if row_minimum > limit {
            return None;
        }
        (before_previous, previous, current) = (previous, current, before_previous);
    }
    Some(rows[previous + b.len()]).filter(|&distance| distance <= limit)
}

/// The closest candidate to `wanted`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(wanted, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_separators_and_trailing_punctuation() {
        assert_eq!(term_key("  Acid_Gas-Scrubbing:. "), "acid gas scrubbing");
        assert_eq!(term_key("Größe"), "größe");
        assert_eq!(term_key("a \t b"), "a b");
        assert_eq!(term_key(""), "");
    }

    #[test]
    fn heading_key_ignores_trailing_question_mark() {
        assert_eq!(
            heading_key("What Is  Acid Gas Scrubbing ?"),
            "what is acid gas scrubbing"
        );
    }

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(
            did_you_mean("sortbody", ["short-body", "empty-body"]),
            Some("short-body")
        );
        assert_eq!(did_you_mean("zzzzzz", ["short-body"]), None);
        assert_eq!(
            did_you_mean("missing-trem", ["missing-item", "missing-term"]),
            Some("missing-term")
        );
    }

    /// Optimal string alignment distance, the whole table.
    fn reference_distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in table.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in table[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (table[i - 1][j - 1] + cost)
                    .min(table[i - 1][j] + 1)
                    .min(table[i][j - 1] + 1);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(table[i - 2][j - 2] + 1);
                }
                table[i][j] = best;
            }
        }
        table[a.len()][b.len()]
    }

    #[test]
    fn the_bit_parallel_distance_takes_what_it_can() {
        assert!(DistanceFrom::new("").is_none());
        assert!(DistanceFrom::new(&"a".repeat(65)).is_none());
        assert!(DistanceFrom::new("größe").is_none());
        let from = DistanceFrom::new("term").unwrap();
        assert_eq!(from.to("trem"), Some(1));
        assert_eq!(from.to(""), Some(4));
        assert_eq!(from.to("tèrm"), None);
    }

    proptest::proptest! {
        #[test]
        fn bounded_distance_is_the_distance_when_within_the_limit(
            a in "[a-e é]{0,12}|[a-z ]{0,70}",
            b in "[a-e é]{0,12}|[a-z ]{0,70}",
            limit in 0usize..16,
        ) {
            let distance = reference_distance(&a, &b);
            let expected = (distance <= limit).then_some(distance);
            proptest::prop_assert_eq!(bounded_edit_distance(&a, &b, limit), expected);
            proptest::prop_assert_eq!(edit_distance(&a, &b), distance);
        }

        #[test]
        fn the_bit_parallel_distance_is_the_distance(
            a in "[a-e ]{1,12}|[a-z ]{1,64}|[ab]{60,64}",
            b in "[a-e ]{0,12}|[a-z ]{0,70}|[ab]{0,70}",
        ) {
            let from = DistanceFrom::new(&a).unwrap();
            proptest::prop_assert_eq!(from.to(&b), Some(reference_distance(&a, &b)));
        }
    }
}
