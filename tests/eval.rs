//! `emfilter::eval`: what the evaluation corpus (tests/corpus/eval, run by eval_corpus.rs) does
//! not say as data: reading tolerantly, unreadable fields, the Record trait, the other query
//! types, the compiled evaluator agreeing with the reference walk on random filters and
//! records, and the one literal grammar. (The command line's `eval`
//! is tested in crates/cli/tests/eval.rs.)

use emfilter::eval::{Entity, EntityFormat, MatchError, Options, Record, Value};
use emfilter::ir::Guid;
use emfilter::schema::{self, FieldId, REPLICA_JOB_SESSION};
use proptest::prelude::*;

use crate::records::session;

/// Whether `filter` matches each record, by the compiled program; checked against the
/// reference walk on the way.
fn matches_with(filter: &str, records: &[String], options: Options) -> Vec<bool> {
    let typed = emfilter::compile(filter, &REPLICA_JOB_SESSION)
        .unwrap_or_else(|e| panic!("`{filter}` should be valid: {e:?}"));
    let typed = typed.with_options(options);
    let format = EntityFormat::for_schema(&REPLICA_JOB_SESSION).unwrap();
    records
        .iter()
        .map(|r| {
            let got = typed
                .matches_json(r.as_bytes())
                .unwrap_or_else(|e| panic!("{r}: {e}"));
            let entity = format.read(r.as_bytes()).unwrap();
            assert_eq!(got, typed.interpret(&entity), "`{filter}` on {r}");
            got
        })
        .collect()
}

fn matches(filter: &str, records: &[String]) -> Vec<bool> {
    matches_with(filter, records, Options::default())
}

// ---- reading tolerantly -----------------------------------------------------------------------

#[test]
fn bom_unknown_fields_and_nulls_are_read() {
    let with_bom = format!(
        "\u{feff}{}",
        session(serde_json::json!({"Extra": {"deep": [1, 2]}}))
    );
    let minimal = r#"{"Result":"Failed"}"#.to_owned();
    let nulls = r#"{"Result":null,"Unknown":1}"#.to_owned();
    let r = [with_bom, minimal, nulls];
    assert_eq!(matches("Result==Failed", &r), [true, true, false]);
}

