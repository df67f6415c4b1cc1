//! Writes N made-up ReplicaJobSession entities as JSON lines (about 580 bytes each: the entity
//! without its own `Href` and with the backup server's link only), the same N for the same
//! seed: the input of the end-to-end evaluation benchmark.
//!
//! ```text
//! cargo run --release --example gen_sessions -- 1000000 target/sessions.jsonl [SEED]
//! ```
//!
//! About 3% of the sessions are running (`Result` `None`, `EndTimeUTC` null), some GUIDs are in
//! upper case, timestamps carry 0 to 7 fractional digits.

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// splitmix64: small, seeded, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn guid(&mut self) -> String {
        let v = (u128::from(self.next()) << 64) | u128::from(self.next());
        emfilter::ir::Guid(v).to_string()
    }
}

/// `2025-01-01T00:00:00Z` plus `secs`, with `digits` fractional digits of `frac` (ticks).
fn timestamp(secs: i64, frac: u64, digits: usize) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (y, m, d) = civil(days + 20_089);
    let mut t = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
    if digits > 0 {
        t.push('.');
        t.push_str(&format!("{frac:07}")[..digits]);
    }
    t.push('Z');
    t
}

/// The date `days` after 1970-01-01.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    let mut out: Box<dyn Write> = match args.get(1).map(String::as_str) {
        None | Some("-") => Box::new(BufWriter::new(io::stdout().lock())),
        Some(path) => Box::new(BufWriter::with_capacity(1 << 20, File::create(path)?)),
    };
    let mut rng = Rng(seed);
    let jobs: Vec<(String, String)> = (0..60)
        .map(|i| (format!("Replica Job {i:02}"), rng.guid()))
        .collect();
    let servers: Vec<(String, String)> = (0..6)
        .map(|i| (format!("vbr{i:02}.tech.local"), rng.guid()))
        .collect();
    for _ in 0..n {
        let (job, job_uid) = &jobs[rng.below(jobs.len() as u64) as usize];
        let (server, server_uid) = &servers[rng.below(servers.len() as u64) as usize];
        let job_uid = if rng.below(10) == 0 {
            job_uid.to_uppercase()
        } else {
            job_uid.clone()
        };
        let uid = rng.guid();
        let start = rng.below(2 * 365 * 86_400) as i64;
        let created = timestamp(start, rng.below(10_000_000), rng.below(8) as usize);
        let running = rng.below(100) < 3;
        let (end, state, result, progress) = if running {
            ("null".to_owned(), "Working", "None", rng.below(100))
        } else {
            let end = timestamp(
                start + 60 + rng.below(4 * 3600) as i64,
                rng.below(10_000_000),
                rng.below(8) as usize,
            );
            let result = match rng.below(20) {
                0..=15 => "Success",
                16..=17 => "Warning",
                _ => "Failed",
            };
            (format!("\"{end}\""), "Stopped", result, 100)
        };
        let failure = if result == "Failed" {
            "\"Processing vm01 Error: Failed to create snapshot\""
        } else {
            "null"
        };
        let retry = rng.below(8) == 0;
        writeln!(
            out,
            "{{\"IsRetry\":{retry},\"JobUid\":\"urn:veeam:Job:{job_uid}\",\"JobName\":\"{job}\",\
             \"JobType\":\"Replica\",\"CreationTimeUTC\":\"{created}\",\"EndTimeUTC\":{end},\
             \"State\":\"{state}\",\"Result\":\"{result}\",\"Progress\":{progress},\
             \"FailureMessage\":{failure},\"Name\":\"{job}@{}\",\
             \"UID\":\"urn:veeam:ReplicaJobSession:{uid}\",\"Links\":[{{\"Rel\":\"Up\",\
             \"Href\":\"https://em:9398/api/backupServers/{server_uid}\",\
             \"Name\":\"{server}\",\"Type\":\"BackupServerReference\"}}],\
             \"Type\":\"ReplicaJobSession\"}}",
            created[..19].replace('T', " ")
        )?;
    }
    out.flush()
}
