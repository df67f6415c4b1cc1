//! Where `check` writes what it found: one or more formats, each to a file or standard output;
//! the summary line; unified diffs of fixes.

use std::io::IsTerminal;
use std::path::PathBuf;

use emfilter::{Checker, Filter, Schema, Severity};
use emfilter_lint::render::Origin;
use emfilter_lint::render::{github, human, json::Report, junit, sarif, Item};
use emfilter_lint::{Context, Kind, Levels, Linter, TypeSource};

use crate::check::{Format, Outcome};
use crate::common::ColorChoice;
use crate::stdio::Buffered;

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

/// The report of a run, written as the outcomes come: the formats that can be written one
/// outcome at a time to standard output (human and JSON) are, through one buffer, when nothing
/// else is to go there first (`stream`); the others are rendered at the end from the outcomes
/// kept. An outcome is kept when it has a diagnostic, or when a format rendered at the end lists
/// every filter (JSON, SARIF, JUnit): a clean run of many filters holds none of them.
pub struct Reporter<'a> {
    plan: Plan,
    /// The format written while checking, when there is one.
    streamed: Option<Format>,
    /// Whether every outcome is kept, not only those with a diagnostic.
    keep_all: bool,
    /// Whether the outcomes kept keep their typed filters.
    keep_filters: bool,
    kept: Vec<Outcome<'a>>,
    tally: Tally,
    out: Buffered,
    /// The JSON format, when it is streamed.
    json: JsonArray,
    color: ColorChoice,
    /// The style of the human format written while checking.
    style: human::Style,
}

/// What a run found, once every outcome has passed: the counts, and the outcomes kept (every one
/// with a diagnostic among them).
pub struct Finished<'a> {
    pub tally: Tally,
    pub kept: Vec<Outcome<'a>>,
}

impl<'a> Reporter<'a> {
    /// A report in the formats of `plan`; `stream` when standard output is the report's alone
    /// (no fixed text or diff goes there before it).
    pub fn new(plan: Plan, color: ColorChoice, stream: bool) -> Reporter<'a> {
        let streamed = plan
            .0
            .iter()
            .find(|(f, p)| p.is_none() && matches!(f, Format::Human | Format::Json))
            .map(|(f, _)| *f)
            .filter(|_| stream);
        let keep_filters = plan
            .0
            .iter()
            .any(|(f, p)| *f == Format::Json && !(p.is_none() && streamed == Some(Format::Json)));
        let keep_all = keep_filters || plan.has(Format::Sarif) || plan.has(Format::Junit);
        Reporter {
            plan,
            streamed,
            keep_all,
            keep_filters,
            kept: Vec::new(),
            tally: Tally::default(),
            out: Buffered::default(),
            json: JsonArray::default(),
            color,
            style: human::Style {
                color: streamed.is_some() && color.enabled(std::io::stdout().is_terminal()),
            },
        }
    }

    /// Whether the report has the human format (the summary line goes with it).
    pub fn has_human(&self) -> bool {
        self.plan.has_human()
    }

    /// Counts `outcome`, writes it in the streamed format, and keeps it when it is needed later.
    pub fn push(&mut self, mut outcome: Outcome<'a>) -> Result<(), String> {
        self.tally.add(&outcome);
        match self.streamed {
            Some(Format::Human) if !outcome.diagnostics.is_empty() => {
                write_human(self.out.buf(), &outcome, self.style);
                self.out.written()?;
            }
            Some(Format::Json) => {
                self.json.push(self.out.buf(), &outcome)?;
                self.out.written()?;
            }
            _ => {}
        }
        // The typed filter is kept only for a JSON report still to be rendered (it prints the
        // canonical form).
        if !self.keep_filters {
            outcome.filter = None;
        }
        if self.keep_all || !outcome.diagnostics.is_empty() {
            self.kept.push(outcome);
        }
        Ok(())
    }

    /// Ends the streamed format, then renders each other format from the outcomes kept and
    /// writes it where it goes. What would go to standard output goes to standard error when
    /// `stdout_taken` (by fixed text or a diff). `failures` says what could not be read or
    /// written (SARIF reports the run as failed).
    pub fn finish(
        mut self,
        stdout_taken: bool,
        failures: &[String],
    ) -> Result<Finished<'a>, String> {
        if self.streamed == Some(Format::Json) {
            self.json.end(self.out.buf());
        }
        self.out.flush()?;
        let outcomes = &self.kept;
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
        for (format, path) in &self.plan.0 {
            if path.is_none() && self.streamed == Some(*format) {
                continue;
            }
            let terminal = match (path, stdout_taken) {
                (Some(_), _) => false,
                (None, false) => std::io::stdout().is_terminal(),
                (None, true) => std::io::stderr().is_terminal(),
            };
            let text = match format {
                Format::Human => {
                    let style = human::Style {
                        color: self.color.enabled(terminal),
                    };
                    let mut out = String::new();
                    for o in outcomes {
                        write_human(&mut out, o, style);
                    }
                    out
                }
                Format::Json => {
                    let mut out = String::new();
                    let mut json = JsonArray::default();
                    for o in outcomes {
                        json.push(&mut out, o)?;
                    }
                    json.end(&mut out);
                    out
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
        Ok(Finished {
            tally: self.tally,
            kept: self.kept,
        })
    }
}

/// Writes the human report of `o`: its problems first, then what was not checked.
fn write_human(out: &mut String, o: &Outcome, style: human::Style) {
    let problems = o.diagnostics.iter().filter(|d| !d.is_note());
    let notes = o.diagnostics.iter().filter(|d| d.is_note());
    for d in problems.chain(notes) {
        // Which type a problem of the schema was found against, when the file does not show it
        // in the URL.
        let noted = o.checked_as.as_ref().filter(|t| {
            human::depends_on_type(d.code())
                && !d.is_note()
                && t.source != TypeSource::Url
                && (o.offset.is_some()
                    || !matches!(t.source, TypeSource::Default | TypeSource::CommandLine))
        });
        let note = noted.map(|t| format!("checked as {t}"));
        human::write_with(out, d, &o.text, &o.origin, style, note.as_deref());
        out.push('\n');
    }
}

/// The JSON report: one array, an object per outcome, written an element at a time exactly as
/// `serde_json::to_string_pretty` writes the whole array.
#[derive(Default)]
struct JsonArray {
    count: usize,
}

impl JsonArray {
    /// Appends the report of `o` to `out`.
    fn push(&mut self, out: &mut String, o: &Outcome) -> Result<(), String> {
        let report = Report {
            source: &o.origin.source,
            line: o.origin.line,
            column: o.offset.map(|_| o.origin.column),
            offset: o.offset,
            filter: &o.text,
            valid: o.is_valid(),
            canonical: o.filter.as_ref(),
            diagnostics: &o.diagnostics,
            checked_as: o.checked_as.as_ref(),
        };
        out.push_str(if self.count == 0 { "[\n  " } else { ",\n  " });
        self.count += 1;
        report.write_pretty(out, 1).map_err(|e| e.to_string())
    }

    /// Ends the array, and the line.
    fn end(&mut self, out: &mut String) {
        out.push_str(if self.count == 0 { "[]\n" } else { "\n]\n" });
    }
}

/// How many filters and queries a run checked, and what it found in them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub filters: usize,
    pub queries: usize,
    /// Filters and queries with an error.
    pub invalid: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Notes of what was not checked (a placeholder, a type that has no schema).
    pub skipped: usize,
}

