//! Stage 4b: the typed filter compiled to SQL, with the evaluator's answers.
//!
//! A [`Filter`] plus a [`Dialect`] plus a [`Mapping`] (which table, which column holds each
//! field) gives a [`Statement`]: `SELECT * FROM table WHERE …` and its [`Param`]s, or the same
//! with the values written as escaped literals ([`Mode::Inline`]). The rows a statement selects
//! are exactly the records [`eval`](crate::eval) matches, when the table holds what [`rows`]
//! writes: the translation leans on that storage contract instead of on each database's idea of
//! case, collation and time.
//!
//! # The storage contract
//!
//! [`rows`] turns EM's JSON entities into rows of the default mapping, one column per field
//! (named as the field) and, for two types, a second column that filters compare:
//!
//! | field type | column `F` | and | what filters compare |
//! | --- | --- | --- | --- |
//! | `UidType` | `urn:veeam:<Type>:<guid>`: the field's resource type in the schema's spelling when the record's matches it in any case (a bare GUID stands for it), the GUID in lower case | | `F` |
//! | `DateTime` | the instant in UTC with 7 fractional digits (a timestamp type where the database has one) | `F_ticks`: 100 ns ticks since 1970 | `F_ticks` |
//! | `String` | the text as EM wrote it | `F_folded`: the text lower-cased as `eval` folds it | `F_folded`, or `F` when case-sensitive |
//! | `Enum` | the value in the schema's spelling when it is one of the field's values in any case, else as written | | `F` |
//! | `Boolean`, `Int64`, `Double` | the value | | `F` |
//!
//! A missing or null field is SQL `NULL`, which satisfies no comparison, as in `eval`.
//!
//! ```
//! use emfilter::sql::{Dialect, Mapping, Mode, Param, Target};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let schema = &emfilter::schema::REPLICA_JOB_SESSION;
//! let filter = emfilter::compile(r#"JobName=="sql replica";Result>=Warning"#, schema)?;
//! let target = Target::new(Dialect::Postgres, Mapping::new(schema))?;
//! let statement = target.translate(&filter, Mode::Params)?;
//! assert_eq!(
//!     statement.sql(),
//!     r#"SELECT * FROM "ReplicaJobSession" WHERE "JobName_folded" = $1 AND "Result" IN ($2, $3)"#
//! );
//! assert_eq!(statement.params()[0], Param::Text("sql replica".into()));
//! # Ok(())
//! # }
//! ```

mod dialect;
pub mod rows;
mod table;
mod translate;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::eval::EntityFormat;
use crate::schema::{FieldId, FieldType, Schema};
use crate::syntax::Ast;
use crate::Filter;

pub use table::SqlType;

/// The SQL dialects a filter compiles to.
///
/// ```
/// use emfilter::sql::{Dialect, Mapping, Mode, Target};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dialect: Dialect = "Postgres".parse()?;
/// assert_eq!((dialect, dialect.as_str(), dialect.title()), (Dialect::Postgres, "postgresql", "PostgreSQL"));
///
/// // Each dialect writes its own identifiers and placeholders.
/// let schema = &emfilter::schema::REPLICA_JOB_SESSION;
/// let filter = emfilter::compile("IsRetry==true", schema)?;
/// let conditions: Vec<String> = Dialect::ALL
///     .iter()
///     .map(|&d| Ok(Target::new(d, Mapping::new(schema))?.translate(&filter, Mode::Params)?.condition().to_owned()))
///     .collect::<Result<_, Box<dyn std::error::Error>>>()?;
/// assert_eq!(conditions, ["`IsRetry` = ?", r#""IsRetry" = $1"#, r#""IsRetry" = ?"#, "`IsRetry` = :p1"]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.23 or newer: `?` parameters.
    Sqlite,
    /// PostgreSQL: `$1` parameters.
    Postgres,
    /// DuckDB: `?` parameters.
    DuckDb,
    /// Spark SQL 3.4 or newer: named `:p1` parameters, as `spark.sql(text, args={"p1": …})`
    /// takes them.
    Spark,
}

impl Dialect {
    /// Every dialect.
    ///
    /// ```
    /// use emfilter::sql::Dialect;
    /// let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.as_str()).collect();
    /// assert_eq!(names, ["sqlite", "postgresql", "duckdb", "spark"]);
    /// // Every dialect reads back from its name.
    /// for d in Dialect::ALL {
    ///     assert_eq!(d.as_str().parse(), Ok(d));
    /// }
    /// ```
    pub const ALL: [Dialect; 4] = [
        Dialect::Sqlite,
        Dialect::Postgres,
        Dialect::DuckDb,
        Dialect::Spark,
    ];

