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

/// Where a filter came from, for locations in output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// `argument`, `stdin` or a path.
    pub source: String,
    /// The line of the file the filter stands on (1-based), when it came from a file or stdin.
    pub line: Option<usize>,
    /// The 1-based column in that line where the filter starts.
    pub column: usize,
}

impl Origin {
    /// A filter given on the command line.
    pub fn argument() -> Origin {
        Origin {
            source: "argument".to_owned(),
            line: None,
            column: 1,
        }
    }

    /// A filter that makes up line `line` of `source`.
    pub fn line(source: impl Into<String>, line: usize) -> Origin {
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
pub fn describe_fix(fix: &emfilter::Fix, text: &str) -> String {
    let old = text.get(fix.span.range()).unwrap_or_default();
    if fix.span.is_empty() {
        format!("insert `{}`", fix.replacement)
    } else if fix.replacement.is_empty() {
        format!("remove `{old}`")
    } else {
        format!("replace `{old}` with `{}`", fix.replacement)
    }
}
