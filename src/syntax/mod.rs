//! Stage 1: text → AST.
//!
//! [`parse`] runs a linear pre-scan (`scan`: limits, parentheses, quotes), then the pest grammar
//! in `grammar/filter.pest`, then lowers the parse tree into the [`Ast`] defined here. The AST is
//! the faithful syntax: every node has its byte span, explicit parentheses stay explicit, the
//! value's quoting is remembered, and AND/OR are n-ary. It prints back with [`std::fmt::Display`]
//! (see [`print`]).

mod lower;
mod parser;
mod print;
mod scan;

pub use crate::op::CompareOp;

use crate::diagnostic::Diagnostic;
use crate::span::Span;

pub use scan::Limits;

/// A parsed filter: the root expression and the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ast {
    /// The whole filter.
    pub root: Expr,
    /// The text the spans point into.
    pub source: String,
}

/// A node of the AST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Where it is, without surrounding whitespace.
    pub span: Span,
}

/// The kinds of AST node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    /// Two or more terms joined by `,` (OR).
    Or(Vec<Expr>),
    /// Two or more terms joined by `;` (AND).
    And(Vec<Expr>),
    /// An explicit `( … )`.
    Group(Box<Expr>),
    /// `Field op Value`.
    Comparison(Comparison),
}

/// One comparison, `Field op Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The field name as written.
    pub field: Ident,
    /// The operator.
    pub op: Operator,
    /// The value.
    pub value: Value,
}

/// A field name as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where.
    pub span: Span,
}

/// An operator in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// The operator meant. For a foreign spelling (`=`, `<>`, `=gt=`, …) this is the operator
    /// that the `syntax` diagnostic suggests.
    pub op: CompareOp,
    /// Whether the source wrote it in a spelling the language does not have.
    pub foreign: bool,
    /// Where.
    pub span: Span,
}

/// How a value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quoting {
    /// `Success`
    Unquoted,
    /// `"Fileserver Backup"`, a `"` inside written `""`.
    Quoted,
    /// `""Backup""`: EM's documented form for a value holding quotes (the value is `"Backup"`).
    Doubled,
}

/// A value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value's text with quoting removed and `""` read as `"`.
    pub text: String,
    /// How it was quoted.
    pub quoting: Quoting,
    /// The whole token, quotes included.
    pub span: Span,
}

/// The result of [`parse`]: an AST when the text parses, and the diagnostics found on the way.
///
/// A filter can parse and still carry `syntax` errors: an operator from another language (`=`,
/// `<>`, `=gt=`) is read as the operator it stands for, so that the checker can go on and report
/// every other problem too.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The AST, unless the text could not be read at all.
    pub ast: Option<Ast>,
    /// Problems found while parsing.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses `source` with the default [`Limits`].
pub fn parse(source: &str) -> Parsed {
    parse_with(source, &Limits::default())
}

/// Parses `source` under `limits`.
pub fn parse_with(source: &str, limits: &Limits) -> Parsed {
    let mut diagnostics = scan::prescan(source, limits);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Parsed {
            ast: None,
            diagnostics,
        };
    }
    match parser::parse(source) {
        Ok(pairs) => {
            let root = lower::lower(pairs, &mut diagnostics);
            Parsed {
                ast: Some(Ast {
                    root,
                    source: source.to_owned(),
                }),
                diagnostics,
            }
        }
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            Parsed {
                ast: None,
                diagnostics,
            }
        }
    }
}

impl Expr {
    /// The direct children of this node.
    pub fn children(&self) -> &[Expr] {
        match &self.kind {
            ExprKind::Or(items) | ExprKind::And(items) => items,
            ExprKind::Group(inner) => std::slice::from_ref(inner),
            ExprKind::Comparison(_) => &[],
        }
    }

    /// The node with its explicit groups looked through.
    pub fn ungrouped(&self) -> &Expr {
        let mut e = self;
        while let ExprKind::Group(inner) = &e.kind {
            e = inner;
        }
        e
    }
}

/// Calls `f` on every comparison of the tree, in source order, without recursion.
pub fn for_each_comparison<'a>(root: &'a Expr, mut f: impl FnMut(&'a Comparison)) {
    let mut stack = vec![root];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Comparison(c) => f(c),
            _ => stack.extend(e.children().iter().rev()),
        }
    }
}
