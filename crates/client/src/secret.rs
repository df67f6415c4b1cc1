//! Text that must never be shown: the password, the Basic credentials, the session token, the
//! logon session's id; and how they are hidden in what the server says.

use std::fmt;

/// A secret string. `Debug` shows `<hidden>`; the bytes are overwritten when it is dropped.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub fn new(text: String) -> Secret {
        Secret(text)
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

/// The shortest secret (or prefix of one cut at the end of a text) that is hidden: hiding
/// every `a` of a message would hide the message, not the secret.
const MIN_SECRET: usize = 3;

/// What stands for a hidden secret.
pub(crate) const HIDDEN: &str = "<hidden>";

/// Finds secrets in text in every encoding they can appear in, and hides them.
///
/// Each secret is looked for as it is, and each also through three views of the text: as it
/// reads with its JSON string escapes undone (`\"`, `\\`, `\/`, `\u00e9`, surrogate
/// pairs), with its percent-escapes undone (`%20`, `%2f`, `+` as a space), and as it is. The
/// base64 forms of the Basic credentials (standard and URL-safe alphabets, with and without
/// padding) are secrets of their own, given by the caller. A text that was cut (at a size
/// limit) may end with the start of a secret: such a tail is hidden too.
pub(crate) struct Redactor {
    needles: Vec<Needle>,
}

struct Needle {
    bytes: Vec<u8>,
    /// Compared without regard to ASCII case (a GUID may be written either way).
    fold: bool,
}

