//! Reading records from a stream without holding it whole: JSON lines, or one JSON document (a
//! plain array, EM's flat `{"ReplicaJobSessions":[…]}`, or a query result with the twice-nested
//! `Entities.ReplicaJobSessions.ReplicaJobSessions[…]`), recognised from how the input starts.
//!
//! Memory stays bounded by the longest record: a line is handed over from the reader's buffer
//! (or one reused buffer when it spans two reads), and a document is scanned for its structure
//! down to the collection's array, each element gathered into one reused buffer, handed over as
//! raw JSON text, and dropped.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use serde::de::IgnoredAny;

use crate::json::strip_bom;

/// The longest line read as one record of JSON lines (64 MiB).
///
/// A longer line is handed over as [`Unreadable`], never held whole.
///
/// ```
/// assert_eq!(emfilter::eval::stream::MAX_LINE, 64 * 1024 * 1024);
/// ```
pub const MAX_LINE: usize = 64 << 20;

/// How far the first line is read to tell JSON lines from a document (1 MiB).
const PROBE: usize = 1 << 20;

/// Where a record stands in its input.
///
/// ```
/// use emfilter::eval::stream::Location;
///
/// assert_eq!(Location::Line(3).to_string(), "line 3");
/// assert_eq!(Location::Index(0).to_string(), "index 0");
/// let later = Location::Document { document: 2, index: 5 };
/// assert_eq!(later.to_string(), "document 2, index 5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The line (1-based) of JSON lines.
    Line(u64),
    /// The index (0-based) in the array of a document.
    Index(u64),
    /// The index (0-based) in the array of a later document of the input, when it holds several
    /// one after the other (saved pages of a query result): `document` counts from 2.
    Document {
        /// Which document, from 2 (the first document's records are [`Location::Index`]).
        document: u64,
        /// The index (0-based) in its array.
        index: u64,
    },
}

impl Location {
    /// Whether the record stands in a JSON document (not on a line of its own).
    ///
    /// ```
    /// use emfilter::eval::stream::Location;
    ///
    /// assert!(Location::Index(0).in_document());
    /// assert!(!Location::Line(1).in_document());
    /// ```
    pub fn in_document(self) -> bool {
        !matches!(self, Location::Line(_))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Index(i) => write!(f, "index {i}"),
            Location::Document { document, index } => {
                write!(f, "document {document}, index {index}")
            }
        }
    }
}

/// How an input is laid out, as [`for_each_record`] found it.
///
/// ```
/// use emfilter::eval::stream::{for_each_record, Shape};
///
/// let lines = "{\"Result\":\"Success\"}\n{\"Result\":\"Failed\"}\n";
/// let shape = for_each_record(lines.as_bytes(), "ReplicaJobSessions", |_| Ok::<_, ()>(()));
/// assert_eq!(shape.unwrap(), Shape::JsonLines);
///
/// let document = "{\"ReplicaJobSessions\": [{\"Result\": \"Success\"}]}";
/// let shape = for_each_record(document.as_bytes(), "ReplicaJobSessions", |_| Ok::<_, ()>(()));
/// assert_eq!(shape.unwrap(), Shape::Document);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One record a line.
    JsonLines,
    /// One JSON document: an array, or an object holding the collection.
    Document,
}

/// One record as it stands in the input.
///
/// ```
/// use emfilter::eval::stream::{for_each_record, Location};
///
/// let input = "[{\"Result\": \"Success\"},\n {\"Result\": \"Failed\"}]";
/// let mut seen = Vec::new();
/// for_each_record(input.as_bytes(), "ReplicaJobSessions", |item| {
///     let record = item.expect("short records are readable");
///     seen.push((record.location, String::from_utf8_lossy(record.json).into_owned()));
///     Ok::<_, ()>(())
/// })
/// .unwrap();
/// assert_eq!(seen[1], (Location::Index(1), "{\"Result\": \"Failed\"}".to_owned()));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct RawRecord<'a> {
    /// Where it stands.
    pub location: Location,
    /// Its JSON text: a whole line (without the line break), or an element of a document as
    /// written there (possibly over several lines).
    pub json: &'a [u8],
}

/// A record that cannot even be handed over as JSON text: a line or an element longer than
/// [`MAX_LINE`] (skipped, never held whole).
///
/// ```
/// use emfilter::eval::stream::{for_each_record, Location, MAX_LINE};
///
/// // One line longer than the limit between two short ones: the reading goes on past it.
/// let mut input = b"{}\n".to_vec();
/// input.extend(std::iter::repeat(b' ').take(MAX_LINE + 1));
/// input.extend_from_slice(b"\n{}\n");
/// let mut unreadable = Vec::new();
/// let mut read = 0;
/// for_each_record(&input[..], "ReplicaJobSessions", |item| {
///     match item {
///         Ok(_) => read += 1,
///         Err(skipped) => unreadable.push(skipped.location),
///     }
///     Ok::<_, ()>(())
/// })
/// .unwrap();
/// assert_eq!((read, unreadable), (2, vec![Location::Line(2)]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Where it stands.
    pub location: Location,
    /// Why it cannot be read.
    pub message: String,
}

