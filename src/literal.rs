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
///
/// ```
/// use emfilter::ir::Guid;
///
/// let guid = Guid(0xdce85686_59c8_42c4_8766_f1c00a5b8067);
/// assert_eq!(guid.to_string(), "dce85686-59c8-42c4-8766-f1c00a5b8067");
/// // The same GUID in any case; GUIDs compare by value.
/// assert_eq!(Guid::parse("DCE85686-59C8-42C4-8766-F1C00A5B8067"), Some(guid));
/// assert!(Guid(1) < guid);
/// ```
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
        let b: &[u8; 36] = b.try_into().ok()?;
        if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
            return None;
        }
        let a = hex8([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])?;
        let c = hex8([b[9], b[10], b[11], b[12], b[14], b[15], b[16], b[17]])?;
        let d = hex8([b[19], b[20], b[21], b[22], b[24], b[25], b[26], b[27]])?;
        let e = hex8([b[28], b[29], b[30], b[31], b[32], b[33], b[34], b[35]])?;
        let high = (u64::from(a) << 32) | u64::from(c);
        let low = (u64::from(d) << 32) | u64::from(e);
        Some(Guid((u128::from(high) << 64) | u128::from(low)))
    }
}

/// The value of eight hex digits in either case, the first the most significant; `None` if any
/// byte is not one. All eight are tested and converted at once, a byte of a `u64` each.
#[inline(always)]
fn hex8(digits: [u8; 8]) -> Option<u32> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    /// Each byte of `w` plus `0x80 - bound`: its high bit says whether the byte is at least
    /// `bound` (for bytes below 0x80, which never carry into the next).
    fn at_least(w: u64, bound: u8) -> u64 {
        w + ONES * u64::from(0x80 - bound)
    }
    let w = u64::from_be_bytes(digits);
    if w & HIGH != 0 {
        return None;
    }
    let digit = at_least(w, b'0') & !at_least(w, b'9' + 1);
    let folded = w | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'f' + 1);
    if (digit | letter) & HIGH != HIGH {
        return None;
    }
    // A byte's value: its low four bits, and 9 more for a letter (whose bit 6 is set).
    let n = (w & (ONES * 0x0f)) + ((w >> 6) & ONES) * 9;
    // Four bits a byte, packed into 32.
    let n = (n | (n >> 4)) & 0x00ff_00ff_00ff_00ff;
    let n = (n | (n >> 8)) & 0x0000_ffff_0000_ffff;
    let n = (n | (n >> 16)) & 0x0000_0000_ffff_ffff;
    Some(n as u32)
}

impl Guid {
    /// Its 36 characters, `8-4-4-4-12` lower-case hex digits: what `Display` writes.
    pub(crate) fn ascii(self) -> [u8; 36] {
        let v = self.0;
        let [a, b, c, d] = [v >> 96, v >> 64, v >> 32, v].map(|w| hex8_digits(w as u32));
        let mut out = [b'-'; 36];
        out[..8].copy_from_slice(&a);
        out[9..13].copy_from_slice(&b[..4]);
        out[14..18].copy_from_slice(&b[4..]);
        out[19..23].copy_from_slice(&c[..4]);
        out[24..28].copy_from_slice(&c[4..]);
        out[28..].copy_from_slice(&d);
        out
    }

    /// Writes it as `Display` does, with one `write_str` and no formatting machinery.
    pub(crate) fn write_to(self, out: &mut impl fmt::Write) -> fmt::Result {
        Ascii(self.ascii()).write(out, 36)
    }
}

