//! Finding filters in any text: EM query URLs (`…/api/query?type=…`) and `filter=` strings.
//!
//! The text is read a line at a time. On each line:
//! - every `/api/query?` and `/query?type=` (any case) is a query URL, from where the URL starts (after a quote,
//!   a space, `(`, `=`, `>` …) to where it ends: the closing quote when the URL stands in a string
//!   literal (`"…"`, `'…'`), else the first space outside a quoted filter value (or `<` after `>`,
//!   in XML);
//! - every other `filter=` whose value starts like a comparison (`filter=Result==Failed`, not
//!   `filter=(&(cn=x))`) is a filter: percent-encoded when it follows `?` or `&`, as written
//!   otherwise, running to `&` (encoded), the closing quote or a space.
//!
//! A string literal that goes on in code (`"…filter=JobName==" + name`) is marked
//! [`Context::continued`], so that its end is opaque; `" + name + "` inside is a placeholder.

use super::{looks_like_clause, Context, Kind};
use crate::span::Span;

/// A query URL or filter found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its bytes in the text.
    pub span: Span,
    /// The 1-based line it is on.
    pub line: usize,
    /// The 1-based column (in characters) where it starts.
    pub column: usize,
    /// What it is.
    pub kind: Kind,
    /// How it stands in the text.
    pub context: Context,
}

/// Every query URL and `filter=` string of `text`, in order. `xml`: the text is XML or HTML.
///
/// ```
/// use emfilter::lint::{find::find, Kind};
///
/// let script = "$r = Invoke-RestMethod \"$em/api/query?type=Job&filter=Name==$name\"\n\
///               curl -G --data-urlencode 'filter=Result==Failed' \"$em/api/query\"\n";
/// let found = find(script, false);
/// assert_eq!(found.len(), 2);
/// assert_eq!((found[0].kind, found[0].line, found[0].column), (Kind::Query, 1, 25));
/// assert_eq!(&script[found[0].span.range()], "$em/api/query?type=Job&filter=Name==$name");
/// assert_eq!((found[1].kind, found[1].line, found[1].column), (Kind::Filter, 2, 34));
/// assert_eq!(&script[found[1].span.range()], "Result==Failed");
/// ```
pub fn find(text: &str, xml: bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for (n, line) in text.split('\n').enumerate() {
        let trimmed = line.strip_suffix('\r').unwrap_or(line);
        for (range, kind, context) in find_in_line(trimmed, xml) {
            out.push(Found {
                span: Span::new(line_start + range.start, line_start + range.end),
                line: n + 1,
                column: trimmed[..range.start].chars().count() + 1,
                kind,
                context,
            });
        }
        line_start += line.len() + 1;
    }
    out
}

type Item = (std::ops::Range<usize>, Kind, Context);

fn find_in_line(line: &str, xml: bool) -> Vec<Item> {
    let lower = line.to_ascii_lowercase();
    let mut items: Vec<Item> = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("/query?") {
        let at = from + i;
        // `/api/query?…`, or `$base/query?type=…` where the base ends in `/api`.
        if !(lower[..at].ends_with("/api") || lower[at..].starts_with("/query?type=")) {
            from = at + 1;
            continue;
        }
        let (start, delimiter) = start_of(line, at);
        let (end, continued) = end_of(line, at, delimiter, false);
        items.push((
            start..end,
            Kind::Query,
            Context {
                delimiter: delimiter.filter(|&q| q != '>' && q != '('),
                continued,
                xml,
                placeholders: true,
            },
        ));
        from = end.max(at + 1);
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find("filter=") {
        let at = from + i;
        from = at + 1;
        if items.iter().any(|(r, _, _)| r.contains(&at)) {
            continue;
        }
        let before = line[..at].chars().next_back();
        let encoded = matches!(before, Some('?' | '&')) || line[..at].ends_with("&amp;");
        // Outside a URL, only a lower-case `filter=` that starts a word (not `$filter=`).
        let word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | '.' | '@');
        if !encoded && (line.as_bytes()[at] != b'f' || before.is_some_and(word)) {
            continue;
        }
        let value = at + "filter=".len();
        let (delimiter, value_start) = match line[value..].chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), value + 1),
            _ => (
                start_of(line, at).1.filter(|&q| q != '>' && q != '('),
                value,
            ),
        };
        let (end, continued) = end_of(line, value_start, delimiter, encoded);
        let text = &line[value_start..end];
        let readable = if encoded {
            percent_encoding::percent_decode_str(text)
                .decode_utf8_lossy()
                .into_owned()
        } else {
            text.to_owned()
        };
        if !looks_like_clause(&readable) {
            continue;
        }
        items.push((
            value_start..end,
            if encoded {
                Kind::EncodedFilter
            } else {
                Kind::Filter
            },
            Context {
                delimiter,
                continued,
                xml,
                placeholders: true,
            },
        ));
        from = end.max(from);
    }
    items.sort_by_key(|(r, _, _)| r.start);
    items
}

/// Where the URL around byte `at` starts, and the quote before it (or `>` for XML content).
fn start_of(line: &str, at: usize) -> (usize, Option<char>) {
    let start = line[..at]
        .rfind(|c: char| c.is_whitespace() || "\"'`<>([=,".contains(c))
        .map_or(0, |i| i + 1);
    let before = line[..start].chars().next_back();
    (start, before.filter(|c| "\"'`>(".contains(*c)))
}

/// Where the text from `at` ends, and whether code continues the string literal there.
/// Inside a literal delimited by `q`, that is the first `q` not escaped as `\q` or `` `q `` (a
/// concatenation `" + x + "` is stepped over); elsewhere the first space outside `"…"`, `'`,
/// `` ` ``, or `<` after XML content. `&` and `#` end an encoded filter.
fn end_of(line: &str, at: usize, delimiter: Option<char>, encoded: bool) -> (usize, bool) {
    let b = line.as_bytes();
    let mut i = at;
    let mut in_quotes = false;
    let mut depth = 0usize;
    while i < b.len() {
        let c = b[i];
        if encoded && (c == b'&' || c == b'#') {
            return (i, false);
        }
        match delimiter {
            Some('>') if c == b'<' => return (i, false),
            // A Markdown link `[text](url)`: the `)` that closes the link's `(`.
            Some('(') if c == b'(' => depth += 1,
            Some('(') if c == b')' => {
                if depth == 0 {
                    return (i, false);
                }
                depth -= 1;
            }
            Some('(') if c.is_ascii_whitespace() => return (i, false),
            Some(q) if q != '>' && q != '(' => {
                let q = q as u8;
                if (c == b'\\' || c == b'`') && b.get(i + 1) == Some(&q) {
                    i += 2;
                    continue;
                }
                if c == q {
                    if let Some(len) = super::placeholder::concatenation(&line[i..]) {
                        i += len;
                        continue;
                    }
                    return (i, continues(&line[i + 1..]));
                }
            }
            _ => {
                if c == b'"' {
                    in_quotes = !in_quotes;
                } else if !in_quotes && (c.is_ascii_whitespace() || c == b'\'' || c == b'`') {
                    return (i, false);
                }
            }
        }
        i += 1;
    }
    (b.len(), false)
}

/// Whether `rest`, after a closing quote, joins more onto the string: `+ x`, `. $x`, `& x`.
fn continues(rest: &str) -> bool {
    let t = rest.trim_start();
    let spaced = t.len() < rest.len();
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some('+'), _) => true,
        (Some('.'), Some(c)) => spaced || c == ' ' || c == '$' || c.is_alphabetic(),
        (Some('&'), Some(' ')) => spaced,
        _ => false,
    }
}
