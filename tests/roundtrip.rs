//! Property tests: generated typed filters print to text that checks back to the same meaning, and
//! the canonical text is a fixed point; arbitrary text never panics the checker.

use chrono::{TimeZone, Utc};
use emfilter::ir::{Comparison, Double, EnumValue, Expr, Guid, TypedValue, Uid, UtcDateTime};
use emfilter::schema::{self, FieldType, Schema};
use emfilter::syntax::CompareOp;
use emfilter::Checker;
use emfilter::Filter;
use proptest::prelude::*;

fn any_schema() -> impl Strategy<Value = &'static Schema> {
    prop::sample::select(schema::builtins().to_vec())
}

fn value_for(ty: &FieldType) -> BoxedStrategy<TypedValue> {
    match ty {
        FieldType::Uid(resource) => {
            let resource = resource.clone();
            // Full UIDs, and bare GUIDs, which print bare.
            (any::<u128>(), any::<bool>())
                .prop_map(move |(g, bare)| {
                    TypedValue::Uid(if bare {
                        Uid::bare(&resource, Guid(g))
                    } else {
                        Uid::new(&resource, Guid(g))
                    })
                })
                .boxed()
        }
        FieldType::DateTime => (0i64..253_402_300_799, 0u8..=7, any::<u32>())
            .prop_map(|(secs, digits, frac)| {
                let unit = 10u32.pow(9 - u32::from(digits));
                let nanos = (frac % 1_000_000_000) / unit * unit;
                let instant = Utc.timestamp_opt(secs, nanos).unwrap();
                TypedValue::DateTime(UtcDateTime::new(instant, digits).unwrap())
            })
            .boxed(),
        FieldType::Boolean => any::<bool>().prop_map(TypedValue::Bool).boxed(),
        FieldType::Int64 => any::<i64>().prop_map(TypedValue::Int).boxed(),
        FieldType::String => prop_oneof![
            "[A-Za-z_][A-Za-z0-9_]{0,12}",
            ".{0,16}",
            "[ a-z;,()\"&=<>!.@:-]{0,16}",
            // Values in quotes: a word in quotes prints in EM's doubled form `""Backup""`.
            "\"[A-Za-z0-9_.:&=-]{0,12}\"",
            "\"[ a-z;,()\"]{0,8}\"",
        ]
        .prop_map(TypedValue::String)
        .boxed(),
        FieldType::Enum(e) => {
            let mut choices: Vec<TypedValue> = e
                .values()
                .iter()
                .enumerate()
                .map(|(i, v)| TypedValue::Enum(EnumValue::documented(v, i)))
                .collect();
            choices.extend(
                e.undocumented()
                    .iter()
                    .map(|v| TypedValue::Enum(EnumValue::undocumented(v))),
            );
            prop::sample::select(choices).boxed()
        }
        FieldType::Double => prop_oneof![
            any::<f64>().prop_filter_map("finite", Double::new),
            (-1_000_000i64..1_000_000, 0u32..4)
                .prop_filter_map("finite", |(n, scale)| Double::new(
                    n as f64 / 10f64.powi(scale as i32)
                )),
        ]
        .prop_map(TypedValue::Double)
        .boxed(),
        _ => unreachable!("a type the tests do not know"),
    }
}

fn comparison(schema: &'static Schema) -> BoxedStrategy<Expr> {
    (
        0..schema.fields().len(),
        prop::sample::select(CompareOp::ALL.to_vec()),
    )
        .prop_flat_map(move |(i, op)| {
            let field = &schema.fields()[i];
            let op = if field.ty().is_ordered() {
                op
            } else if op.is_ordering() {
                CompareOp::Eq
            } else {
                op
            };
            value_for(field.ty()).prop_map(move |v| {
                let id = schema.lookup(field.name()).unwrap();
                Expr::compare(Comparison::new(schema, id, op, v).expect("generated to fit"))
            })
        })
        .boxed()
}

