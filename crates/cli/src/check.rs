//! `emfilter check`: report every problem of each filter, query URL and scanned file; apply the
//! fixes with `--fix`, or show them with `--diff`.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{ArgMatches, Args, ValueEnum};
use emfilter::{Applicability, Diagnostic, Filter};
use emfilter_lint::render::{human, printable, Origin};
use emfilter_lint::settings::{self, Settings};
use emfilter_lint::{suppress, Kind, Level, Linter, QueryType, TypeSource};

use crate::common::{self, Common, FAILED, OK, USAGE};
use crate::output;
use crate::read::{self, LongLine};
use crate::sources::{self, Layout, Source, Unit};

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// Check a query URL or query string (`https://em:9398/api/query?type=…&filter=…`, or
    /// `type=…&filter=…`): every parameter, the filter through the full checker. Repeatable.
    #[arg(long = "url", value_name = "URL")]
    urls: Vec<String>,
    /// Read query URLs from a file, one per line (blank lines and lines starting with `#` are
    /// skipped); `-` is standard input. Repeatable.
    #[arg(long = "urls", value_name = "PATH")]
    url_files: Vec<String>,
    /// Scan files and folders (respecting .gitignore) for EM query URLs (`/api/query?…`) and
    /// `filter=` strings in any text file, and check each one.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    scan: Vec<String>,
    /// Output format. Repeatable: each format writes to the --output-file given after it, one of
    /// them may write to standard output.
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Vec<Format>,
    /// Write the output of the --format given before it to PATH instead of standard output.
    #[arg(long, short = 'o', value_name = "PATH")]
    output_file: Vec<PathBuf>,
    /// Do not report CODE (or `warnings`: every warning). Repeatable; later settings win.
    #[arg(long, short = 'A', value_name = "CODE")]
    allow: Vec<String>,
    /// Report CODE (or `warnings`) as a warning. Repeatable; later settings win.
    #[arg(long, short = 'W', value_name = "CODE")]
    warn: Vec<String>,
    /// Report CODE (or `warnings`: every warning) as an error. Repeatable; later settings win.
    #[arg(long, short = 'D', value_name = "CODE")]
    deny: Vec<String>,
    /// Read the settings (lint levels, exclude, per-file-ignores, types) from this file instead
    /// of the `emfilter.toml` found from the scanned paths upwards (from the current folder when
    /// nothing is scanned).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Apply every safe fix: files are rewritten in place (only the filter text in its line, each
    /// file written once, atomically), filters and URLs given as arguments or on standard input
    /// are printed fixed.
    #[arg(long)]
    fix: bool,
    /// With --fix or --diff: apply the unsafe fixes too, those that guess what was meant (assume
    /// UTC, a did-you-mean, `&` → `;`, quotes around a value with spaces).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Report the diagnostics of the files as they are, then print the fixes --fix would make as
    /// a unified diff, without applying them (exit 1 when there is one).
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    /// Fail (exit 1) on warnings too (the same as `--deny warnings`).
    #[arg(long)]
    deny_warnings: bool,
    /// Print how many diagnostics each code gave, instead of each diagnostic (human format).
    #[arg(long)]
    statistics: bool,
    /// Exit 0 even when there are errors (a file that cannot be read is still status 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print the diagnostics and nothing else: no summary, no word about skipped files.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style text.
    Human,
    /// One JSON array, one object per filter or query.
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, Azure DevOps, GitLab).
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// JUnit XML, one test case per filter or query.
    Junit,
}

/// One filter or query checked: where it came from and what checking found.
pub struct Outcome<'a> {
    pub origin: Origin,
    pub in_file: bool,
    pub kind: Kind,
    /// The text checked: borrowed from its source, unless it was made for the report.
    pub text: Cow<'a, str>,
    /// Problems and notes, at their lint levels.
    pub diagnostics: Vec<Diagnostic>,
    /// The typed filter, when valid (the JSON report prints its canonical form).
    pub filter: Option<Filter>,
    /// Whether this is no filter but a suppression comment (reported when it silences nothing).
    pub suppression: bool,
    /// For a filter found in a scanned file: the byte offset in the file where it starts.
    pub offset: Option<usize>,
    /// The query type the filter was checked against, and where it came from.
    pub checked_as: Option<QueryType>,
}

