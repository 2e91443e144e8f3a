//! Validation of responses to the eight forms: every rule of forms.md, named after the
//! seed's wording where it has one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

mod core_support;
#[path = "fixture/survey.rs"]
mod survey_fixture;
use survey_fixture::RATINGS;
#[path = "core_support/ids.rs"]
mod ids;
#[path = "core_support/lookup.rs"]
mod lookup;
#[path = "core_support/report.rs"]
mod report;
#[path = "core_support/rules.rs"]
mod rules;

use core_support::*;
use ids::*;
use lookup::*;
use report::*;
use rules::*;
use serde_json::{json, Map, Value};
use wasm_forms::validate::validate;
use wasm_forms::{NoticeRules, Severity};

// ---------------------------------------------------------------------------------------
// Envelope

#[test]
fn envelope_errors_name_form_version_values_and_unknown_keys() {
    let s = schema("wenzhou-survey");
    let c = ctx(wenzhou_rules());
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!([]), "", "JSON 对象"),
        (
            json!({"form": "shandong-roster", "version": 1, "values": {}}),
            "form",
            "shandong-roster",
        ),
        (
            json!({"form": 3, "version": 1, "values": {}}),
            "form",
            "应为文本",
        ),
        (json!({"version": 1, "values": {}}), "form", "缺少 form"),
        (
            json!({"form": "wenzhou-survey", "version": 2, "values": {}}),
            "version",
            "第 1 版",
        ),
        (
            json!({"form": "wenzhou-survey", "values": {}}),
            "version",
            "缺少 version",
        ),
        (
            json!({"form": "wenzhou-survey", "version": 1}),
            "values",
            "缺少 values",
        ),
        (
            json!({"form": "wenzhou-survey", "version": 1, "values": []}),
            "values",
            "（values）格式不对：应为每一项及其所填的值，现为",
        ),
        (
            json!({"form": "wenzhou-survey", "version": 1, "values": {}, "extra": 1}),
            "extra",
            "未知的顶层键",
        ),
    ];
    for (resp, path, needle) in cases {
        let r = validate(&s, &resp, &c);
        assert!(!r.valid, "{resp}");
        assert!(has(&r, path, needle), "{resp}: {}", dump(&r));
    }
}

// ---------------------------------------------------------------------------------------
// wenzhou-survey

fn survey_values(level: &str) -> Value {
    let mut m = Map::new();
    for id in RATINGS {
        m.insert(id.into(), json!(level));
    }
    Value::Object(m)
}

#[test]
fn survey_all_ten_ratings_valid() {
    let r = run(
        "wenzhou-survey",
        survey_values("satisfied"),
        wenzhou_rules(),
    );
    assert!(r.valid, "{}", dump(&r));
    assert!(r.findings.is_empty());
    assert_eq!(r.values["faculty"], json!("satisfied"));
}

#[test]
fn survey_ratings_are_required_and_choices_checked() {
    let mut v = survey_values("very_satisfied");
    let m = v.as_object_mut().unwrap();
    m.remove("work_help");
    m.insert("faculty".into(), json!("excellent"));
    m.insert("teaching_level".into(), json!(4));
    m.insert("mood".into(), json!("ok"));
    let r = run("wenzhou-survey", v, wenzhou_rules());
    assert!(!r.valid);
    assert!(has(&r, "work_help", "为必填项，请选择"), "{}", dump(&r));
    assert!(
        has(&r, "faculty", "very_satisfied（很满意）"),
        "{}",
        dump(&r)
    );
    assert!(has(&r, "teaching_level", "应为选项"), "{}", dump(&r));
    assert!(has(&r, "mood", "未知字段"), "{}", dump(&r));
}

#[test]
fn survey_chinese_level_label_is_read_with_a_note() {
    let mut v = survey_values("average");
    v["faculty"] = json!("很满意");
    let r = run("wenzhou-survey", v, wenzhou_rules());
    assert!(r.valid, "{}", dump(&r));
    assert_eq!(r.values["faculty"], json!("very_satisfied"));
    assert!(r.notes.iter().any(|n| n.path == "faculty"));
}

#[test]
fn survey_texts_at_most_2000_characters_whitespace_not_counted() {
    let mut v = survey_values("average");
    v["reflections"] = json!("好".repeat(2000) + &" \n".repeat(50));
    v["suggestions"] = json!("建".repeat(2001));
    let r = run("wenzhou-survey", v, wenzhou_rules());
    assert!(at(&r, "reflections").is_empty(), "{}", dump(&r));
    assert!(has(&r, "suggestions", "2001"), "{}", dump(&r));
}

