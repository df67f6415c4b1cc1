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
//! - `filter` as a key with a string value that starts like a comparison, as code and configs
//!   write query parameters apart from the URL: `filter = "…"`, `{"filter": "…"}` (Python
//!   `params=`, JSON), `'filter' => '…'` (PHP), `@{ filter = '…' }` (PowerShell), `filter: …`
//!   (YAML), `["filter", "…"]` (Grafana's JSON API parameters);
//! - the value of a name/value pair whose name is `filter`, on the same line or one of the next
//!   three: Zabbix HTTP-agent `query_fields` (`- name: filter` / `value: …`, or
//!   `<name>filter</name>` / `<value>…</value>` in XML exports), Grafana Infinity URL parameters
//!   (`{"key": "filter", "value": "…"}`). Its value is checked whatever it looks like: the pair
//!   says it is a filter.
//!
//! A string literal that goes on in code (`"…filter=JobName==" + name`) is marked
//! [`Context::continued`], so that its end is opaque; `" + name + "` inside is a placeholder.

mod sibling;

use super::{looks_like_clause, Context, Kind};
use crate::types::{QueryType, TypeSource};
use emfilter::Span;

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
    /// For a filter given as the value of a key or pair: the query type named by a `type` key
    /// beside it in the same container, when there is one ([`TypeSource::Sibling`]). For a
    /// [`Kind::QueryType`], the type it names, from there.
    pub query_type: Option<QueryType>,
}

/// Every query URL and `filter=` string of `text`, in order. `xml`: the text is XML or HTML.
///
/// ```
/// use emfilter_lint::{find::find, Kind};
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
    // Lines left in which to look for the value of a pair named `filter`, and where its name is.
    let mut pair = Pair {
        lines: 0,
        name_at: 0,
    };
    // The keys of the filters found by key, by the start of the filter.
    let mut keys: Vec<(usize, KeyOf)> = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let trimmed = line.strip_suffix('\r').unwrap_or(line);
        // Byte for byte the line, ASCII lower-cased: offsets into it are offsets into the line.
        let lower = trimmed.to_ascii_lowercase();
        let mut items = find_in_line(trimmed, &lower, xml);
        keyed(
            trimmed, &lower, xml, &mut items, &mut pair, line_start, &mut keys,
        );
        items.sort_by_key(|(r, _, _)| r.start);
        // Columns counted once along the line, not from its start for each find.
        let (mut counted, mut column) = (0, 1);
        for (range, kind, context) in items {
            column += chars(&trimmed.as_bytes()[counted..range.start]);
            counted = range.start;
            out.push(Found {
                span: Span::new(line_start + range.start, line_start + range.end),
                line: n + 1,
                column,
                kind,
                context,
                query_type: None,
            });
        }
        line_start += line.len() + 1;
    }
    if !keys.is_empty() {
        keys.sort_by_key(|(s, _)| *s);
        with_siblings(text, &mut out, &keys);
    }
    out
}

/// Gives each filter of `out` found by key (`keys`, by the filter's start) the type of the
/// `type` key beside it; adds a [`Kind::QueryType`] find for each such type that is not known
/// but close to one (a misspelling, which its diagnostic fixes).
fn with_siblings(text: &str, out: &mut Vec<Found>, keys: &[(usize, KeyOf)]) {
    let mut types: Vec<Found> = Vec::new();
    for f in out.iter_mut() {
        let Ok(k) = keys.binary_search_by_key(&(f.span.start as usize), |(s, _)| *s) else {
            continue;
        };
        let Some(value) = sibling::type_of(text, &keys[k].1) else {
            continue;
        };
        let line = text[..value.start].matches('\n').count() + 1;
        let name = &text[value.clone()];
        let query_type = QueryType::new(name, TypeSource::Sibling { line });
        let misspelt = query_type.schema().is_none()
            && super::placeholder::find(name).is_empty()
            && emfilter::schema::closest_builtin(name).is_some();
        if misspelt && !types.iter().any(|t| t.span.start as usize == value.start) {
            let line_start = text[..value.start].rfind('\n').map_or(0, |i| i + 1);
            types.push(Found {
                span: Span::new(value.start, value.end),
                line,
                column: chars(&text.as_bytes()[line_start..value.start]) + 1,
                kind: Kind::QueryType,
                context: Context::default(),
                query_type: Some(query_type.clone()),
            });
        }
        f.query_type = Some(query_type);
    }
    if !types.is_empty() {
        out.extend(types);
        out.sort_by_key(|f| (f.span.start, f.span.end));
    }
}

