//! The `type` key beside a filter: `{"type": "Job", "filter": "…"}`, `@{ type = 'Job'; filter =
//! '…' }`, `type: Job` above `filter: …` in a YAML mapping, `- name: type` / `value: Job` beside
//! `- name: filter` in a Zabbix parameter list, `{"key": "type", "value": "Job"}` beside
//! `{"key": "filter", …}` (Grafana Infinity), `["type", "Job"]` beside `["filter", …]`.
//!
//! Only a real sibling counts: a `type` key in the same container as the filter's key (for a
//! pair, in another pair of the same list). The container is told by brackets (`{`, `[`, `(`,
//! outside string literals) when one encloses the key; for a YAML key or an XML element that no
//! bracket encloses, by indentation. The look-around is bounded: [`LINES`] lines and [`BYTES`]
//! bytes on each side of the key, so that finding siblings stays linear in the text.

use std::ops::Range;

use super::{end_of, key_at, value_after, KeyOf};

/// How many lines above and below the filter's key are looked at.
pub const LINES: usize = 40;
/// How many bytes above and below the filter's key are looked at.
pub const BYTES: usize = 4096;

/// The bytes of the value of the `type` key beside the filter whose key is `key`, if there is
/// one; the nearest when there are several.
pub(super) fn type_of(text: &str, key: &KeyOf) -> Option<Range<usize>> {
    let (start, end) = window(text, key.at);
    let brackets = brackets(text, start..end);
    match enclosing(&brackets, key.at) {
        Some(opener) => bracketed(text, start..end, &brackets, opener, key),
        None if key.indented => indented(text, start..end, key),
        None => None,
    }
}

/// The bytes around `at` that are looked at: whole lines where they fit.
fn window(text: &str, at: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let low = floor(text, at.saturating_sub(BYTES));
    let mut start = at;
    for _ in 0..=LINES {
        match b[low..start].iter().rposition(|&c| c == b'\n') {
            Some(i) => start = low + i,
            None => {
                start = low;
                break;
            }
        }
    }
    if start > low || (start == low && b.get(start) == Some(&b'\n')) {
        start += usize::from(b.get(start) == Some(&b'\n'));
    }
    let high = floor(text, (at + BYTES).min(text.len()));
    let mut end = at;
    for _ in 0..=LINES {
        match b[end.min(high)..high].iter().position(|&c| c == b'\n') {
            Some(i) => end = end.min(high) + i + 1,
            None => {
                end = high;
                break;
            }
        }
    }
    (start, end.min(high))
}

/// `at`, moved back to a character boundary.
fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A bracket outside string literals: where it is, whether it opens, and the depth after it
/// (relative to the start of the window).
#[derive(Debug, Clone, Copy)]
struct Bracket {
    at: usize,
    open: bool,
    depth: i32,
}

/// The brackets of `text[range]` outside string literals (`"…"`, `'…'`, `` `…` ``, which end at
/// the end of their line at the latest; `\` and PowerShell's `` ` `` escape in them; a `'` right
/// after a letter is an apostrophe, no quote).
fn brackets(text: &str, range: Range<usize>) -> Vec<Bracket> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = range.start;
    while i < range.end {
        let c = b[i];
        match quote {
            Some(_) if c == b'\n' => quote = None,
            Some(q) if (c == b'\\' || (c == b'`' && q != b'`')) => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' if i > 0 && b[i - 1].is_ascii_alphanumeric() => {}
                b'"' | b'\'' | b'`' => quote = Some(c),
                b'{' | b'[' | b'(' => {
                    depth += 1;
                    out.push(Bracket {
                        at: i,
                        open: true,
                        depth,
                    });
                }
                b'}' | b']' | b')' => {
                    depth -= 1;
                    out.push(Bracket {
                        at: i,
                        open: false,
                        depth,
                    });
                }
                _ => {}
            },
        }
        i += 1;
    }
    out
}

