//! The two readers of the syntax, held to one answer: the hand-written reader reads a tree
//! exactly when the grammar reads one without a diagnostic, the same tree with the same spans,
//! and `parse` answers as the grammar does (the oracle of the fuzz target `differential`, here
//! over token soup, the corpora and the benchmarks' corpus). And checking, which reads with the
//! hand-written reader when it can, says what it says through the grammar.

use emfilter::syntax::{self, Limits};
use emfilter::{schema, Checker};
use proptest::prelude::*;

use crate::fuzz_oracle;
use crate::gen_filters::{corpus, with_clauses, SEED};

/// Pieces that filters, near-filters and broken filters are made of.
const TOKENS: &[&str] = &[
    "(",
    ")",
    ";",
    ",",
    "\"",
    "\"\"",
    " ",
    "\t",
    "\r\n",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "<>",
    "=gt=",
    "!",
    "Result",
    "JobName",
    "result",
    "_f.1",
    "9",
    "Failed",
    "a b",
    "x",
    "é",
    "\u{a0}",
    "&",
    "*",
    "AND",
    "2025-08-14T12:31:30Z",
    "urn:veeam:Job:",
    "dce85686-59c8-42c4-8766-f1c00a5b8067",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..24).prop_map(|t| t.concat())
}

/// Mostly well-formed comparisons, sometimes with one piece of soup where it hurts.
fn near_filter() -> impl Strategy<Value = String> {
    let comparison = (
        prop::sample::select(&["Result", "JobName", "IsRetry", "X"][..]),
        prop::sample::select(&["==", "!=", "<", "<=", ">", ">=", " == ", "< >"][..]),
        prop::sample::select(
            &[
                "Failed",
                "\"SQL Replica\"",
                "\"a\"\"b\"",
                "\"\"Prod\"\"",
                "\"\"",
                "a b ",
                "=x",
                "\"(;,)\"",
            ][..],
        ),
    )
        .prop_map(|(f, o, v)| format!("{f}{o}{v}"));
    (
        prop::collection::vec((comparison, 0..3usize, 0..3usize, any::<bool>()), 1..6),
        soup(),
        any::<u8>(),
    )
        .prop_map(|(items, extra, at)| {
            let mut s = String::new();
            let mut depth = 0usize;
            for (i, (c, open, close, and)) in items.iter().enumerate() {
                if i > 0 {
                    s.push(if *and { ';' } else { ',' });
                }
                s.push_str(&"(".repeat(*open));
                depth += open;
                s.push_str(c);
                let close = (*close).min(depth);
                s.push_str(&")".repeat(close));
                depth -= close;
            }
            s.push_str(&")".repeat(depth));
            if at % 3 == 0 {
                let mut at = usize::from(at) % (s.len() + 1);
                while !s.is_char_boundary(at) {
                    at -= 1;
                }
                s.insert_str(at, &extra);
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_readers_agree_on_token_soup(text in soup()) {
        fuzz_oracle::differential(text.as_bytes());
    }

    #[test]
    fn the_readers_agree_on_near_filters(text in near_filter()) {
        fuzz_oracle::differential(text.as_bytes());
    }

    #[test]
    fn checking_says_the_same_through_either_reader(text in near_filter()) {
        check_both_ways(&text);
    }
}

/// `text` checked as the checker does (the hand-written reader first) and through a tree the
/// grammar read: the same diagnostics and the same typed filter.
fn check_both_ways(text: &str) {
    let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
    let checked = checker.check(text);
    let grammar = syntax::parse_with_grammar(text, &checker.limits());
    assert_eq!(
        checked.ast(),
        grammar.ast.as_ref(),
        "`{text}`: the checked tree"
    );
    if syntax::parse_fast(text, &checker.limits()).is_some() {
        // The grammar reads the same tree; printed and checked again, it means the same.
        let printed = grammar.ast.as_ref().expect("a tree").to_string();
        let again = checker.check(&printed);
        assert_eq!(again.filter(), checked.filter(), "`{text}` as `{printed}`");
    }
}

#[test]
fn the_benchmark_corpus_is_read_by_the_hand_written_reader() {
    let limits = Limits::default();
    let mut texts: Vec<String> = corpus(SEED, 2_000).into_iter().map(|g| g.em).collect();
    texts.extend([10, 100, 1000].map(|n| with_clauses(SEED, n).em));
    for text in &texts {
        let fast = syntax::parse_fast(text, &limits);
        assert!(fast.is_some(), "`{text}` declined");
        assert_eq!(fast, syntax::parse_with_grammar(text, &limits).ast);
    }
}

#[test]
fn the_readers_agree_on_the_corpora() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(root).expect("tests/corpus") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a corpus");
        let table: toml::Table = text.parse().expect("TOML");
        for case in table["case"].as_array().expect("cases") {
            let filter = case["filter"].as_str().expect("a filter");
            fuzz_oracle::differential(filter.as_bytes());
            check_both_ways(filter);
            n += 1;
        }
    }
    assert!(n >= 100, "only {n} filters");
}

#[test]
fn the_reader_declines_what_needs_words_and_reads_whitespace_anywhere() {
    let limits = Limits::default();
    for declined in [
        "",
        " ",
        "Result=Failed",
        "Result<>Failed",
        "Result=gt=Failed",
        "(Result==Failed",
        "Result==Failed)",
        "Result==Failed;",
        "Result==\"Failed",
        "Result==x\"y\"",
        "Result==\"\"a\"\"\"",
        "9Result==x",
        "Result==",
    ] {
        assert_eq!(syntax::parse_fast(declined, &limits), None, "`{declined}`");
    }
    let spaced = " \t( Result == Failed ) ;\r\n( IsRetry != True , JobName == \"a\"\"b\" ) ";
    let ast = syntax::parse_fast(spaced, &limits).expect("read");
    assert_eq!(
        ast.to_string(),
        "(Result==Failed);(IsRetry!=True,JobName==\"a\"\"b\")"
    );
    assert_eq!(Some(ast), syntax::parse_with_grammar(spaced, &limits).ast);
    // The limits: one byte or one level more and the reader declines, as the pre-scan refuses.
    let small = Limits::new(16, 1);
    assert!(syntax::parse_fast("(Result==Failed)", &small).is_some());
    assert!(syntax::parse_fast("((Result==Fail))", &small).is_none());
    assert!(syntax::parse_fast("((Result==Fail))", &Limits::new(16, 2)).is_some());
    assert!(syntax::parse_fast("(Result==Failed);", &small).is_none());
    assert!(syntax::parse_fast("Result==Failed;x==1", &small).is_none());
}
