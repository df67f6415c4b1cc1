//! The differential tests' data: generated EM sessions of the four types `eval` reads, full of
//! the cases where databases and `eval` could part ways, and random valid filters whose values
//! are drawn from the same pools (so that they select some sessions and not others).

use chrono::{DateTime, TimeZone, Utc};
use emfilter::eval::{EntityFormat, Options};
use emfilter::ir::{Comparison, EnumValue, Expr, Guid, TypedValue, Uid, UtcDateTime};
use emfilter::schema::{self, FieldId, FieldType, Schema};
use emfilter::sql::Mode;
use emfilter::syntax::CompareOp;
use emfilter::Filter;
use serde_json::{json, Value as Json};

/// splitmix64: seeded, the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Text that folds, orders or escapes differently from one place to another: case pairs that
/// only Unicode lower-casing joins (Kelvin sign, final sigma, dotted I, ligatures, title-case
/// digraphs), composed and decomposed accents, quotes, backslashes, SQL's own characters,
/// control characters, astral characters, the empty string.
pub const TEXTS: &[&str] = &[
    "SQL Replica",
    "sql replica",
    "SQL REPLICA",
    "Exchange Replica",
    "fileserver01",
    "Zürich",
    "ZÜRICH",
    "zürich",
    "Zurich",
    "İstanbul",
    "i\u{307}stanbul",
    "istanbul",
    "ISTANBUL",
    "ΣΊΣΥΦΟΣ",
    "σίσυφοσ",
    "σίσυφος",
    "\u{212A}elvin",
    "kelvin",
    "KELVIN",
    "straße",
    "STRASSE",
    "ǅemal",
    "ǆemal",
    "ﬀ",
    "FF",
    "é",
    "e\u{301}",
    "É",
    "O'Brien",
    "o'brien",
    "back\\slash",
    "BACK\\SLASH",
    "quote\"d",
    "semi;colon,comma (paren)",
    "%_like*",
    "",
    " ",
    "tab\there",
    "new\nline",
    "NULL",
    "null",
    "🚀 rocket",
    "日本語ジョブ",
    "a",
    "A",
    "B",
    "b",
    "z",
    "Z",
    "\u{7f}del",
    "ÿ",
    "Ÿ",
    "\u{10400}",
    "\u{10428}",
];

/// Instants where precision, the calendar or the epoch has an edge, written as EM would and as
/// it might: 0 to 9 fractional digits (more than 7 are cut), offsets, no zone, lower-case `t`
/// and `z`, a space.
pub const TIMES: &[&str] = &[
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00.0000001Z",
    "0001-01-01T00:30:00+01:00",
    "1969-12-31T23:59:59.9999999Z",
    "1970-01-01T00:00:00Z",
    "1970-01-01T00:00:00.0000001Z",
    "2025-02-19T03:33:17.233Z",
    "2025-02-19T03:33:17.2330000Z",
    "2025-02-19T03:33:17.2330001Z",
    "2025-02-19T03:33:17.23300009Z",
    "2025-02-19T03:33:17.2329999Z",
    "2025-02-19T03:33:17.233000049Z",
    "2025-02-19T04:33:17.233+01:00",
    "2025-02-19t03:33:17.233z",
    "2025-02-19 03:33:17.233",
    "2025-02-19T03:33:17",
    "2025-02-19T03:46:02.513Z",
    "2026-11-21T22:41:10.5Z",
    "2026-11-21T22:41:10.4999999Z",
    "2026-11-21T22:41:10.5000001Z",
    "2026-11-21T22:41:10Z",
    "2000-02-29T12:00:00+02:00",
    "2100-01-01T00:00:00Z",
    "9999-12-31T23:59:59.9999999Z",
    "9999-12-31T23:00:00-02:00",
];

/// GUIDs, some differing only in their last digit.
pub fn guids() -> Vec<Guid> {
    let mut rng = Rng::new(7);
    let mut out: Vec<Guid> = (0..12)
        .map(|_| Guid((u128::from(rng.next()) << 64) | u128::from(rng.next())))
        .collect();
    out.push(Guid(0));
    out.push(Guid(1));
    out.push(Guid(u128::MAX));
    out
}

/// The query types `eval` reads, each with how many sessions and filters to generate.
pub const TYPES: [(&str, usize, usize); 4] = [
    ("ReplicaJobSession", 260, 220),
    ("BackupJobSession", 160, 100),
    ("BackupTaskSession", 220, 140),
    ("ReplicaTaskSession", 120, 60),
];

/// One generated EM session.
pub struct Session {
    /// Its JSON entity (its UID's GUID is unique: the key results are compared by).
    pub json: Json,
}

fn spell_uid(rng: &mut Rng, resource: &str, guid: Guid) -> String {
    let g = guid.to_string();
    match rng.below(6) {
        0 => g,
        1 => g.to_uppercase(),
        2 => format!("URN:VEEAM:{}:{}", resource.to_uppercase(), g.to_uppercase()),
        3 => format!("urn:veeam:{}:{g}", resource.to_lowercase()),
        // Another resource type: equal to no value of this field.
        4 if rng.one_in(3) => format!("urn:veeam:Other:{g}"),
        _ => format!("urn:veeam:{resource}:{g}"),
    }
}

