//! A script of a server's answers (status, headers, bodies, the secrets in every encoding)
//! against the client, through an in-process server on 127.0.0.1: nothing panics, and no error
//! or `Debug` output holds a secret.

#![no_main]

#[allow(dead_code)]
#[path = "../../crates/client/tests/fuzz/oracle.rs"]
mod oracle;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracle::client(data));
