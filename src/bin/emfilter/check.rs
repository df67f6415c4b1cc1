//! `emfilter check`: report every problem of each filter.

use std::io::{IsTerminal, Write};

use clap::{Args, ValueEnum};
use emfilter::render::{human, json::Report};
use emfilter::{Checked, Severity};

use crate::common::{prepare, Common, FAILED, OK};
use crate::input::Input;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// rustc-style text.
    Human,
    /// One JSON array, one object per filter.
    Json,
}

pub fn run(args: &CheckArgs) -> Result<u8, String> {
    let (checker, inputs) = prepare(&args.common)?;
    let results: Vec<(&Input, Checked)> = inputs
        .iter()
        .map(|input| (input, input.check(&checker)))
        .collect();
    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let reports: Vec<Report<'_>> = results
                .iter()
                .map(|(input, checked)| {
                    Report::new(
                        input.origin.source.as_str(),
                        input.origin.line,
                        &input.text,
                        checked,
                    )
                })
                .collect();
            let text = serde_json::to_string_pretty(&reports).map_err(|e| e.to_string())?;
            writeln!(stdout, "{text}").map_err(|e| e.to_string())?;
        }
        Format::Human => {
            let style = human::Style {
                color: args.common.color.enabled(std::io::stdout().is_terminal()),
            };
            for (input, checked) in &results {
                for d in checked.diagnostics() {
                    writeln!(
                        stdout,
                        "{}",
                        human::render(d, &input.text, &input.origin, style)
                    )
                    .map_err(|e| e.to_string())?;
                }
            }
            let errors = count(&results, Severity::Error);
            let warnings = count(&results, Severity::Warning);
            let invalid = results.iter().filter(|(_, c)| !c.is_valid()).count();
            eprintln!(
                "checked {} filter{}: {} invalid, {} error{}, {} warning{}",
                results.len(),
                plural(results.len()),
                invalid,
                errors,
                plural(errors),
                warnings,
                plural(warnings)
            );
        }
    }
    let failed = results
        .iter()
        .any(|(_, c)| !c.is_valid() || (args.deny_warnings && c.has(Severity::Warning)));
    Ok(if failed { FAILED } else { OK })
}

fn count(results: &[(&Input, Checked)], severity: Severity) -> usize {
    results
        .iter()
        .map(|(_, c)| {
            c.diagnostics()
                .iter()
                .filter(|d| d.severity() == severity)
                .count()
        })
        .sum()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
