//! Stage 2: the syntax + schema → typed filter and diagnostics.
//!
//! The checker reports every problem it finds, each at the span of the text it is about, and
//! builds the typed [`Filter`] only when none of them is an error. It types the filter as the
//! readers of [`syntax`] read it (a [`syntax::Build`]): each comparison as it is read, each AND
//! and OR once its items are, children before parents, with the readers' explicit stacks. So it
//! makes no syntax tree (one is parsed on demand, [`Checked::ast`]), and takes no more native
//! stack for a deep filter than for a flat one.

mod value;

use std::cell::Cell;
use std::sync::OnceLock;

use crate::diagnostic::{Applicability, Code, Diagnostic, Fix, Severity};
use crate::filter::Filter;
use crate::ir::{Comparison, Expr};
use crate::quote::write_quoted;
use crate::schema::{FieldType, Schema, REPLICA_JOB_SESSION};
use crate::span::Span;
use crate::suggest;
use crate::swar;
use crate::syntax::{self, Ast, Limits, Pending, Quoting};

/// Checks filters against one schema, under size limits.
///
/// ```
/// let checker = emfilter::Checker::new(emfilter::schema::builtin("ReplicaJobSession").unwrap());
/// let checked = checker.check("jobname==\"SQL Replica\";result>=warning");
/// assert_eq!(checked.filter().unwrap().to_string(), "JobName==\"SQL Replica\";Result>=Warning");
/// ```
#[derive(Debug, Clone)]
pub struct Checker {
    schema: Schema,
    limits: Limits,
}

impl Default for Checker {
    /// ReplicaJobSession, default limits.
    fn default() -> Checker {
        Checker::new(&REPLICA_JOB_SESSION)
    }
}

impl Checker {
    /// A checker for `schema` (a handle: the checker holds a clone) with the default [`Limits`].
    ///
    /// ```
    /// use emfilter::{schema, Checker, Limits};
    /// let checker = Checker::new(schema::builtin("BackupFile").unwrap());
    /// assert_eq!(checker.schema().name(), "BackupFile");
    /// assert_eq!(checker.limits(), Limits::default());
    /// assert!(checker.check("CompressRatio>1.5").is_valid());
    /// ```
    pub fn new(schema: &Schema) -> Checker {
        Checker {
            schema: schema.clone(),
            limits: Limits::default(),
        }
    }

    /// The same checker with other limits.
    ///
    /// ```
    /// use emfilter::{schema, Checker, Code, Limits};
    /// let checker = Checker::new(&schema::REPLICA_JOB_SESSION).with_limits(Limits::new(20, 2));
    /// assert_eq!(checker.limits().max_nesting, 2);
    /// assert!(checker.check("((Result==Failed))").is_valid());
    /// assert_eq!(checker.check("(((Result==Failed)))").diagnostics()[0].code(), Code::NestingTooDeep);
    /// assert_eq!(checker.check("JobName==\"a long job name\"").diagnostics()[0].code(), Code::FilterTooLong);
    /// ```
    pub fn with_limits(mut self, limits: Limits) -> Checker {
        self.limits = limits;
        self
    }

    /// The schema filters are checked against.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Parses and checks `source`.
    ///
    /// The text is read once, by the hand-written reader when it takes the text (or else by the
    /// grammar), straight into the typed filter: no syntax tree is made unless
    /// [`Checked::ast`] asks for one.
    ///
    /// ```
    /// use emfilter::{schema, Checker, Code, Severity};
    /// let checker = Checker::new(&schema::REPLICA_JOB_SESSION);
    /// // Every problem, in source order, each with its span.
    /// let checked = checker.check("EndTime>2026-01-01;Result==Sucess");
    /// let found: Vec<(Code, &str)> = checked
    ///     .diagnostics()
    ///     .iter()
    ///     .map(|d| (d.code(), &"EndTime>2026-01-01;Result==Sucess"[d.span().range()]))
    ///     .collect();
    /// assert_eq!(found, [(Code::DatetimeWithoutZone, "2026-01-01"), (Code::UnknownEnumValue, "Sucess")]);
    /// // Warnings leave a filter.
    /// let checked = checker.check("JobName==SQL*");
    /// assert!(checked.has(Severity::Warning) && checked.is_valid());
    /// ```
    pub fn check(&self, source: &str) -> Checked {
        let fast = syntax::read_fast(source, &self.limits, Typing::new(&self.schema));
        let (root, typing) = match fast {
            Some((root, typing)) => (Some(root), typing),
            None => syntax::read_with_grammar(source, &self.limits, Typing::new(&self.schema)),
        };
        let parsed = root.is_some();
        let mut diagnostics = typing.diagnostics;
        after_ampersands(&mut diagnostics);
        if diagnostics.len() > 1 {
            diagnostics.sort_by_key(|d| {
                (
                    d.span().start,
                    d.span().end,
                    std::cmp::Reverse(d.severity()),
                )
            });
        }
        let filter = root
            .flatten()
            .filter(|_| !diagnostics.iter().any(Diagnostic::is_error))
            .map(|root| Filter::checked(&self.schema, root));
        Checked {
            source: source.to_owned(),
            limits: self.limits,
            ast: if parsed {
                OnceLock::new()
            } else {
                OnceLock::from(None)
            },
            filter,
            diagnostics,
        }
    }

