//! Schemas as data: the tables of `src/schema/types.toml`, and the rules every schema keeps.
//!
//! `build.rs` reads the built-in tables through this module (it includes this file and
//! `doc_type.rs` by path), and [`Schema::from_def`](super::Schema::from_def) and
//! [`SchemaBuilder`](super::SchemaBuilder) check a schema made at run time by the same rules, so
//! a schema is valid or not whichever way it was made.

use serde::Deserialize;

use super::doc_type::{self, Kind};

/// A file of query types, in the format of the built-in tables (`src/schema/types.toml`): an
/// array of tables named `type`.
///
/// ```toml
/// [[type]]
/// name = "Incident"
/// fields = [
///   { name = "UID", type = "UidType", resource = "Incident" },
///   { name = "Title", type = "String" },
///   { name = "Severity", type = "String", values = ["Low", "Medium", "High"] },
/// ]
/// ```
///
/// Deserialize it with the serde format crate of your choice (`toml`, `serde_json`), then build
/// the schemas with [`Schema::from_defs`](super::Schema::from_defs).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    /// The query types.
    #[serde(rename = "type")]
    pub types: Vec<TypeDef>,
}

/// One query type: its name and its parameter table.
///
/// ```
/// use emfilter::schema::{FieldDef, Schema, TypeDef};
/// let def = TypeDef {
///     name: "Incident".into(),
///     source: None,
///     note: None,
///     filter: true,
///     sort: true,
///     fields: vec![FieldDef {
///         name: "Title".into(),
///         printed: "String".into(),
///         resource: None,
///         values: None,
///         undocumented: vec![],
///         filter: None,
///         sort: None,
///         documented: true,
///     }],
/// };
/// assert_eq!(Schema::from_def(&def).unwrap().fields()[0].name(), "Title");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// The `type=` value (`ReplicaJobSession`): ASCII letters and digits, starting with a letter.
    pub name: String,
    /// Where the table comes from (the built-in tables give the page of EM's reference).
    #[serde(default)]
    pub source: Option<String>,
    /// What is irregular about the table.
    #[serde(default)]
    pub note: Option<String>,
    /// Whether the fields filter, unless a field says otherwise (default true).
    #[serde(default = "yes")]
    pub filter: bool,
    /// Whether the fields sort, unless a field says otherwise (default true).
    #[serde(default = "yes")]
    pub sort: bool,
    /// The parameters, in documented order.
    pub fields: Vec<FieldDef>,
}

/// One parameter of a query type, as its table prints it.
///
/// ```
/// use emfilter::schema::FieldDef;
/// let row: FieldDef = serde_json::from_str(r#"{"name": "JobUid", "type": "UidType", "resource": "Job"}"#).unwrap();
/// assert_eq!((row.printed.as_str(), row.resource.as_deref()), ("UidType", Some("Job")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The name filters write (a letter or `_`, then letters, digits, `_` or `.`).
    pub name: String,
    /// The Type column as printed: `UidType` (or `URN`), `DateTime`, `Boolean`, `Long`, `Int64`
    /// or `Int`, `Double`, `String`, `Name` or `HierarchyObjRefType`, or an enum's own type name
    /// together with `values`.
    #[serde(rename = "type")]
    pub printed: String,
    /// For a UID, the resource type of its URN (`urn:veeam:<resource>:<guid>`).
    #[serde(default)]
    pub resource: Option<String>,
    /// For an enum, its values in documented order (which ordering comparisons follow).
    #[serde(default)]
    pub values: Option<Vec<String>>,
    /// For an enum, values servers return that the documentation does not list.
    #[serde(default)]
    pub undocumented: Vec<String>,
    /// Whether the field filters (default: the type's `filter`).
    #[serde(default)]
    pub filter: Option<bool>,
    /// Whether the field sorts (default: the type's `sort`).
    #[serde(default)]
    pub sort: Option<bool>,
    /// `false` for a field the documentation's table omits but Veeam's own samples filter on
    /// (VmRestorePoint's `HierarchyObjRef`): filters on it are checked, with an
    /// `undocumented-field` warning.
    #[serde(default = "yes")]
    pub documented: bool,
}

fn yes() -> bool {
    true
}

/// What a field holds, as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape<'a> {
    /// A UID of this resource type.
    Uid(&'a str),
    /// An enum: documented values in order, then undocumented ones.
    Enum(Vec<&'a str>, Vec<&'a str>),
    /// Any other type.
    Scalar(Kind),
}

/// What is wrong with a schema, and where: the field, when it is about one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) field: Option<String>,
    pub(crate) message: String,
}

impl Problem {
    fn of_type(message: impl Into<String>) -> Problem {
        Problem {
            field: None,
            message: message.into(),
        }
    }

