//! Any bytes as the input of `emfilter eval`: the stream readers hand over every record or
//! report it, in order, and nothing panics.

#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz_oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::stream(data));