    /// Checks `bytes`, which may not be UTF-8: text that is not is one `syntax` error at the
    /// first byte that is not.
    ///
    /// ```
    /// use emfilter::{Checker, Code, Span};
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// assert!(checker.check_bytes(b"JobName==\"Sicherung\"").is_valid());
    /// // Latin-1 text: the first byte that is not UTF-8 is the error.
    /// let checked = checker.check_bytes(b"JobName==\"Gr\xf6\xdfe\"");
    /// let d = &checked.diagnostics()[0];
    /// assert_eq!((d.code(), d.span()), (Code::Syntax, Span::new(12, 13)));
    /// assert_eq!(d.message(), "the filter is not UTF-8 text (byte 12 is 0xf6)");
    /// ```
    pub fn check_bytes(&self, bytes: &[u8]) -> Checked {
        match std::str::from_utf8(bytes) {
            Ok(source) => self.check(source),
            Err(e) => {
                let at = e.valid_up_to();
                let len = e.error_len().unwrap_or(bytes.len() - at);
                Checked {
                    source: String::new(),
                    limits: self.limits,
                    ast: OnceLock::from(None),
                    filter: None,
                    diagnostics: vec![Diagnostic::new(
                        Code::Syntax,
                        crate::Span::new(at, at + len),
                        format!(
                            "the filter is not UTF-8 text (byte {at} is 0x{:02x})",
                            bytes[at]
                        ),
                    )
                    .with_help("save the filter as UTF-8")],
                }
            }
        }
    }
}

/// What checking a filter found.
///
/// ```
/// let checked = emfilter::check("Result==Sucess;IsRetry==yes", &emfilter::schema::REPLICA_JOB_SESSION);
/// assert!(!checked.is_valid() && checked.filter().is_none());
/// assert_eq!(checked.diagnostics().len(), 2);
/// assert!(checked.ast().is_some(), "it parsed; the values are what is wrong");
/// ```
#[derive(Debug, Clone)]
pub struct Checked {
    /// The text checked, for its tree.
    source: String,
    limits: Limits,
    /// The tree, made on first use; `None` when the text does not parse.
    ast: OnceLock<Option<Ast>>,
    filter: Option<Filter>,
    diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// The typed filter, when there is no error (warnings allowed).
    ///
    /// ```
    /// use emfilter::Checker;
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// assert_eq!(checker.check("isretry==TRUE").filter().unwrap().to_string(), "IsRetry==True");
    /// assert!(checker.check("IsRetry==maybe").filter().is_none());
    /// ```
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// Every problem found, in source order.
    ///
    /// ```
    /// use emfilter::{Checker, Code};
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// assert!(checker.check("Result==Failed").diagnostics().is_empty());
    /// let checked = checker.check("JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067");
    /// let d = &checked.diagnostics()[0];
    /// assert_eq!(d.code(), Code::BareGuid);
    /// assert_eq!(d.fix().unwrap().replacement, "urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067");
    /// ```
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The syntax tree, when the text parsed (for fixers and other tools). Checking makes none:
    /// it is parsed again on the first call.
    ///
    /// ```
    /// use emfilter::Checker;
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// let checked = checker.check("JobName==x;(Result==Failed,Result==Warning)");
    /// let ast = checked.ast().unwrap();
    /// assert_eq!(ast.comparisons().count(), 3);
    /// // No tree for text that does not parse.
    /// assert!(checker.check("Result==Failed;;").ast().is_none());
    /// ```
    pub fn ast(&self) -> Option<&Ast> {
        self.ast
            .get_or_init(|| syntax::parse_with(&self.source, &self.limits).ast)
            .as_ref()
    }