/// The depth at byte `at`: after the last bracket before it.
fn depth_at(brackets: &[Bracket], at: usize) -> i32 {
    let i = brackets.partition_point(|b| b.at < at);
    if i == 0 {
        0
    } else {
        brackets[i - 1].depth
    }
}

/// The index of the bracket that opens the innermost container holding `at`, if the window
/// holds it.
fn enclosing(brackets: &[Bracket], at: usize) -> Option<usize> {
    let i = brackets.partition_point(|b| b.at < at);
    let depth = depth_at(brackets, at);
    // The last opener before `at` that leaves the depth at `depth`: any container that opened
    // at that depth and closed before `at` was reopened after, and that opener comes first.
    brackets[..i]
        .iter()
        .rposition(|b| b.open && b.depth == depth)
}

/// Where the container opened by `brackets[opener]` ends: its closing bracket, or the end of the
/// window.
fn container_end(brackets: &[Bracket], opener: usize, end: usize) -> usize {
    let depth = brackets[opener].depth;
    brackets[opener + 1..]
        .iter()
        .find(|b| b.depth < depth)
        .map_or(end, |b| b.at)
}

/// The nearest `type` key in the bracketed container of the filter's key (for a pair, in another
/// pair of the container's parent list).
fn bracketed(
    text: &str,
    window: Range<usize>,
    brackets: &[Bracket],
    opener: usize,
    key: &KeyOf,
) -> Option<Range<usize>> {
    let depth = brackets[opener].depth;
    // For a pair, its siblings are the other pairs of the list that holds its own container.
    let container = if key.pair {
        brackets[..opener]
            .iter()
            .rposition(|b| b.open && b.depth == depth - 1)?
    } else {
        opener
    };
    let from = brackets[container].at;
    let to = container_end(brackets, container, window.end);
    let lower = text[from..to].to_ascii_lowercase();
    let mut best: Option<Range<usize>> = None;
    let mut k = 0;
    while let Some(i) = lower[k..].find("type") {
        let at = from + k + i;
        k += i + 4;
        if depth_at(brackets, at) != depth {
            continue;
        }
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        let line = &text[line_start..line_end];
        let Some(found) = key_at(line, at - line_start, 4) else {
            continue;
        };
        let value = if found.names_pair {
            if !key.pair {
                continue;
            }
            // The pair's value: a `value` key after its name, in the same pair.
            pair_value(text, at, to, |v| depth_at(brackets, v) == depth)
        } else if found.array != key.pair {
            continue;
        } else {
            value_of(line, line_start, &found)
        };
        if let Some(v) = value {
            let closer = best
                .as_ref()
                .is_none_or(|b| distance(b.start, key.at) > distance(v.start, key.at));
            if closer {
                best = Some(v);
            }
        }
    }
    best
}

fn distance(a: usize, b: usize) -> usize {
    a.abs_diff(b)
}

/// The value of `found`, a key on `line` (which starts at `line_start` in the text), trimmed of
/// what ends it in code (`,`, `;`, `}`): its bytes in the text, when it has one.
fn value_of(line: &str, line_start: usize, found: &super::Key) -> Option<Range<usize>> {
    let (value, delimiter) = value_after(line, found)?;
    let (mut end, _) = end_of(line, value, delimiter, false);
    if delimiter.is_none() || delimiter == Some('<') {
        end = value
            + line[value..end]
                .trim_end_matches([',', ';', '}', ']', ')', ' ', '\t'])
                .len();
    }
    (end > value).then(|| line_start + value..line_start + end)
}

/// The value of the pair whose name is at `at`: the first `value` key after it, before `to`, on
/// its line or one of the next three, where `same` says it is in the same pair.
fn pair_value(
    text: &str,
    at: usize,
    to: usize,
    same: impl Fn(usize) -> bool,
) -> Option<Range<usize>> {
    let mut line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let mut from = at;
    for _ in 0..=super::PAIR_LINES {
        if line_start >= to {
            return None;
        }
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |n| line_start + n);
        let line = &text[line_start..line_end];
        let lower = line.to_ascii_lowercase();
        let mut k = from - line_start;
        while let Some(i) = lower[k..].find("value") {
            let v = k + i;
            k = v + 5;
            if !same(line_start + v) {
                continue;
            }
            if let Some(found) = key_at(line, v, 5).filter(|f| !f.names_pair && !f.array) {
                return value_of(line, line_start, &found);
            }
        }
        line_start = line_end + 1;
        from = line_start;
        if line_end >= text.len() {
            return None;
        }
    }
    None
}

