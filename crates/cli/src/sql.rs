//! `emfilter sql`: a filter as a SQL statement for SQLite, PostgreSQL, DuckDB or Spark SQL, with
//! its parameters; or, with `--create-table`, the table that `emfilter rows` fills.
//!
//! The filter is checked first; an invalid one is reported as `emfilter check` reports it (exit
//! 2). A valid filter that the dialect cannot express exactly is reported the same way, with the
//! translation's diagnostics (exit 1).

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use emfilter::eval::Options;
use emfilter::sql::{Dialect, Mapping, Mode, Param, Target};
use emfilter::Code;
use serde_json::json;

use crate::common::{query_type, ColorChoice, FAILED, OK, USAGE};
use crate::output;

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The filter to compile. It is checked first; when invalid, it is reported as `emfilter
    /// check` reports it.
    #[arg(value_name = "FILTER", required_unless_present = "create_table")]
    filter: Option<String>,
    /// The EM query type the filter is for (any case).
    #[arg(
        long = "type",
        short = 't',
        default_value = "ReplicaJobSession",
        value_name = "TYPE"
    )]
    query_type: String,
    /// The SQL dialect: sqlite, postgresql, duckdb or spark.
    #[arg(long, short = 'd', value_name = "DIALECT", value_parser = parse_dialect)]
    dialect: Dialect,
    /// The table to select from (default: the query type's name); dots separate a schema or
    /// catalog from the name (`archive.sessions`).
    #[arg(long, value_name = "NAME")]
    table: Option<String>,
    /// Reads a field from another column (`JobName=job_name`; its second column, for a String
    /// or DateTime field, is named after it: `job_name_folded`). Repeatable.
    #[arg(long = "column", value_name = "FIELD=COLUMN")]
    columns: Vec<String>,
    /// Writes the values into the statement as escaped literals instead of parameters.
    #[arg(long)]
    inline: bool,
    /// Compare strings with regard to case, as `eval --case-sensitive` does.
    #[arg(long)]
    case_sensitive: bool,
    /// Print the CREATE TABLE statement of the mapping instead (no FILTER).
    #[arg(long, conflicts_with_all = ["filter", "inline", "case_sensitive"])]
    create_table: bool,
    /// Output format: the statement with its parameters as SQL comments, or one JSON object.
    #[arg(long, value_enum, default_value_t = SqlFormat::Text)]
    format: SqlFormat,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SqlFormat {
    Text,
    Json,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    s.parse()
        .map_err(|e: emfilter::sql::UnknownDialect| e.to_string())
}

pub fn run(args: &SqlArgs) -> Result<u8, String> {
    let schema = query_type(&args.query_type)?;
    let mut mapping = Mapping::new(schema);
    if let Some(table) = &args.table {
        mapping = mapping.with_table(table.split('.'));
    }
    for column in &args.columns {
        let (field, name) = column
            .split_once('=')
            .ok_or_else(|| format!("--column {column}: give it as FIELD=COLUMN"))?;
        mapping = mapping
            .with_column(field, name)
            .map_err(|e| format!("--column {column}: {e}"))?;
    }
    let target = Target::new(args.dialect, mapping).map_err(|e| e.to_string())?;

    if args.create_table {
        let sql = target.create_table();
        match args.format {
            SqlFormat::Text => out!("{sql}")?,
            SqlFormat::Json => {
                let columns: Vec<_> = target
                    .column_types()
                    .into_iter()
                    .map(|(name, ty)| json!({"name": name, "type": ty.name(args.dialect)}))
                    .collect();
                outln!(
                    "{}",
                    json!({
                        "dialect": args.dialect.as_str(),
                        "type": schema.name(),
                        "table": target.table_name(),
                        "sql": sql,
                        "columns": columns,
                    })
                )?;
            }
        }
        return Ok(OK);
    }

    let text = args.filter.as_deref().unwrap_or_default();
    let Some(filter) = output::check_argument(text, schema, args.color)? else {
        return Ok(USAGE);
    };
    let mode = if args.inline {
        Mode::Inline
    } else {
        Mode::Params
    };
    let filter = filter.with_options(Options::default().case_sensitive(args.case_sensitive));
    let statement = match target.translate(&filter, mode) {
        Ok(s) => s,
        Err(refused) => {
            let checked = emfilter::Checker::new(schema).check(text);
            let ast = checked.ast().expect("a valid filter has its tree");
            let diagnostics = refused
                .0
                .iter()
                .map(|r| {
                    let d = r.to_diagnostic(ast);
                    // The library says what to do; the command line also says with which flag.
                    let field = ast.comparisons().nth(r.comparison()).map(|c| c.field.name);
                    match field {
                        Some(name) if r.code() == Code::SqlUnmappedField => {
                            d.with_help(format!("{} (`--column {name}=<column>`)", r.help()))
                        }
                        _ => d,
                    }
                })
                .collect();
            output::report_argument(text, diagnostics, args.color)?;
            return Ok(FAILED);
        }
    };
    let placeholders: Vec<String> = (1..=statement.params().len())
        .map(|n| match args.dialect {
            Dialect::Sqlite | Dialect::DuckDb => n.to_string(),
            Dialect::Postgres => format!("${n}"),
            Dialect::Spark => format!(":p{n}"),
        })
        .collect();
    match args.format {
        SqlFormat::Text => {
            let mut out = format!("{}\n", statement.sql());
            for (p, param) in placeholders.iter().zip(statement.params()) {
                let _ = writeln!(out, "-- {p}: {} {param}", type_name(param));
            }
            out!("{out}")?;
        }
        SqlFormat::Json => {
            let params: Vec<_> = placeholders
                .iter()
                .zip(statement.params())
                .map(|(p, param)| {
                    let mut v = serde_json::to_value(param).expect("a parameter serialises");
                    v["placeholder"] = json!(p);
                    v
                })
                .collect();
            outln!(
                "{}",
                json!({
                    "dialect": args.dialect.as_str(),
                    "type": schema.name(),
                    "filter": filter.to_string(),
                    "sql": statement.sql(),
                    "condition": statement.condition(),
                    "params": params,
                })
            )?;
        }
    }
    Ok(OK)
}

fn type_name(p: &Param) -> &'static str {
    match p {
        Param::Text(_) => "text",
        Param::Int(_) => "int",
        Param::Bool(_) => "bool",
        Param::Double(_) => "double",
    }
}
