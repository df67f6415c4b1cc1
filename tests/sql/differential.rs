//! The differential tests: for each dialect, the real engine selects exactly the sessions that
//! `eval` matches, for every generated filter.
//!
//! The sessions (see `data.rs`) are written in the four input shapes `eval` reads (a query
//! result, the flat collection, a plain array, JSON lines), turned into rows by
//! `emfilter::sql::rows` (every shape read by `eval::stream`), written as CSV and JSON lines, and
//! loaded by each engine's own loader. Each filter is translated for the dialect (with its
//! options and mode) and run by the engine; its answer must be `eval`'s to the session.
//!
//! An engine that is not installed is skipped with a loud message on standard error; with
//! `EMFILTER_REQUIRE_ENGINES=1` (as `.ci/run` sets it) a missing engine fails the test.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use emfilter::eval::stream;
use emfilter::sql::rows::RowFormat;
use emfilter::sql::{Dialect, Mapping, Target};
use serde_json::Value as Json;

use super::data::{self, Case};
use super::engines::{self, Answer, Missing, Query, Table};

/// The generated data, shared by the four tests.
struct Suite {
    dir: PathBuf,
    /// Per type: the schema name, the CSV and JSON-lines files of its rows.
    types: Vec<TypeData>,
}

struct TypeData {
    name: &'static str,
    csv: PathBuf,
    jsonl: PathBuf,
    cases: Vec<Case>,
    /// Per case: the UIDs (as the rows hold them) of the sessions `eval` matches.
    expected: Vec<BTreeSet<String>>,
    sessions: usize,
}

fn suite() -> &'static Suite {
    static SUITE: OnceLock<Suite> = OnceLock::new();
    SUITE.get_or_init(build)
}

