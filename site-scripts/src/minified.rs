//! The minified copies of the browser scripts: which scripts have one, the line each copy
//! opens with, and whether a copy still belongs to its source.
//!
//! `scripts/minify` (terser, pinned in tests/package.json) writes `site-gen/assets/X.min.js`
//! beside each readable `site-gen/assets/X.js` of [`SCRIPTS`]; the copy's first line is
//! [`header`] of the source's bytes. This crate's build script compiles this file too
//! (`#[path]`): it embeds a copy's [`body`] only while [`is_fresh`] holds, and the readable
//! source otherwise, so a forgotten `scripts/minify` costs bytes, never behaviour. No I/O.

/// The scripts under `site-gen/assets/` that have a minified copy (the list of
/// `scripts/minify`, which also says how each is loaded). `livereload.js` runs only under
/// `site-gen serve` and stays as written.
pub const SCRIPTS: &[&str] = &[
    "forms.js",
    "draft.js",
    "forms-score.js",
    "dom.js",
    "forms-xlsx.js",
    "forms-xlsx-read.js",
    "handin.js",
    "collect.js",
    "offline.js",
    "offline-worker.js",
    "prefs.js",
    "filter.js",
    "search.js",
    "match.js",
];

/// The command that refreshes the copies, for messages.
pub const COMMAND: &str = "scripts/minify";

/// `forms.js` → `forms.min.js`.
pub fn min_name(name: &str) -> String {
    match name.strip_suffix(".js") {
        Some(stem) => format!("{stem}.min.js"),
        None => format!("{name}.min.js"),
    }
}

/// The first line of `name`'s minified copy (newline included): the source's name,
/// length and CRC-32 (IEEE, as zlib computes it), as `scripts/minify` writes it.
pub fn header(name: &str, source: &[u8]) -> String {
    format!(
        "// minified from {name} ({} bytes, CRC-32 {:08x}) by {COMMAND}: edit {name}, not this file\n",
        source.len(),
        crc32fast::hash(source)
    )
}

/// Whether `min` is a copy made from exactly these `source` bytes.
pub fn is_fresh(name: &str, source: &[u8], min: &[u8]) -> bool {
    min.starts_with(header(name, source).as_bytes())
}

/// A copy without its first line: the code as served.
pub fn body(min: &str) -> &str {
    min.split_once('\n').map_or("", |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_fresh_only_for_its_own_source_bytes() {
        let source = b"export function el() {}\n";
        let min = format!("{}export function el(){{}}\n", header("dom.js", source));
        assert!(is_fresh("dom.js", source, min.as_bytes()));
        assert!(!is_fresh(
            "dom.js",
            b"export function el() { }\n",
            min.as_bytes()
        ));
        // Same length, one byte changed: only the checksum tells.
        assert!(!is_fresh(
            "dom.js",
            b"export function El() {}\n",
            min.as_bytes()
        ));
        assert!(!is_fresh("forms.js", source, min.as_bytes()));
        assert!(!is_fresh("dom.js", source, b"export function el(){}\n"));
        assert_eq!(body(&min), "export function el(){}\n");
    }

    #[test]
    fn the_header_names_the_source_and_its_checksum() {
        // CRC-32 of "123456789" is the algorithm's check value, cbf43926.
        assert_eq!(
            header("x.js", b"123456789"),
            "// minified from x.js (9 bytes, CRC-32 cbf43926) by scripts/minify: edit x.js, not this file\n"
        );
        assert_eq!(min_name("forms-score.js"), "forms-score.min.js");
    }
}
