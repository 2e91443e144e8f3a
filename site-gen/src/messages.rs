//! Messages for clerks, in the site's language: the language chosen once per run
//! ([`set_lang`]: `--lang`, else `language` of site.toml, else Chinese), and the texts
//! that say how to write a value the TOML parser could not read.
//!
//! Each message is written here in both languages, so that a wording is changed in one
//! place and `--lang en` gives the English of every message that has one.

use std::sync::OnceLock;

use wasm_forms::date;

/// The language of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh-CN`, `zh`, `zh-Hans` → Chinese; `en`, `en-US` → English; anything else: none.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of this run's messages (the first call wins).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run's messages: Chinese unless set otherwise.
pub fn lang() -> Lang {
    *LANG.get().unwrap_or(&Lang::Zh)
}

/// `text` in this run's language: each line's message from the catalogue
/// ([`crate::catalogue`]) when the language is Chinese, unchanged in English.
pub fn say(text: &str) -> String {
    match lang() {
        Lang::Zh => crate::catalogue::to_chinese(text),
        Lang::En => text.to_string(),
    }
}

/// Prints a line for people on stderr, in this run's language ([`say`]).
pub fn eprint(args: std::fmt::Arguments<'_>) {
    eprintln!("{}", say(&args.to_string()));
}

/// The language a site's `site.toml` asks for (`language = "zh-CN"`), if it can be read
/// ([`site_setting`]).
pub fn lang_of_site(content: &std::path::Path) -> Option<Lang> {
    Lang::parse(&site_setting(content, "language")?)
}

/// The text of `key` in a site's `site.toml`, read from that file alone (before, or
/// without, a whole check of the content), if it is a plain file that can be read (a
/// FIFO or a device is left to the content checks to name).
pub fn site_setting(content: &std::path::Path, key: &str) -> Option<String> {
    let path = content.join("site.toml");
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > 1024 * 1024 {
        return None;
    }
    let text = crate::fsx::read_to_string(&path).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    Some(value.get(key)?.as_str()?.to_string())
}

