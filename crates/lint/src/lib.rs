//! Linting filters where they live: whole query URLs, filters inside scripts and configs, lint
//! levels and fixes.
//!
//! The core checks one filter. This module checks the text around it as it stands in a file:
//!
//! - a query URL or query string ([`Kind::Query`]): it is split, percent-decoded, and every
//!   parameter is checked against the EM query service (`type`, `format`, `pageSize`, `page`,
//!   `sortAsc`, `sortDesc`, and `filter` through the full checker), with every span mapped back to
//!   the exact bytes of the text as written, however it was encoded;
//! - a filter as the value of `filter=` in a URL ([`Kind::EncodedFilter`]) or as written
//!   ([`Kind::Filter`]);
//! - [`placeholder`]s (`$jobName`, `{job}`, `<%= x %>`, `" + name + "`) are opaque: not checked,
//!   never rewritten, reported as notes ([`Severity::Note`], `skipped-placeholder`);
//! - [`find`] finds query URLs and `filter=` strings in any text;
//! - [`Levels`] turn codes off, into warnings or into errors; [`settings`] reads them, and
//!   what a repository sets for its files, from `emfilter.toml`;
//! - [`Linter::fix_text`] applies fixes in rounds until none is left ([`fix`]).
//!
//! ```
//! use emfilter_lint::{Context, Kind, Linter};
//! use emfilter::Code;
//!
//! let linter = Linter::default();
//! let url = "https://em:9398/api/query?type=Job&filter=Platform==vCloud&JobType==Backup";
//! let linted = linter.lint(url, Kind::Query, Context::default());
//! let d = &linted.diagnostics()[0];
//! assert_eq!(d.code(), Code::StrayFilterClause);
//! assert_eq!(&url[d.span().range()], "JobType==Backup");
//! assert_eq!(
//!     linter.fix(url, Kind::Query, Context::default()).0,
//!     "https://em:9398/api/query?type=Job&filter=Platform==vCloud;JobType==Backup"
//! );
//! ```

mod decode;
pub mod find;
pub mod fix;
mod levels;
pub mod placeholder;
mod query;
pub mod render;
pub mod rules;
pub mod settings;
pub mod suppress;
pub mod types;

use emfilter::schema::Schema;
use emfilter::Checker;
use emfilter::Filter;
use emfilter::Span;
use emfilter::{Code, Diagnostic, Fix, Severity};

use decode::{Decoded, Host};

pub use find::Found;
pub use levels::{Level, Levels, LevelsError};
pub use types::{QueryType, TypeSource};

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A filter as written (`Result==Failed`).
    Filter,
    /// A filter as the value of `filter=` in a URL: percent-encoded, `+` a space.
    EncodedFilter,
    /// A query URL (`https://em:9398/api/query?type=…&filter=…`) or a query string
    /// (`type=…&filter=…`).
    Query,
    /// The value of a `type` key beside a filter (`{"type": "Jobb", "filter": …}`): a query type
    /// name. [`find`] gives one only when the name is not a known type but close to one.
    QueryType,
}

/// How the text stands in its file: how to read its escapes and how to write fixes into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The quote that delimits the string literal the text stands in, if any. Inside it, `\q`
    /// and `` `q `` read as the quote, and fixes never write a bare quote.
    pub delimiter: Option<char>,
    /// Whether the string literal is continued by code (`"…filter=JobName==" + name`): the end
    /// of the text is then opaque.
    pub continued: bool,
    /// Whether the text stands in XML or HTML, whose entities (`&lt;`, `&quot;`) are read.
    /// (`&amp;` is read as `&` in every query URL.)
    pub xml: bool,
    /// Whether [`placeholder`]s are recognised. Off, the text is taken literally: `$x` is a
    /// value like any other. [`find`] turns it on for what it finds in scripts.
    pub placeholders: bool,
}

/// The most diagnostics reported for one filter or query; past that they are counted in one
/// `too-many-diagnostics` note, as cel-go caps its error reports.
pub const MAX_DIAGNOSTICS: usize = 100;

