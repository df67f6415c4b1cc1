//! How values are written: the quoting rules of the language, and percent-encoding for a URL.
//! One home for them, below the parser's printer, the canonical printer, the checker's fixes
//! and the submitter.

use std::fmt::{self, Write};

use crate::swar;

/// Writes `text` as a quoted value: in double quotes, each `"` written twice.
pub(crate) fn write_quoted(out: &mut impl Write, text: &str) -> fmt::Result {
    out.write_char('"')?;
    let mut rest = text;
    while let Some(at) = swar::find(rest.as_bytes(), b'"') {
        // Up to and with the quote, then the quote again.
        let (part, after) = rest.split_at(at + 1);
        out.write_str(part)?;
        out.write_char('"')?;
        rest = after;
    }
    out.write_str(rest)?;
    out.write_char('"')
}

/// Whether a string value is printed quoted: unless it is a plain word (ASCII letters, digits
/// and `_`, starting with a letter or `_`). A bare value could otherwise hold something the
/// grammar reads differently (separators, parentheses, quotes, spaces, a leading `=`), something
/// a URL mangles (`&`, `+`, `%`), or look to the server like a number, a date or a UID; quoted,
/// it can only be the string it is.
pub(crate) fn needs_quotes(s: &str) -> bool {
    // Eight bytes at a time: every byte of a character that is not ASCII fails the tests, as
    // the character would. A letter or `_` first is a word byte that is not a digit.
    match s.as_bytes() {
        b @ [first, ..] if !first.is_ascii_digit() => !swar::all(b, b'_', word_byte),
        _ => true,
    }
}

/// The bytes of `w` that may be in a plain word: ASCII letters, digits and `_`.
const fn word_byte(w: u64) -> u64 {
    swar::alphanumeric(w) | swar::equal(w, b'_')
}

/// Whether the grammar needs `s` quoted to read it back as one value: it is empty, holds a
/// separator, a parenthesis, a quote or whitespace, or starts with a character that would join
/// the operator before it.
pub(crate) fn must_quote(s: &str) -> bool {
    // What values mostly are, a word of ASCII letters and digits, is none of that: answered
    // without decoding characters.
    if !s.is_empty() && swar::all(s.as_bytes(), b'a', swar::alphanumeric) {
        return false;
    }
    s.is_empty()
        || s.starts_with(['=', '<', '>', '!'])
        || s.chars()
            .any(|c| matches!(c, ';' | ',' | '(' | ')' | '"') || c.is_whitespace())
}

/// Percent-encodes `text` for a URL query parameter value: everything but ASCII letters, digits
/// and `-` `.` `_` `~`.
///
/// ```
/// assert_eq!(emfilter::encode_query_value("a b&c;d=\"é\""), "a%20b%26c%3Bd%3D%22%C3%A9%22");
/// ```
pub fn encode_query_value(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_doubled_inside_quotes() {
        for (text, want) in [
            ("", r#""""#),
            ("a b", r#""a b""#),
            (r#"""#, r#""""""#),
            (r#"say "hi""#, r#""say ""hi""""#),
            (r#""""x"#, r#""""""""x""#),
        ] {
            let mut out = String::new();
            write_quoted(&mut out, text).unwrap();
            assert_eq!(out, want, "{text}");
        }
    }

    /// The tests as they read byte by byte.
    fn needs_quotes_bytewise(s: &str) -> bool {
        match s.as_bytes() {
            [first, rest @ ..] if first.is_ascii_alphabetic() || *first == b'_' => {
                !rest.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
            }
            _ => true,
        }
    }

    fn must_quote_bytewise(s: &str) -> bool {
        s.is_empty()
            || s.starts_with(['=', '<', '>', '!'])
            || s.chars()
                .any(|c| matches!(c, ';' | ',' | '(' | ')' | '"') || c.is_whitespace())
    }

    #[test]
    fn word_tests_read_as_byte_by_byte() {
        // Every ASCII character, and the bytes of a few others, in every place of words of
        // each length up to three words.
        let chars: Vec<char> = (0..128u8)
            .map(char::from)
            .chain(['é', '\u{a0}', '\u{2028}', '日'])
            .collect();
        for len in 1..=24 {
            for place in 0..len {
                for &c in &chars {
                    for fill in ['a', '_', '7'] {
                        let mut text: Vec<char> = vec![fill; len];
                        text[place] = c;
                        let text: String = text.into_iter().collect();
                        assert_eq!(
                            needs_quotes(&text),
                            needs_quotes_bytewise(&text),
                            "{text:?}"
                        );
                        assert_eq!(must_quote(&text), must_quote_bytewise(&text), "{text:?}");
                    }
                }
            }
        }
        assert!(needs_quotes("") && must_quote(""));
    }

    #[test]
    fn plain_words_need_no_quotes() {
        for word in ["a", "Backup", "_x1", "job_2"] {
            assert!(!needs_quotes(word) && !must_quote(word), "{word}");
        }
        // Any other string is quoted when printed; the grammar needs quotes for fewer.
        for (text, must) in [
            ("", true),
            ("1a", false),
            ("a-b", false),
            ("é", false),
            ("aé", false),
            ("a\u{a0}b", true),
            ("a b", true),
            ("a\u{b}b", true),
            ("=a", true),
            ("!a", true),
            ("a=", false),
            ("a;b", true),
            ("a,b", true),
            ("(a", true),
            ("a)", true),
            ("a\"", true),
        ] {
            assert!(needs_quotes(text), "{text:?}");
            assert_eq!(must_quote(text), must, "{text:?}");
        }
    }
}
