//! Writes the fuzzers' seed corpus and dictionary. Every filter of `tests/corpus/*.toml` becomes a
//! file `fuzz/corpus/<target>/seed-<corpus>-<n>` for each fuzz target, and `fuzz/filter.dict`
//! lists the language's tokens: operators (its own and the foreign ones it diagnoses),
//! separators, every field name and enum value of the built-in schemas, the `urn:veeam:<Type>:`
//! prefixes, booleans and date-time shapes.
//!
//! ```sh
//! cargo run --example fuzz_seeds
//! ```
//!
//!
//! The linter's targets get files instead: `scan` every file under `crates/cli/tests/fixtures/`
//! (after a first byte that chooses XML and unsafe fixes), `url` every line of those files that
//! holds `/api/query?`, and each query string of the diagnostics table.
//!
//! Seeds and dictionary are committed; what the fuzzers add beside them (files named by their hash) is not.
//! Running this again replaces the seeds and leaves the fuzzers' own finds alone.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use emfilter::schema::{self, FieldType};

const TARGETS: [&str; 6] = ["parse", "check", "roundtrip", "eval", "sql", "differential"];

/// Seeds for the `differential` target beyond the corpora's filters: where the hand-written
/// reader and the grammar could part (whitespace between every token, the three quotings and
/// their near misses, `<` before `>`, values that start like an operator, limits).
const EDGES: &[&str] = &[
    " \t\r\n( Result == Failed ) ; ( IsRetry != True , State < Working ) \n",
    "JobName==\"\"",
    "JobName==\"\"\"\"",
    "JobName==\"\"a\"\"",
    "JobName==\"\"a\"\"\"",
    "JobName==\"\"a b\"\";Result==Failed",
    "JobName==\"a\"\"\"",
    "JobName==\"\"\"a\"",
    "JobName==\"a\"\"b\"\"c\",JobName==\"(;,)\"",
    "JobName==a b \t",
    "JobName==a\u{b}",
    "JobName==\u{e9}t\u{e9} \u{a0}",
    "Result<>Failed",
    "Result< >Failed",
    "Result<=>Failed",
    "Result===Failed",
    "Result>=<x",
    "Result!Failed",
    "_a.b9==1",
    "9a==1",
    "((((Result==Failed))))",
    "(Result==Failed",
    "Result==Failed)",
    "Result==Failed;",
    ";Result==Failed",
    "Result==Failed,,State==Working",
    "Result==\"Failed\" x",
    "Result==Failed(",
    "",
    " ",
];

#[derive(serde::Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    filter: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut filters: Vec<(String, String)> = Vec::new();
    let mut names: Vec<_> = fs::read_dir(root.join("tests/corpus"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    names.sort();
    for path in names {
        if path.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("a corpus file name that is not UTF-8")?
            .to_owned();
        let corpus: Corpus = toml::from_str(&fs::read_to_string(&path)?)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for (i, case) in corpus.case.into_iter().enumerate() {
            filters.push((format!("seed-{stem}-{i:03}"), case.filter));
        }
    }
    for target in TARGETS {
        let dir = root.join("fuzz/corpus").join(target);
        fs::create_dir_all(&dir)?;
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seed-"))
            {
                fs::remove_file(path)?;
            }
        }
        for (name, filter) in &filters {
            fs::write(dir.join(name), filter)?;
        }
        if target == "differential" {
            for (i, edge) in EDGES.iter().enumerate() {
                fs::write(dir.join(format!("seed-edge-{i:03}")), edge)?;
            }
        }
    }
    lint_seeds(root)?;
    let others = other_seeds(root)?;
    let tokens = dictionary();
    let mut dict = String::from(
        "# libFuzzer dictionary of the EM filter language, written by examples/fuzz_seeds.rs.\n",
    );
    for token in &tokens {
        dict.push('"');
        for b in token.bytes() {
            match b {
                b'"' | b'\\' => {
                    dict.push('\\');
                    dict.push(char::from(b));
                }
                0x20..=0x7e => dict.push(char::from(b)),
                _ => dict.push_str(&format!("\\x{b:02X}")),
            }
        }
        dict.push_str("\"\n");
    }
    fs::write(root.join("fuzz/filter.dict"), dict)?;
    println!(
        "wrote {} seeds for each of {}, {others} for stream and client, the scan and url seeds, and {} dictionary tokens",
        filters.len(),
        TARGETS.join(", "),
        tokens.len()
    );
    Ok(())
}

