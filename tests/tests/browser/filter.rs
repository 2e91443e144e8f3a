//! Finding a program: one filter box at the top of a notice's plan lists filters every
//! list, matching as the site's search does (full-width and half-width forms and Latin
//! case folded, each word within one cell), says "没有匹配的项目", keeps the captions'
//! counts and keeps its query in the address; organizer pages list contacts as phone
//! links without repeating the organizer; organizers sort by pinyin.

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};

async fn filter(b: &Browser, text: &str) {
    let input = b.find("[data-filter-box] input").await.or_fail();
    input
        .clear()
        .await
        .unwrap_or_else(|e| panic!("cannot clear the filter: {e}"));
    if !text.is_empty() {
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("cannot type into the filter: {e}"));
    } else {
        // clear() fires no input event.
        b.js(
            "document.querySelector('[data-filter-box] input').dispatchEvent(new Event('input'));",
            vec![],
        )
        .await
        .or_fail();
    }
}

/// Names of the visible rows of a table, its caption and whether its no-match line shows.
async fn table_state(b: &Browser, id: &str) -> (Vec<String>, String, bool) {
    let v = b
        .js(
            "const t = document.getElementById(arguments[0]);
             const rows = Array.from(t.tBodies[0].rows).filter(r => r.getClientRects().length > 0);
             const empty = document.querySelector('[data-no-match=\"' + arguments[0] + '\"]');
             return [rows.map(r => r.querySelector('th').textContent.trim()),
                     t.caption.textContent, !!empty && !empty.hidden];",
            vec![json!(id)],
        )
        .await
        .or_fail();
    let names = v[0]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    (
        names,
        v[1].as_str().unwrap_or("").to_string(),
        v[2] == json!(true),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_box_filters_every_list_matching_as_search_does() {
    let b = open(Options::default()).await;
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    let boxes = b
        .js(
            "return document.querySelectorAll('[data-filter-box]').length;",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(boxes, json!(1), "one filter box for the page");
    assert!(visible(&b, "[data-filter-box] input").await);

    // "陈 强" is two words, each found in the contact's cell "陈 强" (four provincial
    // programs); no municipal row has both.
    filter(&b, "陈 强").await;
    let (prov, prov_cap, prov_empty) = table_state(&b, "table-provincial").await;
    assert_eq!(prov.len(), 4, "{prov:?}");
    assert!(prov_cap.contains("显示4项，共11项"), "{prov_cap}");
    assert!(!prov_empty);
    let (muni, muni_cap, muni_empty) = table_state(&b, "table-municipal").await;
    assert!(muni.is_empty(), "{muni:?}");
    assert!(muni_cap.contains("显示0项，共10项"), "{muni_cap}");
    assert!(muni_empty, "没有匹配的项目 under the municipal list");
    assert!(text_of(&b, "[data-filter-box] output")
        .await
        .contains("显示 4 / 21 项"));

    // As in search, 陈强 is one word, and no cell holds it: the space of "陈 强" is text.
    filter(&b, "陈强").await;
    let (prov, _, prov_empty) = table_state(&b, "table-provincial").await;
    assert!(prov.is_empty() && prov_empty, "{prov:?}");

    // ３Ｄ (full-width) finds 增材制造（3D打印）技术 in the municipal list.
    filter(&b, "３Ｄ").await;
    let (muni, muni_cap, _) = table_state(&b, "table-municipal").await;
    assert_eq!(muni, ["增材制造（3D打印）技术"]);
    assert!(muni_cap.contains("显示1项，共10项"), "{muni_cap}");
    let (prov, _, prov_empty) = table_state(&b, "table-provincial").await;
    assert!(prov.is_empty() && prov_empty);

    // Two words must both match; a phone number is found too.
    filter(&b, "乐清 62061960").await;
    let (prov, _, _) = table_state(&b, "table-provincial").await;
    assert_eq!(prov, ["新型冠状病毒肺炎HRCT表现及演变经验交流会"]);

    filter(&b, "没有这个项目").await;
    assert_eq!(
        text_of(&b, "[data-filter-box] output").await.trim(),
        "没有匹配的项目"
    );

    filter(&b, "").await;
    let (prov, prov_cap, prov_empty) = table_state(&b, "table-provincial").await;
    assert_eq!(prov.len(), 11);
    assert!(
        prov_cap.ends_with("（共11项）") && !prov_empty,
        "{prov_cap}"
    );
    b.finish().await.or_fail();
}

/// What the filter shows: the box's text, its count line, the address's query, and the
/// names of the rows one sees in the two lists.
async fn filter_seen(b: &Browser) -> (String, String, String, usize) {
    let v = b
        .js(
            "const rows = Array.from(document.querySelectorAll('table[data-filterable] tbody tr'))
                 .filter(r => r.getClientRects().length > 0);
             return [document.querySelector('[data-filter-box] input').value,
                     document.querySelector('[data-filter-box] output').textContent,
                     decodeURIComponent(location.search), rows.length];",
            vec![],
        )
        .await
        .or_fail();
    (
        v[0].as_str().unwrap_or("").to_string(),
        v[1].as_str().unwrap_or("").to_string(),
        v[2].as_str().unwrap_or("").to_string(),
        v[3].as_u64().unwrap_or(0) as usize,
    )
}

/// Whether the element `css` lies wholly within the window.
async fn in_view(b: &Browser, css: &str) -> bool {
    b.js(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();
         return r.top >= -1 && r.bottom <= innerHeight + 1 && r.height > 0;",
        vec![json!(css)],
    )
    .await
    .or_fail()
        == json!(true)
}

/// A screenshot into `SITE_TESTS_SHOT_DIR`, when set (for looking at the page).
async fn shot(b: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("SITE_TESTS_SHOT_DIR") {
        let png = b.client.screenshot().await.expect("a screenshot");
        std::fs::write(std::path::Path::new(&dir).join(name), png).unwrap();
    }
}

/// The notice's first screen leads to the filter at the top of the plan lists; what one
/// types there is kept in the address, and a reload, a shared address or a step back
/// from a program shows the same rows.
async fn filter_from_the_top_kept_in_the_address(width: Option<u32>, name: &str) {
    let b = open(Options {
        mobile_width: width,
    })
    .await;
    b.goto("/notices/wenzhou-2020/").await.or_fail();
    assert!(
        in_view(&b, ".to-lists a").await,
        "{name}: the link to the plan lists is on the first screen"
    );
    assert_eq!(
        text_of(&b, ".to-lists a").await.trim(),
        "计划表：共 21 个项目 ↓"
    );
    assert!(!in_view(&b, "[data-filter-box] input").await);
    b.find(".to-lists a").await.or_fail().click().await.unwrap();
    wait(
        &b,
        "(() => { const r = document.querySelector('[data-filter-box] input').getBoundingClientRect(); return r.top >= -1 && r.bottom <= innerHeight + 1; })()",
        "the filter box in view after following the link",
    )
    .await;
    // The box comes first in the plan lists, before the first list's heading.
    let first = b
        .js(
            "return document.querySelector('#plan-lists > *').matches('[data-filter-box]');",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(first, json!(true), "{name}: the box heads the plan lists");

    let entries = b.js("return history.length;", vec![]).await.or_fail();
    filter(&b, "乐清").await;
    assert_eq!(
        filter_seen(&b).await,
        ("乐清".into(), "显示 3 / 21 项".into(), "?q=乐清".into(), 3),
        "{name}"
    );
    assert_eq!(
        b.js("return history.length;", vec![]).await.or_fail(),
        entries,
        "{name}: typing adds no history entries"
    );
    shot(&b, &format!("filter-{name}.png")).await;

    // A reload (or the address shared) shows the same rows.
    b.client.refresh().await.unwrap();
    wait(
        &b,
        "document.querySelector('[data-filter-box] output').textContent !== ''",
        "the filter restored from the address",
    )
    .await;
    assert_eq!(
        filter_seen(&b).await,
        ("乐清".into(), "显示 3 / 21 项".into(), "?q=乐清".into(), 3),
        "{name}: after a reload"
    );
    assert!(
        in_view(&b, "[data-filter-box] input").await,
        "{name}: an address with a query opens on the filtered rows"
    );

    // To a program and back: the same rows.
    b.js(
        "Array.from(document.querySelectorAll('table[data-filterable] tbody tr'))
             .find(r => r.getClientRects().length > 0).querySelector('th a').click();",
        vec![],
    )
    .await
    .or_fail();
    wait(
        &b,
        "!location.pathname.endsWith('/notices/wenzhou-2020/')",
        "the program page",
    )
    .await;
    b.client.back().await.unwrap();
    wait(
        &b,
        "location.search !== '' && document.querySelector('[data-filter-box] output').textContent !== ''",
        "the notice again",
    )
    .await;
    assert_eq!(
        filter_seen(&b).await,
        ("乐清".into(), "显示 3 / 21 项".into(), "?q=乐清".into(), 3),
        "{name}: back from a program"
    );

    // Emptied, the box takes the query out of the address and shows every row.
    filter(&b, "").await;
    assert_eq!(
        filter_seen(&b).await,
        (String::new(), String::new(), String::new(), 21),
        "{name}"
    );
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_filter_is_reached_from_the_top_and_kept_in_the_address() {
    filter_from_the_top_kept_in_the_address(Some(360), "360").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_desktop_the_filter_is_reached_from_the_top_and_kept_in_the_address() {
    filter_from_the_top_kept_in_the_address(None, "1280").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizer_page_lists_contacts_to_call_and_organizers_sort_by_pinyin() {
    let b = open(Options::default()).await;
    b.goto("/organizers/%E6%B8%A9%E5%B7%9E%E5%B8%82%E6%9C%BA%E7%94%B5%E6%8A%80%E6%9C%AF%E5%8D%8F%E4%BC%9A/")
        .await
        .or_fail();
    let v = b
        .js(
            "const t = document.getElementById('table-group');
             return [t.querySelectorAll('tbody a[href=\"tel:88879706\"]').length,
                     Array.from(t.tHead.rows[0].cells).map(c => c.textContent),
                     t.tBodies[0].textContent.includes('温州市机电技术协会'),
                     t.tBodies[0].textContent.includes('自筹')];",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(
        v[0],
        json!(5),
        "each of the five programs has its phone as a tel: link"
    );
    let headers: Vec<&str> = v[1]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(!headers.contains(&"举办单位"), "{headers:?}");
    assert!(
        headers.contains(&"联系人及电话") && headers.contains(&"经费形式/资助类型"),
        "{headers:?}"
    );
    assert_eq!(
        v[2],
        json!(false),
        "the organizer is not repeated on every row"
    );
    assert_eq!(v[3], json!(true), "funding is shown");

    // A municipal organizer shows the amount.
    b.goto("/organizers/%E5%8D%8E%E4%B8%AD%E7%A7%91%E6%8A%80%E5%A4%A7%E5%AD%A6%E6%B8%A9%E5%B7%9E%E5%85%88%E8%BF%9B%E5%88%B6%E9%80%A0%E6%8A%80%E6%9C%AF%E7%A0%94%E7%A9%B6%E9%99%A2/")
        .await
        .or_fail();
    let body = text_of(&b, "#table-group tbody").await;
    assert!(
        body.contains("重点类") && body.contains("3万") && body.contains("15372830668"),
        "{body}"
    );

    b.goto("/organizers/").await.or_fail();
    let names = b
        .js("return Array.from(document.querySelectorAll('.group-list a')).map(a => a.textContent);", vec![])
        .await
        .or_fail();
    let names: Vec<&str> = names
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let pos = |prefix: &str| {
        names
            .iter()
            .position(|n| n.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}… in {names:?}"))
    };
    assert!(pos("华中") < pos("温州"), "{names:?}");
    assert!(pos("温州") < pos("浙江"), "{names:?}");
    assert_ne!(
        names[0], "乐清市人民医院",
        "not code-point order: {names:?}"
    );
    b.finish().await.or_fail();
}
