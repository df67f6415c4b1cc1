//! The built-in schemas: every EM query type, every field of each, and the irregularities of EM's
//! reference, which the schemas follow.

use emfilter::ir::{Double, ExprKind, TypedValue};
use emfilter::schema::{self, Field, FieldType, Schema};
use emfilter::{Checked, Checker, Code};
use proptest::prelude::*;

const GUID: &str = "dce85686-59c8-42c4-8766-f1c00a5b8067";

/// The reference's "Type Parameter" list, in its order.
const DOCUMENTED_TYPES: [&str; 48] = [
    "AgentBackupJob",
    "AgentProtectionGroup",
    "AgentRestorePoint",
    "Backup",
    "BackupFile",
    "BackupJobSession",
    "BackupServer",
    "BackupTaskSession",
    "CdpPolicy",
    "CdpReplica",
    "CdpReplicaSession",
    "CdpReplicaTaskSession",
    "CloudGateway",
    "CloudGatewayPool",
    "CloudTenant",
    "CloudFailoverPlan",
    "CloudFailoverSession",
    "CloudHardwarePlan",
    "CloudPublicIpAddress",
    "CloudReplica",
    "CloudSubtenant",
    "CloudVmReplicaPoint",
    "Credentials",
    "DiscoveredComputer",
    "FailoverPlan",
    "FileServer",
    "HierarchyRoot",
    "Job",
    "ManagedServer",
    "NasJob",
    "NasObject",
    "ObjectInJob",
    "Passwords",
    "Replica",
    "ReplicaJobSession",
    "ReplicaTaskSession",
    "Repository",
    "RestorePoint",
    "RestoreSession",
    "Task",
    "vAppReplicaPoint",
    "vAppRestorePoint",
    "VCloudOrganizationConfig",
    "VlanConfiguration",
    "VmReplicaPoint",
    "VmRestorePoint",
    "VsphereSelfServiceConfig",
    "WanAccelerator",
];

fn schema(name: &str) -> &'static Schema {
    schema::builtin(name).unwrap_or_else(|| panic!("no built-in schema {name}"))
}

fn field<'s>(schema: &'s Schema, name: &str) -> &'s Field {
    schema.field(
        schema
            .lookup(name)
            .unwrap_or_else(|| panic!("{} has no field {name}", schema.name())),
    )
}

fn check(type_name: &str, filter: &str) -> Checked {
    Checker::new(schema(type_name)).check(filter)
}

fn codes(checked: &Checked) -> Vec<Code> {
    checked.diagnostics().iter().map(|d| d.code()).collect()
}

/// The canonical text of a filter that must check without any diagnostic.
fn canonical(type_name: &str, filter: &str) -> String {
    let checked = check(type_name, filter);
    // A field the documentation omits is checked, with its warning (VmRestorePoint's
    // HierarchyObjRef).
    assert!(
        checked
            .diagnostics()
            .iter()
            .all(|d| d.code() == Code::UndocumentedField),
        "{type_name}: `{filter}` should check cleanly: {:#?}",
        checked.diagnostics()
    );
    checked.filter().expect("a valid filter").to_string()
}

/// The single `unknown-field` diagnostic of `filter` and its suggested replacement.
fn suggestion(type_name: &str, filter: &str) -> Option<String> {
    let checked = check(type_name, filter);
    assert_eq!(
        codes(&checked),
        [Code::UnknownField],
        "{type_name}: `{filter}`"
    );
    checked.diagnostics()[0]
        .fix()
        .map(|fix| fix.replacement.clone())
}

/// A value of each field's type (an enum's last value, shouted, to show values match in any case).
fn valid_value(field: &Field) -> String {
    match field.ty() {
        FieldType::Uid(resource) => format!("urn:veeam:{resource}:{GUID}"),
        FieldType::DateTime => "\"2025-08-15T06:00:00Z\"".into(),
        FieldType::Boolean => "false".into(),
        FieldType::String => "\"Backup Job 1\"".into(),
        FieldType::Int64 => "107374182400".into(),
        FieldType::Double => "1.5".into(),
        FieldType::Enum(e) => e
            .values()
            .last()
            .expect("an enum has values")
            .to_uppercase(),
        other => panic!("{other:?} has no sample value yet"),
    }
}

