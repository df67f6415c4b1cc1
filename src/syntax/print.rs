//! Prints an AST back as filter text: the source's spelling and grouping, without whitespace
//! (but for one space where an unquoted value would otherwise run into its operator).
//!
//! This is not the canonical form (that needs the schema: see [`crate::ir`]); it is the AST's own
//! faithful printing, so that `parse(print(ast))` gives back the same tree.

use std::fmt::{self, Write};

use super::{Ast, Comparison, Expr, ExprKind, Quoting, Value};
use crate::quote::write_quoted;

impl fmt::Display for Ast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root().fmt(f)
    }
}

/// What is left to print: a node, or a piece of punctuation.
enum Task<'a> {
    Expr(Expr<'a>),
    Punct(char),
}

/// Prints the subtree without recursion (a tree made with a `Builder` can be of any depth).
impl fmt::Display for Expr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut stack = vec![Task::Expr(*self)];
        while let Some(task) = stack.pop() {
            let e = match task {
                Task::Punct(c) => {
                    f.write_char(c)?;
                    continue;
                }
                Task::Expr(e) => e,
            };
            let (items, sep, wrap_or) = match e.kind() {
                ExprKind::Comparison(c) => {
                    c.fmt(f)?;
                    continue;
                }
                ExprKind::Group(inner) => {
                    f.write_char('(')?;
                    stack.push(Task::Punct(')'));
                    stack.push(Task::Expr(inner));
                    continue;
                }
                ExprKind::Or(items) => (items, ',', false),
                // An OR directly inside an AND can only come from a built tree; parenthesise it
                // so that the text still means the tree.
                ExprKind::And(items) => (items, ';', true),
            };
            for (i, item) in items.enumerate().rev() {
                let wrap = wrap_or && matches!(item.kind(), ExprKind::Or(_));
                if wrap {
                    stack.push(Task::Punct(')'));
                }
                stack.push(Task::Expr(item));
                if wrap {
                    stack.push(Task::Punct('('));
                }
                if i > 0 {
                    stack.push(Task::Punct(sep));
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Comparison<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.field.name, self.op.op)?;
        // `<` then `=x` must not print as `<=x`, nor `<` then `>x` as `<>x`: a space keeps an
        // unquoted value that starts like an operator apart from the operator before it.
        if self.value.quoting == Quoting::Unquoted
            && self.value.text.starts_with(['=', '<', '>', '!'])
        {
            f.write_char(' ')?;
        }
        self.value.fmt(f)
    }
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quoting {
            Quoting::Unquoted => f.write_str(self.text),
            Quoting::Quoted => write_quoted(f, self.text),
            Quoting::Doubled => {
                let inner = self
                    .text
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .unwrap_or(self.text);
                write!(f, "\"\"{inner}\"\"")
            }
        }
    }
}
