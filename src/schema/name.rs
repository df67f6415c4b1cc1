//! Shared text and lists for schemas: borrowed from the binary for the built-in tables, counted
//! references for schemas built at run time. Cloning either is a pointer copy (and a count), so
//! a typed filter can hold its field names and enum values without tying them to `'static`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// A name in a schema (a query type, a field, an enum value, a UID's resource type): text that
/// is cheap to clone.
///
/// It compares, hashes and prints as the text it holds.
///
/// ```
/// use emfilter::schema::Name;
///
/// let name = Name::from("JobName");
/// assert_eq!(name, "JobName");
/// assert_eq!(name.clone().as_str(), "JobName");
/// ```
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Name {
    /// A name borrowed from the program's own text, with no allocation.
    ///
    /// ```
    /// use emfilter::schema::Name;
    /// const JOB: Name = Name::from_static("Job");
    /// assert_eq!(JOB, "Job");
    /// assert_eq!(JOB, Name::from(String::from("Job")));
    /// ```
    pub const fn from_static(text: &'static str) -> Name {
        Name(Repr::Static(text))
    }

    /// Whether `text` is this name in any case (ASCII). The spelling of the schema, which is
    /// what most text holds, is compared first, as one block of bytes.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let name = self.as_str();
        name.len() == text.len() && (same(name, text) || name.eq_ignore_ascii_case(text))
    }

    /// The text.
    ///
    /// ```
    /// use emfilter::schema::Name;
    /// let name = Name::from("Result");
    /// assert_eq!(name.as_str(), "Result");
    /// assert_eq!(name.len(), 6, "a Name derefs to str");
    /// ```
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
        }
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name(Repr::Shared(Arc::from(text)))
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(Repr::Shared(Arc::from(text)))
    }
}

impl From<Arc<str>> for Name {
    fn from(text: Arc<str>) -> Name {
        Name(Repr::Shared(text))
    }
}

impl From<&Name> for Name {
    fn from(name: &Name) -> Name {
        name.clone()
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What names equal in any case (ASCII) have in common, in one word: seven of their bytes in
/// lower case and their length (255 for any longer). The bytes are the first four and the last
/// three, or all of a name shorter than four (zeros after them). Names whose keys differ do not
/// [match](Name::matches); a key holds the whole of a name of up to seven bytes, so for those
/// equal keys are a match, and for longer ones the rest is compared.
///
/// Two loads of a few bytes and a few operations on the word, which is less than comparing
/// names of the same length byte by byte; and `const`, so that `build.rs` writes the built-in
/// tables' keys as calls of it.
pub(crate) const fn key(text: &str) -> u64 {
    const ONES: u64 = 0x0001_0101_0101_0101;
    let b = text.as_bytes();
    let n = b.len();
    let bytes = match b {
        &[b0, b1, b2, b3, .., x, y, z] => u64::from_le_bytes([b0, b1, b2, b3, x, y, z, 0]),
        // Four to six bytes: the first four and the last three overlap.
        &[b0, b1, b2, b3, ..] => {
            u64::from_le_bytes([b0, b1, b2, b3, b[n - 3], b[n - 2], b[n - 1], 0])
        }
        &[b0, b1, b2] => u64::from_le_bytes([b0, b1, b2, 0, 0, 0, 0, 0]),
        &[b0, b1] => u64::from_le_bytes([b0, b1, 0, 0, 0, 0, 0, 0]),
        &[b0] => b0 as u64,
        [] => 0,
    };
    // `to_ascii_lowercase` of each of the seven bytes: `A`..=`Z` gain 0x20. A byte's high bit,
    // cleared before the additions so that none carries into the next byte, says after them
    // whether the byte is at least `A`, and whether it is past `Z`.
    let low = bytes & (ONES * 0x7f);
    let at_least_a = low + ONES * (0x80 - b'A' as u64);
    let past_z = low + ONES * (0x80 - (b'Z' as u64 + 1));
    let upper = at_least_a & !past_z & !bytes & (ONES * 0x80);
    let len = if n < 255 { n } else { 255 };
    (bytes | upper >> 2) | (len as u64) << 56
}

/// Whether `a` and `b`, of the same length, are the same bytes: for 8 to 16 bytes (what most
/// field names and enum values long enough to be compared are) as two overlapping words, with
/// no call to `memcmp`.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if (8..=16).contains(&n) && b.len() == n {
        return crate::swar::word(a, 0) == crate::swar::word(b, 0)
            && crate::swar::word(a, n - 8) == crate::swar::word(b, n - 8);
    }
    a == b
}

