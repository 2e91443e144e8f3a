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
        std::thread::spawn(move || {
            while wrx.recv().is_ok() {
                while wrx.try_recv().is_ok() {}
                rebuild(&build_args, &state);
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

async fn run_server(port: u16, out: &Path, state: AppState) -> Result<(), Failure> {
    let app = Router::new()
        .route("/__livereload", get(livereload))
        .fallback_service(ServeDir::new(out))
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
