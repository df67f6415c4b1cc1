//! The walk over the typed filter that writes the SQL condition.
//!
//! Each comparison becomes one SQL comparison of one column with one value (an enum's ordering
//! becomes `IN` over the documented values it admits), and each AND or OR inside another is
//! parenthesised, so the condition has the filter's shape. What `eval` does, and how the
//! storage contract (see the module's documentation) lets plain SQL do the same:
//!
//! - NULL: a comparison with NULL is unknown in SQL, and `WHERE` keeps only true rows; no NOT
//!   is ever written, so unknown never turns into true.
//! - Strings: case-insensitively, the folded column against the folded value; exactly, the
//!   column as written. Both order by code point: byte order of UTF-8, which SQLite, DuckDB and
//!   Spark use for text, and PostgreSQL with `COLLATE "C"`, which is written out.
//! - Enums: stored in the schema's spelling, so `==` and `!=` compare names; an ordering
//!   admits the documented values on its side of the value, and never an undocumented one.
//! - UIDs: stored as `urn:veeam:<Type>:<guid>` in one spelling, so equality of text is
//!   equality of resource type and GUID.
//! - Date-times: ticks against ticks.

use super::dialect::{literal, placeholder, quote_identifier, unrepresentable};
use super::{Column, Dialect, Mode, Param, Refusal, Refused, Statement, Target};
use crate::diagnostic::Code;
use crate::eval::Options;
use crate::ir::{Comparison, Expr, ExprKind, TypedValue};
use crate::schema::FieldType;
use crate::syntax::CompareOp;
use crate::Filter;

pub(super) fn statement(
    target: &Target,
    filter: &Filter,
    mode: Mode,
) -> Result<Statement, Refused> {
    let mut w = Writer {
        target,
        mode,
        options: filter.options(),
        filter,
        out: String::new(),
        params: Vec::new(),
        refusals: Vec::new(),
        comparison: 0,
    };
    w.expr(filter.root(), false);
    if !w.refusals.is_empty() {
        return Err(Refused(w.refusals));
    }
    let sql = format!("SELECT * FROM {} WHERE {}", target.table_name(), w.out);
    Ok(Statement {
        sql,
        condition: w.out,
        params: w.params,
    })
}

struct Writer<'a> {
    target: &'a Target,
    mode: Mode,
    options: Options,
    filter: &'a Filter,
    out: String,
    params: Vec<Param>,
    refusals: Vec<Refusal>,
    /// The number of comparisons written so far.
    comparison: usize,
}