fn filter() -> impl Strategy<Value = Filter> {
    any_schema().prop_flat_map(|schema| {
        comparison(schema)
            .prop_recursive(4, 32, 4, |inner| {
                (prop::collection::vec(inner, 1..4), any::<bool>()).prop_map(|(mut items, and)| {
                    let first = items.remove(0);
                    if and {
                        Expr::and(first, items)
                    } else {
                        Expr::or(first, items)
                    }
                })
            })
            .prop_map(move |root| {
                Filter::new(schema, root).expect("comparisons made for the schema")
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printing_keeps_the_meaning(f in filter()) {
        let text = f.to_string();
        let checked = Checker::new(f.schema()).check(&text);
        let back = checked.filter();
        prop_assert!(back.is_some(), "`{}` does not check: {:#?}", text, checked.diagnostics());
        let back = back.unwrap();
        prop_assert_eq!(back, &f, "`{}` means something else", text);
        prop_assert_eq!(back.to_string(), text.clone());
        // The canonical form raises no doubts, except about the values themselves.
        for d in checked.diagnostics() {
            prop_assert!(crate::support::INHERENT.contains(&d.code()), "`{}`: {:?}", text, d);
        }
    }

    #[test]
    fn any_text_checks_without_panic(text in ".{0,80}") {
        let checked = Checker::default().check(&text);
        for d in checked.diagnostics() {
            prop_assert!(d.span().end as usize <= text.len());
            prop_assert!(text.is_char_boundary(d.span().start as usize));
            prop_assert!(text.is_char_boundary(d.span().end as usize));
        }
        if let Some(f) = checked.filter() {
            let canonical = f.to_string();
            let again = Checker::default().check(&canonical);
            prop_assert_eq!(again.filter(), Some(f));
        }
    }

    #[test]
    fn filter_like_text_checks_without_panic(
        text in r#"[(),;"= <>!A-Za-z0-9:.-]{0,60}"#
    ) {
        let checked = Checker::default().check(&text);
        if let Some(f) = checked.filter() {
            let canonical = f.to_string();
            let again = Checker::default().check(&canonical);
            prop_assert_eq!(again.filter(), Some(f));
        }
        if let Some(ast) = checked.ast() {
            crate::support::assert_spans_nest(ast);
            // The AST prints back to text that parses to the same shape.
            let printed = ast.to_string();
            let reparsed = emfilter::parse(&printed);
            prop_assert!(reparsed.ast.is_some(), "`{}` printed as `{}` does not parse", text, printed);
            prop_assert_eq!(reparsed.ast.unwrap().to_string(), printed);
        }
    }
}

/// A tree built by hand prints to text that reads back as the same tree: an AND or OR of one
/// item is that item (an `And` of one would print as the bare item and read back as it), and
/// one of nothing is refused, as no text reads as it.
#[test]
fn built_junctions_of_one_item_are_the_item_and_of_none_are_refused() {
    use emfilter::syntax::{self, Builder, Quoting};
    let mut b = Builder::new();
    let a = b.comparison("Result", CompareOp::Eq, "Failed", Quoting::Unquoted);
    assert_eq!(b.and(&[a]), a);
    assert_eq!(b.or(&[a]), a);
    let group = b.group(a);
    let root = b.or(&[group]);
    let ast = b.finish(root);
    let printed = ast.to_string();
    assert_eq!(printed, "(Result==Failed)");
    assert_eq!(
        syntax::parse(&printed).ast.expect("parses"),
        syntax::parse("(Result==Failed)").ast.unwrap()
    );
    let empty = std::panic::catch_unwind(|| Builder::new().and(&[]));
    assert!(empty.is_err(), "an AND of nothing is refused");
    let empty = std::panic::catch_unwind(|| Builder::new().or(&[]));
    assert!(empty.is_err(), "an OR of nothing is refused");
}
