//! Decoding text as it stands in a file or URL, keeping track of where each decoded byte came from.
//!
//! Two layers, each a [`Decoded`] whose bytes map back to ranges of the text below it:
//! 1. the host's escapes ([`host`]): `\"` and `` `" `` inside a string delimited by `"`, XML
//!    entities in XML files (`&amp;` is read as `&` everywhere), and placeholders replaced by an
//!    opaque marker;
//! 2. URL percent-encoding ([`percent`]): `%XX` and `+` (a space, as .NET reads query strings).
//!
//! [`Decoded::compose`] chains them, so that a span in the decoded filter maps to the exact bytes
//! of the original text, however they were escaped.

use std::borrow::Cow;
use std::ops::Range;

use emfilter::Span;

/// The byte that stands for a placeholder in decoded text: a plain name character, so that a
/// placeholder reads as a field name or an unquoted value and the rest of the filter still parses.
pub(crate) const MARKER: u8 = b'_';

/// Decoded text and, for each of its bytes, the range of the original text it came from.
///
/// Text that no escape, entity or placeholder changed (a plain filter, which most are) keeps no
/// map and no copy: it borrows the original, and byte `i` came from `start + i`.
#[derive(Debug, Clone)]
pub(crate) struct Decoded<'a> {
    pub bytes: Cow<'a, [u8]>,
    /// Unchanged text known to be UTF-8 (cut at character boundaries of a `str`): its text,
    /// without a second look at its bytes.
    text: Option<&'a str>,
    /// For each byte, where it came from; empty for unchanged text.
    map: Vec<(u32, u32)>,
    /// Whether each byte stands for (part of) a placeholder; empty for unchanged text.
    opaque: Vec<bool>,
    /// Where the decoded text ends in the original, for empty spans at its end.
    end: u32,
    /// Where unchanged text starts in the original (`None` once it has a map).
    unchanged: Option<u32>,
}

impl<'a> Decoded<'a> {
    /// `text[range]` unchanged, mapped to itself.
    pub fn identity(text: &'a str, range: Range<usize>) -> Decoded<'a> {
        Decoded {
            bytes: Cow::Borrowed(&text.as_bytes()[range.clone()]),
            text: text.get(range.clone()),
            map: Vec::new(),
            opaque: Vec::new(),
            end: range.end as u32,
            unchanged: Some(range.start as u32),
        }
    }

    fn new(end: usize) -> Decoded<'a> {
        Decoded {
            bytes: Cow::Owned(Vec::new()),
            text: None,
            map: Vec::new(),
            opaque: Vec::new(),
            end: end as u32,
            unchanged: None,
        }
    }

    /// Where decoded byte `i` came from.
    fn source_of(&self, i: usize) -> Option<(u32, u32)> {
        match self.unchanged {
            Some(start) => (i < self.bytes.len()).then(|| {
                let at = start + i as u32;
                (at, at + 1)
            }),
            None => self.map.get(i).copied(),
        }
    }

    /// Writes the map of unchanged text out, before bytes are added to it.
    fn keep_map(&mut self) {
        self.text = None;
        if let Some(start) = self.unchanged.take() {
            self.map = (0..self.bytes.len() as u32)
                .map(|i| (start + i, start + i + 1))
                .collect();
            self.opaque = vec![false; self.bytes.len()];
        }
    }

    fn push(&mut self, byte: u8, start: usize, end: usize) {
        self.keep_map();
        self.bytes.to_mut().push(byte);
        self.map.push((start as u32, end as u32));
        self.opaque.push(false);
    }

    /// Appends a [`MARKER`] for a placeholder at `start..end` of the original.
    pub fn push_marker(&mut self, start: usize, end: usize) {
        self.push(MARKER, start, end);
        *self.opaque.last_mut().expect("just pushed") = true;
    }

    /// Whether the decoded span touches a placeholder (an empty span, the byte at it).
    pub fn is_opaque(&self, span: Span) -> bool {
        let (s, e) = (
            span.start as usize,
            (span.end as usize).max(span.start as usize + 1),
        );
        self.opaque
            .get(s.min(self.opaque.len())..e.min(self.opaque.len()))
            .is_some_and(|o| o.iter().any(|&x| x))
    }

