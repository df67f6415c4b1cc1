//! The pest parser, kept private so that its generated `Rule` enum never reaches the public API,
//! and the translation of pest's errors into diagnostics in words.

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pairs;
use pest::Parser;

use crate::diagnostic::{Code, Diagnostic, Fix};
use crate::span::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/filter.pest"]
pub(super) struct FilterParser;

/// Runs the grammar. The pre-scan has already balanced parentheses and quotes.
pub(super) fn parse(source: &str) -> Result<Pairs<'_, Rule>, Box<Diagnostic>> {
    FilterParser::parse(Rule::filter, source).map_err(|e| Box::new(to_diagnostic(source, &e)))
}

/// What the parser wanted where it stopped, in the user's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// A comparison or a group: a field name or `(`.
    Term,
    /// A comparison operator.
    Operator,
    /// A value.
    Value,
    /// A separator, `)` or the end.
    End,
}

/// Every rule, named by what it stands for. A new rule in the grammar fails to compile here until
/// someone says what it means to a user.
fn wanted(rule: Rule) -> Wanted {
    match rule {
        Rule::filter | Rule::item | Rule::open | Rule::comparison | Rule::field => Wanted::Term,
        Rule::separator | Rule::and | Rule::or | Rule::close => Wanted::End,
        Rule::operator | Rule::op | Rule::foreign_op => Wanted::Operator,
        Rule::value | Rule::doubled | Rule::quoted | Rule::unquoted => Wanted::Value,
        Rule::EOI => Wanted::End,
        Rule::WHITESPACE => Wanted::End,
    }
}

fn to_diagnostic(source: &str, error: &pest::error::Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((p, _)) => p,
    };
    let pos = crate::span::floor_char_boundary(source, pos);
    let positives: Vec<Wanted> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().copied().map(wanted).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let found_char = source[pos..].chars().next();
    let span = Span::new(pos, pos + found_char.map_or(0, char::len_utf8));
    let found = match found_char {
        None => "the end of the filter".to_owned(),
        Some(c) if c.is_whitespace() => "a space".to_owned(),
        Some(c) => format!("`{c}`"),
    };
    let before = source[..pos].trim_end();
    let prev = before.chars().last();

    if source.trim().is_empty() {
        return Diagnostic::new(
            Code::Syntax,
            Span::new(0, source.len()),
            "the filter is empty",
        )
        .with_help("write at least one comparison, such as `Result==Failed`");
    }
    if let Some(d) = fiql_set_operator(before) {
        return d;
    }
    let want = if positives.contains(&Wanted::Operator) {
        Wanted::Operator
    } else if positives.contains(&Wanted::Value) {
        Wanted::Value
    } else if positives.contains(&Wanted::Term) {
        Wanted::Term
    } else {
        Wanted::End
    };
    match want {
        Wanted::Term => match (prev, found_char) {
            (Some('('), Some(')')) => Diagnostic::new(
                Code::Syntax,
                Span::new(before.len() - 1, pos + 1),
                "these parentheses are empty",
            )
            .with_help("a group must hold at least one comparison"),
            (Some(sep @ (';' | ',')), None | Some(')' | ';' | ',')) => {
                let sep_at = before.len() - 1;
                Diagnostic::new(
                    Code::Syntax,
                    span,
                    format!("expected a comparison after `{sep}`, found {found}"),
                )
                .with_help(format!(
                    "remove the `{sep}`, or write the comparison it should join"
                ))
                .with_fix(Fix::new(Span::new(sep_at, sep_at + 1), ""))
            }
            (_, Some('"')) => Diagnostic::new(
                Code::Syntax,
                span,
                "expected a field name, found a quoted text",
            )
            .with_help("field names are written without quotes: `JobName==\"SQL Replica\"`"),
            _ => Diagnostic::new(
                Code::Syntax,
                span,
                format!("expected a field name or `(`, found {found}"),
            )
            .with_help(
                "a filter is made of comparisons such as `Result==Failed`, joined by `;` (and) \
                 or `,` (or)",
            ),
        },
        Wanted::Operator => {
            let field = field_before(before);
            if let Some(d) = foreign_word(source, before.len(), field) {
                return d;
            }
            let mut d = Diagnostic::new(
                Code::Syntax,
                span,
                format!(
                    "expected a comparison operator after the field name `{field}`, found {found}"
                ),
            );
            d = if found_char.is_some_and(char::is_whitespace) || pos > before.len() {
                d.with_help(
                    "field names have no spaces; the operators are `==` `!=` `<` `<=` `>` `>=`",
                )
            } else {
                d.with_help("the operators are `==` `!=` `<` `<=` `>` `>=`")
            };
            d
        }
        Wanted::Value => {
            let op = op_before(before);
            Diagnostic::new(
                Code::Syntax,
                span,
                format!("expected a value after `{op}`, found {found}"),
            )
            .with_help("to compare with the empty string, write `\"\"`")
        }
        Wanted::End => {
            if found_char == Some('"') {
                Diagnostic::new(
                    Code::Syntax,
                    span,
                    "a `\"` cannot stand inside an unquoted value",
                )
                .with_help(
                    "quote the whole value and write each `\"` inside it twice: \
                     `JobName==\"say \"\"hi\"\"\"`",
                )
            } else {
                Diagnostic::new(
                    Code::Syntax,
                    span,
                    format!("expected `;`, `,`, `)` or the end of the filter, found {found}"),
                )
                .with_help("join comparisons with `;` (and) or `,` (or)")
            }
        }
    }
}