/// What is carried from line to line about a pair whose name is `filter`.
struct Pair {
    /// Lines left in which to look for its value.
    lines: usize,
    /// Where its name (`filter`) is in the text.
    name_at: usize,
}

/// The key a filter was found by: where it is in the text, and how it is written.
#[derive(Debug, Clone, Copy)]
struct KeyOf {
    /// The byte where the word `filter` is.
    at: usize,
    /// It names a pair (`name: filter`, `<name>filter</name>`, `"key": "filter"`) or stands in
    /// an array (`["filter", "…"]`): the filter's siblings are the other pairs of its list.
    pair: bool,
    /// It is a YAML key or an XML element (`filter: …`, `<filter>`), whose container is told by
    /// indentation when no bracket encloses it.
    indented: bool,
}

type Item = (std::ops::Range<usize>, Kind, Context);

/// The number of characters in UTF-8 `bytes` (those that do not continue a character).
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// How many bytes of a value [`looks_like_clause`] needs to see: a field name and an operator.
/// Deciding on this prefix first keeps a line of many `filter=` that are not filters linear.
const CLAUSE_PREFIX: usize = 256;

/// The first `max` bytes of `text[from..]` at most, cut at a character boundary.
fn prefix(text: &str, from: usize, max: usize) -> &str {
    let mut end = (from + max).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[from..end]
}

/// The start of the value at `value` (at most [`CLAUSE_PREFIX`] bytes), cut where it ends.
fn clause_head(line: &str, value: usize, delimiter: Option<char>, encoded: bool) -> &str {
    let cut = value + prefix(line, value, CLAUSE_PREFIX).len();
    let (end, _) = end_of(&line[..cut], value, delimiter, encoded);
    &line[value..end]
}

/// Whether one of `ranges` (sorted by start, not overlapping) holds `at`.
fn covered(ranges: &[std::ops::Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.start <= at);
    i > 0 && ranges[i - 1].contains(&at)
}

/// `items`' ranges merged into sorted, non-overlapping ranges, for [`covered`].
fn merged(items: &[Item]) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = items.iter().map(|(r, _, _)| r.clone()).collect();
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn find_in_line(line: &str, lower: &str, xml: bool) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    let mut from = 0;
    // Where the last URL ended: a URL starts after it, so that looking back for a URL's start
    // reads each byte once.
    let mut floor = 0;
    while let Some(i) = lower[from..].find("/query?") {
        let at = from + i;
        // `/api/query?…`, or `$base/query?type=…` where the base ends in `/api`.
        if !(lower[..at].ends_with("/api") || lower[at..].starts_with("/query?type=")) {
            from = at + 1;
            continue;
        }
        let (start, delimiter) = start_of(line, floor, at);
        let (end, continued) = end_of(line, at, delimiter, false);
        items.push((
            start..end,
            Kind::Query,
            Context {
                delimiter: delimiter.filter(|&q| q != '>' && q != '('),
                continued,
                // A link in an HTML attribute (`<a href="…&amp;…">`) reads HTML's entities,
                // whatever the file.
                xml: xml || html_attribute(&line[..start]),
                placeholders: true,
            },
        ));
        from = end.max(at + 1);
        floor = end.max(at);
    }
    let urls = merged(&items);
    let mut from = 0;
    let mut floor = 0;
    while let Some(i) = lower[from..].find("filter=") {
        let at = from + i;
        from = at + 1;
        if covered(&urls, at) {
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
        let quote = match line.as_bytes().get(value) {
            Some(&q @ (b'"' | b'\'')) => Some(q as char),
            _ => None,
        };
        let value_start = value + usize::from(quote.is_some());
        // Whether it is a filter is decided on the start of the value, before its end is sought.
        let head = clause_head(line, value_start, quote, encoded);
        let readable = if encoded {
            percent_encoding::percent_decode_str(head)
                .decode_utf8_lossy()
                .into_owned()
        } else {
            head.to_owned()
        };
        if !looks_like_clause(&readable) {
            continue;
        }
        let delimiter = match quote {
            Some(q) => Some(q),
            None => start_of(line, floor, at)
                .1
                .filter(|&q| q != '>' && q != '('),
        };
        let (end, continued) = end_of(line, value_start, delimiter, encoded);
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
        floor = from;
    }
    items
}

