//! The default slug of an imported notice: the pinyin of the issuer's city (or province)
//! and the year, as the seeds' `wenzhou-2020` and `shandong-2024`.
//!
//! The place is read from the start of the issuer's name (`温州市人力资源和社会保障局` →
//! 温州市, `浙江省温州市…` → 温州市, `山东省人力资源和社会保障厅` → 山东省): the
//! city when one is named, else the province. Its pinyin is the site's own reading when
//! `site.toml` gives one (`[readings]`, for a name read otherwise than its characters'
//! first readings), else each character's first reading. When no place can be read,
//! there is no default: the command asks for `--slug`.

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
        _ => {
            let mut s = String::new();
            for c in name.chars() {
                s.push_str(c.to_pinyin()?.plain());
            }
            s
        }
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
}
