//! Diagnostics: every problem the parser and checker find, as data.
//!
//! A [`Diagnostic`] has a stable [`Code`] (what CI users filter on), a [`Severity`], the [`Span`] of
//! the text it is about, a message in plain words, optional help and an optional machine-applicable
//! [`Fix`]. Nothing here renders: the crate `emfilter-lint` renders diagnostics as text, JSON,
//! SARIF, GitHub annotations and JUnit, at the edge.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::span::Span;

/// How bad a diagnostic is.
///
/// ```
/// use emfilter::{Code, Severity};
/// assert_eq!(Code::BareGuid.default_severity(), Severity::Warning);
/// assert!(Severity::Error > Severity::Warning);
/// assert_eq!(Severity::Error.to_string(), "error");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Not a problem: something that was not checked, and why (a placeholder, a filter whose
    /// query type is unknown).
    Note,
    /// Worth knowing; the filter is still valid.
    Warning,
    /// The filter is invalid and must not be sent.
    Error,
}

impl Severity {
    /// `"error"`, `"warning"` or `"note"`.
    ///
    /// ```
    /// use emfilter::Severity;
    /// let names: Vec<&str> = [Severity::Note, Severity::Warning, Severity::Error].iter().map(|s| s.as_str()).collect();
    /// assert_eq!(names, ["note", "warning", "error"]);
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, $severity:ident, $example:literal; )*) => {
        /// The stable code of a kind of diagnostic.
        ///
        /// Codes are spelled in kebab case (`unknown-field`) everywhere: in JSON, in human output
        /// and on the command line. New codes may be added in minor releases.
        ///
        /// ```
        /// use emfilter::{Code, Severity};
        /// assert_eq!(Code::UnknownField.as_str(), "unknown-field");
        /// assert_eq!(Code::UnknownField.default_severity(), Severity::Error);
        /// // Each code's example produces it.
        /// let checked = emfilter::check(Code::UnknownField.example(), &emfilter::schema::REPLICA_JOB_SESSION);
        /// assert_eq!(checked.diagnostics()[0].code(), Code::UnknownField);
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            ///
            /// ```
            /// use emfilter::Code;
            /// assert_eq!(Code::ALL[0], Code::Syntax);
            /// // Each code reads back from its name, and no two share one.
            /// for &code in Code::ALL {
            ///     assert_eq!(code.as_str().parse(), Ok(code));
            /// }
            /// let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            /// names.sort();
            /// names.dedup();
            /// assert_eq!(names.len(), Code::ALL.len());
            /// ```
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The code as written in output and settings, e.g. `"unknown-field"`.
            ///
            /// ```
            /// use emfilter::Code;
            /// assert_eq!(Code::DatetimeNotUtc.as_str(), "datetime-not-utc");
            /// assert_eq!(Code::SqlUnmappedField.to_string(), "sql-unmapped-field");
            /// ```
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The severity this code has unless a lint setting changes it.
            ///
            /// ```
            /// use emfilter::{Code, Severity};
            /// assert_eq!(Code::InvalidUid.default_severity(), Severity::Error);
            /// assert_eq!(Code::WildcardInValue.default_severity(), Severity::Warning);
            /// assert_eq!(Code::UncheckedType.default_severity(), Severity::Note);
            /// ```
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity, )* }
            }

            /// An input that produces this diagnostic: a ReplicaJobSession filter (a
            /// BackupTaskSession one for `invalid-number` and `sql-unmapped-field`, a
            /// VmRestorePoint one for `undocumented-field`), or a query
            /// string (`type=…&filter=…`) for the codes about whole queries
            /// ([`Code::is_query_level`]). The `sql-…` codes' examples are refused by the SQL
            /// translation ([`Code::is_sql`]) with the default mapping, the second in
            /// PostgreSQL. The settings codes' ([`Code::is_settings`]) are a settings file's
            /// text, `unused-suppression`'s is a comment in a scanned file, and two describe an
            /// input too long to write out: `filter-too-long`'s and `too-many-diagnostics`'.
            ///
            /// ```
            /// use emfilter::{schema, Code};
            ///
            /// let sessions = &schema::REPLICA_JOB_SESSION;
            /// let tasks = schema::builtin("BackupTaskSession").unwrap();
            /// let points = schema::builtin("VmRestorePoint").unwrap();
            /// for &code in Code::ALL {
            ///     // The linter's codes and the SQL codes are not the checker's; a 64 KiB filter is
            ///     // described rather than written out.
            ///     if code.is_linter_level() || code.is_sql() || code == Code::FilterTooLong {
            ///         continue;
            ///     }
            ///     let schema = match code {
            ///         Code::InvalidNumber => tasks,
            ///         Code::UndocumentedField => points,
            ///         _ => sessions,
            ///     };
            ///     let checked = emfilter::check(code.example(), schema);
            ///     assert!(checked.diagnostics().iter().any(|d| d.code() == code), "{code}");
            /// }
            /// assert_eq!(Code::UnknownQueryType.example(), "type=ReplicaJobSesion&filter=Result==Failed");
            /// ```
            pub fn example(self) -> &'static str {
                match self { $( Code::$variant => $example, )* }
            }

            /// What the code is about, in one sentence (its documentation above).
            ///
            /// ```
            /// use emfilter::Code;
            /// assert_eq!(Code::UnknownField.description(), "The field is not in the schema.");
            /// assert_eq!(Code::BareGuid.description(), "A GUID without its `urn:veeam:<Type>:` prefix.");
            /// ```
            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => concat!($($doc),+).trim_ascii(), )* }
            }

            /// Whether the linter gives this code rather than the checker: the codes about whole
            /// queries, the notes, and the mistakes of text pasted as a filter.
            ///
            /// ```
            /// use emfilter::Code;
            /// assert!(Code::UnknownQueryType.is_linter_level(), "about a whole query");
            /// assert!(Code::SkippedPlaceholder.is_linter_level(), "a note");
            /// assert!(Code::ParameterNameInFilter.is_linter_level(), "pasted text");
            /// assert!(!Code::UnknownField.is_linter_level());
            /// ```
            pub fn is_linter_level(self) -> bool {
                self.is_query_level()
                    || self.is_settings()
                    || self.default_severity() == Severity::Note
                    || self == Code::ParameterNameInFilter
            }

            /// Whether this code is about a whole query (its parameters) rather than a filter.
            ///
            /// ```
            /// use emfilter::Code;
            /// assert!(Code::StrayFilterClause.is_query_level());
            /// assert!(!Code::AmpersandInFilter.is_query_level());
            /// let query_level = Code::ALL.iter().filter(|c| c.is_query_level()).count();
            /// assert_eq!(query_level, 6);
            /// ```
            pub fn is_query_level(self) -> bool {
                matches!(
                    self,
                    Code::UnknownQueryType
                        | Code::InvalidQueryParameter
                        | Code::UnknownQueryParameter
                        | Code::StrayFilterClause
                        | Code::RepeatedParameter
                        | Code::EscapedAmpersand
                )
            }

            /// Whether the canonical form settles this diagnostic's doubt by a guess, the guess
            /// of its unsafe fix: quotes keep the spaces the server drops
            /// (`unquoted-whitespace`), parentheses pick a precedence EM does not document
            /// (`mixed-and-or`), `Z` reads a date-time without a zone as UTC
            /// (`datetime-without-zone`). Printed canonically, a filter with such a diagnostic would
            /// ask the server something else than it does as written, so `emfilter fmt` leaves
            /// it as written.
            ///
            /// ```
            /// use emfilter::Code;
            /// assert!(Code::UnquotedWhitespace.is_settled_by_printing());
            /// assert!(!Code::BareGuid.is_settled_by_printing()); // a bare GUID prints bare
            /// ```
            pub fn is_settled_by_printing(self) -> bool {
                matches!(
                    self,
                    Code::UnquotedWhitespace
                        | Code::MixedAndOr
                        | Code::DatetimeNotUtc
                        | Code::DatetimeWithoutZone
                )
            }

            /// Whether this code is about the settings file (`emfilter.toml`) rather than a
            /// filter: its example is a settings file's text.
            ///
            /// ```
            /// use emfilter::Code;
            /// assert!(Code::UnknownSetting.is_settings() && Code::UnknownSetting.is_linter_level());
            /// assert!(!Code::UnknownField.is_settings());
            /// // Its example is the text of an `emfilter.toml`, not a filter.
            /// assert_eq!(Code::InvalidSetting.example(), r#"lints = { bare-guid = "sometimes" }"#);
            /// ```
            pub fn is_settings(self) -> bool {
                matches!(
                    self,
                    Code::SettingsSyntax | Code::UnknownSetting | Code::InvalidSetting
                )
            }

            /// Whether this code is about compiling a valid filter to SQL ([`crate::sql`]), which
            /// `check` never reports.
            ///
            /// ```
            /// use emfilter::Code;
            /// let sql: Vec<Code> = Code::ALL.iter().copied().filter(|c| c.is_sql()).collect();
            /// assert_eq!(sql, [Code::SqlUnmappedField, Code::SqlUnrepresentableValue]);
            /// assert!(sql.iter().all(|c| c.as_str().starts_with("sql-")));
            /// ```
            pub fn is_sql(self) -> bool {
                matches!(self, Code::SqlUnmappedField | Code::SqlUnrepresentableValue)
            }
        }
    };
}

