//! The real binary, as a user runs it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `emfilter args…`, feeding `stdin` when given.
pub fn emfilter(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = stdin {
        // A run that ends before reading its input (an invalid filter) closes the pipe.
        match child.stdin.take().unwrap().write_all(input.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            written => written.unwrap(),
        }
    }
    child.wait_with_output().expect("the binary ends")
}

/// The one JSON array `check --format json` prints.
pub fn json_reports(stdout: &[u8]) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(stdout).unwrap_or_else(|e| {
        panic!(
            "not one JSON value ({e}):\n{}",
            String::from_utf8_lossy(stdout)
        )
    });
    v.as_array().expect("a JSON array").clone()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_valid_filter_exits_zero_and_formats_unchanged() {
    let f = r#"BackupServerName=="enterprise06.tech.local";Result==Success"#;
    let out = emfilter(&["check", f], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
    let out = emfilter(&["fmt", f], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), format!("{f}\n"));
}

#[test]
fn fmt_prints_the_canonical_spelling() {
    let f = r#"jobname=="SQL Replica";result>=warning"#;
    assert_eq!(emfilter(&["check", f], None).status.code(), Some(0));
    let out = emfilter(&["fmt", f], None);
    assert_eq!(
        text(&out.stdout),
        "JobName==\"SQL Replica\";Result>=Warning\n"
    );
}

#[test]
fn both_problems_are_reported_with_suggestion_and_fix() {
    let f = "JobNmae==x;CreationTime>2025-08-14T12:31:30+02:00";
    let out = emfilter(&["check", f], None);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("error[unknown-field]"), "{s}");
    assert!(s.contains("`JobName`"), "{s}");
    assert!(s.contains("error[datetime-not-utc]"), "{s}");
    assert!(s.contains("2025-08-14T10:31:30Z"), "{s}");
    assert!(s.contains(" --> argument:1:25"), "{s}");
    assert!(!s.contains('\x1b'), "no colour on a pipe");

    let out = emfilter(&["check", "--format", "json", f], None);
    assert_eq!(out.status.code(), Some(1));
    let reports = json_reports(&out.stdout);
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(r["source"], "argument");
    assert_eq!(r["line"], serde_json::Value::Null);
    assert_eq!(r["filter"], f);
    assert_eq!(r["valid"], false);
    assert_eq!(r["canonical"], serde_json::Value::Null);
    let d = r["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2);
    assert_eq!(d[0]["code"], "unknown-field");
    assert_eq!(d[0]["span"], serde_json::json!({"start": 0, "end": 7}));
    assert_eq!(d[1]["fix"]["replacement"], "2025-08-14T10:31:30Z");
    assert_eq!(
        d[1]["fix"]["span"],
        serde_json::json!({"start": 24, "end": 49})
    );
}

#[test]
fn json_reports_every_filter_in_input_order() {
    let out = emfilter(
        &[
            "check",
            "--format",
            "json",
            "Result==Failed",
            "Result==None",
            "x",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let reports = json_reports(&out.stdout);
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0]["valid"], true);
    assert_eq!(reports[0]["canonical"], "Result==Failed");
    assert_eq!(reports[0]["diagnostics"], serde_json::json!([]));
    assert_eq!(reports[1]["valid"], true);
    assert_eq!(reports[1]["diagnostics"][0]["severity"], "warning");
    assert!(reports[1]["diagnostics"][0]["help"].is_string());
    assert_eq!(reports[2]["valid"], false);
}

