//! An arbitrary typed filter and an arbitrary entity's JSON → evaluation: no panic, and the
//! compiled program agrees with the plain walk over the typed filter.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::eval(data));