fn spell_enum(rng: &mut Rng, name: &str) -> String {
    match rng.below(4) {
        0 => name.to_lowercase(),
        1 => name.to_uppercase(),
        _ => name.to_owned(),
    }
}

/// `n` sessions of `schema`'s type, every field missing, null or of its type in EM's spellings.
pub fn sessions(schema: &'static Schema, n: usize, seed: u64) -> Vec<Session> {
    let format = EntityFormat::for_schema(schema).expect("an evaluable type");
    let mut rng = Rng::new(seed);
    let pool = guids();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let guid = Guid((u128::from(rng.next()) << 64) | i as u128);
        let mut object = serde_json::Map::new();
        for field in schema.fields() {
            let id = schema.lookup(field.name()).expect("its own field");
            let Some(key) = format.key(id) else {
                continue;
            };
            if key == "UID" {
                object.insert(
                    key.to_owned(),
                    json!(spell_uid(&mut rng, schema.name(), guid).replace("Other", schema.name())),
                );
                continue;
            }
            // About one value in eight missing or null.
            match rng.below(16) {
                0 => continue,
                1 => {
                    object.insert(key.to_owned(), Json::Null);
                    continue;
                }
                _ => {}
            }
            let value = match field.ty() {
                FieldType::Uid(resource) => {
                    let g = *rng.pick(&pool);
                    json!(spell_uid(&mut rng, resource, g))
                }
                FieldType::DateTime => json!(rng.pick(TIMES)),
                FieldType::Boolean => match rng.below(6) {
                    0 => json!("TRUE"),
                    1 => json!("false"),
                    _ => json!(rng.one_in(2)),
                },
                FieldType::Int64 => {
                    let v = *rng.pick(&[0i64, 1, -1, 42, 1 << 40, i64::MIN, i64::MAX, 123_456_789]);
                    if rng.one_in(5) {
                        json!(v.to_string())
                    } else {
                        json!(v)
                    }
                }
                FieldType::Enum(e) => {
                    let documented = e.values().len();
                    match rng.below(documented + 3) {
                        k if k < documented => json!(spell_enum(&mut rng, &e.values()[k])),
                        k if k == documented && !e.undocumented().is_empty() => {
                            json!(spell_enum(&mut rng, &e.undocumented()[0]))
                        }
                        k if k == documented + 1 => json!("Unknown"),
                        _ => json!(""),
                    }
                }
                FieldType::String => json!(rng.pick(TEXTS)),
                other => panic!("no generator for {other:?}"),
            };
            object.insert(key.to_owned(), value);
        }
        // The backup server's link, and sometimes a job's before it.
        let mut links = Vec::new();
        if rng.one_in(4) {
            links.push(json!({"Rel": "Up", "Href": "https://em:9398/api/jobs/x", "Name": "a job", "Type": "JobReference"}));
        }
        match rng.below(8) {
            0 => {}
            1 => links.push(Json::Null),
            _ => {
                let g = *rng.pick(&pool);
                let href = match rng.below(4) {
                    0 => Json::Null,
                    1 => json!(format!(
                        "https://em:9398/api/backupServers/{}?format=Entity",
                        g.to_string().to_uppercase()
                    )),
                    _ => json!(format!("https://em:9398/api/backupServers/{g}")),
                };
                let name = if rng.one_in(8) {
                    Json::Null
                } else {
                    json!(rng.pick(TEXTS))
                };
                let (rel, ty) = if rng.one_in(6) {
                    ("up", "backupserverreference")
                } else {
                    ("Up", "BackupServerReference")
                };
                links.push(json!({"Rel": rel, "Href": href, "Name": name, "Type": ty}));
            }
        }
        match rng.below(10) {
            0 => {}
            1 => {
                object.insert("Links".into(), Json::Null);
            }
            _ => {
                object.insert("Links".into(), Json::Array(links));
            }
        }
        object.insert("Progress".into(), json!(rng.below(101)));
        object.insert("Type".into(), json!(schema.name()));
        out.push(Session {
            json: Json::Object(object),
        });
    }
    out
}

/// One filter of the differential tests, with how it is run.
pub struct Case {
    /// The filter, with the options it evaluates (and is translated) with.
    pub filter: Filter,
    pub mode: Mode,
}

