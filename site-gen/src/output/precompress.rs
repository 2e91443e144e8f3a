//! Precompressed output: beside every text or wasm file of a build over [`MIN_SIZE`]
//! bytes, a `.gz` (gzip) of the same bytes, and a `.br` (brotli) where brotli is the
//! smaller, which static hosts serve in its place to a browser that accepts them
//! (nginx's `gzip_static`, Caddy's `precompressed`, object-storage CDNs; each falls back
//! to the `.gz` where there is no `.br`) and `site-gen serve` does too.
//!
//! Levels keep a build's speed: pages and other per-build files get gzip at
//! [`PAGE_GZIP`] (libdeflate, twice zlib's speed at a smaller size) and no `.br`, since
//! brotli at the qualities a build can afford per page (0–3) comes out larger than that
//! gzip (docs/benchmarks.md, "Precompressed output"); the shared assets, whose names
//! carry a content hash (see [`crate::render::assets`]) and which every page loads, get
//! the highest levels of both, compressed once when `site-gen` itself is compiled (its
//! build script), so a build only writes them. The copies are the build's own files:
//! listed in its manifest, replaced and removed with the files they are made from.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::fsx::FsError;
use crate::render::{OutputFile, Sink};

/// Files this size or smaller are not worth a compressed copy.
pub const MIN_SIZE: usize = 1024;
/// gzip level of pages and other per-build files (libdeflate's 1–12).
pub const PAGE_GZIP: u32 = 1;
/// brotli quality of a page that `serve` encodes again (one from the `.br` of an
/// earlier build's output, with the live-reload script put in).
pub const SERVE_BROTLI: u32 = 2;
/// gzip level and brotli quality of a hashed shared asset whose copies were not made
/// when the binary was compiled (the build script makes them at libdeflate's 12 and
/// brotli's 11, [`crate::render::assets::copies`]).
pub const ASSET_GZIP: u32 = 9;
pub const ASSET_BROTLI: u32 = 9;

/// The extensions given compressed copies: text of the site, and WebAssembly.
const COMPRESSIBLE: &[&str] = &[
    "html",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "svg",
    "txt",
    "csv",
    "wasm",
    "map",
    "md",
    "webmanifest",
    "ics",
];

/// The encodings written, as (file suffix, `Content-Encoding`), in the order a server
/// prefers them.
pub const ENCODINGS: [(&str, &str); 2] = [(".br", "br"), (".gz", "gzip")];

/// Whether a file at `path` of `len` bytes gets compressed copies.
pub fn compressible(path: &str, len: usize) -> bool {
    len > MIN_SIZE
        && path
            .rsplit_once('.')
            .is_some_and(|(_, ext)| COMPRESSIBLE.contains(&ext.to_ascii_lowercase().as_str()))
}

/// gzip of `bytes` at `level` (libdeflate's 0–12, larger clamped), without a file name
/// or time (the same bytes every build). Each thread keeps one compressor per level.
pub fn gzip(bytes: &[u8], level: u32) -> Vec<u8> {
    thread_local! {
        static COMPRESSORS: std::cell::RefCell<HashMap<u32, libdeflater::Compressor>> =
            std::cell::RefCell::default();
    }
    let level = level.min(12);
    COMPRESSORS.with(|c| {
        let mut c = c.borrow_mut();
        let c = c.entry(level).or_insert_with(|| {
            // In 0..=12, which libdeflate takes.
            let lvl = libdeflater::CompressionLvl::new(level as i32).unwrap_or_default();
            libdeflater::Compressor::new(lvl)
        });
        let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
        // The bound is enough by libdeflate's own measure: an error cannot happen.
        let n = c.gzip_compress(bytes, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    })
}

/// brotli of `bytes` at `quality`; up to quality 4 with a window just large enough
/// for them: a larger one only costs the encoder memory to allocate and clear (on
/// pages of a few KB, most of its time).
pub fn brotli(bytes: &[u8], quality: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    // 2^lgwin - 16 bytes of window (the format's least is 10, its most 24). From
    // quality 5 up a small window makes the encoder far slower (measured: 1 MB/s at 5
    // on pages of a few KB), so those keep 22.
    let lgwin = if quality <= 4 {
        (usize::BITS - (bytes.len() + 16).leading_zeros()).clamp(10, 24)
    } else {
        22
    };
    let params = brotli::enc::BrotliEncoderParams {
        quality: quality as i32,
        lgwin: lgwin as i32,
        size_hint: bytes.len(),
        ..Default::default()
    };
    let mut input = bytes;
    // Reading a slice and writing a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

/// The bytes of a gzip stream, if it is one.
pub fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// Makes `page` the build's bytes again from its own `.gz` copy, in a new file: the page
/// was taken over from the previous output by a hard link and that file was then written
/// in place. False when there is no copy or it is not a whole gzip of some bytes (gzip's
/// trailer checks them).
pub fn restore_from_copy(page: &Path) -> bool {
    let mut gz = page.as_os_str().to_owned();
    gz.push(".gz");
    let Some(bytes) = std::fs::read(&gz).ok().and_then(|b| gunzip(&b)) else {
        return false;
    };
    let mut tmp = page.as_os_str().to_owned();
    tmp.push(".site-gen-restore");
    let tmp = PathBuf::from(tmp);
    let ok = std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, page).is_ok();
    if !ok {
        let _ = std::fs::remove_file(&tmp);
    }
    ok
}

/// The bytes of a brotli stream, if it is one.
pub fn unbrotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// A sink that passes every file on to `inner` with its compressed copies.
pub struct Precompress<'a> {
    inner: &'a dyn Sink,
    /// The previous output (an unchanged page's copies are taken over, and a kept
    /// file's copies are kept when they are there).
    previous: Option<PathBuf>,
    /// False with `SITE_GEN_NO_PRECOMPRESS` set: files pass through as they are (only to
    /// measure what the copies cost, docs/benchmarks.md).
    enabled: bool,
}

