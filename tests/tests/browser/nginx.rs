//! The site on a real static host: nginx from Debian's packages, run unprivileged with a
//! configuration of its own on a free port, serving `dist/` under `/zjgyb/` with
//! `gzip_static on` (the site built with `base_url` ending in `/zjgyb/`). Every page,
//! and every script, stylesheet, image, wasm module and worker the pages name or
//! request, answers 200 inside the sub-path; a script is sent as its `.gz` copy; and an
//! answer given while the engine's wasm is held back survives a reload.

use super::common::*;
use serde_json::Value;
use site_tests::browser::{Browser, Options};
use site_tests::site;
use std::collections::{BTreeSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SUB: &str = "zjgyb";
const NGINX: &str = "/usr/sbin/nginx";

/// nginx serving `root` (which holds `zjgyb/`) on a free port; stopped when dropped.
struct Nginx {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Starts nginx in the foreground, one process (no master, so no user switch: it runs
/// as whoever runs the tests), its logs and temporary files in a folder of its own.
/// `hold_back_wasm`: the engines' `.wasm` files are sent at 1 byte a second.
fn nginx(root: &Path, hold_back_wasm: bool) -> Nginx {
    assert!(
        Path::new(NGINX).is_file(),
        "{NGINX} not found: the nginx test needs Debian's nginx package; run scripts/setup"
    );
    let dir = tempfile::Builder::new()
        .prefix("site-tests-nginx-")
        .tempdir()
        .unwrap();
    let port = free_port();
    let d = dir.path().display();
    let hold = if hold_back_wasm {
        format!("location ~ ^/{SUB}/assets/wasm/.*_bg\\.wasm$ {{ limit_rate 1; }}")
    } else {
        String::new()
    };
    let conf = format!(
        "daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {d}/access.log;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location /{SUB}/ {{
            gzip_static on;
            gzip_vary on;
            {hold}
        }}
        location ~ /\\. {{ deny all; }}
    }}
}}
",
        root = root.display()
    );
    let conf_path = dir.path().join("nginx.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let child = Command::new(NGINX)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf_path)
        .arg("-e")
        .arg(dir.path().join("error.log"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {NGINX}: {e}"));
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nginx did not listen on port {port}: {}",
            std::fs::read_to_string(dir.path().join("error.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Nginx {
        child,
        port,
        _dir: dir,
    }
}

/// Status line, head (lower case) and body of GET `path` from nginx.
fn get(port: u16, path: &str, accept: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let accept = accept.map_or(String::new(), |a| format!("Accept-Encoding: {a}\r\n"));
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{accept}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = Vec::new();
    let _ = c.read_to_end(&mut r);
    let at = r
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(r.len());
    let head = String::from_utf8_lossy(&r[..at]).to_lowercase();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, r.get(at + 4..).unwrap_or_default().to_vec())
}

/// The site URLs the current page names (links, stylesheets, scripts, images, module
/// preloads) and has requested (dynamic imports, the wasm), and its worker's script.
async fn urls_of(b: &Browser) -> Vec<(String, String)> {
    let v = b
        .js_async(
            "const done = arguments[arguments.length - 1];
             const named = Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'))
               .map(e => [e.tagName === 'A' ? 'a' : 'asset', e.href || e.src]);
             const requested = performance.getEntriesByType('resource').map(e => ['asset', e.name]);
             const sw = 'serviceWorker' in navigator
               ? navigator.serviceWorker.getRegistration().then(r => r && r.active ? [['asset', r.active.scriptURL]] : [])
               : Promise.resolve([]);
             sw.then(w => done(named.concat(requested, w))).catch(() => done(named.concat(requested)));",
            vec![],
        )
        .await
        .or_fail();
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        p.get(0)?.as_str()?.to_string(),
                        p.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn built_root() -> PathBuf {
    site::dist_under(SUB).or_fail()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_nginx_under_a_sub_path_every_page_and_file_answers_and_scripts_come_gzipped() {
    let root = built_root();
    let srv = nginx(&root, false);
    let b = Browser::start(&root, Options::default()).await.or_fail();
    let origin = format!("http://127.0.0.1:{}", srv.port);
    let prefix = format!("/{SUB}/");
    let mut queue: VecDeque<String> = VecDeque::from([prefix.clone()]);
    let mut pages: BTreeSet<String> = BTreeSet::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    while let Some(path) = queue.pop_front() {
        if !pages.insert(path.clone()) {
            continue;
        }
        b.client.goto(&format!("{origin}{path}")).await.unwrap();
        // The form pages: wait for their engine, so that what they load is requested.
        let _ = b
            .wait_until(
                "!document.querySelector('[data-form-id], [data-collect]') || document.querySelector('[data-form-id].is-ready, [data-collect].is-ready')",
                Duration::from_secs(20),
                "the page's engine",
            )
            .await;
        for (kind, url) in urls_of(&b).await {
            let Some(rest) = url.strip_prefix(&origin) else {
                assert!(kind == "a", "{path} loads {url}, not from the site");
                continue;
            };
            let file = rest.split(['#', '?']).next().unwrap_or("").to_string();
            assert!(
                file.starts_with(&prefix),
                "{path} names {file}, outside {prefix}"
            );
            if kind == "a" && (file.ends_with('/') || file.ends_with(".html")) {
                queue.push_back(file);
            } else {
                files.insert(file);
            }
        }
    }
    for page in &pages {
        let (status, head, _) = get(srv.port, page, None);
        assert_eq!(status, 200, "{page}: {head}");
    }
    let mut kinds = BTreeSet::new();
    for f in &files {
        let (status, head, _) = get(srv.port, f, None);
        assert_eq!(status, 200, "{f}: {head}");
        for ext in [".js", ".css", ".wasm", "sw.js", ".svg"] {
            if f.ends_with(ext) {
                kinds.insert(ext);
            }
        }
    }
    assert!(pages.len() > 30, "{} pages reached", pages.len());
    assert_eq!(
        kinds.len(),
        5,
        "scripts, stylesheets, wasm, the worker and images all seen: {kinds:?}"
    );

    // A script is sent as its .gz copy to a browser that accepts gzip.
    let script = files
        .iter()
        .find(|f| f.contains("/assets/forms.") && f.ends_with(".js"))
        .expect("forms.js requested");
    let (status, head, body) = get(srv.port, script, Some("gzip"));
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    let on_disk = root.join(script.trim_start_matches('/'));
    assert_eq!(
        body,
        std::fs::read(format!("{}.gz", on_disk.display())).unwrap(),
        "not the build's .gz copy"
    );
    // The manifest is not served.
    let (status, _, _) = get(srv.port, &format!("{prefix}.site-gen"), None);
    assert_eq!(status, 403);
    b.finish().await.or_fail();
}

/// The survey's draft is saved before the engine has loaded (`draft.js`), so an answer
/// given on a slow host survives a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_nginx_an_answer_given_while_the_engine_is_held_back_survives_a_reload() {
    let root = built_root();
    let srv = nginx(&root, true);
    let b = Browser::start(
        &root,
        Options {
            mobile_width: Some(360),
        },
    )
    .await
    .or_fail();
    let url = format!("http://127.0.0.1:{}/{SUB}/forms/wenzhou-survey/", srv.port);
    b.client.goto(&url).await.unwrap();
    let first: Value = b
        .js(
            "const r = document.querySelector('.form-app input[type=radio]');
             r.click();
             return [r.name, r.value, document.querySelector('.form-app.is-ready') === null];",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(first[2], Value::Bool(true), "the engine was not held back");
    let (name, value) = (first[0].as_str().unwrap(), first[1].as_str().unwrap());
    b.client.goto(&url).await.unwrap();
    b.wait_until(
        &format!(
            "(() => {{ const r = document.querySelector('.form-app input[type=radio][name=\"{name}\"][value=\"{value}\"]'); return !!r && r.checked; }})()"
        ),
        Duration::from_secs(10),
        "the answer given before the engine loaded, after a reload",
    )
    .await
    .or_fail();
    b.finish().await.or_fail();
}
