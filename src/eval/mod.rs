//! Stage 4: evaluating a typed filter on records, with the server's semantics.
//!
//! A [`Filter`](crate::Filter) evaluates itself: [`matches`](crate::Filter::matches) on any
//! [`Record`], [`matches_json`](crate::Filter::matches_json) on EM's JSON entities. This module holds what that rests on:
//!
//! - [`Record`] and [`Value`]: what a filter reads; implement it to run filters over your own
//!   types.
//! - [`Options`]: whether strings compare with regard to case.
//! - [`EntityFormat`] / [`Entity`]: EM's JSON entities as records, keyed by the query type's
//!   schema (ReplicaJobSession, BackupJobSession, BackupTaskSession and ReplicaTaskSession for
//!   now).
//! - [`stream`]: reading records from JSON lines or a large JSON document in bounded memory.
//!
//! Inside, a filter is lowered once into a flat program (instants as ticks, enums as sets of
//! names, strings folded, AND and OR as jumps); [`Filter::interpret`](crate::Filter::interpret) is the plain walk over
//! the typed tree that defines what the program must answer, and a property test holds them to
//! the same answers.
//!
//! # Semantics
//! - A field that is missing or null satisfies no comparison, neither `==` nor `!=` (as SQL's
//!   NULL: EM answers from a database).
//! - Enums compare by their index in the documented order (`Result>Success` is `Warning` or
//!   `Failed`). A value outside the list (`Result` `None` on a running session) equals only
//!   itself and satisfies no ordering comparison.
//! - Strings compare without regard to case, unless [`Options::case_sensitive`]; ordering
//!   compares the lower-cased code points.
//! - UIDs compare by resource type (any case) and GUID; a record's bare GUID stands for the
//!   field's own resource type.
//! - Date-times compare as instants, to the 100-nanosecond tick.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let filter = emfilter::compile(
//!     r#"JobName=="sql replica";Result!=Success"#,
//!     &emfilter::schema::REPLICA_JOB_SESSION,
//! )?;
//! assert!(filter.matches_json(br#"{"JobName":"SQL Replica","Result":"Failed"}"#)?);
//! // A running session: Result None is not Success, and matches.
//! assert!(filter.matches_json(br#"{"JobName":"SQL Replica","Result":"None"}"#)?);
//! // No Result at all: neither == nor != holds.
//! assert!(!filter.matches_json(br#"{"JobName":"SQL Replica","Result":null}"#)?);
//! # Ok(())
//! # }
//! ```

mod compile;
mod entity;
mod interpret;
mod record;
pub mod stream;
mod text;

pub(crate) use compile::Program;
pub(crate) use entity::mask;
pub use entity::{Entity, EntityFormat, NotEvaluable, ReadError};
pub(crate) use interpret::interpret;
pub use record::{Record, Value};

/// `text` folded as case-insensitive comparisons fold it: each character lower-cased by Unicode's
/// full mapping (`char::to_lowercase`, so `İ` is `i̇` and a final `Σ` is `σ`), independent of
/// context and locale.
///
/// ```
/// use emfilter::eval::fold;
/// assert_eq!(fold("SQL Replica"), "sql replica");
/// assert_eq!(fold("STRASSE"), "strasse");
/// // Unicode's full lower-casing, the same in every locale.
/// assert_eq!(fold("ΟΔΥΣΣΕΥΣ"), "οδυσσευσ");
/// assert_eq!(fold("İ"), "i\u{307}");
/// ```
pub fn fold(text: &str) -> String {
    text::fold(text)
}

/// How to evaluate.
///
/// ```
/// use emfilter::eval::Options;
/// let filter = emfilter::compile("JobName==nightly", &emfilter::schema::REPLICA_JOB_SESSION)?
///     .with_options(Options::default().case_sensitive(true));
/// assert!(!filter.matches_json(br#"{"JobName":"Nightly"}"#)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Compare strings with regard to case. Off by default, as EM answers from SQL Server with
    /// a case-insensitive collation.
    pub case_sensitive: bool,
}

impl Options {
    /// The same options, comparing strings with regard to case or not.
    ///
    /// ```
    /// use emfilter::eval::Options;
    /// assert!(!Options::default().case_sensitive);
    /// let exact = Options::default().case_sensitive(true);
    /// assert!(exact.case_sensitive);
    /// assert_eq!(exact.case_sensitive(false), Options::default());
    /// ```
    pub fn case_sensitive(mut self, yes: bool) -> Options {
        self.case_sensitive = yes;
        self
    }
}

/// Why an entity's JSON could not be evaluated
/// ([`Filter::matches_json`](crate::Filter::matches_json)).
///
/// ```
/// use emfilter::eval::MatchError;
/// let filter = emfilter::compile("Result==Failed", &emfilter::schema::REPLICA_JOB_SESSION)?;
/// assert!(matches!(filter.matches_json(b"[1]"), Err(MatchError::Unreadable(_))));
/// # Ok::<(), emfilter::Invalid>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MatchError {
    /// The filter cannot be evaluated on its type's entities.
    #[error(transparent)]
    NotEvaluable(#[from] NotEvaluable),
    /// The entity could not be read.
    #[error(transparent)]
    Unreadable(#[from] ReadError),
}
