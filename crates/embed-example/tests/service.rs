//! The example service, through its handler and over a real socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use emfilter_embed_example::{schema, Service, Session};

fn service() -> Service {
    Service::new(Session::samples())
}

fn jobs(body: &serde_json::Value) -> Vec<(String, String)> {
    body["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["job"].as_str().unwrap().to_owned(),
                s["outcome"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_schema_allows_four_fields_under_the_apis_names() {
    let s = schema();
    let names: Vec<&str> = s.fields().iter().map(|f| f.name()).collect();
    assert_eq!(names, ["job", "started", "ended", "outcome"]);
    let em: Vec<&str> = s.fields().iter().map(|f| f.em_name()).collect();
    assert_eq!(em, ["JobName", "CreationTime", "EndTime", "Result"]);
}

#[test]
fn a_valid_filter_selects_sessions_and_says_what_em_would_be_sent() {
    // outcome>=warning;started>=2025-11-21T00:00:00Z, percent-encoded as a caller sends it.
    let r = service()
        .handle("/sessions?filter=outcome%3E%3Dwarning%3Bstarted%3E%3D2025-11-21T00%3A00%3A00Z");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        jobs(&r.body),
        [
            ("SQL Replica".to_owned(), "Failed".to_owned()),
            ("Exchange Replica".to_owned(), "Warning".to_owned())
        ]
    );
    assert_eq!(
        r.body["filter"],
        "outcome>=Warning;started>=2025-11-21T00:00:00Z"
    );
    assert_eq!(
        r.body["em_filter"],
        "Result>=Warning;CreationTime>=2025-11-21T00:00:00Z"
    );
    assert_eq!(r.body["warnings"], serde_json::json!([]));
}

#[test]
fn em_semantics_hold_on_the_services_own_records() {
    let s = service();
    // A running session has no end: neither == nor != holds on it.
    let r = s.handle("/sessions?filter=ended!=2020-01-01T00:00:00Z");
    assert_eq!(jobs(&r.body).len(), 3);
    // Strings compare without regard to case; `None` is not Success.
    let r = s.handle("/sessions?filter=job==%22exchange+replica%22;outcome!=success");
    assert_eq!(jobs(&r.body).len(), 2, "{}", r.body);
}

#[test]
fn an_invalid_filter_is_a_400_with_the_diagnostics_as_json() {
    let r = service().handle("/sessions?filter=JobUid%3D%3Dx%3Boutcom%3D%3DFailed");
    assert_eq!(r.status, 400);
    let d = r.body["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{}", r.body);
    // A field the allow-list leaves out: the help names only the allowed fields.
    assert_eq!(d[0]["code"], "unknown-field");
    assert_eq!(d[0]["span"], serde_json::json!({"start": 0, "end": 6}));
    assert_eq!(
        d[0]["help"],
        "the fields of ReplicaJobSession allowed here are job, started, ended, outcome"
    );
    // A misspelt one: a fix to the API's own name.
    assert_eq!(d[1]["code"], "unknown-field");
    assert_eq!(d[1]["fix"]["replacement"], "outcome");
    assert_eq!(r.body["filter"], "JobUid==x;outcom==Failed");
}

#[test]
fn warnings_are_returned_with_the_answer() {
    let r = service().handle("/sessions?filter=job==SQL+Replica");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["warnings"][0]["code"], "unquoted-whitespace");
    assert_eq!(r.body["filter"], "job==\"SQL Replica\"");
}

#[test]
fn hostile_filters_are_answered_not_crashed_on() {
    let s = service();
    let deep = format!("/sessions?filter={}", "%28".repeat(10_000));
    assert_eq!(s.handle(&deep).status, 400);
    let long = format!("/sessions?filter=job=={}", "x".repeat(100_000));
    let r = s.handle(&long);
    assert_eq!(r.status, 400);
    assert_eq!(r.body["diagnostics"][0]["code"], "filter-too-long");
    assert_eq!(s.handle("/sessions?filter=%FF%FE").status, 400);
    assert_eq!(s.handle("/nowhere").status, 404);
}

#[test]
fn the_binary_serves_it_over_http() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_emfilter-embed-example"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let addr = first
        .trim()
        .trim_start_matches("listening on http://")
        .to_owned();
    let get = |target: &str| {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    };
    let ok = get("/sessions?filter=outcome%3D%3DFailed");
    let bad = get("/sessions?filter=outcome%3D%3DFaild");
    child.kill().unwrap();
    let _ = child.wait();
    assert!(ok.starts_with("HTTP/1.1 200 OK"), "{ok}");
    assert!(ok.contains("\"SQL Replica\""), "{ok}");
    assert!(bad.starts_with("HTTP/1.1 400 Bad Request"), "{bad}");
    assert!(bad.contains("\"unknown-enum-value\""), "{bad}");
}