/// What linting a piece of text found.
#[derive(Debug, Clone)]
pub struct Linted {
    diagnostics: Vec<Diagnostic>,
    filter: Option<Filter>,
    checked_as: Option<QueryType>,
}

impl Linted {
    /// Every problem found and every note of what was not checked, at its lint level, in source
    /// order; spans are byte offsets into the linted text. At most [`MAX_DIAGNOSTICS`], then one
    /// `too-many-diagnostics` note that counts the rest.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The problems among the diagnostics: errors and warnings, no notes.
    pub fn problems(&self) -> Vec<&Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_note()).collect()
    }

    /// The notes among the diagnostics: what was skipped (placeholders, filters whose type is
    /// unknown), and why.
    pub fn notes(&self) -> Vec<&Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_note()).collect()
    }

    /// The typed filter, when the text holds a filter that was fully checked and has no error.
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// Whether no diagnostic is an error.
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Whether any diagnostic has severity `severity` or worse.
    pub fn has(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity() >= severity)
    }

    /// The query type the filter was checked against (or would have been, when that type is not
    /// known), and where it came from; `None` for a [`Kind::QueryType`].
    pub fn checked_as(&self) -> Option<&QueryType> {
        self.checked_as.as_ref()
    }

    /// The diagnostics and the typed filter, taken apart.
    pub fn into_parts(self) -> (Vec<Diagnostic>, Option<Filter>) {
        (self.diagnostics, self.filter)
    }
}

/// Lints filters and queries: a [`Checker`] (its schema is the one for filters that do not name
/// a type) and the [`Levels`] in force.
#[derive(Debug, Clone)]
pub struct Linter {
    checker: Checker,
    levels: Levels,
    /// The checker's type and where it came from (made once: every filter without a type of its
    /// own is reported with it).
    default_type: QueryType,
}

impl Default for Linter {
    fn default() -> Linter {
        Linter::new(Checker::default(), Levels::default())
    }
}

impl Linter {
    /// A linter with `checker` for filters without a type, and `levels`.
    pub fn new(checker: Checker, levels: Levels) -> Linter {
        let default_type = QueryType::of(checker.schema(), TypeSource::Default);
        Linter {
            checker,
            levels,
            default_type,
        }
    }

    /// The same linter, saying that its checker's type came from `source` (`--type`:
    /// [`TypeSource::CommandLine`]); [`TypeSource::Default`] unless said.
    pub fn with_type_source(mut self, source: TypeSource) -> Linter {
        self.default_type.source = source;
        self
    }

    /// The type of filters that nothing else gives one: the checker's, from `--type` or the
    /// default.
    pub fn default_type(&self) -> QueryType {
        self.default_type.clone()
    }

