//! The order of organizer and category names as Chinese readers expect it: by pinyin
//! (letters, then tone), then by the character itself, as in a dictionary's index —
//! not by code point, which puts 乐清 and 其他 before 华中 and 温州.
//!
//! The readings are the `pinyin` crate's usual reading of each character, except inside
//! the words that `site.toml` gives a reading of its own (`[readings]`, e.g. the place
//! name 乐清 read yuè qīng, where the usual reading of 乐 is lè): a character reads as
//! the longest such word it starts. Names made of Latin letters or digits come before
//! Chinese ones, case-insensitively.

use pinyin::ToPinyin;

use crate::content::model::Reading;

/// One character's place: Latin letters and digits first (class 0), then characters
/// with a reading by (pinyin, tone), then anything else by code point.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum CharKey<'a> {
    Ascii(char),
    Reading(&'a str, u8, char),
    Other(char),
}

fn char_key(c: char) -> CharKey<'static> {
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

/// The sort key of a whole name: one [`CharKey`] a character, words of `readings`
/// read as given.
fn name_key<'a>(name: &str, readings: &'a [Reading]) -> Vec<CharKey<'a>> {
    let mut key = Vec::with_capacity(name.len() / 3 + 1);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let word = readings
            .iter()
            .filter(|r| rest.starts_with(r.word.as_str()))
            .max_by_key(|r| r.word.len());
        match word {
            Some(r) => {
                for (c, (plain, tone)) in r.word.chars().zip(&r.syllables) {
                    key.push(CharKey::Reading(plain.as_str(), *tone, c));
                }
                rest = &rest[r.word.len()..];
            }
            None => {
                key.push(char_key(c));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    key
}

/// Sorts `items` by the pinyin of the name each has (then by the name as a string, so
/// that the order is total), reading the words of `readings` as given. Each name's key
/// is computed once.
pub fn sort_by_pinyin<T>(items: &mut [T], readings: &[Reading], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| {
        let n = name(item);
        (name_key(n, readings), n.to_string())
    });
}

/// How `name` reads, one syllable a character, as the order above reads it: a
/// character's plain pinyin (`wen`), or the character itself (lower case) when it has
/// none; words of `readings` read as given. The search's 按拼音 group matches these.
pub fn syllables(name: &str, readings: &[Reading]) -> Vec<String> {
    let mut out = Vec::new();
    each_syllable(name, readings, |s| out.push(s.to_string()));
    out
}

/// [`syllables`] without a string per syllable: `f` gets each in turn.
pub fn each_syllable(name: &str, readings: &[Reading], mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for k in name_key(name, readings) {
        match k {
            CharKey::Ascii(c) | CharKey::Other(c) => {
                buf.clear();
                buf.extend(c.to_lowercase());
                f(&buf);
            }
            CharKey::Reading(plain, _, _) => f(plain),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sort_by_pinyin;
    use crate::content::model::Reading;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        sort_by_pinyin(&mut v, &[], |s| s);
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
        assert_eq!(sorted(&["同", "同"]), ["同", "同"]);
    }

    #[test]
    fn words_read_as_site_toml_says() {
        let readings = [Reading::parse("乐清", "yue4 qing1").unwrap()];
        let mut names = vec![
            "浙江东方职业技术学院",
            "乐清市人民医院",
            "温州大学",
            "华中科技大学",
        ];
        sort_by_pinyin(&mut names, &readings, |s| s);
        // hua, wen, yue, zhe: 乐 is yuè in 乐清, lè elsewhere.
        assert_eq!(
            names,
            [
                "华中科技大学",
                "温州大学",
                "乐清市人民医院",
                "浙江东方职业技术学院"
            ]
        );
        let mut names = vec!["乐山", "快乐", "华中"];
        sort_by_pinyin(&mut names, &readings, |s| s);
        assert_eq!(names, ["华中", "快乐", "乐山"]);
    }
}