// ---------------------------------------------------------------------------------------
// wenzhou-hours-roster

fn roster_row(n: u32) -> Value {
    json!({
        "seq": n + 1, "certificate_no": format!("WZ2020-{n:03}"), "name": format!("学员{n}"),
        "id_number": id(n, n.is_multiple_of(2)), "title": "工程师", "employer": "温州某单位",
        "start_date": "2020-09-10", "end_date": "2020-09-12", "host": "温州市工业科学研究院",
        "course": "基于工业物联网的智能制造系统", "days": 2.5
    })
}

fn hours_roster(n: u32) -> Value {
    json!({ "trainees": (0..n).map(roster_row).collect::<Vec<_>>() })
}

#[test]
fn hours_roster_of_30_trainees_is_valid() {
    let r = run("wenzhou-hours-roster", hours_roster(30), wenzhou_rules());
    assert!(r.valid, "{}", dump(&r));
}

/// 每期学员不少于30名
#[test]
fn hours_roster_at_least_30_trainees() {
    let r = run("wenzhou-hours-roster", hours_roster(29), wenzhou_rules());
    assert!(!r.valid);
    assert!(has(&r, "trainees", "29 行"), "{}", dump(&r));
    assert!(has(&r, "trainees", "30 行（通知规定）"), "{}", dump(&r));
    // A notice without a minimum sets no such rule.
    let r = run(
        "wenzhou-hours-roster",
        hours_roster(5),
        NoticeRules::default(),
    );
    assert!(r.valid, "{}", dump(&r));
}

#[test]
fn hours_roster_row_rules() {
    // (case, column, value, path suffix, expected message part)
    let cases: Vec<(&str, &str, Value, &str, &str)> = vec![
        (
            "办班开始时间不晚于结束时间",
            "end_date",
            json!("2020-09-09"),
            "end_date",
            "早于",
        ),
        (
            "天数不超过日历天数",
            "days",
            json!(3.5),
            "days",
            "日历天数 3 天",
        ),
        (
            "半天按0.5天计算",
            "days",
            json!(2.3),
            "days",
            "0.5 的整数倍",
        ),
        ("天数大于0", "days", json!(0), "days", "大于 0"),
        ("姓名必填", "name", json!(""), "name", "必填"),
        (
            "身份证号码必填",
            "id_number",
            Value::Null,
            "id_number",
            "必填",
        ),
        (
            "身份证号码校验码",
            "id_number",
            json!("110105194912310021"),
            "id_number",
            "校验码",
        ),
        (
            "日期不存在",
            "start_date",
            json!("2020/09/31"),
            "start_date",
            "2020年9月只有 30 天",
        ),
        (
            "日期无法识别",
            "start_date",
            json!("9月10日"),
            "start_date",
            "应为年、月、日",
        ),
        ("未知列", "mood", json!(1), "mood", "未知的键"),
    ];
    for (case, col, value, suffix, needle) in cases {
        let mut v = hours_roster(30);
        v["trainees"][4][col] = value;
        let r = run("wenzhou-hours-roster", v, wenzhou_rules());
        let path = format!("trainees[4].{suffix}");
        assert!(!r.valid, "{case}");
        assert!(has(&r, &path, needle), "{case}: {}", dump(&r));
    }
}

#[test]
fn hours_roster_duplicate_id_number_is_an_error_on_both_rows() {
    let mut v = hours_roster(31);
    v["trainees"][30]["id_number"] = v["trainees"][2]["id_number"].clone();
    let r = run("wenzhou-hours-roster", v, wenzhou_rules());
    assert!(
        has(&r, "trainees[2].id_number", "第 31 行重复"),
        "{}",
        dump(&r)
    );
    assert!(
        has(&r, "trainees[30].id_number", "第 3 行重复"),
        "{}",
        dump(&r)
    );
}

#[test]
fn twenty_thousand_identical_rows_give_one_finding_each_naming_the_first() {
    let row = roster_row(7);
    let v = json!({ "trainees": vec![row; 20_000] });
    let r = run("wenzhou-hours-roster", v, wenzhou_rules());
    let dups: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.path.ends_with(".id_number") && f.message.contains("重复"))
        .collect();
    assert_eq!(dups.len(), 20_000);
    // Linear: no finding lists the other rows.
    let longest = dups.iter().map(|f| f.message.len()).max().unwrap();
    assert!(longest < 200, "{longest}");
    assert!(
        has(&r, "trainees[0].id_number", "与第 2 行等 19999 行重复"),
        "{:?}",
        at(&r, "trainees[0].id_number")
    );
    assert!(has(&r, "trainees[19999].id_number", "第 20000 行"));
    assert!(has(&r, "trainees[19999].id_number", "与第 1 行重复"));
}

