//! What a build ships for a static host: `static/` copied as it is, asset names that
//! carry a hash of their content, and a `.gz` copy beside every text or wasm file over
//! 1 KB (and a smaller `.br` beside the hashed shared assets), which `serve` answers with
//! when the browser accepts them.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use site_gen::output::precompress::{gunzip, unbrotli};

use crate::support::{build, check, code, stderr, tree, Fixture};

fn manifest(out: &Path) -> BTreeSet<String> {
    fs::read_to_string(out.join(".site-gen"))
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn static_files_are_copied_as_they_are_and_are_the_builds_own() {
    let logo = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>";
    let f = Fixture::new("basic")
        .file("static/CNAME", "training.example.gov.cn\n")
        .file("static/robots.txt", "User-agent: *\nAllow: /\n")
        .file("static/img/logo.svg", logo);
    let out = f.root().join("dist");
    let first = build(&f.content(), &out);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "training.example.gov.cn\n"
    );
    assert_eq!(fs::read_to_string(out.join("img/logo.svg")).unwrap(), logo);
    let listed = manifest(&out);
    for p in ["CNAME", "robots.txt", "img/logo.svg"] {
        assert!(listed.contains(p), "{p} is not the build's own: {listed:?}");
    }
    // A second build replaces them (no "foreign files" refusal); one removed from
    // static/ is gone from the output.
    fs::remove_file(f.root().join("static/robots.txt")).unwrap();
    fs::write(f.root().join("static/CNAME"), "new.example.gov.cn\n").unwrap();
    let second = build(&f.content(), &out);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert!(!out.join("robots.txt").exists());
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "new.example.gov.cn\n"
    );
}

#[test]
fn a_static_file_named_as_a_generated_one_is_an_error_naming_both() {
    let f = Fixture::new("basic")
        .file("static/sitemap.xml", "<urlset/>")
        .file("static/index.html.gz", "x")
        .file("static/CNAME", "a.example.gov.cn");
    let out = f.root().join("dist");
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("static/sitemap.xml")
            && err.contains("which the build writes itself (sitemap.xml)"),
        "{err}"
    );
    assert!(
        err.contains("static/index.html.gz") && err.contains("precompressed copy"),
        "{err}"
    );
    assert!(!out.exists(), "a failed build wrote the output");
    // check says the same.
    let c = check(&f.content());
    assert_eq!(code(&c), 1);
    assert!(stderr(&c).contains("static/sitemap.xml"), "{}", stderr(&c));
}

#[cfg(unix)]
#[test]
fn a_static_symlink_leading_out_of_the_site_is_refused() {
    let f = Fixture::new("basic");
    let secret = tempfile::NamedTempFile::new().unwrap();
    fs::create_dir_all(f.root().join("static")).unwrap();
    std::os::unix::fs::symlink(secret.path(), f.root().join("static/notes.txt")).unwrap();
    std::os::unix::fs::symlink("/nowhere/x", f.root().join("static/gone.txt")).unwrap();
    let o = build(&f.content(), &f.root().join("dist"));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("static/notes.txt") && err.contains("outside the site's folder"),
        "{err}"
    );
    assert!(
        err.contains("static/gone.txt") && err.contains("does not exist"),
        "{err}"
    );
}

/// The root-absolute `href`/`src` values of a page that name files under `/assets/`.
fn asset_links(html: &str, root: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len()..];
            let value = &rest[..rest.find('"').unwrap()];
            if let Some(p) = value
                .strip_prefix(root)
                .filter(|p| p.starts_with("assets/"))
            {
                out.push(p.to_string());
            }
        }
    }
    out
}

