//! Hostile input, built at test time: every case ends with a diagnostic or a result, on a thread
//! with a 256 KiB stack, in the debug and the release build alike. That the time is linear in the
//! size is measured by `benches/parse.rs` (group `limits`), not asserted here by a clock.

use emfilter::schema::{self, Schema};
use emfilter::{Checked, Checker, Code, Limits, Span};

/// The stack every case runs on: a quarter of a megabyte, far less than a main thread's.
const SMALL_STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a 256 KiB stack; a stack overflow aborts the test binary, a panic
/// fails this test.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .name("small-stack".to_owned())
        .stack_size(SMALL_STACK)
        .spawn(f)
        .expect("a thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

fn replica() -> &'static Schema {
    &schema::REPLICA_JOB_SESSION
}

/// Checks `filter` on the small stack under `limits`.
fn check(filter: String, limits: Limits) -> Checked {
    on_small_stack(move || Checker::new(replica()).with_limits(limits).check(&filter))
}

fn codes(checked: &Checked) -> Vec<Code> {
    checked.diagnostics().iter().map(|d| d.code()).collect()
}

/// The typed filter, or a failure that shows the first diagnostics.
fn valid(checked: &Checked) -> &emfilter::Filter {
    checked.filter().unwrap_or_else(|| {
        let first: Vec<_> = checked.diagnostics().iter().take(3).collect();
        panic!("not valid: {first:?}")
    })
}

/// No length limit to speak of, the default nesting limit.
fn long() -> Limits {
    Limits::new(usize::MAX, Limits::DEFAULT_NESTING)
}

const MIB: usize = 1 << 20;

#[test]
fn a_megabyte_of_open_parentheses() {
    for limits in [Limits::default(), Limits::new(usize::MAX, usize::MAX)] {
        let checked = check("(".repeat(MIB), limits);
        assert!(!checked.is_valid());
        assert_eq!(codes(&checked)[0], Code::NestingTooDeep);
        let at = limits.max_nesting;
        assert_eq!(checked.diagnostics()[0].span(), Span::new(at, at + 1));
    }
}

#[test]
fn a_megabyte_of_close_parentheses() {
    let checked = check(")".repeat(MIB), Limits::default());
    assert_eq!(codes(&checked), [Code::Syntax, Code::FilterTooLong]);
    assert_eq!(checked.diagnostics()[0].span(), Span::new(0, 1));
    let checked = check(")".repeat(MIB), long());
    assert_eq!(codes(&checked), [Code::Syntax]);
}

/// `n` comparisons joined by `;`, each with a value of its own.
fn chain(n: usize) -> String {
    let mut s = String::with_capacity(n * 24);
    for i in 0..n {
        if i > 0 {
            s.push(';');
        }
        s.push_str("JobName==job");
        s.push_str(&i.to_string());
    }
    s
}

#[test]
fn a_hundred_thousand_clauses() {
    let filter = chain(100_000);
    // Under the default limits: too long, said once.
    let checked = check(filter.clone(), Limits::default());
    assert_eq!(codes(&checked), [Code::FilterTooLong]);
    // With the length limit raised: checked, all of it.
    let checked = check(filter, long());
    let f = valid(&checked);
    assert_eq!(f.root().comparisons(), 100_000);
}

#[test]
fn a_flat_chain_of_a_million_clauses() {
    let filter = chain(1_000_000);
    let len = filter.len();
    let checked = on_small_stack(move || {
        let checked = Checker::new(replica()).with_limits(long()).check(&filter);
        // Printing the million-clause filter is as flat as parsing it.
        let printed = valid(&checked).to_string();
        assert_eq!(printed.len(), len);
        checked
    });
    assert_eq!(valid(&checked).root().comparisons(), 1_000_000);
}

#[test]
fn alternating_and_or_stays_flat() {
    // `a;b,c;d,…`: an OR of two-item ANDs, two levels deep however long.
    let mut filter = String::new();
    for i in 0..100_000 {
        if i > 0 {
            filter.push(if i % 2 == 1 { ';' } else { ',' });
        }
        filter.push_str("Result==Failed");
    }
    let checked = check(filter, long());
    assert_eq!(codes(&checked), [Code::MixedAndOr]);
    assert_eq!(valid(&checked).root().comparisons(), 100_000);
}

#[test]
fn a_one_megabyte_quoted_value() {
    let filter = format!("JobName==\"{}\"", "a b".repeat(MIB / 3));
    let checked = check(filter.clone(), Limits::default());
    assert_eq!(codes(&checked), [Code::FilterTooLong]);
    let checked = check(filter, long());
    let f = valid(&checked);
    assert_eq!(f.to_string().len(), "JobName==\"\"".len() + 3 * (MIB / 3));
    // Never closed: the pre-scan says so without reading it twice.
    let checked = check(format!("JobName==\"{}", "x".repeat(MIB)), long());
    assert_eq!(codes(&checked), [Code::Syntax]);
    assert_eq!(checked.diagnostics()[0].span(), Span::new(9, 10 + MIB));
}