#[test]
fn hours_roster_full_width_id_and_lower_x_are_normalised_with_notes() {
    let mut v = hours_roster(30);
    v["trainees"][0]["id_number"] = json!(" １１０１０５１９４９１２３１００２x ");
    let r = run("wenzhou-hours-roster", v, wenzhou_rules());
    assert!(r.valid, "{}", dump(&r));
    assert_eq!(
        r.values["trainees"][0]["id_number"],
        json!("11010519491231002X")
    );
    let notes: Vec<&str> = r
        .notes
        .iter()
        .filter(|n| n.path == "trainees[0].id_number")
        .map(|n| n.message.as_str())
        .collect();
    assert!(notes.iter().any(|m| m.contains("全角")), "{notes:?}");
    assert!(notes.iter().any(|m| m.contains("大写 X")), "{notes:?}");
    assert!(notes.iter().any(|m| m.contains("空格")), "{notes:?}");
    assert!(r.notes.iter().all(|n| n.severity == Severity::Warning));
}

#[test]
fn table_must_be_an_array_of_objects() {
    let r = run(
        "wenzhou-hours-roster",
        json!({"trainees": {"a": 1}}),
        wenzhou_rules(),
    );
    assert!(has(&r, "trainees", "数组"), "{}", dump(&r));
    let r = run(
        "wenzhou-hours-roster",
        json!({"trainees": [1, "x"]}),
        wenzhou_rules(),
    );
    assert!(has(&r, "trainees[0]", "对象"), "{}", dump(&r));
    assert!(has(&r, "trainees[1]", "对象"), "{}", dump(&r));
}

// ---------------------------------------------------------------------------------------
// shandong-filing

fn filing(hours: &[f64], start: &str, end: &str, fill: &str) -> Value {
    json!({
        "fill_date": fill, "project_name": "数字经济高级研修班", "project_no": "2024-001",
        "location": "济南", "start_date": start, "end_date": end, "organizer": "山东某大学",
        "contact": "张三", "office_phone": "0531-51788246", "mobile": "13800138000",
        "lecturers": hours.iter().enumerate().map(|(i, h)| json!({
            "expert": format!("专家{i}"), "position": "教授", "topic": "专题", "hours": h
        })).collect::<Vec<_>>()
    })
}

#[test]
fn filing_valid_and_total_hours_computed() {
    let r = run(
        "shandong-filing",
        filing(&[8.0, 8.0, 8.5], "2024-08-05", "2024-08-07", "2024-07-10"),
        shandong_rules(),
    );
    assert!(r.valid, "{}", dump(&r));
    assert!(r.findings.is_empty(), "{}", dump(&r));
    assert_eq!(r.computed["total_hours"], json!(24.5));
}

/// 不少于24学时
#[test]
fn filing_total_hours_at_least_24() {
    let r = run(
        "shandong-filing",
        filing(&[8.0, 8.0, 7.5], "2024-08-05", "2024-08-07", "2024-07-10"),
        shandong_rules(),
    );
    assert!(!r.valid);
    assert!(has(&r, "total_hours", "23.5"), "{}", dump(&r));
    assert!(has(&r, "total_hours", "24（通知规定）"), "{}", dump(&r));
}

/// 举办时间一般为3-5天
#[test]
fn filing_course_days_3_to_5() {
    let cases = [
        ("2024-08-05", "2024-08-06", false, "共 2 天"),
        ("2024-08-05", "2024-08-07", true, ""),
        ("2024-08-05", "2024-08-09", true, ""),
        ("2024-08-05", "2024-08-10", false, "共 6 天"),
        ("2024-08-05", "2024-08-04", false, "早于"),
    ];
    for (start, end, ok, needle) in cases {
        let r = run(
            "shandong-filing",
            filing(&[24.0], start, end, "2024-07-01"),
            shandong_rules(),
        );
        assert_eq!(r.valid, ok, "{start}..{end}: {}", dump(&r));
        if !ok {
            assert!(has(&r, "end_date", needle), "{start}..{end}: {}", dump(&r));
        }
    }
}

