//! Headless Debian Chromium driven through its own `chromedriver` (WebDriver, no TLS).
//!
//! [`Browser::start`] serves a dist folder on 127.0.0.1, starts `chromedriver` on a free
//! port in its own process group and opens a session with a fresh profile and a
//! download folder. Host names other than 127.0.0.1 do not resolve inside that Chromium
//! (`--host-resolver-rules`), and [`Browser::foreign_requests`] lists any resource the
//! page asked for outside its origin. Dropping the value stops chromedriver and the
//! Chromium processes of its profile; [`Browser::finish`] closes the session first.

use crate::server::StaticServer;
use crate::{free_port, workspace_root, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Where Debian installs Chromium (override with `CHROMIUM_BIN`).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver (override with `CHROMEDRIVER_BIN`).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How a session is opened.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Emulate a phone of this CSS width (device metrics), e.g. 360; `None` = 1280 × 900.
    pub mobile_width: Option<u32>,
}

/// A served site plus a browser session on it.
pub struct Browser {
    /// The WebDriver session.
    pub client: Client,
    /// The static server of the dist folder.
    pub server: StaticServer,
    driver: Child,
    profile: tempfile::TempDir,
    downloads: tempfile::TempDir,
}

fn bin(var: &str, default: &str) -> Result<PathBuf> {
    let path = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: the browser tests need Debian's chromium and chromium-driver. \
             Run `scripts/setup` (it installs them with apt-get), or set {var}.",
            path.display()
        )
        .into())
    }
}

impl Browser {
    /// Serves `dist` and opens a fresh Chromium session.
    pub async fn start(dist: &Path, options: Options) -> Result<Self> {
        Self::start_with_args(dist, options, &[]).await
    }

    /// [`Browser::start`] with extra Chromium switches (e.g. a fake camera:
    /// `--use-fake-device-for-media-stream`, `--use-file-for-fake-video-capture=F.y4m`).
    pub async fn start_with_args(dist: &Path, options: Options, extra: &[String]) -> Result<Self> {
        let chromium = bin("CHROMIUM_BIN", CHROMIUM)?;
        let chromedriver = bin("CHROMEDRIVER_BIN", CHROMEDRIVER)?;
        let server = StaticServer::start(dist)?;
        let profile = tempfile::Builder::new()
            .prefix("site-tests-profile-")
            .tempdir()?;
        let downloads = tempfile::Builder::new()
            .prefix("site-tests-downloads-")
            .tempdir()?;
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(20) {
                return Err(
                    format!("chromedriver did not listen on port {port} within 20 s").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1".into(),
            format!("--user-data-dir={}", profile.path().display()),
            "--lang=zh-CN".into(),
        ];
        args.extend(extra.iter().cloned());
        let mut chrome = json!({
            "binary": chromium.display().to_string(),
            "prefs": {
                "download.default_directory": downloads.path().display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "intl.accept_languages": "zh-CN,zh",
            },
        });
        match options.mobile_width {
            Some(width) => {
                chrome["mobileEmulation"] = json!({
                    "deviceMetrics": { "width": width, "height": 780, "pixelRatio": 2.0, "mobile": true, "touch": true }
                });
            }
            None => args.push("--window-size=1280,900".into()),
        }
        chrome["args"] = json!(args);
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert("goog:chromeOptions".into(), chrome);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut browser = BrowserParts {
            server,
            driver,
            profile,
            downloads,
        };
        let client = match ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => c,
            Err(e) => {
                browser.kill();
                return Err(format!("cannot open a Chromium session via chromedriver: {e}").into());
            }
        };
        let BrowserParts {
            server,
            driver,
            profile,
            downloads,
        } = browser;
        Ok(Browser {
            client,
            server,
            driver,
            profile,
            downloads,
        })
    }

    /// Opens a site path (e.g. `/forms/wenzhou-survey/`).
    pub async fn goto(&self, path: &str) -> Result<()> {
        self.client
            .goto(&self.server.url(path))
            .await
            .map_err(|e| format!("cannot open {path}: {e}").into())
    }

