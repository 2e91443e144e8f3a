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
        ["2024年", "2020年", "2019年"]
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
    b.finish().await.or_fail();
}
