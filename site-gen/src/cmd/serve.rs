//! `site-gen serve`: build, serve, watch, rebuild, live-reload.
//!
//! Builds once (exactly as `build` does: the output folder is deployable as it is),
//! serves it on 127.0.0.1 with `ServeDir`, watches `content/` and the `templates/`
//! folder beside it (also one created while serving), rebuilds on change and tells every
//! open page through the event stream at `/__livereload` (server-sent events): `reload`
//! after a good build, `error:<text>` after a failed one (the page shows it in an overlay
//! while the last good build keeps being served), and on connecting `build:<n>`, the
//! number of good builds so far, so that a page which was away (a hidden tab lets go of
//! its connection) knows whether it missed one. The live-reload script is put into HTML
//! responses as they are served, never into the files.
//!
//! When only notices changed since the last good build (files under
//! `content/notices/`), the output is updated in place ([`update_site`]): only the
//! pages that show what changed are rendered again and only files whose bytes differ
//! are replaced, each atomically, so an edit at 10,000 programs reaches the browser in
//! well under a second. Any other change (site settings, forms, calendars, templates)
//! rebuilds the whole site as `build` does. Either way the folder then holds exactly
//! what `build` would write.
//!
//! A careful local server: it answers only requests whose `Host` is
//! `127.0.0.1:PORT` or `localhost:PORT` (no DNS rebinding), opens the event stream only
//! for pages of its own origin, sends `Content-Security-Policy`, `X-Content-Type-Options:
//! nosniff` and `charset=utf-8` on text, closes connections that do not send their
//! headers within [`HEADER_TIMEOUT`], answers a path with an over-long segment, and the
//! build's manifest `.site-gen`, with its 404 page, a path over [`MAX_PATH`] bytes with
//! 414, and a path with `//` with a redirect to it with single slashes (never a
//! protocol-relative `Location`).

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::Stream;
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult};
use tokio::sync::broadcast;
use tower_http::services::ServeDir;

use super::build::{build_site, update_site, BuildArgs, Kept};
use super::Failure;
use crate::content::Site;
use crate::messages::say;
use crate::render::{Options, Templates};

#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub content: PathBuf,
    pub out: PathBuf,
    pub port: u16,
}

#[derive(Clone)]
struct AppState {
    tx: broadcast::Sender<String>,
    last_error: Arc<Mutex<Option<String>>>,
    /// Good builds so far (the first one included).
    builds: Arc<AtomicU64>,
    /// What the last build left for the next update.
    kept: Arc<Kept>,
    /// The path of `base_url` (`/`, or `/zjgyb/`) of the last good build: the site is
    /// served there, as on its host, and `/` redirects to it.
    base: Arc<Mutex<String>>,
}

/// How long a client may take to send a request's headers (also the idle time of a
/// kept-alive connection) before it is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// The policy of the pages' `<meta http-equiv="Content-Security-Policy">` (base.html),
/// sent as a header too, with `frame-ancestors`, which only a header can carry.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// What served HTML pages get before `</body>`.
const LIVERELOAD_TAG: &str = "<script src=\"/assets/livereload.js\"></script>";

/// How long the watcher waits for a burst of file events to end (an editor's save is
/// a write, a rename and metadata changes within a millisecond or two) before
/// rebuilding. A save that takes longer is still built right: its last events start
/// another update.
pub const DEBOUNCE: Duration = Duration::from_millis(5);

