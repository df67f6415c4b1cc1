//! Reading files of filters and query URLs (`--file`, `--urls`, standard input) and settings
//! files in bounded memory, whatever they hold: `/dev/zero`, a FIFO, one line of 50 MB, a
//! binary file.
//!
//! A line longer than its limit is skipped while it is read, never held whole: its place stays
//! as an empty line (so that the lines after it keep their numbers), and a [`LongLine`] says
//! where it was, how long, and how it began. Input holding a NUL byte is binary: reading stops
//! there. A file that starts with a UTF-16 byte-order mark (as Windows PowerShell writes them)
//! is read whole, up to [`MAX_UTF16`], and decoded by the caller.

use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use emfilter::{Code, Diagnostic, Span};

/// The largest UTF-16 file read (its lines cannot be told apart before decoding).
pub const MAX_UTF16: u64 = 64 << 20;

/// The largest settings file read.
pub const MAX_SETTINGS: u64 = 1 << 20;

/// How much of a skipped line is kept, to show where it was.
const KEPT: usize = 80;

/// A line that was longer than the limit, and skipped.
#[derive(Debug, Clone)]
pub struct LongLine {
    /// Its number, from 1.
    pub line: usize,
    /// Its length in bytes (without the line break).
    pub len: u64,
    /// Its first characters (lossy UTF-8), to show where it was.
    pub start: String,
}

impl LongLine {
    /// The diagnostic for it, as the checker reports a filter over the length limit, located at
    /// the start kept of it.
    pub fn diagnostic(&self, limit: usize) -> Diagnostic {
        Diagnostic::new(
            Code::FilterTooLong,
            Span::new(0, self.start.len()),
            format!(
                "the line is {} bytes long, more than the limit of {limit} bytes: it was skipped \
                 while reading, not checked",
                self.len
            ),
        )
        .with_help("split it into several queries, or raise the length limit")
    }
}

/// What was read.
pub struct Text {
    /// The text's bytes, each long line left empty.
    pub bytes: Vec<u8>,
    /// The lines skipped.
    pub long: Vec<LongLine>,
}

/// Why reading failed.
pub enum Failure {
    /// A NUL byte at this offset: a binary file, read no further.
    Binary(u64),
    /// A UTF-16 file larger than [`MAX_UTF16`].
    TooLarge,
    Io(io::Error),
}

impl Failure {
    /// In words, for `name` (a path, or `standard input`).
    pub fn describe(&self, name: &str) -> String {
        match self {
            Failure::Binary(offset) => format!(
                "`{name}` is a binary file, not text (a NUL byte at offset {offset}): nothing of it \
                 is read"
            ),
            Failure::TooLarge => format!(
                "`{name}` is a UTF-16 file larger than {} MiB: it is not read",
                MAX_UTF16 >> 20
            ),
            Failure::Io(e) => format!("cannot read `{name}`: {e}"),
        }
    }
}

/// An opened input: its name as shown, its path when it is a file, and a reader.
pub type Opened = (String, Option<PathBuf>, Box<dyn Read>);

