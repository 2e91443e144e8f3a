//! The site loads in Chromium from 127.0.0.1 only.

use site_tests::browser::{Browser, Options};
use site_tests::site;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_page_loads_from_loopback_only() {
    let dist = site::dist().unwrap_or_else(|e| panic!("{e}"));
    let b = Browser::start(&dist, Options::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    b.goto("/").await.unwrap_or_else(|e| panic!("{e}"));
    let title = b.client.title().await.unwrap_or_default();
    assert!(!title.is_empty(), "the index page has a title");
    let foreign = b.foreign_requests().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(foreign.is_empty(), "requests left 127.0.0.1: {foreign:?}");
    assert!(b.server.requests().iter().any(|r| r == "/"));
    b.finish().await.unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harness_download_and_axe() {
    let dist = site::dist().unwrap_or_else(|e| panic!("{e}"));
    let b = Browser::start(
        &dist,
        Options {
            mobile_width: Some(360),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    b.goto("/").await.unwrap_or_else(|e| panic!("{e}"));
    let w = b.js("return window.innerWidth", vec![]).await.unwrap();
    eprintln!("innerWidth {w}");
    b.find("#dl").await.unwrap().click().await.unwrap();
    let p = b
        .wait_for_download(".json", std::time::Duration::from_secs(10))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!("download {p:?}");
    let v = b.axe_violations().await.unwrap_or_else(|e| panic!("{e}"));
    eprintln!("axe {v:?}");
    b.finish().await.unwrap();
}
