//! The real engines, started by the tests: SQLite embedded (rusqlite), PostgreSQL as a throwaway
//! cluster of the distribution's server on 127.0.0.1, DuckDB and Spark SQL (local mode) through
//! `tests/sql/engines.py`, one Python process per engine for the whole batch.
//!
//! Each engine creates the tables with `Target::create_table`, loads the rows `emfilter::sql::rows`
//! wrote (SQLite and Spark from JSON lines, PostgreSQL and DuckDB from CSV) with its own loader,
//! runs every statement as given, and answers with the `UID` of each row it selected.

use std::collections::BTreeSet;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use emfilter::sql::{Param, SqlType, Target};
use serde_json::{json, Value as Json};

/// A table to create and load.
pub struct Table {
    pub target: Target,
    pub csv: PathBuf,
    pub jsonl: PathBuf,
}

/// A statement to run.
pub struct Query {
    pub sql: String,
    pub params: Vec<Param>,
}

/// The `UID`s of the rows a statement selected, or the engine's error.
pub type Answer = Result<BTreeSet<String>, String>;

/// Why an engine is not there.
pub struct Missing(pub String);

// ---------------------------------------------------------------------------------------------
// SQLite

pub fn sqlite(tables: &[Table], queries: &[Query]) -> Result<Vec<Answer>, String> {
    use rusqlite::types::Value;
    let db = rusqlite::Connection::open_in_memory().map_err(|e| e.to_string())?;
    for t in tables {
        db.execute_batch(&t.target.create_table())
            .map_err(|e| format!("{}: {e}", t.target.create_table()))?;
        // SQLite's own JSON reader turns each JSON line into the row.
        let columns = t.target.column_types();
        let extract: Vec<String> = columns
            .iter()
            .map(|(name, _)| format!("json_extract(?1, '$.\"{}\"')", name.replace('"', "\\\"")))
            .collect();
        let insert = format!(
            "INSERT INTO {} VALUES ({})",
            t.target.table_name(),
            extract.join(", ")
        );
        let text = std::fs::read_to_string(&t.jsonl).map_err(|e| e.to_string())?;
        let mut stmt = db.prepare(&insert).map_err(|e| e.to_string())?;
        for line in text.lines() {
            stmt.execute([line]).map_err(|e| format!("{line}: {e}"))?;
        }
    }
    let mut answers = Vec::new();
    for q in queries {
        let answer = (|| {
            let mut stmt = db.prepare(&q.sql).map_err(|e| e.to_string())?;
            let uid = stmt.column_index("UID").map_err(|e| e.to_string())?;
            let params: Vec<Value> = q
                .params
                .iter()
                .map(|p| match p {
                    Param::Text(t) => Value::Text(t.clone()),
                    Param::Int(i) => Value::Integer(*i),
                    Param::Bool(b) => Value::Integer(i64::from(*b)),
                    Param::Double(d) => Value::Real(*d),
                })
                .collect();
            let mut rows = stmt
                .query(rusqlite::params_from_iter(params))
                .map_err(|e| e.to_string())?;
            let mut found = BTreeSet::new();
            while let Some(row) = rows.next().map_err(|e| e.to_string())? {
                found.insert(row.get::<_, String>(uid).map_err(|e| e.to_string())?);
            }
            Ok(found)
        })();
        answers.push(answer);
    }
    Ok(answers)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// A PostgreSQL cluster made for the test in a temporary folder, listening on 127.0.0.1 only;
/// stopped and removed when dropped.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    user: Option<String>,
    pub port: u16,
}

