//! What the fuzz targets assert, one function per target, shared by `fuzz/fuzz_targets/*.rs` (which
//! include this file with `#[path]`) and by `tests/fuzz_regressions.rs` (which replays every kept
//! crash and every seed through the same functions). Each function panics when an invariant fails.

use arbitrary::{Result, Unstructured};
use chrono::{TimeZone, Utc};
use emfilter::eval::{EntityFormat, Options};
use emfilter::ir::{Comparison, Double, EnumValue, Expr, Guid, TypedValue, Uid, UtcDateTime};
use emfilter::schema::{self, FieldType, Schema};
use emfilter::syntax::{self, Builder, CompareOp, ExprKind, NodeId, Quoting};
use emfilter::{Checker, Code, Diagnostic, Filter, Limits, Span};

/// Warnings about a value itself, which its canonical spelling keeps (a bare GUID stays bare:
/// the prefix would be a guess).
const INHERENT: [Code; 5] = [
    Code::UndocumentedEnumValue,
    Code::UndocumentedField,
    Code::DatetimeWithoutZone,
    Code::WildcardInValue,
    Code::BareGuid,
];

/// The limits a canonical form is checked back under. Canonical text has no whitespace, but it
/// can be longer than its source (a value gains its quotes, a `"` is written twice) and nest
/// deeper (an AND inside an OR gains parentheses, because EM does not document which binds
/// tighter), so it is read back under the largest limits rather than the source's.
fn relaxed() -> Limits {
    Limits::new(usize::MAX, Limits::MAX_NESTING)
}

/// Every span of every diagnostic and fix lies inside `source`, on character boundaries.
fn spans_inside(source: &str, diagnostics: &[Diagnostic]) {
    let inside = |s: Span| {
        s.start <= s.end
            && s.end as usize <= source.len()
            && source.is_char_boundary(s.start as usize)
            && source.is_char_boundary(s.end as usize)
    };
    for d in diagnostics {
        assert!(inside(d.span()), "{d:?} is outside `{source}`");
        if let Some(fix) = d.fix() {
            assert!(inside(fix.span), "the fix of {d:?} is outside `{source}`");
        }
        assert!(!d.message().is_empty(), "{d:?} says nothing");
    }
}

/// Target `parse`: any bytes. Text that is not UTF-8 is one diagnostic; text parses, or fails
/// with an error, under the default and the largest limits; a tree prints to text that parses to
/// the same tree, and printing it again changes nothing.
pub fn parse_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        let checked = Checker::default().check_bytes(data);
        assert!(!checked.is_valid());
        let [d] = checked.diagnostics() else {
            panic!("not one diagnostic: {:?}", checked.diagnostics());
        };
        assert_eq!(d.code(), Code::Syntax);
        assert!(d.span().end as usize <= data.len() && !d.span().is_empty());
        return;
    };
    for limits in [Limits::default(), relaxed()] {
        let parsed = syntax::parse_with(text, &limits);
        spans_inside(text, &parsed.diagnostics);
        let Some(ast) = parsed.ast else {
            assert!(
                parsed.diagnostics.iter().any(Diagnostic::is_error),
                "`{text}` has no tree and no error"
            );
            continue;
        };
        let printed = ast.to_string();
        let again = syntax::parse_with(&printed, &limits);
        let tree = again
            .ast
            .unwrap_or_else(|| panic!("`{text}` prints as `{printed}`, which does not parse"));
        assert_eq!(
            shape(tree.root(), false),
            shape(ast.root(), false),
            "`{text}` prints as `{printed}`, which is another tree"
        );
        assert_eq!(
            tree.to_string(),
            printed,
            "printing `{text}` is not a fixed point"
        );
    }
}

/// Target `differential`: any bytes. The hand-written reader and the grammar give the same
/// answer: the reader reads a tree exactly when the grammar reads one without a diagnostic, and
/// then the same tree with the same spans; `parse` (the reader, else the grammar) answers as the
/// grammar does. Under the default limits, the largest, and small ones that the input can reach.
pub fn differential(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for limits in [Limits::default(), relaxed(), Limits::new(24, 2)] {
        let grammar = syntax::parse_with_grammar(text, &limits);
        let fast = syntax::parse_fast(text, &limits);
        match &grammar.ast {
            Some(ast) if grammar.diagnostics.is_empty() => assert_eq!(
                fast.as_ref(),
                Some(ast),
                "`{text}` under {limits:?}: the reader and the grammar read different trees"
            ),
            _ => assert!(
                fast.is_none(),
                "`{text}` under {limits:?}: the reader reads {fast:?}, the grammar {grammar:?}"
            ),
        }
        assert_eq!(
            syntax::parse_with(text, &limits),
            grammar,
            "`{text}` under {limits:?}: parse and the grammar disagree"
        );
    }
}

