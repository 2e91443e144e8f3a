//! Cache-safe asset names: every script, stylesheet, image and wasm module a page loads
//! is written under a name that carries a hash of its content (`assets/forms.3f9a1c2b.js`),
//! so that a browser or a CDN may keep it for good and a redeploy can never mix an old
//! file with a new page.
//!
//! The embedded assets are known at compile time, so the table is made once per process
//! from their bytes: each file's references to other assets (a module's `import "./dom.js"`,
//! wasm-bindgen's `new URL('x_bg.wasm', import.meta.url)`, a stylesheet's
//! `url(chart-patterns.svg#lv1)`) are rewritten to the hashed names first, and the hash is
//! taken of the result, so a change in `dom.js` renames every module that imports it. A
//! wasm-bindgen bundle (`wasm/<stem>.js` with `wasm/<stem>_bg.wasm`) shares one hash of the
//! two, so that a page that names the hashed stem (`data-engine`) finds both.
//!
//! Templates link assets with the tera function `asset_url(path="forms.css")`; a page
//! built from Rust uses [`url`]. Rendering passes every asset through [`output`], which
//! gives its hashed path and rewritten bytes. A user's template override that still links
//! an unhashed path (`/assets/forms.css`) gets a warning from `check` and `build`
//! ([`override_warnings`]). The service worker (`sw.js`) keeps its name: a browser looks
//! for a new worker at the same address.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// One asset: its hashed path under `dist/` and its bytes as written.
#[derive(Debug)]
pub struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The hashed assets, by their plain path under `dist/` (`assets/forms.js`).
pub struct Table {
    by_plain: BTreeMap<String, Asset>,
    /// Hashed path → plain path.
    by_hashed: HashMap<String, String>,
}

/// The embedded assets by plain path, as the renderers write them.
fn sources() -> Vec<(String, &'static [u8])> {
    super::embedded::all()
}

/// The table of this binary's assets.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::new(sources()))
}

/// Eight hex digits of a CRC-32 of `parts`, one after the other: the version in a
/// hashed asset's name and the search index's folder.
pub(crate) fn hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut h = crc32fast::Hasher::new();
    for p in parts {
        h.update(p);
    }
    format!("{:08x}", h.finalize())
}

