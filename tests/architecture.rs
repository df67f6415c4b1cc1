//! The architecture as a test: the library's modules import one another along the pipeline and
//! never in a cycle, and the workspace's crates depend only downward.
//!
//! The module graph is read from the sources: every `crate::<module>` path in a module's files
//! (comments aside) is an edge to that top-level module, and a path through a name the crate
//! root re-exports (`crate::Filter`) is an edge to the module that defines it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The library's top-level modules, each layer above the ones before it: a module may import
/// only modules of earlier layers (or of its own, when neither imports the other).
const LAYERS: &[&[&str]] = &[
    &["span", "suggest", "op", "literal", "json", "swar"],
    &["diagnostic", "quote", "schema"],
    &["syntax"],
    &["ir"],
    &["eval"],
    &["filter"],
    &["check"],
    // A compile target of the typed filter, beside evaluation: nothing imports it.
    &["sql"],
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for `lib.rs`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
    if first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_owned())
}

/// The names `lib.rs` re-exports, and the module each comes from.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let (module, names) = rest.split_once("::").unwrap();
        let names = names.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.trim().rsplit("::").next().unwrap().to_owned();
            out.insert(name, module.to_owned());
        }
    }
    out
}

/// Every `crate::<name>` in `code`, comments left out.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let after = after.trim_start_matches('{');
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
            rest = &rest[at + "crate::".len()..];
        }
        // `use crate::{a::x, b::y}` names several modules on one line.
        if let Some(list) = line
            .trim()
            .strip_prefix("use crate::{")
            .map(|l| l.trim_end_matches("};"))
        {
            for item in list.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
    }
    out
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(ROOT).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let names = reexports(&lib);
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from) = module_of(&src, file) else {
            continue;
        };
        let code = std::fs::read_to_string(file).unwrap();
        let entry = graph.entry(from.clone()).or_default();
        for name in crate_paths(&code) {
            let to = if modules.contains(&name) {
                name
            } else if let Some(m) = names.get(&name) {
                m.clone()
            } else {
                continue;
            };
            if to != from {
                entry.insert(to);
            }
        }
    }
    graph
}

#[test]
fn every_module_has_a_layer() {
    let graph = module_graph();
    let layered: BTreeSet<&str> = LAYERS.iter().flat_map(|l| l.iter().copied()).collect();
    for module in graph.keys() {
        assert!(
            layered.contains(module.as_str()),
            "the module `{module}` has no place in LAYERS (tests/architecture.rs): give it one"
        );
    }
}

#[test]
fn modules_import_only_the_layers_below_them_and_never_in_a_cycle() {
    let graph = module_graph();
    let layer = |m: &str| LAYERS.iter().position(|l| l.contains(&m));
    for (from, tos) in &graph {
        for to in tos {
            let (Some(a), Some(b)) = (layer(from), layer(to)) else {
                continue;
            };
            assert!(
                b <= a,
                "`{from}` (layer {a}) imports `{to}` (layer {b}), a later stage of the pipeline"
            );
            if a == b {
                assert!(
                    !graph.get(to).is_some_and(|t| t.contains(from)),
                    "`{from}` and `{to}` import each other"
                );
            }
        }
    }
    // No cycle through any path, within a layer too.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(m) {
            return;
        }
        if let Some(at) = path.iter().position(|p| p == m) {
            panic!("an import cycle: {} -> {m}", path[at..].join(" -> "));
        }
        path.push(m.to_owned());
        for to in graph.get(m).into_iter().flatten() {
            visit(to, graph, path, done);
        }
        path.pop();
        done.insert(m.to_owned());
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_reader_of_the_graph_sees_imports() {
    // The check above is only as good as its reading: it must see the pipeline's known edges.
    let graph = module_graph();
    for (from, to) in [
        ("check", "schema"),
        ("check", "filter"),
        ("filter", "eval"),
        ("eval", "ir"),
        ("ir", "schema"),
        ("syntax", "diagnostic"),
        ("schema", "suggest"),
    ] {
        assert!(
            graph.get(from).is_some_and(|t| t.contains(to)),
            "`{from}` imports `{to}`, yet the graph has {:?}",
            graph.get(from)
        );
    }
}

/// The `emfilter…` packages a manifest depends on, in `[dependencies]` (not dev or build).
fn workspace_dependencies(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    table
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| {
            d.keys()
                .filter(|k| k.starts_with("emfilter"))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn crates_depend_only_downward() {
    let root = Path::new(ROOT);
    let want: [(&str, &[&str]); 5] = [
        ("Cargo.toml", &[]),
        ("crates/lint/Cargo.toml", &["emfilter"]),
        ("crates/client/Cargo.toml", &["emfilter"]),
        (
            "crates/cli/Cargo.toml",
            &["emfilter", "emfilter-client", "emfilter-lint"],
        ),
        ("crates/embed-example/Cargo.toml", &["emfilter"]),
    ];
    for (manifest, deps) in want {
        let got = workspace_dependencies(&root.join(manifest));
        let want: BTreeSet<String> = deps.iter().map(|d| d.to_string()).collect();
        assert_eq!(got, want, "{manifest}");
    }
}

#[test]
fn the_library_depends_on_no_cli_http_tls_walking_or_config_crate() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    let deps = table["dependencies"].as_table().unwrap();
    for banned in [
        "clap",
        "ureq",
        "rustls",
        "ignore",
        "rpassword",
        "toml",
        "base64",
    ] {
        assert!(
            !deps.contains_key(banned),
            "the library depends on `{banned}`"
        );
    }
    assert!(
        table.get("features").is_none(),
        "no feature brings them back either"
    );
}