/// Whether a file name carries an 8-hex-digit hash (`forms.3f9a1c2b.js`,
/// `x.3f9a1c2b_bg.wasm`).
fn hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap();
    name.split(['.', '_'])
        .any(|part| part.len() == 8 && part.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[test]
fn every_asset_a_page_links_carries_a_content_hash_and_is_written() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files = tree(&out);
    let mut pages = 0;
    let mut linked = BTreeSet::new();
    for (path, bytes) in &files {
        if path.extension().is_some_and(|e| e == "html") {
            pages += 1;
            // The fixture's base_url is https://example.org/training/.
            for a in asset_links(&String::from_utf8_lossy(bytes), "/training/") {
                assert!(hashed(&a), "{}: {a} has no content hash", path.display());
                assert!(
                    files.contains_key(Path::new(&a)),
                    "{}: {a} is not written",
                    path.display()
                );
                linked.insert(a);
            }
        }
    }
    assert!(pages > 5 && linked.len() >= 4, "{pages} pages, {linked:?}");
    // No asset is written under its plain name, and a module names the others by
    // their hashed names.
    for p in files.keys() {
        let p = p.to_string_lossy();
        if p.starts_with("assets/") && !p.ends_with(".gz") && !p.ends_with(".br") {
            assert!(hashed(&p), "{p} is written without a hash");
        }
    }
    let forms = files
        .iter()
        .find(|(p, _)| {
            let p = p.to_string_lossy();
            p.starts_with("assets/forms.") && p.ends_with(".js")
        })
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("forms.js is written");
    assert!(
        !forms.contains("\"./dom.js\""),
        "forms.js imports the plain dom.js"
    );
    let dom = files
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .find(|p| p.starts_with("assets/dom.") && p.ends_with(".js"))
        .unwrap();
    assert!(
        forms.contains(&format!("./{}", &dom["assets/".len()..])),
        "forms.js does not import {dom}"
    );
}

#[test]
fn compressed_copies_decode_to_the_original_and_are_the_builds_own() {
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let files = tree(&out);
    let listed = manifest(&out);
    let mut copies = 0;
    let mut wasm = 0;
    let mut brotli = 0;
    for (path, bytes) in &files {
        let p = path.to_string_lossy().into_owned();
        if p == ".site-gen" || p.ends_with(".gz") || p.ends_with(".br") {
            continue;
        }
        let text_or_wasm = ["html", "css", "js", "json", "xml", "svg", "csv", "wasm"]
            .iter()
            .any(|e| p.ends_with(&format!(".{e}")));
        let gz = files.get(Path::new(&format!("{p}.gz")));
        let br = files.get(Path::new(&format!("{p}.br")));
        if text_or_wasm && bytes.len() > 1024 {
            let gz = gz.unwrap_or_else(|| panic!("no {p}.gz"));
            assert_eq!(&gunzip(gz).unwrap(), bytes, "{p}.gz");
            assert!(gz.len() < bytes.len(), "{p}");
            assert!(listed.contains(&format!("{p}.gz")), "{p}");
            // The hashed shared assets get brotli's highest level too, smaller than
            // their gzip; pages get none (at the levels a build can afford per page,
            // brotli comes out larger than the gzip).
            if site_gen::render::assets::is_hashed(&p) {
                let br = br.unwrap_or_else(|| panic!("no {p}.br"));
                assert_eq!(&unbrotli(br).unwrap(), bytes, "{p}.br");
                assert!(br.len() < gz.len(), "{p}.br is no smaller than its .gz");
                assert!(listed.contains(&format!("{p}.br")), "{p}");
                brotli += 1;
            } else {
                assert!(br.is_none(), "{p} got a .br");
            }
            copies += 1;
            wasm += usize::from(p.ends_with(".wasm"));
        } else {
            assert!(
                gz.is_none() && br.is_none(),
                "{p} ({} bytes) got a compressed copy",
                bytes.len()
            );
        }
    }
    assert!(
        copies > 20 && wasm >= 5 && brotli >= 5,
        "{copies} copies, {wasm} wasm, {brotli} brotli"
    );
    // The next build replaces them: they are not foreign files.
    let again = build(&f.content(), &out);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(
        tree(&out),
        files,
        "a second build of the same content differs"
    );
}

