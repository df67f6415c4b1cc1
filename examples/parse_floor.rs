//! The floor for any evaluator that reads JSON: read a file of JSON lines and only parse each
//! line with serde_json (into `IgnoredAny`: every byte checked, nothing built), then print the
//! number of records. With `--value`, each line is parsed into a `serde_json::Value` instead.
//!
//! ```text
//! cargo run --release --example parse_floor -- target/sessions.jsonl [--value]
//! ```

use std::fs::File;
use std::io::{self, BufRead, BufReader};

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().map(String::as_str).unwrap_or("-");
    let value = args.iter().any(|a| a == "--value");
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(BufReader::with_capacity(256 << 10, File::open(path)?))
    };
    let mut count = 0u64;
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        let parsed = if value {
            serde_json::from_slice::<serde_json::Value>(&line).map(drop)
        } else {
            serde_json::from_slice::<serde::de::IgnoredAny>(&line).map(drop)
        };
        if let Err(e) = parsed {
            eprintln!("line {}: {e}", i + 1);
            std::process::exit(1);
        }
        count += 1;
    }
    println!("{count}");
    Ok(())
}
