//! The EM entity as a [`Record`]: reading the JSON that Enterprise Manager returns for a query
//! type, keyed by the type's schema.
//!
//! An [`EntityFormat`] says, for each field of a schema, where an entity's JSON holds it: most
//! fields under their own name, the times under `CreationTimeUTC` and `EndTimeUTC`, and
//! `BackupServerName` / `BackupServerUid` in the link with `Rel` `Up` and `Type`
//! `BackupServerReference` (its `Name`, and the GUID at the end of its `Href`).
//!
//! Reading is tolerant of what real files hold: a leading byte-order mark, fields that are null
//! or missing (no value: no comparison holds), fields the schema does not know (ignored), 0 to 7
//! fractional digits in timestamps, links whose fields are null or missing. Only the fields a
//! filter reads are converted (and so checked); the rest only has to be JSON.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{Program, Record, Value};
use crate::ir::Guid;
use crate::literal::{self, UidText};
use crate::schema::{Field, FieldId, FieldType, Schema};

/// The most fields a schema may have to be read as an entity.
const MAX_FIELDS: usize = 16;

/// The query types whose entities are read: those whose JSON entity has been seen or is documented,
/// with every filter field plainly an element, an attribute, or the backup server's link, but
/// for the fields listed beside the type: those the server resolves from elsewhere (a task
/// session's `JobUid` and `JobName` are the parent job's; its entity has no element for them).
/// A filter that reads such a field can be checked, but not evaluated.
const EVALUABLE: [(&str, &[&str]); 4] = [
    ("ReplicaJobSession", &[]),
    ("BackupJobSession", &[]),
    ("BackupTaskSession", &["JobUid", "JobName"]),
    ("ReplicaTaskSession", &["JobUid", "JobName"]),
];

/// The names of the evaluable types, for messages.
fn evaluable_names() -> String {
    let names: Vec<&str> = EVALUABLE.iter().map(|(name, _)| *name).collect();
    let (last, rest) = names.split_last().expect("EVALUABLE is not empty");
    format!("{} and {last}", rest.join(", "))
}

/// The link that holds a session's backup server.
const SERVER_LINK_REL: &str = "Up";
const SERVER_LINK_TYPE: &str = "BackupServerReference";

/// Where an entity's JSON holds the fields of one query type.
///
/// ```
/// use emfilter::eval::{EntityFormat, Record, Value};
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// let format = EntityFormat::for_schema(&REPLICA_JOB_SESSION)?;
/// assert_eq!(format.collection(), "ReplicaJobSessions");
/// let entity = format.read(br#"{"Result":"Failed","EndTimeUTC":null}"#)?;
/// let result = REPLICA_JOB_SESSION.lookup("Result").unwrap();
/// assert_eq!(entity.value(result), Value::Text("Failed"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct EntityFormat {
    schema: Schema,
    collection: String,
    keys: Vec<(&'static str, FieldId)>,
    /// `keys` by bucket: see [`bucket`].
    buckets: [Vec<u8>; 32],
    link_name: Option<FieldId>,
    link_uid: Option<FieldId>,
    /// Fields of the schema that the entity does not hold.
    unmapped: Vec<FieldId>,
}

/// A query type whose entities this build cannot read (yet), or a field of it that its entity
/// does not hold: filters for it can be checked but not evaluated.
///
/// ```
/// let repositories = emfilter::schema::builtin("Repository").unwrap();
/// let filter = emfilter::compile("Capacity>0", repositories)?;
/// let e = filter.entity_format().unwrap_err();
/// assert_eq!((e.name.as_str(), e.field), ("Repository", None));
/// # Ok::<(), emfilter::Invalid>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotEvaluable {
    /// The query type.
    pub name: String,
    /// The field the filter reads that the type's entity has no element for; `None` when no
    /// entity of the type can be read.
    pub field: Option<String>,
}

