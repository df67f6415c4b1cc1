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
    ///
    /// ```
    /// use emfilter::ir::{Comparison, Expr, ExprKind, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp, Filter};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let retry = REPLICA_JOB_SESSION.lookup("IsRetry").unwrap();
    /// let c = Comparison::new(&REPLICA_JOB_SESSION, retry, CompareOp::Ne, TypedValue::Bool(false))?;
    /// let e = Expr::compare(c.clone());
    /// assert_eq!(e.kind(), ExprKind::Compare(&c));
    /// assert_eq!(Filter::new(&REPLICA_JOB_SESSION, e)?.to_string(), "IsRetry!=False");
    /// # Ok(())
    /// # }
    /// ```
    pub fn compare(c: Comparison) -> Expr {
        Expr(Node::Compare(c))
    }

    /// `first` AND each of `rest`; nested ANDs are flattened, and a single item stands alone.
    ///
    /// ```
    /// use emfilter::ir::{Comparison, Expr, ExprKind, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp, Filter};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let s = &REPLICA_JOB_SESSION;
    /// let name = |n: &str| Ok::<_, Box<dyn std::error::Error>>(Expr::compare(Comparison::new(
    ///     s,
    ///     s.lookup("JobName").unwrap(),
    ///     CompareOp::Eq,
    ///     TypedValue::String(n.into()),
    /// )?));
    /// let retry = Expr::compare(Comparison::new(s, s.lookup("IsRetry").unwrap(), CompareOp::Eq, TypedValue::Bool(true))?);
    ///
    /// // An AND inside an AND is flattened: three items, not two.
    /// let inner = Expr::and(name("a")?, [name("b")?]);
    /// let all = Expr::and(inner, [retry]);
    /// assert!(matches!(all.kind(), ExprKind::And(items) if items.len() == 3));
    /// assert_eq!(Filter::new(s, all)?.to_string(), "JobName==a;JobName==b;IsRetry==True");
    /// // One item is just that item.
    /// assert_eq!(Expr::and(name("a")?, []), name("a")?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn and(first: Expr, rest: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::junction(first, rest, true)
    }

    /// `first` OR each of `rest`; nested ORs are flattened, and a single item stands alone.
    ///
    /// ```
    /// use emfilter::ir::{Comparison, Expr, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp, Filter};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let s = &REPLICA_JOB_SESSION;
    /// let name = |n: &str| Ok::<_, Box<dyn std::error::Error>>(Expr::compare(Comparison::new(
    ///     s,
    ///     s.lookup("JobName").unwrap(),
    ///     CompareOp::Eq,
    ///     TypedValue::String(n.into()),
    /// )?));
    /// let retry = Expr::compare(Comparison::new(s, s.lookup("IsRetry").unwrap(), CompareOp::Eq, TypedValue::Bool(true))?);
    ///
    /// // An OR under an AND keeps its parentheses when printed.
    /// let either = Expr::or(name("a")?, [name("b")?]);
    /// let e = Expr::and(retry, [either]);
    /// assert_eq!(e.comparisons(), 3);
    /// assert_eq!(Filter::new(s, e)?.to_string(), "IsRetry==True;(JobName==a,JobName==b)");
    /// # Ok(())
    /// # }
    /// ```
    pub fn or(first: Expr, rest: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::junction(first, rest, false)
    }

    fn junction(first: Expr, rest: impl IntoIterator<Item = Expr>, and: bool) -> Expr {
        Expr::junction_of(std::iter::once(first).chain(rest), and)
    }

    /// `items` joined by AND (`and`) or OR, flattened as [`Expr::and`] and [`Expr::or`] do, in
    /// one vector of the items' number (unless some of them are flattened).
    pub(crate) fn junction_of(items: impl IntoIterator<Item = Expr>, and: bool) -> Expr {
        let given = items.into_iter();
        let mut items = Vec::with_capacity(given.size_hint().0);
        for item in given {
            item.join_into(&mut items, and);
        }
        Expr::joined(items, and)
    }

    /// Adds `self` to the items of an AND (`and`) or OR: its own items if it is one of the
    /// same kind, else itself.
    fn join_into(self, items: &mut Vec<Expr>, and: bool) {
        match self.0 {
            Node::And(inner) if and => items.extend(inner),
            Node::Or(inner) if !and => items.extend(inner),
            node => items.push(Expr(node)),
        }
    }

    /// How many items `self` gives an AND (`and`) or OR that it is joined into: its own items
    /// if it is one of the same kind (they are flattened into it), else one.
    pub(crate) fn width(&self, and: bool) -> usize {
        match &self.0 {
            Node::And(inner) if and => inner.len(),
            Node::Or(inner) if !and => inner.len(),
            _ => 1,
        }
    }

    /// [`Expr::junction_of`], for items that hold `width` items in all, as [`Expr::width`]
    /// counts them: the vector is made that size at once. When `width` is the number of
    /// items, none is flattened, and they are moved in one pass.
    pub(crate) fn junction_sized(
        items: impl ExactSizeIterator<Item = Expr>,
        and: bool,
        width: usize,
    ) -> Expr {
        if width == items.len() && width >= 2 {
            let items: Vec<Expr> = items.collect();
            debug_assert!(items.iter().all(|e| e.width(and) == 1));
            return Expr(if and {
                Node::And(items)
            } else {
                Node::Or(items)
            });
        }
        let mut joined = Vec::with_capacity(width);
        for item in items {
            item.join_into(&mut joined, and);
        }
        Expr::joined(joined, and)
    }

    /// `items`, already flat, as one junction (or the one item alone).
    fn joined(mut items: Vec<Expr>, and: bool) -> Expr {
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
    ///
    /// ```
    /// use emfilter::ir::{ExprKind, TypedValue};
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("Result==Failed,Result==Warning", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let ExprKind::Or(items) = filter.root().kind() else { panic!("an OR") };
    /// let values: Vec<String> = items
    ///     .iter()
    ///     .map(|e| match e.kind() {
    ///         ExprKind::Compare(c) => match c.value() {
    ///             TypedValue::Enum(v) => v.name().to_owned(),
    ///             _ => unreachable!(),
    ///         },
    ///         _ => unreachable!(),
    ///     })
    ///     .collect();
    /// assert_eq!(values, ["Failed", "Warning"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn kind(&self) -> ExprKind<'_> {
        match &self.0 {
            Node::And(items) => ExprKind::And(items),
            Node::Or(items) => ExprKind::Or(items),
            Node::Compare(c) => ExprKind::Compare(c),
        }
    }

    /// The number of comparisons in the tree.
    ///
    /// ```
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let schema = &emfilter::schema::REPLICA_JOB_SESSION;
    /// assert_eq!(emfilter::compile("Result==Failed", schema)?.root().comparisons(), 1);
    /// let filter = emfilter::compile("((Result==Failed;IsRetry==true),(State==Working))", schema)?;
    /// assert_eq!(filter.root().comparisons(), 3);
    /// # Ok(())
    /// # }
    /// ```
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
/// assert_eq!(e.to_string(), "a value of type Int64 cannot be compared with the String field `JobName`");
///
/// // An enum value of another enum, or a UID of another resource, is the right type but no value
/// // of the field.
/// use emfilter::ir::{EnumValue, Guid, Uid};
/// let result = REPLICA_JOB_SESSION.lookup("Result").unwrap();
/// let e = Comparison::new(&REPLICA_JOB_SESSION, result, CompareOp::Eq, TypedValue::Enum(EnumValue::documented("Stopped", 7)))
///     .unwrap_err();
/// assert_eq!(e.to_string(), "`Stopped` is not a value of the Enum field `Result`");
/// let job = REPLICA_JOB_SESSION.lookup("JobUid").unwrap();
/// let guid = Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b8067").unwrap();
/// let e = Comparison::new(&REPLICA_JOB_SESSION, job, CompareOp::Eq, TypedValue::Uid(Uid::new("Backup", guid)))
///     .unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "`urn:veeam:Backup:dce85686-59c8-42c4-8766-f1c00a5b8067` is not a value of the UidType field `JobUid`"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ComparisonError {
    /// The field id is not in the schema.
    #[error("the schema has no field number {0}")]
    NoSuchField(usize),
    /// The value's type is not the field's.
    #[error("a value of type {value} cannot be compared with the {field} field `{name}`")]
    TypeMismatch {
        /// The field's name.
        name: String,
        /// The field's type.
        field: &'static str,
        /// The value's type.
        value: &'static str,
    },
    /// A value of the field's type that is not one of its values: an enum value the field's
    /// enum does not have (or has at another place), a UID of another resource.
    #[error("`{value}` is not a value of the {field} field `{name}`")]
    NotAValue {
        /// The field's name.
        name: String,
        /// The field's type.
        field: &'static str,
        /// The value, as the filter prints it.
        value: String,
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
    ///
    /// ```
    /// use emfilter::ir::{Comparison, ComparisonError, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let s = &REPLICA_JOB_SESSION;
    /// let name = s.lookup("JobName").unwrap();
    /// let c = Comparison::new(s, name, CompareOp::Ge, TypedValue::String("SQL".into()))?;
    /// assert_eq!((c.field(), c.op()), (name, CompareOp::Ge));
    /// // An id of a wider schema is not a field of a narrower one.
    /// let narrow = s.restrict(["Result"])?;
    /// let server = s.lookup("BackupServerName").unwrap();
    /// let e = Comparison::new(&narrow, server, CompareOp::Eq, TypedValue::String("srv".into()));
    /// assert_eq!(e, Err(ComparisonError::NoSuchField(11)));
    /// # Ok(())
    /// # }
    /// ```
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
        // `Some(true)`: the value fits; `Some(false)`: it has the field's type but is none of
        // its values (another enum's value, a UID of another resource); `None`: another type.
        let fits = match (def.ty(), &value) {
            (FieldType::Uid(resource), TypedValue::Uid(uid)) => {
                Some(uid.resource() == resource.as_str())
            }
            (FieldType::DateTime, TypedValue::DateTime(_))
            | (FieldType::Boolean, TypedValue::Bool(_))
            | (FieldType::String, TypedValue::String(_))
            | (FieldType::Int64, TypedValue::Int(_))
            | (FieldType::Double, TypedValue::Double(_)) => Some(true),
            (FieldType::Enum(e), TypedValue::Enum(v)) => Some(match v.index() {
                Some(i) => e.values().get(i).is_some_and(|n| n == v.name()),
                None => e.undocumented().iter().any(|n| n == v.name()),
            }),
            _ => None,
        };
        match fits {
            Some(true) => {}
            Some(false) => {
                let mut shown = String::new();
                let _ = print::write_value(&mut shown, &value);
                return Err(ComparisonError::NotAValue {
                    name: def.name().to_owned(),
                    field: def.ty().name(),
                    value: shown,
                });
            }
            None => {
                return Err(ComparisonError::TypeMismatch {
                    name: def.name().to_owned(),
                    field: def.ty().name(),
                    value: value.type_name(),
                })
            }
        }
        if op.is_ordering() && !def.ty().is_ordered() {
            return Err(ComparisonError::Unordered {
                op,
                ty: def.ty().name(),
            });
        }
        Ok(Comparison { field, op, value })
    }

    /// A comparison the checker made for `schema`: of a field of it, with a value of the
    /// field's type and an operator the type allows, which [`Comparison::new`] would only check
    /// again.
    pub(crate) fn checked(
        schema: &Schema,
        field: FieldId,
        op: CompareOp,
        value: TypedValue,
    ) -> Comparison {
        debug_assert_eq!(
            Comparison::new(schema, field, op, value.clone()),
            Ok(Comparison {
                field,
                op,
                value: value.clone()
            })
        );
        let _ = schema;
        Comparison { field, op, value }
    }

    /// The field compared.
    ///
    /// ```
    /// use emfilter::ir::ExprKind;
    /// use emfilter::CompareOp;
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let schema = &emfilter::schema::REPLICA_JOB_SESSION;
    /// let filter = emfilter::compile("endtime<2026-01-01T00:00:00Z", schema)?;
    /// let ExprKind::Compare(c) = filter.root().kind() else { unreachable!() };
    /// // The field as resolved (in the schema's spelling), the operator, the typed value.
    /// assert_eq!(schema.field(c.field()).name(), "EndTime");
    /// assert_eq!(c.op(), CompareOp::Lt);
    /// assert_eq!(c.value().type_name(), "DateTime");
    /// # Ok(())
    /// # }
    /// ```
    pub fn field(&self) -> FieldId {
        self.field
    }

    /// The operator.
    ///
    /// ```
    /// use emfilter::ir::ExprKind;
    /// use emfilter::CompareOp;
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("JobName!=nightly", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let ExprKind::Compare(c) = filter.root().kind() else { unreachable!() };
    /// assert_eq!(c.op(), CompareOp::Ne);
    /// assert_eq!(c.op().to_string(), "!=");
    /// # Ok(())
    /// # }
    /// ```
    pub fn op(&self) -> CompareOp {
        self.op
    }

    /// The value compared with.
    ///
    /// ```
    /// use emfilter::ir::{ExprKind, TypedValue};
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile("result==failed", &emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let ExprKind::Compare(c) = filter.root().kind() else { unreachable!() };
    /// // Typed: the enum's value in the schema's spelling, with its place in the order.
    /// let TypedValue::Enum(v) = c.value() else { panic!("an enum value") };
    /// assert_eq!((v.name(), v.index()), ("Failed", Some(2)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn value(&self) -> &TypedValue {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    /// Nodes are moved while a filter is typed and joined: a field that widens them (a `u128`
    /// aligned to sixteen bytes, say) costs every filter.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn nodes_stay_small() {
        assert_eq!(std::mem::size_of::<super::TypedValue>(), 48);
        assert_eq!(std::mem::size_of::<super::Expr>(), 56);
    }
}
