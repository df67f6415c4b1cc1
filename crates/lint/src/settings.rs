//! `emfilter.toml`: a repository's settings, read as a linter reads a filter.
//!
//! ```toml
//! exclude = ["vendor/**", "*.min.js"]      # files `--scan` does not read
//!
//! [lints]                                  # levels, as --allow/--warn/--deny
//! bare-guid = "allow"
//! warnings = "deny"
//!
//! [per-file-ignores]                       # codes not reported in some files
//! "legacy/*.ps1" = ["bare-guid", "unquoted-whitespace"]
//!
//! [types]                                  # the query type of the filters in some files
//! "zabbix/jobs/**" = "Job"
//! ```
//!
//! Globs are matched against a file's path relative to the folder that holds the settings
//! file, with `/` between folders: a glob without `/` matches a file or folder name at any
//! depth, one with `/` the path from that folder; `*` stays within a name and `**` crosses
//! folders; a glob that matches a folder matches every file in it. Where several globs of
//! `[types]` match, the last one wins; the codes of every matching `[per-file-ignores]` glob are
//! ignored.
//!
//! Every problem of the file is a [`Diagnostic`] with a span into its text (so a line and a
//! column), a message, and a fix where one exists: `settings-syntax` (not TOML),
//! `unknown-setting` (a key that is no setting, a name that is no code, with the closest one),
//! `invalid-setting` (a value of the wrong kind, an unknown level or query type, a bad glob).
//!
//! ```
//! use emfilter::Code;
//! use emfilter_lint::settings::Settings;
//!
//! let settings = Settings::parse("[types]\n\"zabbix/**\" = \"job\"\n[per-file-ignores]\n\"*.ps1\" = [\"bare-guid\"]\n")
//!     .map_err(|d| d[0].message().to_owned())?;
//! assert_eq!(settings.query_type("zabbix/templates/em.yaml").map(|s| s.name()), Some("Job"));
//! assert!(settings.ignored("scripts/Get-Jobs.ps1").contains(&Code::BareGuid));
//!
//! let wrong = Settings::parse("[lints]\nbare_guid = \"allow\"\n").unwrap_err();
//! assert_eq!(wrong[0].code(), Code::UnknownSetting);
//! assert_eq!(wrong[0].help(), Some("did you mean `bare-guid`?"));
//! # Ok::<(), String>(())
//! ```

use std::ops::Range;
use std::str::FromStr;

use emfilter::schema::{self, Schema};
use emfilter::{Code, Diagnostic, Fix, Span};
use globset::{GlobBuilder, GlobMatcher};
use toml_edit::{ImDocument, Item, TableLike, Value};

use crate::{Level, Levels, LevelsError};

/// The name of the settings file.
pub const FILE_NAME: &str = "emfilter.toml";

/// The keys of the settings file's top level.
const KEYS: [&str; 4] = ["exclude", "lints", "per-file-ignores", "types"];

/// A repository's settings: lint levels, files not scanned, codes ignored in some files, and
/// the query type of the filters in some files.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    levels: Levels,
    exclude: Vec<Glob>,
    per_file_ignores: Vec<(Glob, Vec<Code>)>,
    types: Vec<(Glob, &'static Schema)>,
}

/// A glob of the settings file, as written and compiled.
#[derive(Debug, Clone)]
pub struct Glob {
    text: String,
    matcher: GlobMatcher,
    /// Whether it holds a `/`: matched against the path, not against each name.
    anchored: bool,
}

impl Glob {
    /// `text` as a glob of the settings file (a leading `/` or `./` anchors it at the
    /// settings file's folder).
    pub fn new(text: &str) -> Result<Glob, String> {
        let anchored = text.contains('/');
        let pattern = text
            .strip_prefix("./")
            .or_else(|| text.strip_prefix('/'))
            .unwrap_or(text);
        let pattern = pattern.strip_suffix('/').unwrap_or(pattern);
        if pattern.is_empty() {
            return Err("an empty glob matches nothing".to_owned());
        }
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| e.kind().to_string())?;
        Ok(Glob {
            text: text.to_owned(),
            matcher: glob.compile_matcher(),
            anchored,
        })
    }

    /// The glob as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the glob matches `path` (relative to the settings file's folder, `/` between
    /// folders), or a folder that holds it.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.strip_prefix("./").unwrap_or(path);
        if self.anchored {
            // The path itself, and each folder on the way to it.
            let mut ends: Vec<usize> = path.match_indices('/').map(|(i, _)| i).collect();
            ends.push(path.len());
            ends.iter().any(|&end| self.matcher.is_match(&path[..end]))
        } else {
            path.split('/').any(|name| self.matcher.is_match(name))
        }
    }
}

