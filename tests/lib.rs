//! The integration tests: one binary, one module per area.

mod cli;
mod corpus;
mod diagnostics;
mod eval;
mod fuzz_oracle;
mod fuzz_regressions;
mod gen_filters;
mod generated;
#[cfg(feature = "cli")]
mod http;
mod limits;
#[cfg(feature = "cli")]
mod lint;
mod roundtrip;
mod schemas;
mod sql;
mod support;
