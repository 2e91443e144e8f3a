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

/// The engine modules the open page has loaded (resource timing lists cached loads too).
async fn engines_loaded(b: &site_tests::browser::Browser) -> Vec<String> {
    let v = b
        .js(
            // By the bundle's name, without the content hash of its file name.
            "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
               .filter((p) => /\\/wasm_forms[a-z_]*\\.[0-9a-f]{8}_bg\\.wasm$/.test(p))
               .map((p) => p.replace(/\\.[0-9a-f]{8}_bg\\.wasm$/, '_bg.wasm'));",
            vec![],
        )
        .await
        .or_fail();
    serde_json::from_value(v).unwrap_or_default()
}

/// The survey (filled in on a phone) loads the fill-in engine with the QR maker, other
/// fill-in forms the fill-in engine; rosters the engine with the tables' bindings; the
/// evaluation report the one with scoring; the collection page its own; and each page
/// loads one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_form_loads_the_engine_bundle_its_page_needs() {
    let b = open(Options::default()).await;
    for (id, engine) in [
        ("wenzhou-survey", "/assets/wasm/wasm_forms_survey_bg.wasm"),
        (
            "shandong-registration",
            "/assets/wasm/wasm_forms_fill_bg.wasm",
        ),
        (
            "wenzhou-evaluation",
            "/assets/wasm/wasm_forms_evaluation_bg.wasm",
        ),
        (
            "wenzhou-hours-roster",
            "/assets/wasm/wasm_forms_tables_bg.wasm",
        ),
        ("shandong-filing", "/assets/wasm/wasm_forms_tables_bg.wasm"),
    ] {
        open_form(&b, id, "").await;
        assert_eq!(
            engines_loaded(&b).await,
            vec![engine.to_string()],
            "{id}: the engine bundle its page needs, once"
        );
    }
    open_collection(&b, "", "the collection page's engine").await;
    assert_eq!(
        engines_loaded(&b).await,
        vec!["/assets/wasm/wasm_forms_collect_bg.wasm".to_string()],
        "the collection page: its own engine bundle, once"
    );
    b.finish().await.or_fail();
}
