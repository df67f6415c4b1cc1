//! `emfilter eval`: the input shapes giving the same matches, unreadable records with their
//! locations, types that cannot be evaluated, and the output.

use emfilter::eval::EntityFormat;
use emfilter::schema::{self, Schema};

use crate::cli::emfilter;
use crate::records::session;
use crate::scratch::Scratch;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/eval");

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const BACKUP_TASK: &str = r#"{"JobSessionUid":"urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae","CreationTimeUTC":"2014-10-19T05:23:44Z","EndTimeUTC":"2014-10-19T05:31:02.1Z","State":"Completed","Result":"Warning","Reason":"Changed block tracking cannot be enabled","TotalSize":32212254720,"VmDisplayName":"srv04","Name":"srv04@2014-10-19 05:23:44","UID":"urn:veeam:BackupTaskSession:88767486-89d6-4340-92f0-2ad615a8f21b","Links":[{"Rel":"Up","Href":"https://em:9398/api/backupServers/ce15a8c7-aa49-495e-b05b-ee3398c91018","Name":"srv02.veeam.local","Type":"BackupServerReference"},{"Rel":"Up","Href":"https://em:9398/api/backupSessions/d46e39e0-1131-4585-91a7-e828ce7eafae","Name":"Fileserver Backup@2014-10-19 05:22:52","Type":"BackupJobSessionReference"}],"Href":"https://em:9398/api/backupTaskSessions/88767486-89d6-4340-92f0-2ad615a8f21b?format=Entity","Type":"BackupTaskSession"}"#;

#[test]
fn a_task_session_filter_on_its_parent_job_is_not_evaluated() {
    let schema = schema::builtin("BackupTaskSession").unwrap();
    for (filter, field) in [
        ("JobName==\"Fileserver Backup\"", "JobName"),
        (
            "Result==Failed;JobUid==urn:veeam:Job:4856ab37-2235-45e8-affe-d515878b01a9",
            "JobUid",
        ),
    ] {
        let typed = emfilter::compile(filter, schema).unwrap();
        let e = typed.entity_format().unwrap_err();
        assert_eq!(e.field.as_deref(), Some(field));
        assert!(
            e.to_string()
                .contains(&format!("has no element for `{field}`")),
            "{e}"
        );
    }
    // The command line says so before reading anything, and exits 2.
    let out = emfilter(
        &[
            "eval",
            "--type",
            "backuptasksession",
            "--filter",
            "JobName==x",
        ],
        Some(BACKUP_TASK),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr)
            .contains("a `BackupTaskSession` filter on `JobName` can be checked but not evaluated"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    // Without the parent job's fields, the command line evaluates task sessions read from
    // standard input as JSON lines.
    let out = emfilter(
        &[
            "eval",
            "--type",
            "BackupTaskSession",
            "--filter",
            "VmDisplayName==srv04",
        ],
        Some(&format!("{BACKUP_TASK}\n")),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim_end(), BACKUP_TASK);
}

#[test]
fn other_types_can_be_checked_but_not_evaluated() {
    let schema: &'static Schema = schema::builtin("Repository").unwrap();
    let e = EntityFormat::for_schema(schema).unwrap_err();
    assert!(
        e.to_string()
            .contains("`Repository` can be checked but not evaluated yet"),
        "{e}"
    );
    let out = emfilter(
        &["eval", "--type", "Repository", "--filter", "Capacity>5"],
        Some(""),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("can be checked but not evaluated yet"));
}

// ---- the command line -------------------------------------------------------------------------

const FILTERS: [&str; 6] = [
    "Result>Success",
    "Result!=Success",
    "EndTime!=2026-11-20T07:02:35.28Z",
    r#"JobName=="sql replica";JobUid==urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067"#,
    "BackupServerUid==urn:veeam:BackupServer:15942270-fb56-4dcc-96e9-5f80e4725a15",
    "IsRetry==False,CreationTime<2026-11-21T00:00:00Z",
];

#[test]
fn every_input_shape_gives_the_same_matches() {
    let jsonl = std::fs::read_to_string(data("replica-sessions.jsonl")).unwrap();
    let lines: Vec<&str> = jsonl.lines().collect();
    for filter in FILTERS {
        let mut outputs = Vec::new();
        for file in [
            "replica-sessions.jsonl",
            "query-result-replica-sessions.json",
            "replica-sessions-flat.json",
            "replica-sessions-array.json",
        ] {
            let out = emfilter(&["eval", "--filter", filter, &data(file)], None);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{filter} {file}: {}",
                text(&out.stderr)
            );
            outputs.push(text(&out.stdout));
        }
        assert!(!outputs[0].is_empty(), "{filter} matches something");
        for o in &outputs {
            assert_eq!(o, &outputs[0], "{filter}");
            // Each match is one of the records, byte for byte, on one line.
            for line in o.lines() {
                assert!(lines.contains(&line), "{line}");
            }
        }
    }
    // The running session is the third.
    let out = emfilter(
        &[
            "eval",
            "--filter",
            "Result==None",
            &data("replica-sessions.jsonl"),
        ],
        None,
    );
    assert_eq!(text(&out.stdout), format!("{}\n", lines[2]));
}