    /// Whether there is no error.
    ///
    /// ```
    /// use emfilter::Checker;
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// assert!(checker.check("Result==None").is_valid(), "an undocumented value is only a warning");
    /// assert!(!checker.check("Result==Nothing").is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        self.filter.is_some()
    }

    /// Whether any diagnostic has severity `severity` or worse.
    ///
    /// ```
    /// use emfilter::{Checker, Severity};
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// let checked = checker.check("Result==None");
    /// assert!(checked.has(Severity::Warning) && !checked.has(Severity::Error));
    /// // `Note` or worse: any diagnostic at all.
    /// assert!(!checker.check("Result==Failed").has(Severity::Note));
    /// ```
    pub fn has(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity() >= severity)
    }

    /// The typed filter, or the diagnostics as an error.
    ///
    /// ```
    /// use emfilter::{Checker, Code};
    /// let checker = Checker::new(&emfilter::schema::REPLICA_JOB_SESSION);
    /// let filter = checker.check("State==working").into_result().unwrap();
    /// assert_eq!(filter.to_string(), "State==Working");
    /// let invalid = checker.check("State==asleep").into_result().unwrap_err();
    /// assert_eq!(invalid.0[0].code(), Code::UnknownEnumValue);
    /// ```
    pub fn into_result(self) -> Result<Filter, crate::Invalid> {
        self.filter.ok_or(crate::Invalid(self.diagnostics))
    }
}

/// Types a filter as it is read ([`syntax::Build`]): each comparison when it is read, each AND
/// and OR once its items are. Every comparison is checked, even after one failed, so that every
/// problem is reported; once one has failed, no typed tree is built.
struct Typing<'a> {
    schema: &'a Schema,
    diagnostics: Vec<Diagnostic>,
    /// Whether every comparison so far typed.
    ok: bool,
}

impl Typing<'_> {
    fn new(schema: &Schema) -> Typing<'_> {
        Typing {
            schema,
            diagnostics: Vec::new(),
            ok: true,
        }
    }
}

thread_local! {
    /// The stack of pending items of the last check on this thread, empty, to be used again.
    static STACK: Cell<Vec<Pending<Option<Expr>>>> = const { Cell::new(Vec::new()) };
}

impl syntax::Build for Typing<'_> {
    /// The typed expression, while every comparison so far typed.
    type Item = Option<Expr>;

    fn comparison(
        &mut self,
        _source: &str,
        c: &syntax::Comparison<'_>,
        _in_source: Option<std::ops::Range<usize>>,
    ) -> Option<Expr> {
        match check_comparison(self.schema, c, &mut self.diagnostics) {
            Some(typed) if self.ok => Some(Expr::compare(typed)),
            Some(_) => None,
            None => {
                self.ok = false;
                None
            }
        }
    }

    fn group(&mut self, inner: Option<Expr>, _span: Span) -> Option<Expr> {
        inner
    }

    fn junction(
        &mut self,
        source: &str,
        items: std::vec::Drain<'_, Pending<Option<Expr>>>,
        and: bool,
        span: Span,
    ) -> Option<Expr> {
        if !and {
            mixed_and_or(source, span, items.as_slice(), &mut self.diagnostics);
        }
        if !self.ok {
            return None;
        }
        // Counted first, so that the junction's vector is made its size at once, flattened
        // items and all.
        let width = items
            .as_slice()
            .iter()
            .map(|p| p.item.as_ref().map_or(1, |e| e.width(and)))
            .sum();
        let items = items.map(|p| p.item.expect("every item typed while all do"));
        Some(Expr::junction_sized(items, and, width))
    }

    fn diagnostic(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn stack(&mut self) -> Vec<Pending<Option<Expr>>> {
        STACK.try_with(Cell::take).unwrap_or_default()
    }

    fn give_back(&mut self, mut stack: Vec<Pending<Option<Expr>>>) {
        if stack.capacity() <= syntax::KEEP {
            stack.clear();
            let _ = STACK.try_with(|s| s.set(stack));
        }
    }
}