/// Whether the text before a URL ends in an HTML attribute that holds links: `href="`,
/// `src='`, `action=`.
fn html_attribute(before: &str) -> bool {
    let t = before.trim_end_matches(['"', '\'']).trim_end();
    let Some(t) = t.strip_suffix('=') else {
        return false;
    };
    let t = t.trim_end().as_bytes();
    ["href", "src", "action", "formaction"].iter().any(|name| {
        let n = name.len();
        t.len() >= n
            && t[t.len() - n..].eq_ignore_ascii_case(name.as_bytes())
            && (t.len() == n || !t[t.len() - n - 1].is_ascii_alphanumeric())
    })
}

/// How many lines after a pair's `name: filter` its `value` may come.
const PAIR_LINES: usize = 3;

/// Adds to `items` the filters of `line` given as the value of a `filter` key or of a pair
/// named `filter` (see the module's documentation). `pair` carries, from line to line, how many
/// more lines may hold the value of a pair whose name was seen.
fn keyed(
    line: &str,
    lower: &str,
    xml: bool,
    items: &mut Vec<Item>,
    pair: &mut Pair,
    line_start: usize,
    keys: &mut Vec<(usize, KeyOf)>,
) {
    // What the other finds of the line hold, and what this adds (in order, not overlapping).
    let found = merged(items);
    let mut added: Vec<std::ops::Range<usize>> = Vec::new();
    let taken =
        |added: &[std::ops::Range<usize>], at: usize| covered(&found, at) || covered(added, at);
    let mut value_wanted_from = if pair.lines > 0 { Some(0) } else { None };
    pair.lines = pair.lines.saturating_sub(1);
    let mut from = 0;
    while let Some(i) = lower[from..].find("filter") {
        let at = from + i;
        from = at + "filter".len();
        if taken(&added, at) {
            continue;
        }
        let Some(key) = key_at(line, at, "filter".len()) else {
            continue;
        };
        // The key names a pair: `name: filter`, `"key": "filter"`, `<name>filter</name>`.
        if key.names_pair {
            value_wanted_from = Some(key.after);
            pair.lines = PAIR_LINES;
            pair.name_at = line_start + at;
            continue;
        }
        let Some((value, delimiter)) = value_after(line, &key) else {
            continue;
        };
        if !looks_like_clause(clause_head(line, value, delimiter, false)) || taken(&added, value) {
            continue;
        }
        let (end, continued) = end_of(line, value, delimiter, false);
        items.push((value..end, Kind::Filter, context(delimiter, continued, xml)));
        added.push(value..end);
        keys.push((
            line_start + value,
            KeyOf {
                at: line_start + at,
                pair: key.array,
                indented: key.element || line[key.after - 1..].starts_with(':'),
            },
        ));
        from = end.max(from);
    }
    let Some(mut from) = value_wanted_from else {
        return;
    };
    while let Some(i) = lower[from..].find("value") {
        let at = from + i;
        from = at + "value".len();
        let Some(key) = key_at(line, at, "value".len()).filter(|k| !k.names_pair && !k.array)
        else {
            continue;
        };
        let Some((value, delimiter)) = value_after(line, &key) else {
            continue;
        };
        if taken(&added, value) {
            continue;
        }
        let (end, continued) = end_of(line, value, delimiter, false);
        items.push((value..end, Kind::Filter, context(delimiter, continued, xml)));
        keys.push((
            line_start + value,
            KeyOf {
                at: pair.name_at,
                pair: true,
                indented: true,
            },
        ));
        pair.lines = 0;
        return;
    }
}

fn context(delimiter: Option<char>, continued: bool, xml: bool) -> Context {
    Context {
        // XML content is no string literal.
        delimiter: delimiter.filter(|&q| q != '<'),
        continued,
        xml,
        placeholders: true,
    }
}