impl Outcome<'_> {
    pub fn is_valid(&self) -> bool {
        !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

pub fn run(args: &CheckArgs, matches: &ArgMatches) -> Result<u8, String> {
    let run = settings(args, matches)?;
    let plan = output::plan(
        &ordered(matches, "format", &args.format),
        &ordered(matches, "output_file", &args.output_file),
    )?;
    let mut linter = Linter::new(
        common::checker(&args.common)?,
        run.settings.levels().clone(),
    );
    if matches.value_source("query_type") == Some(clap::parser::ValueSource::CommandLine) {
        linter = linter.with_type_source(TypeSource::CommandLine);
    }
    let mut failures: Vec<String> = Vec::new();
    let mut sources = gather(args, &run, &mut failures)?;
    // Each file's linter: its `[types]` and `[per-file-ignores]` over the run's.
    let linters: Vec<Cow<Linter>> = sources.iter().map(|s| run.linter(&linter, s)).collect();
    let allow = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };

    // Fixes are computed for --fix and --diff alike; --diff reports the texts as they are.
    let mut fixed: Vec<Option<String>> = vec![None; sources.len()];
    let mut fixes = 0;
    if args.fix || args.diff {
        for ((source, fixed), linter) in sources.iter().zip(&mut fixed).zip(&linters) {
            if source.raw.is_some() {
                continue;
            }
            if let Some(long) = source.long_lines.first() {
                // Its text lacks the lines skipped: written back, they would be lost.
                let e = format!(
                    "`{}` is not fixed: its line {} is longer than the length limit and was not \
                     read",
                    printable(&source.name),
                    long.line
                );
                errln!("emfilter: {e}");
                failures.push(e);
                continue;
            }
            let result = linter.fix_text(&source.text, |t| source.targets(t), allow);
            let name = printable(&source.name).into_owned();
            for r in result.rejected.iter().filter(|_| !args.quiet) {
                errln!(
                    "emfilter: {name}: the {} fix ({}) of `{}` was not applied: {}",
                    r.code,
                    printable(&emfilter_lint::render::describe_fix(&r.fix, &r.text)),
                    printable(&emfilter::excerpt(&r.text)),
                    printable(&r.reason),
                );
            }
            if !result.settled {
                errln!(
                    "emfilter: {name}: the fixes did not settle after {} rounds: nothing was \
                     changed",
                    result.rounds
                );
            }
            if result.text != source.text {
                fixes += result.applied;
                *fixed = Some(result.text);
            }
        }
    }
    if args.fix {
        for (source, fixed) in sources.iter_mut().zip(&fixed) {
            if let Some(text) = fixed {
                source.original = Some(std::mem::replace(&mut source.text, text.clone()));
            }
        }
    }
    // With --statistics its table takes the human format's place on standard output.
    let plan = if args.statistics {
        plan.without_human()
    } else {
        plan
    };
    // The report is written while checking unless fixed text or a diff goes first.
    let mut reporter = output::Reporter::new(plan, args.common.color, !(args.fix || args.diff));
    for (source, linter) in sources.iter().zip(&linters) {
        check_source(linter, source, args.common.length_limit, |o| {
            reporter.push(o)
        })?;
    }

    // Standard output holds the fixed text or the diff when there is one: reports go to
    // standard error then.
    let mut changed = false;
    let mut stdout_taken = false;
    if args.diff {
        stdout_taken = true;
        for (source, new) in sources.iter().zip(&fixed) {
            if let Some(new) = new {
                changed = true;
                out!(
                    "{}",
                    output::diff(&printable(&source.name), &source.text, new)
                )?;
            }
        }
    } else if args.fix {
        for source in &sources {
            match &source.path {
                Some(path) if source.original.is_some() => {
                    let name = printable(&source.name);
                    let bytes = sources::encode(&source.text, source.encoding).ok_or_else(|| {
                        format!(
                            "cannot write the fixes of `{name}` in its encoding: the file was \
                             left as it was"
                        )
                    });
                    match bytes.and_then(|b| {
                        sources::write_atomically(path, &b).map_err(|e| {
                            format!("cannot write `{name}`: {e}: it was left as it was")
                        })
                    }) {
                        Ok(()) => {}
                        Err(e) => {
                            errln!("emfilter: {e}");
                            failures.push(e);
                        }
                    }
                }
                Some(_) => {}
                None => {
                    stdout_taken = true;
                    // Standard input comes back whole; an argument on a line of its own.
                    if matches!(source.layout, Layout::FilterLines | Layout::UrlLines) {
                        out!("{}", source.text)?;
                    } else {
                        outln!("{}", source.text)?;
                    }
                }
            }
        }
    }
    let has_human = reporter.has_human();
    let output::Finished { tally, kept } = reporter.finish(stdout_taken, &failures)?;
    if args.statistics {
        // Every outcome with a diagnostic is kept.
        let table = output::statistics(&kept);
        if stdout_taken {
            err!("{table}");
        } else {
            out!("{table}")?;
        }
    }
    if (has_human || args.statistics || args.fix) && !args.quiet {
        let files = sources.iter().filter(|s| s.layout == Layout::Scan).count();
        errln!("{}", output::summary(&tally, files, !args.scan.is_empty()));
        if args.fix {
            let touched = sources.iter().filter(|s| s.original.is_some()).count();
            errln!(
                "fixed {fixes} problem{} in {touched} text{}",
                output::plural(fixes),
                output::plural(touched)
            );
        }
        if (args.fix || args.diff) && !args.unsafe_fixes {
            let unsafe_left = kept
                .iter()
                .flat_map(|o| &o.diagnostics)
                .filter(|d| d.fix().is_some_and(|f| !f.is_safe()))
                .count();
            if unsafe_left > 0 {
                errln!(
                    "{unsafe_left} more fix{} {} unsafe (a guess at what was meant): \
                     --unsafe-fixes applies {}",
                    if unsafe_left == 1 { "" } else { "es" },
                    if unsafe_left == 1 { "is" } else { "are" },
                    if unsafe_left == 1 { "it" } else { "them" },
                );
            }
        }
    }
    if !failures.is_empty() {
        return Ok(USAGE);
    }
    let failed = tally.invalid > 0 || changed;
    Ok(if failed && !args.exit_zero {
        FAILED
    } else {
        OK
    })
}

