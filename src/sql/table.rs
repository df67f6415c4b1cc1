//! `CREATE TABLE` for a mapping: the columns and the types that `rows` fills them with.

use serde::Serialize;

use super::dialect::quote_identifier;
use super::{Dialect, Target};
use crate::schema::FieldType;

/// The kind of SQL type a column has; [`SqlType::name`] spells it per dialect.
///
/// ```
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// use emfilter::sql::{Dialect, Mapping, SqlType, Target};
///
/// # fn main() -> Result<(), emfilter::sql::MappingError> {
/// let target = Target::new(Dialect::DuckDb, Mapping::new(&REPLICA_JOB_SESSION))?;
/// let types = target.column_types();
/// let type_of = |name: &str| types.iter().find(|(n, _)| n == name).unwrap().1;
/// assert_eq!(type_of("EndTime"), SqlType::Timestamp);
/// assert_eq!(type_of("EndTime_ticks"), SqlType::BigInt);
/// assert_eq!(type_of("IsRetry"), SqlType::Boolean);
/// assert_eq!(type_of("Result"), SqlType::Text);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SqlType {
    /// Text: UIDs, enums, strings and their folded forms.
    Text,
    /// A 64-bit integer: Int64 fields and ticks.
    BigInt,
    /// A boolean (an integer 0 or 1 in SQLite).
    Boolean,
    /// A 64-bit float.
    Double,
    /// A date-time's display column: a timestamp (microseconds) where the database has one,
    /// text in SQLite. Filters never read it.
    Timestamp,
}

impl SqlType {
    /// The type's name in `dialect`. PostgreSQL text is declared `COLLATE "C"`, the byte order
    /// the translation compares in, so that an index on it serves the statements.
    ///
    /// ```
    /// use emfilter::sql::{Dialect, SqlType};
    /// assert_eq!(SqlType::Text.name(Dialect::Postgres), "text COLLATE \"C\"");
    /// assert_eq!(SqlType::Timestamp.name(Dialect::Sqlite), "TEXT");
    /// assert_eq!(SqlType::Double.name(Dialect::Spark), "DOUBLE");
    /// assert_eq!(SqlType::BigInt.name(Dialect::Sqlite), "INTEGER");
    /// ```
    pub fn name(self, dialect: Dialect) -> &'static str {
        match (self, dialect) {
            (SqlType::Text, Dialect::Sqlite) => "TEXT",
            (SqlType::Text, Dialect::Postgres) => "text COLLATE \"C\"",
            (SqlType::Text, Dialect::DuckDb) => "VARCHAR",
            (SqlType::Text, Dialect::Spark) => "STRING",
            (SqlType::BigInt, Dialect::Sqlite) => "INTEGER",
            (SqlType::BigInt, _) => "BIGINT",
            (SqlType::Boolean, _) => "BOOLEAN",
            (SqlType::Double, Dialect::Sqlite) => "REAL",
            (SqlType::Double, Dialect::Postgres) => "double precision",
            (SqlType::Double, _) => "DOUBLE",
            (SqlType::Timestamp, Dialect::Sqlite) => "TEXT",
            (SqlType::Timestamp, Dialect::Postgres) => "timestamptz",
            (SqlType::Timestamp, _) => "TIMESTAMP",
        }
    }
}

/// The SQL types of a field's value column and of its second column, if any.
pub(super) fn field_types(ty: &FieldType) -> (SqlType, Option<SqlType>) {
    match ty {
        FieldType::DateTime => (SqlType::Timestamp, Some(SqlType::BigInt)),
        FieldType::String => (SqlType::Text, Some(SqlType::Text)),
        FieldType::Boolean => (SqlType::Boolean, None),
        FieldType::Int64 => (SqlType::BigInt, None),
        FieldType::Double => (SqlType::Double, None),
        _ => (SqlType::Text, None),
    }
}

pub(super) fn columns(target: &Target) -> Vec<(String, SqlType)> {
    let mapping = &target.mapping;
    let mut out = Vec::new();
    for (id, column) in mapping.columns() {
        let (value, key) = field_types(mapping.schema.field(id).ty());
        out.push((column.name.clone(), value));
        if let (Some(name), Some(ty)) = (&column.key, key) {
            out.push((name.clone(), ty));
        }
    }
    out
}

pub(super) fn create_table(target: &Target) -> String {
    let dialect = target.dialect;
    let mut sql = format!("CREATE TABLE {} (\n", target.table_name());
    let columns = columns(target);
    for (i, (name, ty)) in columns.iter().enumerate() {
        let sep = if i + 1 < columns.len() { "," } else { "" };
        sql.push_str(&format!(
            "  {} {}{sep}\n",
            quote_identifier(dialect, name),
            ty.name(dialect)
        ));
    }
    // Spark 3 makes a Hive table of a CREATE TABLE without USING, which needs Hive support.
    sql.push_str(if dialect == Dialect::Spark {
        ") USING parquet;\n"
    } else {
        ");\n"
    });
    sql
}
