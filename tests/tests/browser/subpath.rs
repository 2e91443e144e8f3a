//! The site served under a sub-path (`base_url = "https://www.example.gov.cn/zjgyb/"`,
//! `dist/` at `/zjgyb/`): every page reached by following links from the index, every
//! link and asset they name, the wasm, the feed and the sitemap are found, nothing is
//! asked for outside `/zjgyb/`, and the survey works there.

use super::common::*;
use serde_json::Value;
use site_tests::browser::{Browser, Options};
use site_tests::server::{percent_decode, resolve};
use site_tests::site;
use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

const SUB: &str = "zjgyb";

/// Links (`a[href]`), stylesheets and icons (`link[href]`), scripts and images
/// (`[src]`) of the current page, as absolute URLs.
async fn links_of(b: &Browser) -> Vec<String> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll('a[href], form[action], link[href], script[src], img[src]'))
               .map(e => (e.tagName === 'A' || e.tagName === 'FORM' ? 'a ' : 'asset ') + (e.tagName === 'FORM' ? e.action : (e.href || e.src)));",
            vec![],
        )
        .await
        .or_fail();
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_sub_path_every_link_and_asset_resolves_and_the_survey_works() {
    let root = site::dist_under(SUB).or_fail();
    let b = Browser::start(&root, Options::default()).await.or_fail();
    let origin = format!("{}/", b.server.origin());
    let prefix = format!("/{SUB}/");

    // Crawl every page reachable from the index.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    // 404.html is linked from nowhere: it is what hosts serve for a missing path.
    let mut queue: VecDeque<String> = VecDeque::from([prefix.clone(), format!("{prefix}404.html")]);
    let mut others: BTreeSet<String> = BTreeSet::new();
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        b.goto(&path).await.or_fail();
        pages += 1;
        for link in links_of(&b).await {
            let (kind, url) = link.split_once(' ').unwrap_or(("", &link));
            let Some(rest) = url.strip_prefix(&origin) else {
                // Only links may leave the site (phone numbers, the seeds' web addresses);
                // every stylesheet, script and image is the site's own.
                assert!(
                    kind == "a"
                        && ["tel:", "mailto:", "https://", "http://"]
                            .iter()
                            .any(|s| url.starts_with(s))
                        && !url.contains("127.0.0.1"),
                    "{path} names {url} outside the site"
                );
                continue;
            };
            let target = format!("/{}", rest.split('#').next().unwrap_or(""));
            let file = target.split('?').next().unwrap_or("").to_string();
            assert!(
                file.starts_with(&prefix),
                "{path} links to {target}, outside {prefix}"
            );
            if file.ends_with('/') || file.ends_with(".html") {
                if !seen.contains(&file) {
                    queue.push_back(file);
                }
            } else {
                others.insert(file);
            }
        }
        assert_loopback_only(&b).await;
    }
    // Every page of the build was reached.
    let built = html_pages(&root.join(SUB), &prefix);
    let reached: BTreeSet<String> = seen
        .iter()
        .map(|p| {
            percent_decode(p)
                .unwrap_or_default()
                .replace("index.html", "")
        })
        .collect();
    let unreached: Vec<&String> = built.difference(&reached).collect();
    assert!(
        unreached.is_empty(),
        "pages no link leads to: {unreached:?}"
    );
    assert_eq!(pages, built.len(), "{reached:?}");
    for must in [
        "forms/wenzhou-survey/",
        "organizers/",
        "notices/wenzhou-2020/municipal-3/",
    ] {
        assert!(
            seen.contains(&format!("{prefix}{must}")),
            "{must} not reached"
        );
    }
    for asset in ["atom.xml", "sitemap.xml"] {
        assert!(
            others.contains(&format!("{prefix}{asset}")),
            "{asset} not linked"
        );
    }
    // Assets by their hashed names (`assets/style.3f9a1c2b.css`).
    for (stem, ext) in [("assets/style.", ".css"), ("assets/filter.", ".js")] {
        assert!(
            others
                .iter()
                .any(|o| o.starts_with(&format!("{prefix}{stem}")) && o.ends_with(ext)),
            "{stem}{ext} not linked"
        );
    }
    // Every file linked from a page exists.
    for file in &others {
        assert!(resolve(&root, file).is_some(), "linked but missing: {file}");
    }

    // The survey runs its engine (the wasm under /zjgyb/) and checks a full response.
    b.goto(&format!("{prefix}forms/wenzhou-survey/"))
        .await
        .or_fail();
    wait_ready(&b).await;
    for id in RATINGS {
        choose(&b, id, "satisfied").await;
    }
    submit(&b).await;
    wait(
        &b,
        "(document.getElementById('check-result').textContent || '').includes('检查通过')",
        "the survey's check to pass",
    )
    .await;

    // Zero failing requests: everything any page asked the server for exists under /zjgyb/.
    let requests = b.server.requests();
    assert!(requests
        .iter()
        .any(|r| r.starts_with(&format!("{prefix}assets/wasm/")) && r.ends_with("_bg.wasm")));
    let failing: Vec<&String> = requests
        .iter()
        .filter(|r| {
            let p = r.split(['?', '#']).next().unwrap_or("");
            !p.starts_with(&prefix) || resolve(&root, p).is_none()
        })
        .collect();
    assert!(failing.is_empty(), "failing requests: {failing:?}");

    // The feed and the sitemap give absolute URLs under the sub-path, each a built file.
    for file in ["sitemap.xml", "atom.xml"] {
        let text = std::fs::read_to_string(root.join(SUB).join(file)).or_fail_io();
        let mut n = 0;
        for part in text.split("https://www.example.gov.cn").skip(1) {
            let end = part.find(['<', '"']).unwrap_or(part.len());
            let path = &part[..end];
            assert!(path.starts_with(&prefix), "{file}: {path}");
            assert!(
                resolve(&root, path).is_some(),
                "{file} names a missing page: {path}"
            );
            n += 1;
        }
        assert!(n > 2, "{file} has {n} URLs");
    }
    b.finish().await.or_fail();
}

/// The page paths of a built folder (`/zjgyb/a/` for `a/index.html`).
fn html_pages(dir: &Path, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).or_fail_io() {
            let p = e.or_fail_io().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(format!("{prefix}{}", rel.replace("index.html", "")));
            }
        }
    }
    out
}

trait OrFailIo<T> {
    fn or_fail_io(self) -> T;
}

impl<T> OrFailIo<T> for std::io::Result<T> {
    #[track_caller]
    fn or_fail_io(self) -> T {
        self.unwrap_or_else(|e| panic!("{e}"))
    }
}