/// `values` of the option `id`, each with its position on the command line.
fn ordered<T: Clone>(matches: &ArgMatches, id: &str, values: &[T]) -> Vec<(usize, T)> {
    matches
        .indices_of(id)
        .map(|i| i.zip(values.iter().cloned()).collect())
        .unwrap_or_default()
}

/// The settings of a run: the settings file's, with the command line's levels after its own.
struct RunSettings {
    settings: Settings,
    /// The settings file, when there is one.
    file: Option<PathBuf>,
    /// The folder its globs are relative to: the one that holds it.
    root: Option<PathBuf>,
}

impl RunSettings {
    /// `path` as the settings' globs see it: relative to the settings file's folder, `/`
    /// between folders; only its name when it lies outside that folder.
    fn relative(&self, path: &Path) -> String {
        let full = std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_owned());
        let inside = self
            .root
            .as_deref()
            .and_then(|root| full.strip_prefix(root).ok());
        let shown: &Path = match inside {
            Some(rel) => rel,
            None => Path::new(full.file_name().unwrap_or(full.as_os_str())),
        };
        shown
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The linter of `source`: the run's, with the query type `[types]` gives the file and the
    /// codes `[per-file-ignores]` ignores in it allowed.
    fn linter<'l>(&self, run: &'l Linter, source: &Source) -> Cow<'l, Linter> {
        let Some(path) = source.path.as_deref() else {
            return Cow::Borrowed(run);
        };
        if !self.settings.has_file_settings() {
            return Cow::Borrowed(run);
        }
        let rel = self.relative(path);
        let ignored = self.settings.ignored(&rel);
        let schema = self.settings.query_type(&rel);
        if ignored.is_empty() && schema.is_none() {
            return Cow::Borrowed(run);
        }
        let mut levels = run.levels().clone();
        for code in ignored {
            // Only the codes that can be lowered are accepted by the settings.
            let _ = levels.set(code.as_str(), Level::Allow);
        }
        let linter = match (schema, self.settings.type_glob(&rel)) {
            (Some(schema), Some(glob)) => Linter::new(
                emfilter::Checker::new(schema).with_limits(run.checker().limits()),
                levels,
            )
            .with_type_source(TypeSource::Config {
                glob: glob.as_str().to_owned(),
            }),
            _ => Linter::new(run.checker().clone(), levels)
                .with_type_source(run.default_type().source),
        };
        Cow::Owned(linter)
    }
}