    fn push_str(&mut self, s: &str, start: usize, end: usize) {
        for b in s.bytes() {
            self.push(b, start, end);
        }
    }

    /// The decoded text, when it is UTF-8; otherwise the original span of the first bad byte.
    pub fn text(&self) -> Result<&str, Span> {
        if let Some(text) = self.text {
            return Ok(text);
        }
        std::str::from_utf8(&self.bytes).map_err(|e| {
            let at = e.valid_up_to();
            let len = e.error_len().unwrap_or(self.bytes.len() - at);
            self.original(Span::new(at, at + len))
        })
    }

    /// The original range of the decoded span `span`.
    pub fn original(&self, span: Span) -> Span {
        let (s, e) = (span.start as usize, span.end as usize);
        let start = |i: usize| self.source_of(i).map_or(self.end, |m| m.0);
        if s >= e {
            return Span::new(start(s) as usize, start(s) as usize);
        }
        let end = self.source_of(e - 1).map_or(self.end, |m| m.1);
        Span::new(start(s) as usize, end as usize)
    }

    /// Where decoded byte offset `i` starts in the original.
    pub fn original_offset(&self, i: usize) -> usize {
        self.source_of(i).map_or(self.end, |m| m.0) as usize
    }

    /// `upper`, decoded from this text, mapped through to this text's original.
    pub fn compose(&self, upper: &Decoded) -> Decoded<'a> {
        let mut d = Decoded::new(self.original_offset(upper.end as usize));
        for (k, &b) in upper.bytes.iter().enumerate() {
            let (s, e) = upper.source_of(k).expect("a byte of upper");
            let lower = Span::new(s as usize, e as usize);
            let span = self.original(lower);
            d.push(b, span.start as usize, span.end as usize);
            d.opaque[k] = upper.opaque.get(k).is_some_and(|&o| o) || self.is_opaque(lower);
        }
        d
    }

    /// The bytes `range` of this text, still mapped to the original.
    pub fn slice(&self, range: Range<usize>) -> Decoded<'a> {
        let bytes = match self.bytes {
            Cow::Borrowed(b) => Cow::Borrowed(&b[range.clone()]),
            Cow::Owned(ref v) => Cow::Owned(v[range.clone()].to_vec()),
        };
        if let Some(start) = self.unchanged {
            return Decoded {
                bytes,
                text: self.text.and_then(|t| t.get(range.clone())),
                map: Vec::new(),
                opaque: Vec::new(),
                end: self.original_offset(range.end) as u32,
                unchanged: Some(start + range.start as u32),
            };
        }
        Decoded {
            bytes,
            text: None,
            map: self.map[range.clone()].to_vec(),
            opaque: self.opaque[range.clone()].to_vec(),
            end: self.original_offset(range.end) as u32,
            unchanged: None,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
}

/// How the text stands in its file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Host {
    /// The quote that delimits the string the text stands in.
    pub delimiter: Option<char>,
    /// Whether XML entities are to be read.
    pub xml: bool,
    /// Whether `&amp;` is read as `&` (in XML, and in query URLs, where it is a separator).
    pub amp: bool,
    /// Whether the text is a printf format (it holds a `%s`-like placeholder), in which `%%`
    /// stands for `%`: `"…Name==%%22%s%%22" % job` sends `%22`.
    pub printf: bool,
}