#[test]
fn warnings_pass_unless_denied() {
    assert_eq!(
        emfilter(&["check", "Result==None"], None).status.code(),
        Some(0)
    );
    assert_eq!(
        emfilter(&["check", "--deny-warnings", "Result==None"], None)
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        emfilter(&["check", "--deny-warnings", "Result==Failed"], None)
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn usage_and_io_errors_exit_two() {
    let out = emfilter(&["check", "--type", "NoSuchType", "Result==Failed"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("emfilter types"),
        "says where the known types are"
    );
    let out = emfilter(&["check", "--file", "/no/such/file"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/no/such/file"));
    assert_eq!(
        emfilter(&["check", "--no-such-flag"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        emfilter(&["check", "--format", "xml", "a==b"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(emfilter(&[], None).status.code(), Some(2));
}

#[test]
fn files_are_read_one_filter_per_line() {
    let dir = crate::scratch::Scratch::new("cli");
    let path = dir.join("filters.txt");
    std::fs::write(
        &path,
        "# nightly checks\n\nResult==Failed\r\n  # indented comment\nJobNmae==x\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let out = emfilter(&["check", "--file", p], None);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains(&format!("--> {p}:5:1")), "{s}");
    assert!(s.contains("5 | JobNmae==x"), "{s}");

    let out = emfilter(&["check", "--format", "json", "--file", p], None);
    let reports = json_reports(&out.stdout);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["source"], p);
    assert_eq!(reports[0]["line"], 3);
    assert_eq!(reports[0]["filter"], "Result==Failed");
    assert_eq!(reports[1]["line"], 5);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_is_read_when_no_filter_is_given() {
    let out = emfilter(
        &["check", "--format", "json"],
        Some("Result==Failed\n\nState==Bogus\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let reports = json_reports(&out.stdout);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[1]["source"], "stdin");
    assert_eq!(reports[1]["line"], 3);
    let out = emfilter(&["check", "--file", "-"], Some("State==Bogus\n"));
    assert!(
        text(&out.stdout).contains("--> stdin:1:8"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn fmt_reports_invalid_filters_and_check_mode_finds_non_canonical_ones() {
    let out = emfilter(&["fmt", "Result==Failed", "JobNmae==x"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "Result==Failed\n");
    assert!(text(&out.stderr).contains("error[unknown-field]"));

    assert_eq!(
        emfilter(&["fmt", "--check", "Result==Failed"], None)
            .status
            .code(),
        Some(0)
    );
    let out = emfilter(&["fmt", "--check", "result==failed"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("+Result==Failed"));
}

/// `fmt` prints, it does not lint: what the filter asks the server is what its canonical form
/// asks (README, "The canonical form").
#[test]
fn fmt_never_changes_what_a_filter_asks_the_server() {
    // A bare GUID stays bare (lower case, unquoted); `""Backup""` stays EM's documented form,
    // and a word in quotes written the other way takes it.
    let out = emfilter(
        &[
            "fmt",
            "jobuid==DCE85686-59C8-42C4-8766-F1C00A5B8067;result==failed",
            r#"JobName==""Backup"""#,
            r#"JobName=="""Backup""""#,
            r#"jobuid=="urn:veeam:job:dce85686-59c8-42c4-8766-f1c00a5b8067""#,
            r#"creationtime>="2025-08-15T06:00:00Z""#,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067;Result==Failed\n\
         JobName==\"\"Backup\"\"\n\
         JobName==\"\"Backup\"\"\n\
         JobUid==urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067\n\
         CreationTime>=2025-08-15T06:00:00Z\n"
    );
    // The bare GUID's warning is still said, with its fix for `check --fix --unsafe-fixes`.
    assert!(text(&out.stderr).contains("warning[bare-guid]"));

    // Already canonical: `--check` agrees.
    let out = emfilter(
        &[
            "fmt",
            "--check",
            "JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067",
            r#"Name==""Backup"""#,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty());
}

/// A doubt that the canonical form would settle by a guess (spaces the server drops, `;` and `,`
/// mixed without parentheses, a date without a zone) leaves the filter as written, says so, and fails the run.
#[test]
fn fmt_leaves_a_filter_as_written_when_its_canonical_form_would_guess() {
    for (filter, code) in [
        ("JobName==SQL Replica", "unquoted-whitespace"),
        (
            "Result==Failed;IsRetry==True,State==Working",
            "mixed-and-or",
        ),
        (r#"CreationTime>="2021-06-15""#, "datetime-without-zone"),
    ] {
        let out = emfilter(&["fmt", "result==failed", filter], None);
        assert_eq!(out.status.code(), Some(1), "{filter}");
        assert_eq!(text(&out.stdout), format!("Result==Failed\n{filter}\n"));
        let err = text(&out.stderr);
        assert!(err.contains(&format!("warning[{code}]")), "{err}");
        assert!(
            err.contains(&format!(
                "emfilter: argument: left as written: its canonical form would settle the {code} \
                 above by a guess"
            )),
            "{err}"
        );
        let out = emfilter(&["fmt", "--check", filter], None);
        assert_eq!(out.status.code(), Some(1), "{filter}");
        assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    }
    // Once the doubt is settled by hand, fmt prints.
    let out = emfilter(&["fmt", r#"JobName=="SQL Replica""#], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "JobName==\"SQL Replica\"\n");
}

#[test]
fn colour_follows_the_terminal_and_no_color() {
    let out = emfilter(&["check", "--color", "always", "JobNmae==x"], None);
    assert!(text(&out.stdout).contains("\x1b["));
    let out = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(["check", "JobNmae==x"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!text(&out.stdout).contains('\x1b'));
}

#[test]
fn a_filter_that_is_not_utf8_is_reported_not_crashed_on() {
    let dir = crate::scratch::Scratch::new("utf8");
    let path = dir.join("bad.txt");
    std::fs::write(&path, b"JobName==\xff\n").unwrap();
    let out = emfilter(
        &[
            "check",
            "--format",
            "json",
            "--file",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let reports = json_reports(&out.stdout);
    assert_eq!(reports[0]["diagnostics"][0]["code"], "syntax");
    std::fs::remove_dir_all(&dir).unwrap();
}
