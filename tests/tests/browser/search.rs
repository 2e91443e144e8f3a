//! Search (shared/spec/search.md): the header's box on every page sends the query to
//! `search/?q=`, whose results are links to the programs and notices that hold it, the
//! matched text marked, grouped by notice, with their count; "没有找到" when none; the
//! query kept in the URL (the back button shows the earlier results); the page works
//! offline once visited. What is asserted is what a person sees on the page.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use site_tests::site;

/// What the results page shows: the status line, and per notice group its heading and
/// its items (the link's text and href, the item's whole text, the texts marked).
#[derive(Debug)]
struct Shown {
    status: String,
    groups: Vec<(String, Vec<Item>)>,
}

#[derive(Debug)]
struct Item {
    link: String,
    href: String,
    text: String,
    marks: Vec<String>,
}

async fn shown(b: &Browser) -> Shown {
    let v = b
        .js(
            "const vis = e => e.getClientRects().length > 0;
             const status = document.querySelector('[data-search-status]');
             const groups = Array.from(document.querySelectorAll('[data-search-results] section')).filter(vis)
               .map(s => [s.querySelector('h2').innerText.trim(),
                 Array.from(s.querySelectorAll('li')).filter(vis).map(li => {
                   const a = li.querySelector('a');
                   return [a.innerText.trim(), a.href, li.innerText.trim(),
                           Array.from(li.querySelectorAll('mark')).filter(vis).map(m => m.innerText)];
                 })]);
             return [vis(status) ? status.innerText.trim() : '', groups];",
            vec![],
        )
        .await
        .or_fail();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let groups = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let items = g[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| Item {
                    link: s(&i[0]),
                    href: s(&i[1]),
                    text: s(&i[2]),
                    marks: i[3].as_array().unwrap().iter().map(s).collect(),
                })
                .collect();
            (s(&g[0]), items)
        })
        .collect();
    Shown {
        status: s(&v[0]),
        groups,
    }
}

/// Waits until the status line says the search is over (found or not).
async fn wait_done(b: &Browser) {
    wait(
        b,
        "(t => t.startsWith('找到') || t.startsWith('没有找到') || t.startsWith('搜索索引'))(document.querySelector('[data-search-status]').textContent)",
        "the search to finish",
    )
    .await;
}

/// Types `q` into the header's box and submits it with the Enter key.
async fn search_from_box(b: &Browser, q: &str) {
    let input = b
        .find("header form[role=search] input[name=q]")
        .await
        .or_fail();
    input.clear().await.unwrap();
    input.send_keys(&format!("{q}\u{E007}")).await.unwrap();
}

