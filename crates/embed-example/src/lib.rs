//! How a web service embeds emfilter.
//!
//! A small service keeps replica job sessions and answers `GET /sessions?filter=…` with the
//! sessions a filter selects. It lets its callers filter on four fields only, under names of
//! its own API, so it builds its schema at run time from the built-in one: restricted to the
//! allowed fields, with `CreationTime` and `EndTime` renamed `started` and `ended`. A filter is
//! checked against that schema; an invalid one gets `400 Bad Request` with the diagnostics as
//! JSON (codes, spans into the filter, messages, fixes), a valid one is evaluated on the
//! service's own session type through the [`Record`] trait, and the answer also says the
//! filter's canonical form and what the same query would send to Enterprise Manager.
//!
//! Nothing here is HTTP-framework specific: [`Service::handle`] takes a request target and
//! gives a status and a JSON body; `src/main.rs` serves it with the standard library alone.
//!
//! ```
//! use emfilter_embed_example::{Service, Session};
//!
//! let service = Service::new(Session::samples());
//! let ok = service.handle("/sessions?filter=outcome%3D%3DFailed");
//! assert_eq!(ok.status, 200);
//! let bad = service.handle("/sessions?filter=JobUid%3D%3Dx");
//! assert_eq!(bad.status, 400);
//! assert_eq!(bad.body["diagnostics"][0]["code"], "unknown-field");
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use emfilter::eval::{Record, Value};
use emfilter::schema::{FieldId, Schema, REPLICA_JOB_SESSION};
use emfilter::{Checker, Limits};
use serde_json::{json, Value as Json};

/// One replica job session as the service stores it (not EM's JSON: the service's own type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The job's name.
    pub job: String,
    /// `Success`, `Warning`, `Failed`, or `None` while it runs.
    pub outcome: String,
    /// When it started: 100 ns ticks since 1970-01-01T00:00:00Z.
    pub started: i64,
    /// When it ended, if it has.
    pub ended: Option<i64>,
}

impl Session {
    /// A few sessions to serve.
    pub fn samples() -> Vec<Session> {
        let at = |s: i64| s * 10_000_000;
        vec![
            Session {
                job: "SQL Replica".into(),
                outcome: "Success".into(),
                started: at(1_763_622_391), // 2025-11-20T07:06:31Z
                ended: Some(at(1_763_623_355)),
            },
            Session {
                job: "SQL Replica".into(),
                outcome: "Failed".into(),
                started: at(1_763_708_791), // 2025-11-21T07:06:31Z
                ended: Some(at(1_763_709_100)),
            },
            Session {
                job: "Exchange Replica".into(),
                outcome: "Warning".into(),
                started: at(1_763_712_000), // 2025-11-21T08:00:00Z
                ended: Some(at(1_763_713_800)),
            },
            Session {
                job: "Exchange Replica".into(),
                outcome: "None".into(),
                started: at(1_763_798_400), // 2025-11-22T08:00:00Z, still running
                ended: None,
            },
        ]
    }

    fn to_json(&self) -> Json {
        json!({
            "job": self.job,
            "outcome": self.outcome,
            "started": self.started,
            "ended": self.ended,
        })
    }
}

/// The fields of the service's schema, in the built-in schema's order: what the service reads
/// for each.
#[derive(Debug, Clone, Copy)]
enum Column {
    Job,
    Started,
    Ended,
    Outcome,
}

/// The service: its schema, its checker and its sessions.
#[derive(Debug)]
pub struct Service {
    checker: Checker,
    /// For each field id of the schema, which column of a session holds it.
    columns: Vec<Column>,
    sessions: Vec<Session>,
}

/// An answer: an HTTP status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `200`, `400` or `404`.
    pub status: u16,
    /// The body.
    pub body: Json,
}

/// The service's schema: ReplicaJobSession, allowed fields only, under the API's own names.
///
/// # Panics
/// Never in practice: the names are the built-in schema's, and a test builds it.
pub fn schema() -> Schema {
    REPLICA_JOB_SESSION
        .restrict(["JobName", "CreationTime", "EndTime", "Result"])
        .and_then(|s| s.rename("JobName", "job"))
        .and_then(|s| s.rename("CreationTime", "started"))
        .and_then(|s| s.rename("EndTime", "ended"))
        .and_then(|s| s.rename("Result", "outcome"))
        .expect("the built-in schema has these fields")
}

impl Service {
    /// A service over `sessions`.
    pub fn new(sessions: Vec<Session>) -> Service {
        let schema = schema();
        let columns = schema
            .fields()
            .iter()
            .map(|f| match f.em_name() {
                "JobName" => Column::Job,
                "CreationTime" => Column::Started,
                "EndTime" => Column::Ended,
                _ => Column::Outcome,
            })
            .collect();
        // Filters come from strangers: a tighter length limit than the default.
        let checker = Checker::new(&schema).with_limits(Limits::new(4096, 16));
        Service {
            checker,
            columns,
            sessions,
        }
    }

    /// Answers a request target such as `/sessions?filter=outcome%3D%3DFailed`.
    pub fn handle(&self, target: &str) -> Response {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path != "/sessions" {
            return Response {
                status: 404,
                body: json!({ "error": format!("no resource {path}") }),
            };
        }
        let filter = query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == "filter")
            .map(|(_, v)| decode(v));
        let Some(filter) = filter else {
            let all: Vec<Json> = self.sessions.iter().map(Session::to_json).collect();
            return Response {
                status: 200,
                body: json!({ "sessions": all }),
            };
        };
        let checked = self.checker.check(&filter);
        let Some(typed) = checked.filter() else {
            // The diagnostics serialise as they are: a caller's tool can show the spans and
            // apply the fixes.
            return Response {
                status: 400,
                body: json!({ "filter": filter, "diagnostics": checked.diagnostics() }),
            };
        };
        let matched: Vec<Json> = self
            .sessions
            .iter()
            .filter(|s| typed.matches(&Row(s, &self.columns)))
            .map(Session::to_json)
            .collect();
        Response {
            status: 200,
            body: json!({
                "filter": typed.to_string(),
                "em_filter": typed.to_em_filter(),
                "warnings": checked.diagnostics(),
                "sessions": matched,
            }),
        }
    }
}

/// A session as a record of the service's schema.
struct Row<'a>(&'a Session, &'a [Column]);

impl Record for Row<'_> {
    fn value(&self, field: FieldId) -> Value<'_> {
        let Row(s, columns) = self;
        match columns.get(field.index()) {
            Some(Column::Job) => Value::Text(&s.job),
            Some(Column::Outcome) => Value::Text(&s.outcome),
            Some(Column::Started) => Value::DateTime(s.started),
            Some(Column::Ended) => s.ended.map_or(Value::Null, Value::DateTime),
            None => Value::Null,
        }
    }
}

/// A query parameter's value: `+` a space, `%XX` a byte; text that is not UTF-8 kept lossily
/// (the checker then reports what it holds).
fn decode(value: &str) -> String {
    let spaced = value.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}