/// The settings: `emfilter.toml` (or `--config`), then `--allow`/`--warn`/`--deny` in
/// command-line order, then `--deny-warnings`. A settings file with problems stops the run,
/// each problem reported as a diagnostic at its line and column.
fn settings(args: &CheckArgs, matches: &ArgMatches) -> Result<RunSettings, String> {
    let file = settings_file(args.config.as_deref(), &args.scan)?;
    let mut run = RunSettings {
        settings: Settings::default(),
        root: None,
        file: None,
    };
    if let Some(path) = file {
        let bytes = read::capped(&path, read::MAX_SETTINGS)?;
        let parsed = Settings::parse_bytes(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let name = path.display().to_string();
        run.settings = parsed.map_err(|problems| {
            let style = human::Style {
                color: args.common.color.enabled(std::io::stderr().is_terminal()),
            };
            for d in &problems {
                // Each problem is shown on its own line of the file.
                let (line, _) = d.span().line_col(&text);
                let start = text
                    .get(..d.span().start as usize)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                let shown = &text[start..end];
                let span = emfilter::Span::new(
                    d.span().start as usize - start,
                    (d.span().end as usize).min(end) - start,
                );
                let mut moved = emfilter::Diagnostic::new(d.code(), span, d.message());
                if let Some(help) = d.help() {
                    moved = moved.with_help(help);
                }
                if let Some(fix) = d.fix() {
                    // Shown as the edit to make: the settings file is never rewritten, so
                    // `--unsafe-fixes` has nothing to say about it.
                    let fix_end = (fix.span.end as usize)
                        .min(end)
                        .max(fix.span.start as usize);
                    moved = moved.with_fix(emfilter::Fix::new(
                        emfilter::Span::new(fix.span.start as usize - start, fix_end - start),
                        fix.replacement.clone(),
                    ));
                }
                errln!(
                    "{}",
                    human::render(
                        &moved,
                        shown,
                        &Origin::line(printable(&name).into_owned(), line),
                        style,
                    )
                );
            }
            format!(
                "the settings file `{}` has {} problem{}: nothing was checked",
                printable(&name),
                problems.len(),
                output::plural(problems.len())
            )
        })?;
        run.root = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .and_then(|p| std::fs::canonicalize(p).ok());
        run.file = Some(path);
    }
    let levels = run.settings.levels_mut();
    let mut cli: Vec<(usize, Level, String)> = Vec::new();
    for (id, level, values) in [
        ("allow", Level::Allow, &args.allow),
        ("warn", Level::Warn, &args.warn),
        ("deny", Level::Deny, &args.deny),
    ] {
        cli.extend(
            ordered(matches, id, values)
                .into_iter()
                .map(|(i, v)| (i, level, v)),
        );
    }
    cli.sort_by_key(|s| s.0);
    for (_, level, name) in cli {
        levels
            .set(&name, level)
            .map_err(|e| format!("--{level} {name}: {e}"))?;
    }
    if args.deny_warnings {
        levels
            .set("warnings", Level::Deny)
            .map_err(|e| e.to_string())?;
    }
    Ok(run)
}

/// The settings file: `--config`, or the `emfilter.toml` nearest above each scanned path (a
/// scanned file's folder, then the folders above it), as ruff finds its settings; the current
/// folder's when nothing is scanned. Scanned paths under different settings files are refused
/// rather than checked with the wrong ones.
fn settings_file(explicit: Option<&Path>, scan: &[String]) -> Result<Option<PathBuf>, String> {
    if let Some(path) = explicit {
        return Ok(Some(path.to_owned()));
    }
    let nearest = |start: &Path| {
        start
            .ancestors()
            .map(|dir| dir.join(settings::FILE_NAME))
            .find(|p| p.is_file())
    };
    if scan.is_empty() {
        let cwd =
            std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
        return Ok(nearest(&cwd));
    }
    let mut found: Option<(&str, Option<PathBuf>)> = None;
    for path in scan {
        let p = Path::new(path);
        let full = std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_owned());
        let start = if full.is_dir() {
            full.as_path()
        } else {
            full.parent().unwrap_or(&full)
        };
        let file = nearest(start);
        match &found {
            None => found = Some((path, file)),
            Some((first, other)) if *other != file => {
                let name = |f: &Option<PathBuf>| {
                    f.as_ref().map_or("none".to_owned(), |f| {
                        format!("`{}`", printable(&f.display().to_string()))
                    })
                };
                return Err(format!(
                    "`{}` and `{}` have different settings files ({} and {}): scan them in \
                     separate runs, or name one with --config",
                    printable(first),
                    printable(path),
                    name(other),
                    name(&file)
                ));
            }
            Some(_) => {}
        }
    }
    Ok(found.and_then(|(_, f)| f))
}

