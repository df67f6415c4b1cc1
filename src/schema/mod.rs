//! Schemas: the fields of an EM query type, as data.
//!
//! A [`Schema`] is a table of [`Field`]s, each with its canonical spelling and its
//! [`FieldType`]. Field names are looked up without regard to case. The built-in tables are in
//! [`tables`](self::builtin); adding an EM query type means adding a table there, not code.

mod tables;

use std::fmt;

/// The fields of one EM query type (`type=ReplicaJobSession`).
#[derive(Debug, PartialEq, Eq)]
pub struct Schema {
    name: &'static str,
    fields: &'static [Field],
}

/// The position of a field in its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub(crate) u16);

impl FieldId {
    /// The field's index in [`Schema::fields`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One filterable field.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    name: &'static str,
    ty: FieldType,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldType {
    /// `urn:veeam:<resource>:<guid>`, with the resource type the field takes (`Job`).
    Uid(&'static str),
    /// A UTC date-time.
    DateTime,
    /// `True` or `False`.
    Boolean,
    /// Free text.
    String,
    /// A signed 64-bit integer.
    Int64,
    /// One of a closed, ordered list of values.
    Enum(&'static Enum),
}

impl FieldType {
    /// The type's name as EM's documentation writes it.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Uid(_) => "UidType",
            FieldType::DateTime => "DateTime",
            FieldType::Boolean => "Boolean",
            FieldType::String => "String",
            FieldType::Int64 => "Int64",
            FieldType::Enum(_) => "Enum",
        }
    }

    /// Whether `<` `<=` `>` `>=` mean something for this type.
    pub fn is_ordered(self) -> bool {
        !matches!(self, FieldType::Uid(_) | FieldType::Boolean)
    }
}

/// The values of an enum field, in documented order: ordering comparisons use their index.
#[derive(Debug, PartialEq, Eq)]
pub struct Enum {
    values: &'static [&'static str],
    undocumented: &'static [&'static str],
}

impl Enum {
    /// An enum whose documented values are `values`, in order, and which real servers are also
    /// seen to return `undocumented` values (with no known place in the order).
    pub const fn new(
        values: &'static [&'static str],
        undocumented: &'static [&'static str],
    ) -> Enum {
        Enum {
            values,
            undocumented,
        }
    }

    /// The documented values, in order.
    pub fn values(&self) -> &'static [&'static str] {
        self.values
    }

    /// Values seen on real servers but not documented.
    pub fn undocumented(&self) -> &'static [&'static str] {
        self.undocumented
    }

    /// The documented index of `name` (any case).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.values
            .iter()
            .position(|v| v.eq_ignore_ascii_case(name))
    }
}

impl Field {
    /// A field named `name` (its canonical spelling) of type `ty`.
    pub const fn new(name: &'static str, ty: FieldType) -> Field {
        Field { name, ty }
    }

    /// The canonical spelling.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The type.
    pub fn ty(&self) -> FieldType {
        self.ty
    }
}

impl Schema {
    /// A schema for the query type `name` with `fields`.
    ///
    /// # Panics
    /// At compile time (in a `const`) or at once, if there are more than 65,535 fields.
    pub const fn new(name: &'static str, fields: &'static [Field]) -> Schema {
        assert!(fields.len() <= u16::MAX as usize, "too many fields");
        Schema { name, fields }
    }

    /// The query type's name (`ReplicaJobSession`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every field, in documented order.
    pub fn fields(&self) -> &'static [Field] {
        self.fields
    }

    /// The field `id`.
    ///
    /// # Panics
    /// If `id` is not a field of this schema.
    pub fn field(&self, id: FieldId) -> &'static Field {
        &self.fields[id.index()]
    }

    /// Looks a field up by name, in any case.
    pub fn lookup(&self, name: &str) -> Option<FieldId> {
        self.fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
            .map(|i| FieldId(i as u16))
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Every built-in schema.
pub fn builtins() -> &'static [&'static Schema] {
    tables::ALL
}

/// The built-in schema for a query type, named in any case (`replicajobsession`).
pub fn builtin(name: &str) -> Option<&'static Schema> {
    tables::ALL
        .iter()
        .copied()
        .find(|s| s.name.eq_ignore_ascii_case(name))
}

pub use tables::REPLICA_JOB_SESSION;
