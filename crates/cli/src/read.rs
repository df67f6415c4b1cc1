//! Reading files of filters and query URLs (`--file`, `--urls`, standard input) and settings
//! files in bounded memory, whatever they hold: `/dev/zero`, a FIFO, one line of 50 MB, a
//! binary file.
//!
//! A line longer than its limit is skipped while it is read, never held whole: its place stays
//! as an empty line (so that the lines after it keep their numbers), and a [`LongLine`] says
//! where it was, how long, and how it began. Input holding a NUL byte is binary: reading stops
//! there. A file that starts with a UTF-16 byte-order mark (as Windows PowerShell writes them)
//! is read whole, up to [`MAX_UTF16`], and decoded by the caller.

use std::io::{self, Read};
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

/// The lines of a file of filters or query URLs that hold one, each with its number (from 1)
/// and the range of its bytes without the line break (`\n`, or `\r\n`): every line but the blank
/// ones (whitespace only, ASCII or not) and the comments (starting with `#` after whitespace).
/// The one home of that rule, for `fmt` and `check` alike. Line ends are found with `memchr`,
/// each byte looked at once.
pub fn filter_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, std::ops::Range<usize>)> + '_ {
    // Where the line not yet split starts; `None` once the last line (what follows the last
    // `\n`, maybe empty) is taken.
    let mut start = Some(0);
    let mut number = 0;
    std::iter::from_fn(move || loop {
        let from = start?;
        let end = match memchr::memchr(b'\n', &bytes[from..]) {
            Some(i) => {
                start = Some(from + i + 1);
                from + i
            }
            None => {
                start = None;
                bytes.len()
            }
        };
        number += 1;
        let line = &bytes[from..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if holds_filter(line) {
            return Some((number, from..from + line.len()));
        }
    })
}

/// Whether a line (without its line break) is neither blank nor a comment.
fn holds_filter(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii_start();
    match trimmed.first() {
        None | Some(b'#') => false,
        Some(&b) if b.is_ascii() && !char::from(b).is_whitespace() => true,
        // Other whitespace (a vertical tab, a no-break space, an ideographic space) leaves it
        // blank too.
        Some(_) => {
            let text = String::from_utf8_lossy(trimmed);
            let text = text.trim_start();
            !text.is_empty() && !text.starts_with('#')
        }
    }
}

/// How much is read at a time.
const CHUNK: u64 = 64 << 10;

/// Reads `reader` line by line, skipping each line longer than `max_line` bytes; stops at a NUL
/// byte (unless the input is UTF-16, read whole).
///
/// The input is read into one buffer, the text returned, a chunk at a time; each chunk is looked
/// at once for a NUL byte and once for its line breaks, and a line that turns out too long is
/// dropped from the buffer as it is read (so the buffer holds at most one chunk more than the
/// text kept).
pub fn lines(mut reader: impl Read, max_line: usize) -> Result<Text, Failure> {
    let mut out = Text {
        bytes: Vec::new(),
        long: Vec::new(),
    };
    // Bytes kept: `out.bytes[..kept]`; the rest of the buffer is the chunk being looked at.
    let mut kept = 0usize;
    // Where the current line starts among the bytes kept, and its number.
    let mut line_start = 0usize;
    let mut line = 1usize;
    // The line being skipped, and its last byte so far (a `\r` is not counted at its end).
    let mut skipping: Option<(LongLine, u8)> = None;
    // How much of the input was read before the chunk being looked at.
    let mut offset = 0u64;
    loop {
        let from = out.bytes.len();
        let n = read_chunk(&mut reader, &mut out.bytes, CHUNK)?;
        if n == 0 {
            break;
        }
        if offset == 0 && (out.bytes.starts_with(b"\xFF\xFE") || out.bytes.starts_with(b"\xFE\xFF"))
        {
            read_chunk(&mut reader, &mut out.bytes, MAX_UTF16 + 1 - n as u64)?;
            if out.bytes.len() as u64 > MAX_UTF16 {
                return Err(Failure::TooLarge);
            }
            return Ok(out);
        }
        if let Some(at) = memchr::memchr(0, &out.bytes[from..]) {
            return Err(Failure::Binary(offset + at as u64));
        }
        offset += n as u64;
        let end = out.bytes.len();
        let mut i = from;
        while i < end {
            let (stop, ends_line) = match memchr::memchr(b'\n', &out.bytes[i..end]) {
                Some(k) => (i + k, true),
                None => (end, false),
            };
            let content = stop - i;
            if skipping.is_none() && kept - line_start + content > max_line {
                // Too long: what was kept of it goes, its start is noted.
                let mut start = out.bytes[line_start..kept].to_vec();
                start.extend_from_slice(&out.bytes[i..i + content.min(KEPT)]);
                start.truncate(KEPT);
                let long = LongLine {
                    line,
                    len: (kept - line_start) as u64,
                    start: String::from_utf8_lossy(&start)
                        .trim_end_matches('\u{fffd}')
                        .to_owned(),
                };
                skipping = Some((long, 0));
                kept = line_start;
            }
            match &mut skipping {
                Some((long, last)) => {
                    long.len += content as u64;
                    if content > 0 {
                        *last = out.bytes[stop - 1];
                    }
                    if ends_line {
                        let (mut long, last) = skipping.take().expect("skipping");
                        long.len -= u64::from(last == b'\r');
                        out.long.push(long);
                        // Its place stays, as an empty line.
                        out.bytes[kept] = b'\n';
                        kept += 1;
                    }
                }
                None => {
                    let upto = stop + usize::from(ends_line);
                    if kept != i {
                        out.bytes.copy_within(i..upto, kept);
                    }
                    kept += upto - i;
                }
            }
            if ends_line {
                line += 1;
                line_start = kept;
            }
            i = stop + usize::from(ends_line);
        }
        out.bytes.truncate(kept);
    }
    if let Some((long, _)) = skipping {
        out.long.push(long);
    }
    Ok(out)
}