fn build() -> Suite {
    // Under the target folder, made afresh by each run (so nothing piles up in /tmp), and
    // left for a look after a failure.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sql-differential");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut types = Vec::new();
    for (k, &(name, n, filters)) in data::TYPES.iter().enumerate() {
        let schema = data::schema(name);
        let sessions = data::sessions(schema, n, 1000 + k as u64);
        let jsons: Vec<Vec<u8>> = sessions
            .iter()
            .map(|s| serde_json::to_vec(&s.json).unwrap())
            .collect();
        // The export, in one of the shapes EM (or a user) saves.
        let export = dir.join(format!("{name}.export"));
        std::fs::write(&export, shape(k, name, &jsons)).unwrap();

        // Item 4: the export read as `eval` reads it, turned into rows, written as CSV and
        // JSON lines.
        let rows = RowFormat::new(schema).unwrap();
        let mut csv = Vec::new();
        let mut jsonl = Vec::new();
        rows.write_csv_header(&mut csv).unwrap();
        let mut uids = Vec::new();
        let file = std::fs::File::open(&export).unwrap();
        stream::for_each_record(file, rows.entity_format().collection(), |item| {
            let record = item.map_err(|u| u.message)?;
            let row = rows.read(record.json).map_err(|e| e.to_string())?;
            rows.write_csv(&mut csv, &row).unwrap();
            rows.write_json_line(&mut jsonl, &row).unwrap();
            match &row[0] {
                emfilter::sql::rows::Cell::Text(uid) => uids.push(uid.clone()),
                other => panic!("a session without UID: {other:?}"),
            }
            Ok::<(), String>(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(uids.len(), sessions.len(), "{name}: every session is a row");
        assert_eq!(
            uids.iter().collect::<BTreeSet<_>>().len(),
            uids.len(),
            "{name}: UIDs are unique"
        );
        let csv_path = dir.join(format!("{name}.csv"));
        let jsonl_path = dir.join(format!("{name}.jsonl"));
        std::fs::write(&csv_path, csv).unwrap();
        std::fs::write(&jsonl_path, jsonl).unwrap();

        // What eval says, session by session.
        let cases = data::filters(schema, filters, 2000 + k as u64);
        let expected: Vec<BTreeSet<String>> = cases
            .iter()
            .map(|case| {
                jsons
                    .iter()
                    .zip(&uids)
                    .filter(|(json, _)| case.filter.matches_json(json).unwrap())
                    .map(|(_, uid)| uid.clone())
                    .collect()
            })
            .collect();
        types.push(TypeData {
            name,
            csv: csv_path,
            jsonl: jsonl_path,
            cases,
            expected,
            sessions: sessions.len(),
        });
    }
    Suite { dir, types }
}

/// The sessions as a query result, the flat collection, JSON lines or a plain array.
fn shape(k: usize, name: &str, jsons: &[Vec<u8>]) -> Vec<u8> {
    let items: Vec<Json> = jsons
        .iter()
        .map(|j| serde_json::from_slice(j).unwrap())
        .collect();
    let collection = format!("{name}s");
    match k % 4 {
        0 => {
            let mut entities = serde_json::Map::new();
            entities.insert("Jobs".into(), Json::Null);
            entities.insert(
                collection.clone(),
                serde_json::json!({ collection.clone(): items }),
            );
            let mut out = b"\xEF\xBB\xBF".to_vec();
            out.extend(
                serde_json::to_vec_pretty(&serde_json::json!({
                    "Refs": null, "Entities": entities, "PagingInfo": {"PageNum": 1}
                }))
                .unwrap(),
            );
            out
        }
        1 => serde_json::to_vec(&serde_json::json!({ collection: items })).unwrap(),
        2 => {
            let mut out = Vec::new();
            for j in jsons {
                out.extend_from_slice(j);
                out.push(b'\n');
            }
            out
        }
        _ => serde_json::to_vec_pretty(&items).unwrap(),
    }
}

/// Says loudly that an engine was not tested, on the real standard error (not the captured
/// one), or fails when engines are required.
fn missing(dialect: Dialect, why: &str) {
    let message = format!(
        "\n*** {} NOT TESTED: {why}.\n*** The differential test of the {} dialect did not run \
         (set EMFILTER_REQUIRE_ENGINES=1 to make this a failure; .ci/run installs the engines).\n",
        dialect.title(),
        dialect.title()
    );
    if std::env::var("EMFILTER_REQUIRE_ENGINES").is_ok_and(|v| v == "1") {
        panic!("{message}");
    }
    let _ = std::io::stderr().write_all(message.as_bytes());
}

/// Translates every case for `dialect`, runs them with `run`, and compares with `eval`.
fn differential(
    dialect: Dialect,
    run: impl FnOnce(&[Table], &[Query], &Path) -> Result<Result<Vec<Answer>, String>, Missing>,
) {
    let suite = suite();
    let mut tables = Vec::new();
    let mut queries = Vec::new();
    let mut owners = Vec::new();
    for (t, ty) in suite.types.iter().enumerate() {
        let schema = data::schema(ty.name);
        let target = Target::new(dialect, Mapping::new(schema)).unwrap();
        for (c, case) in ty.cases.iter().enumerate() {
            let statement = target
                .translate(&case.filter, case.mode)
                .unwrap_or_else(|e| panic!("`{}` is refused: {e}", case.filter));
            queries.push(Query {
                sql: statement.sql().to_owned(),
                params: statement.params().to_vec(),
            });
            owners.push((t, c));
        }
        tables.push(Table {
            target,
            csv: ty.csv.clone(),
            jsonl: ty.jsonl.clone(),
        });
    }
    let work = suite.dir.join(dialect.as_str());
    std::fs::create_dir_all(&work).unwrap();
    let answers = match run(&tables, &queries, &work) {
        Err(Missing(why)) => return missing(dialect, &why),
        Ok(Err(e)) => panic!("{}: {e}", dialect.title()),
        Ok(Ok(answers)) => answers,
    };
    assert_eq!(answers.len(), queries.len());
    let mut failures = Vec::new();
    let mut selective = 0;
    for ((answer, query), &(t, c)) in answers.iter().zip(&queries).zip(&owners) {
        let ty = &suite.types[t];
        let case = &ty.cases[c];
        let want = &ty.expected[c];
        if !want.is_empty() && want.len() < ty.sessions {
            selective += 1;
        }
        let problem = match answer {
            Err(e) => format!("error: {e}"),
            Ok(got) if got == want => continue,
            Ok(got) => format!(
                "{} rows, eval {}; only the engine: {:?}; only eval: {:?}",
                got.len(),
                want.len(),
                got.difference(want).take(3).collect::<Vec<_>>(),
                want.difference(got).take(3).collect::<Vec<_>>(),
            ),
        };
        failures.push(format!(
            "{} `{}` ({:?}, {})\n  {}\n  params {:?}\n  {problem}",
            ty.name,
            case.filter,
            case.mode,
            if case.filter.options().case_sensitive {
                "case-sensitive"
            } else {
                "case-insensitive"
            },
            query.sql,
            query.params,
        ));
    }
    let total = queries.len();
    assert!(
        failures.is_empty(),
        "{}: {} of {total} filters disagree with eval:\n{}",
        dialect.title(),
        failures.len(),
        failures
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    // The filters must tell sessions apart, or agreeing would say little.
    assert!(
        total >= 500 && selective * 2 >= total,
        "{}: only {selective} of {total} filters select some sessions and not others",
        dialect.title()
    );
    let _ = writeln!(
        std::io::stderr(),
        "{}: {total} filters agree with eval ({selective} select some sessions and not others)",
        dialect.title()
    );
}

#[test]
fn sqlite_selects_what_eval_matches() {
    differential(Dialect::Sqlite, |tables, queries, _| {
        Ok(engines::sqlite(tables, queries))
    });
}

#[test]
fn postgres_selects_what_eval_matches() {
    differential(Dialect::Postgres, engines::postgres_run);
}

#[test]
fn duckdb_selects_what_eval_matches() {
    differential(Dialect::DuckDb, |tables, queries, work| {
        engines::python_module("duckdb")?;
        Ok(engines::python_engine("duckdb", tables, queries, work))
    });
}

#[test]
fn spark_selects_what_eval_matches() {
    differential(Dialect::Spark, |tables, queries, work| {
        engines::python_module("pyspark")?;
        engines::java()?;
        Ok(engines::python_engine("spark", tables, queries, work))
    });
}
