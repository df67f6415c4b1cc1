//! The linter under hostile and odd input (issue 10): no panic on multi-byte text or overlapping
//! finds, fixes applied in rounds and written once and atomically, files kept byte for byte outside
//! what was fixed, output escaped and bounded. Each test runs the real binary.

use std::path::Path;

use crate::lint::{emfilter, scratch};
use emfilter::Code;
use emfilter_lint::{Context, Kind, Linter};

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

/// Issue 10, item 1: a non-breaking space right before a URL.
#[test]
fn a_url_after_a_multibyte_space_is_found() {
    let dir = scratch("nbsp");
    write(
        &dir,
        "n.md",
        "Example:\u{a0}https://em01:9398/api/query?type=ReplicaJobSession&filter=Result==Failed\n",
    );
    let r = emfilter(&["check", "--scan", "n.md"], &dir);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("checked 1 query in 1 file: 0 invalid"),
        "{}",
        r.stderr
    );
}

/// Issue 10, item 2: a multi-byte character in a parameter value, as an argument and scanned.
#[test]
fn a_multibyte_parameter_value_is_reported() {
    let dir = scratch("multibyte-param");
    let r = emfilter(&["check", "--url", "type=Job&format=JSÖN"], &dir);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stdout.contains("`JSÖN` is not a format"), "{}", r.stdout);
    write(
        &dir,
        "q.sh",
        "curl '/api/query?type=Job&format=JSÖN'\ncurl '/api/query?type=Job&format=Entities'\n",
    );
    let r = emfilter(&["check", "--scan", "q.sh"], &dir);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("checked 2 queries in 1 file: 1 invalid"),
        "{}",
        r.stderr
    );
}

/// Issue 10, item 3: two finds that overlap, shown as a diff and fixed.
#[test]
fn overlapping_finds_diff_and_fix_without_panic() {
    let dir = scratch("overlap");
    let text = "'filter'=filter=J=💾\n";
    write(&dir, "m.txt", text);
    let r = emfilter(&["check", "--scan", "m.txt", "--diff"], &dir);
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("--- m.txt\n+++ m.txt\n"),
        "{}",
        r.stdout
    );
    // --diff reports the file as it is.
    assert!(r.stderr.contains("filter=J=💾"), "{}", r.stderr);
    assert_eq!(read(&dir, "m.txt"), text.as_bytes());
    let r = emfilter(&["check", "--scan", "m.txt", "--fix"], &dir);
    assert_ne!(r.status, 101, "{}", r.stderr);
    let once = read(&dir, "m.txt");
    let r = emfilter(&["check", "--scan", "m.txt", "--fix"], &dir);
    assert!(r.stderr.contains("fixed 0 problems"), "{}", r.stderr);
    assert_eq!(read(&dir, "m.txt"), once);
}

/// Issue 10, item 5: a filter found twice (a `filter` key whose value starts with `filter=`):
/// each round's edits are made against the text they were computed on.
#[test]
fn a_filter_found_twice_is_fixed_once() {
    let dir = scratch("found-twice");
    write(
        &dir,
        "p.py",
        "params={\"filter\": \"filter=Reslt==Failed\", \"type\": \"x\"}\n",
    );
    let r = emfilter(
        &["check", "--scan", "p.py", "--fix", "--unsafe-fixes"],
        &dir,
    );
    assert_eq!(
        String::from_utf8(read(&dir, "p.py")).unwrap(),
        "params={\"filter\": \"Result==Failed\", \"type\": \"x\"}\n",
        "{}",
        r.stderr
    );
    let r = emfilter(
        &["check", "--scan", "p.py", "--fix", "--unsafe-fixes"],
        &dir,
    );
    assert!(r.stderr.contains("fixed 0 problems"), "{}", r.stderr);
}