    /// The dialect's name on the command line: `sqlite`, `postgresql`, `duckdb`, `spark`.
    ///
    /// ```
    /// use emfilter::sql::Dialect;
    /// assert_eq!(Dialect::DuckDb.as_str(), "duckdb");
    /// assert_eq!(Dialect::Spark.to_string(), "spark");
    /// assert_eq!("SparkSQL".parse(), Ok(Dialect::Spark));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    /// The database's own name, for messages.
    ///
    /// ```
    /// use emfilter::sql::Dialect;
    /// assert_eq!(Dialect::Sqlite.title(), "SQLite");
    /// assert_eq!(Dialect::Spark.title(), "Spark SQL");
    /// ```
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SQLite",
            Dialect::Postgres => "PostgreSQL",
            Dialect::DuckDb => "DuckDB",
            Dialect::Spark => "Spark SQL",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dialect name that is none of [`Dialect::ALL`].
///
/// ```
/// use emfilter::sql::{Dialect, UnknownDialect};
/// let e = "mysql".parse::<Dialect>().unwrap_err();
/// assert_eq!(e, UnknownDialect("mysql".into()));
/// assert_eq!(e.to_string(), "unknown SQL dialect `mysql` (sqlite, postgresql, duckdb or spark)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown SQL dialect `{0}` (sqlite, postgresql, duckdb or spark)")]
pub struct UnknownDialect(pub String);

impl FromStr for Dialect {
    type Err = UnknownDialect;

    /// A dialect by name, in any case; `postgres` and `sparksql` are taken too.
    fn from_str(s: &str) -> Result<Dialect, UnknownDialect> {
        match s.to_ascii_lowercase().as_str() {
            "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
            "postgresql" | "postgres" => Ok(Dialect::Postgres),
            "duckdb" => Ok(Dialect::DuckDb),
            "spark" | "sparksql" | "spark-sql" => Ok(Dialect::Spark),
            _ => Err(UnknownDialect(s.to_owned())),
        }
    }
}

/// How values reach the database.
///
/// ```
/// use emfilter::sql::{Dialect, Mapping, Mode, Param, Target};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let schema = &emfilter::schema::REPLICA_JOB_SESSION;
/// let filter = emfilter::compile("Result==Failed;IsRetry==true", schema)?;
/// let target = Target::new(Dialect::Sqlite, Mapping::new(schema))?;
///
/// let bound = target.translate(&filter, Mode::Params)?;
/// assert_eq!(bound.condition(), "`Result` = ? AND `IsRetry` = ?");
/// assert_eq!(bound.params(), [Param::Text("Failed".into()), Param::Bool(true)]);
///
/// let inline = target.translate(&filter, Mode::Inline)?;
/// assert_eq!(inline.condition(), "`Result` = 'Failed' AND `IsRetry` = TRUE");
/// assert!(inline.params().is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// As bound parameters, in the dialect's placeholder syntax.
    #[default]
    Params,
    /// As escaped literals in the text, for tools that cannot bind parameters.
    Inline,
}

/// The columns that hold one field.
///
/// ```
/// use emfilter::schema::FieldType;
/// use emfilter::sql::Column;
///
/// let ended = Column::new("ended", &FieldType::DateTime);
/// assert_eq!((ended.name(), ended.key()), ("ended", Some("ended_ticks")));
///
/// let name = Column::new("name", &FieldType::String).with_key("name_lower");
/// assert_eq!((name.name(), name.key()), ("name", Some("name_lower")));
///
/// // A boolean is compared in its one column: there is no key to rename.
/// let retry = Column::new("retry", &FieldType::Boolean).with_key("retry_key");
/// assert_eq!(retry.key(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    name: String,
    key: Option<String>,
}

impl Column {
    /// The column `name`, with the second column a DateTime (`name_ticks`) or String
    /// (`name_folded`) field needs named after it.
    ///
    /// ```
    /// use emfilter::schema::FieldType;
    /// use emfilter::sql::Column;
    ///
    /// assert_eq!(Column::new("ended", &FieldType::DateTime).key(), Some("ended_ticks"));
    /// assert_eq!(Column::new("job", &FieldType::String).key(), Some("job_folded"));
    /// assert_eq!(Column::new("size", &FieldType::Int64).key(), None);
    /// ```
    pub fn new(name: impl Into<String>, ty: &FieldType) -> Column {
        let name = name.into();
        let key = key_suffix(ty).map(|suffix| format!("{name}{suffix}"));
        Column { name, key }
    }

    /// The same column, with its second column (ticks or folded text) named `key`.
    ///
    /// ```
    /// use emfilter::schema::FieldType;
    /// use emfilter::sql::Column;
    ///
    /// let job = Column::new("job", &FieldType::String).with_key("job_lower");
    /// assert_eq!((job.name(), job.key()), ("job", Some("job_lower")));
    /// // A type with a single column has no second column to name: `key` is ignored.
    /// assert_eq!(Column::new("size", &FieldType::Int64).with_key("size_key").key(), None);
    /// ```
    pub fn with_key(mut self, key: impl Into<String>) -> Column {
        if self.key.is_some() {
            self.key = Some(key.into());
        }
        self
    }

    /// The column that holds the field's value as written (for a DateTime, the timestamp).
    ///
    /// ```
    /// use emfilter::schema::FieldType;
    /// use emfilter::sql::Column;
    ///
    /// let ended = Column::new("ended", &FieldType::DateTime).with_key("ended_at");
    /// // Renaming the second column leaves the first as it was.
    /// assert_eq!(ended.name(), "ended");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The second column: a DateTime field's ticks, a String field's folded text; `None` for
    /// the other types.
    ///
    /// ```
    /// use emfilter::schema::FieldType;
    /// use emfilter::sql::Column;
    ///
    /// assert_eq!(Column::new("EndTime", &FieldType::DateTime).key(), Some("EndTime_ticks"));
    /// assert_eq!(Column::new("JobName", &FieldType::String).key(), Some("JobName_folded"));
    /// assert_eq!(Column::new("IsRetry", &FieldType::Boolean).key(), None);
    /// assert_eq!(Column::new("Speed", &FieldType::Double).key(), None);
    /// ```
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }
}

