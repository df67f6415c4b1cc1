//! Applying fixes: in rounds, each against the text it was computed on, until nothing changes.
//!
//! A text (a file, a filter, a URL) holds [`Target`]s: the filters and queries that stand in it.
//! One round lints every target, picks the fixes that may be applied (safe ones, or every one
//! with [`Applicability::Unsafe`]) and do not overlap (safe fixes first, then in source order),
//! applies them to the target's text and lints the result again: a batch whose result has more
//! errors that no fix removes is not taken; its first fix is then
//! tried alone, and when that is worse too it is [`Rejected`] for good. The edits of all targets
//! that do not overlap are applied to the text at once, against the text they were computed on;
//! an edit that overlaps another waits for the next round, which finds the targets again in the
//! new text. Rounds go on until one has nothing to apply: the result is a fixed point, so fixing it
//! again changes nothing. When the rounds do not settle (a text comes back, or [`MAX_ROUNDS`]
//! pass), nothing is applied at all and [`Fixed::settled`] says so: a half-fixed text is never
//! handed back.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use emfilter::{Applicability, Code, Diagnostic, Fix, Span};

use crate::suppress::CodeSet;
use crate::{Context, Kind, Linted, Linter, QueryType};

/// The most rounds [`Linter::fix_text`] makes. Each round settles at least one level of the
/// deepest nesting the checker takes (64 by default), so this is more than any text needs.
pub const MAX_ROUNDS: usize = 300;

/// A filter or query standing in a text, where fixes are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Its bytes in the text.
    pub span: Span,
    /// What it is.
    pub kind: Kind,
    /// How it stands in the text.
    pub context: Context,
    /// The codes silenced there (`emfilter: ignore`): their fixes are not applied.
    pub ignored: CodeSet,
    /// The query type its filter is checked against, when something beside it names one (see
    /// [`Linter::lint_as`]).
    pub query_type: Option<QueryType>,
}

/// A fix that was not applied because the text it gave was worse than the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The code of the diagnostic whose fix it was.
    pub code: Code,
    /// The target's text, as it was when the fix was tried.
    pub text: String,
    /// Where the target stood in the text being fixed then.
    pub at: Span,
    /// The fix (its span an offset into `text`).
    pub fix: Fix,
    /// What was worse, in words.
    pub reason: String,
}

/// What fixing a text did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    /// The fixed text: the original when nothing applied or the rounds did not settle.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many rounds it took.
    pub rounds: usize,
    /// The fixes not applied because their result was worse.
    pub rejected: Vec<Rejected>,
    /// Whether the rounds reached a text with nothing left to apply. When not, `text` is the
    /// original and `applied` is 0.
    pub settled: bool,
}

/// `source` with every fix of `diagnostics` applied that does not overlap one applied before it
/// (safe fixes first, then in source order) and fits the text, whatever its applicability.
/// Returns the new text and how many fixes were applied.
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
    let chosen = select(diagnostics.iter().filter_map(Diagnostic::fix), source);
    (splice(source, &chosen), chosen.len())
}

/// The fixes to apply together: those that fit `source`, change it, and do not overlap one taken
/// before (safe ones are taken first, then each in source order). In source order.
pub fn select<'a>(fixes: impl IntoIterator<Item = &'a Fix>, source: &str) -> Vec<&'a Fix> {
    let mut fixes: Vec<&Fix> = fixes
        .into_iter()
        .filter(|f| {
            let r = f.span.range();
            r.start <= r.end
                && source.get(r.clone()).is_some()
                && source.get(r) != Some(f.replacement.as_str())
        })
        .collect();
    fixes.sort_by_key(|f| (f.applicability, f.span.start, f.span.end));
    // The spans taken, by start: a fix is clear when neither neighbour overlaps it.
    let mut taken: std::collections::BTreeMap<u32, &Fix> = std::collections::BTreeMap::new();
    for fix in fixes {
        let (s, e) = (fix.span.start, fix.span.end);
        let before = taken.range(..=s).next_back().map(|(_, f)| f.span);
        let after = taken.range(s..).next().map(|(_, f)| f.span);
        let clear_before = before.is_none_or(|p| p.end <= s && !(p.is_empty() && p.start == s));
        // Two insertions at one place would depend on their order: only one is taken.
        let clear_after =
            after.is_none_or(|n| e <= n.start && !(n.start == s && (n.is_empty() || s == e)));
        if clear_before && clear_after {
            taken.insert(s, fix);
        }
    }
    taken.into_values().collect()
}

