//! The shared field types of the form contract: 居民身份证号码, mobile, phone, email,
//! postcode, QQ, date, decimal numbers and text length.
//!
//! Each checker takes what a person typed and returns either the normalised value with
//! the normalisations it made ([`Normalized::notes`], shown to the user, never errors),
//! or a [`FieldError`] naming what is wrong and what is expected (its `Display` is the
//! Chinese message the form shows, with the label put before it by the validator).
//! Reading is lenient
//! where people are: full-width digits and letters, surrounding spaces and a lower-case
//! `x` in an id number are accepted and normalised.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// Why a typed value is not a value of its field type: the value as read (full-width
/// characters made half-width, surrounding spaces removed; for a phone field, the one
/// number that is wrong) and what is wrong with it. `Display` writes the message a person
/// reads (in Chinese), naming the value and what is expected; the validator puts the
/// field's label before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The value (or, in a phone field, the number) as read.
    pub text: String,
    pub problem: FieldProblem,
}

/// What is wrong with a typed value ([`FieldError`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldProblem {
    /// An id number with nothing in it.
    IdEmpty,
    /// An id number a spreadsheet saved as a number in scientific notation.
    IdScientific,
    /// An id number of this many characters, not 18.
    IdLength(usize),
    /// An id number whose first 17 characters are not all digits.
    IdBody,
    /// An id number whose check character (this one) is neither a digit nor X.
    IdLast(char),
    /// An id number of the right shape with wrong parts (at least one).
    IdParts(IdParts),
    /// A mobile number with nothing in it.
    MobileEmpty,
    /// A mobile number that is not `1[3-9]` and 9 more digits.
    Mobile,
    /// A phone field with nothing in it.
    PhoneEmpty,
    /// A phone field of separators only.
    PhoneNone,
    /// One number of a phone field that is neither a mobile nor a landline.
    Phone,
    /// An email address that is wrong in this way.
    Email(EmailProblem),
    /// A postcode that is not 6 digits.
    Postcode,
    /// A QQ number that is not 5-11 digits without a leading 0.
    Qq,
    /// A date that cannot be read as year, month and day.
    DateShape,
    /// A date with a month outside 1-12.
    DateMonth,
    /// A date with a day its month does not have: that month has `days` days.
    DateDay { year: i32, month: u32, days: u32 },
    /// Text that is not a decimal number.
    Decimal,
}

/// The wrong parts of an 18-character id number (at least one is set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdParts {
    /// Digits 1-2, when they are no province-level code of GB/T 2260.
    pub region: Option<u32>,
    /// What is wrong with the birth date of digits 7-14.
    pub birth: Option<BirthProblem>,
    /// `(expected, written)` when the check character is not the one the first 17 digits
    /// give.
    pub check: Option<(char, char)>,
}

/// What is wrong with an id number's birth date (digits 7-14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthProblem {
    /// Not a date.
    NotADate,
    /// A date after this day (today).
    After(NaiveDate),
    /// A date before 1900-01-01.
    Before1900,
}

/// What is wrong with an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    Spaces,
    At,
    LocalEmpty,
    Domain,
}

/// Writes `head“quoted”tail`: most messages name the value as it was typed this way.
/// One function of plain writes, so no message needs a formatting template of its own.
fn write_quoted(f: &mut fmt::Formatter<'_>, head: &str, quoted: &str, tail: &str) -> fmt::Result {
    for part in [head, "“", quoted, "”", tail] {
        f.write_str(part)?;
    }
    Ok(())
}

impl FieldError {
    fn new(text: String, problem: FieldProblem) -> Self {
        FieldError { text, problem }
    }
}

