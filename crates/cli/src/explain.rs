//! `emfilter explain`: what a diagnostic code catches, why, its fix and an example, as
//! `ruff rule` does; without a code, every code with its level and one line.

use clap::Args;
use emfilter::Code;

use crate::common::{OK, USAGE};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The code to explain (`unknown-field`); without one, every code is listed.
    #[arg(value_name = "CODE")]
    code: Option<String>,
}

pub fn run(args: &ExplainArgs) -> Result<u8, String> {
    let Some(name) = &args.code else {
        let width = Code::ALL
            .iter()
            .map(|c| c.as_str().len())
            .max()
            .unwrap_or(0);
        for code in Code::ALL {
            outln!(
                "{:<width$}  {:<7}  {}",
                code.as_str(),
                code.default_severity().as_str(),
                code.description().split(". ").next().unwrap_or_default()
            )?;
        }
        return Ok(OK);
    };
    match name.parse::<Code>() {
        Ok(code) => {
            out!("{}", emfilter_lint::rules::explain(code))?;
            Ok(OK)
        }
        Err(_) => {
            let names = Code::ALL.iter().map(|c| c.as_str());
            let hint = match emfilter::suggest::closest(name, names) {
                Some(best) => format!("did you mean `{best}`? "),
                None => String::new(),
            };
            errln!(
                "emfilter: `{}` is not a diagnostic code; {hint}`emfilter explain` lists them",
                emfilter_lint::render::printable(name)
            );
            Ok(USAGE)
        }
    }
}
