//! Content stays inside `content/` and its names make distinct, writable paths: symlinks
//! leading out, names that collide after normalisation and over-long names are content
//! errors found by `check` as by `build`.

use std::fs;
use std::os::unix::fs::symlink;

use crate::support::{build, check, code, site_gen, stderr, Fixture};

/// A notice of one list whose programs have these organizers.
fn notice_with_organizers(organizers: &[&str]) -> String {
    let mut t = String::from(
        "title = \"名称测试通知\"\ndoc_number = \"测人社发〔2024〕7号\"\nissuer = \"测试局\"\ndate = 2024-05-01\nregion = \"测试省\"\nbody = \"正文\"\nattachments = [{ title = \"名单\", list = \"l\" }]\n\n[[lists]]\nid = \"l\"\ntitle = \"名单\"\n",
    );
    for (i, o) in organizers.iter().enumerate() {
        t.push_str(&format!(
            "\n[[lists.programs]]\nname = \"项目{i}\"\norganizer = \"{o}\"\ncontacts = [{{ name = \"张三\", phones = [\"88526559\"] }}]\n"
        ));
    }
    t
}

#[test]
fn a_symlink_out_of_the_content_folder_is_a_content_error_naming_the_file() {
    let f = Fixture::new("basic");
    let secret = f.root().join("secret.md");
    fs::write(&secret, "数据库密码 hunter2").unwrap();
    let body = f.content().join("notices/alpha-2024.md");
    fs::remove_file(&body).unwrap();
    symlink(&secret, &body).unwrap();
    // Inside the folder is fine: a notice linked from a sibling folder of content/.
    for o in [
        check(&f.content()),
        build(&f.content(), &f.root().join("dist")),
    ] {
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("notices/alpha-2024.md:1:1:"), "{err}");
        assert!(err.contains("outside the content folder"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    assert!(!f.root().join("dist").exists());

    // A symlink that stays inside content/ is read as usual.
    let f = Fixture::new("basic");
    let body = f.content().join("notices/alpha-2024.md");
    fs::rename(&body, f.content().join("alpha-body.md")).unwrap();
    symlink("../alpha-body.md", &body).unwrap();
    let o = check(&f.content());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn organizers_that_become_one_folder_are_a_content_error_naming_both() {
    let f = Fixture::new("basic").file(
        "content/notices/names-2024.toml",
        &notice_with_organizers(&["甲/乙大学", "丙", "甲／乙大学"]),
    );
    for o in [
        check(&f.content()),
        build(&f.content(), &f.root().join("dist")),
    ] {
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("names-2024.toml:"), "{err}");
        assert!(err.contains("“甲／乙大学” and “甲/乙大学”"), "{err}");
        assert!(err.contains("/organizers/甲／乙大学/"), "{err}");
    }
    assert!(!f.root().join("dist").exists());
}

/// The collision is reported at the organizer it is about, found in the parsed notice:
/// not at the same words in a comment or under another key.
#[test]
fn organizers_that_become_one_folder_are_reported_at_the_second_organizer() {
    let notice = notice_with_organizers(&["甲/乙大学", "丙", "甲／乙大学"]);
    let notice = format!("# organizer = \"甲／乙大学\" in the draft\n{notice}")
        .replacen("name = \"项目1\"", "name = \"甲／乙大学\"", 1)
        .replacen(
            "organizer = \"甲／乙大学\"\ncontacts",
            "organizer = '甲／乙大学'\ncontacts",
            1,
        );
    let f = Fixture::new("basic").file("content/notices/names-2024.toml", &notice);
    let o = check(&f.content());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("names-2024.toml:26:13: organizer “甲／乙大学” and “甲/乙大学”"),
        "{err}"
    );
}

#[test]
fn an_over_long_name_is_found_by_check_as_by_build() {
    // 90 Chinese characters: 270 bytes, more than a file name may have.
    let long = "长".repeat(90);
    let f = Fixture::new("basic").file(
        "content/notices/names-2024.toml",
        &notice_with_organizers(&[&long]),
    );
    let o = check(&f.content());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("names-2024.toml:"), "{err}");
    assert!(err.contains("270 bytes"), "{err}");
    let o = build(&f.content(), &f.root().join("dist"));
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("270 bytes"), "{}", stderr(&o));
}

/// An output path made too long by a list id is reported at that list's id.
#[test]
fn an_over_long_list_id_is_reported_at_the_id() {
    let id = "l".repeat(260);
    let notice = notice_with_organizers(&["丙"])
        .replacen("list = \"l\"", &format!("list = \"{id}\""), 1)
        .replacen(
            "id = \"l\"",
            &format!("# its id was '{id}'\nid = '{id}'"),
            1,
        );
    let f = Fixture::new("basic").file("content/notices/names-2024.toml", &notice);
    let o = check(&f.content());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("names-2024.toml:11:6: the output path"),
        "{err}"
    );
}

