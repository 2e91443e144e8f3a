//! The pages of the `basic` fixture: snapshots of each page's `<main>`, and the
//! properties every page must have.

use crate::support::Fixture;

fn built() -> crate::support::Built {
    Fixture::new("basic").build()
}

#[test]
fn snapshots_of_each_page_main() {
    let b = built();
    for (name, path) in [
        ("index", "index.html"),
        ("notice_alpha", "notices/alpha-2024/index.html"),
        (
            "notice_beta_without_programs",
            "notices/beta-2023/index.html",
        ),
        (
            "program_alpha_main_1",
            "notices/alpha-2024/main-1/index.html",
        ),
        (
            "program_alpha_main_2",
            "notices/alpha-2024/main-2/index.html",
        ),
        ("organizers", "organizers/index.html"),
        ("organizer", "organizers/测试大学培训中心/index.html"),
        ("categories", "categories/index.html"),
        ("category", "categories/数字经济/index.html"),
    ] {
        insta::assert_snapshot!(name, b.main(path));
    }
}

#[test]
fn index_lists_notices_newest_first() {
    let m = built().main("index.html");
    let alpha = m.find("测人社发〔2024〕1号").unwrap();
    let beta = m.find("测人社函〔2023〕9号").unwrap();
    assert!(alpha < beta);
}

#[test]
fn every_page_has_csp_skip_link_main_nav_footer_and_no_inline_script_or_style() {
    let b = built();
    let pages: Vec<_> = b
        .files
        .keys()
        .filter(|k| k.ends_with(".html"))
        .cloned()
        .collect();
    assert!(pages.len() >= 10);
    for p in pages {
        let h = b.text(&p);
        assert!(h.contains("<html lang=\"zh-CN\">"), "{p}");
        assert!(h.contains("http-equiv=\"Content-Security-Policy\""), "{p}");
        assert!(h.contains("script-src 'self' 'wasm-unsafe-eval'"), "{p}");
        assert!(h.contains("class=\"skip-link\" href=\"#main\""), "{p}");
        assert!(h.contains("<main id=\"main\""), "{p}");
        assert!(h.contains("<nav class=\"site-nav\""), "{p}");
        assert!(h.contains("测试页脚"), "{p}");
        assert!(!h.contains(" style=\""), "inline style in {p}");
        let policy = h
            .split("http-equiv=\"Content-Security-Policy\" content=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        let allowed = |directive: &str, text: &str| {
            use base64::Engine as _;
            use sha2::Digest as _;
            let hash = base64::engine::general_purpose::STANDARD
                .encode(sha2::Sha256::digest(text.as_bytes()));
            policy.split(';').map(str::trim).any(|d| {
                d.starts_with(&format!("{directive} ")) && d.contains(&format!("'sha256-{hash}'"))
            })
        };
        for (i, _) in h.match_indices("<script") {
            let tag = &h[i..h[i..].find('>').unwrap() + i];
            let text = &h[i + tag.len() + 1..];
            let text = &text[..text.find("</script>").unwrap()];
            assert!(
                // Data blocks are not run: JSON, or a schema in the engine's wire form. A
                // script the page carries inline runs only as the policy names its hash.
                tag.contains(" src=\"")
                    || tag.contains("type=\"application/json\"")
                    || tag.contains("type=\"text/plain\"")
                    || allowed("script-src", text),
                "inline script not in the policy in {p}: {tag}"
            );
        }
        for (i, _) in h.match_indices("<style>") {
            let text = &h[i + "<style>".len()..];
            let text = &text[..text.find("</style>").unwrap()];
            assert!(
                allowed("style-src", text),
                "inline style not in the policy in {p}"
            );
        }
        assert!(
            !h.contains("livereload"),
            "live reload only when serving: {p}"
        );
    }
}

