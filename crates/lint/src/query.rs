//! A whole query URL or query string: every parameter against the EM query service.

use std::ops::Range;

use super::decode;
use super::{
    host_layer, looks_like_clause, placeholders, Context, FilterValue, Linted, Linter, QueryType,
    TypeSource,
};
use emfilter::schema::{self, Schema};
use emfilter::suggest;
use emfilter::Span;
use emfilter::{Applicability, Code, Diagnostic, Fix};

/// The parameters of `GET /api/query`, as EM's documentation spells them.
const PARAMETERS: [&str; 7] = [
    "type", "format", "pageSize", "page", "sortAsc", "sortDesc", "filter",
];

/// The largest page number or size: a .NET `Int32`.
const MAX_PAGE: u64 = i32::MAX as u64;

/// One `name=value` of the query string, as byte ranges of layer 1.
struct Param {
    /// The whole parameter.
    whole: Range<usize>,
    name: Range<usize>,
    /// After the `=`; empty at the end of the name when there is no `=`.
    value: Range<usize>,
    /// The `&` before it (in layer 1; `&amp;` in the original).
    separator: Option<Range<usize>>,
}

/// Lints the query type name `text`, the value of a `type` key beside a filter.
pub(super) fn type_name(text: &str) -> Linted {
    let mut out = Linted {
        diagnostics: Vec::new(),
        filter: None,
        checked_as: None,
    };
    if schema::builtin(text).is_none() {
        let mut d = Diagnostic::new(
            Code::UnknownQueryType,
            Span::new(0, text.len()),
            format!("`{text}` is not a query type this tool knows"),
        );
        d = match schema::closest_builtin(text).filter(|_| !text.is_empty()) {
            Some(best) => d
                .with_help(format!(
                    "did you mean `{}`? It is the type of the filter beside it, which was not \
                     checked",
                    best.name()
                ))
                .with_fix(
                    Fix::new(Span::new(0, text.len()), best.name())
                        .with_applicability(Applicability::of_rename(text, best.name())),
                ),
            None => d.with_help("`emfilter types` lists the known query types"),
        };
        out.diagnostics.push(d);
    }
    out
}