#[test]
fn a_rebuild_takes_over_the_copies_of_unchanged_pages_but_not_a_copy_of_other_bytes() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new("basic");
    let out = f.root().join("dist");
    let o = build(&f.content(), &out);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let mut pages: Vec<String> = tree(&out)
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".html") && out.join(format!("{p}.gz")).exists())
        .collect();
    pages.sort();
    assert!(pages.len() >= 3, "{pages:?}");
    let (kept, spoiled, edited) = (&pages[0], &pages[1], &pages[2]);
    let inode = |p: &str| fs::metadata(out.join(p)).unwrap().ino();
    let kept_inodes = (inode(kept), inode(&format!("{kept}.gz")));
    // A .gz that is not of its page's bytes (say, edited by hand): remade, not taken over.
    let other = site_gen::output::precompress::gzip(b"<p>another page</p>", 6);
    fs::write(out.join(format!("{spoiled}.gz")), other).unwrap();
    // A page edited by hand, its length and its copies as they were: written again.
    let rendered = fs::read(out.join(edited)).unwrap();
    let mut changed = rendered.clone();
    let at = changed.len() / 2;
    changed[at] = if changed[at] == b'x' { b'y' } else { b'x' };
    fs::write(out.join(edited), &changed).unwrap();

    let again = build(&f.content(), &out);
    assert_eq!(code(&again), 0, "{}", stderr(&again));
    assert_eq!(
        (inode(kept), inode(&format!("{kept}.gz"))),
        kept_inodes,
        "an unchanged page or its copies were made again"
    );
    assert_eq!(fs::read(out.join(edited)).unwrap(), rendered, "{edited}");
    let gz = fs::read(out.join(format!("{edited}.gz"))).unwrap();
    assert_eq!(gunzip(&gz).unwrap(), rendered, "{edited}.gz");
    let page = fs::read(out.join(spoiled)).unwrap();
    let gz = fs::read(out.join(format!("{spoiled}.gz"))).unwrap();
    assert_eq!(gunzip(&gz).unwrap(), page, "{spoiled}.gz was taken over");
}

#[test]
fn an_override_linking_an_unhashed_asset_gets_a_warning_from_check() {
    let base =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
            .unwrap()
            .replace("{{ asset_url(path=\"style.css\") }}", "/assets/style.css");
    let f = Fixture::new("basic").file("templates/base.html", &base);
    let o = check(&f.content());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("templates/base.html:")
            && err.contains("/assets/style.css")
            && err.contains("asset_url(path=\"style.css\")"),
        "{err}"
    );
    // The embedded templates get none.
    let plain = check(&Fixture::new("basic").content());
    assert!(!stderr(&plain).contains("asset_url"), "{}", stderr(&plain));
}

/// `site-gen serve` on a free port; stopped when dropped.
struct Serve(std::process::Child, String);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(f: &Fixture) -> Serve {
    let (child, addr) = crate::support::serve(f);
    Serve(child, addr)
}

/// The head (lower-case names) and body of the answer to GET `path`.
fn get(addr: &str, path: &str, accept: Option<&str>) -> (String, Vec<u8>) {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let accept = accept.map_or(String::new(), |a| format!("Accept-Encoding: {a}\r\n"));
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{accept}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = Vec::new();
    let _ = c.read_to_end(&mut r);
    let at = r.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&r[..at]).to_lowercase();
    let mut body = r[at + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = unchunk(&body);
    }
    (head, body)
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
}

#[test]
fn serve_answers_with_the_compressed_copy_the_browser_accepts() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let out = f.root().join("dist");
    let files = tree(&out);
    let (css, plain) = files
        .iter()
        .find(|(p, b)| {
            let p = p.to_string_lossy();
            p.starts_with("assets/style.") && p.ends_with(".css") && b.len() > 1024
        })
        .map(|(p, b)| (p.to_string_lossy().into_owned(), b.clone()))
        .unwrap();
    let url = format!("/training/{css}");
    let (head, body) = get(&srv.1, &url, Some("gzip, deflate, br"));
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-encoding: br"), "{head}");
    assert!(head.contains("vary: accept-encoding"), "{head}");
    assert_eq!(unbrotli(&body).unwrap(), plain);
    let (head, body) = get(&srv.1, &url, Some("gzip"));
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(gunzip(&body).unwrap(), plain);
    let (head, body) = get(&srv.1, &url, None);
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(body, plain);
    // A page: served from its compressed copy with the live-reload script put in; a
    // browser that prefers brotli gets the gzip, as a host does where there is no .br.
    let (head, body) = get(&srv.1, "/training/", Some("gzip, deflate, br"));
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let html = String::from_utf8(gunzip(&body).unwrap()).unwrap();
    assert!(
        html.contains("<script src=\"/assets/livereload.js\"></script></body>"),
        "{html}"
    );
    let on_disk = String::from_utf8(files[Path::new("index.html")].clone()).unwrap();
    assert_eq!(
        html.replace("<script src=\"/assets/livereload.js\"></script>", ""),
        on_disk
    );
}
