//! SARIF 2.1.0, the format code-scanning services (GitHub code scanning among them) take.
//!
//! One run of the tool `emfilter`, whose driver has one rule per diagnostic [`Code`] (its
//! description, default level, help and an example); one result per diagnostic, at its lint
//! level, with its help in the message and its fix as a SARIF fix; one tool-execution
//! notification (level `note`) per skipped placeholder. Lines and columns are 1-based, columns in
//! Unicode code points (`columnKind: unicodeCodePoints`). Relative paths are given relative to
//! `%SRCROOT%`; results of filters given as arguments have no location.

use serde_json::{json, Map, Value};

use super::{describe_fix, Item};
use crate::{Code, Diagnostic, Severity, Span};

/// The schema the output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `items`. `root` is the absolute path of the folder that relative paths are
/// relative to (the current directory), which becomes `%SRCROOT%`.
pub fn render(items: &[Item<'_>], root: Option<&str>) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|&c| rule(c)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for item in items {
        for d in item.diagnostics {
            results.push(result(item, d));
        }
        for note in item.notes {
            let mut n = json!({
                "level": "note",
                "message": { "text": note.message },
            });
            if let Some(location) = location(item, note.span) {
                n["locations"] = json!([location]);
            }
            notifications.push(n);
        }
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
            "executionSuccessful": true,
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
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
    }
}

fn rule(code: Code) -> Value {
    let example = code.example();
    let text = format!(
        "{} By default: {}. Example: {example}",
        code.description(),
        code.default_severity()
    );
    let markdown = format!(
        "{}\n\nDefault level: **{}**. Change it with `--allow {code}`, `--warn {code}` or \
         `--deny {code}`, or in `emfilter.toml`.\n\nExample:\n\n```\n{example}\n```",
        code.description(),
        code.default_severity()
    );
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

fn result(item: &Item<'_>, d: &Diagnostic) -> Value {
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
    if let Some(location) = location(item, d.span()) {
        r["locations"] = json!([location]);
    }
    if let (Some(fix), true) = (d.fix(), item.in_file) {
        r["fixes"] = json!([{
            "description": { "text": describe_fix(fix, item.text) },
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

fn location(item: &Item<'_>, span: Span) -> Option<Value> {
    item.in_file.then(|| {
        json!({
            "physicalLocation": {
                "artifactLocation": artifact(&item.origin.source),
                "region": region(item, span, true),
            }
        })
    })
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
