//! `emfilter`: check, format and run Veeam Enterprise Manager query filters.
//!
//! A thin command line over the library: one module per subcommand.

// Every write goes through `stdio` (`outln!`, `errln!`, …), where a closed pipe is not a panic.
#![deny(clippy::print_stdout, clippy::print_stderr)]

// First: its macros (`outln!`, `errln!`, …) are used by the modules after it.
#[macro_use]
mod stdio;

mod check;
mod common;
mod eval;
mod explain;
mod fmt;
mod input;
mod output;
mod query;
mod read;
mod rows;
mod sources;
mod sql;
mod types;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Check, format and run Veeam Enterprise Manager query filters.
#[derive(Debug, Parser)]
#[command(name = "emfilter", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check filters, query URLs and the files that hold them, and report every problem.
    ///
    /// With no FILTER, --file, --url, --urls or --scan, reads one filter per line from standard
    /// input.
    Check(Box<check::CheckArgs>),
    /// Print each filter in its canonical form.
    Fmt(fmt::FmtArgs),
    /// Explain a diagnostic code: what it catches, why, its fix and whether --fix applies it, and
    /// an example. Without a code, list every code.
    Explain(explain::ExplainArgs),
    /// List the query types `--type` accepts, one a line.
    Types(types::TypesArgs),
    /// Print a query type's fields: their types, enum values, and whether they filter and sort.
    Fields(types::FieldsArgs),
    /// Run a filter on an Enterprise Manager and print each entity it matches as one JSON line.
    ///
    /// The filter is checked first and never sent when invalid. The user name and password come
    /// from EMFILTER_USER and EMFILTER_PASSWORD (or a prompt on a terminal). Exit status: 1 the
    /// server refused or answered wrongly, 2 usage or an invalid filter, 3 connection, TLS or
    /// timeout.
    Query(query::QueryArgs),
    /// Run a filter over session records offline and print each record it matches as one JSON
    /// line.
    ///
    /// Reads JSON lines, a JSON array, `{"ReplicaJobSessions":[…]}` or a saved query result
    /// (`format=Entities`), recognised from the input, from each FILE or standard input, in
    /// bounded memory. Exit status: 1 a record or input could not be read, 2 usage or an
    /// invalid filter.
    Eval(Box<eval::EvalArgs>),
    /// Compile a filter to a SQL statement for SQLite, PostgreSQL, DuckDB or Spark SQL, with
    /// its parameters; with --create-table, print the table `emfilter rows` fills.
    ///
    /// The statement selects exactly the rows whose records `emfilter eval` matches. Exit
    /// status: 1 the dialect cannot express the filter exactly (reported as `check` reports
    /// diagnostics), 2 usage or an invalid filter.
    Sql(Box<sql::SqlArgs>),
    /// Turn session records (any input `eval` reads) into rows for `emfilter sql`'s tables, as
    /// CSV or JSON lines, for the database's own loader.
    ///
    /// Exit status: 1 a record or input could not be read, 2 usage.
    Rows(rows::RowsArgs),
}

fn main() -> ExitCode {
    // The matches are kept for the order of repeated options (`--allow`/`--deny`, `--format`
    // and `--output-file`), which the parsed struct does not keep.
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let status = match cli.command {
        Command::Check(args) => check::run(
            &args,
            matches
                .subcommand_matches("check")
                .expect("the check subcommand was parsed"),
        ),
        Command::Fmt(args) => fmt::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Types(args) => types::run_types(&args),
        Command::Fields(args) => types::run_fields(&args),
        Command::Query(args) => query::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Sql(args) => sql::run(&args),
        Command::Rows(args) => rows::run(&args),
    };
    ExitCode::from(status.unwrap_or_else(|message| {
        errln!("emfilter: {message}");
        common::USAGE
    }))
}