/// `a;b,c`: an AND directly inside an OR, without the parentheses that say which binds tighter.
fn mixed_and_or<T>(source: &str, or: Span, items: &[Pending<T>], out: &mut Vec<Diagnostic>) {
    if !items.iter().any(|i| i.and) {
        return;
    }
    let mut fixed = String::new();
    let mut at = or.start as usize;
    for item in items {
        if item.and {
            let r = item.span.range();
            fixed.push_str(&source[at..r.start]);
            fixed.push('(');
            fixed.push_str(&source[r.clone()]);
            fixed.push(')');
            at = r.end;
        }
    }
    fixed.push_str(&source[at..or.end as usize]);
    out.push(
        Diagnostic::new(
            Code::MixedAndOr,
            or,
            "`;` and `,` are mixed without parentheses",
        )
        .with_help(
            "EM does not document whether `;` (and) or `,` (or) binds tighter; this tool reads \
             `;` first, as FIQL does: add the parentheses to say so",
        )
        .with_fix(Fix::guess(or, fixed)),
    );
}

fn check_comparison(
    schema: &Schema,
    c: &syntax::Comparison<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Comparison> {
    if let Some(d) = single_quoted(&c.value) {
        // Checked again once the quotes are fixed; the quotes would only cause more errors.
        if schema.lookup(c.field.name).is_none() {
            out.push(unknown_field(schema, &c.field));
        }
        out.push(d);
        return None;
    }
    lint_value(&c.value, out);
    let Some(id) = schema.lookup(c.field.name) else {
        out.push(unknown_field(schema, &c.field));
        return None;
    };
    let field = schema.field(id);
    if !field.is_documented() {
        out.push(
            Diagnostic::new(
                Code::UndocumentedField,
                c.field.span,
                format!(
                    "`{}` is not in EM's documentation of {}, though Veeam's own samples filter \
                     on it",
                    field.name(),
                    schema.name()
                ),
            )
            .with_help(
                "it may not work on every server version: check what the query returns, or \
                 filter on a documented field",
            ),
        );
    }
    if !field.filterable() {
        // No built-in parameter is sort-only, but a schema may say so: the server would reject
        // the filter as it rejects an unknown parameter.
        out.push(
            Diagnostic::new(
                Code::UnknownField,
                c.field.span,
                format!(
                    "`{}` is a parameter of {} for sorting only, not for filtering",
                    field.name(),
                    schema.name()
                ),
            )
            .with_help(format!(
                "filter on another field; `{}` can only be named by sortAsc or sortDesc",
                field.name()
            )),
        );
        return None;
    }
    let op = c.op.op;
    let mut ok = true;
    if op.is_ordering() && !field.ty().is_ordered() {
        out.push(
            Diagnostic::new(
                Code::UnsupportedOperator,
                c.op.span,
                format!(
                    "`{op}` needs an order, and `{}` is a {} field, which has none",
                    field.name(),
                    field.ty().name()
                ),
            )
            .with_help("compare it with `==` or `!=`"),
        );
        ok = false;
    }
    if *field.ty() == FieldType::String && c.value.text.contains('*') {
        out.push(
            Diagnostic::new(
                Code::WildcardInValue,
                c.value.span,
                format!(
                    "EM has no wildcards: `{}` matches only the literal text, `*` included",
                    c.value.text
                ),
            )
            .with_help(
                "filter on the exact value; EM has no `like` or wildcard, so to match a \
                     pattern, query more widely and select locally",
            ),
        );
    }
    let Some(typed) = value::type_value(field, op, &c.value, out) else {
        plus_as_space_once(c.value.span, out);
        return None;
    };
    if !ok {
        return None;
    }
    Some(Comparison::checked(schema, id, op, typed))
}

/// A date-time whose zone's `+` a URL read as a space (`…T12:31:30 02:00`) is reported once,
/// as the date-time it is not, with the fix that puts the instant in UTC: not also as an
/// unquoted value with a space, whose fix (quoting it) would keep it no date-time.
fn plus_as_space_once(span: crate::Span, out: &mut Vec<Diagnostic>) {
    let repaired = out
        .iter()
        .any(|d| d.code() == Code::InvalidDatetime && d.span() == span && d.fix().is_some());
    if repaired {
        out.retain(|d| !(d.code() == Code::UnquotedWhitespace && d.span() == span));
    }
}

fn unknown_field(schema: &Schema, field: &syntax::Ident<'_>) -> Diagnostic {
    let names = schema.fields().iter().map(|f| f.name());
    let (message, listed) = if schema.is_restricted() {
        (
            format!(
                "`{}` is not one of the fields of {} allowed here",
                field.name,
                schema.name()
            ),
            format!("the fields of {} allowed here are", schema.name()),
        )
    } else {
        (
            format!("`{}` is not a field of {}", field.name, schema.name()),
            format!("the fields of {} are", schema.name()),
        )
    };
    let d = Diagnostic::new(Code::UnknownField, field.span, message);
    match suggest::closest(field.name, names.clone()) {
        Some(best) => d.with_help(format!("did you mean `{best}`?")).with_fix(
            Fix::new(field.span, best)
                .with_applicability(Applicability::of_rename(field.name, best)),
        ),
        None => d.with_help(format!("{listed} {}", names.collect::<Vec<_>>().join(", "))),
    }
}

/// Drops what only follows from a `&` that ends the filter in a URL: the value it stands in
/// (`Platform==vCloud&JobType==Backup` reads `vCloud&JobType==Backup` as the value) is not
/// reported as a bad value on top of `ampersand-in-filter`. Only a `&` that is an error (a
/// comparison follows it) stands in for the value's problems: after a `&` that is only a
/// warning (`Result==Failed&Stopped`) the value is still no value of its type, and that error
/// stays, so that a filter without a typed form always has an error.
fn after_ampersands(diagnostics: &mut Vec<Diagnostic>) {
    let amps: Vec<crate::Span> = diagnostics
        .iter()
        .filter(|d| d.code() == Code::AmpersandInFilter && d.is_error())
        .map(Diagnostic::span)
        .collect();
    if amps.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let follows = matches!(
            d.code(),
            Code::UnknownEnumValue
                | Code::UndocumentedEnumValue
                | Code::InvalidBoolean
                | Code::InvalidNumber
                | Code::InvalidDatetime
                | Code::DatetimeNotUtc
                | Code::DatetimeWithoutZone
                | Code::SingleQuotedValue
                | Code::InvalidUid
                | Code::UidTypeMismatch
                | Code::BareGuid
                | Code::UnquotedWhitespace
                | Code::WildcardInValue
        );
        let s = d.span();
        !(follows && amps.iter().any(|a| s.start <= a.start && a.end <= s.end))
    });
}

