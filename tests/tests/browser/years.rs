//! Many years and moved notices, as a reader sees them: the home page's list of years, a
//! year of more than 20 notices on a page of its own, and a notice's former address
//! (`former_slugs`) leading to its page.

use super::common::*;
use serde_json::json;
use site_tests::browser::{Browser, Options};
use site_tests::site;

/// The site's content with wenzhou-2020 formerly at `wz-2020-plan` and 21 notices of 2019.
fn build() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    site::copy_dir(&site_tests::workspace_root().join("content"), &content).or_fail();
    let notice = content.join("notices/wenzhou-2020.toml");
    let text = std::fs::read_to_string(&notice).unwrap();
    let text = text.replacen(
        "publication = ",
        "former_slugs = [\"wz-2020-plan\"]\npublication = ",
        1,
    );
    std::fs::write(&notice, text).unwrap();
    for i in 1..=21 {
        std::fs::write(
            content.join(format!("notices/old-2019-{i:02}.toml")),
            format!(
                "title = \"2019年第{i}号通知\"\ndoc_number = \"温人社函〔2019〕{i}号\"\nissuer = \"温州市人力资源和社会保障局\"\ndate = 2019-03-{i:02}\nregion = \"浙江省温州市\"\nbody = \"正文。\"\n"
            ),
        )
        .unwrap();
    }
    // Three more years, one notice each: six years in all, more than one row at 360 px.
    for year in 2016..=2018 {
        std::fs::write(
            content.join(format!("notices/y-{year}.toml")),
            format!(
                "title = \"{year}年通知\"\ndoc_number = \"温人社函〔{year}〕1号\"\nissuer = \"温州市人力资源和社会保障局\"\ndate = {year}-05-01\nregion = \"浙江省温州市\"\nbody = \"正文。\"\n"
            ),
        )
        .unwrap();
    }
    let out = dir.path().join("dist");
    let o = site::run_site_gen(&[
        "build",
        "--content",
        site::path_str(&content).or_fail(),
        "--out",
        site::path_str(&out).or_fail(),
    ])
    .or_fail();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

async fn texts(b: &Browser, css: &str) -> Vec<String> {
    let v = b
        .js(
            "return Array.from(document.querySelectorAll(arguments[0]))
               .filter(e => e.getClientRects().length > 0).map(e => e.textContent.trim());",
            vec![json!(css)],
        )
        .await
        .or_fail();
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_year_has_its_page_and_a_former_address_leads_to_the_notice() {
    let dir = build();
    let b = Browser::start(
        &dir.path().join("dist"),
        Options {
            mobile_width: Some(360),
        },
    )
    .await
    .or_fail();

    // The home page: the years, and 2019's newest 20 with a link to all 21.
    b.goto("/").await.or_fail();
    assert_eq!(
        texts(&b, ".year-nav a").await,
        ["2024年", "2020年", "2019年", "2018年", "2017年", "2016年"]
    );
    assert_eq!(texts(&b, "#year-2019 + ol .notice-item h3").await.len(), 20);
    assert_eq!(
        texts(&b, "#year-2019 + ol .notice-item h3").await[0],
        "2019年第21号通知"
    );
    assert_eq!(
        texts(&b, ".year-more a").await,
        ["2019年的全部 21 个通知 →"]
    );
    if let Some(d) = std::env::var_os("SITE_TESTS_SHOT_DIR") {
        b.js(
            "document.querySelector('.year-more').scrollIntoView();",
            vec![],
        )
        .await
        .or_fail();
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&d).join("years-home-360.png"), png).unwrap();
    }
    b.find(".year-more a")
        .await
        .or_fail()
        .click()
        .await
        .unwrap();
    wait(
        &b,
        "location.pathname === '/years/2019/'",
        "the year's page",
    )
    .await;
    assert_eq!(text_of(&b, "h1").await.trim(), "2019年的通知（共 21 个）");
    let items = texts(&b, ".notice-item h3").await;
    assert_eq!(items.len(), 21);
    assert_eq!(items[20], "2019年第1号通知");
    assert_eq!(
        texts(&b, ".year-nav a[aria-current=page]").await,
        ["2019年"]
    );
    assert_years_wrap_compactly(&b).await;
    if let Some(d) = std::env::var_os("SITE_TESTS_SHOT_DIR") {
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&d).join("years-page-360.png"), png).unwrap();
    }
    // 2020 has no page of its own: its link leads to its group on the home page.
    b.js(
        "Array.from(document.querySelectorAll('.year-nav a')).find(a => a.textContent === '2020年').click();",
        vec![],
    )
    .await
    .or_fail();
    wait(
        &b,
        "location.pathname === '/' && location.hash === '#year-2020'",
        "2020 on the home page",
    )
    .await;

    // The notice's former address, and a program's, lead to their pages.
    b.goto("/notices/wz-2020-plan/").await.or_fail();
    wait(
        &b,
        "location.pathname === '/notices/wenzhou-2020/'",
        "the notice's page from its former address",
    )
    .await;
    assert!(text_of(&b, "h1")
        .await
        .contains("2020年度省级和市级专业技术人员高级研修班计划"));
    b.goto("/notices/wz-2020-plan/provincial-1/")
        .await
        .or_fail();
    wait(
        &b,
        "location.pathname === '/notices/wenzhou-2020/provincial-1/'",
        "the program's page from its former address",
    )
    .await;
    // The plan lists' downloads, fetched at the former address, are the files the
    // notice's page links (a static host cannot redirect a .csv as it does a page).
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    let links: Vec<String> = serde_json::from_value(
        b.js(
            "return Array.from(document.querySelectorAll('.downloads a'))
               .map(a => new URL(a.href).pathname);",
            vec![],
        )
        .await
        .or_fail(),
    )
    .unwrap_or_default();
    assert_eq!(links.len(), 6, "two lists, three downloads each: {links:?}");
    for new in &links {
        let old = new.replacen("/notices/wenzhou-2020/", "/notices/wz-2020-plan/", 1);
        assert_ne!(&old, new);
        let same = b
            .js_async(
                "const [a, b, done] = arguments;
                 Promise.all([a, b].map(u => fetch(u).then(r => r.ok ? r.arrayBuffer() : null)))
                   .then(([x, y]) => done(x !== null && y !== null && x.byteLength > 0
                     && x.byteLength === y.byteLength
                     && new Uint8Array(x).every((v, i) => v === new Uint8Array(y)[i])));",
                vec![json!(old), json!(new)],
            )
            .await
            .or_fail();
        assert_eq!(same, json!(true), "{old} is not the file at {new}");
    }
    b.finish().await.or_fail();
}