/// Layer 1: `text[range]` with the host's escapes read and each of `placeholders` (ranges of
/// `text`) replaced by one [`MARKER`].
pub(crate) fn host<'a>(
    text: &'a str,
    range: Range<usize>,
    host: Host,
    placeholders: &[Span],
) -> Decoded<'a> {
    let b = text.as_bytes();
    // Text with nothing to read (no escape of its delimiter, no entity, no placeholder) is
    // itself: no byte-by-byte copy, no map.
    let part = &b[range.clone()];
    let escapes = host.delimiter.is_some() && (part.contains(&b'\\') || part.contains(&b'`'));
    let entities = (host.amp || host.xml) && part.contains(&b'&');
    let printf = host.printf && part.windows(2).any(|w| w == b"%%");
    let placeholder = placeholders
        .iter()
        .any(|p| range.contains(&(p.start as usize)));
    if !escapes && !entities && !placeholder && !printf {
        return Decoded::identity(text, range);
    }
    let mut d = Decoded::new(range.end);
    let mut i = range.start;
    // The placeholders are in order: the next one not yet passed.
    let mut next = placeholders.partition_point(|p| (p.start as usize) < i);
    while i < range.end {
        while placeholders
            .get(next)
            .is_some_and(|p| (p.start as usize) < i)
        {
            next += 1;
        }
        if let Some(p) = placeholders.get(next).filter(|p| p.start as usize == i) {
            let end = (p.end as usize).clamp(i + 1, range.end);
            d.push_marker(i, end);
            i = end;
            continue;
        }
        if let Some(q) = host.delimiter {
            let q = q as u8;
            if (b[i] == b'\\' || b[i] == b'`') && b.get(i + 1) == Some(&q) && i + 1 < range.end {
                d.push(q, i, i + 2);
                i += 2;
                continue;
            }
        }
        if printf && b[i] == b'%' && b.get(i + 1) == Some(&b'%') && i + 1 < range.end {
            d.push(b'%', i, i + 2);
            i += 2;
            continue;
        }
        if b[i] == b'&' {
            if let Some((decoded, len)) = entity(&text[i..range.end], host) {
                d.push_str(decoded.encode_utf8(&mut [0; 4]), i, i + len);
                i += len;
                continue;
            }
        }
        d.push(b[i], i, i + 1);
        i += 1;
    }
    d
}

/// The XML entity at the start of `s` and its length.
fn entity(s: &str, host: Host) -> Option<(char, usize)> {
    if s.starts_with("&amp;") && (host.amp || host.xml) {
        return Some(('&', 5));
    }
    if !host.xml {
        return None;
    }
    for (name, c) in [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
    ] {
        if s.starts_with(name) {
            return Some((c, name.len()));
        }
    }
    let rest = s.strip_prefix("&#")?;
    // A character reference is short: look for its `;` in the next few bytes only.
    let semi = rest.bytes().take(9).position(|c| c == b';')?;
    let num = &rest[..semi];
    let code = match num.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => num.parse().ok()?,
    };
    Some((char::from_u32(code)?, semi + 3))
}

/// Layer 2: the bytes `range` of `layer` percent-decoded, `+` read as a space.
pub(crate) fn percent(layer: &Decoded, range: Range<usize>) -> Decoded<'static> {
    let b = &layer.bytes;
    let mut d = Decoded::new(range.end);
    let mut i = range.start;
    while i < range.end {
        match b[i] {
            b'%' if i + 3 <= range.end
                && b[i + 1].is_ascii_hexdigit()
                && b[i + 2].is_ascii_hexdigit() =>
            {
                let byte = hex(b[i + 1]) << 4 | hex(b[i + 2]);
                d.push(byte, i, i + 3);
                i += 3;
            }
            b'+' => {
                d.push(b' ', i, i + 1);
                i += 1;
            }
            byte => {
                d.push(byte, i, i + 1);
                i += 1;
            }
        }
    }
    d
}

fn hex(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        _ => d - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_spans_map_back() {
        let text = "a%3D%3Db+c";
        let l1 = Decoded::identity(text, 0..text.len());
        let l2 = l1.compose(&percent(&l1, 0..text.len()));
        assert_eq!(l2.text().unwrap(), "a==b c");
        assert_eq!(l2.original(Span::new(1, 3)), Span::new(1, 7));
        assert_eq!(l2.original(Span::new(4, 5)), Span::new(8, 9));
        assert_eq!(l2.original(Span::empty(6)), Span::empty(10));
    }

    #[test]
    fn host_escapes_and_placeholders() {
        let text = r#"x=\"a\"&amp;$n"#;
        let d = host(
            text,
            0..text.len(),
            Host {
                delimiter: Some('"'),
                xml: false,
                amp: true,
                printf: false,
            },
            &[Span::new(12, 14)],
        );
        assert_eq!(d.text().unwrap(), "x=\"a\"&_");
        assert_eq!(d.original(Span::new(2, 3)), Span::new(2, 4));
        assert_eq!(d.original(Span::new(5, 6)), Span::new(7, 12));
        assert_eq!(d.original(Span::new(6, 7)), Span::new(12, 14));
        assert!(d.is_opaque(Span::new(6, 7)) && !d.is_opaque(Span::new(0, 6)));
    }
}