/// One build, or an update of the output in place when `since` is the site the output
/// folder holds and only notices changed since; returns the message for the browsers.
/// On success `since` becomes the site now in the output folder.
fn rebuild(
    args: &BuildArgs,
    state: &AppState,
    since: &mut Option<Site>,
    only_notices: bool,
) -> String {
    let opts = Options::default();
    let kept = Some(&*state.kept);
    let result = match since.as_ref().filter(|_| only_notices) {
        Some(old) => match update_site(args, &opts, old, &state.kept) {
            Ok((summary, site, updated)) => {
                eprintln!(
                    "{}",
                    say(&format!(
                        "updated {}: {} files written, {} removed ({:.3} s)",
                        summary.out.display(),
                        updated.written,
                        updated.removed,
                        summary.seconds
                    ))
                );
                Ok(site)
            }
            // The output folder cannot be updated (removed, or replaced by hand
            // meanwhile): build it whole.
            Err(Failure::Usage(_) | Failure::Io(_)) => {
                build_site(args, &opts, kept).map(|(summary, site)| {
                    eprintln!("{}", say(&summary.to_string()));
                    site
                })
            }
            Err(e) => Err(e),
        },
        None => build_site(args, &opts, kept).map(|(summary, site)| {
            eprintln!("{}", say(&summary.to_string()));
            site
        }),
    };
    let mut old = None;
    let msg = match result {
        Ok(site) => {
            if let Ok(mut base) = state.base.lock() {
                *base = site.config.root_path();
            }
            old = since.replace(site);
            set_error(state, None);
            state.builds.fetch_add(1, Ordering::SeqCst);
            "reload".to_string()
        }
        Err(e) => {
            let text = say(&e.to_string());
            // No good build yet: the error page is still served where the site will be.
            if state.builds.load(Ordering::SeqCst) == 0 {
                if let (Some(root), Ok(mut base)) = (site_root(&args.content), state.base.lock()) {
                    *base = root;
                }
            }
            if state.builds.load(Ordering::SeqCst) > 0 {
                eprintln!("{text}\n{}", say("(still serving the last good build)"));
            } else {
                eprintln!(
                    "{text}\n{}",
                    say("(no good build yet: the pages show these errors until they are fixed)")
                );
            }
            set_error(state, Some(text.clone()));
            format!("error:{text}")
        }
    };
    let _ = state.tx.send(msg.clone());
    // Freeing the previous site takes a while at 10,000 programs: after the message.
    drop(old);
    msg
}

/// The path `site.toml`'s `base_url` serves the site at, read from the file alone
/// (another file's error keeps the site from building): `None` when it cannot be read or
/// is not an address the build takes.
fn site_root(content: &Path) -> Option<String> {
    let url = crate::messages::site_setting(content, "base_url")?;
    let url = url.trim();
    crate::content::validate::check_base_url(url).ok()?;
    Some(crate::content::model::root_path_of(url))
}

fn set_error(state: &AppState, e: Option<String>) {
    if let Ok(mut guard) = state.last_error.lock() {
        *guard = e;
    }
}

