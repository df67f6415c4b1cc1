//! The rules' documentation: for each diagnostic [`Code`], what it catches, why it matters, what
//! its fix does and whether `--fix` applies it, and a live example (linted when it is shown, so
//! the documentation never drifts from what the linter says). `emfilter explain CODE` prints
//! [`explain`]; SARIF rules carry the same text; the catalogue of every rule is a snapshot test.

use emfilter::{schema, Applicability, Checker, Code, Diagnostic, Severity};

use crate::{Context, Kind, Linter};

/// Why a rule matters, in a sentence or two, and what its fix does.
pub struct Rule {
    /// The code.
    pub code: Code,
    /// Why it matters: what the server does with such text.
    pub why: &'static str,
    /// What the fix does, when the rule has one.
    pub fix: Option<&'static str>,
}

/// The documentation of `code`.
pub fn rule(code: Code) -> Rule {
    use Code::*;
    let (why, fix): (&str, Option<&str>) = match code {
        Syntax => (
            "EM rejects a filter it cannot parse with an error that does not say where; emfilter \
             says where, and names the operator of another language (`=`, `<>`, `=gt=`, `eq`) when \
             that is what it found.",
            Some("`=` → `==` and other operators of other languages (safe); closing parentheses \
                  added at the end, or a stray separator removed (unsafe: a guess where the group ends)"),
        ),
        UnknownField => (
            "The server answers an unknown field with an error, or, on some versions, ignores the \
             comparison and returns more than was asked.",
            Some("the closest field name: safe when only the case differs, unsafe otherwise"),
        ),
        UndocumentedField => (
            "EM's documentation omits the field, but Veeam's own samples filter on it: it works on \
             the servers they were written for, and may not on others.",
            None,
        ),
        InvalidUid => (
            "A UID that is not `urn:veeam:<Type>:<guid>` never matches anything.",
            Some("a GUID in braces becomes the field's UID (unsafe: it assumes the field's type)"),
        ),
        UidTypeMismatch => (
            "A well-formed UID of another resource type never matches: the field holds UIDs of one type.",
            None,
        ),
        BareGuid => (
            "EM documents UID fields as taking full UIDs; whether a server matches a bare GUID is \
             not documented.",
            Some("the `urn:veeam:<Type>:` prefix of the field (unsafe: it assumes the type)"),
        ),
        InvalidDatetime => (
            "A value that is not a date-time makes the server reject the query.",
            Some(
                "for a zone whose `+` a URL read as a space (`…T12:31:30 02:00`), the same \
                 instant in UTC (unsafe: it assumes the space was the `+`)",
            ),
        ),
        DatetimeNotUtc => (
            "EM compares date-times in UTC and documents no other offset: a time with another \
             offset is not what the server compares.",
            Some("the same instant in UTC (safe)"),
        ),
        DatetimeWithoutZone => (
            "Veeam's own documentation writes dates without a zone and live servers answer them, \
             but in a zone of the server's own: the same filter can select other sessions on \
             another server.",
            Some("`Z` appended, or a date written as midnight UTC (unsafe: it assumes the time \
                  was meant as UTC)"),
        ),
        UnknownEnumValue => (
            "A value outside the field's list never matches, so the query returns nothing.",
            Some("the closest value: safe when only the case differs, unsafe otherwise"),
        ),
        UndocumentedEnumValue => (
            "The value is seen on real servers but not documented: it may not mean what it seems, \
             and its place in the order is unknown.",
            None,
        ),
        InvalidBoolean => ("A Boolean field takes `True` or `False`.", None),
        InvalidNumber => ("The field takes a number of its type; anything else is rejected.", None),
        UnsupportedOperator => (
            "A field without an order (a Boolean, a UID) cannot be compared with `<` or `>`.",
            None,
        ),
        UnquotedWhitespace => (
            "The server drops the spaces of an unquoted value and searches for the rest run together.",
            Some("quotes around the value (unsafe: the spaces may separate words that were meant \
                  as something else, such as `AND`)"),
        ),
        MixedAndOr => (
            "EM does not document whether `;` (and) or `,` (or) binds tighter.",
            Some("the parentheses the parse implies (unsafe: a guess at what was meant)"),
        ),
        AmpersandInFilter => (
            "In a URL, `&` ends the filter parameter: the server never sees what follows and \
             returns more than was asked.",
            Some("`&` → `;` when a comparison follows (unsafe: it adds a comparison the server never saw)"),
        ),
        NestingTooDeep => (
            "Deeper nesting than the limit is refused before checking, so that no input can exhaust \
             the stack.",
            None,
        ),
        FilterTooLong => (
            "A filter longer than the limit is refused before checking, so that no input can exhaust \
             time or memory.",
            None,
        ),
        KeywordInValue => (
            "EM has no `AND`/`OR` keywords: they become part of an unquoted value, which then \
             never matches.",
            Some("`;` for AND, `,` for OR (safe: the meaning a person reads)"),
        ),
        WildcardInValue => (
            "EM has no wildcards: `*` is matched literally.",
            None,
        ),
        SingleQuotedValue => (
            "EM quotes values with `\"` only: `'x'` is read with its quotes as part of the value \
             (and its spaces dropped), so the comparison never matches what was meant.",
            Some("double quotes (safe: the server then reads the value a person reads; `''` \
                  inside becomes `'`, a `\"` is doubled)"),
        ),
        UnknownQueryType => (
            "The server rejects a query type it does not know; emfilter cannot check its filter.",
            Some("the closest type: safe when only the case differs, unsafe otherwise"),
        ),
        InvalidQueryParameter => (
            "A bad `format`, `pageSize` or `page`, a sort on a field that does not sort, a missing \
             `type` or a parameter given twice makes the server reject the query or pick one at random.",
            Some("the closest format or sort field (safe when only the case differs)"),
        ),
        UnknownQueryParameter => (
            "The server ignores a parameter it does not take: a misspelt `filter` returns everything.",
            Some("the closest parameter name: safe when only the case differs, unsafe otherwise"),
        ),
        StrayFilterClause => (
            "`&` ended the filter: the comparison after it is a parameter of its own, which the \
             server ignores, so the query returns more than was asked.",
            Some("that `&` → `;` (unsafe: it adds a comparison the server never saw)"),
        ),
        RepeatedParameter => (
            "The same parameter given twice with the same value (EM's own WanAccelerator example \
             repeats a sort) does no harm on the servers seen, but which one counts is not \
             documented.",
            Some("the repetition removed (safe: both say the same)"),
        ),
        EscapedAmpersand => (
            "`&amp;` is how HTML and XML write `&`; sent as it is, the server reads a parameter \
             named `amp;filter` and ignores it, returning more than was asked.",
            Some("`&amp;` → `&` (safe: what a person reads)"),
        ),
        ParameterNameInFilter => (
            "A filter pasted from a URL keeps its parameter's name; the server reads `filter=` as \
             part of the filter and rejects it.",
            Some("the name removed (safe)"),
        ),
        SkippedPlaceholder => (
            "What a placeholder stands for is filled in when the script runs: emfilter checks \
             everything around it, but not it.",
            None,
        ),
        UncheckedType => (
            "Without a schema for the query's type, the filter's fields cannot be checked.",
            None,
        ),
        UnusedSuppression => (
            "A suppression left behind after its problem was fixed would silence the next, real \
             problem on its line without anyone noticing.",
            Some("none: remove the comment, or name the codes it should silence"),
        ),
        SqlUnmappedField => (
            "`emfilter sql` writes a condition on the table's columns: a field the mapping has no \
             column for cannot be compared, and dropping its comparison would select other rows.",
            Some("none: map the field to a column, or leave the comparison out of the filter"),
        ),
        SqlUnrepresentableValue => (
            "A value the SQL dialect cannot hold (a NUL byte in PostgreSQL text) or cannot write as \
             a literal would be changed on its way to the database, and so select other rows.",
            Some("none: use parameters, or another dialect"),
        ),
        SettingsSyntax => (
            "A settings file that is not TOML cannot be read, and checking with settings other \
             than the repository's would report what it meant to silence, or miss what it meant \
             to fail on: the run stops (exit 2).",
            None,
        ),
        UnknownSetting => (
            "A misspelt setting or code (`bare_guid`, `per_file_ignores`) would otherwise be \
             ignored, and the repository's intent with it: the run stops (exit 2).",
            Some("the closest setting or code (unsafe: a guess at what was meant); edit the file"),
        ),
        InvalidSetting => (
            "A setting whose value cannot be taken (a level that is none, a query type emfilter \
             does not know, a glob that does not parse) would otherwise be dropped: the run stops \
             (exit 2).",
            Some("the closest level or query type, or brackets around a single glob or code \
                  (unsafe where it guesses); edit the file"),
        ),
        TooManyDiagnostics => (
            "Past 100 diagnostics, one filter's report would drown the others: the rest are counted.",
            None,
        ),
        _ => ("", None),
    };
    Rule { code, why, fix }
}

