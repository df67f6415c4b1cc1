//! Placeholders: the pieces of a URL or filter that a script or template fills in later.
//!
//! A filter in a script is often not finished text: `JobName==$jobName`, `JobName=={job}`,
//! `JobName==<%= name %>`, `"…JobName==" + name + ";…"`. Such a piece is opaque: the linter does not
//! check what it stands for, reports nothing about it, says that it skipped it, and never rewrites
//! it. [`find`] recognises these forms:
//!
//! | form | from |
//! |---|---|
//! | `$name`, `$env:NAME`, `${name}`, `${name:fmt}`, `$(expr)` | shell, PowerShell, Perl, PHP, Grafana |
//! | `{name}`, `{0}`, `{0:u}`, `{}`, `{:>8}`, `{$MACRO}`, `{#MACRO}`, `#{name}` | C#, Python, Rust, Zabbix, Ruby (not a braced GUID) |
//! | `{{ name }}`, `{% … %}`, `[[name]]` | Jinja, Mustache, Go templates, Grafana |
//! | `<%= x %>`, `<% … %>`, `<?= $x ?>`, `<?php … ?>` | ERB, EJS, ASP, PHP |
//! | `" + name + "`, `' . $name . '`, `" & name & "` | string concatenation |
//! | `%s`, `%d`, `%1$s`, `%(name)s`, `%NAME%` | printf, Python, cmd.exe (not a `%XX` escape) |
//! | `<job name>`, `<JOB_NAME>` | documentation (a letter, then letters, digits, spaces, `_-.`) |

use emfilter::Span;

/// The placeholders of `text`, in order, without overlaps.
///
/// ```
/// use emfilter_lint::placeholder;
///
/// let text = "JobName==$jobName;Result=={result}";
/// let found: Vec<&str> = placeholder::find(text).iter().map(|s| &text[s.range()]).collect();
/// assert_eq!(found, ["$jobName", "{result}"]);
/// ```
pub fn find(text: &str) -> Vec<Span> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match at(text, i) {
            Some(len) => {
                out.push(Span::new(i, i + len));
                i += len;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    out
}

/// The length of the template expression or variable at the start of `s`, if one is there:
/// `{{ … }}`, `{% … %}`, `<%= … %>`, `<? … ?>`, `${…}`, `$(…)`, `$name`, `#{…}`, `{name}`,
/// `[[name]]`, `<doc placeholder>`. A URL or filter goes on after it, whatever it holds.
pub(crate) fn template(s: &str) -> Option<usize> {
    match s.as_bytes().first()? {
        b'{' | b'<' | b'$' | b'#' | b'[' => at(s, 0),
        _ => None,
    }
}

/// The length of the placeholder that starts at byte `i` of `text`, if one does.
fn at(text: &str, i: usize) -> Option<usize> {
    let s = &text[i..];
    let b = s.as_bytes();
    match b[0] {
        b'<' if s.starts_with("<%") => closed(s, 2, "%>"),
        b'<' if s.starts_with("<?") => closed(s, 2, "?>"),
        b'<' => documented(s),
        b'{' if s.starts_with("{{{") => closed(s, 3, "}}}"),
        b'{' if s.starts_with("{{") => closed(s, 2, "}}"),
        b'{' if s.starts_with("{%") => closed(s, 2, "%}"),
        b'[' if s.starts_with("[[") => {
            let len = closed(s, 2, "]]")?;
            s[2..len - 2]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b':' | b'.'))
                .then_some(len)
        }
        b'$' => dollar(s),
        b'#' if s.starts_with("#{") => braced(&s[1..]).map(|n| n + 1),
        b'{' => braced(s),
        b'%' => percent(s),
        b'"' | b'\'' => concatenation(s),
        _ => None,
    }
}

/// The longest placeholder, in bytes. Looking for the end of one stops there, so that finding
/// placeholders is linear in the text however many openings without an end it holds.
pub const MAX_LEN: usize = 256;

/// The first `max` bytes of `s` at most.
fn window(s: &str, max: usize) -> &[u8] {
    &s.as_bytes()[..s.len().min(max)]
}

