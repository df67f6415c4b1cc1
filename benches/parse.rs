//! The parser's speed: parse alone, parse + check, and printing, over a named table of realistic
//! filters and over a generated corpus of 10,000 filters (`tests/gen_filters.rs`, seeded); a
//! floor (one pass that only finds the separators); the peer crates `rsql` and `rsql-rs` over
//! the same corpus (run from `benches/peers/`, see below); and the hostile inputs of
//! `tests/limits.rs` at 10 kB, 100 kB and 1 MB, whose throughput stays flat if time is linear.
//!
//! `cargo bench --bench parse` runs it all and ends with a table of ratios for the corpus, read
//! from criterion's latest saved results (so a run filtered to other groups shows older ones).
//! Criterion's usual arguments work (`-- --warm-up-time 1 --measurement-time 3`, a filter such
//! as `corpus`).
//!
//! The peers cannot be dev-dependencies of this crate: they require pest `~2.0`, emfilter pest
//! 2.7 or newer, and Cargo allows one semver-compatible version of a crate per build. So they
//! live in their own workspace, `benches/peers/`, which this bench builds and runs as a child
//! process, writing criterion's results next to this bench's. Set `EMFILTER_BENCH_PEERS=0` to
//! skip them.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, Criterion, Throughput};
use emfilter::{schema, syntax, Checker, Limits};

#[path = "../tests/gen_filters.rs"]
#[allow(dead_code)]
mod gen_filters;

use gen_filters::{corpus, separators, with_clauses, SEED};

/// The named table: realistic filters of 1, 3, 10 and 100 comparisons, and of each value shape.
fn table() -> Vec<(&'static str, String)> {
    vec![
        ("1-clause", "Result==Failed".to_owned()),
        (
            "3-clauses",
            r#"JobName=="SQL Replica";Result>=Warning;CreationTime>=2025-08-15T06:00:00Z"#
                .to_owned(),
        ),
        ("10-clauses", with_clauses(SEED, 10).em),
        ("100-clauses", with_clauses(SEED, 100).em),
        (
            "quoted-names",
            r#"(JobName=="Exchange ""Prod"" Backup",JobName=="SQL Replica, Tier 1");BackupServerName=="enterprise06.tech.local""#
                .to_owned(),
        ),
        (
            "datetimes",
            "CreationTime>=2025-08-14T12:31:30.389954Z;CreationTime<2025-08-15T00:00:00Z;\
             EndTime<=2025-02-19T00:25:42.2214567Z;EndTime>2025-02-18T14:16:31Z"
                .to_owned(),
        ),
        (
            "uids",
            "JobUid==urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067,\
             BackupServerUid==urn:veeam:BackupServer:ce15a8c7-aa49-495e-b05b-ee3398c91018,\
             UID!=urn:veeam:ReplicaJobSession:f7d731be-2a8c-4b2e-9fd4-1f5f1a0e7c11"
                .to_owned(),
        ),
    ]
}

fn named(c: &mut Criterion) {
    let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
    for (name, filter) in table() {
        let mut g = c.benchmark_group(format!("table/{name}"));
        g.throughput(Throughput::Bytes(filter.len() as u64));
        g.bench_function("parse", |b| b.iter(|| syntax::parse(black_box(&filter))));
        g.bench_function("parse+check", |b| {
            b.iter(|| checker.check(black_box(&filter)))
        });
        let typed = checker
            .check(&filter)
            .into_result()
            .expect("a valid filter");
        g.bench_function("print", |b| b.iter(|| black_box(&typed).to_string()));
        g.bench_function("floor", |b| b.iter(|| separators(black_box(&filter))));
        g.finish();
    }
}

/// The number of filters in the generated corpus.
const CORPUS: usize = 10_000;

