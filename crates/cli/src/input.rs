//! Where filters come from: arguments, files and standard input, one filter per line.

use emfilter::{Checked, Checker};
use emfilter_lint::render::Origin;

use crate::read::{self, LongLine};

/// One filter to check, with where it came from.
pub struct Input {
    pub origin: Origin,
    pub text: String,
    /// The line's bytes when they are not UTF-8 (then `text` is a lossy copy).
    raw: Option<Vec<u8>>,
    /// A line too long to be read (then `text` is its start).
    pub long: Option<LongLine>,
}

impl Input {
    pub fn check(&self, checker: &Checker) -> Checked {
        match &self.raw {
            Some(bytes) => checker.check_bytes(bytes),
            None => checker.check(&self.text),
        }
    }
}

pub type Inputs = Vec<Input>;

/// The filters of the arguments, then of each file in order; standard input when there are
/// neither.
/// Lines longer than `max_line` bytes are skipped while reading, a NUL byte makes a file binary
/// (see [`crate::read`]).
pub fn read(arguments: &[String], files: &[String], max_line: usize) -> Result<Inputs, String> {
    let mut inputs: Inputs = arguments
        .iter()
        .map(|a| Input {
            origin: Origin::argument(),
            text: a.clone(),
            raw: None,
            long: None,
        })
        .collect();
    let stdin_only = ["-".to_owned()];
    let files = if arguments.is_empty() && files.is_empty() {
        &stdin_only[..]
    } else {
        files
    };
    for path in files {
        let (name, _, reader) = read::open(path)?;
        let shown = if path == "-" { "standard input" } else { path };
        let text = read::lines(reader, max_line).map_err(|e| e.describe(shown))?;
        let mut these = lines(&name, &text.bytes);
        these.extend(text.long.into_iter().map(|long| Input {
            origin: Origin::line(&name, long.line),
            text: long.start.clone(),
            raw: None,
            long: Some(long),
        }));
        these.sort_by_key(|i| i.origin.line);
        inputs.extend(these);
    }
    Ok(inputs)
}

/// The filters of a file: each line that is not blank and does not start with `#`.
fn lines(name: &str, bytes: &[u8]) -> Vec<Input> {
    let bytes = emfilter::json::strip_bom(bytes);
    let mut out = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let trimmed = line.trim_ascii_start();
        if trimmed.is_empty() || trimmed.starts_with(b"#") {
            continue;
        }
        let (text, raw) = match std::str::from_utf8(line) {
            Ok(t) => (t.to_owned(), None),
            Err(_) => (
                String::from_utf8_lossy(line).into_owned(),
                Some(line.to_vec()),
            ),
        };
        out.push(Input {
            origin: Origin::line(name, i + 1),
            text,
            raw,
            long: None,
        });
    }
    out
}
