//! `emfilter eval`: run a filter over session records offline (JSON lines, a JSON array, EM's
//! flat collection or a saved query result) and print each record it matches as one JSON line.
//!
//! The filter is checked first; an invalid one is reported as `emfilter check` reports it and
//! nothing is read. Exit statuses: 0 done, 1 a record or an input could not be read, 2 usage (an
//! invalid filter, a query type that cannot be evaluated).

use std::cell::Cell;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Args;
use emfilter::eval::stream::{self, Location, StreamError};
use emfilter::eval::{MatchError, Options, ReadError};

use crate::common::{query_type, ColorChoice, FAILED, OK, USAGE};
use crate::output;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The filter to run. It is checked first; when invalid, it is reported as `emfilter check`
    /// reports it and nothing is read.
    #[arg(long, value_name = "FILTER")]
    filter: String,
    /// The EM query type of the records (ReplicaJobSession, BackupJobSession, BackupTaskSession
    /// and ReplicaTaskSession can be evaluated).
    #[arg(
        long = "type",
        short = 't',
        default_value = "ReplicaJobSession",
        value_name = "TYPE"
    )]
    query_type: String,
    /// Print only the number of matching records.
    #[arg(long)]
    count: bool,
    /// Warn about a record that cannot be read and go on, instead of stopping with exit 1; the
    /// number skipped is reported at the end.
    #[arg(long)]
    skip_invalid: bool,
    /// No progress bar (there is one only when standard error is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Compare strings with regard to case (EM, answering from SQL Server, does not).
    #[arg(long)]
    case_sensitive: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// The files to read: JSON lines, a JSON array of records, `{"ReplicaJobSessions":[…]}`, or
    /// a saved query result (`format=Entities`). `-` or none: standard input.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Why reading stopped early.
enum Stop {
    /// A record could not be read (already reported).
    Invalid,
    /// Standard output went away (`| head`): not an error.
    Closed,
    /// Standard output could not be written.
    Write(io::Error),
}

struct Tally {
    records: u64,
    matched: u64,
    /// Records skipped (`--skip-invalid`): how many, and where, by file.
    skipped: u64,
    skipped_at: Vec<(String, Vec<String>)>,
    /// Files not read to their end: each with why.
    broken: Vec<(String, String)>,
}

impl Tally {
    fn skip(&mut self, file: &str, at: String) {
        self.skipped += 1;
        match self.skipped_at.last_mut() {
            Some((f, list)) if f == file => list.push(at),
            _ => self.skipped_at.push((file.to_owned(), vec![at])),
        }
    }
}

/// The most record locations the closing summary names in one file (each was warned about as
/// it was skipped).
const LOCATIONS_SHOWN: usize = 20;

