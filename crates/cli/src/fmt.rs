//! `emfilter fmt`: print each filter in its canonical form.

use std::io::IsTerminal;

use clap::Args;
use emfilter_lint::render::human;

use crate::common::{prepare, Common, FAILED, OK};

#[derive(Debug, Args)]
pub struct FmtArgs {
    #[command(flatten)]
    common: Common,
    /// Print nothing canonical; exit 1 if any input is not already canonical, showing each.
    #[arg(long)]
    check: bool,
}

pub fn run(args: &FmtArgs) -> Result<u8, String> {
    let (checker, inputs) = prepare(&args.common)?;
    let style = human::Style {
        color: args.common.color.enabled(std::io::stderr().is_terminal()),
    };
    let mut status = OK;
    for input in inputs.iter() {
        if crate::stdio::closed() {
            // The reader went away (`| head`): the rest would be printed for no one.
            break;
        }
        if let Some(long) = &input.long {
            let d = long.diagnostic(args.common.length_limit);
            errln!("{}", human::render(&d, &input.text, &input.origin, style));
            status = FAILED;
            continue;
        }
        let checked = input.check(&checker);
        for d in checked.diagnostics() {
            errln!("{}", human::render(d, &input.text, &input.origin, style));
        }
        let Some(filter) = checked.filter() else {
            status = FAILED;
            continue;
        };
        let canonical = filter.to_string();
        if !args.check {
            outln!("{canonical}")?;
        } else if canonical != input.text {
            status = FAILED;
            let o = &input.origin;
            outln!(
                "{}{} is not canonical:\n-{}\n+{}",
                o.source,
                o.line.map(|l| format!(":{l}")).unwrap_or_default(),
                input.text,
                canonical
            )?;
        }
    }
    Ok(status)
}
