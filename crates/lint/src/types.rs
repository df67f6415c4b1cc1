//! The query type a filter is checked against, and where it came from.
//!
//! A filter's fields depend on its query type (`JobType==Backup` is right for `Job`, wrong for
//! `ReplicaJobSession`). The type is taken from the first of these that gives one:
//!
//! 1. the query URL's own `type` parameter ([`TypeSource::Url`]);
//! 2. a `type` key beside the filter in the same dictionary, hashtable, JSON object, YAML mapping,
//!    PHP array or parameter list ([`TypeSource::Sibling`], found by [`crate::find`]);
//! 3. the configuration's `[types]`, a glob of the file's path ([`TypeSource::Config`]);
//! 4. `--type` on the command line ([`TypeSource::CommandLine`]), else the default,
//!    ReplicaJobSession ([`TypeSource::Default`]).
//!
//! [`QueryType::first`] applies that order to what a caller has; the linter applies the first
//! step itself (a URL's `type` wins over any type it is given). Every [`crate::Linted`] says the
//! type its filter was checked against ([`crate::Linted::checked_as`]).

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use emfilter::schema::{self, Schema};

/// Where a filter's query type came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "from", rename_all = "kebab-case")]
pub enum TypeSource {
    /// The `type` parameter of the query URL the filter stands in.
    Url,
    /// A `type` key beside the filter, in the same container, on this 1-based line.
    Sibling {
        /// The line of the `type` key's value.
        line: usize,
    },
    /// `[types]` in the configuration: the glob that matched the file's path.
    Config {
        /// The glob, as written in the configuration.
        glob: String,
    },
    /// `--type` on the command line.
    CommandLine,
    /// The default type, when nothing names one.
    Default,
}

impl TypeSource {
    /// How far down the order of precedence this source stands (0 is the first, the URL).
    pub fn rank(&self) -> u8 {
        match self {
            TypeSource::Url => 0,
            TypeSource::Sibling { .. } => 1,
            TypeSource::Config { .. } => 2,
            TypeSource::CommandLine => 3,
            TypeSource::Default => 4,
        }
    }
}

impl fmt::Display for TypeSource {
    /// In words: "the URL's `type`", "the `type` key on line 3", "`[types]` `scripts/**`",
    /// "--type", "the default".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeSource::Url => f.write_str("the URL's `type`"),
            TypeSource::Sibling { line } => write!(f, "the `type` key on line {line}"),
            TypeSource::Config { glob } => write!(f, "`[types]` `{glob}` in emfilter.toml"),
            TypeSource::CommandLine => f.write_str("--type"),
            TypeSource::Default => f.write_str(
                "the default: set it with --type, a `type` key beside the filter, or `[types]` \
                 in emfilter.toml",
            ),
        }
    }
}

/// A query type as named, and where the name came from.
///
/// ```
/// use emfilter_lint::types::{QueryType, TypeSource};
///
/// let sibling = QueryType::new("job", TypeSource::Sibling { line: 3 });
/// let default = QueryType::new("ReplicaJobSession", TypeSource::Default);
/// let chosen = QueryType::first([None, Some(sibling), Some(default)]).unwrap();
/// assert_eq!(chosen.schema().unwrap().name(), "Job");
/// assert_eq!(chosen.source, TypeSource::Sibling { line: 3 });
/// assert_eq!(chosen.to_string(), "Job (the `type` key on line 3)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct QueryType {
    /// The type's name: the schema's own spelling when it is a known type (borrowed from the
    /// built-in schema: a copy allocates nothing), else as written.
    #[serde(rename = "type")]
    pub name: Cow<'static, str>,
    /// Where it came from.
    #[serde(rename = "type_source")]
    pub source: TypeSource,
}

impl QueryType {
    /// The type named `name` (in any case), from `source`.
    pub fn new(name: &str, source: TypeSource) -> QueryType {
        let name = match schema::builtin(name) {
            Some(s) => Cow::Borrowed(s.name()),
            None => Cow::Owned(name.to_owned()),
        };
        QueryType { name, source }
    }

    /// The type of `schema`, from `source`.
    pub fn of(schema: &Schema, source: TypeSource) -> QueryType {
        let name = match schema::builtin(schema.name()) {
            Some(b) if b.name() == schema.name() => Cow::Borrowed(b.name()),
            _ => Cow::Owned(schema.name().to_owned()),
        };
        QueryType { name, source }
    }

    /// The built-in schema of this type, when it is one.
    pub fn schema(&self) -> Option<&'static Schema> {
        schema::builtin(&self.name)
    }

    /// The type of highest precedence among `candidates` (by [`TypeSource::rank`]; the first of
    /// equal rank).
    pub fn first(candidates: impl IntoIterator<Item = Option<QueryType>>) -> Option<QueryType> {
        candidates
            .into_iter()
            .flatten()
            .min_by_key(|t| t.source.rank())
    }
}

impl fmt::Display for QueryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.source)
    }
}
