//! Rendering diagnostics for people and programs: one module per output format.
//!
//! The library's stages never render; tools call these at the edge.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

mod item;

pub use item::{Item, Position};

use std::sync::Arc;

/// Where a filter came from, for locations in output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `argument`, `stdin` or a path (shared: the origins of one file's filters copy no text).
    pub source: Arc<str>,
    /// The line of the file the filter stands on (1-based), when it came from a file or stdin.
    pub line: Option<usize>,
    /// The 1-based column in that line where the filter starts.
    pub column: usize,
}

impl Origin {
    /// A filter given on the command line.
    pub fn argument() -> Origin {
        Origin {
            source: "argument".into(),
            line: None,
            column: 1,
        }
    }

    /// A filter that makes up line `line` of `source`.
    pub fn line(source: impl Into<Arc<str>>, line: usize) -> Origin {
        Origin {
            source: source.into(),
            line: Some(line),
            column: 1,
        }
    }

    /// `source:line:column` of `span` of `filter`.
    pub fn locate(&self, filter: &str, span: emfilter::Span) -> String {
        let (line, column) = span.line_col(filter);
        let file_line = self.line.unwrap_or(1) + line - 1;
        let column = if line == 1 {
            self.column + column - 1
        } else {
            column
        };
        format!("{}:{}:{}", self.source, file_line, column)
    }
}

/// What a fix does to `text`, in words: "replace `x` with `y`", "insert `)`", "remove `;`".
/// Long texts are cut as messages cut them ([`emfilter::excerpt`]).
pub fn describe_fix(fix: &emfilter::Fix, text: &str) -> String {
    let mut out = String::new();
    write_fix(&mut out, fix, text, false);
    out
}

/// [`describe_fix`], appended to `out`; with `escaped`, the quoted texts [`printable`].
pub(crate) fn write_fix(out: &mut String, fix: &emfilter::Fix, text: &str, escaped: bool) {
    use std::fmt::Write;
    let old = emfilter::excerpt(text.get(fix.span.range()).unwrap_or_default());
    let new = emfilter::excerpt(&fix.replacement);
    let (old, new) = if escaped {
        (printable(&old), printable(&new))
    } else {
        (old.as_ref().into(), new.as_ref().into())
    };
    let _ = if fix.span.is_empty() {
        write!(out, "insert `{new}`")
    } else if fix.replacement.is_empty() {
        write!(out, "remove `{old}`")
    } else {
        write!(out, "replace `{old}` with `{new}`")
    };
}

/// `text` safe to print on a terminal or in a CI log: control characters (escape sequences,
/// line breaks, NUL) and the Unicode controls that reorder or hide text (bidirectional
/// overrides and isolates, zero-width joiners are left alone) are written as escapes, `\n`,
/// `\t`, `\r` or `\u{1b}`. Text from filters, files and file names passes through this before
/// human or plain-log output.
///
/// ```
/// use emfilter_lint::render::printable;
///
/// assert_eq!(printable("CreationTime>\u{1b}[2Jx"), "CreationTime>\\u{1b}[2Jx");
/// assert_eq!(printable("a\nb"), "a\\nb");
/// assert_eq!(printable("JobName==名前"), "JobName==名前");
/// ```
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        c.is_control()
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
    };
    if !text.chars().any(bad) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if bad(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.into()
}