/// Target `check`: any text, against every built-in schema. Diagnostics lie inside the text; a
/// filter is valid exactly when no diagnostic is an error; a valid filter's canonical form checks
/// to the same typed filter, warns only about its values, and is a fixed point.
pub fn check_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for &schema in schema::builtins() {
        let checked = Checker::new(schema).check(text);
        spans_inside(text, checked.diagnostics());
        let has_error = checked.diagnostics().iter().any(Diagnostic::is_error);
        assert_eq!(
            checked.is_valid(),
            !has_error,
            "`{text}` as {schema}: validity disagrees with {:?}",
            checked.diagnostics()
        );
        if let Some(filter) = checked.filter() {
            canonical_is_stable(filter, text);
        }
    }
}

/// `filter`'s canonical text checks back to `filter`, with no doubt but about its values, and
/// prints as itself.
fn canonical_is_stable(filter: &Filter, from: &str) {
    let canonical = filter.to_string();
    let checked = Checker::new(filter.schema())
        .with_limits(relaxed())
        .check(&canonical);
    let back = checked.filter().unwrap_or_else(|| {
        panic!(
            "`{from}` as {} is `{canonical}`, which does not check: {:?}",
            filter.schema(),
            checked.diagnostics()
        )
    });
    assert_eq!(
        back, filter,
        "`{from}` as `{canonical}` means something else"
    );
    assert_eq!(
        back.to_string(),
        canonical,
        "`{canonical}` is not a fixed point"
    );
    for d in checked.diagnostics() {
        assert!(INHERENT.contains(&d.code()), "`{canonical}` warns: {d:?}");
    }
}

/// Target `roundtrip`: the bytes build a typed filter over a built-in schema, or a syntax tree;
/// either prints to text that reads back as the same thing.
pub fn roundtrip(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(typed) = u.arbitrary::<bool>() else {
        return;
    };
    if typed {
        if let Ok(filter) = typed_filter(&mut u) {
            canonical_is_stable(&filter, "a generated filter");
        }
    } else {
        let mut b = Builder::new();
        let Ok(root) = ast_expr(&mut u, &mut b, 0) else {
            return;
        };
        let root = b.finish(root);
        let printed = root.to_string();
        let parsed = syntax::parse_with(&printed, &relaxed());
        let tree = parsed
            .ast
            .unwrap_or_else(|| panic!("`{printed}` does not parse: {:?}", parsed.diagnostics));
        assert_eq!(
            shape(tree.root(), true),
            shape(root.root(), true),
            "`{printed}` is another tree"
        );
        assert_eq!(
            tree.to_string(),
            printed,
            "`{printed}` is not a fixed point"
        );
    }
}

/// How deep generated trees go: deep enough for every kind of nesting, shallow enough for the
/// default nesting limit.
const MAX_DEPTH: usize = 5;

fn typed_filter(u: &mut Unstructured<'_>) -> Result<Filter> {
    let schema: &'static Schema = u.choose(schema::builtins())?;
    Ok(Filter::new(schema, typed_expr(u, schema, 0)?).expect("comparisons made for the schema"))
}

fn typed_expr(u: &mut Unstructured<'_>, schema: &'static Schema, depth: usize) -> Result<Expr> {
    if depth >= MAX_DEPTH || u.ratio(1, 2)? {
        return typed_comparison(u, schema);
    }
    let n = u.int_in_range(2..=4)?;
    let first = typed_expr(u, schema, depth + 1)?;
    let mut rest = Vec::with_capacity(n - 1);
    for _ in 1..n {
        rest.push(typed_expr(u, schema, depth + 1)?);
    }
    Ok(if u.arbitrary()? {
        Expr::and(first, rest)
    } else {
        Expr::or(first, rest)
    })
}

/// An instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z (the range of .NET's DateTime),
/// with 0 to 7 fractional digits.
fn date_time(u: &mut Unstructured<'_>) -> Result<UtcDateTime> {
    let secs = u.int_in_range(-62_135_596_800i64..=253_402_300_799)?;
    let digits = u.int_in_range(0u8..=UtcDateTime::MAX_DIGITS)?;
    let unit = 10u32.pow(9 - u32::from(digits));
    let nanos = u.int_in_range(0..=999_999_999u32)? / unit * unit;
    let instant = Utc
        .timestamp_opt(secs, nanos)
        .single()
        .expect("in chrono's range");
    Ok(UtcDateTime::new(instant, digits).expect("digits fit"))
}