/// What to say about `key = value` written without the quotes or in a form TOML does not
/// take, when the parser stopped on that line: dates (`2025/4/18`, `2025-4-18`,
/// `2025年4月18日`), phone numbers with dashes or spaces, amounts in 万, and text.
/// `at` is where in the line (a byte offset) the parser stopped: the value is the one
/// of the last `key =` before it, up to the next `,`, `]` or `}` (inside an inline
/// table such as `contacts = [{ name = "…", phones = [0577-88879706] }]`, the array's
/// elements too). `quoted`: the key takes its dates as text (`off = ["2020-10-01"]` of a
/// calendar), so a date is to be written in quotes. `None` when there is no such `key =
/// value`.
pub fn unquoted_value(line: &str, at: usize, lang: Lang, quoted: bool) -> Option<String> {
    let (key, value) = key_and_value(line, at)?;
    if value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    // What was typed, up to a comment.
    let typed = value.split(" #").next().unwrap_or(value).trim();
    let shown: String = typed.chars().take(40).collect();
    // `days = 2-3` (研修时间2-3天, as a notice writes it): the two numbers as a list.
    if key == "days" {
        let days = typed.strip_suffix('天').unwrap_or(typed).trim();
        let range = days
            .split_once(['-', '~', '～', '－', '—', '至', '到'])
            .map(|(a, b)| (a.trim(), b.trim()))
            .filter(|(a, b)| a.parse::<f64>().is_ok() && b.parse::<f64>().is_ok());
        if let Some((min, max)) = range {
            return Some(match lang {
                Lang::Zh => format!(
                    "days 要写成 days = [{min}, {max}]（最少天数, 最多天数，方括号里两个数），现为 {shown}"
                ),
                Lang::En => format!(
                    "write days as days = [{min}, {max}] (the fewest and the most days, two numbers in brackets), not {shown}"
                ),
            });
        }
    }
    if quoted {
        let as_date = match date::read(typed, date::Mode::Iso) {
            Ok((d, _)) | Err(date::Unreadable::NotIso(d)) => Some(d),
            Err(_) => None,
        };
        if let Some(d) = as_date {
            let iso = date::format(d);
            return Some(match lang {
                Lang::Zh => format!("{key} 的日期要加英文双引号：{key} = [\"{iso}\"]（年-月-日），现为 {shown}"),
                Lang::En => format!("write the dates of {key} in double quotes: {key} = [\"{iso}\"] (year-month-day), not {shown}"),
            });
        }
    }
    if let Err(date::Unreadable::NotIso(d)) = date::read(typed, date::Mode::Iso) {
        let iso = date::format(d);
        return Some(match lang {
            Lang::Zh => format!(
                "{key} 要写成 {key} = {iso}（年-月-日，月和日各两位，不加引号），现为 {shown}"
            ),
            Lang::En => format!(
                "write {key} as {key} = {iso} (year-month-day, two-digit month and day, no quotes), not {shown}"
            ),
        });
    }
    // Year, month and day, but no such day (2020-02-30, 2020-13-01): not a phone number.
    let (like, zh_quotes, en_quotes) = if quoted {
        ("[\"2020-07-21\"]", "", "")
    } else {
        ("2020-07-21", "，不加引号", ", no quotes")
    };
    match date::read(typed, date::Mode::Iso) {
        Err(date::Unreadable::Month) => {
            return Some(match lang {
                Lang::Zh => format!("{key} 的月份应为 1 到 12：{key} = {shown} 不是真实的日期，写成 {key} = {like} 这样（年-月-日{zh_quotes}）"),
                Lang::En => format!("{key} = {shown} is not a real date: the month must be 1 to 12; write it like {key} = {like} (year-month-day{en_quotes})"),
            });
        }
        Err(date::Unreadable::Day { year, month, days }) => {
            return Some(match lang {
                Lang::Zh => format!("{key} = {shown} 不是真实的日期：{year} 年 {month} 月只有 {days} 天；写成 {key} = {like} 这样（年-月-日{zh_quotes}）"),
                Lang::En => format!("{key} = {shown} is not a real date: {month}/{year} has {days} days; write it like {key} = {like} (year-month-day{en_quotes})"),
            });
        }
        _ => {}
    }
    if let Some(n) = amount_wan(typed) {
        return Some(match lang {
            Lang::Zh => format!("{key} 以万元计，只写数字：{key} = {n}，现为 {shown}"),
            Lang::En => {
                format!("{key} is in 万元: write the number alone, {key} = {n}, not {shown}")
            }
        });
    }
    if looks_like_phone(typed) {
        return Some(match lang {
            Lang::Zh => format!(
                "电话号码要加英文双引号：{key} = \"{shown}\"（多个号码写成 [\"…\", \"…\"]）"
            ),
            Lang::En => format!(
                "a phone number is text in quotes: {key} = \"{shown}\" (several: [\"…\", \"…\"])"
            ),
        });
    }
    if !typed.is_ascii() || typed.chars().any(char::is_alphabetic) {
        let literal = matches!(typed, "true" | "false") || typed.parse::<f64>().is_ok();
        if !literal {
            return Some(match lang {
                Lang::Zh => format!("文字要加英文双引号：{key} = \"{shown}\""),
                Lang::En => format!("text goes in double quotes: {key} = \"{shown}\""),
            });
        }
    }
    None
}

