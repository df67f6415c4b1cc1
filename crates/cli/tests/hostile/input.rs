//! Unbounded input (issue 10, item 14): `/dev/zero`, a FIFO, one line of 50 MB, a binary file,
//! a settings file that never ends. Each is refused or skipped in bounded time and memory.

use std::ffi::CString;
use std::time::Duration;

use super::{hostile, Input, Scratch, MIB};

const T: Duration = Duration::from_secs(60);

#[test]
fn dev_zero_as_a_file_of_filters_is_a_binary_file() {
    for args in [
        vec!["check", "-f", "/dev/zero"],
        vec!["check", "--urls", "/dev/zero"],
        vec!["fmt", "-f", "/dev/zero"],
    ] {
        let run = hostile(&args).bounds(T, 64 * MIB).run();
        run.assert_no_panic().assert_code(2);
        assert!(
            run.err()
                .contains("`/dev/zero` is a binary file, not text (a NUL byte at offset 0)"),
            "{}",
            run.err()
        );
    }
    // The same on standard input.
    for args in [vec!["check"], vec!["check", "--urls", "-"], vec!["fmt"]] {
        let run = hostile(&args)
            .stdin(Input::File("/dev/zero".into()))
            .bounds(T, 64 * MIB)
            .run();
        run.assert_no_panic().assert_code(2);
        assert!(
            run.err().contains("`standard input` is a binary file"),
            "{}",
            run.err()
        );
    }
}

#[test]
fn a_settings_file_that_never_ends_is_refused() {
    let run = hostile(&["check", "--config", "/dev/zero", "Result==Failed"])
        .bounds(T, 64 * MIB)
        .run();
    run.assert_no_panic().assert_code(2);
    assert!(run.err().contains("larger than 1024 KiB"), "{}", run.err());
}

#[test]
fn scan_reads_only_regular_files_never_a_device_or_a_fifo() {
    let dir = Scratch::new("fifo");
    let fifo = dir.0.join("pipe.md");
    let c = CString::new(fifo.to_string_lossy().as_bytes()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    dir.file(
        "ok.md",
        b"curl \"$EM/api/query?type=ReplicaJobSession&filter=Reslt==Failed\"\n",
    );
    // Named, and met in a folder: neither is opened (opening a FIFO would wait for a writer).
    let fifo = fifo.to_string_lossy();
    let folder = dir.0.to_string_lossy();
    for args in [
        vec!["check", "--scan", &fifo],
        vec!["check", "--scan", "/dev/zero"],
        vec!["check", "--scan", &folder],
    ] {
        let run = hostile(&args)
            .bounds(Duration::from_secs(20), 64 * MIB)
            .run();
        run.assert_no_panic();
        assert!(run.err().contains("skipped `"), "{}", run.err());
    }
}

/// A file of filters whose second line is 50 MB long.
fn fifty_megabyte_line(dir: &Scratch) -> String {
    let mut text = b"Result==Failed\nJobName==\"".to_vec();
    text.resize(text.len() + 50_000_000, b'x');
    text.extend_from_slice(b"\"\nReslt==Failed\n");
    dir.file("big.txt", &text).to_string_lossy().into_owned()
}

#[test]
fn a_line_of_fifty_megabytes_is_skipped_while_reading() {
    let dir = Scratch::new("long-line");
    let big = fifty_megabyte_line(&dir);
    for format in ["human", "json", "sarif", "github", "junit"] {
        let run = hostile(&["check", "-f", &big, "--format", format])
            .bounds(T, 64 * MIB)
            .run();
        run.assert_no_panic().assert_code(1);
        assert!(run.out().contains("filter-too-long"), "{format}");
        // The line after it keeps its number.
        assert!(run.out().contains("unknown-field"), "{format}");
        // What is shown of it is its start, not 50 MB.
        assert!(
            run.stdout_len < 200_000,
            "{format}: {} bytes",
            run.stdout_len
        );
    }
    let run = hostile(&["fmt", "-f", &big]).bounds(T, 64 * MIB).run();
    run.assert_no_panic().assert_code(1);
    assert!(run.err().contains("big.txt:2:1"), "{}", run.err());
    // On standard input too, streamed: 50 MB on one line, never held.
    let mut line = b"JobName==\"".to_vec();
    line.resize(50_000_000, b'x');
    let run = hostile(&["check"])
        .stdin(Input::Bytes(line))
        .bounds(T, 64 * MIB)
        .run();
    run.assert_no_panic().assert_code(1);
    assert!(run.out().contains("stdin:1:1"), "{}", run.out());
}

#[test]
fn a_file_with_a_line_too_long_to_read_is_never_rewritten() {
    let dir = Scratch::new("long-fix");
    let big = fifty_megabyte_line(&dir);
    let before = std::fs::metadata(&big).unwrap().len();
    let run = hostile(&["check", "-f", &big, "--fix"])
        .bounds(T, 128 * MIB)
        .run();
    run.assert_no_panic().assert_code(2);
    assert!(
        run.err()
            .contains("is not fixed: its line 2 is longer than the length limit"),
        "{}",
        run.err()
    );
    assert_eq!(std::fs::metadata(&big).unwrap().len(), before);
}
