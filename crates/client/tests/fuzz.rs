//! Replays the `client` fuzz target's seeds (`fuzz/corpus/client/seed-*`) and every kept crash
//! (`tests/fuzz_regressions/client/`) through its oracle, as `tests/fuzz_regressions.rs` does
//! for the library's targets.

#[path = "fuzz/oracle.rs"]
mod oracle;

use std::path::Path;

#[test]
fn client_regressions_and_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = Vec::new();
    for (dir, prefix) in [
        (root.join("tests/fuzz_regressions/client"), ""),
        (root.join("fuzz/corpus/client"), "seed-"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable folder").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if path.is_file() && name.starts_with(prefix) && !name.starts_with('.') {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    assert!(
        inputs.len() >= 8,
        "the seeds are written by examples/fuzz_seeds.rs"
    );
    for path in inputs {
        let data = std::fs::read(&path).expect("a readable seed");
        if std::panic::catch_unwind(|| oracle::client(&data)).is_err() {
            panic!("{} fails the client oracle", path.display());
        }
    }
}
