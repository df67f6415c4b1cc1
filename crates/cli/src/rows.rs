//! `emfilter rows`: EM's JSON (every input shape `eval` reads) as rows of the default SQL
//! mapping, in CSV or JSON lines, for a database's own loader (`COPY`, `read_csv`,
//! `spark.read.json`); `emfilter sql --create-table` makes the table they go in.
//!
//! Exit statuses: 0 done, 1 a record or an input could not be read, 2 usage.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use emfilter::eval::stream::{self, Location, StreamError};
use emfilter::sql::rows::RowFormat;

use crate::common::{query_type, FAILED, OK};

#[derive(Debug, Args)]
pub struct RowsArgs {
    /// The EM query type of the records (ReplicaJobSession, BackupJobSession, BackupTaskSession
    /// or ReplicaTaskSession).
    #[arg(
        long = "type",
        short = 't',
        default_value = "ReplicaJobSession",
        value_name = "TYPE"
    )]
    query_type: String,
    /// CSV (a header line, then one line a row; NULL is an empty field, text is always quoted)
    /// or JSON lines (one object a row).
    #[arg(long, value_enum, default_value_t = RowsFormat::Csv)]
    format: RowsFormat,
    /// Warn about a record that cannot be read and go on, instead of stopping with exit 1.
    #[arg(long)]
    skip_invalid: bool,
    /// The files to read: JSON lines, a JSON array of records, `{"ReplicaJobSessions":[…]}`, or
    /// a saved query result (`format=Entities`). `-` or none: standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RowsFormat {
    Csv,
    Jsonl,
}

enum Stop {
    Invalid,
    Closed,
    Write(io::Error),
}

pub fn run(args: &RowsArgs) -> Result<u8, String> {
    let schema = query_type(&args.query_type)?;
    let rows = RowFormat::new(schema).map_err(|e| e.to_string())?;
    let stdin = [PathBuf::from("-")];
    let files = if args.files.is_empty() {
        &stdin[..]
    } else {
        &args.files[..]
    };
    let mut out = io::BufWriter::with_capacity(256 << 10, io::stdout().lock());
    let written = match args.format {
        RowsFormat::Csv => rows.write_csv_header(&mut out),
        RowsFormat::Jsonl => Ok(()),
    };
    if let Err(e) = written {
        return closed_or(e, OK);
    }
    let collection = rows.entity_format().collection().to_owned();
    let (mut records, mut skipped) = (0u64, 0u64);
    let mut status = OK;
    for path in files {
        let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
            ("<stdin>".to_owned(), Box::new(io::stdin().lock()))
        } else {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(f) => (name, Box::new(f)),
                Err(e) => {
                    errln!("emfilter: cannot read `{name}`: {e}");
                    status = FAILED;
                    continue;
                }
            }
        };
        let result = stream::for_each_record(reader, &collection, |item| {
            records += 1;
            let (location, read) = match item {
                Ok(r) => (r.location, rows.read(r.json).map_err(|e| e.message())),
                Err(u) => (u.location, Err(u.message)),
            };
            let row = match read {
                Ok(row) => row,
                Err(message) => {
                    let at = match location {
                        Location::Line(n) => format!("{name}:{n}"),
                        other => format!("{name}: the record at {other}"),
                    };
                    if args.skip_invalid {
                        skipped += 1;
                        errln!("emfilter: warning: {at}: skipped an unreadable record: {message}");
                        return Ok(());
                    }
                    errln!(
                        "emfilter: error: {at}: cannot read the record: {message} \
                         (--skip-invalid skips such records)"
                    );
                    return Err(Stop::Invalid);
                }
            };
            match args.format {
                RowsFormat::Csv => rows.write_csv(&mut out, &row),
                RowsFormat::Jsonl => rows.write_json_line(&mut out, &row),
            }
            .map_err(|e| {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    Stop::Closed
                } else {
                    Stop::Write(e)
                }
            })
        });
        match result {
            Ok(_) => {}
            Err(StreamError::Stopped(Stop::Invalid)) => {
                status = FAILED;
                break;
            }
            Err(StreamError::Stopped(Stop::Closed)) => return Ok(status),
            Err(StreamError::Stopped(Stop::Write(e))) => {
                return Err(format!("cannot write the output: {e}"))
            }
            Err(e) => {
                errln!(
                    "emfilter: error: {}",
                    crate::eval::broken(&e, &name, &collection)
                );
                status = FAILED;
                break;
            }
        }
    }
    if let Err(e) = out.flush() {
        return closed_or(e, status);
    }
    if skipped > 0 {
        errln!(
            "emfilter: skipped {skipped} unreadable record{} of {records}",
            if skipped == 1 { "" } else { "s" }
        );
    }
    Ok(status)
}

fn closed_or(e: io::Error, status: u8) -> Result<u8, String> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(status)
    } else {
        Err(format!("cannot write the output: {e}"))
    }
}
