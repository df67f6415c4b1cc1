//! Reading records from a stream without holding it whole: JSON lines, or one JSON document (a
//! plain array, EM's flat `{"ReplicaJobSessions":[…]}`, or a query result with the twice-nested
//! `Entities.ReplicaJobSessions.ReplicaJobSessions[…]`), recognised from how the input starts.
//!
//! Memory stays bounded by the longest record: lines are read into one reused buffer, and a
//! document is walked with serde visitors that hand each element of the collection over as raw
//! JSON text, then drop it.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The longest line read as one record of JSON lines (64 MiB).
pub const MAX_LINE: usize = 64 << 20;

/// How far the first line is read to tell JSON lines from a document (1 MiB).
const PROBE: usize = 1 << 20;

/// Where a record stands in its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The line (1-based) of JSON lines.
    Line(u64),
    /// The index (0-based) in the array of a document.
    Index(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Index(i) => write!(f, "index {i}"),
        }
    }
}

/// How an input is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One record a line.
    JsonLines,
    /// One JSON document: an array, or an object holding the collection.
    Document,
}

/// One record as it stands in the input.
#[derive(Debug, Clone, Copy)]
pub struct RawRecord<'a> {
    /// Where it stands.
    pub location: Location,
    /// Its JSON text: a whole line (without the line break), or an element of a document as
    /// written there (possibly over several lines).
    pub json: &'a [u8],
}

/// A record that cannot even be handed over as JSON text: a line longer than [`MAX_LINE`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// Where it stands.
    pub location: Location,
    /// Why it cannot be read.
    pub message: String,
}

/// Why a stream could not be read to its end.
#[derive(Debug)]
pub enum StreamError<E> {
    /// Reading failed.
    Io(io::Error),
    /// A document is not well-formed JSON (or not of a known shape) from here on: what comes
    /// after cannot be read. `location` is the record being read, when in the collection.
    Syntax {
        /// The record being read, if any.
        location: Option<Location>,
        /// What is wrong, with its line and column in the input.
        message: String,
    },
    /// A document without the collection: `others` are the non-null collections it has.
    NoCollection {
        /// The collection looked for.
        collection: String,
        /// The non-null collections of the query result's `Entities`.
        others: Vec<String>,
    },
    /// The callback stopped the reading.
    Stopped(E),
}

/// What the callback is given: a record's text, or why there is none.
pub type Item<'a> = Result<RawRecord<'a>, Unreadable>;

/// Reads every record of `collection` (`ReplicaJobSessions`) from `reader`, in order, handing
/// each to `visit`; returns the shape found. An `Err` from `visit` stops the reading.
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
    // The first line that is not blank decides.
    let (start, complete) = loop {
        let start = head.len();
        let end = read_line(&mut reader, &mut head, PROBE).map_err(StreamError::Io)?;
        line_no += 1;
        match end {
            LineEnd::Eof => return Ok(Shape::JsonLines),
            LineEnd::Capped => break (start, false),
            LineEnd::Line => {
                let line = strip_bom(&head[start..]);
                if !line.iter().all(u8::is_ascii_whitespace) {
                    break (start, true);
                }
            }
        }
    };
    let first = strip_bom(&head[start..]);
    if detect(first, complete, collection) == Shape::Document {
        if head.starts_with(b"\xEF\xBB\xBF") {
            head.drain(..3);
        }
        let chained = BufReader::with_capacity(256 << 10, Cursor::new(head).chain(reader));
        document(chained, collection, &mut visit)?;
        return Ok(Shape::Document);
    }
    // JSON lines: the first record, then the rest.
    let line = trim_line(first);
    visit(Ok(RawRecord {
        location: Location::Line(line_no),
        json: line,
    }))
    .map_err(StreamError::Stopped)?;
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
                visit(Err(Unreadable {
                    location,
                    message: format!("the line is longer than {} MiB", MAX_LINE >> 20),
                }))
                .map_err(StreamError::Stopped)?;
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

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
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

/// Keys that only a query result or a collection has at its top, never an entity.
fn is_wrapper_key(key: &str, collection: &str) -> bool {
    matches!(key, "Entities" | "Refs" | "Resources" | "PagingInfo") || key == collection
}

