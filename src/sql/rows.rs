//! EM's JSON entities as rows of the default [`Mapping`], written as CSV or JSON lines for a
//! database's own loader: the storage contract the translation relies on (see the
//! [module](super) documentation).
//!
//! ```
//! use emfilter::sql::rows::{Cell, RowFormat};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let rows = RowFormat::new(&emfilter::schema::REPLICA_JOB_SESSION)?;
//! let row = rows.read(br#"{"JobName":"SQL Replica","Result":"failed","EndTimeUTC":"2026-11-21T22:41:10.5+01:00"}"#)?;
//! let cell = |name: &str| &row[rows.columns().iter().position(|c| c == name).unwrap()];
//! assert_eq!(cell("JobName_folded"), &Cell::Text("sql replica".into()));
//! assert_eq!(cell("Result"), &Cell::Text("Failed".into()));
//! assert_eq!(cell("EndTime"), &Cell::Text("2026-11-21T21:41:10.5000000Z".into()));
//! assert_eq!(cell("EndTime_ticks"), &Cell::Int(17_952_972_705_000_000));
//! assert_eq!(cell("State"), &Cell::Null);
//!
//! let mut csv = Vec::new();
//! rows.write_csv(&mut csv, &row)?;
//! # Ok(())
//! # }
//! ```

use std::io::{self, Write};

use super::table::{field_types, SqlType};
use super::Mapping;
use crate::eval::{Entity, EntityFormat, NotEvaluable, ReadError, Record, Value};
use crate::ir::{Guid, Uid};
use crate::schema::{FieldId, FieldType, Schema};

/// One value of a row.
///
/// ```
/// use emfilter::sql::rows::{Cell, RowFormat};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let rows = RowFormat::new(&emfilter::schema::REPLICA_JOB_SESSION)?;
/// let row = rows.read(br#"{"Name":"Job 1","IsRetry":true,"EndTimeUTC":null}"#)?;
/// assert_eq!(row[1..3], [Cell::Text("Job 1".into()), Cell::Text("job 1".into())]);
/// assert!(row.contains(&Cell::Bool(true)));
/// // A null or missing field is a NULL cell: every DateTime has two of them.
/// assert_eq!(row.iter().filter(|c| **c == Cell::Null).count(), row.len() - 3);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Null,
    /// Text (UIDs, enums, strings, timestamps).
    Text(String),
    /// A 64-bit integer (ticks, Int64 fields).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A finite float.
    Double(f64),
}

/// How the entities of one query type become rows of its default mapping.
///
/// ```
/// use emfilter::sql::rows::{Cell, RowFormat};
/// use emfilter::sql::SqlType;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let rows = RowFormat::new(&emfilter::schema::REPLICA_JOB_SESSION)?;
/// assert_eq!(rows.schema().name(), "ReplicaJobSession");
/// assert_eq!(rows.entity_format().collection(), "ReplicaJobSessions");
/// assert_eq!(rows.columns()[..4], ["UID", "Name", "Name_folded", "JobType"]);
/// assert_eq!(rows.types()[..4], [SqlType::Text; 4]);
/// assert_eq!(rows.columns().len(), rows.types().len());
///
/// // The same row, from the JSON or from an entity already read.
/// let json = br#"{"Result":"warning","IsRetry":false}"#;
/// let entity = rows.entity_format().read(json)?;
/// assert_eq!(rows.row(&entity), rows.read(json)?);
///
/// // Only an entity of the type is a row; EM's error body is not.
/// let e = rows.read(br#"{"Message":"Access denied"}"#).unwrap_err();
/// assert!(e.is_not_entity());
/// assert!(RowFormat::new(emfilter::schema::builtin("Repository").unwrap()).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct RowFormat {
    format: EntityFormat,
    fields: Vec<(FieldId, FieldType)>,
    columns: Vec<String>,
    types: Vec<SqlType>,
}

