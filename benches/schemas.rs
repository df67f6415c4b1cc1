//! The cost of the built-in schemas: finding a type by name among 48, and checking a filter that
//! uses every field of a type, for the smallest and the largest tables.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use emfilter::schema::{self, FieldType};
use emfilter::Checker;

/// A filter over every field of `type_name`, with a valid value for each.
fn all_fields(type_name: &str) -> String {
    let s = schema::builtin(type_name).expect("a built-in type");
    s.fields()
        .iter()
        .map(|f| {
            let value = match f.ty() {
                FieldType::Uid(r) => format!("urn:veeam:{r}:dce85686-59c8-42c4-8766-f1c00a5b8067"),
                FieldType::DateTime => "2025-08-15T06:00:00Z".to_owned(),
                FieldType::Boolean => "True".to_owned(),
                FieldType::Int64 => "107374182400".to_owned(),
                FieldType::Double => "1.5".to_owned(),
                FieldType::Enum(e) => e.values()[e.values().len() - 1].to_string(),
                _ => "\"Backup Job 1\"".to_owned(),
            };
            format!("{}=={value}", f.name())
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn lookup(c: &mut Criterion) {
    let mut g = c.benchmark_group("builtin");
    for name in [
        "AgentBackupJob",
        "WanAccelerator",
        "wanaccelerator",
        "NoSuchType",
    ] {
        g.bench_function(name, |b| b.iter(|| schema::builtin(black_box(name))));
    }
    g.finish();
}

fn check(c: &mut Criterion) {
    let mut g = c.benchmark_group("check_all_fields");
    for name in [
        "Task",
        "ReplicaJobSession",
        "ManagedServer",
        "AgentRestorePoint",
    ] {
        let checker = Checker::new(schema::builtin(name).expect("a built-in type"));
        let filter = all_fields(name);
        g.bench_function(name, |b| b.iter(|| checker.check(black_box(&filter))));
    }
    g.finish();
}

criterion_group!(benches, lookup, check);
criterion_main!(benches);
