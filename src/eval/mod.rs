//! Stage 4: evaluating a typed filter on records, with the server's semantics.
//!
//! - [`Record`]: what a filter reads; implement it to run filters over your own types.
//! - [`Program`]: a [`Filter`] lowered once for fast evaluation; [`interpret`] is the plain
//!   walk over the typed filter that defines what it must answer.
//! - [`EntityFormat`] / [`Entity`]: EM's JSON entities as records, keyed by the query type's
//!   schema (ReplicaJobSession, BackupJobSession, BackupTaskSession and ReplicaTaskSession for
//!   now).
//! - [`Evaluator`]: the two together, to ask whether one entity's JSON matches.
//! - [`stream`]: reading records from JSON lines or a large JSON document in bounded memory.
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
//! use emfilter::eval::{Evaluator, Options};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let filter = emfilter::compile(
//!     r#"JobName=="sql replica";Result!=Success"#,
//!     &emfilter::schema::REPLICA_JOB_SESSION,
//! )?;
//! let evaluator = Evaluator::new(&filter, Options::default())?;
//! assert!(evaluator.matches_json(br#"{"JobName":"SQL Replica","Result":"Failed"}"#)?);
//! // A running session: Result None is not Success, and matches.
//! assert!(evaluator.matches_json(br#"{"JobName":"SQL Replica","Result":"None"}"#)?);
//! // No Result at all: neither == nor != holds.
//! assert!(!evaluator.matches_json(br#"{"JobName":"SQL Replica","Result":null}"#)?);
//! # Ok(())
//! # }
//! ```

mod compile;
mod entity;
mod interpret;
mod record;
pub mod stream;
mod text;

pub use compile::Program;
pub use entity::{Entity, EntityFormat, NotEvaluable, ReadError};
pub use interpret::interpret;
pub use record::{Record, Value};

use crate::ir::Filter;

/// `text` folded as case-insensitive comparisons fold it: each character lower-cased by Unicode's
/// full mapping (`char::to_lowercase`, so `İ` is `i̇` and a final `Σ` is `σ`), independent of
/// context and locale.
pub fn fold(text: &str) -> String {
    text::fold(text)
}

/// How to evaluate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Compare strings with regard to case. Off by default, as EM answers from SQL Server with
    /// a case-insensitive collation.
    pub case_sensitive: bool,
}

impl Options {
    /// The same options, comparing strings with regard to case or not.
    pub fn case_sensitive(mut self, yes: bool) -> Options {
        self.case_sensitive = yes;
        self
    }
}

/// A filter ready to be evaluated on EM entities given as JSON text.
#[derive(Debug, Clone)]
pub struct Evaluator {
    program: Program,
    format: EntityFormat,
    needed: u64,
}

impl Evaluator {
    /// Compiles `filter` and prepares to read the entities of its query type; an error for a
    /// type whose entities cannot be read yet, or a filter on a field its entity does not hold
    /// (a task session's `JobName`).
    pub fn new(filter: &Filter, options: Options) -> Result<Evaluator, NotEvaluable> {
        let format = EntityFormat::for_schema(filter.schema())?;
        let program = Program::new(filter, options);
        format.can_evaluate(&program)?;
        let needed = entity::mask(&program);
        Ok(Evaluator {
            program,
            format,
            needed,
        })
    }

    /// Whether the filter matches the entity whose JSON is `json`; an error when it cannot be
    /// read (not JSON, not an object, or a field the filter reads holds no value of its type).
    pub fn matches_json(&self, json: &[u8]) -> Result<bool, ReadError> {
        let mut entity = Entity::empty();
        self.format.read_into(json, self.needed, &mut entity)?;
        Ok(self.program.matches(&entity))
    }

    /// The compiled filter.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// How entities are read.
    pub fn format(&self) -> &EntityFormat {
        &self.format
    }
}