/// The suffix of the second column a field of type `ty` has.
fn key_suffix(ty: &FieldType) -> Option<&'static str> {
    match ty {
        FieldType::DateTime => Some("_ticks"),
        FieldType::String => Some("_folded"),
        _ => None,
    }
}

/// Where a query type's records are: the table, and the columns of each field.
///
/// [`Mapping::new`] is the default mapping: the table named as the query type, one column per
/// field named as the field (and its second column, see [`Column`]). Only the fields that EM's
/// entity holds are mapped: a task session's `JobUid` and `JobName` are the parent job's, which
/// its entity does not carry, so they have no column until the caller names one.
///
/// ```
/// use emfilter::schema::FieldType;
/// use emfilter::sql::{Column, Mapping};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let schema = emfilter::schema::builtin("ReplicaTaskSession").unwrap();
/// let job_name = schema.lookup("JobName").unwrap();
/// let end_time = schema.lookup("EndTime").unwrap();
///
/// let default = Mapping::new(schema);
/// assert_eq!(default.table(), ["ReplicaTaskSession"]);
/// assert_eq!(default.column(end_time).unwrap().key(), Some("EndTime_ticks"));
/// // The task session's entity has no JobName: nothing to map it to until told.
/// assert!(default.column(job_name).is_none());
/// assert_eq!(default.columns().count(), schema.fields().len() - 2);
///
/// let mapping = default
///     .with_table(["archive", "task_sessions"])
///     .with_column("jobname", "job")?
///     .with_columns("EndTime", Column::new("ended", &FieldType::DateTime).with_key("ended_at"))?
///     .without("Reason")?;
/// assert_eq!(mapping.schema().name(), "ReplicaTaskSession");
/// assert_eq!(mapping.table(), ["archive", "task_sessions"]);
/// let job = mapping.column(job_name).unwrap();
/// assert_eq!((job.name(), job.key()), ("job", Some("job_folded")));
/// assert_eq!(mapping.column(end_time).unwrap().key(), Some("ended_at"));
/// assert!(mapping.columns().all(|(id, _)| schema.field(id).name() != "Reason"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    schema: Schema,
    table: Vec<String>,
    columns: Vec<Option<Column>>,
}

/// A [`Mapping`] that cannot be made.
///
/// ```
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// use emfilter::sql::{Dialect, Mapping, MappingError, Target};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let schema = &REPLICA_JOB_SESSION;
///
/// let e = Mapping::new(schema).without("Rezult").unwrap_err();
/// assert_eq!(e.to_string(), "`Rezult` is not a field of ReplicaJobSession");
///
/// // PostgreSQL would silently cut a 64-byte name; SQLite keeps it.
/// let long = "t".repeat(64);
/// let mapping = Mapping::new(schema).with_table([long.as_str()]);
/// let e = Target::new(Dialect::Postgres, mapping.clone()).unwrap_err();
/// assert!(matches!(e, MappingError::Identifier { why: "PostgreSQL cuts names longer than 63 bytes", .. }));
/// assert!(Target::new(Dialect::Sqlite, mapping).is_ok());
///
/// // `Name` in the column `jobname` would clash with `JobName`'s own column.
/// let mapping = Mapping::new(schema).with_column("Name", "jobname")?;
/// let e = Target::new(Dialect::DuckDb, mapping).unwrap_err();
/// assert_eq!(
///     e,
///     MappingError::Duplicate { first: "jobname".into(), second: "JobName".into(), dialect: "DuckDB" }
/// );
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// The field is not in the schema.
    #[error("`{field}` is not a field of {schema}")]
    UnknownField {
        /// The name given.
        field: String,
        /// The query type.
        schema: String,
    },
    /// An identifier the dialect cannot write, or would change.
    #[error("{what} `{name}` cannot be used in {dialect}: {why}")]
    Identifier {
        /// Which identifier (`the table`, `the column of JobName`).
        what: String,
        /// The name, with control characters escaped.
        name: String,
        /// The dialect's name.
        dialect: &'static str,
        /// Why.
        why: &'static str,
    },
    /// Two columns with the same name, or names that differ only in case. DuckDB, Spark and
    /// SQLite do not tell such names apart (nor does PostgreSQL once a tool leaves them
    /// unquoted), so they are refused in every dialect, and `dialect` is only the one the target
    /// was made for.
    #[error("{}", duplicate_message(first, second))]
    Duplicate {
        /// One name.
        first: String,
        /// The other.
        second: String,
        /// The dialect's name.
        dialect: &'static str,
    },
    /// A [`Column`] made for a field of another kind: a DateTime or String field is held in two
    /// columns (the value and its ticks or folded text), every other field in one. Translating
    /// through such a column would compare the wrong column, so it is refused.
    #[error(
        "the field `{field}` is a {ty}, which {}: make the column with `Column::new` from the field's type",
        if *two { "needs a second column (its ticks or folded text)" } else { "has one column, not two" }
    )]
    ColumnShape {
        /// The field's name.
        field: String,
        /// The field's type.
        ty: &'static str,
        /// Whether the field needs two columns (and the column given has one).
        two: bool,
    },
}

