//! What linting where filters live costs next to checking a bare filter: one query URL, and
//! scanning a script of realistic size.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use emfilter_lint::{find::find, Context, Kind, Linter};

const FILTER: &str =
    "Result==Failed;CreationTime>=\"2025-08-15T06:00:00Z\";JobName==\"SQL Replica\"";
const URL: &str = "https://em:9398/api/query?type=ReplicaJobSession&format=Entities&pageSize=100&filter=Result%3D%3DFailed%3BCreationTime%3E%3D%222025-08-15T06%3A00%3A00Z%22%3BJobName%3D%3D%22SQL%20Replica%22";

/// A PowerShell script of 2,000 lines, one in ten holding a query URL.
fn script() -> String {
    let mut s = String::new();
    for i in 0..2_000 {
        if i % 10 == 0 {
            s.push_str(&format!(
                "$r{i} = Invoke-RestMethod -Headers $h -Uri \"$base/query?type=ReplicaJobSession&filter=JobName==$name;Result==Failed&pageSize={i}\"\n"
            ));
        } else {
            s.push_str("Write-Host \"Processing session $($s.Name) of job $($s.JobName) at $(Get-Date)\"\n");
        }
    }
    s
}

fn bench(c: &mut Criterion) {
    let linter = Linter::default();
    c.bench_function("check bare filter", |b| {
        b.iter(|| linter.lint(black_box(FILTER), Kind::Filter, Context::default()))
    });
    c.bench_function("lint query URL", |b| {
        b.iter(|| linter.lint(black_box(URL), Kind::Query, Context::default()))
    });
    let text = script();
    c.bench_function("scan 2000-line script", |b| {
        b.iter(|| {
            find(black_box(&text), false)
                .iter()
                .map(|f| {
                    linter
                        .lint(&text[f.span.range()], f.kind, f.context)
                        .diagnostics()
                        .len()
                })
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
