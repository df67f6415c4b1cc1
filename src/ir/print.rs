//! The canonical printer.
//!
//! It never changes what a filter asks the server. Fields, enum values and booleans in the
//! schema's spelling; UIDs as `urn:veeam:<Type>:` and the lower-case GUID, unquoted, and a bare
//! GUID as the bare lower-case GUID; date-times unquoted, as RFC 3339 UTC with `Z` and the
//! fractional digits given; strings quoted unless they are a plain word, a word in quotes in
//! EM's documented doubled form (`""Backup""`); no whitespace; no redundant parentheses, but parentheses around
//! an AND inside an OR, because EM does not document which binds tighter. The output is a fixed
//! point: printing what it parses and checks to gives the same text.

use std::fmt::{self, Write};

use super::{Comparison, Expr, ExprKind, TypedValue};
use crate::quote::{must_quote, needs_quotes, write_quoted};
use crate::schema::Schema;

/// Writes the canonical text of `root` over `schema`: with the schema's field names, or with
/// EM's own (`em_names`) for what is sent to the server.
pub(crate) fn write_filter(
    out: &mut impl Write,
    schema: &Schema,
    root: &Expr,
    em_names: bool,
) -> fmt::Result {
    write_expr(out, Names(schema, em_names), root)
}

/// The schema, and whether fields are printed with EM's names rather than the schema's.
#[derive(Clone, Copy)]
struct Names<'a>(&'a Schema, bool);

fn write_expr(f: &mut impl Write, schema: Names<'_>, e: &Expr) -> fmt::Result {
    match e.kind() {
        ExprKind::Compare(c) => write_comparison(f, schema, c),
        ExprKind::And(items) => write_items(f, schema, items, ';'),
        ExprKind::Or(items) => write_items(f, schema, items, ','),
    }
}

fn write_items(f: &mut impl Write, schema: Names<'_>, items: &[Expr], sep: char) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_char(sep)?;
        }
        // Items are never of their parent's kind, so every non-comparison item is the other
        // junction: an OR inside an AND needs its parentheses; an AND inside an OR gets them
        // because the precedence is undocumented.
        if matches!(item.kind(), ExprKind::Compare(_)) {
            write_expr(f, schema, item)?;
        } else {
            f.write_char('(')?;
            write_expr(f, schema, item)?;
            f.write_char(')')?;
        }
    }
    Ok(())
}

fn write_comparison(f: &mut impl Write, names: Names<'_>, c: &Comparison) -> fmt::Result {
    let Names(schema, em) = names;
    let name = schema.fields().get(c.field().index()).map_or("?", |field| {
        if em {
            field.em_name()
        } else {
            field.name()
        }
    });
    f.write_str(name)?;
    f.write_str(c.op().as_str())?;
    write_value(f, c.value())
}

/// Writes `value` as the canonical form writes it.
pub(crate) fn write_value(f: &mut impl Write, value: &TypedValue) -> fmt::Result {
    match value {
        // UIDs and date-times by their own writers, past the formatting machinery. A bare GUID
        // stays bare: the prefix is a guess at what the server wants.
        TypedValue::Uid(u) if u.is_bare() => u.guid().write_to(f),
        TypedValue::Uid(u) => u.write_to(f),
        TypedValue::DateTime(d) => d.write_to(f),
        // Built-in enum values are plain words; a schema made at run time may have values that
        // the grammar reads only quoted.
        TypedValue::Enum(v) if must_quote(v.name()) => write_quoted(f, v.name()),
        TypedValue::Enum(v) => f.write_str(v.name()),
        TypedValue::Bool(true) => f.write_str("True"),
        TypedValue::Bool(false) => f.write_str("False"),
        TypedValue::Int(i) => write!(f, "{i}"),
        TypedValue::Double(d) => write!(f, "{d}"),
        TypedValue::String(s) => {
            if let Some(inner) = doubled(s) {
                // EM's documented form for a value holding quotes: `Name==""Backup""`.
                f.write_str("\"\"")?;
                f.write_str(inner)?;
                f.write_str("\"\"")
            } else if needs_quotes(s) {
                write_quoted(f, s)
            } else {
                f.write_str(s)
            }
        }
    }
}

/// The inside of `s` when it is to be printed in the doubled form `""Backup""`: `s` is a word in
/// one pair of quotes (`"Backup"`), the inside holding no quote, separator, parenthesis or
/// whitespace. The documentation writes exactly this shape; any other string holding a quote is
/// quoted, each `"` written twice.
fn doubled(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let plain = !inner.is_empty()
        && !inner
            .chars()
            .any(|c| matches!(c, '"' | ';' | ',' | '(' | ')') || c.is_whitespace());
    plain.then_some(inner)
}