/// The indentation of a line, and the column where its first key starts (after a YAML `- `).
fn columns(line: &str) -> (usize, usize) {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[indent..];
    let key = match rest.strip_prefix("- ") {
        Some(r) => indent + 2 + (r.len() - r.trim_start_matches(' ').len()),
        None => indent,
    };
    (indent, key)
}

/// Whether a line says nothing about structure: blank, or a comment.
fn blank(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#') || t.starts_with("<!--")
}

/// The nearest `type` key of the filter's YAML mapping or XML element (or, for a pair, the
/// nearest pair named `type` in its list), by indentation.
fn indented(text: &str, window: Range<usize>, key: &KeyOf) -> Option<Range<usize>> {
    let line_start = text[..key.at].rfind('\n').map_or(0, |n| n + 1);
    // The lines of the window, with their starts; `me` is the key's.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut at = window
        .start
        .max(text[..window.start].rfind('\n').map_or(0, |n| n + 1));
    while at <= window.end && at <= text.len() {
        let end = text[at..]
            .find('\n')
            .map_or(text.len(), |n| at + n)
            .min(window.end.max(at));
        let line = &text[at..end];
        lines.push((at, line.strip_suffix('\r').unwrap_or(line)));
        if end >= window.end || end >= text.len() {
            break;
        }
        at = end + 1;
    }
    let me = lines.iter().position(|&(s, _)| s == line_start)?;
    let (indent, col) = columns(lines[me].1);
    // The key must be the line's first: `filter: …`, `- name: filter`, `<filter>`.
    let offset = key.at - line_start;
    if offset > col + 6 {
        return None;
    }
    let dash = col > indent;
    // The indentation below which the container ends.
    let floor = if key.pair {
        if dash {
            indent
        } else {
            (0..me)
                .rev()
                .map(|i| lines[i].1)
                .filter(|l| !blank(l))
                .map(|l| columns(l).0)
                .find(|&i| i < col)?
        }
    } else {
        col
    };
    let candidate = |line: &str, start: usize| -> Option<Range<usize>> {
        let (_, c) = columns(line);
        if c != col {
            return None;
        }
        let lower = line.to_ascii_lowercase();
        let word = lower[c..].find("type")? + c;
        if word > c + 6 {
            return None;
        }
        let found = key_at(line, word, 4)?;
        if found.names_pair != key.pair || found.array {
            return None;
        }
        if found.names_pair {
            pair_value(text, start + word, window.end, |_| true)
        } else {
            value_of(line, start, &found)
        }
    };
    // Upwards, then downwards, to the nearest candidate or the end of the container. Upwards,
    // a mapping ends at a line indented less than its keys: the item's own `- ` line (checked,
    // then the end) or the parent. A mapping that starts on the filter's own `- ` line has
    // nothing above it.
    let mut up = None;
    if !dash || key.pair {
        for i in (0..me).rev() {
            let (start, line) = lines[i];
            if blank(line) {
                continue;
            }
            let (ind, c) = columns(line);
            if ind < floor {
                if !key.pair && c == col {
                    up = candidate(line, start);
                }
                break;
            }
            if let Some(v) = candidate(line, start) {
                up = Some(v);
                break;
            }
        }
    }
    let mut down = None;
    for &(start, line) in &lines[me + 1..] {
        if blank(line) {
            continue;
        }
        if columns(line).0 < floor {
            break;
        }
        if let Some(v) = candidate(line, start) {
            down = Some(v);
            break;
        }
    }
    match (up, down) {
        (Some(u), Some(d)) if distance(d.start, key.at) < distance(u.start, key.at) => Some(d),
        (Some(u), _) => Some(u),
        (None, d) => d,
    }
}

