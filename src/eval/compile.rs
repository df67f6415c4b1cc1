//! Lowering a typed tree into a `Program`, and running it.
//!
//! The program is a flat list of tests, each naming the test to go to when it holds and when it
//! does not: AND and OR become jumps, so evaluation short-circuits without recursion or a stack.
//! Every jump goes to an earlier test or to the end, so evaluation always ends. Values are
//! lowered to what a record's values are compared with directly: instants to ticks, enum values
//! to the set of indices that satisfy the comparison, strings folded once, UIDs to a GUID number.

use std::cmp::Ordering;

use super::text::{cmp_folded, eq_folded, Folded};
use super::{Options, Record, Value};
use crate::ir::{Comparison, Expr, ExprKind, TypedValue};
use crate::op::CompareOp;
use crate::schema::{FieldId, FieldType, Name as SchemaName, Schema};

/// Where a program ends: the record matches.
const ACCEPT: u32 = u32::MAX;
/// Where a program ends: the record does not match.
const REJECT: u32 = u32::MAX - 1;

/// A filter compiled for evaluation: built once, then run on any number of records.
///
/// Running it parses nothing and allocates nothing, and never panics, whatever the record
/// holds. Within an AND or an OR, text comparisons run after the others, which keep the
/// filter's order; the outcome is the same in any order. [`Filter`](crate::Filter) builds one
/// on first use.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    schema: Schema,
    code: Box<[Inst]>,
    entry: u32,
    reads: Box<[bool]>,
    shape: Shape,
}

/// How the tests are run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Following the jumps.
    Jumps,
    /// All must hold, last to first (an AND of comparisons, or one comparison).
    All,
    /// One must hold, last to first (an OR of comparisons).
    Any,
}

#[derive(Debug, Clone)]
struct Inst {
    field: FieldId,
    test: Test,
    yes: u32,
    no: u32,
}

/// The orderings a comparison accepts, one bit each: `Less` is bit 0, `Equal` bit 1, `Greater`
/// bit 2.
#[derive(Debug, Clone, Copy)]
struct Accept(u8);

impl Accept {
    fn of(op: CompareOp) -> Accept {
        Accept(match op {
            CompareOp::Eq => 0b010,
            CompareOp::Ne => 0b101,
            CompareOp::Lt => 0b001,
            CompareOp::Le => 0b011,
            CompareOp::Gt => 0b100,
            CompareOp::Ge => 0b110,
        })
    }

    #[inline]
    fn holds(self, ord: Ordering) -> bool {
        self.0 >> (ord as i8 + 1) & 1 == 1
    }
}

#[derive(Debug, Clone)]
enum Test {
    /// Same resource type (any case, or a bare GUID) and GUID; `eq` for `==`, not for `!=`.
    Uid {
        resource: SchemaName,
        guid: u128,
        eq: bool,
    },
    Ticks(Accept, i64),
    Int(Accept, i64),
    Double(Accept, f64),
    Bool {
        value: bool,
        eq: bool,
    },
    /// Case-insensitive text: `Eq` and `Ne` test equality only.
    Folded(CompareOp, Folded),
    /// Case-sensitive text.
    Exact(Accept, Box<str>),
    /// An enum: whether the record's value is one of `names` (any case), or with `negate`,
    /// a value that is none of them.
    Enum {
        names: Box<[Name]>,
        negate: bool,
    },
    /// An enum compared with one name: `==`, or `!=` with `negate`.
    EnumIs {
        name: Name,
        negate: bool,
    },
}

/// An enum value's name, with what tells most other names apart without comparing text.
#[derive(Debug, Clone)]
struct Name {
    len: usize,
    first: Option<u8>,
    text: SchemaName,
}

impl Name {
    fn new(text: &SchemaName) -> Name {
        Name {
            len: text.len(),
            first: text.as_bytes().first().map(u8::to_ascii_lowercase),
            text: text.clone(),
        }
    }

    /// Whether `t` is this name, in any case.
    #[inline(always)]
    fn is(&self, t: &str) -> bool {
        t.len() == self.len
            && t.as_bytes().first().map(u8::to_ascii_lowercase) == self.first
            && t.eq_ignore_ascii_case(&self.text)
    }
}

