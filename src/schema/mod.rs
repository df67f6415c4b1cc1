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
//! Schemas can also be made at run time, from the same table format ([`Schema::from_def`],
//! [`SchemaFile`]) or with a [`SchemaBuilder`], and any schema can be narrowed to the fields one
//! endpoint allows ([`Schema::restrict`]) with names of the caller's own ([`Schema::rename`]).
//!
//! ```
//! use emfilter::schema::{self, FieldType};
//!
//! let file = schema::builtin("backupfile").unwrap();
//! assert_eq!(file.name(), "BackupFile");
//! let ratio = file.field(file.lookup("compressratio").unwrap());
//! assert_eq!(*ratio.ty(), FieldType::Double);
//! assert!(ratio.filterable() && ratio.sortable());
//! ```

mod def;
mod doc_type;
mod name;
mod tables;

use std::fmt;
use std::sync::Arc;

pub use def::{FieldDef, SchemaFile, TypeDef};
pub use name::Name;

use def::{Problem, Shape};
use doc_type::Kind;
use name::{Keys, List};

/// The fields of one EM query type (`type=ReplicaJobSession`).
///
/// A schema is a handle: cloning it is a pointer copy (and a reference count for a schema made
/// at run time), so checkers and typed filters each hold their own. The built-in schemas are
/// statics ([`builtin`], [`REPLICA_JOB_SESSION`]); others are made at run time from the same
/// table format ([`Schema::from_def`]) or with a [`SchemaBuilder`], and narrowed per call with
/// [`Schema::restrict`] and [`Schema::rename`].
///
/// ```
/// use emfilter::schema::{self, REPLICA_JOB_SESSION};
/// let schema = schema::builtin("replicajobsession").unwrap();
/// assert_eq!(schema, &REPLICA_JOB_SESSION);
/// assert_eq!(schema.name(), "ReplicaJobSession");
/// assert_eq!(schema.fields().len(), 12);
/// assert!(schema.lookup("jobname").is_some());
/// ```
#[derive(Clone)]
pub struct Schema(Handle);

#[derive(Clone)]
enum Handle {
    Static(&'static Table),
    Shared(Arc<Table>),
}

/// What a schema holds.
#[derive(PartialEq, Eq)]
struct Table {
    name: Name,
    fields: List<Field>,
    /// The keys of the fields' names, for [`Schema::lookup`].
    keys: Keys,
    source: Option<Name>,
    note: Option<Name>,
    restricted: bool,
}

impl Table {
    /// A table of `fields`, with the keys of their names.
    fn new(
        name: Name,
        fields: Vec<Field>,
        source: Option<Name>,
        note: Option<Name>,
        restricted: bool,
    ) -> Table {
        Table {
            name,
            keys: Keys::of(fields.iter().map(Field::name)),
            fields: fields.into(),
            source,
            note,
            restricted,
        }
    }
}

impl fmt::Debug for Table {
    /// What a table holds, without the keys (which its names say).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("fields", &self.fields)
            .field("source", &self.source)
            .field("note", &self.note)
            .field("restricted", &self.restricted)
            .finish()
    }
}

/// The position of a field in its schema.
///
/// ```
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// let id = REPLICA_JOB_SESSION.lookup("result").unwrap();
/// assert_eq!(REPLICA_JOB_SESSION.field(id).name(), "Result");
/// assert_eq!(REPLICA_JOB_SESSION.fields()[id.index()].name(), "Result");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub(crate) u16);

impl FieldId {
    /// The field's index in [`Schema::fields`].
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// assert_eq!(REPLICA_JOB_SESSION.lookup("UID").unwrap().index(), 0);
    /// assert_eq!(REPLICA_JOB_SESSION.lookup("Result").unwrap().index(), 8);
    /// // Positions are per schema: a narrowed schema numbers its own fields.
    /// let narrow = REPLICA_JOB_SESSION.restrict(["Result"])?;
    /// assert_eq!(narrow.lookup("Result").unwrap().index(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One parameter of a query type.
///
/// ```
/// use emfilter::schema::{builtin, FieldType};
/// let file = builtin("BackupFile").unwrap();
/// let size = file.field(file.lookup("BackupSize").unwrap());
/// assert_eq!((size.ty(), size.documented_type()), (&FieldType::Int64, "Long"));
/// assert!(size.filterable() && size.sortable());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    name: Name,
    em_name: Name,
    ty: FieldType,
    documented_type: Name,
    filterable: bool,
    sortable: bool,
    documented: bool,
}

/// What a field holds.
///
/// ```
/// use emfilter::schema::{FieldType, REPLICA_JOB_SESSION};
/// let job_uid = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("JobUid").unwrap());
/// assert_eq!(*job_uid.ty(), FieldType::uid("Job"));
/// assert!(!job_uid.ty().is_ordered(), "UIDs have no order");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldType {
    /// `urn:veeam:<resource>:<guid>`, with the resource type the field takes (`Job`).
    Uid(Name),
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
    Enum(Enum),
}

