//! The default slug of an imported notice: the pinyin of the issuer's city (or province)
//! and the year, as the seeds' `wenzhou-2020` and `shandong-2024`.
//!
//! The place is read from the start of the issuer's name (`温州市人力资源和社会保障局` →
//! 温州市, `浙江省温州市…` → 温州市, `山东省人力资源和社会保障厅` → 山东省): the
//! city when one is named, else the province. Its pinyin is the site's own reading when
//! `site.toml` gives one (`[readings]`), else the name's characters read as in place
//! names ([`PLACE_READINGS`]: 重庆 chongqing, not each character's first reading
//! zhongqing), else each character's first reading, `ü` written `v` as in the places' own
//! web addresses (吕梁 lvliang). When no place can be read, there is no default: the
//! command asks for `--slug`.

use pinyin::ToPinyin;

/// The administrative places an issuer's name begins with, largest first
/// (`["浙江省", "温州市"]`).
pub fn places(issuer: &str) -> Vec<String> {
    const ENDS: &[&str] = &[
        "自治区",
        "自治州",
        "特别行政区",
        "地区",
        "省",
        "市",
        "盟",
        "州",
        "县",
        "区",
        "旗",
    ];
    let chars: Vec<char> = issuer.trim().chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    'next: while at < chars.len() {
        for len in 2..=8 {
            let Some(seg) = chars.get(at..at + len) else {
                break;
            };
            let s: String = seg.iter().collect();
            if !seg.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
                break;
            }
            if ENDS
                .iter()
                .any(|e| s.ends_with(e) && s.chars().count() > e.chars().count())
            {
                // 杭州 is not the place when 杭州市 is written.
                let mut len = len;
                while chars
                    .get(at + len)
                    .is_some_and(|c| matches!(c, '市' | '省' | '县' | '区' | '旗' | '盟'))
                {
                    len += 1;
                }
                let _ = s;
                out.push(chars[at..at + len].iter().collect());
                at += len;
                continue 'next;
            }
        }
        break;
    }
    out
}

/// The place a notice belongs to: the issuer's city if it names one, else its first
/// place (a province).
pub fn place(issuer: &str) -> Option<String> {
    let p = places(issuer);
    p.iter()
        .rev()
        .find(|s| s.ends_with('市'))
        .or_else(|| p.first())
        .cloned()
}

/// A place's name without its 省/市/自治区.
fn stem(place: &str) -> &str {
    for end in [
        "特别行政区",
        "自治区",
        "自治州",
        "地区",
        "省",
        "市",
        "盟",
        "州",
        "县",
        "区",
        "旗",
    ] {
        if let Some(s) = place.strip_suffix(end) {
            if s.chars().count() >= 2 || end.chars().count() == 1 && !s.is_empty() {
                return s;
            }
        }
    }
    place
}

/// Readings of characters and words in Chinese place names that differ from the
/// characters' first readings, as the places' official romanisations write them: the
/// longest word that matches is read first (长子 zhangzi before 长 chang).
const PLACE_READINGS: &[(&str, &str)] = &[
    // Characters read one way in every place name listed by the administrative codes.
    ("长", "chang"),
    ("都", "du"),
    ("藏", "zang"),
    ("重", "chong"),
    ("厦", "xia"),
    ("蚌", "beng"),
    ("铅", "yan"),
    ("犍", "qian"),
    ("枞", "zong"),
    ("泌", "bi"),
    ("陂", "pi"),
    ("坻", "di"),
    ("蔚", "yu"),
    ("单", "shan"),
    ("堡", "bu"),
    // Words read otherwise than their characters' first readings.
    ("喀什", "kashi"),
    ("弥勒", "mile"),
    ("疏勒", "shule"),
    ("佛山", "foshan"),
    ("东阿", "donge"),
    ("尉犁", "yuli"),
    ("茄子河", "qiezihe"),
    ("番禺", "panyu"),
    ("大埔", "dabu"),
    ("中牟", "zhongmu"),
    ("牟平", "muping"),
    // Words where a character is read otherwise than in the other place names.
    ("长子", "zhangzi"),
    ("乐清", "yueqing"),
    ("乐亭", "laoting"),
    ("六安", "luan"),
    ("六合", "luhe"),
    ("洪洞", "hongtong"),
    ("陕西", "shaanxi"),
];