fn typed_comparison(u: &mut Unstructured<'_>, schema: &'static Schema) -> Result<Expr> {
    let filterable: Vec<usize> = (0..schema.fields().len())
        .filter(|&i| schema.fields()[i].filterable())
        .collect();
    let index = *u.choose(&filterable)?;
    let field = &schema.fields()[index];
    let mut op = *u.choose(&CompareOp::ALL)?;
    if op.is_ordering() && !field.ty().is_ordered() {
        op = CompareOp::Eq;
    }
    let value = match field.ty() {
        FieldType::Uid(resource) if u.arbitrary()? => {
            TypedValue::Uid(Uid::bare(resource, Guid(u.arbitrary()?)))
        }
        FieldType::Uid(resource) => TypedValue::Uid(Uid::new(resource, Guid(u.arbitrary()?))),
        FieldType::DateTime => TypedValue::DateTime(date_time(u)?),
        FieldType::Boolean => TypedValue::Bool(u.arbitrary()?),
        FieldType::Int64 => TypedValue::Int(u.arbitrary()?),
        FieldType::Double => {
            TypedValue::Double(Double::new(u.arbitrary()?).unwrap_or(Double::new(0.0).expect("0")))
        }
        FieldType::Enum(e) => {
            let i = u.choose_index(e.values().len() + e.undocumented().len())?;
            TypedValue::Enum(match e.values().get(i) {
                Some(name) => EnumValue::documented(name, i),
                None => EnumValue::undocumented(&e.undocumented()[i - e.values().len()]),
            })
        }
        // Now and then a value in quotes, which prints in EM's doubled form `""Backup""`.
        _ if u.ratio(1, 4)? => TypedValue::String(format!("\"{}\"", u.arbitrary::<String>()?)),
        _ => TypedValue::String(u.arbitrary()?),
    };
    let id = schema.lookup(field.name()).expect("a field of its schema");
    Ok(Expr::compare(
        Comparison::new(schema, id, op, value).expect("generated to fit"),
    ))
}

fn ast_expr(u: &mut Unstructured<'_>, b: &mut Builder, depth: usize) -> Result<NodeId> {
    if depth >= MAX_DEPTH || u.ratio(1, 2)? {
        return ast_comparison(u, b);
    }
    Ok(match u.int_in_range(0u8..=2)? {
        0 => {
            let inner = ast_expr(u, b, depth + 1)?;
            b.group(inner)
        }
        kind => {
            let n = u.int_in_range(2..=4)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(ast_expr(u, b, depth + 1)?);
            }
            if kind == 1 {
                b.and(&items)
            } else {
                b.or(&items)
            }
        }
    })
}

fn ast_comparison(u: &mut Unstructured<'_>, b: &mut Builder) -> Result<NodeId> {
    const FIRST: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    const REST: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789.";
    let mut name = String::from(char::from(*u.choose(FIRST)?));
    for _ in 0..u.int_in_range(0..=10)? {
        name.push(char::from(*u.choose(REST)?));
    }
    let op = *u.choose(&CompareOp::ALL)?;
    let text: String = u.arbitrary()?;
    let value = match u.int_in_range(0u8..=2)? {
        // An unquoted value cannot be empty, hold a separator, a parenthesis or a quote, or
        // begin or end with the whitespace the grammar skips; anything else may be written bare.
        0 if !text.is_empty()
            && !text.contains([';', ',', '(', ')', '"'])
            && !text.starts_with([' ', '\t', '\r', '\n'])
            && !text.ends_with([' ', '\t', '\r', '\n']) =>
        {
            (text, Quoting::Unquoted)
        }
        1 => {
            let inner: String = text
                .chars()
                .filter(|c| !matches!(c, '"' | ';' | ',' | '(' | ')'))
                .collect();
            if inner.is_empty() {
                (text, Quoting::Quoted)
            } else {
                (format!("\"{inner}\""), Quoting::Doubled)
            }
        }
        _ => (text, Quoting::Quoted),
    };
    Ok(b.comparison(&name, op, &value.0, value.1))
}

/// A tree without its spans and without the spelling of its operators. With `loose`, explicit
/// groups are looked through and nested ANDs (ORs) are flattened into their parent, which is what
/// printing a hand-built tree may do.
#[derive(Debug, PartialEq, Eq)]
pub enum Shape {
    /// `Field op Value`.
    Compare(String, CompareOp, String, Quoting),
    /// AND.
    And(Vec<Shape>),
    /// OR.
    Or(Vec<Shape>),
    /// `( … )`.
    Group(Box<Shape>),
}