#[test]
fn reading_mode_switch_is_on_every_page_and_hidden_until_its_script_runs() {
    let b = built();
    let pages: Vec<_> = b
        .files
        .keys()
        .filter(|k| k.ends_with(".html"))
        .cloned()
        .collect();
    for p in pages {
        let h = b.text(&p);
        let head = &h[..h.find("</head>").unwrap()];
        // Loaded in <head>, not deferred: the chosen mode applies before the first paint.
        // A form page carries it inline (its text, as served, inside the tag).
        let prefs_url = site_gen::render::assets::url("prefs.js").unwrap();
        let prefs_text = site_gen::render::assets::table()
            .get("assets/prefs.js")
            .map(|a| String::from_utf8_lossy(&a.bytes).trim_end().to_string())
            .unwrap();
        let tag = head
            .match_indices("<script")
            .map(|(i, _)| {
                let end = i + head[i..].find('>').unwrap();
                (&head[i..end], &head[end + 1..])
            })
            .find(|(t, after)| {
                t.contains(&format!("{prefs_url}\"")) || after.starts_with(&prefs_text)
            })
            .map(|(t, _)| t)
            .unwrap_or_else(|| panic!("{p}: no prefs.js in <head>"));
        assert!(
            !tag.contains("defer") && !tag.contains("async"),
            "{p}: {tag}"
        );
        // Without JavaScript the buttons never show and the page stays in normal mode.
        assert!(
            h.contains(
                "<div class=\"prefs\" data-prefs role=\"group\" aria-label=\"阅读设置\" hidden>"
            ),
            "{p}"
        );
        assert!(
            h.contains("data-pref=\"text\" aria-pressed=\"false\">大字</button>"),
            "{p}"
        );
        assert!(
            h.contains("data-pref=\"contrast\" aria-pressed=\"false\">高对比</button>"),
            "{p}"
        );
        // The page itself opens in normal mode (the inline rules name the modes).
        let html_tag = &h[h.find("<html").unwrap()..];
        let html_tag = &html_tag[..html_tag.find('>').unwrap()];
        assert!(
            !html_tag.contains("data-text=") && !html_tag.contains("data-contrast="),
            "{p}"
        );
    }
    let prefs = site_gen::render::assets::url("prefs.js").unwrap();
    assert!(b.files.contains_key(prefs.trim_start_matches('/')));
    let patterns = site_gen::render::assets::url("chart-patterns.svg").unwrap();
    assert!(b.files.contains_key(patterns.trim_start_matches('/')));
}

#[test]
fn raw_html_in_markdown_is_escaped() {
    let b = built();
    let notice = b.text("notices/alpha-2024/index.html");
    assert!(
        notice.contains("&lt;script&gt;alert(&quot;raw html must be escaped&quot;)&lt;/script&gt;")
            || notice.contains("&lt;script&gt;alert(\"raw html must be escaped\")&lt;/script&gt;")
    );
    assert!(!notice.contains("<script>alert"));
    let program = b.text("notices/alpha-2024/main-1/index.html");
    assert!(program.contains("&lt;script&gt;"));
    assert!(!program.contains("<script>alert"));
}

#[test]
fn plan_table_is_accessible_and_filterable() {
    let m = built().main("notices/alpha-2024/index.html");
    assert!(m.contains("<caption id=\"cap-main\">2024年度测试高研班项目名单<span data-count data-total=\"2\">（共2项）</span></caption>"));
    assert!(m.contains("<th scope=\"col\">资助金额</th>"));
    assert!(m.contains(
        "<th scope=\"row\"><a href=\"/training/notices/alpha-2024/main-1/\">智能制造新技术</a></th>"
    ));
    // One filter box for every list of the page, each table filterable.
    assert_eq!(m.matches("data-filter-box hidden").count(), 1);
    assert!(m.contains("<table id=\"table-main\" data-filterable>"));
    assert!(
        m.contains("<p class=\"no-match\" data-no-match=\"table-main\" hidden>没有匹配的项目</p>")
    );
    assert!(m.contains("href=\"/training/notices/alpha-2024/main.csv\""));
    assert!(m.contains("href=\"/training/notices/alpha-2024/main.xlsx\""));
    let page = built().text("notices/alpha-2024/index.html");
    let filter = site_gen::render::assets::url("filter.js").unwrap();
    assert!(page.contains(&format!(
        "<script type=\"module\" src=\"/training{filter}\"></script>"
    )));
}

#[test]
fn attachments_link_to_form_pages_and_list_anchors_in_order() {
    let m = built().main("notices/alpha-2024/index.html");
    let list = m
        .find("<a href=\"#list-main\">2024年度测试高研班项目名单</a>")
        .unwrap();
    let form = m.find("<a href=\"/training/forms/wenzhou-survey/?notice=alpha-2024\">市级高研班质量评估表（学员填报）</a>").unwrap();
    assert!(list < form);
}