impl FieldType {
    /// A UID of resource type `resource` (`Job`).
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    /// use emfilter::Code;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = Schema::builder("Ticket").field("JobUid", FieldType::uid("Job")).build()?;
    /// assert!(emfilter::check("JobUid==urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067", &schema).is_valid());
    /// // A UID of another resource type is refused.
    /// let checked = emfilter::check("JobUid==urn:veeam:Repository:dce85686-59c8-42c4-8766-f1c00a5b8067", &schema);
    /// assert_eq!(checked.diagnostics()[0].code(), Code::UidTypeMismatch);
    /// # Ok(())
    /// # }
    /// ```
    pub fn uid(resource: impl Into<Name>) -> FieldType {
        FieldType::Uid(resource.into())
    }

    /// The type's name as EM's documentation writes it.
    ///
    /// ```
    /// use emfilter::schema::{Enum, FieldType};
    /// assert_eq!(FieldType::uid("Job").name(), "UidType");
    /// assert_eq!(FieldType::Int64.name(), "Int64");
    /// assert_eq!(FieldType::Enum(Enum::new(["On", "Off"], [] as [&str; 0])).name(), "Enum");
    /// ```
    pub const fn name(&self) -> &'static str {
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
    ///
    /// ```
    /// use emfilter::schema::FieldType;
    /// assert!(FieldType::DateTime.is_ordered() && FieldType::String.is_ordered());
    /// assert!(!FieldType::Boolean.is_ordered());
    /// let checked = emfilter::check("IsRetry>=False", &emfilter::schema::REPLICA_JOB_SESSION);
    /// assert_eq!(checked.diagnostics()[0].code(), emfilter::Code::UnsupportedOperator);
    /// ```
    pub fn is_ordered(&self) -> bool {
        !matches!(self, FieldType::Uid(_) | FieldType::Boolean)
    }

    /// The enum, for an enum field.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// let state = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("State").unwrap());
    /// assert_eq!(state.ty().as_enum().unwrap().values().len(), 6);
    /// let name = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("Name").unwrap());
    /// assert!(name.ty().as_enum().is_none());
    /// ```
    pub fn as_enum(&self) -> Option<&Enum> {
        match self {
            FieldType::Enum(e) => Some(e),
            _ => None,
        }
    }

    fn shape(&self) -> Shape<'_> {
        match self {
            FieldType::Uid(r) => Shape::Uid(r),
            FieldType::Enum(e) => Shape::Enum(
                e.values.iter().map(Name::as_str).collect(),
                e.undocumented.iter().map(Name::as_str).collect(),
            ),
            FieldType::DateTime => Shape::Scalar(Kind::DateTime),
            FieldType::Boolean => Shape::Scalar(Kind::Boolean),
            FieldType::String => Shape::Scalar(Kind::String),
            FieldType::Int64 => Shape::Scalar(Kind::Int64),
            FieldType::Double => Shape::Scalar(Kind::Double),
        }
    }
}

/// The values of an enum field, in documented order: ordering comparisons use their index.
///
/// ```
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// let result = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("Result").unwrap());
/// let e = result.ty().as_enum().unwrap();
/// assert_eq!(e.values(), ["Success", "Warning", "Failed"]);
/// assert_eq!(e.undocumented(), ["None"]);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Enum {
    values: List<Name>,
    /// The keys of the documented values, for [`Enum::index_of`].
    keys: Keys,
    undocumented: List<Name>,
}

impl fmt::Debug for Enum {
    /// The values, without the keys (which the values say).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Enum")
            .field("values", &self.values)
            .field("undocumented", &self.undocumented)
            .finish()
    }
}

impl Enum {
    /// An enum whose documented values are `values`, in order, and which servers are also seen
    /// to return `undocumented` values (with no known place in the order). The values are
    /// checked when the schema is built.
    ///
    /// ```
    /// use emfilter::schema::{Enum, FieldType};
    ///
    /// let severity = Enum::new(["Low", "Medium", "High"], ["Unknown"]);
    /// assert_eq!(severity.index_of("medium"), Some(1));
    /// let _ = FieldType::Enum(severity);
    /// ```
    pub fn new<V, U>(values: V, undocumented: U) -> Enum
    where
        V: IntoIterator,
        V::Item: Into<Name>,
        U: IntoIterator,
        U::Item: Into<Name>,
    {
        let values: Vec<Name> = values.into_iter().map(Into::into).collect();
        Enum {
            keys: Keys::of(values.iter().map(Name::as_str)),
            values: values.into(),
            undocumented: undocumented
                .into_iter()
                .map(Into::into)
                .collect::<Vec<_>>()
                .into(),
        }
    }

    /// The documented values, in order.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// let state = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("State").unwrap());
    /// let values = state.ty().as_enum().unwrap().values();
    /// assert_eq!(values, ["Starting", "Stopping", "Working", "Pausing", "Resuming", "Stopped"]);
    /// ```
    pub fn values(&self) -> &[Name] {
        &self.values
    }

