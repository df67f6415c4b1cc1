//! `eval` on input that never ends or never breaks a line (issue 10, items 14 and 17): bounded
//! memory, and every record read or reported.

use std::time::Duration;

use super::{hostile, Input, MIB};
use crate::records::session;

const T: Duration = Duration::from_secs(120);

#[test]
fn leading_blank_lines_are_not_kept() {
    // `yes '' | head -c 100M | emfilter eval`: a hundred million blank lines, then a record.
    let run = hostile(&["eval", "--filter", "Result==Failed", "--count"])
        .stdin(Input::Repeat {
            pattern: b"\n".to_vec(),
            len: 100 << 20,
        })
        .bounds(T, 32 * MIB)
        .run();
    run.assert_no_panic().assert_code(0);
    assert_eq!(run.out(), "0\n");
}

#[test]
fn dev_zero_is_a_binary_input() {
    let run = hostile(&["eval", "--filter", "Result==Failed", "/dev/zero"])
        .bounds(Duration::from_secs(20), 32 * MIB)
        .run();
    run.assert_no_panic().assert_code(1);
    assert!(
        run.err()
            .contains("/dev/zero: a binary file, not JSON (a NUL byte at offset 0)"),
        "{}",
        run.err()
    );
}

#[test]
fn a_record_over_the_size_cap_is_reported_and_the_next_one_read() {
    let good = session(serde_json::json!({})).replace('\n', "");
    let mut huge = br#"{"JobName":""#.to_vec();
    huge.resize(70 << 20, b'x');
    huge.extend_from_slice(br#"","Result":"Failed"}"#);
    // One JSON line, and one element of a document.
    let mut lines = huge.clone();
    lines.push(b'\n');
    lines.extend_from_slice(good.as_bytes());
    let mut document = b"[".to_vec();
    document.extend_from_slice(&huge);
    document.push(b',');
    document.extend_from_slice(good.as_bytes());
    document.push(b']');
    for (input, at) in [
        (lines, "<stdin>:1"),
        (document, "<stdin>: the record at index 0"),
    ] {
        let run = hostile(&["eval", "--filter", "Result==Failed", "--skip-invalid"])
            .stdin(Input::Bytes(input))
            .bounds(T, 192 * MIB)
            .run();
        run.assert_no_panic().assert_code(0);
        assert!(
            run.err()
                .contains(&format!("{at}: skipped an unreadable record: the "))
                && run.err().contains("is longer than 64 MiB"),
            "{}",
            run.err()
        );
        // The record after it is read and matched.
        assert_eq!(run.out().lines().count(), 1, "{}", run.err());
    }
}

#[test]
fn one_line_that_never_ends_is_skipped_in_bounded_memory() {
    // 200 MB without a line break: held no further than the 64 MiB cap of one record.
    let run = hostile(&["eval", "--filter", "Result==Failed", "--skip-invalid"])
        .stdin(Input::Repeat {
            pattern: br#"{"JobName":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#.to_vec(),
            len: 200 << 20,
        })
        .bounds(T, 160 * MIB)
        .run();
    run.assert_no_panic().assert_code(0);
    assert!(run.err().contains("longer than 64 MiB"), "{}", run.err());
}
