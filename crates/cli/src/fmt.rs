//! `emfilter fmt`: print each filter in its canonical form.

use std::fmt::Write as _;
use std::io::IsTerminal;

use clap::Args;
use emfilter_lint::render::human;

use crate::common::{self, Common, FAILED, OK};
use crate::input;
use crate::stdio::Buffered;

#[derive(Debug, Args)]
pub struct FmtArgs {
    #[command(flatten)]
    common: Common,
    /// Print nothing canonical; exit 1 if any input is not already canonical, showing each.
    #[arg(long)]
    check: bool,
}

pub fn run(args: &FmtArgs) -> Result<u8, String> {
    let c = &args.common;
    let checker = common::checker(c)?;
    let inputs = input::read(&c.filters, &c.files, c.length_limit)?;
    let style = human::Style {
        color: c.color.enabled(std::io::stderr().is_terminal()),
    };
    // The canonical texts go out a block at a time; what goes to standard error is written after
    // the block before it, so that a terminal shows both in order.
    let mut out = Buffered::default();
    let mut canonical = String::new();
    let mut status = OK;
    for input in inputs.iter() {
        if crate::stdio::closed() {
            // The reader went away (`| head`): the rest would be printed for no one.
            break;
        }
        if let Some(long) = input.long {
            let d = long.diagnostic(c.length_limit);
            out.flush()?;
            errln!("{}", human::render(&d, &input.text, &input.origin(), style));
            status = FAILED;
            continue;
        }
        let checked = input.check(&checker);
        if !checked.diagnostics().is_empty() {
            out.flush()?;
            let origin = input.origin();
            for d in checked.diagnostics() {
                errln!("{}", human::render(d, &input.text, &origin, style));
            }
        }
        let Some(filter) = checked.filter() else {
            status = FAILED;
            continue;
        };
        if let Some(doubt) = checked
            .diagnostics()
            .iter()
            .find(|d| d.code().is_settled_by_printing())
        {
            // The canonical form would answer the doubt with a guess, and so ask the server
            // something else: the filter is printed as it is, and the run fails.
            status = FAILED;
            out.flush()?;
            let line = input.line.map(|l| format!(":{l}")).unwrap_or_default();
            errln!(
                "emfilter: {}{line}: left as written: its canonical form would settle the {} above by \
                 a guess; edit the filter, or apply the fix (`emfilter check --fix \
                 --unsafe-fixes`)",
                input.source,
                doubt.code(),
            );
            if !args.check {
                let _ = writeln!(out.buf(), "{}", input.text);
                out.written()?;
            }
            continue;
        }
        if !args.check {
            // Straight into the buffer, not through `write!` and a `Formatter`.
            let _ = filter.write_canonical(out.buf());
            out.buf().push('\n');
            out.written()?;
            continue;
        }
        canonical.clear();
        let _ = filter.write_canonical(&mut canonical);
        if canonical != input.text {
            status = FAILED;
            let line = input.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(
                out.buf(),
                "{}{line} is not canonical:\n-{}\n+{canonical}",
                input.source,
                input.text,
            );
            out.written()?;
        }
    }
    out.flush()?;
    Ok(status)
}