/// Appends at most `limit` bytes of `reader` to `buf`, reading until it has them or the input
/// ends: how many.
fn read_chunk(reader: &mut impl Read, buf: &mut Vec<u8>, limit: u64) -> Result<usize, Failure> {
    reader
        .by_ref()
        .take(limit)
        .read_to_end(buf)
        .map_err(Failure::Io)
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

    fn filters(input: &str) -> Vec<(usize, &str)> {
        filter_lines(input.as_bytes())
            .map(|(n, r)| (n, &input[r]))
            .collect()
    }

    #[test]
    fn filter_lines_skip_blank_and_comment_lines() {
        assert_eq!(filters(""), []);
        assert_eq!(filters("\n\n"), []);
        assert_eq!(
            filters("a==1\r\n\n  \r\n# note\n  #x\nb==2\r\n c==3"),
            [(1, "a==1"), (6, "b==2"), (7, " c==3")]
        );
        // Only the last `\r` goes; one inside the line stays; the last line needs no `\n`.
        assert_eq!(filters("a\r\r\nb"), [(1, "a\r"), (2, "b")]);
        assert_eq!(filters("a\n"), [(1, "a")]);
        // Whitespace beyond ASCII is blank, before a comment too; other characters are not.
        assert_eq!(
            filters("\u{a0}\u{3000}\n\u{2003}# x\n\u{e9}==1\n\t\u{a0}b"),
            [(3, "\u{e9}==1"), (4, "\t\u{a0}b")]
        );
        // Not UTF-8: a filter (the caller says what is wrong with it).
        let bytes = b"\xff\n \xc2\n";
        assert_eq!(
            filter_lines(bytes).collect::<Vec<_>>(),
            [(1, 0..1), (2, 2..4)]
        );
    }

    proptest::proptest! {
        /// Against the rule said plainly: split at `\n`, drop one `\r` at the end, skip what
        /// is blank or a comment once decoded (lossily), on any bytes.
        #[test]
        fn filter_lines_follow_the_rule(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(b"\n\r \t\x0b#a\0".to_vec()),
                proptest::num::u8::ANY,
            ],
            0..64,
        ), unicode in proptest::sample::select(vec!["", "\u{a0}", "\u{3000}", "\u{e9}"])) {
            let mut bytes = bytes;
            bytes.splice(0..0, unicode.bytes());
            let expected: Vec<_> = bytes
                .split(|&b| b == b'\n')
                .scan(0, |at, line| {
                    let start = *at;
                    *at += line.len() + 1;
                    Some((start, line))
                })
                .enumerate()
                .filter_map(|(i, (start, line))| {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    let text = String::from_utf8_lossy(line);
                    let text = text.trim_start();
                    (!text.is_empty() && !text.starts_with('#'))
                        .then_some((i + 1, start..start + line.len()))
                })
                .collect();
            proptest::prop_assert_eq!(filter_lines(&bytes).collect::<Vec<_>>(), expected);
        }
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

    /// A reader that gives at most `n` bytes a call, as a pipe may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_across_chunks_are_read_and_skipped_alike() {
        // Lines of every length around the limit, long ones across the chunk boundary, `\r\n`
        // split between chunks: the same text and the same long lines whatever the chunks.
        let mut input = String::new();
        let mut want = String::new();
        let mut want_long = Vec::new();
        let mut n = 0;
        while input.len() < 3 * CHUNK as usize {
            n += 1;
            let len = (n * 7919) % 1300;
            let line: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let end = if n % 3 == 0 { "\r\n" } else { "\n" };
            input.push_str(&line);
            input.push_str(end);
            if len + usize::from(end == "\r\n") > 1000 {
                want_long.push((n, len as u64, line[..80].to_owned()));
                want.push('\n');
            } else {
                want.push_str(&line);
                want.push_str(end);
            }
        }
        for step in [1 << 20, 4096, 997] {
            let Ok(r) = lines(Trickle(input.as_bytes(), step), 1000) else {
                panic!("read")
            };
            assert_eq!(String::from_utf8(r.bytes).unwrap(), want, "reads of {step}");
            let long: Vec<_> = r
                .long
                .into_iter()
                .map(|l| (l.line, l.len, l.start))
                .collect();
            assert_eq!(long, want_long, "reads of {step}");
        }
        // A NUL byte past the first chunk, at its offset.
        let mut far = vec![b'x'; CHUNK as usize + 10];
        far.push(0);
        assert!(matches!(
            lines(Trickle(&far, 4096), 1 << 30),
            Err(Failure::Binary(o)) if o == CHUNK + 10
        ));
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