/// `JobName=='SQL Replica'`: a value in single quotes, as SQL and OData write strings. EM has
/// only `"` for quotes and reads these as part of the value (and drops its spaces). Reported with
/// the fix to double quotes (safe: the server then reads what a person reads; `''` inside is
/// SQL's `'`, and a `"` is doubled).
fn single_quoted(value: &syntax::Value<'_>) -> Option<Diagnostic> {
    let text = value.text;
    if value.quoting != Quoting::Unquoted
        || text.len() < 2
        || !text.starts_with('\'')
        || !text.ends_with('\'')
    {
        return None;
    }
    let inner = text[1..text.len() - 1].replace("''", "'");
    let mut quoted = String::new();
    let _ = write_quoted(&mut quoted, &inner);
    Some(
        Diagnostic::new(
            Code::SingleQuotedValue,
            value.span,
            format!(
                "EM has no single quotes: the server reads `{text}` with its quotes as the value"
            ),
        )
        .with_help("quote a value with double quotes, as `\"…\"` (a `\"` inside written twice)")
        .with_fix(Fix::new(value.span, quoted)),
    )
}

/// What is doubtful about a value whatever its field: spaces the server drops, and `&`.
fn lint_value(value: &syntax::Value<'_>, out: &mut Vec<Diagnostic>) {
    let text = value.text;
    // What follows looks for whitespace (of any kind: hence any non-ASCII byte) and `&`; most
    // values hold neither, and are done with in one pass over their bytes.
    if value.quoting != Quoting::Unquoted || !may_hold_space_or_ampersand(text) {
        return;
    }
    if text.contains(char::is_whitespace) {
        let mut quoted = String::new();
        let _ = write_quoted(&mut quoted, text);
        out.push(
            Diagnostic::new(
                Code::UnquotedWhitespace,
                value.span,
                format!(
                    "the server drops the spaces in the unquoted value `{text}` and searches for \
                     `{}`",
                    text.split_whitespace().collect::<String>()
                ),
            )
            .with_help("quote the value to keep its spaces")
            .with_fix(Fix::guess(value.span, quoted)),
        );
    }
    keywords(value, out);
    if let Some(at) = text.find('&') {
        let span = crate::Span::new(
            value.span.start as usize + at,
            value.span.start as usize + at + 1,
        );
        let rest = &text[at + 1..];
        let d = Diagnostic::new(
            Code::AmpersandInFilter,
            span,
            "a `&` in a query URL ends the filter parameter: the server never sees what follows",
        );
        // With a comparison after it, the `&` cuts that comparison off the filter (an error);
        // in a value such as `Tom&Jerry` it only cuts the value short in a URL (a warning).
        out.push(if looks_like_clause(rest) {
            d.with_help("use `;` to join comparisons with AND")
                .with_fix(Fix::guess(span, ";"))
        } else {
            d.with_severity(Severity::Warning).with_help(
                "use `;` for AND, or quote the value and percent-encode the `&` as `%26`",
            )
        });
    }
}

