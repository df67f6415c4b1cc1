//! Comparing text without regard to case, with the filter's side folded once.
//!
//! Folding is Unicode lower-casing (`char::to_lowercase`). ASCII text, nearly all of what EM
//! holds, takes a byte loop; other text is folded a character at a time, never allocating.

use std::cmp::Ordering;

/// A filter's string, folded once when the filter is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Folded(Box<str>, bool);

impl Folded {
    pub(crate) fn new(text: &str) -> Folded {
        let folded = fold(text);
        let ascii = folded.is_ascii();
        Folded(folded.into(), ascii)
    }
}

/// `text` lower-cased, character by character.
pub(crate) fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Whether `record` folds to `folded`.
#[inline]
pub(crate) fn eq_folded(record: &str, folded: &Folded) -> bool {
    let (r, f) = (record.as_bytes(), folded.0.as_bytes());
    if r.len() == f.len() {
        // Equal but for the case of ASCII letters: equal once folded (non-ASCII bytes are the
        // same characters, and lower-casing is idempotent).
        if r.eq_ignore_ascii_case(f) {
            return true;
        }
        // Text folding to ASCII of the same length is ASCII itself: the only character that
        // is not and folds to ASCII, the Kelvin sign, is three bytes long.
        if folded.1 {
            return false;
        }
    } else if folded.1 && (r.len() < f.len() || record.is_ascii()) {
        // Folding never shortens ASCII, and shortens nothing to fewer bytes than its ASCII.
        return false;
    }
    eq_folded_slow(record, folded)
}

#[cold]
fn eq_folded_slow(record: &str, folded: &Folded) -> bool {
    record
        .chars()
        .flat_map(char::to_lowercase)
        .eq(folded.0.chars())
}

/// `record` folded, ordered against `folded` by code points.
pub(crate) fn cmp_folded(record: &str, folded: &Folded) -> Ordering {
    let (r, f) = (record.as_bytes(), folded.0.as_bytes());
    for (&a, &b) in r.iter().zip(f) {
        if a >= 0x80 || b >= 0x80 {
            return record
                .chars()
                .flat_map(char::to_lowercase)
                .cmp(folded.0.chars());
        }
        let a = a.to_ascii_lowercase();
        if a != b {
            return a.cmp(&b);
        }
    }
    // One is a prefix of the other; what is left of the longer one folds to at least one
    // character.
    r.len().cmp(&f.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_agrees_with_lowercasing_both_sides() {
        let words = [
            "",
            "a",
            "A",
            "ab",
            "Ab",
            "abc",
            "ß",
            "SS",
            "Ä",
            "ä",
            "K",
            "\u{212A}",
            "İ",
            "i",
            "é",
            "É",
            "Zürich",
            "ZÜRICH",
            "zurich",
            "x\u{0130}",
            "\u{212A}elvin",
            "kelvin",
        ];
        for r in words {
            for v in words {
                let folded = Folded::new(v);
                let want = fold(r).cmp(&fold(v));
                assert_eq!(cmp_folded(r, &folded), want, "{r:?} vs {v:?}");
                assert_eq!(
                    eq_folded(r, &folded),
                    want == Ordering::Equal,
                    "{r:?} == {v:?}"
                );
            }
        }
    }
}