/// `open … close` on one line, `open` being `skip` bytes long, at most [`MAX_LEN`] bytes.
fn closed(s: &str, skip: usize, close: &str) -> Option<usize> {
    let w = window(s, MAX_LEN);
    let end = w
        .get(skip..)?
        .windows(close.len())
        .position(|x| x == close.as_bytes())?;
    (!w[skip..skip + end].contains(&b'\n')).then_some(skip + end + close.len())
}

/// A documentation placeholder: `<job name>`, `<JOB_NAME>`, `<em-server>`: a letter, then
/// letters, digits, spaces, `_`, `-` or `.`, up to 40 bytes, then `>`.
fn documented(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !b.get(1)?.is_ascii_alphabetic() {
        return None;
    }
    let len = b[1..]
        .iter()
        .take(41)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'_' | b'-' | b'.'))
        .count();
    (len <= 40 && b.get(1 + len) == Some(&b'>') && b[len] != b' ').then_some(len + 2)
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `$name`, `$env:NAME`, `$1`, `${…}`, `$(…)`.
fn dollar(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match b.get(1)? {
        b'{' => balanced(s, 1, b'{', b'}'),
        b'(' => balanced(s, 1, b'(', b')'),
        c if c.is_ascii_digit() => Some(2),
        &c if is_name_start(c) => {
            let mut n = 1 + name_len(&b[1..]);
            // PowerShell scopes and drives: `$env:NAME`, `$script:x`.
            if b.get(n) == Some(&b':') && b.get(n + 1).is_some_and(|&c| is_name_start(c)) {
                let scope = &s[1..n];
                if ["env", "script", "global", "local", "private", "using"]
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(scope))
                {
                    n += 1 + name_len(&b[n + 1..]);
                }
            }
            Some(n)
        }
        _ => None,
    }
}

fn name_len(b: &[u8]) -> usize {
    b.iter().take_while(|&&c| is_name(c)).count()
}