/// `JobName` → `JobNmae`: two neighbours in the middle swapped (the first pair that differs).
fn typo(name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let n = chars.len();
    let mut i = (n / 2).saturating_sub(1);
    while i + 1 < n && chars[i].eq_ignore_ascii_case(&chars[i + 1]) {
        i += 1;
    }
    assert!(i + 1 < n, "no typo for {name}");
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

/// The per-type test: a filter over every field checks cleanly and prints to a fixed point; each
/// enum value is accepted in any case; a typo of each field is reported with that field as the fix.
fn check_every_field(type_name: &str) {
    let s = schema(type_name);
    assert_eq!(s.name(), type_name);
    let comparisons: Vec<String> = s
        .fields()
        .iter()
        .map(|f| {
            let op = if f.ty().is_ordered() { ">=" } else { "==" };
            format!("{}{op}{}", f.name().to_lowercase(), valid_value(f))
        })
        .collect();
    let filter = comparisons.join(";");
    let printed = canonical(type_name, &filter);
    assert_eq!(canonical(type_name, &printed), printed, "fixed point");
    let checked = check(type_name, &printed);
    assert_eq!(
        checked.filter().unwrap().root().comparisons(),
        s.fields().len()
    );
    for f in s.fields() {
        assert!(
            printed.contains(&format!("{}>=", f.name()))
                || printed.contains(&format!("{}==", f.name())),
            "{type_name}: `{printed}` prints `{}` in its documented spelling",
            f.name()
        );
        if let FieldType::Enum(e) = f.ty() {
            for v in e.values() {
                let lower = format!("{}=={}", f.name(), v.to_lowercase());
                assert_eq!(canonical(type_name, &lower), format!("{}=={v}", f.name()));
            }
        }
        let misspelt = typo(f.name());
        let filter = format!("{misspelt}=={}", valid_value(f));
        assert_eq!(
            suggestion(type_name, &filter).as_deref(),
            Some(f.name()),
            "{type_name}: the fix for `{misspelt}`"
        );
    }
}

macro_rules! per_type {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_every_field($name);
            }
        )*

        /// Every built-in type has its test above.
        #[test]
        fn every_type_has_a_test() {
            let tested = [$($name),*];
            for s in schema::builtins() {
                assert!(tested.contains(&s.name()), "no per-type test for {}", s.name());
            }
            assert_eq!(tested.len(), schema::builtins().len());
        }
    };
}

per_type! {
    agent_backup_job => "AgentBackupJob",
    agent_protection_group => "AgentProtectionGroup",
    agent_restore_point => "AgentRestorePoint",
    backup => "Backup",
    backup_file => "BackupFile",
    backup_job_session => "BackupJobSession",
    backup_server => "BackupServer",
    backup_task_session => "BackupTaskSession",
    cdp_policy => "CdpPolicy",
    cdp_replica => "CdpReplica",
    cdp_replica_session => "CdpReplicaSession",
    cdp_replica_task_session => "CdpReplicaTaskSession",
    cloud_gateway => "CloudGateway",
    cloud_gateway_pool => "CloudGatewayPool",
    cloud_tenant => "CloudTenant",
    cloud_failover_plan => "CloudFailoverPlan",
    cloud_failover_session => "CloudFailoverSession",
    cloud_hardware_plan => "CloudHardwarePlan",
    cloud_public_ip_address => "CloudPublicIpAddress",
    cloud_replica => "CloudReplica",
    cloud_subtenant => "CloudSubtenant",
    cloud_vm_replica_point => "CloudVmReplicaPoint",
    credentials => "Credentials",
    discovered_computer => "DiscoveredComputer",
    failover_plan => "FailoverPlan",
    file_server => "FileServer",
    hierarchy_root => "HierarchyRoot",
    job => "Job",
    managed_server => "ManagedServer",
    nas_job => "NasJob",
    nas_object => "NasObject",
    object_in_job => "ObjectInJob",
    passwords => "Passwords",
    replica => "Replica",
    replica_job_session => "ReplicaJobSession",
    replica_task_session => "ReplicaTaskSession",
    repository => "Repository",
    restore_point => "RestorePoint",
    restore_session => "RestoreSession",
    task => "Task",
    vapp_replica_point => "vAppReplicaPoint",
    vapp_restore_point => "vAppRestorePoint",
    vcloud_organization_config => "VCloudOrganizationConfig",
    vlan_configuration => "VlanConfiguration",
    vm_replica_point => "VmReplicaPoint",
    vm_restore_point => "VmRestorePoint",
    vsphere_self_service_config => "VsphereSelfServiceConfig",
    wan_accelerator => "WanAccelerator",
}

