//! A closed pipe (`emfilter … | head -1`, `2>&1 | head -0`): every subcommand ends quietly, with
//! the status its work so far has earned, never a panic and never a word about the pipe.

use std::time::Duration;

use super::{hostile, Input, Scratch, Sink, MIB};
use crate::records::session;

/// Invalid filters, one a line: each gives a diagnostic (several KB of output in all).
fn many_invalid(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| format!("JobNmae==\"job {i}\";Result==Faild\n"))
        .collect::<String>()
        .into_bytes()
}

/// Filters `fmt` accepts, one a line.
fn many_valid(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| format!("jobname==\"job {i}\";result==failed\n"))
        .collect::<String>()
        .into_bytes()
}

/// Neither standard output's nor standard error's closing shows: nothing of a panic, of
/// `Broken pipe` or of an error writing.
fn quiet(run: &super::Run) {
    run.assert_no_panic();
    let err = run.err();
    assert!(
        !err.contains("Broken pipe") && !err.contains("cannot write"),
        "{}: {err}",
        run.command
    );
}

const T: Duration = Duration::from_secs(60);

#[test]
fn check_of_a_file_into_a_closed_pipe_keeps_its_status() {
    let dir = Scratch::new("pipe-check");
    let file = dir.file("many.txt", &many_invalid(20_000));
    let file = file.to_string_lossy();
    for sink in [Sink::Closed, Sink::HeadOne] {
        let run = hostile(&["check", "--file", &file])
            .stdout(sink)
            .bounds(T, 512 * MIB)
            .run();
        quiet(&run);
        // The report is written while checking, and checking goes on after its reader went
        // away: the status is the whole run's (1: invalid filters), not that of a failed write.
        run.assert_code(1);
        if sink == Sink::HeadOne {
            assert!(run.out().contains("JobNmae"), "{}", run.out());
        }
    }
    // The JSON report writes every filter: a reader gone after the first line of many valid
    // filters still leaves the last one, invalid, to decide the status.
    let mut valid_then_invalid = many_valid(20_000);
    valid_then_invalid.extend_from_slice(b"JobNmae==x\n");
    let file = dir.file("late.txt", &valid_then_invalid);
    let file = file.to_string_lossy();
    for sink in [Sink::Closed, Sink::HeadOne] {
        let run = hostile(&["check", "--format", "json", "--file", &file])
            .stdout(sink)
            .bounds(T, 512 * MIB)
            .run();
        quiet(&run);
        run.assert_code(1);
    }
}

#[test]
fn every_output_format_into_a_closed_pipe() {
    let dir = Scratch::new("pipe-formats");
    let file = dir.file("many.txt", &many_invalid(2_000));
    let file = file.to_string_lossy();
    for format in ["human", "json", "sarif", "github", "junit"] {
        let run = hostile(&["check", "--file", &file, "--format", format])
            .stdout(Sink::Closed)
            .run();
        quiet(&run);
        run.assert_code(1);
    }
}

#[test]
fn diff_and_fix_into_a_closed_pipe() {
    let dir = Scratch::new("pipe-diff");
    let mut script = String::new();
    for i in 0..3_000 {
        script.push_str(&format!(
            "curl \"$EM/api/query?type=ReplicaJobSession&filter=JobName==j{i};CreationTime>2026-01-01T00:00:00%2B02:00\"\n"
        ));
    }
    let path = dir.file("nightly.sh", script.as_bytes());
    let path = path.to_string_lossy();
    let run = hostile(&["check", "--scan", &path, "--diff"])
        .stdout(Sink::Closed)
        .run();
    quiet(&run);
    run.assert_code(1);
    // --diff writes nothing, even when its reader went away.
    assert_eq!(std::fs::read_to_string(&*path).unwrap(), script);

    // --fix of standard input prints the fixed text to standard output.
    for sink in [Sink::Closed, Sink::HeadOne] {
        let run = hostile(&["check", "--urls", "-", "--fix"])
            .stdin(Input::Bytes(
                "type=ReplicaJobSession&filter=CreationTime>2026-01-01T00:00:00%2B02:00\n"
                    .repeat(5_000)
                    .into_bytes(),
            ))
            .stdout(sink)
            .run();
        quiet(&run);
        assert!(run.err().contains("fixed 5000 problems"), "{}", run.err());
    }
}

#[test]
fn a_closed_standard_error_is_no_panic() {
    let dir = Scratch::new("pipe-stderr");
    let file = dir.file("many.txt", &many_invalid(5_000));
    let file = file.to_string_lossy();
    // Reports go to standard error when standard output holds the fixed text.
    let run = hostile(&["check", "--file", &file, "--diff"])
        .stderr(Sink::Closed)
        .stdout(Sink::Null)
        .run();
    run.assert_no_panic().assert_code(1);
    // And both closed at once.
    let run = hostile(&["check", "--file", &file])
        .stderr(Sink::Closed)
        .stdout(Sink::Closed)
        .run();
    run.assert_no_panic().assert_code(1);
    // A usage error with nowhere to say it still exits with its status.
    let run = hostile(&["check", "--type", "NoSuchType", "x==1"])
        .stderr(Sink::Closed)
        .run();
    run.assert_no_panic().assert_code(2);
}

#[test]
fn eval_into_a_closed_pipe_stops_reading() {
    let record = session(serde_json::json!({})).replace('\n', "");
    let mut input = Vec::new();
    for _ in 0..20_000 {
        input.extend_from_slice(record.as_bytes());
        input.push(b'\n');
    }
    for sink in [Sink::Closed, Sink::HeadOne] {
        let run = hostile(&["eval", "--filter", "Result==Failed"])
            .stdin(Input::Bytes(input.clone()))
            .stdout(sink)
            .run();
        quiet(&run);
        run.assert_code(0);
    }
}

#[test]
fn fmt_types_fields_and_help_into_a_closed_pipe() {
    let dir = Scratch::new("pipe-fmt");
    let valid = dir.file("valid.txt", &many_valid(20_000));
    let valid = valid.to_string_lossy();
    for args in [
        vec!["fmt", "--file", &valid],
        vec!["fmt", "--check", "--file", &valid],
        vec!["types"],
        vec!["fields", "ReplicaJobSession"],
        vec!["fields", "Job", "--format", "json"],
        vec!["--help"],
        vec!["check", "--help"],
        vec!["--version"],
    ] {
        for sink in [Sink::Closed, Sink::HeadOne] {
            let run = hostile(&args).stdout(sink).run();
            quiet(&run);
            if args[0] == "fmt" && args[1] == "--check" {
                // Not canonical: 1, whether or not the report could be written.
                run.assert_code(1);
            } else {
                run.assert_code(0);
            }
        }
    }
}