impl RowFormat {
    /// The rows of `schema`'s entities: an error for a type whose entities `eval` cannot read.
    ///
    /// ```
    /// use emfilter::schema::builtin;
    /// use emfilter::sql::rows::RowFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // The default mapping's columns: a task session's entity holds no JobName.
    /// let tasks = RowFormat::new(builtin("ReplicaTaskSession").unwrap())?;
    /// assert!(tasks.columns().contains(&"VmDisplayName_folded".to_owned()));
    /// assert!(!tasks.columns().iter().any(|c| c.starts_with("JobName")));
    ///
    /// let e = RowFormat::new(builtin("Repository").unwrap()).unwrap_err();
    /// assert_eq!((e.name.as_str(), e.field), ("Repository", None));
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(schema: &Schema) -> Result<RowFormat, NotEvaluable> {
        let format = EntityFormat::for_schema(schema)?;
        let mapping = Mapping::new(schema);
        let mut fields = Vec::new();
        let mut columns = Vec::new();
        let mut types = Vec::new();
        for (id, column) in mapping.columns() {
            let ty = schema.field(id).ty().clone();
            let (value, key) = field_types(&ty);
            fields.push((id, ty));
            columns.push(column.name().to_owned());
            types.push(value);
            if let (Some(name), Some(key)) = (column.key(), key) {
                columns.push(name.to_owned());
                types.push(key);
            }
        }
        Ok(RowFormat {
            format,
            fields,
            columns,
            types,
        })
    }

    /// The schema.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::rows::RowFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&REPLICA_JOB_SESSION)?;
    /// assert_eq!(rows.schema(), &REPLICA_JOB_SESSION);
    /// # Ok(())
    /// # }
    /// ```
    pub fn schema(&self) -> &Schema {
        self.format.schema()
    }

