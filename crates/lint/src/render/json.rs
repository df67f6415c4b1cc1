//! The JSON report of one checked filter, as `emfilter check --format json` prints it.

use serde::{Serialize, Serializer};

use emfilter::{Checked, Diagnostic, Filter};

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
    /// The typed filter, when valid: written as its canonical form, straight into the output.
    #[serde(serialize_with = "canonical")]
    pub canonical: Option<&'a Filter>,
    /// Every diagnostic, in source order.
    pub diagnostics: &'a [Diagnostic],
    /// The query type the filter was checked against (`type`) and where it came from
    /// (`type_source`: `{"from": "url"}`, `{"from": "sibling", "line": 3}`, `{"from": "config",
    /// "glob": "…"}`, `{"from": "command-line"}`, `{"from": "default"}`); absent for a filter
    /// checked by the core alone.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub checked_as: Option<&'a crate::QueryType>,
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
            canonical: checked.filter(),
            diagnostics: checked.diagnostics(),
            checked_as: None,
        }
    }
}

/// The canonical form of `filter`, printed into a buffer the thread keeps for it (a report of
/// many filters allocates none per filter) and written as one string.
fn canonical<S: Serializer>(filter: &Option<&Filter>, s: S) -> Result<S::Ok, S::Error> {
    use std::fmt::Write;
    thread_local! {
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    let Some(f) = filter else {
        return s.serialize_none();
    };
    TEXT.with(|text| {
        let mut text = text.borrow_mut();
        text.clear();
        let _ = write!(text, "{f}");
        s.serialize_str(&text)
    })
}
