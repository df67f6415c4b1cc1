//! Any text → lint as a query URL, an encoded filter and a filter, placeholders on and off: no
//! panic, diagnostics inside the text and capped, fixing twice changes nothing.

#![no_main]

#[allow(dead_code)]
#[path = "../../crates/lint/tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::url(data));
