//! Replays what the fuzzers found: every file under `tests/fuzz_regressions/<target>/` (a crash,
//! minimised with `cargo fuzz tmin` and kept under a name that says what it was) and every seed
//! under `fuzz/corpus/<target>/seed-*`, through the same oracle the fuzz target runs
//! (`tests/fuzz_oracle.rs`). A file that panics the oracle fails the test and is named.

use std::path::{Path, PathBuf};

use crate::fuzz_oracle;

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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
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
fn parse_regressions_and_seeds() {
    assert!(replay("parse", fuzz_oracle::parse_bytes) >= 100);
}

#[test]
fn check_regressions_and_seeds() {
    assert!(replay("check", fuzz_oracle::check_text) >= 100);
}

#[test]
fn roundtrip_regressions_and_seeds() {
    assert!(replay("roundtrip", fuzz_oracle::roundtrip) >= 100);
}

#[test]
fn eval_regressions_and_seeds() {
    assert!(replay("eval", fuzz_oracle::eval) >= 100);
}

#[test]
fn sql_regressions_and_seeds() {
    assert!(replay("sql", fuzz_oracle::sql) >= 100);
}

/// The `sql` oracle can fail: a statement made for another mapping, or in the other mode, is
/// caught; the statement made for the target passes.
#[test]
fn the_sql_oracle_catches_a_statement_it_was_not_given() {
    use emfilter::schema::REPLICA_JOB_SESSION;
    use emfilter::sql::{Dialect, Mapping, Mode, Target};
    use std::panic::{catch_unwind, AssertUnwindSafe};

    let filter = emfilter::compile(r#"JobName=="it's";Result>=Warning"#, &REPLICA_JOB_SESSION)
        .expect("valid");
    for dialect in Dialect::ALL {
        let target = Target::new(dialect, Mapping::new(&REPLICA_JOB_SESSION)).unwrap();
        let check = |mode, statement: &emfilter::sql::Statement| {
            catch_unwind(AssertUnwindSafe(|| {
                fuzz_oracle::sql_oracle::check(&target, &filter, mode, statement)
            }))
            .is_ok()
        };
        let params = target.translate(&filter, Mode::Params).unwrap();
        let inline = target.translate(&filter, Mode::Inline).unwrap();
        assert!(check(Mode::Params, &params) && check(Mode::Inline, &inline));
        assert!(
            !check(Mode::Params, &inline),
            "{dialect}: literals taken for parameters"
        );
        assert!(
            !check(Mode::Inline, &params),
            "{dialect}: parameters taken for literals"
        );
        let mapping = Mapping::new(&REPLICA_JOB_SESSION)
            .with_column("JobName", "job")
            .unwrap();
        let other = Target::new(dialect, mapping).unwrap();
        let elsewhere = other.translate(&filter, Mode::Inline).unwrap();
        assert!(
            !check(Mode::Inline, &elsewhere),
            "{dialect}: another column passed"
        );
        let other = Target::new(
            dialect,
            Mapping::new(&REPLICA_JOB_SESSION).with_table(["t"]),
        );
        let elsewhere = other.unwrap().translate(&filter, Mode::Params).unwrap();
        assert!(
            !check(Mode::Params, &elsewhere),
            "{dialect}: another table passed"
        );
    }
}

/// The oracle itself can fail: a tree whose printing reads back differently is caught.
#[test]
fn the_oracle_catches_a_tree_that_prints_as_another() {
    use emfilter::syntax::{self, ExprKind};
    let parsed = syntax::parse("Result< =Failed");
    let ast = parsed.ast.expect("parses");
    let mut other = ast.root.clone();
    if let ExprKind::Comparison(c) = &mut other.kind {
        c.value.text = "=Failed".to_owned();
        c.op.op = syntax::CompareOp::Le;
    }
    assert_ne!(
        fuzz_oracle::shape(&ast.root, false),
        fuzz_oracle::shape(&other, false)
    );
    // And the printed text keeps the operator and the value apart.
    assert_eq!(ast.to_string(), "Result< =Failed");
    assert_eq!(
        syntax::parse("Result=gt==x")
            .ast
            .expect("parses")
            .to_string(),
        "Result> =x"
    );
    assert_eq!(
        syntax::parse("Result< >x").ast.expect("parses").to_string(),
        "Result< >x"
    );
}

#[test]
fn stream_regressions_and_seeds() {
    assert!(replay("stream", fuzz_oracle::stream) >= 8);
}