#[test]
fn program_page_has_tel_links_rules_and_prefilled_form_links() {
    let m = built().main("notices/alpha-2024/main-1/index.html");
    assert!(m.contains("<a href=\"tel:88526559\">88526559</a>"));
    assert!(
        m.contains("<a href=\"tel:0577-88505434\">0577-88505434</a>")
            || m.contains("<a href=\"tel:057788505434\">0577-88505434</a>")
    );
    for rule in [
        "每期学员不少于30名",
        "研修时间2-3天",
        "办班前10个工作日",
        "结束后20个工作日内",
        "2024年11月30日前完成",
    ] {
        assert!(m.contains(rule), "missing {rule}");
    }
    assert!(m.contains(
        "/training/forms/wenzhou-survey/?notice=alpha-2024&amp;list=main&amp;project_name=%E6%99%BA%E8%83%BD%E5%88%B6%E9%80%A0%E6%96%B0%E6%8A%80%E6%9C%AF&amp;organizer=%E6%B5%8B%E8%AF%95%E5%A4%A7%E5%AD%A6%E5%9F%B9%E8%AE%AD%E4%B8%AD%E5%BF%83"
    ));
}

#[test]
fn csv_has_bom_crlf_seed_headers_and_is_formula_safe() {
    let csv = built().text("notices/alpha-2024/main.csv");
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(
        lines[0],
        "序号,高研班名称,举办单位,专业类别,资助类型,资助金额,联系人,联系电话"
    );
    assert_eq!(lines[1], "1,智能制造新技术,测试大学培训中心,数字经济,重点类,3万,张三、李四,88526559 13567739185 0577-88505434");
    assert!(
        lines[2]
            .starts_with("2,\"'=HYPERLINK(\"\"x\"\")公式单元格\",测试市机电协会,,一般类,2.5万,"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.last(), Some(&""));
    assert!(!csv.replace("\r\n", "").contains('\n'));
}

#[test]
fn json_list_has_numbers_and_urls() {
    let v: serde_json::Value =
        serde_json::from_str(&built().text("notices/alpha-2024/main.json")).unwrap();
    assert_eq!(v["programs"][0]["amount_wan"], serde_json::json!(3));
    assert_eq!(v["programs"][1]["amount_wan"], serde_json::json!(2.5));
    assert_eq!(
        v["programs"][0]["url"],
        "/training/notices/alpha-2024/main-1/"
    );
    assert_eq!(
        v["programs"][0]["contacts"][1]["phones"][1],
        "0577-88505434"
    );
}

#[test]
fn sitemap_atom_and_404() {
    let b = built();
    let sitemap = b.text("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/training/notices/alpha-2024/</loc>"));
    assert!(sitemap.contains("<loc>https://example.org/training/organizers/%E6%B5%8B%E8%AF%95%E5%A4%A7%E5%AD%A6%E5%9F%B9%E8%AE%AD%E4%B8%AD%E5%BF%83/</loc>"));
    let atom = b.text("atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 2);
    assert!(atom.contains("<updated>2024-07-03T00:00:00+08:00</updated>"));
    // The fixture overrides 404.html from templates/ beside content/.
    assert!(b.text("404.html").contains("自定义 404"));
}

#[test]
fn empty_category_is_not_invented() {
    let b = built();
    let m = b.main("notices/alpha-2024/main-2/index.html");
    assert!(!m.contains("专业类别"));
    assert!(b.main("categories/index.html").contains("数字经济"));
    assert!(!b
        .files
        .keys()
        .any(|k| k.starts_with("categories/") && k.contains("机电")));
}

#[test]
fn list_without_programs_shows_its_note_and_no_table() {
    let m = built().main("notices/beta-2023/index.html");
    assert!(m.contains("项目计划表不在本通知文本中"));
    assert!(!m.contains("<table"));
}

/// Organizer pages are listed in pinyin order, reading the words of `[readings]` in
/// site.toml as given there: 乐清 is yuè qīng, so after 温州 (wēn), not before it (lè).
#[test]
fn organizers_in_pinyin_order_with_site_readings() {
    let fixture = Fixture::new("basic");
    let notice = fixture.content().join("notices/alpha-2024.toml");
    let text = std::fs::read_to_string(&notice).unwrap();
    let text = text
        .replace("测试大学培训中心", "温州大学培训中心")
        .replace("测试市机电协会", "乐清市机电协会");
    let site_toml = fixture.content().join("site.toml");
    let site = std::fs::read_to_string(&site_toml).unwrap();
    let order = |b: &crate::support::Built| {
        let page = b.main("organizers/index.html");
        let (wz, yq) = (page.find("温州大学培训中心"), page.find("乐清市机电协会"));
        assert!(wz.is_some() && yq.is_some(), "{page}");
        wz < yq
    };
    let fixture = fixture.file("content/notices/alpha-2024.toml", &text);
    assert!(!order(&fixture.build()), "乐 read lè puts 乐清 first");
    let fixture = fixture.file(
        "content/site.toml",
        &format!("{site}\n[readings]\n\"乐清\" = \"yue4 qing1\"\n"),
    );
    assert!(order(&fixture.build()), "乐清 read yuè comes after 温州");
}

#[test]
fn each_page_has_a_meta_description_of_its_own_escaped_in_its_attribute() {
    let b = built();
    let meta = |path: &str| {
        let html = b.text(path);
        let at = html
            .find("<meta name=\"description\" content=\"")
            .unwrap_or_else(|| panic!("{path} has no description"));
        let head_end = html.find("</head>").unwrap();
        assert!(at < head_end, "{path}: the description is not in the head");
        let rest = &html[at + "<meta name=\"description\" content=\"".len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    // The quotes of a program's name are escaped; the program says who runs it and
    // where its notice lists it.
    assert_eq!(
        meta("notices/alpha-2024/main-2/index.html"),
        "=HYPERLINK(&quot;x&quot;)公式单元格：测试市机电协会举办。列入测人社发〔2024〕1号2024年度测试高研班项目名单第2项。"
    );
    assert_eq!(
        meta("notices/alpha-2024/main-1/index.html"),
        "智能制造新技术：测试大学培训中心举办，专业类别为数字经济。列入测人社发〔2024〕1号2024年度测试高研班项目名单第1项。"
    );
    assert_eq!(
        meta("notices/alpha-2024/index.html"),
        "测人社发〔2024〕1号《关于公布2024年度测试高级研修班计划的通知》，测试市人力资源和社会保障局2024年7月3日发布，列出高研班项目2个。"
    );
    assert_eq!(
        meta("organizers/测试市机电协会/index.html"),
        "测试市机电协会举办的高研班项目1个：=HYPERLINK(&quot;x&quot;)公式单元格。"
    );
    assert_eq!(meta("index.html"), site_gen::content::model::DEFAULT_INTRO);
}

/// `basic` with `n` more notices dated in 2022, newest first by day.
fn with_2022_notices(n: usize) -> crate::support::Built {
    let mut f = Fixture::new("basic");
    for i in 1..=n {
        f = f.file(
            &format!("content/notices/old-{i:02}.toml"),
            &format!(
                "title = \"二〇二二年第{i}号测试通知\"\ndoc_number = \"测人社函〔2022〕{i}号\"\nissuer = \"测试市人力资源和社会保障局\"\ndate = 2022-01-{i:02}\nregion = \"测试市\"\nbody = \"正文。\"\n"
            ),
        );
    }
    f.build()
}

#[test]
fn a_long_year_has_a_page_of_its_own_linked_from_the_home_page_and_the_sitemap() {
    use site_gen::render::years::YEAR_PAGE_AFTER;
    let long = YEAR_PAGE_AFTER + 2;
    let b = with_2022_notices(long);
    let home = b.main("index.html");
    // The home page shows the year's newest YEAR_PAGE_AFTER and links to the rest.
    let group = &home[home.find("id=\"year-2022\"").unwrap()..];
    assert_eq!(
        group.matches("class=\"notice-item\"").count(),
        YEAR_PAGE_AFTER
    );
    assert!(
        group.contains(&format!("二〇二二年第{long}号测试通知")),
        "newest first"
    );
    assert!(
        !group.contains("二〇二二年第1号测试通知"),
        "the oldest only on the year's page"
    );
    assert!(
        group.contains(&format!(
            "<a href=\"/training/years/2022/\">2022年的全部 {long} 个通知 →</a>"
        )),
        "{group}"
    );
    // The list of years: 2022 to its page, the short years to their group on the home page.
    assert!(
        home.contains("<a href=\"/training/years/2022/\">2022年</a>"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/training/#year-2024\">2024年</a>"),
        "{home}"
    );
    assert!(!b.files.contains_key("years/2024/index.html"));
    assert!(!b.files.contains_key("years/2023/index.html"));

    let page = b.main("years/2022/index.html");
    assert_eq!(page.matches("class=\"notice-item\"").count(), long);
    assert!(page.contains(&format!(
        "2022年的通知<span class=\"count\">（共 {long} 个）"
    )));
    assert!(page.contains("<a href=\"/training/years/2022/\" aria-current=\"page\">2022年</a>"));
    assert!(page.contains("<a href=\"/training/#year-2023\">2023年</a>"));
    let first = page.find(&format!("二〇二二年第{long}号测试通知")).unwrap();
    let last = page.find("二〇二二年第1号测试通知").unwrap();
    assert!(first < last, "newest first");

    let sitemap = b.text("sitemap.xml");
    assert!(sitemap.contains("/years/2022/</loc>"), "{sitemap}");
}

#[test]
fn a_year_of_no_more_than_the_threshold_stays_on_the_home_page() {
    use site_gen::render::years::YEAR_PAGE_AFTER;
    let b = with_2022_notices(YEAR_PAGE_AFTER);
    let home = b.main("index.html");
    let group = &home[home.find("id=\"year-2022\"").unwrap()..];
    assert_eq!(
        group.matches("class=\"notice-item\"").count(),
        YEAR_PAGE_AFTER
    );
    assert!(!home.contains("/years/"), "{home}");
    assert!(!b.files.keys().any(|p| p.starts_with("years/")));
}

/// `basic` with alpha-2024's notice declaring `former` as its former slugs.
fn alpha_formerly(former: &str) -> Fixture {
    let f = Fixture::new("basic");
    let path = f.content().join("notices/alpha-2024.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "publication = ",
        &format!("former_slugs = {former}\npublication = "),
        1,
    );
    std::fs::write(&path, text).unwrap();
    f
}

#[test]
fn a_notice_moved_to_another_slug_keeps_a_redirect_page_at_its_old_address() {
    let b = alpha_formerly("[\"alpha-old\"]").build();
    let old = b.text("notices/alpha-old/index.html");
    assert!(
        old.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{old}"
    );
    // The refresh is relative to the old folder: it holds under the site's base path.
    assert!(
        old.contains("<meta http-equiv=\"refresh\" content=\"0; url=../../notices/alpha-2024/\">"),
        "{old}"
    );
    assert!(
        old.contains(
            "<link rel=\"canonical\" href=\"https://example.org/training/notices/alpha-2024/\">"
        ),
        "{old}"
    );
    assert!(
        old.contains("<a href=\"/training/notices/alpha-2024/\">关于公布2024年度测试高级研修班计划的通知</a>"),
        "{old}"
    );
    // Each program page of the old address leads to the program's page.
    let program = b.text("notices/alpha-old/main-1/index.html");
    assert!(
        program.contains("url=../../../notices/alpha-2024/main-1/")
            && program.contains(">智能制造新技术</a>"),
        "{program}"
    );
    // The live pages are where they were, and the sitemap leaves the old address out.
    assert!(b.files.contains_key("notices/alpha-2024/index.html"));
    assert!(!b.text("sitemap.xml").contains("alpha-old"));
}

#[test]
fn a_moved_notices_list_downloads_are_served_at_their_old_addresses_too() {
    let b = alpha_formerly("[\"alpha-old\", \"alpha-older\"]").build();
    // What the notice page links for download, under its new slug.
    let page = b.text("notices/alpha-2024/index.html");
    let mut downloads = Vec::new();
    for ext in ["csv", "json", "xlsx"] {
        let href = format!("/training/notices/alpha-2024/main.{ext}");
        assert!(page.contains(&format!("href=\"{href}\"")), "{ext}: {page}");
        downloads.push(format!("main.{ext}"));
    }
    for old in ["alpha-old", "alpha-older"] {
        for file in &downloads {
            let new = &b.files[&format!("notices/alpha-2024/{file}")];
            let at_old = b
                .files
                .get(&format!("notices/{old}/{file}"))
                .unwrap_or_else(|| panic!("no notices/{old}/{file}"));
            assert!(!new.is_empty());
            assert_eq!(
                at_old, new,
                "notices/{old}/{file} differs from the new file"
            );
        }
    }
    // Nothing else is copied: the old folders hold the redirect pages and the downloads.
    let old_files: Vec<&String> = b
        .files
        .keys()
        .filter(|p| p.starts_with("notices/alpha-old/"))
        .collect();
    assert!(
        old_files.iter().all(
            |p| p.ends_with("/index.html") || downloads.iter().any(|d| p.ends_with(d.as_str()))
        ),
        "{old_files:?}"
    );
}

#[test]
fn a_former_slug_that_is_a_live_notice_or_taken_twice_is_an_error_at_its_line() {
    let (_, text) = alpha_formerly("[\"beta-2023\", \"a/b\"]").errors();
    assert!(
        text.contains("notices/alpha-2024.toml:7:")
            && text.contains("the former slug “beta-2023” is the slug of a live notice"),
        "{text}"
    );
    assert!(
        text.contains("the former slug “a/b” holds a character an address cannot hold"),
        "{text}"
    );
    let (_, text) = alpha_formerly("[\"alpha-2024\"]").errors();
    assert!(text.contains("is this notice's own slug"), "{text}");
}
