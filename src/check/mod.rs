//! Stage 2: AST + schema → typed filter and diagnostics.
//!
//! The checker reports every problem it finds, each at the span of the text it is about, and
//! builds the typed [`Filter`] only when none of them is an error. The walk over the tree keeps
//! its own stack, so checking takes no more native stack for a deep filter than for a flat one.

mod value;

use crate::suggest;

use crate::diagnostic::{Applicability, Code, Diagnostic, Fix, Severity};
use crate::filter::Filter;
use crate::ir::{Comparison, Expr};
use crate::quote::write_quoted;
use crate::schema::{FieldType, Schema, REPLICA_JOB_SESSION};
use crate::syntax::{self, Ast, ExprKind, Limits, Quoting};

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
    pub fn new(schema: &Schema) -> Checker {
        Checker {
            schema: schema.clone(),
            limits: Limits::default(),
        }
    }

    /// The same checker with other limits.
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
    pub fn check(&self, source: &str) -> Checked {
        let parsed = syntax::parse_with(source, &self.limits);
        let mut diagnostics = parsed.diagnostics;
        let filter = parsed.ast.as_ref().and_then(|ast| {
            let root = check_expr(&self.schema, ast, &ast.root, &mut diagnostics);
            root.map(|root| Filter::checked(&self.schema, root))
        });
        after_ampersands(&mut diagnostics);
        diagnostics.sort_by_key(|d| {
            (
                d.span().start,
                d.span().end,
                std::cmp::Reverse(d.severity()),
            )
        });
        let filter = filter.filter(|_| !diagnostics.iter().any(Diagnostic::is_error));
        Checked {
            ast: parsed.ast,
            filter,
            diagnostics,
        }
    }

    /// Checks `bytes`, which may not be UTF-8: text that is not is one `syntax` error at the
    /// first byte that is not.
    pub fn check_bytes(&self, bytes: &[u8]) -> Checked {
        match std::str::from_utf8(bytes) {
            Ok(source) => self.check(source),
            Err(e) => {
                let at = e.valid_up_to();
                let len = e.error_len().unwrap_or(bytes.len() - at);
                Checked {
                    ast: None,
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
    ast: Option<Ast>,
    filter: Option<Filter>,
    diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// The typed filter, when there is no error (warnings allowed).
    pub fn filter(&self) -> Option<&Filter> {
        self.filter.as_ref()
    }

    /// Every problem found, in source order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The syntax tree, when the text parsed (for fixers and other tools).
    pub fn ast(&self) -> Option<&Ast> {
        self.ast.as_ref()
    }

    /// Whether there is no error.
    pub fn is_valid(&self) -> bool {
        self.filter.is_some()
    }

    /// Whether any diagnostic has severity `severity` or worse.
    pub fn has(&self, severity: Severity) -> bool {
        self.diagnostics.iter().any(|d| d.severity() >= severity)
    }

    /// The typed filter, or the diagnostics as an error.
    pub fn into_result(self) -> Result<Filter, crate::Invalid> {
        self.filter.ok_or(crate::Invalid(self.diagnostics))
    }
}

/// Checks the tree under `root` and builds its typed expression: `None` if any comparison failed.
///
/// The walk keeps its own stack instead of recursing, so a filter nested to the deepest limit is
/// checked in the same small, fixed amount of native stack as a flat one. Nodes are visited in
/// source order, each OR before its items, so diagnostics come out as a recursive walk would
/// give them; every item is checked even after one failed, so that every problem is reported.
fn check_expr(
    schema: &Schema,
    ast: &Ast,
    root: &syntax::Expr,
    out: &mut Vec<Diagnostic>,
) -> Option<Expr> {
    enum Task<'a> {
        Visit(&'a syntax::Expr),
        /// Join the last `n` results into an AND (`and`) or an OR.
        Join {
            and: bool,
            n: usize,
        },
    }
    let mut tasks = vec![Task::Visit(root)];
    let mut results: Vec<Option<Expr>> = Vec::new();
    while let Some(task) = tasks.pop() {
        match task {
            Task::Visit(e) => match &e.kind {
                ExprKind::Group(inner) => tasks.push(Task::Visit(inner)),
                ExprKind::Comparison(c) => {
                    results.push(check_comparison(schema, c, out).map(Expr::compare));
                }
                ExprKind::And(items) | ExprKind::Or(items) => {
                    let and = matches!(e.kind, ExprKind::And(_));
                    if !and {
                        mixed_and_or(ast, e, items, out);
                    }
                    tasks.push(Task::Join {
                        and,
                        n: items.len(),
                    });
                    tasks.extend(items.iter().rev().map(Task::Visit));
                }
            },
            Task::Join { and, n } => {
                let items = results.split_off(results.len() - n);
                let joined = items
                    .into_iter()
                    .collect::<Option<Vec<Expr>>>()
                    .and_then(|items| {
                        let mut items = items.into_iter();
                        let first = items.next()?;
                        Some(if and {
                            Expr::and(first, items)
                        } else {
                            Expr::or(first, items)
                        })
                    });
                results.push(joined);
            }
        }
    }
    debug_assert_eq!(results.len(), 1, "one result for the root");
    results.pop().flatten()
}

/// `a;b,c`: an AND directly inside an OR, without the parentheses that say which binds tighter.
fn mixed_and_or(ast: &Ast, or: &syntax::Expr, items: &[syntax::Expr], out: &mut Vec<Diagnostic>) {
    if !items.iter().any(|i| matches!(i.kind, ExprKind::And(_))) {
        return;
    }
    let source = &ast.source;
    let mut fixed = String::new();
    let mut at = or.span.start as usize;
    for item in items {
        if matches!(item.kind, ExprKind::And(_)) {
            let r = item.span.range();
            fixed.push_str(&source[at..r.start]);
            fixed.push('(');
            fixed.push_str(&source[r.clone()]);
            fixed.push(')');
            at = r.end;
        }
    }
    fixed.push_str(&source[at..or.span.end as usize]);
    out.push(
        Diagnostic::new(
            Code::MixedAndOr,
            or.span,
            "`;` and `,` are mixed without parentheses",
        )
        .with_help(
            "EM does not document whether `;` (and) or `,` (or) binds tighter; this tool reads \
             `;` first, as FIQL does: add the parentheses to say so",
        )
        .with_fix(Fix::guess(or.span, fixed)),
    );
}

fn check_comparison(
    schema: &Schema,
    c: &syntax::Comparison,
    out: &mut Vec<Diagnostic>,
) -> Option<Comparison> {
    lint_value(&c.value, out);
    let Some(id) = schema.lookup(&c.field.name) else {
        out.push(unknown_field(schema, &c.field));
        return None;
    };
    let field = schema.field(id);
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
    let typed = value::type_value(field, op, &c.value, out)?;
    if !ok {
        return None;
    }
    Comparison::new(schema, id, op, typed).ok()
}

fn unknown_field(schema: &Schema, field: &syntax::Ident) -> Diagnostic {
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
    match suggest::closest(&field.name, names.clone()) {
        Some(best) => d.with_help(format!("did you mean `{best}`?")).with_fix(
            Fix::new(field.span, best)
                .with_applicability(Applicability::of_rename(&field.name, best)),
        ),
        None => d.with_help(format!("{listed} {}", names.collect::<Vec<_>>().join(", "))),
    }
}

/// Drops what only follows from a `&` that ends the filter in a URL: the value it stands in
/// (`Platform==vCloud&JobType==Backup` reads `vCloud&JobType==Backup` as the value) is not
/// reported as a bad value on top of `ampersand-in-filter`.
fn after_ampersands(diagnostics: &mut Vec<Diagnostic>) {
    let amps: Vec<crate::Span> = diagnostics
        .iter()
        .filter(|d| d.code() == Code::AmpersandInFilter)
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

/// What is doubtful about a value whatever its field: spaces the server drops, and `&`.
fn lint_value(value: &syntax::Value, out: &mut Vec<Diagnostic>) {
    if value.quoting != Quoting::Unquoted {
        return;
    }
    let text = value.text.as_str();
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

/// `Result==Failed AND State==Stopped`: an SQL or C keyword between what look like comparisons,
/// inside one unquoted value.
fn keywords(value: &syntax::Value, out: &mut Vec<Diagnostic>) {
    let text = value.text.as_str();
    let mut words = text.split_whitespace().peekable();
    let mut at = 0;
    while let Some(word) = words.next() {
        let start = at + text[at..].find(word).unwrap_or(0);
        at = start + word.len();
        let sep = match word.to_ascii_uppercase().as_str() {
            "AND" | "&&" => ';',
            "OR" | "||" => ',',
            _ => continue,
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