impl IdParts {
    fn write(&self, id: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("身份证号码")?;
        let mut sep = "";
        if let Some(region) = self.region {
            write!(
                f,
                "地区码错误：前两位“{region:02}”不是有效的省级行政区划代码（GB/T 2260）"
            )?;
            sep = "；";
        }
        if let Some(birth) = self.birth {
            let digits = id.get(6..14).unwrap_or("");
            f.write_str(sep)?;
            let head = "出生日期错误：第7-14位";
            match birth {
                BirthProblem::NotADate => {
                    write_quoted(f, head, digits, "不是有效日期（应为YYYYMMDD）")?
                }
                BirthProblem::After(today) => {
                    write_quoted(f, head, digits, "晚于今天（")?;
                    f.write_str(&crate::date::format(today))?;
                    f.write_str("）")?;
                }
                BirthProblem::Before1900 => write_quoted(f, head, digits, "早于1900-01-01")?,
            }
            sep = "；";
        }
        if let Some((expected, last)) = self.check {
            f.write_str(sep)?;
            write!(
                f,
                "校验码错误：按GB 11643-1999第18位应为“{expected}”，现为“{last}”"
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text.as_str();
        let (head, tail) = match self.problem {
            FieldProblem::IdEmpty => {
                return f.write_str("身份证号码为空：应为18位（17位数字加1位校验码）")
            }
            FieldProblem::IdScientific => (
                "身份证号码",
                "是表格软件以科学计数法保存的数字，末几位已经丢失，无法从中还原：请在表格中把这一列设为“文本”格式，重新录入完整的18位号码，再粘贴或导入",
            ),
            FieldProblem::IdLength(len) => {
                return write!(
                    f,
                    "身份证号码长度错误：应为18位（17位数字加1位校验码），现为{len}位"
                )
            }
            FieldProblem::IdBody => return f.write_str("身份证号码格式错误：前17位应全为数字"),
            FieldProblem::IdLast(last) => {
                return write!(
                    f,
                    "身份证号码格式错误：第18位（校验码）应为数字或X，现为“{last}”"
                )
            }
            FieldProblem::IdParts(parts) => return parts.write(text, f),
            FieldProblem::MobileEmpty => {
                return f.write_str("手机号码为空：应为11位数字，以13-19开头")
            }
            FieldProblem::Mobile => (
                "手机号码",
                "格式错误：应为11位数字，以13-19开头（如13800138000）",
            ),
            FieldProblem::PhoneEmpty => {
                return f.write_str("电话号码为空：应为手机号码或固定电话（如0577-88888888）")
            }
            FieldProblem::PhoneNone => return f.write_str("电话号码为空：应为手机号码或固定电话"),
            FieldProblem::Phone => (
                "电话号码",
                "格式错误：应为手机号码（11位，以13-19开头）或固定电话（区号0加2-3位数字可选，7-8位号码，分机用“-”或“转”加1-6位数字，如0577-88888888转123）；多个号码用空格、逗号、顿号或“/”分隔",
            ),
            FieldProblem::Email(why) => {
                write_quoted(f, "电子邮箱", text, "格式错误：")?;
                f.write_str(match why {
                    EmailProblem::Spaces => "不能含空格",
                    EmailProblem::At => "应含且只含一个@",
                    EmailProblem::LocalEmpty => "@前不能为空",
                    EmailProblem::Domain => "@后的域名应含“.”",
                })?;
                return f.write_str("（如name@example.com）");
            }
            FieldProblem::Postcode => ("邮编", "格式错误：应为6位数字"),
            FieldProblem::Qq => ("QQ号码", "格式错误：应为5-11位数字，且不以0开头"),
            FieldProblem::DateShape => (
                "日期",
                "无法识别：应为年、月、日，如 2020-10-12、2020/10/12、2020年10月12日 或 20201012",
            ),
            FieldProblem::DateMonth => ("日期", "不存在：月份应为 1-12"),
            FieldProblem::DateDay { year, month, days } => {
                write_quoted(f, "日期", text, "不存在：")?;
                return write!(f, "{year}年{month}月只有 {days} 天");
            }
            FieldProblem::Decimal => ("", "不是有效的数字"),
        };
        write_quoted(f, head, text, tail)
    }
}

impl std::error::Error for FieldError {}

/// A value after normalisation, with the normalisations made (in Chinese).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub value: String,
    pub notes: Vec<String>,
}

/// Note text for full-width characters converted to half-width.
pub const NOTE_FULL_WIDTH: &str = "已将全角字符转换为半角";
/// Note text for surrounding spaces removed.
pub const NOTE_TRIMMED: &str = "已去除首尾空格";
/// Note text for a lower-case `x` check character.
pub const NOTE_UPPER_X: &str = "已将末位小写 x 转换为大写 X";

/// Note text for a date written otherwise than `YYYY-MM-DD` (`2020/10/12`, `2020年10月12日`).
pub const NOTE_DATE: &str = "已将日期统一写作“年-月-日”";
/// Note text for a spreadsheet's serial number read as a date.
pub const NOTE_SERIAL_DATE: &str = "已将表格软件以数字保存的日期（日期序号）读作日期";

/// Converts full-width ASCII variants (`０-９`, `Ａ-Ｚ`, `＠`, `－` …) and the
/// ideographic space to their ASCII forms. Returns the text and whether anything changed.
pub fn half_width(s: &str) -> (String, bool) {
    let mut changed = false;
    let out = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => {
                changed = true;
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' => {
                changed = true;
                ' '
            }
            _ => c,
        })
        .collect();
    (out, changed)
}