    /// How entities are read (and the name of their collection in a query result).
    ///
    /// ```
    /// use emfilter::eval::{Record, Value};
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::rows::RowFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&REPLICA_JOB_SESSION)?;
    /// assert_eq!(rows.entity_format().collection(), "ReplicaJobSessions");
    /// let entity = rows.entity_format().read(br#"{"IsRetry":true}"#)?;
    /// assert_eq!(entity.value(REPLICA_JOB_SESSION.lookup("IsRetry").unwrap()), Value::Bool(true));
    /// # Ok(())
    /// # }
    /// ```
    pub fn entity_format(&self) -> &EntityFormat {
        &self.format
    }

    /// The column names, in order.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::rows::RowFormat;
    /// use emfilter::sql::{Dialect, Mapping, Target};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&REPLICA_JOB_SESSION)?;
    /// assert_eq!(rows.columns()[5..9], ["JobName", "JobName_folded", "CreationTime", "CreationTime_ticks"]);
    /// // The columns the default mapping's `CREATE TABLE` declares.
    /// let target = Target::new(Dialect::Sqlite, Mapping::new(&REPLICA_JOB_SESSION))?;
    /// let declared: Vec<String> = target.column_types().into_iter().map(|(name, _)| name).collect();
    /// assert_eq!(rows.columns(), declared);
    /// # Ok(())
    /// # }
    /// ```
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The columns' types, in order.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::rows::RowFormat;
    /// use emfilter::sql::SqlType;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&REPLICA_JOB_SESSION)?;
    /// let type_of = |name: &str| rows.types()[rows.columns().iter().position(|c| c == name).unwrap()];
    /// assert_eq!(type_of("EndTime"), SqlType::Timestamp);
    /// assert_eq!(type_of("EndTime_ticks"), SqlType::BigInt);
    /// assert_eq!(type_of("IsRetry"), SqlType::Boolean);
    /// # Ok(())
    /// # }
    /// ```
    pub fn types(&self) -> &[SqlType] {
        &self.types
    }

    /// One entity's JSON as a row; an error when it is not a JSON object or a field does not
    /// hold a value of its type (every field is read, not only those a filter reads).
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::rows::{Cell, RowFormat};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&REPLICA_JOB_SESSION)?;
    /// let row = rows.read(br#"{"JobType":"REPLICA","IsRetry":false}"#)?;
    /// assert_eq!((&row[3], &row[13]), (&Cell::Text("Replica".into()), &Cell::Bool(false)));
    ///
    /// let e = rows.read(br#"{"IsRetry":"no"}"#).unwrap_err();
    /// assert_eq!((e.line(), e.column()), (1, 15));
    /// assert!(rows.read(b"[]").is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn read(&self, json: &[u8]) -> Result<Vec<Cell>, ReadError> {
        let entity = self.format.read(json)?;
        Ok(self.row(&entity))
    }

    /// The row of an entity already read.
    ///
    /// ```
    /// use emfilter::schema::REPLICA_JOB_SESSION;
    /// use emfilter::sql::rows::{Cell, RowFormat};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&REPLICA_JOB_SESSION)?;
    /// let entity = rows.entity_format().read(br#"{"UID":"urn:veeam:REPLICAJOBSESSION:DCE85686-59C8-42C4-8766-F1C00A5B8067"}"#)?;
    /// let row = rows.row(&entity);
    /// // A UID is stored in one spelling: the schema's resource type, the GUID in lower case.
    /// assert_eq!(row[0], Cell::Text("urn:veeam:ReplicaJobSession:dce85686-59c8-42c4-8766-f1c00a5b8067".into()));
    /// assert_eq!(row.len(), rows.columns().len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn row(&self, entity: &Entity<'_>) -> Vec<Cell> {
        let mut row = Vec::with_capacity(self.columns.len());
        for (id, ty) in &self.fields {
            let value = entity.value(*id);
            match ty {
                FieldType::DateTime => match value {
                    Value::DateTime(ticks) => {
                        row.push(timestamp(ticks).map_or(Cell::Null, Cell::Text));
                        row.push(Cell::Int(ticks));
                    }
                    _ => row.extend([Cell::Null, Cell::Null]),
                },
                FieldType::String => match value {
                    Value::Text(t) => {
                        row.push(Cell::Text(t.to_owned()));
                        row.push(Cell::Text(crate::eval::fold(t)));
                    }
                    _ => row.extend([Cell::Null, Cell::Null]),
                },
                FieldType::Enum(e) => row.push(match value {
                    Value::Text(t) => Cell::Text(
                        e.index_of(t)
                            .map(|i| e.values()[i].as_str())
                            .or_else(|| e.undocumented_value(t).map(|u| u.as_str()))
                            .unwrap_or(t)
                            .to_owned(),
                    ),
                    _ => Cell::Null,
                }),
                FieldType::Uid(own) => row.push(match value {
                    Value::Uid { resource, guid } => Cell::Text(uid_text(own, resource, guid)),
                    _ => Cell::Null,
                }),
                FieldType::Boolean => row.push(match value {
                    Value::Bool(b) => Cell::Bool(b),
                    _ => Cell::Null,
                }),
                FieldType::Int64 => row.push(match value {
                    Value::Int(i) => Cell::Int(i),
                    _ => Cell::Null,
                }),
                FieldType::Double => row.push(match value {
                    Value::Double(d) => Cell::Double(d),
                    Value::Int(i) => Cell::Double(i as f64),
                    _ => Cell::Null,
                }),
            }
        }
        row
    }

    /// The CSV header line: the column names.
    ///
    /// ```
    /// use emfilter::sql::rows::RowFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let mut csv = Vec::new();
    /// rows.write_csv_header(&mut csv)?;
    /// assert_eq!(
    ///     String::from_utf8(csv)?,
    ///     "\"UID\",\"Name\",\"Name_folded\",\"JobType\",\"JobUid\",\"JobName\",\"JobName_folded\",\
    ///      \"CreationTime\",\"CreationTime_ticks\",\"EndTime\",\"EndTime_ticks\",\"State\",\"Result\",\
    ///      \"IsRetry\",\"BackupServerUid\",\"BackupServerName\",\"BackupServerName_folded\"\n"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn write_csv_header<W: Write>(&self, out: &mut W) -> io::Result<()> {
        for (i, name) in self.columns.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            csv_text(out, name)?;
        }
        out.write_all(b"\n")
    }

    /// One row as a CSV line (RFC 4180): NULL is an empty field, text is always quoted (so an
    /// empty string is `""`), booleans are `true`/`false`.
    ///
    /// ```
    /// use emfilter::sql::rows::RowFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let row = rows.read(br#"{"Name":"Say \"hi\"","JobName":"","IsRetry":true}"#)?;
    /// let mut csv = Vec::new();
    /// rows.write_csv(&mut csv, &row)?;
    /// // NULL is empty, the empty string is `""`, a quote in text is doubled.
    /// assert_eq!(String::from_utf8(csv)?, ",\"Say \"\"hi\"\"\",\"say \"\"hi\"\"\",,,\"\",\"\",,,,,,,true,,,\n");
    /// # Ok(())
    /// # }
    /// ```
    pub fn write_csv<W: Write>(&self, out: &mut W, row: &[Cell]) -> io::Result<()> {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            match cell {
                Cell::Null => {}
                Cell::Text(t) => csv_text(out, t)?,
                Cell::Int(n) => write!(out, "{n}")?,
                Cell::Bool(b) => write!(out, "{b}")?,
                Cell::Double(d) => write!(out, "{d:?}")?,
            }
        }
        out.write_all(b"\n")
    }

    /// One row as a JSON object on one line, its members in column order.
    ///
    /// ```
    /// use emfilter::sql::rows::RowFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let rows = RowFormat::new(&emfilter::schema::REPLICA_JOB_SESSION)?;
    /// let row = rows.read(br#"{"Result":"failed","CreationTimeUTC":"2026-01-01T00:00:00Z"}"#)?;
    /// let mut line = Vec::new();
    /// rows.write_json_line(&mut line, &row)?;
    /// let line = String::from_utf8(line)?;
    /// assert!(line.ends_with("}\n") && line.matches('\n').count() == 1);
    /// assert!(line.contains(r#""CreationTime":"2026-01-01T00:00:00.0000000Z","CreationTime_ticks":17672256000000000,"#));
    /// assert!(line.contains(r#""Result":"Failed","IsRetry":null,"#));
    /// # Ok(())
    /// # }
    /// ```
    pub fn write_json_line<W: Write>(&self, out: &mut W, row: &[Cell]) -> io::Result<()> {
        out.write_all(b"{")?;
        for (i, (name, cell)) in self.columns.iter().zip(row).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, name)?;
            out.write_all(b":")?;
            match cell {
                Cell::Null => out.write_all(b"null")?,
                Cell::Text(t) => serde_json::to_writer(&mut *out, t)?,
                Cell::Int(n) => write!(out, "{n}")?,
                Cell::Bool(b) => write!(out, "{b}")?,
                Cell::Double(d) => serde_json::to_writer(&mut *out, d)?,
            }
        }
        out.write_all(b"}\n")
    }
}