#[test]
fn a_leading_parameter_name_is_reported_with_a_safe_fix() {
    let linter = Linter::default();
    for (text, name) in [
        ("filter=Result==Failed", "filter="),
        ("&filter=Result==Failed", "&filter="),
        ("$filter=Result==Failed", "$filter="),
        ("FILTER=Result==Failed", "FILTER="),
    ] {
        let l = linter.lint(text, Kind::Filter, Context::default());
        let d = &l.diagnostics()[0];
        assert_eq!(d.code(), Code::ParameterNameInFilter, "{text}");
        assert_eq!(&text[d.span().range()], name);
        assert!(d.fix().unwrap().is_safe());
        assert_eq!(l.diagnostics().len(), 1, "{text}: {:?}", l.diagnostics());
        assert!(l.filter().is_none());
        assert_eq!(
            linter.fix(text, Kind::Filter, Context::default()).0,
            "Result==Failed"
        );
    }
    // A field that happens to be named like it, or a value: not the parameter's name.
    for text in ["filter==x", "JobName==filter=x"] {
        let l = linter.lint(text, Kind::Filter, Context::default());
        assert!(
            l.diagnostics()
                .iter()
                .all(|d| d.code() != Code::ParameterNameInFilter),
            "{text}"
        );
    }
}

/// Issue 10, item 7: 30 levels of nesting settle, and fixing twice changes nothing.
#[test]
fn deep_nesting_settles_and_a_second_fix_changes_nothing() {
    let dir = scratch("deep-fix");
    let filter = format!(
        "JobName==x;{}Result=Failed AND State=Stopped{}\n",
        "(".repeat(30),
        ")".repeat(30)
    );
    write(&dir, "f.txt", &filter);
    let r = emfilter(&["check", "-f", "f.txt", "--fix"], &dir);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let once = String::from_utf8(read(&dir, "f.txt")).unwrap();
    assert_eq!(
        once,
        format!(
            "JobName==x;{}Result==Failed;State==Stopped{}\n",
            "(".repeat(30),
            ")".repeat(30)
        )
    );
    let r = emfilter(&["check", "-f", "f.txt", "--fix", "--unsafe-fixes"], &dir);
    assert!(r.stderr.contains("fixed 0 problems"), "{}", r.stderr);
    assert_eq!(String::from_utf8(read(&dir, "f.txt")).unwrap(), once);
}

/// Issue 10, item 6: BOM, CRLF and the bytes around a fix survive; permissions are kept; a symbolic
/// link is followed and stays a link; UTF-16 of an odd length is refused, not altered.
#[cfg(unix)]
#[test]
fn fixes_keep_encoding_line_endings_permissions_and_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("keep-bytes");
    let mut bytes = b"\xEF\xBB\xBF# caf\xC3\xA9\r\n".to_vec();
    bytes.extend_from_slice(
        b"$u = \"$em/api/query?type=ReplicaJobSession&filter=Result=Failed\"\r\n",
    );
    bytes.extend_from_slice(b"# tail \xE2\x9C\x93 without newline");
    write(&dir, "a.ps1", &bytes);
    std::fs::set_permissions(dir.join("a.ps1"), std::fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink("a.ps1", dir.join("link.ps1")).unwrap();
    let r = emfilter(&["check", "--scan", "link.ps1", "--fix"], &dir);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let want: Vec<u8> = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("Result=Failed", "Result==Failed")
        .into_bytes();
    assert_eq!(read(&dir, "a.ps1"), want);
    assert!(std::fs::symlink_metadata(dir.join("link.ps1"))
        .unwrap()
        .file_type()
        .is_symlink());
    let mode = std::fs::metadata(dir.join("a.ps1"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // UTF-16 with a BOM but an odd number of bytes is no text: left alone.
    let mut odd = vec![0xFF, 0xFE];
    for u in "x = '/api/query?type=Job&filter=Platform=vCloud'".encode_utf16() {
        odd.extend(u.to_le_bytes());
    }
    odd.push(b'!');
    write(&dir, "odd.ps1", &odd);
    emfilter(&["check", "--scan", "odd.ps1", "--fix"], &dir);
    assert_eq!(read(&dir, "odd.ps1"), odd);
}

/// Issue 10, item 6: a file that cannot be written is reported, and the others are still written.
#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_written_does_not_stop_the_others() {
    let dir = scratch("unwritable");
    std::fs::create_dir_all(dir.join("locked")).unwrap();
    let line = "u = '/api/query?type=ReplicaJobSession&filter=Result=Failed'\n";
    write(&dir, "locked/a.py", line);
    write(&dir, "b.py", line);
    // A file whose fix its encoding cannot hold (Latin-1 bytes, a fix is ASCII: always holds), and
    // a folder that refuses the temporary file: root ignores permissions, so a name too long for
    // the folder's file system stands in for the failure when running as root.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = std::fs::write(dir.join("locked/probe"), "x").is_ok();
    let r = emfilter(&["check", "--scan", "locked/a.py", "b.py", "--fix"], &dir);
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        read(&dir, "b.py"),
        line.replace("Result=Failed", "Result==Failed").as_bytes()
    );
    if !writable {
        assert_eq!(r.status, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("cannot write `locked/a.py`"),
            "{}",
            r.stderr
        );
        assert_eq!(read(&dir, "locked/a.py"), line.as_bytes());
    }
}

