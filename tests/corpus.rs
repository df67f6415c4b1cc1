//! The data-driven corpora: `tests/corpus/valid.toml` (filters and their canonical form) and
//! `tests/corpus/invalid.toml` (filters and the diagnostics they must produce).

use emfilter::{Checker, Severity};
use serde::Deserialize;

use crate::support::{assert_spans_nest, roundtrip_to, schema_named};

#[derive(Deserialize)]
struct Valid {
    case: Vec<ValidCase>,
}

#[derive(Deserialize)]
struct ValidCase {
    #[serde(rename = "type")]
    ty: Option<String>,
    filter: String,
    canonical: String,
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct Invalid {
    case: Vec<InvalidCase>,
}

#[derive(Deserialize)]
struct InvalidCase {
    #[serde(rename = "type")]
    ty: Option<String>,
    filter: String,
    diagnostics: Vec<Expected>,
}

#[derive(Deserialize)]
struct Expected {
    code: String,
    span: [u32; 2],
    fix: Option<String>,
}

fn load<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("{}/tests/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn valid_filters_print_canonically() {
    let corpus: Valid = load("valid.toml");
    assert!(corpus.case.len() > 40);
    for case in &corpus.case {
        let schema = schema_named(case.ty.as_deref());
        let checked = Checker::new(schema).check(&case.filter);
        let warnings: Vec<&str> = checked
            .diagnostics()
            .iter()
            .map(|d| d.code().as_str())
            .collect();
        assert_eq!(
            warnings,
            case.warnings,
            "diagnostics of `{}`: {:#?}",
            case.filter,
            checked.diagnostics()
        );
        assert!(checked
            .diagnostics()
            .iter()
            .all(|d| d.severity() == Severity::Warning));
        assert_spans_nest(checked.ast().expect("parsed"));
        roundtrip_to(schema, &case.filter, &case.canonical);
    }
}

#[test]
fn invalid_filters_report_every_problem() {
    let corpus: Invalid = load("invalid.toml");
    for case in &corpus.case {
        let schema = schema_named(case.ty.as_deref());
        let checked = Checker::new(schema).check(&case.filter);
        assert!(!checked.is_valid(), "`{}` should be invalid", case.filter);
        let got: Vec<(String, [u32; 2])> = checked
            .diagnostics()
            .iter()
            .map(|d| (d.code().to_string(), [d.span().start, d.span().end]))
            .collect();
        let want: Vec<(String, [u32; 2])> = case
            .diagnostics
            .iter()
            .map(|d| (d.code.clone(), d.span))
            .collect();
        assert_eq!(
            got,
            want,
            "diagnostics of `{}`: {:#?}",
            case.filter,
            checked.diagnostics()
        );
        for (d, e) in checked.diagnostics().iter().zip(&case.diagnostics) {
            assert!(!d.message().is_empty());
            assert!(d.span().end as usize <= case.filter.len());
            // Messages are words, never the grammar's rule names.
            for rule in [
                "disjunction",
                "conjunction",
                "foreign_op",
                "quoted_text",
                "EOI",
                "WHITESPACE",
                "Rule",
            ] {
                assert!(
                    !d.message().contains(rule),
                    "rule name in `{}`",
                    d.message()
                );
            }
            if let Some(fix) = &e.fix {
                let got = d
                    .fix()
                    .unwrap_or_else(|| panic!("`{}`: {} has no fix", case.filter, d.code()));
                assert_eq!(
                    &got.replacement,
                    fix,
                    "fix of {} in `{}`",
                    d.code(),
                    case.filter
                );
            }
        }
        if let Some(ast) = checked.ast() {
            assert_spans_nest(ast);
        }
    }
}

/// Applying every fix of an invalid filter whose problems all have fixes makes it valid.
#[test]
fn fixes_repair_what_they_claim() {
    let cases = [
        (
            "JobNmae==x;CreationTime>2025-08-14T12:31:30+02:00",
            "JobName==x;CreationTime>2025-08-14T10:31:30Z",
        ),
        ("Result=Sucess", "Result==Success"),
        (
            "Result<>Failed;(State==Working",
            "Result!=Failed;(State==Working)",
        ),
        (
            "CreationTime>=\"2019-06-30\"",
            "CreationTime>=\"2019-06-30T00:00:00Z\"",
        ),
        (
            "Result==Failed&State==Stopped",
            "Result==Failed;State==Stopped",
        ),
        ("Result==Failed;", "Result==Failed"),
    ];
    for (filter, fixed) in cases {
        let mut text = filter.to_owned();
        // Apply one fix at a time, re-checking, until none is left.
        for _ in 0..10 {
            let checked = crate::support::check(&text);
            let Some(fix) = checked.diagnostics().iter().find_map(|d| d.fix()) else {
                break;
            };
            text = fix.apply(&text).expect("fix fits");
        }
        assert_eq!(text, fixed, "fixing `{filter}`");
        assert!(crate::support::check(&text).is_valid());
    }
}