#[test]
fn the_48_documented_types_in_documented_order() {
    let names: Vec<&str> = schema::builtins().iter().map(|s| s.name()).collect();
    assert_eq!(names, DOCUMENTED_TYPES);
}

#[test]
fn every_table_says_where_it_came_from() {
    for s in schema::builtins() {
        let source = s
            .source()
            .unwrap_or_else(|| panic!("{} has no source", s.name()));
        let page = format!(
            "https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_{}.html (build 13.",
            s.name().to_lowercase()
        );
        assert!(source.starts_with(&page), "{}: {source}", s.name());
    }
}

#[test]
fn type_names_match_in_any_case() {
    assert_eq!(
        schema::builtin("backupServer").unwrap().name(),
        "BackupServer"
    );
    assert_eq!(
        schema::builtin("backupjobsession").unwrap().name(),
        "BackupJobSession"
    );
    assert_eq!(
        schema::builtin("VAPPRESTOREPOINT").unwrap().name(),
        "vAppRestorePoint"
    );
    assert!(schema::builtin("BackupJobSessions").is_none());
    assert_eq!(
        schema::closest_builtin("BackupJobSesion").map(|s| s.name()),
        Some("BackupJobSession")
    );
    assert_eq!(schema::closest_builtin("foo").map(|s| s.name()), None);
}

/// Every type the docs print maps to the checker's type it stands for.
#[test]
fn documented_types_map_to_checker_types() {
    for s in schema::builtins() {
        for f in s.fields() {
            let ok = match (f.documented_type(), f.ty()) {
                (_, FieldType::Enum(e)) => !e.values().is_empty(),
                ("UidType" | "URN", FieldType::Uid(r)) => !r.is_empty(),
                ("DateTime", FieldType::DateTime)
                | ("Boolean", FieldType::Boolean)
                | ("Long" | "Int64" | "Int", FieldType::Int64)
                | ("Double", FieldType::Double)
                | ("String" | "Name" | "HierarchyObjRefType", FieldType::String) => true,
                _ => false,
            };
            assert!(
                ok,
                "{}.{}: {} as {:?}",
                s.name(),
                f.name(),
                f.documented_type(),
                f.ty()
            );
        }
    }
}

// ---- The irregularities of the reference, each followed and tested. ----