/// The message of [`MappingError::Duplicate`].
fn duplicate_message(first: &str, second: &str) -> String {
    let how = if first == second {
        format!("the column `{first}` is named twice")
    } else {
        format!("the columns `{first}` and `{second}` differ only in case")
    };
    format!(
        "{how}, and DuckDB, Spark and SQLite do not tell such names apart (nor PostgreSQL in a \
         name left unquoted)"
    )
}

impl Mapping {
    /// The default mapping of `schema`'s records.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::Mapping;
    ///
    /// let schema = &REPLICA_JOB_SESSION;
    /// let mapping = Mapping::new(schema);
    /// assert_eq!(mapping.table(), ["ReplicaJobSession"]);
    /// let name = mapping.column(schema.lookup("Name").unwrap()).unwrap();
    /// assert_eq!((name.name(), name.key()), ("Name", Some("Name_folded")));
    /// // A job session's entity holds every field: each has a column.
    /// assert_eq!(mapping.columns().count(), schema.fields().len());
    /// ```
    pub fn new(schema: &Schema) -> Mapping {
        let held = EntityFormat::for_schema(schema).ok();
        let columns = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let id = FieldId(i as u16);
                let in_entity = held.as_ref().is_none_or(|format| format.holds(id));
                in_entity.then(|| Column::new(field.name(), field.ty()))
            })
            .collect();
        Mapping {
            schema: schema.clone(),
            table: vec![schema.name().to_owned()],
            columns,
        }
    }

    /// The schema.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::Mapping;
    ///
    /// let mapping = Mapping::new(&REPLICA_JOB_SESSION).with_table(["jobs"]);
    /// assert_eq!(mapping.schema(), &REPLICA_JOB_SESSION);
    /// assert_eq!(mapping.schema().name(), "ReplicaJobSession");
    /// ```
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The same mapping, reading the table `parts` (`["archive", "sessions"]` is
    /// `archive.sessions`).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mapping = Mapping::new(&REPLICA_JOB_SESSION).with_table(["archive", "sessions"]);
    /// assert_eq!(mapping.table(), ["archive", "sessions"]);
    /// let target = Target::new(Dialect::Postgres, mapping)?;
    /// assert_eq!(target.table_name(), r#""archive"."sessions""#);
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_table<I, S>(mut self, parts: I) -> Mapping
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.table = parts.into_iter().map(Into::into).collect();
        self
    }

    /// The same mapping, with the field `field` (named in any case) in `column`: its second
    /// column, if it has one, is named after it (`column_ticks`, `column_folded`).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, MappingError, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// let mapping = Mapping::new(schema).with_column("endtime", "ended")?;
    /// let filter = emfilter::compile("EndTime>2026-01-01T00:00:00Z", schema)?;
    /// let statement = Target::new(Dialect::Sqlite, mapping)?.translate(&filter, Mode::Params)?;
    /// assert_eq!(statement.condition(), "`ended_ticks` > ?");
    ///
    /// let e = Mapping::new(schema).with_column("Ended", "ended").unwrap_err();
    /// assert!(matches!(e, MappingError::UnknownField { .. }));
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_column(mut self, field: &str, column: &str) -> Result<Mapping, MappingError> {
        let id = self.lookup(field)?;
        let ty = self.schema.field(id).ty();
        self.columns[id.index()] = Some(Column::new(column, ty));
        Ok(self)
    }

    /// The same mapping, with the field `field` in the columns `column`.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, REPLICA_JOB_SESSION};
    /// use emfilter::sql::{Column, Dialect, Mapping, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// let job = Column::new("job", &FieldType::String).with_key("job_lower");
    /// let mapping = Mapping::new(schema).with_columns("JobName", job)?;
    /// let filter = emfilter::compile("JobName==Nightly", schema)?;
    /// let statement = Target::new(Dialect::Sqlite, mapping)?.translate(&filter, Mode::Inline)?;
    /// assert_eq!(statement.condition(), "`job_lower` = 'nightly'");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// A column made for a field of another kind is refused: a DateTime or String field needs
    /// the second column [`Column::new`] gives it, any other field has none.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, REPLICA_JOB_SESSION};
    /// use emfilter::sql::{Column, Mapping, MappingError};
    ///
    /// let boolean = Column::new("ended", &FieldType::Boolean);
    /// let e = Mapping::new(&REPLICA_JOB_SESSION).with_columns("EndTime", boolean).unwrap_err();
    /// assert_eq!(e, MappingError::ColumnShape { field: "EndTime".into(), ty: "DateTime", two: true });
    /// ```
    pub fn with_columns(mut self, field: &str, column: Column) -> Result<Mapping, MappingError> {
        let id = self.lookup(field)?;
        let def = self.schema.field(id);
        let two = key_suffix(def.ty()).is_some();
        if column.key.is_some() != two {
            return Err(MappingError::ColumnShape {
                field: def.name().to_owned(),
                ty: def.ty().name(),
                two,
            });
        }
        self.columns[id.index()] = Some(column);
        Ok(self)
    }

    /// The same mapping, with no column for `field`: a filter that reads it is refused.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    /// use emfilter::Code;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// let mapping = Mapping::new(schema).without("JobName")?;
    /// assert!(mapping.column(schema.lookup("JobName").unwrap()).is_none());
    /// let filter = emfilter::compile("JobName==nightly", schema)?;
    /// let refused = Target::new(Dialect::Sqlite, mapping)?.translate(&filter, Mode::Params).unwrap_err();
    /// assert_eq!(refused.0[0].code(), Code::SqlUnmappedField);
    /// # Ok(())
    /// # }
    /// ```
    pub fn without(mut self, field: &str) -> Result<Mapping, MappingError> {
        let id = self.lookup(field)?;
        self.columns[id.index()] = None;
        Ok(self)
    }

    fn lookup(&self, field: &str) -> Result<FieldId, MappingError> {
        self.schema
            .lookup(field)
            .ok_or_else(|| MappingError::UnknownField {
                field: field.to_owned(),
                schema: self.schema.name().to_owned(),
            })
    }

    /// The table's name, part by part.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::Mapping;
    ///
    /// let mapping = Mapping::new(&REPLICA_JOB_SESSION);
    /// assert_eq!(mapping.table(), ["ReplicaJobSession"]);
    /// assert_eq!(mapping.with_table(["main", "jobs"]).table(), ["main", "jobs"]);
    /// ```
    pub fn table(&self) -> &[String] {
        &self.table
    }

    /// The columns of `field`, if it has any.
    ///
    /// ```
    /// use emfilter::sql::Mapping;
    ///
    /// let tasks = emfilter::schema::builtin("ReplicaTaskSession").unwrap();
    /// let mapping = Mapping::new(tasks);
    /// let end = mapping.column(tasks.lookup("EndTime").unwrap()).unwrap();
    /// assert_eq!((end.name(), end.key()), ("EndTime", Some("EndTime_ticks")));
    /// assert_eq!(mapping.column(tasks.lookup("TotalSize").unwrap()).unwrap().key(), None);
    /// // A task session's entity does not hold its job's name.
    /// assert!(mapping.column(tasks.lookup("JobName").unwrap()).is_none());
    /// ```
    pub fn column(&self, field: FieldId) -> Option<&Column> {
        self.columns.get(field.index()).and_then(Option::as_ref)
    }

    /// Every mapped field with its columns, in the schema's order.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::Mapping;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// let mapping = Mapping::new(schema).without("UID")?.without("JobType")?;
    /// let first: Vec<(&str, &str)> =
    ///     mapping.columns().take(3).map(|(id, c)| (schema.field(id).name(), c.name())).collect();
    /// assert_eq!(first, [("Name", "Name"), ("JobUid", "JobUid"), ("JobName", "JobName")]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn columns(&self) -> impl Iterator<Item = (FieldId, &Column)> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((FieldId(i as u16), c.as_ref()?)))
    }
}