/// 开班前10个工作日报送备案表
#[test]
fn filing_fill_date_10_working_days_before_start_is_a_warning_with_the_due_date() {
    // 2024-10-08 (Tue) start: 10 working days before, skipping the National Day holiday
    // (10-01..10-07 off, Sunday 09-29 worked): 09-30, 09-29, 09-27 … 09-19, 09-18.
    let late = run(
        "shandong-filing",
        filing(&[24.0], "2024-10-08", "2024-10-10", "2024-09-19"),
        shandong_rules(),
    );
    assert!(late.valid, "a warning only: {}", dump(&late));
    let f = at(&late, "fill_date");
    assert_eq!(f.len(), 1, "{}", dump(&late));
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].message.contains("2024-09-18"), "{}", f[0].message);
    let on_time = run(
        "shandong-filing",
        filing(&[24.0], "2024-10-08", "2024-10-10", "2024-09-18"),
        shandong_rules(),
    );
    assert!(at(&on_time, "fill_date").is_empty(), "{}", dump(&on_time));
}

#[test]
fn filing_deadline_in_a_year_without_calendar_names_the_year() {
    let r = run(
        "shandong-filing",
        filing(&[24.0], "2030-08-05", "2030-08-07", "2030-07-01"),
        shandong_rules(),
    );
    assert!(has(&r, "fill_date", "2030"), "{}", dump(&r));
}

#[test]
fn filing_phones_and_lecturer_hours() {
    let mut v = filing(&[24.0], "2024-08-05", "2024-08-07", "2024-07-01");
    v["office_phone"] = json!("0531-51788246，51788230");
    v["mobile"] = json!("138 0013 8000");
    let r = run("shandong-filing", v.clone(), shandong_rules());
    assert!(r.valid, "{}", dump(&r));
    assert_eq!(r.values["mobile"], json!("13800138000"));
    v["office_phone"] = json!("12345");
    v["mobile"] = json!("12800138000");
    v["lecturers"][0]["hours"] = json!(-1);
    let r = run("shandong-filing", v, shandong_rules());
    assert!(has(&r, "office_phone", "“12345”"), "{}", dump(&r));
    assert!(has(&r, "mobile", "13-19"), "{}", dump(&r));
    assert!(has(&r, "lecturers[0].hours", "大于 0"), "{}", dump(&r));
}

// ---------------------------------------------------------------------------------------
// shandong-registration

fn registration() -> Value {
    json!({
        "unit_name": "山东某医院", "fill_date": "2024-07-08", "name": "李四", "gender": "female",
        "ethnicity": "汉族", "political_status": "中共党员", "position": "科主任",
        "title": "主任医师", "title_cert_no": "A123", "landline": "0531-88888888转123",
        "mobile": "13912345678", "qq": "12345678", "email": "li@example.com",
        "employer": "山东某医院", "address": "济南市历下区", "postcode": "250014",
        "contact": "王五", "contact_phone": "0531-88888888", "fax": "0531-88888889",
        "remarks": ""
    })
}

#[test]
fn registration_valid() {
    let r = run("shandong-registration", registration(), shandong_rules());
    assert!(r.valid, "{}", dump(&r));
}

#[test]
fn registration_field_types() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("ethnicity", json!("汉"), "不是可选项"),
        ("political_status", json!("党员"), "不是可选项"),
        ("gender", json!("男女"), "不是可选项"),
        ("qq", json!("01234"), "不以0开头"),
        ("qq", json!("1234"), "5-11位"),
        ("email", json!("li@example"), "域名"),
        ("email", json!("li @example.com"), "空格"),
        ("email", json!("a@b@c.com"), "一个@"),
        ("postcode", json!("25001"), "6位"),
        ("mobile", json!(""), "必填"),
        ("employer", Value::Null, "必填"),
        ("name", json!(5), "“姓名”"),
        ("landline", json!("0531-8888转"), "格式错误"),
        ("fill_date", json!("2024-02-30"), "不存在"),
    ];
    for (field, value, needle) in cases {
        let mut v = registration();
        v[field] = value.clone();
        let r = run("shandong-registration", v, shandong_rules());
        if field == "name" {
            // A number read as text, with a note.
            assert!(r.valid, "{}", dump(&r));
            continue;
        }
        assert!(!r.valid, "{field} = {value}");
        assert!(has(&r, field, needle), "{field} = {value}: {}", dump(&r));
    }
}

// ---------------------------------------------------------------------------------------
// shandong-roster

fn sd_row(n: u32) -> Value {
    let male = !n.is_multiple_of(3);
    json!({
        "seq": n + 1, "name": format!("学员{n}"), "gender": if male { "male" } else { "female" },
        "id_number": id(n, male), "employer": "单位", "title": "工程师", "phone": "13800138000",
        "hours": 24, "passed": true, "certificate_no": format!("SD{n:04}")
    })
}