/// What `code`'s example is: its text, what kind of text, how it stands and the type it is
/// checked against. The examples of the limits are built here, not written out.
pub fn example(code: Code) -> (String, Kind, Context, &'static emfilter::Schema) {
    let replica = schema::builtin("ReplicaJobSession").expect("a built-in type");
    let scripted = Context {
        placeholders: true,
        ..Context::default()
    };
    match code {
        Code::FilterTooLong => (
            format!("JobName==\"{}\"", "x".repeat(65_536)),
            Kind::Filter,
            Context::default(),
            replica,
        ),
        Code::NestingTooDeep => (
            format!("{}Result==Failed{}", "(".repeat(65), ")".repeat(65)),
            Kind::Filter,
            Context::default(),
            replica,
        ),
        Code::TooManyDiagnostics => (
            format!("JobName==x{}", " AND a=1".repeat(101)),
            Kind::Filter,
            Context::default(),
            replica,
        ),
        Code::UndocumentedField => (
            code.example().to_owned(),
            Kind::Filter,
            Context::default(),
            schema::builtin("VmRestorePoint").expect("a built-in type"),
        ),
        Code::InvalidNumber | Code::SqlUnmappedField => (
            code.example().to_owned(),
            Kind::Filter,
            Context::default(),
            schema::builtin("BackupTaskSession").expect("a built-in type"),
        ),
        c if c.is_query_level() || c.default_severity() == Severity::Note => {
            (c.example().to_owned(), Kind::Query, scripted, replica)
        }
        c => (
            c.example().to_owned(),
            Kind::Filter,
            Context::default(),
            replica,
        ),
    }
}

