//! What a filter reads: the [`Record`] trait and the [`Value`]s it hands out.

use crate::ir::Guid;
use crate::schema::FieldId;

/// Something a filter can be evaluated on: it hands out the value of each field of the schema
/// the filter was checked against.
///
/// Implement it for your own types to run filters over them; [`Entity`](super::Entity) is the
/// built-in implementation for EM's JSON entities. The value for each [`FieldType`] is expected
/// in one shape (a different shape counts as no value, so no comparison holds):
///
/// | field type | value |
/// | --- | --- |
/// | `UidType` | [`Value::Uid`] (an empty resource means the field's own) |
/// | `DateTime` | [`Value::DateTime`]: 100-nanosecond ticks since 1970-01-01T00:00:00Z |
/// | `Enum` | [`Value::Text`], the value's name (any case) |
/// | `String` | [`Value::Text`] |
/// | `Boolean` | [`Value::Bool`] |
/// | `Int64` | [`Value::Int`] |
/// | `Double` | [`Value::Double`] or [`Value::Int`] |
///
/// A field the record does not have, or whose value is unknown, is [`Value::Null`].
///
/// ```
/// use emfilter::eval::{Record, Value};
/// use emfilter::schema::{FieldId, REPLICA_JOB_SESSION};
///
/// struct Run { job: &'static str, failed: bool }
///
/// impl Record for Run {
///     fn value(&self, field: FieldId) -> Value<'_> {
///         match REPLICA_JOB_SESSION.field(field).name() {
///             "JobName" => Value::Text(self.job),
///             "Result" => Value::Text(if self.failed { "Failed" } else { "Success" }),
///             _ => Value::Null,
///         }
///     }
/// }
///
/// # fn main() -> Result<(), emfilter::Invalid> {
/// let filter = emfilter::compile(r#"jobname=="sql replica";Result>Success"#, &REPLICA_JOB_SESSION)?;
/// assert!(filter.matches(&Run { job: "SQL Replica", failed: true }));
/// assert!(!filter.matches(&Run { job: "SQL Replica", failed: false }));
/// # Ok(())
/// # }
/// ```
///
/// [`FieldType`]: crate::schema::FieldType
pub trait Record {
    /// The value of `field` (a field of the filter's schema).
    fn value(&self, field: FieldId) -> Value<'_>;
}

impl<R: Record + ?Sized> Record for &R {
    fn value(&self, field: FieldId) -> Value<'_> {
        (**self).value(field)
    }
}

/// The value of one field of a [`Record`].
///
/// ```
/// use emfilter::eval::{Record, Value};
/// use emfilter::schema::FieldId;
/// // A record that knows only one field, the first.
/// struct First<'a>(Value<'a>);
/// impl Record for First<'_> {
///     fn value(&self, field: FieldId) -> Value<'_> {
///         if field.index() == 0 { self.0 } else { Value::Null }
///     }
/// }
/// let schema = &emfilter::schema::REPLICA_JOB_SESSION; // field 0 is UID
/// let filter = emfilter::compile("UID==urn:veeam:ReplicaJobSession:dce85686-59c8-42c4-8766-f1c00a5b8067", schema)?;
/// let guid = emfilter::ir::Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b8067").unwrap();
/// assert!(filter.matches(&First(Value::Uid { resource: "", guid })));
/// assert!(!filter.matches(&First(Value::Text("dce85686-59c8-42c4-8766-f1c00a5b8067"))));
/// # Ok::<(), emfilter::Invalid>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// No value: the field is missing or null. No comparison holds for it, neither `==` nor
    /// `!=` (as SQL's NULL).
    Null,
    /// A UID: its resource type (`Job`; empty when the record holds a bare GUID, which then
    /// stands for the field's own resource type) and its GUID.
    Uid {
        /// The resource type as the record writes it (any case), or empty.
        resource: &'a str,
        /// The GUID.
        guid: Guid,
    },
    /// An instant, as 100-nanosecond ticks since 1970-01-01T00:00:00Z (negative before).
    DateTime(i64),
    /// Text: a string, or the name of an enum value.
    Text(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A floating-point number.
    Double(f64),
}