/// Why a stream could not be read to its end.
///
/// ```
/// use emfilter::eval::stream::{for_each_record, Location, StreamError};
///
/// let input = "[{\"Result\": \"Success\"} {\"Result\": \"Failed\"}]";
/// match for_each_record(input.as_bytes(), "ReplicaJobSessions", |_| Ok::<_, ()>(())) {
///     Err(StreamError::Syntax { location, line, column, message }) => {
///         assert_eq!(location, Some(Location::Index(0)));
///         assert_eq!((line, column), (1, 24));
///         assert_eq!(message, "expected `,` or `]`");
///     }
///     other => panic!("{other:?}"),
/// }
///
/// // The callback's own error stops the reading and comes back as it was.
/// let stopped = for_each_record("{}\n{}\n".as_bytes(), "ReplicaJobSessions", |_| Err("enough"));
/// assert!(matches!(stopped, Err(StreamError::Stopped("enough"))));
/// ```
#[derive(Debug)]
pub enum StreamError<E> {
    /// Reading failed.
    Io(io::Error),
    /// A document is not well-formed JSON (or not of a known shape) from here on: what comes
    /// after cannot be read. `location` is the record being read, when in the collection.
    Syntax {
        /// The record being read, if any.
        location: Option<Location>,
        /// The line (1-based) of the input where reading stopped.
        line: u64,
        /// The column (1-based, in bytes) of that line where reading stopped.
        column: u64,
        /// What is wrong, in words, without the position.
        message: String,
    },
    /// A document without the collection: `others` are the non-null collections it has.
    NoCollection {
        /// Which document of the input (from 1: several may stand one after the other).
        document: u64,
        /// The collection looked for.
        collection: String,
        /// The non-null collections of the query result's `Entities`.
        others: Vec<String>,
    },
    /// The input holds a NUL byte before its first record: a binary file, not JSON. Nothing
    /// of it is read.
    Binary {
        /// The byte offset of the first NUL.
        offset: u64,
    },
    /// The callback stopped the reading.
    Stopped(E),
}

/// What the callback is given: a record's text, or why there is none.
///
/// ```
/// use emfilter::eval::stream::{for_each_record, Item};
///
/// fn count(item: Item<'_>, n: &mut usize) -> Result<(), ()> {
///     if item.is_ok() {
///         *n += 1;
///     }
///     Ok(())
/// }
/// let mut n = 0;
/// for_each_record("{}\n{}\n".as_bytes(), "ReplicaJobSessions", |item| count(item, &mut n)).unwrap();
/// assert_eq!(n, 2);
/// ```
pub type Item<'a> = Result<RawRecord<'a>, Unreadable>;

