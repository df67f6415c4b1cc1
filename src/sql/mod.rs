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
use crate::syntax::{self, Ast};
use crate::Filter;

pub use table::SqlType;

/// The SQL dialects a filter compiles to.
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
    pub const ALL: [Dialect; 4] = [
        Dialect::Sqlite,
        Dialect::Postgres,
        Dialect::DuckDb,
        Dialect::Spark,
    ];

    /// The dialect's name on the command line: `sqlite`, `postgresql`, `duckdb`, `spark`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    /// The database's own name, for messages.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// As bound parameters, in the dialect's placeholder syntax.
    #[default]
    Params,
    /// As escaped literals in the text, for tools that cannot bind parameters.
    Inline,
}

/// The columns that hold one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    name: String,
    key: Option<String>,
}

impl Column {
    /// The column `name`, with the second column a DateTime (`name_ticks`) or String
    /// (`name_folded`) field needs named after it.
    pub fn new(name: impl Into<String>, ty: &FieldType) -> Column {
        let name = name.into();
        let key = key_suffix(ty).map(|suffix| format!("{name}{suffix}"));
        Column { name, key }
    }

    /// The same column, with its second column (ticks or folded text) named `key`.
    pub fn with_key(mut self, key: impl Into<String>) -> Column {
        if self.key.is_some() {
            self.key = Some(key.into());
        }
        self
    }

    /// The column that holds the field's value as written (for a DateTime, the timestamp).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The second column: a DateTime field's ticks, a String field's folded text; `None` for
    /// the other types.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    schema: Schema,
    table: Vec<String>,
    columns: Vec<Option<Column>>,
}

/// A [`Mapping`] that cannot be made.
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
    /// Two columns whose names the dialect does not tell apart.
    #[error("the columns `{first}` and `{second}` have the same name in {dialect}, which does not tell case apart in names")]
    Duplicate {
        /// One name.
        first: String,
        /// The other.
        second: String,
        /// The dialect's name.
        dialect: &'static str,
    },
}

impl Mapping {
    /// The default mapping of `schema`'s records.
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
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The same mapping, reading the table `parts` (`["archive", "sessions"]` is
    /// `archive.sessions`).
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
    pub fn with_column(mut self, field: &str, column: &str) -> Result<Mapping, MappingError> {
        let id = self.lookup(field)?;
        let ty = self.schema.field(id).ty();
        self.columns[id.index()] = Some(Column::new(column, ty));
        Ok(self)
    }

    /// The same mapping, with the field `field` in the columns `column`.
    pub fn with_columns(mut self, field: &str, column: Column) -> Result<Mapping, MappingError> {
        let id = self.lookup(field)?;
        self.columns[id.index()] = Some(column);
        Ok(self)
    }

    /// The same mapping, with no column for `field`: a filter that reads it is refused.
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
    pub fn table(&self) -> &[String] {
        &self.table
    }

    /// The columns of `field`, if it has any.
    pub fn column(&self, field: FieldId) -> Option<&Column> {
        self.columns.get(field.index()).and_then(Option::as_ref)
    }

    /// Every mapped field with its columns, in the schema's order.
    pub fn columns(&self) -> impl Iterator<Item = (FieldId, &Column)> {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((FieldId(i as u16), c.as_ref()?)))
    }
}

/// A dialect and a mapping whose every name the dialect can write: what statements are made
/// for.
#[derive(Debug, Clone)]
pub struct Target {
    dialect: Dialect,
    mapping: Mapping,
}

impl Target {
    /// `mapping` in `dialect`; an error for a name the dialect cannot write as it is (empty,
    /// holding NUL, longer than PostgreSQL's 63 bytes) or two columns it cannot tell apart.
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
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// `SELECT * FROM table WHERE …` for `filter` (checked against the mapping's schema), with
    /// its parameters, or every comparison the dialect cannot express exactly. Strings compare
    /// as the filter's [`Options`](crate::eval::Options) say (`case_sensitive`), as in `eval`.
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
    pub fn create_table(&self) -> String {
        table::create_table(self)
    }

    /// The mapping's columns in order, each with its SQL type in this dialect.
    pub fn column_types(&self) -> Vec<(String, SqlType)> {
        table::columns(self)
    }
}

/// A statement and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    sql: String,
    condition: String,
    params: Vec<Param>,
}

impl Statement {
    /// `SELECT * FROM table WHERE condition`.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The boolean expression alone, to use in a query of one's own. It is true exactly for
    /// the matching rows; for the others it is false or NULL (a comparison with NULL is
    /// unknown in SQL), which `WHERE` treats alike, so wrap it in `COALESCE(…, FALSE)` before
    /// negating it.
    pub fn condition(&self) -> &str {
        &self.condition
    }

    /// The parameters, in the order of their placeholders (empty in [`Mode::Inline`]).
    pub fn params(&self) -> &[Param] {
        &self.params
    }
}

/// A parameter's value.
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
    pub fn code(&self) -> Code {
        self.code
    }

    /// Which comparison, counted from 0 in the filter's text order.
    pub fn comparison(&self) -> usize {
        self.comparison
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it.
    pub fn help(&self) -> &str {
        &self.help
    }

    /// The refusal as a diagnostic at the comparison's field or value in `ast`, the tree the
    /// filter was checked from (an empty span when the tree has no such comparison).
    pub fn to_diagnostic(&self, ast: &Ast) -> Diagnostic {
        let mut span = crate::Span::empty(0);
        let mut n = 0;
        syntax::for_each_comparison(&ast.root, |c| {
            if n == self.comparison {
                span = if self.on_value {
                    c.value.span
                } else {
                    c.field.span
                };
            }
            n += 1;
        });
        Diagnostic::new(self.code, span, self.message.clone()).with_help(self.help.clone())
    }
}

/// The comparisons of a filter that a target cannot express exactly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|r| r.message.as_str()).collect::<Vec<_>>().join("; "))]
pub struct Refused(pub Vec<Refusal>);