pub fn serve(args: &ServeArgs) -> Result<(), Failure> {
    let (tx, _) = broadcast::channel(16);
    let state = AppState {
        tx,
        last_error: Arc::new(Mutex::new(None)),
        builds: Arc::default(),
        kept: Arc::default(),
        base: Arc::new(Mutex::new("/".into())),
    };
    let build_args = BuildArgs {
        content: args.content.clone(),
        out: args.out.clone(),
    };
    // A content folder that cannot be read at all is a usage problem, not a live error.
    crate::content::load(&args.content)?;
    super::build::guard_output(&args.content, &args.out)?;
    let templates = Templates::override_dir_for(&args.content).map(|t| match t.parent() {
        Some(p) if p.as_os_str().is_empty() => PathBuf::from(".").join(t),
        _ => t,
    });
    let mut watched = vec![args.content.clone()];
    watched.extend(templates.clone());
    // static/ beside content/ (copied into the output as it is), when there is one.
    let statics = crate::output::static_dir::dir_for(&args.content).filter(|d| d.is_dir());
    watched.extend(statics.clone());
    // The files' sizes and modification times as the first build will read them, taken
    // before it: a file saved after this (during the build, or the moment the server
    // answers) differs from its stamp, so its event is not taken for a mere read.
    let mut stamps: HashMap<PathBuf, Stamp> = fingerprint(&watched)
        .into_iter()
        .map(|s| (absolute(&s.0), s))
        .collect();
    let mut built = None;
    rebuild(&build_args, &state, &mut built, false);

    // Watch content/, templates/ beside it, and the folder both are in (non-recursively)
    // so that a templates/ folder created while serving is seen and then watched too.
    let (wtx, wrx) = mpsc::channel::<Vec<PathBuf>>();
    let debouncer = new_debouncer(DEBOUNCE, move |res: DebounceEventResult| {
        if let Ok(events) = res {
            let _ = wtx.send(events.into_iter().map(|e| e.path).collect());
        }
    })
    .map_err(|e| Failure::Io(format!("cannot watch files: {e}")))?;
    let debouncer = Arc::new(Mutex::new(debouncer));
    let watch = |p: &Path, mode: RecursiveMode| -> Result<(), Failure> {
        let mut d = debouncer
            .lock()
            .map_err(|_| Failure::Io("cannot watch files".into()))?;
        d.watcher()
            .watch(p, mode)
            .map_err(|e| Failure::Io(format!("cannot watch {}: {e}", p.display())))
    };
    watch(&args.content, RecursiveMode::Recursive)?;
    if let Some(s) = &statics {
        watch(s, RecursiveMode::Recursive)?;
    }
    let mut templates_watched = false;
    if let Some(t) = &templates {
        if t.is_dir() {
            watch(t, RecursiveMode::Recursive)?;
            templates_watched = true;
        }
        if let Some(parent) = t.parent() {
            // Best effort: without it, a new templates/ is seen at the next restart.
            let _ = watch(parent, RecursiveMode::NonRecursive);
        }
    }
    let notices_dir = absolute(&args.content.join("notices"));
    let roots: Vec<PathBuf> = watched.iter().map(|p| absolute(p)).collect();
    {
        let state = state.clone();
        let debouncer = Arc::clone(&debouncer);
        std::thread::spawn(move || {
            // Reading files during a build fires access events too: rebuild only when
            // a file's size or modification time really changed (only the files named
            // by the events are looked at). `other` says whether anything but a notice
            // changed since the last good build: an update in place needs every file
            // other than the notices to be as it was then.
            let mut other = false;
            while let Ok(mut paths) = wrx.recv() {
                while let Ok(more) = wrx.try_recv() {
                    paths.extend(more);
                }
                if let Some(t) = templates
                    .as_ref()
                    .filter(|t| !templates_watched && t.is_dir())
                {
                    if let Ok(mut d) = debouncer.lock() {
                        templates_watched = d.watcher().watch(t, RecursiveMode::Recursive).is_ok();
                    }
                }
                let mut changed = false;
                for p in paths {
                    let p = absolute(&p);
                    // The folder above content/ is watched only to see templates/ made.
                    if !roots.iter().any(|r| p.starts_with(r)) {
                        continue;
                    }
                    let now = stamp(&p);
                    if stamps.get(&p) == Some(&now) {
                        continue;
                    }
                    // A folder (made, removed or renamed) may hold anything: rebuild.
                    let folder = now.1.is_none() || stamps.get(&p).is_some_and(|s| s.1.is_none());
                    other |= !p.starts_with(&notices_dir) || (folder && p == notices_dir);
                    changed = true;
                    stamps.insert(p, now);
                }
                if changed {
                    rebuild(&build_args, &state, &mut built, !other);
                    if state.last_error.lock().is_ok_and(|e| e.is_none()) {
                        other = false;
                    }
                }
            }
        });
    }

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Io(format!("cannot start the server runtime: {e}")))?;
    let result = rt.block_on(run_server(args.port, &args.out, state));
    drop(debouncer);
    result
}

