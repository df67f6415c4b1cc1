//! Typed values.

use std::fmt;

use chrono::{DateTime, Datelike, Timelike, Utc};

use crate::literal::Ascii;
pub use crate::literal::Guid;
use crate::schema::Name;

/// A value of a field's type.
///
/// ```
/// use emfilter::ir::{ExprKind, TypedValue};
/// let filter = emfilter::compile("TotalSize>=1024", emfilter::schema::builtin("BackupTaskSession").unwrap())?;
/// let ExprKind::Compare(c) = filter.root().kind() else { unreachable!() };
/// assert_eq!(c.value(), &TypedValue::Int(1024));
/// assert_eq!(c.value().type_name(), "Int64");
/// # Ok::<(), emfilter::Invalid>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TypedValue {
    /// A UID: resource type and GUID.
    Uid(Uid),
    /// A UTC instant.
    DateTime(UtcDateTime),
    /// An enum value.
    Enum(EnumValue),
    /// `True` or `False`.
    Bool(bool),
    /// Text.
    String(String),
    /// A 64-bit integer.
    Int(i64),
    /// A finite floating-point number.
    Double(Double),
}

impl TypedValue {
    /// The name of the value's type, as EM's documentation writes it.
    ///
    /// ```
    /// use emfilter::ir::{Double, TypedValue};
    /// assert_eq!(TypedValue::Bool(true).type_name(), "Boolean");
    /// assert_eq!(TypedValue::Double(Double::new(0.5).unwrap()).type_name(), "Double");
    /// assert_eq!(TypedValue::String("x".into()).type_name(), "String");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            TypedValue::Uid(_) => "UidType",
            TypedValue::DateTime(_) => "DateTime",
            TypedValue::Enum(_) => "Enum",
            TypedValue::Bool(_) => "Boolean",
            TypedValue::String(_) => "String",
            TypedValue::Int(_) => "Int64",
            TypedValue::Double(_) => "Double",
        }
    }
}

/// A UID: `urn:veeam:<resource>:<guid>`, or a bare GUID that stands for one.
///
/// A bare GUID (`JobUid==dce85686-…`, which real clients send) means the UID of the field's
/// resource type with that GUID, and compares as that UID; it remembers that it was written
/// bare, so that the canonical form sends the server the bare GUID it was given rather than a
/// prefix it was not (whether a server matches a bare GUID is unknown). `Display` writes the
/// UID it stands for.
///
/// ```
/// use emfilter::ir::{Guid, Uid};
/// let guid = Guid::parse("DCE85686-59C8-42C4-8766-F1C00A5B8067").unwrap();
/// let uid = Uid::new("Job", guid);
/// assert_eq!(uid.to_string(), "urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067");
/// assert_eq!(uid.resource(), "Job");
/// let bare = Uid::bare("Job", guid);
/// assert!(bare.is_bare() && !uid.is_bare());
/// assert_eq!(bare.to_string(), uid.to_string());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Uid {
    resource: Name,
    /// The GUID's high and low halves: a `u128` would align the value to sixteen bytes, and
    /// with it every typed value and node of a filter, making each a quarter larger.
    guid: [u64; 2],
    bare: bool,
}

impl fmt::Debug for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Uid")
            .field("resource", &self.resource)
            .field("guid", &self.guid())
            .field("bare", &self.bare)
            .finish()
    }
}

impl std::hash::Hash for Uid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // As a derived `Hash` over the fields with the GUID a `Guid` would.
        self.resource.hash(state);
        self.guid().hash(state);
        self.bare.hash(state);
    }
}

impl Uid {
    /// The UID of resource type `resource` (`Job`) with `guid`.
    pub fn new(resource: impl Into<Name>, guid: Guid) -> Uid {
        Uid {
            resource: resource.into(),
            guid: [(guid.0 >> 64) as u64, guid.0 as u64],
            bare: false,
        }
    }

    /// The UID of resource type `resource` with `guid`, written as the bare GUID.
    pub fn bare(resource: impl Into<Name>, guid: Guid) -> Uid {
        Uid {
            bare: true,
            ..Uid::new(resource, guid)
        }
    }