/// A dialect and a mapping whose every name the dialect can write: what statements are made
/// for.
///
/// ```
/// use emfilter::schema::{FieldType, Schema};
/// use emfilter::sql::{Dialect, Mapping, Mode, SqlType, Target};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let disks = Schema::builder("Disk")
///     .field("Name", FieldType::String)
///     .field("Size", FieldType::Int64)
///     .build()?;
/// let target = Target::new(Dialect::Postgres, Mapping::new(&disks).with_table(["inventory", "disks"]))?;
/// assert_eq!(target.dialect(), Dialect::Postgres);
/// assert_eq!(target.mapping().table(), ["inventory", "disks"]);
/// assert_eq!(target.table_name(), r#""inventory"."disks""#);
///
/// assert_eq!(
///     target.column_types(),
///     [("Name".into(), SqlType::Text), ("Name_folded".into(), SqlType::Text), ("Size".into(), SqlType::BigInt)]
/// );
/// assert_eq!(
///     target.create_table(),
///     "CREATE TABLE \"inventory\".\"disks\" (\n  \"Name\" text COLLATE \"C\",\n  \"Name_folded\" text COLLATE \"C\",\n  \"Size\" BIGINT\n);\n"
/// );
///
/// let filter = emfilter::compile("Size>1000;Name!=Boot", &disks)?;
/// let statement = target.translate(&filter, Mode::Inline)?;
/// assert_eq!(
///     statement.sql(),
///     r#"SELECT * FROM "inventory"."disks" WHERE "Size" > 1000 AND "Name_folded" <> 'boot'"#
/// );
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Target {
    dialect: Dialect,
    mapping: Mapping,
}

