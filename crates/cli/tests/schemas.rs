//! `emfilter types`, `emfilter fields` and `--type` on the command line, over the built-in
//! schemas.

use std::process::{Command, Output};

use emfilter::schema::{self, Schema};

fn schema(name: &str) -> &'static Schema {
    schema::builtin(name).unwrap_or_else(|| panic!("no built-in schema {name}"))
}

// ---- The command line ----

fn emfilter(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(args)
        .output()
        .expect("the emfilter binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 output")
}

#[test]
fn cli_done_when() {
    let session = emfilter(&[
        "check",
        "--type",
        "BackupJobSession",
        r#"Result==Failed;CreationTime>="2025-08-15T06:00:00Z""#,
    ]);
    assert_eq!(session.status.code(), Some(0), "{}", stderr(&session));
    assert!(stdout(&session).is_empty(), "{}", stdout(&session));

    let job = emfilter(&["check", "--type", "Job", "jobtype==backup;platform==hyperv"]);
    assert_eq!(job.status.code(), Some(0), "{}", stderr(&job));

    let platform = emfilter(&[
        "check",
        "--type",
        "Job",
        "--color",
        "never",
        "Platform==vSphere",
    ]);
    assert_eq!(platform.status.code(), Some(1));
    let text = stdout(&platform);
    assert!(text.contains("unknown-enum-value"), "{text}");
    assert!(text.contains("VMware, Hyperv, vCloud"), "{text}");

    let types = emfilter(&["types"]);
    assert_eq!(types.status.code(), Some(0));
    // The library's list (tests/schemas.rs checks it against the reference's), in its order.
    let names: Vec<&str> = schema::builtins().iter().map(|s| s.name()).collect();
    assert_eq!(stdout(&types).lines().collect::<Vec<_>>(), names);
}

#[test]
fn cli_type_in_any_case() {
    for t in ["backupjobsession", "BACKUPJOBSESSION", "backupJobSession"] {
        let out = emfilter(&["check", "--type", t, "Result==Failed"]);
        assert_eq!(out.status.code(), Some(0), "{t}: {}", stderr(&out));
    }
    let out = emfilter(&["fmt", "--type", "backupServer", "port>=9392"]);
    assert_eq!(stdout(&out), "Port>=9392\n");
}

#[test]
fn cli_unknown_type_suggests() {
    let out = emfilter(&["check", "--type", "BackupJobSesion", "Result==Failed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `BackupJobSession`?"),
        "{}",
        stderr(&out)
    );
    let out = emfilter(&["fields", "NoSuchType"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown query type `NoSuchType`"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn cli_fields_prints_the_table() {
    let out = emfilter(&["fields", "backupfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("BackupFile: 11 fields\n"), "{text}");
    assert!(text.contains(
        "source: https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_backupfile.html"
    ));
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip_while(|l| !l.starts_with("FIELD"))
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    let s = schema("BackupFile");
    assert_eq!(rows.len(), s.fields().len());
    for (row, f) in rows.iter().zip(s.fields()) {
        assert_eq!(row[0], f.name());
    }
    assert_eq!(rows[2][..4], ["CreationTimeUTC", "DateTime", "yes", "yes"]);
    assert_eq!(
        rows[3][..6],
        ["BackupSize", "Int64", "[docs:", "Long]", "yes", "yes"]
    );
    assert_eq!(rows[5][..2], ["CompressRatio", "Double"]);
    assert_eq!(
        rows[6],
        ["FileType", "Enum", "yes", "yes", "vbk,", "vib,", "vrb"]
    );
    assert_eq!(rows[0][1], "UidType(BackupFile)");

    let sessions = stdout(&emfilter(&["fields", "BackupJobSession"]));
    assert!(sessions.contains("Success, Warning, Failed; also seen, undocumented: None"));
    let passwords = stdout(&emfilter(&["fields", "Passwords"]));
    assert!(
        passwords.contains("PasswordKeyID     String                 yes     no"),
        "{passwords}"
    );
}

#[test]
fn cli_fields_and_types_as_json() {
    let out = emfilter(&["fields", "job", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["name"], "Job");
    assert_eq!(
        v["fields"].as_array().unwrap().len(),
        schema("Job").fields().len()
    );
    let platform = &v["fields"][5];
    assert_eq!(platform["name"], "Platform");
    assert_eq!(platform["type"], "Enum");
    assert_eq!(
        platform["values"],
        serde_json::json!(["VMware", "Hyperv", "vCloud"])
    );
    assert_eq!(v["fields"][8]["resource"], "BackupServer");
    assert_eq!(v["fields"][8]["filterable"], true);

    let out = emfilter(&["types", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let all = v.as_array().unwrap();
    assert_eq!(all.len(), 48);
    assert_eq!(all[4]["name"], "BackupFile");
    assert_eq!(all[4]["fields"], 11);
    assert!(all[4]["note"].as_str().unwrap().contains("CreationTimeUTC"));
}
