//! `site-gen serve`: build, serve, watch, rebuild, live-reload.
//!
//! Builds once (with the live-reload script), serves the output folder on
//! 127.0.0.1 with `ServeDir`, watches `content/` and the `templates/` folder beside it,
//! rebuilds on change and tells every open page through the websocket at
//! `/__livereload`: `reload` after a good build, `error:<text>` after a failed one (the
//! page shows it in an overlay while the last good build keeps being served).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult};
use tokio::sync::broadcast;
use tower_http::services::ServeDir;

use super::build::{build_with, BuildArgs};
use super::Failure;
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
}

/// One build; returns the message for the browsers.
fn rebuild(args: &BuildArgs, state: &AppState) -> String {
    let opts = Options { livereload: true };
    let msg = match build_with(args, &opts) {
        Ok(summary) => {
            eprintln!("{summary}");
            set_error(state, None);
            "reload".to_string()
        }
        Err(e) => {
            let text = e.to_string();
            eprintln!("{text}\n(still serving the last good build)");
            set_error(state, Some(text.clone()));
            format!("error:{text}")
        }
    };
    let _ = state.tx.send(msg.clone());
    msg
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
    };
    let build_args = BuildArgs {
        content: args.content.clone(),
        out: args.out.clone(),
    };
    // A content folder that cannot be read at all is a usage problem, not a live error.
    crate::content::load(&args.content)?;
    super::build::guard_output(&args.content, &args.out)?;
    rebuild(&build_args, &state);

    // Watch content/ and templates/ beside it; rebuild on a worker thread.
    let (wtx, wrx) = mpsc::channel::<()>();
    let mut debouncer = new_debouncer(
        Duration::from_millis(200),
        move |res: DebounceEventResult| {
            if res.is_ok() {
                let _ = wtx.send(());
            }
        },
    )
    .map_err(|e| Failure::Io(format!("cannot watch files: {e}")))?;
    let mut watched = vec![args.content.clone()];
    if let Some(t) = Templates::override_dir_for(&args.content).filter(|t| t.is_dir()) {
        watched.push(t);
    }
    for p in &watched {
        debouncer
            .watcher()
            .watch(p, RecursiveMode::Recursive)
            .map_err(|e| Failure::Io(format!("cannot watch {}: {e}", p.display())))?;
    }
    {
        let state = state.clone();
        let watched = watched.clone();
        std::thread::spawn(move || {
            // Reading files during a build fires access events too: rebuild only when
            // a file's size or modification time really changed.
            let mut last = fingerprint(&watched);
            while wrx.recv().is_ok() {
                while wrx.try_recv().is_ok() {}
                let now = fingerprint(&watched);
                if now != last {
                    last = now;
                    rebuild(&build_args, &state);
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

/// Path, length and modification time of every file under `dirs`.
fn fingerprint(dirs: &[PathBuf]) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64, Option<std::time::SystemTime>)>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in rd.flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(m) if m.is_dir() => walk(&path, out),
                Ok(m) => out.push((path, m.len(), m.modified().ok())),
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

async fn run_server(port: u16, out: &Path, state: AppState) -> Result<(), Failure> {
    let not_found = {
        let state = state.clone();
        let page = out.join("404.html");
        move || not_found(state.clone(), page.clone())
    };
    let app = Router::new()
        .route("/__livereload", get(livereload))
        .route(
            "/assets/livereload.js",
            get(|| async {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/javascript; charset=utf-8",
                    )],
                    crate::render::LIVERELOAD_JS,
                )
            }),
        )
        .fallback_service(ServeDir::new(out).not_found_service(get(not_found)))
        .with_state(state);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure::Io(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Io(format!("cannot listen on {addr}: {e}")))?;
    println!(
        "Serving {} on http://{local}/ (Ctrl-C to stop)",
        out.display()
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| Failure::Io(format!("server error: {e}")))
}

/// 404: the site's `404.html`, or, while the content has errors and there is no good
/// build yet, a page showing the errors (it reloads once they are fixed).
async fn not_found(state: AppState, page: PathBuf) -> Response {
    let error = state.last_error.lock().ok().and_then(|g| g.clone());
    let body = match error {
        Some(e) => format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>内容有错误</title><link rel=\"stylesheet\" href=\"/assets/style.css\"></head><body><main id=\"main\"><h1>内容有错误，修改后将自动刷新</h1><pre class=\"livereload-error\">{}</pre></main><script src=\"/assets/livereload.js\"></script></body></html>",
            crate::render::feeds::xml_escape(&e)
        ),
        None => tokio::fs::read_to_string(&page).await.unwrap_or_else(|_| "404".into()),
    };
    Response::builder()
        .status(axum::http::StatusCode::NOT_FOUND)
        .header(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(axum::body::Body::from(body))
        .unwrap_or_default()
}

async fn livereload(ws: WebSocketUpgrade, State(state): State<AppState>) -> Response {
    ws.on_upgrade(move |socket| client(socket, state))
}

async fn client(mut socket: WebSocket, state: AppState) {
    let mut rx = state.tx.subscribe();
    let pending = state.last_error.lock().ok().and_then(|g| g.clone());
    if let Some(e) = pending {
        if socket
            .send(Message::Text(format!("error:{e}").into()))
            .await
            .is_err()
        {
            return;
        }
    }
    loop {
        tokio::select! {
            msg = rx.recv() => match msg {
                Ok(m) => {
                    if socket.send(Message::Text(m.into())).await.is_err() {
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => {}
                _ => break,
            },
        }
    }
}
