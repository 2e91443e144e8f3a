//! `site-gen init [DIR]`: a new site that builds at once, and `site-gen new form NEW
//! --from OLD`: a copy of a form schema for another city, with the texts to review.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use super::Failure;
use crate::content::model::placeholder_host;
use crate::content::starter::{self, Seed};
use crate::content::validate::check_base_url;
use crate::fsx;

#[derive(Debug, Clone)]
pub struct InitArgs {
    pub dir: PathBuf,
    pub title: String,
    pub base_url: String,
    pub forms: String,
}

/// Writes the new site into `dir` (made when missing; refused when it holds anything).
/// Returns what to print: the files written and the next steps.
pub fn init(args: &InitArgs) -> Result<String, Failure> {
    let seed = Seed::parse(&args.forms).ok_or_else(|| {
        Failure::Usage(format!(
            "--forms {}: expected wenzhou, shandong or none",
            args.forms
        ))
    })?;
    // What the build would refuse in site.toml is refused here, before anything is
    // written: the new site must build at once.
    if let Err(why) = check_base_url(&args.base_url) {
        return Err(Failure::Usage(format!(
            "--base-url {why}; expected the address the site is published at, such as \"https://www.example.gov.cn/zjgyb/\""
        )));
    }
    if args.title.trim().is_empty() || args.title.chars().any(char::is_control) {
        return Err(Failure::Usage(
            "--title: expected the site's name on one line, such as \"温州市专业技术人员高级研修班\"".into(),
        ));
    }
    if let Ok(mut entries) = std::fs::read_dir(&args.dir) {
        if entries.next().is_some() {
            return Err(Failure::Usage(format!(
                "{} is not empty: site-gen init makes a new site in an empty or new folder",
                args.dir.display()
            )));
        }
    } else if args.dir.exists() {
        return Err(Failure::Usage(format!(
            "{} is not a folder: site-gen init makes a new site in an empty or new folder",
            args.dir.display()
        )));
    }
    let content = args.dir.join("content");
    let today = super::form::today()?;
    let year = today.year();

    let mut files: Vec<(String, String)> = vec![(
        "site.toml".into(),
        starter::site_toml(&args.title, &args.base_url),
    )];
    for (path, text) in starter::CALENDARS {
        files.push(((*path).into(), (*text).into()));
    }
    let mut forms = Vec::new();
    for (path, text) in seed.forms() {
        let id = Path::new(path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let title = starter::form_title(text).unwrap_or_else(|| id.clone());
        forms.push((id, title));
        files.push(((*path).into(), (*text).into()));
    }
    files.push((
        starter::skeleton_path(year),
        starter::skeleton(year, &today.format("%Y-%m-%d").to_string(), seed, &forms),
    ));

    let mut written = Vec::new();
    for (rel, text) in &files {
        let path = content.join(rel);
        if let Some(parent) = path.parent() {
            fsx::create_dir_all(parent)?;
        }
        fsx::write(&path, text.as_bytes())?;
        written.push(format!("  {}", path.display()));
    }
    let c = content.display();
    // Step 4 asks for the address only while base_url is still a placeholder.
    let publish = if placeholder_host(&args.base_url).is_some() {
        format!(
            "  4. set base_url in {} to the address the site is published at, then\n     site-gen build --content {c}      # dist/ is the site: copy it to the host",
            content.join("site.toml").display()
        )
    } else {
        format!(
            "  4. site-gen build --content {c}      # dist/ is the site: copy it to the host at {}",
            args.base_url
        )
    };
    Ok(format!(
        "created a new site in {}:\n{}\n\nnext:\n  1. fill in {} (or: site-gen import NOTICE.docx --content {c})\n  2. site-gen import PLAN.xlsx --notice notice-{year} --list plan --content {c}\n  3. site-gen serve --content {c}      # preview, with live reload\n{publish}",
        args.dir.display(),
        written.join("\n"),
        content.join(starter::skeleton_path(year)).display(),
    ))
}

#[derive(Debug, Clone)]
pub struct NewFormArgs {
    pub content: PathBuf,
    pub new_id: String,
    pub from: String,
}

/// What `new form` did: the file written and the texts to review (for stderr).
pub struct NewForm {
    pub written: PathBuf,
    pub review: Vec<String>,
}

/// Copies `content/forms/FROM.toml` to `content/forms/NEW.toml` with its `id` changed,
/// and lists every line of the copy naming a place of the notices that attach the
/// original, or an attachment number (附件5), for the clerk to change.
pub fn new_form(args: &NewFormArgs) -> Result<NewForm, Failure> {
    let valid_id = !args.new_id.is_empty()
        && args.new_id.len() <= 64
        && args
            .new_id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !args.new_id.starts_with('-')
        && !args.new_id.ends_with('-');
    if !valid_id {
        return Err(Failure::Usage(format!(
            "form id “{}”: expected lowercase letters, digits and hyphens, e.g. hangzhou-survey",
            args.new_id
        )));
    }
    let forms = args.content.join("forms");
    let from = forms.join(format!("{}.toml", args.from));
    let to = forms.join(format!("{}.toml", args.new_id));
    if !from.is_file() {
        return Err(Failure::Usage(format!(
            "{}: no such form (the forms are the files of {})",
            from.display(),
            forms.display()
        )));
    }
    if to.exists() {
        return Err(Failure::Usage(format!(
            "{} exists already: choose another id, or remove it first",
            to.display()
        )));
    }
    let text = fsx::read_to_string(&from)?;
    let copy = with_id(&text, &args.from, &args.new_id).ok_or_else(|| {
        Failure::Usage(format!(
            "{}: no line `id = \"{}\"` to change",
            from.display(),
            args.from
        ))
    })?;
    let places = places_of_attaching_notices(&args.content, &args.from);
    let review = review_lines(&to, &copy, &places);
    fsx::write(&to, copy.as_bytes())?;
    Ok(NewForm {
        written: to,
        review,
    })
}

/// The schema text with its top-level `id = "OLD"` line made `id = "NEW"`.
fn with_id(text: &str, old: &str, new: &str) -> Option<String> {
    let quoted = format!("\"{old}\"");
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            // Past the top-level keys.
            return None;
        }
        if line.split('=').next().map(str::trim) == Some("id") {
            let i = line.find(&quoted)?;
            let start = at + i;
            return Some(format!(
                "{}\"{new}\"{}",
                &text[..start],
                &text[start + quoted.len()..]
            ));
        }
        at += line.len();
    }
    None
}

