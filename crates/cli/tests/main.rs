//! The command line's tests: one binary, one module per area, each running the real `emfilter`.

mod cli;
mod diagnostics;
mod eval;
mod http;
mod lint;
#[path = "../../../tests/records.rs"]
mod records;
mod schemas;
mod sql;
#[path = "../../../tests/support.rs"]
#[allow(dead_code)]
mod support;
