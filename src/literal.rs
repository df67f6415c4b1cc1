//! The literal grammars of values: GUIDs, UIDs and date-times, written once.
//!
//! The checker reads a filter's values with them, and the record reader reads EM's JSON with
//! them, so a text means the same value in a filter and in a record (a property test holds the
//! two to the same instant). What each makes of what it reads differs only in policy: the
//! checker reports a date-time without a zone, or one with more than seven fractional digits;
//! the record reader takes the first as UTC (the fields are EM's `…UTC` elements) and cuts the
//! second to seven digits.

use std::fmt;

/// A 128-bit GUID, printed `8-4-4-4-12` in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid(pub u128);

impl Guid {
    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits in any case).
    ///
    /// ```
    /// use emfilter::ir::Guid;
    /// let g = Guid::parse("DCE85686-59c8-42c4-8766-f1c00a5b8067").unwrap();
    /// assert_eq!(g.to_string(), "dce85686-59c8-42c4-8766-f1c00a5b8067");
    /// assert!(Guid::parse("{dce85686-59c8-42c4-8766-f1c00a5b8067}").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Guid> {
        Guid::parse_bytes(text.as_bytes())
    }

    pub(crate) fn parse_bytes(b: &[u8]) -> Option<Guid> {
        if b.len() != 36 {
            return None;
        }
        let mut v: u128 = 0;
        for (i, &c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return None;
                }
                continue;
            }
            let d = (c as char).to_digit(16)?;
            v = (v << 4) | u128::from(d);
        }
        Some(Guid(v))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

/// The prefix of every UID, matched in any case.
pub(crate) const UID_PREFIX: &str = "urn:veeam:";

/// A UID as written: `urn:veeam:<resource>:<guid>` (the prefix in any case), or a bare GUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UidText<'a> {
    /// A full UID; the resource type as written.
    Full { resource: &'a str, guid: Guid },
    /// A GUID alone.
    Bare(Guid),
}

/// Why a text is not a UID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UidProblem<'a> {
    /// A GUID in braces, `{…}`.
    Braced(Guid),
    /// No `urn:veeam:` prefix.
    NoPrefix,
    /// No colon between a resource type and a GUID.
    NoResource,
    /// A resource type that is empty or not ASCII letters and digits.
    BadResource(&'a str),
    /// What follows the last colon is not a GUID.
    BadGuid(&'a str),
}

/// Reads a UID or a bare GUID.
pub(crate) fn read_uid(text: &str) -> Result<UidText<'_>, UidProblem<'_>> {
    if let Some(guid) = Guid::parse(text) {
        return Ok(UidText::Bare(guid));
    }
    let braced = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'));
    if let Some(guid) = braced.and_then(Guid::parse) {
        return Err(UidProblem::Braced(guid));
    }
    let rest = match text.get(..UID_PREFIX.len()) {
        Some(p) if p.eq_ignore_ascii_case(UID_PREFIX) => &text[UID_PREFIX.len()..],
        _ => return Err(UidProblem::NoPrefix),
    };
    let Some((resource, guid)) = rest.rsplit_once(':') else {
        return Err(UidProblem::NoResource);
    };
    if resource.is_empty() || !resource.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(UidProblem::BadResource(resource));
    }
    match Guid::parse(guid) {
        Some(guid) => Ok(UidText::Full { resource, guid }),
        None => Err(UidProblem::BadGuid(guid)),
    }
}

/// A date-time as written: `YYYY-MM-DD[(T|t| )HH:MM[:SS[.f…]]][Z|z|±HH[[:]MM]]`, every field in
/// range, before any zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTimeText {
    pub(crate) year: i32,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    /// The fraction of the second, in 100 ns ticks (digits past the seventh cut).
    pub(crate) fraction: u32,
    /// How many fractional digits were written.
    pub(crate) digits: usize,
    /// Whether a time was written at all.
    pub(crate) has_time: bool,
    pub(crate) zone: Zone,
}

/// The zone a date-time was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zone {
    /// None written.
    None,
    /// `Z`, or an offset east of UTC in seconds.
    Offset(i32),
}

/// Why a text is not a date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateProblem {
    /// Not the shape of a date-time.
    Shape,
    /// The shape, but a field out of range (its name).
    Range(&'static str),
    /// More fractional digits than allowed.
    Precision(usize),
}

