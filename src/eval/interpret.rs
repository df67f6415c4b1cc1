//! The reference semantics: a direct walk over the typed filter.
//!
//! This is what the compiled program must agree with. It is written for plainness, not
//! speed: each comparison converts and folds its values afresh, allocating as it goes.

use std::cmp::Ordering;

use super::text::fold;
use super::{Options, Record, Value};
use crate::ir::{Comparison, Expr, ExprKind, TypedValue};
use crate::op::CompareOp;
use crate::schema::{FieldType, Schema};

/// Whether the tree `root` over `schema` matches `record`, by walking it without compiling it
/// ([`Filter::interpret`](crate::Filter::interpret)).
///
/// It gives the same answer as the compiled program, more slowly; the benchmarks measure the
/// difference.
pub(crate) fn interpret<R: Record + ?Sized>(
    schema: &Schema,
    root: &Expr,
    record: &R,
    options: Options,
) -> bool {
    walk(schema, root, record, options)
}

fn walk<R: Record + ?Sized>(schema: &Schema, e: &Expr, record: &R, options: Options) -> bool {
    match e.kind() {
        ExprKind::And(items) => items.iter().all(|i| walk(schema, i, record, options)),
        ExprKind::Or(items) => items.iter().any(|i| walk(schema, i, record, options)),
        ExprKind::Compare(c) => compare(schema, c, record.value(c.field()), options),
    }
}

/// How a record's value stands to the filter's.
enum Outcome {
    /// No value, or one of another type: nothing holds.
    Unknown,
    /// Values that are equal or not, with no order between them.
    Unordered(bool),
    /// Values in an order.
    Ordered(Ordering),
}

fn compare(schema: &Schema, c: &Comparison, value: Value<'_>, options: Options) -> bool {
    let ty = schema.fields().get(c.field().index()).map(|f| f.ty());
    let outcome = match (c.value(), value) {
        (TypedValue::Uid(u), Value::Uid { resource, guid }) => Outcome::Unordered(
            guid == u.guid()
                && (resource.is_empty() || resource.eq_ignore_ascii_case(u.resource())),
        ),
        (TypedValue::DateTime(t), Value::DateTime(ticks)) => {
            Outcome::Ordered(ticks.cmp(&t.ticks()))
        }
        (TypedValue::Int(i), Value::Int(r)) => Outcome::Ordered(r.cmp(i)),
        (TypedValue::Double(d), Value::Double(r)) => r
            .partial_cmp(&d.get())
            .map_or(Outcome::Unknown, Outcome::Ordered),
        (TypedValue::Double(d), Value::Int(r)) => (r as f64)
            .partial_cmp(&d.get())
            .map_or(Outcome::Unknown, Outcome::Ordered),
        (TypedValue::Bool(b), Value::Bool(r)) => Outcome::Unordered(r == *b),
        (TypedValue::String(s), Value::Text(r)) if options.case_sensitive => {
            Outcome::Ordered(r.cmp(s.as_str()))
        }
        (TypedValue::String(s), Value::Text(r)) => Outcome::Ordered(fold(r).cmp(&fold(s))),
        (TypedValue::Enum(v), Value::Text(r)) => {
            let documented = match ty {
                Some(FieldType::Enum(e)) => e.index_of(r),
                _ => None,
            };
            match (documented, v.index()) {
                (Some(a), Some(b)) => Outcome::Ordered(a.cmp(&b)),
                // A value outside the documented list equals only itself, and has no order.
                _ => Outcome::Unordered(r.eq_ignore_ascii_case(v.name())),
            }
        }
        _ => Outcome::Unknown,
    };
    let op = c.op();
    match outcome {
        Outcome::Unknown => false,
        Outcome::Unordered(equal) => match op {
            CompareOp::Eq => equal,
            CompareOp::Ne => !equal,
            _ => false,
        },
        Outcome::Ordered(o) => match op {
            CompareOp::Eq => o == Ordering::Equal,
            CompareOp::Ne => o != Ordering::Equal,
            CompareOp::Lt => o == Ordering::Less,
            CompareOp::Le => o != Ordering::Greater,
            CompareOp::Gt => o == Ordering::Greater,
            CompareOp::Ge => o != Ordering::Less,
        },
    }
}