impl Target {
    /// `mapping` in `dialect`; an error for a name the dialect cannot write as it is (empty,
    /// holding NUL, longer than PostgreSQL's 63 bytes) or two columns it cannot tell apart.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, MappingError, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// assert!(Target::new(Dialect::Sqlite, Mapping::new(schema)).is_ok());
    /// let nul = Mapping::new(schema).with_column("Name", "na\0me")?;
    /// assert_eq!(
    ///     Target::new(Dialect::Sqlite, nul).unwrap_err().to_string(),
    ///     "the column of `Name` `na\\0me` cannot be used in SQLite: a name cannot hold the NUL character"
    /// );
    /// let unnamed = Mapping::new(schema).with_table(Vec::<String>::new());
    /// let e = Target::new(Dialect::DuckDb, unnamed).unwrap_err();
    /// assert!(matches!(e, MappingError::Identifier { why: "a table needs a name", .. }));
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(dialect: Dialect, mapping: Mapping) -> Result<Target, MappingError> {
        for part in &mapping.table {
            dialect::check_identifier(dialect, "the table", part)?;
        }
        if mapping.table.is_empty() {
            return Err(MappingError::Identifier {
                what: "the table".into(),
                name: String::new(),
                dialect: dialect.title(),
                why: "a table needs a name",
            });
        }
        let mut seen: Vec<(String, &str)> = Vec::new();
        for (id, column) in mapping.columns() {
            let field = mapping.schema.field(id).name();
            let names = std::iter::once(column.name()).chain(column.key());
            for name in names {
                let what = format!("the column of `{field}`");
                dialect::check_identifier(dialect, &what, name)?;
                // DuckDB and Spark match names in any case, and so may a user's PostgreSQL
                // or SQLite: names must differ in more than case everywhere.
                let folded = crate::eval::fold(name);
                if let Some((_, first)) = seen.iter().find(|(f, _)| *f == folded) {
                    return Err(MappingError::Duplicate {
                        first: (*first).to_owned(),
                        second: name.to_owned(),
                        dialect: dialect.title(),
                    });
                }
                seen.push((folded, name));
            }
        }
        Ok(Target { dialect, mapping })
    }

    /// The dialect.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let target = Target::new(Dialect::Spark, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// assert_eq!(target.dialect(), Dialect::Spark);
    /// assert_eq!(target.table_name(), "`ReplicaJobSession`");
    /// # Ok(())
    /// # }
    /// ```
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The mapping.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mapping = Mapping::new(&REPLICA_JOB_SESSION).with_table(["jobs"]);
    /// let target = Target::new(Dialect::DuckDb, mapping.clone())?;
    /// assert_eq!(target.mapping(), &mapping);
    /// assert_eq!(target.mapping().table(), ["jobs"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// `SELECT * FROM table WHERE …` for `filter` (checked against the mapping's schema), with
    /// its parameters, or every comparison the dialect cannot express exactly. Strings compare
    /// as the filter's [`Options`](crate::eval::Options) say (`case_sensitive`), as in `eval`.
    ///
    /// ```
    /// use emfilter::eval::Options;
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Param, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// let target = Target::new(Dialect::Postgres, Mapping::new(schema))?;
    /// let filter = emfilter::compile("JobName==Nightly;(Result==Failed,IsRetry==true)", schema)?;
    /// let statement = target.translate(&filter, Mode::Params)?;
    /// assert_eq!(statement.condition(), r#""JobName_folded" = $1 AND ("Result" = $2 OR "IsRetry" = $3)"#);
    /// assert_eq!(statement.params()[0], Param::Text("nightly".into()));
    ///
    /// // Case-sensitive, the text is compared as written, in its own column.
    /// let exact = filter.with_options(Options::default().case_sensitive(true));
    /// let statement = target.translate(&exact, Mode::Params)?;
    /// assert!(statement.condition().starts_with(r#""JobName" = $1 AND"#));
    /// assert_eq!(statement.params()[0], Param::Text("Nightly".into()));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Panics
    /// If `filter` is over another schema than the mapping's.
    pub fn translate(&self, filter: &Filter, mode: Mode) -> Result<Statement, Refused> {
        assert!(
            filter.schema().same(&self.mapping.schema) || *filter.schema() == self.mapping.schema,
            "a {} filter for a {} mapping",
            filter.schema(),
            self.mapping.schema
        );
        translate::statement(self, filter, mode)
    }

    /// The table's name, quoted for the dialect (`"archive"."sessions"`).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mapping = Mapping::new(&REPLICA_JOB_SESSION).with_table(["my`db", "jobs"]);
    /// // The quote character inside a name is doubled.
    /// assert_eq!(Target::new(Dialect::Sqlite, mapping.clone())?.table_name(), "`my``db`.`jobs`");
    /// assert_eq!(Target::new(Dialect::DuckDb, mapping)?.table_name(), r#""my`db"."jobs""#);
    /// # Ok(())
    /// # }
    /// ```
    pub fn table_name(&self) -> String {
        let parts: Vec<String> = self
            .mapping
            .table
            .iter()
            .map(|p| dialect::quote_identifier(self.dialect, p))
            .collect();
        parts.join(".")
    }

    /// `CREATE TABLE` for the mapping's columns, with the types [`rows`] fills them with.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    /// use emfilter::sql::{Dialect, Mapping, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let disks = Schema::builder("Disk").field("Size", FieldType::Int64).field("Seen", FieldType::DateTime).build()?;
    /// let target = Target::new(Dialect::Spark, Mapping::new(&disks))?;
    /// assert_eq!(
    ///     target.create_table(),
    ///     "CREATE TABLE `Disk` (\n  `Size` BIGINT,\n  `Seen` TIMESTAMP,\n  `Seen_ticks` BIGINT\n) USING parquet;\n"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_table(&self) -> String {
        table::create_table(self)
    }

    /// The mapping's columns in order, each with its SQL type in this dialect.
    ///
    /// ```
    /// use emfilter::schema::{FieldType, Schema};
    /// use emfilter::sql::{Dialect, Mapping, SqlType, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let disks = Schema::builder("Disk").field("Seen", FieldType::DateTime).field("Ok", FieldType::Boolean).build()?;
    /// let target = Target::new(Dialect::Sqlite, Mapping::new(&disks).with_column("Seen", "seen")?)?;
    /// assert_eq!(
    ///     target.column_types(),
    ///     [("seen".into(), SqlType::Timestamp), ("seen_ticks".into(), SqlType::BigInt), ("Ok".into(), SqlType::Boolean)]
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn column_types(&self) -> Vec<(String, SqlType)> {
        table::columns(self)
    }
}