    /// The schema of `query_type`: the checker's own for the command line's type or the
    /// default, the built-in one of that name otherwise.
    fn schema_of<'a>(&'a self, query_type: &QueryType) -> Option<&'a Schema> {
        match query_type.source {
            TypeSource::CommandLine | TypeSource::Default => Some(self.checker.schema()),
            _ => query_type.schema(),
        }
    }

    /// The levels in force.
    pub fn levels(&self) -> &Levels {
        &self.levels
    }

    /// The checker for filters that do not name a type.
    pub fn checker(&self) -> &Checker {
        &self.checker
    }

    /// Lints `text`, which is a `kind` standing in `context`, its filter against the
    /// [`Linter::default_type`] (a query URL's own `type` first).
    pub fn lint(&self, text: &str, kind: Kind, context: Context) -> Linted {
        self.lint_as(text, kind, context, None)
    }

    /// Lints `text`, which is a `kind` standing in `context`, its filter against `query_type`
    /// (a sibling key's or the configuration's; the [`Linter::default_type`] when `None`), or
    /// a query URL's own `type` when it has one. A type that is not known leaves the filter
    /// unchecked, said in an `unchecked-type` note.
    pub fn lint_as(
        &self,
        text: &str,
        kind: Kind,
        context: Context,
        query_type: Option<&QueryType>,
    ) -> Linted {
        let query_type = query_type.cloned().unwrap_or_else(|| self.default_type());
        let mut linted = match kind {
            Kind::Query => query::lint(self, text, context, query_type),
            Kind::QueryType => query::type_name(text),
            Kind::Filter | Kind::EncodedFilter => {
                let placeholders = placeholders(text, context);
                let l1 = host_layer(text, context, &placeholders, context.xml);
                let mut out = Linted {
                    diagnostics: Vec::new(),
                    filter: None,
                    checked_as: None,
                };
                let skip = match kind {
                    Kind::Filter => parameter_name(&l1.bytes),
                    _ => 0,
                };
                if skip > 0 {
                    let span = l1.original(Span::new(0, skip));
                    out.diagnostics.push(
                        Diagnostic::new(
                            Code::ParameterNameInFilter,
                            span,
                            format!(
                                "`{}` is the name of the query parameter, not part of the filter",
                                &text[span.range()]
                            ),
                        )
                        .with_help("the filter is what follows it: remove the name")
                        .with_fix(Fix::new(span, "")),
                    );
                }
                let value = FilterValue {
                    text,
                    layer: &l1,
                    range: skip..l1.len(),
                    encoded: kind == Kind::EncodedFilter,
                    context,
                    placeholders: &placeholders,
                };
                match self.schema_of(&query_type) {
                    Some(schema) => {
                        out.filter = self
                            .check_filter(&value, schema, &mut out)
                            .filter(|_| skip == 0);
                    }
                    None => out.diagnostics.push(unchecked(&query_type, text.len())),
                }
                out.checked_as = Some(query_type);
                out
            }
        };
        let mut all = self.levels.apply(std::mem::take(&mut linted.diagnostics));
        all.sort_by_key(|d| (d.span().start, d.span().end));
        linted.diagnostics = capped(all, text.len());
        linted
    }

    /// `text`, a `kind` standing in `context`, with every fix applied, safe or not (as
    /// `--unsafe-fixes` does), in rounds until none is left (see [`fix`]); and the number of fixes
    /// applied. Fixes of allowed codes are not applied. [`Linter::fix_text`] says more.
    pub fn fix(&self, text: &str, kind: Kind, context: Context) -> (String, usize) {
        let whole = |t: &str| {
            vec![fix::Target {
                span: Span::new(0, t.len()),
                kind,
                context,
                ignored: suppress::CodeSet::EMPTY,
                query_type: None,
            }]
        };
        let fixed = self.fix_text(text, whole, emfilter::Applicability::Unsafe);
        (fixed.text, fixed.applied)
    }

    /// Checks the filter `value` against `schema`, pushing its diagnostics (spans into the
    /// original text) and notes onto `out`. The typed filter, when it is valid and whole.
    fn check_filter(
        &self,
        value: &FilterValue<'_>,
        schema: &Schema,
        out: &mut Linted,
    ) -> Option<Filter> {
        let layer = match value.encoded {
            true => value
                .layer
                .compose(&decode::percent(value.layer, value.range.clone())),
            false => value.layer.slice(value.range.clone()),
        };
        let original_range = layer.original(Span::new(0, layer.len()));
        let text = match layer.text() {
            Ok(t) => t,
            Err(bad) => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::Syntax,
                        bad,
                        "the percent-decoded filter is not UTF-8 text",
                    )
                    .with_help("percent-encode the filter's UTF-8 bytes, e.g. `%C3%A9` for `é`"),
                );
                return None;
            }
        };
        let checker = Checker::new(schema).with_limits(self.checker.limits());
        let checked = checker.check(text);
        // How fixes are written into the original: worked out for the first fix, if any.
        let mut style: Option<Style> = None;
        let mut opaque = false;
        for d in checked.diagnostics() {
            if layer.is_opaque(d.span()) {
                opaque = true;
                continue;
            }
            let span = layer.original(d.span());
            let mut help = d.help().map(str::to_owned);
            if value.encoded && value.text[span.range()].contains('+') {
                let note = "a `+` in a URL stands for a space: write a plus sign as `%2B`";
                help = Some(match help {
                    Some(h) => format!("{h}; {note}"),
                    None => note.to_owned(),
                });
            }
            let mut mapped =
                Diagnostic::new(d.code(), span, d.message()).with_severity(d.severity());
            if let Some(h) = help {
                mapped = mapped.with_help(h);
            }
            if let Some(fix) = d.fix() {
                if !layer.is_opaque(fix.span) {
                    let style = style.get_or_insert_with(|| Style::of(value, &original_range));
                    if let Some(replacement) = style.encode(&fix.replacement) {
                        mapped = mapped.with_fix(
                            Fix::new(layer.original(fix.span), replacement)
                                .with_applicability(fix.applicability),
                        );
                    }
                }
            }
            out.diagnostics.push(mapped);
        }
        // Say what was skipped: each placeholder inside the filter.
        let mut skipped = false;
        let first = value
            .placeholders
            .partition_point(|p| p.start < original_range.start);
        for &span in value.placeholders[first..]
            .iter()
            .take_while(|p| p.start <= original_range.end)
            .filter(|p| original_range.contains(**p))
        {
            skipped = true;
            out.diagnostics.push(Diagnostic::new(
                Code::SkippedPlaceholder,
                span,
                format!(
                    "`{}` is a placeholder: what it stands for was not checked",
                    &value.text[span.range()]
                ),
            ));
        }
        if value.context.continued && value.range.end == value.layer.len() {
            skipped = true;
            out.diagnostics.push(Diagnostic::new(
                Code::SkippedPlaceholder,
                Span::empty(original_range.end as usize),
                "the string goes on in code: the rest of the filter was not checked",
            ));
        }
        if skipped || layer.is_opaque(Span::new(0, layer.len())) {
            opaque = true;
        }
        checked.into_result().ok().filter(|_| !opaque)
    }
}

