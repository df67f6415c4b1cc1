//! Linting filters where they live (issue 4): query URLs, scanning, output formats, lint levels
//! and fixes. Library behaviour first, then the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use emfilter::{schema, Checker, Code, Severity};
use emfilter_lint::{find::find, fix, placeholder, Context, Kind, Level, Levels, Linter};

pub(crate) use crate::scratch::Scratch;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers

fn lint(url: &str) -> emfilter_lint::Linted {
    Linter::default().lint(url, Kind::Query, Context::default())
}

fn fixed(url: &str) -> String {
    Linter::default()
        .fix(url, Kind::Query, Context::default())
        .0
}

pub(crate) struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

pub(crate) fn emfilter(args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    Run {
        status: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 errors"),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scan")
}

/// A fresh, empty folder for one test, removed with what it holds when the test ends.
pub(crate) fn scratch(name: &str) -> Scratch {
    Scratch::new(&format!("lint-{name}"))
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, with its bytes, sorted by path.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// The diagnostics table

#[test]
fn every_code_has_an_example_that_produces_it() {
    let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
    // The SQL codes' examples are valid filters that the SQL translation refuses (see
    // tests/sql/translate.rs).
    for &code in Code::ALL.iter().filter(|c| !c.is_sql()) {
        let found: Vec<Code> = if code == Code::FilterTooLong {
            let long = format!("JobName==\"{}\"", "x".repeat(65_536));
            checker
                .check(&long)
                .diagnostics()
                .iter()
                .map(|d| d.code())
                .collect()
        } else if code == Code::TooManyDiagnostics {
            let many = format!("JobName==x{}", " AND a=1".repeat(200));
            Linter::default()
                .lint(&many, Kind::Filter, Context::default())
                .diagnostics()
                .iter()
                .map(|d| d.code())
                .collect()
        } else if code == Code::UnusedSuppression || code.is_settings() {
            emfilter_lint::rules::example_diagnostics(code)
                .iter()
                .map(|d| d.code())
                .collect()
        } else if code.is_linter_level() {
            let scripted = Context {
                placeholders: true,
                ..Context::default()
            };
            [Kind::Query, Kind::Filter]
                .into_iter()
                .flat_map(|kind| {
                    Linter::default()
                        .lint(code.example(), kind, scripted)
                        .diagnostics()
                        .to_vec()
                })
                .map(|d| d.code())
                .collect()
        } else {
            let schema = match code {
                Code::InvalidNumber => schema::builtin("BackupTaskSession").unwrap(),
                Code::UndocumentedField => schema::builtin("VmRestorePoint").unwrap(),
                _ => &schema::REPLICA_JOB_SESSION,
            };
            let c = Checker::new(schema).check(code.example());
            c.diagnostics().iter().map(|d| d.code()).collect()
        };
        assert!(
            found.contains(&code),
            "{code}: {} gave {found:?}",
            code.example()
        );
        assert!(!code.description().is_empty() && !code.description().starts_with(' '));
    }
}

#[test]
fn the_readme_lists_every_code_with_its_level_and_example() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    for &code in Code::ALL {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{code}` |")))
            .unwrap_or_else(|| panic!("no README row for {code}"));
        assert!(
            row.contains(&format!("| {} |", code.default_severity())),
            "{row}"
        );
        // The limits' examples are described, not written out, and so is the one holding a
        // NUL character.
        if !matches!(
            code,
            Code::FilterTooLong
                | Code::NestingTooDeep
                | Code::TooManyDiagnostics
                | Code::SqlUnrepresentableValue
        ) {
            let example = code.example().replace('|', "\\|");
            assert!(row.contains(&example), "{row} lacks {example}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Query URLs

// The URL cases that are data (a URL, its diagnostics with their spans, its fixed form) are in
// crates/lint/tests/corpus/urls.toml; the tests here check what a corpus line cannot say.

#[test]
fn a_plus_sign_in_a_url_is_a_space_and_the_help_says_to_write_2b() {
    let url = "type=ReplicaJobSession&filter=CreationTime>2025-08-14T12:31:30+02:00";
    let l = lint(url);
    let d = &l.diagnostics()[0];
    assert_eq!(&url[d.span().range()], "2025-08-14T12:31:30+02:00");
    assert!(d.help().unwrap().contains("%2B"), "{:?}", d.help());
}

#[test]
fn a_field_the_type_does_not_sort_on_is_named_as_such() {
    let l = lint("type=Passwords&sortAsc=BackupServerUid");
    assert!(l.diagnostics()[0].message().contains("not one to sort on"));
}

#[test]
fn an_unknown_parameter_is_a_warning() {
    let l = lint("type=Job&fitler=Platform==vCloud");
    assert_eq!(l.diagnostics()[0].severity(), Severity::Warning);
    assert!(l.is_valid());
}

#[test]
fn an_unknown_type_is_reported_with_the_closest_known_one() {
    let url = "type=ReplicaJobSesion&filter=Result==Failed";
    let l = lint(url);
    let d = &l.diagnostics()[0];
    assert_eq!(d.code(), Code::UnknownQueryType);
    assert_eq!(&url[d.span().range()], "ReplicaJobSesion");
    assert_eq!(d.fix().unwrap().replacement, "ReplicaJobSession");
    assert!(l.notes()[0].message().contains("not checked"));
}

#[test]
fn a_clause_after_an_ampersand_is_a_stray_filter_clause() {
    let url = "https://em:9398/api/query?type=Job&filter=Platform==vCloud&JobType==Backup";
    let l = lint(url);
    let d = &l.diagnostics()[0];
    assert_eq!(d.code(), Code::StrayFilterClause);
    // The server ignores the clause and returns more than was asked: an error.
    assert_eq!(d.severity(), Severity::Error);
    assert_eq!(&url[d.span().range()], "JobType==Backup");
    assert!(d.help().unwrap().contains("`&` ended the filter"));
    assert!(d.help().unwrap().contains("`;`"));
    let fix = d.fix().unwrap();
    assert_eq!(
        (&url[fix.span.range()], fix.replacement.as_str()),
        ("&", ";")
    );
    assert_eq!(
        fixed(url),
        "https://em:9398/api/query?type=Job&filter=Platform==vCloud;JobType==Backup"
    );
}

#[test]
fn placeholders_are_opaque_and_reported_as_skipped() {
    let scripted = Context {
        placeholders: true,
        ..Context::default()
    };
    let linter = Linter::default();
    for url in [
        "$base/api/query?type=ReplicaJobSession&filter=JobName==$jobName;CreationTime>=${since}",
        "https://{host}/api/query?type=ReplicaJobSession&filter=JobName=={job};Result=={0}",
        "/api/query?type=ReplicaJobSession&filter=JobName==<%= job %>;EndTime<%s&pageSize={n}",
        "/api/query?type=$type&filter=Anything==at all&sortAsc=Whatever",
    ] {
        let l = linter.lint(url, Kind::Query, scripted);
        assert!(l.problems().is_empty(), "{url}: {:?}", l.diagnostics());
        assert!(!l.notes().is_empty(), "{url}");
        assert!(l
            .notes()
            .iter()
            .all(|n| n.message().contains("not checked")));
        assert!(
            l.filter().is_none(),
            "{url}: a filter with holes has no meaning yet"
        );
    }
    // Around a placeholder, the rest is still checked.
    let url = "/api/query?type=ReplicaJobSession&filter=JobNmae==$name";
    let l = linter.lint(url, Kind::Query, scripted);
    assert_eq!(l.diagnostics()[0].code(), Code::UnknownField);
    // Taken literally (the default), `$name` is a value like any other.
    assert!(Linter::default()
        .lint("JobName==$name", Kind::Filter, Context::default())
        .notes()
        .is_empty());
}

#[test]
fn placeholder_forms() {
    let text = r#"a==$x;b==${y};c=={z};d==<%= w %>;e==" + v + ";f==%s;g=={{u}};h=={$M.N}"#;
    let found: Vec<&str> = placeholder::find(text)
        .iter()
        .map(|s| &text[s.range()])
        .collect();
    assert_eq!(
        found,
        [
            "$x",
            "${y}",
            "{z}",
            "<%= w %>",
            r#"" + v + ""#,
            "%s",
            "{{u}}",
            "{$M.N}"
        ]
    );
    assert!(placeholder::find("JobUid=={dce85686-59c8-42c4-8766-f1c00a5b8067}").is_empty());
    assert!(placeholder::find("JobName%3D%3D%22a%20b%22").is_empty());
}

// ---------------------------------------------------------------------------------------------
// Finding filters in text

#[test]
fn find_reports_kind_line_and_column() {
    let text = "# header\n\
                $u = \"https://em:9398/api/query?type=Job&filter=Platform==vCloud\"\n\
                curl --data-urlencode 'filter=Result==Failed' x\n\
                ldapsearch 'filter=(&(cn=x))' $filter=Name==x\n\
                See [failed](https://em/api/query?type=Job&filter=(Name==a,Name==b)).\n\
                \tlink: https://em/api/query?type=Job&filter=Name==\"a b\" next\n";
    let found: Vec<(Kind, usize, usize, &str)> = find(text, false)
        .iter()
        .map(|f| (f.kind, f.line, f.column, &text[f.span.range()]))
        .collect();
    assert_eq!(
        found,
        [
            (
                Kind::Query,
                2,
                7,
                "https://em:9398/api/query?type=Job&filter=Platform==vCloud"
            ),
            (Kind::Filter, 3, 31, "Result==Failed"),
            (
                Kind::Query,
                5,
                14,
                "https://em/api/query?type=Job&filter=(Name==a,Name==b)"
            ),
            (
                Kind::Query,
                6,
                8,
                "https://em/api/query?type=Job&filter=Name==\"a b\""
            ),
        ]
    );
}

#[test]
fn find_steps_over_concatenation_and_marks_continued_strings() {
    let text = r#"url = EM + "/api/query?type=Job&filter=Name==\"" + job + "\";Platform==vCloud"
tail = base + '/api/query?type=Job&filter=Name==' . $name;"#;
    let found = find(text, false);
    assert_eq!(found.len(), 2);
    assert_eq!(
        &text[found[0].span.range()],
        r#"/api/query?type=Job&filter=Name==\"" + job + "\";Platform==vCloud"#
    );
    assert_eq!(found[0].context.delimiter, Some('"'));
    assert!(!found[0].context.continued);
    assert!(found[1].context.continued);
    let linter = Linter::default();
    for f in &found {
        let l = linter.lint(&text[f.span.range()], f.kind, f.context);
        assert!(l.problems().is_empty(), "{:?}", l.diagnostics());
        assert!(!l.notes().is_empty());
    }
}

#[test]
fn find_reads_xml_entities_in_xml_files() {
    let text = "<url>https://em/api/query?type=ReplicaJobSession&amp;filter=CreationTime&gt;=&quot;2025-08-14T12:31:30&quot;</url>";
    let found = find(text, true);
    assert_eq!(found.len(), 1);
    let f = &found[0];
    let item = &text[f.span.range()];
    assert!(item.ends_with("&quot;"), "{item}");
    let l = Linter::default().lint(item, f.kind, f.context);
    let d = &l.diagnostics()[0];
    assert_eq!(d.code(), Code::DatetimeWithoutZone);
    assert_eq!(&item[d.span().range()], "&quot;2025-08-14T12:31:30&quot;");
}

// ---------------------------------------------------------------------------------------------
// Lint levels

#[test]
fn levels_change_severities_and_later_settings_win() {
    let mut levels = Levels::default();
    levels.set("unquoted-whitespace", Level::Deny).unwrap();
    levels.set("bare-guid", Level::Deny).unwrap();
    levels.set("bare-guid", Level::Allow).unwrap();
    levels.set("unknown-field", Level::Warn).unwrap();
    let linter = Linter::new(Checker::default(), levels);
    let l = linter.lint(
        "JobNmae==SQL Replica;JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067",
        Kind::Filter,
        Context::default(),
    );
    let got: Vec<(Code, Severity)> = l
        .diagnostics()
        .iter()
        .map(|d| (d.code(), d.severity()))
        .collect();
    assert_eq!(
        got,
        [
            (Code::UnknownField, Severity::Warning),
            (Code::UnquotedWhitespace, Severity::Error),
        ]
    );
}

#[test]
fn the_warnings_group_applies_after_the_codes() {
    let mut levels = Levels::default();
    levels.set("warnings", Level::Deny).unwrap();
    levels.set("bare-guid", Level::Allow).unwrap();
    assert_eq!(levels.level(Code::MixedAndOr), Level::Deny);
    assert_eq!(levels.level(Code::BareGuid), Level::Allow);
    assert_eq!(levels.level(Code::UnknownField), Level::Deny);
    let mut quiet = Levels::default();
    quiet.set("warnings", Level::Allow).unwrap();
    assert_eq!(quiet.level(Code::UnknownQueryParameter), Level::Allow);
    assert_eq!(quiet.level(Code::UnknownQueryType), Level::Deny);
}

#[test]
fn unknown_codes_and_fatal_codes_are_refused() {
    let mut levels = Levels::default();
    assert!(levels.set("unknown-feild", Level::Allow).is_err());
    assert!(levels.set("syntax", Level::Allow).is_err());
    assert!(levels.set("syntax", Level::Deny).is_ok());
    assert!(Levels::from_toml("[lints]\nno-such-code = \"deny\"\n").is_err());
    assert!(Levels::from_toml("[lints]\nbare-guid = \"sometimes\"\n").is_err());
    assert!(Levels::from_toml("[lint]\nbare-guid = \"deny\"\n").is_err());
    let levels =
        Levels::from_toml("[lints]\nwarnings = \"deny\"\nbare-guid = \"allow\"\n").unwrap();
    assert_eq!(levels.level(Code::BareGuid), Level::Allow);
    assert_eq!(levels.level(Code::MixedAndOr), Level::Deny);
}

// ---------------------------------------------------------------------------------------------
// Fixes

#[test]
fn overlapping_fixes_wait_for_the_next_pass() {
    // unknown-field and mixed-and-or overlap: one pass takes the first, the next the other.
    let source = "JobNmae==x;IsRetry==True,Result==Failed";
    let checked = emfilter::check(source, &schema::REPLICA_JOB_SESSION);
    let (once, n) = fix::apply(source, checked.diagnostics());
    assert_eq!(
        (once.as_str(), n),
        ("JobName==x;IsRetry==True,Result==Failed", 1)
    );
    let (all, n) = Linter::default().fix(source, Kind::Filter, Context::default());
    assert_eq!(all, "(JobName==x;IsRetry==True),Result==Failed");
    assert_eq!(n, 2);
}

#[test]
fn allowed_codes_are_not_fixed() {
    let mut levels = Levels::default();
    levels.set("mixed-and-or", Level::Allow).unwrap();
    let linter = Linter::new(Checker::default(), levels);
    let source = "Result==Failed;IsRetry==True,Result==Warning";
    assert_eq!(
        linter.fix(source, Kind::Filter, Context::default()).0,
        source
    );
}

/// Filters over ReplicaJobSession with the defects whose fixes keep the meaning: names in any
/// case, spaces in unquoted strings, bare GUIDs, `;` and `,` mixed without parentheses; and some
/// with typos, whose fixes change an invalid filter.
fn comparison() -> impl Strategy<Value = String> {
    let guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    prop_oneof![
        ("(?i:jobname)", "[A-Za-z][A-Za-z0-9 ]{0,10}[a-z]").prop_map(|(f, v)| format!("{f}=={v}")),
        ("(?i:result)", "==|!=|<|>=", "(?i:success|warning|failed)")
            .prop_map(|(f, o, v)| format!("{f}{o}{v}")),
        ("(?i:isretry)", "(?i:true|false)").prop_map(|(f, v)| format!("{f}=={v}")),
        guid.prop_map(|g| format!("JobUid=={g}")),
        guid.prop_map(|g| format!("JobUid==urn:veeam:Job:{g}")),
        Just("CreationTime>=\"2025-08-15T06:00:00Z\"".to_owned()),
        Just("JobNmae==x".to_owned()),
        Just("Result==Sucess".to_owned()),
        Just("CreationTime>2025-08-14T12:31:30+02:00".to_owned()),
    ]
}

fn filter() -> impl Strategy<Value = String> {
    let leaf = comparison();
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(";")),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(",")),
            inner.prop_map(|e| format!("({e})")),
        ]
    })
}

/// What `text` means: its canonical form, a `JobUid` written bare or in full alike (a bare GUID
/// means the field's UID and prints bare; its fix writes the prefix).
fn canonical(text: &str) -> Option<String> {
    emfilter::check(text, &schema::REPLICA_JOB_SESSION)
        .filter()
        .map(|f| f.to_string().replace("JobUid==urn:veeam:Job:", "JobUid=="))
}

/// The value of `filter=` in `url`, percent-decoded.
fn filter_param(url: &str) -> String {
    let value = url.split("filter=").nth(1).unwrap();
    let value = value.split('&').next().unwrap().replace('+', " ");
    percent_encoding::percent_decode_str(&value)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fixing_keeps_the_meaning_and_reaches_a_fixed_point(f in filter()) {
        let linter = Linter::default();
        let (once, _) = linter.fix(&f, Kind::Filter, Context::default());
        let (twice, n) = linter.fix(&once, Kind::Filter, Context::default());
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(n, 0);
        if let Some(meaning) = canonical(&f) {
            prop_assert_eq!(canonical(&once), Some(meaning));
        }
    }

    #[test]
    fn fixing_a_url_keeps_the_meaning_in_either_encoding(f in filter(), full in any::<bool>()) {
        let value = if full {
            emfilter::encode_query_value(&f)
        } else {
            f.replace(' ', "%20").replace('+', "%2B")
        };
        let url = format!("https://em:9398/api/query?type=ReplicaJobSession&filter={value}&pageSize=10");
        let linter = Linter::default();
        let (once, _) = linter.fix(&url, Kind::Query, Context::default());
        let (twice, _) = linter.fix(&once, Kind::Query, Context::default());
        prop_assert_eq!(&twice, &once);
        prop_assert!(once.ends_with("&pageSize=10"));
        if let Some(meaning) = canonical(&f) {
            prop_assert_eq!(canonical(&filter_param(&once)), Some(meaning));
        }
    }

    #[test]
    fn linting_any_text_never_panics_and_spans_fit(text in "\\PC{0,80}") {
        let linter = Linter::default();
        for kind in [Kind::Query, Kind::EncodedFilter, Kind::Filter] {
            let ctx = Context { placeholders: true, delimiter: Some('"'), ..Context::default() };
            let l = linter.lint(&text, kind, ctx);
            for d in l.diagnostics() {
                prop_assert!(text.get(d.span().range()).is_some(), "{:?} in {:?}", d, text);
            }
        }
        for f in find(&text, false) {
            prop_assert!(text.get(f.span.range()).is_some());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The command line

#[test]
fn check_url_reports_at_columns_of_the_url_and_exits_1_on_errors() {
    let dir = scratch("url");
    let r = emfilter(
        &[
            "check",
            "--url",
            "https://em:9398/api/query?type=ReplicaJobSession&filter=JobNmae%3D%3Dx",
        ],
        &dir,
    );
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stdout.contains("error[unknown-field]"), "{}", r.stdout);
    assert!(r.stdout.contains("--> argument:1:57"), "{}", r.stdout);
    // Warnings only: 0.
    let r = emfilter(
        &[
            "check",
            "--url",
            "type=ReplicaJobSession&filter=JobName==SQL*",
        ],
        &dir,
    );
    assert_eq!(r.status, 0, "{}", r.stdout);
    assert!(r.stdout.contains("warning[wildcard-in-value]"));
}

#[test]
fn json_keeps_the_core_shape_for_filters_and_urls() {
    let dir = scratch("json");
    let r = emfilter(
        &[
            "check",
            "--format",
            "json",
            "jobname==x",
            "--url",
            "type=Job&filter=Platform==vCloud&JobType==Backup",
        ],
        &dir,
    );
    assert_eq!(r.status, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let reports = v.as_array().unwrap();
    assert_eq!(reports.len(), 2);
    for report in reports {
        let keys: Vec<&str> = report
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            sorted,
            [
                "canonical",
                "diagnostics",
                "filter",
                "line",
                "source",
                "type",
                "type_source",
                "valid"
            ]
        );
    }
    // Each says which query type it was checked against, and where that came from.
    assert_eq!(reports[0]["type"], "ReplicaJobSession");
    assert_eq!(
        reports[0]["type_source"],
        serde_json::json!({"from": "default"})
    );
    assert_eq!(reports[1]["type"], "Job");
    assert_eq!(
        reports[1]["type_source"],
        serde_json::json!({"from": "url"})
    );
    assert_eq!(reports[0]["canonical"], "JobName==x");
    assert_eq!(reports[0]["source"], "argument");
    assert!(reports[0]["line"].is_null());
    assert_eq!(reports[1]["canonical"], "Platform==vCloud");
    assert_eq!(reports[1]["diagnostics"][0]["code"], "stray-filter-clause");
    let span = &reports[1]["diagnostics"][0]["span"];
    assert_eq!(
        (span["start"].as_u64(), span["end"].as_u64()),
        (Some(33), Some(48))
    );
}

#[test]
fn urls_files_report_their_lines() {
    let dir = scratch("urls");
    std::fs::write(
        dir.join("queries.txt"),
        "# nightly queries\n\ntype=ReplicaJobSession&filter=Result==Failed\ntype=Job&pageSize=0\n",
    )
    .unwrap();
    let r = emfilter(&["check", "--urls", "queries.txt"], &dir);
    assert_eq!(r.status, 1);
    assert!(r.stdout.contains("--> queries.txt:4:19"), "{}", r.stdout);
    assert!(r.stderr.contains("checked 2 queries"), "{}", r.stderr);
}

/// Every problem in the fixture folder, at its hand-counted place.
const EXPECTED: [(&str, &str, usize, usize); 10] = [
    ("stray-filter-clause", "bin/nightly-check.sh", 7, 63),
    ("invalid-boolean", "bin/nightly-check.sh", 11, 52),
    ("mixed-and-or", "grafana/veeam-dashboard.json", 17, 105),
    (
        "stray-filter-clause",
        "scripts/Get-FailedReplicas.ps1",
        15,
        98,
    ),
    ("unknown-field", "scripts/Get-FailedReplicas.ps1", 18, 95),
    ("datetime-not-utc", "scripts/em_report.py", 19, 76),
    ("invalid-query-parameter", "scripts/em_report.py", 19, 119),
    ("unknown-enum-value", "web/sessions.php", 5, 78),
    ("unquoted-whitespace", "web/sessions.php", 6, 92),
    (
        "unknown-enum-value",
        "zabbix/template_veeam_em.yaml",
        20,
        87,
    ),
];

/// Placeholders that were skipped, at their places.
const SKIPPED: [(&str, usize, usize); 8] = [
    ("bin/nightly-check.sh", 13, 96),
    ("grafana/veeam-dashboard.json", 11, 134),
    ("scripts/Get-FailedReplicas.ps1", 12, 140),
    ("scripts/Get-FailedReplicas.ps1", 18, 106),
    ("scripts/em_report.py", 14, 67),
    ("scripts/em_report.py", 24, 69),
    ("web/sessions.php", 4, 134),
    ("zabbix/template_veeam_em.yaml", 12, 104),
];

#[test]
fn scan_names_every_problem_at_its_line_and_column() {
    let r = emfilter(&["check", "--scan", "."], &fixtures());
    assert_eq!(r.status, 1);
    let located: Vec<String> = r
        .stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(str::to_owned)
        .collect();
    let mut want: Vec<String> = EXPECTED
        .iter()
        .map(|(_, p, l, c)| format!("{p}:{l}:{c}"))
        .chain(SKIPPED.iter().map(|(p, l, c)| format!("{p}:{l}:{c}")))
        .collect();
    want.sort();
    let mut got = located.clone();
    got.sort();
    assert_eq!(got, want, "{}", r.stdout);
    for (code, ..) in EXPECTED {
        assert!(r.stdout.contains(&format!("[{code}]")));
    }
    // .gitignore'd files are not read.
    assert!(!r.stdout.contains("archive/"), "{}", r.stdout);
    assert!(r.stderr.contains("in 7 files"), "{}", r.stderr);
}

#[test]
fn scan_of_a_named_file_reads_it_even_when_ignored() {
    let r = emfilter(&["check", "--scan", "archive/old-report.ps1"], &fixtures());
    assert_eq!(r.status, 1);
    assert!(r.stdout.contains("unknown-query-type"), "{}", r.stdout);
}

/// A validator for the published SARIF 2.1.0 JSON schema (tests/data).
fn sarif_validator() -> jsonschema::Validator {
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The official schema's patterns for `language` (of a run and of a tool component) have a
    // stray `]` that a strict regex checker refuses, so the schema would not compile; emfilter
    // never writes `language`: the test mends those patterns in memory and validates everything
    // else as published.
    for def in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

#[test]
fn sarif_locates_arguments_and_stdin_in_artifacts_that_hold_their_text() {
    let dir = scratch("sarif-args");
    let r = emfilter(
        &[
            "check",
            "--format",
            "sarif",
            "Result==Success",
            "JobNmae==x;Result==Fialed",
        ],
        &dir,
    );
    assert_eq!(r.status, 1);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    // Only the filter with results becomes an artifact.
    assert_eq!(run["artifacts"].as_array().unwrap().len(), 1);
    assert_eq!(
        run["artifacts"][0]["contents"]["text"],
        "JobNmae==x;Result==Fialed"
    );
    let region = &run["results"][1]["locations"][0]["physicalLocation"];
    assert_eq!(region["artifactLocation"]["index"], 0);
    assert_eq!(region["region"]["startColumn"], 20);
    assert_eq!(region["region"]["endColumn"], 26);
    assert_eq!(region["region"]["charOffset"], 19);
    assert_eq!(region["region"]["charLength"], 6);
    assert_eq!(region["region"]["snippet"]["text"], "Fialed");
    assert!(run["results"][1].get("fixes").is_none());

    // Standard input: one artifact per filter line, saying which line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_emfilter"))
        .args(["check", "--format", "sarif"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("# comment\nJobName==x\nJobName==ä;Stat==Working\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(
        run["artifacts"][0]["description"]["text"],
        "read from standard input, line 3"
    );
    let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
    // Columns and offsets count code points: `ä` is two bytes, one character.
    assert_eq!(
        (
            region["startColumn"].as_u64(),
            region["charOffset"].as_u64(),
            region["charLength"].as_u64()
        ),
        (Some(12), Some(11), Some(4))
    );
}

#[test]
fn scan_sarif_validates_against_the_sarif_2_1_0_schema() {
    let r = emfilter(&["check", "--scan", ".", "--format", "sarif"], &fixtures());
    assert_eq!(r.status, 1);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch a broken log.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Code::ALL.len());
    for (rule, code) in rules.iter().zip(Code::ALL) {
        assert_eq!(rule["id"], code.as_str());
        // The rule's help is what `emfilter explain` prints.
        assert_eq!(
            rule["help"]["text"].as_str().unwrap(),
            emfilter_lint::rules::explain(*code)
        );
    }
    let mut got: Vec<(String, String, u64, u64)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                loc["region"]["startLine"].as_u64().unwrap(),
                loc["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String, u64, u64)> = EXPECTED
        .iter()
        .map(|(c, p, l, col)| (c.to_string(), p.to_string(), *l as u64, *col as u64))
        .collect();
    want.sort();
    assert_eq!(got, want);
    // The stray clause carries its fix: the `&` before it becomes `;`.
    let stray = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "stray-filter-clause")
        .unwrap();
    let replacement = &stray["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], ";");
    assert_eq!(replacement["deletedRegion"]["startColumn"], 62);
    assert_eq!(replacement["deletedRegion"]["endColumn"], 63);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap()
            .len(),
        SKIPPED.len()
    );
}

#[test]
fn github_format_prints_one_annotation_per_problem() {
    let r = emfilter(&["check", "--scan", ".", "--format", "github"], &fixtures());
    assert_eq!(r.status, 1);
    let problems: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error ") || l.starts_with("::warning "))
        .collect();
    assert_eq!(problems.len(), EXPECTED.len(), "{}", r.stdout);
    for (code, path, line, col) in EXPECTED {
        let head = format!("file={path},line={line},col={col},endColumn=");
        let title = format!(",title=emfilter ({code})::");
        assert!(
            problems
                .iter()
                .any(|p| p.contains(&head) && p.contains(&title)),
            "no annotation for {code} at {path}:{line}:{col}"
        );
    }
    assert_eq!(
        r.stdout
            .lines()
            .filter(|l| l.starts_with("::notice "))
            .count(),
        SKIPPED.len()
    );
}

#[test]
fn github_format_keeps_to_ten_per_level_and_says_how_many_more() {
    let dir = scratch("github-limit");
    let mut text = String::new();
    for i in 0..12 {
        text.push_str(&format!(
            "Invoke-RestMethod \"$em/api/query?type=ReplicaJobSession&filter=JobNmae{i}==x\"\n"
        ));
    }
    for _ in 0..11 {
        text.push_str(
            "Invoke-RestMethod \"$em/api/query?type=ReplicaJobSession&filter=JobName==SQL*\"\n",
        );
    }
    std::fs::write(dir.join("many.ps1"), text).unwrap();
    let r = emfilter(&["check", "--scan", ".", "--format", "github"], &dir);
    assert_eq!(r.status, 1);
    let count = |p: &str| r.stdout.lines().filter(|l| l.starts_with(p)).count();
    assert_eq!(count("::error "), 10);
    assert_eq!(count("::warning "), 10);
    let summary = r
        .stdout
        .lines()
        .find(|l| l.contains("not shown as annotations"))
        .expect("a summary line");
    assert!(summary.contains("2 more errors"), "{summary}");
    assert!(summary.contains("1 more warning"), "{summary}");
    assert!(
        r.stdout.contains("many.ps1:12:"),
        "the rest are listed in the log"
    );
}

#[test]
fn several_formats_in_one_run() {
    let dir = scratch("formats");
    copy_dir(&fixtures(), &dir.join("repo"));
    let repo = dir.join("repo");
    let r = emfilter(
        &[
            "check",
            "--scan",
            ".",
            "--format",
            "sarif",
            "--output-file",
            "../emfilter.sarif",
            "--format",
            "github",
            "--format",
            "junit",
            "-o",
            "../junit.xml",
        ],
        &repo,
    );
    assert_eq!(r.status, 1, "{}", r.stderr);
    assert!(r.stdout.starts_with("::"), "{}", r.stdout);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("emfilter.sarif")).unwrap())
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        EXPECTED.len()
    );
    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    assert!(junit.starts_with("<?xml"));
    assert_eq!(junit.matches("<testcase ").count(), 18);
    // Ten problems, of which nine errors in seven filters or queries.
    assert_eq!(junit.matches("<failure ").count(), 7);
    assert!(junit.contains("failures=\"7\""));
    // Two formats on standard output cannot be told apart.
    let r = emfilter(
        &[
            "check", "--scan", ".", "--format", "sarif", "--format", "github",
        ],
        &repo,
    );
    assert_eq!(r.status, 2);
}

#[test]
fn lint_levels_change_exit_statuses() {
    let dir = scratch("levels");
    let url = "type=ReplicaJobSession&filter=JobName==SQL*";
    let status = |args: &[&str]| {
        let mut all = vec!["check", "--url", url];
        all.extend_from_slice(args);
        emfilter(&all, &dir).status
    };
    assert_eq!(status(&[]), 0);
    assert_eq!(status(&["--deny", "wildcard-in-value"]), 1);
    assert_eq!(status(&["--deny", "warnings"]), 1);
    assert_eq!(status(&["--deny-warnings"]), 1);
    assert_eq!(status(&["-D", "warnings", "-A", "wildcard-in-value"]), 0);
    assert_eq!(
        status(&[
            "--deny",
            "wildcard-in-value",
            "--allow",
            "wildcard-in-value"
        ]),
        0
    );
    assert_eq!(
        status(&[
            "--allow",
            "wildcard-in-value",
            "--deny",
            "wildcard-in-value"
        ]),
        1
    );
    assert_eq!(status(&["--deny", "no-such-code"]), 2);
    assert_eq!(status(&["--allow", "syntax"]), 2);
    // An error allowed is no longer an error.
    let bad = "type=ReplicaJobSesion";
    assert_eq!(emfilter(&["check", "--url", bad], &dir).status, 1);
    let r = emfilter(
        &["check", "--url", bad, "--allow", "unknown-query-type"],
        &dir,
    );
    assert_eq!(r.status, 0);
    assert!(!r.stdout.contains("unknown-query-type"));
}

#[test]
fn emfilter_toml_is_found_above_the_current_folder() {
    let dir = scratch("toml");
    let sub = dir.join("scripts/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let url = "type=Job&filter=Platform==vCloud&JobType==Backup";
    std::fs::write(
        dir.join("emfilter.toml"),
        "[lints]\nstray-filter-clause = \"deny\"\n",
    )
    .unwrap();
    assert_eq!(emfilter(&["check", "--url", url], &sub).status, 1);
    // The command line comes after the file.
    assert_eq!(
        emfilter(
            &["check", "--url", url, "--warn", "stray-filter-clause"],
            &sub
        )
        .status,
        0
    );
    std::fs::write(
        dir.join("emfilter.toml"),
        "[lints]\nstray-clause = \"deny\"\n",
    )
    .unwrap();
    let r = emfilter(&["check", "--url", url], &sub);
    assert_eq!(r.status, 2);
    assert!(r.stderr.contains("stray-clause"), "{}", r.stderr);
}

#[test]
fn fix_rewrites_only_the_filters_and_a_second_fix_changes_nothing() {
    let dir = scratch("fix");
    copy_dir(&fixtures(), &dir);
    let before = std::fs::read_to_string(dir.join("scripts/Get-FailedReplicas.ps1")).unwrap();
    let r = emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    assert_eq!(r.status, 1, "errors without a fix remain: {}", r.stdout);
    assert!(r.stderr.contains("fixed 7 problems"), "{}", r.stderr);
    let after = std::fs::read_to_string(dir.join("scripts/Get-FailedReplicas.ps1")).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            (
                "$vcloud = Invoke-RestMethod -Headers $headers -Uri \"$base/query?type=Job&filter=Platform==vCloud&JobType==Backup\"",
                "$vcloud = Invoke-RestMethod -Headers $headers -Uri \"$base/query?type=Job&filter=Platform==vCloud;JobType==Backup\""
            ),
            (
                "$byName = Invoke-RestMethod -Headers $headers -Uri \"$base/query?type=ReplicaJobSession&filter=JobNmae==`\"$JobName`\"\"",
                "$byName = Invoke-RestMethod -Headers $headers -Uri \"$base/query?type=ReplicaJobSession&filter=JobName==`\"$JobName`\"\""
            ),
        ]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    let php = std::fs::read_to_string(dir.join("web/sessions.php")).unwrap();
    assert!(
        php.contains("filter=JobName==%22Exchange%20Backup%22\";"),
        "{php}"
    );
    assert!(php.contains("Result==Success\";"));
    // Fixing again changes nothing.
    let once = snapshot(&dir);
    let r = emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    assert!(r.stderr.contains("fixed 0 problems"), "{}", r.stderr);
    assert_eq!(snapshot(&dir), once);
    // Ignored files are never touched.
    assert_eq!(
        std::fs::read(dir.join("archive/old-report.ps1")).unwrap(),
        std::fs::read(fixtures().join("archive/old-report.ps1")).unwrap()
    );
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let dir = scratch("diff");
    copy_dir(&fixtures(), &dir);
    let before = snapshot(&dir);
    let r = emfilter(
        &["check", "--scan", "bin", "--diff", "--unsafe-fixes"],
        &dir,
    );
    assert_eq!(r.status, 1);
    assert_eq!(snapshot(&dir), before);
    assert_eq!(
        r.stdout,
        "--- bin/nightly-check.sh\n+++ bin/nightly-check.sh\n@@ -4,7 +4,7 @@\n \
         TOKEN=$(cat /run/secrets/em-token)\n \n \
         curl -sk -H \"X-RestSvcSessionId: $TOKEN\" \\\n\
         -  \"$EM/api/query?type=ReplicaJobSession&filter=Result==Failed&State==Stopped\"\n\
         +  \"$EM/api/query?type=ReplicaJobSession&filter=Result==Failed;State==Stopped\"\n \n \
         curl -sk -H \"X-RestSvcSessionId: $TOKEN\" -G \"$EM/api/query\" \\\n   \
         --data-urlencode 'type=ReplicaJobSession' \\\n"
    );
    // Nothing to fix: no diff, and the status of the problems alone.
    let r = emfilter(&["check", "--url", "type=Job", "--diff"], &dir);
    assert_eq!((r.status, r.stdout.as_str()), (0, ""));
}