impl fmt::Display for NotEvaluable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            None => write!(
                f,
                "`{}` can be checked but not evaluated yet: emfilter reads the JSON entities of {} \
                 only",
                self.name,
                evaluable_names()
            ),
            Some(ref field) => write!(
                f,
                "a `{}` filter on `{field}` can be checked but not evaluated: the {} entity has no \
                 element for `{field}` (the server takes it from the parent job)",
                self.name, self.name
            ),
        }
    }
}

impl std::error::Error for NotEvaluable {}

/// A record that could not be read: not JSON, not an object, an object that holds none of the
/// type's fields (`{"foo":1}`, an EM error body), or a field the filter reads that does not
/// hold a value of its type.
///
/// ```
/// use emfilter::eval::EntityFormat;
/// let format = EntityFormat::for_schema(&emfilter::schema::REPLICA_JOB_SESSION).unwrap();
/// let e = format.read(b"{\"EndTimeUTC\": \"yesterday\"}").unwrap_err();
/// assert!(e.message().contains("is not a date-time"), "{e}");
/// assert_eq!((e.line(), e.column()), (1, 26));
/// ```
#[derive(Debug)]
pub struct ReadError(Failure);

#[derive(Debug)]
enum Failure {
    Json(serde_json::Error),
    /// Well-formed JSON that is not an entity of the type: what it is instead.
    NotEntity(String),
}

impl ReadError {
    /// What is wrong, without the position.
    pub fn message(&self) -> String {
        match &self.0 {
            Failure::Json(e) => {
                let text = e.to_string();
                let suffix = format!(" at line {} column {}", e.line(), e.column());
                match text.strip_suffix(&suffix) {
                    Some(m) => m.to_owned(),
                    None => text,
                }
            }
            Failure::NotEntity(what) => what.clone(),
        }
    }

    /// The line (1-based) in the record's text where it went wrong, 0 when unknown (or the
    /// record as a whole is wrong).
    pub fn line(&self) -> usize {
        match &self.0 {
            Failure::Json(e) => e.line(),
            Failure::NotEntity(_) => 0,
        }
    }

    /// The column (1-based) in that line, 0 when unknown (or the record as a whole is wrong).
    pub fn column(&self) -> usize {
        match &self.0 {
            Failure::Json(e) => e.column(),
            Failure::NotEntity(_) => 0,
        }
    }

    /// Whether the text ended before the record did.
    ///
    /// ```
    /// use emfilter::eval::EntityFormat;
    /// let format = EntityFormat::for_schema(&emfilter::schema::REPLICA_JOB_SESSION).unwrap();
    /// // A record cut short, as by a truncated download:
    /// let cut = format.read(br#"{"Result":"Fail"#).unwrap_err();
    /// assert!(cut.is_eof() && !cut.is_not_entity());
    /// assert!(!format.read(br#"{"Result":}"#).unwrap_err().is_eof());
    /// ```
    pub fn is_eof(&self) -> bool {
        matches!(&self.0, Failure::Json(e) if e.is_eof())
    }

