//! What differs between dialects in writing a statement: quoted identifiers, literals and
//! placeholders. Everything a caller gives (values, column and table names) passes through here,
//! so nothing a caller gives can end a literal or an identifier early.

use std::fmt::Write as _;

use super::{Dialect, MappingError, Param};

/// PostgreSQL cuts longer names to this many bytes (NAMEDATALEN - 1), silently.
const POSTGRES_MAX_NAME: usize = 63;

/// Whether `name` can be written as one quoted identifier in `dialect` and read back as itself.
pub(super) fn check_identifier(
    dialect: Dialect,
    what: &str,
    name: &str,
) -> Result<(), MappingError> {
    let why = if name.is_empty() {
        Some("a name cannot be empty")
    } else if name.contains('\0') {
        Some("a name cannot hold the NUL character")
    } else if dialect == Dialect::Postgres && name.len() > POSTGRES_MAX_NAME {
        Some("PostgreSQL cuts names longer than 63 bytes")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(MappingError::Identifier {
            what: what.to_owned(),
            name: name.escape_debug().to_string(),
            dialect: dialect.title(),
            why,
        }),
    }
}

/// `name` as a quoted identifier: backticks in SQLite (where an unknown `"name"` silently
/// becomes a string) and Spark, double quotes in PostgreSQL and DuckDB; the quote character
/// inside doubled.
pub(super) fn quote_identifier(dialect: Dialect, name: &str) -> String {
    let q = match dialect {
        Dialect::Sqlite | Dialect::Spark => '`',
        Dialect::Postgres | Dialect::DuckDb => '"',
    };
    let mut out = String::with_capacity(name.len() + 2);
    out.push(q);
    for c in name.chars() {
        if c == q {
            out.push(q);
        }
        out.push(c);
    }
    out.push(q);
    out
}

/// The placeholder of the `n`th parameter (from 1).
pub(super) fn placeholder(dialect: Dialect, n: usize) -> String {
    match dialect {
        Dialect::Sqlite | Dialect::DuckDb => "?".to_owned(),
        Dialect::Postgres => format!("${n}"),
        Dialect::Spark => format!(":p{n}"),
    }
}

/// Why `text` cannot be a value in `dialect` (bound, or inline with `inline`), if it cannot.
pub(super) fn unrepresentable(dialect: Dialect, text: &str, inline: bool) -> Option<String> {
    if !text.contains('\0') {
        return None;
    }
    match dialect {
        Dialect::Postgres => Some("PostgreSQL text cannot hold the NUL character (U+0000)".into()),
        Dialect::Sqlite | Dialect::DuckDb if inline => Some(format!(
            "a {} string literal cannot hold the NUL character (U+0000)",
            dialect.title()
        )),
        _ => None,
    }
}

/// `value` as a literal of `dialect`. Text must have passed [`unrepresentable`].
pub(super) fn literal(dialect: Dialect, value: &Param) -> String {
    match value {
        Param::Text(t) => text_literal(dialect, t),
        Param::Int(i) => i.to_string(),
        Param::Bool(true) => "TRUE".to_owned(),
        Param::Bool(false) => "FALSE".to_owned(),
        // Scientific notation: a DOUBLE in every dialect (Spark reads `0.5` as a DECIMAL), and
        // Rust writes the shortest digits that read back as the same number.
        Param::Double(d) => format!("{d:e}"),
    }
}

fn text_literal(dialect: Dialect, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 3);
    match dialect {
        // Standard SQL: only `'` is special, written twice.
        Dialect::Sqlite | Dialect::DuckDb => push_standard(&mut out, text),
        // Standard too, as long as standard_conforming_strings is on (the default since 9.1).
        // Text with a backslash is written as an escape string, which reads the same whether
        // that setting is on or off.
        Dialect::Postgres if text.contains('\\') => {
            out.push_str("E'");
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("''"),
                    c => out.push(c),
                }
            }
            out.push('\'');
        }
        Dialect::Postgres => push_standard(&mut out, text),
        // Spark unescapes backslash sequences in every literal (with the default
        // spark.sql.parser.escapedStringLiterals=false), and reads `'a''b'` as two adjacent
        // literals, `ab`: so `'` and `\` are escaped with a backslash, and control characters
        // as `\uXXXX`.
        Dialect::Spark => {
            out.push('\'');
            for c in text.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\'' => out.push_str("\\'"),
                    c if c.is_control() && (c as u32) < 0x80 => {
                        let _ = write!(out, "\\u{:04x}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('\'');
        }
    }
    out
}

fn push_standard(out: &mut String, text: &str) {
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_double_their_quote() {
        assert_eq!(quote_identifier(Dialect::Postgres, r#"a"b"#), r#""a""b""#);
        assert_eq!(quote_identifier(Dialect::DuckDb, "a`b"), r#""a`b""#);
        assert_eq!(quote_identifier(Dialect::Sqlite, "a`b\"c"), "`a``b\"c`");
        assert_eq!(quote_identifier(Dialect::Spark, "a``"), "`a`````");
    }

    #[test]
    fn literals_escape_what_each_dialect_reads_specially() {
        let t = |d, s: &str| literal(d, &Param::Text(s.to_owned()));
        assert_eq!(t(Dialect::Sqlite, r"it's a\b"), r"'it''s a\b'");
        assert_eq!(t(Dialect::DuckDb, r"it's a\b"), r"'it''s a\b'");
        assert_eq!(t(Dialect::Postgres, "it's"), "'it''s'");
        assert_eq!(t(Dialect::Postgres, r"it's a\b"), r"E'it''s a\\b'");
        assert_eq!(
            t(Dialect::Spark, "it's a\\b\n\0é"),
            r"'it\'s a\\b\u000a\u0000é'"
        );
        assert_eq!(literal(Dialect::Spark, &Param::Double(0.5)), "5e-1");
        assert_eq!(literal(Dialect::Sqlite, &Param::Double(1e300)), "1e300");
        assert_eq!(
            literal(Dialect::Sqlite, &Param::Int(i64::MIN)),
            "-9223372036854775808"
        );
        assert_eq!(literal(Dialect::Spark, &Param::Bool(false)), "FALSE");
    }

    #[test]
    fn nul_is_refused_where_it_cannot_be_written() {
        for d in Dialect::ALL {
            assert_eq!(unrepresentable(d, "ab", true), None);
        }
        assert!(unrepresentable(Dialect::Postgres, "a\0", false).is_some());
        assert!(unrepresentable(Dialect::Sqlite, "a\0", true).is_some());
        assert!(unrepresentable(Dialect::Sqlite, "a\0", false).is_none());
        assert!(unrepresentable(Dialect::DuckDb, "a\0", true).is_some());
        assert!(unrepresentable(Dialect::Spark, "a\0", true).is_none());
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(check_identifier(Dialect::Sqlite, "t", "").is_err());
        assert!(check_identifier(Dialect::Spark, "t", "a\0").is_err());
        assert!(check_identifier(Dialect::Postgres, "t", &"x".repeat(63)).is_ok());
        assert!(check_identifier(Dialect::Postgres, "t", &"x".repeat(64)).is_err());
        assert!(check_identifier(Dialect::DuckDb, "t", &"x".repeat(64)).is_ok());
    }
}