#[test]
fn an_endless_file_is_refused_quickly_with_a_message() {
    let f = Fixture::new("basic");
    let form = f.content().join("forms/wenzhou-survey.toml");
    // The form command reads the response through the same bounded read.
    let o = site_gen(&[
        "form",
        "validate",
        "wenzhou-survey",
        "/dev/zero",
        "--content",
        f.content().to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("/dev/zero: it is a character device, not a file"),
        "{out}"
    );
    // A plain file past the limit (sparse: no disk used) stops at 64 MiB.
    let big = f.root().join("big.json");
    fs::File::create(&big)
        .unwrap()
        .set_len(64 * 1024 * 1024 + 1)
        .unwrap();
    let o = site_gen(&[
        "form",
        "validate",
        "wenzhou-survey",
        big.to_str().unwrap(),
        "--content",
        f.content().to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("larger than 64 MiB"), "{out}");
    // A content file linked to /dev/zero: outside content/, never read.
    fs::remove_file(&form).unwrap();
    symlink("/dev/zero", &form).unwrap();
    let o = check(&f.content());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("outside the content folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn notice_rule_numbers_are_checked() {
    let base = fs::read_to_string(
        Fixture::new("basic")
            .content()
            .join("notices/alpha-2024.toml"),
    )
    .unwrap();
    for (rule, needle) in [
        ("days = [3, 1]", "days = [3, 1] must be [min, max]"),
        ("days = [2]", "days must be exactly [min, max]"),
        ("days = [1, 2, 3]", "not 3 numbers"),
        ("days = [nan, 2]", "days = [NaN, 2] must be"),
        ("days = [0, 2]", "0 < min"),
        ("min_hours = -1", "min_hours = -1 must be a finite number"),
        ("min_hours = nan", "min_hours = NaN must be a finite number"),
        ("min_hours = inf", "min_hours = inf must be a finite number"),
        ("min_trainees = -3", "min_trainees"),
        ("min_trainees = 1.5", "min_trainees"),
        ("plan_due_working_days = -1", "plan_due_working_days"),
    ] {
        let key = rule.split(' ').next().unwrap();
        let text: String = base
            .lines()
            .filter(|l| !l.starts_with(&format!("{key} =")))
            .map(|l| {
                if l == "[rules]" {
                    format!("[rules]\n{rule}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        eprintln!("case {rule}");
        let f = Fixture::new("basic").file("content/notices/alpha-2024.toml", &text);
        let (_, errors) = f.errors();
        assert!(
            errors.contains("alpha-2024.toml:") && errors.contains(needle),
            "{rule}: {errors}"
        );
    }
}

#[test]
fn amounts_keep_their_digits_in_the_json_download_as_on_the_page() {
    let base = fs::read_to_string(
        Fixture::new("basic")
            .content()
            .join("notices/alpha-2024.toml"),
    )
    .unwrap();
    for (written, shown) in [
        ("\"2.50\"", "2.5"),
        ("\"0.12345678901234567891\"", "0.12345678901234567891"),
        ("12.0", "12"),
    ] {
        let text = base.replace("amount_wan = \"2.5\"", &format!("amount_wan = {written}"));
        let built = Fixture::new("basic")
            .file("content/notices/alpha-2024.toml", &text)
            .build();
        let json = String::from_utf8(built.files["notices/alpha-2024/main.json"].clone()).unwrap();
        assert!(
            json.contains(&format!("\"amount_wan\": {shown},")),
            "{written}: {json}"
        );
        let page =
            String::from_utf8(built.files["notices/alpha-2024/main-2/index.html"].clone()).unwrap();
        assert!(page.contains(&format!("{shown}万元")), "{written}: {page}");
    }
}

#[test]
fn every_error_of_one_notice_is_reported_together() {
    let base = fs::read_to_string(
        Fixture::new("basic")
            .content()
            .join("notices/alpha-2024.toml"),
    )
    .unwrap();
    let text = base
        .replacen("region = ", "regoin = ", 1)
        .replacen("[rules]", "[rules]\nmin_hours = \"多\"", 1)
        .replacen("organizer = ", "organiser = ", 1)
        .replacen(
            "contacts = [{ name = \"王五\"",
            "contacts = [{ nam = \"王五\"",
            1,
        )
        .replacen(
            "title = \"2024年度测试高研班项目名单\"\n\n",
            "title = 5\n\n",
            1,
        );
    let f = Fixture::new("basic").file("content/notices/alpha-2024.toml", &text);
    let o = check(&f.content());
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    for needle in [
        "unknown field `regoin`",
        "min_hours",
        "unknown field `organiser`",
        "unknown field `nam`",
        "title",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
    // Five in the notice, in file order.
    let lines: Vec<usize> = err
        .lines()
        .filter_map(|l| l.split("alpha-2024.toml:").nth(1))
        .map(|r| r.split(':').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{err}");
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);

    // A syntax error stops the file: one error.
    let f = Fixture::new("basic").file(
        "content/notices/alpha-2024.toml",
        &format!("{text}\n[[lists\n"),
    );
    let err = stderr(&check(&f.content()));
    assert_eq!(err.matches("alpha-2024.toml:").count(), 1, "{err}");
}