/// Reads every record of `collection` (`ReplicaJobSessions`) from `reader`, in order, handing
/// each to `visit`; returns the shape found. An `Err` from `visit` stops the reading.
///
/// The records are raw JSON text; [`Filter::matches_json`](crate::Filter::matches_json) reads
/// and evaluates one:
///
/// ```
/// use emfilter::eval::stream::for_each_record;
/// use emfilter::schema::REPLICA_JOB_SESSION;
///
/// let filter = emfilter::compile("Result==Failed", &REPLICA_JOB_SESSION).unwrap();
/// let page = r#"{"Entities": {"ReplicaJobSessions": {"ReplicaJobSessions": [
///     {"Name": "a", "Result": "Success"},
///     {"Name": "b", "Result": "Failed"}
/// ]}}}"#;
/// let mut failed = 0;
/// for_each_record(page.as_bytes(), "ReplicaJobSessions", |item| {
///     let record = item.map_err(|e| e.message)?;
///     if filter.matches_json(record.json).map_err(|e| e.to_string())? {
///         failed += 1;
///     }
///     Ok::<_, String>(())
/// })
/// .unwrap();
/// assert_eq!(failed, 1);
/// ```
pub fn for_each_record<R, F, E>(
    reader: R,
    collection: &str,
    mut visit: F,
) -> Result<Shape, StreamError<E>>
where
    R: Read,
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    let mut reader = BufReader::with_capacity(256 << 10, reader);
    let mut head = Vec::new();
    let mut line_no = 0u64;
    // Bytes read before the first line that is not blank (for the offset of a NUL byte).
    let mut offset = 0u64;
    // The first line that is not blank decides. Blank lines before it are counted, not kept
    // (`yes '' | emfilter eval` runs in the memory of one line).
    let complete = loop {
        head.clear();
        let end = read_line(&mut reader, &mut head, PROBE).map_err(StreamError::Io)?;
        if let Some(at) = memchr::memchr(0, &head) {
            return Err(StreamError::Binary {
                offset: offset + at as u64,
            });
        }
        line_no += 1;
        match end {
            LineEnd::Eof => return Ok(Shape::JsonLines),
            LineEnd::Capped => break false,
            LineEnd::Line => {
                let first_line = line_no == 1;
                let line = if first_line { strip_bom(&head) } else { &head };
                if !line.iter().all(u8::is_ascii_whitespace) {
                    break true;
                }
                offset += head.len() as u64;
            }
        }
    };
    // A byte-order mark counts only at the very start.
    if line_no == 1 {
        let bom = head.len() - strip_bom(&head).len();
        head.drain(..bom);
    }
    if detect(&head, complete, collection) == Shape::Document {
        let chained = BufReader::with_capacity(256 << 10, Cursor::new(head).chain(reader));
        document(chained, line_no, collection, &mut visit)?;
        return Ok(Shape::Document);
    }
    // JSON lines: the first record (read to its end when the probe did not reach it), then the
    // rest.
    let first = if complete {
        Ok(())
    } else {
        match read_line(&mut reader, &mut head, MAX_LINE - PROBE).map_err(StreamError::Io)? {
            LineEnd::Capped => {
                skip_line(&mut reader).map_err(StreamError::Io)?;
                Err(too_long(line_no))
            }
            LineEnd::Eof | LineEnd::Line => Ok(()),
        }
    };
    let item = match first {
        Ok(()) => Ok(RawRecord {
            location: Location::Line(line_no),
            json: trim_line(&head),
        }),
        Err(u) => Err(u),
    };
    visit(item).map_err(StreamError::Stopped)?;
    drop(head);
    let mut buf = Vec::with_capacity(4096);
    loop {
        // A line whole in the reader's buffer is handed over from there, without a copy.
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(StreamError::Io(e)),
        };
        if let Some(i) = memchr::memchr(b'\n', available) {
            line_no += 1;
            let line = trim_line(&available[..i]);
            let result = if line.iter().all(u8::is_ascii_whitespace) {
                Ok(())
            } else {
                visit(Ok(RawRecord {
                    location: Location::Line(line_no),
                    json: line,
                }))
            };
            reader.consume(i + 1);
            result.map_err(StreamError::Stopped)?;
            continue;
        }
        buf.clear();
        let end = read_line(&mut reader, &mut buf, MAX_LINE).map_err(StreamError::Io)?;
        line_no += 1;
        let location = Location::Line(line_no);
        match end {
            LineEnd::Eof => return Ok(Shape::JsonLines),
            LineEnd::Capped => {
                skip_line(&mut reader).map_err(StreamError::Io)?;
                visit(Err(too_long(line_no))).map_err(StreamError::Stopped)?;
            }
            LineEnd::Line => {
                let line = trim_line(&buf);
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                visit(Ok(RawRecord {
                    location,
                    json: line,
                }))
                .map_err(StreamError::Stopped)?;
            }
        }
    }
}

/// A line of JSON lines longer than [`MAX_LINE`]: skipped, never held whole.
fn too_long(line: u64) -> Unreadable {
    Unreadable {
        location: Location::Line(line),
        message: format!("the line is longer than {} MiB", MAX_LINE >> 20),
    }
}

/// A line without its line break.
fn trim_line(b: &[u8]) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    b.strip_suffix(b"\r").unwrap_or(b)
}

enum LineEnd {
    /// Nothing more.
    Eof,
    /// A line (with its `\n`, unless the input ended without one).
    Line,
    /// `cap` bytes read and no line break yet.
    Capped,
}

/// Appends the next line to `buf`, or at most `cap` bytes of it.
fn read_line(r: &mut impl BufRead, buf: &mut Vec<u8>, cap: usize) -> io::Result<LineEnd> {
    let mut any = false;
    let mut taken = 0;
    loop {
        let available = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(if any { LineEnd::Line } else { LineEnd::Eof });
        }
        any = true;
        let room = cap - taken;
        let (n, done) = match memchr::memchr(b'\n', available) {
            Some(i) if i < room => (i + 1, true),
            _ => (available.len().min(room), false),
        };
        buf.extend_from_slice(&available[..n]);
        r.consume(n);
        taken += n;
        if done {
            return Ok(LineEnd::Line);
        }
        if taken == cap {
            return Ok(LineEnd::Capped);
        }
    }
}

/// Skips to just after the next line break.
fn skip_line(r: &mut impl BufRead) -> io::Result<()> {
    loop {
        let available = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(());
        }
        match memchr::memchr(b'\n', available) {
            Some(i) => {
                r.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = available.len();
                r.consume(n);
            }
        }
    }
}