/// The pinyin of a place's name, lowercase ASCII: [`PLACE_READINGS`] where a word of it
/// is listed, else each character's first reading. `None` when a character has none.
fn place_pinyin(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut at = 0;
    while at < chars.len() {
        let listed = (1..=chars.len() - at).rev().find_map(|len| {
            let word: String = chars[at..at + len].iter().collect();
            PLACE_READINGS
                .iter()
                .find(|(w, _)| *w == word)
                .map(|(_, r)| (len, *r))
        });
        if let Some((len, reading)) = listed {
            out.push_str(reading);
            at += len;
        } else {
            out.extend(chars[at].to_pinyin()?.plain().chars().map(|c| match c {
                'ü' => 'v',
                c => c,
            }));
            at += 1;
        }
    }
    Some(out)
}

/// `wenzhou-2020`; `None` when the issuer names no place whose pinyin is known.
/// `readings` are the site's `[readings]` (word, `"yue4 qing1"`).
pub fn default_slug(issuer: &str, year: i32, readings: &[(String, String)]) -> Option<String> {
    let place = place(issuer)?;
    let name = stem(&place);
    let own = readings
        .iter()
        .find(|(w, _)| w == name || *w == place)
        .map(|(_, r)| {
            r.chars()
                .filter(|c| c.is_ascii_alphabetic())
                .collect::<String>()
                .to_ascii_lowercase()
        });
    let py = match own {
        Some(p) if !p.is_empty() => p,
        _ => place_pinyin(name)?,
    };
    Some(format!("{py}-{year}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_slugs() {
        assert_eq!(
            default_slug("温州市人力资源和社会保障局", 2020, &[]).as_deref(),
            Some("wenzhou-2020")
        );
        assert_eq!(
            default_slug("山东省人力资源和社会保障厅", 2024, &[]).as_deref(),
            Some("shandong-2024")
        );
        assert_eq!(
            default_slug("浙江省温州市人力资源和社会保障局", 2020, &[]).as_deref(),
            Some("wenzhou-2020")
        );
        assert_eq!(
            default_slug(
                "乐清市人力资源和社会保障局",
                2021,
                &[("乐清".into(), "yue4 qing1".into())]
            )
            .as_deref(),
            Some("yueqing-2021")
        );
        assert_eq!(default_slug("人力资源和社会保障部", 2024, &[]), None);
        assert_eq!(places("内蒙古自治区人力资源和社会保障厅"), ["内蒙古自治区"]);
        assert_eq!(
            default_slug("杭州市人力资源和社会保障局", 2025, &[]).as_deref(),
            Some("hangzhou-2025")
        );
    }

    #[test]
    fn places_read_as_their_own_names_are_romanised() {
        let slug = |issuer: &str| default_slug(issuer, 2025, &[]).unwrap_or_default();
        for (issuer, want) in [
            ("重庆市人力资源和社会保障局", "chongqing-2025"),
            ("长沙市人力资源和社会保障局", "changsha-2025"),
            ("湖南省长沙市人力资源和社会保障局", "changsha-2025"),
            ("厦门市人力资源和社会保障局", "xiamen-2025"),
            ("六安市人力资源和社会保障局", "luan-2025"),
            ("乐清市人力资源和社会保障局", "yueqing-2025"),
            ("乐山市人力资源和社会保障局", "leshan-2025"),
            ("成都市人力资源和社会保障局", "chengdu-2025"),
            ("蚌埠市人力资源和社会保障局", "bengbu-2025"),
            ("长治市人力资源和社会保障局", "changzhi-2025"),
            ("长子县人力资源和社会保障局", "zhangzi-2025"),
            ("陕西省人力资源和社会保障厅", "shaanxi-2025"),
            ("山西省人力资源和社会保障厅", "shanxi-2025"),
            ("西藏自治区人力资源和社会保障厅", "xizang-2025"),
            ("吕梁市人力资源和社会保障局", "lvliang-2025"),
            ("蔚县人力资源和社会保障局", "yu-2025"),
            ("朝阳市人力资源和社会保障局", "chaoyang-2025"),
            ("吐鲁番市人力资源和社会保障局", "tulufan-2025"),
        ] {
            assert_eq!(slug(issuer), want, "{issuer}");
        }
        // The site's own reading comes first.
        assert_eq!(
            default_slug(
                "长沙市人力资源和社会保障局",
                2025,
                &[("长沙".into(), "chang2 sha1".into())]
            )
            .as_deref(),
            Some("changsha-2025")
        );
    }
}