/// `n` random valid filters over `schema`, on the fields its entity holds, their values drawn
/// from the sessions' pools (and changed a little: another case, one tick more or less).
pub fn filters(schema: &'static Schema, n: usize, seed: u64) -> Vec<Case> {
    let format = EntityFormat::for_schema(schema).expect("an evaluable type");
    let fields: Vec<FieldId> = schema
        .fields()
        .iter()
        .map(|f| schema.lookup(f.name()).expect("its own field"))
        .filter(|&id| format.holds(id) && schema.field(id).filterable())
        .collect();
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let comparisons = 1 + rng.below(5);
        let root = expr(&mut rng, schema, &fields, comparisons);
        let filter = Filter::new(schema, root).expect("generated to fit");
        // A valid filter: its canonical text checks back to it.
        let text = filter.to_string();
        let checked = emfilter::check(&text, schema);
        assert_eq!(
            checked.filter(),
            Some(&filter),
            "`{text}` does not check back: {:?}",
            checked.diagnostics()
        );
        let options = Options::default().case_sensitive(rng.one_in(3));
        let mode = if rng.one_in(3) {
            Mode::Inline
        } else {
            Mode::Params
        };
        out.push(Case {
            filter: filter.with_options(options),
            mode,
        });
    }
    out
}

fn expr(rng: &mut Rng, schema: &'static Schema, fields: &[FieldId], n: usize) -> Expr {
    if n == 1 {
        return Expr::compare(comparison(rng, schema, fields));
    }
    // Split the comparisons into 2 or 3 groups of an AND or an OR.
    let parts = if n >= 3 && rng.one_in(2) { 3 } else { 2 };
    let mut sizes = vec![1; parts];
    for _ in parts..n {
        let i = rng.below(parts);
        sizes[i] += 1;
    }
    let and = rng.one_in(2);
    let mut items = sizes
        .into_iter()
        .map(|k| expr(rng, schema, fields, k))
        .collect::<Vec<_>>()
        .into_iter();
    let first = items.next().expect("two or more");
    if and {
        Expr::and(first, items)
    } else {
        Expr::or(first, items)
    }
}

fn instant(text: &str) -> i64 {
    // Read as eval reads a record's timestamp: through an entity.
    let format = EntityFormat::for_schema(&schema::REPLICA_JOB_SESSION).unwrap();
    let json = format!("{{\"CreationTimeUTC\":\"{text}\"}}");
    let entity = format
        .read(json.as_bytes())
        .expect("a timestamp eval reads");
    let id = schema::REPLICA_JOB_SESSION.lookup("CreationTime").unwrap();
    match emfilter::eval::Record::value(&entity, id) {
        emfilter::eval::Value::DateTime(ticks) => ticks,
        other => panic!("{text}: {other:?}"),
    }
}

fn from_ticks(ticks: i64) -> Option<UtcDateTime> {
    let secs = ticks.div_euclid(10_000_000);
    let nanos = (ticks.rem_euclid(10_000_000) * 100) as u32;
    let instant: DateTime<Utc> = Utc.timestamp_opt(secs, nanos).single()?;
    UtcDateTime::new(instant, 7)
}

fn comparison(rng: &mut Rng, schema: &'static Schema, fields: &[FieldId]) -> Comparison {
    let id = *rng.pick(fields);
    let field = schema.field(id);
    let mut op = *rng.pick(&CompareOp::ALL);
    if op.is_ordering() && !field.ty().is_ordered() {
        op = if rng.one_in(2) {
            CompareOp::Eq
        } else {
            CompareOp::Ne
        };
    }
    let value = match field.ty() {
        FieldType::Uid(resource) => {
            let g = if rng.one_in(8) {
                Guid(u128::from(rng.next()))
            } else {
                *rng.pick(&guids())
            };
            TypedValue::Uid(Uid::new(resource, g))
        }
        FieldType::DateTime => loop {
            let base = instant(rng.pick::<&str>(TIMES));
            let delta = *rng.pick(&[0i64, 0, 0, 1, -1, 10_000_000, -10_000_000]);
            // Values stay within years 1 to 9999, as the checker's do.
            if let Some(t) = base.checked_add(delta).and_then(from_ticks) {
                let year = chrono::Datelike::year(&t.instant());
                if (1..=9999).contains(&year) {
                    break TypedValue::DateTime(t);
                }
            }
        },
        FieldType::Boolean => TypedValue::Bool(rng.one_in(2)),
        FieldType::Int64 => TypedValue::Int(*rng.pick(&[
            0i64,
            1,
            -1,
            41,
            42,
            43,
            1 << 40,
            i64::MIN,
            i64::MAX,
            123_456_789,
        ])),
        FieldType::Enum(e) => {
            let k = rng.below(e.values().len() + e.undocumented().len());
            TypedValue::Enum(match e.values().get(k) {
                Some(name) => EnumValue::documented(name.as_str(), k),
                None => EnumValue::undocumented(&e.undocumented()[k - e.values().len()]),
            })
        }
        FieldType::String => {
            let text = *rng.pick(TEXTS);
            TypedValue::String(match rng.below(6) {
                0 => text.to_uppercase(),
                1 => text.to_lowercase(),
                2 if rng.one_in(3) => format!("{text}x"),
                _ => text.to_owned(),
            })
        }
        other => panic!("no generator for {other:?}"),
    };
    Comparison::new(schema, id, op, value).expect("generated to fit")
}

/// The schema of a type by name.
pub fn schema(name: &str) -> &'static Schema {
    schema::builtin(name).expect("a built-in type")
}