    /// Values seen on real servers but not documented.
    ///
    /// ```
    /// use emfilter::schema::{Enum, REPLICA_JOB_SESSION};
    /// let result = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("Result").unwrap());
    /// assert_eq!(result.ty().as_enum().unwrap().undocumented(), ["None"]);
    /// let severity = Enum::new(["Low", "High"], [] as [&str; 0]);
    /// assert!(severity.undocumented().is_empty());
    /// ```
    pub fn undocumented(&self) -> &[Name] {
        &self.undocumented
    }

    /// The documented index of `name` (any case).
    ///
    /// ```
    /// use emfilter::schema::Enum;
    /// let result = Enum::new(["Success", "Warning", "Failed"], ["None"]);
    /// assert_eq!(result.index_of("FAILED"), Some(2));
    /// assert_eq!(result.index_of("None"), None, "undocumented: no place in the order");
    /// assert_eq!(result.undocumented_value("none").map(|n| n.as_str()), Some("None"));
    /// assert!(result.undocumented_value("Failed").is_none());
    /// ```
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.keys.find(|i| &self.values[i], name)
    }

    /// The undocumented value `name` (any case), in the enum's spelling.
    ///
    /// ```
    /// use emfilter::schema::Enum;
    /// let result = Enum::new(["Success", "Warning", "Failed"], ["None"]);
    /// assert_eq!(result.undocumented_value("NONE").unwrap().as_str(), "None");
    /// assert!(result.undocumented_value("Success").is_none(), "documented, so not undocumented");
    /// assert!(result.undocumented_value("Nothing").is_none());
    /// ```
    pub fn undocumented_value(&self, name: &str) -> Option<&Name> {
        self.undocumented.iter().find(|v| v.matches(name))
    }
}

impl Field {
    /// A field named `name` of type `ty`, which filters and sorts.
    ///
    /// ```
    /// use emfilter::schema::{Field, FieldType};
    ///
    /// let f = Field::new("TicketId", FieldType::Int64).with_flags(true, false);
    /// assert_eq!((f.name(), f.documented_type(), f.sortable()), ("TicketId", "Int64", false));
    /// ```
    pub fn new(name: impl Into<Name>, ty: FieldType) -> Field {
        let name = name.into();
        Field {
            em_name: name.clone(),
            documented_type: Name::from_static(ty.name()),
            name,
            ty,
            filterable: true,
            sortable: true,
            documented: true,
        }
    }

    /// A built-in field, for the generated tables.
    const fn builtin(
        name: &'static str,
        ty: FieldType,
        printed: &'static str,
        filterable: bool,
        sortable: bool,
        documented: bool,
    ) -> Field {
        Field {
            name: Name::from_static(name),
            em_name: Name::from_static(name),
            ty,
            documented_type: Name::from_static(printed),
            filterable,
            sortable,
            documented,
        }
    }

    /// The same field, said to be missing from EM's documentation (`documented = false`) though
    /// Veeam's own samples use it: filters on it are checked, with an `undocumented-field`
    /// warning.
    ///
    /// ```
    /// use emfilter::schema::{self, Field, FieldType};
    ///
    /// assert!(!Field::new("X", FieldType::String).undocumented().is_documented());
    /// let vm = schema::builtin("VmRestorePoint").unwrap();
    /// assert!(!vm.field(vm.lookup("HierarchyObjRef").unwrap()).is_documented());
    /// ```
    pub fn undocumented(mut self) -> Field {
        self.documented = false;
        self
    }

    /// Whether EM's documentation lists the field.
    ///
    /// ```
    /// use emfilter::{schema, Code};
    /// let sessions = &schema::REPLICA_JOB_SESSION;
    /// assert!(sessions.fields().iter().all(|f| f.is_documented()));
    /// let vm = schema::builtin("VmRestorePoint").unwrap();
    /// assert!(!vm.field(vm.lookup("HierarchyObjRef").unwrap()).is_documented());
    /// let checked = emfilter::check("HierarchyObjRef==x", vm);
    /// assert_eq!(checked.diagnostics()[0].code(), Code::UndocumentedField);
    /// ```
    pub fn is_documented(&self) -> bool {
        self.documented
    }

    /// The same field, documented with the type name `printed` (EM's tables print some types
    /// irregularly: `Long` for an Int64, `Name` for a String).
    ///
    /// ```
    /// use emfilter::schema::{Field, FieldType};
    /// let f = Field::new("RepositoryName", FieldType::String).documented_as("Name");
    /// assert_eq!((f.ty(), f.documented_type()), (&FieldType::String, "Name"));
    /// ```
    pub fn documented_as(mut self, printed: impl Into<Name>) -> Field {
        self.documented_type = printed.into();
        self
    }

    /// The same field, filtering and sorting as said.
    ///
    /// ```
    /// use emfilter::schema::{Field, FieldType, Schema};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let note = Field::new("Note", FieldType::String).with_flags(false, true);
    /// assert!(!note.filterable() && note.sortable());
    /// let schema = Schema::builder("Ticket").with_field(note).build()?;
    /// assert!(!emfilter::check("Note==x", &schema).is_valid(), "a field that does not filter");
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_flags(mut self, filterable: bool, sortable: bool) -> Field {
        self.filterable = filterable;
        self.sortable = sortable;
        self
    }

