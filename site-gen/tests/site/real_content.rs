//! The real `content/` of the repository builds into the site the seeds describe.

use std::path::Path;

use crate::support::Fixture;
use site_gen::content;
use site_gen::render::{self, Templates};

#[test]
fn real_content_has_all_21_wenzhou_programs_both_doc_numbers_and_the_shandong_note() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let raw = content::load(&dir).expect("content/ readable");
    let site = match content::validate(&raw) {
        Ok(s) => s,
        Err(d) => panic!("content/ has errors:\n{d}"),
    };
    let templates = Templates::load(Templates::override_dir_for(&dir).as_deref()).unwrap();
    let files = render::render(&site, &templates).unwrap();
    let has = |p: &str| files.iter().any(|f| f.path == p);
    let text = |p: &str| {
        String::from_utf8(files.iter().find(|f| f.path == p).unwrap().bytes.clone()).unwrap()
    };
    for n in 1..=11 {
        assert!(
            has(&format!("notices/wenzhou-2020/provincial-{n}/index.html")),
            "provincial {n}"
        );
    }
    for n in 1..=10 {
        assert!(
            has(&format!("notices/wenzhou-2020/municipal-{n}/index.html")),
            "municipal {n}"
        );
    }
    assert!(!has("notices/wenzhou-2020/provincial-12/index.html"));
    assert!(!has("notices/wenzhou-2020/municipal-11/index.html"));
    let wenzhou = text("notices/wenzhou-2020/index.html");
    assert!(wenzhou.contains("温人社发〔2020〕77号"));
    let shandong = text("notices/shandong-2024/index.html");
    assert!(shandong.contains("鲁人社函〔2024〕80号"));
    assert!(
        shandong.contains("不在本站所依据的通知文本中"),
        "Shandong note about the 129 projects"
    );
    let index = text("index.html");
    assert!(
        index.find("鲁人社函〔2024〕80号") < index.find("温人社发〔2020〕77号"),
        "newest first"
    );
    // The seed's 顾雪萍 / 姜扬丰 row keeps both contacts and phones.
    let p1 = text("notices/wenzhou-2020/provincial-1/index.html");
    assert!(p1.contains("tel:88526559") && p1.contains("tel:88505434"));
}

#[test]
fn fixture_builder_sanity() {
    // The builder finds its fixtures through CARGO_MANIFEST_DIR, not the current folder.
    assert!(Fixture::new("basic").content().join("site.toml").is_file());
}
