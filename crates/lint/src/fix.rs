//! Applying fixes: every machine-applicable fix of a text at once, then again until nothing
//! changes.
//!
//! One pass applies the fixes whose spans do not overlap (the first of two overlapping fixes
//! wins; the other is left for the next pass, which checks the text again). Passes go on until a
//! pass has nothing to apply: the result is a fixed point, so fixing it again changes nothing.

use emfilter::{Diagnostic, Fix};

/// The most passes [`fix_until_stable`] makes; fixes that keep changing the text past that stop.
pub const MAX_PASSES: usize = 16;

/// `source` with every fix of `diagnostics` applied that does not overlap an earlier one (in
/// source order) and fits the text. Returns the new text and how many fixes were applied.
///
/// ```
/// use emfilter_lint::fix::apply;
///
/// let source = "JobNmae==x;Result==Sucess";
/// let checked = emfilter::check(source, &emfilter::schema::REPLICA_JOB_SESSION);
/// let (fixed, n) = apply(source, checked.diagnostics());
/// assert_eq!(fixed, "JobName==x;Result==Success");
/// assert_eq!(n, 2);
/// ```
pub fn apply(source: &str, diagnostics: &[Diagnostic]) -> (String, usize) {
    let mut fixes: Vec<&Fix> = diagnostics.iter().filter_map(Diagnostic::fix).collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut taken: Vec<&Fix> = Vec::new();
    for fix in fixes {
        let r = fix.span.range();
        let fits = r.end <= source.len()
            && source.is_char_boundary(r.start)
            && source.is_char_boundary(r.end);
        let clear = taken.last().is_none_or(|prev| {
            let p = prev.span.range();
            // Touching is fine, except two insertions at one place (their order would matter).
            p.end <= r.start && !(p.is_empty() && r.is_empty() && p.start == r.start)
        });
        if fits && clear && source.get(r.clone()) != Some(fix.replacement.as_str()) {
            taken.push(fix);
        }
    }
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for fix in &taken {
        let r = fix.span.range();
        out.push_str(&source[at..r.start]);
        out.push_str(&fix.replacement);
        at = r.end;
    }
    out.push_str(&source[at..]);
    (out, taken.len())
}

/// Fixes `source` until a check finds nothing more to fix: `check` returns the diagnostics of a
/// text (with spans into it). Returns the fixed text and the number of fixes applied.
pub fn fix_until_stable(
    source: &str,
    mut check: impl FnMut(&str) -> Vec<Diagnostic>,
) -> (String, usize) {
    let mut text = source.to_owned();
    let mut total = 0;
    for _ in 0..MAX_PASSES {
        let (next, n) = apply(&text, &check(&text));
        if n == 0 || next == text {
            break;
        }
        text = next;
        total += n;
    }
    (text, total)
}