/// The `key = value` of `line` that byte offset `at` is in: the last `key =` before it
/// (a plain key: letters, digits, `_`, `-`, `.`), and its value up to the next `,`, `]`
/// or `}` (an array's first element, without its `[`). `None` when there is no such key
/// or the value is empty.
pub fn key_and_value(line: &str, at: usize) -> Option<(&str, &str)> {
    let at = (0..=at.min(line.len()))
        .rev()
        .find(|&i| line.is_char_boundary(i))?;
    let eq = line[..at].rfind('=')?;
    let key = line[..eq]
        .trim_end()
        .rsplit(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .next()
        .unwrap_or("")
        .trim();
    let value = line[eq + 1..]
        .trim_start()
        .trim_start_matches('[')
        .split([',', ']', '}'])
        .next()
        .unwrap_or("")
        .trim();
    let plain_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    (plain_key && !value.is_empty()).then_some((key, value))
}

/// `3万`, `2.5万元`, `3 万` → the number.
fn amount_wan(s: &str) -> Option<String> {
    let n = s
        .strip_suffix("万元")
        .or_else(|| s.strip_suffix('万'))?
        .trim();
    (!n.is_empty() && n.parse::<f64>().is_ok()).then(|| n.to_string())
}

/// Digits with the dashes, spaces or brackets people write phone numbers with.
fn looks_like_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '（' | '）' | '转'))
        && s.chars().any(|c| !c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_that_does_not_exist_is_called_a_date_not_a_phone_number() {
        let zh = unquoted_value("date = 2020-02-30", 13, Lang::Zh, false).unwrap();
        assert!(
            zh.contains("不是真实的日期：2020 年 2 月只有 29 天"),
            "{zh}"
        );
        assert!(!zh.contains("电话"), "{zh}");
        let en = unquoted_value("complete_by = 2020-13-01", 20, Lang::En, false).unwrap();
        assert!(en.contains("the month must be 1 to 12"), "{en}");
        let cal = unquoted_value("off = [2020-11-31]", 12, Lang::Zh, true).unwrap();
        assert!(cal.contains("2020 年 11 月只有 30 天"), "{cal}");
        assert!(cal.contains("off = [\"2020-07-21\"]"), "{cal}");
        // A calendar's dates are text: the fix is the quotes, never a phone number.
        for typed in ["off = [2020-01-01]", "off = [20200101]", "off = 2020/1/1"] {
            let zh = unquoted_value(typed, 7, Lang::Zh, true).unwrap();
            assert!(zh.contains("off = [\"2020-01-01\"]"), "{typed}: {zh}");
        }
    }

    #[test]
    fn dates_as_typed_in_word_get_the_form_to_write() {
        assert_eq!(
            unquoted_value("date = 2025/4/18", 11, Lang::Zh, false).unwrap(),
            "date 要写成 date = 2025-04-18（年-月-日，月和日各两位，不加引号），现为 2025/4/18"
        );
        assert_eq!(
            unquoted_value("date = 2025-4-18", 12, Lang::En, false).unwrap(),
            "write date as date = 2025-04-18 (year-month-day, two-digit month and day, no quotes), not 2025-4-18"
        );
        assert!(
            unquoted_value("complete_by = 2024年11月15日", 18, Lang::Zh, false)
                .unwrap()
                .contains("complete_by = 2024-11-15")
        );
        // Not a real date: no date advice.
        assert!(!unquoted_value("date = 2025/2/30", 11, Lang::Zh, false)
            .unwrap_or_default()
            .contains("2025-02-30"));
    }

    #[test]
    fn phones_amounts_and_text() {
        assert_eq!(
            unquoted_value("phones = 0571-87654321", 13, Lang::Zh, false).unwrap(),
            "电话号码要加英文双引号：phones = \"0571-87654321\"（多个号码写成 [\"…\", \"…\"]）"
        );
        let line = "contacts = [{ name = \"陈强\", phones = [0577-88879706] }]";
        assert_eq!(
            unquoted_value(line, line.find("-88").unwrap(), Lang::En, false).unwrap(),
            "a phone number is text in quotes: phones = \"0577-88879706\" (several: [\"…\", \"…\"])"
        );
        assert_eq!(
            unquoted_value("amount_wan = 3万", 14, Lang::Zh, false).unwrap(),
            "amount_wan 以万元计，只写数字：amount_wan = 3，现为 3万"
        );
        assert_eq!(
            unquoted_value("organizer = 温州大学", 12, Lang::Zh, false).unwrap(),
            "文字要加英文双引号：organizer = \"温州大学\""
        );
        assert_eq!(unquoted_value("title = \"x\"", 9, Lang::Zh, false), None);
        assert_eq!(
            unquoted_value("min_trainees = 30", 16, Lang::Zh, false),
            None
        );
        assert_eq!(unquoted_value("[[lists]]", 3, Lang::Zh, false), None);
    }

    #[test]
    fn a_range_of_days_as_a_notice_writes_it_gets_the_list_to_write() {
        assert_eq!(
            unquoted_value("days = 2-3", 8, Lang::Zh, false).unwrap(),
            "days 要写成 days = [2, 3]（最少天数, 最多天数，方括号里两个数），现为 2-3"
        );
        assert_eq!(
            unquoted_value("days = 2～3天", 8, Lang::En, false).unwrap(),
            "write days as days = [2, 3] (the fewest and the most days, two numbers in brackets), not 2～3天"
        );
        // Not a range: the date advice of other keys is not given to days.
        assert_eq!(unquoted_value("days = 2", 7, Lang::Zh, false), None);
    }

    #[test]
    fn languages() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