fn generated(c: &mut Criterion) {
    let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
    let filters: Vec<String> = corpus(SEED, CORPUS).into_iter().map(|g| g.em).collect();
    let bytes: usize = filters.iter().map(String::len).sum();
    let typed: Vec<emfilter::Filter> = filters
        .iter()
        .map(|f| checker.check(f).into_result().expect("a valid filter"))
        .collect();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function("emfilter/parse", |b| {
        b.iter(|| {
            for f in &filters {
                black_box(syntax::parse(black_box(f)));
            }
        })
    });
    g.bench_function("emfilter/parse+check", |b| {
        b.iter(|| {
            for f in &filters {
                black_box(checker.check(black_box(f)));
            }
        })
    });
    g.bench_function("emfilter/print", |b| {
        b.iter(|| {
            for f in &typed {
                black_box(f.to_string());
            }
        })
    });
    g.bench_function("floor", |b| {
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

/// The hostile inputs of `tests/limits.rs`, `n` bytes long (or about).
fn hostile(shape: &str, n: usize) -> Vec<u8> {
    match shape {
        "open-parens" => vec![b'('; n],
        "close-parens" => vec![b')'; n],
        "clauses" => {
            let mut s = String::with_capacity(n + 32);
            let mut i = 0;
            while s.len() < n {
                if i > 0 {
                    s.push(';');
                }
                s.push_str("JobName==job");
                s.push_str(&i.to_string());
                i += 1;
            }
            s.into_bytes()
        }
        "quoted-value" => format!("JobName==\"{}\"", "a b".repeat(n / 3)).into_bytes(),
        "doubled-quotes" => format!("JobName==\"{}\"", "\"\"".repeat(n / 2)).into_bytes(),
        "not-utf8" => {
            let mut b = format!("JobName==\"{}", "x".repeat(n)).into_bytes();
            b.push(0xff);
            b
        }
        other => unreachable!("no shape {other}"),
    }
}

fn limits(c: &mut Criterion) {
    let checker = Checker::new(&schema::REPLICA_JOB_SESSION)
        .with_limits(Limits::new(usize::MAX, Limits::DEFAULT_NESTING));
    for shape in [
        "open-parens",
        "close-parens",
        "clauses",
        "quoted-value",
        "doubled-quotes",
        "not-utf8",
    ] {
        let mut g = c.benchmark_group(format!("limits/{shape}"));
        g.sample_size(10);
        for n in [10_000, 100_000, 1_000_000] {
            let input = hostile(shape, n);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_function(n.to_string(), |b| {
                b.iter(|| checker.check_bytes(black_box(&input)))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, named, generated, limits);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list" || a == "--test") {
        return;
    }
    if std::env::var_os("EMFILTER_BENCH_PEERS").is_some_and(|v| v == "0") {
        println!("\npeers skipped (EMFILTER_BENCH_PEERS=0)");
    } else {
        run_peers(&args);
    }
    summary();
}

/// Where criterion keeps its results: `$CRITERION_HOME`, else `target/criterion`.
fn criterion_home() -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("criterion"))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Builds and runs `benches/peers` with the same criterion arguments.
fn run_peers(args: &[String]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/Cargo.toml");
    println!(
        "\nrunning the peer crates: cargo bench --manifest-path {}",
        manifest.display()
    );
    let status = std::process::Command::new(cargo)
        .args(["bench", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["--bench", "peers", "--"])
        .args(args.iter().filter(|a| *a != "--bench"))
        .current_dir(manifest.parent().expect("benches/peers"))
        // rsql-rs 0.2.0 was written for a 2020 nightly: it needs `#![feature]`s that stable
        // accepts only with RUSTC_BOOTSTRAP, and one more that its thiserror derive uses.
        .env("RUSTC_BOOTSTRAP", "1")
        .env(
            "RUSTFLAGS",
            "-Zcrate-attr=feature(error_generic_member_access)",
        )
        .env("CARGO_TARGET_DIR", target_dir().join("peers"))
        .env("CRITERION_HOME", criterion_home())
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => println!("the peer benchmark failed ({s}); the table below lacks them"),
        Err(e) => println!("the peer benchmark could not start ({e}); the table below lacks them"),
    }
}

/// Criterion's mean time for a benchmark, in nanoseconds, from its saved estimates.
fn mean_ns(group: &str, id: &str) -> Option<f64> {
    let path = criterion_home()
        .join(group.replace('/', "_"))
        .join(id.replace('/', "_"))
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

/// The corpus results side by side: time per pass, MB/s, filters/s, and the ratio to the floor
/// and to emfilter's parse + check.
fn summary() {
    let bytes: usize = corpus(SEED, CORPUS).iter().map(|g| g.em.len()).sum();
    let rows = [
        "floor",
        "emfilter/parse",
        "emfilter/parse+check",
        "emfilter/print",
        "rsql/parse",
        "rsql-rs/parse",
    ];
    let floor = mean_ns("corpus", "floor");
    let ours = mean_ns("corpus", "emfilter/parse+check");
    println!("\ncorpus of {CORPUS} filters, {bytes} bytes (EM syntax):");
    println!(
        "{:<22} {:>12} {:>10} {:>14} {:>10} {:>14}",
        "", "ms/pass", "MB/s", "filters/s", "× floor", "× parse+check"
    );
    for row in rows {
        let Some(ns) = mean_ns("corpus", row) else {
            println!("{row:<22} (not measured in this run)");
            continue;
        };
        let secs = ns / 1e9;
        println!(
            "{row:<22} {:>12.3} {:>10.1} {:>14.0} {:>10.1} {:>14.2}",
            ns / 1e6,
            bytes as f64 / secs / 1e6,
            CORPUS as f64 / secs,
            floor.map_or(f64::NAN, |f| ns / f),
            ours.map_or(f64::NAN, |o| ns / o),
        );
    }
}