/// Removes the seeds of `dir` (files named `seed-*`), leaving the fuzzers' own finds.
fn clear_seeds(dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    fs::create_dir_all(dir)?;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("seed-"))
        {
            fs::remove_file(path)?;
        }
    }
    Ok(())
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Box<dyn std::error::Error>> {
    let mut entries: Vec<_> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The seeds of the linter's targets, `scan` and `url`.
fn lint_seeds(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let fixtures = root.join("crates/cli/tests/fixtures");
    let mut files = Vec::new();
    walk(&fixtures, &mut files)?;
    let scan = root.join("fuzz/corpus/scan");
    let url = root.join("fuzz/corpus/url");
    clear_seeds(&scan)?;
    clear_seeds(&url)?;
    let mut urls = BTreeSet::new();
    for (i, path) in files.iter().enumerate() {
        let bytes = fs::read(path)?;
        let xml = path.extension().is_some_and(|x| x == "xml" || x == "html");
        // Safe fixes for even files, unsafe ones for odd: both are fuzzed from the start.
        let flags = u8::from(xml) | (u8::try_from(i % 2)? << 1);
        let mut data = vec![flags];
        data.extend_from_slice(&bytes);
        fs::write(scan.join(format!("seed-{i:03}")), data)?;
        for line in String::from_utf8_lossy(&bytes).lines() {
            if line.contains("/api/query?") {
                urls.insert(line.trim().to_owned());
            }
        }
    }
    for code in emfilter::Code::ALL {
        if code.is_query_level() {
            urls.insert(code.example().to_owned());
        }
    }
    for (i, line) in urls.iter().enumerate() {
        fs::write(url.join(format!("seed-{i:03}")), line)?;
    }
    Ok(())
}

/// The seeds of the targets whose input is not a filter: `stream` (inputs of `emfilter eval`:
/// the files of tests/data/eval and the shapes the readers tell apart) and `client` (scripts of
/// a server's answers, see crates/client/tests/fuzz/oracle.rs). How many were written.
fn other_seeds(root: &Path) -> Result<usize, Box<dyn std::error::Error>> {
    let session = r#"{"JobName":"x1","Result":"Failed","CreationTimeUTC":"2026-11-21T22:00:04.2214567Z","UID":"urn:veeam:ReplicaJobSession:5d0e8d43-1f4a-4c8e-9a55-0f1b7b2e9c11","Links":[{"Rel":"Up","Href":"https://em:9398/api/backupServers/15942270-fb56-4dcc-96e9-5f80e4725a15","Name":"em","Type":"BackupServerReference"}]}"#;
    let mut stream: Vec<(String, Vec<u8>)> = Vec::new();
    let mut data: Vec<_> = fs::read_dir(root.join("tests/data/eval"))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    data.sort();
    for path in data {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("data");
        stream.push((format!("seed-{name}"), fs::read(&path)?));
    }
    for (name, text) in [
        ("lines", format!("{session}\n\n{session}\r\n")),
        ("blank-first", format!("\n \n\t\n{session}\n")),
        ("bom-array", format!("\u{feff}[{session},\n {session}]")),
        ("flat", format!("{{\"ReplicaJobSessions\":[{session}]}}")),
        ("case", format!("{{\"replicaJobSessions\":[{session}]}}")),
        (
            "pages",
            format!(
                "{{\"Refs\":null,\"Entities\":{{\"Jobs\":null,\"ReplicaJobSessions\":{{\"ReplicaJobSessions\":[{session}]}}}},\"PagingInfo\":{{\"PageNum\":1}}}}\n[{session}]\n{{\"foo\":1}}"
            ),
        ),
        (
            "error",
            r#"{"FirstChanceExceptionMessage":null,"Message":"Invalid filter expression.","StackTrace":null,"Status":null,"StatusCode":400}"#.to_owned(),
        ),
        ("broken", format!("[{session},\n {{\"Result\": ")),
        ("scalars", "[1, \"s\", null, true, {}, []]".to_owned()),
    ] {
        stream.push((format!("seed-{name}"), text.into_bytes()));
    }
    let logon = "201\nX-RestSvcSessionId: {TOKEN}\nContent-Type: application/json\n\n{\"SessionId\":\"{ID}\"}";
    let page = format!(
        "200\nContent-Type: application/json\n\n{{\"Entities\":{{\"ReplicaJobSessions\":{{\"ReplicaJobSessions\":[{session}]}}}},\"PagingInfo\":{{\"PageNum\":1,\"PagesCount\":2}}}}"
    );
    let client: Vec<(&str, String)> = vec![
        ("normal", format!("{logon}\n--\n{page}\n--\n204\n\n")),
        ("refused", "401\nWWW-Authenticate: Basic\n\n{\"Message\":\"{PASSWORD}\",\"StatusCode\":401}".to_owned()),
        ("logon-echo", "500\nContent-Type: text/plain\n\nauth={BASIC} json={PASSWORD_JSON} url={PASSWORD_URL}".to_owned()),
        ("logon-no-token", "201\n\n{\"SessionId\":\"{ID}\"}".to_owned()),
        ("logon-bad-body", "201\nX-RestSvcSessionId: {TOKEN}\n\n<html>{ID} {TOKEN}</html>".to_owned()),
        ("query-echo", format!("{logon}\n--\n400\nContent-Type: application/json\n\n{{\"Message\":\"token {{TOKEN_URL}} id {{ID_UPPER}} basic {{BASIC_NOPAD}}\",\"StatusCode\":400}}")),
        ("query-not-json", format!("{logon}\n--\n200\n\n{}{{PASSWORD}}", "x".repeat(190))),
        ("repeat", format!("{logon}\n--\n{page}\n--\n{page}")),
        ("redirect", format!("{logon}\n--\n302\nLocation: https://elsewhere/{{TOKEN}}\n\n")),
        ("logout-fails", format!("{logon}\n--\n{page}\n--\n{page}\n--\n500\n\n{{\"Message\":\"cannot end {{ID}} for {{TOKEN}}\"}}")),
    ];
    let mut written = 0;
    for (target, seeds) in [
        ("stream", stream),
        (
            "client",
            client
                .into_iter()
                .map(|(n, t)| (format!("seed-{n}"), t.into_bytes()))
                .collect(),
        ),
    ] {
        let dir = root.join("fuzz/corpus").join(target);
        fs::create_dir_all(&dir)?;
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seed-"))
            {
                fs::remove_file(path)?;
            }
        }
        for (name, bytes) in seeds {
            fs::write(dir.join(name), bytes)?;
            written += 1;
        }
    }
    Ok(written)
}

