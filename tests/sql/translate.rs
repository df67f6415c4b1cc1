//! The statements each dialect gets for the rules of `eval`, the refusals and their codes, and
//! the names a mapping may and may not hold.

use emfilter::eval::Options;
use emfilter::schema::{self, FieldType, REPLICA_JOB_SESSION};
use emfilter::sql::{Column, Dialect, Mapping, MappingError, Mode, Param, Target};
use emfilter::{Code, Severity};

fn target(dialect: Dialect, ty: &str) -> Target {
    Target::new(dialect, Mapping::new(schema::builtin(ty).unwrap())).unwrap()
}

fn sql(dialect: Dialect, filter: &str) -> (String, Vec<Param>) {
    let filter = emfilter::compile(filter, &REPLICA_JOB_SESSION).unwrap();
    let s = target(dialect, "ReplicaJobSession")
        .translate(&filter, Mode::Params)
        .unwrap();
    (s.condition().to_owned(), s.params().to_vec())
}

fn inline(dialect: Dialect, filter: &str, options: Options) -> String {
    let filter = emfilter::compile(filter, &REPLICA_JOB_SESSION)
        .unwrap()
        .with_options(options);
    let s = target(dialect, "ReplicaJobSession")
        .translate(&filter, Mode::Inline)
        .unwrap();
    assert!(s.params().is_empty());
    s.condition().to_owned()
}

fn text(t: &str) -> Param {
    Param::Text(t.to_owned())
}

#[test]
fn each_dialect_has_its_placeholders_and_quotes() {
    let f = r#"JobName=="SQL Replica";IsRetry==True"#;
    assert_eq!(
        sql(Dialect::Sqlite, f).0,
        "`JobName_folded` = ? AND `IsRetry` = ?"
    );
    assert_eq!(
        sql(Dialect::Postgres, f).0,
        r#""JobName_folded" = $1 AND "IsRetry" = $2"#
    );
    assert_eq!(
        sql(Dialect::DuckDb, f).0,
        r#""JobName_folded" = ? AND "IsRetry" = ?"#
    );
    assert_eq!(
        sql(Dialect::Spark, f).0,
        "`JobName_folded` = :p1 AND `IsRetry` = :p2"
    );
    for d in Dialect::ALL {
        assert_eq!(sql(d, f).1, [text("sql replica"), Param::Bool(true)]);
    }
}

#[test]
fn the_statement_selects_from_the_table() {
    let filter = emfilter::compile("Result==Failed", &REPLICA_JOB_SESSION).unwrap();
    let mapping = Mapping::new(&REPLICA_JOB_SESSION).with_table(["archive", "em \"sessions\""]);
    let t = Target::new(Dialect::Postgres, mapping).unwrap();
    let s = t.translate(&filter, Mode::Params).unwrap();
    assert_eq!(
        s.sql(),
        r#"SELECT * FROM "archive"."em ""sessions""" WHERE "Result" = $1"#
    );
}

#[test]
fn strings_fold_as_eval_folds_or_compare_exactly() {
    // Case-insensitive: the folded column and the folded value (Unicode lower-casing, so the
    // Kelvin sign is a `k` and a final sigma a `σ`, whatever the database's lower() says).
    assert_eq!(
        sql(Dialect::DuckDb, "JobName==\"\u{212A}ELVIN ΣΊΣΥΦΟΣ\"").1,
        [text("kelvin σίσυφοσ")]
    );
    // Exactly: the column as written.
    assert_eq!(
        inline(
            Dialect::DuckDb,
            "JobName==\"SQL Replica\"",
            Options::default().case_sensitive(true)
        ),
        r#""JobName" = 'SQL Replica'"#
    );
    // PostgreSQL orders text by byte, whatever the database's collation.
    assert_eq!(
        sql(Dialect::Postgres, "JobName<b;JobName==b").0,
        r#""JobName_folded" COLLATE "C" < $1 AND "JobName_folded" = $2"#
    );
}

#[test]
fn enums_order_by_their_documented_index() {
    let (cond, params) = sql(Dialect::Sqlite, "Result>=Warning");
    assert_eq!(cond, "`Result` IN (?, ?)");
    assert_eq!(params, [text("Warning"), text("Failed")]);
    assert_eq!(sql(Dialect::Sqlite, "Result<=Success").0, "`Result` = ?");
    // Nothing is below the first value, and an undocumented value has no place at all.
    assert_eq!(sql(Dialect::Sqlite, "Result<Success").0, "FALSE");
    assert_eq!(sql(Dialect::Sqlite, "Result>None").0, "FALSE");
    assert_eq!(sql(Dialect::Sqlite, "Result!=None").1, [text("None")]);
}