impl Program {
    /// Compiles the tree `root` over `schema`.
    pub(crate) fn new(schema: &Schema, root: &Expr, options: Options) -> Program {
        let mut lowering = Lowering {
            schema,
            options,
            code: Vec::new(),
        };
        let entry = lowering.lower(root, ACCEPT, REJECT);
        let mut reads = vec![false; schema.fields().len()].into_boxed_slice();
        for inst in &lowering.code {
            if let Some(r) = reads.get_mut(inst.field.index()) {
                *r = true;
            }
        }
        let code = lowering.code;
        let next = |i: usize| if i == 0 { ACCEPT } else { i as u32 - 1 };
        let chain = entry as usize + 1 == code.len();
        let shape = if chain
            && code
                .iter()
                .enumerate()
                .all(|(i, c)| c.yes == next(i) && c.no == REJECT)
        {
            Shape::All
        } else if chain
            && code
                .iter()
                .enumerate()
                .all(|(i, c)| c.yes == ACCEPT && c.no == if i == 0 { REJECT } else { i as u32 - 1 })
        {
            Shape::Any
        } else {
            Shape::Jumps
        };
        Program {
            schema: schema.clone(),
            code: code.into_boxed_slice(),
            entry,
            reads,
            shape,
        }
    }

    /// The schema of the filter.
    pub(crate) fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Whether the filter reads `field`: a record reader may skip the fields it does not.
    pub(crate) fn reads(&self, field: FieldId) -> bool {
        self.reads.get(field.index()).copied().unwrap_or(false)
    }

    /// Whether the filter matches `record`.
    #[inline]
    pub(crate) fn matches<R: Record + ?Sized>(&self, record: &R) -> bool {
        let holds = |inst: &Inst| inst.holds(record);
        match self.shape {
            // The common filters, as straight loops.
            Shape::All => return self.code.iter().rev().all(holds),
            Shape::Any => return self.code.iter().rev().any(holds),
            Shape::Jumps => {}
        }
        let mut pc = self.entry;
        // Jumps only go to earlier tests, so this ends within `code.len()` steps.
        while let Some(inst) = self.code.get(pc as usize) {
            pc = if holds(inst) { inst.yes } else { inst.no };
        }
        pc == ACCEPT
    }
}

impl Inst {
    #[inline(always)]
    fn holds<R: Record + ?Sized>(&self, record: &R) -> bool {
        self.test.holds(record.value(self.field))
    }
}

impl Test {
    #[inline(always)]
    fn holds(&self, value: Value<'_>) -> bool {
        match (self, value) {
            (
                Test::Uid { resource, guid, eq },
                Value::Uid {
                    resource: r,
                    guid: g,
                },
            ) => {
                let same = g.0 == *guid && (r.is_empty() || r.eq_ignore_ascii_case(resource));
                same == *eq
            }
            (Test::Ticks(a, v), Value::DateTime(t)) => a.holds(t.cmp(v)),
            (Test::Int(a, v), Value::Int(i)) => a.holds(i.cmp(v)),
            (Test::Double(a, v), Value::Double(d)) => d.partial_cmp(v).is_some_and(|o| a.holds(o)),
            (Test::Double(a, v), Value::Int(i)) => {
                (i as f64).partial_cmp(v).is_some_and(|o| a.holds(o))
            }
            (Test::Bool { value, eq }, Value::Bool(b)) => (b == *value) == *eq,
            (Test::Folded(op, f), Value::Text(t)) => match op {
                CompareOp::Eq => eq_folded(t, f),
                CompareOp::Ne => !eq_folded(t, f),
                op => Accept::of(*op).holds(cmp_folded(t, f)),
            },
            (Test::Exact(a, v), Value::Text(t)) => a.holds(t.cmp(v)),
            (Test::EnumIs { name, negate }, Value::Text(t)) => name.is(t) != *negate,
            (Test::Enum { names, negate }, Value::Text(t)) => {
                names.iter().any(|n| n.is(t)) != *negate
            }
            // Null, or a value of another shape than the field's type: no comparison holds.
            _ => false,
        }
    }

