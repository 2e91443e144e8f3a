//! site-gen's modules in one-way layers: base ← content ← import ← render ← output ←
//! cmd. Each module (a file of `src/`) belongs to the layer of its top folder (or file)
//! and may use only modules of its own layer or of the layers before it; and no module
//! uses another that uses it back, directly or through others (no circle, not even
//! inside a layer). The test reads the sources: a `crate::…` path, a `super::…` path and
//! a path through a child module declared in the file (`check::…`) each count as a use,
//! braced groups included (`super::{templates, views}`); comments and `#[cfg(test)]`
//! modules do not. A parent may re-export (`pub use`) a child's items as its façade
//! (`content::Site`) without using them itself. `main.rs` only parses and dispatches. The
//! reading of uses is shared with the engine's layer test (`layers-check`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use layers_check::{circle, code_of, sources, uses};

/// (layer, the top-level modules in it), lowest first. A new top-level module must be
/// placed here.
const LAYERS: &[(&str, &[&str])] = &[
    // Files, URLs, messages, the synthetic corpus: no knowledge of notices or pages.
    (
        "base",
        &[
            "fsx",
            "urls",
            "asset_names",
            "messages",
            "catalogue",
            "par",
            "synth",
        ],
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

/// The layer (index into [`LAYERS`]) of a module: that of its top-level name.
fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
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
    let sources = sources(&src());
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
