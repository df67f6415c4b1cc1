//! Where `check` writes what it found: one or more formats, each to a file or standard output;
//! the summary line; unified diffs of fixes.

use std::io::IsTerminal;
use std::path::PathBuf;

use emfilter::{Checker, Filter, Schema, Severity};
use emfilter_lint::render::Origin;
use emfilter_lint::render::{github, human, json::Report, junit, sarif, Item};
use emfilter_lint::{Context, Kind, Levels, Linter, TypeSource};

use crate::check::{count, Format, Outcome};
use crate::common::ColorChoice;

/// The formats of a run, each with its file (or standard output).
pub struct Plan(Vec<(Format, Option<PathBuf>)>);

impl Plan {
    pub fn has_human(&self) -> bool {
        self.has(Format::Human)
    }

    /// Whether the run writes `format`.
    pub fn has(&self, format: Format) -> bool {
        self.0.iter().any(|(f, _)| *f == format)
    }

    /// The plan without the human format written to standard output (`--statistics` prints its
    /// table there instead).
    pub fn without_human(self) -> Plan {
        Plan(
            self.0
                .into_iter()
                .filter(|(f, p)| !(*f == Format::Human && p.is_none()))
                .collect(),
        )
    }
}

/// Pairs each `--output-file` with the `--format` given before it (with a single format, wherever
/// it stands). At most one format may be left to standard output. No format: human.
pub fn plan(formats: &[(usize, Format)], files: &[(usize, PathBuf)]) -> Result<Plan, String> {
    let mut plan: Vec<(usize, Format, Option<PathBuf>)> =
        formats.iter().map(|&(i, f)| (i, f, None)).collect();
    if plan.is_empty() {
        plan.push((0, Format::Human, None));
    }
    for (at, path) in files {
        let slot = if plan.len() == 1 {
            Some(0)
        } else {
            plan.iter().rposition(|(i, _, _)| i < at)
        };
        let Some(slot) = slot else {
            return Err(format!(
                "--output-file {} comes before any --format: give it after the format it is for",
                path.display()
            ));
        };
        if let Some(other) = &plan[slot].2 {
            return Err(format!(
                "two output files for one --format: {} and {}",
                other.display(),
                path.display()
            ));
        }
        plan[slot].2 = Some(path.clone());
    }
    if plan.iter().filter(|p| p.2.is_none()).count() > 1 {
        return Err(
            "only one --format can write to standard output: give the others an --output-file"
                .to_owned(),
        );
    }
    Ok(Plan(plan.into_iter().map(|(_, f, p)| (f, p)).collect()))
}

/// Renders `outcomes` in each format of `plan` and writes it where it goes. What would go to
/// standard output goes to standard error when `stdout_taken` (by fixed text or a diff).
/// `failures` says what could not be read or written (SARIF reports the run as failed).
pub fn write(
    plan: &Plan,
    outcomes: &[Outcome],
    color: ColorChoice,
    stdout_taken: bool,
    failures: &[String],
) -> Result<(), String> {
    let items: Vec<Item<'_>> = outcomes
        .iter()
        .map(|o| Item {
            origin: &o.origin,
            in_file: o.in_file,
            text: &o.text,
            diagnostics: &o.diagnostics,
            checked_as: o.checked_as.as_ref(),
        })
        .collect();
    for (format, path) in &plan.0 {
        let terminal = match (path, stdout_taken) {
            (Some(_), _) => false,
            (None, false) => std::io::stdout().is_terminal(),
            (None, true) => std::io::stderr().is_terminal(),
        };
        let text = match format {
            Format::Human => {
                let style = human::Style {
                    color: color.enabled(terminal),
                };
                let mut out = String::new();
                for o in outcomes {
                    // Problems first, then what was not checked.
                    let problems = o.diagnostics.iter().filter(|d| !d.is_note());
                    let notes = o.diagnostics.iter().filter(|d| d.is_note());
                    for d in problems.chain(notes) {
                        // Which type a problem of the schema was found against, when the file
                        // does not show it in the URL.
                        let noted = o.checked_as.as_ref().filter(|t| {
                            human::depends_on_type(d.code())
                                && !d.is_note()
                                && t.source != TypeSource::Url
                                && (o.offset.is_some()
                                    || !matches!(
                                        t.source,
                                        TypeSource::Default | TypeSource::CommandLine
                                    ))
                        });
                        let note = noted.map(|t| format!("checked as {t}"));
                        human::write_with(&mut out, d, &o.text, &o.origin, style, note.as_deref());
                        out.push('\n');
                    }
                }
                out
            }
            Format::Json => {
                let reports: Vec<Report<'_>> = outcomes
                    .iter()
                    .map(|o| Report {
                        source: &o.origin.source,
                        line: o.origin.line,
                        column: o.offset.map(|_| o.origin.column),
                        offset: o.offset,
                        filter: &o.text,
                        valid: o.is_valid(),
                        canonical: o.filter.as_ref(),
                        diagnostics: &o.diagnostics,
                        checked_as: o.checked_as.as_ref(),
                    })
                    .collect();
                serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())? + "\n"
            }
            Format::Sarif => {
                let root = std::env::current_dir()
                    .ok()
                    .map(|d| d.to_string_lossy().into_owned());
                let log = sarif::render(&items, root.as_deref(), failures);
                serde_json::to_string_pretty(&log).map_err(|e| e.to_string())? + "\n"
            }
            Format::Github => github::render(&items),
            Format::Junit => junit::render(&items),
        };
        match path {
            Some(p) => std::fs::write(p, text)
                .map_err(|e| format!("cannot write `{}`: {e}", p.display()))?,
            None if stdout_taken => err!("{text}"),
            None => crate::stdio::out_bytes(text.as_bytes())?,
        }
    }
    Ok(())
}

