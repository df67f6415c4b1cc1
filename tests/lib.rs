//! The integration tests: one binary, one module per area.

mod cli;
mod corpus;
mod diagnostics;
#[cfg(feature = "cli")]
mod http;
mod roundtrip;
mod schemas;
mod support;
