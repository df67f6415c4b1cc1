//! The realistic corpus (issue 11, "What must hold"): scripts and configs of every kind that hold
//! EM queries, written as their authors write them (PowerShell, Python, shell, Go, C#, PHP,
//! JavaScript, Ansible, Helm, ERB, Zabbix YAML and XML exports, a Grafana dashboard, a Markdown
//! runbook), under `tests/corpus/lint/`. They mix query types, templates, correct filters and
//! planted mistakes; `tests/corpus/lint.toml` lists every planted mistake at its line and column.
//!
//! - Every planted mistake is found, at its line and column, with its code; nothing else is a
//!   problem (every other line is correct: notes about placeholders are allowed, problems not).
//! - Everything emfilter says about the corpus is a reviewed snapshot
//!   (`tests/snapshots/cli__lint_corpus__findings.snap`).
//! - `--fix` then `--fix` again changes nothing; after `--fix` no safe fix is left and no new
//!   problem appears; `--unsafe-fixes` never leaves a line with more errors than it had.
//!
//! Each runs the real binary over a copy of the corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::lint::{copy_dir, emfilter, scratch, Scratch};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/lint")
}

/// A copy of the corpus in a folder of its own.
fn copy(name: &str) -> Scratch {
    let dir = scratch(name);
    copy_dir(&corpus(), &dir);
    dir
}

/// One finding: file, line, column, code, level, message, and whether its fix is safe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    file: String,
    line: u64,
    column: u64,
    code: String,
    level: String,
    message: String,
    safe_fix: bool,
}

/// Every finding of `check --scan .` in `dir`, problems and notes, from its SARIF log.
fn findings(dir: &Path) -> Vec<Finding> {
    let r = emfilter(&["check", "--scan", ".", "--format", "sarif"], dir);
    assert!(r.status <= 1, "{}", r.stderr);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).expect("SARIF");
    let run = &log["runs"][0];
    let region = |v: &serde_json::Value| {
        let l = &v["locations"][0]["physicalLocation"];
        (
            l["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
            l["region"]["startLine"].as_u64().unwrap(),
            l["region"]["startColumn"].as_u64().unwrap(),
        )
    };
    let mut out = Vec::new();
    for result in run["results"].as_array().unwrap() {
        let (file, line, column) = region(result);
        out.push(Finding {
            file,
            line,
            column,
            code: result["ruleId"].as_str().unwrap().to_owned(),
            level: result["level"].as_str().unwrap().to_owned(),
            message: result["message"]["text"].as_str().unwrap().to_owned(),
            safe_fix: result["properties"]["applicability"] == "safe",
        });
    }
    for note in run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
    {
        let (file, line, column) = region(note);
        out.push(Finding {
            file,
            line,
            column,
            code: note["descriptor"]["id"].as_str().unwrap().to_owned(),
            level: "note".to_owned(),
            message: note["message"]["text"].as_str().unwrap().to_owned(),
            safe_fix: false,
        });
    }
    out.sort();
    out
}

fn problems(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| f.level != "note").collect()
}

#[derive(serde::Deserialize)]
struct Planted {
    mistake: Vec<Mistake>,
}

#[derive(serde::Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Mistake {
    file: String,
    line: u64,
    column: u64,
    code: String,
}

fn planted() -> Vec<Mistake> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/lint.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut planted: Planted = toml::from_str(&text).unwrap();
    planted.mistake.sort();
    planted.mistake
}

/// The corpus's files, by path relative to it, and their texts.
fn texts(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn every_planted_mistake_is_found_at_its_place_and_nothing_else_is_a_problem() {
    let dir = copy("corpus-findings");
    let found = findings(&dir);
    let got: Vec<Mistake> = problems(&found)
        .into_iter()
        .map(|f| Mistake {
            file: f.file.clone(),
            line: f.line,
            column: f.column,
            code: f.code.clone(),
        })
        .collect();
    let want = planted();
    let missed: Vec<&Mistake> = want.iter().filter(|m| !got.contains(m)).collect();
    let extra: Vec<&Mistake> = got.iter().filter(|m| !want.contains(m)).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "planted mistakes not found: {missed:#?}\nproblems on lines that are correct: {extra:#?}"
    );
    // Every kind of file is there, and a problem in each but the correct-only ones.
    let files: BTreeSet<&str> = want.iter().map(|m| m.file.as_str()).collect();
    assert!(files.len() >= 14, "{files:?}");
}

#[test]
fn the_findings_are_a_reviewed_snapshot() {
    let dir = copy("corpus-snapshot");
    let found = findings(&dir);
    let mut text = String::new();
    for f in &found {
        text.push_str(&format!(
            "{}:{}:{} {}[{}]{} {}\n",
            f.file,
            f.line,
            f.column,
            f.level,
            f.code,
            if f.safe_fix { " (safe fix)" } else { "" },
            f.message.replace('\n', "\n    ")
        ));
    }
    insta::assert_snapshot!("findings", text);
}

#[test]
fn fixing_twice_changes_nothing_and_leaves_no_safe_fix_and_no_new_problem() {
    let dir = copy("corpus-fix");
    let before = findings(&dir);
    let original = texts(&dir);
    let r = emfilter(&["check", "--scan", ".", "--fix"], &dir);
    assert!(r.status <= 1, "{}", r.stderr);
    let once = texts(&dir);
    assert_ne!(once, original, "the corpus has safe fixes");
    // Lines keep their number.
    for (name, text) in &once {
        assert_eq!(
            text.lines().count(),
            original[name].lines().count(),
            "{name}"
        );
    }
    let r = emfilter(&["check", "--scan", ".", "--fix"], &dir);
    assert!(r.stderr.contains("fixed 0 problems"), "{}", r.stderr);
    assert_eq!(texts(&dir), once, "a second --fix changed the files");

    let after = findings(&dir);
    let after = problems(&after);
    let left: Vec<&&Finding> = after.iter().filter(|f| f.safe_fix).collect();
    assert!(left.is_empty(), "safe fixes left after --fix: {left:#?}");
    let known: BTreeSet<(&str, u64, &str)> = problems(&before)
        .iter()
        .map(|f| (f.file.as_str(), f.line, f.code.as_str()))
        .collect();
    let new: Vec<&&Finding> = after
        .iter()
        .filter(|f| !known.contains(&(f.file.as_str(), f.line, f.code.as_str())))
        .collect();
    assert!(new.is_empty(), "problems that --fix brought: {new:#?}");
}

#[test]
fn unsafe_fixes_never_leave_a_line_with_more_errors() {
    let dir = copy("corpus-unsafe");
    let errors = |found: &[Finding]| {
        let mut per_line: BTreeMap<(String, u64), usize> = BTreeMap::new();
        for f in found.iter().filter(|f| f.level == "error") {
            *per_line.entry((f.file.clone(), f.line)).or_default() += 1;
        }
        per_line
    };
    let before = errors(&findings(&dir));
    let r = emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    assert!(r.status <= 1, "{}", r.stderr);
    let after = errors(&findings(&dir));
    for (place, n) in &after {
        let had = before.get(place).copied().unwrap_or(0);
        assert!(
            *n <= had,
            "{place:?}: {n} errors after --unsafe-fixes, {had} before"
        );
    }
    assert!(
        after.values().sum::<usize>() < before.values().sum::<usize>(),
        "the unsafe fixes fixed something"
    );
    // And they settle too.
    let once = texts(&dir);
    emfilter(&["check", "--scan", ".", "--fix", "--unsafe-fixes"], &dir);
    assert_eq!(texts(&dir), once);
}
