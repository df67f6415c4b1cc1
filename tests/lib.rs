//! The integration tests: one binary, one module per area.

mod cli;
mod corpus;
mod diagnostics;
mod roundtrip;
mod schemas;
mod support;
