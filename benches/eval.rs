//! The compiled evaluator (`Filter::matches`) against a hand-written Rust closure testing the same predicate on the
//! same records, and against the unlowered walk over the typed filter (`Filter::interpret`): 1-,
//! 3- and 10-clause filters over 1,000,000 sessions held in memory.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use emfilter::eval::{Record, Value};
use emfilter::ir::Guid;
use emfilter::schema::{FieldId, REPLICA_JOB_SESSION};

const RECORDS: usize = 1_000_000;

/// A session as a tool might hold it.
struct Session {
    uid: Guid,
    name: String,
    job_type: &'static str,
    job_uid: Guid,
    job_name: String,
    creation: i64,
    end: Option<i64>,
    state: &'static str,
    result: &'static str,
    is_retry: bool,
    server_uid: Guid,
    server_name: String,
}

impl Record for Session {
    #[inline]
    fn value(&self, field: FieldId) -> Value<'_> {
        // ReplicaJobSession's fields, in the schema's order.
        match field.index() {
            0 => Value::Uid {
                resource: "ReplicaJobSession",
                guid: self.uid,
            },
            1 => Value::Text(&self.name),
            2 => Value::Text(self.job_type),
            3 => Value::Uid {
                resource: "Job",
                guid: self.job_uid,
            },
            4 => Value::Text(&self.job_name),
            5 => Value::DateTime(self.creation),
            6 => self.end.map_or(Value::Null, Value::DateTime),
            7 => Value::Text(self.state),
            8 => Value::Text(self.result),
            9 => Value::Bool(self.is_retry),
            10 => Value::Uid {
                resource: "",
                guid: self.server_uid,
            },
            11 => Value::Text(&self.server_name),
            _ => Value::Null,
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// 2025-01-01T00:00:00Z in ticks.
const T2025: i64 = 1_735_689_600 * 10_000_000;
const DAY: i64 = 86_400 * 10_000_000;
const JOB7: u128 = 0x0c3e_9f47_55f6_4d59_9d3e_1c2d_9d3a_4b57;

fn sessions() -> Vec<Session> {
    let mut rng = Rng(7);
    (0..RECORDS)
        .map(|_| {
            let job = rng.next() % 60;
            let running = rng.next() % 100 < 3;
            let creation = T2025 + (rng.next() % (730 * DAY as u64)) as i64;
            Session {
                uid: Guid(u128::from(rng.next()) << 64 | u128::from(rng.next())),
                name: format!("Replica Job {job:02}@{creation}"),
                job_type: "Replica",
                job_uid: Guid(if job == 7 { JOB7 } else { u128::from(job) }),
                job_name: format!("Replica Job {job:02}"),
                creation,
                end: (!running).then_some(creation + DAY / 24),
                state: if running { "Working" } else { "Stopped" },
                result: match rng.next() % 20 {
                    _ if running => "None",
                    0..=15 => "Success",
                    16..=17 => "Warning",
                    _ => "Failed",
                },
                is_retry: rng.next() % 8 == 0,
                server_uid: Guid(u128::from(rng.next() % 6)),
                server_name: format!("vbr{:02}.tech.local", rng.next() % 6),
            }
        })
        .collect()
}

type Closure = fn(&Session) -> bool;

/// Each filter, with the closure a programmer would write for it.
fn cases() -> [(&'static str, &'static str, Closure); 3] {
    [
        ("1 clause", "Result==Failed", |s| {
            s.result.eq_ignore_ascii_case("Failed")
        }),
        (
            "3 clauses",
            r#"Result>Success;CreationTime>=2025-06-01T00:00:00Z;BackupServerName=="VBR01.tech.local""#,
            |s| {
                (s.result.eq_ignore_ascii_case("Warning")
                    || s.result.eq_ignore_ascii_case("Failed"))
                    && s.creation >= T2025 + 151 * DAY
                    && s.server_name.eq_ignore_ascii_case("vbr01.tech.local")
            },
        ),
        (
            "10 clauses",
            "JobType==Replica;State==Stopped;Result>=Warning;IsRetry==False;\
             CreationTime>=2025-03-01T00:00:00Z;CreationTime<2026-09-01T00:00:00Z;\
             EndTime>2025-03-01T00:00:00Z;JobName!=\"Replica Job 07\";\
             BackupServerName!=\"vbr03.tech.local\";\
             JobUid!=urn:veeam:Job:0c3e9f47-55f6-4d59-9d3e-1c2d9d3a4b57",
            |s| {
                s.job_type.eq_ignore_ascii_case("Replica")
                    && s.state.eq_ignore_ascii_case("Stopped")
                    && (s.result.eq_ignore_ascii_case("Warning")
                        || s.result.eq_ignore_ascii_case("Failed"))
                    && !s.is_retry
                    && s.creation >= T2025 + 59 * DAY
                    && s.creation < T2025 + 608 * DAY
                    && s.end.is_some_and(|e| e > T2025 + 59 * DAY)
                    && !s.job_name.eq_ignore_ascii_case("Replica Job 07")
                    && !s.server_name.eq_ignore_ascii_case("vbr03.tech.local")
                    && s.job_uid.0 != JOB7
            },
        ),
    ]
}

fn bench(c: &mut Criterion) {
    let records = sessions();
    let mut group = c.benchmark_group("eval 1M records");
    group.sample_size(10);
    for (name, text, closure) in cases() {
        let filter = emfilter::compile(text, &REPLICA_JOB_SESSION).expect("a valid filter");
        // The three agree before anything is timed.
        let by_closure = records.iter().filter(|s| closure(s)).count();
        let by_program = records.iter().filter(|s| filter.matches(*s)).count();
        let by_walk = records.iter().filter(|s| filter.interpret(*s)).count();
        assert_eq!((by_program, by_walk), (by_closure, by_closure), "{name}");
        assert!(by_closure > 0, "{name} matches something");

        group.bench_function(format!("{name}: hand-written closure"), |b| {
            b.iter(|| black_box(&records).iter().filter(|s| closure(s)).count())
        });
        group.bench_function(format!("{name}: compiled program"), |b| {
            b.iter(|| {
                black_box(&records)
                    .iter()
                    .filter(|s| filter.matches(*s))
                    .count()
            })
        });
        group.bench_function(format!("{name}: typed filter walk"), |b| {
            b.iter(|| {
                black_box(&records)
                    .iter()
                    .filter(|s| filter.interpret(*s))
                    .count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