/// `--scan` says which symbolic links and special files it skipped.
#[cfg(unix)]
#[test]
fn scan_says_what_it_skipped() {
    let dir = scratch("skipped");
    std::fs::create_dir_all(dir.join("tree")).unwrap();
    write(&dir, "tree/a.sh", "curl '/api/query?type=Job'\n");
    std::os::unix::fs::symlink("a.sh", dir.join("tree/link.sh")).unwrap();
    let fifo = dir.join("tree/pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let r = emfilter(&["check", "--scan", "tree"], &dir);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("skipped `tree/link.sh`: a symbolic link"),
        "{}",
        r.stderr
    );
    if made.is_ok_and(|s| s.success()) {
        assert!(
            r.stderr.contains("skipped `tree/pipe`: a named pipe"),
            "{}",
            r.stderr
        );
        // Named on the command line, a pipe is not read either (it could block forever).
        let r = emfilter(&["check", "--scan", "tree/pipe"], &dir);
        assert!(
            r.stderr.contains("skipped `tree/pipe`: a named pipe"),
            "{}",
            r.stderr
        );
    }
}

/// SARIF says the run did not succeed when a file could not be read.
#[test]
fn sarif_execution_fails_when_a_file_cannot_be_read() {
    let dir = scratch("sarif-fail");
    write(&dir, "a.sh", "curl '/api/query?type=Job'\n");
    let r = emfilter(&["check", "--scan", "a.sh", "--format", "sarif"], &dir);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    let r = emfilter(
        &["check", "--scan", "a.sh", "missing.sh", "--format", "sarif"],
        &dir,
    );
    assert_eq!(r.status, 2);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["level"] == "error"
        && n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("missing.sh")));
}

/// Issue 10, item 15: escape sequences in filters, file contents and file names are escaped in
/// human output; a file name with a line break cannot start a workflow command.
#[test]
fn control_characters_are_escaped_in_human_and_github_output() {
    let dir = scratch("escapes");
    let r = emfilter(&["check", "CreationTime>\u{1b}[2Jx"], &dir);
    assert_eq!(r.status, 1);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    assert!(r.stdout.contains("\\u{1b}[2Jx"), "{}", r.stdout);
    let name = "evil\n::error file=x,line=1::forged.sh";
    write(
        &dir,
        name,
        "curl '/api/query?type=Job&filter=Result==Failed'\n".repeat(12),
    );
    for format in ["github", "human"] {
        let r = emfilter(&["check", "--scan", ".", "--format", format], &dir);
        assert!(
            !r.stdout.lines().any(|l| l.starts_with("::error file=x")),
            "{format}: {}",
            r.stdout
        );
        assert!(
            !r.stderr.lines().any(|l| l.starts_with("::")),
            "{}",
            r.stderr
        );
    }
}

/// Issue 10, item 13: a long filter with many problems prints bounded output: messages quote at
/// most 80 characters and one filter lists at most 100 diagnostics, then counts the rest.
#[test]
fn output_is_bounded_for_a_long_filter_with_many_problems() {
    let dir = scratch("bounded");
    let filter = format!("JobName==x{}", " AND a=1".repeat(8000));
    write(&dir, "f.txt", format!("{filter}\n"));
    let r = emfilter(&["check", "-f", "f.txt"], &dir);
    assert_eq!(r.status, 0, "only warnings");
    assert!(r.stdout.len() < 200_000, "{} bytes", r.stdout.len());
    assert!(
        r.stdout.contains("[too-many-diagnostics]: and "),
        "{}",
        &r.stdout[..2000]
    );
    let l = Linter::default().lint(&filter, Kind::Filter, Context::default());
    assert_eq!(l.diagnostics().len(), emfilter_lint::MAX_DIAGNOSTICS + 1);
    assert!(l.diagnostics().iter().all(|d| d.message().len() < 400));
}
