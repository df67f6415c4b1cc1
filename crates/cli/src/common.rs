//! What every subcommand shares: the query type, inputs, limits, colour and exit statuses.

use clap::{Args, ValueEnum};
use emfilter::{schema, Checker, Limits, Schema};

/// Exit statuses.
pub const OK: u8 = 0;
pub const FAILED: u8 = 1;
pub const USAGE: u8 = 2;

#[derive(Debug, Args)]
pub struct Common {
    /// The EM query type whose fields the filter uses, in any case (`emfilter types` lists them).
    #[arg(
        long = "type",
        short = 't',
        default_value = "ReplicaJobSession",
        value_name = "TYPE"
    )]
    pub query_type: String,
    /// Read filters from a file, one per line (blank lines and lines starting with `#` are
    /// skipped); `-` is standard input. Repeatable.
    #[arg(long = "file", short = 'f', value_name = "PATH")]
    pub files: Vec<String>,
    /// The longest filter accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_LENGTH)]
    pub length_limit: usize,
    /// The deepest nesting of parentheses accepted (at most 256).
    #[arg(long, value_name = "LEVELS", default_value_t = 64,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub nesting_limit: u16,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Filters to check.
    #[arg(value_name = "FILTER")]
    pub filters: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// The checker of a run: its query type and limits.
pub fn checker(common: &Common) -> Result<Checker, String> {
    let schema = query_type(&common.query_type)?;
    Ok(Checker::new(schema).with_limits(Limits::new(
        common.length_limit,
        usize::from(common.nesting_limit),
    )))
}

pub fn query_type(name: &str) -> Result<&'static Schema, String> {
    schema::builtin(name).ok_or_else(|| match schema::closest_builtin(name) {
        Some(best) => format!(
            "unknown query type `{name}`; did you mean `{}`? (`emfilter types` lists them all)",
            best.name()
        ),
        None => format!("unknown query type `{name}`; `emfilter types` lists the known types"),
    })
}