    /// Runs a script (a function body; `arguments` holds `args`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client
            .execute(script, args)
            .await
            .map_err(|e| format!("script failed: {e}\n--- script ---\n{script}").into())
    }

    /// Runs an asynchronous script; it must call `arguments[arguments.length - 1](value)`.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client
            .execute_async(script, args)
            .await
            .map_err(|e| format!("async script failed: {e}\n--- script ---\n{script}").into())
    }

    /// Polls `condition` (a JS expression) until it is truthy, or fails after `timeout`
    /// with `what` in the message.
    pub async fn wait_until(&self, condition: &str, timeout: Duration, what: &str) -> Result<()> {
        let script = format!("return !!({condition});");
        let started = Instant::now();
        loop {
            if let Ok(Value::Bool(true)) = self.client.execute(&script, vec![]).await {
                return Ok(());
            }
            if started.elapsed() > timeout {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what} (`{condition}`) on {url}"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element matching a CSS selector, waiting up to 10 s for it.
    pub async fn find(&self, css: &str) -> Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("no element `{css}`: {e}").into())
    }

    /// Folder where Chromium saves downloads.
    pub fn downloads(&self) -> &Path {
        self.downloads.path()
    }

    /// Waits for a finished download whose name ends with `suffix` and returns its path.
    pub async fn wait_for_download(&self, suffix: &str, timeout: Duration) -> Result<PathBuf> {
        let started = Instant::now();
        loop {
            if let Ok(entries) = std::fs::read_dir(self.downloads()) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name.ends_with(suffix) && !name.ends_with(".crdownload") {
                        return Ok(path);
                    }
                }
            }
            if started.elapsed() > timeout {
                let names: Vec<String> = std::fs::read_dir(self.downloads())
                    .map(|d| {
                        d.flatten()
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                return Err(format!(
                    "no download ending in `{suffix}` within {timeout:?} (folder holds {names:?})"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Resource URLs the current page loaded from anywhere but its own origin.
    pub async fn foreign_requests(&self) -> Result<Vec<String>> {
        let v = self
            .js(
                "return [location.href].concat(performance.getEntriesByType('resource').map(e => e.name));",
                vec![],
            )
            .await?;
        let origin = format!("{}/", self.server.origin());
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|u| u.as_str())
                    .filter(|u| {
                        !u.starts_with(&origin)
                            && !u.starts_with("data:")
                            && !u.starts_with("blob:")
                    })
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Runs axe-core (from `tests/node_modules/axe-core`) on the current page and returns
    /// its violations, each as `{id, impact, help, nodes: [..]}`.
    pub async fn axe_violations(&self) -> Result<Vec<Value>> {
        self.axe_violations_with(json!({ "resultTypes": ["violations"] }))
            .await
    }

    /// Runs axe-core with `options` (e.g. `{runOnly: ['color-contrast-enhanced']}` for
    /// WCAG AAA's 7:1 contrast) and returns its violations as [`Browser::axe_violations`].
    pub async fn axe_violations_with(&self, options: Value) -> Result<Vec<Value>> {
        let source = axe_source()?;
        self.js(&format!("{source}\n;return typeof window.axe;"), vec![])
            .await?;
        let result = self
            .js_async(
                r#"const done = arguments[arguments.length - 1];
                window.axe.run(document, arguments[0])
                  .then(r => done({ violations: r.violations.map(v => ({
                      id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '')) })) }))
                  .catch(e => done({ error: String(e) }));"#,
                vec![options],
            )
            .await?;
        if let Some(err) = result.get("error") {
            return Err(format!("axe-core failed: {err}").into());
        }
        Ok(result
            .get("violations")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }

    /// One Chrome DevTools Protocol command (e.g. `Network.emulateNetworkConditions`)
    /// through chromedriver; its result.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Result<Value> {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .map_err(|e| format!("{cmd}: {e}").into())
    }

    /// Lays the page out for `media` ("print" or "screen"), as Chromium does when it
    /// prints (Chrome DevTools `Emulation.setEmulatedMedia` through chromedriver).
    pub async fn emulate_media(&self, media: &str) -> Result<()> {
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: json!({ "media": media }),
            })
            .await
            .map(|_| ())
            .map_err(|e| format!("cannot emulate media {media}: {e}").into())
    }

    /// The page as Chromium prints it (Chrome DevTools `Page.printToPDF` with the page's
    /// own `@page` size and margins, without the browser's header and footer): the
    /// PDF's bytes. The page keeps its state (typed, pasted and imported values).
    pub async fn print_pdf(&self) -> Result<Vec<u8>> {
        use base64::Engine as _;
        let result = self
            .client
            .issue_cmd(Cdp {
                cmd: "Page.printToPDF",
                params: json!({ "preferCSSPageSize": true, "printBackground": true }),
            })
            .await
            .map_err(|e| format!("cannot print the page: {e}"))?;
        let data = result
            .get("data")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("Page.printToPDF answered without data: {result}"))?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("Page.printToPDF's data is not base64: {e}").into())
    }

    /// Closes the session (Chromium exits), then stops chromedriver.
    pub async fn finish(self) -> Result<()> {
        let client = self.client.clone();
        let closed = client.close().await;
        drop(self);
        closed.map_err(|e| format!("closing the session: {e}").into())
    }
}

/// One Chrome DevTools Protocol call, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The parts of a [`Browser`] before its session exists, cleaned up on failure.
struct BrowserParts {
    server: StaticServer,
    driver: Child,
    profile: tempfile::TempDir,
    downloads: tempfile::TempDir,
}

impl BrowserParts {
    fn kill(&mut self) {
        stop_processes(&mut self.driver, self.profile.path());
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        stop_processes(&mut self.driver, self.profile.path());
    }
}

/// Stops chromedriver (its process group) and any Chromium process still using `profile`.
fn stop_processes(driver: &mut Child, profile: &Path) {
    let pgid = driver.id();
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{pgid}")])
        .stderr(Stdio::null())
        .status();
    let _ = driver.kill();
    let _ = driver.wait();
    let needle = format!("--user-data-dir={}", profile.display());
    if let Ok(procs) = std::fs::read_dir("/proc") {
        for p in procs.flatten() {
            let Some(pid) = p.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(cmdline) = std::fs::read(p.path().join("cmdline")) else {
                continue;
            };
            let cmdline = String::from_utf8_lossy(&cmdline);
            if cmdline.split('\0').any(|a| a == needle) {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .stderr(Stdio::null())
                    .status();
            }
        }
    }
}

/// The source of axe-core, read once.
fn axe_source() -> Result<&'static str> {
    static AXE: OnceLock<Result<String, String>> = OnceLock::new();
    AXE.get_or_init(|| {
        let path = workspace_root().join("tests/node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{}: {e}. axe-core comes from npm: run `scripts/setup` (npm ci in tests/).",
                path.display()
            )
        })
    })
    .as_deref()
    .map_err(|e| e.clone().into())
}
