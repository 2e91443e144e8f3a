//! A bureau's own site: `site-gen init`, `site-gen new form`, and `intro` in site.toml,
//! end to end through the binary as a clerk types them.

use std::fs;

use crate::support::{
    build, check, code, copy_dir, english_left, site_gen, site_gen_as_clerk, stderr, stdout,
};

#[test]
fn init_makes_a_site_that_builds_at_once_and_warns_while_its_placeholders_remain() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("hangzhou");
    let o = site_gen(&[
        "init",
        site.to_str().unwrap(),
        "--title",
        "杭州市专业技术人员高级研修班",
        "--base-url",
        "https://hrss.hangzhou.gov.cn/zjgyb/",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let content = site.join("content");
    for f in [
        "site.toml",
        "calendar/2020.toml",
        "calendar/2024.toml",
        "calendar/2025.toml",
        "calendar/2026.toml",
        "forms/wenzhou-evaluation.toml",
        "forms/wenzhou-hours-roster.toml",
        "forms/wenzhou-survey.toml",
    ] {
        assert!(content.join(f).is_file(), "init wrote {f}");
        assert!(stdout(&o).contains(f), "init names {f}: {}", stdout(&o));
    }
    // The address was given: the next steps do not ask for it again.
    assert!(
        stdout(&o).contains("copy it to the host at https://hrss.hangzhou.gov.cn/zjgyb/"),
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("set base_url"), "{}", stdout(&o));
    let site_toml = fs::read_to_string(content.join("site.toml")).unwrap();
    assert!(site_toml.contains("title = \"杭州市专业技术人员高级研修班\""));
    assert!(site_toml.contains("base_url = \"https://hrss.hangzhou.gov.cn/zjgyb/\""));
    let notices: Vec<_> = fs::read_dir(content.join("notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(notices.len(), 1, "one notice skeleton: {notices:?}");
    let skeleton = fs::read_to_string(&notices[0]).unwrap();
    assert!(skeleton.contains("[[lists]]\nid = \"plan\""), "{skeleton}");
    assert!(
        !skeleton.contains("\n[[lists.programs]]"),
        "no programs: {skeleton}"
    );
    assert!(skeleton.contains("form = \"wenzhou-survey\""), "{skeleton}");

    // It builds at once, and says what is still a placeholder, with file and line.
    let out = dir.path().join("dist");
    let b = build(&content, &out);
    assert_eq!(code(&b), 0, "{}", stderr(&b));
    assert!(out.join("index.html").is_file());
    let name = notices[0]
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let warned = stderr(&b);
    assert!(
        warned.contains(&format!(
            "{name}:4:10: warning: placeholder text left from site-gen init"
        )),
        "{warned}"
    );
    assert!(warned.contains("（请填写通知标题）"), "{warned}");
    let c = check(&content);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
    assert_eq!(
        stderr(&c).matches("placeholder text left").count(),
        warned.matches("placeholder text left").count(),
        "check and build warn alike"
    );

    // Once the texts are the notice's own, the warnings are gone.
    let filled = skeleton
        .replace("（请填写通知标题）", "关于公布2026年度高级研修班计划的通知")
        .replace(
            "（请填写文号，如 某人社发〔2026〕1号）",
            "杭人社发〔2026〕1号",
        )
        .replace(
            "（请填写发文机关，如 某市人力资源和社会保障局）",
            "杭州市人力资源和社会保障局",
        )
        .replace("（请填写地区，如 浙江省杭州市）", "浙江省杭州市");
    let body_at = filled.find("（请填写通知正文").unwrap();
    let body_end = body_at + filled[body_at..].find('\n').unwrap();
    let filled = format!("{}一、项目计划{}", &filled[..body_at], &filled[body_end..]);
    fs::write(&notices[0], filled).unwrap();
    let c = check(&content);
    assert_eq!(code(&c), 0, "{}", stderr(&c));
    assert!(!stderr(&c).contains("warning"), "{}", stderr(&c));
}

#[test]
fn init_refuses_an_address_or_title_the_build_would_refuse_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    let s = site.to_str().unwrap();
    for (args, says) in [
        (
            ["--base-url", "ftp://x"],
            "--base-url \"ftp://x\" is not an absolute http(s) address",
        ),
        (
            ["--base-url", "not a url"],
            "--base-url \"not a url\" is not an absolute",
        ),
        (
            ["--title", "温州\n研修班"],
            "--title: expected the site's name on one line",
        ),
        (
            ["--title", "  "],
            "--title: expected the site's name on one line",
        ),
    ] {
        let o = site_gen(&["init", s, args[0], args[1], "--lang", "en"]);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!site.exists(), "{args:?}: nothing written");
    }
    // In Chinese too.
    let o = site_gen(&["init", s, "--base-url", "ftp://x", "--lang", "zh-CN"]);
    assert!(stderr(&o).contains("应写网站发布的地址"), "{}", stderr(&o));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_takes_the_other_seeds_forms() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let o = site_gen(&["init", dir.path().to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!dir.path().join("content").exists(), "nothing written");

    let sd = dir.path().join("sd");
    let o = site_gen(&["init", sd.to_str().unwrap(), "--forms", "shandong"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // No address given: the next steps ask for it before the build.
    assert!(stdout(&o).contains("4. set base_url in"), "{}", stdout(&o));
    let mut forms: Vec<_> = fs::read_dir(sd.join("content/forms"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    forms.sort();
    assert_eq!(
        forms,
        [
            "shandong-acceptance.toml",
            "shandong-filing.toml",
            "shandong-registration.toml",
            "shandong-roster.toml",
            "shandong-self-evaluation.toml"
        ]
    );
    let b = build(&sd.join("content"), &dir.path().join("sd-dist"));
    assert_eq!(code(&b), 0, "{}", stderr(&b));
    // The placeholder address is the default: the clerk is told.
    let none = dir.path().join("none");
    let o = site_gen(&["init", none.to_str().unwrap(), "--forms", "none"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        !none.join("content/forms").exists()
            || fs::read_dir(none.join("content/forms"))
                .unwrap()
                .next()
                .is_none()
    );
    let b = build(&none.join("content"), &dir.path().join("none-dist"));
    assert_eq!(code(&b), 0, "{}", stderr(&b));
}

#[test]
fn new_form_copies_a_schema_and_lists_the_originals_places_and_attachment_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    assert_eq!(code(&site_gen(&["init", site.to_str().unwrap()])), 0);
    let content = site.join("content");
    let c = content.to_str().unwrap();
    let o = site_gen(&[
        "new",
        "form",
        "hangzhou-evaluation",
        "--from",
        "wenzhou-evaluation",
        "--content",
        c,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let copy = fs::read_to_string(content.join("forms/hangzhou-evaluation.toml")).unwrap();
    let original = fs::read_to_string(content.join("forms/wenzhou-evaluation.toml")).unwrap();
    assert!(copy.contains("\nid = \"hangzhou-evaluation\"\n"));
    assert_eq!(
        copy.replacen("\"hangzhou-evaluation\"", "\"wenzhou-evaluation\"", 1),
        original,
        "only the id differs"
    );
    let review = stderr(&o);
    assert!(review.contains("hangzhou-evaluation.toml:5: 温州市 — title = \"温州市专业技术人员高级研修班绩效评价报告\""), "{review}");
    assert!(
        review.contains("温州市人力资源和社会保障局（制）"),
        "{review}"
    );
    assert!(review.contains("附件4、附件5 —"), "{review}");

    // Not attached yet: check says so, naming the file.
    let k = check(&content);
    assert_eq!(code(&k), 0, "{}", stderr(&k));
    assert!(
        stderr(&k).contains("hangzhou-evaluation.toml:4:1: warning: form `hangzhou-evaluation` is attached to no notice"),
        "{}",
        stderr(&k)
    );

    // A copy never replaces a form, and a bad id or source is a usage error.
    let again = site_gen(&[
        "new",
        "form",
        "hangzhou-evaluation",
        "--from",
        "wenzhou-survey",
        "--content",
        c,
    ]);
    assert_eq!(code(&again), 2);
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        fs::read_to_string(content.join("forms/hangzhou-evaluation.toml")).unwrap(),
        copy
    );
    let bad = site_gen(&[
        "new",
        "form",
        "Hangzhou_Survey",
        "--from",
        "wenzhou-survey",
        "--content",
        c,
    ]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("lowercase letters, digits and hyphens"));
    let missing = site_gen(&[
        "new",
        "form",
        "hangzhou-survey",
        "--from",
        "nanjing-survey",
        "--content",
        c,
    ]);
    assert_eq!(code(&missing), 2);
    assert!(stderr(&missing).contains("no such form"));
}

#[test]
fn the_home_page_lead_text_comes_from_intro_in_site_toml() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    assert_eq!(code(&site_gen(&["init", site.to_str().unwrap()])), 0);
    let content = site.join("content");
    let out = dir.path().join("dist");
    assert_eq!(code(&build(&content, &out)), 0);
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<p class=\"lead\">各地人力资源和社会保障部门公布的专业技术人员高级研修班（高研班）计划通知，按发文日期由新到旧排列。</p>"));

    let toml = fs::read_to_string(content.join("site.toml")).unwrap();
    fs::write(
        content.join("site.toml"),
        format!("{toml}intro = \"杭州市人力资源和社会保障局公布的高研班计划 <b>通知</b>。\"\n"),
    )
    .unwrap();
    let b = build(&content, &out);
    assert_eq!(code(&b), 0, "{}", stderr(&b));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<p class=\"lead\">杭州市人力资源和社会保障局公布的高研班计划 &lt;b&gt;通知&lt;/b&gt;。</p>"),
        "{home}"
    );
}

/// A new site made by `site-gen init` in a temporary folder: the folder, its
/// `content/`, and its one notice skeleton.
fn init_site() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    assert_eq!(code(&site_gen(&["init", site.to_str().unwrap()])), 0);
    let content = site.join("content");
    let notice = fs::read_dir(content.join("notices"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    (dir, content, notice)
}

#[test]
fn a_calendars_dates_typed_without_quotes_get_the_quotes_never_a_phone_number() {
    let (_dir, content, _) = init_site();
    let cal = content.join("calendar/2025.toml");
    let original = fs::read_to_string(&cal).unwrap();
    let first_off = original
        .lines()
        .position(|l| l.starts_with("off = "))
        .unwrap();
    for (typed, says) in [
        (
            "off = [2025-01-01]",
            "off 的日期要加英文双引号：off = [\"2025-01-01\"]",
        ),
        (
            "off = 2025-01-01",
            "off 的日期要加英文双引号：off = [\"2025-01-01\"]",
        ),
        (
            "off = [20250101]",
            "off 的日期要加英文双引号：off = [\"2025-01-01\"]",
        ),
        ("off = [2025-02-30]", "写成 off = [\"2020-07-21\"] 这样"),
    ] {
        let text: Vec<&str> = original
            .lines()
            .enumerate()
            .map(|(i, l)| if i == first_off { typed } else { l })
            .collect();
        fs::write(&cal, text.join("\n")).unwrap();
        let o = clerk_check(&content);
        assert_eq!(code(&o), 1, "{typed}");
        assert!(stderr(&o).contains(says), "{typed}: {}", stderr(&o));
        assert!(!stderr(&o).contains("电话"), "{typed}: {}", stderr(&o));
    }
}

#[test]
fn a_value_typed_as_in_word_gets_the_form_to_write_in_the_sites_language() {
    let (dir, content, notice) = init_site();
    let name = notice.file_name().unwrap().to_str().unwrap().to_string();
    let original = fs::read_to_string(&notice).unwrap();
    let date_line = original
        .lines()
        .position(|l| l.starts_with("date = "))
        .unwrap()
        + 1;
    let with = |from: &str, to: &str| {
        let text = original
            .lines()
            .map(|l| {
                if l.starts_with(from) {
                    to.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(&notice, text).unwrap();
    };
    let c = content.to_str().unwrap();

    with("date = ", "date = 2025/4/18");
    let o = clerk_check(&content);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains(&format!(
            "{name}:{date_line}:8: date 要写成 date = 2025-04-18（年-月-日，月和日各两位，不加引号），现为 2025/4/18"
        )),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("date = 2025/4/18\n"),
        "the line is shown"
    );
    let en = site_gen(&["check", "--content", c, "--lang", "en"]);
    assert_eq!(code(&en), 1);
    assert!(
        stderr(&en).contains("write date as date = 2025-04-18 (year-month-day, two-digit month and day, no quotes), not 2025/4/18"),
        "{}",
        stderr(&en)
    );

    with("date = ", "date = 2025-4-18");
    let o = clerk_check(&content);
    assert!(stderr(&o).contains("现为 2025-4-18"), "{}", stderr(&o));

    // A day that does not exist is called so, not a phone number; a quoted date written
    // otherwise gets its fix in Chinese.
    with("date = ", "date = 2025-02-30");
    let o = clerk_check(&content);
    assert!(
        stderr(&o).contains("date = 2025-02-30 不是真实的日期：2025 年 2 月只有 28 天"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("电话"), "{}", stderr(&o));
    with("date = ", "date = \"2025年4月18日\"");
    let o = clerk_check(&content);
    assert!(
        stderr(&o).contains("date 要写成 2020-07-21 这样的日期：写成 2025-04-18"),
        "{}",
        stderr(&o)
    );

    // A phone with a dash inside a contact, and an amount in 万: the build says the same.
    with("date = ", "date = 2025-04-18");
    let text = fs::read_to_string(&notice).unwrap();
    fs::write(
        &notice,
        format!("{text}\n[[lists.programs]]\nname = \"低压电器\"\norganizer = \"温州大学\"\namount_wan = 3万\ncontacts = [{{ name = \"钱素珍\", phones = [0577-88368177] }}]\n"),
    )
    .unwrap();
    let b = clerk_build(&content, &dir.path().join("dist"));
    assert_eq!(code(&b), 1);
    assert!(
        stderr(&b).contains("amount_wan 以万元计，只写数字：amount_wan = 3，现为 3万"),
        "{}",
        stderr(&b)
    );
    let text = fs::read_to_string(&notice)
        .unwrap()
        .replace("amount_wan = 3万", "amount_wan = 3");
    fs::write(&notice, text).unwrap();
    let o = clerk_check(&content);
    assert!(
        stderr(&o).contains("电话号码要加英文双引号：phones = \"0577-88368177\""),
        "{}",
        stderr(&o)
    );
}

/// The guide's "Common mistakes" table quotes what `check` prints: each row's typed line,
/// put into a notice, gives that row's message.
#[test]
fn the_guides_common_mistakes_are_what_check_prints() {
    let guide = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/own-site.md"),
    )
    .unwrap();
    let table = guide
        .split("## Common mistakes")
        .nth(1)
        .expect("the guide has its common mistakes");
    let rows: Vec<(String, String)> = table
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let typed = cells[0]
                .trim_start_matches("| `")
                .split('`')
                .next()
                .unwrap();
            let message = cells[1].trim_end_matches(" |").trim_matches('`');
            (typed.to_string(), message.to_string())
        })
        .collect();
    assert!(rows.len() >= 4, "{rows:?}");

    let (_dir, content, notice) = init_site();
    let original = fs::read_to_string(&notice).unwrap();
    for (typed, message) in rows {
        let key = typed.split(" = ").next().unwrap();
        let text = if key == "date" {
            original
                .lines()
                .map(|l| {
                    if l.starts_with("date = ") {
                        typed.clone()
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else if key == "phones" {
            format!("{original}\n[[lists.programs]]\nname = \"n\"\norganizer = \"o\"\ncontacts = [{{ name = \"c\", {typed} }}]\n")
        } else {
            format!("{original}\n[[lists.programs]]\nname = \"n\"\norganizer = \"o\"\n{typed}\n")
        };
        fs::write(&notice, text).unwrap();
        let o = clerk_check(&content);
        assert_eq!(code(&o), 1, "{typed}");
        assert!(
            stderr(&o).contains(&message),
            "{typed}: the guide says {message}, check says {}",
            stderr(&o)
        );
    }
}

#[test]
fn check_build_and_serve_messages_are_chinese_on_a_chinese_site_and_english_with_lang_en() {
    let (dir, content, notice) = init_site();
    let c = content.to_str().unwrap();
    let name = notice.file_name().unwrap().to_str().unwrap().to_string();
    // A key misspelt in the notice's head, and a list id that cannot be a file name.
    let text = fs::read_to_string(&notice).unwrap();
    let text = text.replacen("\ntitle = ", "\ntitel = ", 1);
    let text = text.replacen("id = \"plan\"", "id = \"plan list\"", 1);
    fs::write(&notice, &text).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;

    let o = clerk_check(&content);
    assert_eq!(code(&o), 1);
    let zh = stderr(&o);
    assert!(
        zh.contains(&format!(
            "{name}:{}:1: 不认识的键 `titel`：这里可以写的键是 `",
            line_of("titel")
        )),
        "{zh}"
    );
    assert!(zh.contains("titel = "), "the line is shown: {zh}");
    assert!(zh.contains("发现 1 处内容错误"), "{zh}");
    assert!(!zh.contains("unknown field"), "no English left: {zh}");

    let en = site_gen(&["check", "--content", c, "--lang", "en"]);
    assert_eq!(code(&en), 1);
    assert!(
        stderr(&en).contains(&format!(
            "{name}:{}:1: unknown field `titel`, expected one of `",
            line_of("titel")
        )),
        "{}",
        stderr(&en)
    );
    assert!(stderr(&en).contains("1 content error found"));

    // The same site, its head fixed: the list id is named in Chinese by build too.
    fs::write(&notice, text.replacen("\ntitel = ", "\ntitle = ", 1)).unwrap();
    let b = clerk_build(&content, &dir.path().join("dist"));
    assert_eq!(code(&b), 1);
    assert!(
        stderr(&b).contains("名单 id `plan list` 只能用字母、数字、`-` 或 `_`（它会成为文件名）"),
        "{}",
        stderr(&b)
    );
    // Placeholder warnings and the placeholder address, in Chinese too.
    fs::write(
        &notice,
        text.replacen("\ntitel = ", "\ntitle = ", 1).replacen(
            "id = \"plan list\"",
            "id = \"plan\"",
            1,
        ),
    )
    .unwrap();
    let b = clerk_build(&content, &dir.path().join("dist"));
    assert_eq!(code(&b), 0, "{}", stderr(&b));
    assert!(
        stderr(&b).contains("警告：还留有 site-gen init 的占位文字：请把“"),
        "{}",
        stderr(&b)
    );
    assert!(stdout(&b).starts_with("已构建 1 个通知"), "{}", stdout(&b));
}

/// `check` as a clerk types it: no `--lang`, so the site's language.
fn clerk_check(content: &std::path::Path) -> std::process::Output {
    site_gen_as_clerk(&["check", "--content", content.to_str().unwrap()])
}

/// `build` as a clerk types it.
fn clerk_build(content: &std::path::Path, out: &std::path::Path) -> std::process::Output {
    site_gen_as_clerk(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn a_copy_of_the_survey_keeps_its_collection_page_its_aggregate_and_the_carry_into_its_report() {
    let (dir, content, notice) = init_site();
    let c = content.to_str().unwrap();
    for (new, from) in [
        ("hangzhou-survey", "wenzhou-survey"),
        ("hangzhou-evaluation", "wenzhou-evaluation"),
    ] {
        let o = site_gen(&["new", "form", new, "--from", from, "--content", c]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    // The notice attaches the city's copies; the originals stay in the folder, as a
    // clerk who copies before deleting leaves them.
    let text = fs::read_to_string(&notice)
        .unwrap()
        .replace("form = \"wenzhou-survey\"", "form = \"hangzhou-survey\"")
        .replace(
            "form = \"wenzhou-evaluation\"",
            "form = \"hangzhou-evaluation\"",
        );
    fs::write(
        &notice,
        format!("{text}\n[[lists.programs]]\nname = \"智慧物流\"\norganizer = \"浙江工贸职业技术学院\"\n"),
    )
    .unwrap();
    let out = dir.path().join("dist");
    let b = build(&content, &out);
    assert_eq!(code(&b), 0, "{}", stderr(&b));

    // The copy has its collection page, which carries into the copy of the report.
    let collect = fs::read_to_string(out.join("forms/hangzhou-survey/collect/index.html"))
        .expect("the copy of the survey has its collection page");
    assert!(
        collect.contains(r#"data-action="to-evaluation" data-form="hangzhou-evaluation""#),
        "the carry goes to the copy's report"
    );
    assert!(
        !collect.contains("wenzhou-evaluation"),
        "not to the original's"
    );
    // The program page offers the copy, with its poster, and the copy works offline.
    let program = fs::read_dir(out.join("notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let page = fs::read_to_string(program.join("plan-1/index.html")).unwrap();
    assert!(page.contains("/forms/hangzhou-survey/?program="), "{page}");
    assert!(program.join("plan-1/poster/index.html").is_file());
    let survey_page = fs::read_to_string(out.join("forms/hangzhou-survey/index.html")).unwrap();
    assert!(
        survey_page.contains("handin-programs"),
        "the copy takes hand-ins"
    );
    assert!(survey_page.contains("智慧物流"), "and names the program");

    // `form aggregate` of the copy counts its responses and scores r by its report.
    let response = dir.path().join("r.json");
    fs::write(
        &response,
        r#"{"form": "hangzhou-survey", "version": 1, "values": {"goal_setting": "very_satisfied", "course_design": "satisfied", "faculty": "satisfied", "teaching_content": "satisfied", "teaching_method": "satisfied", "teaching_level": "satisfied", "trainee_management": "satisfied", "service_quality": "satisfied", "growth_help": "satisfied", "work_help": "satisfied"}}"#,
    )
    .unwrap();
    let o = site_gen(&[
        "form",
        "aggregate",
        "hangzhou-survey",
        response.to_str().unwrap(),
        "--content",
        c,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(summary["forms"], 1, "{summary}");
    assert_eq!(summary["satisfaction_rate"], 100.0, "{summary}");
    assert!(summary["satisfaction_score"].is_number(), "{summary}");
}

/// What an outside tester found still in English, or misstating what was expected, on a
/// Chinese site (a copy of the repository's content): each message in Chinese with its
/// `file:line:col`, the English where it misstated too; and no line of any of them, nor
/// of build's refusals, holds an English word of the messages.
#[test]
fn a_chinese_sites_check_and_build_say_it_all_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let deep = format!("x = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let long_title = format!("title = \"{}\"", "长".repeat(3_000_000));
    let notice = "notices/wenzhou-2020.toml";
    // (file, the first line starting so is replaced, or "" to append; by; Chinese; English)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        ("site.toml", "", "\"温州\" = \"wen1\"\n", "[readings] 温州：`温州` 的读音有 1 个音节，字却有 2 个：每个字一个音节", ""),
        (notice, "amount_wan = ", "amount_wan = 99999999999999999999", "amount_wan = 99999999999999999999 太大：应为以万元计的金额，最多 18 位数字", "amount_wan = 99999999999999999999 is too large: expected an amount in 万元 of at most 18 digits"),
        (notice, "min_trainees = ", "min_trainees = 99999999999999999999999", "min_trainees = 99999999999999999999999 太大：应为介于 0 和 4294967295 之间的整数", ""),
        (notice, "min_trainees = ", "min_trainees = 4294967296", "min_trainees = 4294967296 太大：应为介于 0 和 4294967295 之间的整数", "min_trainees = 4294967296 is too large: expected a whole number from 0 to 4294967295"),
        (notice, "amount_wan = ", "amount_wan = 1e308", "amount_wan = 1e308 太大：应为以万元计的金额", "amount_wan = 1e308 is too large"),
        (notice, "days = ", "days = 2-3", "days 要写成 days = [2, 3]（最少天数, 最多天数，方括号里两个数），现为 2-3", "write days as days = [2, 3]"),
        ("calendar/2020.toml", "year = ", "year = \"2020\"", "类型不对：写的是文字 \"2020\"，应为整数年份，如 2020", "invalid type: string \"2020\", expected a year such as 2020"),
        (notice, "", &deep, "这里的列表或表嵌套太深", "nested too deeply"),
        (notice, "contacts = [{ name = \"钱素珍\"", "contacts = [{ name = \"钱素珍\", phone = [\"88368177\"] }]", "不认识的键 `phone`：这里可以写的键是 `name` 或 `phones`", ""),
        (notice, "title = ", &long_title, "`title` 有 3000000 个字符，超过上限", ""),
    ];
    let mut all = String::new();
    for (i, &(file, from, to, zh, en)) in cases.iter().enumerate() {
        let content = dir.path().join(format!("c{i}"));
        copy_dir(&repo, &content);
        let path = content.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let changed = if from.is_empty() {
            format!("{text}{to}")
        } else {
            let at = text
                .lines()
                .position(|l| l.starts_with(from))
                .unwrap_or_else(|| panic!("{file} has a line {from}"));
            text.lines()
                .enumerate()
                .map(|(n, l)| if n == at { to } else { l })
                .collect::<Vec<_>>()
                .join("\n")
        };
        fs::write(&path, changed).unwrap();
        let c = content.to_str().unwrap();
        let o = clerk_check(&content);
        assert_eq!(code(&o), 1, "{file}: {}", stderr(&o));
        let out = stderr(&o);
        let line = out
            .lines()
            .find(|l| l.contains(zh))
            .unwrap_or_else(|| panic!("{file}: no `{zh}` in {out}"));
        assert!(
            line.contains(&format!("{file}:")),
            "the place is kept: {line}"
        );
        if !en.is_empty() {
            let o = site_gen(&["check", "--content", c, "--lang", "en"]);
            assert!(stderr(&o).contains(en), "{}", stderr(&o));
        }
        all.push_str(&out);
    }
    let long = all
        .lines()
        .find(|l| l.contains("`title` 有 3000000"))
        .unwrap();
    assert!(
        long.contains("（见 docs/limits.md）：“长长")
            && long.ends_with("长…”（另有 2999960 个字符）"),
        "{long}"
    );

    // A site.toml saved as UTF-16 is named so, and not also missing.
    let content = dir.path().join("utf16");
    copy_dir(&repo, &content);
    let site = fs::read_to_string(content.join("site.toml")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(site.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    fs::write(content.join("site.toml"), utf16).unwrap();
    let o = clerk_check(&content);
    let out = stderr(&o);
    assert!(out.contains("site.toml:1:1: 文件不是 UTF-8 编码"), "{out}");
    assert!(!out.contains("缺少 site.toml"), "{out}");
    assert!(out.contains("发现 1 处内容错误"), "{out}");
    all.push_str(&out);

    // static/ beside content/ with a file the build writes itself.
    let root = dir.path().join("with-static");
    copy_dir(&repo, &root.join("content"));
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/index.html"), "x").unwrap();
    let o = clerk_check(&root.join("content"));
    assert!(
        stderr(&o).contains("static/index.html:1:1: 这个文件会写成 index.html，而构建自己要写这个文件（index.html）；请改名或删去它"),
        "{}",
        stderr(&o)
    );
    all.push_str(&stderr(&o));

    // build: a file of someone else's in the output, a folder of other files, and a lock
    // file that cannot be made.
    let content = dir.path().join("good");
    copy_dir(&repo, &content);
    let out_dir = dir.path().join("dist");
    let o = clerk_build(&content, &out_dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    all.push_str(&stderr(&o));
    all.push_str(&stdout(&o));
    fs::write(out_dir.join("foreign.txt"), "x").unwrap();
    let o = clerk_build(&content, &out_dir);
    assert!(
        stderr(&o).contains("其中有 1 个文件不是上次构建写的（foreign.txt）"),
        "{}",
        stderr(&o)
    );
    let en = site_gen(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        stderr(&en).contains("it holds 1 file that the last build did not write"),
        "{}",
        stderr(&en)
    );
    all.push_str(&stderr(&o));
    let o = clerk_build(&content, &content.join("notices"));
    assert!(stderr(&o).contains("，另有 1 个）"), "{}", stderr(&o));
    all.push_str(&stderr(&o));
    if cfg!(target_os = "linux") {
        let o = clerk_build(&content, std::path::Path::new("/proc/x"));
        assert!(
            stderr(&o).contains("错误：无法创建锁文件 /proc/.x.site-gen-lock："),
            "{}",
            stderr(&o)
        );
        all.push_str(&stderr(&o));
    }

    let left = english_left(&all);
    assert!(left.is_empty(), "English left:\n{}", left.join("\n"));
    // The check itself finds a word, and not a path or a key.
    assert_eq!(english_left("a.toml:1:1: 应为`name` or `phones`").len(), 1);
    assert!(english_left("/tmp/.tmpOr3x/a.toml:1:1: 缺少 `phones`\n3 | x = \"is or\"").is_empty());
}