/// The note that a filter of `len` bytes was not checked: its `query_type` is not known.
fn unchecked(query_type: &QueryType, len: usize) -> Diagnostic {
    let what = if placeholder::find(&query_type.name).is_empty() {
        "is not one this tool knows"
    } else {
        "is a placeholder"
    };
    Diagnostic::new(
        Code::UncheckedType,
        Span::new(0, len),
        format!(
            "the filter was not checked: its query type `{}`, from {}, {what}",
            query_type.name, query_type.source
        ),
    )
}

/// `diagnostics` cut to [`MAX_DIAGNOSTICS`], with a note counting the rest. An error among the
/// rest takes the last place when none is shown, so that an invalid text stays invalid.
fn capped(mut diagnostics: Vec<Diagnostic>, len: usize) -> Vec<Diagnostic> {
    if diagnostics.len() <= MAX_DIAGNOSTICS {
        return diagnostics;
    }
    let rest = diagnostics.split_off(MAX_DIAGNOSTICS);
    if !diagnostics.iter().any(Diagnostic::is_error) {
        if let Some(error) = rest.iter().find(|d| d.is_error()) {
            diagnostics[MAX_DIAGNOSTICS - 1] = error.clone();
        }
    }
    let count = |s: Severity| rest.iter().filter(|d| d.severity() == s).count();
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    diagnostics.push(
        Diagnostic::new(
            Code::TooManyDiagnostics,
            Span::new(0, len),
            format!(
                "and {} more: {}, {}, {}",
                rest.len(),
                plural(errors, "error"),
                plural(warnings, "warning"),
                plural(notes, "note")
            ),
        )
        .with_help(format!(
            "only the first {MAX_DIAGNOSTICS} diagnostics of a filter are listed; fix those and \
             check again"
        )),
    );
    diagnostics
}

/// A filter inside a decoded layer.
struct FilterValue<'a> {
    /// The original text.
    text: &'a str,
    /// Layer 1 of the text.
    layer: &'a Decoded<'a>,
    /// The filter's bytes in the layer.
    range: std::ops::Range<usize>,
    /// Whether it is percent-encoded.
    encoded: bool,
    context: Context,
    /// The placeholders of the original text.
    placeholders: &'a [Span],
}

/// The placeholders of `text`, when `context` recognises them.
fn placeholders(text: &str, context: Context) -> Vec<Span> {
    if context.placeholders {
        placeholder::find(text)
    } else {
        Vec::new()
    }
}