/// Keys that only a query result or a collection has at its top, never an entity; in any case
/// (EM's own JSON reader, Json.NET, takes member names without regard to case).
fn is_wrapper_key(key: &str, collection: &str) -> bool {
    ["Entities", "Refs", "Resources", "PagingInfo", collection]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// Whether `key` names `want` (a wrapper's member), in any case.
fn names(key: &str, want: &str) -> bool {
    key.eq_ignore_ascii_case(want)
}

/// The shape of an input whose first line that is not blank is `first` (`complete` when it
/// was read whole).
fn detect(first: &[u8], complete: bool, collection: &str) -> Shape {
    let t = first.trim_ascii();
    match t.first() {
        Some(b'[') => Shape::Document,
        // The probe did not reach the end of the line: one long record of JSON lines, or a
        // whole document on one line, told apart by the first key.
        Some(b'{') if !complete => match first_key(t) {
            Some(k) if !is_wrapper_key(k, collection) => Shape::JsonLines,
            _ => Shape::Document,
        },
        Some(b'{') => match serde_json::from_slice::<BTreeMap<String, IgnoredAny>>(t) {
            Ok(keys) if keys.keys().any(|k| is_wrapper_key(k, collection)) => Shape::Document,
            Ok(_) => Shape::JsonLines,
            // Not a whole object on its line: a document opening (`{`, or `{"Refs": null,`),
            // or a broken record of JSON lines, to be reported as such.
            Err(_) => match first_key(t) {
                None => Shape::Document,
                Some(k) if is_wrapper_key(k, collection) => Shape::Document,
                Some(_) => Shape::JsonLines,
            },
        },
        _ => Shape::JsonLines,
    }
}

/// The first key of an object's text, if it starts with one (escapes are not read).
fn first_key(t: &[u8]) -> Option<&str> {
    let rest = t.strip_prefix(b"{")?.trim_ascii_start();
    let rest = rest.strip_prefix(b"\"")?;
    let end = memchr::memchr(b'"', rest)?;
    std::str::from_utf8(&rest[..end]).ok()
}

/// Reads one JSON document, handing over each element of the collection's array as its raw
/// text. The document around the collection is only scanned for its structure (the members
/// that are not the collection are skipped, not checked); each element is checked when it is
/// read as a record.
fn document<R, F, E>(
    reader: R,
    line: u64,
    collection: &str,
    visit: &mut F,
) -> Result<(), StreamError<E>>
where
    R: BufRead,
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    let mut doc = Doc {
        r: reader,
        line,
        column: 0,
        collection,
        found: false,
        others: Vec::new(),
        handed: 0,
        document: 1,
        buf: Vec::new(),
        oversized: false,
    };
    match doc.top(visit) {
        Ok(()) => Ok(()),
        Err(Broken::Io(e)) => Err(StreamError::Io(e)),
        Err(Broken::Stopped(e)) => Err(StreamError::Stopped(e)),
        Err(Broken::Syntax(location, message)) => Err(StreamError::Syntax {
            location,
            line: doc.line,
            column: doc.column,
            message,
        }),
        Err(Broken::NoCollection(document)) => Err(StreamError::NoCollection {
            document,
            collection: collection.to_owned(),
            others: doc.others,
        }),
    }
}

enum Broken<E> {
    Io(io::Error),
    Stopped(E),
    /// The record being read, if any, and what is wrong.
    Syntax(Option<Location>, String),
    /// This document (from 1) has no collection.
    NoCollection(u64),
}

struct Doc<'c, R> {
    r: R,
    /// Where the next byte is: its line (1-based), and the bytes before it on that line.
    line: u64,
    column: u64,
    collection: &'c str,
    found: bool,
    others: Vec<String>,
    handed: u64,
    /// Which document of the input is being read, from 1.
    document: u64,
    /// The element being read.
    buf: Vec<u8>,
    /// Whether the value just read was longer than [`MAX_LINE`] (then `buf` was not filled).
    oversized: bool,
}

type Step<T, E> = Result<T, Broken<E>>;

