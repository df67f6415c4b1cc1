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

/// The place of the first `byte` in `b`. Short texts, what values mostly are, are searched here
/// a word at a time; past the first 32 bytes, by `memchr`, whose vector search pays for its
/// setting up only on longer ones.
pub(crate) fn find(b: &[u8], byte: u8) -> Option<usize> {
    const SHORT: usize = 32;
    let mut at = 0;
    while at < SHORT {
        let Some(w) = word(b, at) else {
            return b.get(at..)?.iter().position(|&c| c == byte).map(|i| at + i);
        };
        let found = equal(w, byte);
        if found != 0 {
            return Some(at + first(found));
        }
        at += 8;
    }
    memchr::memchr(byte, b.get(at..)?).map(|i| at + i)
}

/// The bytes of `w` below `bound` (a bound of at most 0x80; no byte of 0x80 or more is
/// below it). A byte's low seven bits plus `0x80 - bound` reach its high bit exactly when they
/// are at least `bound`, and never carry past it.
pub(crate) const fn below(w: u64, bound: u8) -> u64 {
    !(((w & !HIGH) + ONES * (0x80 - bound as u64)) | w) & HIGH
}

/// For fewer than eight bytes `b`: a word of them all, some of them twice, and (for fewer than
/// four) `pad` in the places left; for a test of every byte, not for where a byte is. Two
/// overlapping halves (or the first, middle and last byte) rather than a byte at a time.
pub(crate) fn short_word(b: &[u8], pad: u8) -> u64 {
    debug_assert!(b.len() < 8);
    if let (Some(first), Some(last)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        return u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << 32;
    }
    match b {
        [first, .., last] => {
            u64::from_le_bytes([*first, b[b.len() / 2], *last, pad, pad, pad, pad, pad])
        }
        [only] => u64::from_le_bytes([*only, pad, pad, pad, pad, pad, pad, pad]),
        [] => ONES * pad as u64,
    }
}

/// Whether every byte of `b` passes `test` (a test giving the mask of the bytes of a word that
/// pass it), eight at a time; the last word overlaps the one before, and fewer than eight
/// bytes are padded with `pad`, a byte that passes.
pub(crate) fn all(b: &[u8], pad: u8, test: impl Fn(u64) -> u64) -> bool {
    let n = b.len();
    if n < 8 {
        return test(short_word(b, pad)) == HIGH;
    }
    let mut at = 0;
    while at + 8 < n {
        match word(b, at) {
            Some(w) if test(w) == HIGH => at += 8,
            _ => return false,
        }
    }
    word(b, n - 8).is_some_and(|w| test(w) == HIGH)
}

/// The bytes of `w` that are ASCII letters or digits.
pub(crate) const fn alphanumeric(w: u64) -> u64 {
    let digit = !below(w, b'0') & below(w, b'9' + 1);
    // Letters in either case, as lower case; no other byte becomes one.
    let folded = w | (ONES * 0x20);
    let letter = !below(folded, b'a') & below(folded, b'z' + 1);
    digit | letter
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

    #[test]
    fn find_finds_the_first() {
        for len in 0..80usize {
            for place in 0..=len {
                for other in [
                    None,
                    Some(place + 1),
                    Some(place + 9),
                    Some(len.saturating_sub(1)),
                ] {
                    let mut text = vec![b'a'; len];
                    for at in [Some(place), other].into_iter().flatten() {
                        if let Some(b) = text.get_mut(at) {
                            *b = b'"';
                        }
                    }
                    let want = text.iter().position(|&b| b == b'"');
                    assert_eq!(find(&text, b'"'), want, "{len} {place} {other:?}");
                }
            }
        }
        assert_eq!(find(b"\xff\x80\"", b'"'), Some(2));
    }

    #[test]
    fn short_words_hold_every_byte() {
        for len in 0..8 {
            let text: Vec<u8> = (1..=len as u8).collect();
            let w = short_word(&text, 0xee).to_le_bytes();
            assert!(text.iter().all(|b| w.contains(b)), "{len}");
            assert!(w.iter().all(|b| text.contains(b) || *b == 0xee), "{len}");
        }
    }

    #[test]
    fn all_bytes_of_any_length() {
        for len in 0..=24 {
            for place in 0..len {
                for b in 0..=255u8 {
                    let mut text = vec![b'q'; len];
                    text[place] = b;
                    assert_eq!(
                        all(&text, b'a', alphanumeric),
                        text.iter().all(u8::is_ascii_alphanumeric),
                        "{text:?}"
                    );
                }
            }
            assert!(all(&vec![b'7'; len], b'a', alphanumeric));
        }
    }

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
        for b in 0..=255u8 {
            for place in 0..8 {
                for fill in [0x00u8, b'z', b'0', 0x80, 0xff] {
                    let mut bytes = [fill; 8];
                    bytes[place] = b;
                    let w = word(&bytes, 0).unwrap();
                    let bit = |mask: u64| mask >> (8 * place) & 0x80 != 0;
                    assert_eq!(bit(alphanumeric(w)), b.is_ascii_alphanumeric(), "{b:#x}");
                }
            }
        }
        assert_eq!(word(b"12345678", 1), None);
        assert_eq!(word(b"12345678", usize::MAX), None);
    }
}
