//! Turns `src/schema/types.toml`, the parameter tables of EM's query types, into the Rust statics
//! of `src/schema/tables.rs`. Every table is checked here, so a slip in the data file is a build
//! error that names the type and the field, never a wrong schema at run time.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

#[path = "src/schema/doc_type.rs"]
#[allow(dead_code)]
mod doc_type;

#[path = "src/schema/def.rs"]
#[allow(dead_code)]
mod def;

use def::{SchemaFile, Shape, TypeDef};
use doc_type::Kind;

const DATA: &str = "src/schema/types.toml";

fn main() {
    println!("cargo:rerun-if-changed={DATA}");
    println!("cargo:rerun-if-changed=src/schema/doc_type.rs");
    println!("cargo:rerun-if-changed=src/schema/def.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(Path::new(&dir).join(DATA))
        .unwrap_or_else(|e| panic!("cannot read {DATA}: {e}"));
    let file: SchemaFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{DATA}: {e}"));
    let code = generate(&file).unwrap_or_else(|e| panic!("{DATA}: {e}"));
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let path = Path::new(&out).join("builtin_schemas.rs");
    std::fs::write(&path, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The rules of the built-in data on top of those every schema keeps (src/schema/def.rs): each
/// table says where it comes from, and names and enum values are ASCII letters and digits, as
/// EM's reference writes them.
fn check_builtin(t: &TypeDef, shapes: &[(&str, Shape<'_>)]) -> Result<(), String> {
    if t.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err("no source".into());
    }
    for (name, shape) in shapes {
        if !def::is_type_name(name) {
            return Err(format!(
                "field {name}: a field name is ASCII letters and digits"
            ));
        }
        if let Shape::Enum(values, undocumented) = shape {
            if let Some(v) = values
                .iter()
                .chain(undocumented)
                .find(|v| !v.chars().all(|c| c.is_ascii_alphanumeric()))
            {
                return Err(format!(
                    "field {name}: enum value `{v}` is not ASCII letters and digits"
                ));
            }
        }
    }
    Ok(())
}

/// The Rust text of every schema, or what is wrong with the data.
fn generate(file: &SchemaFile) -> Result<String, String> {
    let mut out = String::new();
    let mut enums: BTreeMap<(Vec<String>, Vec<String>), String> = BTreeMap::new();
    let mut schemas = String::new();
    let mut all = Vec::new();
    let mut type_names = HashSet::new();
    if file.types.is_empty() {
        return Err("no [[type]]".into());
    }
    for t in &file.types {
        let at = format!("type {}", t.name);
        if !type_names.insert(t.name.to_ascii_lowercase()) {
            return Err(format!("{at}: named twice (names match in any case)"));
        }
        let shapes = t
            .fields
            .iter()
            .map(|row| def::shape_of(row).map(|shape| (row.name.as_str(), shape)))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|p| problem(&at, p))?;
        def::check_type(&t.name, shapes.iter().cloned()).map_err(|p| problem(&at, p))?;
        check_builtin(t, &shapes).map_err(|e| format!("{at}: {e}"))?;
        let ident = screaming_snake(&t.name);
        let mut fields = String::new();
        let keys = t
            .fields
            .iter()
            .map(|row| format!("key({:?})", row.name))
            .collect::<Vec<_>>()
            .join(", ");
        for (row, (_, shape)) in t.fields.iter().zip(&shapes) {
            let ty = match shape {
                Shape::Uid(r) => format!("FieldType::Uid(Name::from_static({r:?}))"),
                Shape::Enum(values, undocumented) => {
                    let key = (
                        values.iter().map(|v| v.to_string()).collect(),
                        undocumented.iter().map(|v| v.to_string()).collect(),
                    );
                    let next = format!("ENUM_{}", enums.len());
                    let e = enums.entry(key).or_insert(next);
                    format!(
                        "FieldType::Enum(Enum {{ values: List::Static(&{e}_VALUES), \
                         keys: Keys::from_static(&{e}_KEYS), \
                         undocumented: List::Static(&{e}_UNDOCUMENTED) }})"
                    )
                }
                Shape::Scalar(kind) => match kind {
                    Kind::Uid => unreachable!("a UID has the UID shape"),
                    Kind::DateTime => "FieldType::DateTime".into(),
                    Kind::Boolean => "FieldType::Boolean".into(),
                    Kind::Int64 => "FieldType::Int64".into(),
                    Kind::Double => "FieldType::Double".into(),
                    Kind::String => "FieldType::String".into(),
                },
            };
            writeln!(
                fields,
                "    Field::builtin({:?}, {ty}, {:?}, {}, {}, {}),",
                row.name,
                row.printed,
                row.filter.unwrap_or(t.filter),
                row.sort.unwrap_or(t.sort),
                row.documented
            )
            .expect("writing to a String");
        }
        let source = t.source.as_deref().unwrap_or_default();
        // Rustdoc links a URL only in angle brackets.
        let cited = match source.split_once(' ') {
            Some((url, rest)) if url.starts_with("https://") => format!("<{url}> {rest}"),
            _ if source.starts_with("https://") => format!("<{source}>"),
            _ => source.to_owned(),
        };
        let note = match &t.note {
            Some(n) => format!("Some(Name::from_static({n:?}))"),
            None => "None".into(),
        };
        writeln!(
            schemas,
            "static {ident}_FIELDS: [Field; {n}] = [\n{fields}];\n\
             static {ident}_KEYS: [u64; {n}] = [{keys}];\n\
             static {ident}_TABLE: Table = Table {{\n    name: Name::from_static({name:?}),\n    \
             fields: List::Static(&{ident}_FIELDS),\n    keys: Keys::from_static(&{ident}_KEYS),\n    \
             source: Some(Name::from_static({source:?})),\n    \
             note: {note},\n    restricted: false,\n}};\n\
             /// `type={name}`, from {cited}.\npub static {ident}: Schema = Schema::from_table(&{ident}_TABLE);\n",
            n = t.fields.len(),
            name = t.name,
        )
        .expect("writing to a String");
        all.push(ident);
    }
    out.push_str(
        "// Generated by build.rs from src/schema/types.toml: edit that file, not this one.\n\n",
    );
    for ((values, undocumented), ident) in &enums {
        let list = |items: &[String]| {
            items
                .iter()
                .map(|v| format!("Name::from_static({v:?})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            out,
            "static {ident}_VALUES: [Name; {}] = [{}];\nstatic {ident}_KEYS: [u64; {}] = [{}];\n\
             static {ident}_UNDOCUMENTED: [Name; {}] = [{}];",
            values.len(),
            list(values),
            values.len(),
            values
                .iter()
                .map(|v| format!("key({v:?})"))
                .collect::<Vec<_>>()
                .join(", "),
            undocumented.len(),
            list(undocumented)
        )
        .expect("writing to a String");
    }
    out.push('\n');
    out.push_str(&schemas);
    writeln!(
        out,
        "pub(super) static ALL: &[&Schema] = &[{}];",
        all.iter()
            .map(|i| format!("&{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .expect("writing to a String");
    Ok(out)
}

fn problem(at: &str, p: def::Problem) -> String {
    match p.field {
        Some(field) => format!("{at}, field {field}: {}", p.message),
        None => format!("{at}: {}", p.message),
    }
}

/// `vAppRestorePoint` → `V_APP_RESTORE_POINT`.
fn screaming_snake(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_ascii_uppercase()
            && (chars[i - 1].is_ascii_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()));
        if boundary {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}