/// The list of years at 360 px, as a reader sees it: every year on screen, each link a
/// 44 px tap target, and the rows it wraps into close together. What is measured is
/// what shows: an item's frame when it has one (a border or a background), else its
/// text. The space between one row of items and the next is at most half a line.
async fn assert_years_wrap_compactly(b: &Browser) {
    let v = b
        .js(
            "const shown = (li) => {
               const s = getComputedStyle(li);
               const framed = (parseFloat(s.borderTopWidth) > 0 && s.borderTopStyle !== 'none')
                 || s.backgroundColor !== 'rgba(0, 0, 0, 0)';
               if (framed) return li.getBoundingClientRect();
               const w = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
               let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
               for (let t = w.nextNode(); t; t = w.nextNode()) {
                 const r = document.createRange(); r.selectNodeContents(t);
                 const b = r.getBoundingClientRect();
                 if (b.height === 0) continue;
                 top = Math.min(top, b.top); bottom = Math.max(bottom, b.bottom);
                 left = Math.min(left, b.left); right = Math.max(right, b.right);
               }
               return {top, bottom, left, right};
             };
             const items = Array.from(document.querySelectorAll('.year-nav li')).map(li => {
               const r = shown(li), a = li.querySelector('a').getBoundingClientRect();
               return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                       link: [a.left, a.right, a.height]};
             });
             const line = parseFloat(getComputedStyle(document.querySelector('.year-nav a')).fontSize);
             return {items, line, width: document.documentElement.clientWidth};",
            vec![],
        )
        .await
        .or_fail();
    let width = v["width"].as_f64().unwrap_or(0.0);
    let line = v["line"].as_f64().unwrap_or(0.0);
    let items = v["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 6, "{v}");
    let f = |i: &serde_json::Value, k: &str| i[k].as_f64().unwrap_or(f64::NAN);
    for i in &items {
        let link = &i["link"];
        let (l, r, h) = (
            link[0].as_f64().unwrap_or(-1.0),
            link[1].as_f64().unwrap_or(1e9),
            link[2].as_f64().unwrap_or(0.0),
        );
        assert!(
            l >= 0.0 && r <= width,
            "a year's link is off screen: {i} (width {width})"
        );
        assert!(h >= 44.0, "a year's link is {h} px tall, under 44: {i}");
    }
    // Rows: items whose tops are within a pixel of each other.
    let mut rows: Vec<(f64, f64)> = Vec::new();
    for i in &items {
        match rows.iter_mut().find(|r| (r.0 - f(i, "top")).abs() < 1.0) {
            Some(r) => r.1 = r.1.max(f(i, "bottom")),
            None => rows.push((f(i, "top"), f(i, "bottom"))),
        }
    }
    assert!(rows.len() >= 2, "the six years fit one row at 360 px: {v}");
    for pair in rows.windows(2) {
        let gap = pair[1].0 - pair[0].1;
        assert!(
            (0.0..=line / 2.0).contains(&gap),
            "{gap:.1} px between two rows of years (at most half a line, {:.1} px): {v}",
            line / 2.0
        );
    }
}
