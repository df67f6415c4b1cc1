//! `emfilter sql` and `emfilter rows`, run as the real binary.

use std::path::PathBuf;

use crate::cli::emfilter;

fn out(args: &[&str]) -> (String, String, Option<i32>) {
    let o = emfilter(args, None);
    (
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
        o.status.code(),
    )
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/eval")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn sql_prints_the_statement_and_its_parameters() {
    let (stdout, stderr, status) = out(&[
        "sql",
        "--dialect",
        "postgresql",
        r#"JobName=="SQL Replica";Result>=Warning"#,
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "SELECT * FROM \"ReplicaJobSession\" WHERE \"JobName_folded\" = $1 AND \"Result\" IN ($2, $3)\n\
         -- $1: text \"sql replica\"\n\
         -- $2: text \"Warning\"\n\
         -- $3: text \"Failed\"\n"
    );
    assert_eq!(stderr, "");
}

#[test]
fn sql_takes_a_table_columns_options_and_dialects() {
    let (stdout, _, status) = out(&[
        "sql",
        "-d",
        "SPARK",
        "--table",
        "archive.em_sessions",
        "--column",
        "jobname=job",
        "--inline",
        "--case-sensitive",
        "JobName==\"O'Brien\";EndTime<2026-01-01T00:00:00Z",
    ]);
    assert_eq!(status, Some(0));
    assert_eq!(
        stdout,
        "SELECT * FROM `archive`.`em_sessions` WHERE `job` = 'O\\'Brien' AND `EndTime_ticks` < 17672256000000000\n"
    );
    let (stdout, _, _) = out(&["sql", "-d", "sqlite", "--format", "json", "IsRetry==true"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "dialect": "sqlite",
            "type": "ReplicaJobSession",
            "filter": "IsRetry==True",
            "sql": "SELECT * FROM `ReplicaJobSession` WHERE `IsRetry` = ?",
            "condition": "`IsRetry` = ?",
            "params": [{"placeholder": "1", "type": "bool", "value": true}],
        })
    );
}

#[test]
fn an_invalid_filter_is_reported_as_check_reports_it() {
    let filter = "JobNmae==x;Result==Sucess";
    let (_, stderr, status) = out(&["sql", "-d", "duckdb", "--color", "never", filter]);
    assert_eq!(status, Some(2));
    let (check_out, check_err, _) = out(&["check", "--color", "never", filter]);
    assert_eq!(stderr, format!("{check_out}{check_err}"));
}

#[test]
fn a_refused_filter_is_reported_with_its_code_and_place() {
    let (stdout, stderr, status) = out(&[
        "sql",
        "--type",
        "backuptasksession",
        "-d",
        "postgresql",
        "--color",
        "never",
        "Result==Failed;JobName==x",
    ]);
    assert_eq!(status, Some(1));
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("error[sql-unmapped-field]: `JobName` has no column in the mapping"),
        "{stderr}"
    );
    assert!(stderr.contains(" --> argument:1:16\n"), "{stderr}");
    // The library's help says what to do; the command line adds the flag that does it.
    assert!(
        stderr.contains(
            "= help: map `JobName` to a column that holds it (`--column JobName=<column>`)\n"
        ),
        "{stderr}"
    );
    assert!(stderr.ends_with("checked 1 filter: 1 invalid, 1 error, 0 warnings\n"));
    // Given a column, it is translated.
    let (stdout, _, status) = out(&[
        "sql",
        "--type",
        "backuptasksession",
        "-d",
        "postgresql",
        "--column",
        "JobName=job_name",
        "Result==Failed;JobName==x",
    ]);
    assert_eq!(status, Some(0));
    assert!(stdout.contains(r#""job_name_folded" = $2"#), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["sql", "-d", "oracle", "Result==Failed"][..],
        &[
            "sql",
            "-d",
            "sqlite",
            "--column",
            "JobName",
            "Result==Failed",
        ],
        &[
            "sql",
            "-d",
            "sqlite",
            "--column",
            "NoSuchField=x",
            "Result==Failed",
        ],
        &[
            "sql",
            "-d",
            "postgresql",
            "--table",
            "a..b",
            "Result==Failed",
        ],
        &[
            "sql",
            "-d",
            "sqlite",
            "--column",
            "Name=jobname",
            "Result==Failed",
        ],
        &["sql", "-d", "sqlite"],
        &["sql", "-d", "sqlite", "--type", "Nope", "Result==Failed"],
    ] {
        let (stdout, stderr, status) = out(args);
        assert_eq!(status, Some(2), "{args:?}: {stdout}{stderr}");
        assert!(!stderr.is_empty());
    }
}

#[test]
fn create_table_prints_the_table_rows_fills() {
    let (stdout, _, status) = out(&["sql", "--create-table", "-d", "sqlite"]);
    assert_eq!(status, Some(0));
    assert!(stdout.starts_with("CREATE TABLE `ReplicaJobSession` (\n  `UID` TEXT,\n"));
    let (stdout, _, _) = out(&[
        "sql",
        "--create-table",
        "-d",
        "spark",
        "--type",
        "Job",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["table"], "`Job`");
    assert!(v["sql"].as_str().unwrap().ends_with(") USING parquet;\n"));
    assert_eq!(
        v["columns"][0],
        serde_json::json!({"name": "UID", "type": "STRING"})
    );
    // The columns are those of `emfilter rows`, in its order.
    let (rows, _, _) = out(&["rows", &data("replica-sessions.jsonl")]);
    let (table, _, _) = out(&["sql", "--create-table", "-d", "duckdb", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&table).unwrap();
    let names: Vec<String> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("\"{}\"", c["name"].as_str().unwrap()))
        .collect();
    assert_eq!(rows.lines().next().unwrap(), names.join(","));
}

#[test]
fn rows_reads_every_shape_eval_reads() {
    let mut outputs = Vec::new();
    for file in [
        "replica-sessions.jsonl",
        "replica-sessions-array.json",
        "replica-sessions-flat.json",
        "query-result-replica-sessions.json",
    ] {
        let (stdout, stderr, status) = out(&["rows", "--format", "jsonl", &data(file)]);
        assert_eq!(status, Some(0), "{file}: {stderr}");
        let rows: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(!rows.is_empty(), "{file}");
        outputs.push(rows);
    }
    let first = &outputs[0][0];
    assert!(first["UID"]
        .as_str()
        .unwrap()
        .starts_with("urn:veeam:ReplicaJobSession:"));
    assert!(first["CreationTime_ticks"].is_i64());
    assert_eq!(
        first["JobName_folded"],
        first["JobName"].as_str().unwrap().to_lowercase()
    );
}

#[test]
fn rows_stops_at_an_unreadable_record_unless_told_to_skip() {
    let dir = crate::scratch::Scratch::new("rows");
    let file = dir.join("bad.jsonl");
    std::fs::write(
        &file,
        "{\"Result\":\"Failed\"}\n{\"CreationTimeUTC\":\"yesterday\"}\n{\"Result\":\"Success\"}\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let (stdout, stderr, status) = out(&["rows", &path]);
    assert_eq!(status, Some(1));
    assert_eq!(stdout.lines().count(), 2, "the header and the first row");
    assert!(
        stderr.contains(&format!("{path}:2: cannot read the record")),
        "{stderr}"
    );
    let (stdout, stderr, status) = out(&["rows", "--skip-invalid", &path]);
    assert_eq!(status, Some(0));
    assert_eq!(stdout.lines().count(), 3);
    assert!(
        stderr.contains("skipped 1 unreadable record of 3"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
