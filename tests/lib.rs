//! The integration tests: one binary, one module per area.

mod architecture;
mod corpus;
mod eval;
mod eval_corpus;
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