impl<R: BufRead> Doc<'_, R> {
    /// Takes `n` bytes of the buffer, keeping the line and column.
    fn consume(&mut self, n: usize, keep: bool) {
        if let Ok(b) = self.r.fill_buf() {
            let taken = &b[..n.min(b.len())];
            match memchr::memrchr(b'\n', taken) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', taken).count() as u64;
                    self.column = (taken.len() - last - 1) as u64;
                }
                None => self.column += taken.len() as u64,
            }
            if keep {
                self.buf.extend_from_slice(taken);
            }
        }
        self.r.consume(n);
    }

    fn skip_ws<E>(&mut self) -> Step<Option<u8>, E> {
        loop {
            let b = match self.r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Broken::Io(e)),
            };
            match b.iter().position(|c| !c.is_ascii_whitespace()) {
                Some(i) => {
                    let next = b[i];
                    self.consume(i, false);
                    return Ok(Some(next));
                }
                None if b.is_empty() => return Ok(None),
                None => {
                    let n = b.len();
                    self.consume(n, false);
                }
            }
        }
    }

    fn syntax<T, E>(&self, at: Option<Location>, what: &str) -> Step<T, E> {
        Err(Broken::Syntax(at, what.to_owned()))
    }

    /// The byte just peeked is wrong: taken, so that the position points at it.
    fn bad<T, E>(&mut self, at: Option<Location>, what: &str) -> Step<T, E> {
        self.consume(1, false);
        self.syntax(at, what)
    }

    /// Takes `want` after whitespace.
    fn expect<E>(&mut self, want: u8, at: Option<Location>) -> Step<(), E> {
        match self.skip_ws()? {
            Some(c) if c == want => {
                self.consume(1, false);
                Ok(())
            }
            Some(_) => self.bad(at, &format!("expected `{}`", want as char)),
            None => self.syntax(at, "EOF while parsing"),
        }
    }

    /// Skips one value, or appends it to `buf` with `keep`. `at`: the record, for messages.
    fn value<E>(&mut self, keep: bool, at: Option<Location>) -> Step<(), E> {
        let first = match self.skip_ws()? {
            Some(c) => c,
            None => return self.syntax(at, "EOF while parsing a value"),
        };
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        let mut keep = keep;
        self.oversized = false;
        loop {
            let b = match self.r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Broken::Io(e)),
            };
            if b.is_empty() {
                if scalar && depth == 0 {
                    return Ok(());
                }
                return self.syntax(at, "EOF while parsing");
            }
            let mut i = 0;
            let mut done = false;
            while i < b.len() {
                let c = b[i];
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if c == b'\\' {
                        escaped = true;
                    } else if c == b'"' {
                        in_string = false;
                        if depth == 0 {
                            i += 1;
                            done = true;
                            break;
                        }
                    } else {
                        // Jump to the next quote or backslash.
                        match memchr::memchr2(b'"', b'\\', &b[i..]) {
                            Some(k) => {
                                i += k;
                                continue;
                            }
                            None => {
                                i = b.len();
                                continue;
                            }
                        }
                    }
                } else if scalar {
                    if matches!(c, b',' | b']' | b'}') || c.is_ascii_whitespace() {
                        done = true;
                        break;
                    }
                } else {
                    match c {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            if depth == 0 {
                                self.consume(i + 1, false);
                                return self.syntax(at, "unbalanced `}` or `]`");
                            }
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                done = true;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                i += 1;
            }
            if keep && self.buf.len() + i > MAX_LINE {
                // Too long to hold: the rest is scanned, not kept, and the record reported.
                keep = false;
                self.oversized = true;
                self.buf = Vec::new();
            }
            self.consume(i, keep);
            if done {
                return Ok(());
            }
        }
    }

    /// A string (an object's key), decoded.
    fn key<E>(&mut self) -> Step<String, E> {
        self.buf.clear();
        self.value(true, None)?;
        match serde_json::from_slice::<String>(&self.buf) {
            Ok(k) => Ok(k),
            Err(_) => self.syntax(None, "expected a string key"),
        }
    }

    /// The members of an object whose `{` was taken, each handed to `member` with its key.
    fn members<E>(
        &mut self,
        member: &mut dyn FnMut(&mut Self, String) -> Step<(), E>,
    ) -> Step<(), E> {
        if self.skip_ws()? == Some(b'}') {
            self.consume(1, false);
            return Ok(());
        }
        loop {
            if self.skip_ws()? != Some(b'"') {
                return self.bad(None, "expected a key");
            }
            let key = self.key()?;
            self.expect(b':', None)?;
            member(self, key)?;
            match self.skip_ws()? {
                Some(b',') => self.consume(1, false),
                Some(b'}') => {
                    self.consume(1, false);
                    return Ok(());
                }
                Some(_) => return self.bad(None, "expected `,` or `}`"),
                None => return self.syntax(None, "EOF while parsing an object"),
            }
        }
    }

    /// Whether the next value is `null` (then taken).
    fn null<E>(&mut self) -> Step<bool, E> {
        if self.skip_ws()? != Some(b'n') {
            return Ok(false);
        }
        self.buf.clear();
        self.value(true, None)?;
        if self.buf != b"null" {
            return self.syntax(None, "expected a value");
        }
        Ok(true)
    }

    /// Every document of the input: one, or several one after the other (pages of a query
    /// result saved to one file, as `jq` reads concatenated JSON).
    fn top<F, E>(&mut self, visit: &mut F) -> Step<(), E>
    where
        F: FnMut(Item<'_>) -> Result<(), E>,
    {
        loop {
            self.found = false;
            self.handed = 0;
            self.others.clear();
            self.one(visit)?;
            // A query result of another type has this collection null, and another one not.
            if !self.found || (self.handed == 0 && !self.others.is_empty()) {
                return Err(Broken::NoCollection(self.document));
            }
            match self.skip_ws()? {
                None => return Ok(()),
                Some(b'[' | b'{') => self.document += 1,
                Some(_) => return self.bad(None, "trailing characters"),
            }
        }
    }

    /// Where element `index` of the current document stands.
    fn at(&self, index: u64) -> Location {
        match self.document {
            1 => Location::Index(index),
            document => Location::Document { document, index },
        }
    }

    fn one<F, E>(&mut self, visit: &mut F) -> Step<(), E>
    where
        F: FnMut(Item<'_>) -> Result<(), E>,
    {
        match self.skip_ws()? {
            Some(b'[') => {
                self.consume(1, false);
                self.found = true;
                self.elements(visit)?;
            }
            Some(b'{') => {
                self.consume(1, false);
                let collection = self.collection;
                self.members(&mut |d, key| {
                    if names(&key, "Entities") {
                        d.entities(visit)
                    } else if names(&key, collection) {
                        d.collection(visit)
                    } else {
                        d.value(false, None)
                    }
                })?;
            }
            Some(_) => return self.bad(None, "expected an array or an object"),
            None => return self.syntax(None, "EOF while parsing"),
        }
        Ok(())
    }

    /// A query result's `Entities`: one member per collection, all null but one.
    fn entities<F, E>(&mut self, visit: &mut F) -> Step<(), E>
    where
        F: FnMut(Item<'_>) -> Result<(), E>,
    {
        if self.null()? {
            return Ok(());
        }
        self.expect(b'{', None)?;
        let collection = self.collection;
        self.members(&mut |d, key| {
            if names(&key, collection) {
                d.collection(visit)
            } else if d.null()? {
                Ok(())
            } else {
                d.others.push(key);
                d.value(false, None)
            }
        })
    }

    /// The collection: its array, null, or an object holding the array under the collection's
    /// name again (a query result's twice-nested form).
    fn collection<F, E>(&mut self, visit: &mut F) -> Step<(), E>
    where
        F: FnMut(Item<'_>) -> Result<(), E>,
    {
        self.found = true;
        if self.null()? {
            return Ok(());
        }
        match self.skip_ws()? {
            Some(b'[') => {
                self.consume(1, false);
                self.elements(visit)
            }
            Some(b'{') => {
                self.consume(1, false);
                let collection = self.collection;
                self.members(&mut |d, key| {
                    if names(&key, collection) {
                        d.collection(visit)
                    } else {
                        d.value(false, None)
                    }
                })
            }
            Some(_) => self.bad(None, "expected an array of records"),
            None => self.syntax(None, "EOF while parsing"),
        }
    }

    /// The elements of the collection's array, whose `[` was taken.
    fn elements<F, E>(&mut self, visit: &mut F) -> Step<(), E>
    where
        F: FnMut(Item<'_>) -> Result<(), E>,
    {
        if self.skip_ws()? == Some(b']') {
            self.consume(1, false);
            return Ok(());
        }
        let mut index = 0u64;
        loop {
            let at = Some(self.at(index));
            self.buf.clear();
            self.value(true, at)?;
            let item = if self.oversized {
                Err(Unreadable {
                    location: self.at(index),
                    message: format!("the record is longer than {} MiB", MAX_LINE >> 20),
                })
            } else {
                Ok(RawRecord {
                    location: self.at(index),
                    json: &self.buf,
                })
            };
            visit(item).map_err(Broken::Stopped)?;
            self.handed += 1;
            index += 1;
            match self.skip_ws()? {
                Some(b',') => self.consume(1, false),
                Some(b']') => {
                    self.consume(1, false);
                    return Ok(());
                }
                Some(_) => return self.bad(at, "expected `,` or `]`"),
                None => return self.syntax(Some(self.at(index)), "EOF while parsing"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(input: &str) -> (Shape, Vec<(Location, String)>) {
        let mut seen = Vec::new();
        let shape = for_each_record(input.as_bytes(), "ReplicaJobSessions", |item| {
            let r = item.map_err(|u| u.message)?;
            seen.push((r.location, String::from_utf8_lossy(r.json).into_owned()));
            Ok::<(), String>(())
        })
        .map_err(|e| format!("{e:?}"))
        .unwrap();
        (shape, seen)
    }

    #[test]
    fn every_shape_is_recognised() {
        let (s, r) = shapes("\u{feff}{\"a\":1}\r\n\n{\"a\":2}");
        assert_eq!(s, Shape::JsonLines);
        assert_eq!(
            r,
            [
                (Location::Line(1), "{\"a\":1}".to_owned()),
                (Location::Line(3), "{\"a\":2}".to_owned())
            ]
        );
        let (s, r) = shapes("[\n {\"a\":1},\n {\"a\": 2}\n]\n");
        assert_eq!(s, Shape::Document);
        assert_eq!(r[1], (Location::Index(1), "{\"a\": 2}".to_owned()));
        let (s, r) = shapes("{\"ReplicaJobSessions\":[{\"a\":1}]}");
        assert_eq!((s, r.len()), (Shape::Document, 1));
        let (s, r) = shapes(
            "{\"Refs\": null,\n \"Entities\": {\"Jobs\": null, \"ReplicaJobSessions\": \
             {\"ReplicaJobSessions\": [{\"a\":1}, {\"a\":2}]}}}",
        );
        assert_eq!((s, r.len()), (Shape::Document, 2));
        let (s, r) = shapes("");
        assert_eq!((s, r.len()), (Shape::JsonLines, 0));
    }

    #[test]
    fn documents_hand_over_each_element_as_written() {
        let (_, r) = shapes("[]");
        assert!(r.is_empty());
        let (_, r) = shapes("{\"ReplicaJobSessions\": [ ]}");
        assert!(r.is_empty());
        // Brackets, braces, quotes and backslashes inside strings; scalars as elements.
        let (_, r) = shapes(
            "{\"Refs\": null, \"Links\": [{\"a\": \"]}\"}], \"Replica\\u004aob\": 1,\n \
             \"ReplicaJobSessions\": [{\"k\": \"x\\\"]}{[\\\\\", \"n\": [1, {}]}, 12 ,null,\"s\"]}",
        );
        let texts: Vec<&str> = r.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "{\"k\": \"x\\\"]}{[\\\\\", \"n\": [1, {}]}",
                "12",
                "null",
                "\"s\""
            ]
        );
        assert_eq!(r[3].0, Location::Index(3));
    }

    #[test]
    fn broken_documents_say_where() {
        let broken = |input: &str| -> String {
            let result =
                for_each_record(input.as_bytes(), "ReplicaJobSessions", |_| Ok::<(), ()>(()));
            match result {
                Err(StreamError::Syntax {
                    location,
                    line,
                    column,
                    message,
                }) => {
                    format!("{location:?}: {message} at line {line} column {column}")
                }
                Err(StreamError::NoCollection { others, .. }) => format!("none; {others:?}"),
                other => format!("{other:?}"),
            }
        };
        assert_eq!(
            broken("[{\"a\": 1},\n {\"a\": "),
            "Some(Index(1)): EOF while parsing at line 2 column 7"
        );
        assert_eq!(
            broken("[{\"a\": 1} {\"a\": 2}]"),
            "Some(Index(0)): expected `,` or `]` at line 1 column 11"
        );
        assert_eq!(
            broken("[1] x"),
            "None: trailing characters at line 1 column 5"
        );
        assert_eq!(
            broken("{\"Entities\": {\"Jobs\": [1]}}"),
            "none; [\"Jobs\"]"
        );
        assert_eq!(broken("{\"Refs\": null}"), "none; []");
        // A second document that breaks off says which document.
        assert_eq!(
            broken("[{\"a\": 1}]\n[{\"a\": 1},\n {\"a\": "),
            "Some(Document { document: 2, index: 1 }): EOF while parsing at line 3 column 7"
        );
        assert_eq!(
            broken("[1]\n[2] x"),
            "None: trailing characters at line 2 column 5"
        );
    }

    /// What reading `input` gives: each record or unreadable record, then how it ended.
    fn events(input: &[u8]) -> Vec<String> {
        let mut seen = Vec::new();
        let end = for_each_record(input, "ReplicaJobSessions", |item| {
            seen.push(match item {
                Ok(r) => format!("{}: {}", r.location, String::from_utf8_lossy(r.json)),
                Err(u) => format!("{}: unreadable: {}", u.location, u.message),
            });
            Ok::<(), ()>(())
        });
        seen.push(match end {
            Ok(shape) => format!("{shape:?}"),
            Err(StreamError::NoCollection {
                document, others, ..
            }) => format!("document {document} has no collection; {others:?}"),
            Err(e) => format!("{e:?}"),
        });
        seen
    }

    #[test]
    fn leading_blank_lines_are_counted_not_kept() {
        let mut input = "\n \r\n\t\n".repeat(1000).into_bytes();
        input.extend_from_slice(b"{\"a\":1}\n\n{\"a\":2}\n");
        assert_eq!(
            events(&input),
            ["line 3001: {\"a\":1}", "line 3003: {\"a\":2}", "JsonLines"]
        );
        // A document after blank lines says where it breaks in the input's own lines.
        let mut input = "\n".repeat(10).into_bytes();
        input.extend_from_slice(b"[{\"a\": 1},\n {\"a\": ");
        let last = events(&input).pop().unwrap();
        assert!(last.contains("line: 12, column: 7"), "{last}");
        // Only blank lines: nothing, and no error.
        assert_eq!(events(&b"\n".repeat(100_000)), ["JsonLines"]);
        // A byte-order mark on a blank first line.
        assert_eq!(
            events(b"\xEF\xBB\xBF\n[{\"a\":1}]"),
            ["index 0: {\"a\":1}", "Document"]
        );
    }

    #[test]
    fn a_first_record_longer_than_the_probe_is_still_json_lines() {
        let long = format!("{{\"JobName\":\"{}\"}}", "x".repeat(PROBE + 10));
        let input = format!("{long}\n{{\"a\":2}}\n");
        let got = events(input.as_bytes());
        assert_eq!(got.len(), 3, "{:?}", &got[2..]);
        assert!(got[0].starts_with("line 1: {\"JobName\":\"xxx"));
        assert_eq!(got[0].len(), "line 1: ".len() + long.len());
        assert_eq!(got[1..], ["line 2: {\"a\":2}", "JsonLines"]);
        // A whole document on one long line is still a document.
        let doc = format!("{{\"ReplicaJobSessions\":[{long},{{\"a\":2}}]}}");
        let got = events(doc.as_bytes());
        assert_eq!(got[1..], ["index 1: {\"a\":2}", "Document"]);
    }

    #[test]
    fn a_collection_key_in_another_case_is_read() {
        assert_eq!(
            events(b"{\"replicaJobSessions\":[{\"a\":1}]}"),
            ["index 0: {\"a\":1}", "Document"]
        );
        assert_eq!(
            events(b"{\"entities\":{\"REPLICAJOBSESSIONS\":{\"replicajobsessions\":[1]}}}"),
            ["index 0: 1", "Document"]
        );
    }

    #[test]
    fn every_document_must_hold_the_collection() {
        // A later document without it is reported with its number, not read as nothing.
        assert_eq!(
            events(b"[1]\n{\"foo\": 1}\n[2]"),
            ["index 0: 1", "document 2 has no collection; []"]
        );
        assert_eq!(
            events(b"{\"ReplicaJobSessions\":[1]} {\"Entities\":{\"Jobs\":[{}]}}"),
            ["index 0: 1", "document 2 has no collection; [\"Jobs\"]"]
        );
        // An empty page is a page.
        assert_eq!(
            events(b"[1]\n{\"ReplicaJobSessions\":[]}\n[2]"),
            ["index 0: 1", "document 3, index 0: 2", "Document"]
        );
    }

    #[test]
    fn a_nul_byte_before_the_first_record_is_a_binary_input() {
        assert_eq!(events(b"\n\n\0\0\0"), ["Binary { offset: 2 }"]);
        assert_eq!(events(&[0u8; 3 << 20]), ["Binary { offset: 0 }"]);
    }

    #[test]
    fn several_documents_one_after_the_other_are_read_in_order() {
        let page = |uids: &[u32]| {
            let items: Vec<String> = uids.iter().map(|u| format!("{{\"UID\":{u}}}")).collect();
            format!(
                "{{\"Refs\":null,\"Entities\":{{\"ReplicaJobSessions\":{{\"ReplicaJobSessions\":[{}]}}}},\"PagingInfo\":{{\"PageNum\":1}}}}",
                items.join(",")
            )
        };
        // Pages saved one a line, or pretty-printed one after the other, or flat collections.
        for input in [
            format!("{}\n{}\n{}\n", page(&[1, 2]), page(&[3]), page(&[4, 5])),
            format!("{} {}{}", page(&[1, 2]), page(&[3]), page(&[4, 5])),
            "{\"ReplicaJobSessions\":[{\"UID\":1},{\"UID\":2}]}\n[{\"UID\":3},{\"UID\":4}]\n[{\"UID\":5}]".to_owned(),
        ] {
            let (shape, seen) = shapes(&input);
            assert_eq!(shape, Shape::Document);
            let uids: Vec<&str> = seen.iter().map(|(_, json)| json.as_str()).collect();
            assert_eq!(
                uids,
                ["{\"UID\":1}", "{\"UID\":2}", "{\"UID\":3}", "{\"UID\":4}", "{\"UID\":5}"],
                "{input}"
            );
            let locations: Vec<Location> = seen.iter().map(|(l, _)| *l).collect();
            assert_eq!(locations[0], Location::Index(0));
            assert_eq!(locations[1], Location::Index(1));
            assert_eq!(locations[2].to_string(), "document 2, index 0");
        }
    }
}