/// `source` with `fixes` (in source order, not overlapping, fitting it) applied.
fn splice(source: &str, fixes: &[&Fix]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for fix in fixes {
        let r = fix.span.range();
        out.push_str(&source[at..r.start]);
        out.push_str(&fix.replacement);
        at = r.end;
    }
    out.push_str(&source[at..]);
    out
}

/// The bytes `a` and `b` share at their start and, after that, at their end, each cut at a
/// character boundary.
fn affixes(a: &str, b: &str) -> (usize, usize) {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let mut p = x.iter().zip(y).take_while(|(c, d)| c == d).count();
    while !a.is_char_boundary(p) {
        p -= 1;
    }
    let room = x.len().min(y.len()) - p;
    let mut s = x
        .iter()
        .rev()
        .zip(y.iter().rev())
        .take(room)
        .take_while(|(c, d)| c == d)
        .count();
    while !a.is_char_boundary(a.len() - s) {
        s -= 1;
    }
    (p, s)
}

/// One target's change: its changed bytes in the text, and what they become.
struct Edit {
    span: Span,
    replacement: String,
    fixes: usize,
}

fn hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Linter {
    /// Fixes the [`Target`]s of `source` in rounds (see the [module](self)): `targets` finds them
    /// in a text; fixes up to `allow` are applied ([`Applicability::Safe`]: safe fixes only).
    /// Fixes of allowed codes are not applied.
    ///
    /// ```
    /// use emfilter::{Applicability, Span};
    /// use emfilter_lint::fix::Target;
    /// use emfilter_lint::{Context, Kind, Linter};
    ///
    /// let linter = Linter::default();
    /// let whole = |t: &str| {
    ///     vec![Target {
    ///         span: Span::new(0, t.len()),
    ///         kind: Kind::Filter,
    ///         context: Context::default(),
    ///         ignored: Default::default(),
    ///         query_type: None,
    ///     }]
    /// };
    /// let safe = linter.fix_text("Result=Failed AND JobNmae==x", whole, Applicability::Safe);
    /// assert_eq!(safe.text, "Result==Failed;JobNmae==x");
    /// let all = linter.fix_text("Result=Failed AND JobNmae==x", whole, Applicability::Unsafe);
    /// assert_eq!(all.text, "Result==Failed;JobName==x");
    /// assert!(all.settled);
    /// ```
    pub fn fix_text(
        &self,
        source: &str,
        targets: impl Fn(&str) -> Vec<Target>,
        allow: Applicability,
    ) -> Fixed {
        let mut text = source.to_owned();
        let mut seen = HashSet::from([hash(&text)]);
        let mut rejected: Vec<Rejected> = Vec::new();
        let mut rejected_keys: HashSet<(Kind, String, Span, String)> = HashSet::new();
        let mut applied = 0;
        let mut rounds = 0;
        let mut settled = false;
        while rounds < MAX_ROUNDS {
            rounds += 1;
            let mut edits: Vec<Edit> = Vec::new();
            let mut rejected_now = false;
            for t in targets(&text) {
                let Some(unit) = text.get(t.span.range()) else {
                    continue;
                };
                let before = self.lint_as(unit, t.kind, t.context, t.query_type.as_ref());
                let fixes = before
                    .diagnostics()
                    .iter()
                    .filter(|d| !t.ignored.contains(d.code()))
                    .filter_map(Diagnostic::fix)
                    .filter(|f| f.applicability <= allow)
                    .filter(|f| {
                        !rejected_keys.contains(&(
                            t.kind,
                            unit.to_owned(),
                            f.span,
                            f.replacement.clone(),
                        ))
                    });
                let chosen = select(fixes, unit);
                if chosen.is_empty() {
                    continue;
                }
                let mut count = chosen.len();
                let mut fixed = splice(unit, &chosen);
                if let Some(reason) = self.worse(&before, &fixed, &t, allow) {
                    let one = splice(unit, &chosen[..1]);
                    match self.worse(&before, &one, &t, allow) {
                        None if count > 1 => {
                            fixed = one;
                            count = 1;
                        }
                        worse => {
                            let fix = chosen[0].clone();
                            let code = before
                                .diagnostics()
                                .iter()
                                .find(|d| d.fix() == Some(&fix))
                                .map_or(Code::Syntax, Diagnostic::code);
                            rejected_keys.insert((
                                t.kind,
                                unit.to_owned(),
                                fix.span,
                                fix.replacement.clone(),
                            ));
                            rejected.push(Rejected {
                                code,
                                text: unit.to_owned(),
                                at: t.span,
                                fix,
                                reason: worse.unwrap_or(reason),
                            });
                            rejected_now = true;
                            continue;
                        }
                    }
                }
                let (p, s) = affixes(unit, &fixed);
                let base = t.span.start as usize;
                edits.push(Edit {
                    span: Span::new(base + p, t.span.end as usize - s),
                    replacement: fixed[p..fixed.len() - s].to_owned(),
                    fixes: count,
                });
            }
            // The edits of different targets that do not overlap, in order; the others wait.
            edits.sort_by_key(|e| (e.span.start, e.span.end));
            let mut take: Vec<&Edit> = Vec::new();
            for e in &edits {
                let clear = take.last().is_none_or(|p| {
                    p.span.end <= e.span.start
                        && !(p.span.start == e.span.start
                            && (p.span.is_empty() || e.span.is_empty()))
                });
                if clear {
                    take.push(e);
                }
            }
            if take.is_empty() {
                if rejected_now {
                    continue;
                }
                settled = true;
                break;
            }
            let mut out = String::with_capacity(text.len());
            let mut at = 0;
            for e in &take {
                out.push_str(&text[at..e.span.start as usize]);
                out.push_str(&e.replacement);
                at = e.span.end as usize;
                applied += e.fixes;
            }
            out.push_str(&text[at..]);
            text = out;
            if !seen.insert(hash(&text)) {
                break;
            }
        }
        if !settled {
            return Fixed {
                text: source.to_owned(),
                applied: 0,
                rounds,
                rejected,
                settled: false,
            };
        }
        Fixed {
            text,
            applied,
            rounds,
            rejected,
            settled,
        }
    }

    /// Why `fixed`, the text of target `t` after fixes, is worse than it was (`before`): more
    /// errors that no fix up to `allow` removes. (A problem that a fix only brings to light, such
    /// as a misspelt field after `AND` became `;`, was there before. An error that a fix removes, such as the `=` of a comparison that `&` → `;` joined to the
    /// filter, is left to the next round.) `None` when it is not worse.
    fn worse(
        &self,
        before: &Linted,
        fixed: &str,
        t: &Target,
        allow: Applicability,
    ) -> Option<String> {
        let after = self.lint_as(fixed, t.kind, t.context, t.query_type.as_ref());
        let stuck =
            |d: &&Diagnostic| d.is_error() && d.fix().is_none_or(|f| f.applicability > allow);
        let errors = |l: &Linted| l.diagnostics().iter().filter(stuck).count();
        let (b, a) = (errors(before), errors(&after));
        if a > b {
            return Some(format!(
                "it gives {a} error{} where there {}",
                if a == 1 { "" } else { "s" },
                match b {
                    1 => "was 1".to_owned(),
                    n => format!("were {n}"),
                }
            ));
        }
        None
    }
}
