//! Rendering diagnostics for people and programs: one module per output format.
//!
//! The library's stages never render; tools call these at the edge.

pub mod human;
pub mod json;

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
    pub fn locate(&self, filter: &str, span: crate::Span) -> String {
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