fn sd_roster(n: u32) -> Value {
    json!({
        "project_name": "研修项目", "project_no": "2024-001", "organizer": "山东某大学",
        "date": "2024-09-01", "trainees": (0..n).map(sd_row).collect::<Vec<_>>(),
        "filler": "张三", "filler_position": "山东某大学 科员", "filler_phone": "0531-51788246"
    })
}

#[test]
fn roster_valid_and_recommended_outcomes_floor_20_percent() {
    let r = run("shandong-roster", sd_roster(34), shandong_rules());
    assert!(r.valid, "{}", dump(&r));
    // 推荐成果数量不超过学员人数的20%: floor(34 × 0.2) = 6
    assert_eq!(r.computed["recommended_outcomes"], json!(6));
    let r = run("shandong-roster", sd_roster(30), shandong_rules());
    assert_eq!(r.computed["recommended_outcomes"], json!(6));
    let r = run("shandong-roster", sd_roster(29), shandong_rules());
    assert_eq!(r.computed["recommended_outcomes"], json!(5));
    assert!(has(&r, "trainees", "29 行"), "{}", dump(&r));
}

/// The messages of the findings at `path`, in order.
fn messages<'a>(r: &'a wasm_forms::validate::Report, path: &str) -> Vec<&'a str> {
    at(r, path).iter().map(|f| f.message.as_str()).collect()
}

#[test]
fn rows_are_named_by_the_numbering_given_duplicates_and_row_rules_too() {
    use wasm_forms::validate::{validate_numbered, RowNumbers};
    let mut v = sd_roster(3);
    let first_id = v["trainees"][0]["id_number"].clone();
    v["trainees"][0]["phone"] = json!("123");
    v["trainees"][1]["gender"] = json!("female");
    v["trainees"][1]["hours"] = json!("很多");
    v["trainees"][2]["id_number"] = first_id.clone();
    v["trainees"][2]["remark"] = json!("第 2 行");
    let (sch, resp, c) = (
        schema("shandong-roster"),
        response("shandong-roster", v),
        ctx(shandong_rules()),
    );
    // As a file numbers them: rows 1-3 read from lines 5, 8 and 9.
    let lines = [5, 8, 9];
    let r = validate_numbered(
        &sch,
        &resp,
        &c,
        RowNumbers {
            table: "trainees",
            lines: &lines,
        },
    );
    let id = first_id.as_str().unwrap();
    // A field checker's message, a value of the wrong type, a row rule, an unknown
    // column and both findings of a duplicate: each names the row's line.
    let phone = messages(&r, "trainees[0].phone");
    assert_eq!(phone.len(), 1, "{}", dump(&r));
    assert!(phone[0].starts_with("第 5 行联系电话："), "{phone:?}");
    assert_eq!(
        messages(&r, "trainees[1].hours"),
        ["第 8 行“完成学时”应为数字，现为“很多”"],
        "{}",
        dump(&r)
    );
    assert_eq!(
        messages(&r, "trainees[1].gender"),
        ["第 8 行“性别”为“女”，但“身份证号”第17位表示“男”：两者应一致"],
        "{}",
        dump(&r)
    );
    let remark = messages(&r, "trainees[2].remark");
    assert_eq!(remark.len(), 1, "{}", dump(&r));
    assert!(
        remark[0].starts_with("“学员名单”第 9 行中有未知的键“remark”："),
        "{remark:?}"
    );
    assert_eq!(
        messages(&r, "trainees[0].id_number"),
        [format!("第 5 行“身份证号” {id} 与第 9 行重复：每行应不同")],
        "{}",
        dump(&r)
    );
    assert_eq!(
        messages(&r, "trainees[2].id_number"),
        [format!("第 9 行“身份证号” {id} 与第 5 行重复：每行应不同")],
        "{}",
        dump(&r)
    );
    // No finding names a row by its index (rows 1-3) instead of its line.
    for f in &r.findings {
        for n in 1..=3 {
            assert!(!f.message.contains(&format!("第 {n} 行")), "{f:?}");
        }
    }
    // Without a numbering, or one of another table, rows are numbered from 1: the same
    // findings at the same paths, each naming the row's index.
    let plain = validate(&sch, &resp, &c);
    let other = validate_numbered(
        &sch,
        &resp,
        &c,
        RowNumbers {
            table: "courses",
            lines: &lines,
        },
    );
    assert_eq!(other, plain);
    assert_eq!(plain.findings.len(), r.findings.len(), "{}", dump(&plain));
    assert_eq!(
        messages(&plain, "trainees[2].id_number"),
        [format!("第 3 行“身份证号” {id} 与第 1 行重复：每行应不同")]
    );
    assert!(messages(&plain, "trainees[1].gender")[0].starts_with("第 2 行“性别”"));
}