#[test]
fn backup_file_filters_on_creation_time_utc() {
    assert_eq!(
        canonical("BackupFile", r#"creationtimeutc>="2025-08-15T06:00:00Z""#),
        "CreationTimeUTC>=2025-08-15T06:00:00Z"
    );
    assert_eq!(
        suggestion("BackupFile", "CreationTime>=2025-08-15T06:00:00Z").as_deref(),
        Some("CreationTimeUTC")
    );
    // The job sessions are the other way round.
    assert_eq!(
        suggestion("BackupJobSession", "CreationTimeUTC>=2025-08-15T06:00:00Z").as_deref(),
        Some("CreationTime")
    );
}

#[test]
fn cdp_sessions_name_their_uid_id_and_their_times_utc() {
    for t in ["CdpReplicaSession", "CdpReplicaTaskSession"] {
        let s = schema(t);
        assert_eq!(*field(s, "Id").ty(), FieldType::uid(s.name()));
        assert!(s.lookup("UID").is_none() && s.lookup("CreationTime").is_none());
        assert!(s.lookup("CreationTimeUTC").is_some() && s.lookup("EndTimeUTC").is_some());
        assert_eq!(
            suggestion(t, &format!("UID==urn:veeam:{t}:{GUID}")).as_deref(),
            Some("Id")
        );
    }
    // The task session's table has no Result.
    assert!(schema("CdpReplicaTaskSession").lookup("Result").is_none());
}

#[test]
fn some_tables_print_a_type_as_name() {
    for t in ["Backup", "Replica"] {
        let f = field(schema(t), "RepositoryName");
        assert_eq!((f.documented_type(), f.ty()), ("Name", &FieldType::String));
        assert_eq!(
            canonical(t, r#"RepositoryName=="Backup Vol 1""#),
            r#"RepositoryName=="Backup Vol 1""#
        );
    }
}

#[test]
fn some_tables_print_other_names_for_a_type() {
    let long = field(schema("BackupFile"), "BackupSize");
    assert_eq!(
        (long.documented_type(), long.ty()),
        ("Long", &FieldType::Int64)
    );
    let int = field(schema("WanAccelerator"), "ConnectionsCount");
    assert_eq!(
        (int.documented_type(), int.ty()),
        ("Int", &FieldType::Int64)
    );
    let reference = field(schema("CloudTenant"), "OrganizationReference");
    assert_eq!(reference.documented_type(), "HierarchyObjRefType");
    assert_eq!(*reference.ty(), FieldType::String);
    let tenant_type = field(schema("CloudTenant"), "Type");
    assert_eq!(tenant_type.documented_type(), "CloudTenantType");
    assert!(matches!(tenant_type.ty(), FieldType::Enum(_)));
}

/// No EM 13 table prints `URN` (9.5's did, for BackupTaskSession's UID); the mapping still reads
/// it as a UID (see `schema::doc_type`), and every UID of EM 13 is printed `UidType`.
#[test]
fn uids_are_printed_uid_type() {
    for s in schema::builtins() {
        for f in s.fields() {
            if let FieldType::Uid(_) = f.ty() {
                assert_eq!(f.documented_type(), "UidType", "{}.{}", s.name(), f.name());
            }
        }
    }
}

#[test]
fn enum_values_differ_between_types() {
    assert_eq!(canonical("Job", "platform==hyperv"), "Platform==Hyperv");
    assert_eq!(canonical("Backup", "platform==hyperv"), "Platform==HyperV");
    assert_eq!(
        canonical("CloudReplica", "platform==hyperv"),
        "Platform==HyperV"
    );
    // Orders differ too, and ordering comparisons use the documented index.
    let index = |t: &str, value: &str| {
        let checked = check(t, &format!("Type>{value}"));
        let filter = checked.filter().expect("valid").root().clone();
        match filter.kind() {
            ExprKind::Compare(c) => match c.value() {
                TypedValue::Enum(v) => v.index(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(index("VmRestorePoint", "Increment"), Some(1));
    assert_eq!(index("VmReplicaPoint", "Increment"), Some(2));
    // `Algorithm` is `ReversedIncremental` where `Type` is `ReverseIncrement`.
    let algorithm = check("VmRestorePoint", "Algorithm==ReverseIncrement");
    assert_eq!(codes(&algorithm), [Code::UnknownEnumValue]);
    assert_eq!(
        algorithm.diagnostics()[0].fix().unwrap().replacement,
        "ReversedIncremental"
    );
}

#[test]
fn cloud_hardware_plan_platform_is_printed_boolean_but_lists_platforms() {
    let platform = field(schema("CloudHardwarePlan"), "Platform");
    assert_eq!(platform.documented_type(), "Boolean");
    assert_eq!(
        canonical("CloudHardwarePlan", "Platform==vmware"),
        "Platform==VMware"
    );
    assert_eq!(
        codes(&check("CloudHardwarePlan", "Platform==True")),
        [Code::UnknownEnumValue]
    );
}

#[test]
fn passwords_filter_but_do_not_sort() {
    for f in schema("Passwords").fields() {
        assert!(f.filterable() && !f.sortable(), "Passwords.{}", f.name());
    }
    for s in schema::builtins()
        .iter()
        .filter(|s| s.name() != "Passwords")
    {
        for f in s.fields() {
            assert!(f.filterable() && f.sortable(), "{}.{}", s.name(), f.name());
        }
    }
}

#[test]
fn some_uids_are_strings() {
    for t in [
        "ObjectInJob",
        "CloudSubtenant",
        "DiscoveredComputer",
        "VlanConfiguration",
        "NasObject",
    ] {
        assert_eq!(*field(schema(t), "UID").ty(), FieldType::String, "{t}");
        // A bare GUID is what these take: no bare-guid warning.
        assert_eq!(
            canonical(t, &format!("UID=={GUID}")),
            format!("UID==\"{GUID}\"")
        );
    }
}

#[test]
fn a_uid_takes_the_resource_type_its_page_shows() {
    // Veeam Agent backup jobs are jobs: the page's example is a `urn:veeam:Job:` URN.
    canonical("AgentBackupJob", &format!("UID==urn:veeam:Job:{GUID}"));
    assert_eq!(
        codes(&check(
            "AgentBackupJob",
            &format!("UID==urn:veeam:AgentBackupJob:{GUID}")
        )),
        [Code::UidTypeMismatch]
    );
    // The vApp types are spelled `vApp…`, their URNs `urn:veeam:VApp…:`.
    canonical(
        "vAppRestorePoint",
        &format!("UID==urn:veeam:VAppRestorePoint:{GUID}"),
    );
    // A task session's JobSessionUid is its own kind of job session.
    canonical(
        "ReplicaTaskSession",
        &format!("JobSessionUid==urn:veeam:ReplicaJobSession:{GUID}"),
    );
    assert_eq!(
        codes(&check(
            "ReplicaTaskSession",
            &format!("JobSessionUid==urn:veeam:BackupJobSession:{GUID}")
        )),
        [Code::UidTypeMismatch]
    );
}

#[test]
fn backup_server_uid_is_spelled_uid_in_some_tables() {
    assert_eq!(
        canonical(
            "CloudGateway",
            &format!("BackupServerUid==urn:veeam:BackupServer:{GUID}")
        ),
        format!("BackupServerUId==urn:veeam:BackupServer:{GUID}")
    );
    assert_eq!(
        canonical(
            "CloudSubtenant",
            &format!("backupserveruid==urn:veeam:BackupServer:{GUID}")
        ),
        format!("BackupServerUID==urn:veeam:BackupServer:{GUID}")
    );
}

#[test]
fn running_sessions_result_none_is_undocumented() {
    for t in [
        "BackupJobSession",
        "ReplicaJobSession",
        "BackupTaskSession",
        "ReplicaTaskSession",
        "RestoreSession",
        "CloudFailoverSession",
        "CdpReplicaSession",
    ] {
        let checked = check(t, "Result==None");
        assert_eq!(codes(&checked), [Code::UndocumentedEnumValue], "{t}");
        assert!(checked.is_valid());
    }
}

// ---- Double ----

#[test]
fn double_values_and_their_canonical_form() {
    for (written, printed) in [
        ("1.5", "1.5"),
        ("1.50", "1.5"),
        ("2", "2"),
        ("+4", "4"),
        ("-0.5", "-0.5"),
        ("-0", "0"),
        (".25", "0.25"),
        ("3.", "3"),
        ("1E3", "1000"),
        ("2.5e-3", "0.0025"),
        ("0.00001", "1e-5"),
        ("1e16", "1e16"),
        ("123456789012345.6", "123456789012345.6"),
        ("1e300", "1e300"),
        ("0.1", "0.1"),
        ("\"1.5\"", "1.5"),
    ] {
        assert_eq!(
            canonical("BackupFile", &format!("CompressRatio>={written}")),
            format!("CompressRatio>={printed}"),
            "{written}"
        );
    }
}

#[test]
fn a_double_that_is_not_a_finite_number_is_invalid_number() {
    for bad in [
        "abc",
        "1.5x",
        "1,5",
        "NaN",
        "inf",
        "-Infinity",
        "1e400",
        "-1e400",
        "e5",
        ".",
        "-",
        "1e",
        "1e+",
        "0x10",
        "1_000",
        "\"\"",
    ] {
        let filter = format!("CompressRatio=={bad}");
        let checked = check("BackupFile", &filter);
        // `1,5` is two comparisons to the parser; its first half is a fine number.
        if bad == "1,5" {
            assert!(!checked.is_valid());
            continue;
        }
        assert_eq!(codes(&checked), [Code::InvalidNumber], "{filter}");
        let d = &checked.diagnostics()[0];
        assert!(d.help().is_some(), "{filter}");
        assert!(!d.message().contains("Rule"), "{filter}: {}", d.message());
    }
}

proptest! {
    /// Any finite f64 prints to text that checks back to exactly that number, and the text is a
    /// fixed point.
    #[test]
    fn doubles_round_trip_exactly(bits in any::<u64>()) {
        let x = f64::from_bits(bits);
        prop_assume!(x.is_finite());
        let d = Double::new(x).unwrap();
        let filter = format!("CompressRatio=={d}");
        let checked = check("BackupFile", &filter);
        prop_assert!(checked.diagnostics().is_empty(), "{filter}: {:?}", checked.diagnostics());
        let f = checked.filter().unwrap();
        match f.root().kind() {
            ExprKind::Compare(c) => prop_assert_eq!(c.value(), &TypedValue::Double(d)),
            other => prop_assert!(false, "{other:?}"),
        }
        prop_assert_eq!(f.to_string(), filter);
        prop_assert_eq!(d.get(), if x == 0.0 { 0.0 } else { x });
    }
}

// ---- Schemas made at run time ----

#[test]
fn a_schema_from_the_tables_format_checks_and_prints_like_a_built_in_one() {
    let file: schema::SchemaFile = toml::from_str(
        r#"
        [[type]]
        name = "Incident"
        source = "our own API"
        fields = [
          { name = "UID", type = "UidType", resource = "Incident" },
          { name = "Title", type = "String" },
          { name = "Opened", type = "DateTime" },
          { name = "Size", type = "Long", sort = false },
          { name = "Severity", type = "SeverityType", values = ["Low", "Medium", "High"], undocumented = ["Unknown"] },
          { name = "State", type = "String", values = ["New", "In Progress", "Closed"] },
        ]
        "#,
    )
    .unwrap();
    let schemas = Schema::from_defs(&file).unwrap();
    let incident = &schemas[0];
    assert_eq!(incident.name(), "Incident");
    assert_eq!(incident.source(), Some("our own API"));
    let size = field(incident, "size");
    assert_eq!(
        (size.ty(), size.documented_type()),
        (&FieldType::Int64, "Long")
    );
    assert!(size.filterable() && !size.sortable());

    let checked = Checker::new(incident).check(
        "severity>=medium;state==\"in progress\";uid==urn:veeam:incident:DCE85686-59C8-42C4-8766-F1C00A5B8067",
    );
    assert_eq!(
        checked.filter().unwrap().to_string(),
        r#"Severity>=Medium;State=="In Progress";UID==urn:veeam:Incident:dce85686-59c8-42c4-8766-f1c00a5b8067"#
    );
    let bad = Checker::new(incident).check("Severity==Hihg;Titel==x");
    let codes: Vec<Code> = bad.diagnostics().iter().map(|d| d.code()).collect();
    assert_eq!(codes, [Code::UnknownEnumValue, Code::UnknownField]);
    assert_eq!(bad.diagnostics()[1].fix().unwrap().replacement, "Title");
}

#[test]
fn a_schema_that_breaks_a_rule_is_refused_with_the_type_and_field() {
    let one = |fields: &str| {
        let text = format!("[[type]]\nname = \"T\"\nfields = [{fields}]");
        let file: schema::SchemaFile = toml::from_str(&text).unwrap();
        Schema::from_defs(&file).unwrap_err()
    };
    let e = one(r#"{ name = "A", type = "String" }, { name = "a", type = "String" }"#);
    assert_eq!((e.schema.as_str(), e.field.as_deref()), ("T", Some("a")));
    assert!(e.message.contains("named twice"), "{e}");
    let e = one(r#"{ name = "1x", type = "String" }"#);
    assert!(e.message.contains("a field name"), "{e}");
    let e = one(r#"{ name = "U", type = "UidType" }"#);
    assert!(e.message.contains("needs its `resource`"), "{e}");
    let e = one(r#"{ name = "E", type = "X", values = ["a", "A"] }"#);
    assert!(e.message.contains("listed twice"), "{e}");
    let e = one(r#"{ name = "E", type = "X", values = ["say \"hi\""] }"#);
    assert!(e.message.contains("not text without"), "{e}");
    let e = one(r#"{ name = "N", type = "Decimal" }"#);
    assert!(e.message.contains("printed type `Decimal`"), "{e}");
    assert_eq!(e.to_string(), format!("type T, field N: {}", e.message));
    let e = one("");
    assert_eq!(e.field, None);
    assert!(e.message.contains("at least one field"), "{e}");

    let built = Schema::builder("Bad Name")
        .field("x", FieldType::String)
        .build()
        .unwrap_err();
    assert!(built.message.contains("type name"), "{built}");
    let twice: schema::SchemaFile = toml::from_str(
        "[[type]]\nname = \"T\"\nfields = [{ name = \"a\", type = \"String\" }]\n\
         [[type]]\nname = \"t\"\nfields = [{ name = \"a\", type = \"String\" }]",
    )
    .unwrap();
    assert!(Schema::from_defs(&twice)
        .unwrap_err()
        .message
        .contains("named twice"));
}

#[test]
fn every_built_in_table_is_also_a_valid_run_time_schema() {
    // The rules of build.rs and of Schema::from_def are one: the built-in data rebuilt at run
    // time gives the same schemas.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/schema/types.toml"
    ))
    .unwrap();
    let file: schema::SchemaFile = toml::from_str(&text).unwrap();
    let rebuilt = Schema::from_defs(&file).unwrap();
    assert_eq!(rebuilt.len(), schema::builtins().len());
    for (r, b) in rebuilt.iter().zip(schema::builtins()) {
        assert_eq!(r, *b, "{}", b.name());
    }
}

#[test]
fn a_restricted_schema_allows_only_its_fields_and_suggests_among_them() {
    let rjs = &schema::REPLICA_JOB_SESSION;
    let narrow = rjs.restrict(["result", "JobName", "CreationTime"]).unwrap();
    assert!(narrow.is_restricted() && !rjs.is_restricted());
    let names: Vec<&str> = narrow.fields().iter().map(Field::name).collect();
    assert_eq!(names, ["JobName", "CreationTime", "Result"], "schema order");
    assert!(emfilter::compile("Result==Failed;JobName==x", &narrow).is_ok());

    let checked = emfilter::check("JobUid==x", &narrow);
    let d = &checked.diagnostics()[0];
    assert_eq!(d.code(), Code::UnknownField);
    assert_eq!(
        d.message(),
        "`JobUid` is not one of the fields of ReplicaJobSession allowed here"
    );
    assert_eq!(
        d.help(),
        Some("the fields of ReplicaJobSession allowed here are JobName, CreationTime, Result")
    );
    // The did-you-mean names an allowed field, never one the allow-list leaves out.
    let checked = emfilter::check("JobNme==x;EndTim>2026-01-01T00:00:00Z", &narrow);
    let fixes: Vec<&str> = checked
        .diagnostics()
        .iter()
        .filter_map(|d| d.fix().map(|f| f.replacement.as_str()))
        .collect();
    assert_eq!(fixes, ["JobName"]);

    let e = rjs.restrict(["Result", "Reslt"]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("Reslt"));
    assert!(e.message.contains("did you mean `Result`?"), "{e}");
    assert!(rjs.restrict(Vec::<String>::new()).is_err());
}

#[test]
fn a_renamed_field_is_written_by_its_new_name_and_sent_by_ems() {
    let rjs = &schema::REPLICA_JOB_SESSION;
    let api = rjs
        .restrict(["JobName", "Result", "CreationTime"])
        .unwrap()
        .rename("creationtime", "started_at")
        .unwrap();
    let filter =
        emfilter::compile("STARTED_AT>=2026-01-01T00:00:00Z;result!=success", &api).unwrap();
    assert_eq!(
        filter.to_string(),
        "started_at>=2026-01-01T00:00:00Z;Result!=Success"
    );
    assert_eq!(
        filter.to_em_filter(),
        "CreationTime>=2026-01-01T00:00:00Z;Result!=Success"
    );
    assert_eq!(
        filter.to_query_value(),
        emfilter::encode_query_value("CreationTime>=2026-01-01T00:00:00Z;Result!=Success")
    );
    // The old name is no longer a field; the new one is suggested.
    let checked = emfilter::check("CreationTime>2026-01-01T00:00:00Z", &api);
    assert_eq!(checked.diagnostics()[0].code(), Code::UnknownField);
    // A new name must be one the grammar reads, and not another field's.
    assert!(api.rename("JobName", "job name").is_err());
    assert!(api.rename("JobName", "result").is_err());
    assert!(api.rename("NoSuch", "x").is_err());
}