/// The diagnostics of `code`'s example, linted with the default levels (a suppression comment
/// that silences nothing, for `unused-suppression`).
pub fn example_diagnostics(code: Code) -> Vec<Diagnostic> {
    let (text, kind, context, schema) = example(code);
    if code.is_sql() {
        return sql_refusals(code, &text, schema);
    }
    if code.is_settings() {
        return crate::settings::Settings::parse(&text)
            .err()
            .unwrap_or_default();
    }
    if code == Code::UnusedSuppression {
        return crate::suppress::find(&text)
            .iter()
            .map(crate::suppress::unused)
            .collect();
    }
    Linter::new(Checker::new(schema), Default::default())
        .lint(&text, kind, context)
        .diagnostics()
        .to_vec()
}

/// What the SQL translation refuses in `code`'s example `text`: SQLite for an unmapped field,
/// PostgreSQL (which cannot hold a NUL in text) for a value.
fn sql_refusals(code: Code, text: &str, schema: &emfilter::Schema) -> Vec<Diagnostic> {
    use emfilter::sql::{Dialect, Mapping, Mode};
    let dialect = match code {
        Code::SqlUnmappedField => Dialect::Sqlite,
        _ => Dialect::Postgres,
    };
    let checked = emfilter::check(text, schema);
    let (Some(filter), Some(ast)) = (checked.filter(), checked.ast()) else {
        return checked.diagnostics().to_vec();
    };
    let Ok(target) = emfilter::sql::Target::new(dialect, Mapping::new(schema)) else {
        return Vec::new();
    };
    match target.translate(filter, Mode::Params) {
        Ok(_) => Vec::new(),
        Err(refused) => refused.0.iter().map(|r| r.to_diagnostic(ast)).collect(),
    }
}

/// The documentation of `code` as text: what it catches, why, its fix and whether `--fix`
/// applies it, its example with what emfilter says about it, and how to change its level.
///
/// ```
/// let text = emfilter_lint::rules::explain(emfilter::Code::UnknownField);
/// assert!(text.starts_with("unknown-field (error)"));
/// assert!(text.contains("did you mean `JobName`?"));
/// ```
pub fn explain(code: Code) -> String {
    let rule = rule(code);
    let (text, kind, _, schema) = example(code);
    let mut out = format!("{code} ({})\n\n", code.default_severity());
    out.push_str(&format!("What it catches: {}\n", code.description()));
    out.push_str(&format!("Why it matters: {}\n", rule.why));
    match rule.fix {
        Some(fix) => out.push_str(&format!("Fix: {fix}.\n")),
        None => out.push_str("Fix: none; the message and help say what to write.\n"),
    }
    // Text from the example is escaped as human output escapes it (a NUL, an escape sequence).
    let p = crate::render::printable;
    let shown = p(&emfilter::excerpt(&text)).into_owned();
    let what = match kind {
        _ if code == Code::UnusedSuppression => "the comment",
        _ if code.is_settings() => "the settings file",
        _ if code.is_sql() => "`emfilter sql` of the filter",
        Kind::Query => "the query string",
        _ => "the filter",
    };
    let against = if code.is_settings() {
        String::new()
    } else {
        format!(" ({})", schema.name())
    };
    out.push_str(&format!("\nExample: {what} `{shown}`{against} gives\n"));
    for d in example_diagnostics(code)
        .iter()
        .filter(|d| d.code() == code)
        .take(1)
    {
        out.push_str(&format!(
            "  {}[{}]: {}\n",
            d.severity(),
            d.code(),
            p(d.message())
        ));
        if let Some(help) = d.help() {
            out.push_str(&format!("  help: {}\n", p(help)));
        }
        if let Some(fix) = d.fix() {
            let applies = match fix.applicability {
                _ if code.is_settings() => "an edit of the settings file, which is never rewritten",
                Applicability::Safe => "safe: --fix applies it",
                Applicability::Unsafe => "unsafe: only --fix --unsafe-fixes applies it",
            };
            out.push_str(&format!(
                "  fix ({applies}): {}\n",
                p(&crate::render::describe_fix(fix, &text))
            ));
        }
    }
    if code.is_settings() {
        out.push_str(&format!(
            "\nLevel: always an error: `{code}` stops the run (exit 2) until the settings file is \
             mended.\n"
        ));
        return out;
    }
    out.push_str(&format!(
        "\nLevel: {} by default; change it with `--allow {code}`, `--warn {code}` or `--deny \
         {code}`, in `emfilter.toml` (`[lints]`), or on one line with a comment \
         `emfilter: ignore[{code}]`.\n",
        code.default_severity()
    ));
    out
}