/// (case, cell changes on row 2, column of the finding, expected message part)
type RowCase = (
    &'static str,
    Vec<(&'static str, Value)>,
    &'static str,
    &'static str,
);

#[test]
fn roster_row_rules() {
    let cases: Vec<RowCase> = vec![
        (
            "性别与身份证号码一致",
            vec![("gender", json!("female"))],
            "gender",
            "第17位表示“男”",
        ),
        (
            "通过结业考核需证书编号",
            vec![("certificate_no", json!(""))],
            "certificate_no",
            "应填写“培训证书编号”",
        ),
        (
            "通过结业考核需不少于24学时",
            vec![("hours", json!(20))],
            "hours",
            "24（通知规定）",
        ),
        (
            "完成学时不为负",
            vec![("hours", json!(-2)), ("passed", json!(false))],
            "hours",
            "不少于 0",
        ),
        (
            "是否通过为是/否",
            vec![("passed", json!("maybe"))],
            "passed",
            "true 或 false",
        ),
    ];
    for (case, changes, col, needle) in cases {
        let mut v = sd_roster(30);
        for (k, val) in changes {
            v["trainees"][1][k] = val;
        }
        let r = run("shandong-roster", v, shandong_rules());
        assert!(!r.valid, "{case}");
        assert!(
            has(&r, &format!("trainees[1].{col}"), needle),
            "{case}: {}",
            dump(&r)
        );
    }
}

#[test]
fn roster_not_passed_needs_no_certificate() {
    let mut v = sd_roster(30);
    v["trainees"][1]["passed"] = json!(false);
    v["trainees"][1]["hours"] = json!(10);
    v["trainees"][1]["certificate_no"] = json!("");
    let r = run("shandong-roster", v, shandong_rules());
    assert!(r.valid, "{}", dump(&r));
}

#[test]
fn roster_passed_label_from_csv_is_read() {
    let mut v = sd_roster(30);
    v["trainees"][1]["passed"] = json!("是");
    let r = run("shandong-roster", v, shandong_rules());
    assert!(r.valid, "{}", dump(&r));
    assert_eq!(r.values["trainees"][1]["passed"], json!(true));
}

// ---------------------------------------------------------------------------------------
// shandong-self-evaluation

fn outcomes_text(chars: usize, items: usize) -> String {
    let mut s = String::new();
    for i in 0..items {
        s.push_str(&format!("{}. 建议\n", i + 1));
    }
    let have = s.chars().filter(|c| !c.is_whitespace()).count();
    s.push_str(&"成".repeat(chars.saturating_sub(have)));
    s
}

/// 500字左右，可供决策参考的三条以上建议
#[test]
fn self_evaluation_outcomes_about_500_chars_and_three_suggestions_are_warnings() {
    let cases = [
        (500, 3, 0, ""),
        (400, 3, 0, ""),
        (600, 5, 0, ""),
        (399, 3, 1, "399 字"),
        (601, 3, 1, "601 字"),
        (500, 2, 1, "2 条"),
        (300, 0, 2, "0 条"),
    ];
    for (chars, items, warnings, needle) in cases {
        let r = run(
            "shandong-self-evaluation",
            json!({ "outcomes": outcomes_text(chars, items) }),
            shandong_rules(),
        );
        assert!(r.valid, "warnings only");
        let w = at(&r, "outcomes");
        assert_eq!(w.len(), warnings, "{chars}/{items}: {}", dump(&r));
        assert!(w.iter().all(|f| f.severity == Severity::Warning));
        if !needle.is_empty() {
            assert!(has(&r, "outcomes", needle), "{}", dump(&r));
        }
    }
}

// ---------------------------------------------------------------------------------------
// shandong-acceptance

/// 评分满分为100分，70分合格
#[test]
fn acceptance_scores_and_passed() {
    let cases = [
        (json!(70), json!(69.9), Some((true, false)), ""),
        (json!(100), json!("85.5"), Some((true, true)), ""),
        (json!(100.5), json!(80), None, "不超过 100"),
        (json!(85.55), json!(80), None, "0.1 的整数倍"),
        (json!(-1), json!(80), None, "不少于 0"),
    ];
    for (org, app, passed, needle) in cases {
        let r = run(
            "shandong-acceptance",
            json!({ "summary": "效果良好。", "organizer_score": org, "applicant_score": app }),
            shandong_rules(),
        );
        match passed {
            Some((a, b)) => {
                assert!(r.valid, "{}", dump(&r));
                assert_eq!(r.computed["organizer_passed"], json!(a));
                assert_eq!(r.computed["applicant_passed"], json!(b));
            }
            None => assert!(has(&r, "organizer_score", needle), "{org}: {}", dump(&r)),
        }
    }
}

/// 研修基本情况及取得的主要效果（500字以内）
#[test]
fn acceptance_summary_required_and_at_most_500() {
    let r = run("shandong-acceptance", json!({}), shandong_rules());
    assert!(has(&r, "summary", "必填"), "{}", dump(&r));
    let r = run(
        "shandong-acceptance",
        json!({"summary": "效".repeat(501)}),
        shandong_rules(),
    );
    assert!(has(&r, "summary", "501"), "{}", dump(&r));
}

// ---------------------------------------------------------------------------------------
// wenzhou-evaluation

fn counts(forms: u64) -> Value {
    let mut ind = Map::new();
    for id in RATINGS {
        ind.insert(
            id.into(),
            json!({"very_satisfied": forms - 3, "satisfied": 2, "average": 1, "dissatisfied": 0}),
        );
    }
    json!({ "forms": forms, "indicators": ind })
}

fn expense(amount: Value) -> Value {
    json!({ "amount": amount, "detail": "按标准支付", "voucher": true })
}

fn evaluation() -> Value {
    json!({
        "project_name": "低压电器及其物联网技术应用", "applicant": "温州大学",
        "organizer": "温州大学技术与管理人才培训中心", "fill_date": "2020-10-20",
        "category": "重点类", "host_lead": "王", "host_phone": "88368177 0577-86689999",
        "host_mobile": "13567739185", "host_email": "a@wzu.edu.cn", "days": 2.5, "trainees": 32,
        "ledger_plan": true, "ledger_other": false,
        "total_cost": "3.2", "subsidy": 3,
        "lecturer_fees": expense(json!(1.2)), "venue": expense(json!("0.5")),
        "lodging": expense(json!(0.8)), "meals": expense(json!(0.5)),
        "materials": expense(json!(0.1)), "other_costs": expense(json!(0.1)),
        "basis_sufficiency": 1, "goal_rationality": 0.5, "quality": 3,
        "completion_rate": 92.5, "ledger_authenticity_findings": 2,
        "mgmt_established": true, "mgmt_defects": false, "mgmt_execution": "partial",
        "funds_received": 3, "funds_spent": "2.85",
        "survey": counts(32)
    })
}

#[test]
fn evaluation_valid() {
    let r = run("wenzhou-evaluation", evaluation(), wenzhou_rules());
    assert!(r.valid, "{}", dump(&r));
    assert_eq!(r.values["total_cost"], json!("3.2"));
}

#[test]
fn evaluation_amounts_add_up_to_total_cost_naming_both_sums() {
    let mut v = evaluation();
    v["total_cost"] = json!(3.3);
    let r = run("wenzhou-evaluation", v, wenzhou_rules());
    assert!(!r.valid);
    assert!(has(&r, "total_cost", "3.2"), "{}", dump(&r));
    assert!(has(&r, "total_cost", "3.3"), "{}", dump(&r));
    // 0.1 + 0.2 style sums are exact.
    let mut v = evaluation();
    v["lecturer_fees"]["amount"] = json!(0.1);
    v["venue"]["amount"] = json!(0.2);
    v["total_cost"] = json!(1.8);
    let r = run("wenzhou-evaluation", v, wenzhou_rules());
    assert!(at(&r, "total_cost").is_empty(), "{}", dump(&r));
}

/// 每期学员不少于30名，研修时间为2-3天（半天按0.5天计算）
#[test]
fn evaluation_days_and_trainees_from_the_notice() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("days", json!(1.5), "不少于 2 天（通知规定）"),
        ("days", json!(3.5), "不超过 3 天（通知规定）"),
        ("days", json!(2.2), "0.5 的整数倍"),
        ("trainees", json!(29), "不少于 30 人（通知规定）"),
        ("trainees", json!(30.5), "整数"),
    ];
    for (field, value, needle) in cases {
        let mut v = evaluation();
        v[field] = value.clone();
        let r = run("wenzhou-evaluation", v, wenzhou_rules());
        assert!(has(&r, field, needle), "{field}={value}: {}", dump(&r));
    }
}