    /// Whether it was written as a bare GUID, without `urn:veeam:<resource>:`.
    pub fn is_bare(&self) -> bool {
        self.bare
    }

    /// The resource type, in the schema's spelling.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    pub(crate) fn resource_name(&self) -> &Name {
        &self.resource
    }

    /// The GUID.
    ///
    /// ```
    /// use emfilter::ir::{ExprKind, Guid, TypedValue};
    ///
    /// # fn main() -> Result<(), emfilter::Invalid> {
    /// let filter = emfilter::compile(
    ///     "JobUid==urn:veeam:job:DCE85686-59C8-42C4-8766-F1C00A5B8067",
    ///     &emfilter::schema::REPLICA_JOB_SESSION,
    /// )?;
    /// let ExprKind::Compare(c) = filter.root().kind() else { unreachable!() };
    /// let TypedValue::Uid(uid) = c.value() else { unreachable!() };
    /// // The resource type in the schema's spelling, the GUID as a number.
    /// assert_eq!(uid.resource(), "Job");
    /// assert_eq!(uid.guid(), Guid(0xdce85686_59c8_42c4_8766_f1c00a5b8067));
    /// # Ok(())
    /// # }
    /// ```
    pub fn guid(&self) -> Guid {
        let [high, low] = self.guid;
        Guid(u128::from(high) << 64 | u128::from(low))
    }

    /// Writes it as `Display` does, without the formatting machinery: the prefix, the resource
    /// type, then the colon and the GUID at once.
    pub(crate) fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        out.write_str(crate::literal::UID_PREFIX)?;
        out.write_str(&self.resource)?;
        let mut text = Ascii([b':'; 49]);
        text.0[1..37].copy_from_slice(&self.guid().ascii());
        text.write(out, 37)
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// A UTC instant, with the number of fractional digits it was written with (0 to 7), and
/// whether it was written with a zone: one written without (`2025-02-18T14:16:31`, which the
/// checker warns about) is taken as UTC and printed without a zone again, so that printing
/// never settles the doubt.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use emfilter::ir::UtcDateTime;
/// let t = UtcDateTime::new(Utc.with_ymd_and_hms(2025, 8, 14, 12, 31, 30).unwrap(), 2).unwrap();
/// assert_eq!(t.to_string(), "2025-08-14T12:31:30.00Z");
/// assert_eq!(t.ticks(), 1_755_174_690 * 10_000_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UtcDateTime {
    instant: DateTime<Utc>,
    digits: u8,
    zoned: bool,
}

impl UtcDateTime {
    /// The most fractional digits EM keeps (100 ns ticks).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use emfilter::ir::UtcDateTime;
    /// let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    /// assert!(UtcDateTime::new(t, UtcDateTime::MAX_DIGITS).is_some());
    /// assert!(UtcDateTime::new(t, UtcDateTime::MAX_DIGITS + 1).is_none());
    /// ```
    pub const MAX_DIGITS: u8 = 7;

    /// `instant`, to be written with `digits` fractional digits. `None` if `digits` is more than
    /// seven, or the instant has more precision than `digits` shows.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use emfilter::ir::UtcDateTime;
    /// let t = Utc.with_ymd_and_hms(2026, 1, 1, 8, 30, 0).unwrap() + chrono::Duration::milliseconds(250);
    /// let written = UtcDateTime::new(t, 3).unwrap();
    /// assert_eq!((written.instant(), written.digits()), (t, 3));
    /// assert_eq!(written.to_string(), "2026-01-01T08:30:00.250Z");
    /// // One digit cannot show a quarter second.
    /// assert!(UtcDateTime::new(t, 1).is_none());
    /// ```
    pub fn new(instant: DateTime<Utc>, digits: u8) -> Option<UtcDateTime> {
        if digits > Self::MAX_DIGITS {
            return None;
        }
        // The nanoseconds of the UTC time itself (`DateTime::nanosecond` applies the offset, none
        // for UTC, to the whole date and time first).
        let nanos = instant.naive_utc().nanosecond();
        /// Nanoseconds in a unit of the last of 0 to 7 fractional digits.
        const UNITS: [u32; 8] = [
            1_000_000_000,
            100_000_000,
            10_000_000,
            1_000_000,
            100_000,
            10_000,
            1_000,
            100,
        ];
        let unit = UNITS[usize::from(digits)];
        if nanos % unit != 0 || nanos >= 1_000_000_000 {
            return None;
        }
        Some(UtcDateTime {
            instant,
            digits,
            zoned: true,
        })
    }