fn postgres_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("EMFILTER_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

impl Cluster {
    pub fn start() -> Result<Cluster, Missing> {
        let bin = postgres_bin().ok_or_else(|| {
            Missing("no PostgreSQL server (initdb, pg_ctl) under /usr/lib/postgresql".into())
        })?;
        // initdb refuses to run as root: run the server as the distribution's `postgres` user.
        let user = is_root().then(|| "postgres".to_owned());
        let dir = std::env::temp_dir().join(format!(
            "emfilter-pg-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).map_err(|e| Missing(e.to_string()))?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| Missing(e.to_string()))?
            .port();
        let cluster = Cluster {
            dir,
            bin,
            user,
            port,
        };
        if let Some(user) = &cluster.user {
            let status = Command::new("chown")
                .args(["-R", user])
                .arg(&cluster.dir)
                .status()
                .map_err(|e| Missing(format!("chown: {e}")))?;
            if !status.success() {
                return Err(Missing(format!(
                    "cannot give {} to {user}",
                    cluster.dir.display()
                )));
            }
        }
        let data = cluster.dir.join("data");
        // A linguistic default collation (ICU's en-US, where `a` < `B`), so that the byte order
        // the translation asks for with COLLATE "C" is really asked for; C.UTF-8 if ICU is not
        // built in.
        let icu = cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "emfilter".as_ref(),
                "--auth=trust".as_ref(),
                "--encoding=UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
                "--locale-provider=icu".as_ref(),
                "--icu-locale=en-US".as_ref(),
            ],
        );
        if icu.is_err() {
            let _ = std::fs::remove_dir_all(&data);
            cluster
                .run(
                    "initdb",
                    &[
                        "-D".as_ref(),
                        data.as_os_str(),
                        "-U".as_ref(),
                        "emfilter".as_ref(),
                        "--auth=trust".as_ref(),
                        "--encoding=UTF8".as_ref(),
                        "--locale=C.UTF-8".as_ref(),
                    ],
                )
                .map_err(Missing)?;
        }
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.port,
            cluster.dir.display()
        );
        let log = cluster.dir.join("server.log");
        cluster
            .run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "start".as_ref(),
                ],
            )
            .map_err(|e| {
                let log = std::fs::read_to_string(&log).unwrap_or_default();
                Missing(format!("the server did not start: {e}\n{log}"))
            })?;
        Ok(cluster)
    }

    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
        let path = self.bin.join(program);
        let mut cmd = match &self.user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        let out = cmd
            .args(args)
            .current_dir(&self.dir)
            .output()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    pub fn connect(&self) -> Result<postgres::Client, String> {
        postgres::Client::connect(
            &format!(
                "host=127.0.0.1 port={} user=emfilter dbname=postgres",
                self.port
            ),
            postgres::NoTls,
        )
        .map_err(|e| e.to_string())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "stop".as_ref(),
            ],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn postgres_run(
    tables: &[Table],
    queries: &[Query],
    _work: &Path,
) -> Result<Result<Vec<Answer>, String>, Missing> {
    let cluster = Cluster::start()?;
    Ok((|| {
        let mut client = cluster.connect()?;
        for t in tables {
            client
                .batch_execute(&t.target.create_table())
                .map_err(|e| e.to_string())?;
            // The server's own CSV loader.
            let copy = format!(
                "COPY {} FROM STDIN (FORMAT csv, HEADER true)",
                t.target.table_name()
            );
            let mut writer = client.copy_in(&copy).map_err(|e| e.to_string())?;
            let csv = std::fs::read(&t.csv).map_err(|e| e.to_string())?;
            writer.write_all(&csv).map_err(|e| e.to_string())?;
            writer.finish().map_err(|e| e.to_string())?;
        }
        let mut answers = Vec::new();
        for q in queries {
            let params: Vec<Box<dyn postgres::types::ToSql + Sync>> = q
                .params
                .iter()
                .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
                    match p {
                        Param::Text(t) => Box::new(t.clone()),
                        Param::Int(i) => Box::new(*i),
                        Param::Bool(b) => Box::new(*b),
                        Param::Double(d) => Box::new(*d),
                    }
                })
                .collect();
            let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                params.iter().map(|b| b.as_ref()).collect();
            let answer = client
                .query(q.sql.as_str(), &refs)
                .map_err(|e| format!("{e:?}"))
                .and_then(|rows| {
                    rows.iter()
                        .map(|r| r.try_get::<_, String>("UID").map_err(|e| e.to_string()))
                        .collect()
                });
            answers.push(answer);
        }
        Ok(answers)
    })())
}

// ---------------------------------------------------------------------------------------------
// DuckDB and Spark, through Python

fn python() -> String {
    std::env::var("EMFILTER_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether Java runs (Spark needs it).
pub fn java() -> Result<(), Missing> {
    match Command::new("java").arg("-version").output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(Missing(format!(
            "java -version failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
        Err(e) => Err(Missing(format!("no java: {e}"))),
    }
}

/// Whether `module` imports, and if not, why.
pub fn python_module(module: &str) -> Result<(), Missing> {
    let out = Command::new(python())
        .args(["-c", &format!("import {module}")])
        .output()
        .map_err(|e| Missing(format!("{}: {e}", python())))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(Missing(format!(
            "the Python module `{module}` is not installed ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

fn param_json(p: &Param) -> Json {
    match p {
        Param::Text(t) => json!({"type": "text", "value": t}),
        Param::Int(i) => json!({"type": "int", "value": i}),
        Param::Bool(b) => json!({"type": "bool", "value": b}),
        Param::Double(d) => json!({"type": "double", "value": d}),
    }
}

/// Runs `engine` (`duckdb` or `spark`) in one Python process over every table and statement.
pub fn python_engine(
    engine: &str,
    tables: &[Table],
    queries: &[Query],
    work: &Path,
) -> Result<Vec<Answer>, String> {
    let request = json!({
        "engine": engine,
        "work": work,
        "key": "UID",
        "tables": tables.iter().map(|t| json!({
            "name": t.target.table_name(),
            "create": t.target.create_table(),
            "csv": t.csv,
            "jsonl": t.jsonl,
            "columns": t.target.column_types().iter().map(|(name, ty)| json!({
                "name": name,
                "type": ty.name(t.target.dialect()),
                "kind": match ty {
                    SqlType::Text => "text",
                    SqlType::BigInt => "bigint",
                    SqlType::Boolean => "boolean",
                    SqlType::Double => "double",
                    SqlType::Timestamp => "timestamp",
                },
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "queries": queries.iter().map(|q| json!({
            "sql": q.sql,
            "params": q.params.iter().map(param_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let request_path = work.join(format!("{engine}-request.json"));
    std::fs::write(&request_path, serde_json::to_vec(&request).unwrap())
        .map_err(|e| e.to_string())?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql/engines.py");
    let out = Command::new(python())
        .arg(&script)
        .arg(&request_path)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", python()))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "{engine} helper failed ({}):\n{stderr}",
            out.status
        ));
    }
    let reply: Json = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{engine} helper answered no JSON ({e}):\n{stderr}"))?;
    let answers = reply["answers"]
        .as_array()
        .ok_or_else(|| format!("no answers from {engine}: {reply}"))?;
    Ok(answers
        .iter()
        .map(|a| match a.get("error") {
            Some(e) => Err(e.as_str().unwrap_or_default().to_owned()),
            None => Ok(a["keys"]
                .as_array()
                .expect("keys")
                .iter()
                .map(|k| k.as_str().expect("a UID").to_owned())
                .collect()),
        })
        .collect())
}
