//! Any file's bytes → find every filter and query, lint each, fix in rounds (safe or unsafe fixes,
//! XML or not, chosen by the first byte): no panic, no overlapping fixes, fixing twice changes
//! nothing, no byte outside the finds changes.

#![no_main]

#[allow(dead_code)]
#[path = "../../crates/lint/tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::scan(data));