/// The [`key`]s of a list of names, in its order, so that finding a name in the list compares
/// a word per name, and text only for a name whose key is the one sought.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Keys(List<u64>);

impl Keys {
    /// The keys of the built-in tables, written by `build.rs` as `key(…)` of each name.
    pub(crate) const fn from_static(keys: &'static [u64]) -> Keys {
        Keys(List::Static(keys))
    }

    /// The keys of `names`.
    pub(crate) fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Keys {
        Keys(names.into_iter().map(key).collect::<Vec<_>>().into())
    }

    /// The position of the first of `names` (the names these are the keys of) that `text`
    /// [matches](Name::matches).
    #[inline]
    pub(crate) fn find<'n>(&self, names: impl Fn(usize) -> &'n Name, text: &str) -> Option<usize> {
        let sought = key(text);
        let mut from = 0;
        while let Some(at) = self.0[from..].iter().position(|&k| k == sought) {
            let i = from + at;
            if text.len() <= 7 || names(i).matches(text) {
                return Some(i);
            }
            from = i + 1;
        }
        None
    }
}

/// A list in a schema: a static slice for the built-in tables, a counted slice otherwise.
pub(crate) enum List<T: 'static> {
    Static(&'static [T]),
    Shared(Arc<[T]>),
}

impl<T> Clone for List<T> {
    fn clone(&self) -> List<T> {
        match self {
            List::Static(s) => List::Static(s),
            List::Shared(s) => List::Shared(Arc::clone(s)),
        }
    }
}

impl<T> Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            List::Static(s) => s,
            List::Shared(s) => s,
        }
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> List<T> {
        List::Shared(items.into())
    }
}

impl<T: PartialEq> PartialEq for List<T> {
    fn eq(&self, other: &List<T>) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for List<T> {}

impl<T: fmt::Debug> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_is_byte_equality() {
        for len in 0..=24 {
            let a: String = (0..len).map(|i| char::from(b'a' + i as u8)).collect();
            assert!(same(&a, &a.clone()));
            for place in 0..len {
                let mut b = a.clone().into_bytes();
                b[place] = b'Z';
                let b = String::from_utf8(b).unwrap();
                assert!(!same(&a, &b), "{a} {b}");
                assert!(Name::from(a.as_str()).matches(&a.to_ascii_uppercase()));
            }
        }
    }

    #[test]
    fn equal_keys_are_a_match_up_to_seven_bytes_and_a_match_has_an_equal_key() {
        let texts = [
            "",
            "a",
            "A",
            "@",
            "`",
            "[",
            "{",
            "Z",
            "z",
            "UID",
            "uid",
            "Uid",
            "UId",
            "Name",
            "NAME",
            "Nam",
            "Names",
            "JobUid",
            "Result",
            "RESULT",
            "résult",
            "RéSULT",
            "EndTime",
            "JobName",
            "JobType",
            "IsRetry",
            "ISRETRY",
            "Is_Retry",
            "Is.Retry",
            "aaaa",
            "aaaaa",
            "aaaaaa",
            "aaaaaaa",
            "aaaaaaaa",
            "CreationTime",
            "creationtime",
            "CreationTimes",
            "BackupServerUid",
            "BackupServerName",
            "backupservername",
            "BackupServerNAME",
            "BackupSERVERName",
            "BackupSxrverName",
            "\u{80}\u{80}",
            "\u{c0}",
            "\u{e0}",
        ];
        for a in texts {
            for b in texts {
                let name = Name::from(a);
                let (keys, matches) = (key(a) == key(b), name.matches(b));
                assert!(
                    !matches || keys,
                    "{a:?} matches {b:?} but their keys differ"
                );
                if a.len() <= 7 {
                    assert_eq!(keys, matches, "{a:?} and {b:?}");
                }
                let found = Keys::of([a]).find(|_| &name, b);
                assert_eq!(found.is_some(), matches, "{a:?} and {b:?}");
            }
        }
    }
}
