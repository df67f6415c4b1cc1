//! Eight bytes at a time: tests of every byte of a `u64` at once, for the scans that look at
//! every byte of a filter (the reader's values, the checker's look for spaces).
//!
//! A test gives a mask: the high bit of each byte that passes it, and nothing else. Every test
//! here is exact in every byte: no carry or borrow crosses from one byte into the next, so the
//! first byte that passes is the lowest set bit of the mask ([`first`]).

/// 0x01 in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
const HIGH: u64 = ONES * 0x80;

/// The eight bytes of `b` from `at` as a word, the first byte the lowest; `None` when fewer
/// than eight are left.
pub(crate) fn word(b: &[u8], at: usize) -> Option<u64> {
    let eight: &[u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(*eight))
}

/// The bytes of `w` below `bound` (a bound of at most 0x80; no byte of 0x80 or more is
/// below it). A byte's low seven bits plus `0x80 - bound` reach its high bit exactly when they
/// are at least `bound`, and never carry past it.
pub(crate) const fn below(w: u64, bound: u8) -> u64 {
    !(((w & !HIGH) + ONES * (0x80 - bound as u64)) | w) & HIGH
}

/// The bytes of `w` equal to `byte`: those that are zero once `byte` is taken out.
pub(crate) const fn equal(w: u64, byte: u8) -> u64 {
    below(w ^ (ONES * byte as u64), 1)
}

/// The bytes of `w` of 0x80 or more: those of a character that is not ASCII.
pub(crate) const fn non_ascii(w: u64) -> u64 {
    w & HIGH
}

/// The place of the first byte set in `mask` (not zero).
pub(crate) fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every test against a byte-by-byte answer, each byte value in each place of a word whose
    /// other bytes are the worst neighbours (0x00, 0x7f, 0x80, 0xff) for carries and borrows.
    #[test]
    fn every_byte_in_every_place() {
        for place in 0..8 {
            for fill in [0x00u8, 0x7f, 0x80, 0xff, b'!'] {
                for b in 0..=255u8 {
                    let mut bytes = [fill; 8];
                    bytes[place] = b;
                    let w = word(&bytes, 0).unwrap();
                    let bit = |mask: u64| mask >> (8 * place) & 0x80 != 0;
                    for bound in [1, b'!', b'0', 0x80] {
                        assert_eq!(bit(below(w, bound)), b < bound, "{b:#x} below {bound:#x}");
                    }
                    for byte in [0, b'"', b';', b'&', 0x7f] {
                        assert_eq!(bit(equal(w, byte)), b == byte, "{b:#x} == {byte:#x}");
                    }
                    assert_eq!(bit(non_ascii(w)), b >= 0x80);
                }
            }
            let mut bytes = [b'a'; 8];
            bytes[place] = b';';
            assert_eq!(first(equal(word(&bytes, 0).unwrap(), b';')), place);
        }
        assert_eq!(word(b"1234567", 0), None);
        assert_eq!(word(b"12345678", 1), None);
        assert_eq!(word(b"12345678", usize::MAX), None);
    }
}
