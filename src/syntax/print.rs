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
        self.root.fmt(f)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Or(items) => join(f, items, ',', false),
            // An OR directly inside an AND can only come from a hand-built tree; parenthesise it
            // so that the text still means the tree.
            ExprKind::And(items) => join(f, items, ';', true),
            ExprKind::Group(inner) => write!(f, "({inner})"),
            ExprKind::Comparison(c) => c.fmt(f),
        }
    }
}

fn join(f: &mut fmt::Formatter<'_>, items: &[Expr], sep: char, wrap_or: bool) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_char(sep)?;
        }
        if wrap_or && matches!(item.kind, ExprKind::Or(_)) {
            write!(f, "({item})")?;
        } else {
            fmt::Display::fmt(item, f)?;
        }
    }
    Ok(())
}

impl fmt::Display for Comparison {
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

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.quoting {
            Quoting::Unquoted => f.write_str(&self.text),
            Quoting::Quoted => write_quoted(f, &self.text),
            Quoting::Doubled => {
                let inner = self
                    .text
                    .strip_prefix('"')
                    .and_then(|t| t.strip_suffix('"'))
                    .unwrap_or(&self.text);
                write!(f, "\"\"{inner}\"\"")
            }
        }
    }
}
