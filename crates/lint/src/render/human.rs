//! rustc-style text: the filter line with carets under the span, the code, the message, the help
//! and the fix. Carets are aligned by display width (wide and combining characters, tabs).

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use super::{printable, Origin};
use emfilter::{Diagnostic, Severity};

/// How the text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether to use ANSI colours.
    pub color: bool,
}

/// The widest part of a line shown around a span, in columns.
const WINDOW: usize = 100;
const TAB: &str = "    ";

impl Style {
    /// `text` in the colour `code` (when colours are on), written to `out`.
    fn paint(&self, out: &mut String, code: &str, text: impl std::fmt::Display) {
        let _ = if self.color {
            write!(out, "\x1b[{code}m{text}\x1b[0m")
        } else {
            write!(out, "{text}")
        };
    }
}

/// Renders `diagnostic` of `filter`, which came from `origin`: a note (what was not checked) in
/// two lines, a problem with the line it is on, carets, help and fix. Text from the input is
/// escaped ([`printable`]).
pub fn render(diagnostic: &Diagnostic, filter: &str, origin: &Origin, style: Style) -> String {
    let mut out = String::new();
    write(&mut out, diagnostic, filter, origin, style);
    out
}

/// [`render`], appended to `out`: a report of many diagnostics is written into one buffer, with
/// no allocation of its own for a diagnostic on a line of usual length.
pub fn write(
    out: &mut String,
    diagnostic: &Diagnostic,
    filter: &str,
    origin: &Origin,
    style: Style,
) {
    write_with(out, diagnostic, filter, origin, style, None);
}

/// Whether what `code` says depends on the query type the filter was checked against (a field,
/// a value of a field): the codes whose report says which type that was.
pub fn depends_on_type(code: emfilter::Code) -> bool {
    use emfilter::Code::*;
    matches!(
        code,
        UnknownField
            | InvalidUid
            | UidTypeMismatch
            | BareGuid
            | InvalidDatetime
            | DatetimeNotUtc
            | DatetimeWithoutZone
            | UndocumentedField
            | UnknownEnumValue
            | UndocumentedEnumValue
            | InvalidBoolean
            | InvalidNumber
            | UnsupportedOperator
    )
}

/// [`write()`], with a last line `= note: …` under a problem (which query type the filter was
/// checked against, and where that came from).
pub fn write_with(
    out: &mut String,
    diagnostic: &Diagnostic,
    filter: &str,
    origin: &Origin,
    style: Style,
    note: Option<&str>,
) {
    let (label, colour) = match diagnostic.severity() {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
        Severity::Note => ("note", "1;36"),
    };
    style.paint(out, colour, format_args!("{label}[{}]", diagnostic.code()));
    style.paint(
        out,
        "1",
        format_args!(": {}", printable(diagnostic.message())),
    );
    out.push('\n');
    let span = diagnostic.span();
    // `source:line:column`; only the source needs escaping.
    let (line_no, column) = span.line_col(filter);
    let file_line = origin.line.unwrap_or(1) + line_no - 1;
    let column = if line_no == 1 {
        origin.column + column - 1
    } else {
        column
    };
    let source = printable(&origin.source);
    if diagnostic.is_note() {
        out.push_str("  ");
        style.paint(out, "1;34", "-->");
        let _ = writeln!(out, " {source}:{file_line}:{column}");
        return;
    }
    let digits = file_line.checked_ilog10().unwrap_or(0) as usize + 1;
    let pad = |out: &mut String| out.extend(std::iter::repeat_n(' ', digits));
    pad(out);
    style.paint(out, "1;34", "-->");
    let _ = writeln!(out, " {source}:{file_line}:{column}");
    pad(out);
    out.push(' ');
    style.paint(out, "1;34", "|");
    out.push('\n');

    // The line the span starts on, and the span's part of it; of a long line only a window
    // around the span is read, so that output costs the same whatever the line's length.
    let snapped = span.clamp_to(filter);
    let start = snapped.start as usize;
    let near = |at: usize| {
        let mut at = at.min(filter.len());
        while !filter.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let reach = WINDOW * 16;
    let back = near(start.saturating_sub(reach));
    let line_start = filter[back..start]
        .rfind('\n')
        .map_or(back, |i| back + i + 1);
    let ahead = near(start + reach);
    let line_end = filter[start..ahead].find('\n').map_or(ahead, |i| start + i);
    let end = (snapped.end as usize).clamp(start, line_end);
    let line = &filter[line_start..line_end];
    let (start, end) = (start - line_start, end - line_start);

    style.paint(out, "1;34", file_line);
    out.push(' ');
    style.paint(out, "1;34", "|");
    out.push(' ');
    let short = line.chars().map(width).sum::<usize>() <= WINDOW;
    let carets = if short {
        // The whole line, and under it spaces to the span, then a caret for each column of it.
        for c in line.chars() {
            match c {
                '\t' => out.push_str(TAB),
                c if c.is_control() => out.push('\u{fffd}'),
                c => out.push(c),
            }
        }
        let cols = |r: std::ops::Range<usize>| line[r].chars().map(width).sum::<usize>();
        Carets {
            before: cols(0..start),
            span: cols(start..end).max(1),
            shown: None,
        }
    } else {
        let (shown, carets) = excerpt(line, start, end);
        out.push_str(&shown);
        Carets {
            before: 0,
            span: 0,
            shown: Some(carets),
        }
    };
    out.push('\n');
    pad(out);
    out.push(' ');
    style.paint(out, "1;34", "|");
    out.push(' ');
    style.paint(out, colour, &carets);
    out.push('\n');
    if let Some(help) = diagnostic.help() {
        pad(out);
        out.push(' ');
        style.paint(out, "1;34", "=");
        let _ = writeln!(out, " help: {}", printable(help));
    }
    if let Some(fix) = diagnostic.fix() {
        let how = if fix.is_safe() {
            "fix"
        } else {
            "unsafe fix (--unsafe-fixes)"
        };
        pad(out);
        out.push(' ');
        style.paint(out, "1;34", "=");
        let _ = write!(out, " {how}: ");
        super::write_fix(out, fix, filter, true);
        out.push('\n');
    }
    if let Some(note) = note {
        pad(out);
        out.push(' ');
        style.paint(out, "1;34", "=");
        let _ = writeln!(out, " note: {}", printable(note));
    }
}

/// The columns a character takes as shown.
fn width(c: char) -> usize {
    match c {
        '\t' => TAB.len(),
        c if c.is_control() => 1,
        c => c.width().unwrap_or(0),
    }
}

/// The caret line: spaces, then carets; or, for a long line, as [`excerpt`] made it.
struct Carets {
    before: usize,
    span: usize,
    shown: Option<String>,
}

impl std::fmt::Display for Carets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(shown) = &self.shown {
            return f.write_str(shown);
        }
        for _ in 0..self.before {
            f.write_char(' ')?;
        }
        for _ in 0..self.span {
            f.write_char('^')?;
        }
        Ok(())
    }
}