/// Every source of the run, in order: filter arguments, --file, --url, --urls, --scan; standard
/// input when there is none of them. Unreadable scanned files are reported and flagged.
fn gather(
    args: &CheckArgs,
    run: &RunSettings,
    failures: &mut Vec<String>,
) -> Result<Vec<Source>, String> {
    let c = &args.common;
    let mut sources: Vec<Source> = c
        .filters
        .iter()
        .map(|f| Source::argument(f, Layout::FilterArgument))
        .collect();
    let nothing = sources.is_empty()
        && c.files.is_empty()
        && args.urls.is_empty()
        && args.url_files.is_empty()
        && args.scan.is_empty();
    let stdin = ["-".to_owned()];
    for path in if nothing { &stdin[..] } else { &c.files[..] } {
        sources.push(Source::read(path, Layout::FilterLines, c.length_limit)?);
    }
    sources.extend(
        args.urls
            .iter()
            .map(|u| Source::argument(u, Layout::UrlArgument)),
    );
    for path in &args.url_files {
        // A URL holds the filter percent-encoded (up to 3 bytes for one) and its other
        // parameters.
        let max_url = c.length_limit.saturating_mul(3).saturating_add(8 << 10);
        sources.push(Source::read(path, Layout::UrlLines, max_url)?);
    }
    let walk = sources::walk(&args.scan);
    for e in walk.errors {
        errln!("emfilter: {}", printable(&e));
        failures.push(e);
    }
    for skipped in walk.skipped.iter().filter(|_| !args.quiet) {
        errln!("emfilter: {}", printable(skipped));
    }
    let mut excluded = 0usize;
    for path in walk.files {
        if run.settings.excluded(&run.relative(&path)).is_some() {
            excluded += 1;
            continue;
        }
        let name = sources::display(&path);
        match read::capped(&path, MAX_SCANNED) {
            Err(e) if e.contains("larger than") => errln!(
                "emfilter: skipped `{}`: larger than {} MiB (no script or config that holds \
                 filters is)",
                printable(&name),
                MAX_SCANNED >> 20
            ),
            Ok(bytes) => {
                // Binary files are no place for filters: skipped as ripgrep skips them, with a
                // word when the file was named.
                let named = args.scan.iter().any(|p| Path::new(p) == path);
                match Source::from_bytes(name.clone(), Some(path), Layout::Scan, bytes) {
                    Some(s) => sources.push(s),
                    None if named && !args.quiet => {
                        errln!("emfilter: skipped `{}`: a binary file", printable(&name))
                    }
                    None => {}
                }
            }
            Err(e) => {
                errln!("emfilter: {}", printable(&e));
                failures.push(e);
            }
        }
    }
    if excluded > 0 && !args.quiet {
        let file = run
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        errln!(
            "emfilter: {excluded} file{} not scanned: excluded by `exclude` in `{}`",
            output::plural(excluded),
            printable(&file)
        );
    }
    Ok(sources)
}