/// Pages of a query result saved into one file, one after the other (`curl … >> pages.json`),
/// are read as one input: every page's sessions, in order.
#[test]
fn saved_pages_one_after_the_other_are_all_read() {
    let page = std::fs::read_to_string(data("query-result-replica-sessions.json")).unwrap();
    let one = emfilter(&["eval", "--filter", "Result!=Success"], Some(&page));
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    let per_page = text(&one.stdout);
    assert!(!per_page.is_empty());
    // Pretty pages one after the other (each starting with its byte-order mark removed), and
    // the same pages compacted to one line each.
    let body = page.trim_start_matches('\u{feff}');
    let compact: String = serde_json::from_str::<serde_json::Value>(body)
        .unwrap()
        .to_string();
    // serde_json's Value sorts the members: the compacted pages are compared by count.
    let count = |input: &str| {
        let out = emfilter(
            &["eval", "--count", "--filter", "Result!=Success"],
            Some(input),
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout).trim().parse::<usize>().unwrap()
    };
    let matches = per_page.lines().count();
    let pretty = format!("{page}{body}\n{body}");
    let out = emfilter(&["eval", "--filter", "Result!=Success"], Some(&pretty));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), per_page.repeat(3));
    assert_eq!(
        count(&format!("{compact}\n{compact}\n{compact}\n")),
        3 * matches
    );
    // A broken record in the second page says which page.
    let broken = format!(
        "{compact}\n{}",
        compact.replacen("\"Result\":\"", "\"Result\":", 1)
    );
    let out = emfilter(
        &["eval", "--count", "--filter", "Result==Failed"],
        Some(&broken),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("document 2, index 0"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn standard_input_and_several_files() {
    let jsonl = std::fs::read_to_string(data("replica-sessions.jsonl")).unwrap();
    let out = emfilter(
        &["eval", "--count", "--filter", "Result!=Success"],
        Some(&jsonl),
    );
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), "2\n".to_owned())
    );
    let flat = data("replica-sessions-flat.json");
    let out = emfilter(
        &[
            "eval",
            "--count",
            "--filter",
            "Result!=Success",
            &flat,
            "-",
            &flat,
        ],
        Some(&jsonl),
    );
    assert_eq!(text(&out.stdout), "6\n");
}

#[test]
fn count_prints_only_the_number() {
    let out = emfilter(
        &[
            "eval",
            "--count",
            "--filter",
            "State==Stopped",
            &data("query-result-replica-sessions.json"),
        ],
        None,
    );
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), "2\n".to_owned())
    );
}

#[test]
fn case_sensitive_is_an_option() {
    let file = data("replica-sessions.jsonl");
    let f = r#"JobName=="sql replica""#;
    let out = emfilter(&["eval", "--count", "--filter", f, &file], None);
    assert_eq!(text(&out.stdout), "2\n");
    let out = emfilter(
        &["eval", "--count", "--case-sensitive", "--filter", f, &file],
        None,
    );
    assert_eq!(text(&out.stdout), "0\n");
}

#[test]
fn an_invalid_filter_is_reported_as_check_reports_it_and_nothing_is_read() {
    for filter in [
        "Resutl==Failed;JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067",
        "Result==",
        "(a",
    ] {
        let check = emfilter(&["check", "--color", "never", filter], None);
        assert_eq!(check.status.code(), Some(1));
        // Standard input would block if it were read: it is left open and empty here.
        let eval = emfilter(&["eval", "--color", "never", "--filter", filter], Some(""));
        assert_eq!(eval.status.code(), Some(2), "{filter}");
        assert!(eval.stdout.is_empty());
        assert_eq!(
            text(&eval.stderr),
            format!("{}{}", text(&check.stdout), text(&check.stderr)),
            "{filter}"
        );
    }
}