/// From `open` at `start` to its matching `close`, on one line, at most [`MAX_LEN`] bytes.
fn balanced(s: &str, start: usize, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &c) in window(s, MAX_LEN).iter().enumerate().skip(start) {
        match c {
            b'\n' => return None,
            c if c == open => depth += 1,
            c if c == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// `{name}`, `{0}`, `{0:fmt}`, `{$MACRO}`, `{#MACRO}`: not `{}` and not a braced GUID.
fn braced(s: &str) -> Option<usize> {
    let end = window(s, 82)[1..]
        .iter()
        .position(|c| b"}{\n;,\"".contains(c))?
        + 1;
    if s.as_bytes()[end] != b'}' || end > 80 {
        return None;
    }
    // `{}` and `{:spec}`: Python's `.format` and Rust's `format!` fields without a name.
    if end == 1 {
        return Some(2);
    }
    let inner = &s[1..end];
    if emfilter::ir::Guid::parse(inner).is_some() {
        return None;
    }
    let first = inner.as_bytes()[0];
    (first.is_ascii_alphanumeric() || matches!(first, b'_' | b'$' | b'#' | b'@' | b':'))
        .then_some(end + 1)
}

/// `%s`, `%d`, `%-5s`, `%1$s`, `%(name)s`, `%NAME%`; never a `%XX` percent-escape.
fn percent(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let hex = |k: usize| b.get(k).is_some_and(u8::is_ascii_hexdigit);
    // `%NAME%` (cmd.exe): a name of three or more characters, which no escape looks like.
    if b.get(1).is_some_and(|&c| is_name_start(c)) {
        let n = 1 + name_len(&b[1..]);
        if n >= 4 && b.get(n) == Some(&b'%') {
            return Some(n + 1);
        }
    }
    if hex(1) && hex(2) {
        return None;
    }
    let mut k = 1;
    if b.get(1) == Some(&b'(') {
        let w = window(s, MAX_LEN);
        k = w
            .iter()
            .position(|&c| c == b')')
            .filter(|&e| e > 2 && !w[..e].contains(&b'\n'))?
            + 1;
    } else {
        // `%1$s`: a position.
        let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 && b.get(1 + digits) == Some(&b'$') {
            k = 2 + digits;
        }
    }
    k += b[k..]
        .iter()
        .take_while(|c| matches!(c, b'-' | b'+' | b' ' | b'#' | b'0'))
        .count();
    k += b[k..].iter().take_while(|c| c.is_ascii_digit()).count();
    if b.get(k) == Some(&b'.') {
        k += 1 + b[k + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    matches!(
        b.get(k),
        Some(b's' | b'd' | b'i' | b'u' | b'f' | b'v' | b'q' | b'x' | b'X' | b'g' | b'e')
    )
    .then_some(k + 1)
}

/// `" + name + "`: the string ends, an expression is joined on, and the string goes on.
pub(super) fn concatenation(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let q = b[0];
    let ws = |k: usize| {
        k + b[k..]
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count()
    };
    // Whitespace, an operator, whitespace, from `k`; the offset after them. `&` joins only with
    // spaces around it (VB); `.` (PHP) with spaces or right against the quote.
    let op_at = |k: usize, opening: bool| -> Option<usize> {
        let j = ws(k);
        let op = *b.get(j)?;
        let after = ws(j + 1);
        let spaced = j > k && after > j + 1;
        let tight = if opening {
            j == 1
        } else {
            b.get(after) == Some(&q)
        };
        match op {
            b'+' => Some(after),
            b'.' if spaced || tight => Some(after),
            b'&' if spaced => Some(after),
            _ => None,
        }
    };
    let expr_start = op_at(1, true)?;
    // The expression runs to the first operator that is followed by the quote again.
    let limit = (expr_start + 200).min(s.len());
    let line_end = b[..limit].iter().position(|&c| c == b'\n').unwrap_or(limit);
    let mut k = expr_start + 1;
    while k < line_end {
        if let Some(after) = op_at(k, false) {
            if b.get(after) == Some(&q) {
                return Some(after + 1);
            }
        }
        k += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn recognises_each_form() {
        for (text, want) in [
            ("JobName==$jobName;x", "$jobName"),
            ("JobName==$env:JOB_NAME;", "$env:JOB_NAME"),
            ("JobName==${job};", "${job}"),
            ("t>${__from:date:iso}", "${__from:date:iso}"),
            ("JobName==$($job.Name);", "$($job.Name)"),
            ("JobName=={job};", "{job}"),
            ("JobName=={0};", "{0}"),
            ("JobName=={};", "{}"),
            ("JobName==\"{:>8}\"", "{:>8}"),
            ("t>{0:yyyy-MM-ddTHH:mm:ssZ}", "{0:yyyy-MM-ddTHH:mm:ssZ}"),
            ("JobName=={$EM.JOB}", "{$EM.JOB}"),
            ("JobName=={#JOBNAME}", "{#JOBNAME}"),
            ("JobName==#{name}", "#{name}"),
            ("JobName=={{ job }}", "{{ job }}"),
            ("JobName==%22{{{job}}}%22", "{{{job}}}"),
            ("JobName==[[job]]", "[[job]]"),
            ("JobName==<%= job %>", "<%= job %>"),
            ("JobName==<?= $job ?>", "<?= $job ?>"),
            (r#"JobName==" + name + ";x"#, r#"" + name + ""#),
            (r#"JobName==" + $job.Name + ";x"#, r#"" + $job.Name + ""#),
            (r#"JobName==' . $name . ';x"#, r#"' . $name . '"#),
            (r#"JobName==".$name."x"#, r#"".$name.""#),
            (r#"JobName==" & jobName & ";x"#, r#"" & jobName & ""#),
            ("JobName==%s;", "%s"),
            ("JobName==%d;", "%d"),
            ("JobName==%1$s;", "%1$s"),
            ("JobName==%(name)s;", "%(name)s"),
            ("JobName==%JOBNAME%;", "%JOBNAME%"),
            ("JobName==\"<job name>\"", "<job name>"),
            ("JobName==<JOB_NAME>;", "<JOB_NAME>"),
        ] {
            assert_eq!(found(text), [want], "{text}");
        }
    }

    #[test]
    fn leaves_real_text_alone() {
        for text in [
            "JobName%3D%3D%22SQL%20Replica%22",
            "JobUid=={dce85686-59c8-42c4-8766-f1c00a5b8067}",
            "CreationTime>=\"2025-08-15T06:00:00Z\"",
            "Result==Failed&State==Stopped",
            "JobName==\"a\"&type=Job",
            "JobName==\"a\".b",
            "Name==%E2%9C%93",
            "x==%dA",
            "JobName==100%",
            "CreationTime<2025-01-01T00:00:00Z",
            "JobName==a<b",
            "JobName==<a >",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }
}