impl Settings {
    /// Reads a settings file. Every problem is returned, each a diagnostic with a span into
    /// `text`; nothing in it is taken when there is one.
    pub fn parse(text: &str) -> Result<Settings, Vec<Diagnostic>> {
        let doc = match ImDocument::parse(text) {
            Ok(doc) => doc,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let span = widen(text, span);
                // One line: the parser's message may run over several.
                let message = e
                    .message()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                return Err(vec![Diagnostic::new(
                    Code::SettingsSyntax,
                    span,
                    format!("`{FILE_NAME}` is not TOML: {message}"),
                )
                .with_help(
                    "a settings file holds `exclude = [\"glob\", …]` and the tables `[lints]`, \
                     `[per-file-ignores]` and `[types]` (see the README)",
                )]);
            }
        };
        let mut reader = Reader {
            text,
            errors: Vec::new(),
            settings: Settings::default(),
        };
        reader.root(doc.as_table());
        if reader.errors.is_empty() {
            Ok(reader.settings)
        } else {
            reader.errors.sort_by_key(|d| d.span().start);
            Err(reader.errors)
        }
    }

    /// Reads a settings file's bytes: text that is not UTF-8 is a `settings-syntax` problem at
    /// the first byte that is not (its span is into the text with each bad sequence read as
    /// U+FFFD, as [`String::from_utf8_lossy`] reads it).
    pub fn parse_bytes(bytes: &[u8]) -> Result<Settings, Vec<Diagnostic>> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Settings::parse(text),
            Err(e) => {
                let at = e.valid_up_to();
                Err(vec![Diagnostic::new(
                    Code::SettingsSyntax,
                    Span::new(at, at + '\u{FFFD}'.len_utf8()),
                    format!("`{FILE_NAME}` is not UTF-8 text: byte {at} starts no character"),
                )
                .with_help("save the settings file as UTF-8")])
            }
        }
    }

    /// The lint levels of `[lints]`.
    pub fn levels(&self) -> &Levels {
        &self.levels
    }

    /// The lint levels, for the command line to add its own after them.
    pub fn levels_mut(&mut self) -> &mut Levels {
        &mut self.levels
    }

    /// The `exclude` glob that matches `path` (relative to the settings file's folder), if any.
    pub fn excluded(&self, path: &str) -> Option<&Glob> {
        self.exclude.iter().find(|g| g.matches(path))
    }

    /// The codes `[per-file-ignores]` ignores in `path`.
    pub fn ignored(&self, path: &str) -> Vec<Code> {
        let mut codes: Vec<Code> = self
            .per_file_ignores
            .iter()
            .filter(|(g, _)| g.matches(path))
            .flat_map(|(_, codes)| codes.iter().copied())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// The query type `[types]` gives the filters of `path`: the last glob that matches.
    pub fn query_type(&self, path: &str) -> Option<&'static Schema> {
        self.types
            .iter()
            .rev()
            .find(|(g, _)| g.matches(path))
            .map(|(_, s)| *s)
    }

    /// The `[types]` glob that gives `path` its query type, if any.
    pub fn type_glob(&self, path: &str) -> Option<&Glob> {
        self.types
            .iter()
            .rev()
            .find(|(g, _)| g.matches(path))
            .map(|(g, _)| g)
    }

    /// Whether the settings say anything about single files (`exclude`, `[per-file-ignores]`,
    /// `[types]`).
    pub fn has_file_settings(&self) -> bool {
        !self.exclude.is_empty() || !self.per_file_ignores.is_empty() || !self.types.is_empty()
    }
}

/// Turns the document into settings, collecting every problem.
struct Reader<'t> {
    /// The settings file's text.
    text: &'t str,
    errors: Vec<Diagnostic>,
    settings: Settings,
}

/// A span of the settings text.
fn span(range: Option<Range<usize>>) -> Span {
    let r = range.unwrap_or(0..0);
    Span::new(r.start, r.end)
}