/// The line as shown (tabs expanded, control characters replaced, cut to a window around the
/// span when long) and the caret line under `start..end` (byte offsets into `line`).
fn excerpt(line: &str, start: usize, end: usize) -> (String, String) {
    let cells: Vec<(usize, String, usize)> = line
        .char_indices()
        .map(|(i, c)| {
            let (text, width) = match c {
                '\t' => (TAB.to_owned(), TAB.len()),
                c if c.is_control() => ("\u{fffd}".to_owned(), 1),
                c => (c.to_string(), c.width().unwrap_or(0)),
            };
            (i, text, width)
        })
        .collect();
    let first = cells
        .iter()
        .position(|(i, _, _)| *i >= start)
        .unwrap_or(cells.len());
    let last = cells
        .iter()
        .position(|(i, _, _)| *i >= end)
        .unwrap_or(cells.len());
    let total: usize = cells.iter().map(|c| c.2).sum();
    // Keep the start of the span in view: show up to WINDOW columns from a little before it.
    let (from, to) = if total <= WINDOW {
        (0, cells.len())
    } else {
        let mut from = first;
        let mut back = 0;
        while from > 0 && back + cells[from - 1].2 <= WINDOW / 4 {
            from -= 1;
            back += cells[from].2;
        }
        let mut to = from;
        let mut width = 0;
        while to < cells.len() && width + cells[to].2 <= WINDOW {
            width += cells[to].2;
            to += 1;
        }
        (from, to)
    };
    let mut shown = String::new();
    let mut carets = String::new();
    if from > 0 {
        shown.push('…');
        carets.push(' ');
    }
    for (k, (_, text, width)) in cells[from..to].iter().enumerate() {
        let k = k + from;
        shown.push_str(text);
        let mark = if k >= first && k < last { '^' } else { ' ' };
        if k < last.max(first + 1) {
            carets.extend(std::iter::repeat_n(mark, *width));
        }
    }
    if to < cells.len() {
        shown.push('…');
    }
    // An empty span, or a span at the end of the line, still gets one caret.
    if !carets.contains('^') {
        let at = cells[from..to.min(first).max(from)]
            .iter()
            .map(|c| c.2)
            .sum::<usize>()
            + usize::from(from > 0);
        carets = format!("{}^", " ".repeat(at));
    }
    (shown, carets.trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn carets_follow_display_width() {
        let (shown, carets) = excerpt("名前==x", 6, 8);
        assert_eq!(shown, "名前==x");
        assert_eq!(carets, "    ^^");
        let (shown, carets) = excerpt("\tA==b", 1, 2);
        assert_eq!(shown, "    A==b");
        assert_eq!(carets, "    ^");
        let (_, carets) = excerpt("A==", 3, 3);
        assert_eq!(carets, "   ^");
    }
}
