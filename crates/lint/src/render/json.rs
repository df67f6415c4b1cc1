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

impl Report<'_> {
    /// Appends this report to `out` exactly as `serde_json::to_string_pretty` writes it (two
    /// spaces a level), as a value `depth` levels deep: what the CLI's JSON report does for
    /// each filter, written directly (strings checked for what needs escaping a block at a
    /// time) rather than through serde's escaping a byte at a time, which cost about as much as
    /// checking the filter. The derived [`Serialize`] stays the definition; a property test
    /// (tests/json_report.rs) holds the two to the same bytes.
    pub fn write_pretty(&self, out: &mut String, depth: usize) -> Result<(), serde_json::Error> {
        let mut fields = Fields::open(out, depth);
        fields.key("source");
        write_json_str(fields.out, self.source);
        fields.key("line");
        write_opt_usize(fields.out, self.line);
        if let Some(column) = self.column {
            fields.key("column");
            write_opt_usize(fields.out, Some(column));
        }
        if let Some(offset) = self.offset {
            fields.key("offset");
            write_opt_usize(fields.out, Some(offset));
        }
        fields.key("filter");
        write_json_str(fields.out, self.filter);
        fields.key("valid");
        fields
            .out
            .push_str(if self.valid { "true" } else { "false" });
        fields.key("canonical");
        match self.canonical {
            Some(f) => with_canonical(f, |text| write_json_str(fields.out, text)),
            None => fields.out.push_str("null"),
        }
        fields.key("diagnostics");
        if self.diagnostics.is_empty() {
            fields.out.push_str("[]");
        } else {
            write_nested(fields.out, &self.diagnostics, depth + 1)?;
        }
        if let Some(t) = self.checked_as {
            fields.key("type");
            write_json_str(fields.out, &t.name);
            fields.key("type_source");
            write_type_source(fields.out, &t.source, depth + 1);
        }
        fields.close();
        Ok(())
    }
}

/// Appends `source` as its derived [`Serialize`] writes it (tagged by `from`).
fn write_type_source(out: &mut String, source: &TypeSource, depth: usize) {
    let mut fields = Fields::open(out, depth);
    fields.key("from");
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
            fields.key("line");
            write_opt_usize(fields.out, Some(*line));
        }
        TypeSource::Config { glob } => {
            fields.key("glob");
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

    /// Starts the member `name` (a name that needs no escaping).
    fn key(&mut self, name: &str) {
        self.out.push_str(if self.first { "\n" } else { ",\n" });
        self.first = false;
        indent(self.out, self.depth + 1);
        self.out.push('"');
        self.out.push_str(name);
        self.out.push_str("\": ");
    }

    /// Closes the object (it has a member).
    fn close(self) {
        self.out.push('\n');
        indent(self.out, self.depth);
        self.out.push('}');
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_opt_usize(out: &mut String, n: Option<usize>) {
    use std::fmt::Write;
    match n {
        Some(n) => {
            let _ = write!(out, "{n}");
        }
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
    const BLOCK: usize = 16;
    fn plain(b: u8) -> bool {
        (b >= 0x20) & (b != b'"') & (b != b'\\')
    }
    out.push('"');
    let bytes = s.as_bytes();
    // Where the text not yet copied starts.
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Whole blocks that need nothing are passed over: a fixed-size check without an early
        // exit, which is vectorised.
        if let Some(block) = bytes[at..].first_chunk::<BLOCK>() {
            if block.iter().fold(true, |all, &b| all & plain(b)) {
                at += BLOCK;
                continue;
            }
        }
        let b = bytes[at];
        at += 1;
        if plain(b) {
            continue;
        }
        // An ASCII byte: the text before it ends at a character boundary.
        out.push_str(&s[start..at - 1]);
        start = at;
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
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
