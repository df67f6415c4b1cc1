//! pest pairs → AST, one small function per grammar rule.
//!
//! The grammar reads the filter as a flat sequence of `(`, comparisons, `)`, `;` and `,` (see
//! `grammar/filter.pest`); the tree is built here from that sequence with an explicit stack, one
//! frame per open parenthesis, so that nothing recurses on the input's nesting.

use pest::iterators::{Pair, Pairs};

use super::parser::Rule;
use super::{CompareOp, Comparison, Expr, ExprKind, Ident, Operator, Quoting, Value};
use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::span::Span;

/// One level of parentheses being read: the OR items finished so far, and the AND items of the
/// conjunction being read.
struct Frame {
    /// Where its `(` is; the whole filter's frame has none.
    open: Option<Span>,
    ors: Vec<Expr>,
    ands: Vec<Expr>,
}

impl Frame {
    fn new(open: Option<Span>) -> Frame {
        Frame {
            open,
            ors: Vec::new(),
            ands: Vec::new(),
        }
    }

    /// A `,` ends the conjunction being read.
    fn end_conjunction(&mut self) {
        let ands = std::mem::take(&mut self.ands);
        self.ors.push(junction(ands, ExprKind::And));
    }

    /// The level's expression, once its `)` or the end is reached.
    fn finish(mut self) -> Expr {
        self.end_conjunction();
        junction(self.ors, ExprKind::Or)
    }
}

pub(super) fn lower(mut pairs: Pairs<'_, Rule>, diagnostics: &mut Vec<Diagnostic>) -> Expr {
    let filter = pairs.next().expect("grammar: a parse has a filter");
    debug_assert_eq!(filter.as_rule(), Rule::filter);
    let mut stack: Vec<Frame> = Vec::new();
    let mut top = Frame::new(None);
    for pair in filter.into_inner() {
        match pair.as_rule() {
            Rule::open => {
                let open = pest_span(&pair);
                stack.push(std::mem::replace(&mut top, Frame::new(Some(open))));
            }
            Rule::close => {
                let close = pest_span(&pair);
                let parent = stack.pop().expect("pre-scan: every `)` closes a `(`");
                let inner = std::mem::replace(&mut top, parent);
                let open = inner.open.expect("a frame opened by `(`");
                top.ands.push(Expr {
                    kind: ExprKind::Group(Box::new(inner.finish())),
                    span: open.to(close),
                });
            }
            Rule::comparison => top.ands.push(lower_comparison(pair, diagnostics)),
            Rule::or => top.end_conjunction(),
            Rule::and | Rule::EOI => {}
            rule => unreachable!("grammar: a filter holds no {rule:?} directly"),
        }
    }
    debug_assert!(stack.is_empty(), "pre-scan: every `(` is closed");
    top.finish()
}

/// One item stands for itself; several make an n-ary node.
fn junction(mut items: Vec<Expr>, make: fn(Vec<Expr>) -> ExprKind) -> Expr {
    if items.len() == 1 {
        return items.pop().expect("one item");
    }
    let span = items[0].span.to(items[items.len() - 1].span);
    Expr {
        kind: make(items),
        span,
    }
}

fn lower_comparison(pair: Pair<'_, Rule>, diagnostics: &mut Vec<Diagnostic>) -> Expr {
    let mut inner = pair.into_inner();
    let field = lower_field(inner.next().expect("grammar: field"));
    let op = lower_operator(inner.next().expect("grammar: operator"), diagnostics);
    let value = lower_value(inner.next().expect("grammar: value"));
    let span = field.span.to(value.span);
    Expr {
        kind: ExprKind::Comparison(Comparison { field, op, value }),
        span,
    }
}

fn lower_field(pair: Pair<'_, Rule>) -> Ident {
    debug_assert_eq!(pair.as_rule(), Rule::field);
    Ident {
        name: pair.as_str().to_owned(),
        span: pest_span(&pair),
    }
}

fn lower_operator(pair: Pair<'_, Rule>, diagnostics: &mut Vec<Diagnostic>) -> Operator {
    let span = pest_span(&pair);
    let text = pair.as_str();
    match pair.as_rule() {
        Rule::op => Operator {
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
            diagnostics.push(
                Diagnostic::new(
                    Code::Syntax,
                    span,
                    format!("{origin} is not an operator of the EM filter language"),
                )
                .with_help(format!(
                    "write `{op}`; the operators are `==` `!=` `<` `<=` `>` `>=`"
                ))
                .with_fix(Fix::new(span, op.as_str())),
            );
            Operator {
                op,
                foreign: true,
                span,
            }
        }
        rule => unreachable!("grammar: {rule:?} is not an operator"),
    }
}

fn lower_value(pair: Pair<'_, Rule>) -> Value {
    let span = pest_span(&pair);
    let raw = pair.as_str();
    match pair.as_rule() {
        Rule::unquoted => {
            let text = raw.trim_end_matches([' ', '\t', '\r', '\n']);
            Value {
                text: text.to_owned(),
                quoting: Quoting::Unquoted,
                span: Span::new(span.start as usize, span.start as usize + text.len()),
            }
        }
        Rule::quoted => Value {
            text: raw[1..raw.len() - 1].replace("\"\"", "\""),
            quoting: Quoting::Quoted,
            span,
        },
        Rule::doubled => Value {
            text: format!("\"{}\"", &raw[2..raw.len() - 2]),
            quoting: Quoting::Doubled,
            span,
        },
        rule => unreachable!("grammar: {rule:?} is not a value"),
    }
}

fn pest_span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}
