//! The rendered outputs of one fixed scan (tests/fixtures/scan), in every format, as reviewed
//! snapshots: a change of wording, order, location or shape in any of them shows up as a diff to
//! accept (`INSTA_UPDATE=always` or `cargo insta review`), never silently.

use std::path::Path;

use crate::lint::emfilter;

/// `emfilter check --scan . --format FORMAT` in the scan fixtures, and what it printed.
fn scan(format: &str) -> (i32, String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan");
    let r = emfilter(&["check", "--scan", ".", "--format", format], &dir);
    (r.status, r.stdout, r.stderr)
}

#[test]
fn human() {
    let (status, stdout, stderr) = scan("human");
    assert_eq!(status, 1);
    insta::assert_snapshot!("human", format!("{stdout}\n--- stderr\n{stderr}"));
}

#[test]
fn json() {
    let (status, stdout, _) = scan("json");
    assert_eq!(status, 1);
    insta::assert_snapshot!("json", stdout);
}

#[test]
fn sarif() {
    let (status, stdout, _) = scan("sarif");
    assert_eq!(status, 1);
    // The scanned folder's absolute URI (`originalUriBaseIds`) is the machine's, not the output's.
    let stdout: Vec<String> = stdout
        .lines()
        .map(|l| match l.split_once("\"uri\": \"file://") {
            Some((indent, _)) => format!("{indent}\"uri\": \"file:///<the scanned folder>/\""),
            None => l.to_owned(),
        })
        .collect();
    insta::assert_snapshot!("sarif", stdout.join("\n"));
}

#[test]
fn github() {
    let (status, stdout, _) = scan("github");
    assert_eq!(status, 1);
    insta::assert_snapshot!("github", stdout);
}

#[test]
fn junit() {
    let (status, stdout, _) = scan("junit");
    assert_eq!(status, 1);
    insta::assert_snapshot!("junit", stdout);
}