/// Half-width conversion and trimming, with a note for each change.
pub fn lenient(raw: &str) -> Normalized {
    // Fast path: plain ASCII without surrounding whitespace needs no change.
    let plain = raw.is_ascii()
        && !raw.starts_with(|c: char| c.is_ascii_whitespace())
        && !raw.ends_with(|c: char| c.is_ascii_whitespace());
    if plain {
        return Normalized {
            value: raw.to_string(),
            notes: Vec::new(),
        };
    }
    let (hw, changed) = half_width(raw);
    let mut notes = Vec::new();
    if changed {
        notes.push(NOTE_FULL_WIDTH.to_string());
    }
    let trimmed = hw.trim();
    if trimmed.len() != hw.len() {
        notes.push(NOTE_TRIMMED.to_string());
    }
    Normalized {
        value: trimmed.to_string(),
        notes,
    }
}

// ---------------------------------------------------------------------------------------
// 居民身份证号码 (GB 11643-1999)

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Province-level codes of GB/T 2260 accepted as digits 1-2.
pub const PROVINCE_CODES: &[u32] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
];

/// The check character for the first 17 digits (`None` unless exactly 17 ASCII digits).
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECK.get((sum % 11) as usize).copied()
}

/// Gender from an id number's digit 17.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    /// The choice option id (`male` / `female`).
    pub fn id(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// 男 / 女.
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// Gender of a (normalised) id number: digit 17 odd = 男, even = 女.
pub fn id_gender(id: &str) -> Option<Gender> {
    let d = id.as_bytes().get(16)?;
    if !d.is_ascii_digit() {
        return None;
    }
    Some(if (d - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    })
}

/// Birth date of a (normalised) id number, digits 7-14.
pub fn id_birth_date(id: &str) -> Option<NaiveDate> {
    let s = id.get(6..14)?;
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::date::read(s, crate::date::Mode::Office)
        .ok()
        .map(|(d, _)| d)
}

/// Checks a 居民身份证号码: length, characters, region (digits 1-2), birth date (digits
/// 7-14, a real date between 1900-01-01 and `today`) and check character. The message
/// names every part that failed; for a wrong check character it gives the expected one.
pub fn id_number(raw: &str, today: NaiveDate) -> Result<Normalized, FieldError> {
    let mut n = lenient(raw);
    // Spaces inside (people group digits) are not accepted silently: report them.
    if n.value.is_empty() {
        return Err(FieldError::new(String::new(), FieldProblem::IdEmpty));
    }
    if n.value.ends_with('x') {
        n.value.pop();
        n.value.push('X');
        n.notes.push(NOTE_UPPER_X.to_string());
    }
    let v = n.value.as_str();
    if id_in_scientific_notation(v) {
        return Err(FieldError::new(n.value, FieldProblem::IdScientific));
    }
    let len = v.chars().count();
    if len != 18 {
        return Err(FieldError::new(n.value, FieldProblem::IdLength(len)));
    }
    let body = v
        .get(..17)
        .filter(|b| b.bytes().all(|c| c.is_ascii_digit()));
    let last = v.chars().last().unwrap_or(' ');
    let Some(body) = body else {
        return Err(FieldError::new(n.value, FieldProblem::IdBody));
    };
    if !(last.is_ascii_digit() || last == 'X') {
        return Err(FieldError::new(n.value, FieldProblem::IdLast(last)));
    }
    let region: u32 = body.get(..2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let parts = IdParts {
        region: (!PROVINCE_CODES.contains(&region)).then_some(region),
        birth: match id_birth_date(v) {
            None => Some(BirthProblem::NotADate),
            Some(d) if d > today => Some(BirthProblem::After(today)),
            Some(d) if d.year() < 1900 => Some(BirthProblem::Before1900),
            Some(_) => None,
        },
        check: id_check_char(body)
            .filter(|&expected| expected != last)
            .map(|expected| (expected, last)),
    };
    if parts == IdParts::default() {
        Ok(n)
    } else {
        Err(FieldError::new(n.value, FieldProblem::IdParts(parts)))
    }
}

// ---------------------------------------------------------------------------------------
// Telephone numbers

fn is_mobile_digits(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b.first() == Some(&b'1')
        && b.get(1).is_some_and(|c| (b'3'..=b'9').contains(c))
}

/// Checks a mobile number: `1[3-9]` and 9 more digits; spaces and hyphens are ignored
/// (and removed, with a note). A `+86` / `86` prefix is accepted and removed.
pub fn mobile(raw: &str) -> Result<Normalized, FieldError> {
    let mut n = lenient(raw);
    if n.value.is_empty() {
        return Err(FieldError::new(n.value, FieldProblem::MobileEmpty));
    }
    let compact: String = n
        .value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    let compact = compact
        .strip_prefix("+86")
        .map(str::to_string)
        .unwrap_or(compact);
    if compact != n.value {
        n.notes
            .push("已去除手机号码中的空格、连字符或国家码".to_string());
    }
    if is_mobile_digits(&compact) {
        n.value = compact;
        Ok(n)
    } else {
        Err(FieldError::new(n.value, FieldProblem::Mobile))
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_area(s: &str) -> bool {
    all_digits(s) && s.starts_with('0') && (3..=4).contains(&s.len())
}

fn is_local(s: &str) -> bool {
    all_digits(s) && (7..=8).contains(&s.len())
}

fn is_ext(s: &str) -> bool {
    all_digits(s) && s.len() <= 6
}

/// A landline: optional area code `0` + 2-3 digits, separator `-` or none, 7-8 digits,
/// optional extension `-` or `转` + 1-6 digits.
fn is_landline(s: &str) -> bool {
    let (main, ext) = match s.split_once('转') {
        Some((m, e)) => {
            if !is_ext(e) {
                return false;
            }
            (m, true)
        }
        None => (s, false),
    };
    let parts: Vec<&str> = main.split('-').collect();
    match parts.as_slice() {
        [one] => {
            is_local(one)
                || (one.starts_with('0')
                    && all_digits(one)
                    && [3usize, 4].iter().any(|&a| {
                        one.get(..a).is_some_and(is_area) && one.get(a..).is_some_and(is_local)
                    }))
        }
        [a, b] => (is_area(a) && is_local(b)) || (!ext && is_local(a) && is_ext(b)),
        [a, b, c] => !ext && is_area(a) && is_local(b) && is_ext(c),
        _ => false,
    }
}

/// Separators between several numbers in one phone field.
const PHONE_SEPARATORS: &[char] = &[' ', ',', '，', '、', '/'];

/// Checks a phone field: one or more numbers (mobile or landline) separated by space,
/// `,`, `，`, `、` or `/`. The message names the number that is wrong.
pub fn phone(raw: &str) -> Result<Normalized, FieldError> {
    let n = lenient(raw);
    if n.value.is_empty() {
        return Err(FieldError::new(n.value, FieldProblem::PhoneEmpty));
    }
    let mut count = 0;
    for token in n.value.split(PHONE_SEPARATORS).filter(|t| !t.is_empty()) {
        count += 1;
        let mobile_form: String = token.chars().filter(|&c| c != '-').collect();
        if !(is_mobile_digits(&mobile_form) || is_landline(token)) {
            return Err(FieldError::new(token.to_owned(), FieldProblem::Phone));
        }
    }
    if count == 0 {
        return Err(FieldError::new(n.value, FieldProblem::PhoneNone));
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------
// Other single-line types

/// Checks an email address: one `@`, a dot in the domain, no spaces.
pub fn email(raw: &str) -> Result<Normalized, FieldError> {
    let n = lenient(raw);
    let v = n.value.as_str();
    let bad = |why| Err(FieldError::new(v.to_owned(), FieldProblem::Email(why)));
    if v.chars().any(char::is_whitespace) {
        return bad(EmailProblem::Spaces);
    }
    let mut parts = v.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return bad(EmailProblem::At);
    };
    if local.is_empty() {
        return bad(EmailProblem::LocalEmpty);
    }
    if !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return bad(EmailProblem::Domain);
    }
    Ok(n)
}

/// Checks a postcode: 6 digits.
pub fn postcode(raw: &str) -> Result<Normalized, FieldError> {
    let n = lenient(raw);
    if n.value.len() == 6 && all_digits(&n.value) {
        Ok(n)
    } else {
        Err(FieldError::new(n.value, FieldProblem::Postcode))
    }
}

/// Checks a QQ number: 5-11 digits, not starting with 0.
pub fn qq(raw: &str) -> Result<Normalized, FieldError> {
    let n = lenient(raw);
    let v = n.value.as_str();
    if all_digits(v) && (5..=11).contains(&v.len()) && !v.starts_with('0') {
        Ok(n)
    } else {
        Err(FieldError::new(n.value, FieldProblem::Qq))
    }
}

/// The words a yes / no is shown and exported with when its field names none of its own
/// (`true_label` / `false_label`).
pub const YES_WORD: &str = "是";
pub const NO_WORD: &str = "否";

/// Words read as yes / no wherever a boolean is typed or imported (a JSON string, a CSV
/// or spreadsheet cell), besides a field's own `true_label` / `false_label`.
pub const YES: [&str; 8] = ["true", "TRUE", "True", YES_WORD, "有", "1", "√", "✓"];
pub const NO: [&str; 6] = ["false", "FALSE", "False", NO_WORD, "无", "0"];

/// The word for `b`: the field's own label, else [`YES_WORD`] / [`NO_WORD`].
pub fn yes_no_word<'a>(
    b: bool,
    true_label: Option<&'a str>,
    false_label: Option<&'a str>,
) -> &'a str {
    if b {
        true_label.unwrap_or(YES_WORD)
    } else {
        false_label.unwrap_or(NO_WORD)
    }
}

/// A typed boolean: one of [`YES`] / [`NO`] or the field's own labels (`有` / `否`);
/// `None` when it is neither or both.
pub fn yes_no(text: &str, true_label: Option<&str>, false_label: Option<&str>) -> Option<bool> {
    let t = text.trim();
    let yes = YES.contains(&t) || true_label == Some(t);
    let no = NO.contains(&t) || false_label == Some(t);
    (yes != no).then_some(yes)
}

/// Checks a date and stores it as `YYYY-MM-DD`. Read by [`crate::date::read`], the one
/// reader of dates in forms: `2020/10/12`, `2020.10.12`, `2020年10月12日`, `20201012`, a
/// spreadsheet's serial number …, each with a note saying how it was read. A date that
/// does not exist is an error naming why.
pub fn date(raw: &str) -> Result<(NaiveDate, Normalized), FieldError> {
    use crate::date::{Unreadable, Written};
    let mut n = lenient(raw);
    let v = n.value.as_str();
    match crate::date::read(v, crate::date::Mode::Office) {
        Ok((d, written)) => {
            let iso = crate::date::format(d);
            match written {
                Written::Iso => {}
                Written::Other => n.notes.push(NOTE_DATE.to_string()),
                Written::Serial => n.notes.push(NOTE_SERIAL_DATE.to_string()),
            }
            n.value = iso;
            Ok((d, n))
        }
        Err(Unreadable::Shape | Unreadable::NotIso(_)) => {
            Err(FieldError::new(n.value, FieldProblem::DateShape))
        }
        Err(Unreadable::Month) => Err(FieldError::new(n.value, FieldProblem::DateMonth)),
        Err(Unreadable::Day { year, month, days }) => Err(FieldError::new(
            n.value,
            FieldProblem::DateDay { year, month, days },
        )),
    }
}

/// Whether `v` is an `id_number` a spreadsheet turned into a number shown in scientific
/// notation (`3.30302E+17`). Its last digits are gone.
fn id_in_scientific_notation(v: &str) -> bool {
    let Some((mantissa, exponent)) = v.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let numeric = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    numeric(whole) && (fraction.is_empty() || numeric(fraction)) && numeric(exponent)
}

/// Parses a decimal number as people type it (full-width digits, spaces, a `，`
/// or `,` thousands separator are not accepted; `２.５` is).
pub fn decimal(raw: &str) -> Result<(Decimal, Normalized), FieldError> {
    let n = lenient(raw);
    let v = n.value.as_str();
    let ok = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    match (ok, Decimal::from_str(v.trim_start_matches('+'))) {
        (true, Ok(d)) => Ok((d, n)),
        _ => Err(FieldError::new(n.value, FieldProblem::Decimal)),
    }
}

/// Length of a text in Unicode characters, whitespace not counted.
pub fn text_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Counts numbered or bulleted items in a text: lines starting with `1.` `1、` `（1）`
/// `(1)` `一、` `（一）` `①` `-` `*` `•` `·`, or inline markers `（1）` / `①` / `一是`.
pub fn count_items(s: &str) -> usize {
    let mut count = 0;
    for line in s.lines() {
        let t = line.trim_start();
        if t.is_empty() {
            continue;
        }
        let inline = count_inline_markers(t);
        if inline > 1 {
            count += inline;
        } else if starts_with_marker(t) {
            count += 1;
        }
    }
    count
}

const CN_NUMS: &str = "一二三四五六七八九十";

fn starts_with_marker(t: &str) -> bool {
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '-' | '*' | '•' | '·' | '●' | '▪') {
        return true;
    }
    if ('①'..='⑳').contains(&first) {
        return true;
    }
    if matches!(first, '(' | '（') {
        let rest: String = chars.take_while(|c| !matches!(c, ')' | '）')).collect();
        return !rest.is_empty()
            && rest.chars().count() <= 3
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || CN_NUMS.contains(c));
    }
    let lead: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || CN_NUMS.contains(*c))
        .collect();
    if lead.is_empty() || lead.chars().count() > 3 {
        return false;
    }
    let after = t.chars().nth(lead.chars().count());
    matches!(after, Some('.' | '、' | '．' | ')' | '）' | '是'))
}