/// A screenshot into `SITE_TESTS_SHOT_DIR`, when set (for looking at the page).
async fn shot(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("SITE_TESTS_SHOT_DIR") {
        let png = b.client.screenshot().await.expect("a screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

fn items(s: &Shown) -> Vec<&Item> {
    s.groups.iter().flat_map(|(_, i)| i).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_box_finds_programs_with_the_text_marked_and_grouped_by_notice() {
    let b = open(Options::default()).await;
    // The box is in the header of an ordinary page and takes the query there.
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    search_from_box(&b, "温州大学").await;
    wait_done(&b).await;
    let url = b
        .js("return location.pathname + location.search", vec![])
        .await
        .or_fail();
    assert_eq!(
        url,
        json!("/search/?q=%E6%B8%A9%E5%B7%9E%E5%A4%A7%E5%AD%A6"),
        "a GET of search/ with q"
    );
    let s = shown(&b).await;
    let found = items(&s);
    // The seed's 温州 notice lists four programs organized by 温州大学's centres.
    assert_eq!(found.len(), 4, "{s:#?}");
    assert_eq!(s.status, "找到 4 项与“温州大学”相符的结果。");
    shot(&b, "search-1280.png").await;
    assert_eq!(s.groups.len(), 1, "{s:#?}");
    assert!(
        s.groups[0].0.starts_with("关于公布2020年度") && s.groups[0].0.ends_with("（4 项）"),
        "{}",
        s.groups[0].0
    );
    for item in &found {
        assert!(item.text.contains("举办单位：温州大学"), "{item:?}");
        assert_eq!(item.marks, ["温州大学"], "{item:?}");
        assert!(item.href.contains("/notices/wenzhou-2020/"), "{item:?}");
    }
    // A result's link opens the program's page, which names the program.
    let (name, href) = (found[0].link.clone(), found[0].href.clone());
    b.client.goto(&href).await.unwrap();
    assert_eq!(text_of(&b, "h1").await, name);
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_width_and_capitals_match_and_several_words_must_all_match() {
    let b = open(Options::default()).await;
    b.goto("/search/?q=%EF%BC%A8%EF%BC%B2%EF%BC%A3%EF%BC%B4")
        .await
        .or_fail(); // ＨＲＣＴ
    wait_done(&b).await;
    let s = shown(&b).await;
    let found = items(&s);
    assert_eq!(found.len(), 1, "{s:#?}");
    assert!(found[0].link.contains("肺炎HRCT"), "{:?}", found[0]);
    assert_eq!(found[0].marks, ["HRCT"]);
    assert_eq!(
        value_of_css(&b, "input[name=q]").await,
        "ＨＲＣＴ",
        "the box shows the query"
    );

    // Two words: each is marked, and only programs holding both are shown.
    b.goto("/search/?q=rct+%E8%82%BA%E7%82%8E").await.or_fail(); // rct 肺炎
    wait_done(&b).await;
    let s = shown(&b).await;
    let found = items(&s);
    assert_eq!(found.len(), 1, "{s:#?}");
    assert_eq!(found[0].marks, ["肺炎", "RCT"]);
    b.finish().await.or_fail();
}

async fn value_of_css(b: &Browser, css: &str) -> String {
    b.js(
        "return document.querySelector(arguments[0]).value;",
        vec![json!(css)],
    )
    .await
    .or_fail()
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_match_says_so_with_the_query_and_the_back_button_shows_earlier_results() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    b.goto("/search/?q=%E8%82%BA%E7%82%8E").await.or_fail(); // 肺炎
    wait_done(&b).await;
    let first = shown(&b).await;
    assert!(first.status.starts_with("找到 "), "{first:#?}");
    assert!(!items(&first).is_empty());
    assert_no_sideways_scroll(&b, "search results at 360 px").await;
    shot(&b, "search-360.png").await;

    search_from_box(&b, "没有这个词xyz").await;
    wait_done(&b).await;
    let none = shown(&b).await;
    assert_eq!(none.status, "没有找到与“没有这个词xyz”相符的通知或项目。");
    assert!(none.groups.is_empty(), "{none:#?}");
    shot(&b, "search-none-360.png").await;
    let search = b.js("return location.search", vec![]).await.or_fail();
    assert_eq!(
        search,
        json!("?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E8%AF%8Dxyz")
    );

    b.client.back().await.unwrap();
    wait(
        &b,
        "document.querySelector('input[name=q]').value === '肺炎' && document.querySelector('[data-search-status]').textContent.startsWith('找到')",
        "the earlier query back",
    )
    .await;
    let back = shown(&b).await;
    assert_eq!(back.status, first.status);
    assert_eq!(items(&back).len(), items(&first).len());

    // The results are read to screen readers (a live status) and the page is axe clean.
    let live = b
        .js(
            "return document.querySelector('[data-search-status]').getAttribute('role');",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(live, json!("status"));
    let violations = b.axe_violations().await.or_fail();
    assert!(violations.is_empty(), "{violations:#?}");
    b.finish().await.or_fail();
}

const OWN_WORKER: &str = "navigator.serviceWorker.controller
    && navigator.serviceWorker.controller.scriptURL === new URL('sw.js', location.href).href";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_visited_the_search_page_works_with_no_connection() {
    let dir = tempfile::tempdir().unwrap();
    site::copy_dir(&site::dist().or_fail(), dir.path()).or_fail();
    let b = Browser::start(dir.path(), Options::default())
        .await
        .or_fail();
    b.goto("/search/?q=%E6%B8%A9%E5%B7%9E%E5%A4%A7%E5%AD%A6")
        .await
        .or_fail();
    wait_done(&b).await;
    wait(&b, OWN_WORKER, "the search page's offline worker").await;
    let online = shown(&b).await;
    assert_eq!(items(&online).len(), 4, "{online:#?}");

    b.server.set_offline(true);
    b.goto("/search/?q=%E6%B8%A9%E5%B7%9E%E5%A4%A7%E5%AD%A6")
        .await
        .or_fail();
    wait_done(&b).await;
    let offline = shown(&b).await;
    assert_eq!(offline.status, online.status);
    assert_eq!(items(&offline).len(), 4, "{offline:#?}");
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pinyin_initials_find_names_in_a_group_of_their_own_after_the_exact_ones() {
    let b = open(Options::default()).await;
    b.goto("/search/?q=wzdx").await.or_fail();
    wait_done(&b).await;
    let s = shown(&b).await;
    // No page holds the letters "wzdx"; by pinyin, 温州大学 (wēn zhōu dà xué) does.
    assert_eq!(
        s.status, "没有找到与“wzdx”相符的通知或项目。按拼音另有 4 项。",
        "{s:#?}"
    );
    assert_eq!(s.groups.len(), 1, "{s:#?}");
    assert_eq!(s.groups[0].0, "按拼音 （4 项）");
    for item in &s.groups[0].1 {
        assert!(item.text.contains("举办单位：温州大学"), "{item:?}");
        assert!(item.marks.is_empty(), "{item:?}");
        assert!(item.href.contains("/notices/wenzhou-2020/"), "{item:?}");
    }

    // Exact matches come first, pinyin after them under its heading: "rct" is in
    // 肺炎HRCT exactly.
    b.goto("/search/?q=rct").await.or_fail();
    wait_done(&b).await;
    let s = shown(&b).await;
    assert!(s.status.starts_with("找到 1 项"), "{s:#?}");
    assert!(s.groups[0].0.starts_with("关于公布2020年度"), "{s:#?}");
    assert!(
        s.groups.iter().skip(1).all(|g| g.0.starts_with("按拼音")),
        "{s:#?}"
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_groups_notices_by_year_newest_first() {
    let b = open(Options::default()).await;
    b.goto("/").await.or_fail();
    let years = b
        .js(
            "return Array.from(document.querySelectorAll('main .year-group')).map(s =>
               [s.querySelector('h2').innerText.trim(),
                Array.from(s.querySelectorAll('.notice-item time')).map(t => t.getAttribute('datetime').slice(0, 4))]);",
            vec![],
        )
        .await
        .or_fail();
    let years = years.as_array().unwrap();
    assert!(years.len() >= 2, "{years:?}");
    let mut last = u32::MAX;
    for y in years {
        let heading = y[0].as_str().unwrap();
        let year: u32 = heading.trim_end_matches('年').parse().unwrap();
        assert!(year < last, "newest first: {years:?}");
        last = year;
        for d in y[1].as_array().unwrap() {
            assert_eq!(d.as_str().unwrap(), year.to_string(), "{years:?}");
        }
    }
    b.finish().await.or_fail();
}
