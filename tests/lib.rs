//! The integration tests: one binary, one module per area.

mod corpus;
mod eval;
mod fuzz_oracle;
mod fuzz_regressions;
mod gen_filters;
mod generated;
mod limits;
mod records;
mod roundtrip;
mod schemas;
mod sql;
mod support;
