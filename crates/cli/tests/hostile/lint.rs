//! The linter's layers under input built to make them slow or loud (issue 10, items 12 and 13):
//! every input that took quadratic time or printed quadratic output before is run on the release
//! binary with a bound on its time and its measured peak memory. The inputs are large enough that
//! quadratic work would take minutes (20,000 parameters took over a minute; 240 KB of `{{`, 24 s);
//! linear work takes well under a second, so the bounds (generous, for a shared machine) tell one
//! from the other. Measured times are in BENCHMARKS.md.

use std::time::Duration;

use super::{hostile, Scratch, MIB};

/// The time bound: linear runs take well under a second.
const T: Duration = Duration::from_secs(30);
/// The memory bound: a few times the input, far from what quadratic copies would take.
const M: u64 = 256 * MIB;

/// A length limit above every input here, so that the layers themselves are measured, not the
/// limit that cuts a long line first.
const NO_LIMIT: &str = "100000000";

fn repeat(piece: &str, bytes: usize) -> String {
    piece.repeat(bytes / piece.len())
}

/// `--urls` with `filter=JobName=={{{{…` (240 KB): placeholders end within 256 bytes.
#[test]
fn braces_without_end_in_a_url() {
    let dir = Scratch::new("lint-braces");
    let line = format!(
        "/api/query?type=ReplicaJobSession&filter=JobName=={}\n",
        repeat("{{", 240_000)
    );
    let urls = dir.file("urls.txt", line.as_bytes());
    let urls = urls.to_string_lossy();
    let run = hostile(&["check", "--length-limit", NO_LIMIT, "--urls", &urls])
        .bounds(T, M)
        .run();
    run.assert_no_panic().assert_code(0);
    // Cut first by the length limit, and said.
    let run = hostile(&["check", "--urls", &urls]).bounds(T, M).run();
    run.assert_no_panic().assert_code(1);
    assert!(run.out().contains("filter-too-long"), "{}", run.out());
    // And scanned in a PowerShell script, where `{{` is a placeholder's start.
    let script = format!(
        "$u = \"$em/api/query?type=Job&filter=Name=={}\"\n",
        repeat("{{", 240_000)
    );
    dir.file("s.ps1", script.as_bytes());
    let run = hostile(&["check", "--scan", "s.ps1"])
        .dir(&dir.0)
        .bounds(T, M)
        .run();
    run.assert_no_panic();
}

/// `$a` repeated in a URL, and `$(` without end: each placeholder is read once.
#[test]
fn dollar_placeholders_repeated() {
    let dir = Scratch::new("lint-dollars");
    for piece in ["$a", "$(", "${", "<%", "%s", "\" + x + \""] {
        let line = format!(
            "/api/query?type=ReplicaJobSession&filter=JobName=={}\n",
            repeat(piece, 240_000)
        );
        let urls = dir.file("urls.txt", line.as_bytes());
        let run = hostile(&[
            "check",
            "--length-limit",
            NO_LIMIT,
            "--urls",
            &urls.to_string_lossy(),
        ])
        .bounds(T, M)
        .run();
        run.assert_no_panic();
    }
}

/// `?typ&typ&…`: 20,000 parameters, each misspelt, each compared with the others once.
#[test]
fn twenty_thousand_parameters() {
    let dir = Scratch::new("lint-params");
    let url = format!(
        "/api/query?{}filter=Result==Failed\n",
        "typ&".repeat(20_000)
    );
    let urls = dir.file("urls.txt", url.as_bytes());
    let run = hostile(&[
        "check",
        "--length-limit",
        NO_LIMIT,
        "--urls",
        &urls.to_string_lossy(),
    ])
    .bounds(T, M)
    .run();
    run.assert_no_panic().assert_code(1);
    // One query: its diagnostics are capped, the rest counted.
    assert!(
        run.out().contains("[too-many-diagnostics]"),
        "{}",
        &run.out()[..2000]
    );
    assert!(
        run.stdout_len < 2 * MIB,
        "{} bytes of output",
        run.stdout_len
    );
}