#[test]
fn a_value_of_a_hundred_thousand_doubled_quotes() {
    // `"` then 100,000 `""` then `"`: a value of 100,000 quotes.
    let filter = format!("JobName==\"{}\"", "\"\"".repeat(100_000));
    let checked = check(filter.clone(), long());
    let f = valid(&checked);
    assert_eq!(f.to_string(), filter);
    let value = checked.ast().expect("parsed").root();
    let emfilter::syntax::ExprKind::Comparison(c) = value.kind() else {
        panic!("one comparison");
    };
    assert_eq!(c.value.text.len(), 100_000);
    assert!(c.value.text.bytes().all(|b| b == b'"'));
    // An odd count leaves the last quote open.
    let checked = check(format!("JobName==\"{}", "\"\"".repeat(100_000)), long());
    assert_eq!(codes(&checked), [Code::Syntax]);
    // Unquoted, the quotes are an error at the first of them.
    let checked = check(format!("JobName==x{}", "\"\"".repeat(100_000)), long());
    assert_eq!(codes(&checked), [Code::Syntax]);
    assert_eq!(checked.diagnostics()[0].span(), Span::new(10, 11));
}

/// A reproducible stream of bytes (xorshift64*), so that a failure can be replayed.
fn random_bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

#[test]
fn random_bytes_that_are_not_utf8() {
    for seed in 1..=64u64 {
        let mut bytes = random_bytes(seed, 4096);
        // Make sure at least one byte can never start or continue UTF-8.
        bytes[(seed as usize * 61) % 4096] = 0xff;
        let expected_at = std::str::from_utf8(&bytes)
            .expect_err("not UTF-8")
            .valid_up_to();
        let checked = on_small_stack(move || Checker::default().check_bytes(&bytes));
        assert_eq!(codes(&checked), [Code::Syntax], "seed {seed}");
        let d = &checked.diagnostics()[0];
        assert_eq!(d.span().start as usize, expected_at, "seed {seed}");
        assert!(d.message().contains("not UTF-8"), "seed {seed}");
        assert!(checked.ast().is_none());
    }
    // A megabyte of them, and a multi-byte character cut short at the very end.
    let bytes = random_bytes(7, MIB);
    let checked = on_small_stack(move || Checker::default().check_bytes(&bytes));
    assert!(!checked.is_valid());
    let mut cut = b"JobName==caf\xc3\xa9".to_vec();
    cut.pop();
    let checked = on_small_stack(move || Checker::default().check_bytes(&cut));
    assert_eq!(codes(&checked), [Code::Syntax]);
    assert_eq!(checked.diagnostics()[0].span(), Span::new(12, 13));
}

/// `depth` levels of parentheses, alternating OR inside AND inside OR …, around a comparison: the
/// deepest tree the recursive stages (pest, lowering, checking, printing, dropping) can be given.
fn alternating(depth: usize) -> String {
    let mut s = String::from("Result==Failed");
    for i in 0..depth {
        let sep = if i % 2 == 0 { ',' } else { ';' };
        s = format!("State==Working{sep}({s})");
    }
    s
}

#[test]
fn the_deepest_nesting_allowed_fits_a_small_stack() {
    for depth in [Limits::DEFAULT_NESTING, Limits::MAX_NESTING] {
        let limits = Limits::new(usize::MAX, depth);
        let checked = check(alternating(depth), limits);
        let f = valid(&checked);
        assert_eq!(f.root().comparisons(), depth + 1);
        // The canonical form prints on the small stack and reads back the same.
        let canonical = on_small_stack({
            let f = f.clone();
            move || f.to_string()
        });
        let again = check(canonical, limits);
        assert_eq!(again.filter(), Some(f));
        // One more level is refused before anything recursive runs.
        let checked = check(alternating(depth + 1), limits);
        assert_eq!(codes(&checked), [Code::NestingTooDeep]);
    }
}

#[test]
fn nesting_deeper_than_the_largest_limit_cannot_be_allowed() {
    let limits = Limits::new(usize::MAX, 1 << 30);
    assert_eq!(limits.max_nesting, Limits::MAX_NESTING);
    let checked = check(alternating(Limits::MAX_NESTING + 1), limits);
    assert_eq!(codes(&checked), [Code::NestingTooDeep]);
}

#[test]
fn redundant_parentheses_to_the_limit() {
    // 256 `(` around one comparison, and 256 around each of many.
    let one = format!(
        "{}Result==Failed{}",
        "(".repeat(Limits::MAX_NESTING),
        ")".repeat(Limits::MAX_NESTING)
    );
    let many = vec![one.clone(); 1000].join(",");
    let limits = Limits::new(usize::MAX, Limits::MAX_NESTING);
    let checked = check(one, limits);
    assert_eq!(valid(&checked).to_string(), "Result==Failed");
    let checked = check(many, limits);
    assert_eq!(valid(&checked).root().comparisons(), 1000);
}