    /// The same instant, as written without a zone: it prints without `Z`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use emfilter::ir::UtcDateTime;
    /// let t = UtcDateTime::new(Utc.with_ymd_and_hms(2021, 6, 15, 0, 0, 0).unwrap(), 0).unwrap();
    /// assert_eq!(t.without_zone().to_string(), "2021-06-15T00:00:00");
    /// assert!(!t.without_zone().has_zone() && t.has_zone());
    /// ```
    pub fn without_zone(mut self) -> UtcDateTime {
        self.zoned = false;
        self
    }

    /// Whether it was written with a zone (`Z` or an offset).
    pub fn has_zone(&self) -> bool {
        self.zoned
    }

    /// The instant.
    pub fn instant(&self) -> DateTime<Utc> {
        self.instant
    }

    /// How many fractional digits it was written with.
    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// 100-nanosecond ticks since 1970-01-01T00:00:00Z (negative before).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use emfilter::ir::UtcDateTime;
    /// let epoch = UtcDateTime::new(Utc.timestamp_opt(0, 100).unwrap(), 7).unwrap();
    /// assert_eq!(epoch.ticks(), 1);
    /// let before = UtcDateTime::new(Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap(), 0).unwrap();
    /// assert_eq!(before.ticks(), -10_000_000);
    /// ```
    pub fn ticks(&self) -> i64 {
        let t = self.instant.naive_utc();
        t.and_utc().timestamp() * 10_000_000 + i64::from(t.nanosecond() / 100)
    }