#[test]
fn fix_prints_fixed_arguments_to_standard_output() {
    let dir = scratch("fix-args");
    let r = emfilter(
        &[
            "check",
            "--fix",
            "--unsafe-fixes",
            "jobname==SQL Replica;Result==Sucess",
            "--url",
            "type=Job&filter=Platform==vCloud&JobType==Backup",
        ],
        &dir,
    );
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "jobname==\"SQL Replica\";Result==Success\ntype=Job&filter=Platform==vCloud;JobType==Backup\n"
    );
}

#[test]
fn utf16_and_latin1_files_are_scanned_and_fixed_in_their_encoding() {
    let dir = scratch("encodings");
    let line = "$r = Invoke-RestMethod \"$em/api/query?type=Job&filter=Platform==vCloud&JobType==Backup\" # é\r\n";
    let mut utf16 = vec![0xFF, 0xFE];
    for u in line.encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    std::fs::write(dir.join("utf16.ps1"), &utf16).unwrap();
    let latin1: Vec<u8> = line.chars().map(|c| c as u8).collect();
    std::fs::write(dir.join("latin1.ps1"), &latin1).unwrap();
    std::fs::write(dir.join("tool.bin"), b"\x7fELF\0\0/api/query?type=Job&x").unwrap();
    let r = emfilter(&["check", "--scan", "."], &dir);
    assert!(r.stdout.contains("--> latin1.ps1:1:72"), "{}", r.stdout);
    assert!(r.stdout.contains("--> utf16.ps1:1:72"), "{}", r.stdout);
    assert!(!r.stdout.contains("tool.bin"));
    emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    let fixed = line.replace("vCloud&JobType", "vCloud;JobType");
    let mut want16 = vec![0xFF, 0xFE];
    for u in fixed.encode_utf16() {
        want16.extend(u.to_le_bytes());
    }
    assert_eq!(std::fs::read(dir.join("utf16.ps1")).unwrap(), want16);
    let want1: Vec<u8> = fixed.chars().map(|c| c as u8).collect();
    assert_eq!(std::fs::read(dir.join("latin1.ps1")).unwrap(), want1);
}

