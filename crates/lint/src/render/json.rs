//! The JSON report of one checked filter, as `emfilter check --format json` prints it.

use serde::Serialize;

use emfilter::{Checked, Diagnostic};

/// One object of the JSON array: a filter, where it came from, and what checking found.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    /// `argument`, `stdin` or the path.
    pub source: &'a str,
    /// The line in `source`, or `null` for an argument.
    pub line: Option<usize>,
    /// For a filter found in a scanned file: the 1-based column (in characters) where it starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// For a filter found in a scanned file: the byte offset in the file where it starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    /// The filter text; spans are byte offsets into it.
    pub filter: &'a str,
    /// Whether there is no error.
    pub valid: bool,
    /// The canonical form, when valid.
    pub canonical: Option<String>,
    /// Every diagnostic, in source order.
    pub diagnostics: &'a [Diagnostic],
}

impl<'a> Report<'a> {
    /// The report of `checked`, the result of checking `filter`.
    pub fn new(
        source: &'a str,
        line: Option<usize>,
        filter: &'a str,
        checked: &'a Checked,
    ) -> Self {
        Report {
            source,
            line,
            column: None,
            offset: None,
            filter,
            valid: checked.is_valid(),
            canonical: checked.filter().map(ToString::to_string),
            diagnostics: checked.diagnostics(),
        }
    }
}