/// `:filter ` repeated to 320 KB, and 25,000 `filter=` on one line, in a scanned file.
#[test]
fn filter_keys_repeated_on_one_line() {
    let dir = Scratch::new("lint-keys");
    for (name, line) in [
        ("colon.yaml", repeat(":filter ", 320_000)),
        ("eq.txt", repeat("filter=", 25_000 * 7)),
        ("eqx.txt", repeat("filter=(x ", 320_000)),
        ("quoted.py", repeat("'filter': 'x', ", 320_000)),
        ("pairs.yaml", repeat("- name: filter value: ", 320_000)),
        ("urls.txt", repeat("/api/query?", 320_000)),
        ("xml.xml", repeat("<name>filter</name>", 320_000)),
    ] {
        dir.file(name, format!("{line}\n").as_bytes());
        let run = hostile(&["check", "--scan", name])
            .dir(&dir.0)
            .bounds(T, M)
            .run();
        run.assert_no_panic();
        assert!(
            run.stdout_len < 64 * MIB,
            "{name}: {} bytes",
            run.stdout_len
        );
    }
}

/// Minified JavaScript: one long line of code holding many query URLs and filters.
#[test]
fn minified_javascript() {
    let dir = Scratch::new("lint-minified");
    let piece = "var a=fetch(e+\"/api/query?type=ReplicaJobSession&filter=Result==Failed&pageSize=\"+n),b={filter:\"JobName==x\",t:1};";
    let js = repeat(piece, 2_000_000);
    dir.file("app.min.js", js.as_bytes());
    let run = hostile(&["check", "--scan", "app.min.js"])
        .dir(&dir.0)
        .bounds(T, M)
        .run();
    run.assert_no_panic().assert_code(1);
}

/// `&#&#…` in an XML file: a character reference is looked for in the next few bytes only.
#[test]
fn character_references_without_end_in_xml() {
    let dir = Scratch::new("lint-xml");
    let xml = format!(
        "<url>https://em/api/query?type=ReplicaJobSession&amp;filter=JobName=={}</url>\n",
        repeat("&#", 320_000)
    );
    dir.file("export.xml", xml.as_bytes());
    let run = hostile(&["check", "--scan", "export.xml"])
        .dir(&dir.0)
        .bounds(T, M)
        .run();
    run.assert_no_panic();
}

/// Item 13: a 64 KB filter with a keyword every few bytes printed 515 MB before; messages quote
/// at most 80 characters and a filter lists at most 100 diagnostics.
#[test]
fn a_long_filter_with_many_problems_prints_little() {
    let dir = Scratch::new("lint-loud");
    let filter = format!("JobName==x{}", repeat(" AND a=1", 64_000));
    let file = dir.file("f.txt", format!("{filter}\n").as_bytes());
    let run = hostile(&["check", "-f", &file.to_string_lossy()])
        .bounds(T, M)
        .run();
    run.assert_no_panic().assert_code(0);
    assert!(
        run.stdout_len < 256 * 1024,
        "{} bytes of output",
        run.stdout_len
    );
    assert!(
        run.out().contains("[too-many-diagnostics]: and "),
        "{}",
        run.out()
    );
}

/// `--fix` of a file with thousands of fixes on one line and 30 levels of nesting: rounds stay
/// bounded, and the file is written once.
#[test]
fn fix_of_many_problems_is_bounded() {
    let dir = Scratch::new("lint-fix");
    let line = repeat(
        "u='/api/query?type=ReplicaJobSession&filter=Result=Failed AND State=Stopped' ",
        1_000_000,
    );
    let deep = format!(
        "f = 'filter={}Result=Failed AND State=Stopped{}'",
        "(".repeat(30),
        ")".repeat(30)
    );
    dir.file("many.sh", format!("{line}\n{deep}\n").as_bytes());
    let run = hostile(&["check", "--scan", "many.sh", "--fix"])
        .dir(&dir.0)
        .bounds(T, M)
        .run();
    run.assert_no_panic().assert_code(0);
    let again = hostile(&["check", "--scan", "many.sh", "--fix"])
        .dir(&dir.0)
        .bounds(T, M)
        .run();
    again.assert_no_panic();
    assert!(again.err().contains("fixed 0 problems"), "{}", again.err());
}
