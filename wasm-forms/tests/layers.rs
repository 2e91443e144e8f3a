//! The engine's modules in layers, one way: primitives ← model ← schema check ←
//! engine ← api. Every module of `src/` is named below in an order in which each may
//! use only the modules before it (so there is no cycle either, not even inside a
//! layer). The test reads the sources: a `crate::…` path, a `super::…` path and a path
//! through a child module declared in the file (`check::…`) each count as a use;
//! comments and `#[cfg(test)]` modules do not. A parent may re-export (`pub use`) a
//! child's items as its façade (`schema::parse_toml`) without using them itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// (layer, modules in order). A new module must be placed here.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "primitives",
        &[
            "small", "limits", "map", "decimal", "date", "case", "crc32", "tagged", "finding",
            "fields",
        ],
    ),
    (
        "model",
        &[
            "rules", "calendar", "choice", "scoring", "schema", "rule_de", "survey",
        ],
    ),
    (
        "schema check",
        &[
            "schema::error",
            "schema::check",
            "schema::scoring_check",
            "schema::parse",
        ],
    ),
    (
        "engine",
        &[
            "tally",
            "score",
            "handin::envelope",
            "handin::code",
            "handin::extract",
            "validate::report",
            "validate::validator",
            "validate::values",
            "validate::table",
            "validate::scoring",
            "validate::computed",
            "validate::rules",
            "validate::response",
            "validate",
            "io",
            "sheet",
            "paste",
            "aggregate",
            "deadlines",
            "handin::collect",
            "handin",
        ],
    ),
    ("api", &["api", "wire", "page"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `schema/check.rs` → `schema::check`, `handin/mod.rs` → `handin`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("src readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments, string contents of doc lines and test modules.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") || t.starts_with("#[cfg(all(test") {
            if lines
                .peek()
                .is_some_and(|l| l.trim_start().starts_with("mod "))
            {
                break; // test modules close the file
            }
            continue;
        }
        if t.starts_with("//") {
            continue;
        }
        let code = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Identifiers separated by `::` after `start` in `code` (`crate::a::b::{` → `a::b`).
fn path_after(code: &str, start: usize) -> String {
    let rest = &code[start..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches(':').to_owned()
}

/// The longest known module that `path` starts with.
fn resolve(path: &str, known: &BTreeMap<String, usize>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| known.contains_key(m))
}

fn is_ident_start(code: &str, at: usize) -> bool {
    at == 0
        || !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// The modules `module` (whose code is `code`) uses.
fn uses(module: &str, code: &str, known: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    let parent = module.rsplit_once("::").map(|(p, _)| p.to_owned());
    for (i, _) in code.match_indices("crate::") {
        if is_ident_start(code, i) {
            out.extend(resolve(&path_after(code, i + 7), known));
        }
    }
    for (i, _) in code.match_indices("super::") {
        if is_ident_start(code, i) {
            let rest = path_after(code, i + 7);
            let full = match &parent {
                Some(p) => format!("{p}::{rest}"),
                None => rest,
            };
            out.extend(resolve(&full, known));
        }
    }
    // Children declared here (`mod check;`), used through their name.
    let children: Vec<String> = code
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect();
    for line in code.lines() {
        let t = line.trim();
        if t.starts_with("pub use ") || t.starts_with("mod ") || t.starts_with("pub mod ") {
            continue; // a façade re-export or the declaration itself
        }
        for c in &children {
            let pat = format!("{c}::");
            for (i, _) in line.match_indices(&pat) {
                if is_ident_start(line, i) {
                    let full = format!("{module}::{}", path_after(line, i));
                    out.extend(resolve(&full, known));
                }
            }
        }
    }
    out.retain(|m| m != module);
    out.sort();
    out.dedup();
    out
}

#[test]
fn modules_use_only_earlier_modules() {
    let order: Vec<(&str, &str)> = LAYERS
        .iter()
        .flat_map(|(layer, mods)| mods.iter().map(move |m| (*layer, *m)))
        .collect();
    let known: BTreeMap<String, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (_, m))| ((*m).to_owned(), i))
        .collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src()).expect("under src");
        let module = module_of(rel);
        if module == "lib" {
            continue;
        }
        seen.push(module.clone());
        let Some(&rank) = known.get(&module) else {
            problems.push(format!("{}: module `{module}` has no layer", rel.display()));
            continue;
        };
        let code = code_of(&fs::read_to_string(f).expect("readable"));
        for used in uses(&module, &code, &known) {
            let r = known[&used];
            if r > rank {
                problems.push(format!(
                    "{}: `{module}` ({}) uses `{used}` ({}), which comes later",
                    rel.display(),
                    order[rank].0,
                    order[r].0
                ));
            }
        }
    }
    for (_, m) in &order {
        if !seen.iter().any(|s| s == m) {
            problems.push(format!("`{m}` is listed but has no file"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker itself finds each kind of use, so that the test above cannot pass by
/// reading nothing.
#[test]
fn the_checker_sees_crate_super_and_child_paths() {
    let known: BTreeMap<String, usize> = ["schema", "schema::check", "score", "handin"]
        .iter()
        .enumerate()
        .map(|(i, m)| ((*m).to_owned(), i))
        .collect();
    let code = code_of(
        "use crate::score::{self, Rule};\n\
         mod check;\n\
         pub use check::façade;\n\
         // crate::handin in a comment\n\
         fn f() { check::check(); }\n\
         #[cfg(test)]\nmod tests { use crate::handin; }\n",
    );
    assert_eq!(uses("schema", &code, &known), ["schema::check", "score"]);
    let code = code_of("use super::{CheckError, FormSchema};\nuse crate::handin::x;\n");
    assert_eq!(uses("schema::check", &code, &known), ["handin", "schema"]);
    let only_facade = code_of("mod check;\npub use check::{a, b};\n");
    assert!(uses("schema", &only_facade, &known).is_empty());
}