/// The [`Shape`] of `e`, without recursion limits beyond the tree's own (bounded by the nesting
/// limit).
pub fn shape(e: syntax::Expr<'_>, loose: bool) -> Shape {
    match e.kind() {
        ExprKind::Comparison(c) => Shape::Compare(
            c.field.name.to_owned(),
            c.op.op,
            c.value.text.to_owned(),
            c.value.quoting,
        ),
        ExprKind::Group(inner) if loose => shape(inner, loose),
        ExprKind::Group(inner) => Shape::Group(Box::new(shape(inner, loose))),
        ExprKind::And(items) => Shape::And(flatten(items, loose, true)),
        ExprKind::Or(items) => Shape::Or(flatten(items, loose, false)),
    }
}

fn flatten(items: syntax::Items<'_>, loose: bool, and: bool) -> Vec<Shape> {
    let mut out = Vec::new();
    for item in items {
        match shape(item, loose) {
            Shape::And(inner) if loose && and => out.extend(inner),
            Shape::Or(inner) if loose && !and => out.extend(inner),
            s => out.push(s),
        }
    }
    out
}

/// Target `eval`: a typed filter over a query type whose entities the evaluator reads, and an
/// entity's JSON built from the bytes (the type's keys with values of every kind, missing, null or
/// of the wrong type; now and then raw bytes). Nothing panics; when the entity reads, the compiled
/// program and the plain walk over the typed filter give the same answer, and so does
/// `Filter::matches_json`.
pub fn eval(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let _ = eval_case(&mut u);
}

fn eval_case(u: &mut Unstructured<'_>) -> Result<()> {
    let evaluable: Vec<&'static Schema> = schema::builtins()
        .iter()
        .copied()
        .filter(|s| EntityFormat::for_schema(s).is_ok())
        .collect();
    let schema = *u.choose(&evaluable)?;
    let format = EntityFormat::for_schema(schema).expect("an evaluable type");
    let filter =
        Filter::new(schema, typed_expr(u, schema, 0)?).expect("comparisons made for the schema");
    let filter = filter.with_options(Options::default().case_sensitive(u.arbitrary()?));
    let json = if u.ratio(1, 8)? {
        u.arbitrary::<Vec<u8>>()?
    } else {
        entity_json(u, &format)?
    };
    match filter.entity_format() {
        Ok(_) => {}
        // A filter on a field the type's entity does not hold (a task session's `JobName`):
        // checked, not evaluated.
        Err(e) if e.field.is_some() => return Ok(()),
        Err(e) => panic!("`{filter}`: {e}"),
    }
    let answer = filter.matches_json(&json);
    if let Ok(entity) = format.read(&json) {
        let walked = filter.interpret(&entity);
        let text = String::from_utf8_lossy(&json);
        assert_eq!(
            filter.matches(&entity),
            walked,
            "`{filter}` on {text}: the compiled program and the walk disagree"
        );
        if let Ok(matched) = answer {
            assert_eq!(
                matched, walked,
                "`{filter}` on {text}: matches_json disagrees"
            );
        }
    }
    Ok(())
}

/// A JSON object with `format`'s keys, each missing, null, of its field's type or of another.
fn entity_json(u: &mut Unstructured<'_>, format: &EntityFormat) -> Result<Vec<u8>> {
    use serde_json::{json, Map, Value as Json};
    let schema = format.schema();
    let mut object = Map::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let id = schema.lookup(field.name()).expect("its own field");
        debug_assert_eq!(id.index(), i);
        let Some(key) = format.key(id) else {
            continue;
        };
        let value = match u.int_in_range(0u8..=9)? {
            0 => continue,
            1 => Json::Null,
            2 => Json::String(u.arbitrary()?),
            3 => json!(u.arbitrary::<i64>()?),
            4 => json!(u.arbitrary::<bool>()?),
            5 => json!(u.arbitrary::<f64>()?),
            _ => typed_json(u, field.ty())?,
        };
        object.insert(key.to_owned(), value);
    }
    if u.arbitrary()? {
        let guid = Guid(u.arbitrary()?);
        let name: String = u.arbitrary()?;
        object.insert(
            "Links".to_owned(),
            json!([{
                "Rel": if u.arbitrary()? { "Up" } else { "Alternate" },
                "Href": format!("https://em:9398/api/backupServers/{guid}"),
                "Name": name,
                "Type": "BackupServerReference",
            }]),
        );
    }
    Ok(serde_json::to_vec(&Json::Object(object)).expect("JSON"))
}