#[cfg(test)]
mod tests {
    use crate::find::find;

    /// The type each filter of `text` gets from a sibling key, in order.
    fn types(text: &str) -> Vec<Option<String>> {
        find(text, false)
            .into_iter()
            .filter(|f| f.kind != crate::Kind::QueryType)
            .map(|f| f.query_type.map(|t| t.name.into_owned()))
            .collect()
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn a_sibling_in_the_same_container() {
        for text in [
            r#"params = {"type": "Job", "filter": "JobType==Backup"}"#,
            r#"params = {"filter": "JobType==Backup", "type": "Job"}"#,
            "$p = @{ type = 'Job'; filter = 'JobType==Backup' }",
            "$p = @{\n    Type   = 'Job'\n    filter = 'JobType==Backup'\n}",
            "params = {\n    \"type\": \"Job\",\n    \"pageSize\": 10,\n    \"filter\": \"JobType==Backup\",\n}",
            "$q = array('type' => 'Job', 'filter' => 'JobType==Backup');",
            "query:\n  type: Job\n  format: Entities\n  filter: JobType==Backup\n",
            "- type: Job\n  filter: JobType==Backup\n",
            "q := map[string]string{\"type\": \"Job\", \"filter\": \"JobType==Backup\"}",
            "var q = new { type = \"Job\", filter = \"JobType==Backup\" };",
            "<query>\n  <type>Job</type>\n  <filter>JobType==Backup</filter>\n</query>",
            "query_fields:\n  - name: type\n    value: Job\n  - name: filter\n    value: JobType==Backup\n",
            "<query_field>\n  <name>type</name>\n  <value>Job</value>\n</query_field>\n<query_field>\n  <name>filter</name>\n  <value>JobType==Backup</value>\n</query_field>",
            r#""params": [{"key": "type", "value": "Job"}, {"key": "filter", "value": "JobType==Backup"}]"#,
            "\"params\": [\n  [\"type\", \"Job\"],\n  [\"filter\", \"JobType==Backup\"]\n]",
        ] {
            assert_eq!(types(text), [some("Job")], "{text}");
        }
    }

    #[test]
    fn no_type_from_another_container() {
        for text in [
            r#"a = {"type": "Job"}; b = {"filter": "JobType==Backup"}"#,
            "one:\n  type: Job\ntwo:\n  filter: JobType==Backup\n",
            "- type: Job\n- filter: JobType==Backup\n",
            "query:\n  nested:\n    type: Job\n  filter: JobType==Backup\n",
            "{\"type\": \"table\", \"targets\": [{\"key\": \"filter\", \"value\": \"Result==Failed\"}]}",
            "params = {\"filter\": \"Result==Failed\", \"x\": {\"type\": \"Job\"}}",
            "TYPE=Job\nfilter='Result==Failed'\n",
            "items:\n  - type: HTTP_AGENT\n    query_fields:\n      - name: filter\n        value: Result==Failed\n",
        ] {
            assert_eq!(types(text), [None], "{text}");
        }
    }

    #[test]
    fn far_away_types_are_not_looked_at() {
        let text = format!(
            "params = {{\n  \"type\": \"Job\",\n{}  \"filter\": \"JobType==Backup\"\n}}",
            "  \"x\": 1,\n".repeat(super::LINES + 5)
        );
        assert_eq!(types(&text), [None]);
    }

    #[test]
    fn a_misspelt_type_is_a_find_of_its_own() {
        let text = r#"params = {"type": "Jobb", "filter": "JobType==Backup"}"#;
        let found = find(text, false);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].kind, crate::Kind::QueryType);
        assert_eq!(&text[found[0].span.range()], "Jobb");
        assert_eq!(found[1].query_type.as_ref().unwrap().name, "Jobb");
    }
}
