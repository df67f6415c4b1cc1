//! The URL lint cases of `tests/corpus/urls.toml`, run by one harness: each query URL or query
//! string, the diagnostics it gives (code, byte span, and the text the span covers), and, where
//! given, the URL with every fix applied and the canonical form of its filter. A new case is a
//! few lines of TOML.

use std::fmt::Write as _;

use emfilter_lint::{Context, Kind, Linter};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// The URL or query string, as it stands in a file.
    url: String,
    /// Each diagnostic, in order: `code start..end` and the text the span covers, if any.
    expect: Vec<String>,
    /// The URL with every fix applied, safe or not (`--fix --unsafe-fixes`), when given.
    fixed: Option<String>,
    /// The canonical form of the filter, when given (`""` when the query has no valid filter).
    canonical: Option<String>,
    /// Whether placeholders are recognised, as in scanned files and `--url` (default: no, as the
    /// library's default context, which takes the text literally).
    #[serde(default)]
    placeholders: bool,
}

/// How a diagnostic is written in the corpus.
fn describe(url: &str, d: &emfilter::Diagnostic) -> String {
    let s = d.span();
    let covered = url
        .get(s.range())
        .unwrap_or("<not on a character boundary>");
    let mut out = format!("{} {}..{}", d.code(), s.start, s.end);
    if !covered.is_empty() {
        let _ = write!(out, " {covered}");
    }
    out
}

#[test]
fn url_corpus() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/urls.toml");
    let text = std::fs::read_to_string(path).expect("the corpus");
    let corpus: Corpus = toml::from_str(&text).expect("the corpus is well-formed");
    assert!(corpus.case.len() >= 30, "the corpus lost its cases");
    let linter = Linter::default();
    let mut failures = String::new();
    for case in &corpus.case {
        let context = Context {
            placeholders: case.placeholders,
            ..Context::default()
        };
        let linted = linter.lint(&case.url, Kind::Query, context);
        let found: Vec<String> = linted
            .diagnostics()
            .iter()
            .map(|d| describe(&case.url, d))
            .collect();
        if found != case.expect {
            let _ = writeln!(
                failures,
                "url = {:?}\n  expected {:?}\n  found    expect = {:?}\n",
                case.url, case.expect, found
            );
        }
        if let Some(want) = &case.fixed {
            let (got, _) = linter.fix(&case.url, Kind::Query, context);
            if &got != want {
                let _ = writeln!(
                    failures,
                    "url = {:?}\n  fixed should be {want:?}\n  and is          {got:?}\n",
                    case.url
                );
            }
        }
        if let Some(want) = &case.canonical {
            let got = linted.filter().map(ToString::to_string).unwrap_or_default();
            if &got != want {
                let _ = writeln!(
                    failures,
                    "url = {:?}\n  canonical should be {want:?}\n  and is              {got:?}\n",
                    case.url
                );
            }
        }
    }
    assert!(failures.is_empty(), "\n{failures}");
}