/// Lints the query URL or query string `text`, its filter against its own `type`, or, when it
/// names none, against `fallback`.
pub(super) fn lint(linter: &Linter, text: &str, context: Context, fallback: QueryType) -> Linted {
    let placeholders = placeholders(text, context);
    let l1 = host_layer(text, context, &placeholders, true);
    let b = &l1.bytes;
    let mut out = Linted {
        diagnostics: Vec::new(),
        filter: None,
        checked_as: None,
    };
    let fallback_schema = linter.schema_of(&fallback);
    let start = match b.iter().position(|&c| c == b'?') {
        Some(q) => q + 1,
        None if b.contains(&b'=') => 0,
        None => b.len(),
    };
    let end = b[start..]
        .iter()
        .position(|&c| c == b'#')
        .map_or(b.len(), |i| start + i);
    let mut params = split(b, start..end);
    let original = |r: &Range<usize>| l1.original(Span::new(r.start, r.end));
    let decoded = |r: &Range<usize>| -> String {
        let d = l1.compose(&decode::percent(&l1, r.clone()));
        String::from_utf8_lossy(&d.bytes).into_owned()
    };
    let skipped = |out: &mut Linted, r: &Range<usize>, what: &str| {
        let span = original(r);
        let message = if span.is_empty() {
            format!("the string goes on in code: {what} was not checked")
        } else {
            format!(
                "`{}` is a placeholder: {what} was not checked",
                &text[span.range()]
            )
        };
        out.diagnostics
            .push(Diagnostic::new(Code::SkippedPlaceholder, span, message));
    };

    // `filter=JobName=="Tom&Jerry"`: a `&` inside a quoted value still ends the parameter in a
    // URL. The parameters it made are taken back into the filter, up to the one that closes the
    // quote, and each such `&` is reported.
    let mut quoted_amps: Vec<Range<usize>> = Vec::new();
    let quotes = |r: &Range<usize>| decoded(r).bytes().filter(|&c| c == b'"').count();
    let mut i = 0;
    while i < params.len() {
        let p = &params[i];
        let is_filter = decoded(&p.name).eq_ignore_ascii_case("filter");
        if is_filter && quotes(&p.value) % 2 == 1 {
            let mut odd = true;
            let mut j = i;
            while odd && j + 1 < params.len() && j - i < 64 {
                j += 1;
                odd = quotes(&params[j].whole) % 2 == 0;
            }
            if !odd {
                let end = params[j].whole.end;
                quoted_amps.extend(
                    params
                        .drain(i + 1..=j)
                        .filter_map(|q| q.separator)
                        .collect::<Vec<_>>(),
                );
                params[i].value.end = end;
                params[i].whole.end = end;
            }
        }
        i += 1;
    }

    // `&amp;` between parameters: an HTML-escaped query string (right in XML and HTML files).
    if !context.xml {
        for sep in params.iter().filter_map(|p| p.separator.as_ref()) {
            let span = original(sep);
            if text[span.range()].eq_ignore_ascii_case("&amp;") {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::EscapedAmpersand,
                        span,
                        "`&amp;` is HTML's way of writing `&`: sent as it is, the server reads a \
                         parameter named `amp;…` and ignores what follows",
                    )
                    .with_help("write a plain `&` between query parameters")
                    .with_fix(Fix::new(span, "&")),
                );
            }
        }
    }

    // Whether two parameters of one name say the same: a field or type in any case, a filter
    // byte for byte.
    let same_value = |a: &Param, b: &Param| {
        let (x, y) = (decoded(&a.value), decoded(&b.value));
        if decoded(&a.name).eq_ignore_ascii_case("filter") {
            x == y
        } else {
            x.eq_ignore_ascii_case(&y)
        }
    };

    // Each parameter's name, decoded once.
    let names: Vec<String> = params.iter().map(|p| decoded(&p.name)).collect();
    let given: std::collections::HashSet<String> =
        names.iter().map(|n| n.to_ascii_lowercase()).collect();
    // The schema the type names, if it names one, to tell `JobType=Backup` (a clause cut off the
    // filter) from `fitler=x` (a misspelt parameter).
    let fields: &Schema = params
        .iter()
        .zip(&names)
        .find(|(_, n)| n.eq_ignore_ascii_case("type"))
        .and_then(|(p, _)| schema::builtin(&decoded(&p.value)))
        .or(fallback_schema)
        .unwrap_or(linter.checker.schema());

    // Which parameter is which; unknown and repeated ones are reported here.
    let mut known: [Option<usize>; PARAMETERS.len()] = [None; PARAMETERS.len()];
    let mut stray_chain = false;
    for (i, p) in params.iter().enumerate() {
        if l1.is_opaque(Span::new(p.name.start, p.name.end)) && !p.name.is_empty() {
            skipped(&mut out, &p.whole, "the parameter it stands for");
            continue;
        }
        let name = &names[i];
        let which = PARAMETERS.iter().position(|k| k.eq_ignore_ascii_case(name));
        let after_filter = known[6].is_some();
        match which {
            Some(k) if known[k].is_some() && same_value(&params[known[k].expect("seen")], p) => {
                let mut d = Diagnostic::new(
                    Code::RepeatedParameter,
                    original(&p.whole),
                    format!("`{}` is given twice, with the same value", PARAMETERS[k]),
                )
                .with_help("give each parameter once");
                if let Some(sep) = &p.separator {
                    d = d.with_fix(Fix::new(original(&(sep.start..p.whole.end)), ""));
                }
                out.diagnostics.push(d);
                stray_chain = false;
            }
            Some(k) if known[k].is_some() => {
                out.diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidQueryParameter,
                        original(&p.whole),
                        format!("`{}` is given twice", PARAMETERS[k]),
                    )
                    .with_help(
                        "which one the server takes is not documented: give each parameter once",
                    ),
                );
                stray_chain = false;
            }
            Some(k) => {
                known[k] = Some(i);
                stray_chain = k == 6;
            }
            None => {
                let whole = decoded(&p.whole);
                // `Name=x` is a clause only when `Name` is a field; `Name==x`, `Name>x` always.
                let single_eq =
                    whole[name.len()..].starts_with('=') && !whole[name.len()..].starts_with("==");
                let clause = looks_like_clause(&whole)
                    && (!single_eq || fields.lookup(name.trim()).is_some());
                if after_filter && clause && !l1.is_opaque(span(&p.whole)) {
                    let mut d = Diagnostic::new(
                        Code::StrayFilterClause,
                        original(&p.whole),
                        format!(
                            "`{}` looks like a comparison of the filter, but it is a query \
                             parameter of its own: the server ignores it",
                            &text[original(&p.whole).range()]
                        ),
                    )
                    .with_help("`&` ended the filter; use `;` to join the comparison to it (AND)");
                    if let (true, Some(sep)) = (stray_chain, &p.separator) {
                        d = d.with_fix(Fix::guess(original(sep), ";"));
                    }
                    out.diagnostics.push(d);
                    continue;
                }
                stray_chain = false;
                let mut d = Diagnostic::new(
                    Code::UnknownQueryParameter,
                    original(&p.name),
                    format!("`{name}` is not a parameter of the EM query service"),
                );
                // A misspelt name is fixed, unless that would give the parameter twice.
                let present = |best: &str| given.contains(&best.to_ascii_lowercase());
                d = match suggest::closest(name, PARAMETERS) {
                    Some(best) if present(best) => {
                        d.with_help(format!("did you mean `{best}`? It is given already"))
                    }
                    Some(best) => d.with_help(format!("did you mean `{best}`?")).with_fix(
                        Fix::new(original(&p.name), best)
                            .with_applicability(Applicability::of_rename(name, best)),
                    ),
                    None => d.with_help(format!(
                        "the parameters of `/api/query` are {}",
                        PARAMETERS.map(|p| format!("`{p}`")).join(", ")
                    )),
                };
                if clause {
                    d = d.with_help(
                        "it looks like a comparison: put it in the filter, joined with `;`",
                    );
                }
                out.diagnostics.push(d);
            }
        }
    }
    let param = |k: usize| known[k].map(|i| &params[i]);

    // `type` picks the schema.
    // A placeholder where a parameter's name goes (`?${params}`) may hold any parameter.
    let hidden = params
        .iter()
        .any(|p| !p.name.is_empty() && l1.is_opaque(Span::new(p.name.start, p.name.end)));
    let schema: Option<&Schema> = match param(0) {
        None if hidden => {
            out.checked_as = Some(fallback);
            fallback_schema
        }
        None => {
            let checked = match fallback_schema {
                Some(_) => format!("the filter was checked as {fallback}"),
                None => "the filter was not checked".to_owned(),
            };
            out.diagnostics.push(
                Diagnostic::new(
                    Code::InvalidQueryParameter,
                    l1.original(Span::empty(start)),
                    "the query has no `type`",
                )
                .with_help(format!(
                    "the server requires one, such as `type={}`; {checked}",
                    fallback_schema.map_or(linter.checker.schema().name(), |s| s.name()),
                )),
            );
            if fallback_schema.is_none() && param(6).is_some() {
                out.diagnostics
                    .push(super::unchecked(&fallback, text.len()));
            }
            out.checked_as = Some(fallback);
            fallback_schema
        }
        Some(p) if l1.is_opaque(span(&p.value)) => {
            skipped(&mut out, &p.value, "the query type, and so the filter,");
            None
        }
        Some(p) => {
            let name = decoded(&p.value);
            let found = schema::builtin(&name);
            out.checked_as = Some(QueryType::new(&name, TypeSource::Url));
            if found.is_none() {
                let mut d = Diagnostic::new(
                    Code::UnknownQueryType,
                    original(&p.value),
                    if name.is_empty() {
                        "`type` has no value".to_owned()
                    } else {
                        format!("`{name}` is not a query type this tool knows")
                    },
                );
                d = match schema::closest_builtin(&name).filter(|_| !name.is_empty()) {
                    Some(best) => d
                        .with_help(format!("did you mean `{}`?", best.name()))
                        .with_fix(
                            Fix::new(original(&p.value), best.name())
                                .with_applicability(Applicability::of_rename(&name, best.name())),
                        ),
                    None => d.with_help("`emfilter types` lists the known query types"),
                };
                out.diagnostics.push(d);
                if param(6).is_some() {
                    out.diagnostics.push(Diagnostic::new(
                        Code::UncheckedType,
                        original(&param(6).expect("just seen").value),
                        "the filter was not checked: its query type is unknown",
                    ));
                }
            }
            found
        }
    };

    if let Some(p) = param(1) {
        if l1.is_opaque(span(&p.value)) {
            skipped(&mut out, &p.value, "the format");
        } else {
            let value = decoded(&p.value);
            let formats = ["References", "Entities"];
            if !formats.iter().any(|f| f.eq_ignore_ascii_case(&value)) {
                let mut d = Diagnostic::new(
                    Code::InvalidQueryParameter,
                    original(&p.value),
                    format!("`{value}` is not a format of the query service"),
                );
                let prefix = |f: &&str| matches!((value.get(..3), f.get(..3)), (Some(v), Some(p)) if v.eq_ignore_ascii_case(p));
                let best = suggest::closest(&value, formats)
                    .or_else(|| formats.iter().copied().find(|f| prefix(f)))
                    .filter(|_| !value.is_empty());
                d = match best {
                    Some(best) => d
                        .with_help(format!(
                            "did you mean `{best}`? The formats are `References` (the default) \
                             and `Entities`"
                        ))
                        .with_fix(
                            Fix::new(original(&p.value), best)
                                .with_applicability(Applicability::of_rename(&value, best)),
                        ),
                    None => d.with_help(
                        "the formats are `References` (the default) and `Entities`".to_owned(),
                    ),
                };
                out.diagnostics.push(d);
            }
        }
    }

    for k in [2, 3] {
        let Some(p) = param(k) else { continue };
        if l1.is_opaque(span(&p.value)) {
            skipped(&mut out, &p.value, &format!("the `{}`", PARAMETERS[k]));
            continue;
        }
        let value = decoded(&p.value);
        let problem = if value.is_empty() {
            Some("has no value".to_owned())
        } else if !value.bytes().all(|c| c.is_ascii_digit()) {
            Some(format!("`{value}` is not a whole number"))
        } else {
            match value.parse::<u64>() {
                Ok(0) => Some("is 0".to_owned()),
                Ok(n) if n <= MAX_PAGE => None,
                _ => Some(format!("`{value}` is too large")),
            }
        };
        if let Some(problem) = problem {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::InvalidQueryParameter,
                    original(if p.value.is_empty() {
                        &p.whole
                    } else {
                        &p.value
                    }),
                    format!("`{}` {problem}", PARAMETERS[k]),
                )
                .with_help(format!(
                    "`{}` takes a positive whole number{}",
                    PARAMETERS[k],
                    if k == 3 {
                        ": pages count from 1"
                    } else {
                        ", such as 100"
                    }
                )),
            );
        }
    }

    for k in [4, 5] {
        let (Some(p), Some(schema)) = (param(k), schema) else {
            continue;
        };
        if l1.is_opaque(span(&p.value)) {
            skipped(&mut out, &p.value, "the sort field");
            continue;
        }
        let value = decoded(&p.value);
        let found = schema.lookup(&value).map(|id| schema.field(id));
        if let Some(field) = found.filter(|f| !f.sortable()) {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::InvalidQueryParameter,
                    original(&p.value),
                    format!(
                        "`{}` is a field of {}, but not one to sort on",
                        field.name(),
                        schema.name()
                    ),
                )
                .with_help(format!(
                    "the fields {} sorts on are {}",
                    schema.name(),
                    sortable(schema).collect::<Vec<_>>().join(", ")
                )),
            );
        } else if found.is_none() {
            let names = sortable(schema);
            let mut d = Diagnostic::new(
                Code::InvalidQueryParameter,
                original(if p.value.is_empty() {
                    &p.whole
                } else {
                    &p.value
                }),
                if value.is_empty() {
                    format!("`{}` has no field", PARAMETERS[k])
                } else {
                    format!("`{value}` is not a field of {}, to sort on", schema.name())
                },
            );
            d = match suggest::closest(&value, names.clone()).filter(|_| !value.is_empty()) {
                Some(best) => d.with_help(format!("did you mean `{best}`?")).with_fix(
                    Fix::new(original(&p.value), best)
                        .with_applicability(Applicability::of_rename(&value, best)),
                ),
                None => d.with_help(format!(
                    "the fields of {} are {}",
                    schema.name(),
                    names.collect::<Vec<_>>().join(", ")
                )),
            };
            out.diagnostics.push(d);
        }
    }

    for sep in &quoted_amps {
        let span = original(sep);
        out.diagnostics.push(
            Diagnostic::new(
                Code::AmpersandInFilter,
                span,
                "this `&` stands inside a quoted value, but in a URL it ends the filter \
                 parameter: the server never sees the rest",
            )
            .with_help("percent-encode it as `%26`")
            .with_fix(Fix::new(span, "%26")),
        );
    }

    if let Some(p) = param(6) {
        if let Some(schema) = schema {
            let value = FilterValue {
                text,
                layer: &l1,
                range: p.value.clone(),
                encoded: true,
                context,
                placeholders: &placeholders,
            };
            out.filter = linter.check_filter(&value, schema, &mut out);
        }
    }
    out
}

/// The names of the fields of `schema` that `sortAsc` and `sortDesc` take.
fn sortable(schema: &Schema) -> impl Iterator<Item = &str> + Clone {
    schema
        .fields()
        .iter()
        .filter(|f| f.sortable())
        .map(|f| f.name())
}

fn span(r: &Range<usize>) -> Span {
    Span::new(r.start, r.end)
}

/// The parameters of the query string `range` of `b`, split at each `&`; empty ones (`&&`) are
/// left out, and belong to the separator of the next.
fn split(b: &[u8], range: Range<usize>) -> Vec<Param> {
    let mut out = Vec::new();
    let mut at = range.start;
    let mut last_end: Option<usize> = None;
    loop {
        let end = b[at..range.end]
            .iter()
            .position(|&c| c == b'&')
            .map_or(range.end, |i| at + i);
        if end > at {
            let eq = b[at..end].iter().position(|&c| c == b'=').map(|i| at + i);
            out.push(Param {
                whole: at..end,
                name: at..eq.unwrap_or(end),
                value: eq.map_or(end..end, |e| e + 1..end),
                separator: last_end.map(|e| e..at),
            });
            last_end = Some(end);
        }
        if end == range.end {
            break;
        }
        at = end + 1;
    }
    out
}
