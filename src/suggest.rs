//! "Did you mean …?": the closest name by edit distance.
//!
//! The checker names the closest field and enum value with it, the linter the closest query
//! parameter and type; a tool can use it for names of its own.
//!
//! ```
//! use emfilter::suggest::closest;
//!
//! assert_eq!(closest("JobNmae", ["JobName", "JobUid"]), Some("JobName"));
//! assert_eq!(closest("Platform", ["JobName", "JobUid"]), None);
//! ```

/// The optimal-string-alignment distance between `a` and `b`, ignoring ASCII case: insertions,
/// deletions, substitutions and swaps of two neighbours each cost one.
///
/// ```
/// use emfilter::suggest::distance;
/// assert_eq!(distance("JobNmae", "JobName"), 1, "a swap costs one");
/// assert_eq!(distance("result", "Result"), 0, "case does not count");
/// ```
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The candidate closest to `input`, if it is close enough to be a likely typo: within a third of
/// the input's length (at least 2 edits), or the input is a prefix of exactly one candidate.
/// Ties go to the first candidate.
///
/// ```
/// use emfilter::suggest::closest;
/// assert_eq!(closest("Creat", ["JobName", "CreationTime"]), Some("CreationTime"), "a unique prefix");
/// assert_eq!(closest("Platform", ["JobName", "CreationTime"]), None);
/// ```
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Long inputs cannot be typos of short names; keep the quadratic distance cheap.
    if input.chars().count() > 64 {
        return None;
    }
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let limit = (input.chars().count() / 3).max(2);
    let best = candidates
        .iter()
        .map(|c| (distance(input, c), *c))
        .min_by_key(|&(d, _)| d);
    if let Some((d, c)) = best {
        if d <= limit {
            return Some(c);
        }
    }
    let lower = input.to_ascii_lowercase();
    let mut prefixed = candidates
        .iter()
        .filter(|c| input.len() >= 3 && c.to_ascii_lowercase().starts_with(&lower));
    match (prefixed.next(), prefixed.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_cost_one() {
        assert_eq!(distance("JobNmae", "JobName"), 1);
        assert_eq!(distance("result", "Result"), 0);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn closest_names() {
        let fields = ["JobName", "JobUid", "Name", "CreationTime"];
        assert_eq!(closest("JobNmae", fields), Some("JobName"));
        assert_eq!(closest("CreationTimeUTC", fields), Some("CreationTime"));
        assert_eq!(closest("Creat", fields), Some("CreationTime"));
        assert_eq!(closest("Platform", fields), None);
    }
}
