//! The `<meta name="description">` of each page: a sentence or two made from the page's
//! own content (what search engines and chat apps show under the title), handed to
//! `base.html` as `description`. Tera escapes it in the attribute; here it is plain text
//! with its white space folded, cut to [`MAX_CHARS`] characters.
//!
//! Each holds the page's main heading (its `<h1>`), except the home page's, which is its
//! lead text. What comes first is what tells pages of the same kind apart (a program's
//! name before its notice), so that a cut never leaves two pages the same description.

use crate::content::model::{Form, Notice, PlanList, Program, Site};

/// The longest description, in characters (search engines show about this many Chinese
/// characters on a phone and cut the rest).
pub const MAX_CHARS: usize = 120;

/// `text` with each run of white space made one space and trimmed; longer than
/// [`MAX_CHARS`] characters, its first `MAX_CHARS - 1` characters and "…".
pub fn cut(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= MAX_CHARS {
        return folded;
    }
    let mut out: String = folded.chars().take(MAX_CHARS - 1).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Names joined with 、 (a list of programs or groups), or with ； when a name holds a
/// 、 itself (a category such as 疫情防控与科研、公共卫生类).
fn names<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    let sep = if items.iter().any(|n| n.contains('、')) {
        "；"
    } else {
        "、"
    };
    items.join(sep)
}

/// The home page: its lead text (`intro` of site.toml, or the built-in one).
pub fn home(site: &Site) -> String {
    cut(&site.config.intro)
}

/// A year's page: the site, the year and how many notices it holds.
pub fn year(site: &Site, year: &str, count: usize) -> String {
    cut(&format!(
        "{}：{year}年的通知，共 {count} 个。",
        site.config.title
    ))
}

/// A notice: its 文号 and title, who issued it and when, and how many programs it lists.
pub fn notice(n: &Notice) -> String {
    let programs: usize = n.lists.iter().map(|l| l.programs.len()).sum();
    let mut s = format!(
        "{}《{}》，{}{}发布",
        n.doc_number,
        n.title,
        n.issuer,
        super::views::date_zh(n.date)
    );
    if programs > 0 {
        s.push_str(&format!("，列出高研班项目{programs}个"));
    }
    s.push('。');
    cut(&s)
}

/// A program: its name, organizer and category, and where its notice lists it (the
/// notice by its 文号, whose page the program's links to).
pub fn program(n: &Notice, l: &PlanList, i: usize, p: &Program) -> String {
    let mut s = format!("{}：{}举办", p.name, p.organizer);
    if let Some(c) = &p.category {
        s.push_str(&format!("，专业类别为{c}"));
    }
    s.push_str(&format!("。列入{}{}第{}项。", n.doc_number, l.title, i + 1));
    cut(&s)
}

/// An organizer's (`kind` `organizers`) or category's page: its `count` programs, the
/// first of them by name (only as many as a description can show are read).
pub fn group<'a>(
    kind: &str,
    name: &str,
    count: usize,
    programs: impl IntoIterator<Item = &'a str>,
) -> String {
    let head = if kind == "organizers" {
        format!("{name}举办的高研班项目{count}个")
    } else {
        format!("专业类别“{name}”的高研班项目{count}个")
    };
    cut(&format!(
        "{head}：{}。",
        names(programs.into_iter().take(MAX_CHARS))
    ))
}

/// The list of all organizers or categories (`title`: 举办单位, 专业类别).
pub fn groups<'a>(title: &str, items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    if items.is_empty() {
        return cut(&format!("按{title}查看高研班项目。"));
    }
    cut(&format!(
        "按{title}查看高研班项目，共{}个{title}：{}。",
        items.len(),
        names(items)
    ))
}

/// The forms index: what it offers and the forms.
pub fn forms_index(site: &Site) -> String {
    cut(&format!(
        "表单：通知所附的表格，可在浏览器中填写、检查并导出：{}。",
        names(site.forms.iter().map(|f| f.schema.title.as_str()))
    ))
}

/// A form: its title, the notice that attaches it (the newest), who fills it and when.
pub fn form(site: &Site, form: &Form) -> String {
    let mut s = form.schema.title.clone();
    let attached = site.notices.iter().find_map(|n| {
        n.attachments
            .iter()
            .position(|a| {
                matches!(&a.target, crate::content::model::AttachmentTarget::Form(id) if *id == form.id)
            })
            .map(|i| (n, i))
    });
    match attached {
        Some((n, i)) => {
            let a = &n.attachments[i];
            s.push_str(&format!("：{}附件{}", n.doc_number, i + 1));
            if let Some(who) = &a.filled_by {
                s.push_str(&format!("，由{who}填写"));
            }
            if let Some(w) = &a.when {
                s.push_str(&format!("，{w}"));
            }
            s.push_str("。可在浏览器中填写、检查并导出。");
        }
        None => s.push_str("：可在浏览器中填写、检查并导出。"),
    }
    cut(&s)
}

/// The survey's collection page.
pub fn collect(survey_title: &str, evaluation_title: Option<&str>) -> String {
    let mut s =
        format!("收集问卷：学员填写的《{survey_title}》，粘贴提交码或添加文件，重复的只算一次");
    if let Some(e) = evaluation_title {
        s.push_str(&format!("，汇总后填入《{e}》"));
    }
    s.push_str("。内容只保存在本机浏览器中。");
    cut(&s)
}

/// A program's classroom poster of its survey.
pub fn poster(survey_title: &str, n: &Notice, p: &Program) -> String {
    cut(&format!(
        "请填写《{survey_title}》：{}（{}举办，{}）的课堂海报，学员用手机扫码填写。",
        p.name, p.organizer, n.doc_number
    ))
}

/// The page shown for an address that is not on the site.
pub fn not_found(site: &Site) -> String {
    cut(&format!(
        "页面不存在：{}没有这个地址的页面，它可能已移动。可从首页查看全部通知，或按举办单位、专业类别查找项目。",
        site.config.title
    ))
}

pub fn search(site: &Site) -> String {
    cut(&format!(
        "在{}的全部通知和项目中搜索：项目名称、举办单位、联系人、电话、文号和通知正文。",
        site.config.title
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_is_folded_and_cut_on_a_character_boundary() {
        assert_eq!(cut("  一\n 二\t三  "), "一 二 三");
        let long = "研".repeat(MAX_CHARS + 5);
        let c = cut(&long);
        assert_eq!(c.chars().count(), MAX_CHARS);
        assert!(c.ends_with('…'));
        assert!(c.starts_with(&"研".repeat(MAX_CHARS - 1)));
        let exact = "研".repeat(MAX_CHARS);
        assert_eq!(cut(&exact), exact);
        // A cut right after a space does not end in one.
        let spaced = format!("{} {}", "a".repeat(MAX_CHARS - 2), "b".repeat(10));
        assert_eq!(cut(&spaced), format!("{}…", "a".repeat(MAX_CHARS - 2)));
    }

    #[test]
    fn names_holding_the_list_separator_are_joined_with_another() {
        assert_eq!(names(["其他", "数字经济"]), "其他、数字经济");
        assert_eq!(
            names(["其他", "疫情防控与科研、公共卫生类"]),
            "其他；疫情防控与科研、公共卫生类"
        );
    }

    #[test]
    fn the_home_lead_fits_whole() {
        let lead = crate::content::model::DEFAULT_INTRO;
        assert_eq!(cut(lead), lead);
    }
}
