//! A small threaded static file server on 127.0.0.1 for the built `dist/`.
//!
//! It answers GET and HEAD with the right MIME types (`application/wasm` included), maps
//! `/dir/` to `/dir/index.html`, serves `404.html` with status 404 for missing files, and
//! records the path of every request so that tests can compare what the page asked for
//! with what it was expected to ask for. [`StaticServer::set_offline`] makes it drop
//! every connection unanswered, as a classroom's lost Wi-Fi would, and
//! [`StaticServer::hold`] keeps the answers to some files back until released, as a
//! slow network keeps a large file. [`StaticServer::set_precompressed`] makes it answer
//! with the `.br` or `.gz` copy beside a file when the browser accepts it, as nginx's
//! `gzip_static` and the hosts in the deploying guide do.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// A running server; it stops when dropped.
pub struct StaticServer {
    origin: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    offline: Arc<AtomicBool>,
    held: Arc<Mutex<Vec<String>>>,
    precompressed: Arc<AtomicBool>,
    port: u16,
}

impl StaticServer {
    /// Serves `root` on a free port of 127.0.0.1.
    pub fn start(root: &Path) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let port = listener.local_addr()?.port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let offline = Arc::new(AtomicBool::new(false));
        let held = Arc::new(Mutex::new(Vec::new()));
        let precompressed = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            let offline = Arc::clone(&offline);
            let held = Arc::clone(&held);
            let precompressed = Arc::clone(&precompressed);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    if offline.load(Ordering::SeqCst) {
                        continue;
                    }
                    let root = root.clone();
                    let requests = Arc::clone(&requests);
                    let offline = Arc::clone(&offline);
                    let held = Arc::clone(&held);
                    let pre = precompressed.load(Ordering::SeqCst);
                    thread::spawn(move || {
                        let _ = handle(stream, &root, &requests, &offline, &held, pre);
                    });
                }
            });
        }
        Ok(Self {
            origin: format!("http://127.0.0.1:{port}"),
            requests,
            stop,
            offline,
            held,
            precompressed,
            port,
        })
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The URL of a site path such as `/forms/wenzhou-survey/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    /// While `true`, every connection and every request on a kept-alive one is dropped
    /// without an answer (the browser sees a network error).
    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::SeqCst);
    }

    /// Holds back the answer to every request whose path (without its query) ends with
    /// `suffix`, such as `_bg.wasm`, until [`StaticServer::release`]: the request stays
    /// open, as on a slow network, for at most two minutes.
    pub fn hold(&self, suffix: &str) {
        if let Ok(mut h) = self.held.lock() {
            h.push(suffix.to_string());
        }
    }

    /// Answers the requests held back by [`StaticServer::hold`], and holds no more.
    pub fn release(&self) {
        if let Ok(mut h) = self.held.lock() {
            h.clear();
        }
    }

    /// While `true`, a request whose `Accept-Encoding` names `br` (or `gzip`) is answered
    /// with the file's `.br` (or `.gz`) copy when the build wrote one, with its
    /// `Content-Encoding`; applies to connections opened afterwards.
    pub fn set_precompressed(&self, on: bool) {
        self.precompressed.store(on, Ordering::SeqCst);
    }

    /// Every request path received so far, in order (query strings included).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn handle(
    stream: TcpStream,
    root: &Path,
    requests: &Mutex<Vec<String>>,
    offline: &AtomicBool,
    held: &Mutex<Vec<String>>,
    precompressed: bool,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    // The head and the body are two writes: without this, Nagle's algorithm holds the
    // body back until the browser's delayed ACK of the head (up to 40 ms per file on a
    // kept-alive connection), which no real static server does.
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 || offline.load(Ordering::SeqCst) {
            return Ok(());
        }
        let mut content_length = 0usize;
        let mut keep_alive = true;
        let mut accept = String::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                content_length = v.trim().parse().unwrap_or(0);
            }
            if let Some(v) = lower.strip_prefix("accept-encoding:") {
                accept = v.to_string();
            }
            if lower.starts_with("connection:") && lower.contains("close") {
                keep_alive = false;
            }
        }
        if content_length > 0 {
            let mut body = vec![0u8; content_length.min(1 << 20)];
            reader.read_exact(&mut body)?;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/").to_string();
        if let Ok(mut r) = requests.lock() {
            r.push(target.clone());
        }
        let path = target.split(['?', '#']).next().unwrap_or("/");
        for _ in 0..4800 {
            let holding = held
                .lock()
                .map(|h| h.iter().any(|s| path.ends_with(s.as_str())))
                .unwrap_or(false);
            if !holding {
                break;
            }
            thread::sleep(Duration::from_millis(25));
        }
        let mut encoding = "";
        let (status, content_type, body) = if method == "GET" || method == "HEAD" {
            let (status, content_type, body) = respond(root, &target);
            match (status, precompressed) {
                (200, true) => match compressed_copy(root, &target, &accept) {
                    Some((enc, b)) => {
                        encoding = enc;
                        (status, content_type, b)
                    }
                    None => (status, content_type, body),
                },
                _ => (status, content_type, body),
            }
        } else {
            (
                405,
                "text/plain; charset=utf-8",
                b"method not allowed".to_vec(),
            )
        };
        let reason = match status {
            200 => "OK",
            404 => "Not Found",
            _ => "Error",
        };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             {}Cache-Control: no-store\r\nConnection: {}\r\n\r\n",
            body.len(),
            if encoding.is_empty() {
                String::new()
            } else {
                format!("Content-Encoding: {encoding}\r\nVary: Accept-Encoding\r\n")
            },
            if keep_alive { "keep-alive" } else { "close" }
        );
        stream.write_all(head.as_bytes())?;
        if method != "HEAD" {
            stream.write_all(&body)?;
        }
        stream.flush()?;
        if !keep_alive {
            return Ok(());
        }
    }
}

fn respond(root: &Path, target: &str) -> (u16, &'static str, Vec<u8>) {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if let Some(file) = resolve(root, path) {
        if let Ok(body) = std::fs::read(&file) {
            return (200, mime(&file), body);
        }
    }
    let body = std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
    (404, "text/html; charset=utf-8", body)
}

/// The `.br` or `.gz` copy of the file `target` names, when `accept` (the request's
/// `Accept-Encoding`, lower case) takes it and the build wrote it.
fn compressed_copy(root: &Path, target: &str, accept: &str) -> Option<(&'static str, Vec<u8>)> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = resolve(root, path)?;
    let takes = |name: &str| {
        accept
            .split(',')
            .any(|e| e.split(';').next().unwrap_or("").trim() == name)
    };
    for (name, ext) in [("br", "br"), ("gzip", "gz")] {
        if !takes(name) {
            continue;
        }
        let mut copy = file.clone().into_os_string();
        copy.push(format!(".{ext}"));
        if let Ok(b) = std::fs::read(&copy) {
            return Some((name, b));
        }
    }
    None
}

/// Maps a URL path to a file under `root`, refusing anything that climbs out of it.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = root.to_path_buf();
    for comp in Path::new(decoded.trim_start_matches('/')).components() {
        match comp {
            Component::Normal(c) => file.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// Decodes `%XX` escapes (UTF-8); `None` when the result is not valid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a file by its extension.
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_handles_chinese_segments_and_stray_percent() {
        assert_eq!(
            percent_decode("/organizers/%E6%B8%A9%E5%B7%9E/").as_deref(),
            Some("/organizers/温州/")
        );
        assert_eq!(percent_decode("/a%2").as_deref(), Some("/a%2"));
        assert_eq!(percent_decode("/%FF"), None);
    }

    #[test]
    fn resolve_refuses_parent_components() {
        let dir = std::env::temp_dir();
        assert_eq!(resolve(&dir, "/../etc/passwd"), None);
    }

    #[test]
    fn wasm_is_served_as_application_wasm() {
        assert_eq!(mime(Path::new("a/b_bg.wasm")), "application/wasm");
        assert_eq!(mime(Path::new("x.js")), "text/javascript; charset=utf-8");
    }
}
