//! The benchmarks' corpus generator (`tests/gen_filters.rs`): deterministic, and every filter it
//! makes is valid, so the benchmarks measure the path real filters take.

use emfilter::{schema, Checker};

use crate::gen_filters::{corpus, separators, with_clauses, SEED};

#[test]
fn every_generated_filter_is_valid_without_a_warning() {
    let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
    let filters = corpus(SEED, 2_000);
    for g in &filters {
        let checked = checker.check(&g.em);
        assert!(
            checked.is_valid() && checked.diagnostics().is_empty(),
            "`{}`: {:?}",
            g.em,
            checked.diagnostics()
        );
        assert_eq!(checked.filter().unwrap().root().comparisons(), g.clauses);
        // The RSQL spelling differs only in how a quote inside a quoted value is escaped.
        assert_eq!(g.rsql.replace("\\\"", "\"\""), g.em);
    }
    assert!(filters.iter().any(|g| g.clauses > 12));
    assert!(filters.iter().any(|g| g.em.contains('(')));
    assert!(filters.iter().any(|g| g.em.contains("\"\"")));
    for n in [1, 3, 10, 100, 1000] {
        let g = with_clauses(SEED, n);
        let checked = checker.check(&g.em);
        assert_eq!(
            checked.filter().unwrap().root().comparisons(),
            n,
            "{}",
            g.em
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_corpus() {
    assert_eq!(corpus(SEED, 300), corpus(SEED, 300));
    assert_ne!(corpus(SEED, 300), corpus(SEED + 2, 300));
    assert_eq!(separators("(a==1;b==2),c==\";\""), 5);
}
