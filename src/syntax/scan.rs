//! The pre-scan: one linear pass over the bytes before the grammar runs.
//!
//! It enforces the length and nesting limits and balances the parentheses, which lets the grammar
//! read the filter flat and lowering and checking build the tree without recursion; the stages
//! that do recurse on a finished tree (printing, comparing, cloning, dropping) never go deeper
//! than the nesting limit. It also reports unbalanced parentheses and unclosed quotes in words
//! better than a parser error could.

use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::span::Span;

/// Limits on the size of a filter: what the parser refuses before reading further, so that
/// no input costs more than linear time or a bounded stack.
///
/// ```
/// use emfilter::syntax::{self, Limits};
///
/// assert_eq!(Limits::default(), Limits::new(Limits::DEFAULT_LENGTH, Limits::DEFAULT_NESTING));
/// assert_eq!(Limits::new(1 << 20, 10_000).max_nesting, Limits::MAX_NESTING, "capped");
///
/// let long = format!("JobName==\"{}\"", "x".repeat(100));
/// let parsed = syntax::parse_with(&long, &Limits::new(64, 8));
/// assert!(parsed.ast.is_none());
/// assert_eq!(parsed.diagnostics[0].code().as_str(), "filter-too-long");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest filter accepted, in bytes (default 64 KiB).
    pub max_length: usize,
    /// The deepest nesting of parentheses accepted (default 64, at most
    /// [`Limits::MAX_NESTING`]).
    pub max_nesting: usize,
}

impl Limits {
    /// The default length limit, 64 KiB.
    pub const DEFAULT_LENGTH: usize = 64 * 1024;
    /// The default nesting limit.
    pub const DEFAULT_NESTING: usize = 64;
    /// The largest nesting limit that can be set: deeper trees could exhaust a small thread stack
    /// in the recursive stages.
    pub const MAX_NESTING: usize = 256;

    /// The limits, with the nesting limit capped at [`Limits::MAX_NESTING`].
    pub fn new(max_length: usize, max_nesting: usize) -> Limits {
        Limits {
            max_length,
            max_nesting: max_nesting.min(Limits::MAX_NESTING),
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new(Limits::DEFAULT_LENGTH, Limits::DEFAULT_NESTING)
    }
}

pub(crate) fn prescan(source: &str, limits: &Limits) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let max_nesting = limits.max_nesting.min(Limits::MAX_NESTING);
    let bytes = source.as_bytes();
    let mut in_quote = false;
    let mut quote_start = 0;
    // Offsets of the open parentheses; never longer than the nesting limit.
    let mut open: Vec<usize> = Vec::new();
    let mut structure_ok = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => {
                if !in_quote {
                    quote_start = i;
                }
                in_quote = !in_quote;
            }
            _ if in_quote => {}
            b'(' => {
                if open.len() == max_nesting {
                    out.push(
                        Diagnostic::new(
                            Code::NestingTooDeep,
                            Span::new(i, i + 1),
                            format!(
                                "parentheses nest deeper than the limit of {max_nesting} levels"
                            ),
                        )
                        .with_help(
                            "remove parentheses that group nothing, or split the filter; the \
                             nesting limit can be raised to 256",
                        ),
                    );
                    structure_ok = false;
                    break;
                }
                open.push(i);
            }
            b')' if open.pop().is_none() => {
                out.push(
                    Diagnostic::new(Code::Syntax, Span::new(i, i + 1), "this `)` closes no `(`")
                        .with_help("remove it, or add the `(` it was meant to close"),
                );
                structure_ok = false;
                break;
            }
            _ => {}
        }
    }
    if structure_ok {
        if in_quote {
            out.push(
                Diagnostic::new(
                    Code::Syntax,
                    Span::new(quote_start, source.len()),
                    "this quoted value is never closed",
                )
                .with_help(
                    "add the closing `\"`; a `\"` inside a quoted value is written twice: `\"\"`",
                ),
            );
        } else if let Some(&last) = open.last() {
            let n = open.len();
            out.push(
                Diagnostic::new(
                    Code::Syntax,
                    Span::new(last, last + 1),
                    if n == 1 {
                        "this `(` is never closed".to_owned()
                    } else {
                        format!("this `(` and {} before it are never closed", n - 1)
                    },
                )
                .with_help("add the missing `)`")
                .with_fix(Fix::guess(Span::empty(source.len()), ")".repeat(n))),
            );
        }
    }
    if source.len() > limits.max_length {
        out.push(
            Diagnostic::new(
                Code::FilterTooLong,
                Span::new(
                    crate::span::floor_char_boundary(source, limits.max_length),
                    source.len(),
                ),
                format!(
                    "the filter is {} bytes long, more than the limit of {} bytes",
                    source.len(),
                    limits.max_length
                ),
            )
            .with_help("split it into several queries, or raise the length limit"),
        );
    }
    out
}
