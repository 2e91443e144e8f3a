//! Every page of the built site has one `<meta name="description">` in its head, made
//! from its own content: not empty, at most 120 characters, holding the page's main
//! heading (the home page: its lead text), and no two pages share one. Each `.html` file
//! of dist/ is fetched from the served site and read by Chromium's own HTML parser, as a
//! search engine reads it.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::Options;
use site_tests::site;
use std::collections::BTreeMap;
use std::path::Path;

/// The site path of every `.html` file under `dist` (`index.html` → its folder).
fn html_paths(dist: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_paths(dist, &p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            let rel = p
                .strip_prefix(dist)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            out.push(match rel.strip_suffix("index.html") {
                Some(folder) => format!("/{folder}"),
                None => format!("/{rel}"),
            });
        }
    }
}

/// White space folded as a search engine shows text.
fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_has_a_description_of_its_own() {
    let dist = site::dist().or_fail();
    let mut paths = Vec::new();
    html_paths(&dist, &dist, &mut paths);
    paths.sort();
    for must in [
        "/",
        "/404.html",
        "/forms/",
        "/forms/wenzhou-survey/",
        "/forms/wenzhou-survey/collect/",
        "/notices/wenzhou-2020/",
        "/notices/wenzhou-2020/municipal-1/",
        "/notices/wenzhou-2020/municipal-1/poster/",
        "/organizers/",
        "/categories/",
    ] {
        assert!(paths.iter().any(|p| p == must), "no {must} in {paths:?}");
    }
    let b = open(Options::default()).await;
    b.goto("/").await.or_fail();
    let pages = b
        .js_async(
            r#"const [paths, done] = arguments;
            Promise.all(paths.map(async (path) => {
              const r = await fetch(path);
              const doc = new DOMParser().parseFromString(await r.text(), "text/html");
              const metas = [...doc.querySelectorAll('meta[name="description"]')];
              return {
                path, status: r.status,
                descriptions: metas.map((m) => m.content),
                in_head: metas.every((m) => m.parentElement === doc.head),
                h1: doc.querySelector("h1")?.textContent ?? "",
                lead: doc.querySelector("main .lead")?.textContent ?? "",
              };
            })).then(done, (e) => done(String(e)));"#,
            vec![json!(paths)],
        )
        .await
        .or_fail();
    let pages = pages
        .as_array()
        .unwrap_or_else(|| panic!("reading the pages failed: {pages}"));
    assert_eq!(pages.len(), paths.len());
    let mut problems = Vec::new();
    let mut by_text: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pages {
        let path = p["path"].as_str().unwrap();
        let text = |k: &str| folded(p[k].as_str().unwrap_or(""));
        assert_eq!(p["status"], 200, "{path}");
        let descriptions: Vec<&str> = p["descriptions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let [d] = descriptions[..] else {
            problems.push(format!(
                "{path}: {} descriptions: {descriptions:?}",
                descriptions.len()
            ));
            continue;
        };
        if p["in_head"] != true {
            problems.push(format!("{path}: the description is not in the head"));
        }
        let d = folded(d);
        let n = d.chars().count();
        if !(10..=120).contains(&n) {
            problems.push(format!("{path}: {n} characters: {d:?}"));
        }
        // Made from the page: its main heading, or on the home page its lead text.
        let (what, own) = if path == "/" {
            ("lead text", text("lead"))
        } else {
            ("main heading", text("h1"))
        };
        if own.is_empty() || !(d == own || (path != "/" && d.contains(&own))) {
            problems.push(format!("{path}: {d:?} is not made from its {what} {own:?}"));
        }
        by_text.entry(d).or_default().push(path.to_string());
    }
    for (d, at) in &by_text {
        if at.len() > 1 {
            problems.push(format!("{} pages share {d:?}: {at:?}", at.len()));
        }
    }
    assert!(
        problems.is_empty(),
        "descriptions of {} pages:\n{}",
        paths.len(),
        problems.join("\n")
    );
    b.finish().await.or_fail();
}
