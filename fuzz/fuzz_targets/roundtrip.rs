//! Structured input builds a typed filter or a syntax tree → print → parse → check → the same.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::roundtrip(data));
