//! The clerk's journey with the site's address: a build with the shipped placeholder
//! `base_url` warns on stderr, and the program page and the classroom poster say on
//! screen (at 360 and 1280 px) and on paper (the printed PDF's text) that the address is
//! not set yet, their QR code holding the placeholder. Once the clerk sets the real
//! address and builds again, the warning and the notice are gone and the QR code read
//! back from the screen holds the real address.

use super::common::*;
use site_tests::browser::{Browser, Options};
use site_tests::site;
use std::path::Path;

const PROGRAM: &str = "/notices/wenzhou-2020/municipal-6/";
const POSTER: &str = "/notices/wenzhou-2020/municipal-6/poster/";
const KEY: &str = "wenzhou-2020%2Fmunicipal-6";
const REAL: &str = "https://pxb.rsj.wenzhou.gov.cn/";

/// `site-gen build` of `content` into `out`: its stderr (the build must succeed).
fn build(content: &Path, out: &Path) -> String {
    let o = site::run_site_gen(&[
        "build",
        "--content",
        site::path_str(content).or_fail(),
        "--out",
        site::path_str(out).or_fail(),
    ])
    .or_fail();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "build failed: {err}");
    err
}

/// What a person sees of the page `path` at `width`: the notice's text ("" when there
/// is none shown) and the URL its QR code holds, read back from a screenshot.
async fn seen(b: &Browser, path: &str, width: u32) -> (String, Vec<String>) {
    b.goto(path).await.or_fail();
    assert_no_sideways_scroll(b, &format!("{path} at {width} px")).await;
    let notice = if visible(b, "[data-address-unset]").await {
        text_of(b, "[data-address-unset]").await
    } else {
        String::new()
    };
    to_middle(b, "[data-survey-qr]").await;
    let (w, h, luma) = qr_shot(b, "[data-survey-qr]").await;
    (notice, read_qr(w, h, &luma))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerk_sees_the_placeholder_address_warned_about_then_sets_the_real_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let content = dir.path().join("content");
    site::copy_dir(&site_tests::workspace_root().join("content"), &content).or_fail();
    let out = dir.path().join("dist");
    let site_toml = content.join("site.toml");
    let shipped = std::fs::read_to_string(&site_toml).unwrap_or_else(|e| panic!("{e}"));

    // 1. The shipped placeholder: a warning naming base_url and content/site.toml.
    let err = build(&content, &out);
    assert!(err.contains("content/site.toml:2:"), "{err}");
    assert!(
        err.contains("警告：base_url"),
        "in the site's language: {err}"
    );
    assert!(err.contains("training.example.org"), "{err}");

    let placeholder_survey =
        format!("https://training.example.org/forms/wenzhou-survey/?program={KEY}");
    for width in [360, 1280] {
        let options = Options {
            mobile_width: (width == 360).then_some(360),
        };
        let b = Browser::start(&out, options).await.or_fail();
        for path in [PROGRAM, POSTER] {
            let (notice, qr) = seen(&b, path, width).await;
            assert!(
                notice.contains("网址未设置") && notice.contains("还没有设置"),
                "{path} at {width} px shows no notice: {notice:?}"
            );
            assert!(notice.contains("training.example.org"), "{notice}");
            assert!(notice.contains("content/site.toml"), "{notice}");
            assert_eq!(
                qr,
                std::slice::from_ref(&placeholder_survey),
                "{path} at {width} px"
            );
        }
        b.finish().await.or_fail();
    }
    // On paper too.
    let b = Browser::start(&out, Options::default()).await.or_fail();
    let pdf = dir.path().join("poster.pdf");
    print_to_pdf(&b.server.url(POSTER), &pdf);
    let paper = pdf_text(&pdf);
    let flat: String = paper.split_whitespace().collect();
    assert!(flat.contains("网址未设置"), "{paper}");
    assert!(flat.contains("还没有设置"), "{paper}");
    assert_eq!(
        pdf_pages(&paper),
        1,
        "the poster is not one A4 page:\n{paper}"
    );

    // 2. The clerk sets the real address and builds again.
    std::fs::write(
        &site_toml,
        shipped.replace("https://training.example.org/", REAL),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let err = build(&content, &out);
    assert!(!err.contains("警告") && !err.contains("warning"), "{err}");

    let real_survey = format!("{REAL}forms/wenzhou-survey/?program={KEY}");
    for path in [PROGRAM, POSTER] {
        let (notice, qr) = seen(&b, path, 1280).await;
        assert_eq!(notice, "", "{path} still says the address is not set");
        assert_eq!(qr, std::slice::from_ref(&real_survey), "{path}");
        assert!(text_of(&b, "[data-survey-url]")
            .await
            .contains(&real_survey));
    }
    print_to_pdf(&b.server.url(POSTER), &pdf);
    let flat: String = pdf_text(&pdf).split_whitespace().collect();
    assert!(!flat.contains("网址未设置"), "{flat}");
    assert!(flat.contains("pxb.rsj.wenzhou.gov.cn"), "{flat}");
    b.finish().await.or_fail();
    let b = Browser::start(
        &out,
        Options {
            mobile_width: Some(360),
        },
    )
    .await
    .or_fail();
    let (notice, qr) = seen(&b, POSTER, 360).await;
    assert_eq!(notice, "");
    assert_eq!(qr, [real_survey]);
    b.finish().await.or_fail();
}
