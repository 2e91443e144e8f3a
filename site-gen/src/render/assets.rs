//! Cache-safe asset names: every script, stylesheet, image and wasm module a page loads
//! is written under a name that carries a hash of its content (`assets/forms.3f9a1c2b.js`),
//! so that a browser or a CDN may keep it for good and a redeploy can never mix an old
//! file with a new page.
//!
//! The embedded assets are known at compile time, so the table is made once per process
//! from their bytes by [`crate::asset_names`], which says how names and references are
//! made; the build script made the same table when the binary was compiled, with each
//! asset's compressed copies ([`copies`]).
//!
//! Templates link assets with the tera function `asset_url(path="forms.css")`; a page
//! built from Rust uses [`url`]. Rendering passes every asset through [`output`], which
//! gives its hashed path and rewritten bytes. A user's template override that still links
//! an unhashed path (`/assets/forms.css`) gets a warning from `check` and `build`
//! ([`override_warnings`]). The service worker (`sw.js`) keeps its name: a browser looks
//! for a new worker at the same address.

use std::collections::HashMap;
use std::sync::OnceLock;

pub(crate) use crate::asset_names::hash;
pub use crate::asset_names::{Asset, Table};

/// The embedded assets by plain path, as the renderers write them.
fn sources() -> Vec<(String, &'static [u8])> {
    super::embedded::all()
}

/// The table of this binary's assets.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::new(sources()))
}

/// An asset's compressed copies made at compile time: (gzip, brotli).
type Copies = (&'static [u8], &'static [u8]);

/// The compressed copies (gzip, brotli) of the hashed asset at `path`, of `len` bytes,
/// made when the binary was compiled (an empty one where it is not smaller than the
/// asset); `None` for any other file.
pub fn copies(path: &str, len: usize) -> Option<Copies> {
    static BY_PATH: OnceLock<HashMap<&'static str, Copies>> = OnceLock::new();
    let by_path = BY_PATH.get_or_init(|| {
        super::embedded::ASSET_COPIES
            .iter()
            .map(|&(p, gz, br)| (p, (gz, br)))
            .collect()
    });
    // The name carries a hash of the bytes; the length is checked too.
    by_path.get(path).copied().filter(|_| {
        table()
            .by_hashed_path(path)
            .is_some_and(|a| a.bytes.len() == len)
    })
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
    table().by_hashed_path(path).is_some()
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
    use crate::asset_names::references;

    #[test]
    fn every_hashed_asset_has_the_copies_made_at_compile_time() {
        use crate::output::precompress::{compressible, gunzip, unbrotli};
        let t = table();
        let mut with = 0;
        for plain in t.plain_paths() {
            let a = t.get(plain).unwrap();
            let copies = copies(&a.path, a.bytes.len());
            if !compressible(&a.path, a.bytes.len()) {
                assert!(copies.is_none(), "{plain} is too small for copies");
                continue;
            }
            let (gz, br) = copies.unwrap_or_else(|| {
                panic!("{plain}: no compressed copies from build.rs: list it in ASSET_FILES or ASSET_SCRIPTS")
            });
            assert!(!gz.is_empty() && gz.len() < a.bytes.len(), "{plain}: gzip");
            assert_eq!(gunzip(gz).unwrap(), a.bytes, "{plain}: gzip");
            if !br.is_empty() {
                assert!(br.len() < gz.len(), "{plain}: brotli");
                assert_eq!(unbrotli(br).unwrap(), a.bytes, "{plain}: brotli");
                with += 1;
            }
        }
        // The engines and the large scripts at least.
        assert!(with >= 12, "{with} assets with a brotli copy");
        // Nothing the build script made is left out of the table.
        for (path, _, _) in super::super::embedded::ASSET_COPIES {
            assert!(t.by_hashed_path(path).is_some(), "{path} is not an asset");
        }
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