#[test]
fn uids_and_times_compare_in_one_spelling() {
    assert_eq!(
        sql(
            Dialect::Postgres,
            "JobUid==DCE85686-59C8-42C4-8766-F1C00A5B8067"
        )
        .1,
        [text("urn:veeam:Job:dce85686-59c8-42c4-8766-f1c00a5b8067")]
    );
    let (cond, params) = sql(
        Dialect::Postgres,
        "CreationTime>2026-11-21T22:41:10.5000001Z",
    );
    assert_eq!(cond, r#""CreationTime_ticks" > $1"#);
    assert_eq!(params, [Param::Int(17_953_008_705_000_001)]);
}

#[test]
fn groups_keep_their_parentheses() {
    assert_eq!(
        sql(
            Dialect::Sqlite,
            "(Result==Failed,State==Working);IsRetry==True"
        )
        .0,
        "(`Result` = ? OR `State` = ?) AND `IsRetry` = ?"
    );
    assert_eq!(
        sql(
            Dialect::Sqlite,
            "Result==Failed;IsRetry==True,State==Working"
        )
        .0,
        "(`Result` = ? AND `IsRetry` = ?) OR `State` = ?"
    );
}

#[test]
fn inline_literals_are_escaped_per_dialect() {
    let f = r#"JobName=="it's \ a ""quote""""#;
    let o = Options::default().case_sensitive(true);
    assert_eq!(
        inline(Dialect::Sqlite, f, o),
        r#"`JobName` = 'it''s \ a "quote"'"#
    );
    assert_eq!(
        inline(Dialect::Postgres, f, o),
        r#""JobName" = E'it''s \\ a "quote"'"#
    );
    assert_eq!(
        inline(Dialect::DuckDb, f, o),
        r#""JobName" = 'it''s \ a "quote"'"#
    );
    assert_eq!(
        inline(Dialect::Spark, f, o),
        r#"`JobName` = 'it\'s \\ a "quote"'"#
    );
    assert_eq!(
        inline(
            Dialect::Spark,
            "EndTime<=1970-01-01T00:00:00Z;IsRetry!=False",
            o
        ),
        "`EndTime_ticks` <= 0 AND `IsRetry` <> FALSE"
    );
}

/// Translating the examples of the `sql-…` codes gives those codes, with a span in the filter.
#[test]
fn sql_codes_have_examples_that_produce_them() {
    for &code in Code::ALL.iter().filter(|c| c.is_sql()) {
        let (ty, dialect) = match code {
            Code::SqlUnmappedField => ("BackupTaskSession", Dialect::Sqlite),
            _ => ("ReplicaJobSession", Dialect::Postgres),
        };
        let schema = schema::builtin(ty).unwrap();
        let checked = emfilter::check(code.example(), schema);
        let filter = checked.filter().expect("a valid filter");
        let refused = target(dialect, ty)
            .translate(filter, Mode::Params)
            .unwrap_err();
        let d = refused.0[0].to_diagnostic(checked.ast().unwrap());
        assert_eq!(d.code(), code);
        assert_eq!(d.severity(), Severity::Error);
        assert!(!d.span().is_empty() && !d.message().is_empty() && d.help().is_some());
        assert_eq!(code.default_severity(), Severity::Error);
    }
}

#[test]
fn unmapped_fields_are_refused_every_one() {
    let schema = schema::builtin("BackupTaskSession").unwrap();
    let checked = emfilter::check(
        "Result==Failed;JobName==x,JobUid!=dce85686-59c8-42c4-8766-f1c00a5b8067",
        schema,
    );
    let filter = checked.filter().unwrap();
    let refused = target(Dialect::DuckDb, "BackupTaskSession")
        .translate(filter, Mode::Params)
        .unwrap_err();
    let spans: Vec<_> = refused
        .0
        .iter()
        .map(|r| {
            let d = r.to_diagnostic(checked.ast().unwrap());
            assert_eq!(d.code(), Code::SqlUnmappedField);
            &checked.ast().unwrap().source()[d.span().range()]
        })
        .collect();
    assert_eq!(spans, ["JobName", "JobUid"]);
    // Mapped to a column of one's own, it is translated.
    let mapping = Mapping::new(schema)
        .with_column("jobname", "job_name")
        .unwrap()
        .with_column("JobUid", "job_uid")
        .unwrap();
    let s = Target::new(Dialect::DuckDb, mapping)
        .unwrap()
        .translate(filter, Mode::Params)
        .unwrap();
    assert_eq!(
        s.condition(),
        r#"("Result" = ? AND "job_name_folded" = ?) OR "job_uid" <> ?"#
    );
}

#[test]
fn nul_is_refused_where_the_dialect_cannot_hold_or_write_it() {
    let filter = emfilter::compile("JobName==\"a\0b\"", &REPLICA_JOB_SESSION).unwrap();
    let refused = |d, mode| {
        target(d, "ReplicaJobSession")
            .translate(&filter, mode)
            .is_err()
    };
    assert!(refused(Dialect::Postgres, Mode::Params));
    assert!(refused(Dialect::Postgres, Mode::Inline));
    assert!(!refused(Dialect::Sqlite, Mode::Params));
    assert!(refused(Dialect::Sqlite, Mode::Inline));
    assert!(!refused(Dialect::DuckDb, Mode::Params));
    assert!(refused(Dialect::DuckDb, Mode::Inline));
    assert!(!refused(Dialect::Spark, Mode::Params));
    assert!(!refused(Dialect::Spark, Mode::Inline));
}

#[test]
fn mappings_refuse_names_the_dialect_would_change() {
    let m = || Mapping::new(&REPLICA_JOB_SESSION);
    assert!(matches!(
        m().with_column("JobNmae", "x"),
        Err(MappingError::UnknownField { .. })
    ));
    let long = "x".repeat(64);
    assert!(matches!(
        Target::new(Dialect::Postgres, m().with_table([long.as_str()])),
        Err(MappingError::Identifier { .. })
    ));
    assert!(Target::new(Dialect::DuckDb, m().with_table([long.as_str()])).is_ok());
    assert!(matches!(
        Target::new(Dialect::Sqlite, m().with_table([""])),
        Err(MappingError::Identifier { .. })
    ));
    assert!(matches!(
        Target::new(Dialect::Spark, m().with_column("Name", "a\0").unwrap()),
        Err(MappingError::Identifier { .. })
    ));
    // `JobName` and `jobname` are one column in DuckDB and Spark.
    assert!(matches!(
        Target::new(Dialect::Sqlite, m().with_column("Name", "jobname").unwrap()),
        Err(MappingError::Duplicate { .. })
    ));
    // The same name twice is said as such, not as a difference of case.
    let e = Target::new(Dialect::Sqlite, m().with_column("Name", "JobName").unwrap()).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("the column `JobName` is named twice"),
        "{e}"
    );
}

