//! What the renderers of whole runs (SARIF, GitHub, JUnit) take: one checked item each.

use super::Origin;
use emfilter::{Diagnostic, Span};

/// One checked filter or query, with where it came from and what checking found.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// Where the text came from.
    pub origin: &'a Origin,
    /// Whether `origin.source` is the path of a file (not `argument` or `stdin`).
    pub in_file: bool,
    /// The text checked; spans are byte offsets into it.
    pub text: &'a str,
    /// Every diagnostic, at its lint level, notes (what was skipped) among them.
    pub diagnostics: &'a [Diagnostic],
    /// The query type the filter was checked against, and where it came from.
    pub checked_as: Option<&'a crate::QueryType>,
}

/// A 1-based line and column (in Unicode code points) in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
}

impl<'a> Item<'a> {
    /// Where byte `offset` of the text stands in the file.
    pub fn position(&self, offset: usize) -> Position {
        let (line, column) = Span::empty(offset.min(self.text.len())).line_col(self.text);
        Position {
            line: self.origin.line.unwrap_or(1) + line - 1,
            column: if line == 1 {
                self.origin.column + column - 1
            } else {
                column
            },
        }
    }

    /// Where `span` starts and ends (the end is the position just after it).
    pub fn region(&self, span: Span) -> (Position, Position) {
        (
            self.position(span.start as usize),
            self.position(span.end as usize),
        )
    }

    /// Whether any diagnostic is an error.
    pub fn has_error(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The notes: what was not checked, and why.
    pub fn notes(&self) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_note())
    }

    /// The problems: errors and warnings.
    pub fn problems(&self) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_note())
    }
}
