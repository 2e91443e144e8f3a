//! site-gen's modules in one-way layers: base ← content ← import ← render ← output ←
//! cmd. Each module (a file of `src/`) belongs to the layer of its top folder (or file)
//! and may use only modules of its own layer or of the layers before it; and no module
//! uses another that uses it back, directly or through others (no circle, not even
//! inside a layer). The test reads the sources: a `crate::…` path, a `super::…` path and
//! a path through a child module declared in the file (`check::…`) each count as a use,
//! braced groups included (`super::{templates, views}`); comments and `#[cfg(test)]`
//! modules do not. A parent may re-export (`pub use`) a child's items as its façade
//! (`content::Site`) without using them itself. `main.rs` only parses and dispatches.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// (layer, the top-level modules in it), lowest first. A new top-level module must be
/// placed here.
const LAYERS: &[(&str, &[&str])] = &[
    // Files, URLs, messages, the synthetic corpus: no knowledge of notices or pages.
    (
        "base",
        &["fsx", "urls", "messages", "catalogue", "par", "synth"],
    ),
    // Load, validate, the model and the facts derived from it.
    ("content", &["content"]),
    // Spreadsheets: reading plan lists in, writing workbooks out.
    ("import", &["import"]),
    // Templates, views, pages, data blocks: the site as files, no disk access.
    ("render", &["render"]),
    // The output folder: files, swap, mark file, the offline workers' pass.
    ("output", &["output"]),
    // One function a command, tying the layers together.
    ("cmd", &["cmd"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `render/page.rs` → `render::page`, `render/mod.rs` → `render`.
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

/// The code of a file without comments and test modules.
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
fn uses(module: &str, code: &str, known: &BTreeSet<String>) -> Vec<String> {
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

/// The layer (index into [`LAYERS`]) of a module: that of its top-level name.
fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
}

/// A circle of `graph` as its modules in order (the first repeated at the end), if any.
fn circle(graph: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
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

/// Every problem of the modules `sources` (module, code) with the layers and circles.
fn problems_of(sources: &[(String, String)]) -> Vec<String> {
    let known: BTreeSet<String> = sources.iter().map(|(m, _)| m.clone()).collect();
    let mut problems = Vec::new();
    let mut graph = BTreeMap::new();
    for (module, code) in sources {
        let Some(rank) = layer_of(module) else {
            problems.push(format!("module `{module}` has no layer"));
            continue;
        };
        let used = uses(module, code, &known);
        for u in &used {
            match layer_of(u) {
                Some(r) if r > rank => problems.push(format!(
                    "`{module}` ({}) uses `{u}` ({}), a layer above it",
                    LAYERS[rank].0, LAYERS[r].0
                )),
                _ => {}
            }
        }
        graph.insert(module.clone(), used);
    }
    if let Some(c) = circle(&graph) {
        problems.push(format!("modules use each other: {}", c.join(" → ")));
    }
    problems
}

#[test]
fn modules_use_only_their_layer_and_those_below_without_circles() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut sources = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src()).expect("under src");
        let module = module_of(rel);
        if module == "lib" || module == "main" {
            continue;
        }
        let code = code_of(&fs::read_to_string(f).expect("readable"));
        sources.push((module, code));
    }
    assert!(sources.len() > 40, "read {} modules", sources.len());
    let problems = problems_of(&sources);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (_, mods) in LAYERS {
        for m in *mods {
            assert!(
                sources.iter().any(|(s, _)| s == m),
                "`{m}` is listed but has no file"
            );
        }
    }
}

/// The checker itself finds each kind of use, so that the test above cannot pass by
/// reading nothing.
#[test]
fn the_checker_sees_crate_super_group_and_child_paths() {
    let known: BTreeSet<String> = ["render", "render::page", "render::views", "content", "urls"]
        .iter()
        .map(|m| (*m).to_owned())
        .collect();
    let code = code_of(
        "use crate::content::{self, Site};\n\
         mod page;\n\
         pub use page::façade;\n\
         // crate::urls in a comment\n\
         fn f() { page::base_context(); }\n\
         #[cfg(test)]\nmod tests { use crate::urls; }\n",
    );
    assert_eq!(uses("render", &code, &known), ["content", "render::page"]);
    let code = code_of("use super::{page::Options, views};\nuse crate::{urls, content::model};\n");
    assert_eq!(
        uses("render::templates", &code, &known),
        ["content", "render::page", "render::views", "urls"]
    );
    let only_facade = code_of("mod page;\npub use page::{a, b};\n");
    assert!(uses("render", &only_facade, &known).is_empty());
}

/// A use of a layer above and two modules that use each other are each reported.
#[test]
fn the_checker_reports_a_use_upwards_and_a_circle() {
    let upwards = [
        (
            "content::model".to_owned(),
            "use crate::render::page;\n".to_owned(),
        ),
        ("render::page".to_owned(), String::new()),
    ];
    let problems = problems_of(&upwards);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("a layer above it"), "{problems:?}");

    let circle = [
        ("render::a".to_owned(), "use super::b::x;\n".to_owned()),
        (
            "render::b".to_owned(),
            "use crate::render::a::y;\n".to_owned(),
        ),
        ("render".to_owned(), "pub mod a;\npub mod b;\n".to_owned()),
    ];
    let problems = problems_of(&circle);
    assert_eq!(
        problems,
        ["modules use each other: render::a → render::b → render::a"]
    );

    let unplaced = [("search".to_owned(), String::new())];
    assert_eq!(problems_of(&unplaced), ["module `search` has no layer"]);
}