    /// Whether the record is well-formed JSON but not an entity of the type: an object that
    /// holds none of its fields.
    ///
    /// ```
    /// use emfilter::eval::EntityFormat;
    /// let format = EntityFormat::for_schema(&emfilter::schema::REPLICA_JOB_SESSION).unwrap();
    /// // EM's error body is JSON, but no session.
    /// let e = format.read(br#"{"FirstChanceExceptionMessage":"denied","StackTrace":null}"#).unwrap_err();
    /// assert!(e.is_not_entity());
    /// assert_eq!((e.line(), e.column()), (0, 0));
    /// assert!(!format.read(b"not json").unwrap_err().is_not_entity());
    /// ```
    pub fn is_not_entity(&self) -> bool {
        matches!(self.0, Failure::NotEntity(_))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Failure::Json(e) => e.fmt(f),
            Failure::NotEntity(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<serde_json::Error> for ReadError {
    fn from(e: serde_json::Error) -> ReadError {
        ReadError(Failure::Json(e))
    }
}

/// The most keys named when a record is not an entity.
const KEYS_SHOWN: usize = 6;
/// The most characters of one key, or of an EM error's message, shown.
const TEXT_SHOWN: usize = 200;

/// `text` for a message: control characters escaped, cut at `TEXT_SHOWN` characters.
fn shown(text: &str) -> String {
    let mut out: String = text.chars().take(TEXT_SHOWN).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out.escape_debug().to_string()
}

fn bucket(key: &[u8]) -> usize {
    let last = key.last().copied().unwrap_or(0) as usize;
    (key.len() * 7 + last) & 31
}

impl EntityFormat {
    /// The format of `schema`'s entities, or why they cannot be read.
    ///
    /// The entity is EM's, so each field is read from the element of its EM name
    /// ([`Field::em_name`](crate::schema::Field::em_name)), whatever the schema calls it, and a
    /// field the query type's entity does not hold cannot be evaluated.
    ///
    /// ```
    /// use emfilter::eval::EntityFormat;
    /// use emfilter::schema::{builtin, REPLICA_JOB_SESSION};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let format = EntityFormat::for_schema(&REPLICA_JOB_SESSION)?;
    /// assert_eq!(format.schema().name(), "ReplicaJobSession");
    /// // A renamed field is still read from EM's element.
    /// let api = REPLICA_JOB_SESSION.rename("JobName", "job")?;
    /// let format = EntityFormat::for_schema(&api)?;
    /// assert_eq!(format.key(api.lookup("job").unwrap()), Some("JobName"));
    /// // Types whose entities are not read yet.
    /// let e = EntityFormat::for_schema(builtin("Job").unwrap()).unwrap_err();
    /// assert_eq!((e.name.as_str(), e.field), ("Job", None));
    /// # Ok(())
    /// # }
    /// ```
    pub fn for_schema(schema: &Schema) -> Result<EntityFormat, NotEvaluable> {
        let not = NotEvaluable {
            name: schema.name().to_owned(),
            field: None,
        };
        let Some(&(_, unmapped)) = EVALUABLE.iter().find(|(name, _)| *name == schema.name()) else {
            return Err(not);
        };
        // EM's own table of the type: its field names are the entity's element names.
        let Some(em) = crate::schema::builtin(schema.name()) else {
            return Err(not);
        };
        if schema.fields().len() > MAX_FIELDS {
            return Err(not);
        }
        let mut format = EntityFormat {
            schema: schema.clone(),
            collection: schema.collection(),
            keys: Vec::new(),
            buckets: Default::default(),
            link_name: None,
            link_uid: None,
            unmapped: Vec::new(),
        };
        for (i, field) in schema.fields().iter().enumerate() {
            let id = FieldId(i as u16);
            let em_name = em.lookup(field.em_name()).map(|f| em.field(f).em_name());
            let Some(em_name) = em_name.filter(|n| !unmapped.contains(n)) else {
                format.unmapped.push(id);
                continue;
            };
            let key = match em_name {
                "CreationTime" => "CreationTimeUTC",
                "EndTime" => "EndTimeUTC",
                "BackupServerName" => {
                    format.link_name = Some(id);
                    continue;
                }
                "BackupServerUid" => {
                    format.link_uid = Some(id);
                    continue;
                }
                name => name,
            };
            format.buckets[bucket(key.as_bytes())].push(format.keys.len() as u8);
            format.keys.push((key, id));
        }
        Ok(format)
    }

    /// The schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Whether `program` reads only fields the entity holds; else the first field it does not.
    pub(crate) fn can_evaluate(&self, program: &Program) -> Result<(), NotEvaluable> {
        match self.unmapped.iter().find(|&&id| program.reads(id)) {
            None => Ok(()),
            Some(&id) => Err(NotEvaluable {
                name: self.schema.name().to_owned(),
                field: Some(self.schema.field(id).name().to_owned()),
            }),
        }
    }

    /// Whether the entity holds `field` (a task session's `JobUid` and `JobName` it does not).
    ///
    /// ```
    /// use emfilter::eval::EntityFormat;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let tasks = emfilter::schema::builtin("BackupTaskSession").unwrap();
    /// let format = EntityFormat::for_schema(tasks)?;
    /// assert!(format.holds(tasks.lookup("VmDisplayName").unwrap()));
    /// // The server takes the job's name from the parent job; the entity has none.
    /// assert!(!format.holds(tasks.lookup("JobName").unwrap()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn holds(&self, field: FieldId) -> bool {
        field.index() < self.schema.fields().len() && !self.unmapped.contains(&field)
    }

    /// The name of the entities' collection in a query result (`ReplicaJobSessions`).
    pub fn collection(&self) -> &str {
        &self.collection
    }

    /// The JSON key that holds `field`, or `None` for a field of the backup server's link.
    ///
    /// ```
    /// use emfilter::eval::EntityFormat;
    /// use emfilter::schema::REPLICA_JOB_SESSION as S;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let format = EntityFormat::for_schema(&S)?;
    /// assert_eq!(format.key(S.lookup("Result").unwrap()), Some("Result"));
    /// assert_eq!(format.key(S.lookup("CreationTime").unwrap()), Some("CreationTimeUTC"));
    /// // Read from the link to the backup server, not from a key of its own.
    /// assert_eq!(format.key(S.lookup("BackupServerName").unwrap()), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn key(&self, field: FieldId) -> Option<&'static str> {
        self.keys
            .iter()
            .find(|(_, id)| *id == field)
            .map(|(k, _)| *k)
    }

    fn target(&self, key: &[u8]) -> Target {
        if key == b"Links" {
            return Target::Links;
        }
        for &i in &self.buckets[bucket(key)] {
            if let Some(&(name, id)) = self.keys.get(usize::from(i)) {
                let k = name.as_bytes();
                // Length and first byte before the whole key: most misses end there.
                if k.len() == key.len() && k.first() == key.first() && k == key {
                    return Target::Field(id, name);
                }
            }
        }
        Target::Other
    }

    /// Reads one entity, every field converted.
    ///
    /// ```
    /// use emfilter::eval::{EntityFormat, Record, Value};
    /// use emfilter::ir::Guid;
    /// use emfilter::schema::REPLICA_JOB_SESSION as S;
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let format = EntityFormat::for_schema(&S)?;
    /// let json = br#"{
    ///     "Name": "Nightly",
    ///     "IsRetry": false,
    ///     "Links": [{
    ///         "Rel": "Up",
    ///         "Type": "BackupServerReference",
    ///         "Name": "vbr01",
    ///         "Href": "https://em:9398/api/backupServers/dce85686-59c8-42c4-8766-f1c00a5b8067"
    ///     }]
    /// }"#;
    /// let session = format.read(json)?;
    /// assert_eq!(session.value(S.lookup("IsRetry").unwrap()), Value::Bool(false));
    /// assert_eq!(session.value(S.lookup("BackupServerName").unwrap()), Value::Text("vbr01"));
    /// assert!(matches!(
    ///     session.value(S.lookup("BackupServerUid").unwrap()),
    ///     Value::Uid { guid, .. } if guid == Guid(0xdce85686_59c8_42c4_8766_f1c00a5b8067)
    /// ));
    /// // Every field is converted: a wrong type anywhere is an error.
    /// let e = format.read(br#"{"IsRetry":"no"}"#).unwrap_err();
    /// assert_eq!((e.line(), e.column()), (1, 15));
    /// # Ok(())
    /// # }
    /// ```
    pub fn read<'a>(&self, json: &'a [u8]) -> Result<Entity<'a>, ReadError> {
        self.read_masked(json, u64::MAX)
    }

    pub(crate) fn read_masked<'a>(
        &self,
        json: &'a [u8],
        needed: u64,
    ) -> Result<Entity<'a>, ReadError> {
        let mut entity = Entity::empty();
        self.read_into(json, needed, &mut entity)?;
        Ok(entity)
    }

    /// Reads into `entity` (all of whose fields are null), converting the fields in `needed`.
    pub(crate) fn read_into<'a>(
        &self,
        json: &'a [u8],
        needed: u64,
        entity: &mut Entity<'a>,
    ) -> Result<(), ReadError> {
        let json = crate::json::strip_bom(json);
        let mut de = serde_json::Deserializer::from_slice(json);
        let known = EntitySeed {
            format: self,
            needed,
            out: entity,
        }
        .deserialize(&mut de)?;
        de.end()?;
        if !known {
            return Err(ReadError(Failure::NotEntity(self.not_entity(json))));
        }
        Ok(())
    }

    /// What an object that holds none of the type's fields is: an EM error, or the keys it
    /// holds instead (with a word when they differ from the fields only in case).
    fn not_entity(&self, json: &[u8]) -> String {
        let name = self.schema.name();
        let Ok(object) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(json)
        else {
            return format!("not a {name} entity");
        };
        if let (Some(message), Some(status)) = (object.get("Message"), object.get("StatusCode")) {
            let message = message.as_str().map(shown).unwrap_or_default();
            return format!(
                "an Enterprise Manager error (status {}: \"{message}\"), not a {name} entity",
                shown(&status.to_string())
            );
        }
        if object.is_empty() {
            return format!("an empty object, not a {name} entity: it holds none of its fields");
        }
        let keys: Vec<String> = object
            .keys()
            .take(KEYS_SHOWN)
            .map(|k| format!("`{}`", shown(k)))
            .collect();
        let more = if object.len() > KEYS_SHOWN {
            ", …"
        } else {
            ""
        };
        let mut what = format!(
            "holds none of the fields of a {name} entity (it holds {}{more})",
            keys.join(", ")
        );
        let case = object.keys().find_map(|k| {
            self.keys
                .iter()
                .map(|(key, _)| *key)
                .find(|key| key.eq_ignore_ascii_case(k))
                .map(|key| (k, key))
        });
        if let Some((k, key)) = case {
            what.push_str(&format!(
                "; field names are case-sensitive: `{}` is not `{key}`",
                shown(k)
            ));
        }
        what
    }
}