impl<'a> Precompress<'a> {
    /// `previous`: the output folder this build replaces or updates. Only an earlier
    /// build's output (its manifest there) is looked in: a build into an empty or new
    /// folder then asks nothing of the file system for each page.
    pub fn new(inner: &'a dyn Sink, previous: Option<&Path>) -> Self {
        Precompress {
            inner,
            previous: previous
                .filter(|d| d.join(super::target::MANIFEST).is_file())
                .map(Path::to_path_buf),
            enabled: std::env::var_os("SITE_GEN_NO_PRECOMPRESS").is_none(),
        }
    }

    /// The copies of a hashed asset: those made when the binary was compiled, else
    /// (an asset the build script did not list, which a test forbids) made now.
    fn asset(path: &str, bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
        match crate::render::assets::copies(path, bytes.len()) {
            Some((gz, br)) => (gz.to_vec(), br.to_vec()),
            None => (gzip(bytes, ASSET_GZIP), brotli(bytes, ASSET_BROTLI)),
        }
    }
}

impl Precompress<'_> {
    /// The previous output's copies of the file at `path` when that file holds these
    /// very bytes: the copies of a page that did not change are taken over instead of
    /// made again. Its `.gz` must be there and end with the CRC-32 and length of
    /// `bytes` (gzip's trailer, so a copy that is not of these bytes is never taken);
    /// the `.br` is written or taken with it. Also gives the previous output's file.
    fn previous_copies(
        &self,
        path: &str,
        bytes: &[u8],
    ) -> Option<(PathBuf, Vec<(String, PathBuf)>)> {
        let dir = self.previous.as_ref()?;
        let is_file_of = |p: &Path, len: Option<u64>| {
            std::fs::symlink_metadata(p)
                .is_ok_and(|m| m.is_file() && len.is_none_or(|l| m.len() == l))
        };
        let gz = dir.join(format!("{path}.gz"));
        let br = dir.join(format!("{path}.br"));
        let page = dir.join(path);
        if !is_file_of(&gz, None) || !is_file_of(&page, Some(bytes.len() as u64)) {
            return None;
        }
        if std::fs::read(&page).ok()? != bytes {
            return None;
        }
        let mut trailer = [0u8; 8];
        let mut f = std::fs::File::open(&gz).ok()?;
        f.seek(SeekFrom::End(-8)).ok()?;
        f.read_exact(&mut trailer).ok()?;
        let mut want = crc32fast::hash(bytes).to_le_bytes().to_vec();
        want.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        if trailer[..] != want[..] {
            return None;
        }
        let mut found = vec![(format!("{path}.gz"), gz)];
        if is_file_of(&br, None) {
            found.push((format!("{path}.br"), br));
        }
        Some((page, found))
    }
}

impl Sink for Precompress<'_> {
    fn put(&self, file: OutputFile) -> Result<(), FsError> {
        if !self.enabled || !compressible(&file.path, file.bytes.len()) {
            return self.inner.put(file);
        }
        let (gz, br) = if crate::render::assets::is_hashed(&file.path) {
            Self::asset(&file.path, &file.bytes)
        } else {
            if let Some((page, copies)) = self.previous_copies(&file.path, &file.bytes) {
                let mut reused = true;
                for (path, from) in &copies {
                    reused = reused && self.inner.reuse(path, from)?;
                }
                if reused {
                    // The page too: its bytes are the previous output's file's, so it is
                    // linked rather than written again (and keeps its modification time).
                    if self.inner.reuse(&file.path, &page)? {
                        return Ok(());
                    }
                    return self.inner.put(file);
                }
            }
            (gzip(&file.bytes, PAGE_GZIP), Vec::new())
        };
        let path = file.path.clone();
        let len = file.bytes.len();
        self.inner.put(file)?;
        // A copy no smaller than the file is not worth serving: hosts then send the file;
        // nor a .br no smaller than the .gz, which hosts then send instead.
        let gz_len = gz.len();
        if !br.is_empty() && br.len() < len.min(gz_len) {
            self.inner.put(OutputFile::new(format!("{path}.br"), br))?;
        }
        if gz_len > 0 && gz_len < len {
            self.inner.put(OutputFile::new(format!("{path}.gz"), gz))?;
        }
        Ok(())
    }

    fn keep(&self, path: &str) -> Result<(), FsError> {
        self.inner.keep(path)?;
        for (ext, _) in ENCODINGS {
            let copy = format!("{path}{ext}");
            let there = self
                .previous
                .as_ref()
                .is_some_and(|d| std::fs::symlink_metadata(d.join(&copy)).is_ok());
            if there {
                self.inner.keep(&copy)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_decode_to_the_original_and_small_or_binary_files_get_none() {
        let text = "<p>培训班</p>\n".repeat(200);
        for level in [1, 6, 9] {
            assert_eq!(
                gunzip(&gzip(text.as_bytes(), level)).unwrap(),
                text.as_bytes()
            );
        }
        for q in [1, 5, 11] {
            assert_eq!(
                unbrotli(&brotli(text.as_bytes(), q)).unwrap(),
                text.as_bytes()
            );
        }
        assert!(compressible("a/index.html", 2000));
        assert!(compressible("assets/wasm/x.1234abcd_bg.wasm", 2000));
        assert!(!compressible("a/index.html", 1024));
        assert!(!compressible("n/list.xlsx", 50_000));
        assert!(!compressible("logo.png", 50_000));
        // The same bytes every build.
        assert_eq!(gzip(text.as_bytes(), 6), gzip(text.as_bytes(), 6));
    }
}