/// Whether `text` may hold whitespace or `&`: `false` only when it holds neither. Any byte
/// below `!` (the ASCII whitespace among them) or of a multi-byte character counts, so that the
/// test needs no decoding: eight bytes at a time ([`swar`]), the last eight overlapping those
/// before them; a text shorter than eight bytes in one word.
fn may_hold_space_or_ampersand(text: &str) -> bool {
    let b = text.as_bytes();
    let doubtful = |w: u64| (swar::non_ascii(w) | swar::below(w, b'!') | swar::equal(w, b'&')) != 0;
    let Some(last) = b.len().checked_sub(8) else {
        // Fewer than eight bytes: all of them in one word, the places left a letter.
        return doubtful(swar::short_word(b, b'a'));
    };
    // A plain loop rather than iterator adapters, which the compiler does not always inline.
    let mut at = 0;
    while at < last {
        if swar::word(b, at).is_some_and(doubtful) {
            return true;
        }
        at += 8;
    }
    swar::word(b, last).is_some_and(doubtful)
}

/// `Result==Failed AND State==Stopped`: an SQL or C keyword between what look like comparisons,
/// inside one unquoted value.
fn keywords(value: &syntax::Value<'_>, out: &mut Vec<Diagnostic>) {
    let text = value.text;
    let mut words = text.split_whitespace().peekable();
    let mut at = 0;
    while let Some(word) = words.next() {
        let start = at + text[at..].find(word).unwrap_or(0);
        at = start + word.len();
        let sep = if word.eq_ignore_ascii_case("AND") || word == "&&" {
            ';'
        } else if word.eq_ignore_ascii_case("OR") || word == "||" {
            ','
        } else {
            continue;
        };
        let rest = &text[at..];
        if start == 0 || !looks_like_clause(rest) {
            continue;
        }
        // Replace the keyword and the blanks around it.
        let from = text[..start].trim_end().len();
        let to = at + (rest.len() - rest.trim_start().len());
        let base = value.span.start as usize;
        let span = crate::Span::new(base + from, base + to);
        let meaning = if sep == ';' { "AND" } else { "OR" };
        out.push(
            Diagnostic::new(
                Code::KeywordInValue,
                span,
                format!(
                    "`{word}` is not an operator here: it is part of the value `{}`",
                    crate::excerpt(text)
                ),
            )
            .with_help(format!("join comparisons with `{sep}` for {meaning}"))
            .with_fix(Fix::new(span, sep.to_string())),
        );
        if words.peek().is_none() {
            break;
        }
    }
}

/// Whether `text` starts like a comparison: a field name, then an operator.
fn looks_like_clause(text: &str) -> bool {
    let t = text.trim_start();
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

#[cfg(test)]
mod tests {
    use super::may_hold_space_or_ampersand;

    #[test]
    fn space_or_ampersand_as_byte_by_byte() {
        let chars: Vec<char> = (0..128u8)
            .map(char::from)
            .chain(['é', '\u{a0}', '日'])
            .collect();
        for len in 0..=17 {
            for place in 0..len {
                for &c in &chars {
                    let mut text: Vec<char> = vec!['x'; len];
                    text[place] = c;
                    let text: String = text.into_iter().collect();
                    let want = text
                        .bytes()
                        .any(|b| !(b'!'..0x80).contains(&b) || b == b'&');
                    assert_eq!(may_hold_space_or_ampersand(&text), want, "{text:?}");
                }
            }
        }
        assert!(!may_hold_space_or_ampersand(""));
    }
}