/// `Result eq Failed`, `JobName like x`, `Result in (…)`, `not Result==Failed`: a word of OData
/// or SQL where an operator was expected, after the field name that ends at `field_end`. The
/// comparison words get the EM operator as a fix (safe: the server then reads what a person
/// reads); `like`, `in` and `not`, which EM has no operator for, get help.
fn foreign_word(source: &str, field_end: usize, field: &str) -> Option<Diagnostic> {
    let gap = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
    let word_start = field_end + gap(&source[field_end..]);
    if word_start == field_end {
        return None;
    }
    let word_len = source[word_start..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(source.len() - word_start);
    let word = &source[word_start..word_start + word_len];
    let after = word_start + word_len;
    let value_start = after + gap(&source[after..]);
    let lower = word.to_ascii_lowercase();
    // `not` is read as the field name: the comparison follows it.
    if field.eq_ignore_ascii_case("not") {
        let start = field_end - field.len();
        return Some(
            Diagnostic::new(
                Code::Syntax,
                Span::new(start, field_end),
                "`not` (SQL, OData) is not an operator of the EM filter language",
            )
            .with_help(
                "negate the comparison itself: `!=` for `==`, `<` for `>=`, and so on \
                 (`Result!=Failed`)",
            ),
        );
    }
    let op = match lower.as_str() {
        "eq" => "==",
        "ne" => "!=",
        "gt" => ">",
        "ge" => ">=",
        "lt" => "<",
        "le" => "<=",
        "like" | "in" => "",
        _ => return None,
    };
    // A word and then the value: `Result eq Failed`, not `JobName equals`.
    let spaced = value_start > after;
    let opens = lower == "in" && source[value_start..].starts_with('(');
    if !(spaced || opens) || value_start >= source.len() {
        return None;
    }
    let span = Span::new(word_start, word_start + word_len);
    let d = match op {
        "" if lower == "like" => Diagnostic::new(
            Code::Syntax,
            span,
            "`like` (SQL) is not an operator of the EM filter language",
        )
        .with_help(
            "EM has no pattern matching: compare the whole value with `==`, or query more \
             widely and select locally",
        ),
        "" => Diagnostic::new(
            Code::Syntax,
            span,
            "`in` (SQL, OData) is not an operator of the EM filter language",
        )
        .with_help(
            "write one comparison per value, joined by `,` (or): \
             `(Result==Success,Result==Warning)`",
        ),
        op => Diagnostic::new(
            Code::Syntax,
            span,
            format!("`{word}` (OData) is not an operator of the EM filter language"),
        )
        .with_help(format!(
            "write `{op}`; the operators are `==` `!=` `<` `<=` `>` `>=`"
        ))
        .with_fix(Fix::new(Span::new(field_end, value_start), op)),
    };
    Some(d)
}

/// The field name that ends `before`, for messages.
fn field_before(before: &str) -> &str {
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .map_or(0, |i| i + 1);
    &before[start..]
}

/// The operator that ends `before`, for messages.
fn op_before(before: &str) -> &str {
    let start = before
        .rfind(|c: char| !matches!(c, '=' | '!' | '<' | '>'))
        .map_or(0, |i| i + 1);
    let op = &before[start..];
    if op.is_empty() {
        "the operator"
    } else {
        op
    }
}

/// `Result=in=(Success,Warning)`: FIQL/RSQL's set operators, which EM does not have. The parse
/// stops at the `(` after them.
fn fiql_set_operator(before: &str) -> Option<Diagnostic> {
    let lower = before.to_ascii_lowercase();
    let (op, help) = if lower.ends_with("=in=") {
        (
            "=in=",
            "write one comparison per value, joined by `,` (or): \
             `(Result==Success,Result==Warning)`",
        )
    } else if lower.ends_with("=out=") {
        (
            "=out=",
            "write one `!=` comparison per value, joined by `;` (and): \
             `Result!=Success;Result!=Warning`",
        )
    } else {
        return None;
    };
    let start = before.len() - op.len();
    Some(
        Diagnostic::new(
            Code::Syntax,
            Span::new(start, before.len()),
            format!(
                "`{}` (FIQL/RSQL) is not an operator of the EM filter language",
                &before[start..]
            ),
        )
        .with_help(help),
    )
}