fn count_inline_markers(t: &str) -> usize {
    let circled = t.chars().filter(|c| ('①'..='⑳').contains(c)).count();
    let paren = t.matches('（').count().min(t.matches('）').count());
    let mut paren_nums = 0;
    if paren > 0 {
        for piece in t.split(['（', '(']).skip(1) {
            let inner: String = piece
                .chars()
                .take_while(|c| !matches!(c, '）' | ')'))
                .collect();
            if !inner.is_empty()
                && inner.chars().count() <= 3
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || CN_NUMS.contains(c))
            {
                paren_nums += 1;
            }
        }
    }
    circled.max(paren_nums)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 7, 3).unwrap()
    }

    #[test]
    fn check_char_of_the_standard_example() {
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert_eq!(id_check_char("1101051949123100"), None);
    }

    #[test]
    fn id_number_lower_x_is_normalised_with_a_note() {
        let n = id_number(" 11010519491231002x", today()).unwrap();
        assert_eq!(n.value, "11010519491231002X");
        assert!(n.notes.contains(&NOTE_UPPER_X.to_string()));
        assert!(n.notes.contains(&NOTE_TRIMMED.to_string()));
    }

    #[test]
    fn dates_are_stored_as_iso_with_a_note() {
        for raw in [
            "2020/10/12",
            "2020.10.12",
            "2020年10月12日",
            "20201012",
            " 2020/10/12 ",
        ] {
            let (d, n) = date(raw).unwrap();
            assert_eq!(crate::date::format(d), "2020-10-12", "{raw}");
            assert_eq!(n.value, "2020-10-12", "{raw}");
            assert!(n.notes.contains(&NOTE_DATE.to_string()), "{raw}: {n:?}");
        }
        let (_, n) = date("2020/9/1").unwrap();
        assert_eq!((n.value.as_str(), n.notes.len()), ("2020-09-01", 1));
        let (_, n) = date("44116").unwrap();
        assert_eq!(n.value, "2020-10-12");
        assert_eq!(n.notes, vec![NOTE_SERIAL_DATE.to_string()]);
        // Full-width digits: half-width first, then read.
        let (_, n) = date("２０２０／１０／１２").unwrap();
        assert_eq!(n.value, "2020-10-12");
        assert_eq!(
            n.notes,
            vec![NOTE_FULL_WIDTH.to_string(), NOTE_DATE.to_string()]
        );
        let (_, n) = date("2020-10-12").unwrap();
        assert!(n.notes.is_empty(), "{n:?}");
    }

    #[test]
    fn unreadable_dates_say_why_and_what_is_expected() {
        assert_eq!(
            date("2020/2/30").unwrap_err().to_string(),
            "日期“2020/2/30”不存在：2020年2月只有 29 天"
        );
        assert_eq!(
            date("2020/13/1").unwrap_err().to_string(),
            "日期“2020/13/1”不存在：月份应为 1-12"
        );
        let e = date("下周一").unwrap_err().to_string();
        assert!(
            e.starts_with("日期“下周一”无法识别：应为年、月、日，如 2020-10-12、2020/10/12"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_value_and_the_problem() {
        let e = date(" 2020/2/30 ").unwrap_err();
        assert_eq!(e.text, "2020/2/30");
        assert_eq!(
            e.problem,
            FieldProblem::DateDay {
                year: 2020,
                month: 2,
                days: 29
            }
        );
        let e = phone("0577-88888888 12345").unwrap_err();
        assert_eq!((e.text.as_str(), e.problem), ("12345", FieldProblem::Phone));
        let e = email("a b@example.com").unwrap_err();
        assert_eq!(e.problem, FieldProblem::Email(EmailProblem::Spaces));
        // Region 00, a birth date after today and a wrong check character, all at once.
        let body = "00010520300101001";
        let wrong = if id_check_char(body) == Some('0') {
            '1'
        } else {
            '0'
        };
        let e = id_number(&format!("{body}{wrong}"), today()).unwrap_err();
        assert_eq!(
            e.problem,
            FieldProblem::IdParts(IdParts {
                region: Some(0),
                birth: Some(BirthProblem::After(today())),
                check: id_check_char(body).map(|c| (c, wrong)),
            })
        );
        assert_eq!(
            e.to_string(),
            format!(
                "身份证号码地区码错误：前两位“00”不是有效的省级行政区划代码（GB/T 2260）；\
                 出生日期错误：第7-14位“20300101”晚于今天（2024-07-03）；\
                 校验码错误：按GB 11643-1999第18位应为“{}”，现为“{wrong}”",
                id_check_char(body).unwrap()
            )
        );
        let e = id_number("1101051949123100", today()).unwrap_err();
        assert_eq!(e.problem, FieldProblem::IdLength(16));
        assert_eq!(
            e.to_string(),
            "身份证号码长度错误：应为18位（17位数字加1位校验码），现为16位"
        );
    }

    #[test]
    fn an_id_in_scientific_notation_says_what_the_spreadsheet_did() {
        for raw in ["3.30302E+17", "3.30302e+17", "1.10105E17", " 3.30302E+17"] {
            let e = id_number(raw, today()).unwrap_err().to_string();
            assert!(e.contains("科学计数法"), "{raw}: {e}");
            assert!(e.contains("末几位已经丢失"), "{raw}: {e}");
            assert!(
                e.contains("设为“文本”格式") && e.contains("重新录入"),
                "{raw}: {e}"
            );
        }
        assert!(id_number("3.30302E+17", today())
            .unwrap_err()
            .to_string()
            .starts_with("身份证号码“3.30302E+17”"));
        // Not numbers in scientific notation: the usual messages.
        let e = id_number("330302E", today()).unwrap_err().to_string();
        assert!(e.contains("长度错误"), "{e}");
    }

    #[test]
    fn a_yes_no_written_out_reads_back_as_itself() {
        for b in [true, false] {
            let word = yes_no_word(b, None, None);
            assert_eq!(word, if b { "是" } else { "否" });
            assert_eq!(yes_no(word, None, None), Some(b));
            let own = yes_no_word(b, Some("有"), Some("没有"));
            assert_eq!(own, if b { "有" } else { "没有" });
            assert_eq!(yes_no(own, Some("有"), Some("没有")), Some(b));
        }
    }

    #[test]
    fn half_width_converts_digits_and_letters() {
        assert_eq!(half_width("１２Ｘ　"), ("12X ".to_string(), true));
        assert_eq!(half_width("abc"), ("abc".to_string(), false));
    }

    #[test]
    fn items_are_counted() {
        assert_eq!(count_items("1. 甲\n2、乙\n（3）丙"), 3);
        assert_eq!(count_items("一、甲\n二、乙"), 2);
        assert_eq!(count_items("- a\n* b\n• c\n普通文字"), 3);
        assert_eq!(count_items("建议：①甲；②乙；③丙。"), 3);
        assert_eq!(count_items("一是加强；\n二是完善；\n三是推广。"), 3);
        assert_eq!(count_items("没有编号的一段话。"), 0);
    }
}