/// Place names of the notices that attach form `id`, in this site and among the seed
/// notices the shipped forms come from: each part of their `region` and `issuer` that
/// ends in 省, 市, 县 or 区, and the same without that ending (温州市, 温州).
fn places_of_attaching_notices(content: &Path, id: &str) -> Vec<String> {
    let mut texts: Vec<String> = crate::content::starter::SEED_NOTICES
        .iter()
        .map(|t| (*t).to_string())
        .collect();
    if let Ok(rd) = std::fs::read_dir(content.join("notices")) {
        for entry in rd.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push(text);
                }
            }
        }
    }
    let needle = format!("\"{id}\"");
    let mut places: Vec<String> = Vec::new();
    for text in texts.iter().filter(|t| t.contains(&needle)) {
        let Ok(value) = toml::from_str::<toml::Value>(text) else {
            continue;
        };
        for key in ["region", "issuer"] {
            if let Some(s) = value.get(key).and_then(toml::Value::as_str) {
                for p in place_names(s) {
                    if !places.contains(&p) {
                        places.push(p);
                    }
                }
            }
        }
    }
    // Longer names first, so a line is named by 温州市 rather than 温州 alone.
    places.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    places
}

/// `浙江省温州市` → 浙江省, 浙江, 温州市, 温州; `温州市人力资源和社会保障局` → 温州市, 温州.
fn place_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in s.chars() {
        current.push(c);
        if matches!(c, '省' | '市' | '县' | '区') {
            let n = current.chars().count();
            if (2..=8).contains(&n) {
                out.push(current.clone());
                let stem: String = current.chars().take(n - 1).collect();
                if stem.chars().count() >= 2 {
                    out.push(stem);
                }
            }
            current.clear();
        }
    }
    out
}

/// `path:line: 温州 — the line` for each line of `text` naming a place or a 附件 number.
fn review_lines(path: &Path, text: &str, places: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut names: Vec<String> = places
            .iter()
            .filter(|p| line.contains(p.as_str()))
            .cloned()
            .collect();
        // Keep 温州市 and drop the 温州 inside it.
        let all = names.clone();
        names.retain(|n| !all.iter().any(|m| m != n && m.contains(n.as_str())));
        names.extend(attachment_numbers(line));
        if names.is_empty() {
            continue;
        }
        let shown: String = line.trim().chars().take(80).collect();
        let more = if line.trim().chars().count() > 80 {
            "…"
        } else {
            ""
        };
        out.push(format!(
            "{}:{}: {} — {shown}{more}",
            path.display(),
            i + 1,
            names.join("、")
        ));
    }
    out
}

/// `附件5`, `附件 4`, `附件二` in a line.
fn attachment_numbers(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("附件") {
        let after = &rest[at + "附件".len()..];
        let num: String = after
            .trim_start_matches(' ')
            .chars()
            .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
            .collect();
        if !num.is_empty() {
            let name = format!("附件{num}");
            if !out.contains(&name) {
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names_of_region_and_issuer() {
        assert_eq!(
            place_names("浙江省温州市"),
            ["浙江省", "浙江", "温州市", "温州"]
        );
        assert_eq!(
            place_names("温州市人力资源和社会保障局"),
            ["温州市", "温州"]
        );
        assert_eq!(
            place_names("山东省人力资源和社会保障厅"),
            ["山东省", "山东"]
        );
    }

    #[test]
    fn attachment_numbers_in_a_line() {
        assert_eq!(
            attachment_numbers("即本通知附件5《市级高研班质量评估表》，附件 4 与附件二"),
            ["附件5", "附件4", "附件二"]
        );
        assert!(attachment_numbers("附件的说明").is_empty());
    }

    #[test]
    fn only_the_top_level_id_changes() {
        let text = "# x\nid = \"a-form\"\ntitle = \"T\"\n[[sections]]\nid = \"a-form\"\n";
        assert_eq!(
            with_id(text, "a-form", "b-form").unwrap(),
            "# x\nid = \"b-form\"\ntitle = \"T\"\n[[sections]]\nid = \"a-form\"\n"
        );
        assert_eq!(with_id("[x]\nid = \"a\"\n", "a", "b"), None);
    }
}
