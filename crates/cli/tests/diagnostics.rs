//! One test per diagnostic code: an input that triggers it, checked through the library and
//! through the real binary in both output formats.

use emfilter::{Code, Severity};

use crate::cli::{emfilter, json_reports};
use crate::support::schema_named;

/// Checks that `filter` (of query type `ty`) produces `code`, with `args` given to the CLI.
fn triggers(code: Code, ty: &str, filter: &str, args: &[&str]) {
    let checker = emfilter::Checker::new(schema_named(Some(ty)));
    let checker = match args {
        ["--length-limit", n] => checker.with_limits(emfilter::Limits::new(n.parse().unwrap(), 64)),
        _ => checker,
    };
    let checked = checker.check(filter);
    let d = checked
        .diagnostics()
        .iter()
        .find(|d| d.code() == code)
        .unwrap_or_else(|| panic!("`{filter}` gives no {code}: {:#?}", checked.diagnostics()));
    assert_eq!(d.severity(), code.default_severity());
    assert!(!d.message().is_empty());
    assert_eq!(checked.is_valid(), !checked.has(Severity::Error));

    let mut human = vec!["check", "--type", ty];
    human.extend(args);
    human.extend(["--", filter]);
    let out = emfilter(&human, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let header = format!("{}[{}]", code.default_severity(), code);
    assert!(
        stdout.contains(&header),
        "human output lacks `{header}`:\n{stdout}"
    );
    assert!(stdout.contains("--> argument:1:"), "no location:\n{stdout}");
    let expect_status = if checked.is_valid() { 0 } else { 1 };
    assert_eq!(out.status.code(), Some(expect_status), "{stdout}");

    let mut json = vec!["check", "--format", "json", "--type", ty];
    json.extend(args);
    json.extend(["--", filter]);
    let out = emfilter(&json, None);
    let reports = json_reports(&out.stdout);
    let diags = reports[0]["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(
            |d| d["code"] == code.as_str() && d["severity"] == code.default_severity().as_str()
        ),
        "JSON lacks {code}: {reports:#?}"
    );
    assert_eq!(out.status.code(), Some(expect_status));
}

macro_rules! per_code {
    ($($name:ident: $code:ident, $ty:literal, $filter:expr $(, $arg:literal)*;)*) => {
        $(
            #[test]
            fn $name() {
                triggers(Code::$code, $ty, &$filter, &[$($arg),*]);
            }
        )*

        /// Every code has a test above (those the linter gives have theirs in tests/lint.rs,
        /// those of the SQL translation in tests/sql/translate.rs).
        #[test]
        fn every_code_has_a_test() {
            let tested = [$(Code::$code),*];
            for code in Code::ALL.iter().filter(|c| !c.is_linter_level() && !c.is_sql()) {
                assert!(tested.contains(code), "no test triggers {code}");
            }
        }
    };
}

