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
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Renders `diagnostic` of `filter`, which came from `origin`: a note (what was not checked) in
/// two lines, a problem with the line it is on, carets, help and fix. Text from the input is
/// escaped ([`printable`]).
pub fn render(diagnostic: &Diagnostic, filter: &str, origin: &Origin, style: Style) -> String {
    let mut out = String::new();
    let (label, colour) = match diagnostic.severity() {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
        Severity::Note => ("note", "1;36"),
    };
    let _ = writeln!(
        out,
        "{}{}",
        style.paint(colour, &format!("{label}[{}]", diagnostic.code())),
        style.paint("1", &format!(": {}", printable(diagnostic.message())))
    );
    let span = diagnostic.span();
    let location = printable(&origin.locate(filter, span)).into_owned();
    if diagnostic.is_note() {
        let _ = writeln!(out, "  {} {location}", style.paint("1;34", "-->"));
        return out;
    }
    let (line_no, _) = span.line_col(filter);
    let file_line = origin.line.unwrap_or(1) + line_no - 1;
    let gutter = file_line.to_string();
    let pad = " ".repeat(gutter.len());
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{pad}{} {location}", style.paint("1;34", "-->"));
    let _ = writeln!(out, "{pad} {bar}");

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
    let (shown, carets) = excerpt(
        &filter[line_start..line_end],
        start - line_start,
        end - line_start,
    );
    let _ = writeln!(out, "{} {bar} {shown}", style.paint("1;34", &gutter));
    let _ = writeln!(out, "{pad} {bar} {}", style.paint(colour, &carets));
    if let Some(help) = diagnostic.help() {
        let _ = writeln!(
            out,
            "{pad} {} help: {}",
            style.paint("1;34", "="),
            printable(help)
        );
    }
    if let Some(fix) = diagnostic.fix() {
        let what = printable(&super::describe_fix(fix, filter)).into_owned();
        let how = if fix.is_safe() {
            "fix"
        } else {
            "unsafe fix (--unsafe-fixes)"
        };
        let _ = writeln!(out, "{pad} {} {how}: {what}", style.paint("1;34", "="));
    }
    out
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