    /// A rough cost, to run text comparisons after the others.
    fn cost(&self) -> u32 {
        match self {
            Test::Uid { .. }
            | Test::Ticks(..)
            | Test::Int(..)
            | Test::Double(..)
            | Test::Bool { .. }
            | Test::Enum { .. }
            | Test::EnumIs { .. } => 1,
            Test::Folded(..) | Test::Exact(..) => 2,
        }
    }
}

struct Lowering<'a> {
    schema: &'a Schema,
    options: Options,
    code: Vec<Inst>,
}

impl Lowering<'_> {
    /// Emits `expr`, going to `yes` when it holds and to `no` when not; returns its entry.
    /// Everything emitted jumps only to what was emitted before it, or to the end.
    fn lower(&mut self, expr: &Expr, yes: u32, no: u32) -> u32 {
        match expr.kind() {
            ExprKind::Compare(c) => {
                let test = self.test(c);
                self.code.push(Inst {
                    field: c.field(),
                    test,
                    yes,
                    no,
                });
                (self.code.len() - 1) as u32
            }
            ExprKind::And(items) => {
                let mut next = yes;
                for item in self.by_cost(items).into_iter().rev() {
                    next = self.lower(item, next, no);
                }
                next
            }
            ExprKind::Or(items) => {
                let mut next = no;
                for item in self.by_cost(items).into_iter().rev() {
                    next = self.lower(item, yes, next);
                }
                next
            }
        }
    }

    /// `items` cheapest first (a stable order: equal costs keep the filter's order).
    fn by_cost<'e>(&self, items: &'e [Expr]) -> Vec<&'e Expr> {
        let mut sorted: Vec<&Expr> = items.iter().collect();
        sorted.sort_by_key(|e| self.cost(e));
        sorted
    }

    fn cost(&self, expr: &Expr) -> u32 {
        let mut total = 0u32;
        let mut stack = vec![expr];
        while let Some(e) = stack.pop() {
            match e.kind() {
                ExprKind::Compare(c) => total = total.saturating_add(self.test(c).cost()),
                ExprKind::And(items) | ExprKind::Or(items) => stack.extend(items),
            }
        }
        total
    }

    fn test(&self, c: &Comparison) -> Test {
        let op = c.op();
        let accept = Accept::of(op);
        let ty = self.schema.fields().get(c.field().index()).map(|f| f.ty());
        match (c.value(), ty) {
            (TypedValue::Uid(uid), _) => Test::Uid {
                resource: uid.resource_name().clone(),
                guid: uid.guid().0,
                eq: op == CompareOp::Eq,
            },
            (TypedValue::DateTime(t), _) => Test::Ticks(accept, t.ticks()),
            (TypedValue::Int(i), _) => Test::Int(accept, *i),
            (TypedValue::Double(d), _) => Test::Double(accept, d.get()),
            (TypedValue::Bool(b), _) => Test::Bool {
                value: *b,
                eq: op == CompareOp::Eq,
            },
            (TypedValue::String(s), _) if self.options.case_sensitive => {
                Test::Exact(accept, s.as_str().into())
            }
            (TypedValue::String(s), _) => Test::Folded(op, Folded::new(s)),
            // `==` and `!=` compare names: a value outside the documented list equals only
            // itself. An ordering holds for the documented values on its side of a documented
            // value, and for nothing else.
            (TypedValue::Enum(v), _) if !op.is_ordering() => Test::EnumIs {
                name: Name::new(v.name_ref()),
                negate: op == CompareOp::Ne,
            },
            (TypedValue::Enum(v), ty) => {
                let names: Box<[Name]> = match (ty, v.index()) {
                    (Some(FieldType::Enum(e)), Some(at)) => e
                        .values()
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| accept.holds(i.cmp(&at)))
                        .map(|(_, n)| Name::new(n))
                        .collect(),
                    _ => Box::new([]),
                };
                Test::Enum {
                    names,
                    negate: false,
                }
            }
        }
    }
}