fn csv_text<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let mut rest = text.as_bytes();
    while let Some(at) = memchr::memchr(b'"', rest) {
        out.write_all(&rest[..=at])?;
        out.write_all(b"\"")?;
        rest = &rest[at + 1..];
    }
    out.write_all(rest)?;
    out.write_all(b"\"")
}

/// A record's UID in the one spelling the translation compares: the field's resource type
/// when the record's is the same in any case or absent (a bare GUID), the GUID in lower case.
fn uid_text(own: &str, resource: &str, guid: Guid) -> String {
    if resource.is_empty() || resource.eq_ignore_ascii_case(own) {
        Uid::new(own, guid).to_string()
    } else {
        format!("urn:veeam:{resource}:{guid}")
    }
}

/// The instant `ticks` as `YYYY-MM-DDTHH:MM:SS.fffffffZ`; `None` outside the years 1 to 9999,
/// which only an offset at the calendar's edge reaches and which no timestamp type shares.
fn timestamp(ticks: i64) -> Option<String> {
    let secs = ticks.div_euclid(10_000_000);
    let frac = ticks.rem_euclid(10_000_000);
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    let year = chrono::Datelike::year(&t);
    if !(1..=9999).contains(&year) {
        return None;
    }
    Some(format!("{}.{frac:07}Z", t.format("%Y-%m-%dT%H:%M:%S")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_seven_digits_and_the_calendar() {
        assert_eq!(
            timestamp(0).as_deref(),
            Some("1970-01-01T00:00:00.0000000Z")
        );
        assert_eq!(
            timestamp(-1).as_deref(),
            Some("1969-12-31T23:59:59.9999999Z")
        );
        let first = -62_135_596_800 * 10_000_000;
        assert_eq!(
            timestamp(first).as_deref(),
            Some("0001-01-01T00:00:00.0000000Z")
        );
        assert_eq!(timestamp(first - 1), None);
        let last = 253_402_300_800 * 10_000_000 - 1;
        assert_eq!(
            timestamp(last).as_deref(),
            Some("9999-12-31T23:59:59.9999999Z")
        );
        assert_eq!(timestamp(last + 1), None);
    }

    #[test]
    fn uids_take_one_spelling() {
        let g = Guid::parse("DCE85686-59C8-42C4-8766-F1C00A5B8067").unwrap();
        let want = "urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067";
        assert_eq!(uid_text("Job", "", g), want);
        assert_eq!(uid_text("Job", "JOB", g), want);
        assert_eq!(
            uid_text("Job", "Backup", g),
            "urn:veeam:Backup:dce85686-59c8-42c4-8766-f1c00a5b8067"
        );
    }

    #[test]
    fn csv_quotes_text_and_leaves_null_empty() {
        let rows = RowFormat::new(&crate::schema::REPLICA_JOB_SESSION).unwrap();
        let mut row = vec![Cell::Null; rows.columns().len()];
        row[0] = Cell::Text("a\"b,\nc".into());
        row[1] = Cell::Text(String::new());
        row[2] = Cell::Int(-5);
        row[3] = Cell::Bool(true);
        row[4] = Cell::Double(0.1);
        let mut out = Vec::new();
        rows.write_csv(&mut out, &row).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("\"a\"\"b,\nc\",\"\",-5,true,0.1,,"),
            "{text}"
        );
    }
}
