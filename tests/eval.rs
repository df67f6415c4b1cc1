//! `emfilter::eval`: every rule of the semantics shown on records, and the compiled evaluator
//! agreeing with the reference walk on random filters and records. (The command line's `eval`
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

// ---- field mapping ----------------------------------------------------------------------------

#[test]
fn creation_and_end_time_read_the_utc_elements() {
    let r = [session(serde_json::json!({}))];
    assert_eq!(
        matches("CreationTime==2026-11-21T22:00:04.2214567Z", &r),
        [true]
    );
    assert_eq!(matches("EndTime==2026-11-21T22:41:10.5Z", &r), [true]);
    // An element named like the filter field is not the field.
    let r = [session(
        serde_json::json!({"CreationTimeUTC": "-", "CreationTime": "2026-11-21T22:00:04Z"}),
    )];
    assert_eq!(matches("CreationTime>2000-01-01T00:00:00Z", &r), [false]);
}

#[test]
fn uid_and_name_are_the_attributes() {
    let r = [session(serde_json::json!({}))];
    assert_eq!(
        matches(
            "UID==urn:veeam:ReplicaJobSession:5d0e8d43-1f4a-4c8e-9a55-0f1b7b2e9c11",
            &r
        ),
        [true]
    );
    assert_eq!(
        matches(r#"Name=="SQL Replica@2026-11-21 22:00:04.221456""#, &r),
        [true]
    );
}

#[test]
fn backup_server_comes_from_the_up_link_of_type_backupserverreference() {
    let r = [session(serde_json::json!({}))];
    // The JobReference link comes first and is not taken.
    assert_eq!(
        matches(r#"BackupServerName=="enterprise06.tech.local""#, &r),
        [true]
    );
    assert_eq!(matches(r#"BackupServerName=="SQL Replica""#, &r), [false]);
    assert_eq!(
        matches(
            "BackupServerUid==urn:veeam:BackupServer:15942270-fb56-4dcc-96e9-5f80e4725a15",
            &r
        ),
        [true]
    );
    assert_eq!(
        matches(
            "BackupServerUid==urn:veeam:BackupServer:dce85686-59c8-42c4-8766-f1c00a5b8067",
            &r
        ),
        [false]
    );
}

#[test]
fn link_fields_that_are_null_or_missing_are_no_value() {
    let links = |links: serde_json::Value| session(serde_json::json!({ "Links": links }));
    let r = [
        links(serde_json::json!(null)),
        links(serde_json::json!([])),
        links(
            serde_json::json!([{"Rel": "Up", "Type": "BackupServerReference", "Name": null, "Href": null}]),
        ),
        links(serde_json::json!([{"Rel": "Up", "Type": "BackupServerReference"}])),
        links(
            serde_json::json!([null, {"Rel": "Down", "Type": "BackupServerReference", "Name": "x"}]),
        ),
        session(serde_json::json!({"Links": "-"})),
    ];
    let none = vec![false; r.len()];
    assert_eq!(matches(r#"BackupServerName=="x""#, &r), none);
    assert_eq!(matches(r#"BackupServerName!="x""#, &r), none);
    assert_eq!(
        matches(
            "BackupServerUid!=urn:veeam:BackupServer:15942270-fb56-4dcc-96e9-5f80e4725a15",
            &r
        ),
        none
    );
}

// ---- enums ------------------------------------------------------------------------------------

fn results() -> Vec<String> {
    ["Success", "Warning", "Failed", "None"]
        .iter()
        .map(|r| session(serde_json::json!({ "Result": r })))
        .collect()
}

#[test]
fn enums_compare_by_their_documented_index() {
    let r = results();
    assert_eq!(matches("Result>Success", &r), [false, true, true, false]);
    assert_eq!(matches("Result>=Warning", &r), [false, true, true, false]);
    assert_eq!(matches("Result<Failed", &r), [true, true, false, false]);
    assert_eq!(matches("Result<=Success", &r), [true, false, false, false]);
    assert_eq!(matches("Result==warning", &r), [false, true, false, false]);
}

#[test]
fn a_value_outside_the_list_equals_only_itself_and_has_no_order() {
    let r = results();
    assert_eq!(matches("Result==None", &r), [false, false, false, true]);
    assert_eq!(matches("Result!=None", &r), [true, true, true, false]);
    assert_eq!(matches("Result!=Success", &r), [false, true, true, true]);
    assert_eq!(matches("Result==Failed", &r), [false, false, true, false]);
    // None is neither above nor below anything.
    assert_eq!(matches("Result<=Failed", &r), [true, true, true, false]);
    assert_eq!(matches("Result>=Success", &r), [true, true, true, false]);
    assert_eq!(matches("Result>None", &r), [false, false, false, false]);
}

#[test]
fn record_enum_values_are_read_in_any_case() {
    let r = [session(
        serde_json::json!({"Result": "FAILED", "State": "stopped"}),
    )];
    assert_eq!(matches("Result>Warning;State==Stopped", &r), [true]);
}

// ---- missing and null -------------------------------------------------------------------------

#[test]
fn missing_or_null_satisfies_no_comparison() {
    let running = [
        session(serde_json::json!({"EndTimeUTC": null, "Result": "None", "State": "Working"})),
        session(serde_json::json!({"EndTimeUTC": "-"})),
    ];
    for f in [
        "EndTime>2000-01-01T00:00:00Z",
        "EndTime<2100-01-01T00:00:00Z",
        "EndTime==2026-11-21T22:41:10.5Z",
        "EndTime!=2026-11-21T22:41:10.5Z",
    ] {
        assert_eq!(matches(f, &running), [false, false], "{f}");
    }
    let nulls = [session(
        serde_json::json!({"JobName": null, "IsRetry": null, "Result": "-"}),
    )];
    for f in [
        r#"JobName=="x""#,
        r#"JobName!="x""#,
        "IsRetry==True",
        "IsRetry!=True",
        "Result!=Success",
    ] {
        assert_eq!(matches(f, &nulls), [false], "{f}");
    }
    // ... and so an OR with a comparison that holds still holds.
    assert_eq!(
        matches("EndTime>2000-01-01T00:00:00Z,State==Working", &running),
        [true, false]
    );
}

// ---- strings ----------------------------------------------------------------------------------

#[test]
fn strings_ignore_case_unless_asked() {
    let r = [
        session(serde_json::json!({"JobName": "SQL Replica"})),
        session(serde_json::json!({"JobName": "sql replica"})),
        session(serde_json::json!({"JobName": "ZÜRICH Replica"})),
    ];
    assert_eq!(
        matches(r#"JobName=="Sql REPLICA""#, &r),
        [true, true, false]
    );
    assert_eq!(
        matches(r#"JobName=="zürich replica""#, &r),
        [false, false, true]
    );
    assert_eq!(
        matches(r#"JobName!="SQL REPLICA""#, &r),
        [false, false, true]
    );
    assert_eq!(matches(r#"JobName<"T""#, &r), [true, true, false]);
    let sensitive = Options::default().case_sensitive(true);
    assert_eq!(
        matches_with(r#"JobName=="SQL Replica""#, &r, sensitive),
        [true, false, false]
    );
    assert_eq!(
        matches_with(r#"JobName<"a""#, &r, sensitive),
        [true, false, true]
    );
}

// ---- UIDs -------------------------------------------------------------------------------------

#[test]
fn uids_ignore_case_and_a_bare_guid_matches_the_guid() {
    let r = [
        session(
            serde_json::json!({"JobUid": "urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067"}),
        ),
        session(
            serde_json::json!({"JobUid": "urn:veeam:Job:DCE85686-59C8-42C4-8766-F1C00A5B8067"}),
        ),
        session(
            serde_json::json!({"JobUid": "URN:VEEAM:JOB:dce85686-59c8-42c4-8766-f1c00a5b8067"}),
        ),
        session(
            serde_json::json!({"JobUid": "urn:veeam:Job:2c49a44e-1e59-4527-a6bc-6b2f9b579ee1"}),
        ),
        session(
            serde_json::json!({"JobUid": "urn:veeam:Backup:dce85686-59c8-42c4-8766-f1c00a5b8067"}),
        ),
    ];
    let want = [true, true, true, false, false];
    assert_eq!(
        matches(
            "JobUid==urn:veeam:Job:DCE85686-59c8-42c4-8766-f1c00a5b8067",
            &r
        ),
        want
    );
    // A bare GUID (a warning in `check`) is the field's own resource type with that GUID.
    assert_eq!(
        matches("JobUid==dce85686-59c8-42c4-8766-f1c00a5b8067", &r),
        want
    );
    assert_eq!(
        matches("JobUid!=dce85686-59c8-42c4-8766-f1c00a5b8067", &r),
        want.map(|b| !b)
    );
}

// ---- date-times -------------------------------------------------------------------------------

#[test]
fn date_times_compare_as_instants_whatever_their_digits() {
    let at = |t: &str| session(serde_json::json!({ "EndTimeUTC": t }));
    let r = [
        at("2026-11-21T22:41:10Z"),
        at("2026-11-21T22:41:10.5Z"),
        at("2026-11-21T22:41:10.5000000Z"),
        at("2026-11-21T22:41:10.5000001Z"),
        at("2026-11-22T00:41:10.5+02:00"),
    ];
    assert_eq!(
        matches("EndTime==2026-11-21T22:41:10.50Z", &r),
        [false, true, true, false, true]
    );
    assert_eq!(
        matches("EndTime>2026-11-21T22:41:10.5Z", &r),
        [false, false, false, true, false]
    );
    assert_eq!(
        matches("EndTime<2026-11-21T22:41:10.4999999Z", &r),
        [true, false, false, false, false]
    );
}

// ---- reading tolerantly -----------------------------------------------------------------------

#[test]
fn bom_unknown_fields_and_nulls_are_read() {
    let with_bom = format!(
        "\u{feff}{}",
        session(serde_json::json!({"Extra": {"deep": [1, 2]}}))
    );
    let minimal = r#"{"Result":"Failed"}"#.to_owned();
    let empty = "{}".to_owned();
    let r = [with_bom, minimal, empty];
    assert_eq!(matches("Result==Failed", &r), [true, true, false]);
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
            stream::compact(r.json, &mut line);
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
