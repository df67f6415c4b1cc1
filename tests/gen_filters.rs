//! A seeded generator of realistic ReplicaJobSession filters, the corpus the benchmarks run on.
//!
//! It is plain Rust with no dependency, not even on emfilter, so that `benches/parse.rs` and the
//! peer benchmark in `benches/peers/` (which cannot link emfilter: see its Cargo.toml) include the
//! same file with `#[path]` and measure the same filters. The same seed gives the same corpus on
//! every machine. `tests/generated.rs` checks that every filter it makes is valid.

/// One generated filter, in EM's syntax and in the RSQL syntax the peer crates accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// EM's syntax.
    pub em: String,
    /// The same filter for `rsql` / `rsql-rs`. The only difference: a `"` inside a quoted value
    /// is written `\"` there and `""` in EM's syntax.
    pub rsql: String,
    /// How many comparisons it holds.
    pub clauses: usize,
}

/// The seed of the benchmarks' corpus.
pub const SEED: u64 = 0x00e3_f11e_4b3e_2025;

/// `n` filters from `seed`.
pub fn corpus(seed: u64, n: usize) -> Vec<Generated> {
    let mut g = Gen::new(seed);
    (0..n).map(|_| g.filter()).collect()
}

/// A filter of exactly `clauses` comparisons, grouped as the generator groups them.
pub fn with_clauses(seed: u64, clauses: usize) -> Generated {
    let mut g = Gen::new(seed);
    let mut out = Out::default();
    let and = g.bool();
    g.junction(&mut out, clauses, 0, and);
    out.finish(clauses)
}

/// One pass over `text` that only finds the separators: the floor under any parser.
pub fn separators(text: &str) -> usize {
    text.bytes()
        .filter(|b| matches!(b, b';' | b',' | b'(' | b')'))
        .count()
}

/// xorshift64*: small, fast, and the same everywhere.
pub struct Gen {
    state: u64,
}

#[derive(Default)]
struct Out {
    em: String,
    rsql: String,
}

impl Out {
    fn push(&mut self, s: &str) {
        self.em.push_str(s);
        self.rsql.push_str(s);
    }

    fn finish(self, clauses: usize) -> Generated {
        Generated {
            em: self.em,
            rsql: self.rsql,
            clauses,
        }
    }
}

const JOBS: [&str; 8] = [
    "SQL Replica",
    "Exchange Replica",
    "fileserver01",
    "DC Replica (daily)",
    "Web \"Prod\" Replica",
    "HR-App",
    "ERP Replica, Tier 1",
    "Mail",
];
const SERVERS: [&str; 4] = ["srv02", "enterprise06.tech.local", "vbr01", "VBR Server 3"];
const STATES: [&str; 6] = [
    "Starting", "Stopping", "Working", "Pausing", "Resuming", "Stopped",
];
const RESULTS: [&str; 3] = ["Success", "Warning", "Failed"];
const OPS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

impl Gen {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Gen {
        Gen { state: seed | 1 }
    }

    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bool(&mut self) -> bool {
        self.next() & 1 == 1
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A filter of 1 to 12 comparisons, now and then up to 40.
    pub fn filter(&mut self) -> Generated {
        let clauses = if self.below(10) == 0 {
            13 + self.below(28)
        } else {
            1 + self.below(12)
        };
        let mut out = Out::default();
        let and = self.bool();
        self.junction(&mut out, clauses, 0, and);
        out.finish(clauses)
    }

    /// `n` comparisons joined by `;` (`and`) or `,`; runs of them may form a parenthesised group
    /// of the other kind, so no group mixes both without parentheses.
    fn junction(&mut self, out: &mut Out, n: usize, depth: usize, and: bool) {
        let sep = if and { ";" } else { "," };
        let mut left = n;
        let mut first = true;
        while left > 0 {
            if !first {
                out.push(sep);
            }
            first = false;
            if left >= 2 && depth < 3 && self.below(4) == 0 {
                let k = 2 + self.below(left.min(5) - 1);
                out.push("(");
                self.junction(out, k, depth + 1, !and);
                out.push(")");
                left -= k;
            } else {
                self.comparison(out);
                left -= 1;
            }
        }
    }

    fn comparison(&mut self, out: &mut Out) {
        match self.below(10) {
            0 => {
                let op = self.pick(&OPS[..2]);
                out.push("JobUid");
                out.push(op);
                out.push("urn:veeam:Job:");
                self.guid(out);
            }
            1 => {
                let op = self.pick(&OPS[..2]);
                out.push("BackupServerUid");
                out.push(op);
                out.push("urn:veeam:BackupServer:");
                self.guid(out);
            }
            2 | 3 => {
                let field = self.pick(&["CreationTime", "EndTime"]);
                let op = self.pick(&OPS[2..]);
                out.push(field);
                out.push(op);
                self.datetime(out);
            }
            4 => {
                let name = self.pick(&JOBS);
                out.push("JobName");
                out.push(self.pick(&OPS[..2]));
                self.string(out, name);
            }
            5 => {
                let name = self.pick(&SERVERS);
                out.push("BackupServerName");
                out.push("==");
                self.string(out, name);
            }
            6 => {
                out.push("State");
                out.push(self.pick(&OPS));
                out.push(self.pick(&STATES));
            }
            7 | 8 => {
                out.push("Result");
                out.push(self.pick(&OPS));
                out.push(self.pick(&RESULTS));
            }
            _ => {
                out.push("IsRetry==");
                out.push(if self.bool() { "True" } else { "False" });
            }
        }
    }

    /// A value: bare when it is a plain word, quoted otherwise.
    fn string(&mut self, out: &mut Out, s: &str) {
        if s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        {
            out.push(s);
            return;
        }
        out.em.push('"');
        out.rsql.push('"');
        for c in s.chars() {
            if c == '"' {
                out.em.push_str("\"\"");
                out.rsql.push_str("\\\"");
            } else {
                out.em.push(c);
                out.rsql.push(c);
            }
        }
        out.em.push('"');
        out.rsql.push('"');
    }

    fn guid(&mut self, out: &mut Out) {
        let v = u128::from(self.next()) << 64 | u128::from(self.next());
        // Formatted here rather than by `emfilter::ir::Guid`: the peer benchmark includes this
        // file and cannot link emfilter (see the module's documentation).
        let h = format!("{v:032x}");
        out.push(&format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        ));
    }

    fn datetime(&mut self, out: &mut Out) {
        let (y, mo, d) = (2020 + self.below(6), 1 + self.below(12), 1 + self.below(28));
        let (h, mi, s) = (self.below(24), self.below(60), self.below(60));
        let mut t = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
        match self.below(3) {
            0 => {}
            1 => t.push_str(&format!(".{:03}", self.below(1000))),
            _ => t.push_str(&format!(".{:07}", self.below(10_000_000))),
        }
        t.push('Z');
        out.push(&t);
    }
}