/// A file `name` holding `content` in a scratch folder of its own (removed with the folder).
fn write_temp(name: &str, content: &str) -> (Scratch, std::path::PathBuf) {
    let dir = Scratch::new("eval");
    let path = dir.file(name, content.as_bytes());
    (dir, path)
}

#[test]
fn an_unreadable_line_is_an_error_naming_file_and_line() {
    let good = session(serde_json::json!({}));
    let input = format!(
        "{good}\n\n{}\n{good}\n{}",
        session(serde_json::json!({"EndTimeUTC": "tomorrow"})),
        &good[..good.len() / 2]
    );
    let (_dir, path) = write_temp("bad.jsonl", &input);
    let p = path.to_str().unwrap();
    let out = emfilter(
        &["eval", "--filter", "EndTime>2000-01-01T00:00:00Z", p],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!(
            "{p}:3: cannot read the record: `EndTimeUTC`: \"tomorrow\" is not a date-time"
        )),
        "{err}"
    );
    // The record before it was written; nothing after it.
    assert_eq!(text(&out.stdout).lines().count(), 1);

    let out = emfilter(
        &[
            "eval",
            "--skip-invalid",
            "--filter",
            "EndTime>2000-01-01T00:00:00Z",
            p,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("warning: {p}:3: skipped an unreadable record")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "warning: {p}:5: skipped an unreadable record: EOF while parsing"
        )),
        "{err}"
    );
    assert!(err.contains("skipped 2 unreadable records of 4"), "{err}");
    assert_eq!(text(&out.stdout).lines().count(), 2);
    let _ = std::fs::remove_file(path);
}

#[test]
fn an_unreadable_array_element_is_named_by_its_index() {
    let good = session(serde_json::json!({}));
    let bad = session(serde_json::json!({"CreationTimeUTC": 20261121}));
    let (_dir, path) = write_temp(
        "bad-array.json",
        &format!("[\n{good},\n{bad},\n{good}\n]\n"),
    );
    let p = path.to_str().unwrap();
    let out = emfilter(
        &["eval", "--filter", "CreationTime>2000-01-01T00:00:00Z", p],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(&format!(
            "{p}: the record at index 1: cannot read the record"
        )),
        "{}",
        text(&out.stderr)
    );
    let out = emfilter(
        &[
            "eval",
            "--count",
            "--skip-invalid",
            "--filter",
            "CreationTime>2000-01-01T00:00:00Z",
            p,
        ],
        None,
    );
    assert_eq!(
        (out.status.code(), text(&out.stdout)),
        (Some(0), "2\n".to_owned())
    );
    assert!(text(&out.stderr).contains("skipped 1 unreadable record of 3"));

    // A document that breaks off cannot be read past the break, even with --skip-invalid.
    let truncated = format!("{{\"ReplicaJobSessions\": [\n{good},\n{}", &good[..40]);
    let (_dir, path) = write_temp("truncated.json", &truncated);
    let p = path.to_str().unwrap();
    for extra in [&[][..], &["--skip-invalid"][..]] {
        let mut args = vec!["eval", "--filter", "Result==Failed", p];
        args.extend_from_slice(extra);
        let out = emfilter(&args, None);
        assert_eq!(out.status.code(), Some(1));
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!(
                "{p}: the record at index 1 is not well-formed JSON: EOF while parsing"
            )),
            "{err}"
        );
        assert!(err.contains("at line 3 column 40"), "{err}");
        assert_eq!(text(&out.stdout).lines().count(), 1);
    }
}

#[test]
fn a_query_result_of_another_type_says_so() {
    let out = emfilter(
        &[
            "eval",
            "--type",
            "BackupJobSession",
            "--filter",
            "Result==Failed",
            &data("query-result-replica-sessions.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "this JSON document has no `BackupJobSessions` (the collection of BackupJobSession \
             records); it holds `ReplicaJobSessions` (give `--type ReplicaJobSession`)"
        ),
        "{}",
        text(&out.stderr)
    );
}

/// Writes `files` (name, content) to a scratch folder of their own; their paths.
fn scratch_files(test: &str, files: &[(&str, &[u8])]) -> (std::path::PathBuf, Vec<String>) {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("eval-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let paths = files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path.to_string_lossy().into_owned()
        })
        .collect();
    (dir, paths)
}