/// The fields `program` reads, one bit each.
pub(crate) fn mask(program: &Program) -> u64 {
    (0..program.schema().fields().len().min(64))
        .filter(|&i| program.reads(FieldId(i as u16)))
        .fold(0, |m, i| m | 1 << i)
}

/// One EM entity read from JSON: a [`Record`] of its query type's fields.
///
/// ```
/// use emfilter::eval::{EntityFormat, Record, Value};
/// use emfilter::schema::REPLICA_JOB_SESSION;
/// let format = EntityFormat::for_schema(&REPLICA_JOB_SESSION)?;
/// let session = format.read(br#"{"JobName":"SQL Replica","IsRetry":true}"#)?;
/// let job = REPLICA_JOB_SESSION.lookup("JobName").unwrap();
/// assert_eq!(session.value(job), Value::Text("SQL Replica"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Entity<'a> {
    slots: [Slot<'a>; MAX_FIELDS],
}

impl Entity<'_> {
    pub(crate) fn empty() -> Self {
        Entity {
            slots: [NULL; MAX_FIELDS],
        }
    }
}

#[derive(Debug, Clone)]
enum Slot<'a> {
    Value(Value<'a>),
    /// Text that held escapes.
    Text(String),
    /// A UID whose resource type held escapes.
    Uid(String, Guid),
}