/// A JSON value of the kind EM sends for a field of type `ty`.
fn typed_json(u: &mut Unstructured<'_>, ty: &FieldType) -> Result<serde_json::Value> {
    use serde_json::json;
    Ok(match ty {
        FieldType::Uid(resource) => {
            let guid = Guid(u.arbitrary()?);
            if u.arbitrary()? {
                json!(format!("urn:veeam:{resource}:{guid}"))
            } else {
                json!(guid.to_string())
            }
        }
        FieldType::DateTime => json!(date_time(u)?.to_string()),
        FieldType::Boolean => json!(u.arbitrary::<bool>()?),
        FieldType::Int64 => json!(u.arbitrary::<i64>()?),
        FieldType::Double => json!(u.arbitrary::<f64>()?),
        FieldType::Enum(e) => {
            let i = u.choose_index(e.values().len() + e.undocumented().len())?;
            let name = e
                .values()
                .get(i)
                .or_else(|| e.undocumented().get(i - e.values().len()))
                .expect("in range");
            if u.arbitrary()? {
                json!(name)
            } else {
                json!(name.to_ascii_lowercase())
            }
        }
        _ => json!(u.arbitrary::<String>()?),
    })
}

/// Target `stream`: any bytes as the input of `emfilter eval`, read by
/// [`emfilter::eval::stream::for_each_record`] and each record evaluated by a filter that reads
/// several fields. Nothing panics; every record is either evaluated or reported, at a location
/// after the one before it; nothing is dropped: of JSON lines, every line that is not blank is
/// handed over, and a document that serde_json reads as an array hands over each of its elements.
pub fn stream(data: &[u8]) {
    use emfilter::eval::stream::{for_each_record, Location, Shape};
    let filter = emfilter::compile(
        r#"Result==Failed,JobName=="x*";CreationTime>2020-01-01T00:00:00Z"#,
        &schema::REPLICA_JOB_SESSION,
    )
    .expect("a valid filter");
    let mut seen: Vec<Location> = Vec::new();
    let mut evaluated = 0usize;
    let mut reported = 0usize;
    let result = for_each_record(data, "ReplicaJobSessions", |item| {
        let location = match item {
            Ok(record) => {
                // Matching or not, readable or not: evaluated either way, never a panic.
                let _ = filter.matches_json(record.json);
                evaluated += 1;
                record.location
            }
            Err(unreadable) => {
                assert!(!unreadable.message.is_empty());
                reported += 1;
                unreadable.location
            }
        };
        if let Some(last) = seen.last() {
            assert!(
                order(*last) < order(location),
                "{location:?} after {last:?}"
            );
        }
        seen.push(location);
        Ok::<(), ()>(())
    });
    let text = emfilter::json::strip_bom(data);
    match result {
        Ok(Shape::JsonLines) => {
            let lines = text
                .split(|&b| b == b'\n')
                .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                .count();
            assert_eq!(
                evaluated + reported,
                lines,
                "every line that is not blank is a record"
            );
        }
        Ok(Shape::Document) => {}
        Err(_) => {}
    }
    // A JSON array, as serde_json reads it: every element is handed over.
    if let Ok(items) = serde_json::from_slice::<Vec<serde_json::Value>>(text) {
        assert!(
            matches!(result, Ok(Shape::Document)),
            "a JSON array is a document: {result:?}"
        );
        assert_eq!(evaluated, items.len(), "every element of the array");
    }
}

/// A location's place in the input, for comparing two.
fn order(l: emfilter::eval::stream::Location) -> (u64, u64) {
    use emfilter::eval::stream::Location;
    match l {
        Location::Line(n) => (0, n),
        Location::Index(i) => (1, i),
        Location::Document { document, index } => (document, index),
    }
}

/// Target `sql`: a typed filter over any built-in schema, with arbitrary values, and an
/// arbitrary table and column names, compiled for each dialect in both modes. What comes out is
/// refused only for the documented reasons; otherwise a SQL parser for the dialect reads it as
/// one `SELECT * FROM <the table> WHERE <condition>`, the condition has the filter's AND/OR
/// shape, each comparison is one mapped column against its values, and each value is exactly one
/// placeholder (numbered in order, with the statement's parameters) or one literal that reads
/// back as the value. So no value, column or table name can change the statement's structure.
pub fn sql(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let _ = sql_case(&mut u);
}