/// The tokens of the language, each once, in a stable order.
fn dictionary() -> BTreeSet<String> {
    let mut tokens: BTreeSet<String> = [
        // Operators, and the foreign spellings the parser recognises in order to diagnose them.
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "=",
        "<>",
        "=>",
        "=<",
        "=eq=",
        "=ne=",
        "=gt=",
        "=ge=",
        "=lt=",
        "=le=",
        "=in=",
        "=out=",
        // Separators, grouping, quoting.
        ";",
        ",",
        "(",
        ")",
        "\"",
        "\"\"",
        "()",
        " ",
        "\t",
        "&",
        "*",
        " AND ",
        " OR ",
        "&&",
        "||",
        // Booleans and the words that look like other types.
        "True",
        "False",
        "true",
        "false",
        "None",
        "null",
        // Date-time shapes: full UTC, fractions, offsets, no zone, date only, space-separated.
        "2025-08-14T12:31:30Z",
        "2025-08-14T12:31:30.389954Z",
        "2025-02-19T00:25:42.2214567Z",
        "2025-08-14T12:31:30+02:00",
        "2025-08-14T12:31:30-05:30",
        "2025-08-14T12:31:30",
        "2025-08-14",
        "2024-01-01 12:00:00",
        "T00:00:00Z",
        ".0000000",
        "Z",
        "+00:00",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00Z",
        "2024-02-29T00:00:00Z",
        // GUIDs and numbers.
        "dce85686-59c8-42c4-8766-f1c00a5b8067",
        "00000000-0000-0000-0000-000000000000",
        "urn:veeam:",
        "9223372036854775807",
        "-9223372036854775808",
        "1e300",
        "1.5",
        "-0",
        "NaN",
        "inf",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for s in schema::builtins() {
        tokens.insert(s.name().to_owned());
        for f in s.fields() {
            tokens.insert(f.name().to_owned());
            match f.ty() {
                FieldType::Uid(resource) => {
                    tokens.insert(format!("urn:veeam:{resource}:"));
                }
                FieldType::Enum(e) => {
                    tokens.extend(e.values().iter().map(|v| v.to_string()));
                    tokens.extend(e.undocumented().iter().map(|v| v.to_string()));
                }
                _ => {}
            }
        }
    }
    tokens
}
