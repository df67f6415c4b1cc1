//! Schemas: the fields of an EM query type, as data.
//!
//! A [`Schema`] is a table of [`Field`]s, each with its canonical spelling, its [`FieldType`] and
//! whether it filters and sorts. Field names are looked up without regard to case.
//!
//! The [built-in](builtins) schemas are the parameter tables of the 48 query types that EM 13's
//! REST reference documents (`GET /query?type=<Type>`). They are data: `src/schema/types.toml`
//! holds every table with the page it was transcribed from, and the build turns it into statics.
//! Adding or correcting a type means editing that file, not code.
//!
//! ```
//! use emfilter::schema::{self, FieldType};
//!
//! let file = schema::builtin("backupfile").unwrap();
//! assert_eq!(file.name(), "BackupFile");
//! let ratio = file.field(file.lookup("compressratio").unwrap());
//! assert_eq!(ratio.ty(), FieldType::Double);
//! assert!(ratio.filterable() && ratio.sortable());
//! ```

#[cfg(test)]
mod doc_type;
mod tables;

use std::fmt;

/// The fields of one EM query type (`type=ReplicaJobSession`).
#[derive(Debug, PartialEq, Eq)]
pub struct Schema {
    name: &'static str,
    fields: &'static [Field],
    source: Option<&'static str>,
    note: Option<&'static str>,
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

/// One parameter of a query type.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    name: &'static str,
    ty: FieldType,
    documented_type: &'static str,
    filterable: bool,
    sortable: bool,
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
    /// A finite floating-point number (64-bit IEEE 754).
    Double,
    /// One of a closed, ordered list of values.
    Enum(&'static Enum),
}

impl FieldType {
    /// The type's name as EM's documentation writes it.
    pub const fn name(self) -> &'static str {
        match self {
            FieldType::Uid(_) => "UidType",
            FieldType::DateTime => "DateTime",
            FieldType::Boolean => "Boolean",
            FieldType::String => "String",
            FieldType::Int64 => "Int64",
            FieldType::Double => "Double",
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
    /// A field named `name` (its canonical spelling) of type `ty`, which filters and sorts.
    pub const fn new(name: &'static str, ty: FieldType) -> Field {
        Field {
            name,
            ty,
            documented_type: ty.name(),
            filterable: true,
            sortable: true,
        }
    }

    /// The same field, documented with the type name `printed` (EM's tables print some types
    /// irregularly: `Long` for an Int64, `Name` for a String).
    pub const fn documented_as(mut self, printed: &'static str) -> Field {
        self.documented_type = printed;
        self
    }

    /// The same field, filtering and sorting as said.
    pub const fn with_flags(mut self, filterable: bool, sortable: bool) -> Field {
        self.filterable = filterable;
        self.sortable = sortable;
        self
    }

    /// The canonical spelling.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The type.
    pub fn ty(&self) -> FieldType {
        self.ty
    }

    /// The type as the documentation prints it (`Long`, `Name`, `UidType`, …); the name of
    /// [`ty`](Field::ty) unless said otherwise.
    pub fn documented_type(&self) -> &'static str {
        self.documented_type
    }

    /// Whether the field may be used in a filter.
    pub fn filterable(&self) -> bool {
        self.filterable
    }

    /// Whether the field may be named by `sortAsc` / `sortDesc`.
    pub fn sortable(&self) -> bool {
        self.sortable
    }
}

impl Schema {
    /// A schema for the query type `name` with `fields`.
    ///
    /// # Panics
    /// At compile time (in a `const`) or at once, if there are more than 65,535 fields.
    pub const fn new(name: &'static str, fields: &'static [Field]) -> Schema {
        assert!(fields.len() <= u16::MAX as usize, "too many fields");
        Schema {
            name,
            fields,
            source: None,
            note: None,
        }
    }

    /// The same schema, saying where its table came from and what is irregular about it.
    pub const fn with_source(mut self, source: &'static str, note: Option<&'static str>) -> Schema {
        self.source = Some(source);
        self.note = note;
        self
    }

    /// The query type's name (`ReplicaJobSession`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Every field, in documented order.
    pub fn fields(&self) -> &'static [Field] {
        self.fields
    }

    /// Where the table came from: for a built-in schema, the page of EM's REST reference and the
    /// build it applies to.
    pub fn source(&self) -> Option<&'static str> {
        self.source
    }

    /// What is irregular about the documented table, if anything.
    pub fn note(&self) -> Option<&'static str> {
        self.note
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

/// Every built-in schema: the 48 query types of EM 13, in the order of the reference's list.
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

/// The built-in schema whose name is closest to `name`, if `name` looks like a typo of one
/// (`BackupJobSesion`, `Repo`): for "did you mean …?". Short names must be close: `foo` is not
/// taken for `Job`.
pub fn closest_builtin(name: &str) -> Option<&'static Schema> {
    let best = crate::suggest::closest(name, tables::ALL.iter().map(|s| s.name))?;
    let edits = crate::suggest::distance(name, best);
    let is_prefix = best
        .to_ascii_lowercase()
        .starts_with(&name.to_ascii_lowercase());
    (is_prefix || 2 * edits < best.len()).then(|| builtin(best))?
}

pub use tables::REPLICA_JOB_SESSION;