impl Writer<'_> {
    fn dialect(&self) -> Dialect {
        self.target.dialect
    }

    /// Writes `e`; `nested` when it stands inside an AND or an OR.
    fn expr(&mut self, e: &Expr, nested: bool) {
        let (items, sep) = match e.kind() {
            ExprKind::Compare(c) => {
                self.compare(c);
                self.comparison += 1;
                return;
            }
            ExprKind::And(items) => (items, " AND "),
            ExprKind::Or(items) => (items, " OR "),
        };
        if nested {
            self.out.push('(');
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(sep);
            }
            self.expr(item, true);
        }
        if nested {
            self.out.push(')');
        }
    }

    fn refuse(&mut self, code: Code, on_value: bool, message: String, help: String) {
        self.refusals.push(Refusal {
            code,
            comparison: self.comparison,
            on_value,
            message,
            help,
        });
        // Something in its place, so the rest is still walked for more refusals.
        self.out.push_str("FALSE");
    }

    fn compare(&mut self, c: &Comparison) {
        let schema = self.filter.schema();
        let field = schema.field(c.field());
        let Some(column) = self.target.mapping.column(c.field()).cloned() else {
            let why = match crate::eval::EntityFormat::for_schema(schema) {
                Ok(format) if !format.holds(c.field()) => format!(
                    " (the {} entity has no element for it, so rows made from its entities do not hold it)",
                    schema.name()
                ),
                _ => String::new(),
            };
            self.refuse(
                Code::SqlUnmappedField,
                false,
                format!("`{}` has no column in the mapping{why}", field.name()),
                format!("map `{}` to a column that holds it", field.name()),
            );
            return;
        };
        let op = c.op();
        match (field.ty(), c.value()) {
            (FieldType::Enum(e), TypedValue::Enum(v)) => {
                if !op.is_ordering() {
                    self.simple(&column.name, op, Param::Text(v.name().to_owned()), false);
                    return;
                }
                // Only documented values have an order; an undocumented one is on no side.
                let admitted: Vec<&str> = match v.index() {
                    Some(at) => e
                        .values()
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| holds(op, i.cmp(&at)))
                        .map(|(_, name)| name.as_str())
                        .collect(),
                    None => Vec::new(),
                };
                match admitted.as_slice() {
                    [] => self.out.push_str("FALSE"),
                    [one] => self.simple(
                        &column.name,
                        CompareOp::Eq,
                        Param::Text((*one).into()),
                        false,
                    ),
                    many => {
                        self.column(&column.name);
                        self.out.push_str(" IN (");
                        for (i, name) in many.iter().enumerate() {
                            if i > 0 {
                                self.out.push_str(", ");
                            }
                            self.value(Param::Text((*name).to_owned()));
                        }
                        self.out.push(')');
                    }
                }
            }
            (_, TypedValue::String(s)) => {
                let (name, value) = if self.options.case_sensitive {
                    (column.name.clone(), s.clone())
                } else {
                    (key(&column), crate::eval::fold(s))
                };
                if let Some(why) =
                    unrepresentable(self.dialect(), &value, self.mode == Mode::Inline)
                {
                    self.refuse(
                        Code::SqlUnrepresentableValue,
                        true,
                        why,
                        "filter on another value, or use a dialect that holds it".into(),
                    );
                    return;
                }
                self.simple(&name, op, Param::Text(value), true);
            }
            (_, TypedValue::Uid(uid)) => {
                self.simple(&column.name, op, Param::Text(uid.to_string()), false)
            }
            (_, TypedValue::DateTime(t)) => {
                self.simple(&key(&column), op, Param::Int(t.ticks()), false)
            }
            (_, TypedValue::Bool(b)) => self.simple(&column.name, op, Param::Bool(*b), false),
            (_, TypedValue::Int(i)) => self.simple(&column.name, op, Param::Int(*i), false),
            (_, TypedValue::Double(d)) => {
                self.simple(&column.name, op, Param::Double(d.get()), false)
            }
            // An enum value for a field that is not an enum cannot be made (`Comparison::new`),
            // nor can any other pairing; write what never holds rather than panic.
            _ => self.out.push_str("FALSE"),
        }
    }

    /// `column op value`; `text` when text is ordered, which PostgreSQL must do by byte.
    fn simple(&mut self, column: &str, op: CompareOp, value: Param, text: bool) {
        self.column(column);
        if text && op.is_ordering() && self.dialect() == Dialect::Postgres {
            self.out.push_str(" COLLATE \"C\"");
        }
        self.out.push(' ');
        self.out.push_str(sql_op(op));
        self.out.push(' ');
        self.value(value);
    }

    fn column(&mut self, name: &str) {
        let quoted = quote_identifier(self.dialect(), name);
        self.out.push_str(&quoted);
    }

    fn value(&mut self, value: Param) {
        match self.mode {
            Mode::Inline => {
                let text = literal(self.dialect(), &value);
                self.out.push_str(&text);
            }
            Mode::Params => {
                self.params.push(value);
                let p = placeholder(self.dialect(), self.params.len());
                self.out.push_str(&p);
            }
        }
    }
}

/// The column filters compare: a DateTime's ticks, a String's folded text.
fn key(column: &Column) -> String {
    column.key.clone().unwrap_or_else(|| column.name.clone())
}

fn holds(op: CompareOp, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        CompareOp::Eq => ord == Equal,
        CompareOp::Ne => ord != Equal,
        CompareOp::Lt => ord == Less,
        CompareOp::Le => ord != Greater,
        CompareOp::Gt => ord == Greater,
        CompareOp::Ge => ord != Less,
    }
}

fn sql_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "<>",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}