/// The eight lower-case hex digits of `v`, the most significant first (the inverse of
/// [`hex8`]): each four bits spread to a byte of a `u64` of their own, and all eight turned to
/// ASCII at once.
fn hex8_digits(v: u32) -> [u8; 8] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let n = u64::from(v);
    let n = (n | (n << 16)) & 0x0000_ffff_0000_ffff;
    let n = (n | (n << 8)) & 0x00ff_00ff_00ff_00ff;
    let n = (n | (n << 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    // 1 in each byte above 9, which is written as a letter.
    let letter = ((n + ONES * 6) >> 4) & ONES;
    (n + ONES * u64::from(b'0') + letter * u64::from(b'a' - b'0' - 10)).to_be_bytes()
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// Text of ASCII bytes (digits, letters, `-`, `:`) built on the stack, written with one
/// `write_str`: how GUIDs and date-times are written.
///
/// Aligned to eight bytes, so that `str::from_utf8`, the safe way from bytes to text, checks it
/// a word at a time from its first byte rather than a byte at a time up to an aligned one.
#[repr(C, align(8))]
pub(crate) struct Ascii<const N: usize>(pub(crate) [u8; N]);

impl<const N: usize> Ascii<N> {
    /// Writes the first `len` bytes.
    ///
    /// All `N` bytes are checked, not the first `len`: `str::from_utf8` checks two words at a
    /// time up to the last two words' worth and the rest a byte at a time, so an `N` of 16
    /// times a number, plus one, leaves it one byte to check alone (the bytes past `len` are
    /// ASCII filler).
    pub(crate) fn write(&self, out: &mut impl fmt::Write, len: usize) -> fmt::Result {
        // Only ASCII is put in: the check cannot fail, nor can the cut at `len`.
        let text = std::str::from_utf8(&self.0).map_err(|_| fmt::Error)?;
        out.write_str(text.get(..len).ok_or(fmt::Error)?)
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
    // What UIDs mostly are, `urn:veeam:<resource>:<guid>`, read without a search for the last
    // colon: a GUID holds none, so the colon before it is the last. Anything else takes the
    // general way below, which gives the same answer for this case.
    let b = text.as_bytes();
    if b.len() > UID_PREFIX.len() + 37 && b[b.len() - 37] == b':' {
        if let (Some(prefix), Some(resource), Some(guid)) = (
            text.get(..UID_PREFIX.len()),
            text.get(UID_PREFIX.len()..b.len() - 37),
            Guid::parse_bytes(&b[b.len() - 36..]),
        ) {
            if (prefix == UID_PREFIX || prefix.eq_ignore_ascii_case(UID_PREFIX))
                && !resource.is_empty()
                && resource.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Ok(UidText::Full { resource, guid });
            }
        }
    }
    if let Some(guid) = Guid::parse(text) {
        return Ok(UidText::Bare(guid));
    }
    let braced = text.strip_prefix('{').and_then(|t| t.strip_suffix('}'));
    if let Some(guid) = braced.and_then(Guid::parse) {
        return Err(UidProblem::Braced(guid));
    }
    let rest = match text.get(..UID_PREFIX.len()) {
        Some(p) if p == UID_PREFIX || p.eq_ignore_ascii_case(UID_PREFIX) => {
            &text[UID_PREFIX.len()..]
        }
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
    // What nearly every date-time starts with, read at once; anything else, a part at a time.
    read_datetime_with(text, max_digits, text.first_chunk().and_then(date_and_time))
}

/// [`read_datetime`], with `head` the first nineteen bytes as [`date_and_time`] reads them, if
/// they have that shape (`None`: read a part at a time).
fn read_datetime_with(
    text: &[u8],
    max_digits: Option<usize>,
    head: Option<[u32; 6]>,
) -> Result<DateTimeText, DateProblem> {
    let mut r = Cursor { b: text, i: 0 };
    let (year, month, day) = match head {
        Some([year, month, day, ..]) => {
            r.i = 10;
            (year, month, day)
        }
        None => {
            let year = r.digits(4).ok_or(DateProblem::Shape)?;
            r.expect(b'-')?;
            let month = r.digits(2).ok_or(DateProblem::Shape)?;
            r.expect(b'-')?;
            (year, month, r.digits(2).ok_or(DateProblem::Shape)?)
        }
    };
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
        if let Some([.., hour, minute, second]) = head {
            (dt.hour, dt.minute, dt.second) = (hour, minute, second);
            r.i = 19;
            fraction(&mut r, &mut dt, max_digits)?;
        } else {
            dt.hour = r.digits(2).ok_or(DateProblem::Shape)?;
            r.expect(b':')?;
            dt.minute = r.digits(2).ok_or(DateProblem::Shape)?;
            if r.peek() == Some(b':') {
                r.i += 1;
                dt.second = r.digits(2).ok_or(DateProblem::Shape)?;
                fraction(&mut r, &mut dt, max_digits)?;
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

/// `YYYY-MM-DDTHH:MM:SS` (or with `t` or a space for the `T`): year, month, day, hour, minute
/// and second as [`read_datetime`] reads them a part at a time, none checked for range.
fn date_and_time(text: &[u8; 19]) -> Option<[u32; 6]> {
    if text[4] != b'-'
        || text[7] != b'-'
        || !matches!(text[10], b'T' | b't' | b' ')
        || text[13] != b':'
        || text[16] != b':'
    {
        return None;
    }
    let digit = |i: usize| u32::from(text[i].wrapping_sub(b'0'));
    let pair = |i: usize| digit(i) * 10 + digit(i + 1);
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    if DIGITS.iter().any(|&i| digit(i) > 9) {
        return None;
    }
    Some([
        pair(0) * 100 + pair(2),
        pair(5),
        pair(8),
        pair(11),
        pair(14),
        pair(17),
    ])
}

/// The fractional digits after the seconds, if a `.` follows them.
fn fraction(
    r: &mut Cursor<'_>,
    dt: &mut DateTimeText,
    max_digits: Option<usize>,
) -> Result<(), DateProblem> {
    if r.peek() != Some(b'.') {
        return Ok(());
    }
    r.i += 1;
    let rest = r.b.get(r.i..).unwrap_or_default();
    let digits = rest
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    r.i += digits;
    dt.digits = digits;
    if digits == 0 {
        return Err(DateProblem::Shape);
    }
    if max_digits.is_some_and(|m| digits > m) {
        return Err(DateProblem::Precision(digits));
    }
    // The first seven digits, in 100 ns ticks; any past them are cut.
    let kept = rest.get(..digits.min(MAX_DIGITS)).unwrap_or_default();
    let value = kept.iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
    const SCALE: [u32; MAX_DIGITS + 1] =
        [10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    dt.fraction = value * SCALE[kept.len()];
    Ok(())
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
    fn the_head_read_at_once_reads_as_the_parts_do() {
        // Each of these, with every byte replaced in turn by each byte that matters to a
        // date-time: read with the first nineteen bytes at once, and a part at a time.
        assert_eq!(
            date_and_time(b"2026-11-20t06:46:31"),
            Some([2026, 11, 20, 6, 46, 31])
        );
        assert_eq!(date_and_time(b"2026-11-20T06:46:3:"), None);
        let bytes = b"0123456789-:Tt .Zz+-xA\xff";
        for text in [
            "2026-11-20T06:46:31Z",
            "2024-02-29t23:59:59.1234567+02:00",
            "2026-11-20 06:46:00",
            "1999-12-31T00:00:00.Z",
            "2026-11-20T06:46:00.123456789Z",
            "0000-01-01T00:00:00-0130",
        ] {
            let mut variants = vec![text.as_bytes().to_vec()];
            for i in 0..text.len() {
                for &b in bytes {
                    let mut v = text.as_bytes().to_vec();
                    v[i] = b;
                    variants.push(v);
                }
                variants.push(text.as_bytes()[..i].to_vec());
            }
            for v in variants {
                let head = v.first_chunk().and_then(date_and_time);
                for max in [None, Some(MAX_DIGITS)] {
                    assert_eq!(
                        read_datetime(&v, max),
                        read_datetime_with(&v, max, None),
                        "{}",
                        String::from_utf8_lossy(&v)
                    );
                    assert_eq!(read_datetime_with(&v, max, head), read_datetime(&v, max));
                }
            }
        }
    }

    #[test]
    fn fractions_read_as_digit_by_digit() {
        // The digits as the reader read them one at a time before.
        fn by_digits(digits: &str) -> (u32, usize) {
            let mut fraction = 0;
            for (i, c) in digits.bytes().enumerate() {
                if i < MAX_DIGITS {
                    fraction = fraction * 10 + u32::from(c - b'0');
                }
            }
            for _ in digits.len()..MAX_DIGITS {
                fraction *= 10;
            }
            (fraction, digits.len())
        }
        let all = "9081726354019283";
        for n in 0..=all.len() {
            for zone in ["Z", "", "+01:00", "x"] {
                let text = format!("2026-11-20T06:46:31.{}{zone}", &all[..n]);
                for max in [None, Some(MAX_DIGITS)] {
                    let got = read_datetime(text.as_bytes(), max);
                    // Too many digits is found before what follows them.
                    let want = if n == 0 {
                        Err(DateProblem::Shape)
                    } else if max.is_some_and(|m| n > m) {
                        Err(DateProblem::Precision(n))
                    } else if zone == "x" {
                        Err(DateProblem::Shape)
                    } else {
                        Ok(by_digits(&all[..n]))
                    };
                    assert_eq!(got.map(|d| (d.fraction, d.digits)), want, "{text} {max:?}");
                }
            }
        }
    }

    #[test]
    fn guids_print_and_read_back_and_every_bad_byte_is_caught() {
        // Every hex digit in every place, as `{:032x}` writes it.
        let mut x = 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834_u128;
        for _ in 0..1000 {
            x = x.wrapping_mul(0x2545_f491_4f6c_dd1d_9e37_79b9_7f4a_7c15) ^ (x >> 61);
            let h = format!("{x:032x}");
            let want = [&h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]].join("-");
            assert_eq!(Guid(x).to_string(), want);
        }
        for v in [
            0,
            1,
            u128::MAX,
            0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
            1 << 64,
        ] {
            let text = Guid(v).to_string();
            assert_eq!(text, {
                let h = format!("{v:032x}");
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                )
            });
            assert_eq!(Guid::parse(&text), Some(Guid(v)));
            assert_eq!(Guid::parse(&text.to_ascii_uppercase()), Some(Guid(v)));
            for i in 0..36 {
                for bad in (0..=255u8).filter(|b| !b.is_ascii_hexdigit()) {
                    let mut b = text.clone().into_bytes();
                    if b[i] == b'-' && bad == b'-' {
                        continue;
                    }
                    b[i] = bad;
                    assert_eq!(
                        Guid::parse_bytes(&b),
                        None,
                        "{}",
                        String::from_utf8_lossy(&b)
                    );
                }
                if text.as_bytes()[i] != b'-' {
                    let mut b = text.clone().into_bytes();
                    b[i] = b'-';
                    assert_eq!(Guid::parse_bytes(&b), None);
                    for good in (0..=255u8).filter(u8::is_ascii_hexdigit) {
                        let mut b = text.clone().into_bytes();
                        b[i] = good;
                        let again = Guid::parse_bytes(&b).expect("hex digits").to_string();
                        assert!(again.eq_ignore_ascii_case(std::str::from_utf8(&b).unwrap()));
                    }
                }
            }
        }
        assert_eq!(Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b806"), None);
        assert_eq!(Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b80677"), None);
        assert_eq!(Guid::parse("dce8568659c8-42c4-8766-f1c00a5b80677"), None);
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