/// Path, then length and modification time of a file (`None` for a folder), or
/// neither when there is nothing at the path.
type Stamp = (PathBuf, Option<u64>, Option<std::time::SystemTime>);

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => (path.to_path_buf(), None, None),
        Ok(m) => (path.to_path_buf(), Some(m.len()), m.modified().ok()),
        Err(_) => (path.to_path_buf(), Some(0), None),
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The [`stamp`] of every file and folder under `dirs`, and of `dirs`.
fn fingerprint(dirs: &[PathBuf]) -> Vec<Stamp> {
    fn walk(dir: &Path, out: &mut Vec<Stamp>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        out.push((dir.to_path_buf(), None, None));
        for entry in rd.flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(m) if m.is_dir() => walk(&path, out),
                Ok(m) => out.push((path, Some(m.len()), m.modified().ok())),
                Err(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    for d in dirs {
        walk(d, &mut out);
    }
    out.sort();
    out
}

/// What every request is checked against, and what the 404 page needs.
#[derive(Clone)]
struct Guard {
    port: u16,
    state: AppState,
    not_found_page: PathBuf,
}

impl Guard {
    /// Where the site is served: the path of the last good build's `base_url`.
    fn base(&self) -> String {
        self.state
            .base
            .lock()
            .map_or_else(|_| "/".into(), |b| b.clone())
    }
    fn host_ok(&self, host: &str) -> bool {
        let p = self.port;
        host == format!("127.0.0.1:{p}") || host == format!("localhost:{p}")
    }
    fn origin_ok(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.host_ok(host))
    }
}

async fn run_server(port: u16, out: &Path, state: AppState) -> Result<(), Failure> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Io(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Io(format!("cannot listen on {addr}: {e}")))?;
    let guard = Guard {
        port: local.port(),
        state: state.clone(),
        not_found_page: out.join("404.html"),
    };
    let not_found = {
        let guard = guard.clone();
        move || not_found(guard.clone())
    };
    let app = Router::new()
        .route("/__livereload", get(livereload))
        .route(
            "/assets/livereload.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    crate::render::LIVERELOAD_JS,
                )
            }),
        )
        .fallback_service(
            // The build's .br and .gz copies, to a browser that accepts them (as hosts do).
            ServeDir::new(out)
                .precompressed_br()
                .precompressed_gzip()
                .not_found_service(get(not_found)),
        )
        .layer(middleware::from_fn_with_state(guard.clone(), harden))
        .with_state(state);
    println!(
        "{}",
        crate::messages::say(&format!(
            "Serving {} on http://{local}{} (Ctrl-C to stop)",
            out.display(),
            guard.base()
        ))
    );
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait, do not spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(io, service)
                .await;
        });
    }
}

