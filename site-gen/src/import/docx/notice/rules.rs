//! The numbers a rule could be read from (30 trainees, 2-3 days, 10 working days, a
//! date to finish by), each with its sentence and the numbers of the headings it is
//! under (`二（三）`), for the clerk to confirm.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::Regex;

use super::text::heading_re;
use super::vocab::RuleHint;

/// The rule numbers of one body paragraph, with their sentence.
pub(super) fn rule_hints(text: &str, section: &str, year: i32, out: &mut Vec<RuleHint>) {
    static PATTERNS: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            (
                "min_trainees",
                r"学员(?:人数)?\s*(?:不少于|不得少于|不低于|至少)\s*([0-9]+)\s*[名人]",
            ),
            (
                "days",
                r"([0-9]+(?:\.5)?)\s*[-－—–~～至到]\s*([0-9]+(?:\.5)?)\s*天",
            ),
            ("min_hours", r"不少于\s*([0-9]+)\s*学时"),
            (
                "plan_due_working_days",
                r"(?:办班|开班|举办)前\s*([0-9]+)\s*个工作日",
            ),
            ("report_due_working_days", r"结束后\s*([0-9]+)\s*个工作日内"),
            ("complete_by", r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日前"),
            ("complete_by", r"在?([0-9]{1,2})月底前"),
        ]
        .into_iter()
        .filter_map(|(k, p)| Regex::new(p).ok().map(|r| (k, r)))
        .collect()
    });
    for sentence in text.split_inclusive(['。', '；', '！']) {
        for (key, r) in patterns {
            for m in r.captures_iter(sentence) {
                let value = match *key {
                    "days" => format!("[{}, {}]", &m[1], &m[2]),
                    "complete_by" if m.len() == 4 => {
                        let (y, mo, d) = (m[1].parse().ok(), m[2].parse().ok(), m[3].parse().ok());
                        match (y, mo, d) {
                            (Some(y), Some(mo), Some(d)) => match NaiveDate::from_ymd_opt(y, mo, d)
                            {
                                Some(date) => date.to_string(),
                                None => continue,
                            },
                            _ => continue,
                        }
                    }
                    "complete_by" => {
                        // 11月底: the last day of that month of the notice's year.
                        let Some(mo) = m[1].parse::<u32>().ok().filter(|m| (1..=12).contains(m))
                        else {
                            continue;
                        };
                        let next = if mo == 12 {
                            NaiveDate::from_ymd_opt(year + 1, 1, 1)
                        } else {
                            NaiveDate::from_ymd_opt(year, mo + 1, 1)
                        };
                        match next.and_then(|d| d.pred_opt()) {
                            Some(d) => d.to_string(),
                            None => continue,
                        }
                    }
                    _ => m[1].to_string(),
                };
                let hint = RuleHint {
                    key,
                    value,
                    section: section.to_string(),
                    sentence: sentence.trim().to_string(),
                };
                if !out
                    .iter()
                    .any(|h| h.key == hint.key && h.value == hint.value)
                {
                    out.push(hint);
                }
            }
        }
    }
}

/// The numbers of the headings a paragraph is under (`二（三）`).
#[derive(Default)]
pub(super) struct Section {
    levels: [String; 3],
}

impl Section {
    pub(super) fn enter(&mut self, text: &str) {
        for l in 1..=3 {
            if let Some(m) = heading_re(l).find(text) {
                let n: String = if l == 3 {
                    m.as_str()
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect()
                } else {
                    m.as_str().trim_end_matches('、').to_string()
                };
                self.levels[l - 1] = n;
                for deeper in l..3 {
                    self.levels[deeper].clear();
                }
                return;
            }
        }
    }
    pub(super) fn path(&self) -> String {
        self.levels.concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_named_by_its_numbers() {
        let mut s = Section::default();
        s.enter("二、市级高研班");
        s.enter("（四）工作要求");
        s.enter("1．按时完成任务。各有关单位");
        assert_eq!(s.path(), "二（四）1");
        s.enter("三、联系方式");
        assert_eq!(s.path(), "三");
    }

    #[test]
    fn rules_are_found_with_their_sentence() {
        let mut out = Vec::new();
        rule_hints(
            "市级高研班要面向全市相关行业领域专业技术人才，每期学员不少于30名，研修时间为2-3天。",
            "二（二）",
            2020,
            &mut out,
        );
        rule_hints(
            "各单位要认真组织实施，在11月底前完成研修任务，并确保研修质量。",
            "二（四）1",
            2020,
            &mut out,
        );
        let kv: Vec<(&str, &str)> = out.iter().map(|h| (h.key, h.value.as_str())).collect();
        assert_eq!(
            kv,
            [
                ("min_trainees", "30"),
                ("days", "[2, 3]"),
                ("complete_by", "2020-11-30")
            ]
        );
        assert!(out[0].sentence.starts_with("市级高研班要面向全市"));
    }
}