#[test]
fn json_that_is_not_the_types_records_is_an_error_not_zero_matches() {
    let em_error = r#"{"FirstChanceExceptionMessage": null, "Message": "Invalid filter expression.", "StackTrace": null, "Status": null, "StatusCode": 400}"#;
    for (input, want) in [
        (
            em_error,
            "<stdin>:1: cannot read the record: an Enterprise Manager error (status 400: \
             \"Invalid filter expression.\"), not a ReplicaJobSession entity",
        ),
        (
            r#"{"foo":1}"#,
            "<stdin>:1: cannot read the record: holds none of the fields of a ReplicaJobSession \
             entity (it holds `foo`)",
        ),
        (
            r#"[{"foo":1}]"#,
            "<stdin>: the record at index 0: cannot read the record: holds none of the fields",
        ),
        (
            r#"{"Jobs":[{"Name":"x"}]}"#,
            "<stdin>:1: cannot read the record: holds none of the fields of a ReplicaJobSession \
             entity (it holds `Jobs`)",
        ),
        (
            "{\"Entities\": {\"Jobs\": [{\"Name\":\"x\"}]}}",
            "this JSON document has no `ReplicaJobSessions`",
        ),
    ] {
        for extra in [&[][..], &["--count"][..]] {
            let mut args = vec!["eval", "--filter", "Result==Failed"];
            args.extend_from_slice(extra);
            let out = emfilter(&args, Some(input));
            assert_eq!(out.status.code(), Some(1), "{input}: {}", text(&out.stderr));
            assert!(
                text(&out.stderr).contains(want),
                "{input}: {}",
                text(&out.stderr)
            );
            assert!(out.stdout.is_empty(), "{input}");
        }
    }
}

#[test]
fn skip_invalid_reads_every_file_and_names_every_skip() {
    let good = session(serde_json::json!({})).replace('\n', "");
    let other = session(serde_json::json!({"Result": "Success"})).replace('\n', "");
    let lines = format!("{good}\n{{\"foo\":1}}\n{other}\n");
    let broken = format!("[{good},\n {{\"Result\": ");
    let later = format!("[{good}]\n{{\"foo\":[]}}\n[{good}]");
    let (_dir, paths) = scratch_files(
        "skip",
        &[
            ("lines.jsonl", lines.as_bytes()),
            ("broken.json", broken.as_bytes()),
            ("binary.json", b"\0\x01\x02"),
            ("later.json", later.as_bytes()),
            ("last.jsonl", format!("{good}\n").as_bytes()),
        ],
    );
    let mut args = vec!["eval", "--filter", "Result==Failed", "--skip-invalid"];
    args.extend(paths.iter().map(String::as_str));
    let out = emfilter(&args, None);
    let err = text(&out.stderr);
    // Every readable record was read: the first of lines, the first of broken and later, last.
    assert_eq!(text(&out.stdout).lines().count(), 4, "{err}");
    // A file not read to its end fails the run, but does not stop the files after it.
    assert_eq!(out.status.code(), Some(1), "{err}");
    for want in [
        "lines.jsonl:2: skipped an unreadable record: holds none of the fields",
        "broken.json: the record at index 1 is not well-formed JSON",
        "binary.json: a binary file, not JSON (a NUL byte at offset 0)",
        "later.json: JSON document 2 of it has no `ReplicaJobSessions`",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    let summary = err.lines().last().unwrap();
    assert!(
        summary.starts_with("emfilter: skipped 1 unreadable record of "),
        "{summary}"
    );
    assert!(summary.contains("lines.jsonl: line 2"), "{summary}");
    for name in ["broken.json", "binary.json", "later.json"] {
        assert!(summary.contains(name), "{summary}");
    }
    assert!(!summary.contains("last.jsonl"), "{summary}");
    // Without --skip-invalid, the first broken record stops the run.
    let mut args = vec!["eval", "--filter", "Result==Failed"];
    args.extend(paths.iter().map(String::as_str));
    let out = emfilter(&args, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout).lines().count(), 1);
    assert!(text(&out.stderr).contains("lines.jsonl:2: cannot read the record"));
}
