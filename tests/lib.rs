//! The integration tests: one binary, one module per area.

mod cli;
mod corpus;
mod diagnostics;
mod eval;
mod fuzz_oracle;
mod fuzz_regressions;
#[cfg(feature = "cli")]
mod http;
#[cfg(feature = "cli")]
mod lint;
mod roundtrip;
mod schemas;
mod support;