pub fn run(args: &EvalArgs) -> Result<u8, String> {
    // 1. The filter, reported exactly as `check` reports a filter argument.
    let schema = query_type(&args.query_type)?;
    let Some(filter) = output::check_argument(&args.filter, schema, args.color)? else {
        return Ok(USAGE);
    };
    let filter = filter.with_options(Options::default().case_sensitive(args.case_sensitive));
    let collection = filter
        .entity_format()
        .map_err(|e| e.to_string())?
        .collection()
        .to_owned();

    // 2. Every input, one record at a time.
    let stdin = [PathBuf::from("-")];
    let files = if args.files.is_empty() {
        &stdin[..]
    } else {
        &args.files[..]
    };
    let bytes = Rc::new(Cell::new(0u64));
    let mut progress = Progress::new(!args.quiet && io::stderr().is_terminal(), Rc::clone(&bytes));
    let mut tally = Tally {
        records: 0,
        matched: 0,
        skipped: 0,
        skipped_at: Vec::new(),
        broken: Vec::new(),
    };
    let terminal = io::stdout().is_terminal();
    let mut out = io::BufWriter::with_capacity(256 << 10, io::stdout().lock());
    let mut line = Vec::new();
    let mut status = OK;
    'files: for path in files {
        let (name, reader): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
            ("<stdin>".to_owned(), Box::new(io::stdin().lock()))
        } else {
            let name = output::printable(&path.display().to_string()).into_owned();
            match File::open(path) {
                Ok(f) => (name, Box::new(f)),
                Err(e) => {
                    progress.clear();
                    errln!("emfilter: cannot read `{name}`: {e}");
                    tally.broken.push((name, e.to_string()));
                    status = FAILED;
                    continue;
                }
            }
        };
        let reader = Counting {
            inner: reader,
            bytes: Rc::clone(&bytes),
        };
        let result = stream::for_each_record(reader, &collection, |item| {
            tally.records += 1;
            progress.tick(tally.records);
            let (location, json) = match item {
                Ok(r) => (r.location, r.json),
                Err(u) => {
                    return unreadable(
                        args,
                        &mut progress,
                        &mut tally,
                        &name,
                        u.location,
                        &u.message,
                    )
                }
            };
            match filter.matches_json(json) {
                Ok(true) => {
                    tally.matched += 1;
                    if !args.count {
                        let json = if location.in_document() {
                            line.clear();
                            emfilter::json::compact(json, &mut line);
                            &line[..]
                        } else {
                            json
                        };
                        // Fields holding control characters or bidirectional overrides reach a
                        // terminal escaped, a pipe byte for byte.
                        let written = if terminal {
                            out.write_all(&output::terminal_json(json))
                        } else {
                            out.write_all(json)
                        };
                        written.and_then(|()| out.write_all(b"\n")).map_err(|e| {
                            if crate::stdio::is_closed_pipe(&e) {
                                Stop::Closed
                            } else {
                                Stop::Write(e)
                            }
                        })?;
                    }
                    Ok(())
                }
                Ok(false) => Ok(()),
                Err(e) => {
                    let message = describe(&e, location);
                    unreadable(args, &mut progress, &mut tally, &name, location, &message)
                }
            }
        });
        progress.clear();
        let why = match result {
            Ok(_) => continue,
            Err(StreamError::Stopped(Stop::Invalid)) => {
                status = FAILED;
                break 'files;
            }
            Err(StreamError::Stopped(Stop::Closed)) => return Ok(status),
            Err(StreamError::Stopped(Stop::Write(e))) => {
                return Err(format!("cannot write the output: {e}"));
            }
            Err(e) => broken(&e, &name, &collection),
        };
        // A file that cannot be read to its end: the records before the break were read. With
        // --skip-invalid the files after it are still read; the status is 1 either way.
        status = FAILED;
        if args.skip_invalid {
            errln!("emfilter: error: {why}; the rest of it is skipped");
            tally.broken.push((name, why));
        } else {
            errln!("emfilter: error: {why}");
            break 'files;
        }
    }
    if let Err(e) = out.flush() {
        crate::stdio::write_failed(e)?;
        return Ok(status);
    }
    drop(out);
    if status == OK && args.count {
        outln!("{}", tally.matched)?;
    }
    if tally.skipped > 0 || (args.skip_invalid && !tally.broken.is_empty()) {
        errln!("{}", skipped_summary(&tally));
    }
    Ok(status)
}

/// Why a file could not be read to its end, in words, with where.
pub fn broken<S>(e: &StreamError<S>, name: &str, collection: &str) -> String {
    match e {
        StreamError::Io(e) => format!("cannot read `{name}`: {e}"),
        StreamError::Syntax {
            location: Some(at),
            line,
            column,
            message,
        } => format!(
            "{name}: the record at {at} is not well-formed JSON: {message} at line {line} \
             column {column}; nothing after it can be read"
        ),
        StreamError::Syntax {
            location: None,
            line,
            column,
            message,
        } => format!("{name}: not well-formed JSON: {message} at line {line} column {column}"),
        StreamError::NoCollection {
            document, others, ..
        } => {
            let which = if *document == 1 {
                "this JSON document".to_owned()
            } else {
                format!("JSON document {document} of it")
            };
            let mut message = format!(
                "{name}: {which} has no `{collection}` (the collection of {} records)",
                collection.strip_suffix('s').unwrap_or(collection)
            );
            if let Some(other) = others.first() {
                let _ = write!(message, "; it holds `{}`", other.escape_debug());
                if let Some(ty) = other.strip_suffix('s').and_then(emfilter::schema::builtin) {
                    let _ = write!(message, " (give `--type {}`)", ty.name());
                }
            }
            message
        }
        StreamError::Binary { offset } => format!(
            "{name}: a binary file, not JSON (a NUL byte at offset {offset}): nothing of it is read"
        ),
        // Handled by the caller.
        StreamError::Stopped(_) => format!("{name}: reading stopped"),
    }
}

