//! An arbitrary typed filter with arbitrary values, table and column names → SQL for every
//! dialect in both modes: refused only for the documented reasons, and otherwise read back by a
//! SQL parser as one `SELECT * FROM <table> WHERE <condition>` in which each value is exactly one
//! literal or one parameter.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::sql(data));