    /// Writes it as `Display` does, without the formatting machinery: `YYYY-MM-DDTHH:MM:SS`,
    /// then `.` and the digits written, then `Z` if it was written with a zone, with one
    /// `write_str`.
    pub(crate) fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        // The fields read once from the UTC date and time (those of `DateTime` apply the offset,
        // none for UTC, on every call).
        let t = self.instant.naive_utc();
        let (date, time) = (t.date(), t.time());
        let year = date.year();
        if !(0..=9999).contains(&year) {
            // Not a year EM has (the checker refuses it); as chrono writes it.
            write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%S"))?;
            if self.digits > 0 {
                let frac = format!("{:09}", time.nanosecond());
                write!(out, ".{}", &frac[..usize::from(self.digits)])?;
            }
            return out.write_str("Z");
        }
        let mut text = Ascii(*b"0000-00-00T00:00:00.000000000Z000");
        let b = &mut text.0;
        b[..4].copy_from_slice(&decimal::<4>(year as u32));
        b[5..7].copy_from_slice(&decimal::<2>(date.month()));
        b[8..10].copy_from_slice(&decimal::<2>(date.day()));
        b[11..13].copy_from_slice(&decimal::<2>(time.hour()));
        b[14..16].copy_from_slice(&decimal::<2>(time.minute()));
        b[17..19].copy_from_slice(&decimal::<2>(time.second()));
        let mut end = 19;
        if self.digits > 0 {
            b[20..29].copy_from_slice(&decimal::<9>(time.nanosecond()));
            end = 20 + usize::from(self.digits);
        }
        if self.zoned {
            b[end] = b'Z';
            end += 1;
        }
        text.write(out, end)
    }
}

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// The last `N` decimal digits of `v`, with leading zeros: two at a time, from a table.
fn decimal<const N: usize>(mut v: u32) -> [u8; N] {
    /// `00` to `99`.
    const PAIRS: [[u8; 2]; 100] = {
        let mut pairs = [[0; 2]; 100];
        let mut i = 0;
        while i < 100 {
            pairs[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        pairs
    };
    let mut out = [b'0'; N];
    let mut end = N;
    while end >= 2 {
        out[end - 2..end].copy_from_slice(&PAIRS[(v % 100) as usize]);
        v /= 100;
        end -= 2;
    }
    if end == 1 {
        out[0] = b'0' + (v % 10) as u8;
    }
    out
}

/// An enum value: its name in the schema's spelling and its documented index.
///
/// ```
/// use emfilter::ir::EnumValue;
/// assert_eq!(EnumValue::documented("Failed", 2).index(), Some(2));
/// assert_eq!(EnumValue::undocumented("None").index(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumValue {
    name: Name,
    index: Option<u16>,
}

impl EnumValue {
    /// The documented value `name` at `index`.
    ///
    /// ```
    /// use emfilter::ir::{Comparison, EnumValue, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp};
    /// let result = REPLICA_JOB_SESSION.lookup("Result").unwrap();
    /// let warning = EnumValue::documented("Warning", 1);
    /// assert_eq!((warning.name(), warning.index()), ("Warning", Some(1)));
    /// assert!(Comparison::new(&REPLICA_JOB_SESSION, result, CompareOp::Ge, TypedValue::Enum(warning)).is_ok());
    /// // The index must be the value's place in the schema's order.
    /// let misplaced = EnumValue::documented("Warning", 2);
    /// assert!(Comparison::new(&REPLICA_JOB_SESSION, result, CompareOp::Ge, TypedValue::Enum(misplaced)).is_err());
    /// ```
    pub fn documented(name: impl Into<Name>, index: usize) -> EnumValue {
        EnumValue {
            name: name.into(),
            index: Some(u16::try_from(index).unwrap_or(u16::MAX)),
        }
    }

    /// A value seen on servers but not documented (`None` for `Result`): it has no index.
    ///
    /// ```
    /// use emfilter::ir::{Comparison, EnumValue, TypedValue};
    /// use emfilter::{schema::REPLICA_JOB_SESSION, CompareOp, Filter};
    /// let result = REPLICA_JOB_SESSION.lookup("Result").unwrap();
    /// let none = EnumValue::undocumented("None");
    /// assert_eq!((none.name(), none.index()), ("None", None));
    /// let c = Comparison::new(&REPLICA_JOB_SESSION, result, CompareOp::Eq, TypedValue::Enum(none)).unwrap();
    /// let filter = Filter::new(&REPLICA_JOB_SESSION, emfilter::ir::Expr::compare(c)).unwrap();
    /// assert!(filter.matches_json(br#"{"Result":"None"}"#).unwrap());
    /// ```
    pub fn undocumented(name: impl Into<Name>) -> EnumValue {
        EnumValue {
            name: name.into(),
            index: None,
        }
    }

    /// The schema's spelling.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn name_ref(&self) -> &Name {
        &self.name
    }

    /// The index in the documented order; `None` for an undocumented value.
    pub fn index(&self) -> Option<usize> {
        self.index.map(usize::from)
    }
}

impl fmt::Display for EnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A finite 64-bit floating-point number, the value of a `Double` field (`CompressRatio`).
///
/// NaN and the infinities are not values, and `-0` is `0`, so equality is the numbers' equality
/// and `Eq`, `Ord` and `Hash` agree with it.
///
/// `Display` prints the canonical form: the shortest decimal that reads back as the same number
/// exactly, in plain notation from 1e-5 up to 1e16 and in scientific notation (`1e300`,
/// `2.5e-7`) outside that range, with no `.0` on whole numbers (`2`, `-0.5`, `1e16`).
///
/// ```
/// use emfilter::ir::Double;
/// assert_eq!(Double::new(2.50).unwrap().to_string(), "2.5");
/// assert_eq!(Double::new(-0.0), Double::new(0.0));
/// assert!(Double::new(f64::NAN).is_none());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Double(f64);

