//! `site-gen serve`'s live reload in Chromium: a page open in the browser reloads after
//! an edit that builds, shows the error of one that does not, and reloads once it is
//! fixed (the event stream of `/__livereload` and assets/livereload.js together).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::common::*;
use site_tests::browser::Options;

/// A `site-gen serve` of a copy of the repository's `content/`, stopped when dropped.
struct Serve {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve_copy_of_content(dir: tempfile::TempDir) -> Serve {
    serve_copy_with_base(dir, None)
}

/// As [`serve_copy_of_content`], with `base_url` set to `base` first when given.
fn serve_copy_with_base(dir: tempfile::TempDir, base: Option<&str>) -> Serve {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copied = Command::new("cp")
        .arg("-r")
        .arg(repo.join("content"))
        .arg(dir.path())
        .status()
        .expect("cp runs");
    assert!(copied.success(), "cannot copy content/");
    if let Some(base) = base {
        let site = dir.path().join("content/site.toml");
        let text = std::fs::read_to_string(&site).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("base_url"))
            .expect("site.toml has base_url")
            .to_string();
        std::fs::write(
            &site,
            text.replace(&line, &format!("base_url = \"{base}\"")),
        )
        .unwrap();
    }
    let port = site_tests::free_port().expect("a free port");
    let child = Command::new(site_tests::site::site_gen_bin().or_fail())
        .arg("serve")
        .args(["--port", &port.to_string()])
        .arg("--content")
        .arg(dir.path().join("content"))
        .arg("--out")
        .arg(dir.path().join("dist"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("site-gen serve starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "site-gen serve did not answer on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Serve {
        child,
        port,
        _dir: dir,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_reloads_after_an_edit_and_shows_a_build_error_until_it_is_fixed() {
    let serve = serve_copy_of_content(tempfile::tempdir().expect("a temporary folder"));
    let notice = serve._dir.path().join("content/notices/wenzhou-2020.toml");
    let original = std::fs::read_to_string(&notice).unwrap();
    let b = open(Options::default()).await;
    let url = format!("http://127.0.0.1:{}/notices/wenzhou-2020/", serve.port);
    b.client.goto(&url).await.expect("the page opens");
    b.wait_until(
        "document.documentElement.dataset.livereload === 'open'",
        Duration::from_secs(20),
        "the page's live-reload stream",
    )
    .await
    .or_fail();
    // A mark that only this load of the page has.
    b.js("window.__sameLoad = true;", vec![]).await.or_fail();

    std::thread::sleep(Duration::from_millis(300));
    let edited = original.replacen(
        "title = \"关于公布2020年度省级和市级专业技术人员高级研修班计划的通知\"",
        "title = \"关于公布2020年度高级研修班计划的通知（修订）\"",
        1,
    );
    assert_ne!(
        edited, original,
        "the notice's title line is where the test expects it"
    );
    std::fs::write(&notice, &edited).unwrap();
    b.wait_until(
        "!window.__sameLoad && document.querySelector('h1') && document.querySelector('h1').textContent.includes('（修订）')",
        Duration::from_secs(30),
        "the page reloaded with the edited title",
    )
    .await
    .or_fail();

    // An edit that does not build: the page stays and shows the error in an overlay.
    b.js("window.__sameLoad = true;", vec![]).await.or_fail();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&notice, format!("{edited}\n[[lists.programs]\n")).unwrap();
    b.wait_until(
        "document.querySelector('pre.livereload-error[role=alert]') && document.querySelector('pre.livereload-error').textContent.includes('wenzhou-2020.toml')",
        Duration::from_secs(30),
        "the build error shown on the open page",
    )
    .await
    .or_fail();
    let same = b
        .js("return window.__sameLoad === true;", vec![])
        .await
        .or_fail();
    assert_eq!(
        same,
        serde_json::json!(true),
        "a failed build reloads nothing"
    );

    // Fixed: a reload, without the overlay.
    std::fs::write(&notice, &original).unwrap();
    b.wait_until(
        "!window.__sameLoad && document.readyState === 'complete' && !document.querySelector('pre.livereload-error')",
        Duration::from_secs(30),
        "the page reloaded once the error was fixed",
    )
    .await
    .or_fail();
    b.finish().await.or_fail();
}

/// The preview of a site whose `base_url` has a folder (`…/zjgyb/`) is served at that
/// folder, as the host will serve it: `/` leads there, the page is styled, every link
/// and asset of the home page and of a form page answers, and live reload works there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_of_a_site_under_a_folder_is_served_at_that_folder() {
    let serve = serve_copy_with_base(
        tempfile::tempdir().expect("a temporary folder"),
        Some("https://hrss.hangzhou.gov.cn/zjgyb/"),
    );
    let b = open(Options::default()).await;
    let root = format!("http://127.0.0.1:{}/", serve.port);
    b.client.goto(&root).await.expect("the page opens");
    b.wait_until(
        "document.readyState === 'complete'",
        Duration::from_secs(20),
        "the home page",
    )
    .await
    .or_fail();
    let here = b.client.current_url().await.expect("a URL").to_string();
    assert_eq!(
        here,
        format!("{root}zjgyb/"),
        "/ leads to the site's folder"
    );
    // Styled: the stylesheet under /zjgyb/ was found and applied.
    let styled = b
        .js(
            "return Array.from(document.styleSheets).some(s => s.href && s.href.includes('/zjgyb/assets/') && s.cssRules.length > 0);",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(styled, serde_json::json!(true), "the home page is styled");
    let h1 = b
        .js("return document.querySelector('h1').textContent;", vec![])
        .await
        .or_fail();
    assert!(
        h1.as_str().is_some_and(|t| !t.is_empty()),
        "the home page shows its title: {h1}"
    );

    // Every link and asset of the home page and of a form page answers 200.
    let check = "const done = arguments[arguments.length - 1];
      (async () => {
        const urls = Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]'))
          .map(e => e.href || e.src).filter(u => u.startsWith(location.origin));
        const bad = [];
        for (const u of new Set(urls)) {
          const r = await fetch(u);
          if (r.status !== 200) bad.push(r.status + ' ' + u);
        }
        return {count: urls.length, bad};
      })().then(done, e => done({count: 0, bad: [String(e)]}));";
    for page in ["zjgyb/", "zjgyb/forms/wenzhou-survey/"] {
        b.client
            .goto(&format!("{root}{page}"))
            .await
            .expect("the page opens");
        let r = b.js_async(check, vec![]).await.or_fail();
        assert!(
            r["count"].as_u64().unwrap_or(0) > 5,
            "{page}: links and assets found: {r}"
        );
        assert_eq!(
            r["bad"],
            serde_json::json!([]),
            "{page}: every link and asset answers 200"
        );
    }
    // Live reload works under the folder too.
    b.wait_until(
        "document.documentElement.dataset.livereload === 'open'",
        Duration::from_secs(20),
        "the page's live-reload stream",
    )
    .await
    .or_fail();
    b.finish().await.or_fail();
}