/// How many diagnostics each code gave, most first: `count  code  severity  fixable`, one a
/// line, as `check --statistics` prints it.
pub fn statistics(outcomes: &[Outcome]) -> String {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<emfilter::Code, (usize, Severity, usize)> = BTreeMap::new();
    for d in outcomes.iter().flat_map(|o| &o.diagnostics) {
        let e = counts.entry(d.code()).or_insert((0, d.severity(), 0));
        e.0 += 1;
        e.1 = e.1.max(d.severity());
        if d.fix().is_some_and(|f| f.is_safe()) {
            e.2 += 1;
        }
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let width = rows.first().map_or(1, |r| r.1 .0.to_string().len());
    let mut out = String::new();
    for (code, (n, severity, safe)) in rows {
        let fixable = match safe {
            0 => String::new(),
            s if s == n => "  [*] --fix".to_owned(),
            s => format!("  [*] {s} with --fix"),
        };
        out.push_str(&format!(
            "{n:>width$}  {:<24} {:<7}{fixable}\n",
            code.as_str(),
            severity.as_str()
        ));
    }
    out
}

/// `checked 3 filters: 1 invalid, 2 errors, 0 warnings`; with queries, files scanned and skips
/// when there are any.
pub fn summary(outcomes: &[Outcome], files: usize, scanning: bool) -> String {
    let queries = outcomes
        .iter()
        .filter(|o| o.kind == emfilter_lint::Kind::Query)
        .count();
    let filters = outcomes
        .iter()
        .filter(|o| !o.suppression && matches!(o.kind, Kind::Filter | Kind::EncodedFilter))
        .count();
    let mut parts = Vec::new();
    if filters > 0 || queries == 0 {
        parts.push(format!("{filters} filter{}", plural(filters)));
    }
    if queries > 0 {
        parts.push(format!(
            "{queries} quer{}",
            if queries == 1 { "y" } else { "ies" }
        ));
    }
    let mut what = parts.join(" and ");
    if scanning {
        what.push_str(&format!(" in {files} file{}", plural(files)));
    }
    let invalid = outcomes.iter().filter(|o| !o.is_valid()).count();
    let errors = count(outcomes, Severity::Error);
    let warnings = count(outcomes, Severity::Warning);
    let mut line = format!(
        "checked {what}: {invalid} invalid, {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
    let skipped = outcomes
        .iter()
        .flat_map(|o| &o.diagnostics)
        .filter(|d| d.is_note() && d.code() != emfilter::Code::TooManyDiagnostics)
        .count();
    if skipped > 0 {
        line.push_str(&format!(", {skipped} skipped"));
    }
    line
}

/// Checks `filter`, given on the command line, against `schema` and reports it on standard error
/// exactly as `emfilter check` reports a filter argument (diagnostics, and the summary line when
/// it is invalid): for `eval` and `query`, whose standard output carries records. The typed
/// filter, when it is valid.
pub fn check_argument(
    filter: &str,
    schema: &'static Schema,
    color: ColorChoice,
) -> Result<Option<Filter>, String> {
    let linter = Linter::new(Checker::new(schema), Levels::default());
    let (diagnostics, typed) = linter
        .lint(filter, Kind::Filter, Context::default())
        .into_parts();
    let outcome = Outcome {
        origin: Origin::argument(),
        in_file: false,
        kind: Kind::Filter,
        text: filter.into(),
        diagnostics,
        filter: typed,
        suppression: false,
        offset: None,
        checked_as: None,
    };
    let outcomes = std::slice::from_ref(&outcome);
    if !outcome.diagnostics.is_empty() {
        write(&plan(&[], &[])?, outcomes, color, true, &[])?;
    }
    if outcome.filter.is_none() {
        errln!("{}", summary(outcomes, 0, false));
    }
    Ok(outcome.filter)
}

/// Reports diagnostics found in `filter` after it checked (the SQL translation's refusals) on
/// standard error, as `emfilter check` reports a filter argument, with the summary line.
pub fn report_argument(
    filter: &str,
    diagnostics: Vec<emfilter::Diagnostic>,
    color: ColorChoice,
) -> Result<(), String> {
    let outcome = Outcome {
        origin: Origin::argument(),
        in_file: false,
        kind: Kind::Filter,
        text: filter.into(),
        diagnostics,
        filter: None,
        suppression: false,
        offset: None,
        checked_as: None,
    };
    let outcomes = std::slice::from_ref(&outcome);
    write(&plan(&[], &[])?, outcomes, color, true, &[])?;
    errln!("{}", summary(outcomes, 0, false));
    Ok(())
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A unified diff of `old` and `new`, texts with the same lines in the same places (fixes never
/// add or remove a line), with three lines of context.
pub fn diff(name: &str, old: &str, new: &str) -> String {
    const CONTEXT: usize = 3;
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let changed: Vec<usize> = (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect();
    let mut out = format!("--- {name}\n+++ {name}\n");
    let mut k = 0;
    while k < changed.len() {
        // One hunk: changed lines closer than twice the context go together.
        let first = changed[k];
        let mut last = first;
        while k + 1 < changed.len() && changed[k + 1] <= last + 2 * CONTEXT + 1 {
            k += 1;
            last = changed[k];
        }
        k += 1;
        let from = first.saturating_sub(CONTEXT);
        let to = (last + CONTEXT + 1).min(a.len().max(b.len()));
        let len = |lines: &[&str]| to.min(lines.len()).saturating_sub(from);
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            from + 1,
            len(&a),
            from + 1,
            len(&b)
        ));
        for i in from..to {
            let line = |l: &str| {
                if l.ends_with('\n') {
                    l.to_owned()
                } else {
                    format!("{l}\n\\ No newline at end of file\n")
                }
            };
            match (a.get(i), b.get(i)) {
                (Some(x), Some(y)) if x == y => out.push_str(&format!(" {}", line(x))),
                (x, y) => {
                    if let Some(x) = x {
                        out.push_str(&format!("-{}", line(x)));
                    }
                    if let Some(y) = y {
                        out.push_str(&format!("+{}", line(y)));
                    }
                }
            }
        }
    }
    out
}

/// How text from outside (a server's message, an entity's field, a file name) is shown: the
/// linter's one rule for it.
pub use emfilter_lint::render::printable;

/// A JSON text as it is shown on a terminal: each character that [`printable`] would escape
/// (control characters, DEL and C1 controls such as U+009B, a CSI to some terminals;
/// bidirectional overrides), which JSON allows raw inside strings, written as its `\uXXXX`
/// escape instead. The JSON means the same; only a terminal sees a difference. Unchanged when
/// there is no such character.
pub fn terminal_json(json: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    // Printable ASCII and line breaks need nothing.
    if json
        .iter()
        .all(|&b| (0x20..0x7f).contains(&b) || b == b'\n')
    {
        return json.into();
    }
    let text = String::from_utf8_lossy(json);
    let mut out = String::with_capacity(text.len() + 16);
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let one: &str = c.encode_utf8(&mut buf);
        if matches!(printable(one), std::borrow::Cow::Owned(_)) && c != '\n' {
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    #[test]
    fn terminal_json_escapes_what_a_terminal_would_obey_and_means_the_same() {
        let json = "{\"JobName\":\"a\u{9b}2Jb\u{202e}c\u{7f}\",\"x\":\"é 名\"}";
        let shown = super::terminal_json(json.as_bytes());
        assert_eq!(
            std::str::from_utf8(&shown).unwrap(),
            "{\"JobName\":\"a\\u009b2Jb\\u202ec\\u007f\",\"x\":\"é 名\"}"
        );
        let before: serde_json::Value = serde_json::from_str(json).unwrap();
        let after: serde_json::Value = serde_json::from_slice(&shown).unwrap();
        assert_eq!(before, after);
        assert!(matches!(
            super::terminal_json(b"{\"a\":\"b\"}"),
            Cow::Borrowed(_)
        ));
    }
}