    fn of_field(field: &str, message: impl Into<String>) -> Problem {
        Problem {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

/// The shape of a row of a table: its printed type, `values` and `resource` read together.
pub(crate) fn shape_of(row: &FieldDef) -> Result<Shape<'_>, Problem> {
    let at = |m: String| Problem::of_field(&row.name, m);
    let kind = doc_type::kind(&row.printed);
    if let Some(values) = &row.values {
        if row.resource.is_some() {
            return Err(at("an enum has no `resource`".into()));
        }
        if kind.is_none() && !is_type_name(&row.printed) {
            return Err(at(format!(
                "printed type `{}` is not a type name",
                row.printed
            )));
        }
        return Ok(Shape::Enum(
            values.iter().map(String::as_str).collect(),
            row.undocumented.iter().map(String::as_str).collect(),
        ));
    }
    if !row.undocumented.is_empty() {
        return Err(at("`undocumented` without `values`".into()));
    }
    let kind = kind.ok_or_else(|| {
        at(format!(
            "printed type `{}` is not one emfilter knows (give `values` if it is an enum)",
            row.printed
        ))
    })?;
    match (kind, &row.resource) {
        (Kind::Uid, Some(r)) => Ok(Shape::Uid(r)),
        (Kind::Uid, None) => Err(at("a UidType needs its `resource`".into())),
        (_, Some(_)) => Err(at(format!("a {} has no `resource`", row.printed))),
        (kind, None) => Ok(Shape::Scalar(kind)),
    }
}

/// Checks a query type named `name` with `fields` (each a name and its shape) against the rules
/// every schema keeps:
///
/// - the type's name is ASCII letters and digits, starting with a letter (it is a `type=` value);
/// - it has at least one field and at most 65,535;
/// - each field name is one the grammar reads as a field (a letter or `_`, then letters, digits,
///   `_` or `.`), and no two are the same in any case (names are looked up in any case);
/// - a UID's resource type is ASCII letters and digits, starting with a letter;
/// - an enum has at least one documented value and at most 65,535; each value is non-empty text
///   without `"`, control characters or surrounding whitespace, and no two values of one enum
///   are the same in any case.
pub(crate) fn check_type<'a>(
    name: &str,
    fields: impl IntoIterator<Item = (&'a str, Shape<'a>)>,
) -> Result<(), Problem> {
    if !is_type_name(name) {
        return Err(Problem::of_type(format!(
            "the type name `{name}` is not ASCII letters and digits starting with a letter"
        )));
    }
    let mut seen: Vec<String> = Vec::new();
    for (field, shape) in fields {
        if !is_field_name(field) {
            return Err(Problem::of_field(
                field,
                "a field name is a letter or `_`, then letters, digits, `_` or `.`",
            ));
        }
        let lower = field.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(Problem::of_field(
                field,
                "named twice (names match in any case)",
            ));
        }
        seen.push(lower);
        match shape {
            Shape::Uid(resource) if !is_type_name(resource) => {
                return Err(Problem::of_field(
                    field,
                    format!(
                        "the resource type `{resource}` is not ASCII letters and digits starting \
                         with a letter"
                    ),
                ));
            }
            Shape::Enum(values, undocumented) => check_enum(field, &values, &undocumented)?,
            _ => {}
        }
    }
    match seen.len() {
        0 => Err(Problem::of_type("a type needs at least one field")),
        n if n > usize::from(u16::MAX) => Err(Problem::of_type(format!(
            "{n} fields are more than the 65,535 a schema may have"
        ))),
        _ => Ok(()),
    }
}

fn check_enum(field: &str, values: &[&str], undocumented: &[&str]) -> Result<(), Problem> {
    if values.is_empty() {
        return Err(Problem::of_field(field, "an enum needs at least one value"));
    }
    if values.len() + undocumented.len() > usize::from(u16::MAX) {
        return Err(Problem::of_field(
            field,
            "an enum has at most 65,535 values",
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    for v in values.iter().chain(undocumented) {
        if !is_enum_value(v) {
            return Err(Problem::of_field(
                field,
                format!(
                    "the enum value `{}` is not text without `\"`, control characters or \
                     surrounding spaces",
                    v.escape_debug()
                ),
            ));
        }
        let lower = v.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(Problem::of_field(
                field,
                format!("the enum value `{v}` is listed twice (values match in any case)"),
            ));
        }
        seen.push(lower);
    }
    Ok(())
}

/// A `type=` value or a UID's resource type: ASCII letters and digits, starting with a letter.
pub(crate) fn is_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// What the grammar's `field` rule reads: a letter or `_`, then letters, digits, `_` or `.`.
pub(crate) fn is_field_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

fn is_enum_value(s: &str) -> bool {
    !s.is_empty() && s.trim() == s && !s.chars().any(|c| c == '"' || c.is_control())
}