/// The span of a TOML error: at least one character where there is one.
fn widen(text: &str, range: Range<usize>) -> Span {
    let start = range.start.min(text.len());
    let mut end = range.end.min(text.len()).max(start);
    if end == start {
        end = text[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n')
            .map_or(start, |c| start + c.len_utf8());
    }
    Span::new(start, end)
}

/// How a key is written back in a fix: bare when TOML allows it, quoted otherwise.
fn key_text(name: &str) -> String {
    if !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// `name` as a code would be spelled: lower case, `-` for `_` and spaces.
fn normalised(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', ' '], "-")
}

impl Reader<'_> {
    fn error(&mut self, code: Code, at: Span, message: String, help: Option<String>) -> usize {
        let mut d = Diagnostic::new(code, at, message);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.errors.push(d);
        self.errors.len() - 1
    }

    fn fix(&mut self, index: usize, fix: Fix) {
        let d = self.errors[index].clone().with_fix(fix);
        self.errors[index] = d;
    }

    fn root(&mut self, table: &dyn TableLike) {
        for (name, item) in table.iter() {
            let key_span = table
                .get_key_value(name)
                .and_then(|(k, _)| k.span())
                .or_else(|| item.span());
            let at = span(key_span);
            match name {
                "exclude" => self.exclude(item),
                "lints" => match item.as_table_like() {
                    Some(t) => self.lints(t),
                    None => self.not_a_table(name, item),
                },
                "per-file-ignores" => match item.as_table_like() {
                    Some(t) => self.per_file_ignores(t),
                    None => self.not_a_table(name, item),
                },
                "types" => match item.as_table_like() {
                    Some(t) => self.types(t),
                    None => self.not_a_table(name, item),
                },
                other => {
                    let guess = emfilter::suggest::closest(&normalised(other), KEYS)
                        .filter(|g| *g != other);
                    let help = if other.to_ascii_lowercase().contains("type") {
                        Some(
                            "the query type of the filters in some files is set in `[types]`, a \
                             glob for each (`[types]` then `\"**\" = \"Job\"` for every file); \
                             `--type` sets it for a run"
                                .to_owned(),
                        )
                    } else if other.contains('-') || other.contains('_') {
                        // A code at the top level: levels live in `[lints]`.
                        match Code::from_str(&normalised(other)) {
                            Ok(code) => Some(format!("lint levels go in `[lints]`: `{code} = …`")),
                            Err(_) => None,
                        }
                    } else {
                        None
                    };
                    let help = match (guess, help) {
                        (_, Some(h)) => Some(h),
                        (Some(g), None) => Some(format!("did you mean `{g}`?")),
                        (None, None) => Some(format!(
                            "the settings are {}",
                            KEYS.map(|k| format!("`{k}`")).join(", ")
                        )),
                    };
                    let i = self.error(
                        Code::UnknownSetting,
                        at,
                        format!("`{other}` is not a setting of `{FILE_NAME}`"),
                        help,
                    );
                    if let Some(g) = guess {
                        self.fix(i, Fix::guess(at, key_text(g)));
                    }
                }
            }
        }
    }

    fn not_a_table(&mut self, name: &str, item: &Item) {
        self.error(
            Code::InvalidSetting,
            span(item.span()),
            format!("`{name}` must be a table"),
            Some(format!(
                "write `[{name}]` and its keys on the lines below it"
            )),
        );
    }

    /// A string value, or an error that says what it must be.
    fn string<'v>(&mut self, value: &'v Value, what: &str) -> Option<&'v str> {
        match value.as_str() {
            Some(s) => Some(s),
            None => {
                self.error(
                    Code::InvalidSetting,
                    span(value.span()),
                    format!("{what} must be a string, and this is {}", value.type_name()),
                    None,
                );
                None
            }
        }
    }

    fn glob(&mut self, text: &str, at: Span) -> Option<Glob> {
        match Glob::new(text) {
            Ok(g) => Some(g),
            Err(e) => {
                self.error(
                    Code::InvalidSetting,
                    at,
                    format!("`{text}` is not a glob: {e}"),
                    Some(
                        "`*` matches within a name, `**` across folders, `?` one character, \
                         `[ab]` one of a set, `{a,b}` either"
                            .to_owned(),
                    ),
                );
                None
            }
        }
    }

    fn exclude(&mut self, item: &Item) {
        let Some(value) = item.as_value() else {
            self.error(
                Code::InvalidSetting,
                span(item.span()),
                "`exclude` must be a list of globs".to_owned(),
                Some("write `exclude = [\"vendor/**\", \"*.min.js\"]`".to_owned()),
            );
            return;
        };
        let Some(list) = value.as_array() else {
            let i = self.error(
                Code::InvalidSetting,
                span(value.span()),
                format!(
                    "`exclude` must be a list of globs, and this is {}",
                    value.type_name()
                ),
                Some("write the globs in brackets: `exclude = [\"vendor/**\"]`".to_owned()),
            );
            if value.is_str() {
                let at = span(value.span());
                let raw = self.text.get(at.range()).unwrap_or_default();
                self.fix(i, Fix::new(at, format!("[{raw}]")));
            }
            return;
        };
        for v in list.iter() {
            if let Some(text) = self.string(v, "a glob of `exclude`") {
                if let Some(g) = self.glob(text, span(v.span())) {
                    self.settings.exclude.push(g);
                }
            }
        }
    }

    fn lints(&mut self, table: &dyn TableLike) {
        let mut settings: Vec<(String, Level, Span)> = Vec::new();
        for (name, item) in table.iter() {
            let at = span(
                table
                    .get_key_value(name)
                    .and_then(|(k, _)| k.span())
                    .or_else(|| item.span()),
            );
            let Some(value) = item.as_value() else {
                self.error(
                    Code::InvalidSetting,
                    span(item.span()),
                    format!("the level of `{name}` must be a string: \"allow\", \"note\", \"warn\" or \"deny\""),
                    None,
                );
                continue;
            };
            let value_at = span(value.span());
            let known = name == "warnings" || Code::from_str(name).is_ok();
            if !known {
                self.unknown_code(name, at, value.as_str(), true);
                continue;
            }
            let Some(text) = value.as_str() else {
                self.error(
                    Code::InvalidSetting,
                    value_at,
                    format!(
                        "the level of `{name}` must be a string: \"allow\", \"note\", \"warn\" or \
                         \"deny\", and this is {}",
                        value.type_name()
                    ),
                    None,
                );
                continue;
            };
            match Level::from_str(text) {
                Ok(level) => settings.push((name.to_owned(), level, value_at)),
                Err(_) => self.unknown_level(name, text, value_at),
            }
        }
        // `warnings` applies after the codes whatever the order of the keys, as on the command
        // line.
        settings.sort_by_key(|(name, _, _)| name == "warnings");
        for (name, level, at) in settings {
            if let Err(e) = self.settings.levels.set(&name, level) {
                let message = match e {
                    LevelsError::Fatal { code } => format!(
                        "`{code}` is always an error: a filter that does not parse or is over the \
                         limits cannot be checked at all"
                    ),
                    other => other.to_string(),
                };
                let i = self.error(Code::InvalidSetting, at, message, None);
                self.fix(i, Fix::guess(at, "\"deny\""));
            }
        }
    }

    /// `name` (a key of `[lints]` when `as_key`, else an entry of `[per-file-ignores]`) is not
    /// a code; `value` is what the key was set to.
    fn unknown_code(&mut self, name: &str, at: Span, value: Option<&str>, as_key: bool) {
        let wanted = normalised(name);
        let names = Code::ALL
            .iter()
            .filter(|c| !c.is_settings())
            .map(|c| c.as_str())
            .chain(as_key.then_some("warnings"));
        let guess = match Code::from_str(&wanted) {
            Ok(code) if !code.is_settings() => Some(code.as_str()),
            _ if as_key && wanted == "warnings" => Some("warnings"),
            _ => emfilter::suggest::closest(&wanted, names),
        };
        let about_types =
            value.is_some_and(|v| schema::builtin(v).is_some()) || wanted.contains("type");
        let help = match guess {
            _ if about_types => "`[lints]` sets the levels of diagnostic codes; the query type of \
                                 the filters in some files is set in `[types]`, a glob for each \
                                 (`\"**\" = \"Job\"` for every file)"
                .to_owned(),
            Some(g) => format!("did you mean `{g}`?"),
            None => "`emfilter explain` lists every code".to_owned(),
        };
        let i = self.error(
            Code::UnknownSetting,
            at,
            format!("`{name}` is not a diagnostic code"),
            Some(help),
        );
        if let (Some(g), false) = (guess, about_types) {
            let replacement = if as_key {
                key_text(g)
            } else {
                format!("\"{g}\"")
            };
            self.fix(i, Fix::guess(at, replacement));
        }
    }

    fn unknown_level(&mut self, name: &str, text: &str, at: Span) {
        let wanted = normalised(text);
        // The words other linters use for the same levels.
        let guess = match wanted.as_str() {
            "error" | "forbid" | "fail" | "on" | "true" => Some("deny"),
            "warning" | "warnings" => Some("warn"),
            "ignore" | "off" | "none" | "false" | "disable" | "disabled" => Some("allow"),
            "info" | "notice" => Some("note"),
            other => emfilter::suggest::closest(other, ["allow", "note", "warn", "deny"]),
        };
        let help = if schema::builtin(text).is_some() {
            "`[lints]` sets levels; the query type of the filters in some files is set in \
             `[types]`, a glob for each (`\"**\" = \"Job\"` for every file)"
                .to_owned()
        } else {
            match guess {
                Some(g) => format!("did you mean `{g}`?"),
                None => "the levels are `allow`, `note`, `warn` and `deny`".to_owned(),
            }
        };
        let i = self.error(
            Code::InvalidSetting,
            at,
            format!("`{text}` is not a lint level, which `{name}` takes"),
            Some(help),
        );
        if let (Some(g), false) = (guess, schema::builtin(text).is_some()) {
            self.fix(i, Fix::guess(at, format!("\"{g}\"")));
        }
    }

    /// The key of `table` named `name`, as a glob; its span.
    fn glob_key(&mut self, table: &dyn TableLike, name: &str, item: &Item) -> (Option<Glob>, Span) {
        let at = span(
            table
                .get_key_value(name)
                .and_then(|(k, _)| k.span())
                .or_else(|| item.span()),
        );
        (self.glob(name, at), at)
    }

    fn per_file_ignores(&mut self, table: &dyn TableLike) {
        for (name, item) in table.iter() {
            let (glob, _) = self.glob_key(table, name, item);
            let value = item.as_value();
            let list = match value {
                Some(Value::Array(list)) => list,
                _ => {
                    let at = span(item.span());
                    let i = self.error(
                        Code::InvalidSetting,
                        at,
                        format!("the codes ignored in `{name}` must be a list"),
                        Some(format!("write `\"{name}\" = [\"bare-guid\", …]`")),
                    );
                    if let Some(v @ Value::String(_)) = value {
                        let at = span(v.span());
                        let raw = self.text.get(at.range()).unwrap_or_default();
                        self.fix(i, Fix::new(at, format!("[{raw}]")));
                    }
                    continue;
                }
            };
            let mut codes = Vec::new();
            for v in list.iter() {
                let Some(text) = self.string(v, "a code of `[per-file-ignores]`") else {
                    continue;
                };
                let at = span(v.span());
                match Code::from_str(text) {
                    Ok(code) if code.is_settings() => {
                        self.error(
                            Code::InvalidSetting,
                            at,
                            format!("`{code}` is about this file, and cannot be ignored"),
                            None,
                        );
                    }
                    Ok(code @ (Code::Syntax | Code::NestingTooDeep | Code::FilterTooLong)) => {
                        self.error(
                            Code::InvalidSetting,
                            at,
                            format!(
                                "`{code}` is always an error: a filter that does not parse or is \
                                 over the limits cannot be checked at all"
                            ),
                            Some("exclude the file instead (`exclude = [\"…\"]`)".to_owned()),
                        );
                    }
                    Ok(code) => codes.push(code),
                    Err(_) => self.unknown_code(text, at, None, false),
                }
            }
            if let Some(glob) = glob {
                self.settings.per_file_ignores.push((glob, codes));
            }
        }
    }

    fn types(&mut self, table: &dyn TableLike) {
        for (name, item) in table.iter() {
            let (glob, _) = self.glob_key(table, name, item);
            let Some(value) = item.as_value() else {
                self.error(
                    Code::InvalidSetting,
                    span(item.span()),
                    format!("the query type of `{name}` must be a string, such as \"Job\""),
                    None,
                );
                continue;
            };
            let Some(text) = self.string(value, "a query type") else {
                continue;
            };
            let at = span(value.span());
            match schema::builtin(text) {
                Some(s) => {
                    if let Some(glob) = glob {
                        self.settings.types.push((glob, s));
                    }
                }
                None => {
                    let guess = emfilter::suggest::closest(
                        text,
                        schema::builtins().iter().map(|s| s.name()),
                    );
                    let help = match guess {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => "`emfilter types` lists the query types".to_owned(),
                    };
                    let i = self.error(
                        Code::InvalidSetting,
                        at,
                        format!("`{text}` is not a query type"),
                        Some(help),
                    );
                    if let Some(g) = guess {
                        self.fix(i, Fix::guess(at, format!("\"{g}\"")));
                    }
                }
            }
        }
    }
}
