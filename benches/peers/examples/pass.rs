//! One pass of a peer parser over the benchmarks' corpus, for counting instructions:
//! `benches/cost.rs` runs it under `valgrind --tool=callgrind` with collection switched on only
//! inside the `pass_*` functions, so building the corpus is not counted.
//!
//! ```text
//! cargo run --release --example pass -- rsql|rsql-rs|floor
//! ```

use std::hint::black_box;

use rsql::parser::Parser as _;
use rsql_rs::parser::Parser as _;

#[path = "../../../tests/gen_filters.rs"]
#[allow(dead_code)]
mod gen_filters;

use gen_filters::{corpus, separators, SEED};

const CORPUS: usize = 10_000;

#[inline(never)]
fn pass_rsql(filters: &[String]) {
    let parser = rsql::parser::rsql::RsqlParser::default();
    for f in filters {
        let _ = black_box(parser.parse_to_node(black_box(f)));
    }
}

#[inline(never)]
fn pass_rsql_rs(filters: &[String]) {
    for f in filters {
        let _ = black_box(rsql_rs::parser::rsql::RsqlParser::parse_to_node(black_box(
            f,
        )));
    }
}

#[inline(never)]
fn pass_floor(filters: &[String]) -> usize {
    filters.iter().map(|f| separators(black_box(f))).sum()
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let filters: Vec<String> = corpus(SEED, CORPUS).into_iter().map(|g| g.rsql).collect();
    match which.as_str() {
        "rsql" => pass_rsql(&filters),
        "rsql-rs" => pass_rsql_rs(&filters),
        "floor" => {
            black_box(pass_floor(&filters));
        }
        other => {
            eprintln!("usage: pass rsql|rsql-rs|floor (not `{other}`)");
            std::process::exit(2);
        }
    }
}