/// `emfilter: skipped 3 unreadable records of 120 (a.json: line 3, line 9; b.json: index 4)
/// and the rest of 1 file (c.json)`.
fn skipped_summary(tally: &Tally) -> String {
    let mut line = format!(
        "emfilter: skipped {} unreadable record{} of {}",
        tally.skipped,
        output::plural(tally.skipped as usize),
        tally.records
    );
    if !tally.skipped_at.is_empty() {
        let files: Vec<String> = tally
            .skipped_at
            .iter()
            .map(|(file, at)| {
                let mut shown: Vec<&str> = at
                    .iter()
                    .take(LOCATIONS_SHOWN)
                    .map(String::as_str)
                    .collect();
                let more = at.len().saturating_sub(LOCATIONS_SHOWN);
                let more = format!("and {more} more");
                if at.len() > LOCATIONS_SHOWN {
                    shown.push(&more);
                }
                format!("{file}: {}", shown.join(", "))
            })
            .collect();
        let _ = write!(line, " ({})", files.join("; "));
    }
    if !tally.broken.is_empty() {
        let names: Vec<&str> = tally.broken.iter().map(|(f, _)| f.as_str()).collect();
        let _ = write!(
            line,
            ", and the rest of {} file{} that could not be read to {} end ({})",
            names.len(),
            output::plural(names.len()),
            if names.len() == 1 { "its" } else { "their" },
            names.join(", ")
        );
    }
    line
}

/// A record that cannot be read: a warning with `--skip-invalid`, else an error that stops.
fn unreadable(
    args: &EvalArgs,
    progress: &mut Progress,
    tally: &mut Tally,
    name: &str,
    location: Location,
    message: &str,
) -> Result<(), Stop> {
    progress.clear();
    let at = match location {
        Location::Line(n) => format!("{name}:{n}"),
        Location::Index(i) => format!("{name}: the record at index {i}"),
        Location::Document { document, index } => {
            format!("{name}: the record at index {index} of document {document}")
        }
    };
    if args.skip_invalid {
        errln!("emfilter: warning: {at}: skipped an unreadable record: {message}");
        tally.skip(name, location.to_string());
        Ok(())
    } else {
        errln!(
            "emfilter: error: {at}: cannot read the record: {message} (--skip-invalid skips such \
             records)"
        );
        Err(Stop::Invalid)
    }
}

/// What is wrong with a record, with the column within its line for JSON lines.
fn describe(e: &MatchError, location: Location) -> String {
    match e {
        MatchError::Unreadable(e) => describe_read(e, location),
        // Ruled out before anything is read (`entity_format` above).
        other => other.to_string(),
    }
}

fn describe_read(e: &ReadError, location: Location) -> String {
    match location {
        Location::Line(_) if e.column() > 0 => format!("{} (column {})", e.message(), e.column()),
        _ => e.message(),
    }
}

/// Counts the bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    bytes: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.set(self.bytes.get() + n as u64);
        Ok(n)
    }
}

/// One status line on standard error, redrawn a few times a second: records, records per
/// second, bytes read and their rate. Hand-written: one line needs no progress-bar crate.
struct Progress {
    enabled: bool,
    start: Instant,
    last: Instant,
    shown: bool,
    bytes: Rc<Cell<u64>>,
}

impl Progress {
    const EVERY: Duration = Duration::from_millis(200);

    fn new(enabled: bool, bytes: Rc<Cell<u64>>) -> Progress {
        let now = Instant::now();
        Progress {
            enabled,
            start: now,
            last: now,
            shown: false,
            bytes,
        }
    }

    #[inline]
    fn tick(&mut self, records: u64) {
        // The clock is read once every 4096 records.
        if !self.enabled || records % 4096 != 0 {
            return;
        }
        let now = Instant::now();
        if now.duration_since(self.last) < Self::EVERY {
            return;
        }
        self.last = now;
        let secs = now.duration_since(self.start).as_secs_f64().max(1e-9);
        let bytes = self.bytes.get() as f64;
        let mut err = io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K{records} records, {:.0} records/s, {:.1} MB read, {:.1} MB/s",
            records as f64 / secs,
            bytes / 1e6,
            bytes / 1e6 / secs
        );
        let _ = err.flush();
        self.shown = true;
    }

    /// Clears the line, before anything else is written to standard error.
    fn clear(&mut self) {
        if self.shown {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
            self.shown = false;
        }
    }
}