per_code! {
    syntax: Syntax, "ReplicaJobSession", "Result=Success";
    syntax_empty_group: Syntax, "ReplicaJobSession", "Result==Failed;()";
    unknown_field: UnknownField, "ReplicaJobSession", "JobNmae==x";
    invalid_uid: InvalidUid, "ReplicaJobSession", "JobUid==urn:veeam:Job:1234";
    uid_type_mismatch: UidTypeMismatch, "ReplicaJobSession",
        "JobUid==urn:veeam:BackupServer:ce15a8c7-aa49-495e-b05b-ee3398c91018";
    bare_guid: BareGuid, "ReplicaJobSession", "JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067";
    invalid_datetime: InvalidDatetime, "ReplicaJobSession", "CreationTime>yesterday";
    datetime_not_utc: DatetimeNotUtc, "ReplicaJobSession", "CreationTime>2025-08-14T12:31:30+02:00";
    datetime_without_zone: DatetimeWithoutZone, "ReplicaJobSession", "CreationTime>=2025-02-18T14:16:31";
    date_without_zone: DatetimeWithoutZone, "CdpReplicaSession", "CreationTimeUTC>=\"2021-06-15\"";
    undocumented_field: UndocumentedField, "VmRestorePoint", "HierarchyObjRef==\"urn:VMware:Vm:x\"";
    single_quoted_value: SingleQuotedValue, "ReplicaJobSession", "JobName=='SQL Replica'";
    unknown_enum_value: UnknownEnumValue, "ReplicaJobSession", "Result==Sucess";
    undocumented_enum_value: UndocumentedEnumValue, "ReplicaJobSession", "Result==None";
    invalid_boolean: InvalidBoolean, "ReplicaJobSession", "IsRetry==yes";
    invalid_number: InvalidNumber, "BackupTaskSession", "TotalSize>12GB";
    unsupported_operator: UnsupportedOperator, "ReplicaJobSession", "IsRetry>False";
    unquoted_whitespace: UnquotedWhitespace, "ReplicaJobSession", "JobName==SQL Replica";
    mixed_and_or: MixedAndOr, "ReplicaJobSession", "Result==Failed;IsRetry==True,State==Working";
    ampersand_in_filter: AmpersandInFilter, "ReplicaJobSession", "Result==Failed&State==Stopped";
    nesting_too_deep: NestingTooDeep, "ReplicaJobSession",
        format!("{}Result==Failed{}", "(".repeat(65), ")".repeat(65));
    keyword_in_value: KeywordInValue, "ReplicaJobSession", "Result==Failed AND State==Stopped";
    wildcard_in_value: WildcardInValue, "ReplicaJobSession", "JobName==SQL*";
    filter_too_long: FilterTooLong, "ReplicaJobSession",
        format!("JobName==\"{}\"", "x".repeat(200)), "--length-limit", "100";
}

/// The examples in `Code::example` produce their code (the length limit's is descriptive).
#[test]
fn documented_examples_trigger_their_code() {
    for &code in Code::ALL {
        // The query-level codes' examples are query strings: tests/lint.rs runs them. The SQL
        // codes' examples are valid filters that the translation refuses: tests/sql runs them.
        if code == Code::FilterTooLong || code.is_linter_level() || code.is_sql() {
            continue;
        }
        let ty = match code {
            Code::InvalidNumber => "BackupTaskSession",
            Code::UndocumentedField => "VmRestorePoint",
            _ => "ReplicaJobSession",
        };
        let checked = emfilter::check(code.example(), schema_named(Some(ty)));
        assert!(
            checked.diagnostics().iter().any(|d| d.code() == code),
            "example of {code} `{}` gives {:#?}",
            code.example(),
            checked.diagnostics()
        );
    }
}

#[test]
fn codes_parse_back() {
    for &code in Code::ALL {
        assert_eq!(code.as_str().parse::<Code>(), Ok(code));
    }
    assert!("no-such-code".parse::<Code>().is_err());
}

#[test]
fn diagnostics_serialise_to_the_documented_shape() {
    let checked = crate::support::check("JobNmae==x");
    let v = serde_json::to_value(&checked.diagnostics()[0]).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "code": "unknown-field",
            "severity": "error",
            "message": "`JobNmae` is not a field of ReplicaJobSession",
            "span": {"start": 0, "end": 7},
            "help": "did you mean `JobName`?",
            "fix": {
                "span": {"start": 0, "end": 7},
                "replacement": "JobName",
                "applicability": "unsafe",
            },
        })
    );
}

#[test]
fn a_megabyte_of_open_parentheses_is_too_deep() {
    let filter = "(".repeat(1 << 20);
    let checked = crate::support::check(&filter);
    let codes: Vec<Code> = checked.diagnostics().iter().map(|d| d.code()).collect();
    assert_eq!(codes, [Code::NestingTooDeep, Code::FilterTooLong]);
    assert_eq!(checked.diagnostics()[0].span(), emfilter::Span::new(64, 65));
}

#[test]
fn text_that_is_not_utf8_is_a_syntax_error() {
    let checker = emfilter::Checker::default();
    let checked = checker.check_bytes(b"JobName==\xff\xfe");
    assert_eq!(checked.diagnostics().len(), 1);
    assert_eq!(checked.diagnostics()[0].code(), Code::Syntax);
    assert_eq!(checked.diagnostics()[0].span(), emfilter::Span::new(9, 10));
}
