//! What the linter's fuzz targets assert, shared with `cargo test`: the fuzz targets `scan` and
//! `url` (fuzz/fuzz_targets/) include this file with `#[path]`, and `tests/fuzz.rs` replays every
//! seed and kept crash through it.
//!
//! - [`scan`]: any file's bytes (the first byte chooses XML or not and safe or unsafe fixes), read
//!   as `emfilter check --scan` reads a file: finding never panics and gives spans inside the
//!   text, on character boundaries, in order; every find lints without panic, its diagnostics
//!   inside it, their fixes chosen without overlap; fixing in rounds settles to a fixed point
//!   (fixing the result again changes nothing), keeps the number of lines, changes no byte of
//!   a line outside the finds that line had, leaves no fix it was allowed to apply (unless that
//!   fix was tried and rejected, which is reported), and never leaves more errors that no
//!   allowed fix removes than the file had (`--unsafe-fixes` never makes a file worse).
//! - [`url`]: any text as a query URL, an encoded filter and a filter, with placeholders on and
//!   off: no panic, diagnostics inside the text, at most the cap plus its note, and fixing is a
//!   fixed point.

use emfilter::{Applicability, Span};
use emfilter_lint::fix::{self, Target};
use emfilter_lint::{find, Context, Kind, Linter, MAX_DIAGNOSTICS};

/// A file's bytes as `check --scan` reads them: UTF-8, else a byte per character.
fn text_of(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(t) => t.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The targets of a scanned text, as the command line finds them.
fn targets(text: &str, xml: bool) -> Vec<Target> {
    find::find(text, xml)
        .into_iter()
        .map(|f| Target {
            span: f.span,
            kind: f.kind,
            context: f.context,
            ignored: Default::default(),
            query_type: f.query_type,
        })
        .collect()
}

fn inside(span: Span, text: &str) -> bool {
    let r = span.range();
    r.start <= r.end && text.get(r).is_some()
}

/// Lints `text` as `kind` in `context` and checks what a lint must be.
fn lint_checked(linter: &Linter, text: &str, kind: Kind, context: Context) {
    let linted = linter.lint(text, kind, context);
    let diagnostics = linted.diagnostics();
    assert!(
        diagnostics.len() <= MAX_DIAGNOSTICS + 1,
        "{} diagnostics",
        diagnostics.len()
    );
    for d in diagnostics {
        assert!(inside(d.span(), text), "{d:?} outside {text:?}");
        if let Some(f) = d.fix() {
            assert!(inside(f.span, text), "{f:?} outside {text:?}");
        }
    }
    let chosen = fix::select(diagnostics.iter().filter_map(|d| d.fix()), text);
    for pair in chosen.windows(2) {
        assert!(
            pair[0].span.end <= pair[1].span.start,
            "overlapping fixes chosen: {pair:?}"
        );
    }
    // A query's filter may be valid while its other parameters are not.
    if linted.filter().is_some() && kind != Kind::Query {
        assert!(linted.is_valid(), "{text:?}: a typed filter with errors");
    }
}

/// The `scan` target.
pub fn scan(data: &[u8]) {
    let Some((&flags, bytes)) = data.split_first() else {
        return;
    };
    let xml = flags & 1 == 1;
    let allow = if flags & 2 == 2 {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let text = text_of(bytes);
    let found = find::find(&text, xml);
    let mut last = 0;
    for f in &found {
        assert!(inside(f.span, &text), "{f:?}");
        assert!(
            f.span.start as usize >= last,
            "finds out of order: {found:?}"
        );
        last = f.span.start as usize;
        let line = text[..f.span.start as usize].matches('\n').count() + 1;
        assert_eq!(f.line, line, "{f:?}");
    }
    let linter = Linter::default();
    for f in &found {
        lint_checked(&linter, &text[f.span.range()], f.kind, f.context);
    }
    let fixed = linter.fix_text(&text, |t| targets(t, xml), allow);
    if !fixed.settled {
        assert_eq!(fixed.text, text, "rounds that do not settle change nothing");
        return;
    }
    let again = linter.fix_text(&fixed.text, |t| targets(t, xml), allow);
    assert_eq!(
        again.text, fixed.text,
        "fixing twice changes the text again"
    );
    assert_eq!(again.applied, 0);
    // No fix that was allowed is left, unless it was tried and rejected (reported): after
    // `--fix` no safe fix remains.
    for t in targets(&fixed.text, xml) {
        let unit = &fixed.text[t.span.range()];
        let linted = linter.lint_as(unit, t.kind, t.context, t.query_type.as_ref());
        let allowed = linted
            .diagnostics()
            .iter()
            .filter_map(|d| d.fix())
            .filter(|f| f.applicability <= allow);
        for f in fix::select(allowed, unit) {
            assert!(
                fixed.rejected.iter().any(|r| r.text == unit && r.fix == *f),
                "{unit:?} keeps a fix --fix would apply: {f:?}"
            );
        }
    }
    // The fixes never leave more errors that no fix of theirs removes than there were. (A filter
    // whose type a sibling `type` key gives is left out: fixing a misspelt type, another find,
    // brings that filter's own problems to light without changing it.)
    let stuck = |t: &str| -> usize {
        targets(t, xml)
            .iter()
            .filter(|target| target.query_type.is_none())
            .map(|target| {
                linter
                    .lint_as(
                        &t[target.span.range()],
                        target.kind,
                        target.context,
                        target.query_type.as_ref(),
                    )
                    .diagnostics()
                    .iter()
                    .filter(|d| d.is_error() && d.fix().is_none_or(|f| f.applicability > allow))
                    .count()
            })
            .sum()
    };
    assert!(
        stuck(&fixed.text) <= stuck(&text),
        "fixing {text:?} left more errors: {:?}",
        fixed.text
    );
    // Lines keep their number, and a line changes only within the finds it had.
    let old: Vec<&str> = text.split('\n').collect();
    let new: Vec<&str> = fixed.text.split('\n').collect();
    assert_eq!(old.len(), new.len(), "fixes add or remove lines");
    let mut at = 0;
    for (a, b) in old.iter().zip(&new) {
        if a != b {
            let line = at..at + a.len();
            let spans: Vec<_> = found
                .iter()
                .map(|f| f.span.range())
                .filter(|r| r.start < line.end + 1 && r.end >= line.start)
                .collect();
            assert!(!spans.is_empty(), "line {a:?} had no find but became {b:?}");
            let first = spans.iter().map(|r| r.start).min().unwrap_or(line.start) - line.start;
            let last = spans
                .iter()
                .map(|r| r.end)
                .max()
                .unwrap_or(line.end)
                .min(line.end)
                - line.start;
            let prefix = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let suffix = a
                .bytes()
                .rev()
                .zip(b.bytes().rev())
                .take_while(|(x, y)| x == y)
                .count();
            assert!(
                prefix >= first,
                "{a:?} → {b:?} changed before its first find"
            );
            assert!(
                suffix >= a.len() - last,
                "{a:?} → {b:?} changed after its last find"
            );
        }
        at += a.len() + 1;
    }
}

/// The `url` target.
pub fn url(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let linter = Linter::default();
    for placeholders in [false, true] {
        for kind in [Kind::Query, Kind::EncodedFilter, Kind::Filter] {
            let context = Context {
                placeholders,
                ..Context::default()
            };
            lint_checked(&linter, text, kind, context);
            let (once, _) = linter.fix(text, kind, context);
            let (twice, n) = linter.fix(&once, kind, context);
            assert_eq!(
                twice, once,
                "fixing {text:?} as {kind:?} twice changes it again"
            );
            assert_eq!(n, 0);
        }
    }
}