impl Record for Entity<'_> {
    #[inline]
    fn value(&self, field: FieldId) -> Value<'_> {
        match self.slots.get(field.index()) {
            Some(Slot::Value(v)) => *v,
            Some(Slot::Text(t)) => Value::Text(t),
            Some(Slot::Uid(r, g)) => Value::Uid {
                resource: r,
                guid: *g,
            },
            None => Value::Null,
        }
    }
}

enum Target {
    Field(FieldId, &'static str),
    Links,
    Other,
}

struct EntitySeed<'f, 'o, 'de> {
    format: &'f EntityFormat,
    needed: u64,
    out: &'o mut Entity<'de>,
}

/// Reads an entity's object; whether it held any key of the type's fields.
impl<'de> DeserializeSeed<'de> for EntitySeed<'_, '_, 'de> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EntitySeed<'_, '_, 'de> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object (a {} entity)", self.format.schema.name())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let entity = self.out;
        let wanted = |id: Option<FieldId>| id.is_some_and(|id| self.needed >> id.index() & 1 == 1);
        let mut known = false;
        while let Some(target) = map.next_key_seed(KeySeed(self.format))? {
            known |= matches!(target, Target::Field(..));
            match target {
                Target::Field(id, key) if wanted(Some(id)) => {
                    let field = self.format.schema.field(id);
                    entity.slots[id.index()] = map.next_value_seed(ValueSeed { field, key })?;
                }
                Target::Links if wanted(self.format.link_name) || wanted(self.format.link_uid) => {
                    let (name, uid) = map.next_value_seed(LinksSeed {
                        name: wanted(self.format.link_name),
                        uid: wanted(self.format.link_uid),
                    })?;
                    if let Some(id) = self.format.link_name {
                        entity.slots[id.index()] = name;
                    }
                    if let Some(id) = self.format.link_uid {
                        entity.slots[id.index()] = uid;
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(known)
    }
}

struct KeySeed<'f>(&'f EntityFormat);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Target;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Target, D::Error> {
        // As bytes: a key is only compared, so it need not be checked as UTF-8.
        d.deserialize_bytes(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Target;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Target, E> {
        Ok(self.0.target(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Target, E> {
        Ok(self.0.target(key.as_bytes()))
    }
}

/// The value of one field, converted to its type.
#[derive(Clone, Copy)]
struct ValueSeed<'f> {
    field: &'f Field,
    /// The JSON key, for messages.
    key: &'static str,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Slot<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Slot<'de>, D::Error> {
        match self.field.ty() {
            // A timestamp is read as bytes (its digits need no UTF-8 check), or null.
            FieldType::DateTime => d.deserialize_option(self),
            _ => d.deserialize_any(self),
        }
    }
}

impl ValueSeed<'_> {
    fn invalid<E: de::Error>(&self, what: &str, text: &str) -> E {
        E::custom(format_args!("`{}`: {:?} is not {what}", self.key, text))
    }

    fn text<'de, E: de::Error>(self, s: &str, borrowed: Option<&'de str>) -> Result<Slot<'de>, E> {
        let slot = match self.field.ty() {
            FieldType::String | FieldType::Enum(_) => match borrowed {
                Some(b) => Slot::Value(Value::Text(b)),
                None => Slot::Text(s.to_owned()),
            },
            FieldType::Uid(_) => {
                let bad = || self.invalid("a UID (`urn:veeam:<Type>:<guid>`)", s);
                match borrowed {
                    Some(b) => {
                        let (resource, guid) = parse_uid(b).ok_or_else(bad)?;
                        Slot::Value(Value::Uid { resource, guid })
                    }
                    None => {
                        let (resource, guid) = parse_uid(s).ok_or_else(bad)?;
                        Slot::Uid(resource.to_owned(), guid)
                    }
                }
            }
            FieldType::DateTime => Slot::Value(Value::DateTime(
                parse_ticks(s.as_bytes()).ok_or_else(|| self.invalid("a date-time", s))?,
            )),
            FieldType::Boolean => match s {
                _ if s.eq_ignore_ascii_case("true") => Slot::Value(Value::Bool(true)),
                _ if s.eq_ignore_ascii_case("false") => Slot::Value(Value::Bool(false)),
                _ => return Err(self.invalid("true or false", s)),
            },
            FieldType::Int64 => Slot::Value(Value::Int(
                s.trim()
                    .parse()
                    .map_err(|_| self.invalid("a 64-bit integer", s))?,
            )),
            FieldType::Double => Slot::Value(Value::Double(
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|d| d.is_finite())
                    .ok_or_else(|| self.invalid("a number", s))?,
            )),
        };
        Ok(slot)
    }

    fn number<'de, E: de::Error>(
        self,
        value: Value<'de>,
        shown: &dyn fmt::Display,
    ) -> Result<Slot<'de>, E> {
        match (self.field.ty(), value) {
            (FieldType::Int64, Value::Int(_)) | (FieldType::Double, _) => Ok(Slot::Value(value)),
            (ty, _) => Err(E::custom(format_args!(
                "`{}`: the number {shown} is not a {}",
                self.key,
                ty.name()
            ))),
        }
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Slot<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.field.ty() {
            FieldType::Uid(_) => "a UID",
            FieldType::DateTime => "a date-time",
            FieldType::Boolean => "true or false",
            FieldType::String | FieldType::Enum(_) => "a string",
            FieldType::Int64 => "an integer",
            FieldType::Double => "a number",
        };
        write!(f, "{what} or null for `{}`", self.key)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Slot<'de>, E> {
        Ok(Slot::Value(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Slot<'de>, E> {
        Ok(Slot::Value(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Slot<'de>, D::Error> {
        d.deserialize_bytes(self)
    }

    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Slot<'de>, E> {
        match (self.field.ty(), parse_ticks(b)) {
            (FieldType::DateTime, Some(ticks)) => Ok(Slot::Value(Value::DateTime(ticks))),
            _ => Err(self.invalid("a date-time", &String::from_utf8_lossy(b))),
        }
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Slot<'de>, E> {
        self.text(s, Some(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Slot<'de>, E> {
        self.text(s, None)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Slot<'de>, E> {
        match self.field.ty() {
            FieldType::Boolean => Ok(Slot::Value(Value::Bool(b))),
            _ => Err(E::invalid_type(de::Unexpected::Bool(b), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Slot<'de>, E> {
        let value = match self.field.ty() {
            FieldType::Double => Value::Double(i as f64),
            _ => Value::Int(i),
        };
        self.number(value, &i)
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Slot<'de>, E> {
        match (self.field.ty(), i64::try_from(u)) {
            (FieldType::Double, _) => self.number(Value::Double(u as f64), &u),
            (_, Ok(i)) => self.number(Value::Int(i), &u),
            (_, Err(_)) => Err(E::custom(format_args!(
                "`{}`: {u} is larger than a 64-bit integer",
                self.key
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, d: f64) -> Result<Slot<'de>, E> {
        self.number(Value::Double(d), &d)
    }
}

/// The `Links` array: the backup server's name and UID, from the first link that is the
/// backup server's; each only when wanted.
#[derive(Clone, Copy)]
struct LinksSeed {
    name: bool,
    uid: bool,
}

const NULL: Slot<'static> = Slot::Value(Value::Null);

impl<'de> DeserializeSeed<'de> for LinksSeed {
    type Value = (Slot<'de>, Slot<'de>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for LinksSeed {
    type Value = (Slot<'de>, Slot<'de>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of links or null for `Links`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((NULL, NULL))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while found.is_none() {
            match seq.next_element_seed(LinkSeed(self))? {
                Some(link) => found = link,
                None => return self.visit_unit(),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(found.unwrap_or((NULL, NULL)))
    }
}

/// One link: `Some` name and UID when it is the backup server's link (null is no link).
struct LinkSeed(LinksSeed);

impl<'de> DeserializeSeed<'de> for LinkSeed {
    type Value = Option<(Slot<'de>, Slot<'de>)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// A link member's key.
struct LinkKey;

enum LinkMember {
    Rel,
    Type,
    Name,
    Href,
    Other,
}

impl<'de> DeserializeSeed<'de> for LinkKey {
    type Value = LinkMember;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<LinkMember, D::Error> {
        d.deserialize_bytes(self)
    }
}

impl Visitor<'_> for LinkKey {
    type Value = LinkMember;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a link member")
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<LinkMember, E> {
        Ok(match key {
            b"Rel" => LinkMember::Rel,
            b"Type" => LinkMember::Type,
            b"Name" => LinkMember::Name,
            b"Href" => LinkMember::Href,
            _ => LinkMember::Other,
        })
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<LinkMember, E> {
        self.visit_bytes(key.as_bytes())
    }
}

impl<'de> Visitor<'de> for LinkSeed {
    type Value = Option<(Slot<'de>, Slot<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a link object or null")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut rel, mut ty) = (false, false);
        let (mut name, mut href): (Slot<'de>, Option<Cow<'de, str>>) = (NULL, None);
        while let Some(member) = map.next_key_seed(LinkKey)? {
            match member {
                LinkMember::Rel => rel = map.next_value_seed(Is(SERVER_LINK_REL))?,
                LinkMember::Type => ty = map.next_value_seed(Is(SERVER_LINK_TYPE))?,
                LinkMember::Name if self.0.name => {
                    name = match map.next_value::<Text<'de>>()?.0 {
                        Some(Cow::Borrowed(b)) => Slot::Value(Value::Text(b)),
                        Some(Cow::Owned(o)) => Slot::Text(o),
                        None => NULL,
                    }
                }
                LinkMember::Href if self.0.uid => href = map.next_value::<Text<'de>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !(rel && ty) {
            return Ok(None);
        }
        let uid = match href.as_deref() {
            Some(href) => Slot::Value(Value::Uid {
                resource: "",
                guid: href_guid(href).ok_or_else(|| {
                    de::Error::custom(format_args!(
                        "`BackupServerUid`: the Href {href:?} of the {SERVER_LINK_TYPE} link does \
                         not end in a GUID"
                    ))
                })?,
            }),
            None => NULL,
        };
        Ok(Some((name, uid)))
    }
}

/// Whether a string is `want`, in any case (null, or anything else, is not).
struct Is(&'static str);

impl<'de> DeserializeSeed<'de> for Is {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for Is {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        // Compared as bytes: no UTF-8 check needed.
        d.deserialize_bytes(self)
    }

    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<bool, E> {
        Ok(b.eq_ignore_ascii_case(self.0.as_bytes()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        Ok(s.eq_ignore_ascii_case(self.0))
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_none<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// Text that may be null, borrowed from the input when it holds no escapes.
#[derive(Default)]
struct Text<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text<'a>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or null")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Borrowed(s))))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Owned(s.to_owned()))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The GUID at the end of a link's path (`…/backupServers/<guid>`, a query string or fragment
/// after it ignored).
fn href_guid(href: &str) -> Option<Guid> {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    Guid::parse(last)
}

/// A UID as its resource type and GUID, read by the one UID grammar (the checker's); a bare
/// GUID has an empty resource type.
fn parse_uid(text: &str) -> Option<(&str, Guid)> {
    match literal::read_uid(text).ok()? {
        UidText::Full { resource, guid } => Some((resource, guid)),
        UidText::Bare(guid) => Some(("", guid)),
    }
}

/// A timestamp as 100-nanosecond ticks since 1970-01-01T00:00:00Z, read by the one date-time
/// grammar (the checker's): no zone is UTC, as the `…UTC` elements are; digits past the
/// seventh are cut.
fn parse_ticks(b: &[u8]) -> Option<i64> {
    literal::read_datetime(b, None).ok().map(|d| d.ticks())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_split_into_resource_and_guid() {
        let g = Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b8067").unwrap();
        assert_eq!(
            parse_uid("urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Some(("Job", g))
        );
        assert_eq!(
            parse_uid("URN:VEEAM:JOB:DCE85686-59C8-42C4-8766-F1C00A5B8067"),
            Some(("JOB", g))
        );
        assert_eq!(
            parse_uid("dce85686-59c8-42c4-8766-f1c00a5b8067"),
            Some(("", g))
        );
        for bad in [
            "urn:veeam::dce85686-59c8-42c4-8766-f1c00a5b8067",
            "urn:veeam:Job:x",
            "Job",
            "",
        ] {
            assert_eq!(parse_uid(bad), None, "{bad}");
        }
        assert_eq!(
            href_guid("https://em:9398/api/backupServers/ce15a8c7-aa49-495e-b05b-ee3398c91018?format=Entity"),
            Guid::parse("ce15a8c7-aa49-495e-b05b-ee3398c91018")
        );
    }
}
