//! Any bytes → parse: never a panic, a hang or a stack overflow; a tree prints back to itself.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::parse_bytes(data));