    /// The name filters write: EM's spelling, unless the schema [renamed](Schema::rename) it.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // Looked up in any case, named in EM's spelling.
    /// let id = REPLICA_JOB_SESSION.lookup("backupservername").unwrap();
    /// assert_eq!(REPLICA_JOB_SESSION.field(id).name(), "BackupServerName");
    /// let api = REPLICA_JOB_SESSION.rename("BackupServerName", "server")?;
    /// assert_eq!(api.field(id).name(), "server");
    /// # Ok(())
    /// # }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name EM knows the field by, which is what is sent to the server and read from its
    /// entities; the same as [`name`](Field::name) unless the schema renamed the field.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let api = REPLICA_JOB_SESSION.rename("JobName", "job")?;
    /// let field = api.field(api.lookup("job").unwrap());
    /// assert_eq!((field.name(), field.em_name()), ("job", "JobName"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn em_name(&self) -> &str {
        &self.em_name
    }

    /// The type.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, REPLICA_JOB_SESSION};
    /// let s = &REPLICA_JOB_SESSION;
    /// assert_eq!(s.field(s.lookup("IsRetry").unwrap()).ty(), &FieldType::Boolean);
    /// assert_eq!(s.field(s.lookup("BackupServerUid").unwrap()).ty(), &FieldType::uid("BackupServer"));
    /// assert!(s.field(s.lookup("Result").unwrap()).ty().as_enum().is_some());
    /// ```
    pub fn ty(&self) -> &FieldType {
        &self.ty
    }

    /// The type as the documentation prints it (`Long`, `Name`, `UidType`, …); the name of
    /// [`ty`](Field::ty) unless said otherwise.
    ///
    /// ```
    /// use emfilter::schema::{builtin, FieldType, REPLICA_JOB_SESSION};
    /// let replica = builtin("Replica").unwrap();
    /// let repository = replica.field(replica.lookup("RepositoryName").unwrap());
    /// assert_eq!((repository.ty(), repository.documented_type()), (&FieldType::String, "Name"));
    /// // An enum is printed as the type of its values.
    /// let state = REPLICA_JOB_SESSION.field(REPLICA_JOB_SESSION.lookup("State").unwrap());
    /// assert_eq!((state.ty().name(), state.documented_type()), ("Enum", "String"));
    /// ```
    pub fn documented_type(&self) -> &str {
        &self.documented_type
    }

    /// Whether the field may be used in a filter.
    ///
    /// ```
    /// use emfilter::schema::{Field, FieldType, REPLICA_JOB_SESSION};
    /// assert!(REPLICA_JOB_SESSION.fields().iter().all(|f| f.filterable()));
    /// let hidden = Field::new("Secret", FieldType::String).with_flags(false, true);
    /// assert!(!hidden.filterable() && hidden.sortable());
    /// ```
    pub fn filterable(&self) -> bool {
        self.filterable
    }

    /// Whether the field may be named by `sortAsc` / `sortDesc`.
    ///
    /// ```
    /// use emfilter::schema;
    /// assert!(schema::REPLICA_JOB_SESSION.fields().iter().all(|f| f.sortable()));
    /// // The Passwords page documents its parameters for filtering only.
    /// let passwords = schema::builtin("Passwords").unwrap();
    /// let hint = passwords.field(passwords.lookup("Hint").unwrap());
    /// assert!(hint.filterable() && !hint.sortable());
    /// ```
    pub fn sortable(&self) -> bool {
        self.sortable
    }
}

/// Why a schema could not be made: the query type, the field when it is about one, and what is
/// wrong.
///
/// ```
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// let e = REPLICA_JOB_SESSION.restrict(["JobNmae"]).unwrap_err();
/// assert_eq!((e.schema.as_str(), e.field.as_deref()), ("ReplicaJobSession", Some("JobNmae")));
/// assert_eq!(e.to_string(), "type ReplicaJobSession, field JobNmae: `JobNmae` is not a field (did you mean `JobName`?)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct SchemaError {
    /// The query type's name.
    pub schema: String,
    /// The field the problem is about, if it is about one.
    pub field: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

impl SchemaError {
    fn new(schema: &str, problem: Problem) -> SchemaError {
        SchemaError {
            schema: schema.to_owned(),
            field: problem.field,
            message: problem.message,
        }
    }

    fn describe(&self) -> String {
        match &self.field {
            Some(field) => format!("type {}, field {field}: {}", self.schema, self.message),
            None => format!("type {}: {}", self.schema, self.message),
        }
    }
}

