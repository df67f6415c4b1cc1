//! SARIF 2.1.0, the format code-scanning services (GitHub code scanning among them) take.
//!
//! One run of the tool `emfilter`, whose driver has one rule per diagnostic [`Code`] (its
//! description, default level, help and an example); one result per diagnostic, at its lint
//! level, with its help in the message and its fix as a SARIF fix; one tool-execution
//! notification (level `note`, its code as `descriptor`) per note; a file that could not be read
//! is a notification of level `error` and makes `executionSuccessful` false. Lines and columns are 1-based, columns in
//! Unicode code points (`columnKind: unicodeCodePoints`). Relative paths are given relative to
//! `%SRCROOT%`. A filter given as an argument or read from standard input is no file: it becomes
//! an artifact of the run that holds its text (`contents`, with a description of where it came
//! from), and its results are located in that text (lines and columns counted in it, plus
//! `charOffset`/`charLength`); SARIF has no fix for such an artifact, so these carry none.

use serde_json::{json, Map, Value};

use super::{describe_fix, Item};
use emfilter::{Code, Diagnostic, Severity, Span};

/// The schema the output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `items`. `root` is the absolute path of the folder that relative paths are
/// relative to (the current directory), which becomes `%SRCROOT%`. `failures` says what could not
/// be read (one message each): the run then did not succeed.
pub fn render(items: &[Item<'_>], root: Option<&str>, failures: &[String]) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|&c| rule(c)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut artifacts = Vec::new();
    for item in items {
        // The index of the artifact holding a text that is no file.
        let held = (!item.in_file && !item.diagnostics.is_empty()).then(|| {
            artifacts.push(json!({
                "contents": { "text": item.text },
                "description": { "text": described(item) },
                "roles": ["analysisTarget"],
            }));
            artifacts.len() - 1
        });
        for d in item.problems() {
            results.push(result(item, d, held));
        }
        for note in item.notes() {
            let mut n = json!({
                "level": "note",
                "message": { "text": note.message() },
                "descriptor": { "id": note.code().as_str() },
            });
            if let Some(location) = location(item, note.span(), held) {
                n["locations"] = json!([location]);
            }
            notifications.push(n);
        }
    }
    for failure in failures {
        notifications.push(json!({
            "level": "error",
            "message": { "text": failure },
        }));
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "emfilter",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "invocations": [{
            "executionSuccessful": failures.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if !artifacts.is_empty() {
        run["artifacts"] = Value::Array(artifacts);
    }
    if let Some(root) = root {
        let mut uri = file_uri(root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        run["originalUriBaseIds"] = json!({ "%SRCROOT%": { "uri": uri } });
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A rule of the driver: its help is the text `emfilter explain CODE` prints.
fn rule(code: Code) -> Value {
    let text = crate::rules::explain(code);
    let markdown = text.clone();
    json!({
        "id": code.as_str(),
        "name": code.as_str(),
        "shortDescription": { "text": code.description() },
        "fullDescription": { "text": code.description() },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(code.default_severity()) },
        "properties": { "tags": [if code.is_query_level() { "query" } else { "filter" }] },
    })
}

/// Where a text that is no file came from, in words.
fn described(item: &Item<'_>) -> String {
    match (&*item.origin.source, item.origin.line) {
        ("argument", _) => "given as a command-line argument".to_owned(),
        ("stdin", Some(line)) => format!("read from standard input, line {line}"),
        ("stdin", None) => "read from standard input".to_owned(),
        (other, Some(line)) => format!("{other}, line {line}"),
        (other, None) => other.to_owned(),
    }
}

fn result(item: &Item<'_>, d: &Diagnostic, held: Option<usize>) -> Value {
    let index = Code::ALL
        .iter()
        .position(|&c| c == d.code())
        .expect("every code is in Code::ALL");
    let mut text = d.message().to_owned();
    if let Some(help) = d.help() {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut r = json!({
        "ruleId": d.code().as_str(),
        "ruleIndex": index,
        "level": level(d.severity()),
        "message": { "text": text },
    });
    if let Some(location) = location(item, d.span(), held) {
        r["locations"] = json!([location]);
    }
    let mut properties = Map::new();
    if let Some(fix) = d.fix() {
        properties.insert("applicability".into(), json!(fix.applicability));
    }
    if let Some(t) = item.checked_as {
        properties.insert("type".into(), json!(t.name));
        properties.insert("typeSource".into(), json!(t.source));
    }
    if !properties.is_empty() {
        r["properties"] = Value::Object(properties);
    }
    if let (Some(fix), true) = (d.fix(), item.in_file) {
        r["fixes"] = json!([{
            "description": { "text": describe_fix(fix, item.text) },
            "properties": { "applicability": fix.applicability },
            "artifactChanges": [{
                "artifactLocation": artifact(&item.origin.source),
                "replacements": [{
                    "deletedRegion": region(item, fix.span, false),
                    "insertedContent": { "text": fix.replacement },
                }],
            }],
        }]);
    }
    r
}

/// Where `span` of `item` is: in its file, or in the run's artifact `held` that holds its text.
fn location(item: &Item<'_>, span: Span, held: Option<usize>) -> Option<Value> {
    if item.in_file {
        return Some(json!({
            "physicalLocation": {
                "artifactLocation": artifact(&item.origin.source),
                "region": region(item, span, true),
            }
        }));
    }
    let index = held?;
    let text = item.text;
    let at = |offset: usize| {
        let offset = offset.min(text.len());
        let (line, column) = Span::empty(offset).line_col(text);
        (
            line,
            column,
            text.get(..offset).map_or(0, |t| t.chars().count()),
        )
    };
    let (start_line, start_column, start) = at(span.start as usize);
    let (end_line, end_column, end) = at(span.end as usize);
    let mut r = json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": start,
        "charLength": end - start,
    });
    if let Some(snippet) = text.get(span.range()).filter(|t| !t.is_empty()) {
        r["snippet"] = json!({ "text": snippet });
    }
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "index": index },
            "region": r,
        }
    }))
}

fn region(item: &Item<'_>, span: Span, snippet: bool) -> Value {
    let (start, end) = item.region(span);
    let mut r = Map::new();
    r.insert("startLine".into(), start.line.into());
    r.insert("startColumn".into(), start.column.into());
    r.insert("endLine".into(), end.line.into());
    r.insert("endColumn".into(), end.column.into());
    if snippet {
        if let Some(text) = item.text.get(span.range()).filter(|t| !t.is_empty()) {
            r.insert("snippet".into(), json!({ "text": text }));
        }
    }
    Value::Object(r)
}

fn artifact(path: &str) -> Value {
    if is_absolute(path) {
        json!({ "uri": file_uri(path) })
    } else {
        let relative = path.strip_prefix("./").unwrap_or(path);
        json!({ "uri": encode_path(relative), "uriBaseId": "%SRCROOT%" })
    }
}

fn is_absolute(path: &str) -> bool {
    path.starts_with('/') || path.as_bytes().get(1) == Some(&b':')
}

fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        format!("file://{}", encode_path(&path))
    } else {
        format!("file:///{}", encode_path(&path))
    }
}

/// A path as a URI path: each segment percent-encoded, `/` kept.
fn encode_path(path: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b':')
        .remove(b'@')
        .remove(b'+')
        .remove(b'=');
    path.replace('\\', "/")
        .split('/')
        .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}
