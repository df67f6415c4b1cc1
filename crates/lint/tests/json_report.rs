//! The JSON report's fast writer (`Report::write_pretty`) against its definition, the derived
//! `Serialize` printed by `serde_json::to_string_pretty`: the same bytes for any text (quotes,
//! backslashes, control characters, any Unicode), any diagnostics the checker gives, every kind
//! of type source, alone and as elements of the array the CLI writes.

use emfilter::Checker;
use emfilter_lint::render::json::Report;
use emfilter_lint::{QueryType, TypeSource};
use proptest::prelude::*;

fn type_source() -> impl Strategy<Value = TypeSource> {
    prop_oneof![
        Just(TypeSource::Url),
        any::<usize>().prop_map(|line| TypeSource::Sibling { line }),
        any::<String>().prop_map(|glob| TypeSource::Config { glob }),
        Just(TypeSource::CommandLine),
        Just(TypeSource::Default),
    ]
}

/// Filter-like text: real filters (valid or not, so that there are diagnostics and canonical
/// forms) and arbitrary strings.
fn filter_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[A-Za-z]{1,12}(==|!=|<|>=)(\"[ -~]{0,12}\"|[ -~]{0,20})(;[A-Za-z]{1,10}==[ -~]{0,10}){0,3}",
        Just("JobName==\"ERP \\\"x\\\"\";Result==Failed".to_owned()),
        Just("Result==Bogus,State=Working&x".to_owned()),
        // Canonical already, and canonical only after changes that keep the length.
        Just("JobName==\"a b\";IsRetry==True".to_owned()),
        Just("isretry==true;jobname==x".to_owned()),
    ]
}

/// Everything a report borrows.
#[derive(Debug, Clone)]
struct Parts {
    source: String,
    line: Option<usize>,
    column: Option<usize>,
    offset: Option<usize>,
    filter: String,
    checked_as: Option<(String, TypeSource)>,
}

fn parts() -> impl Strategy<Value = Parts> {
    (
        any::<String>(),
        any::<Option<usize>>(),
        any::<Option<usize>>(),
        any::<Option<usize>>(),
        filter_text(),
        proptest::option::of(("[A-Za-z\"\\\\\u{1}-\u{1f}é]{0,12}", type_source())),
    )
        .prop_map(|(source, line, column, offset, filter, checked_as)| Parts {
            source,
            line,
            column,
            offset,
            filter,
            checked_as,
        })
}

/// Checks each report's filter and hands the reports to `then`.
fn with_reports(parts: &[Parts], then: impl FnOnce(&[Report<'_>])) {
    let checker = Checker::default();
    let checked: Vec<_> = parts.iter().map(|p| checker.check(&p.filter)).collect();
    let types: Vec<Option<QueryType>> = parts
        .iter()
        .map(|p| {
            p.checked_as
                .as_ref()
                .map(|(name, source)| QueryType::new(name, source.clone()))
        })
        .collect();
    let reports: Vec<Report<'_>> = parts
        .iter()
        .zip(&checked)
        .zip(&types)
        .map(|((p, c), t)| Report {
            source: &p.source,
            line: p.line,
            column: p.column,
            offset: p.offset,
            filter: &p.filter,
            valid: c.is_valid(),
            canonical: c.filter(),
            diagnostics: c.diagnostics(),
            checked_as: t.as_ref(),
        })
        .collect();
    then(&reports);
}

/// `report` inside `depth` arrays of one element each: a report written that deep.
struct Nested<'r, 'a>(usize, &'r Report<'a>);

impl serde::Serialize for Nested<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self.0 {
            0 => self.1.serialize(s),
            depth => {
                let mut seq = s.serialize_seq(Some(1))?;
                seq.serialize_element(&Nested(depth - 1, self.1))?;
                seq.end()
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn one_report_is_written_as_serde_writes_it(p in parts()) {
        with_reports(std::slice::from_ref(&p), |reports| {
            let mut fast = String::new();
            reports[0].write_pretty(&mut fast, 0).unwrap();
            assert_eq!(fast, serde_json::to_string_pretty(&reports[0]).unwrap());
        });
    }

    #[test]
    fn a_report_deep_in_arrays_is_written_as_serde_writes_it(p in parts(), depth in 0usize..48) {
        with_reports(std::slice::from_ref(&p), |reports| {
            let mut fast = String::new();
            for level in 1..=depth {
                fast.push_str("[\n");
                fast.push_str(&"  ".repeat(level));
            }
            reports[0].write_pretty(&mut fast, depth).unwrap();
            for level in (0..depth).rev() {
                fast.push('\n');
                fast.push_str(&"  ".repeat(level));
                fast.push(']');
            }
            let nested = Nested(depth, &reports[0]);
            assert_eq!(fast, serde_json::to_string_pretty(&nested).unwrap());
        });
    }

    #[test]
    fn an_array_of_reports_is_written_as_serde_writes_it(ps in proptest::collection::vec(parts(), 0..4)) {
        with_reports(&ps, |reports| {
            // As the CLI writes its array: each element one level deep.
            let mut fast = String::new();
            for (i, r) in reports.iter().enumerate() {
                fast.push_str(if i == 0 { "[\n  " } else { ",\n  " });
                r.write_pretty(&mut fast, 1).unwrap();
            }
            fast.push_str(if reports.is_empty() { "[]" } else { "\n]" });
            assert_eq!(fast, serde_json::to_string_pretty(reports).unwrap());
        });
    }
}