/// Builds a [`Schema`] at run time, field by field; [`build`](SchemaBuilder::build) checks it.
///
/// ```
/// use emfilter::schema::{Enum, FieldType, Schema};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let incidents = Schema::builder("Incident")
///     .field("UID", FieldType::uid("Incident"))
///     .field("Title", FieldType::String)
///     .field("Severity", FieldType::Enum(Enum::new(["Low", "Medium", "High"], [] as [&str; 0])))
///     .build()?;
/// let filter = emfilter::compile("severity>=medium;title==\"disk full\"", &incidents)?;
/// assert_eq!(filter.to_string(), r#"Severity>=Medium;Title=="disk full""#);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct SchemaBuilder {
    name: Name,
    fields: Vec<Field>,
    source: Option<Name>,
    note: Option<Name>,
}

impl SchemaBuilder {
    /// Adds a field of type `ty` that filters and sorts.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = Schema::builder("Ticket").field("Opened", FieldType::DateTime).build()?;
    /// let opened = schema.field(schema.lookup("opened").unwrap());
    /// assert_eq!((opened.name(), opened.ty()), ("Opened", &FieldType::DateTime));
    /// assert!(opened.filterable() && opened.sortable() && opened.is_documented());
    /// # Ok(())
    /// # }
    /// ```
    pub fn field(self, name: impl Into<Name>, ty: FieldType) -> SchemaBuilder {
        self.with_field(Field::new(name, ty))
    }

    /// Adds `field`.
    ///
    /// ```
    /// use emfilter::schema::{Field, FieldType, Schema};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let size = Field::new("Size", FieldType::Int64).documented_as("Long").with_flags(true, false);
    /// let schema = Schema::builder("Ticket").with_field(size.clone()).build()?;
    /// assert_eq!(schema.fields(), [size]);
    /// assert_eq!(schema.fields()[0].documented_type(), "Long");
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_field(mut self, field: Field) -> SchemaBuilder {
        self.fields.push(field);
        self
    }

    /// Says where the table comes from.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = Schema::builder("Ticket")
    ///     .field("Title", FieldType::String)
    ///     .source("https://tickets.example/api#query")
    ///     .note("Title is matched whole, as EM does.")
    ///     .build()?;
    /// assert_eq!(schema.source(), Some("https://tickets.example/api#query"));
    /// assert_eq!(schema.note(), Some("Title is matched whole, as EM does."));
    /// # Ok(())
    /// # }
    /// ```
    pub fn source(mut self, source: impl Into<Name>) -> SchemaBuilder {
        self.source = Some(source.into());
        self
    }

    /// Says what is irregular about the table.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let plain = Schema::builder("Ticket").field("Title", FieldType::String);
    /// assert_eq!(plain.clone().build()?.note(), None);
    /// let noted = plain.note("Title is printed as `Name`.").build()?;
    /// assert_eq!(noted.note(), Some("Title is printed as `Name`."));
    /// # Ok(())
    /// # }
    /// ```
    pub fn note(mut self, note: impl Into<Name>) -> SchemaBuilder {
        self.note = Some(note.into());
        self
    }

    /// The schema, if it keeps the rules every schema keeps (see [`Schema::from_def`]).
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    ///
    /// let twice = Schema::builder("Ticket")
    ///     .field("Title", FieldType::String)
    ///     .field("title", FieldType::String)
    ///     .build();
    /// assert_eq!(twice.unwrap_err().field.as_deref(), Some("title"));
    /// assert!(Schema::builder("Ticket").build().is_err(), "no fields");
    /// ```
    pub fn build(self) -> Result<Schema, SchemaError> {
        def::check_type(
            &self.name,
            self.fields.iter().map(|f| (f.name(), f.ty.shape())),
        )
        .map_err(|p| SchemaError::new(&self.name, p))?;
        Ok(Schema::shared(Table::new(
            self.name,
            self.fields,
            self.source,
            self.note,
            false,
        )))
    }
}

impl Schema {
    const fn from_table(table: &'static Table) -> Schema {
        Schema(Handle::Static(table))
    }

    fn shared(table: Table) -> Schema {
        Schema(Handle::Shared(Arc::new(table)))
    }

    fn table(&self) -> &Table {
        match &self.0 {
            Handle::Static(t) => t,
            Handle::Shared(t) => t,
        }
    }