#[test]
fn evaluation_score_inputs() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("quality", json!(4), "5 / 3 / 2 / 1"),
        ("basis_sufficiency", json!("x"), "应为数字"),
        ("progress", json!(5), "自动计算"),
        ("satisfaction", json!(10), "自动计算"),
        ("ledger_authenticity_findings", json!(-1), "不小于 0 的整数"),
        (
            "ledger_completeness_findings",
            json!(1.5),
            "不小于 0 的整数",
        ),
        ("completion_rate", json!(-5), "不小于 0"),
        ("funds_received", json!(0), "大于 0"),
        ("mgmt_execution", json!("half"), "full"),
        ("finance_established", json!("yes"), "true 或 false"),
    ];
    for (key, value, needle) in cases {
        let mut v = evaluation();
        v[key] = value.clone();
        let r = run("wenzhou-evaluation", v, wenzhou_rules());
        assert!(!r.valid, "{key}={value}");
        assert!(has(&r, key, needle), "{key}={value}: {}", dump(&r));
    }
}

#[test]
fn evaluation_survey_counts_all_ten_indicators_each_summing_to_forms() {
    let mut v = evaluation();
    v["survey"]["indicators"]["faculty"]["average"] = json!(2);
    v["survey"]["indicators"]
        .as_object_mut()
        .unwrap()
        .remove("work_help");
    v["survey"]["indicators"]["growth_help"]["meh"] = json!(1);
    let r = run("wenzhou-evaluation", v, wenzhou_rules());
    assert!(has(&r, "survey.indicators.faculty", "33"), "{}", dump(&r));
    assert!(
        has(&r, "survey.indicators.work_help", "缺少"),
        "{}",
        dump(&r)
    );
    assert!(
        has(&r, "survey.indicators.growth_help.meh", "未知的键"),
        "{}",
        dump(&r)
    );
}

