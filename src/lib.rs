//! # emfilter
//!
//! A compiler and validator for the filter language of Veeam Backup Enterprise Manager's REST
//! query service (`GET /api/query?type=ReplicaJobSession&filter=Result==Failed;IsRetry==True`).
//!
//! ## The pipeline
//!
//! Data flows one way, one module per stage:
//!
//! 1. [`syntax`]: text → [`syntax::Ast`]. A linear pre-scan enforces the length and nesting
//!    [`Limits`]; the pest grammar (`grammar/filter.pest`) parses; lowering builds an AST whose
//!    every node has its byte [`Span`].
//! 2. [`check`](Checker): AST + [`Schema`] → typed [`Filter`] and every [`Diagnostic`]. Fields
//!    are resolved in any case, values typed (UIDs, UTC date-times, ordered enums, booleans,
//!    integers, doubles, strings). The built-in schemas are the tables of all 48 EM query types.
//! 3. [`ir`]: the typed tree, what the filter means: field ids, typed values, no spans. A
//!    [`Filter`] is a typed tree with its schema; its `Display` is the one canonical form, and
//!    [`Filter::to_query_value`] gives the percent-encoded `filter=` parameter.
//! 4. [`eval`]: the semantics. A [`Filter`] evaluates itself ([`Filter::matches`] on any
//!    [`eval::Record`], [`Filter::matches_json`] on EM's JSON entities), lowered on first use
//!    into a program that runs without parsing or allocating.
//! 5. [`sql`]: the typed filter compiled instead to a SQL condition for SQLite, PostgreSQL,
//!    DuckDB or Spark SQL, with the evaluator's answers over rows made from EM's JSON.
//!
//! Below the stages, one home for each rule they share: [`schema`] (the query types, as data),
//! [`suggest`] (did-you-mean), the operators ([`CompareOp`]), the quoting and percent-encoding
//! of values ([`encode_query_value`]), [`Span`] and [`Diagnostic`].
//!
//! In one call: compile once, then evaluate.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let filter = emfilter::compile("Result>=Warning;IsRetry==false", &emfilter::schema::REPLICA_JOB_SESSION)?;
//! assert!(filter.matches_json(br#"{"Result":"Failed","IsRetry":false}"#)?);
//! # Ok(())
//! # }
//! ```
//!
//! What stands around the pipeline lives in crates of its own, each depending only on this one:
//! `emfilter-lint` finds filters in files and URLs, fixes them and renders reports (human, JSON,
//! SARIF, GitHub, JUnit); `emfilter-client` submits checked filters to an Enterprise Manager;
//! `emfilter-cli` is the `emfilter` command.
//!
//! ```
//! use emfilter::{schema, Checker, Code};
//!
//! let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
//!
//! let ok = checker.check(r#"jobname=="SQL Replica";result>=warning"#);
//! assert_eq!(ok.filter().unwrap().to_string(), r#"JobName=="SQL Replica";Result>=Warning"#);
//!
//! let bad = checker.check("JobNmae==x;CreationTime>2025-08-14T12:31:30+02:00");
//! let codes: Vec<Code> = bad.diagnostics().iter().map(|d| d.code()).collect();
//! assert_eq!(codes, [Code::UnknownField, Code::DatetimeNotUtc]);
//! assert_eq!(bad.diagnostics()[1].fix().unwrap().replacement, "2025-08-14T10:31:30Z");
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

// pest's derive, built without std (see Cargo.toml), names `::alloc`.
extern crate alloc;

mod check;
mod diagnostic;
pub mod eval;
mod filter;
pub mod ir;
pub mod json;
mod literal;
mod op;
mod quote;
pub mod schema;
mod span;
pub mod sql;
pub mod suggest;
mod swar;
pub mod syntax;

pub use check::{Checked, Checker};
pub use diagnostic::{
    excerpt, Applicability, Code, Diagnostic, Fix, Invalid, Severity, UnknownCode, MAX_QUOTE,
};
pub use filter::Filter;
pub use op::CompareOp;
pub use quote::encode_query_value;
pub use schema::Schema;
pub use span::Span;
pub use syntax::{parse, Limits};

/// Checks `source` against `schema` with the default limits.
///
/// ```
/// let checked = emfilter::check("IsRetry==yes", &emfilter::schema::REPLICA_JOB_SESSION);
/// assert_eq!(checked.diagnostics()[0].code(), emfilter::Code::InvalidBoolean);
/// ```
pub fn check(source: &str, schema: &Schema) -> Checked {
    Checker::new(schema).check(source)
}

/// Compiles `source` into a typed filter over `schema`, or returns every diagnostic.
///
/// ```
/// # fn main() -> Result<(), emfilter::Invalid> {
/// let filter = emfilter::compile("Result==failed", &emfilter::schema::REPLICA_JOB_SESSION)?;
/// assert_eq!(filter.to_string(), "Result==Failed");
/// # Ok(())
/// # }
/// ```
pub fn compile(source: &str, schema: &Schema) -> Result<Filter, Invalid> {
    check(source, schema).into_result()
}