/// `assets/forms.js` + `3f9a1c2b` → `assets/forms.3f9a1c2b.js`; a wasm-bindgen module
/// `x_bg.wasm` → `x.3f9a1c2b_bg.wasm`.
fn hashed_name(plain: &str, h: &str) -> String {
    if let Some(stem) = plain.strip_suffix("_bg.wasm") {
        return format!("{stem}.{h}_bg.wasm");
    }
    let (dir, file) = plain.rsplit_once('/').unwrap_or(("", plain));
    let name = match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{h}.{ext}"),
        None => format!("{file}.{h}"),
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// A reference to another file inside a script or stylesheet: the byte range of the name
/// in the text (without a `#fragment` or `?query`).
struct Reference {
    start: usize,
    end: usize,
    target: String,
}

/// The references of the file at `path` (its text `text`) to files of `known`: quoted
/// strings and `url(…)` values naming them, relative to the file's folder or from the
/// site's root.
fn references(path: &str, text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Reference> {
    let dir = path.rfind('/').map_or("", |i| &path[..=i]);
    let mut out: Vec<Reference> = Vec::new();
    for (i, c) in text.char_indices() {
        if out.last().is_some_and(|r| i < r.end) {
            continue;
        }
        let close: &[char] = match c {
            '"' | '\'' | '`' => &[c, '\n'],
            '(' if text[..i].ends_with("url") => &[')', '\n'],
            _ => continue,
        };
        let start = i + 1;
        let rest = &text[start..];
        let Some(len) = rest.find(close) else {
            continue;
        };
        let mut value = &rest[..len];
        let mut offset = 0;
        // url("x") and url('x'): the name inside the quotes.
        if c == '(' {
            let trimmed = value.trim_matches(['"', '\'']);
            offset = value.find(trimmed).unwrap_or(0);
            value = trimmed;
        }
        let name = value.split(['#', '?']).next().unwrap_or("");
        if name.is_empty() || name.contains([' ', '$', '{', '\\']) || name.contains("://") {
            continue;
        }
        let target = crate::urls::resolve(dir, name);
        if known(&target) {
            out.push(Reference {
                start: start + offset,
                end: start + offset + name.len(),
                target,
            });
        }
    }
    out
}

impl Table {
    fn new(sources: Vec<(String, &'static [u8])>) -> Table {
        let plain: BTreeMap<String, &[u8]> = sources.into_iter().collect();
        let known = |p: &str| plain.contains_key(p);
        // The hash of each wasm-bindgen pair, from both files as they are.
        let mut pair_hash: HashMap<String, String> = HashMap::new();
        for (p, bytes) in &plain {
            if let Some(stem) = p.strip_suffix("_bg.wasm") {
                if let Some(glue) = plain.get(&format!("{stem}.js")) {
                    let h = hash([*glue, *bytes]);
                    pair_hash.insert(format!("{stem}.js"), h.clone());
                    pair_hash.insert(p.clone(), h);
                }
            }
        }
        let mut done: BTreeMap<String, Asset> = BTreeMap::new();
        let mut visiting = Vec::new();
        for p in plain.keys() {
            Self::make(p, &plain, &known, &pair_hash, &mut done, &mut visiting);
        }
        let by_hashed = done
            .iter()
            .map(|(plain, a)| (a.path.clone(), plain.clone()))
            .collect();
        Table {
            by_plain: done,
            by_hashed,
        }
    }

    /// Makes the asset `p` after those it names (a reference back to one being made,
    /// a cycle, is left as it is).
    fn make(
        p: &str,
        plain: &BTreeMap<String, &[u8]>,
        known: &dyn Fn(&str) -> bool,
        pair_hash: &HashMap<String, String>,
        done: &mut BTreeMap<String, Asset>,
        visiting: &mut Vec<String>,
    ) {
        if done.contains_key(p) || visiting.iter().any(|v| v == p) {
            return;
        }
        let bytes = plain[p];
        let text = std::str::from_utf8(bytes)
            .ok()
            .filter(|_| [".js", ".css", ".svg"].iter().any(|e| p.ends_with(e)));
        let refs = text.map(|t| references(p, t, known)).unwrap_or_default();
        visiting.push(p.to_string());
        for r in &refs {
            Self::make(&r.target, plain, known, pair_hash, done, visiting);
        }
        visiting.pop();
        let rewritten = match text {
            Some(t) if !refs.is_empty() => {
                let mut out = String::with_capacity(t.len() + refs.len() * 9);
                let mut at = 0;
                for r in &refs {
                    let Some(target) = done.get(&r.target) else {
                        continue;
                    };
                    out.push_str(&t[at..r.start]);
                    let name = &t[r.start..r.end];
                    let hashed_file = target.path.rsplit('/').next().unwrap_or("");
                    let keep = name.rfind('/').map_or("", |i| &name[..=i]);
                    out.push_str(keep);
                    out.push_str(hashed_file);
                    at = r.end;
                }
                out.push_str(&t[at..]);
                out.into_bytes()
            }
            _ => bytes.to_vec(),
        };
        let h = pair_hash
            .get(p)
            .cloned()
            .unwrap_or_else(|| hash([rewritten.as_slice()]));
        done.insert(
            p.to_string(),
            Asset {
                path: hashed_name(p, &h),
                bytes: rewritten,
            },
        );
    }

    /// The asset written for the plain path `assets/…`.
    pub fn get(&self, plain: &str) -> Option<&Asset> {
        self.by_plain.get(plain)
    }

    /// The asset written at `hashed` (`assets/forms.3f9a1c2b.css`).
    pub fn by_hashed_path(&self, hashed: &str) -> Option<&Asset> {
        self.by_hashed
            .get(hashed)
            .and_then(|p| self.by_plain.get(p))
    }

    /// The plain paths, sorted.
    pub fn plain_paths(&self) -> impl Iterator<Item = &str> {
        self.by_plain.keys().map(String::as_str)
    }
}

/// The root-absolute URL of the asset named `name` under `assets/` (`forms.css` →
/// `/assets/forms.3f9a1c2b.css`); `None` for a name the site has no asset of.
pub fn url(name: &str) -> Option<String> {
    let name = name.trim_start_matches('/');
    let name = name.strip_prefix("assets/").unwrap_or(name);
    table()
        .get(&format!("assets/{name}"))
        .map(|a| format!("/{}", a.path))
}

/// The hashed stem of a wasm-bindgen bundle (`wasm_forms_survey` →
/// `wasm_forms_survey.3f9a1c2b`), as a page names it for the scripts (`data-engine`),
/// which load `wasm/<stem>.js` and `wasm/<stem>_bg.wasm`.
pub fn engine(stem: &str) -> String {
    table()
        .get(&format!("assets/wasm/{stem}.js"))
        .and_then(|a| a.path.strip_prefix("assets/wasm/"))
        .and_then(|p| p.strip_suffix(".js"))
        .map_or_else(|| stem.to_string(), str::to_string)
}

/// Whether `path` (under `dist/`) is one of the hashed assets.
pub fn is_hashed(path: &str) -> bool {
    table().by_hashed.contains_key(path)
}

/// A rendered file as written: an asset at its plain path with the very bytes embedded
/// becomes its hashed path and rewritten bytes; anything else is as it is.
pub fn output(path: String, bytes: Vec<u8>) -> (String, Vec<u8>) {
    if !path.starts_with("assets/") {
        return (path, bytes);
    }
    match table().get(&path) {
        Some(a) if sources_match(&path, &bytes) => (a.path.clone(), a.bytes.clone()),
        _ => (path, bytes),
    }
}

/// Whether `bytes` are the embedded bytes of the asset at `path`.
fn sources_match(path: &str, bytes: &[u8]) -> bool {
    static PLAIN: OnceLock<HashMap<String, &'static [u8]>> = OnceLock::new();
    PLAIN
        .get_or_init(|| sources().into_iter().collect())
        .get(path)
        .is_some_and(|b| *b == bytes)
}

/// The tera function `asset_url(path="forms.css")`.
pub fn tera_function(args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let Some(name) = args.get("path").and_then(tera::Value::as_str) else {
        return Err(tera::Error::msg(
            "asset_url needs the asset's name: asset_url(path=\"forms.css\")",
        ));
    };
    match url(name) {
        Some(u) => Ok(tera::Value::String(u)),
        None => {
            let names: Vec<&str> = table()
                .plain_paths()
                .filter_map(|p| p.strip_prefix("assets/"))
                .filter(|p| !p.starts_with("wasm/"))
                .collect();
            Err(tera::Error::msg(format!(
                "asset_url: the site has no asset named “{name}”; the assets are {}",
                names.join(", ")
            )))
        }
    }
}

/// Warnings for template overrides that link an asset by its plain path
/// (`/assets/forms.css`), which builds no longer write: `(file, line, column, message)`.
pub fn override_warnings(override_dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(override_dir) else {
        return out;
    };
    let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for plain in table().plain_paths() {
            let name = &plain["assets/".len()..];
            let needle = format!("/{plain}");
            for (i, _) in text.match_indices(&needle) {
                // `/assets/forms.css` itself, not `/assets/forms.css.map` or a longer name.
                let next = text[i + needle.len()..].chars().next();
                if next.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')) {
                    continue;
                }
                let (line, column, _) = crate::content::diag::position(&text, i);
                out.push(format!(
                    "warning: {}:{line}:{column}: this template links {needle}, which builds no longer write: asset names carry a hash of their content so that browsers never mix versions; write {{{{ asset_url(path=\"{name}\") }}}} instead",
                    path.display()
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_a_hash_of_their_content_and_of_what_they_import() {
        let t = Table::new(vec![
            ("assets/dom.js".into(), b"export const x = 1;".as_slice()),
            (
                "assets/forms.js".into(),
                b"import { x } from \"./dom.js\"; import(\"./wasm/eng.js\");".as_slice(),
            ),
            (
                "assets/wasm/eng.js".into(),
                b"const m = new URL('eng_bg.wasm', import.meta.url); const k = {\"./eng_bg.js\": 1};"
                    .as_slice(),
            ),
            ("assets/wasm/eng_bg.wasm".into(), b"\0asm".as_slice()),
            (
                "assets/forms.css".into(),
                b".a { fill: url(chart.svg#lv1) }".as_slice(),
            ),
            ("assets/chart.svg".into(), b"<svg/>".as_slice()),
        ]);
        let dom = &t.get("assets/dom.js").unwrap().path;
        assert!(
            dom.starts_with("assets/dom.") && dom.ends_with(".js") && dom.len() == 22,
            "{dom}"
        );
        let glue = t.get("assets/wasm/eng.js").unwrap();
        let wasm = t.get("assets/wasm/eng_bg.wasm").unwrap();
        let stem = glue.path.strip_suffix(".js").unwrap();
        assert_eq!(wasm.path, format!("{stem}_bg.wasm"));
        let glue_text = String::from_utf8(glue.bytes.clone()).unwrap();
        let wasm_file = wasm.path.rsplit('/').next().unwrap();
        assert!(
            glue_text.contains(&format!("new URL('{wasm_file}'")),
            "{glue_text}"
        );
        // Not a file: the wasm module's import namespace stays as it is.
        assert!(glue_text.contains("\"./eng_bg.js\""), "{glue_text}");
        let forms = String::from_utf8(t.get("assets/forms.js").unwrap().bytes.clone()).unwrap();
        let dom_file = dom.rsplit('/').next().unwrap();
        assert!(forms.contains(&format!("from \"./{dom_file}\"")), "{forms}");
        assert!(
            forms.contains(&format!(
                "import(\"./wasm/{}\")",
                glue.path.rsplit('/').next().unwrap()
            )),
            "{forms}"
        );
        let css = String::from_utf8(t.get("assets/forms.css").unwrap().bytes.clone()).unwrap();
        let svg = t
            .get("assets/chart.svg")
            .unwrap()
            .path
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        assert!(css.contains(&format!("url({svg}#lv1)")), "{css}");

        // A change in dom.js renames forms.js, which imports it.
        let t2 = Table::new(vec![
            ("assets/dom.js".into(), b"export const x = 2;".as_slice()),
            (
                "assets/forms.js".into(),
                b"import { x } from \"./dom.js\"; import(\"./wasm/eng.js\");".as_slice(),
            ),
        ]);
        assert_ne!(
            t2.get("assets/forms.js").unwrap().path,
            t.get("assets/forms.js").unwrap().path
        );
    }

    #[test]
    fn every_reference_of_the_real_assets_is_to_a_hashed_name() {
        let t = table();
        for plain in t.plain_paths() {
            let a = t.get(plain).unwrap();
            assert_ne!(a.path, plain);
            let Ok(text) = std::str::from_utf8(&a.bytes) else {
                continue;
            };
            let left = references(&a.path, text, &|p| t.get(p).is_some());
            assert!(
                left.is_empty(),
                "{plain} still names {:?}",
                left.iter().map(|r| &r.target).collect::<Vec<_>>()
            );
        }
        assert!(url("forms.css").unwrap().starts_with("/assets/forms."));
        assert!(engine("wasm_forms_survey").starts_with("wasm_forms_survey."));
    }
}
