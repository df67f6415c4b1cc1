//! `rsql` 0.4.3 and `rsql-rs` 0.2.0 (both pest-based FIQL/RSQL parsers) parsing the same seeded
//! corpus as emfilter's `benches/parse.rs`, group `corpus`, with the same floor.
//!
//! Where the syntax had to differ: a `"` inside a quoted value is `\"` for them and `""` in EM's
//! syntax; everything else (names, `==` `!=` `<` `<=` `>` `>=`, `;` `,`, parentheses, unquoted
//! UIDs and date-times, quoted names) is the same text. Neither crate anchors its parse at the
//! end of the input, so each filter is also checked once, below, to parse as a whole.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rsql::parser::Parser as _;
use rsql_rs::parser::Parser as _;

#[path = "../../../tests/gen_filters.rs"]
#[allow(dead_code)]
mod gen_filters;

use gen_filters::{corpus, separators, SEED};

const CORPUS: usize = 10_000;

fn peers(c: &mut Criterion) {
    let generated = corpus(SEED, CORPUS);
    // Throughput is counted in the EM spelling's bytes, as for emfilter, so MB/s compare.
    let bytes: usize = generated.iter().map(|g| g.em.len()).sum();
    let filters: Vec<String> = generated.into_iter().map(|g| g.rsql).collect();

    let rsql_parser = rsql::parser::rsql::RsqlParser::default();
    for f in &filters {
        let expr = rsql_parser
            .parse_to_node(f)
            .unwrap_or_else(|e| panic!("rsql rejects `{f}`: {e:?}"));
        black_box(expr);
        rsql_rs::parser::rsql::RsqlParser::parse_to_node(f)
            .unwrap_or_else(|e| panic!("rsql-rs rejects `{f}`: {e:?}"));
    }

    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("rsql/parse", |b| {
        b.iter(|| {
            for f in &filters {
                let _ = black_box(rsql_parser.parse_to_node(black_box(f)));
            }
        })
    });
    g.bench_function("rsql-rs/parse", |b| {
        b.iter(|| {
            for f in &filters {
                let _ = black_box(rsql_rs::parser::rsql::RsqlParser::parse_to_node(black_box(f)));
            }
        })
    });
    g.bench_function("floor-rsql", |b| {
        b.iter(|| {
            let mut n = 0;
            for f in &filters {
                n += separators(black_box(f));
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
