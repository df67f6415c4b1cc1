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

/// The filters of one file (its lines that hold one, [`read::filter_lines`]), and its long
/// lines where they stood.
fn lines<'a>(name: &'a str, text: &'a read::Text) -> impl Iterator<Item = Input<'a>> + 'a {
    let bytes = emfilter::json::strip_bom(&text.bytes);
    let mut filters = read::filter_lines(bytes).peekable();
    let mut long = text.long.iter().peekable();
    std::iter::from_fn(move || {
        // A long line comes before the filter after it (its own place is an empty line), and
        // those left after the last filter come at the end.
        let next = filters.peek().map(|(number, _)| *number);
        if let Some(l) = long.next_if(|l| next.is_none_or(|n| l.line <= n)) {
            return Some(Input {
                source: name,
                line: Some(l.line),
                text: l.start.as_str().into(),
                raw: None,
                long: Some(l),
            });
        }
        let (number, range) = filters.next()?;
        let line = &bytes[range];
        let (text, raw) = match std::str::from_utf8(line) {
            Ok(t) => (t.into(), None),
            Err(_) => (String::from_utf8_lossy(line), Some(line)),
        };
        Some(Input {
            source: name,
            line: Some(number),
            text,
            raw,
            long: None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filters of `bytes` with long lines at `long`: each one's line, text, raw bytes and
    /// whether it is a long line.
    fn split(bytes: &[u8], long: &[usize]) -> Vec<(usize, String, Option<Vec<u8>>, bool)> {
        let text = read::Text {
            bytes: bytes.to_vec(),
            long: long
                .iter()
                .map(|&line| LongLine {
                    line,
                    len: 1000,
                    start: format!("long{line}"),
                })
                .collect(),
        };
        lines("f", &text)
            .map(|i| {
                (
                    i.line.expect("a file's line"),
                    i.text.into_owned(),
                    i.raw.map(<[u8]>::to_vec),
                    i.long.is_some(),
                )
            })
            .collect()
    }

    fn filter(line: usize, text: &str) -> (usize, String, Option<Vec<u8>>, bool) {
        (line, text.to_owned(), None, false)
    }

    fn long(line: usize) -> (usize, String, Option<Vec<u8>>, bool) {
        (line, format!("long{line}"), None, true)
    }

    #[test]
    fn lines_are_numbered_and_blank_and_comment_lines_skipped() {
        assert_eq!(split(b"", &[]), []);
        assert_eq!(split(b"\n\n", &[]), []);
        assert_eq!(
            split(
                b"\xEF\xBB\xBFa==1\r\n\n  \r\n# note\n  #x\nb==2\r\n c==3",
                &[]
            ),
            [filter(1, "a==1"), filter(6, "b==2"), filter(7, " c==3")]
        );
        // Only the last `\r` goes; one inside the line stays.
        assert_eq!(split(b"a\r\r\n", &[]), [filter(1, "a\r")]);
    }

    #[test]
    fn long_lines_come_in_their_places() {
        // Each long line's place is an empty line; one at the end has no `\n` after it.
        assert_eq!(
            split(b"\na==1\n\n\nb==2\n", &[1, 4, 6]),
            [
                long(1),
                filter(2, "a==1"),
                long(4),
                filter(5, "b==2"),
                long(6)
            ]
        );
        assert_eq!(split(b"\n", &[1, 2]), [long(1), long(2)]);
        // Past the last line (not what reading makes): still yielded, at the end.
        assert_eq!(split(b"a", &[9]), [filter(1, "a"), long(9)]);
    }

    #[test]
    fn a_line_not_utf8_keeps_its_bytes() {
        assert_eq!(
            split(b"a==\xFF\nb", &[]),
            [
                (
                    1,
                    "a==\u{fffd}".to_owned(),
                    Some(b"a==\xFF".to_vec()),
                    false
                ),
                filter(2, "b")
            ]
        );
    }
}
