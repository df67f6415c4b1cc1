//! The query type from context (issue 11, item 2): a `type` key beside a filter in the same
//! container picks its schema, and every report says which type a filter was checked against and
//! where that came from. Each test runs the real binary.

use std::path::Path;

use crate::lint::{emfilter, scratch};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const SCRIPT: &str = r#"params = {"type": "Job", "filter": "JobType==Backup"}
$p = @{ type = 'BackupTaskSession'; filter = 'State==Completed' }
bad = {"type": "Job", "filter": "JobTyp==Backup"}
url = "https://em:9398/api/query?type=Job&filter=JobType==Backup"
plain = {"filter": "Result==Failed"}
"#;

#[test]
fn a_sibling_type_key_picks_the_schema_and_reports_say_so() {
    let dir = scratch("types-sibling");
    write(&dir, "s.py", SCRIPT);
    let r = emfilter(&["check", "--scan", "s.py"], &dir);
    assert_eq!(r.status, 1, "{}{}", r.stdout, r.stderr);
    // Only the misspelt field, checked against Job, from line 3.
    assert_eq!(r.stdout.matches("error[").count(), 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("`JobTyp` is not a field of Job"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("= note: checked as Job (the `type` key on line 3)"),
        "{}",
        r.stdout
    );

    let r = emfilter(&["check", "--scan", "s.py", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let types: Vec<(String, serde_json::Value)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["type"].as_str().unwrap().to_owned(),
                o["type_source"].clone(),
            )
        })
        .collect();
    use serde_json::json as j;
    assert_eq!(
        types,
        [
            ("Job".to_owned(), j!({"from": "sibling", "line": 1})),
            (
                "BackupTaskSession".to_owned(),
                j!({"from": "sibling", "line": 2})
            ),
            ("Job".to_owned(), j!({"from": "sibling", "line": 3})),
            ("Job".to_owned(), j!({"from": "url"})),
            ("ReplicaJobSession".to_owned(), j!({"from": "default"})),
        ]
    );

    let r = emfilter(&["check", "--scan", "s.py", "--format", "sarif"], &dir);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["properties"]["type"], "Job");
    assert_eq!(
        result["properties"]["typeSource"],
        j!({"from": "sibling", "line": 3})
    );
}

#[test]
fn the_command_line_type_is_the_fallback_and_is_said() {
    let dir = scratch("types-cli");
    write(&dir, "s.py", SCRIPT);
    let r = emfilter(
        &[
            "check", "--scan", "s.py", "--type", "Job", "--format", "json",
        ],
        &dir,
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let last = v.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "Job");
    assert_eq!(
        last["type_source"],
        serde_json::json!({"from": "command-line"})
    );
    // A sibling still wins over --type.
    assert_eq!(v[1]["type"], "BackupTaskSession");
}

#[test]
fn an_unknown_sibling_type_is_reported_not_defaulted() {
    let dir = scratch("types-unknown");
    write(
        &dir,
        "s.py",
        "a = {\"type\": \"Jobb\", \"filter\": \"JobType==Backup\"}\n\
         b = {\"type\": \"rest\", \"filter\": \"JobType==Backup\"}\n",
    );
    let r = emfilter(&["check", "--scan", "s.py"], &dir);
    assert_eq!(r.status, 1, "{}", r.stdout);
    // A misspelt type: an error at the type, with did-you-mean; its filter is not checked.
    assert!(
        r.stdout
            .contains("error[unknown-query-type]: `Jobb` is not a query type"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("did you mean `Job`?"), "{}", r.stdout);
    assert!(r.stdout.contains(" --> s.py:1:15"), "{}", r.stdout);
    // A type that is no query type at all (`rest`): the filter is not checked, and a note says
    // why; no error is made up.
    assert!(
        r.stdout.contains(
            "note[unchecked-type]: the filter was not checked: its query type `rest`, from the \
             `type` key on line 2, is not one this tool knows"
        ),
        "{}",
        r.stdout
    );
    assert_eq!(r.stdout.matches("error[").count(), 1, "{}", r.stdout);
    // The unsafe fix renames the type; the filter is then checked against it, and is right.
    let r = emfilter(
        &["check", "--scan", "s.py", "--fix", "--unsafe-fixes"],
        &dir,
    );
    let text = std::fs::read_to_string(dir.join("s.py")).unwrap();
    assert!(text.starts_with("a = {\"type\": \"Job\", "), "{text}");
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_whole_url_given_as_a_filter_is_checked_as_a_url() {
    let dir = scratch("types-url-as-filter");
    let url = "https://em:9398/api/query?type=Job&filter=JobType==Backup&pageSize=1";
    let r = emfilter(&["check", url], &dir);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("checked 1 query"), "{}", r.stderr);
    let r = emfilter(
        &[
            "check",
            "https://em:9398/api/query?type=Job&filter=JobTyp==Backup",
        ],
        &dir,
    );
    assert_eq!(r.status, 1);
    assert!(
        r.stdout.contains("`JobTyp` is not a field of Job"),
        "{}",
        r.stdout
    );
    // A line of a filter file too.
    write(
        &dir,
        "filters.txt",
        "Result==Failed\n/api/query?type=Job&filter=JobType==Backup\n",
    );
    let r = emfilter(&["check", "-f", "filters.txt"], &dir);
    assert_eq!(r.status, 0, "{}{}", r.stdout, r.stderr);
}