/// Host and Origin checks before, security headers and the live-reload script after.
async fn harden(State(guard): State<Guard>, mut req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !guard.host_ok(host) {
        return refuse(format!(
            "site-gen serve answers only at http://127.0.0.1:{0}/ or http://localhost:{0}/, not at Host “{host}”\n",
            guard.port
        ));
    }
    if req.uri().path() == "/__livereload" {
        if let Some(origin) = req.headers().get(header::ORIGIN) {
            let origin = origin.to_str().unwrap_or("");
            if !guard.origin_ok(origin) {
                return refuse(format!(
                    "the live-reload connection is only for pages of this server, not for {origin}\n"
                ));
            }
        }
    }
    let path = req.uri().path();
    let too_long = path
        .split('/')
        .any(|seg| crate::urls::decode(seg).len() > crate::content::outpaths::MAX_SEGMENT);
    // Never a page of the site: the build's manifest (and its temporary folders' mark).
    let private = path
        .split('/')
        .any(|seg| seg == crate::output::MANIFEST || seg == crate::output::MARK);
    let head = req.method() == Method::HEAD;
    let base = guard.base();
    let mut res = if path.len() > MAX_PATH {
        uri_too_long()
    } else if path.contains("//") {
        // `//host/x` must not become a redirect to another host (`Location: //host/x/`).
        collapse_slashes(&req)
    } else if too_long || private {
        not_found(guard.clone()).await
    } else {
        match under_base(&mut req, &base) {
            Place::Site => {
                // The file's path below the output folder, as the build names it.
                let file = crate::urls::decode(req.uri().path().trim_start_matches('/'));
                let res = next.run(req).await;
                let mut res = rebase_location(res, &base);
                let hashed = res.status().is_success() && crate::render::assets::is_hashed(&file);
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, cache_control(hashed));
                res
            }
            Place::Redirect => redirect(&base),
            Place::Outside => not_found(guard.clone()).await,
        }
    };
    let not_modified = res.status() == StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, cache_control(false));
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // Not on a 304: a browser takes a 304's headers into the page it keeps, and this
    // policy would replace the page's own (the hashes of its inline styles and scripts,
    // set by `inject`), leaving a form page unstyled after a reload.
    if !not_modified {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let ctype = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if is_text(&ctype) && !ctype.contains("charset") {
        if let Ok(v) = HeaderValue::from_str(&format!("{ctype}; charset=utf-8")) {
            h.insert(header::CONTENT_TYPE, v);
        }
    }
    // The answer depends on Accept-Encoding wherever the build wrote compressed copies.
    if matches!(res.status(), StatusCode::OK | StatusCode::NOT_MODIFIED) {
        res.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let injectable = ctype.starts_with("text/html")
        && !head
        && matches!(res.status(), StatusCode::OK | StatusCode::NOT_FOUND);
    if injectable {
        res = inject(res).await;
    }
    res
}

/// The `Cache-Control` a host is told to send (docs/deploying.md): a year, never asked
/// again, for a hashed asset (its name changes with its bytes); for anything else,
/// asked again each time (a 304 when unchanged), so a page, `sw.js` or a download is
/// never stale after a rebuild.
fn cache_control(hashed: bool) -> HeaderValue {
    HeaderValue::from_static(if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

/// Where a request's path is, seen from the site served at `base`.
enum Place {
    /// The site's own (the request now names the file below the output folder), or the
    /// server's own (`/__livereload`, its script).
    Site,
    /// `/`, or `base` without its last slash: sent to `base`.
    Redirect,
    /// Outside `base`: not part of the site.
    Outside,
}

/// Maps a request for `base…` to the output folder's file by taking `base` off its path.
fn under_base(req: &mut Request, base: &str) -> Place {
    let path = req.uri().path();
    if base == "/" || path == "/__livereload" || path == "/assets/livereload.js" {
        return Place::Site;
    }
    let trimmed = base.trim_end_matches('/');
    if path == "/" || path == trimmed {
        return Place::Redirect;
    }
    let Some(rest) = path.strip_prefix(trimmed).filter(|r| r.starts_with('/')) else {
        return Place::Outside;
    };
    let rest = match req.uri().query() {
        Some(q) => format!("{rest}?{q}"),
        None => rest.to_string(),
    };
    match rest.parse::<axum::http::Uri>() {
        Ok(uri) => {
            *req.uri_mut() = uri;
            Place::Site
        }
        Err(_) => Place::Outside,
    }
}

/// A redirect of the output folder's server (a folder's missing slash) as the site's
/// address: under `base`, and never a protocol-relative `//…` that would leave the host.
fn rebase_location(mut res: Response, base: &str) -> Response {
    let Some(loc) = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.starts_with('/'))
    else {
        return res;
    };
    let rel = loc.trim_start_matches('/');
    let fixed = format!("{base}{rel}");
    if let Ok(v) = HeaderValue::from_str(&fixed) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn redirect(base: &str) -> Response {
    Response::builder()
        .status(StatusCode::TEMPORARY_REDIRECT)
        .header(header::LOCATION, base)
        .body(axum::body::Body::empty())
        .unwrap_or_default()
}

/// Types served as text (all of the site's text files are UTF-8).
fn is_text(ctype: &str) -> bool {
    let mime = ctype.split(';').next().unwrap_or("").trim();
    mime.starts_with("text/")
        || matches!(
            mime,
            "application/javascript"
                | "application/json"
                | "application/xml"
                | "application/atom+xml"
                | "image/svg+xml"
        )
}

/// The response with the live-reload script before `</body>`.
/// The policy of a page's `<meta http-equiv="Content-Security-Policy">`, when it names
/// hashes of inline styles or scripts.
fn page_policy(html: &[u8]) -> Option<String> {
    const META: &[u8] = b"<meta http-equiv=\"Content-Security-Policy\" content=\"";
    let head = &html[..html.len().min(4096)];
    let start = head.windows(META.len()).position(|w| w == META)? + META.len();
    let len = head[start..].iter().position(|&b| b == b'"')?;
    let policy = std::str::from_utf8(&head[start..start + len]).ok()?;
    policy.contains("'sha256-").then(|| policy.to_string())
}

async fn inject(res: Response) -> Response {
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::fsx::MAX_READ as usize).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    // A page served from the build's compressed copy: decoded, the script put in, and
    // compressed again the same way.
    let encoding = parts
        .headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let decoded = match encoding.as_deref() {
        None => Some(bytes.to_vec()),
        Some("gzip") => crate::output::precompress::gunzip(&bytes),
        Some("br") => crate::output::precompress::unbrotli(&bytes),
        Some(_) => None,
    };
    let Some(mut html) = decoded else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    // A page that carries its own styles or scripts inline names their hashes in its
    // policy: the header says the same (two policies would both have to allow them).
    if let Some(v) = page_policy(&html)
        .and_then(|p| HeaderValue::from_str(&format!("{p}; frame-ancestors 'none'")).ok())
    {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, LIVERELOAD_TAG.bytes());
    let html = match encoding.as_deref() {
        Some("gzip") => {
            crate::output::precompress::gzip(&html, crate::output::precompress::PAGE_GZIP)
        }
        Some("br") => {
            crate::output::precompress::brotli(&html, crate::output::precompress::SERVE_BROTLI)
        }
        _ => html,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    Response::from_parts(parts, axum::body::Body::from(html))
}

/// The longest request path answered (a page's path is far shorter: names are at most
/// 255 bytes, five deep); a longer one gets 414 before any file is looked up.
const MAX_PATH: usize = 2048;

fn uri_too_long() -> Response {
    Response::builder()
        .status(StatusCode::URI_TOO_LONG)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(axum::body::Body::from(format!(
            "the path is longer than {MAX_PATH} bytes; no page of the site has such a path\n"
        )))
        .unwrap_or_default()
}

/// A redirect to the same path with each run of `/` made one (and the query kept): its
/// `Location` always starts with a single `/`, a path on this server.
fn collapse_slashes(req: &Request) -> Response {
    let mut path = String::with_capacity(req.uri().path().len());
    for c in req.uri().path().chars() {
        if !(c == '/' && path.ends_with('/')) {
            path.push(c);
        }
    }
    if let Some(q) = req.uri().query() {
        path.push('?');
        path.push_str(q);
    }
    Response::builder()
        .status(StatusCode::PERMANENT_REDIRECT)
        .header(header::LOCATION, path)
        .body(axum::body::Body::empty())
        .unwrap_or_default()
}

fn refuse(text: String) -> Response {
    Response::builder()
        .status(StatusCode::FORBIDDEN)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(axum::body::Body::from(text))
        .unwrap_or_default()
}

/// 404: the site's `404.html`, or, while the content has errors and there is no good
/// build yet, a page showing the errors (it reloads once they are fixed).
async fn not_found(guard: Guard) -> Response {
    let error = guard.state.last_error.lock().ok().and_then(|g| g.clone());
    let body = match error {
        Some(e) => format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>内容有错误</title><link rel=\"stylesheet\" href=\"{}{}\"></head><body><main id=\"main\"><h1>内容有错误，修改后将自动刷新</h1><pre class=\"livereload-error\">{}</pre></main></body></html>",
            crate::render::feeds::xml_escape(&guard.base()),
            crate::render::assets::url("style.css")
                .unwrap_or_default()
                .trim_start_matches('/'),
            crate::render::feeds::xml_escape(&e)
        ),
        None => tokio::fs::read_to_string(&guard.not_found_page)
            .await
            .unwrap_or_else(|_| "404".into()),
    };
    Response::builder()
        .status(axum::http::StatusCode::NOT_FOUND)
        .header(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(axum::body::Body::from(body))
        .unwrap_or_default()
}

/// The live-reload event stream of one page: `build:<n>`, the error of the last build if
/// it failed, then every message of later builds. Kept alive with a comment every 15 s,
/// so that a page that went away is noticed and its stream dropped.
async fn livereload(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut first = vec![format!("build:{}", state.builds.load(Ordering::SeqCst))];
    if let Some(e) = state.last_error.lock().ok().and_then(|g| g.clone()) {
        first.push(format!("error:{e}"));
    }
    let rx = state.tx.subscribe();
    let stream = futures_util::stream::unfold((first, rx), |(mut first, mut rx)| async move {
        if !first.is_empty() {
            let msg = first.remove(0);
            return Some((Ok(event(&msg)), (first, rx)));
        }
        loop {
            match rx.recv().await {
                Ok(msg) => return Some((Ok(event(&msg)), (first, rx))),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// One message as an event: its lines become `data:` lines (a carriage return, which an
/// event cannot carry, becomes a line break), joined again by the page's `EventSource`.
fn event(msg: &str) -> Event {
    Event::default().data(msg.replace("\r\n", "\n").replace('\r', "\n"))
}
