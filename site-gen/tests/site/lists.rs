//! Plan lists with rules and forms of their own (the `list_rules` fixture and the real
//! Wenzhou notice): a program's page shows its own list's rules and forms, never another
//! list's; the notice page says which list each set of rules is for; form pages, the
//! `deadlines` command and the form commands use the list's rules.

use std::path::Path;

use crate::support::Fixture;

fn built() -> crate::support::Built {
    Fixture::new("list_rules").build()
}

#[test]
fn snapshots_of_the_pages_of_a_notice_with_rules_per_list() {
    let b = built();
    for (name, path) in [
        ("lists_notice", "notices/gamma-2024/index.html"),
        ("lists_program_prov", "notices/gamma-2024/prov-1/index.html"),
        ("lists_program_city", "notices/gamma-2024/city-1/index.html"),
    ] {
        insta::assert_snapshot!(name, b.main(path));
    }
}

#[test]
fn a_program_of_a_list_without_rules_shows_where_they_are_and_no_other_lists_rules_or_forms() {
    let m = built().main("notices/gamma-2024/prov-1/index.html");
    assert!(
        m.contains("具体办班要求根据测人社办发〔2024〕1号文件要求执行"),
        "{m}"
    );
    for other in [
        "不少于30名",
        "2-3天",
        "工作日",
        "2024年11月30日",
        "/forms/",
        "在线填写",
    ] {
        assert!(
            !m.contains(other),
            "the provincial program page shows `{other}`:\n{m}"
        );
    }
}

#[test]
fn a_program_of_a_list_with_rules_shows_them_and_its_forms_for_its_list() {
    let m = built().main("notices/gamma-2024/city-1/index.html");
    for rule in [
        "每期学员不少于30名",
        "研修时间2-3天",
        "办班前10个工作日",
        "2024年11月30日前完成",
    ] {
        assert!(m.contains(rule), "missing {rule}:\n{m}");
    }
    assert!(!m.contains("测人社办发"), "{m}");
    assert!(m.contains("/forms/wenzhou-survey/?notice=gamma-2024&amp;list=city&amp;project_name="));
}

#[test]
fn the_notice_summary_of_rules_says_which_list_each_is_for() {
    let m = built().main("notices/gamma-2024/index.html");
    let rules = &m[m.find("办班要求摘要").unwrap()..m.find("attachments-title").unwrap()];
    let prov = rules
        .find("适用于：<a href=\"/training/notices/gamma-2024/#list-prov\">省级项目名单</a>")
        .unwrap();
    let city = rules
        .find("适用于：<a href=\"/training/notices/gamma-2024/#list-city\">市级项目名单</a>")
        .unwrap();
    let thirty = rules.find("每期学员不少于30名").unwrap();
    let note = rules.find("测人社办发〔2024〕1号").unwrap();
    assert!(prov < note && note < city && city < thirty, "{rules}");
    // The survey is attached for the municipal list's programs.
    assert!(
        m.contains(
            "质量评估表（学员填报）</a>（供<a href=\"#list-city\">市级项目名单</a>的项目填写）"
        ),
        "{m}"
    );
}

#[test]
fn the_form_page_carries_the_rules_of_the_list_the_form_belongs_to() {
    let page = built().text("forms/wenzhou-survey/index.html");
    let start = page.find("id=\"form-notices\">").unwrap() + "id=\"form-notices\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let v: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    let n = &v["notices"][0];
    assert_eq!(n["slug"], "gamma-2024");
    // The rules are in the engine's wire form.
    let rules = |v: &serde_json::Value| -> wasm_forms::NoticeRules {
        wasm_forms::wire::decode(v.as_str().expect("wire text")).unwrap()
    };
    assert_eq!(rules(&n["rules"]).min_trainees, Some(30));
    assert_eq!(rules(&n["lists"]["city"]).report_due_working_days, Some(20));
    assert!(n["lists"].get("prov").is_none());
}

#[test]
fn list_attachments_are_checked() {
    let bad = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/list_rules/content/notices/gamma-2024.toml"),
    )
    .unwrap()
    .replace(
        "attachments = [\"wenzhou-survey\"]",
        "attachments = [\"no-such-form\", { title = \"x\", list = \"prov\" }]",
    );
    let (_, text) = Fixture::new("list_rules")
        .file("content/notices/gamma-2024.toml", &bad)
        .errors();
    assert!(
        text.contains("gamma-2024.toml:32:16: attachment names unknown form `no-such-form`"),
        "{text}"
    );
    assert!(
        text.contains("a list's attachments name forms (`form = \"<form id>\"`), not lists"),
        "{text}"
    );
}