/// Passes the outcome of every filter and query of `source` to `emit`, in the order of the
/// text, with what its `emfilter: ignore` comments silence removed; then a note for each comment
/// that silences nothing. The lines skipped as too long are passed in their places, with the
/// notes among them by line.
fn check_source<'a>(
    linter: &Linter,
    source: &'a Source,
    limit: usize,
    mut emit: impl FnMut(Outcome<'a>) -> Result<(), String>,
) -> Result<(), String> {
    if source.long_lines.is_empty() {
        return check_units(linter, source, &mut emit);
    }
    let mut outcomes = Vec::new();
    check_units(linter, source, &mut |o| {
        outcomes.push(o);
        Ok(())
    })?;
    outcomes.extend(source.long_lines.iter().map(|l| too_long(source, l, limit)));
    outcomes.sort_by_key(|o| o.origin.line);
    outcomes.into_iter().try_for_each(emit)
}

/// The outcomes of `source`'s filters and queries, then its unused suppression notes, as
/// [`check_source`] passes them.
fn check_units<'a>(
    linter: &Linter,
    source: &'a Source,
    emit: &mut impl FnMut(Outcome<'a>) -> Result<(), String>,
) -> Result<(), String> {
    let suppressions = source.suppressions();
    let mut used = vec![false; suppressions.len()];
    for u in source.units() {
        let mut o = check(linter, source, u);
        let line = o.origin.line.unwrap_or(1);
        suppress::silence(&suppressions, &mut used, line, &mut o.diagnostics);
        emit(o)?;
    }
    for (s, _) in suppressions.iter().zip(&used).filter(|(_, &u)| !u) {
        let text = &source.text[s.span.range()];
        let line_start = source.text[..s.span.start as usize]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let note = suppress::unused(s);
        emit(Outcome {
            origin: Origin {
                source: source.name.clone(),
                line: Some(s.line),
                column: source.text[line_start..s.span.start as usize]
                    .chars()
                    .count()
                    + 1,
            },
            in_file: source.in_file(),
            kind: Kind::Filter,
            text: text.into(),
            diagnostics: linter.levels().apply(vec![note]),
            filter: None,
            suppression: true,
            offset: Some(source.file_offset(s.span.start as usize)),
            checked_as: None,
        })?;
    }
    Ok(())
}

/// The largest file `--scan` reads (each is held whole, so that fixes can be applied to it).
const MAX_SCANNED: u64 = 64 << 20;

/// The outcome of a line skipped while reading, as too long.
fn too_long<'a>(source: &Source, line: &'a LongLine, limit: usize) -> Outcome<'a> {
    let kind = if source.layout == Layout::UrlLines {
        Kind::Query
    } else {
        Kind::Filter
    };
    Outcome {
        origin: Origin::line(source.name.clone(), line.line),
        in_file: source.in_file(),
        kind,
        text: line.start.as_str().into(),
        diagnostics: vec![line.diagnostic(limit)],
        filter: None,
        suppression: false,
        offset: None,
        checked_as: None,
    }
}

fn check<'a>(linter: &Linter, source: &'a Source, unit: Unit) -> Outcome<'a> {
    let (text, diagnostics, filter, checked_as) = match &unit.raw {
        Some(bytes) => {
            let checked = linter.checker().check_bytes(bytes);
            let diagnostics = linter.levels().apply(checked.diagnostics().to_vec());
            (
                String::from_utf8_lossy(bytes).into_owned().into(),
                diagnostics,
                checked.into_result().ok(),
                Some(linter.default_type()),
            )
        }
        None => {
            let text = &source.text[unit.span.range()];
            let linted = linter.lint_as(text, unit.kind, unit.context, unit.query_type.as_ref());
            let checked_as = linted.checked_as().cloned();
            let (diagnostics, filter) = linted.into_parts();
            (text.into(), diagnostics, filter, checked_as)
        }
    };
    Outcome {
        origin: unit.origin,
        in_file: source.in_file(),
        kind: unit.kind,
        text,
        diagnostics,
        filter,
        suppression: false,
        offset: (source.layout == Layout::Scan)
            .then(|| source.file_offset(unit.span.start as usize)),
        checked_as,
    }
}
