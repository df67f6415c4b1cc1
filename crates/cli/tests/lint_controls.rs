//! The controls a repository needs to leave the linter on in CI (issue 11): inline suppression,
//! safe and unsafe fixes, `explain`, `--statistics`, `--exit-zero`, `--quiet`. Each test runs the
//! real binary.

use std::path::Path;

use crate::lint::{emfilter, scratch};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

const SCRIPT: &str = "\
# emfilter: ignore[bare-guid]
u1 = '/api/query?type=ReplicaJobSession&filter=JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067'
u2 = '/api/query?type=ReplicaJobSession&filter=Reslt==Failed'  // emfilter: ignore
u3 = '/api/query?type=ReplicaJobSession&filter=Result==Sucess'
# emfilter: ignore[unknown-field, no-such-code]
u4 = '/api/query?type=ReplicaJobSession&filter=Result==Failed'
";

#[test]
fn suppression_comments_silence_their_line_and_the_next_and_unused_ones_are_noted() {
    let dir = scratch("suppress");
    write(&dir, "s.py", SCRIPT);
    let r = emfilter(&["check", "--scan", "s.py"], &dir);
    assert_eq!(r.status, 1, "Sucess is still an error: {}", r.stdout);
    assert!(!r.stdout.contains("[bare-guid]"), "{}", r.stdout);
    assert!(!r.stdout.contains("[unknown-field]"), "{}", r.stdout);
    assert!(
        r.stdout.contains("error[unknown-enum-value]"),
        "{}",
        r.stdout
    );
    // The last comment silences nothing, and names a code that does not exist.
    assert!(
        r.stdout.contains("note[unused-suppression]: this suppression silences nothing: `no-such-code` is no diagnostic code"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--> s.py:5:3"), "{}", r.stdout);
    assert_eq!(
        r.stdout.matches("unused-suppression").count(),
        1,
        "{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("checked 4 queries in 1 file: 1 invalid"),
        "{}",
        r.stderr
    );
    // Silenced problems are not fixed either.
    let r = emfilter(
        &["check", "--scan", "s.py", "--fix", "--unsafe-fixes"],
        &dir,
    );
    assert!(
        r.stderr.contains("fixed 1 problem in 1 text"),
        "{}",
        r.stderr
    );
    let fixed = read(&dir, "s.py");
    assert!(fixed.contains("JobUid==dce85686"), "{fixed}");
    assert!(fixed.contains("filter=Reslt==Failed"), "{fixed}");
    assert!(fixed.contains("filter=Result==Success"), "{fixed}");
}

#[test]
fn fix_applies_safe_fixes_and_says_how_many_need_unsafe_fixes() {
    let dir = scratch("safe-fixes");
    write(
        &dir,
        "q.sh",
        "curl '/api/query?type=ReplicaJobSession&filter=Result=Failed AND JobNmae==x&State==Stopped'\n",
    );
    let r = emfilter(&["check", "--scan", "q.sh", "--diff"], &dir);
    assert!(
        r.stdout.contains("+curl '/api/query?type=ReplicaJobSession&filter=Result==Failed;JobNmae==x&State==Stopped'"),
        "{}",
        r.stdout
    );
    // --diff reports the file as it is: the `AND` hides the misspelt field until it is fixed.
    assert!(
        r.stderr
            .contains("= unsafe fix (--unsafe-fixes): replace `&` with `;`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("= fix: replace ` AND ` with `;`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("2 more fixes are unsafe"), "{}", r.stderr);
    let r = emfilter(
        &["check", "--scan", "q.sh", "--fix", "--unsafe-fixes"],
        &dir,
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        read(&dir, "q.sh"),
        "curl '/api/query?type=ReplicaJobSession&filter=Result==Failed;JobName==x;State==Stopped'\n"
    );
}

#[test]
fn explain_prints_a_rule_and_lists_them_all() {
    let dir = scratch("explain");
    let r = emfilter(&["explain", "stray-filter-clause"], &dir);
    assert_eq!(r.status, 0);
    assert!(
        r.stdout.starts_with("stray-filter-clause (error)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("unsafe: only --fix --unsafe-fixes applies it"),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout,
        emfilter_lint::rules::explain(emfilter::Code::StrayFilterClause)
    );
    let r = emfilter(&["explain"], &dir);
    assert_eq!(r.stdout.lines().count(), emfilter::Code::ALL.len());
    let r = emfilter(&["explain", "unknwn-field"], &dir);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("did you mean `unknown-field`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn statistics_exit_zero_and_quiet() {
    let dir = scratch("statistics");
    write(&dir, "f.txt", "JobNmae==x\nJobNmae==y\nResult=Failed\n");
    let r = emfilter(&["check", "-f", "f.txt", "--statistics"], &dir);
    assert_eq!(r.status, 1);
    assert_eq!(
        r.stdout,
        "2  unknown-field            error  \n1  syntax                   error    [*] --fix\n"
    );
    let r = emfilter(&["check", "-f", "f.txt", "--exit-zero", "--quiet"], &dir);
    assert_eq!(r.status, 0);
    assert!(r.stdout.contains("error[unknown-field]"));
    assert_eq!(r.stderr, "");
    // A file that cannot be read is still a failure.
    let r = emfilter(&["check", "--scan", "missing.sh", "--exit-zero"], &dir);
    assert_eq!(r.status, 2);
}

/// Issue 11, item 1: a URL or filter in code ends where the host's string ends; template
/// expressions are opaque whatever they hold; nothing a placeholder causes is an error.
#[test]
fn templates_and_host_strings_cause_no_false_errors() {
    let dir = scratch("templates");
    let files = [
        (
            "report.erb",
            "<% rows = get(\"#{em}/api/query?type=ReplicaJobSession&filter=JobName==%22<%= job %>%22;Result==Failed\") %>\n",
        ),
        (
            "play.yaml",
            "    url: \"{{ em }}/api/query?type=ReplicaJobSession&filter=JobName==%22{{ job_name | urlencode }}%22\"\n",
        ),
        (
            "bare.yaml",
            "url: https://em:9398/api/query?type=ReplicaJobSession&filter=JobName==%22{{ job_name | urlencode }}%22&pageSize=10\n",
        ),
        (
            "runbook.md",
            "Query `https://em:9398/api/query?type=ReplicaJobSession&filter=JobName==\"<job name>\"` for one job.\n",
        ),
        (
            "Get-Jobs.ps1",
            "$r = Invoke-RestMethod \"https://$($Server):9398/api/query?type=ReplicaJobSession&pageSize=1\"\n\
             $s = Invoke-RestMethod \"https://${Server}:9398/api/query?type=ReplicaJobSession&filter=JobName==%22$Server%22\"\n",
        ),
    ];
    for (name, text) in files {
        write(&dir, name, text);
        let r = emfilter(&["check", "--scan", name], &dir);
        assert_eq!(r.status, 0, "{name}: {}\n{}", r.stdout, r.stderr);
        assert!(!r.stdout.contains("error["), "{name}: {}", r.stdout);
        assert!(!r.stdout.contains("warning["), "{name}: {}", r.stdout);
        assert!(
            r.stdout.contains("note[skipped-placeholder]"),
            "{name}: {}",
            r.stdout
        );
    }
    // Around a placeholder, the rest is still checked.
    write(
        &dir,
        "bad.yaml",
        "url: https://em:9398/api/query?type=ReplicaJobSession&filter=JobName==%22{{ job | urlencode }}%22;Reslt==Failed\n",
    );
    let r = emfilter(&["check", "--scan", "bad.yaml"], &dir);
    assert_eq!(r.status, 1);
    assert!(r.stdout.contains("`Reslt` is not a field"), "{}", r.stdout);
}

/// JSON findings from scanned files give the filter's column and byte offset in its file, in the
/// file's own bytes (past a byte-order mark, in UTF-16 units).
#[test]
fn json_gives_column_and_byte_offset_in_the_file() {
    let dir = scratch("json-offsets");
    let line = "x = 'é'; u = '/api/query?type=Job&filter=Name==x'\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(line.as_bytes());
    std::fs::write(dir.join("a.py"), &bytes).unwrap();
    let r = emfilter(&["check", "--scan", "a.py", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let at = line.find("/api").unwrap();
    assert_eq!(v[0]["column"], line[..at].chars().count() + 1);
    assert_eq!(v[0]["offset"], 3 + at);
    assert_eq!(&bytes[3 + at..3 + at + 4], b"/api");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in line.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(dir.join("b.ps1"), &utf16).unwrap();
    let r = emfilter(&["check", "--scan", "b.ps1", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["offset"], 2 + 2 * line[..at].encode_utf16().count());
    // Filters given as arguments have neither.
    let r = emfilter(&["check", "Result==Failed", "--format", "json"], &dir);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v[0].get("offset").is_none() && v[0].get("column").is_none());
}
