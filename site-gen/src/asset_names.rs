//! Cache-safe asset names, the pure part: from the embedded assets' bytes, the name each
//! is written under (`assets/forms.3f9a1c2b.js`) and its bytes with every reference to
//! another asset rewritten to that asset's hashed name. No knowledge of the site or of
//! the disk: `site-gen`'s build script includes this very file to make the assets'
//! compressed copies when the binary is compiled, and [`crate::render::assets`] builds
//! its table with it when a build runs, so both name every asset alike.
//!
//! A file's references to other assets (a module's `import "./dom.js"`, wasm-bindgen's
//! `new URL('x_bg.wasm', import.meta.url)`, a stylesheet's `url(chart-patterns.svg#lv1)`)
//! are rewritten to the hashed names first, and the hash is taken of the result, so a
//! change in `dom.js` renames every module that imports it. A wasm-bindgen bundle
//! (`wasm/<stem>.js` with `wasm/<stem>_bg.wasm`) shares one hash of the two, so that a
//! page that names the hashed stem (`data-engine`) finds both.

use std::collections::{BTreeMap, HashMap};

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

/// Eight hex digits of a CRC-32 of `parts`, one after the other: the version in a
/// hashed asset's name and the search index's folder.
pub fn hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
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
pub struct Reference {
    pub start: usize,
    pub end: usize,
    pub target: String,
}

/// The references of the file at `path` (its text `text`) to files of `known`: quoted
/// strings and `url(…)` values naming them, relative to the file's folder or from the
/// site's root.
pub fn references(path: &str, text: &str, known: &dyn Fn(&str) -> bool) -> Vec<Reference> {
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
        let target = resolve(dir, name);
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
    pub fn new(sources: Vec<(String, &[u8])>) -> Table {
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

/// `name` as a path under `dist/`, named from a file in the folder `dir` (`assets/`).
pub fn resolve(dir: &str, name: &str) -> String {
    if let Some(abs) = name.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in name.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
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
}
