//! Replays the linter's fuzz inputs: every file under `tests/fuzz_regressions/{scan,url}/` (a
//! crash the fuzzers found, kept under a name that says what it was) and every seed under
//! `fuzz/corpus/{scan,url}/seed-*`, through the oracle the fuzz targets run
//! (`tests/fuzz_oracle.rs`). A file that fails the oracle fails the test and is named.

mod fuzz_oracle;

use std::path::{Path, PathBuf};

/// The files of `dir` whose names start with `prefix`, sorted; none if the folder is absent.
fn files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder").path())
        .filter(|p| {
            p.is_file()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix) && !n.starts_with('.'))
        })
        .collect();
    out.sort();
    out
}

fn replay(target: &str, oracle: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut inputs = files(&root.join("tests/fuzz_regressions").join(target), "");
    inputs.extend(files(&root.join("fuzz/corpus").join(target), "seed-"));
    for path in &inputs {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Err(e) = std::panic::catch_unwind(|| oracle(&data)) {
            std::panic::resume_unwind(Box::new(format!(
                "{} fails the `{target}` oracle: {}",
                path.display(),
                e.downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| e.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic")
            )));
        }
    }
    inputs.len()
}

#[test]
fn scan_regressions_and_seeds() {
    assert!(replay("scan", fuzz_oracle::scan) >= 10);
}

#[test]
fn url_regressions_and_seeds() {
    assert!(replay("url", fuzz_oracle::url) >= 10);
}

/// The inputs of issue 10 that crashed or corrupted a file, through the oracles.
#[test]
fn the_reported_crashes_pass_the_oracles() {
    for flags in [0u8, 1, 2, 3] {
        for text in [
            "Example:\u{a0}https://em01:9398/api/query?type=ReplicaJobSession&filter=Result==Failed\n",
            "curl '/api/query?type=Job&format=JSÖN'\n",
            "'filter'=filter=J=💾\n",
            "params={\"filter\": \"filter=Reslt==Failed\", \"type\": \"x\"}\n",
        ] {
            let mut data = vec![flags];
            data.extend_from_slice(text.as_bytes());
            fuzz_oracle::scan(&data);
        }
    }
    fuzz_oracle::url("type=Job&format=JSÖN".as_bytes());
    let deep = format!(
        "{}Result=Failed AND State=Stopped{}",
        "(".repeat(30),
        ")".repeat(30)
    );
    fuzz_oracle::url(deep.as_bytes());
}
