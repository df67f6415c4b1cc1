//! The evaluation corpus: `tests/corpus/eval/*.toml`, records and the filters run over them (the
//! format is in that folder's README). Every case runs through `Filter::matches_json` and the
//! reference walk, which must agree, and the records that match must be the case's `matches`.

use std::collections::BTreeMap;
use std::path::Path;

use emfilter::eval::{EntityFormat, Options};
use serde::Deserialize;

use crate::records::session;
use crate::support::schema_named;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// Whether records are changes to the base session (the default) or whole entities.
    #[serde(default = "yes")]
    base: bool,
    records: BTreeMap<String, String>,
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(rename = "type")]
    ty: Option<String>,
    filter: String,
    #[serde(default)]
    case_sensitive: bool,
    matches: Vec<String>,
}

fn yes() -> bool {
    true
}

#[test]
fn every_case_of_the_evaluation_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "the corpus is there");
    let mut cases = 0;
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let text = std::fs::read_to_string(path).unwrap();
        let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let records: BTreeMap<&str, String> = file
            .records
            .iter()
            .map(|(k, v)| {
                let json = if file.base {
                    let changes: serde_json::Value = serde_json::from_str(v)
                        .unwrap_or_else(|e| panic!("{name}, record {k}: {e}"));
                    session(changes)
                } else {
                    v.clone()
                };
                (k.as_str(), json)
            })
            .collect();
        for case in &file.case {
            cases += 1;
            for m in &case.matches {
                assert!(
                    records.contains_key(m.as_str()),
                    "{name}: `{}` names no record `{m}`",
                    case.filter
                );
            }
            let schema = schema_named(case.ty.as_deref());
            let filter = emfilter::compile(&case.filter, schema)
                .unwrap_or_else(|e| panic!("{name}: `{}` is invalid: {e:?}", case.filter))
                .with_options(Options::default().case_sensitive(case.case_sensitive));
            let format = EntityFormat::for_schema(schema).unwrap();
            let mut got = Vec::new();
            for (record, json) in &records {
                let matched = filter
                    .matches_json(json.as_bytes())
                    .unwrap_or_else(|e| panic!("{name}, record {record}: {e}"));
                let entity = format
                    .read(json.as_bytes())
                    .unwrap_or_else(|e| panic!("{name}, record {record}: {e}"));
                assert_eq!(
                    matched,
                    filter.interpret(&entity),
                    "{name}: `{}` on {record}: the compiled filter and the walk disagree",
                    case.filter
                );
                if matched {
                    got.push(record.to_string());
                }
            }
            let mut want = case.matches.clone();
            want.sort();
            if got != want {
                failures.push(format!(
                    "{name}: `{}` matches {got:?}, the corpus says {want:?}",
                    case.filter
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases >= 50, "{cases} cases");
}
