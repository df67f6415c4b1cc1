//! Typing one value against its field: UIDs, date-times, enums, booleans, integers, strings.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::diagnostic::{Applicability, Code, Diagnostic, Fix};
use crate::ir::{Double, EnumValue, TypedValue, Uid, UtcDateTime};
use crate::literal::{self, DateProblem, UidProblem, UidText, Zone};
use crate::op::CompareOp;
use crate::quote::{must_quote, write_quoted};
use crate::schema::{Enum, Field, FieldType, Name};
use crate::suggest;
use crate::syntax::{Quoting, Value};

/// Types `value` as a value of `field`, pushing what is wrong or doubtful onto `out`.
/// `None` when the value is not of the field's type.
pub(super) fn type_value(
    field: &Field,
    op: CompareOp,
    value: &Value<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<TypedValue> {
    match field.ty() {
        FieldType::String => Some(TypedValue::String(value.text.to_owned())),
        FieldType::Uid(resource) => uid(field, resource, value, out).map(TypedValue::Uid),
        FieldType::DateTime => datetime(value, out).map(TypedValue::DateTime),
        FieldType::Boolean => boolean(field, value, out).map(TypedValue::Bool),
        FieldType::Int64 => integer(field, value, out).map(TypedValue::Int),
        FieldType::Double => double(field, value, out).map(TypedValue::Double),
        FieldType::Enum(e) => enumeration(field, e, op, value, out).map(TypedValue::Enum),
        // FieldType is non-exhaustive for users of the crate, not for the crate itself.
    }
}

/// The text that replaces `value` in a fix: quoted again if it was quoted or must be.
fn replacement(value: &Value<'_>, text: &str) -> String {
    if value.quoting != Quoting::Unquoted || must_quote(text) {
        let mut s = String::new();
        let _ = write_quoted(&mut s, text);
        s
    } else {
        text.to_owned()
    }
}

const UID_SHAPE: &str =
    "a UID is written `urn:veeam:<Type>:<guid>`, the GUID as 8-4-4-4-12 hex digits";

fn uid(
    field: &Field,
    resource: &Name,
    value: &Value<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Uid> {
    let text = value.text;
    let invalid = |message: String| {
        Diagnostic::new(Code::InvalidUid, value.span, message).with_help(format!(
            "{UID_SHAPE}, e.g. `urn:veeam:{resource}:dce85686-59c8-42c4-8766-f1c00a5b8067`"
        ))
    };
    let (kind, guid) = match literal::read_uid(text) {
        Ok(UidText::Full { resource, guid }) => (resource, guid),
        Ok(UidText::Bare(guid)) => {
            let full = Uid::new(resource, guid);
            out.push(
                Diagnostic::new(
                    Code::BareGuid,
                    value.span,
                    format!("`{text}` is a bare GUID, without the `urn:veeam:{resource}:` prefix"),
                )
                .with_help(format!(
                    "EM documents `{}` as taking full UIDs; whether a server matches a bare \
                     GUID is unknown, so write `{full}`",
                    field.name()
                ))
                .with_fix(Fix::guess(
                    value.span,
                    replacement(value, &full.to_string()),
                )),
            );
            return Some(Uid::bare(resource, guid));
        }
        Err(UidProblem::Braced(guid)) => {
            let full = Uid::new(resource, guid);
            out.push(
                Diagnostic::new(
                    Code::InvalidUid,
                    value.span,
                    format!("`{text}` is a GUID in braces, not a UID"),
                )
                .with_help(format!("write `{full}`"))
                .with_fix(Fix::guess(
                    value.span,
                    replacement(value, &full.to_string()),
                )),
            );
            return None;
        }
        Err(UidProblem::NoPrefix) => {
            out.push(invalid(format!("`{text}` is not a UID")));
            return None;
        }
        Err(UidProblem::NoResource) => {
            out.push(invalid(format!(
                "`{text}` has no resource type before its GUID"
            )));
            return None;
        }
        Err(UidProblem::BadResource(kind)) => {
            out.push(invalid(format!(
                "`{kind}` in `{text}` is not a resource type"
            )));
            return None;
        }
        Err(UidProblem::BadGuid(guid_text)) => {
            out.push(invalid(format!(
                "`{guid_text}` in `{text}` is not a GUID of 8-4-4-4-12 hex digits"
            )));
            return None;
        }
    };
    if !resource.matches(kind) {
        out.push(
            Diagnostic::new(
                Code::UidTypeMismatch,
                value.span,
                format!(
                    "`{}` takes a `{resource}` UID, and this is the UID of a `{kind}`",
                    field.name()
                ),
            )
            .with_help(format!(
                "compare `{}` with `urn:veeam:{resource}:<guid>`; a `{kind}` UID never matches it",
                field.name()
            )),
        );
        return None;
    }
    Some(Uid::new(resource, guid))
}

fn datetime(value: &Value<'_>, out: &mut Vec<Diagnostic>) -> Option<UtcDateTime> {
    let text = value.text;
    let written = match literal::read_datetime(text.as_bytes(), Some(literal::MAX_DIGITS)) {
        Ok(w) => w,
        Err(problem) => {
            let (message, help) = match problem {
                DateProblem::Shape => (
                    format!("`{text}` is not a date-time"),
                    "write a UTC date-time such as `2025-08-14T12:31:30Z` or \
                     `2025-08-14T12:31:30.389954Z`"
                        .to_owned(),
                ),
                DateProblem::Range(part) => (
                    format!("`{text}` is not a real date-time: its {part} is out of range"),
                    "write a UTC date-time such as `2025-08-14T12:31:30Z`".to_owned(),
                ),
                DateProblem::Precision(n) => (
                    format!("`{text}` has {n} fractional digits, and EM keeps at most 7 (100 ns)"),
                    "drop the digits past the seventh".to_owned(),
                ),
            };
            let d = Diagnostic::new(Code::InvalidDatetime, value.span, message);
            let plus = match problem {
                DateProblem::Shape => plus_read_as_space(text),
                _ => None,
            };
            out.push(match plus {
                Some(utc) => d
                    .with_help(format!(
                        "if the space stands for the `+` of its zone (a query URL reads `+` as a \
                         space), it is `{utc}` in UTC"
                    ))
                    .with_fix(Fix::guess(value.span, replacement(value, &utc.to_string()))),
                _ => d.with_help(help),
            });
            return None;
        }
    };
    let naive = naive(&written);
    let digits = written.digits as u8;
    match written.zone {
        Zone::Offset(0) => to_utc(naive, digits, text, value, out),
        Zone::None => {
            if let Some(assumed) = to_utc(naive, digits, text, value, out) {
                let (what, fix_note) = if written.has_time {
                    ("has no time zone", "append `Z`")
                } else {
                    (
                        "is a date without a time or zone",
                        "write it as midnight UTC",
                    )
                };
                out.push(
                    Diagnostic::new(
                        Code::DatetimeWithoutZone,
                        value.span,
                        format!("`{text}` {what}; servers read such values in different zones"),
                    )
                    .with_help(format!(
                        "EM compares date-times in UTC; if it is meant as UTC, {fix_note}: \
                         `{assumed}` (the fix assumes UTC)"
                    ))
                    .with_fix(Fix::guess(
                        value.span,
                        replacement(value, &assumed.to_string()),
                    )),
                );
                // Valid, as live servers take it: evaluated as UTC, printed without a zone.
                return Some(assumed.without_zone());
            }
            None
        }
        Zone::Offset(seconds) => {
            let shifted = naive - Duration::seconds(i64::from(seconds));
            if let Some(utc) = to_utc(shifted, digits, text, value, out) {
                out.push(
                    Diagnostic::new(
                        Code::DatetimeNotUtc,
                        value.span,
                        format!("`{text}` is not in UTC"),
                    )
                    .with_help(format!(
                        "EM accepts only UTC date-times; the same instant in UTC is `{utc}`"
                    ))
                    .with_fix(Fix::new(value.span, replacement(value, &utc.to_string()))),
                );
            }
            None
        }
    }
}

/// The date and time `written` holds, as written (no zone applied).
fn naive(written: &literal::DateTimeText) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(written.year, written.month, written.day)
        .and_then(|d| {
            d.and_hms_nano_opt(
                written.hour,
                written.minute,
                written.second,
                written.fraction * 100,
            )
        })
        .expect("the grammar checks every field's range")
}

/// `2025-08-14T12:31:30 02:00`: a date-time with a zone whose `+` became a space, as a query
/// URL reads a `+` (and so `emfilter` reads a filter taken from one). With the last space a `+`
/// again it is a date-time with a time and an offset: the same instant in UTC.
fn plus_read_as_space(text: &str) -> Option<UtcDateTime> {
    let at = text.rfind(' ')?;
    let mut plus = text.as_bytes().to_vec();
    plus[at] = b'+';
    let written = literal::read_datetime(&plus, Some(literal::MAX_DIGITS)).ok()?;
    let Zone::Offset(seconds) = written.zone else {
        return None;
    };
    if !written.has_time {
        return None;
    }
    let utc = naive(&written) - Duration::seconds(i64::from(seconds));
    if !(0..=9999).contains(&utc.year()) {
        return None;
    }
    UtcDateTime::new(Utc.from_utc_datetime(&utc), written.digits as u8)
}

fn to_utc(
    naive: NaiveDateTime,
    digits: u8,
    text: &str,
    value: &Value<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<UtcDateTime> {
    if !(0..=9999).contains(&naive.year()) {
        out.push(
            Diagnostic::new(
                Code::InvalidDatetime,
                value.span,
                format!("`{text}` falls outside the years 0000 to 9999"),
            )
            .with_help("write a UTC date-time such as `2025-08-14T12:31:30Z`"),
        );
        return None;
    }
    UtcDateTime::new(Utc.from_utc_datetime(&naive), digits)
}

fn boolean(field: &Field, value: &Value<'_>, out: &mut Vec<Diagnostic>) -> Option<bool> {
    let text = value.text;
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        out.push(
            Diagnostic::new(
                Code::InvalidBoolean,
                value.span,
                format!("`{text}` is not a Boolean, which `{}` takes", field.name()),
            )
            .with_help("write `True` or `False` (in any case)"),
        );
        None
    }
}

fn integer(field: &Field, value: &Value<'_>, out: &mut Vec<Diagnostic>) -> Option<i64> {
    let text = value.text;
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let shaped = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    match text.parse::<i64>() {
        Ok(n) if shaped => Some(n),
        _ => {
            let message = if shaped {
                format!("`{text}` is out of the range of a 64-bit integer")
            } else {
                format!(
                    "`{text}` is not a whole number, which `{}` takes",
                    field.name()
                )
            };
            out.push(
                Diagnostic::new(Code::InvalidNumber, value.span, message).with_help(
                    "write a whole number in digits, without units or separators, e.g. \
                     `107374182400`",
                ),
            );
            None
        }
    }
}

/// A decimal number, optionally signed, with an optional fraction and exponent (`1.5`, `-2`,
/// `.25`, `2.5e-3`): finite, so not NaN or an infinity, nor a number too large for a Double.
fn double(field: &Field, value: &Value<'_>, out: &mut Vec<Diagnostic>) -> Option<Double> {
    let text = value.text;
    let shaped = is_decimal(text);
    let parsed = if shaped {
        text.parse::<f64>().ok().and_then(Double::new)
    } else {
        None
    };
    if let Some(d) = parsed {
        return Some(d);
    }
    let special = text.trim_start_matches(['+', '-']).to_ascii_lowercase();
    let message = if shaped {
        format!("`{text}` is out of the range of a Double")
    } else if matches!(special.as_str(), "nan" | "inf" | "infinity") {
        format!(
            "`{text}` is not a finite number, and `{}` compares finite numbers only",
            field.name()
        )
    } else {
        format!("`{text}` is not a number, which `{}` takes", field.name())
    };
    out.push(
        Diagnostic::new(Code::InvalidNumber, value.span, message).with_help(
            "write a decimal number in digits, with an optional fraction and exponent, e.g. \
             `1.5` or `2.5e-3`",
        ),
    );
    None
}

/// `[+-](digits[.digits*] | .digits)[(e|E)[+-]digits]`.
fn is_decimal(text: &str) -> bool {
    let b = text.strip_prefix(['+', '-']).unwrap_or(text).as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let whole = digits(0);
    let mut i = whole;
    let mut fraction = 0;
    if b.get(i) == Some(&b'.') {
        fraction = digits(i + 1);
        i += 1 + fraction;
    }
    if whole + fraction == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exponent = digits(i);
        if exponent == 0 {
            return false;
        }
        i += exponent;
    }
    i == b.len()
}