fn site_gen(args: &[&str]) -> std::process::Output {
    crate::support::site_gen_on(Some("2024-07-03"), args)
}

#[test]
fn deadlines_take_the_list_and_ask_for_it_when_the_lists_differ() {
    let f = Fixture::new("list_rules");
    let content = f.content();
    let c = content.to_str().unwrap();
    let args = |list: Option<&str>| {
        let mut a = vec![
            "deadlines",
            "--notice",
            "gamma-2024",
            "--start",
            "2024-09-10",
            "--end",
            "2024-09-11",
            "--content",
            c,
        ];
        if let Some(l) = list {
            a.extend(["--list", l]);
        }
        site_gen(&a)
    };
    let none = args(None);
    assert_eq!(none.status.code(), Some(2));
    let err = String::from_utf8_lossy(&none.stderr);
    assert!(
        err.contains("--list") && err.contains("prov, city"),
        "{err}"
    );

    let city = args(Some("city"));
    assert_eq!(
        city.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&city.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&city.stdout).unwrap();
    assert_eq!(v["plan_due"], "2024-08-27");
    // Whole day counts print as integers.
    assert_eq!(serde_json::to_string(&v["rules"]["days"]).unwrap(), "[2,3]");
    assert!(String::from_utf8_lossy(&city.stdout).contains("\"days\": [\n      2,\n      3\n    ]"));

    let prov = args(Some("prov"));
    assert_eq!(prov.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&prov.stdout).unwrap();
    assert!(v["plan_due"].is_null() && v["report_due"].is_null(), "{v}");
    // The list's rules are in another document: its note says so, word for word.
    assert_eq!(
        v["rules_note"],
        "具体办班要求根据测人社办发〔2024〕1号文件要求执行（该文件不在本通知中）。"
    );
    let v: serde_json::Value = serde_json::from_slice(&city.stdout).unwrap();
    assert!(v.get("rules_note").is_none(), "{v}");

    // A year without a calendar: the message names the file under --content, in Chinese.
    let o = site_gen(&[
        "deadlines",
        "--notice",
        "gamma-2024",
        "--list",
        "city",
        "--start",
        "2025-03-10",
        "--end",
        "2025-03-11",
        "--content",
        c,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    let want = format!("{c}/calendar/2025.toml");
    assert!(messages.iter().any(|m| m.contains(&want)), "{messages:?}");
    assert!(
        messages.iter().all(|m| !m
            .chars()
            .any(|ch| ch.is_ascii_alphabetic() && !want.contains(ch))),
        "Chinese throughout: {messages:?}"
    );

    let unknown = args(Some("nowhere"));
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("has no list `nowhere` (its lists: prov, city)"));
}

#[test]
fn the_wenzhou_provincial_programs_show_no_municipal_rule_or_form() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let raw = site_gen::content::load(&content).unwrap();
    let site = site_gen::content::validate(&raw).unwrap();
    let templates = site_gen::render::Templates::load(None).unwrap();
    let files = site_gen::render::render(&site, &templates).unwrap();
    let page = |p: &str| {
        let f = files.iter().find(|f| f.path == p).unwrap();
        crate::support::main_of(std::str::from_utf8(&f.bytes).unwrap())
    };
    for i in 1..=11 {
        let m = page(&format!("notices/wenzhou-2020/provincial-{i}/index.html"));
        assert!(m.contains("浙人社办发〔2020〕22号"), "provincial-{i}");
        for municipal in ["30名", "2-3天", "工作日", "11月30日", "/forms/", "在线填写"] {
            assert!(!m.contains(municipal), "provincial-{i} shows `{municipal}`");
        }
    }
    for i in 1..=10 {
        let m = page(&format!("notices/wenzhou-2020/municipal-{i}/index.html"));
        assert!(m.contains("每期学员不少于30名") && m.contains("结束后20个工作日内"));
        assert!(!m.contains("浙人社办发"));
        for form in [
            "wenzhou-evaluation",
            "wenzhou-hours-roster",
            "wenzhou-survey",
        ] {
            assert!(
                m.contains(&format!(
                    "/forms/{form}/?notice=wenzhou-2020&amp;list=municipal&amp;"
                )),
                "municipal-{i}: {form}"
            );
        }
    }
}