/// The shape of an input whose first line that is not blank is `first` (`complete` when it
/// was read whole).
fn detect(first: &[u8], complete: bool, collection: &str) -> Shape {
    let t = first.trim_ascii();
    match t.first() {
        Some(b'[') => Shape::Document,
        Some(b'{') if !complete => Shape::Document,
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

struct Ctx<'c, F, E> {
    visit: &'c mut F,
    collection: &'c str,
    found: bool,
    others: Vec<String>,
    stopped: Option<E>,
    /// The record being read when the document broke.
    at: Option<Location>,
    /// How many records were handed over.
    handed: u64,
}

fn document<R, F, E>(reader: R, collection: &str, visit: &mut F) -> Result<(), StreamError<E>>
where
    R: Read,
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    let mut ctx = Ctx {
        visit,
        collection,
        found: false,
        others: Vec::new(),
        stopped: None,
        at: None,
        handed: 0,
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Top(&mut ctx).deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = ctx.stopped {
        return Err(StreamError::Stopped(e));
    }
    match result {
        Err(e) if e.is_io() => Err(StreamError::Io(io::Error::from(e))),
        Err(e) => Err(StreamError::Syntax {
            location: ctx.at,
            message: e.to_string(),
        }),
        // A query result of another type has this collection null, and another one not.
        Ok(()) if !ctx.found || (ctx.handed == 0 && !ctx.others.is_empty()) => {
            Err(StreamError::NoCollection {
                collection: collection.to_owned(),
                others: ctx.others,
            })
        }
        Ok(()) => Ok(()),
    }
}

/// The whole document: an array of records, or an object holding the collection.
struct Top<'a, 'c, F, E>(&'a mut Ctx<'c, F, E>);

impl<'de, F, E> DeserializeSeed<'de> for Top<'_, '_, F, E>
where
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F, E> Visitor<'de> for Top<'_, '_, F, E>
where
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an array of records, an EM query result, or {{\"{}\":[…]}}",
            self.0.collection
        )
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.0.found = true;
        elements(self.0, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "Entities" {
                map.next_value_seed(Entities(&mut *self.0))?;
            } else if key == self.0.collection {
                map.next_value_seed(Collection(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A query result's `Entities`: one member per collection, all null but one.
struct Entities<'a, 'c, F, E>(&'a mut Ctx<'c, F, E>);

impl<'de, F, E> DeserializeSeed<'de> for Entities<'_, '_, F, E>
where
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F, E> Visitor<'de> for Entities<'_, '_, F, E>
where
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of collections for `Entities`")
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0.collection {
                map.next_value_seed(Collection(&mut *self.0))?;
            } else if map.next_value::<Option<IgnoredAny>>()?.is_some() {
                self.0.others.push(key);
            }
        }
        Ok(())
    }
}

/// The collection: its array, null, or (in a query result) an object holding the array under
/// the collection's name again.
struct Collection<'a, 'c, F, E>(&'a mut Ctx<'c, F, E>);

impl<'de, F, E> DeserializeSeed<'de> for Collection<'_, '_, F, E>
where
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F, E> Visitor<'de> for Collection<'_, '_, F, E>
where
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an array of records for `{}`", self.0.collection)
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        self.0.found = true;
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.0.found = true;
        elements(self.0, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == self.0.collection {
                map.next_value_seed(Collection(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Hands each element of the collection's array to the callback.
fn elements<'de, A, F, E>(ctx: &mut Ctx<'_, F, E>, mut seq: A) -> Result<(), A::Error>
where
    A: SeqAccess<'de>,
    F: FnMut(Item<'_>) -> Result<(), E>,
{
    let mut index = 0u64;
    loop {
        let location = Location::Index(index);
        ctx.at = Some(location);
        let Some(raw) = seq.next_element::<Box<RawValue>>()? else {
            ctx.at = None;
            return Ok(());
        };
        let item = RawRecord {
            location,
            json: raw.get().as_bytes(),
        };
        if let Err(e) = (ctx.visit)(Ok(item)) {
            ctx.stopped = Some(e);
            return Err(de::Error::custom("stopped"));
        }
        index += 1;
        ctx.handed += 1;
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
}

/// Appends `json` to `out` on one line: the whitespace between tokens removed, strings and
/// numbers byte for byte, members in their order.
pub fn compact(json: &[u8], out: &mut Vec<u8>) {
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            out.push(b);
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            out.push(b);
            in_string = b == b'"';
        }
    }
}

#[cfg(test)]
mod compact_tests {
    #[test]
    fn whitespace_goes_strings_stay() {
        let mut out = Vec::new();
        super::compact(
            b"{\n  \"a b\": [1, 2],\r\n \"c\\\" d\" : \"x  y\"\n}",
            &mut out,
        );
        assert_eq!(out, b"{\"a b\":[1,2],\"c\\\" d\":\"x  y\"}");
    }
}
