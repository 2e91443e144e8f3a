//! Word's automatic numbering (`word/numbering.xml`): the numbers Word shows before a
//! paragraph (`一、`, `（一）`, `1．`) but does not keep in its text, counted as Word
//! counts them and put back in front of the paragraph, so that a numbered heading is
//! read as one.
//!
//! Each list (`numId`) names an abstract numbering whose levels give a format
//! (`decimal`, `chineseCounting`, …), a text (`%1、`, `（%2）`) and a start. A paragraph
//! at a level counts on from the list's last paragraph at that level; a paragraph at a
//! higher level restarts the deeper ones. Formats not read here (bullets, pictures)
//! leave the paragraph as it is, with the note that its number was not imported.

use std::collections::HashMap;

use quick_xml::events::Event;

use super::xml::{attr_value, Block, Body};

#[derive(Debug, Clone, Default)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// The lists of a document's numbering part.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// (abstractNumId, level) → its format.
    levels: HashMap<(String, u8), Level>,
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Reads `word/numbering.xml`; what cannot be read is left out (its paragraphs keep
/// the note).
pub fn parse(xml: &str) -> Numbering {
    let mut n = Numbering::default();
    let mut r = quick_xml::Reader::from_str(xml);
    let mut abs: Option<String> = None;
    let mut num: Option<String> = None;
    let mut lvl: Option<(u8, Level)> = None;
    loop {
        let ev = match r.read_event() {
            Ok(ev) => ev,
            Err(_) => return n,
        };
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let val = |key: &str| {
                    e.attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| local(a.key.as_ref()) == key)
                        .map(|a| attr_value(&a))
                };
                match local(e.name().as_ref()) {
                    "abstractNum" => abs = val("abstractNumId"),
                    "num" => num = val("numId"),
                    "abstractNumId" => {
                        if let (Some(id), Some(a)) = (num.clone(), val("val")) {
                            n.nums.insert(id, a);
                        }
                    }
                    "lvl" if abs.is_some() => {
                        let i = val("ilvl").and_then(|v| v.parse::<u8>().ok()).unwrap_or(0);
                        lvl = Some((
                            i.min(8),
                            Level {
                                start: 1,
                                ..Level::default()
                            },
                        ));
                    }
                    "start" => {
                        if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val("val")) {
                            l.start = v.parse().unwrap_or(1);
                        }
                    }
                    "numFmt" => {
                        if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val("val")) {
                            l.format = v;
                        }
                    }
                    "lvlText" => {
                        if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val("val")) {
                            l.text = v;
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => match local(e.name().as_ref()) {
                "lvl" => {
                    if let (Some(a), Some((i, l))) = (abs.clone(), lvl.take()) {
                        n.levels.insert((a, i), l);
                    }
                }
                "abstractNum" => abs = None,
                "num" => num = None,
                _ => {}
            },
            Event::Eof => return n,
            _ => {}
        }
    }
}

/// `n` in Chinese numerals, as Word's `chineseCounting` writes it (1-99).
fn chinese(n: u32) -> Option<String> {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => Some(D[n as usize].to_string()),
        10 => Some("十".into()),
        11..=19 => Some(format!("十{}", D[(n % 10) as usize])),
        20..=99 if n.is_multiple_of(10) => Some(format!("{}十", D[(n / 10) as usize])),
        21..=99 => Some(format!(
            "{}十{}",
            D[(n / 10) as usize],
            D[(n % 10) as usize]
        )),
        _ => None,
    }
}

fn letters(n: u32, upper: bool) -> String {
    let mut s = Vec::new();
    let mut k = n;
    while k > 0 {
        s.push(b'a' + ((k - 1) % 26) as u8);
        k = (k - 1) / 26;
    }
    s.reverse();
    let t = String::from_utf8_lossy(&s).into_owned();
    if upper {
        t.to_ascii_uppercase()
    } else {
        t
    }
}

fn roman(mut n: u32) -> String {
    const R: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A counter in a level's format; `None` for formats not read (bullets).
fn format(n: u32, fmt: &str) -> Option<String> {
    Some(match fmt {
        "" | "decimal" | "decimalZero" => n.to_string(),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting" => chinese(n)?,
        "ideographTraditional" => "甲乙丙丁戊己庚辛壬癸"
            .chars()
            .nth(n.checked_sub(1)? as usize)?
            .to_string(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => {
            char::from_u32(0x2460 + n.checked_sub(1)?)
                .filter(|_| n <= 20)?
                .to_string()
        }
        "lowerLetter" => letters(n, false),
        "upperLetter" => letters(n, true),
        "lowerRoman" => roman(n),
        "upperRoman" => roman(n).to_ascii_uppercase(),
        _ => return None,
    })
}

/// Puts each automatically numbered paragraph's number in front of its text.
pub fn apply(body: &mut Body, numbering: &Numbering) {
    // numId → the counters of its levels.
    let mut counters: HashMap<String, [u32; 9]> = HashMap::new();
    for b in &mut body.blocks {
        let Block::Para(p) = b else { continue };
        let Some((num, ilvl)) = p.num.clone() else {
            continue;
        };
        let Some(abs) = numbering.nums.get(&num) else {
            continue;
        };
        let level = |i: u8| numbering.levels.get(&(abs.clone(), i));
        let Some(this) = level(ilvl) else { continue };
        let c = counters.entry(num.clone()).or_insert([0; 9]);
        let i = usize::from(ilvl);
        c[i] = if c[i] == 0 { this.start } else { c[i] + 1 };
        for deeper in c.iter_mut().skip(i + 1) {
            *deeper = 0;
        }
        let mut text = this.text.clone();
        let mut ok = true;
        for k in 0..=ilvl {
            let placeholder = format!("%{}", k + 1);
            if !text.contains(&placeholder) {
                continue;
            }
            let n = if c[usize::from(k)] == 0 {
                level(k).map_or(1, |l| l.start)
            } else {
                c[usize::from(k)]
            };
            match level(k).and_then(|l| format(n, &l.format)) {
                Some(f) => text = text.replace(&placeholder, &f),
                None => ok = false,
            }
        }
        if ok && !text.is_empty() {
            match p.lines.first_mut() {
                Some(first) => first.insert_str(0, &text),
                None => p.lines.push(text),
            }
            p.auto_numbered = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format(3, "chineseCounting").as_deref(), Some("三"));
        assert_eq!(
            format(12, "chineseCountingThousand").as_deref(),
            Some("十二")
        );
        assert_eq!(format(21, "chineseCounting").as_deref(), Some("二十一"));
        assert_eq!(format(2, "decimalFullWidth").as_deref(), Some("２"));
        assert_eq!(format(4, "upperRoman").as_deref(), Some("IV"));
        assert_eq!(format(1, "bullet"), None);
    }
}
