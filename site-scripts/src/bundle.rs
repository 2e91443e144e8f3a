//! Page scripts written as ES modules in a folder and served as one file: `forms.js` is
//! made of the modules in `site-gen/assets/forms/`. A classroom phone pays about 400 ms
//! for each request, so a page loads one script, not ten.
//!
//! [`join`] concatenates the modules in the fixed order of [`BUNDLES`] (the order the one
//! file had: each module's top-level statements run where they ran before). Inside the
//! folder a module imports its siblings (`import { x } from "./values.js";`): those lines
//! are dropped, since the joined file declares every name itself, and `export ` is taken
//! off each declaration. Imports of scripts beside the folder (`"../dom.js"`) are merged
//! into one line per script at the top, and every `../` path (also in `import("../x.js")`)
//! becomes `./`, where the joined file is served. What the joined text is then follows
//! the other scripts: `scripts/minify` minifies it (the text comes from this crate's
//! `join` binary), and the header of the copy names the joined text's length and CRC-32.
//!
//! A script beside the folder that pages carry inline ahead of the bundle ([`HANDED_OVER`]:
//! `draft.js`) hands its exports over on the global object; the bundle takes the names
//! from there, `const { a, b } = globalThis[Symbol.for("site-draft")] || (await
//! import("./draft.js"));`, so a page that already has the script does not fetch it again,
//! and one without it still gets the file.
//!
//! The rules are strict so that the join can be a line edit: one import per line, and
//! no `export { … }` or `export default`. Anything else is an error naming the module and
//! line; so is a top-level name declared in two modules.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// The scripts made of modules: (name as served under `assets/`, the folder beside it
/// holding the modules, the modules in the order they are joined).
pub const BUNDLES: &[(&str, &str, &[&str])] = &[(
    "forms.js",
    "forms",
    &[
        "page.js",
        "state.js",
        "values.js",
        "table.js",
        "paste.js",
        "messages.js",
        "save.js",
        "prefill.js",
        "transfer.js",
        "main.js",
    ],
)];

/// Scripts beside the folders that pages carry inline, before the bundle, and that hand
/// their exports over on the global object: (file, key of `Symbol.for`). The script's
/// first copy on a page sets `globalThis[Symbol.for(key)]` to an object holding every
/// export (`site-gen/assets/draft.js` says so where it does; `tests/js/draft.test.mjs`
/// checks that the object and the exports agree).
pub const HANDED_OVER: &[(&str, &str)] = &[("draft.js", "site-draft")];

/// The folder and modules of `name` when it is made of modules.
pub fn bundle(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    BUNDLES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, folder, modules)| (*folder, *modules))
}

/// The readable source of script `name` under `assets`: the file itself, or, for a
/// script of [`BUNDLES`], its modules joined.
pub fn source(assets: &Path, name: &str) -> Result<Vec<u8>, String> {
    let Some((folder, modules)) = bundle(name) else {
        let path = assets.join(name);
        return fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()));
    };
    let mut texts = Vec::new();
    for m in modules {
        let path = assets.join(folder).join(m);
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        texts.push((format!("{folder}/{m}"), text));
    }
    let parts: Vec<(&str, &str)> = texts
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    join(name, &parts).map(String::into_bytes)
}