#[test]
fn human_carets_follow_display_width_in_scanned_lines() {
    let dir = scratch("width");
    std::fs::write(
        dir.join("wide.sh"),
        "curl \"$em/api/query?type=ReplicaJobSession&filter=JobName==名前;Reslt==x\"\n",
    )
    .unwrap();
    let r = emfilter(&["check", "--scan", "."], &dir);
    let lines: Vec<&str> = r.stdout.lines().collect();
    let shown = lines.iter().position(|l| l.contains("名前;Reslt")).unwrap();
    let carets = lines[shown + 1];
    let before_field = lines[shown].find("Reslt").unwrap();
    let width_before: usize = lines[shown][..before_field]
        .chars()
        .map(|c| if c == '名' || c == '前' { 2 } else { 1 })
        .sum();
    assert_eq!(carets.find('^'), Some(width_before), "{}", r.stdout);
    assert!(r.stdout.contains("--> wide.sh:1:"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// Filters given as query parameters apart from the URL (tests/fixtures/pairs)

fn pair_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pairs")
}

/// Every problem in tests/fixtures/pairs: code, file, line, column.
const PAIRS: [(&str, &str, usize, usize); 8] = [
    ("datetime-not-utc", "Get-Sessions.ps1", 1, 65),
    ("invalid-boolean", "em_params.py", 4, 101),
    ("unknown-field", "grafana-infinity.json", 9, 40),
    ("invalid-datetime", "grafana-infinity.json", 15, 69),
    ("syntax", "report.php", 2, 74),
    ("unknown-enum-value", "zabbix-export.xml", 11, 25),
    ("unknown-enum-value", "zabbix-template.yaml", 14, 31),
    ("datetime-not-utc", "zabbix-template.yaml", 24, 37),
];

#[test]
fn find_reads_filter_keys_and_name_value_pairs() {
    let found = |text: &str| -> Vec<String> {
        find(text, text.starts_with('<'))
            .iter()
            .map(|f| text[f.span.range()].to_owned())
            .collect()
    };
    assert_eq!(
        found(r#"p = {"filter": "Result==Failed"}"#),
        ["Result==Failed"]
    );
    assert_eq!(
        found("p = {'filter' : f'JobName=={job}'}"),
        ["JobName=={job}"]
    );
    assert_eq!(
        found("$q = @{ filter = 'State==Working' }"),
        ["State==Working"]
    );
    assert_eq!(
        found("$q = ['filter' => 'State==Working'];"),
        ["State==Working"]
    );
    assert_eq!(
        found("filter: JobName==x;Result==Failed"),
        ["JobName==x;Result==Failed"]
    );
    assert_eq!(
        found(r#"[["filter", "Result==Failed"]]"#),
        ["Result==Failed"]
    );
    // A pair names the filter; its value is taken whatever it looks like.
    assert_eq!(found("- name: filter\n  value: 'Result'"), ["Result"]);
    assert_eq!(found("-\n  name: filter\n\n  value: x==y"), ["x==y"]);
    assert_eq!(found(r#"{"key": "filter", "value": "a b"}"#), ["a b"]);
    assert_eq!(
        found("<name>filter</name>\n<value>JobName==&quot;A B&quot;</value>"),
        ["JobName==&quot;A B&quot;"]
    );
    // Only within three lines of the name, and only the next value.
    assert!(found("- name: filter\n\n\n\n  value: Result==Failed").is_empty());
    assert_eq!(
        found("- name: filter\n  value: a==b\n- name: x\n  value: c==d"),
        ["a==b"]
    );
    // Not filters: other keys, a value that is no comparison, a longer word, a parameter.
    for text in [
        r#"{"filters": "Result==Failed"}"#,
        r#"{"filter": {"Result": "Failed"}}"#,
        "$users = Get-ADUser -Filter \"Name -like 'svc*'\"",
        "ldap_search($c, $dn, \"(&(objectClass=user))\")",
        "items.filter(x => x == 1)",
        "filter == 'a==b'",
        "$filter = 'Result==Failed'",
        "- name: X-RestSvcSessionId\n  value: 'Result==Failed'",
    ] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn scan_finds_filters_in_parameters_and_query_fields() {
    let r = emfilter(&["check", "--scan", "."], &pair_fixtures());
    assert_eq!(r.status, 1, "{}", r.stderr);
    let mut got: Vec<String> = r
        .stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .map(str::to_owned)
        .collect();
    got.sort();
    let mut want: Vec<String> = PAIRS
        .iter()
        .map(|(_, p, l, c)| format!("{p}:{l}:{c}"))
        .chain(["em_params.py:10:30".to_owned()]) // the `{job}` placeholder, skipped
        .collect();
    want.sort();
    assert_eq!(got, want, "{}", r.stdout);
    for (code, ..) in PAIRS {
        assert!(r.stdout.contains(&format!("[{code}]")), "{code}");
    }
    // Valid ones are checked too: the XML pair with entities, the plain `filter = "…"`.
    assert!(
        r.stderr.contains("checked 11 filters in 6 files"),
        "{}",
        r.stderr
    );
}

#[test]
fn fix_rewrites_parameters_and_query_fields_in_place() {
    let dir = scratch("pairs-fix");
    copy_dir(&pair_fixtures(), &dir);
    emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert!(read("zabbix-template.yaml").contains("value: 'Result==Failed;IsRetry==True'"));
    assert!(read("zabbix-template.yaml").contains("value: 'CreationTime>=2025-08-14T00:00:00Z'"));
    assert!(read("report.php").contains("'filter' => 'Result==Failed'"));
    assert!(read("grafana-infinity.json").contains(r#""value": "JobName==\"SQL Replica\"""#));
    assert!(read("Get-Sessions.ps1").contains("filter = 'CreationTime>=2025-08-14T10:31:30Z'"));
    let once = snapshot(&dir);
    let r = emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    assert!(r.stderr.contains("fixed 0 problems"), "{}", r.stderr);
    assert_eq!(snapshot(&dir), once);
}