fn enumeration(
    field: &Field,
    e: &Enum,
    op: CompareOp,
    value: &Value<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<EnumValue> {
    let text = value.text;
    if let Some(i) = e.index_of(text) {
        return Some(EnumValue::documented(&e.values()[i], i));
    }
    let listed = e.values().join(", ");
    if let Some(name) = e.undocumented_value(text) {
        let mut help = format!("the documented values of `{}` are {listed}", field.name());
        if op.is_ordering() {
            help.push_str(&format!(
                "; `{name}` has no known place in their order, so `{op}` with it has no defined \
                 meaning"
            ));
        }
        out.push(
            Diagnostic::new(
                Code::UndocumentedEnumValue,
                value.span,
                format!(
                    "`{name}` is not a documented value of `{}`, though real servers return it",
                    field.name()
                ),
            )
            .with_help(help),
        );
        return Some(EnumValue::undocumented(name));
    }
    let mut d = Diagnostic::new(
        Code::UnknownEnumValue,
        value.span,
        format!("`{text}` is not a value of `{}`", field.name()),
    );
    match suggest::closest(text, e.values().iter().map(Name::as_str)) {
        Some(best) => {
            d = d
                .with_help(format!(
                    "did you mean `{best}`? The values, in order, are {listed}"
                ))
                .with_fix(
                    Fix::new(value.span, replacement(value, best))
                        .with_applicability(Applicability::of_rename(text, best)),
                );
        }
        None => d = d.with_help(format!("the values, in order, are {listed}")),
    }
    out.push(d);
    None
}