/// A statement and its parameters.
///
/// ```
/// use emfilter::sql::{Dialect, Mapping, Mode, Param, Target};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let schema = &emfilter::schema::REPLICA_JOB_SESSION;
/// let filter = emfilter::compile("EndTime>2026-01-01T00:00:00Z,JobName==nightly", schema)?;
/// let statement = Target::new(Dialect::Spark, Mapping::new(schema))?.translate(&filter, Mode::Params)?;
///
/// assert_eq!(statement.condition(), "`EndTime_ticks` > :p1 OR `JobName_folded` = :p2");
/// assert_eq!(
///     statement.sql(),
///     "SELECT * FROM `ReplicaJobSession` WHERE `EndTime_ticks` > :p1 OR `JobName_folded` = :p2"
/// );
/// // Date-times are compared as 100 ns ticks since 1970.
/// assert_eq!(statement.params(), [Param::Int(17_672_256_000_000_000), Param::Text("nightly".into())]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    sql: String,
    condition: String,
    params: Vec<Param>,
}

impl Statement {
    /// `SELECT * FROM table WHERE condition`.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile("IsRetry==false", &REPLICA_JOB_SESSION)?;
    /// let target = Target::new(Dialect::DuckDb, Mapping::new(&REPLICA_JOB_SESSION).with_table(["main", "jobs"]))?;
    /// let statement = target.translate(&filter, Mode::Inline)?;
    /// assert_eq!(statement.sql(), r#"SELECT * FROM "main"."jobs" WHERE "IsRetry" = FALSE"#);
    /// # Ok(())
    /// # }
    /// ```
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The boolean expression alone, to use in a query of one's own. It is true exactly for
    /// the matching rows; for the others it is false or NULL (a comparison with NULL is
    /// unknown in SQL), which `WHERE` treats alike, so wrap it in `COALESCE(…, FALSE)` before
    /// negating it.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile("Result!=Failed", &REPLICA_JOB_SESSION)?;
    /// let target = Target::new(Dialect::Sqlite, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// let condition = target.translate(&filter, Mode::Inline)?.condition().to_owned();
    /// assert_eq!(condition, "`Result` <> 'Failed'");
    /// // The rows it does not match, those with no Result included:
    /// let others = format!("SELECT count(*) FROM jobs WHERE NOT COALESCE({condition}, FALSE)");
    /// assert_eq!(others, "SELECT count(*) FROM jobs WHERE NOT COALESCE(`Result` <> 'Failed', FALSE)");
    /// # Ok(())
    /// # }
    /// ```
    pub fn condition(&self) -> &str {
        &self.condition
    }

    /// The parameters, in the order of their placeholders (empty in [`Mode::Inline`]).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Param, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile("IsRetry==true;CreationTime<1970-01-01T00:00:01Z", &REPLICA_JOB_SESSION)?;
    /// let target = Target::new(Dialect::Postgres, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// let bound = target.translate(&filter, Mode::Params)?;
    /// assert_eq!(bound.params(), [Param::Bool(true), Param::Int(10_000_000)]);
    /// assert!(target.translate(&filter, Mode::Inline)?.params().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn params(&self) -> &[Param] {
        &self.params
    }
}

/// A parameter's value.
///
/// ```
/// use emfilter::sql::Param;
///
/// // Displayed as JSON scalars, so every value prints unambiguously.
/// assert_eq!(Param::Text("say \"hi\"".into()).to_string(), r#""say \"hi\"""#);
/// assert_eq!(Param::Int(-5).to_string(), "-5");
/// assert_eq!(Param::Bool(true).to_string(), "true");
/// assert_eq!(Param::Double(1.0).to_string(), "1.0");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "lowercase")]
pub enum Param {
    /// Text.
    Text(String),
    /// A 64-bit integer (ticks, Int64 fields).
    Int(i64),
    /// `TRUE` or `FALSE`.
    Bool(bool),
    /// A finite 64-bit float.
    Double(f64),
}

impl fmt::Display for Param {
    /// The value as a JSON scalar would show it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Text(t) => write!(f, "{}", serde_json::Value::String(t.clone())),
            Param::Int(i) => write!(f, "{i}"),
            Param::Bool(b) => write!(f, "{b}"),
            Param::Double(d) => write!(f, "{d:?}"),
        }
    }
}

/// Why a comparison cannot be translated exactly.
///
/// ```
/// use emfilter::sql::{Dialect, Mapping, Mode, Target};
/// use emfilter::{Code, Span};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let tasks = emfilter::schema::builtin("ReplicaTaskSession").unwrap();
/// let checked = emfilter::check("Result==Failed;JobName==nightly", tasks);
/// let filter = checked.filter().unwrap();
/// let target = Target::new(Dialect::Sqlite, Mapping::new(tasks))?;
///
/// let refused = target.translate(filter, Mode::Params).unwrap_err();
/// let refusal = &refused.0[0];
/// assert_eq!((refusal.code(), refusal.comparison()), (Code::SqlUnmappedField, 1));
/// assert!(refusal.message().starts_with("`JobName` has no column in the mapping"));
/// assert_eq!(refusal.help(), "map `JobName` to a column that holds it");
///
/// // As a diagnostic, it points at the field in the text.
/// let diagnostic = refusal.to_diagnostic(checked.ast().unwrap());
/// assert_eq!(diagnostic.span(), Span::new(15, 22));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    code: Code,
    comparison: usize,
    on_value: bool,
    message: String,
    help: String,
}

