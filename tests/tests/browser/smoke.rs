//! The site loads in Chromium from 127.0.0.1 only, and every asset it asks for exists.

use super::common::*;
use site_tests::browser::Options;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_page_loads_its_wasm_engine_from_loopback_only() {
    let b = open(Options::default()).await;
    b.goto("/").await.or_fail();
    let title = b.client.title().await.unwrap_or_default();
    assert!(!title.is_empty(), "the index page has a title");
    open_form(&b, "wenzhou-survey", "").await;
    let requests = b.server.requests();
    assert!(
        requests.iter().any(|r| r.ends_with("_bg.wasm")),
        "the wasm module was fetched from the local server: {requests:?}"
    );
    // Everything the pages asked the server for exists in dist/ (no broken asset links).
    let dist = site_tests::site::dist().or_fail();
    let missing: Vec<&String> = requests
        .iter()
        .filter(|r| r.as_str() != "/favicon.ico")
        .filter(|r| site_tests::server::resolve(&dist, r.split('?').next().unwrap_or("")).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "requests for files not in dist/: {missing:?}"
    );
    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}
