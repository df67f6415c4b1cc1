//! `emfilter types` and `emfilter fields`: the built-in query types and their parameter tables,
//! what users otherwise look up in EM's REST reference.

use clap::{Args, ValueEnum};
use emfilter::schema::{self, Field, FieldType, Schema};
use serde_json::{json, Value};

use crate::common::{query_type, OK};

#[derive(Debug, Args)]
pub struct TypesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct FieldsArgs {
    /// The query type, in any case (`BackupJobSession`, `backupjobsession`).
    #[arg(value_name = "TYPE")]
    query_type: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Plain text.
    Text,
    /// JSON.
    Json,
}

/// Every built-in type: one name a line, or a JSON array.
pub fn run_types(args: &TypesArgs) -> Result<u8, String> {
    let text = match args.format {
        Format::Text => schema::builtins()
            .iter()
            .map(|s| format!("{}\n", s.name()))
            .collect(),
        Format::Json => {
            let all: Vec<Value> = schema::builtins()
                .iter()
                .map(|s| {
                    json!({
                        "name": s.name(),
                        "fields": s.fields().len(),
                        "source": s.source(),
                        "note": s.note(),
                    })
                })
                .collect();
            pretty(&Value::Array(all))?
        }
    };
    emit(&text)
}

/// One type's parameter table.
pub fn run_fields(args: &FieldsArgs) -> Result<u8, String> {
    let schema = query_type(&args.query_type)?;
    let text = match args.format {
        Format::Text => table(schema),
        Format::Json => pretty(&schema_json(schema))?,
    };
    emit(&text)
}

fn emit(text: &str) -> Result<u8, String> {
    crate::stdio::out_bytes(text.as_bytes())?;
    Ok(OK)
}

fn pretty(value: &Value) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// The checker's type of a field, with a UID's resource type: `UidType(Job)`.
fn type_text(field: &Field) -> String {
    let ty = field.ty();
    let mut text = match ty {
        FieldType::Uid(resource) => format!("{}({resource})", ty.name()),
        _ => ty.name().to_owned(),
    };
    let documented = field.documented_type();
    if documented != ty.name() && !(documented == "String" && matches!(ty, FieldType::Enum(_))) {
        text.push_str(&format!(" [docs: {documented}]"));
    }
    text
}

fn values_text(field: &Field) -> String {
    let FieldType::Enum(e) = field.ty() else {
        return String::new();
    };
    let mut text = e.values().join(", ");
    if !e.undocumented().is_empty() {
        text.push_str(&format!(
            "; also seen, undocumented: {}",
            e.undocumented().join(", ")
        ));
    }
    text
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn table(schema: &Schema) -> String {
    let mut out = format!("{}: {} fields\n", schema.name(), schema.fields().len());
    if let Some(source) = schema.source() {
        out.push_str(&format!("source: {source}\n"));
    }
    if let Some(note) = schema.note() {
        out.push_str(&format!("note: {note}\n"));
    }
    out.push('\n');
    let header = ["FIELD", "TYPE", "FILTER", "SORT", "VALUES"];
    let rows: Vec<[String; 5]> = schema
        .fields()
        .iter()
        .map(|f| {
            [
                f.name().to_owned(),
                type_text(f),
                yes_no(f.filterable()).to_owned(),
                yes_no(f.sortable()).to_owned(),
                values_text(f),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let header = header.map(str::to_owned);
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn schema_json(schema: &Schema) -> Value {
    let fields: Vec<Value> = schema
        .fields()
        .iter()
        .map(|f| {
            let mut v = json!({
                "name": f.name(),
                "type": f.ty().name(),
                "documented_type": f.documented_type(),
                "filterable": f.filterable(),
                "sortable": f.sortable(),
            });
            match f.ty() {
                FieldType::Uid(resource) => v["resource"] = json!(resource),
                FieldType::Enum(e) => {
                    v["values"] = json!(e.values());
                    v["undocumented"] = json!(e.undocumented());
                }
                _ => {}
            }
            v
        })
        .collect();
    json!({
        "name": schema.name(),
        "source": schema.source(),
        "note": schema.note(),
        "fields": fields,
    })
}
