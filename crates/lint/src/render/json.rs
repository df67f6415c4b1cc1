//! The JSON report of one checked filter, as `emfilter check --format json` prints it.

use serde::{Serialize, Serializer};

use emfilter::{Checked, Diagnostic, Filter};

use crate::TypeSource;

/// One object of the JSON array: a filter, where it came from, and what checking found.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    /// `argument`, `stdin` or the path.
    pub source: &'a str,
    /// The line in `source`, or `null` for an argument.
    pub line: Option<usize>,
    /// For a filter found in a scanned file: the 1-based column (in characters) where it starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// For a filter found in a scanned file: the byte offset in the file where it starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// The filter text; spans are byte offsets into it.
    pub filter: &'a str,
    /// Whether there is no error.
    pub valid: bool,
    /// The typed filter, when valid: written as its canonical form, straight into the output.
    #[serde(serialize_with = "canonical")]
    pub canonical: Option<&'a Filter>,
    /// Every diagnostic, in source order.
    pub diagnostics: &'a [Diagnostic],
    /// The query type the filter was checked against (`type`) and where it came from
    /// (`type_source`: `{"from": "url"}`, `{"from": "sibling", "line": 3}`, `{"from": "config",
    /// "glob": "…"}`, `{"from": "command-line"}`, `{"from": "default"}`); absent for a filter
    /// checked by the core alone.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub checked_as: Option<&'a crate::QueryType>,
}

impl<'a> Report<'a> {
    /// The report of `checked`, the result of checking `filter`.
    pub fn new(
        source: &'a str,
        line: Option<usize>,
        filter: &'a str,
        checked: &'a Checked,
    ) -> Self {
        Report {
            source,
            line,
            column: None,
            offset: None,
            filter,
            valid: checked.is_valid(),
            canonical: checked.filter(),
            diagnostics: checked.diagnostics(),
            checked_as: None,
        }
    }
}

/// The canonical form of `filter`, written as one string.
fn canonical<S: Serializer>(filter: &Option<&Filter>, s: S) -> Result<S::Ok, S::Error> {
    match filter {
        Some(f) => with_canonical(f, |text| s.serialize_str(text)),
        None => s.serialize_none(),
    }
}

/// Calls `then` with the canonical form of `filter`, printed into a buffer the thread keeps for
/// it (a report of many filters allocates none per filter).
fn with_canonical<R>(filter: &Filter, then: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    TEXT.with(|text| {
        let mut text = text.borrow_mut();
        text.clear();
        let _ = filter.write_canonical(&mut *text);
        then(&text)
    })
}

/// A member's name (one that needs no escaping) as written before its value: `"name": `.
macro_rules! member {
    ($name:literal) => {
        concat!("\"", $name, "\": ")
    };
}

impl Report<'_> {
    /// Appends this report to `out` exactly as `serde_json::to_string_pretty` writes it (two
    /// spaces a level), as a value `depth` levels deep: what the CLI's JSON report does for
    /// each filter, written directly (strings checked for what needs escaping a block at a
    /// time) rather than through serde's escaping a byte at a time, which cost about as much as
    /// checking the filter. The derived [`Serialize`] stays the definition; a property test
    /// (tests/json_report.rs) holds the two to the same bytes.
    pub fn write_pretty(&self, out: &mut String, depth: usize) -> Result<(), serde_json::Error> {
        let mut fields = Fields::open(out, depth);
        fields.key(member!("source"));
        write_json_str(fields.out, self.source);
        fields.key(member!("line"));
        write_opt_usize(fields.out, self.line);
        if let Some(column) = self.column {
            fields.key(member!("column"));
            write_opt_usize(fields.out, Some(column));
        }
        if let Some(offset) = self.offset {
            fields.key(member!("offset"));
            write_opt_usize(fields.out, Some(offset));
        }
        fields.key(member!("filter"));
        let filter_at = fields.out.len();
        write_json_str(fields.out, self.filter);
        // Whether the filter was written with nothing escaped: as itself in quotes.
        let filter_as_is = fields.out.len() - filter_at == self.filter.len() + 2;
        fields.key(member!("valid"));
        fields
            .out
            .push_str(if self.valid { "true" } else { "false" });
        fields.key(member!("canonical"));
        match self.canonical {
            // A filter already in canonical form (most are) is not looked at a second time
            // for what to escape.
            Some(f) => with_canonical(f, |text| {
                if filter_as_is && text == self.filter {
                    fields.out.push('"');
                    fields.out.push_str(text);
                    fields.out.push('"');
                } else {
                    write_json_str(fields.out, text);
                }
            }),
            None => fields.out.push_str("null"),
        }
        fields.key(member!("diagnostics"));
        if self.diagnostics.is_empty() {
            fields.out.push_str("[]");
        } else {
            write_nested(fields.out, &self.diagnostics, depth + 1)?;
        }
        if let Some(t) = self.checked_as {
            fields.key(member!("type"));
            write_json_str(fields.out, &t.name);
            fields.key(member!("type_source"));
            write_type_source(fields.out, &t.source, depth + 1);
        }
        fields.close();
        Ok(())
    }
}

