//! Any text → parse + check against every built-in schema; a valid filter's canonical form checks
//! to the same typed filter and is a fixed point.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::check_text(data));