codes! {
    /// The text does not parse.
    Syntax = "syntax", Error, "Result=Success";
    /// The field is not in the schema.
    UnknownField = "unknown-field", Error, "JobNmae==x";
    /// A field that EM's documentation omits but Veeam's own samples use (a VmRestorePoint
    /// filter).
    UndocumentedField = "undocumented-field", Warning, "HierarchyObjRef==\"urn:VMware:Vm:x\"";
    /// Not `urn:veeam:<Type>:<guid>`.
    InvalidUid = "invalid-uid", Error, "JobUid==urn:veeam:Job:1234";
    /// A well-formed URN of another resource type than the field takes.
    UidTypeMismatch = "uid-type-mismatch", Error,
        "JobUid==urn:veeam:BackupServer:ce15a8c7-aa49-495e-b05b-ee3398c91018";
    /// A GUID without its `urn:veeam:<Type>:` prefix.
    BareGuid = "bare-guid", Warning, "JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067";
    /// Not a date-time at all.
    InvalidDatetime = "invalid-datetime", Error, "CreationTime>yesterday";
    /// A date-time with an offset other than UTC's.
    DatetimeNotUtc = "datetime-not-utc", Error, "CreationTime>2025-08-14T12:31:30+02:00";
    /// A date or date-time without a zone, which servers read in a zone of their own.
    DatetimeWithoutZone = "datetime-without-zone", Warning, "CreationTime>=\"2021-06-15\"";
    /// Not one of the enum field's values.
    UnknownEnumValue = "unknown-enum-value", Error, "Result==Sucess";
    /// A value seen on real servers but not in the documented list.
    UndocumentedEnumValue = "undocumented-enum-value", Warning, "Result==None";
    /// Not `True` or `False`.
    InvalidBoolean = "invalid-boolean", Error, "IsRetry==yes";
    /// Not a number of the field's type: not a whole number for an Int64 field, not a finite
    /// decimal for a Double field.
    InvalidNumber = "invalid-number", Error, "TotalSize==12GB";
    /// An ordering operator on a field that has no order.
    UnsupportedOperator = "unsupported-operator", Error, "IsRetry>False";
    /// Spaces inside an unquoted value, which the server drops.
    UnquotedWhitespace = "unquoted-whitespace", Warning, "JobName==SQL Replica";
    /// `;` and `,` in one group without parentheses.
    MixedAndOr = "mixed-and-or", Warning, "Result==Failed;IsRetry==True,State==Working";
    /// A `&` in an unquoted value: in a URL it ends the filter parameter.
    AmpersandInFilter = "ampersand-in-filter", Error, "Result==Failed&State==Stopped";
    /// More nesting than the limit.
    NestingTooDeep = "nesting-too-deep", Error, "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((Result==Failed)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))";
    /// Longer than the limit.
    FilterTooLong = "filter-too-long", Error, "JobName==\"…65,536 bytes…\"";
    /// `AND`, `OR`, `&&` or `||` between comparisons, where the language has `;` and `,`.
    KeywordInValue = "keyword-in-value", Warning, "Result==Failed AND State==Stopped";
    /// A `*` in a string value: EM has no wildcards, so it is matched literally.
    WildcardInValue = "wildcard-in-value", Warning, "JobName==SQL*";
    /// A value in single quotes (`'x'`), as SQL and OData write strings: EM reads the quotes as
    /// part of the value.
    SingleQuotedValue = "single-quoted-value", Error, "JobName=='SQL Replica'";
    /// The query's `type` is not a query type this tool knows.
    UnknownQueryType = "unknown-query-type", Error, "type=ReplicaJobSesion&filter=Result==Failed";
    /// A bad `format`, `pageSize` or `page` value, a sort on an unknown field, a missing `type` or a parameter given twice.
    InvalidQueryParameter = "invalid-query-parameter", Error, "type=ReplicaJobSession&pageSize=0";
    /// A query parameter the EM query service does not take.
    UnknownQueryParameter = "unknown-query-parameter", Warning, "type=ReplicaJobSession&fitler=Result==Failed";
    /// A comparison after the filter, cut off from it by `&`.
    StrayFilterClause = "stray-filter-clause", Error, "type=ReplicaJobSession&filter=Result==Failed&State==Stopped";
    /// A query parameter given twice with the same value (`sortAsc=name&sortAsc=Name`).
    RepeatedParameter = "repeated-parameter", Warning, "type=ReplicaJobSession&sortAsc=name&sortAsc=Name";
    /// `&amp;` between query parameters: an HTML-escaped query string, whose parameters after
    /// it the server may not see.
    EscapedAmpersand = "escaped-ampersand", Warning, "type=ReplicaJobSession&amp;filter=Result==Failed";
    /// A filter that starts with its parameter's name (`filter=`, `&filter=`, `$filter=`), as when
    /// it is pasted from a URL: the name is not part of the filter.
    ParameterNameInFilter = "parameter-name-in-filter", Error, "filter=Result==Failed";
    /// A placeholder (`$name`, `{{ x }}`, `<%= x %>`, a string that code continues) stands where
    /// text will be filled in later: what it stands for was not checked.
    SkippedPlaceholder = "skipped-placeholder", Note, "type=ReplicaJobSession&filter=JobName==$name";
    /// The filter was not checked: its query type is not one this tool knows.
    UncheckedType = "unchecked-type", Note, "type=Mystery&filter=Result==Failed";
    /// An `emfilter: ignore` comment that silences nothing: no diagnostic of its codes is on its
    /// line or the next.
    UnusedSuppression = "unused-suppression", Note, "# emfilter: ignore[bare-guid]";
    /// More diagnostics than are shown for one filter: the rest are counted, not listed.
    TooManyDiagnostics = "too-many-diagnostics", Note, "JobName==x AND a=1 AND a=1 … (over 100 diagnostics)";
    /// The settings file (`emfilter.toml`) is not TOML.
    SettingsSyntax = "settings-syntax", Error, "[lints";
    /// A key of the settings file that is no setting, or a name in it that is no diagnostic code.
    UnknownSetting = "unknown-setting", Error, "lints = { bare_guid = \"allow\" }";
    /// A setting whose value is not of its kind: not a level, a query type, a glob or a list.
    InvalidSetting = "invalid-setting", Error, "lints = { bare-guid = \"sometimes\" }";
    /// SQL: the filter reads a field that the column mapping has no column for.
    SqlUnmappedField = "sql-unmapped-field", Error, "JobName==x";
    /// SQL: a value the dialect cannot hold, or cannot write as a literal.
    SqlUnrepresentableValue = "sql-unrepresentable-value", Error, "JobName==\"a\u{0}b\"";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The error of parsing a [`Code`] from a string that names none.
///
/// ```
/// use emfilter::Code;
/// assert_eq!("unknown-field".parse::<Code>(), Ok(Code::UnknownField));
/// assert_eq!("unkown-field".parse::<Code>().unwrap_err().0, "unkown-field");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown diagnostic code `{0}`")]
pub struct UnknownCode(pub String);

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// Whether a fix can be applied without asking.
///
/// ```
/// use emfilter::{Applicability, Code};
///
/// let source = "result==Failed;JobNmae==x";
/// let checked = emfilter::check(source, &emfilter::schema::REPLICA_JOB_SESSION);
/// let fixes: Vec<(Code, Applicability)> = checked
///     .diagnostics()
///     .iter()
///     .filter_map(|d| Some((d.code(), d.fix()?.applicability)))
///     .collect();
/// // Only the guess at another name needs asking.
/// assert_eq!(fixes, [(Code::UnknownField, Applicability::Unsafe)]);
/// assert_eq!(Applicability::Unsafe.to_string(), "unsafe");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The server reads the fixed text exactly as a person reads the original (`=` → `==`, the
    /// case of a name, an operator from another language): `--fix` applies it.
    Safe,
    /// The fix guesses what was meant (assume UTC, a did-you-mean, a prefix for a bare GUID,
    /// `&` → `;`, quotes around a value whose spaces the server would drop): applied only with
    /// `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    /// `"safe"` or `"unsafe"`.
    ///
    /// ```
    /// use emfilter::Applicability;
    /// assert_eq!(Applicability::Safe.as_str(), "safe");
    /// assert_eq!(Applicability::Unsafe.as_str(), "unsafe");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }

    /// Safe when `replacement` differs from `original` only in ASCII case (a name's case),
    /// unsafe otherwise (a guess at another name).
    ///
    /// ```
    /// use emfilter::Applicability;
    /// assert_eq!(Applicability::of_rename("jobname", "JobName"), Applicability::Safe);
    /// assert_eq!(Applicability::of_rename("JobNmae", "JobName"), Applicability::Unsafe);
    /// ```
    pub fn of_rename(original: &str, replacement: &str) -> Applicability {
        if original.eq_ignore_ascii_case(replacement) {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A machine-applicable fix: replace the text at `span` with `replacement`.
///
/// ```
/// let source = "JobNmae==x";
/// let checked = emfilter::check(source, &emfilter::schema::REPLICA_JOB_SESSION);
/// let fix = checked.diagnostics()[0].fix().unwrap();
/// assert_eq!(fix.apply(source).as_deref(), Some("JobName==x"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What to replace (byte offsets into the filter).
    pub span: Span,
    /// What to put there.
    pub replacement: String,
    /// Whether `--fix` applies it, or only `--unsafe-fixes`.
    pub applicability: Applicability,
}

impl Fix {
    /// A safe fix that replaces `span` with `replacement`.
    ///
    /// ```
    /// use emfilter::{Fix, Span};
    /// let fix = Fix::new(Span::new(6, 7), "==");
    /// assert!(fix.is_safe());
    /// assert_eq!(fix.apply("Result=Failed").as_deref(), Some("Result==Failed"));
    /// ```
    pub fn new(span: Span, replacement: impl Into<String>) -> Fix {
        Fix {
            span,
            replacement: replacement.into(),
            applicability: Applicability::Safe,
        }
    }

    /// An unsafe fix (a guess) that replaces `span` with `replacement`.
    ///
    /// ```
    /// use emfilter::{Applicability, Fix, Span};
    /// let fix = Fix::guess(Span::new(14, 15), ";");
    /// assert_eq!(fix.applicability, Applicability::Unsafe);
    /// assert!(!fix.is_safe());
    /// assert_eq!(fix.apply("Result==Failed&IsRetry==true").as_deref(), Some("Result==Failed;IsRetry==true"));
    /// ```
    pub fn guess(span: Span, replacement: impl Into<String>) -> Fix {
        Fix::new(span, replacement).with_applicability(Applicability::Unsafe)
    }

    /// The same fix with `applicability`.
    ///
    /// ```
    /// use emfilter::{Applicability, Fix, Span};
    /// let fix = Fix::new(Span::new(0, 7), "JobName").with_applicability(Applicability::of_rename("JobNmae", "JobName"));
    /// assert!(!fix.is_safe());
    /// ```
    pub fn with_applicability(mut self, applicability: Applicability) -> Fix {
        self.applicability = applicability;
        self
    }

    /// Whether `--fix` applies it without asking.
    ///
    /// ```
    /// use emfilter::{Fix, Span};
    /// assert!(Fix::new(Span::new(0, 6), "Result").is_safe());
    /// assert!(!Fix::guess(Span::new(0, 6), "Result").is_safe());
    /// ```
    pub fn is_safe(&self) -> bool {
        self.applicability == Applicability::Safe
    }

    /// `source` with this fix applied. `None` if the span does not fit the source.
    ///
    /// ```
    /// use emfilter::{Fix, Span};
    /// let fix = Fix::new(Span::new(9, 10), "Ä");
    /// assert_eq!(fix.apply("JobName==A").as_deref(), Some("JobName==Ä"));
    /// // A span past the end, or inside a character, fits no source.
    /// assert_eq!(fix.apply("Name==A"), None);
    /// assert_eq!(Fix::new(Span::new(1, 2), "a").apply("Äb"), None);
    /// ```
    pub fn apply(&self, source: &str) -> Option<String> {
        let range = self.span.range();
        if range.end > source.len()
            || !source.is_char_boundary(range.start)
            || !source.is_char_boundary(range.end)
        {
            return None;
        }
        let mut out = String::with_capacity(source.len() + self.replacement.len());
        out.push_str(&source[..range.start]);
        out.push_str(&self.replacement);
        out.push_str(&source[range.end..]);
        Some(out)
    }
}

/// One problem found in a filter.
///
/// ```
/// use emfilter::{Code, Severity};
/// let checked = emfilter::check("JobName==SQL Replica", &emfilter::schema::REPLICA_JOB_SESSION);
/// let d = &checked.diagnostics()[0];
/// assert_eq!((d.code(), d.severity()), (Code::UnquotedWhitespace, Severity::Warning));
/// assert_eq!(d.span().range(), 9..20);
/// assert_eq!(d.fix().unwrap().replacement, "\"SQL Replica\"");
/// // As JSON, for a 400 body.
/// let json = serde_json::to_value(d).unwrap();
/// assert_eq!(json["code"], "unquoted-whitespace");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    code: Code,
    severity: Severity,
    message: String,
    span: Span,
    help: Option<String>,
    fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic of `code`, at its default severity. Quotes in the message longer than
    /// [`MAX_QUOTE`] characters are cut.
    ///
    /// ```
    /// use emfilter::{Code, Diagnostic, Fix, Severity, Span, MAX_QUOTE};
    ///
    /// let d = Diagnostic::new(Code::WildcardInValue, Span::new(9, 13), "`SQL*` matches a literal `*`")
    ///     .with_help("EM has no wildcards: write the whole name")
    ///     .with_fix(Fix::guess(Span::new(9, 13), "SQL"));
    /// assert_eq!((d.code(), d.severity()), (Code::WildcardInValue, Severity::Warning));
    /// assert_eq!(d.to_string(), "warning[wildcard-in-value]: `SQL*` matches a literal `*`");
    /// assert_eq!(d.help(), Some("EM has no wildcards: write the whole name"));
    /// assert_eq!(d.fix().unwrap().apply("JobName==SQL*").as_deref(), Some("JobName==SQL"));
    ///
    /// // A long quote is cut, so the message stays short.
    /// let long = "x".repeat(1000);
    /// let d = Diagnostic::new(Code::UnknownField, Span::new(0, 1000), format!("`{long}` is not a field"));
    /// assert!(d.message().chars().count() < MAX_QUOTE + 20);
    /// ```
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: cap_quotes(message.into()),
            span,
            help: None,
            fix: None,
        }
    }

    /// The same diagnostic with help text (its long quotes cut, as the message's).
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(cap_quotes(help.into()));
        self
    }

    /// The same diagnostic with a fix.
    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    /// The same diagnostic at another severity (lint levels).
    ///
    /// ```
    /// use emfilter::{Code, Diagnostic, Severity, Span};
    ///
    /// let d = Diagnostic::new(Code::BareGuid, Span::new(8, 44), "a GUID without its prefix");
    /// assert!(!d.is_error() && !d.is_note());
    /// // A lint level that makes the warning an error.
    /// let d = d.with_severity(Severity::Error);
    /// assert!(d.is_error());
    /// assert_eq!(d.to_string(), "error[bare-guid]: a GUID without its prefix");
    /// assert!(Diagnostic::new(Code::UncheckedType, Span::empty(0), "not checked").is_note());
    /// ```
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// The stable code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// Error, warning or note.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Whether this is a note: something not checked, not a problem.
    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    /// Whether this diagnostic makes the filter invalid.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// What is wrong, in plain words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The text the diagnostic is about.
    pub fn span(&self) -> Span {
        self.span
    }

    /// How to put it right, when there is something to say.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// A machine-applicable fix, when one exists.
    pub fn fix(&self) -> Option<&Fix> {
        self.fix.as_ref()
    }
}