fn sql_case(u: &mut Unstructured<'_>) -> Result<()> {
    use emfilter::sql::{Dialect, Mapping, Mode, Target};
    let schema: &'static Schema = u.choose(schema::builtins())?;
    let filter = Filter::new(schema, typed_expr(u, schema, 0)?)
        .expect("generated to fit")
        .with_options(Options::default().case_sensitive(u.arbitrary()?));
    let mut mapping = Mapping::new(schema);
    if u.arbitrary()? {
        let parts: Vec<String> = (0..u.int_in_range(1..=3)?)
            .map(|_| u.arbitrary())
            .collect::<Result<_>>()?;
        mapping = mapping.with_table(parts);
    }
    for field in schema.fields() {
        if u.ratio(1, 4)? {
            let name: String = u.arbitrary()?;
            mapping = mapping
                .with_column(field.name(), &name)
                .expect("a field of the schema");
        }
    }
    for dialect in Dialect::ALL {
        let Ok(target) = Target::new(dialect, mapping.clone()) else {
            continue;
        };
        for mode in [Mode::Params, Mode::Inline] {
            match target.translate(&filter, mode) {
                Ok(statement) => sql_oracle::check(&target, &filter, mode, &statement),
                Err(refused) => {
                    for r in &refused.0 {
                        // Only a NUL is ever unrepresentable; only an unmapped field unmapped.
                        assert!(
                            r.code() == Code::SqlUnrepresentableValue
                                && filter.to_string().contains('\0')
                                || r.code() == Code::SqlUnmappedField,
                            "`{filter}` in {dialect} refused: {}",
                            r.message()
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// Reading a statement back with `sqlparser` and matching it against the typed filter.
pub mod sql_oracle {
    use emfilter::eval::Options;
    use emfilter::ir::{Comparison, Expr, ExprKind, TypedValue};
    use emfilter::schema::FieldType;
    use emfilter::sql::{Dialect, Mode, Param, Statement, Target};
    use emfilter::syntax::CompareOp;
    use emfilter::Filter;
    use sqlparser::ast::{self, BinaryOperator, SetExpr, Statement as Stmt, Value};
    use sqlparser::dialect::{
        Dialect as SqlDialect, DuckDbDialect, PostgreSqlDialect, SQLiteDialect, SparkSqlDialect,
    };
    use sqlparser::parser::{Parser, ParserOptions};

    /// Spark SQL as sqlparser knows it, reading backslash escapes in literals as Spark does
    /// (left undecoded: [`spark_unescape`] decodes them as Spark does).
    #[derive(Debug)]
    struct Spark;

    impl SqlDialect for Spark {
        fn is_delimited_identifier_start(&self, ch: char) -> bool {
            SparkSqlDialect {}.is_delimited_identifier_start(ch)
        }
        fn is_identifier_start(&self, ch: char) -> bool {
            SparkSqlDialect {}.is_identifier_start(ch)
        }
        fn is_identifier_part(&self, ch: char) -> bool {
            SparkSqlDialect {}.is_identifier_part(ch)
        }
        fn supports_string_literal_backslash_escape(&self) -> bool {
            true
        }
    }

    /// Spark's reading of a literal's backslash escapes (`unescapeSQLString`) for what emfilter
    /// writes: `\\`, `\'`, `\uXXXX`.
    fn spark_unescape(raw: &str) -> String {
        let mut out = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    let code = u32::from_str_radix(&hex, 16).expect("four hex digits");
                    out.push(char::from_u32(code).expect("a character"));
                }
                Some(other) => out.push(other),
                None => panic!("a literal ends in a backslash: {raw:?}"),
            }
        }
        out
    }

    /// A quoted name's text. Spark's statements are read without unescaping (so that its
    /// literals' backslashes reach [`spark_unescape`]), which leaves a doubled backtick doubled.
    fn ident(dialect: Dialect, ident: &ast::Ident) -> String {
        if dialect == Dialect::Spark {
            ident.value.replace("``", "`")
        } else {
            ident.value.clone()
        }
    }

    pub fn check(target: &Target, filter: &Filter, mode: Mode, statement: &Statement) {
        let dialect = target.dialect();
        let parser_dialect: Box<dyn SqlDialect> = match dialect {
            Dialect::Sqlite => Box::new(SQLiteDialect {}),
            Dialect::Postgres => Box::new(PostgreSqlDialect {}),
            Dialect::DuckDb => Box::new(DuckDbDialect {}),
            Dialect::Spark => Box::new(Spark),
        };
        let sql = statement.sql();
        let parsed = Parser::new(parser_dialect.as_ref())
            .with_options(ParserOptions::new().with_unescape(dialect != Dialect::Spark))
            .try_with_sql(sql)
            .and_then(|mut p| p.parse_statements())
            .unwrap_or_else(|e| panic!("{dialect}: `{sql}` does not parse: {e}"));
        let [Stmt::Query(query)] = parsed.as_slice() else {
            panic!("{dialect}: `{sql}` is not one query: {parsed:?}");
        };
        let SetExpr::Select(select) = query.body.as_ref() else {
            panic!("{dialect}: `{sql}` is not a SELECT");
        };
        assert!(
            matches!(select.projection.as_slice(), [ast::SelectItem::Wildcard(_)]),
            "{dialect}: `{sql}` selects more than *"
        );
        let [from] = select.from.as_slice() else {
            panic!("{dialect}: `{sql}` reads more than one table");
        };
        assert!(from.joins.is_empty(), "{dialect}: `{sql}` joins");
        let ast::TableFactor::Table { name, .. } = &from.relation else {
            panic!("{dialect}: `{sql}` reads no plain table");
        };
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| ident(dialect, p.as_ident().expect("a name part")))
            .collect();
        assert_eq!(
            parts,
            target.mapping().table(),
            "{dialect}: `{sql}` reads another table"
        );
        let condition = select
            .selection
            .as_ref()
            .unwrap_or_else(|| panic!("{dialect}: `{sql}` has no WHERE"));
        let mut walk = Walk {
            target,
            filter,
            mode,
            options: filter.options(),
            sql,
            values: Vec::new(),
        };
        walk.expr(filter.root(), condition, false);
        match mode {
            Mode::Params => {
                let placeholders: Vec<String> = walk.values.iter().map(|v| v.0.clone()).collect();
                let want: Vec<String> = (1..=walk.values.len())
                    .map(|n| match dialect {
                        Dialect::Sqlite | Dialect::DuckDb => "?".to_owned(),
                        Dialect::Postgres => format!("${n}"),
                        Dialect::Spark => format!(":p{n}"),
                    })
                    .collect();
                assert_eq!(placeholders, want, "{dialect}: `{sql}`: the placeholders");
                let expected: Vec<Param> = walk.values.iter().map(|v| v.1.clone()).collect();
                assert_eq!(
                    statement.params(),
                    expected.as_slice(),
                    "{dialect}: `{sql}`: the parameters"
                );
            }
            Mode::Inline => assert!(statement.params().is_empty()),
        }
    }

    struct Walk<'a> {
        target: &'a Target,
        filter: &'a Filter,
        mode: Mode,
        options: Options,
        sql: &'a str,
        /// Each placeholder seen, with the value expected there.
        values: Vec<(String, Param)>,
    }

    impl Walk<'_> {
        fn fail(&self, what: &str, e: &ast::Expr) -> ! {
            panic!(
                "{}: `{}` for `{}`: {what}: {e:?}",
                self.target.dialect(),
                self.sql,
                self.filter
            );
        }

        /// The items of an AND (`and`) or OR chain, looking through no parentheses.
        fn chain<'e>(&self, e: &'e ast::Expr, and: bool, out: &mut Vec<&'e ast::Expr>) {
            let want = if and {
                BinaryOperator::And
            } else {
                BinaryOperator::Or
            };
            match e {
                ast::Expr::BinaryOp { left, op, right } if *op == want => {
                    self.chain(left, and, out);
                    out.push(right);
                }
                other => out.push(other),
            }
        }

        fn expr(&mut self, ir: &Expr, sql: &ast::Expr, nested: bool) {
            let (items, and) = match ir.kind() {
                ExprKind::Compare(c) => return self.comparison(c, sql),
                ExprKind::And(items) => (items, true),
                ExprKind::Or(items) => (items, false),
            };
            let inner = match (nested, sql) {
                (true, ast::Expr::Nested(inner)) => inner.as_ref(),
                (true, other) => self.fail("a group without parentheses", other),
                (false, other) => other,
            };
            let mut parts = Vec::new();
            self.chain(inner, and, &mut parts);
            if parts.len() != items.len() {
                self.fail(&format!("not {} items", items.len()), inner);
            }
            for (item, part) in items.iter().zip(parts) {
                self.expr(item, part, true);
            }
        }

        /// The values a comparison is expected to hold, in order; none for a constant FALSE.
        fn expected(&self, c: &Comparison) -> Vec<Param> {
            let field = self.filter.schema().field(c.field());
            match (field.ty(), c.value()) {
                (FieldType::Enum(e), TypedValue::Enum(v)) if c.op().is_ordering() => {
                    let Some(at) = v.index() else {
                        return Vec::new();
                    };
                    e.values()
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| match c.op() {
                            CompareOp::Lt => i < at,
                            CompareOp::Le => i <= at,
                            CompareOp::Gt => i > at,
                            _ => i >= at,
                        })
                        .map(|(_, n)| Param::Text(n.as_str().to_owned()))
                        .collect()
                }
                (_, TypedValue::Enum(v)) => vec![Param::Text(v.name().to_owned())],
                (_, TypedValue::String(s)) if self.options.case_sensitive => {
                    vec![Param::Text(s.clone())]
                }
                (_, TypedValue::String(s)) => vec![Param::Text(emfilter::eval::fold(s))],
                (_, TypedValue::Uid(u)) => vec![Param::Text(u.to_string())],
                (_, TypedValue::DateTime(t)) => vec![Param::Int(t.ticks())],
                (_, TypedValue::Bool(b)) => vec![Param::Bool(*b)],
                (_, TypedValue::Int(i)) => vec![Param::Int(*i)],
                (_, TypedValue::Double(d)) => vec![Param::Double(d.get())],
                (_, other) => panic!("a value the oracle does not know: {other:?}"),
            }
        }

        fn comparison(&mut self, c: &Comparison, sql: &ast::Expr) {
            let expected = self.expected(c);
            let column = self
                .target
                .mapping()
                .column(c.field())
                .expect("a translated comparison has a column");
            let names: Vec<&str> = std::iter::once(column.name()).chain(column.key()).collect();
            if expected.is_empty() {
                if !matches!(sql, ast::Expr::Value(v) if v.value == Value::Boolean(false)) {
                    self.fail("not FALSE", sql);
                }
                return;
            }
            let (left, leaves) = match sql {
                ast::Expr::BinaryOp { left, op, right } => {
                    let want = match c.op() {
                        _ if expected.len() == 1
                            && c.op().is_ordering()
                            && matches!(c.value(), TypedValue::Enum(_)) =>
                        {
                            BinaryOperator::Eq
                        }
                        CompareOp::Eq => BinaryOperator::Eq,
                        CompareOp::Ne => BinaryOperator::NotEq,
                        CompareOp::Lt => BinaryOperator::Lt,
                        CompareOp::Le => BinaryOperator::LtEq,
                        CompareOp::Gt => BinaryOperator::Gt,
                        CompareOp::Ge => BinaryOperator::GtEq,
                    };
                    if *op != want {
                        self.fail(&format!("not {want}"), sql);
                    }
                    (left.as_ref(), vec![right.as_ref()])
                }
                ast::Expr::In {
                    expr,
                    target: ast::InTarget::List(list),
                    negated: false,
                    ..
                } => (expr.as_ref(), list.iter().collect()),
                other => self.fail("not a comparison", other),
            };
            let left = match left {
                ast::Expr::Collate { expr, collation } => {
                    let name: Vec<String> = collation
                        .0
                        .iter()
                        .map(|p| p.as_ident().expect("a name").value.clone())
                        .collect();
                    assert_eq!(name, ["C"], "`{}`: the collation", self.sql);
                    expr.as_ref()
                }
                other => other,
            };
            match left {
                ast::Expr::Identifier(i)
                    if names.contains(&ident(self.target.dialect(), i).as_str()) => {}
                other => self.fail(&format!("not one of the columns {names:?}"), other),
            }
            if leaves.len() != expected.len() {
                self.fail(&format!("not {} values", expected.len()), sql);
            }
            for (leaf, want) in leaves.into_iter().zip(expected) {
                self.leaf(leaf, want);
            }
        }

        fn leaf(&mut self, leaf: &ast::Expr, want: Param) {
            let dialect = self.target.dialect();
            // A negative number is a minus before a literal.
            let (negative, value) = match leaf {
                ast::Expr::UnaryOp {
                    op: ast::UnaryOperator::Minus,
                    expr,
                } => match expr.as_ref() {
                    ast::Expr::Value(v) => (true, &v.value),
                    other => self.fail("not a literal", other),
                },
                ast::Expr::Value(v) => (false, &v.value),
                other => self.fail("not one literal or placeholder", other),
            };
            match (self.mode, value) {
                (Mode::Params, Value::Placeholder(p)) if !negative => {
                    self.values.push((p.clone(), want));
                }
                (Mode::Inline, literal) => {
                    let got = match (literal, &want) {
                        (Value::SingleQuotedString(s), Param::Text(_)) if !negative => {
                            if dialect == Dialect::Spark {
                                spark_unescape(s)
                            } else {
                                s.clone()
                            }
                        }
                        (Value::EscapedStringLiteral(s), Param::Text(_))
                            if !negative && dialect == Dialect::Postgres =>
                        {
                            s.clone()
                        }
                        (Value::Boolean(b), Param::Bool(_)) if !negative => b.to_string(),
                        (Value::Number(n, _), Param::Int(_) | Param::Double(_)) => {
                            format!("{}{n}", if negative { "-" } else { "" })
                        }
                        _ => self.fail(&format!("not a literal of {want:?}"), leaf),
                    };
                    let matches = match &want {
                        Param::Text(t) => got == *t,
                        Param::Bool(b) => got == b.to_string(),
                        Param::Int(i) => got.parse::<i64>() == Ok(*i),
                        Param::Double(d) => got.parse::<f64>().map(f64::to_bits) == Ok(d.to_bits()),
                    };
                    assert!(
                        matches,
                        "{dialect}: `{}`: the literal {got:?} is not {want:?}",
                        self.sql
                    );
                }
                _ => self.fail(
                    "a placeholder where a literal belongs, or the reverse",
                    leaf,
                ),
            }
        }
    }
}
