//! What a filter costs apart from time: heap allocations (counted by a counting allocator) and
//! instructions (counted by callgrind), over the same seeded 10,000-filter corpus as
//! `benches/parse.rs`. Both counts are the same on every run of the same build, whatever else
//! the machine is doing, which wall-clock times on a shared machine are not.
//!
//! ```text
//! cargo bench --bench cost                     allocations per filter, each stage
//! cargo bench --bench cost -- --instructions   also instructions per pass, under callgrind:
//!                                              emfilter's stages, the floor, and the peer
//!                                              parsers (built from benches/peers/)
//! ```
//!
//! For the instruction counts the bench runs itself (and the peers' `examples/pass.rs`) under
//! `valgrind --tool=callgrind --toggle-collect=<the stage's pass function>`: only the pass over
//! the corpus is counted, not building the corpus or starting the process. `--pass STAGE` runs
//! one pass of a stage and nothing else.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use emfilter::{schema, syntax, Checker, Filter};

#[path = "../tests/gen_filters.rs"]
#[allow(dead_code)]
mod gen_filters;

use gen_filters::{corpus, separators, SEED};

/// The system allocator, counting calls and bytes.
struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as u64, Relaxed);
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A growth is an allocation as far as cost goes: count it as one.
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()) as u64, Relaxed);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const CORPUS: usize = 10_000;

/// The stages measured, each one pass over the whole corpus.
const STAGES: [&str; 4] = ["floor", "parse", "check", "print"];

struct Corpus {
    filters: Vec<String>,
    checker: Checker,
    typed: Vec<Filter>,
}

impl Corpus {
    fn new() -> Corpus {
        let filters: Vec<String> = corpus(SEED, CORPUS).into_iter().map(|g| g.em).collect();
        let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
        let typed = filters
            .iter()
            .map(|f| checker.check(f).into_result().expect("a valid filter"))
            .collect();
        Corpus {
            filters,
            checker,
            typed,
        }
    }

    fn bytes(&self) -> usize {
        self.filters.iter().map(String::len).sum()
    }

    fn pass(&self, stage: &str) {
        match stage {
            "floor" => {
                black_box(pass_floor(&self.filters));
            }
            "parse" => pass_parse(&self.filters),
            "check" => pass_check(&self.checker, &self.filters),
            "print" => pass_print(&self.typed),
            other => panic!("no stage `{other}`; the stages are {STAGES:?}"),
        }
    }
}

/// The floor: one pass that only finds the separators (the same as `benches/parse.rs`).
#[inline(never)]
fn pass_floor(filters: &[String]) -> usize {
    filters.iter().map(|f| separators(black_box(f))).sum()
}

#[inline(never)]
fn pass_parse(filters: &[String]) {
    for f in filters {
        black_box(syntax::parse(black_box(f)));
    }
}

#[inline(never)]
fn pass_check(checker: &Checker, filters: &[String]) {
    for f in filters {
        black_box(checker.check(black_box(f)));
    }
}

#[inline(never)]
fn pass_print(typed: &[Filter]) {
    for f in typed {
        black_box(f.to_string());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--pass") {
        let stage = args.get(i + 1).map(String::as_str).unwrap_or("");
        // `--pass STAGE N`: N passes (for timing the stage with `time`).
        let n: usize = args.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(1);
        let corpus = Corpus::new();
        for _ in 0..n {
            corpus.pass(stage);
        }
        return;
    }
    // `cargo test --benches` runs this with `--test`: check it runs, quickly.
    let quick = args.iter().any(|a| a == "--test" || a == "--list");
    let corpus = Corpus::new();
    let n = corpus.filters.len();
    println!(
        "corpus: {n} filters, {} bytes (tests/gen_filters.rs, seed {SEED:#x})",
        corpus.bytes()
    );
    println!("\nallocations (counting allocator; a realloc counts as one):");
    println!(
        "{:<8} {:>14} {:>12} {:>14}",
        "stage", "allocations", "per filter", "bytes/filter"
    );
    for stage in STAGES {
        let (a0, b0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
        corpus.pass(stage);
        let (a, b) = (ALLOCS.load(Relaxed) - a0, BYTES.load(Relaxed) - b0);
        println!(
            "{stage:<8} {a:>14} {:>12.2} {:>14.1}",
            a as f64 / n as f64,
            b as f64 / n as f64
        );
    }
    if quick || !args.iter().any(|a| a == "--instructions") {
        return;
    }
    instructions(n);
}

/// Instructions per pass of each stage and of the peers, under callgrind.
fn instructions(n: usize) {
    if Command::new("valgrind").arg("--version").output().is_err() {
        println!("\ninstructions: valgrind is not installed; skipped");
        return;
    }
    let me = std::env::current_exe().expect("the bench's own path");
    let mut rows: Vec<(String, Option<u64>)> = Vec::new();
    for stage in STAGES {
        let count = callgrind(
            Command::new(&me).args(["--pass", stage]),
            &format!("*pass_{stage}*"),
        );
        rows.push((format!("emfilter {stage}"), count));
    }
    match build_peers() {
        Ok(pass) => {
            for (peer, function) in [("rsql", "pass_rsql"), ("rsql-rs", "pass_rsql_rs")] {
                let count = callgrind(Command::new(&pass).arg(peer), &format!("*{function}*"));
                rows.push((format!("{peer} parse"), count));
            }
        }
        Err(e) => println!("\nthe peers could not be built ({e}); they are left out"),
    }
    let floor = rows[0].1;
    println!("\ninstructions (callgrind, one pass over the corpus):");
    println!(
        "{:<18} {:>16} {:>12} {:>10} {:>9}",
        "", "instructions", "per filter", "per byte", "× floor"
    );
    let bytes: usize = corpus(SEED, CORPUS).iter().map(|g| g.em.len()).sum();
    for (name, count) in rows {
        match count {
            Some(c) => println!(
                "{name:<18} {c:>16} {:>12.0} {:>10.1} {:>9.1}",
                c as f64 / n as f64,
                c as f64 / bytes as f64,
                floor.map_or(f64::NAN, |f| c as f64 / f as f64)
            ),
            None => println!("{name:<18} (not measured)"),
        }
    }
}

/// The instructions `command` executes inside functions matching `function`.
fn callgrind(command: &mut Command, function: &str) -> Option<u64> {
    let out = std::env::temp_dir().join(format!("emfilter-cost-{}.callgrind", std::process::id()));
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let status = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(format!("--toggle-collect={function}"))
        .arg(&program)
        .args(&args)
        .stderr(std::process::Stdio::null())
        .status()
        .ok()?;
    let text = std::fs::read_to_string(&out).ok();
    let _ = std::fs::remove_file(&out);
    if !status.success() {
        return None;
    }
    text?.lines().find_map(|l| {
        l.strip_prefix("summary:")
            .or_else(|| l.strip_prefix("totals:"))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    })
}

/// Builds `benches/peers/examples/pass.rs` (see `benches/parse.rs` for why the peers have a
/// workspace of their own, and the flags rsql-rs needs) and returns its path.
fn build_peers() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("peers");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "--release", "--example", "pass"])
        .arg("--manifest-path")
        .arg(root.join("benches/peers/Cargo.toml"))
        .env("RUSTC_BOOTSTRAP", "1")
        .env(
            "RUSTFLAGS",
            "-Zcrate-attr=feature(error_generic_member_access)",
        )
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(status.to_string());
    }
    Ok(target.join("release/examples/pass"))
}