impl fmt::Display for Diagnostic {
    /// `error[code]: message`, without location: the renderers add that.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)
    }
}

/// The most characters of user text a message quotes; longer quotes are cut by [`excerpt`].
///
/// ```
/// let long = format!("{}==1", "F".repeat(500));
/// let checked = emfilter::check(&long, &emfilter::schema::REPLICA_JOB_SESSION);
/// let message = checked.diagnostics()[0].message();
/// // The 500-character name is quoted as its start and end around `…`.
/// let quoted = message.split('`').nth(1).unwrap();
/// assert_eq!(quoted.chars().count(), emfilter::MAX_QUOTE + 1);
/// assert!(quoted.contains('…'));
/// ```
pub const MAX_QUOTE: usize = 80;

/// `text` as a message quotes it: whole when it has at most [`MAX_QUOTE`] characters, else its
/// start and end around `…`, so that a message stays short however long its input.
///
/// ```
/// use emfilter::excerpt;
///
/// assert_eq!(excerpt("JobName"), "JobName");
/// let long = "x".repeat(1000);
/// assert_eq!(excerpt(&long).chars().count(), emfilter::MAX_QUOTE + 1);
/// ```
pub fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    let count = text.chars().take(MAX_QUOTE + 1).count();
    if count <= MAX_QUOTE {
        return text.into();
    }
    let head: String = text.chars().take(MAX_QUOTE * 3 / 4).collect();
    let tail_len = MAX_QUOTE - MAX_QUOTE * 3 / 4;
    let tail_start = text
        .char_indices()
        .rev()
        .nth(tail_len - 1)
        .map_or(0, |(i, _)| i);
    format!("{head}…{}", &text[tail_start..]).into()
}

/// `message` with each backtick quote longer than [`MAX_QUOTE`] characters cut by [`excerpt`].
fn cap_quotes(message: String) -> String {
    if message.len() <= MAX_QUOTE * 2 {
        return message;
    }
    let parts: Vec<&str> = message.split('`').collect();
    if parts
        .iter()
        .skip(1)
        .step_by(2)
        .all(|q| q.len() <= MAX_QUOTE)
    {
        return message;
    }
    let mut out = String::with_capacity(message.len().min(1024));
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are quoted, unless the last one has no closing backtick.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str(&excerpt(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The diagnostics of a filter that did not check, as an error type.
///
/// ```
/// let err = emfilter::compile("Result==Sucess", &emfilter::schema::REPLICA_JOB_SESSION).unwrap_err();
/// assert_eq!(err.0[0].code(), emfilter::Code::UnknownEnumValue);
/// assert!(err.to_string().contains("unknown-enum-value"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.0))]
pub struct Invalid(pub Vec<Diagnostic>);

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    match errors.len() {
        0 => "invalid filter".to_owned(),
        1 => errors[0].clone(),
        n => format!("{} (and {} more errors)", errors[0], n - 1),
    }
}