/// A key found in a line: where what follows its separator starts.
struct Key {
    /// The byte after the separator (`=`, `:`, `=>`, `,` in an array, `>` of an XML tag).
    after: usize,
    /// The key is `name`/`key` (or an XML `<name>`) whose value is `filter`.
    names_pair: bool,
    /// `"filter",` in a JSON array: the value is the next element.
    array: bool,
    /// An XML element's start tag (`<value>`): the value is its content, up to the next `<`.
    element: bool,
}

/// Whether the word of `len` bytes at `at` stands as a key: a whole word, bare or quoted
/// (`filter`, `"filter"`, `'filter'`; not `$filter`), followed by `=`, `:`, `=>`, or `,` when
/// quoted in an array; or the content of an XML element (`<filter>`, `<value>`). For the word
/// `filter` it also tells a pair's name: `name: filter`, `"key": "filter"`,
/// `<name>filter</name>`.
fn key_at(line: &str, at: usize, len: usize) -> Option<Key> {
    let b = line.as_bytes();
    // `$filter` is a variable, or OData's `$filter=`: not EM's parameter.
    let word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'$');
    let before = at.checked_sub(1).map(|i| b[i]);
    let after_word = at + len;
    if before.is_some_and(word) || b.get(after_word).copied().is_some_and(word) {
        return None;
    }
    // An XML element: `<filter>…` / `<value>…`, or `<name>filter</name>`.
    let ends_with = |end: usize, tail: &str| {
        end >= tail.len() && b[end - tail.len()..end].eq_ignore_ascii_case(tail.as_bytes())
    };
    if before == Some(b'>') && ends_with(at - 1, "<name") {
        let close = b.get(after_word..after_word + "</name>".len());
        return close
            .is_some_and(|c| c.eq_ignore_ascii_case(b"</name>"))
            .then_some(Key {
                after: after_word,
                names_pair: true,
                array: false,
                element: false,
            });
    }
    if before == Some(b'<') && b.get(after_word) == Some(&b'>') {
        return Some(Key {
            after: after_word + 1,
            names_pair: false,
            array: false,
            element: true,
        });
    }
    let quote = before.filter(|c| matches!(c, b'"' | b'\''));
    let mut i = after_word;
    if let Some(q) = quote {
        if b.get(i) != Some(&q) {
            return None;
        }
        i += 1;
    }
    // The word as the value of a pair's name: `name: filter`, `"key": "filter"`, `name = 'filter'`.
    let start = at - usize::from(quote.is_some());
    let head = line[..start].trim_end();
    if let Some(head) = head
        .strip_suffix("=>")
        .or_else(|| head.strip_suffix(':'))
        .or_else(|| head.strip_suffix('='))
    {
        let head = head.trim_end().trim_end_matches(['"', '\'']).as_bytes();
        for name in ["name", "key"] {
            if head.len() >= name.len()
                && head[head.len() - name.len()..].eq_ignore_ascii_case(name.as_bytes())
                && !head[..head.len() - name.len()]
                    .last()
                    .is_some_and(|&c| word(c))
            {
                let ends = line[i..].trim_start();
                let rest_ok = ends.is_empty() || ends.starts_with([',', '}', ']', ')', ';', '#']);
                return rest_ok.then_some(Key {
                    after: i,
                    names_pair: true,
                    array: false,
                    element: false,
                });
            }
        }
    }
    let rest = &line[i..];
    let spaced = rest.trim_start();
    let sep_at = i + (rest.len() - spaced.len());
    if spaced.starts_with("=>") {
        return Some(Key {
            after: sep_at + 2,
            names_pair: false,
            array: false,
            element: false,
        });
    }
    if spaced.starts_with("==") {
        return None;
    }
    if spaced.starts_with('=') || spaced.starts_with(':') {
        return Some(Key {
            after: sep_at + 1,
            names_pair: false,
            array: false,
            element: false,
        });
    }
    if quote.is_some() && spaced.starts_with(',') && head.ends_with('[') {
        return Some(Key {
            after: sep_at + 1,
            names_pair: false,
            array: true,
            element: false,
        });
    }
    None
}

