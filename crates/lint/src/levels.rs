//! Lint levels: what each diagnostic code counts as, as clippy and rustc do it.
//!
//! Every [`Code`] has a default severity. A [`Level`] setting changes it: `allow` drops the
//! diagnostic, `warn` makes it a warning, `deny` an error. Settings apply in order, the last one
//! for a code winning; the group `warnings` then applies to every diagnostic that is a warning at
//! that point (`deny warnings` fails on any warning, `allow warnings` hides them all).
//!
//! The settings come from `emfilter.toml` (see [`Levels::from_toml`]) and from
//! the command line (`--allow`, `--warn`, `--deny`), the command line last.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use emfilter::{Code, Diagnostic, Severity};

/// What a code counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a note: said, never a problem (the level of the notes' codes, such as
    /// `skipped-placeholder`, unless set otherwise).
    Note,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

impl Level {
    /// `"allow"`, `"warn"` or `"deny"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Note => "note",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The level that leaves `severity` as it is.
    pub fn of(severity: Severity) -> Level {
        match severity {
            Severity::Note => Level::Note,
            Severity::Warning => Level::Warn,
            Severity::Error => Level::Deny,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = LevelsError;

    fn from_str(s: &str) -> Result<Level, LevelsError> {
        match s {
            "allow" => Ok(Level::Allow),
            "note" => Ok(Level::Note),
            "warn" => Ok(Level::Warn),
            "deny" => Ok(Level::Deny),
            _ => Err(LevelsError::UnknownLevel(s.to_owned())),
        }
    }
}

/// A lint setting that cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LevelsError {
    /// The name is neither a code nor `warnings`.
    #[error("unknown diagnostic code `{name}`; the codes are {}", codes())]
    UnknownCode {
        /// The name given.
        name: String,
    },
    /// Not `allow`, `note`, `warn` or `deny`.
    #[error("unknown lint level `{0}`; the levels are `allow`, `note`, `warn` and `deny`")]
    UnknownLevel(String),
    /// An attempt to lower a code that stops checking altogether, or one about the settings
    /// file.
    #[error(
        "`{code}` is always an error: a filter that does not parse or is over the limits, or a \
         settings file that cannot be read, cannot be checked at all"
    )]
    Fatal {
        /// The code.
        code: Code,
    },
    /// `emfilter.toml` is not what it should be.
    #[error("{0}")]
    Config(String),
}

fn codes() -> String {
    let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    format!("{} (and the group `warnings`)", names.join(", "))
}

/// The lint levels of a run.
///
/// ```
/// use emfilter_lint::{Level, Levels};
/// use emfilter::Code;
///
/// let mut levels = Levels::default();
/// levels.set("bare-guid", Level::Allow)?;
/// levels.set("unquoted-whitespace", Level::Deny)?;
/// assert_eq!(levels.level(Code::BareGuid), Level::Allow);
/// assert_eq!(levels.level(Code::UnquotedWhitespace), Level::Deny);
/// assert_eq!(levels.level(Code::MixedAndOr), Level::Warn);
/// assert!(levels.set("no-such-code", Level::Deny).is_err());
/// # Ok::<(), emfilter_lint::LevelsError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Levels {
    codes: HashMap<Code, Level>,
    warnings: Option<Level>,
}

/// Codes that stop checking: they cannot be allowed or lowered to a warning.
const FATAL: [Code; 3] = [Code::Syntax, Code::NestingTooDeep, Code::FilterTooLong];

/// Whether `code` cannot be lowered: it stops checking, or it is about the settings file.
fn fatal(code: Code) -> bool {
    FATAL.contains(&code) || code.is_settings()
}

impl Levels {
    /// Sets `name` (a code, or `warnings` for every warning) to `level`; later settings win.
    pub fn set(&mut self, name: &str, level: Level) -> Result<(), LevelsError> {
        if name == "warnings" {
            self.warnings = Some(level);
            return Ok(());
        }
        let code = Code::from_str(name).map_err(|_| LevelsError::UnknownCode {
            name: name.to_owned(),
        })?;
        if fatal(code) && level != Level::Deny {
            return Err(LevelsError::Fatal { code });
        }
        self.codes.insert(code, level);
        Ok(())
    }

    /// The level `code` ends up at.
    pub fn level(&self, code: Code) -> Level {
        let level = self
            .codes
            .get(&code)
            .copied()
            .unwrap_or(Level::of(code.default_severity()));
        match (level, self.warnings) {
            (Level::Warn, Some(group)) if !fatal(code) => group,
            _ => level,
        }
    }

    /// `diagnostics` at their levels: allowed ones dropped, the others at their severity.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|d| match self.level(d.code()) {
                Level::Allow => None,
                Level::Note => Some(d.with_severity(Severity::Note)),
                Level::Warn => Some(d.with_severity(Severity::Warning)),
                Level::Deny => Some(d.with_severity(Severity::Error)),
            })
            .collect()
    }

    /// Reads the `[lints]` table of an `emfilter.toml`:
    ///
    /// ```toml
    /// [lints]
    /// bare-guid = "allow"
    /// unquoted-whitespace = "deny"
    /// warnings = "deny"
    /// ```
    ///
    /// Unknown keys, codes and levels are errors (the first problem's message; see
    /// [`crate::settings::Settings::parse`] for every problem as a diagnostic).
    pub fn from_toml(text: &str) -> Result<Levels, LevelsError> {
        crate::settings::Settings::parse(text)
            .map(|s| s.levels().clone())
            .map_err(|d| {
                LevelsError::Config(
                    d.first()
                        .map_or_else(String::new, |d| d.message().to_owned()),
                )
            })
    }
}