/// Layer 1 of `text`: its host's escapes read (`&amp;` too when `amp`), placeholders opaque.
fn host_layer<'a>(
    text: &'a str,
    context: Context,
    placeholders: &[Span],
    amp: bool,
) -> Decoded<'a> {
    let mut l1 = decode::host(
        text,
        0..text.len(),
        Host {
            delimiter: context.delimiter,
            xml: context.xml,
            amp,
            printf: placeholders.iter().any(|p| {
                let p = &text[p.range()];
                p.starts_with('%') && !p.ends_with('%')
            }),
        },
        placeholders,
    );
    if context.continued {
        l1.push_marker(text.len(), text.len());
    }
    l1
}

/// How a fix's replacement must be written to stand in the original text.
struct Style {
    /// Percent-encoded (a URL parameter), and fully (the filter already was).
    encoded: bool,
    full: bool,
    delimiter: Option<char>,
    xml: bool,
    /// How the original escapes the delimiter, for filters written as they are.
    escape: Option<&'static str>,
}

impl Style {
    fn of(value: &FilterValue<'_>, original: &Span) -> Style {
        let raw = &value.text[original.range()];
        let full = raw
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit());
        let escape = value.context.delimiter.and_then(|q| {
            if raw.contains(&format!("\\{q}")) {
                Some("\\")
            } else if raw.contains(&format!("`{q}")) {
                Some("`")
            } else {
                None
            }
        });
        Style {
            encoded: value.encoded,
            full,
            delimiter: value.context.delimiter,
            xml: value.context.xml,
            escape,
        }
    }

    /// `replacement` written for the original text, or `None` when it cannot be written there.
    fn encode(&self, replacement: &str) -> Option<String> {
        if replacement.contains('\n') {
            return None;
        }
        let mut out = String::with_capacity(replacement.len());
        for c in replacement.chars() {
            let delimiter = Some(c) == self.delimiter;
            if self.encoded {
                let must = self.full && !(c.is_ascii_alphanumeric() || "-._~".contains(c))
                    || matches!(c, '%' | '&' | '#' | '+' | ' ' | '"')
                    || c.is_control()
                    || delimiter
                    || (self.delimiter.is_some() && c == '\\')
                    || (self.xml && matches!(c, '<' | '>'));
                if must {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                } else {
                    out.push(c);
                }
            } else if self.xml && (matches!(c, '&' | '<' | '>') || delimiter) {
                out.push_str(match c {
                    '&' => "&amp;",
                    '<' => "&lt;",
                    '>' => "&gt;",
                    '"' => "&quot;",
                    _ => "&apos;",
                });
            } else if delimiter {
                out.push_str(self.escape?);
                out.push(c);
            } else if self.delimiter.is_some() && c == '\\' {
                return None;
            } else {
                out.push(c);
            }
        }
        Some(out)
    }
}

/// The length of a leading `filter=`, `&filter=`, `?filter=` or `$filter=` (any case) of a
/// filter, when a comparison follows it; 0 when there is none.
fn parameter_name(text: &[u8]) -> usize {
    let lead = text
        .first()
        .map_or(0, |&c| usize::from(matches!(c, b'&' | b'?' | b'$')));
    let name = b"filter=";
    let end = lead + name.len();
    let named = text
        .get(lead..end)
        .is_some_and(|t| t.eq_ignore_ascii_case(name));
    let rest = text.get(end..).unwrap_or_default();
    if named && rest.first() != Some(&b'=') && looks_like_clause(&String::from_utf8_lossy(rest)) {
        end
    } else {
        0
    }
}

/// Whether `text` starts like a comparison: a field name, then an operator (also `=` and `<>`,
/// which the checker reports).
pub(crate) fn looks_like_clause(text: &str) -> bool {
    let t = text.trim_start_matches([' ', '(']);
    let name_len = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(t.len());
    if name_len == 0 || !t.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return false;
    }
    let after = t[name_len..].trim_start();
    ["==", "!=", "<", ">", "="]
        .iter()
        .any(|op| after.starts_with(op))
}