impl Redactor {
    /// A redactor of `secrets` (each with whether its case may vary); secrets shorter than
    /// [`MIN_SECRET`] bytes are left alone.
    pub fn new<'a>(secrets: impl IntoIterator<Item = (&'a str, bool)>) -> Redactor {
        let mut needles: Vec<Needle> = Vec::new();
        for (s, fold) in secrets {
            if s.len() >= MIN_SECRET && !needles.iter().any(|n| n.bytes == s.as_bytes()) {
                needles.push(Needle {
                    bytes: s.as_bytes().to_vec(),
                    fold,
                });
            }
        }
        // Longest first, so that a secret holding another is hidden whole.
        needles.sort_by_key(|n| std::cmp::Reverse(n.bytes.len()));
        Redactor { needles }
    }

    /// `text` with every secret, in every encoding, replaced by `<hidden>`; with `cut` (the
    /// text is the start of a longer one), a tail that starts a secret is hidden as well.
    pub fn redact(&self, text: &str, cut: bool) -> String {
        if self.needles.is_empty() {
            return text.to_owned();
        }
        let mut hidden: Vec<(usize, usize)> = Vec::new();
        for view in [View::plain(text), View::json(text), View::percent(text)] {
            for needle in &self.needles {
                view.find_all(needle, &mut hidden);
                if cut {
                    view.find_tail(needle, &mut hidden);
                }
            }
        }
        if hidden.is_empty() {
            return text.to_owned();
        }
        hidden.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in hidden {
            // Widened to whole characters.
            let start = floor(text, start.max(at));
            let end = ceil(text, end);
            if end <= at {
                continue;
            }
            if start > at || at == 0 || !out.ends_with(HIDDEN) {
                out.push_str(&text[at..start]);
                out.push_str(HIDDEN);
            }
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A decoding of a text: its bytes, each with the range of the text it came from.
struct View {
    bytes: Vec<u8>,
    from: Vec<(usize, usize)>,
}

impl View {
    fn plain(text: &str) -> View {
        View {
            bytes: text.as_bytes().to_vec(),
            from: (0..text.len()).map(|i| (i, i + 1)).collect(),
        }
    }

    /// The text with JSON string escapes undone (anything else kept as it is).
    fn json(text: &str) -> View {
        let b = text.as_bytes();
        let mut view = View {
            bytes: Vec::with_capacity(b.len()),
            from: Vec::with_capacity(b.len()),
        };
        let hex4 = |i: usize| -> Option<u32> {
            let digits = b.get(i..i + 4)?;
            u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
        };
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\' {
                let simple = match b.get(i + 1) {
                    Some(b'"') => Some(b'"'),
                    Some(b'\\') => Some(b'\\'),
                    Some(b'/') => Some(b'/'),
                    Some(b'b') => Some(8),
                    Some(b'f') => Some(12),
                    Some(b'n') => Some(b'\n'),
                    Some(b'r') => Some(b'\r'),
                    Some(b't') => Some(b'\t'),
                    _ => None,
                };
                if let Some(c) = simple {
                    view.push(&[c], i, i + 2);
                    i += 2;
                    continue;
                }
                if b.get(i + 1) == Some(&b'u') {
                    if let Some(hi) = hex4(i + 2) {
                        // A surrogate pair is one character.
                        let pair = (0xD800..0xDC00).contains(&hi)
                            && b.get(i + 6..i + 8) == Some(b"\\u")
                            && hex4(i + 8).is_some_and(|lo| (0xDC00..0xE000).contains(&lo));
                        let (c, len) = if pair {
                            let lo = hex4(i + 8).unwrap_or(0);
                            (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), 12)
                        } else {
                            (hi, 6)
                        };
                        if let Some(c) = char::from_u32(c) {
                            let mut buf = [0u8; 4];
                            view.push(c.encode_utf8(&mut buf).as_bytes(), i, i + len);
                            i += len;
                            continue;
                        }
                    }
                }
            }
            view.push(&[b[i]], i, i + 1);
            i += 1;
        }
        view
    }

    /// The text with percent-escapes undone and `+` read as a space.
    fn percent(text: &str) -> View {
        let b = text.as_bytes();
        let mut view = View {
            bytes: Vec::with_capacity(b.len()),
            from: Vec::with_capacity(b.len()),
        };
        let hex = |c: u8| (c as char).to_digit(16);
        let mut i = 0;
        while i < b.len() {
            match (
                b[i],
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (b'%', Some(h), Some(l)) => {
                    view.push(&[(h * 16 + l) as u8], i, i + 3);
                    i += 3;
                }
                (b'+', _, _) => {
                    view.push(b" ", i, i + 1);
                    i += 1;
                }
                (c, _, _) => {
                    view.push(&[c], i, i + 1);
                    i += 1;
                }
            }
        }
        view
    }

    fn push(&mut self, bytes: &[u8], start: usize, end: usize) {
        for &c in bytes {
            self.bytes.push(c);
            self.from.push((start, end));
        }
    }

    /// The range of the text that bytes `start..end` of the view came from.
    fn source(&self, start: usize, end: usize) -> (usize, usize) {
        (self.from[start].0, self.from[end - 1].1)
    }

    /// Every occurrence of `needle`, as ranges of the text.
    fn find_all(&self, needle: &Needle, out: &mut Vec<(usize, usize)>) {
        let n = needle.bytes.len();
        if n == 0 || self.bytes.len() < n {
            return;
        }
        let mut i = 0;
        while i + n <= self.bytes.len() {
            if same(&self.bytes[i..i + n], &needle.bytes, needle.fold) {
                out.push(self.source(i, i + n));
                i += n;
            } else {
                i += 1;
            }
        }
    }

    /// A tail of the view that is a prefix of `needle` (at least [`MIN_SECRET`] bytes long).
    fn find_tail(&self, needle: &Needle, out: &mut Vec<(usize, usize)>) {
        let len = self.bytes.len();
        let longest = (needle.bytes.len() - 1).min(len);
        for k in (MIN_SECRET..=longest).rev() {
            if same(&self.bytes[len - k..], &needle.bytes[..k], needle.fold) {
                out.push(self.source(len - k, len));
                return;
            }
        }
    }
}