/// Where the value after a key's separator starts, and its quote: a string literal (`"…"`,
/// `'…'`), or a bare value (YAML, XML content). In an array only a string literal is taken.
fn value_after(line: &str, key: &Key) -> Option<(usize, Option<char>)> {
    let (after, array) = (key.after, key.array);
    if key.element {
        // An element's whole content, up to the next `<`.
        return Some((after, Some('<')));
    }
    let rest = &line[after..];
    // A Python string prefix: `f"…"`, `r'…'`, `rb"…"`.
    let value = rest.trim_start();
    // (Looked for in the first three bytes only: a prefix is at most two letters.)
    let prefix = value
        .bytes()
        .take(3)
        .position(|c| c == b'"' || c == b'\'')
        .filter(|&n| value[..n].bytes().all(|c| b"fFrRbBuU".contains(&c)))
        .unwrap_or(0);
    let value = &value[prefix..];
    let start = after + (rest.len() - value.len());
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => Some((start + 1, Some(q))),
        Some(c) if !array && !matches!(c, '{' | '[' | '(' | '@' | '$' | '&' | '|' | '>') => {
            Some((start, None))
        }
        // `filter: (JobName==x)` (YAML) starts with a parenthesis.
        Some('(') if !array => Some((start, None)),
        _ => None,
    }
}

/// Where the URL around byte `at` starts (not before `floor`), and the quote before it (or `>`
/// for XML content).
fn start_of(line: &str, floor: usize, at: usize) -> (usize, Option<char>) {
    let head = &line[floor..at];
    // Template expressions are opaque: `"https://$($server):9398/api/query?…"` and
    // `"{{ em }}/api/query?…"` start at the quote, not inside the expression.
    let hb = head.as_bytes();
    let mut holes: Vec<std::ops::Range<usize>> = Vec::new();
    let mut i = 0;
    while i < hb.len() {
        // ASCII bytes only: `i` is then a character boundary.
        // A documentation placeholder glued into the URL (`https://<em-host>:9398`), not a tag
        // that holds it (`<url>https://…`).
        let glued = hb[i] == b'<'
            && (i > 0 && !hb[i - 1].is_ascii_whitespace() && hb[i - 1] != b'>'
                || super::placeholder::template(&head[i..])
                    .is_some_and(|n| matches!(hb.get(i + n), Some(b':' | b'/'))));
        if matches!(hb[i], b'{' | b'$' | b'#' | b'[') || hb[i..].starts_with(b"<%") || glued {
            if let Some(len) = super::placeholder::template(&head[i..]) {
                holes.push(i..i + len);
                i += len;
                continue;
            }
        }
        i += 1;
    }
    let start = head
        .char_indices()
        .rev()
        .find(|&(i, c)| (c.is_whitespace() || "\"'`<>([=,".contains(c)) && !covered(&holes, i))
        .map_or(floor, |(i, c)| floor + i + c.len_utf8());
    let before = line[..start].chars().next_back();
    (start, before.filter(|c| "\"'`>(".contains(*c)))
}

/// Where the text from `at` ends, and whether code continues the string literal there.
/// Inside a literal delimited by `q`, that is the first `q` not escaped as `\q` or `` `q `` (a
/// concatenation `" + x + "` is stepped over); elsewhere the first space outside `"…"`, `'`,
/// `` ` ``, or `<` after XML content; `<` (a [`Key::element`]'s content) runs to the next `<`.
/// `&` and `#` end an encoded filter.
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
        // A template expression is opaque whatever it holds (spaces, pipes, quotes): the text
        // goes on after it. Not in XML content, whose `<` ends it.
        if matches!(c, b'{' | b'<' | b'$' | b'#' | b'[') && !matches!(delimiter, Some('<' | '>')) {
            if let Some(len) = super::placeholder::template(&line[i..]) {
                i += len;
                continue;
            }
        }
        match delimiter {
            Some('>' | '<') if c == b'<' => return (i, false),
            // An XML element's content (a pair's `<value>`) runs to its end tag, spaces and all.
            Some('<') => {}
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
        // `"…" . $x`, `"…".$x`, `"…".name`; not a method call on the string (`"…".format(x)`).
        (Some('.'), Some(c)) => {
            let word = t[1..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(t.len(), |n| n + 1);
            let call = !spaced && c.is_alphabetic() && t[word..].starts_with('(');
            !call && (spaced || c == ' ' || c == '$' || c.is_alphabetic())
        }
        (Some('&'), Some(' ')) => spaced,
        _ => false,
    }
}