impl Double {
    /// `value`, if it is finite.
    ///
    /// ```
    /// use emfilter::ir::Double;
    /// let ratio = Double::new(1.5).unwrap();
    /// assert_eq!(ratio.get(), 1.5);
    /// assert!(Double::new(f64::INFINITY).is_none());
    /// // -0 is 0.
    /// assert_eq!(Double::new(-0.0).unwrap().get().to_bits(), 0.0f64.to_bits());
    /// ```
    pub fn new(value: f64) -> Option<Double> {
        // `+ 0.0` turns -0 into 0 and leaves every other number as it is.
        value.is_finite().then_some(Double(value + 0.0))
    }

    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }
}

impl PartialEq for Double {
    fn eq(&self, other: &Double) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}

impl Eq for Double {}

impl std::hash::Hash for Double {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

impl PartialOrd for Double {
    fn partial_cmp(&self, other: &Double) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Double {
    fn cmp(&self, other: &Double) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl fmt::Display for Double {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `{:?}` is Rust's shortest round-trip form, scientific outside [1e-5, 1e16).
        let text = format!("{:?}", self.0);
        f.write_str(text.strip_suffix(".0").unwrap_or(&text))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    /// What `Display` writes, as chrono writes it.
    fn chrono_text(t: &UtcDateTime) -> String {
        let nanos = format!("{:09}", t.instant().nanosecond());
        let frac = match t.digits() {
            0 => String::new(),
            d => format!(".{}", &nanos[..usize::from(d)]),
        };
        let zone = if t.has_zone() { "Z" } else { "" };
        format!("{}{frac}{zone}", t.instant().format("%Y-%m-%dT%H:%M:%S"))
    }

    #[test]
    fn date_times_print_as_chrono_writes_them() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for i in 0..5000u32 {
            x = x.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ (x >> 29);
            // Every second of the years 0000 to 9999, every digit count, with and without zone.
            let secs = (x % 315_569_520_000) as i64 - 62_167_219_200;
            let digits = (i % 8) as u8;
            let unit = 10u32.pow(9 - u32::from(digits));
            let nanos = (x >> 32) as u32 % 1_000_000_000 / unit * unit;
            let t = UtcDateTime::new(Utc.timestamp_opt(secs, nanos).unwrap(), digits).unwrap();
            let t = if i % 3 == 0 { t.without_zone() } else { t };
            assert_eq!(t.to_string(), chrono_text(&t));
        }
    }

    #[test]
    fn digits_hold_exactly_the_instants_they_can_show() {
        let second = Utc.with_ymd_and_hms(2025, 8, 14, 12, 31, 30).unwrap();
        for digits in 0..=UtcDateTime::MAX_DIGITS {
            let unit = 10u32.pow(9 - u32::from(digits));
            for nanos in [0, 1, 99, 100, 250_000_000, 999_999_900, 123_456_700, 500] {
                let t = second + chrono::Duration::nanoseconds(i64::from(nanos));
                let made = UtcDateTime::new(t, digits);
                assert_eq!(made.is_some(), nanos % unit == 0, "{nanos} in {digits}");
                if let Some(made) = made {
                    assert_eq!(
                        made.ticks(),
                        second.timestamp() * 10_000_000 + i64::from(nanos / 100)
                    );
                }
            }
        }
        assert!(UtcDateTime::new(second, UtcDateTime::MAX_DIGITS + 1).is_none());
    }

    #[test]
    fn years_past_9999_print_as_chrono_writes_them() {
        let t = Utc.with_ymd_and_hms(10_000, 1, 2, 3, 4, 5).unwrap();
        let t = UtcDateTime::new(t + chrono::Duration::milliseconds(250), 2).unwrap();
        assert_eq!(t.to_string(), "+10000-01-02T03:04:05.25Z");
        let before = Utc.with_ymd_and_hms(-1, 12, 31, 0, 0, 0).unwrap();
        let before = UtcDateTime::new(before, 0).unwrap();
        assert_eq!(before.to_string(), "-0001-12-31T00:00:00Z");
    }
}
