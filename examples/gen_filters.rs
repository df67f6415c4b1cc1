//! Writes the benchmarks' corpus (`tests/gen_filters.rs`, seeded) one filter per line: the input
//! of the command-line benchmark, `benches/cli.sh`.
//!
//! ```text
//! cargo run --release --example gen_filters -- [N] > filters.txt      (N: 10000 by default)
//! ```

use std::io::{self, BufWriter, Write};

#[path = "../tests/gen_filters.rs"]
#[allow(dead_code)]
mod gen_filters;

fn main() -> io::Result<()> {
    let n = match std::env::args().nth(1) {
        Some(a) => a
            .parse()
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("N `{a}`: {e}")))?,
        None => 10_000,
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for g in gen_filters::corpus(gen_filters::SEED, n) {
        writeln!(out, "{}", g.em)?;
    }
    out.flush()
}
