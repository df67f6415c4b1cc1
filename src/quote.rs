//! How values are written: the quoting rules of the language, and percent-encoding for a URL.
//! One home for them, below the parser's printer, the canonical printer, the checker's fixes
//! and the submitter.

use std::fmt::{self, Write};

/// Writes `text` as a quoted value: in double quotes, each `"` written twice.
pub(crate) fn write_quoted(out: &mut impl Write, text: &str) -> fmt::Result {
    out.write_char('"')?;
    for (i, part) in text.split('"').enumerate() {
        if i > 0 {
            out.write_str("\"\"")?;
        }
        out.write_str(part)?;
    }
    out.write_char('"')
}

/// Whether a string value is printed quoted: unless it is a plain word (ASCII letters, digits
/// and `_`, starting with a letter or `_`). A bare value could otherwise hold something the
/// grammar reads differently (separators, parentheses, quotes, spaces, a leading `=`), something
/// a URL mangles (`&`, `+`, `%`), or look to the server like a number, a date or a UID; quoted,
/// it can only be the string it is.
pub(crate) fn needs_quotes(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        _ => true,
    }
}

/// Whether the grammar needs `s` quoted to read it back as one value: it is empty, holds a
/// separator, a parenthesis, a quote or whitespace, or starts with a character that would join
/// the operator before it.
pub(crate) fn must_quote(s: &str) -> bool {
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