impl Tally {
    /// Counts `o`.
    pub fn add(&mut self, o: &Outcome) {
        match o.kind {
            Kind::Query => self.queries += 1,
            Kind::Filter | Kind::EncodedFilter if !o.suppression => self.filters += 1,
            _ => {}
        }
        if !o.is_valid() {
            self.invalid += 1;
        }
        for d in &o.diagnostics {
            match d.severity() {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Note if d.code() != emfilter::Code::TooManyDiagnostics => {
                    self.skipped += 1
                }
                Severity::Note => {}
            }
        }
    }

    /// The tally of `outcomes`.
    pub fn of(outcomes: &[Outcome]) -> Tally {
        let mut tally = Tally::default();
        for o in outcomes {
            tally.add(o);
        }
        tally
    }
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
pub fn summary(tally: &Tally, files: usize, scanning: bool) -> String {
    let Tally {
        filters,
        queries,
        invalid,
        errors,
        warnings,
        skipped,
    } = *tally;
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
    let mut line = format!(
        "checked {what}: {invalid} invalid, {errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    );
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
    let valid = outcome.filter.is_some();
    report_on_stderr(&outcome, color, !valid);
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
    report_on_stderr(&outcome, color, true);
    Ok(())
}

/// Writes the diagnostics of `outcome` to standard error in the human format, then the summary
/// line `with_summary`.
fn report_on_stderr(outcome: &Outcome, color: ColorChoice, with_summary: bool) {
    let style = human::Style {
        color: color.enabled(std::io::stderr().is_terminal()),
    };
    let mut text = String::new();
    write_human(&mut text, outcome, style);
    err!("{text}");
    if with_summary {
        errln!(
            "{}",
            summary(&Tally::of(std::slice::from_ref(outcome)), 0, false)
        );
    }
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