#[test]
fn an_object_holding_none_of_the_fields_is_an_error_that_says_what_it_is() {
    let filter = emfilter::compile("Result==Failed", &REPLICA_JOB_SESSION).unwrap();
    // EM's error body (shared/reference/samples/error.json, with its byte-order mark).
    let error = "\u{feff}{\"FirstChanceExceptionMessage\": null, \"Message\": \"Invalid filter \
                 expression.\", \"StackTrace\": null, \"Status\": null, \"StatusCode\": 400}";
    for (json, want) in [
        (
            error,
            "an Enterprise Manager error (status 400: \"Invalid filter expression.\"), not a \
             ReplicaJobSession entity",
        ),
        (
            "{}",
            "an empty object, not a ReplicaJobSession entity: it holds none of its fields",
        ),
        (
            r#"{"foo":1}"#,
            "holds none of the fields of a ReplicaJobSession entity (it holds `foo`)",
        ),
        (
            r#"{"jobName":"x","result":"Failed"}"#,
            "holds none of the fields of a ReplicaJobSession entity (it holds `jobName`, \
             `result`); field names are case-sensitive: `jobName` is not `JobName`",
        ),
        (
            "{\"Message\":\"\\u001b[2Jgone\",\"StatusCode\":500}",
            "an Enterprise Manager error (status 500: \"\\u{1b}[2Jgone\"), not a \
             ReplicaJobSession entity",
        ),
    ] {
        let Err(MatchError::Unreadable(e)) = filter.matches_json(json.as_bytes()) else {
            panic!("{json}: not an entity");
        };
        assert!(e.is_not_entity(), "{json}");
        assert_eq!(e.message(), want, "{json}");
        assert_eq!((e.line(), e.column()), (0, 0));
    }
    // One field is enough, even null: an entity with little in it is still an entity.
    assert!(!filter.matches_json(br#"{"Result":null,"foo":1}"#).unwrap());
}

#[test]
fn a_field_the_filter_reads_must_hold_its_type() {
    let format = EntityFormat::for_schema(&REPLICA_JOB_SESSION).unwrap();
    let filter = emfilter::compile("EndTime>2026-01-01T00:00:00Z", &REPLICA_JOB_SESSION).unwrap();
    let bad = session(serde_json::json!({"EndTimeUTC": "yesterday"}));
    let Err(MatchError::Unreadable(e)) = filter.matches_json(bad.as_bytes()) else {
        panic!("unreadable");
    };
    assert!(
        e.message()
            .contains("`EndTimeUTC`: \"yesterday\" is not a date-time"),
        "{e}"
    );
    // A filter that does not read it does not mind.
    let other = emfilter::compile("Result==Failed", &REPLICA_JOB_SESSION).unwrap();
    assert!(other.matches_json(bad.as_bytes()).unwrap());
    assert!(
        format.read(bad.as_bytes()).is_err(),
        "read whole, it is unreadable"
    );
    // Not an object, not JSON.
    for (json, want) in [
        ("[1]", "expected a JSON object"),
        ("{\"Result\":", "EOF"),
        (
            "{\"EndTimeUTC\": 5}",
            "invalid type: integer `5`, expected a date-time or null for `EndTimeUTC`",
        ),
        (
            "{\"EndTimeUTC\": {}}",
            "expected a date-time or null for `EndTimeUTC`",
        ),
    ] {
        let e = filter.matches_json(json.as_bytes()).unwrap_err();
        assert!(e.to_string().contains(want), "{json}: {e}");
    }
}

// ---- the Record trait -------------------------------------------------------------------------

/// A tool's own record type: values by field name.
struct Mine(Vec<(&'static str, Value<'static>)>);

impl Record for Mine {
    fn value(&self, field: FieldId) -> Value<'_> {
        let name = REPLICA_JOB_SESSION.field(field).name();
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(Value::Null, |(_, v)| *v)
    }
}

#[test]
fn own_records_are_evaluated_through_the_trait() {
    let filter = emfilter::compile(
        "JobUid==urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067;IsRetry==True;CreationTime>2026-01-01T00:00:00Z",
        &REPLICA_JOB_SESSION,
    )
    .unwrap();
    let guid = Guid::parse("dce85686-59c8-42c4-8766-f1c00a5b8067").unwrap();
    let ticks_2026 = 1_767_225_600 * 10_000_000; // 2026-01-01T00:00:00Z
    let mut record = Mine(vec![
        ("JobUid", Value::Uid { resource: "", guid }),
        ("IsRetry", Value::Bool(true)),
        ("CreationTime", Value::DateTime(ticks_2026 + 1)),
    ]);
    assert!(filter.matches(&record));
    record.0[2].1 = Value::DateTime(ticks_2026);
    assert!(!filter.matches(&record));
    // A value of another shape than the field's type is no value.
    record.0[2].1 = Value::Text("2026-06-01T00:00:00Z");
    assert!(!filter.matches(&record));
    assert!(!filter.interpret(&record));
}

// ---- other query types ------------------------------------------------------------------------

#[test]
fn backup_job_sessions_are_evaluated_too() {
    // The BackupJobSession sample of the reference (§5).
    let json = r#"{"IsRetry":true,"JobUid":"urn:veeam:Job:0c3e9f47-55f6-4d59-9d3e-1c2d9d3a4b5c","JobName":"PROD Job 1","JobType":"Backup","CreationTimeUTC":"2025-02-19T03:33:17.233Z","EndTimeUTC":"2025-02-19T03:46:02.513Z","State":"Stopped","Result":"Failed","Progress":100,"FailureMessage":null,"Name":"PROD Job 1@2025-02-19 03:33:17","UID":"urn:veeam:BackupJobSession:7f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b","Links":[{"Rel":"Up","Href":"https://em:9398/api/backupServers/ce15a8c7-aa49-495e-b05b-ee3398c91018","Name":"srv02.tech.local","Type":"BackupServerReference"}],"Href":"https://em:9398/api/backupSessions/7f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b?format=Entity","Type":"BackupJobSession"}"#;
    let schema = schema::builtin("BackupJobSession").unwrap();
    let filter = emfilter::compile(
        r#"JobType==Backup;Result>=Warning;BackupServerName=="SRV02.tech.local";EndTime<2025-02-19T03:46:03Z;UID==urn:veeam:BackupJobSession:7f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"#,
        schema,
    )
    .unwrap();
    assert!(filter.matches_json(json.as_bytes()).unwrap());
    assert_eq!(
        filter.entity_format().unwrap().collection(),
        "BackupJobSessions"
    );
}

/// A BackupTaskSession entity in the shape EM documents for `/backupTaskSessions/{ID}`.
const BACKUP_TASK: &str = r#"{"JobSessionUid":"urn:veeam:BackupJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae","CreationTimeUTC":"2014-10-19T05:23:44Z","EndTimeUTC":"2014-10-19T05:31:02.1Z","State":"Completed","Result":"Warning","Reason":"Changed block tracking cannot be enabled","TotalSize":32212254720,"VmDisplayName":"srv04","Name":"srv04@2014-10-19 05:23:44","UID":"urn:veeam:BackupTaskSession:88767486-89d6-4340-92f0-2ad615a8f21b","Links":[{"Rel":"Up","Href":"https://em:9398/api/backupServers/ce15a8c7-aa49-495e-b05b-ee3398c91018","Name":"srv02.veeam.local","Type":"BackupServerReference"},{"Rel":"Up","Href":"https://em:9398/api/backupSessions/d46e39e0-1131-4585-91a7-e828ce7eafae","Name":"Fileserver Backup@2014-10-19 05:22:52","Type":"BackupJobSessionReference"}],"Href":"https://em:9398/api/backupTaskSessions/88767486-89d6-4340-92f0-2ad615a8f21b?format=Entity","Type":"BackupTaskSession"}"#;

#[test]
fn task_sessions_are_evaluated_on_the_fields_their_entity_holds() {
    let schema = schema::builtin("BackupTaskSession").unwrap();
    let matches = |filter: &str| {
        let filter = emfilter::compile(filter, schema).unwrap();
        filter.matches_json(BACKUP_TASK.as_bytes()).unwrap()
    };
    // Every field the entity holds: attributes, elements, the times, the server's link.
    assert!(matches(
        "State==Completed;Result>Success;Reason==\"changed block tracking cannot be enabled\";\
         TotalSize>=32212254720;VmDisplayName==SRV04;\
         JobSessionUid==urn:veeam:BackupJobSession:D46E39E0-1131-4585-91a7-e828ce7eafae;\
         CreationTime==2014-10-19T05:23:44Z;EndTime<2014-10-19T05:31:02.2Z;\
         BackupServerName==\"srv02.veeam.local\";BackupServerUid==ce15a8c7-aa49-495e-b05b-ee3398c91018;\
         UID==urn:veeam:BackupTaskSession:88767486-89d6-4340-92f0-2ad615a8f21b;Name==\"srv04@2014-10-19 05:23:44\""
    ));
    // Task states have their own order: InProgress, Pending, Completed.
    assert!(matches("State>Pending"));
    assert!(!matches("State<Completed"));
    assert!(!matches("TotalSize>32212254720"));
    assert!(!matches("Result==Failed,VmDisplayName==srv05"));
    // The same shape serves ReplicaTaskSession.
    let replica = BACKUP_TASK
        .replace("BackupJobSession:", "ReplicaJobSession:")
        .replace("BackupTaskSession", "ReplicaTaskSession");
    let filter = emfilter::compile(
        "JobSessionUid==urn:veeam:ReplicaJobSession:d46e39e0-1131-4585-91a7-e828ce7eafae;Result==Warning",
        schema::builtin("ReplicaTaskSession").unwrap(),
    )
    .unwrap();
    assert!(filter.matches_json(replica.as_bytes()).unwrap());
    assert_eq!(
        filter.entity_format().unwrap().collection(),
        "ReplicaTaskSessions"
    );
}

// ---- compiled = interpreted -------------------------------------------------------------------

/// A random comparison over ReplicaJobSession, as text.
fn comparison() -> impl Strategy<Value = String> {
    let op = prop::sample::select(vec!["==", "!=", "<", "<=", ">", ">="]);
    let eq = prop::sample::select(vec!["==", "!="]);
    prop_oneof![
        (
            op.clone(),
            prop::sample::select(vec!["Success", "Warning", "Failed", "None"])
        )
            .prop_map(|(o, v)| format!("Result{o}{v}")),
        (
            op.clone(),
            prop::sample::select(vec!["Starting", "Working", "Stopped"])
        )
            .prop_map(|(o, v)| format!("State{o}{v}")),
        (op.clone(), 0i64..4000).prop_map(|(o, s)| format!(
            "CreationTime{o}2026-11-21T22:{:02}:{:02}.{}Z",
            s / 60 % 60,
            s % 60,
            s % 7
        )),
        (op.clone(), 0i64..4000).prop_map(|(o, s)| format!(
            "EndTime{o}2026-11-21T22:{:02}:{:02}Z",
            s / 60 % 60,
            s % 60
        )),
        (
            op,
            prop::sample::select(vec!["sql replica", "SQL Replica", "Files", "zürich", "a"])
        )
            .prop_map(|(o, v)| format!("JobName{o}\"{v}\"")),
        (eq.clone(), any::<bool>())
            .prop_map(|(o, b)| format!("IsRetry{o}{}", if b { "True" } else { "False" })),
        (
            eq.clone(),
            prop::sample::select(vec![
                "dce85686-59c8-42c4-8766-f1c00a5b8067",
                "2c49a44e-1e59-4527-a6bc-6b2f9b579ee1"
            ])
        )
            .prop_map(|(o, g)| format!("JobUid{o}urn:veeam:Job:{g}")),
        (
            eq,
            prop::sample::select(vec!["enterprise06.tech.local", "SRV02.tech.local"])
        )
            .prop_map(|(o, v)| format!("BackupServerName{o}\"{v}\"")),
    ]
}

/// A random filter: comparisons under nested ANDs and ORs.
fn filter() -> impl Strategy<Value = String> {
    comparison().prop_recursive(4, 24, 4, |inner| {
        (prop::collection::vec(inner, 2..4), any::<bool>())
            .prop_map(|(items, and)| format!("({})", items.join(if and { ";" } else { "," })))
    })
}

/// A random session: each field from a small pool, null, or missing.
fn record() -> impl Strategy<Value = String> {
    fn pick(values: Vec<serde_json::Value>) -> impl Strategy<Value = serde_json::Value> {
        let mut all = values;
        all.push(serde_json::Value::Null);
        all.push(serde_json::json!("-"));
        prop::sample::select(all)
    }
    let time = |hour: u32| {
        (0u32..4000, 0u32..8).prop_map(move |(s, digits)| {
            let frac = format!("{:07}", s * 1234 % 10_000_000);
            let frac = if digits == 0 {
                String::new()
            } else {
                format!(".{}", &frac[..digits as usize])
            };
            serde_json::json!(format!(
                "2026-11-21T{hour}:{:02}:{:02}{frac}Z",
                s / 60 % 60,
                s % 60
            ))
        })
    };
    (
        pick(["Success", "Warning", "Failed", "None", "failed"].map(|v| serde_json::json!(v)).to_vec()),
        pick(["Starting", "Working", "Stopped", "Paused"].map(|v| serde_json::json!(v)).to_vec()),
        pick(["SQL Replica", "sql replica", "Files", "ZÜRICH", "A", "b"].map(|v| serde_json::json!(v)).to_vec()),
        pick(vec![serde_json::json!(true), serde_json::json!(false)]),
        pick(
            [
                "urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067",
                "urn:veeam:JOB:DCE85686-59C8-42C4-8766-F1C00A5B8067",
                "dce85686-59c8-42c4-8766-f1c00a5b8067",
                "urn:veeam:Job:2c49a44e-1e59-4527-a6bc-6b2f9b579ee1",
                "urn:veeam:Backup:2c49a44e-1e59-4527-a6bc-6b2f9b579ee1",
            ]
            .map(|v| serde_json::json!(v))
            .to_vec(),
        ),
        prop_oneof![time(22), Just(serde_json::Value::Null)],
        prop_oneof![time(22), Just(serde_json::Value::Null), Just(serde_json::json!("-"))],
        pick(["enterprise06.tech.local", "srv02.TECH.local"].map(|v| serde_json::json!(v)).to_vec()),
    )
        .prop_map(|(result, state, job, retry, uid, created, end, server)| {
            session(serde_json::json!({
                "Result": result, "State": state, "JobName": job, "IsRetry": retry, "JobUid": uid,
                "CreationTimeUTC": created, "EndTimeUTC": end,
                "Links": [{"Rel": "Up", "Type": "BackupServerReference", "Name": server,
                           "Href": "https://em/api/backupServers/15942270-fb56-4dcc-96e9-5f80e4725a15"}],
            }))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn compiled_evaluation_equals_the_reference_walk(
        f in filter(),
        records in prop::collection::vec(record(), 1..8),
        case_sensitive in any::<bool>(),
    ) {
        let checked = emfilter::check(&f, &REPLICA_JOB_SESSION);
        let typed = checked.filter().unwrap_or_else(|| panic!("{f}: {:?}", checked.diagnostics()));
        let options = Options::default().case_sensitive(case_sensitive);
        let typed = typed.clone().with_options(options);
        let format = EntityFormat::for_schema(&REPLICA_JOB_SESSION).unwrap();
        for r in &records {
            let entity: Entity<'_> = format.read(r.as_bytes()).unwrap();
            prop_assert_eq!(typed.matches(&entity), typed.interpret(&entity), "{} on {}", f, r);
            // Reading only the fields the filter reads changes nothing.
            prop_assert_eq!(typed.matches_json(r.as_bytes()).unwrap(), typed.matches(&entity));
        }
    }

    #[test]
    fn any_value_of_any_shape_evaluates_without_panicking(
        f in filter(),
        values in prop::collection::vec(
            prop_oneof![
                Just(Value::Null),
                any::<i64>().prop_map(Value::DateTime),
                any::<i64>().prop_map(Value::Int),
                any::<f64>().prop_map(Value::Double),
                any::<bool>().prop_map(Value::Bool),
                prop::sample::select(vec!["", "Failed", "none", "ß", "\u{212A}", "SQL Replica"]).prop_map(Value::Text),
                any::<u128>().prop_map(|g| Value::Uid { resource: "job", guid: Guid(g) }),
            ],
            12,
        ),
    ) {
        struct Any(Vec<Value<'static>>);
        impl Record for Any {
            fn value(&self, field: FieldId) -> Value<'_> {
                self.0.get(field.index()).copied().unwrap_or(Value::Null)
            }
        }
        let typed = emfilter::compile(&f, &REPLICA_JOB_SESSION).unwrap();
        let record = Any(values);
        for options in [Options::default(), Options::default().case_sensitive(true)] {
            let typed = typed.clone().with_options(options);
            prop_assert_eq!(typed.matches(&record), typed.interpret(&record));
        }
    }
}

// ---- every shape hands over the same records --------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_shape_hands_over_the_same_records(
        records in prop::collection::vec(record(), 0..6),
        shape in 0usize..4,
        pretty in any::<bool>(),
        bom in any::<bool>(),
    ) {
        use emfilter::eval::stream::{self, Location};
        let values: Vec<serde_json::Value> =
            records.iter().map(|r| serde_json::from_str(r).unwrap()).collect();
        let element = |v: &serde_json::Value| if pretty {
            serde_json::to_string_pretty(v).unwrap()
        } else {
            v.to_string()
        };
        let array = format!(
            "[{}{}]",
            if pretty { "\n" } else { "" },
            values.iter().map(element).collect::<Vec<_>>().join(if pretty { ",\n" } else { "," })
        );
        let mut input = match shape {
            0 => array,
            1 => format!("{{\"ReplicaJobSessions\": {array}}}"),
            2 => format!(
                "{{\"Refs\": null, \"Entities\": {{\"Jobs\": null, \"ReplicaJobSessions\": \
                 {{\"ReplicaJobSessions\": {array}}}, \"Backups\": null}}, \"PagingInfo\": \
                 {{\"Links\": [{{\"Rel\": \"Next\"}}], \"PageNum\": 1}}}}"
            ),
            _ => values.iter().map(|v| format!("{v}\n")).collect(),
        };
        if bom {
            input.insert(0, '\u{feff}');
        }
        let mut seen = Vec::new();
        let result = stream::for_each_record(input.as_bytes(), "ReplicaJobSessions", |item| {
            let r = item.map_err(|u| u.message)?;
            let mut line = Vec::new();
            emfilter::json::compact(r.json, &mut line);
            seen.push((r.location, String::from_utf8(line).unwrap()));
            Ok::<(), String>(())
        });
        prop_assert!(result.is_ok(), "{:?} on {}", result.err(), input);
        let want: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        let got: Vec<String> = seen.iter().map(|(_, t)| t.clone()).collect();
        prop_assert_eq!(got, want);
        for (i, (at, _)) in seen.iter().enumerate() {
            let expected = if shape == 3 { Location::Line(i as u64 + 1) } else { Location::Index(i as u64) };
            prop_assert_eq!(*at, expected);
        }
    }
}

// ---- one literal grammar ----------------------------------------------------------------------

/// A date-time in any of the forms people and servers write, now and then broken.
fn date_time_text() -> impl Strategy<Value = String> {
    let date =
        (0u32..=9999, 1u32..=13, 1u32..=31).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
    let time = (
        prop::sample::select(vec!["T", "t", " "]),
        0u32..=24,
        0u32..=60,
        prop::option::of(0u32..=60),
        prop::option::of("[0-9]{1,9}"),
    )
        .prop_map(|(sep, h, m, s, frac)| {
            let mut t = format!("{sep}{h:02}:{m:02}");
            if let Some(s) = s {
                t.push_str(&format!(":{s:02}"));
                if let Some(f) = frac {
                    t.push('.');
                    t.push_str(&f);
                }
            }
            t
        });
    let zone = prop_oneof![
        Just(String::new()),
        Just("Z".to_owned()),
        Just("z".to_owned()),
        (
            prop::sample::select(vec!['+', '-']),
            0u32..=24,
            0u32..=60,
            prop::sample::select(vec![":", ""])
        )
            .prop_map(|(s, h, m, c)| format!("{s}{h:02}{c}{m:02}")),
        (prop::sample::select(vec!['+', '-']), 0u32..=24).prop_map(|(s, h)| format!("{s}{h:02}")),
    ];
    (
        date,
        prop::option::of(time),
        zone,
        prop::option::of("[ -~]{0,3}"),
    )
        .prop_map(|(d, t, z, junk)| {
            format!(
                "{d}{}{z}{}",
                t.unwrap_or_default(),
                junk.unwrap_or_default()
            )
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// What the checker takes as a date-time value, the record reader reads as the same
    /// instant: both read with the one grammar.
    #[test]
    fn a_date_time_the_checker_accepts_is_the_same_instant_in_a_record(text in date_time_text()) {
        let filter = format!("CreationTime=={}", emfilter_quoted(&text));
        let record = serde_json::json!({ "CreationTimeUTC": text }).to_string();
        if let Ok(typed) = emfilter::compile(&filter, &REPLICA_JOB_SESSION) {
            prop_assert!(
                typed.matches_json(record.as_bytes()).unwrap_or(false),
                "`{}` checks, but the record `{}` is not the same instant", filter, record
            );
        }
    }

    /// What the checker takes as a UID (or a bare GUID, with its warning), the record reader
    /// reads as the same UID.
    #[test]
    fn a_uid_the_checker_accepts_is_the_same_uid_in_a_record(
        prefix in prop::sample::select(vec!["urn:veeam:Job:", "URN:VEEAM:job:", "", "urn:veeam:", "{", "urn:veeam:Jo b:"]),
        guid in any::<u128>(),
        upper in any::<bool>(),
    ) {
        let g = Guid(guid).to_string();
        let g = if upper { g.to_uppercase() } else { g };
        let text = format!("{prefix}{g}");
        let filter = format!("JobUid=={}", emfilter_quoted(&text));
        let record = serde_json::json!({ "JobUid": text }).to_string();
        if let Ok(typed) = emfilter::compile(&filter, &REPLICA_JOB_SESSION) {
            prop_assert!(typed.matches_json(record.as_bytes()).unwrap_or(false), "{}", record);
        }
    }
}

/// `text` quoted as a filter value.
fn emfilter_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}