#[test]
fn evaluation_computed_score_and_survey_summary() {
    let r = run("wenzhou-evaluation", evaluation(), wenzhou_rules());
    assert!(r.valid, "{}", dump(&r));
    // 1 + 0.5 + 3 + 4.8 (92.5 %) + 2.6 (2 findings) + 4 (partial) + 2 (95 %) + 10 (r 96.875 %)
    assert_eq!(r.computed["score"]["total"], json!(27.9));
    assert_eq!(r.computed["score"]["complete"], json!(false));
    assert_eq!(
        r.computed["score"]["indicators"]["progress"]["score"],
        json!(4.8)
    );
    assert_eq!(r.computed["survey"]["satisfaction_rate"], json!(96.88));
    assert_eq!(
        r.computed["survey"]["indicators"]["faculty"]["very_satisfied"]["percent"],
        json!(90.6)
    );
    // Invalid counts give no summary.
    let mut v = evaluation();
    v["survey"]["forms"] = json!(33);
    let r = run("wenzhou-evaluation", v, wenzhou_rules());
    assert!(r.computed.get("survey").is_none());
}

/// One list of yes/no words: what a CSV cell reads as a boolean, a JSON string reads as
/// the same boolean (with a note), and what neither reads is an error in both.
#[test]
fn yes_no_words_read_alike_in_json_and_csv() {
    let schema = schema("shandong-roster");
    for (word, want) in [
        ("1", Some(true)),
        ("是", Some(true)),
        ("0", Some(false)),
        ("无", Some(false)),
        ("也许", None),
    ] {
        let r = run(
            "shandong-roster",
            json!({"trainees": [{"name": "张三", "passed": word}]}),
            shandong_rules(),
        );
        let json_read = r.values["trainees"][0]["passed"].as_bool();
        let csv = format!("姓名,是否通过结业考核\r\n张三,{word}\r\n");
        let csv_read = wasm_forms::io::import_csv(&schema, &csv)
            .ok()
            .and_then(|rows| rows[0].get("passed").and_then(Value::as_bool));
        assert_eq!(json_read, want, "JSON {word}: {}", dump(&r));
        assert_eq!(csv_read, want, "CSV {word}");
        if want.is_some() {
            assert!(
                r.notes.iter().any(|n| n.path == "trainees[0].passed"),
                "JSON {word} is read with a note"
            );
        } else {
            assert!(
                !at(&r, "trainees[0].passed").is_empty(),
                "{word} is an error"
            );
        }
    }
}