fn same(a: &[u8], b: &[u8], fold: bool) -> bool {
    if fold {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// `text` with everything shaped like a GUID (8-4-4-4-12 hex digits) replaced by `<hidden>`:
/// for text that may hold a logon session's id before the id is known.
pub(crate) fn redact_guids(text: &str) -> String {
    const SHAPE: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let guid_at = |start: usize| -> Option<usize> {
        let mut i = start;
        for (n, len) in SHAPE.iter().enumerate() {
            if n > 0 {
                (bytes.get(i) == Some(&b'-')).then_some(())?;
                i += 1;
            }
            let group = bytes.get(i..i + len)?;
            group.iter().all(u8::is_ascii_hexdigit).then_some(())?;
            i += len;
        }
        Some(i)
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let boundary = i == 0 || !bytes[i - 1].is_ascii_hexdigit();
        match guid_at(i).filter(|_| boundary) {
            Some(end) => {
                out.push_str("<hidden>");
                i = end;
            }
            None => {
                let c = text[i..].chars().next().expect("at a char boundary");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let s = Secret::new("hunter2".to_owned());
        assert_eq!(format!("{s:?}"), "<hidden>");
    }

    #[test]
    fn redact_guids_hides_guid_shapes_only() {
        assert_eq!(
            redact_guids(r#"{"SessionId":"4e8f2905-a88d-4c9d-9e58-56608d0f0b0b","é":1}"#),
            r#"{"SessionId":"<hidden>","é":1}"#
        );
        assert_eq!(redact_guids("4e8f2905-a88d-4c9d"), "4e8f2905-a88d-4c9d");
    }

    #[test]
    fn redact_hides_every_occurrence() {
        let r = Redactor::new([("tok3n", false), ("a", false)]);
        assert_eq!(
            r.redact("a tok3n and tok3n", false),
            "a <hidden> and <hidden>"
        );
    }

    #[test]
    fn redact_sees_through_json_and_percent_escapes() {
        let r = Redactor::new([("Pa55 w&rd;\"é:x", false)]);
        for text in [
            "echo: Pa55 w&rd;\"é:x.",
            r#"echo: Pa55 w&rd;\"é:x."#,
            r#"echo: Pa55 w\u0026rd;\u0022\u00e9:x."#,
            r#"echo: Pa55 w\u0026rd;\u0022\u00E9:x."#,
            "echo: Pa55%20w%26rd%3B%22%C3%A9%3Ax.",
            "echo: Pa55+w%26rd%3b%22%c3%a9%3ax.",
        ] {
            assert_eq!(r.redact(text, false), "echo: <hidden>.", "{text}");
        }
        // Whitespace inside a secret is part of it: nothing is squeezed before.
        let r = Redactor::new([("two  spaces\tand tab", false)]);
        assert_eq!(r.redact("[two  spaces\tand tab]", false), "[<hidden>]");
        // A GUID in either case.
        let r = Redactor::new([("4e8f2905-a88d-4c9d-9e58-56608d0f0b0b", true)]);
        assert_eq!(
            r.redact("id 4E8F2905-A88D-4C9D-9E58-56608D0F0B0B", false),
            "id <hidden>"
        );
    }

    #[test]
    fn a_text_cut_inside_a_secret_hides_its_start() {
        let r = Redactor::new([("hunter2-hunter2", false)]);
        assert_eq!(
            r.redact("password was hunter2-hu", true),
            "password was <hidden>"
        );
        assert_eq!(
            r.redact("password was hunter2-hu", false),
            "password was hunter2-hu"
        );
        assert_eq!(r.redact("ends with hun", true), "ends with <hidden>");
        assert_eq!(r.redact("ends with hu", true), "ends with hu");
        // Through an escape, and never splitting a character.
        let r = Redactor::new([("pässwörd", false)]);
        assert_eq!(r.redact("x p\\u00e4ssw", true), "x <hidden>");
        assert_eq!(r.redact("x pässw\u{f6}", true), "x <hidden>");
    }
}
