//! The module graph of a crate read from its sources, for the tests that keep a crate's
//! modules in one-way layers (`site-gen/tests/layers.rs`, `wasm-forms/tests/layers.rs`).
//! Each test keeps its own layers and what it forbids; this reads which modules a module
//! uses. A `crate::…` path, a `super::…` path and a path through a child module declared
//! in the file (`check::…`) each count as a use, braced groups included
//! (`super::{templates, views}`); comments and `#[cfg(test)]` modules do not. A parent
//! may re-export (`pub use`) a child's items as its façade without using them itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // used by tests: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// `render/page.rs` → `render::page`, `render/mod.rs` → `render`.
pub fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The Rust files under `dir`, at any depth.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).expect("src readable") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Every module of the crate whose sources are in `src` with its code (comments and test
/// modules left out), but the crate roots `lib.rs` and `main.rs`.
pub fn sources(src: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in rust_files(src) {
        let rel = f.strip_prefix(src).expect("under src");
        let module = module_of(rel);
        if module == "lib" || module == "main" {
            continue;
        }
        let code = code_of(&fs::read_to_string(&f).expect("readable"));
        out.push((module, code));
    }
    out
}

/// The code of a file without comments and test modules.
pub fn code_of(text: &str) -> String {
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

/// The paths named after `start` in `code`: `a::b` in `crate::a::b::{`, or each item of
/// a braced group (`crate::{a::b, c}` → `a::b`, `c`), each with `prefix` before it.
fn paths_after(code: &str, start: usize, prefix: &str) -> Vec<String> {
    let is_path = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let rest = &code[start..];
    let end = rest.find(|c: char| !is_path(c)).unwrap_or(rest.len());
    let head = rest[..end].trim_end_matches(':');
    let joined = |tail: &str| {
        [prefix, head, tail]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("::")
    };
    if !rest[end..].starts_with('{') {
        return vec![joined("")];
    }
    let group = &rest[end + 1..];
    let mut out = Vec::new();
    let mut depth = 0;
    let mut item_start = 0;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                out.push(&group[item_start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&group[item_start..i]);
                item_start = i + 1;
            }
            _ => {}
        }
    }
    out.into_iter()
        .map(|item| {
            let item = item.trim();
            let end = item.find(|c: char| !is_path(c)).unwrap_or(item.len());
            let item = item[..end].trim_end_matches(':');
            if item == "self" {
                joined("")
            } else {
                joined(item)
            }
        })
        .collect()
}

/// The longest known module that `path` starts with.
fn resolve(path: &str, known: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| known.contains(m))
}

fn is_ident_start(code: &str, at: usize) -> bool {
    at == 0
        || !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// The modules `module` (whose code is `code`) uses.
pub fn uses(module: &str, code: &str, known: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
    for (i, _) in code.match_indices("crate::") {
        if is_ident_start(code, i) {
            for p in paths_after(code, i + 7, "") {
                out.extend(resolve(&p, known));
            }
        }
    }
    for (i, _) in code.match_indices("super::") {
        if is_ident_start(code, i) {
            for p in paths_after(code, i + 7, parent) {
                out.extend(resolve(&p, known));
            }
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
                    for p in paths_after(line, i, module) {
                        out.extend(resolve(&p, known));
                    }
                }
            }
        }
    }
    out.retain(|m| m != module);
    out.sort();
    out.dedup();
    out
}

/// A circle of `graph` as its modules in order (the first repeated at the end), if any.
pub fn circle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        graph: &BTreeMap<String, Vec<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| s == m) {
            let mut c = stack[at..].to_vec();
            c.push(m.to_owned());
            return Some(c);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_owned());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, stack) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut done, &mut Vec::new()))
}
