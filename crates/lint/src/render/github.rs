//! GitHub Actions workflow commands: one annotation per problem, shown on the run and on the
//! pull request's diff.
//!
//! ```text
//! ::error file=scripts/report.ps1,line=12,col=61,endColumn=68,title=emfilter (unknown-field)::`JobNmae` is not a field of ReplicaJobSession%0Ahelp: did you mean `JobName`?
//! ```
//!
//! Columns are 1-based characters and `endColumn` is the column just after the span, as in
//! SARIF. GitHub shows only the first [`LIMIT`] annotations of each level (error, warning,
//! notice) of a step; past that this prints one summary line that says how many more there are,
//! then lists them in the log as plain `path:line:col: error[code]: message` lines, control
//! characters escaped, so that no file name or filter can start a workflow command of its own.
//! Notes (skipped placeholders) are notices.

use std::fmt::Write;

use super::{printable, Item, Position};
use emfilter::{Severity, Span};

/// How many annotations of one level GitHub shows for a step.
pub const LIMIT: usize = 10;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    fn command(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

struct Annotation<'a> {
    level: Level,
    item: &'a Item<'a>,
    span: Span,
    title: String,
    label: String,
    message: String,
}

/// The workflow commands for `items`.
pub fn render(items: &[Item<'_>]) -> String {
    let mut all = Vec::new();
    for item in items {
        for d in item.diagnostics {
            let mut message = d.message().to_owned();
            if let Some(help) = d.help() {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let level = match d.severity() {
                Severity::Error => Level::Error,
                Severity::Warning => Level::Warning,
                Severity::Note => Level::Notice,
            };
            all.push(Annotation {
                level,
                item,
                span: d.span(),
                title: format!("emfilter ({})", d.code()),
                label: format!("{}[{}]", d.severity(), d.code()),
                message,
            });
        }
    }
    let mut out = String::new();
    let mut shown = [0usize; 3];
    let mut rest = Vec::new();
    for a in &all {
        let n = &mut shown[a.level as usize];
        if *n < LIMIT {
            *n += 1;
            command(&mut out, a);
        } else {
            rest.push(a);
        }
    }
    if !rest.is_empty() {
        let count = |l: Level| rest.iter().filter(|a| a.level == l).count();
        let parts: Vec<String> = [
            (Level::Error, "error"),
            (Level::Warning, "warning"),
            (Level::Notice, "notice"),
        ]
        .into_iter()
        .map(|(l, name)| (count(l), name))
        .filter(|&(n, _)| n > 0)
        .map(|(n, name)| format!("{n} more {name}{}", if n == 1 { "" } else { "s" }))
        .collect();
        let _ = writeln!(
            out,
            "emfilter: {} not shown as annotations (GitHub shows {LIMIT} per level and step); \
             all are listed below, and every one is in the SARIF report (--format sarif)",
            parts.join(", ")
        );
        for a in rest {
            let (start, _) = a.item.region(a.span);
            let _ = writeln!(
                out,
                "{}:{}:{}: {}: {}",
                printable(&a.item.origin.source),
                start.line,
                start.column,
                a.label,
                printable(&a.message.replace('\n', " — "))
            );
        }
    }
    out
}

fn command(out: &mut String, a: &Annotation<'_>) {
    let (start, end): (Position, Position) = a.item.region(a.span);
    let mut props = Vec::new();
    if a.item.in_file {
        props.push(format!("file={}", property(&a.item.origin.source)));
    }
    props.push(format!("line={}", start.line));
    if end.line != start.line {
        props.push(format!("endLine={}", end.line));
    }
    props.push(format!("col={}", start.column));
    props.push(format!("endColumn={}", end.column));
    props.push(format!("title={}", property(&a.title)));
    let _ = writeln!(
        out,
        "::{} {}::{}",
        a.level.command(),
        props.join(","),
        data(&a.message)
    );
}

/// Escapes the message of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