/// The most fractional digits EM keeps (100 ns ticks).
pub(crate) const MAX_DIGITS: usize = 7;

/// Reads a date-time. With `max_digits`, more fractional digits than that are a problem; without,
/// they are read and cut to seven.
pub(crate) fn read_datetime(
    text: &[u8],
    max_digits: Option<usize>,
) -> Result<DateTimeText, DateProblem> {
    let mut r = Cursor { b: text, i: 0 };
    let year = r.digits(4).ok_or(DateProblem::Shape)?;
    r.expect(b'-')?;
    let month = r.digits(2).ok_or(DateProblem::Shape)?;
    r.expect(b'-')?;
    let day = r.digits(2).ok_or(DateProblem::Shape)?;
    if !(1..=12).contains(&month) {
        return Err(DateProblem::Range("month"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(DateProblem::Range("day"));
    }
    let mut dt = DateTimeText {
        year: year as i32,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: 0,
        digits: 0,
        has_time: false,
        zone: Zone::None,
    };
    if matches!(r.peek(), Some(b'T' | b't' | b' ')) {
        r.i += 1;
        dt.has_time = true;
        dt.hour = r.digits(2).ok_or(DateProblem::Shape)?;
        r.expect(b':')?;
        dt.minute = r.digits(2).ok_or(DateProblem::Shape)?;
        if r.peek() == Some(b':') {
            r.i += 1;
            dt.second = r.digits(2).ok_or(DateProblem::Shape)?;
            if r.peek() == Some(b'.') {
                r.i += 1;
                let start = r.i;
                while r.peek().is_some_and(|c| c.is_ascii_digit()) {
                    if r.i - start < MAX_DIGITS {
                        dt.fraction = dt.fraction * 10 + u32::from(r.b[r.i] - b'0');
                    }
                    r.i += 1;
                }
                dt.digits = r.i - start;
                if dt.digits == 0 {
                    return Err(DateProblem::Shape);
                }
                if max_digits.is_some_and(|m| dt.digits > m) {
                    return Err(DateProblem::Precision(dt.digits));
                }
                for _ in dt.digits..MAX_DIGITS {
                    dt.fraction *= 10;
                }
            }
        }
        if dt.hour > 23 {
            return Err(DateProblem::Range("hour"));
        }
        if dt.minute > 59 {
            return Err(DateProblem::Range("minute"));
        }
        if dt.second > 59 {
            return Err(DateProblem::Range("second"));
        }
    }
    dt.zone = match r.peek() {
        None => Zone::None,
        Some(b'Z' | b'z') => {
            r.i += 1;
            Zone::Offset(0)
        }
        Some(sign @ (b'+' | b'-')) => {
            r.i += 1;
            let hours = r.digits(2).ok_or(DateProblem::Shape)?;
            let minutes = match r.peek() {
                Some(b':') => {
                    r.i += 1;
                    r.digits(2).ok_or(DateProblem::Shape)?
                }
                Some(_) => r.digits(2).ok_or(DateProblem::Shape)?,
                None => 0,
            };
            if hours > 23 || minutes > 59 {
                return Err(DateProblem::Range("time zone offset"));
            }
            let seconds = (hours * 3600 + minutes * 60) as i32;
            Zone::Offset(if sign == b'-' { -seconds } else { seconds })
        }
        Some(_) => return Err(DateProblem::Shape),
    };
    if r.i != r.b.len() {
        return Err(DateProblem::Shape);
    }
    if !dt.has_time && dt.zone != Zone::None {
        // `2025-08-14Z` is no form anyone writes; call it what it is not.
        return Err(DateProblem::Shape);
    }
    Ok(dt)
}

impl DateTimeText {
    /// 100-nanosecond ticks since 1970-01-01T00:00:00Z, the written offset applied (none
    /// written: as UTC).
    pub(crate) fn ticks(&self) -> i64 {
        let offset = match self.zone {
            Zone::None => 0,
            Zone::Offset(s) => i64::from(s),
        };
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let seconds = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - offset;
        seconds * 10_000_000 + i64::from(self.fraction)
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn digits(&mut self, n: usize) -> Option<u32> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |v, &d| v * 10 + u32::from(d - b'0')))
    }

    fn expect(&mut self, c: u8) -> Result<(), DateProblem> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(DateProblem::Shape)
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn ticks(text: &str) -> Option<i64> {
        read_datetime(text.as_bytes(), None).ok().map(|d| d.ticks())
    }

    #[test]
    fn date_times_read_as_chrono_reads_them() {
        for text in [
            "2026-11-20T06:46:31Z",
            "2025-02-19T00:25:42.28Z",
            "2026-11-21T22:00:04.2214567Z",
            "1969-12-31T23:59:59.9999999Z",
            "2000-02-29T12:00:00+02:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.1Z",
        ] {
            let want: DateTime<Utc> = text.parse().unwrap();
            let expect =
                want.timestamp() * 10_000_000 + i64::from(want.timestamp_subsec_nanos() / 100);
            assert_eq!(ticks(text), Some(expect), "{text}");
        }
    }

    #[test]
    fn the_looser_forms_are_read_too() {
        let utc = ticks("2026-11-20T06:46:00Z");
        assert_eq!(ticks("2026-11-20T06:46:00"), utc, "no zone: as UTC");
        assert_eq!(ticks("2026-11-20 06:46"), utc, "a space, no seconds");
        assert_eq!(
            ticks("2026-11-20t08:46:00+0200"),
            utc,
            "an offset without a colon"
        );
        assert_eq!(ticks("2026-11-20T04:46:00-02"), utc, "an offset in hours");
        assert_eq!(ticks("2026-11-20"), ticks("2026-11-20T00:00:00Z"));
        assert_eq!(
            ticks("2026-11-20T06:46:00.123456789Z"),
            ticks("2026-11-20T06:46:00.1234567Z"),
            "digits past the seventh cut"
        );
        assert_eq!(
            read_datetime(b"2026-11-20T06:46:00.123456789Z", Some(7)),
            Err(DateProblem::Precision(9))
        );
        assert_eq!(
            ticks("0000-01-01T00:00:00Z"),
            Some(-621_672_192_000_000_000)
        );
    }

    #[test]
    fn what_is_not_a_date_time_says_why() {
        for (bad, want) in [
            ("", DateProblem::Shape),
            ("yesterday", DateProblem::Shape),
            ("2026-13-01T00:00:00Z", DateProblem::Range("month")),
            ("2026-02-29T00:00:00Z", DateProblem::Range("day")),
            ("2026-11-20T24:00:00Z", DateProblem::Range("hour")),
            ("2026-11-20T06:60:00Z", DateProblem::Range("minute")),
            ("2026-11-20T06:46:60Z", DateProblem::Range("second")),
            (
                "2026-11-20T06:46:31+24:00",
                DateProblem::Range("time zone offset"),
            ),
            ("2026-11-20T06:46:31.Z", DateProblem::Shape),
            ("2026-11-20T06:46:31ZZ", DateProblem::Shape),
            ("2026-11-20Z", DateProblem::Shape),
            ("2026-11-20T06:46:3１Z", DateProblem::Shape),
        ] {
            assert_eq!(read_datetime(bad.as_bytes(), None), Err(want), "{bad}");
        }
    }

    #[test]
    fn uids_split_into_resource_and_guid() {
        let g = Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b8067").unwrap();
        assert_eq!(
            read_uid("urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Ok(UidText::Full {
                resource: "Job",
                guid: g
            })
        );
        assert_eq!(
            read_uid("URN:VEEAM:JOB:DCE85686-59C8-42C4-8766-F1C00A5B8067"),
            Ok(UidText::Full {
                resource: "JOB",
                guid: g
            })
        );
        assert_eq!(
            read_uid("dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Ok(UidText::Bare(g))
        );
        assert_eq!(
            read_uid("{dce85686-59c8-42c4-8766-f1c00a5b8067}"),
            Err(UidProblem::Braced(g))
        );
        assert_eq!(
            read_uid("urn:veeam::dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Err(UidProblem::BadResource(""))
        );
        assert_eq!(
            read_uid("urn:veeam:dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Err(UidProblem::NoResource)
        );
        assert_eq!(read_uid("urn:veeam:Job"), Err(UidProblem::NoResource));
        assert_eq!(read_uid("urn:veeam:Job:x"), Err(UidProblem::BadGuid("x")));
        assert_eq!(read_uid("Job"), Err(UidProblem::NoPrefix));
        assert_eq!(
            read_uid("urn:veeam:Jo b:dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Err(UidProblem::BadResource("Jo b"))
        );
    }
}