/// Opens `path` (`-`: standard input).
pub fn open(path: &str) -> Result<Opened, String> {
    if path == "-" {
        return Ok(("stdin".to_owned(), None, Box::new(io::stdin().lock())));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    Ok((path.to_owned(), Some(PathBuf::from(path)), Box::new(file)))
}

/// Reads `reader` line by line, skipping each line longer than `max_line` bytes; stops at a NUL
/// byte (unless the input is UTF-16, read whole).
pub fn lines(reader: impl Read, max_line: usize) -> Result<Text, Failure> {
    let mut r = BufReader::with_capacity(64 << 10, reader);
    let head = fill(&mut r).map_err(Failure::Io)?;
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        let mut bytes = Vec::new();
        r.take(MAX_UTF16 + 1)
            .read_to_end(&mut bytes)
            .map_err(Failure::Io)?;
        if bytes.len() as u64 > MAX_UTF16 {
            return Err(Failure::TooLarge);
        }
        return Ok(Text {
            bytes,
            long: Vec::new(),
        });
    }
    let mut out = Text {
        bytes: Vec::new(),
        long: Vec::new(),
    };
    let mut offset = 0u64;
    let mut line = 1usize;
    // Bytes of the current line so far, and whether it is being skipped.
    let mut current = 0usize;
    let mut skipping: Option<LongLine> = None;
    loop {
        let available = fill(&mut r).map_err(Failure::Io)?;
        if available.is_empty() {
            break;
        }
        if let Some(at) = memchr(0, available) {
            return Err(Failure::Binary(offset + at as u64));
        }
        let (chunk, ends_line) = match memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let n = chunk.len();
        let content = n - usize::from(ends_line);
        match &mut skipping {
            Some(long) => long.len += content as u64,
            None if current + content > max_line => {
                // Too long: what was kept of it goes, its start is noted.
                let start_at = out.bytes.len() - current;
                let mut kept: Vec<u8> = out.bytes[start_at..].to_vec();
                kept.extend_from_slice(&chunk[..content.min(KEPT)]);
                kept.truncate(KEPT);
                out.bytes.truncate(start_at);
                skipping = Some(LongLine {
                    line,
                    len: (current + content) as u64,
                    start: String::from_utf8_lossy(&kept)
                        .trim_end_matches('\u{fffd}')
                        .to_owned(),
                });
            }
            None => {
                out.bytes.extend_from_slice(chunk);
                current += content;
            }
        }
        if ends_line {
            if let Some(long) = skipping.take() {
                let len = long.len;
                out.long.push(LongLine {
                    len: len - u64::from(chunk.get(content.wrapping_sub(1)) == Some(&b'\r')),
                    ..long
                });
                out.bytes.push(b'\n');
            }
            line += 1;
            current = 0;
        }
        offset += n as u64;
        r.consume(n);
    }
    if let Some(long) = skipping {
        out.long.push(long);
    }
    Ok(out)
}

/// At most `cap` bytes of the file at `path`; an error when it holds more.
pub fn capped(path: &std::path::Path, cap: u64) -> Result<Vec<u8>, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    if bytes.len() as u64 > cap {
        return Err(format!(
            "`{}` is larger than {} KiB: not a settings file",
            path.display(),
            cap >> 10
        ));
    }
    Ok(bytes)
}

fn fill<R: Read>(r: &mut BufReader<R>) -> io::Result<&[u8]> {
    loop {
        match r.fill_buf() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            // The borrow checker needs the buffer fetched again to return it.
            Ok(_) => return r.fill_buf(),
            Err(e) => return Err(e),
        }
    }
}

fn memchr(byte: u8, bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &[u8], max: usize) -> (String, Vec<(usize, u64, String)>) {
        let Ok(r) = lines(input, max) else {
            panic!("not read")
        };
        (
            String::from_utf8(r.bytes).unwrap(),
            r.long
                .into_iter()
                .map(|l| (l.line, l.len, l.start))
                .collect(),
        )
    }

    #[test]
    fn long_lines_are_skipped_and_noted() {
        let long = "x".repeat(300);
        let input = format!("a==1\n{long}\r\nb==2\n{long}");
        let (text, long_lines) = read(input.as_bytes(), 100);
        assert_eq!(text, "a==1\n\nb==2\n");
        assert_eq!(
            long_lines,
            [(2, 300, "x".repeat(80)), (4, 300, "x".repeat(80))]
        );
        // Exactly at the limit is kept.
        let (text, long_lines) = read(format!("{}\n", "y".repeat(100)).as_bytes(), 100);
        assert_eq!((text.len(), long_lines.len()), (101, 0));
    }

    #[test]
    fn a_nul_byte_is_a_binary_file() {
        assert!(matches!(
            lines(&b"a==1\nb\0"[..], 100),
            Err(Failure::Binary(6))
        ));
        // UTF-16 is not binary.
        let Ok(r) = lines(&b"\xFF\xFEa\0=\0"[..], 100) else {
            panic!("UTF-16")
        };
        assert_eq!(r.bytes, b"\xFF\xFEa\0=\0");
    }
}
