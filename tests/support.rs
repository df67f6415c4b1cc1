//! Helpers shared by the test modules.

use emfilter::syntax::{Ast, Expr};
use emfilter::{schema, Checked, Checker, Schema};

/// Warnings about a value itself, which its canonical spelling keeps: a value the docs do not
/// list, a `*` that EM matches literally.
pub const INHERENT: [emfilter::Code; 5] = [
    emfilter::Code::UndocumentedEnumValue,
    emfilter::Code::UndocumentedField,
    emfilter::Code::DatetimeWithoutZone,
    emfilter::Code::WildcardInValue,
    emfilter::Code::BareGuid,
];

/// The schema of a corpus case's `type`, ReplicaJobSession by default.
pub fn schema_named(name: Option<&str>) -> &'static Schema {
    match name {
        Some(n) => schema::builtin(n).unwrap_or_else(|| panic!("no built-in type {n}")),
        None => &schema::REPLICA_JOB_SESSION,
    }
}

/// Checks `filter` against ReplicaJobSession.
pub fn check(filter: &str) -> Checked {
    Checker::new(&schema::REPLICA_JOB_SESSION).check(filter)
}

/// `filter` is valid and its canonical form is `canonical`, which is a fixed point and checks to
/// the same typed filter (sqlparser's `one_statement_parses_to`).
pub fn roundtrip_to(schema: &'static Schema, filter: &str, canonical: &str) {
    let checker = Checker::new(schema);
    let first = checker.check(filter);
    let typed = first
        .filter()
        .unwrap_or_else(|| panic!("`{filter}` should be valid: {:#?}", first.diagnostics()));
    assert_eq!(typed.to_string(), canonical, "canonical form of `{filter}`");
    let second = checker.check(canonical);
    let again = second.filter().unwrap_or_else(|| {
        panic!(
            "canonical `{canonical}` should be valid: {:#?}",
            second.diagnostics()
        )
    });
    assert_eq!(
        again, typed,
        "`{canonical}` checks to another typed filter than `{filter}`"
    );
    assert_eq!(
        again.to_string(),
        canonical,
        "canonical form is not a fixed point"
    );
    assert!(
        second
            .diagnostics()
            .iter()
            .all(|d| INHERENT.contains(&d.code())),
        "the canonical form `{canonical}` still warns: {:#?}",
        second.diagnostics()
    );
}

/// Every span of the AST lies inside the source and inside its parent's span.
pub fn assert_spans_nest(ast: &Ast) {
    let len = ast.source().len() as u32;
    let mut stack: Vec<(Expr<'_>, Option<emfilter::Span>)> = vec![(ast.root(), None)];
    while let Some((e, parent)) = stack.pop() {
        let span = e.span();
        assert!(
            span.start <= span.end && span.end <= len,
            "span {span:?} outside the source"
        );
        if let Some(p) = parent {
            assert!(p.contains(span), "span {span:?} outside its parent {p:?}");
        }
        if let emfilter::syntax::ExprKind::Comparison(c) = e.kind() {
            for s in [c.field.span, c.op.span, c.value.span] {
                assert!(
                    span.contains(s),
                    "part {s:?} outside its comparison {span:?}"
                );
            }
            assert!(c.field.span.end <= c.op.span.start && c.op.span.end <= c.value.span.start);
        }
        stack.extend(e.children().map(|c| (c, Some(span))));
    }
}
