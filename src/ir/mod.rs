//! Stage 3: the typed tree, what a filter means.
//!
//! Fields are resolved to [`FieldId`]s of a [`Schema`], values are typed ([`TypedValue`]: a
//! parsed GUID, a UTC instant, an enum index, …), and there are no spans. AND and OR are n-ary and
//! flat: an AND never directly holds an AND, an OR never an OR, and neither holds fewer than two
//! items. The constructors keep these invariants, so any tree can be printed, compared and
//! evaluated. A [`Filter`](crate::Filter) is a tree with its schema; its `Display` is the one
//! canonical form.

pub(crate) mod print;
mod value;

use crate::op::CompareOp;
use crate::schema::{FieldId, FieldType, Schema};

pub use value::{Double, EnumValue, Guid, TypedValue, Uid, UtcDateTime};

/// A node of the typed filter. Build it with [`Expr::compare`], [`Expr::and`] and [`Expr::or`];
/// look at it with [`Expr::kind`].
///
/// ```
/// use emfilter::ir::ExprKind;
/// let filter = emfilter::compile("Result==Failed;(IsRetry==true,State==Working)", &emfilter::schema::REPLICA_JOB_SESSION)?;
/// let ExprKind::And(items) = filter.root().kind() else { unreachable!() };
/// assert!(matches!(items[1].kind(), ExprKind::Or(_)));
/// assert_eq!(filter.root().comparisons(), 3);
/// # Ok::<(), emfilter::Invalid>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr(Node);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Compare(Comparison),
}

/// A view of an [`Expr`].
///
/// ```
/// use emfilter::ir::ExprKind;
/// let filter = emfilter::compile("Result==Failed", &emfilter::schema::REPLICA_JOB_SESSION)?;
/// let ExprKind::Compare(c) = filter.root().kind() else { unreachable!() };
/// assert_eq!(c.op(), emfilter::CompareOp::Eq);
/// # Ok::<(), emfilter::Invalid>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExprKind<'a> {
    /// All of these hold (two or more, none an AND).
    And(&'a [Expr]),
    /// Any of these holds (two or more, none an OR).
    Or(&'a [Expr]),
    /// One comparison.
    Compare(&'a Comparison),
}

impl Expr {
    /// One comparison.
    pub fn compare(c: Comparison) -> Expr {
        Expr(Node::Compare(c))
    }

    /// `first` AND each of `rest`; nested ANDs are flattened, and a single item stands alone.
    pub fn and(first: Expr, rest: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::junction(first, rest, true)
    }

    /// `first` OR each of `rest`; nested ORs are flattened, and a single item stands alone.
    pub fn or(first: Expr, rest: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::junction(first, rest, false)
    }

    fn junction(first: Expr, rest: impl IntoIterator<Item = Expr>, and: bool) -> Expr {
        let mut items = Vec::new();
        for item in std::iter::once(first).chain(rest) {
            match item.0 {
                Node::And(inner) if and => items.extend(inner),
                Node::Or(inner) if !and => items.extend(inner),
                node => items.push(Expr(node)),
            }
        }
        if items.len() == 1 {
            return items.pop().expect("one item");
        }
        Expr(if and {
            Node::And(items)
        } else {
            Node::Or(items)
        })
    }

    /// What this node is.
    pub fn kind(&self) -> ExprKind<'_> {
        match &self.0 {
            Node::And(items) => ExprKind::And(items),
            Node::Or(items) => ExprKind::Or(items),
            Node::Compare(c) => ExprKind::Compare(c),
        }
    }

    /// The number of comparisons in the tree.
    pub fn comparisons(&self) -> usize {
        let mut n = 0;
        let mut stack = vec![self];
        while let Some(e) = stack.pop() {
            match e.kind() {
                ExprKind::Compare(_) => n += 1,
                ExprKind::And(items) | ExprKind::Or(items) => stack.extend(items),
            }
        }
        n
    }
}

/// `Field op Value`, typed.
///
/// ```
/// use emfilter::ir::{Comparison, ComparisonError, TypedValue};
/// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp};
/// let retry = REPLICA_JOB_SESSION.lookup("IsRetry").unwrap();
/// let c = Comparison::new(&REPLICA_JOB_SESSION, retry, CompareOp::Eq, TypedValue::Bool(true)).unwrap();
/// assert_eq!(c.value(), &TypedValue::Bool(true));
/// let wrong = Comparison::new(&REPLICA_JOB_SESSION, retry, CompareOp::Gt, TypedValue::Bool(true));
/// assert!(matches!(wrong, Err(ComparisonError::Unordered { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    field: FieldId,
    op: CompareOp,
    value: TypedValue,
}

/// Why a [`Comparison`] could not be made.
///
/// ```
/// use emfilter::ir::{Comparison, ComparisonError, TypedValue};
/// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp};
/// let name = REPLICA_JOB_SESSION.lookup("JobName").unwrap();
/// let e = Comparison::new(&REPLICA_JOB_SESSION, name, CompareOp::Eq, TypedValue::Int(3)).unwrap_err();
/// assert_eq!(e.to_string(), "a Int64 value cannot be compared with the String field `JobName`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ComparisonError {
    /// The field id is not in the schema.
    #[error("the schema has no field number {0}")]
    NoSuchField(usize),
    /// The value's type is not the field's.
    #[error("a {value} value cannot be compared with the {field} field `{name}`")]
    TypeMismatch {
        /// The field's name.
        name: String,
        /// The field's type.
        field: &'static str,
        /// The value's type.
        value: &'static str,
    },
    /// An ordering operator on an unordered field.
    #[error("`{op}` needs an order, and {ty} values have none")]
    Unordered {
        /// The operator.
        op: CompareOp,
        /// The field's type.
        ty: &'static str,
    },
}

impl Comparison {
    /// A comparison of field `field` of `schema` with `value`, checking that the value has the
    /// field's type (and, for a UID, its resource type) and that the operator suits the type.
    pub fn new(
        schema: &Schema,
        field: FieldId,
        op: CompareOp,
        value: TypedValue,
    ) -> Result<Comparison, ComparisonError> {
        let def = schema
            .fields()
            .get(field.index())
            .ok_or(ComparisonError::NoSuchField(field.index()))?;
        let fits = match (def.ty(), &value) {
            (FieldType::Uid(resource), TypedValue::Uid(uid)) => uid.resource() == resource.as_str(),
            (FieldType::DateTime, TypedValue::DateTime(_))
            | (FieldType::Boolean, TypedValue::Bool(_))
            | (FieldType::String, TypedValue::String(_))
            | (FieldType::Int64, TypedValue::Int(_))
            | (FieldType::Double, TypedValue::Double(_)) => true,
            (FieldType::Enum(e), TypedValue::Enum(v)) => match v.index() {
                Some(i) => e.values().get(i).is_some_and(|n| n == v.name()),
                None => e.undocumented().iter().any(|n| n == v.name()),
            },
            _ => false,
        };
        if !fits {
            return Err(ComparisonError::TypeMismatch {
                name: def.name().to_owned(),
                field: def.ty().name(),
                value: value.type_name(),
            });
        }
        if op.is_ordering() && !def.ty().is_ordered() {
            return Err(ComparisonError::Unordered {
                op,
                ty: def.ty().name(),
            });
        }
        Ok(Comparison { field, op, value })
    }

    /// The field compared.
    pub fn field(&self) -> FieldId {
        self.field
    }

    /// The operator.
    pub fn op(&self) -> CompareOp {
        self.op
    }

    /// The value compared with.
    pub fn value(&self) -> &TypedValue {
        &self.value
    }
}
