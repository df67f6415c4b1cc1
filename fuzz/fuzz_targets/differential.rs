//! Any bytes → the hand-written reader and the grammar: the same tree with the same spans, or
//! the same refusal (see `differential` in tests/fuzz_oracle.rs).

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::differential(data));
