//! The order of organizer and category names as Chinese readers expect it: by pinyin
//! (letters, then tone), then by the character itself, as in a dictionary's index —
//! not by code point, which puts 乐清 and 其他 before 华中 and 温州.
//!
//! The readings are the `pinyin` crate's usual reading of each character; names made of
//! Latin letters or digits come before Chinese ones, case-insensitively.

use std::cmp::Ordering;

use pinyin::ToPinyin;

/// One character's place: Latin letters and digits first (class 0), then characters
/// with a reading by (pinyin, tone), then anything else by code point.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CharKey {
    Ascii(char),
    Reading(&'static str, u8, char),
    Other(char),
}

fn char_key(c: char) -> CharKey {
    if c.is_ascii_alphanumeric() {
        return CharKey::Ascii(c.to_ascii_lowercase());
    }
    match c.to_pinyin() {
        Some(p) => {
            let with_tone = p.with_tone_num_end();
            let tone = with_tone
                .chars()
                .last()
                .and_then(|d| d.to_digit(10))
                .map_or(0, |d| d as u8);
            CharKey::Reading(p.plain(), tone, c)
        }
        None => CharKey::Other(c),
    }
}

/// Compares two names by pinyin, then as strings (so that the order is total).
pub fn by_pinyin(a: &str, b: &str) -> Ordering {
    a.chars()
        .map(char_key)
        .cmp(b.chars().map(char_key))
        .then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::by_pinyin;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| by_pinyin(a, b));
        v
    }

    #[test]
    fn organizers_sort_by_pinyin_not_code_point() {
        let got = sorted(&[
            "浙江东方职业技术学院",
            "温州市机电技术协会",
            "乐清市人民医院",
            "华中科技大学温州先进制造技术研究院",
            "温州大学技术与管理人才培训中心",
        ]);
        assert_eq!(
            got,
            [
                "华中科技大学温州先进制造技术研究院", // hua
                "乐清市人民医院",                     // le
                "温州大学技术与管理人才培训中心",     // wen zhou da
                "温州市机电技术协会",                 // wen zhou shi
                "浙江东方职业技术学院",               // zhe
            ]
        );
    }

    #[test]
    fn categories_sort_by_pinyin() {
        let got = sorted(&[
            "其他",
            "数字经济",
            "战略新兴产业、高端装备制造类",
            "疫情防控与科研、公共卫生类",
        ]);
        assert_eq!(
            got,
            [
                "其他",
                "数字经济",
                "疫情防控与科研、公共卫生类",
                "战略新兴产业、高端装备制造类"
            ]
        );
    }

    #[test]
    fn latin_first_then_tones_then_a_total_order() {
        assert_eq!(
            sorted(&["温州", "3D打印", "ABC"]),
            ["3D打印", "ABC", "温州"]
        );
        // 妈 mā (1) before 马 mǎ (3).
        assert_eq!(sorted(&["马", "妈"]), ["妈", "马"]);
        assert_eq!(by_pinyin("同", "同"), std::cmp::Ordering::Equal);
    }
}
