//! The engine's modules in layers, one way: primitives ← model ← schema check ←
//! engine ← api. Every module of `src/` is named below in an order in which each may
//! use only the modules before it (so there is no cycle either, not even inside a
//! layer). The test reads the sources: a `crate::…` path, a `super::…` path and a path
//! through a child module declared in the file (`check::…`) each count as a use;
//! comments and `#[cfg(test)]` modules do not. A parent may re-export (`pub use`) a
//! child's items as its façade (`schema::parse_toml`) without using them itself. The
//! reading of uses is shared with site-gen's layer test (`layers-check`), braced groups
//! (`super::{a, b}`) included.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use layers_check::{code_of, sources, uses};

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

#[test]
fn modules_use_only_earlier_modules() {
    let order: Vec<(&str, &str)> = LAYERS
        .iter()
        .flat_map(|(layer, mods)| mods.iter().map(move |m| (*layer, *m)))
        .collect();
    let rank_of: BTreeMap<String, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (_, m))| ((*m).to_owned(), i))
        .collect();
    let known: BTreeSet<String> = rank_of.keys().cloned().collect();
    let sources = sources(&src());
    assert!(sources.len() > 40, "read {} modules", sources.len());
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for (module, code) in &sources {
        seen.push(module.clone());
        let Some(&rank) = rank_of.get(module) else {
            problems.push(format!("module `{module}` has no layer"));
            continue;
        };
        for used in uses(module, code, &known) {
            let r = rank_of[&used];
            if r > rank {
                problems.push(format!(
                    "`{module}` ({}) uses `{used}` ({}), which comes later",
                    order[rank].0, order[r].0
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
    let known: BTreeSet<String> = ["schema", "schema::check", "score", "handin"]
        .iter()
        .map(|m| (*m).to_owned())
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
