//! pest pairs → AST, one small function per grammar rule.
//!
//! The grammar reads the filter as a flat sequence of `(`, comparisons, `)`, `;` and `,` (see
//! `grammar/filter.pest`); that sequence drives the same tree builder as the hand-written reader
//! (`tree.rs`), which keeps its own stacks, so that nothing recurses on the input's nesting.

use pest::iterators::{Pair, Pairs};

use super::parser::Rule;
use super::tree::{Build, Reading, ValueText};
use super::{CompareOp, Operator, Quoting};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::span::Span;

/// Lowers the pairs of `source` into `build`: what it makes of the whole filter, and the builder.
pub(super) fn lower<B: Build>(source: &str, mut pairs: Pairs<'_, Rule>, build: B) -> (B::Item, B) {
    let filter = pairs.next().expect("grammar: a parse has a filter");
    debug_assert_eq!(filter.as_rule(), Rule::filter);
    let mut r = Reading::new(source, build);
    for pair in filter.into_inner() {
        match pair.as_rule() {
            Rule::open => r.open(pest_span(&pair)),
            Rule::close => r.close(pest_span(&pair)),
            Rule::comparison => lower_comparison(pair, &mut r),
            Rule::or => r.or(),
            Rule::and | Rule::EOI => {}
            rule => unreachable!("grammar: a filter holds no {rule:?} directly"),
        }
    }
    r.finish()
}

fn lower_comparison<B: Build>(pair: Pair<'_, Rule>, r: &mut Reading<'_, B>) {
    let mut inner = pair.into_inner();
    let field = inner.next().expect("grammar: field");
    debug_assert_eq!(field.as_rule(), Rule::field);
    let (op, foreign) = lower_operator(inner.next().expect("grammar: operator"));
    if let Some(d) = foreign {
        r.diagnostic(d);
    }
    let (quoting, span, text) = lower_value(inner.next().expect("grammar: value"));
    r.comparison(pest_span(&field), op, quoting, span, text);
}

/// The operator, and the `syntax` diagnostic of a foreign spelling.
fn lower_operator(pair: Pair<'_, Rule>) -> (Operator, Option<Diagnostic>) {
    let span = pest_span(&pair);
    let text = pair.as_str();
    match pair.as_rule() {
        Rule::op => (
            Operator {
                op: match text {
                    "==" => CompareOp::Eq,
                    "!=" => CompareOp::Ne,
                    "<=" => CompareOp::Le,
                    ">=" => CompareOp::Ge,
                    "<" => CompareOp::Lt,
                    ">" => CompareOp::Gt,
                    other => unreachable!("grammar: `{other}` is not an operator"),
                },
                foreign: false,
                span,
            },
            None,
        ),
        Rule::foreign_op => {
            let (op, origin) = match text.to_ascii_lowercase().as_str() {
                "=" => (CompareOp::Eq, "a single `=`"),
                "<>" => (CompareOp::Ne, "`<>` (SQL)"),
                "=>" => (CompareOp::Ge, "`=>`"),
                "=<" => (CompareOp::Le, "`=<`"),
                "=eq=" => (CompareOp::Eq, "`=eq=` (FIQL/RSQL)"),
                "=ne=" => (CompareOp::Ne, "`=ne=` (FIQL/RSQL)"),
                "=gt=" => (CompareOp::Gt, "`=gt=` (FIQL/RSQL)"),
                "=ge=" => (CompareOp::Ge, "`=ge=` (FIQL/RSQL)"),
                "=lt=" => (CompareOp::Lt, "`=lt=` (FIQL/RSQL)"),
                "=le=" => (CompareOp::Le, "`=le=` (FIQL/RSQL)"),
                other => unreachable!("grammar: `{other}` is not a foreign operator"),
            };
            let d = Diagnostic::new(
                Code::Syntax,
                span,
                format!("{origin} is not an operator of the EM filter language"),
            )
            .with_help(format!(
                "write `{op}`; the operators are `==` `!=` `<` `<=` `>` `>=`"
            ))
            .with_fix(Fix::new(span, op.as_str()));
            (
                Operator {
                    op,
                    foreign: true,
                    span,
                },
                Some(d),
            )
        }
        rule => unreachable!("grammar: {rule:?} is not an operator"),
    }
}

fn lower_value(pair: Pair<'_, Rule>) -> (Quoting, Span, ValueText) {
    let span = pest_span(&pair);
    let (start, end) = (span.start as usize, span.end as usize);
    let raw = pair.as_str();
    match pair.as_rule() {
        Rule::unquoted => {
            let text = raw.trim_end_matches([' ', '\t', '\r', '\n']);
            let end = start + text.len();
            (
                Quoting::Unquoted,
                Span::new(start, end),
                ValueText::Source(start..end),
            )
        }
        Rule::quoted => {
            let inside = start + 1..end - 1;
            let text = if raw[1..raw.len() - 1].contains("\"\"") {
                ValueText::Quoted(inside)
            } else {
                ValueText::Source(inside)
            };
            (Quoting::Quoted, span, text)
        }
        // `""Backup""` is the value `"Backup"`: the source without the outer quote of each pair.
        Rule::doubled => (
            Quoting::Doubled,
            span,
            ValueText::Source(start + 1..end - 1),
        ),
        rule => unreachable!("grammar: {rule:?} is not a value"),
    }
}

fn pest_span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}
