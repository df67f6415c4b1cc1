//! The command line's tests: one binary, one module per area, each running the real `emfilter`.

mod cli;
mod diagnostics;
mod eval;
mod hostile;
mod http;
mod lint;
mod lint_controls;
mod lint_corpus;
mod lint_safety;
mod lint_types;
#[path = "../../../tests/records.rs"]
mod records;
mod rendered;
mod schemas;
mod scratch;
mod sql;
#[path = "../../../tests/support.rs"]
#[allow(dead_code)]
mod support;