impl Refusal {
    /// The diagnostic code: [`Code::SqlUnmappedField`] or [`Code::SqlUnrepresentableValue`].
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    /// use emfilter::Code;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // PostgreSQL text cannot hold NUL; SQLite takes it as a bound parameter.
    /// let filter = emfilter::compile("JobName==\"a\u{0}b\"", &REPLICA_JOB_SESSION)?;
    /// let postgres = Target::new(Dialect::Postgres, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// let refused = postgres.translate(&filter, Mode::Params).unwrap_err();
    /// assert_eq!(refused.0[0].code(), Code::SqlUnrepresentableValue);
    /// let sqlite = Target::new(Dialect::Sqlite, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// assert!(sqlite.translate(&filter, Mode::Params).is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn code(&self) -> Code {
        self.code
    }

    /// Which comparison, counted from 0 in the filter's text order.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let schema = &REPLICA_JOB_SESSION;
    /// let filter = emfilter::compile("IsRetry==true;(Result==Failed,JobName==x)", schema)?;
    /// let target = Target::new(Dialect::Sqlite, Mapping::new(schema).without("JobName")?)?;
    /// let refused = target.translate(&filter, Mode::Params).unwrap_err();
    /// assert_eq!(refused.0[0].comparison(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn comparison(&self) -> usize {
        self.comparison
    }

    /// What is wrong.
    ///
    /// ```
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let tasks = emfilter::schema::builtin("ReplicaTaskSession").unwrap();
    /// let filter = emfilter::compile("JobName==x;Name==y", tasks)?;
    /// let mapping = Mapping::new(tasks).without("Name")?;
    /// let refused = Target::new(Dialect::Sqlite, mapping)?.translate(&filter, Mode::Params).unwrap_err();
    /// assert_eq!(
    ///     refused.0[0].message(),
    ///     "`JobName` has no column in the mapping \
    ///      (the ReplicaTaskSession entity has no element for it, so rows made from its entities do not hold it)"
    /// );
    /// assert_eq!(refused.0[1].message(), "`Name` has no column in the mapping");
    /// # Ok(())
    /// # }
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let filter = emfilter::compile("Name==\"a\u{0}\"", &REPLICA_JOB_SESSION)?;
    /// let target = Target::new(Dialect::DuckDb, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// // DuckDB binds NUL in a parameter, but cannot write it in a literal.
    /// let refused = target.translate(&filter, Mode::Inline).unwrap_err();
    /// assert_eq!(refused.0[0].help(), "filter on another value, or use a dialect that holds it");
    /// # Ok(())
    /// # }
    /// ```
    pub fn help(&self) -> &str {
        &self.help
    }

    /// The refusal as a diagnostic at the comparison's field or value in `ast`, the tree the
    /// filter was checked from (an empty span when the tree has no such comparison).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::{Dialect, Mapping, Mode, Target};
    /// use emfilter::{Code, Span};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let checked = emfilter::check("IsRetry==true;JobName==\"a\u{0}\"", &REPLICA_JOB_SESSION);
    /// let target = Target::new(Dialect::Postgres, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// let refused = target.translate(checked.filter().unwrap(), Mode::Params).unwrap_err();
    /// // A value the dialect cannot hold is pointed at in the text.
    /// let diagnostic = refused.0[0].to_diagnostic(checked.ast().unwrap());
    /// assert_eq!((diagnostic.code(), diagnostic.span()), (Code::SqlUnrepresentableValue, Span::new(23, 27)));
    /// assert_eq!(diagnostic.help(), Some("filter on another value, or use a dialect that holds it"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_diagnostic(&self, ast: &Ast) -> Diagnostic {
        let span = ast
            .comparisons()
            .nth(self.comparison)
            .map_or(crate::Span::empty(0), |c| {
                if self.on_value {
                    c.value.span
                } else {
                    c.field.span
                }
            });
        Diagnostic::new(self.code, span, self.message.clone()).with_help(self.help.clone())
    }
}

/// The comparisons of a filter that a target cannot express exactly.
///
/// ```
/// use emfilter::sql::{Dialect, Mapping, Mode, Target};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let tasks = emfilter::schema::builtin("ReplicaTaskSession").unwrap();
/// let filter = emfilter::compile("JobUid!=urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067,JobName==x", tasks)?;
/// let target = Target::new(Dialect::DuckDb, Mapping::new(tasks))?;
/// // Every comparison that cannot be translated is reported, not only the first.
/// let refused = target.translate(&filter, Mode::Inline).unwrap_err();
/// assert_eq!(refused.0.iter().map(|r| r.comparison()).collect::<Vec<_>>(), [0, 1]);
/// assert!(refused.to_string().contains("`JobUid` has no column"));
/// assert!(refused.to_string().contains("; `JobName` has no column"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "))]
pub struct Refused(pub Vec<Refusal>);
