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
        name.len() == text.len() && (name == text || name.eq_ignore_ascii_case(text))
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