/// `modules` as (path under `assets/`, text), joined into the script `name`.
pub fn join(name: &str, modules: &[(&str, &str)]) -> Result<String, String> {
    let siblings: Vec<&str> = modules
        .iter()
        .map(|(p, _)| p.rsplit_once('/').map_or(*p, |(_, f)| f))
        .collect();
    // Script beside the folder → the names imported from it, in first-seen order.
    let mut outside: Vec<(String, Vec<String>)> = Vec::new();
    let mut declared: BTreeMap<String, String> = BTreeMap::new();
    let mut body = String::new();
    for (path, text) in modules {
        body.push_str(&format!("\n// ---- {path} ----\n"));
        for (i, line) in text.lines().enumerate() {
            let at = || format!("site-gen/assets/{path}:{}", i + 1);
            if line.starts_with("import ") {
                let (names, spec) = parse_import(line).ok_or_else(|| {
                    format!(
                        "{}: expected one import on one line, `import {{ a, b }} from \"./x.js\";`",
                        at()
                    )
                })?;
                if let Some(file) = spec.strip_prefix("./") {
                    if !siblings.contains(&file) {
                        return Err(format!("{}: imports {spec}, which is not one of the modules joined into {name} ({})", at(), siblings.join(", ")));
                    }
                } else if let Some(file) = spec.strip_prefix("../") {
                    let spec = format!("./{file}");
                    let k = match outside.iter().position(|(s, _)| *s == spec) {
                        Some(k) => k,
                        None => {
                            outside.push((spec, Vec::new()));
                            outside.len() - 1
                        }
                    };
                    let entry = &mut outside[k].1;
                    for n in names {
                        if !entry.contains(&n) {
                            entry.push(n);
                        }
                    }
                } else {
                    return Err(format!("{}: imports {spec}; expected a module of the folder (\"./x.js\") or a script beside it (\"../x.js\")", at()));
                }
                continue;
            }
            let line = if let Some(rest) = line.strip_prefix("export ") {
                if !DECLARATIONS.iter().any(|d| rest.starts_with(d)) {
                    return Err(format!("{}: expected `export` before a declaration (function, const, let, class), not `{line}`", at()));
                }
                rest
            } else {
                line
            };
            if let Some(decl) = top_level_name(line) {
                if let Some(first) = declared.insert(decl.to_string(), at()) {
                    return Err(format!("{}: `{decl}` is declared again (first in {first}); the modules of {name} share one scope", at()));
                }
            }
            body.push_str(
                &line
                    .replace("import(\"../", "import(\"./")
                    .replace("import(`../", "import(`./"),
            );
            body.push('\n');
        }
    }
    let mut out = format!(
        "// {name}, joined by site-scripts (src/bundle.rs) from {}: edit those.\n",
        modules
            .iter()
            .map(|(p, _)| *p)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut handed = String::new();
    for (spec, names) in &outside {
        let file = spec.trim_start_matches("./");
        if let Some((_, key)) = HANDED_OVER.iter().find(|(f, _)| *f == file) {
            // `a as b` in an import is `a: b` in a destructuring.
            let names: Vec<String> = names.iter().map(|n| n.replace(" as ", ": ")).collect();
            handed.push_str(&format!(
                "const {{ {} }} = globalThis[Symbol.for(\"{key}\")] || (await import(\"{spec}\"));\n",
                names.join(", ")
            ));
            continue;
        }
        out.push_str(&format!(
            "import {{ {} }} from \"{spec}\";\n",
            names.join(", ")
        ));
    }
    out.push_str(&handed);
    out.push_str(&body);
    Ok(out)
}

const DECLARATIONS: &[&str] = &["function ", "async function ", "const ", "let ", "class "];

/// `import { a, b as c } from "./x.js";` → (["a", "b as c"], "./x.js").
fn parse_import(line: &str) -> Option<(Vec<String>, &str)> {
    let rest = line.strip_prefix("import {")?;
    let (names, rest) = rest.split_once('}')?;
    let spec = rest.trim().strip_prefix("from \"")?.strip_suffix("\";")?;
    let names: Vec<String> = names
        .split(',')
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() || spec.contains('"') {
        return None;
    }
    Some((names, spec))
}

/// The name a line at the module's top level declares (`function f(`, `const X =`).
fn top_level_name(line: &str) -> Option<&str> {
    let rest = DECLARATIONS.iter().find_map(|d| line.strip_prefix(d))?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sibling_imports_go_outside_imports_merge_and_exports_lose_the_keyword() {
        let a = "// a\nimport { el } from \"../dom.js\";\nexport const X = 1;\nexport function f() { return el(X); }\n";
        let b = "import { el, today } from \"../dom.js\";\nimport { f, X } from \"./a.js\";\nasync function g() { const m = await import(\"../forms-xlsx.js\"); return [f(), X, el, today, m]; }\ng();\n";
        let joined = join("x.js", &[("x/a.js", a), ("x/b.js", b)]).unwrap();
        assert_eq!(
            joined,
            "// x.js, joined by site-scripts (src/bundle.rs) from x/a.js, x/b.js: edit those.\n\
             import { el, today } from \"./dom.js\";\n\
             \n// ---- x/a.js ----\n// a\nconst X = 1;\nfunction f() { return el(X); }\n\
             \n// ---- x/b.js ----\nasync function g() { const m = await import(\"./forms-xlsx.js\"); return [f(), X, el, today, m]; }\ng();\n"
        );
    }

    #[test]
    fn names_of_a_script_handed_over_are_taken_from_the_global_object() {
        let a = "import { getPath, parsePath as parse } from \"../draft.js\";\nimport { el } from \"../dom.js\";\nexport const X = 1;\n";
        let b = "import { getPath } from \"../draft.js\";\nimport { X } from \"./a.js\";\ngetPath(X);\n";
        let joined = join("x.js", &[("x/a.js", a), ("x/b.js", b)]).unwrap();
        assert_eq!(
            joined,
            "// x.js, joined by site-scripts (src/bundle.rs) from x/a.js, x/b.js: edit those.\n\
             import { el } from \"./dom.js\";\n\
             const { getPath, parsePath: parse } = globalThis[Symbol.for(\"site-draft\")] || (await import(\"./draft.js\"));\n\
             \n// ---- x/a.js ----\nconst X = 1;\n\
             \n// ---- x/b.js ----\ngetPath(X);\n"
        );
    }

    #[test]
    fn what_the_join_cannot_do_is_an_error_at_its_line() {
        let err =
            |m: &str| join("x.js", &[("x/a.js", "const a = 1;\n"), ("x/b.js", m)]).unwrap_err();
        assert_eq!(
            err("\nexport default 1;\n"),
            "site-gen/assets/x/b.js:2: expected `export` before a declaration (function, const, let, class), not `export default 1;`"
        );
        assert!(err("import {\n  a } from \"./a.js\";\n")
            .starts_with("site-gen/assets/x/b.js:1: expected one import on one line"));
        assert!(err("import { a } from \"./c.js\";\n").contains(
            "imports ./c.js, which is not one of the modules joined into x.js (a.js, b.js)"
        ));
        assert!(err("import { a } from \"https://e.org/a.js\";\n")
            .contains("expected a module of the folder"));
        assert_eq!(
            err("let a = 2;\n"),
            "site-gen/assets/x/b.js:1: `a` is declared again (first in site-gen/assets/x/a.js:1); the modules of x.js share one scope"
        );
    }

    #[test]
    fn only_scripts_of_bundles_are_joined() {
        assert_eq!(bundle("forms.js").map(|(f, _)| f), Some("forms"));
        assert!(bundle("dom.js").is_none());
        assert_eq!(top_level_name("async function start() {"), Some("start"));
        assert_eq!(top_level_name("  const inner = 1;"), None);
    }
}