    /// A builder for a schema of the query type `name`.
    ///
    /// ```
    /// use emfilter::schema::{Field, FieldType, Schema};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = Schema::builder("Ticket")
    ///     .field("Id", FieldType::Int64)
    ///     .with_field(Field::new("Opened", FieldType::DateTime).with_flags(true, false))
    ///     .build()?;
    /// assert_eq!(schema.name(), "Ticket");
    /// let names: Vec<&str> = schema.fields().iter().map(|f| f.name()).collect();
    /// assert_eq!(names, ["Id", "Opened"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(name: impl Into<Name>) -> SchemaBuilder {
        SchemaBuilder {
            name: name.into(),
            fields: Vec::new(),
            source: None,
            note: None,
        }
    }

    /// The schema a table in the built-in tables' format describes ([`TypeDef`]), checked by the
    /// rules every schema keeps: the type's name is ASCII letters and digits; it has at least
    /// one field; each field name is one the grammar reads as a field (a letter or `_`, then
    /// letters, digits, `_` or `.`), and no two are the same in any case; a UID names its
    /// resource type; an enum has at least one value, no two the same in any case, none holding
    /// `"` or control characters.
    ///
    /// ```
    /// use emfilter::schema::{Schema, SchemaFile};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let file: SchemaFile = toml::from_str(r#"
    ///     [[type]]
    ///     name = "Incident"
    ///     fields = [
    ///       { name = "Title", type = "String" },
    ///       { name = "Opened", type = "DateTime" },
    ///       { name = "Severity", type = "String", values = ["Low", "Medium", "High"] },
    ///     ]
    /// "#)?;
    /// let incident = Schema::from_def(&file.types[0])?;
    /// assert!(emfilter::compile("Severity>Low;Opened>=2026-01-01T00:00:00Z", &incident).is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_def(def: &TypeDef) -> Result<Schema, SchemaError> {
        let err = |p: Problem| SchemaError::new(&def.name, p);
        let shapes = def
            .fields
            .iter()
            .map(|row| def::shape_of(row).map(|shape| (row.name.as_str(), shape)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        def::check_type(&def.name, shapes.iter().cloned()).map_err(err)?;
        let fields = def
            .fields
            .iter()
            .zip(shapes)
            .map(|(row, (_, shape))| {
                let ty = match shape {
                    Shape::Uid(r) => FieldType::uid(r),
                    Shape::Enum(values, undocumented) => {
                        FieldType::Enum(Enum::new(values, undocumented))
                    }
                    Shape::Scalar(kind) => match kind {
                        Kind::Uid => unreachable!("a UID has the UID shape"),
                        Kind::DateTime => FieldType::DateTime,
                        Kind::Boolean => FieldType::Boolean,
                        Kind::Int64 => FieldType::Int64,
                        Kind::Double => FieldType::Double,
                        Kind::String => FieldType::String,
                    },
                };
                let field = Field::new(row.name.as_str(), ty)
                    .documented_as(row.printed.as_str())
                    .with_flags(
                        row.filter.unwrap_or(def.filter),
                        row.sort.unwrap_or(def.sort),
                    );
                if row.documented {
                    field
                } else {
                    field.undocumented()
                }
            })
            .collect::<Vec<_>>();
        Ok(Schema::shared(Table::new(
            def.name.as_str().into(),
            fields,
            def.source.as_deref().map(Name::from),
            def.note.as_deref().map(Name::from),
            false,
        )))
    }

    /// Every schema of a file in the built-in tables' format, in order; the type names must
    /// differ in any case.
    ///
    /// ```
    /// use emfilter::schema::{Schema, SchemaFile};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let file: SchemaFile = toml::from_str(r#"
    ///     [[type]]
    ///     name = "Ticket"
    ///     fields = [{ name = "Title", type = "String" }]
    ///
    ///     [[type]]
    ///     name = "Queue"
    ///     fields = [{ name = "Size", type = "Int64" }]
    /// "#)?;
    /// let schemas = Schema::from_defs(&file)?;
    /// assert_eq!(schemas.iter().map(|s| s.name()).collect::<Vec<_>>(), ["Ticket", "Queue"]);
    ///
    /// let twice: SchemaFile = toml::from_str(r#"
    ///     [[type]]
    ///     name = "Ticket"
    ///     fields = [{ name = "Title", type = "String" }]
    ///     [[type]]
    ///     name = "TICKET"
    ///     fields = [{ name = "Title", type = "String" }]
    /// "#)?;
    /// let e = Schema::from_defs(&twice).unwrap_err();
    /// assert_eq!(e.to_string(), "type TICKET: named twice (type names match in any case)");
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_defs(file: &SchemaFile) -> Result<Vec<Schema>, SchemaError> {
        let mut out: Vec<Schema> = Vec::with_capacity(file.types.len());
        for def in &file.types {
            if out.iter().any(|s| s.name().eq_ignore_ascii_case(&def.name)) {
                return Err(SchemaError {
                    schema: def.name.clone(),
                    field: None,
                    message: "named twice (type names match in any case)".into(),
                });
            }
            out.push(Schema::from_def(def)?);
        }
        Ok(out)
    }

    /// The same query type with only the fields named in `allowed` (in any case), in the
    /// schema's order: the allow-list of one endpoint. A filter on any other field is
    /// `unknown-field`, and its did-you-mean names only the allowed fields.
    ///
    /// ```
    /// use emfilter::{schema::REPLICA_JOB_SESSION, Code};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let narrow = REPLICA_JOB_SESSION.restrict(["JobName", "Result", "CreationTime"])?;
    /// let checked = emfilter::check("JobUid==x", &narrow);
    /// let d = &checked.diagnostics()[0];
    /// assert_eq!(d.code(), Code::UnknownField);
    /// assert!(d.help().unwrap().contains("JobName, CreationTime, Result"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn restrict<I>(&self, allowed: I) -> Result<Schema, SchemaError>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut keep = vec![false; self.fields().len()];
        for name in allowed {
            let name = name.as_ref();
            match self.lookup(name) {
                Some(id) => keep[id.index()] = true,
                None => return Err(self.no_such_field(name)),
            }
        }
        let fields: Vec<Field> = self
            .fields()
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(f, _)| f.clone())
            .collect();
        if fields.is_empty() {
            return Err(SchemaError::new(
                self.name(),
                Problem {
                    field: None,
                    message: "an allow-list needs at least one field".into(),
                },
            ));
        }
        Ok(self.derived(fields, true))
    }

    /// The same query type with the field `field` (named in any case) written `to` in filters:
    /// a name of the caller's own API. Checking, did-you-mean and the canonical form use `to`;
    /// what is sent to the server ([`Filter::to_query_value`](crate::Filter::to_query_value)) and
    /// read from its entities keeps EM's name.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let api = REPLICA_JOB_SESSION.rename("CreationTime", "started")?.rename("Result", "outcome")?;
    /// let filter = emfilter::compile("outcome==failed;started>=2026-01-01T00:00:00Z", &api)?;
    /// assert_eq!(filter.to_string(), "outcome==Failed;started>=2026-01-01T00:00:00Z");
    /// assert_eq!(filter.to_em_filter(), "Result==Failed;CreationTime>=2026-01-01T00:00:00Z");
    /// # Ok(())
    /// # }
    /// ```
    pub fn rename(&self, field: &str, to: impl Into<Name>) -> Result<Schema, SchemaError> {
        let to = to.into();
        let id = self
            .lookup(field)
            .ok_or_else(|| self.no_such_field(field))?;
        let mut fields = self.fields().to_vec();
        fields[id.index()].name = to;
        let schema = self.derived(fields, self.table().restricted);
        def::check_type(
            schema.name(),
            schema.fields().iter().map(|f| (f.name(), f.ty.shape())),
        )
        .map_err(|p| SchemaError::new(self.name(), p))?;
        Ok(schema)
    }

    fn derived(&self, fields: Vec<Field>, restricted: bool) -> Schema {
        let t = self.table();
        Schema::shared(Table::new(
            t.name.clone(),
            fields,
            t.source.clone(),
            t.note.clone(),
            restricted,
        ))
    }

    fn no_such_field(&self, name: &str) -> SchemaError {
        let names = self.fields().iter().map(Field::name);
        let message = match crate::suggest::closest(name, names) {
            Some(best) => format!("`{name}` is not a field (did you mean `{best}`?)"),
            None => format!("`{name}` is not a field"),
        };
        SchemaError {
            schema: self.name().to_owned(),
            field: Some(name.to_owned()),
            message,
        }
    }

    /// The query type's name (`ReplicaJobSession`).
    ///
    /// ```
    /// use emfilter::schema;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// assert_eq!(schema::builtin("BACKUPJOBSESSION").unwrap().name(), "BackupJobSession");
    /// // A narrowed schema keeps its query type's name.
    /// let narrow = schema::REPLICA_JOB_SESSION.restrict(["Result"])?;
    /// assert_eq!(narrow.name(), "ReplicaJobSession");
    /// # Ok(())
    /// # }
    /// ```
    pub fn name(&self) -> &str {
        &self.table().name
    }

    /// Every field, in documented order.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let names: Vec<&str> = REPLICA_JOB_SESSION.fields().iter().map(|f| f.name()).take(3).collect();
    /// assert_eq!(names, ["UID", "Name", "JobType"]);
    /// // Narrowing keeps the schema's order, not the allow-list's.
    /// let narrow = REPLICA_JOB_SESSION.restrict(["Result", "JobName"])?;
    /// let names: Vec<&str> = narrow.fields().iter().map(|f| f.name()).collect();
    /// assert_eq!(names, ["JobName", "Result"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn fields(&self) -> &[Field] {
        &self.table().fields
    }

    /// Where the table came from: for a built-in schema, the page of EM's REST reference and the
    /// build it applies to.
    ///
    /// ```
    /// let file = emfilter::schema::builtin("BackupFile").unwrap();
    /// assert!(file.source().unwrap().starts_with("https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_backupfile.html"));
    /// assert_eq!(file.note(), Some("The creation time is filtered as `CreationTimeUTC`, not `CreationTime` as elsewhere."));
    /// ```
    pub fn source(&self) -> Option<&str> {
        self.table().source.as_deref()
    }

    /// What is irregular about the documented table, if anything.
    ///
    /// ```
    /// let sessions = &emfilter::schema::REPLICA_JOB_SESSION;
    /// assert_eq!(sessions.note(), None, "nothing irregular");
    /// let backup = emfilter::schema::builtin("Backup").unwrap();
    /// assert!(backup.note().unwrap().contains("printed as `Name`"));
    /// ```
    pub fn note(&self) -> Option<&str> {
        self.table().note.as_deref()
    }

    /// The name of the type's collection in EM's query results and collection resources: the
    /// plural EM gives it (`ReplicaJobSessions`, `Repositories`; a name already ending in `s`,
    /// as `Passwords`, stays as it is).
    ///
    /// ```
    /// use emfilter::schema;
    /// assert_eq!(schema::REPLICA_JOB_SESSION.collection(), "ReplicaJobSessions");
    /// assert_eq!(schema::builtin("Repository").unwrap().collection(), "Repositories");
    /// ```
    pub fn collection(&self) -> String {
        let name = self.name();
        if name.ends_with('s') {
            return name.to_owned();
        }
        match name.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{name}s"),
        }
    }

    /// Whether the schema holds only some of its query type's fields ([`Schema::restrict`]).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// assert!(!REPLICA_JOB_SESSION.is_restricted());
    /// let narrow = REPLICA_JOB_SESSION.restrict(["Result"])?;
    /// assert!(narrow.is_restricted());
    /// assert_eq!(narrow.fields().len(), 1);
    /// // Renaming keeps the restriction.
    /// assert!(narrow.rename("Result", "outcome")?.is_restricted());
    /// # Ok(())
    /// # }
    /// ```
    pub fn is_restricted(&self) -> bool {
        self.table().restricted
    }

    /// The field `id`.
    ///
    /// # Panics
    /// If `id` is not a field of this schema.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, REPLICA_JOB_SESSION};
    /// let id = REPLICA_JOB_SESSION.lookup("creationtime").unwrap();
    /// let field = REPLICA_JOB_SESSION.field(id);
    /// assert_eq!((field.name(), field.ty()), ("CreationTime", &FieldType::DateTime));
    /// ```
    pub fn field(&self, id: FieldId) -> &Field {
        &self.fields()[id.index()]
    }

    /// Looks a field up by name, in any case.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// assert_eq!(REPLICA_JOB_SESSION.lookup("ISRETRY"), REPLICA_JOB_SESSION.lookup("IsRetry"));
    /// assert!(REPLICA_JOB_SESSION.lookup("IsRetry").is_some());
    /// assert_eq!(REPLICA_JOB_SESSION.lookup("Retry"), None);
    /// ```
    pub fn lookup(&self, name: &str) -> Option<FieldId> {
        let fields = self.fields();
        self.table()
            .keys
            .find(|i| &fields[i].name, name)
            .map(|i| FieldId(i as u16))
    }

    /// Whether `self` and `other` are the same schema object (a clone of one handle).
    ///
    /// ```
    /// use emfilter::schema::{builtin, REPLICA_JOB_SESSION};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let handle = REPLICA_JOB_SESSION.clone();
    /// assert!(handle.same(&REPLICA_JOB_SESSION));
    /// assert!(builtin("ReplicaJobSession").unwrap().same(&REPLICA_JOB_SESSION));
    /// // Equal tables made apart are equal, but not the same object.
    /// let narrow = REPLICA_JOB_SESSION.restrict(["Result"])?;
    /// let again = REPLICA_JOB_SESSION.restrict(["result"])?;
    /// assert!(narrow == again && !narrow.same(&again));
    /// # Ok(())
    /// # }
    /// ```
    pub fn same(&self, other: &Schema) -> bool {
        match (&self.0, &other.0) {
            (Handle::Static(a), Handle::Static(b)) => std::ptr::eq(*a, *b),
            (Handle::Shared(a), Handle::Shared(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl PartialEq for Schema {
    fn eq(&self, other: &Schema) -> bool {
        self.same(other) || self.table() == other.table()
    }
}

impl Eq for Schema {}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.table(), f)
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every built-in schema: the 48 query types of EM 13, in the order of the reference's list.
///
/// ```
/// assert_eq!(emfilter::schema::builtins().len(), 48);
/// assert_eq!(emfilter::schema::builtins()[0].name(), "AgentBackupJob");
/// ```
pub fn builtins() -> &'static [&'static Schema] {
    tables::ALL
}

/// The built-in schema for a query type, named in any case (`replicajobsession`).
///
/// ```
/// let job = emfilter::schema::builtin("job").unwrap();
/// assert_eq!(job.name(), "Job");
/// assert!(emfilter::schema::builtin("Jobs").is_none());
/// ```
pub fn builtin(name: &str) -> Option<&'static Schema> {
    tables::ALL
        .iter()
        .copied()
        .find(|s| s.name().eq_ignore_ascii_case(name))
}

/// The built-in schema whose name is closest to `name`, if `name` looks like a typo of one
/// (`BackupJobSesion`, `Repo`): for "did you mean …?". Short names must be close: `foo` is not
/// taken for `Job`.
///
/// ```
/// use emfilter::schema::closest_builtin;
/// assert_eq!(closest_builtin("BackupJobSesion").unwrap().name(), "BackupJobSession");
/// assert!(closest_builtin("foo").is_none());
/// ```
pub fn closest_builtin(name: &str) -> Option<&'static Schema> {
    let best = crate::suggest::closest(name, tables::ALL.iter().map(|s| s.name()))?;
    let edits = crate::suggest::distance(name, best);
    let is_prefix = best
        .to_ascii_lowercase()
        .starts_with(&name.to_ascii_lowercase());
    (is_prefix || 2 * edits < best.len()).then(|| builtin(best))?
}

pub use tables::REPLICA_JOB_SESSION;
