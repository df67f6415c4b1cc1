//! The controls a repository needs to leave the linter on in CI (issue 11): inline suppression,
//! safe and unsafe fixes, `explain`, `--statistics`, `--exit-zero`, `--quiet`. Each test runs the
//! real binary.

use std::path::Path;

use crate::lint::{emfilter, scratch, Scratch};

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

// ---------------------------------------------------------------------------------------------
// emfilter.toml: found from the scanned path upwards; exclude, per-file-ignores, types; every
// problem of the file a diagnostic at its line and column.

/// A repository with a settings file in its root and scripts in folders below it.
fn repository(name: &str, settings: &str) -> Scratch {
    let dir = scratch(name);
    for sub in ["zabbix/jobs", "vendor/lib", "legacy", "scripts"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    write(&dir, "emfilter.toml", settings);
    write(
        &dir,
        "zabbix/jobs/template.yaml",
        "url: \"/api/query?filter=JobType==Backup;Platform==HyperV\"\n",
    );
    write(
        &dir,
        "zabbix/jobs/params.json",
        "{\"type\": \"BackupTaskSession\", \"filter\": \"State==Pending;TotalSize>1024\"}\n",
    );
    write(
        &dir,
        "vendor/lib/client.py",
        "u = '/api/query?type=ReplicaJobSession&filter=JobNmae==x'\n",
    );
    write(
        &dir,
        "legacy/Get-Old.ps1",
        "$u = \"/api/query?type=ReplicaJobSession&filter=JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067\"\n",
    );
    write(
        &dir,
        "scripts/report.py",
        "u = '/api/query?type=ReplicaJobSession&filter=JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067'\n",
    );
    dir
}

const SETTINGS: &str = "\
exclude = [\"vendor\"]

[per-file-ignores]
\"legacy/*.ps1\" = [\"bare-guid\"]

[types]
\"zabbix/**\" = \"Job\"
";

#[test]
fn settings_are_found_from_the_scanned_path_upwards_not_from_the_current_folder() {
    let dir = repository("settings-found", SETTINGS);
    // Run from elsewhere (a folder with no settings file above it), naming the repository.
    let elsewhere = scratch("settings-elsewhere");
    let repo = dir.to_str().unwrap();
    let r = emfilter(&["check", "--scan", repo, "--format", "json"], &elsewhere);
    let reports: Vec<serde_json::Value> = serde_json::from_str(&r.stdout).unwrap();
    let sources: Vec<&str> = reports
        .iter()
        .map(|o| o["source"].as_str().unwrap())
        .collect();
    // vendor/ is excluded, and the run says so.
    assert!(!sources.iter().any(|s| s.contains("vendor")), "{sources:?}");
    assert!(
        r.stderr
            .contains("1 file not scanned: excluded by `exclude` in"),
        "{}",
        r.stderr
    );
    // The zabbix template's filter is a Job filter ([types]): no finding but the missing type.
    let zabbix = reports
        .iter()
        .find(|o| o["source"].as_str().unwrap().ends_with("template.yaml"))
        .unwrap();
    let codes: Vec<&str> = zabbix["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["invalid-query-parameter"], "{zabbix}");
    assert_eq!(zabbix["type"], "Job");
    assert_eq!(
        zabbix["type_source"],
        serde_json::json!({"from": "config", "glob": "zabbix/**"})
    );
    // A `type` key beside the filter still wins over [types] (URL > sibling > [types] > --type).
    let sibling = reports
        .iter()
        .find(|o| o["source"].as_str().unwrap().ends_with("params.json"))
        .unwrap();
    assert_eq!(sibling["type"], "BackupTaskSession", "{sibling}");
    assert_eq!(sibling["type_source"]["from"], "sibling", "{sibling}");
    assert_eq!(sibling["diagnostics"], serde_json::json!([]), "{sibling}");
    // bare-guid is ignored in legacy/*.ps1 only.
    let bare: Vec<&str> = reports
        .iter()
        .filter(|o| o["diagnostics"].to_string().contains("bare-guid"))
        .map(|o| o["source"].as_str().unwrap())
        .collect();
    assert_eq!(bare.len(), 1, "{bare:?}");
    assert!(bare[0].ends_with("scripts/report.py"), "{bare:?}");

    // A file named on the command line finds the same settings from its own folder.
    let r = emfilter(
        &["check", "--scan", "template.yaml", "--format", "json"],
        &dir.join("zabbix/jobs"),
    );
    assert!(!r.stdout.contains("unknown-field"), "{}", r.stdout);
    // An excluded file is not read even when named (pre-commit names every file).
    let r = emfilter(&["check", "--scan", "vendor/lib/client.py"], &dir);
    assert_eq!(r.status, 0, "{}", r.stdout);
    assert!(r.stderr.contains("1 file not scanned"), "{}", r.stderr);
    // Without the settings file the same scan finds what they set aside.
    std::fs::remove_file(dir.join("emfilter.toml")).unwrap();
    let r = emfilter(&["check", "--scan", ".", "--format", "json"], &dir);
    assert!(r.stdout.contains("vendor"), "{}", r.stdout);
    assert_eq!(r.stdout.matches("\"bare-guid\"").count(), 2, "{}", r.stdout);
    assert!(r.stdout.contains("unknown-field"), "{}", r.stdout);
}

#[test]
fn scanned_paths_under_different_settings_files_are_refused() {
    let dir = repository("settings-two", SETTINGS);
    write(
        &dir,
        "scripts/emfilter.toml",
        "[lints]\nbare-guid = \"deny\"\n",
    );
    let r = emfilter(&["check", "--scan", "zabbix", "scripts"], &dir);
    assert_eq!(r.status, 2);
    assert!(
        r.stderr.contains("have different settings files"),
        "{}",
        r.stderr
    );
    // Each alone is checked with its own: the nearest file above the path.
    let r = emfilter(&["check", "--scan", "scripts"], &dir);
    assert_eq!(r.status, 1, "bare-guid denied: {}", r.stdout);
}

/// Runs a scan under `settings` and returns what it printed on standard error (exit 2).
fn refused(name: &str, settings: &str) -> String {
    let dir = repository(name, settings);
    let r = emfilter(&["check", "--scan", "."], &dir);
    assert_eq!(r.status, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "nothing is checked: {}", r.stdout);
    assert!(
        r.stderr.contains("has 1 problem: nothing was checked"),
        "{}",
        r.stderr
    );
    r.stderr
}

#[test]
fn settings_syntax_is_reported_at_its_line_and_column() {
    let err = refused("settings-syntax", "exclude = [\"vendor\"]\n[lints\n");
    assert!(err.contains("error[settings-syntax]"), "{err}");
    assert!(err.contains("emfilter.toml:2:7"), "{err}");
}

#[test]
fn settings_that_are_not_utf8_are_a_settings_syntax_problem() {
    let dir = repository("settings-utf8", "");
    std::fs::write(
        dir.join("emfilter.toml"),
        b"[lints]\nbare-guid = \"al\xfflow\"\n",
    )
    .unwrap();
    let r = emfilter(&["check", "--scan", "."], &dir);
    assert_eq!(r.status, 2, "{}", r.stderr);
    assert!(r.stderr.contains("error[settings-syntax]"), "{}", r.stderr);
    assert!(r.stderr.contains("emfilter.toml:2:16"), "{}", r.stderr);
    assert!(r.stderr.contains("not UTF-8"), "{}", r.stderr);
}

#[test]
fn unknown_setting_names_the_closest_with_a_fix() {
    // A code spelt with `_` (the issue's `bare_guid`).
    let err = refused("settings-unknown-code", "[lints]\nbare_guid = \"allow\"\n");
    assert!(
        err.contains("error[unknown-setting]: `bare_guid` is not a diagnostic code"),
        "{err}"
    );
    assert!(err.contains("emfilter.toml:2:1"), "{err}");
    assert!(err.contains("did you mean `bare-guid`?"), "{err}");
    assert!(
        err.contains("fix: replace `bare_guid` with `bare-guid`"),
        "{err}"
    );
    // A misspelt key of the file, and a key that is no setting at all.
    let err = refused("settings-unknown-key", "exlude = [\"vendor\"]\n");
    assert!(
        err.contains("`exlude` is not a setting of `emfilter.toml`"),
        "{err}"
    );
    assert!(
        err.contains("fix: replace `exlude` with `exclude`"),
        "{err}"
    );
    // The issue's `default-type`: pointed at [types], not called an unknown level.
    let err = refused("settings-default-type", "default-type = \"Job\"\n");
    assert!(err.contains("`default-type` is not a setting"), "{err}");
    assert!(err.contains("[types]"), "{err}");
    assert!(!err.contains("level"), "{err}");
    // A code in [per-file-ignores] that is none.
    let err = refused(
        "settings-unknown-ignore",
        "[per-file-ignores]\n\"legacy/*\" = [\"bare-guid\", \"unknwn-field\"]\n",
    );
    assert!(err.contains("emfilter.toml:2:28"), "{err}");
    assert!(
        err.contains("fix: replace `\"unknwn-field\"` with `\"unknown-field\"`"),
        "{err}"
    );
}

#[test]
fn invalid_setting_says_what_the_value_must_be() {
    let err = refused("settings-level", "[lints]\nmixed-and-or = \"error\"\n");
    assert!(
        err.contains("error[invalid-setting]: `error` is not a lint level"),
        "{err}"
    );
    assert!(err.contains("emfilter.toml:2:16"), "{err}");
    assert!(
        err.contains("fix: replace `\"error\"` with `\"deny\"`"),
        "{err}"
    );
    // A query type in [lints] (`default-type = "Job"` put there) is sent to [types].
    let err = refused("settings-level-type", "[lints]\nunknown-field = \"Job\"\n");
    assert!(err.contains("[types]"), "{err}");
    let err = refused("settings-type", "[types]\n\"zabbix/**\" = \"Jobb\"\n");
    assert!(err.contains("`Jobb` is not a query type"), "{err}");
    assert!(
        err.contains("fix: replace `\"Jobb\"` with `\"Job\"`"),
        "{err}"
    );
    let err = refused("settings-glob", "exclude = [\"vendor/[a\"]\n");
    assert!(err.contains("`vendor/[a` is not a glob"), "{err}");
    let err = refused("settings-list", "exclude = \"vendor\"\n");
    assert!(
        err.contains("fix: replace `\"vendor\"` with `[\"vendor\"]`"),
        "{err}"
    );
    let err = refused("settings-fatal", "[lints]\nsyntax = \"allow\"\n");
    assert!(err.contains("`syntax` is always an error"), "{err}");
}

#[test]
fn hostile_settings_are_refused_without_a_panic() {
    // Deep nesting, a huge key, control characters, a table that is a value.
    for text in [
        format!("x = {}{}\n", "[".repeat(5000), "]".repeat(5000)),
        format!("lints = {}\n", "{ a = ".repeat(3000)),
        format!("[lints]\n\"{}\" = \"allow\"\n", "k".repeat(100_000)),
        "lints = 3\nexclude = [1, {a = 2}]\ntypes = { \"*\" = [\"Job\"] }\n".to_owned(),
        "\u{0}\u{1b}[31m = 1\n".to_owned(),
    ] {
        let dir = scratch("settings-hostile");
        write(&dir, "emfilter.toml", &text);
        write(
            &dir,
            "a.py",
            "u = '/api/query?type=Job&filter=JobType==Backup'\n",
        );
        let r = emfilter(&["check", "--scan", "."], &dir);
        assert_eq!(r.status, 2, "{}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        assert!(r.stderr.contains("nothing was checked"), "{}", r.stderr);
    }
}