/// Appends `source` as its derived [`Serialize`] writes it (tagged by `from`).
fn write_type_source(out: &mut String, source: &TypeSource, depth: usize) {
    let mut fields = Fields::open(out, depth);
    fields.key(member!("from"));
    let from = match source {
        TypeSource::Url => "url",
        TypeSource::Sibling { .. } => "sibling",
        TypeSource::Config { .. } => "config",
        TypeSource::CommandLine => "command-line",
        TypeSource::Default => "default",
    };
    write_json_str(fields.out, from);
    match source {
        TypeSource::Sibling { line } => {
            fields.key(member!("line"));
            write_opt_usize(fields.out, Some(*line));
        }
        TypeSource::Config { glob } => {
            fields.key(member!("glob"));
            write_json_str(fields.out, glob);
        }
        _ => {}
    }
    fields.close();
}

/// A pretty-printed object being written, a member a line.
struct Fields<'o> {
    out: &'o mut String,
    /// The object's level.
    depth: usize,
    first: bool,
}

impl<'o> Fields<'o> {
    /// Opens an object `depth` levels deep.
    fn open(out: &'o mut String, depth: usize) -> Fields<'o> {
        out.push('{');
        Fields {
            out,
            depth,
            first: true,
        }
    }

    /// Starts a member: `name` is its name as written, `"name": ` ([`member!`]).
    fn key(&mut self, name: &str) {
        new_line(self.out, !self.first, self.depth + 1);
        self.first = false;
        self.out.push_str(name);
    }

    /// Closes the object (it has a member).
    fn close(self) {
        new_line(self.out, false, self.depth);
        self.out.push('}');
    }
}

/// Starts a line `depth` levels deep (two spaces a level), ending the last with a comma when
/// `comma`: one copy of a slice of a ready-made line start for the depths reports are written
/// at.
fn new_line(out: &mut String, comma: bool, depth: usize) {
    const LEAD: &str = ",\n                                                                ";
    let from = usize::from(!comma);
    match LEAD.get(from..depth.saturating_mul(2).saturating_add(2)) {
        Some(lead) => out.push_str(lead),
        None => {
            out.push_str(&LEAD[from..2]);
            for _ in 0..depth {
                out.push_str("  ");
            }
        }
    }
}

fn write_opt_usize(out: &mut String, n: Option<usize>) {
    match n {
        Some(n) => out.push_str(itoa::Buffer::new().format(n)),
        None => out.push_str("null"),
    }
}

/// Appends `value` as serde_json pretty-prints it, as a value `depth` levels deep.
fn write_nested<T: Serialize + ?Sized>(
    out: &mut String,
    value: &T,
    depth: usize,
) -> Result<(), serde_json::Error> {
    use serde_json::ser::{Formatter, PrettyFormatter};
    let mut pretty = PrettyFormatter::new();
    // Each object opened moves the printer's indentation one level in: opened into nowhere,
    // they leave it as deep as the value.
    for _ in 0..depth {
        pretty
            .begin_object(&mut std::io::sink())
            .map_err(serde_json::Error::io)?;
    }
    let mut buf = Vec::new();
    value.serialize(&mut serde_json::Serializer::with_formatter(
        &mut buf, pretty,
    ))?;
    out.push_str(&String::from_utf8_lossy(&buf));
    Ok(())
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it: `"` and `\`, the control
/// characters below U+0020 (`\b \t \n \f \r`, the others as `\u00xx`); nothing else.
fn write_json_str(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // Where the text not yet copied starts.
    let mut start = 0;
    while let Some(at) = next_special(bytes, start) {
        // A special byte is ASCII: the text before it ends at a character boundary.
        out.push_str(&s[start..at]);
        start = at + 1;
        match bytes[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Whether `b` is written into a JSON string as it is.
fn plain(b: u8) -> bool {
    (b >= 0x20) & (b != b'"') & (b != b'\\')
}

/// The place of the first byte of `bytes` from `at` on that a JSON string escapes. Whole blocks
/// of sixteen that need nothing are passed over by a check without an early exit, which the
/// compiler vectorises; the block that holds one, or the last few bytes, are then looked at one
/// by one, once.
fn next_special(bytes: &[u8], mut at: usize) -> Option<usize> {
    const BLOCK: usize = 16;
    while let Some(block) = bytes.get(at..).and_then(<[u8]>::first_chunk::<BLOCK>) {
        if !block.iter().fold(true, |all, &b| all & plain(b)) {
            break;
        }
        at += BLOCK;
    }
    let found = bytes.get(at..)?.iter().position(|&b| !plain(b))?;
    Some(at + found)
}