#[test]
fn a_column_made_for_another_kind_of_field_is_refused() {
    let m = || Mapping::new(&REPLICA_JOB_SESSION);
    // A DateTime compared through a one-column mapping would compare ticks with a timestamp.
    assert_eq!(
        m().with_columns("EndTime", Column::new("ended", &FieldType::Boolean))
            .unwrap_err(),
        MappingError::ColumnShape {
            field: "EndTime".into(),
            ty: "DateTime",
            two: true
        }
    );
    // A String without its folded column would compare folded text with the text as written.
    assert!(matches!(
        m().with_columns("JobName", Column::new("job", &FieldType::Int64)),
        Err(MappingError::ColumnShape { two: true, .. })
    ));
    // A Boolean has one column: a second one would be checked and never used.
    let e = m()
        .with_columns("IsRetry", Column::new("retry", &FieldType::String))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the field `IsRetry` is a Boolean, which has one column, not two: make the column with \
         `Column::new` from the field's type"
    );
    // The right kind, renamed, is taken.
    let job = Column::new("job", &FieldType::String).with_key("job_lower");
    assert!(m().with_columns("JobName", job).is_ok());
}

#[test]
fn create_table_has_every_column_with_its_type() {
    let t = target(Dialect::Postgres, "BackupTaskSession");
    let sql = t.create_table();
    assert!(
        sql.starts_with("CREATE TABLE \"BackupTaskSession\" (\n  \"UID\" text COLLATE \"C\",\n")
    );
    assert!(sql.contains("\"CreationTime\" timestamptz,\n  \"CreationTime_ticks\" BIGINT,"));
    assert!(sql.contains("\"TotalSize\" BIGINT,"));
    // The task session's entity has no JobUid or JobName: no column for them.
    assert!(!sql.contains("\"JobName\""), "{sql}");
    assert!(sql.ends_with("\"VmDisplayName_folded\" text COLLATE \"C\"\n);\n"));
    // Every type has one, in every dialect.
    for &s in schema::builtins() {
        for d in Dialect::ALL {
            let t = Target::new(d, Mapping::new(s)).unwrap();
            assert!(t.create_table().starts_with("CREATE TABLE "));
        }
    }
}
