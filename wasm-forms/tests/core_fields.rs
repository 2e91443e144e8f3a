//! The shared field types of forms.md, table-driven.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use chrono::NaiveDate;
use wasm_forms::fields::{
    count_items, date, email, id_birth_date, id_check_char, id_gender, id_number, mobile, phone,
    postcode, qq, text_len, Gender, NOTE_FULL_WIDTH, NOTE_TRIMMED, NOTE_UPPER_X,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 7, 3).unwrap()
}

/// A valid id number with this region, birth date and sequence.
fn make_id(region: &str, birth: &str, seq: &str) -> String {
    let body = format!("{region}{birth}{seq}");
    format!("{body}{}", id_check_char(&body).unwrap())
}

/// (case, input, Ok(normalised) or Err(parts of the message))
type IdCase<'a> = (&'a str, &'a str, Result<&'a str, Vec<&'a str>>);

#[test]
fn id_number_cases() {
    // (case, input, Ok(normalised) or Err(part of the message))
    let future = make_id("110105", "20250101", "001");
    let before_1900 = make_id("110105", "18991231", "001");
    let bad_region = make_id("990105", "19491231", "002");
    let cases: Vec<IdCase> = vec![
        (
            "GB 11643-1999 示例",
            "11010519491231002X",
            Ok("11010519491231002X"),
        ),
        ("小写 x", "11010519491231002x", Ok("11010519491231002X")),
        (
            "全角",
            "１１０１０５１９４９１２３１００２Ｘ",
            Ok("11010519491231002X"),
        ),
        (
            "首尾空格",
            "  11010519491231002X ",
            Ok("11010519491231002X"),
        ),
        (
            "校验码错误",
            "110105194912310021",
            Err(vec!["校验码错误", "应为“X”", "现为“1”"]),
        ),
        ("地区码错误", &bad_region, Err(vec!["地区码错误", "“99”"])),
        (
            "出生日期不存在",
            "110105199902300011",
            Err(vec!["出生日期错误", "19990230"]),
        ),
        (
            "出生日期晚于今天",
            &future,
            Err(vec!["出生日期错误", "晚于今天"]),
        ),
        (
            "出生日期早于1900",
            &before_1900,
            Err(vec!["早于1900-01-01"]),
        ),
        (
            "17位",
            "11010519491231002",
            Err(vec!["长度错误", "现为17位"]),
        ),
        (
            "19位",
            "11010519491231002X1",
            Err(vec!["长度错误", "现为19位"]),
        ),
        ("15位旧号码", "110105491231002", Err(vec!["长度错误"])),
        (
            "含字母",
            "1101051949123A002X",
            Err(vec!["前17位应全为数字"]),
        ),
        ("末位非法", "11010519491231002Y", Err(vec!["第18位"])),
        ("空", "   ", Err(vec!["为空"])),
    ];
    for (case, input, expected) in cases {
        match (id_number(input, today()), expected) {
            (Ok(n), Ok(want)) => assert_eq!(n.value, want, "{case}"),
            (Err(msg), Err(parts)) => {
                let msg = msg.to_string();
                for p in parts {
                    assert!(msg.contains(p), "{case}: {msg} should contain {p}");
                }
            }
            (got, want) => panic!("{case}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn id_number_reports_several_failed_parts_at_once() {
    // Region 99 and date 19990230 and (whatever) check character.
    let body = "99010519990230001";
    let wrong = if id_check_char(body) == Some('0') {
        '1'
    } else {
        '0'
    };
    let msg = id_number(&format!("{body}{wrong}"), today())
        .unwrap_err()
        .to_string();
    assert!(msg.contains("地区码错误"), "{msg}");
    assert!(msg.contains("出生日期错误"), "{msg}");
    assert!(msg.contains("校验码错误"), "{msg}");
}

#[test]
fn id_number_notes_are_visible() {
    let n = id_number("１１０１０５１９４９１２３１００２x ", today()).unwrap();
    assert!(n.notes.contains(&NOTE_FULL_WIDTH.to_string()));
    assert!(n.notes.contains(&NOTE_UPPER_X.to_string()));
    assert!(n.notes.contains(&NOTE_TRIMMED.to_string()));
    assert!(id_number("11010519491231002X", today())
        .unwrap()
        .notes
        .is_empty());
}

#[test]
fn every_province_code_of_the_spec_is_accepted() {
    let codes = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
    ];
    for region in 10..=99 {
        let id = make_id(&format!("{region}0102"), "19800101", "001");
        assert_eq!(
            id_number(&id, today()).is_ok(),
            codes.contains(&region),
            "{region}"
        );
    }
}

#[test]
fn gender_from_digit_17_and_birth_date() {
    assert_eq!(id_gender("11010519491231002X"), Some(Gender::Female));
    assert_eq!(
        id_gender(&make_id("110105", "19800101", "001")),
        Some(Gender::Male)
    );
    assert_eq!(id_gender("123"), None);
    assert_eq!(
        id_birth_date("11010519491231002X"),
        NaiveDate::from_ymd_opt(1949, 12, 31)
    );
}

#[test]
fn mobile_cases() {
    let ok = [
        ("13800138000", "13800138000"),
        ("19912345678", "19912345678"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
    ];
    for (input, want) in ok {
        assert_eq!(mobile(input).unwrap().value, want, "{input}");
    }
    for bad in [
        "12800138000",
        "1380013800",
        "138001380001",
        "23800138000",
        "1380013800a",
        "",
    ] {
        assert!(mobile(bad).is_err(), "{bad}");
    }
}

#[test]
fn phone_cases() {
    let ok = [
        "89090161",
        "0577-89090161",
        "057789090161",
        "010-12345678",
        "0531-51788246，51788230",
        "88526559 88505434",
        "0577-88888888-123",
        "0577-88888888转123",
        "88888888转1",
        "13800138000",
        "13800138000/0577-88888888",
        "0577-88888888、0577-88888889",
        "0531-51788246,51788230",
    ];
    for input in ok {
        assert!(phone(input).is_ok(), "{input}: {:?}", phone(input));
    }
    let bad = [
        "12345",
        "0577-123",
        "0577-88888888转1234567",
        "577-88888888",
        "0577--88888888",
        "88888888-123-4",
        "电话",
        "",
    ];
    for input in bad {
        assert!(phone(input).is_err(), "{input}");
    }
    assert!(phone("0577-88888888 12345")
        .unwrap_err()
        .to_string()
        .contains("“12345”"));
}

#[test]
fn email_postcode_qq_date_cases() {
    assert!(email("zjc_3303@163.com").is_ok());
    assert!(email("sdzjryjxjy@shandong.cn").is_ok());
    for bad in [
        "a@b",
        "a b@c.com",
        "a@@b.com",
        "@b.com",
        "a@.com",
        "a@b.",
        "ab.com",
    ] {
        assert!(email(bad).is_err(), "{bad}");
    }
    assert!(postcode("250014").is_ok());
    assert!(postcode("２５００１４").is_ok());
    for bad in ["25001", "2500140", "25001a"] {
        assert!(postcode(bad).is_err(), "{bad}");
    }
    for good in ["12345", "12345678901"] {
        assert!(qq(good).is_ok(), "{good}");
    }
    for bad in ["1234", "123456789012", "01234", "12a45"] {
        assert!(qq(bad).is_err(), "{bad}");
    }
    assert!(date("2024-02-29").is_ok());
    assert!(date("2023-02-29")
        .unwrap_err()
        .to_string()
        .contains("不存在"));
    // As offices write dates: stored as YYYY-MM-DD, with a note.
    for other in [
        "2024-7-3",
        "2024/07/03",
        "2024.7.3",
        "2024年7月3日",
        "20240703",
    ] {
        let (_, n) = date(other).unwrap();
        assert_eq!(n.value, "2024-07-03", "{other}");
        assert_eq!(n.notes.len(), 1, "{other}");
    }
    for bad in ["2024-07-03T00:00", "7/3/2024", "24/7/3"] {
        assert!(
            date(bad).unwrap_err().to_string().contains("无法识别"),
            "{bad}"
        );
    }
}

#[test]
fn text_length_counts_characters_not_whitespace() {
    assert_eq!(text_len("研修 成果\n\t"), 4);
    assert_eq!(text_len("abc"), 3);
    assert_eq!(text_len("😀"), 1);
}

#[test]
fn suggestions_are_counted_as_numbered_or_bulleted_items() {
    let cases = [
        ("1. 甲\n2. 乙\n3. 丙", 3),
        ("（一）甲\n（二）乙\n（三）丙\n（四）丁", 4),
        ("一是甲；\n二是乙。", 2),
        ("• 甲\n• 乙\n• 丙", 3),
        ("①甲②乙③丙", 3),
        ("建议如下：加强合作，完善机制。", 0),
        ("2024年是关键一年。", 0),
    ];
    for (text, n) in cases {
        assert_eq!(count_items(text), n, "{text}");
    }
}
