//! Where filters come from: arguments, files and standard input, one filter per line.
//!
//! Each file is read into one buffer (see [`crate::read`]: bounded memory, long lines skipped,
//! NUL means binary), and its filters are the lines of that buffer, borrowed: nothing is copied
//! or allocated per line.

use emfilter::{Checked, Checker};
use emfilter_lint::render::Origin;

use crate::read::{self, LongLine};

/// The texts of a run: its arguments, then each file as read, in order.
pub struct Inputs {
    arguments: Vec<String>,
    files: Vec<(String, read::Text)>,
}

/// One filter to check, with where it came from.
pub struct Input<'a> {
    /// `argument`, `stdin` or the path.
    pub source: &'a str,
    /// Its line, for a filter of a file.
    pub line: Option<usize>,
    /// The filter (a lossy copy when the line is not UTF-8).
    pub text: std::borrow::Cow<'a, str>,
    /// The line's bytes when they are not UTF-8.
    raw: Option<&'a [u8]>,
    /// A line too long to be read (then `text` is its start).
    pub long: Option<&'a LongLine>,
}

impl Input<'_> {
    pub fn check(&self, checker: &Checker) -> Checked {
        match self.raw {
            Some(bytes) => checker.check_bytes(bytes),
            None => checker.check(&self.text),
        }
    }

    /// Where it came from, for diagnostics.
    pub fn origin(&self) -> Origin {
        match self.line {
            Some(line) => Origin::line(self.source, line),
            None => Origin::argument(),
        }
    }
}

/// The filters of the arguments, then the files in order; standard input when there are
/// neither. Every file is read before any filter is checked, so that one that cannot be read
/// stops the run before anything is printed. Lines longer than `max_line` bytes are skipped
/// while reading, a NUL byte makes a file binary (see [`crate::read`]).
pub fn read(arguments: &[String], files: &[String], max_line: usize) -> Result<Inputs, String> {
    let stdin_only = ["-".to_owned()];
    let paths = if arguments.is_empty() && files.is_empty() {
        &stdin_only[..]
    } else {
        files
    };
    let mut read_files = Vec::with_capacity(paths.len());
    for path in paths {
        let (name, _, reader) = read::open(path)?;
        let shown = if path == "-" { "standard input" } else { path };
        let text = read::lines(reader, max_line).map_err(|e| e.describe(shown))?;
        read_files.push((name, text));
    }
    Ok(Inputs {
        arguments: arguments.to_vec(),
        files: read_files,
    })
}

impl Inputs {
    /// Every filter, in order: the arguments, then each file's lines that are not blank and do
    /// not start with `#`, and the lines skipped as too long, in their places.
    pub fn iter(&self) -> impl Iterator<Item = Input<'_>> + '_ {
        let arguments = self.arguments.iter().map(|a| Input {
            source: "argument",
            line: None,
            text: a.as_str().into(),
            raw: None,
            long: None,
        });
        arguments.chain(self.files.iter().flat_map(|(name, text)| lines(name, text)))
    }
}

/// The filters of one file, and its long lines where they stood.
fn lines<'a>(name: &'a str, text: &'a read::Text) -> impl Iterator<Item = Input<'a>> + 'a {
    let bytes = emfilter::json::strip_bom(&text.bytes);
    let mut long = text.long.iter().peekable();
    let mut numbered = bytes.split(|&b| b == b'\n').enumerate();
    std::iter::from_fn(move || loop {
        // A long line comes before the line after it (its own place is an empty line).
        let next_line = numbered.clone().next().map(|(i, _)| i + 1);
        if let Some(l) = long.next_if(|l| next_line.is_none_or(|n| l.line <= n)) {
            return Some(Input {
                source: name,
                line: Some(l.line),
                text: l.start.as_str().into(),
                raw: None,
                long: Some(l),
            });
        }
        let (i, line) = numbered.next()?;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let trimmed = line.trim_ascii_start();
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
            continue;
        }
        let (text, raw) = match std::str::from_utf8(line) {
            Ok(t) => (t.into(), None),
            Err(_) => (String::from_utf8_lossy(line), Some(line)),
        };
        return Some(Input {
            source: name,
            line: Some(i + 1),
            text,
            raw,
            long: None,
        });
    })
}
