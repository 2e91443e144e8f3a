//! A [`Draft`] as the files of `content/notices/`: the notice's TOML and its body's
//! Markdown beside it (`body_file`).
//!
//! The TOML says where each value came from in comments a clerk reads, attaches each
//! 附件 to the form of `content/forms/` whose title it names (or to its plan list), and
//! writes the rule numbers found in the body commented out, each with its sentence: a
//! rule takes effect only once the clerk has checked it and removed the `#`. The plan
//! lists' programs are written by the spreadsheet import's own writer
//! ([`crate::import::write::replace_list`]), so both imports write a program alike.

use super::notice::{Attachment, Draft, Found, Where};
use super::say;
use crate::import::write;

/// What the import writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub toml: String,
    pub markdown: String,
    /// The id given to each list, in the draft's order.
    pub list_ids: Vec<String>,
    /// Each attachment's number and what it became (`form wenzhou-evaluation`, …).
    pub attached: Vec<(usize, String, Target)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Form(String),
    List(String),
    /// Neither a form of the site nor a plan list: written as a comment.
    None,
}

/// A TOML basic string.
pub fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A title as compared with a form's: no spaces, ASCII brackets as the full-width ones.
fn title_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// The form whose title the attachment's title is: the same, or the same less a
/// trailing `（模板）`-like remark.
fn form_for<'a>(title: &str, forms: &'a [(String, String)]) -> Option<&'a str> {
    let t = title_key(title);
    let bare = t
        .strip_suffix('）')
        .and_then(|s| s.rfind('（').map(|i| s[..i].to_string()));
    forms
        .iter()
        .find(|(_, ft)| title_key(ft) == t)
        .or_else(|| bare.and_then(|b| forms.iter().find(|(_, ft)| title_key(ft) == b)))
        .map(|(id, _)| id.as_str())
}

/// A list's id from its title: the level it names (省级 → `provincial`, 市级 →
/// `municipal`, 县级 → `county`, 国家级 → `national`), else `plan`; numbered when taken.
fn list_id(title: &str, taken: &[String]) -> String {
    let base = if title.contains("国家级") {
        "national"
    } else if title.contains("省级") {
        "provincial"
    } else if title.contains("市级") {
        "municipal"
    } else if title.contains("县级") || title.contains("区级") {
        "county"
    } else {
        "plan"
    };
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn cut(s: &str, n: usize) -> String {
    let c = s.chars().count();
    if c <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// The notice's files. `file` is the document as typed, `body_file` the Markdown's name,
/// `region` the place read from the issuer (`None`: a placeholder for the clerk),
/// `forms` the site's forms as (id, title).
pub fn render(
    d: &Draft,
    file: &str,
    body_file: &str,
    region: Option<&str>,
    forms: &[(String, String)],
) -> Result<Files, Vec<Found>> {
    let mut t = head(d, file, body_file, region);
    // Lists: ids first, so that attachments can name them.
    let (ids, empty_ids) = list_ids(d);
    let (lines, attached) = attachment_lines(d, forms, &ids, &empty_ids);
    if !lines.is_empty() {
        t.push_str("# 附件，按通知中的顺序。\nattachments = [\n");
        for l in &lines {
            t.push_str(l);
            t.push('\n');
        }
        t.push_str("]\n");
    }
    t.push_str(&rules_comment(d));
    t.push_str(&list_tables(d, &ids, &empty_ids));
    for (i, l) in d.lists.iter().enumerate() {
        t = write::replace_list(&t, &ids[i], &l.imported.programs)
            .map(|r| r.text)
            .map_err(|e| {
                vec![Found {
                    place: Where::Table(l.table),
                    message: say(
                        format!("名单无法写成 TOML（{e:?}）"),
                        format!("the list cannot be written as TOML ({e:?})"),
                    ),
                }]
            })?;
    }
    let mut all_ids = ids;
    all_ids.extend(empty_ids);
    Ok(Files {
        toml: t,
        markdown: d.body.clone(),
        list_ids: all_ids,
        attached,
    })
}

/// The comment saying where the notice came from, and its fields up to `publication`.
fn head(d: &Draft, file: &str, body_file: &str, region: Option<&str>) -> String {
    let mut t = String::new();
    t.push_str(&format!(
        "# 由 site-gen import 从 {} 导入。请核对各项，尤其是文末注释掉的办班要求，再运行 site-gen check。\n",
        file.replace('\n', " ")
    ));
    t.push_str(&format!("title = {}\n", toml_str(&d.title)));
    t.push_str(&format!("doc_number = {}\n", toml_str(&d.doc_number)));
    t.push_str(&format!("issuer = {}\n", toml_str(&d.issuer)));
    t.push_str(&format!("date = {}\n", d.date));
    match region {
        Some(r) => {
            let more = if r.ends_with('市') {
                "，可按需要补上省份，如 浙江省温州市"
            } else {
                ""
            };
            t.push_str(&format!("# region：取自发文机关“{}”{more}。\n", d.issuer));
            t.push_str(&format!("region = {}\n", toml_str(r)));
        }
        None => t.push_str(&format!(
            "region = {}\n",
            toml_str(&format!(
                "{}地区，如 浙江省温州市）",
                crate::content::starter::PLACEHOLDER
            ))
        )),
    }
    t.push_str(&format!("body_file = {}\n", toml_str(body_file)));
    if let Some(p) = &d.publication {
        t.push_str(&format!("publication = {}\n", toml_str(p)));
    }
    t
}

/// The ids of the lists read from tables, then of the empty lists, each unique.
fn list_ids(d: &Draft) -> (Vec<String>, Vec<String>) {
    let mut ids: Vec<String> = Vec::new();
    for l in &d.lists {
        let id = list_id(&l.title, &ids);
        ids.push(id);
    }
    let mut empty_ids: Vec<String> = Vec::new();
    for a in &d.empty_lists {
        let mut taken = ids.clone();
        taken.extend(empty_ids.iter().cloned());
        empty_ids.push(list_id(&a.title, &taken));
    }
    (ids, empty_ids)
}

/// The lines of `attachments = [...]`, in the notice's order, then the lists under no
/// 附件 line of the list; and what each attachment became.
fn attachment_lines(
    d: &Draft,
    forms: &[(String, String)],
    ids: &[String],
    empty_ids: &[String],
) -> (Vec<String>, Vec<(usize, String, Target)>) {
    let mut attached = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for a in &d.attachments {
        let target = target(d, a, forms, ids, empty_ids);
        lines.push(match &target {
            Target::Form(id) => format!("  {{ title = {}, form = {} }},", toml_str(&a.title), toml_str(id)),
            Target::List(id) => format!("  {{ title = {}, list = {} }},", toml_str(&a.title), toml_str(id)),
            Target::None => format!(
                "  # 附件{}“{}”：content/forms/ 中没有同名的表单，没有附上。有这个表单时写成 {{ title = \"…\", form = \"表单文件名\" }}",
                a.number,
                a.title.replace('\n', " ")
            ),
        });
        attached.push((a.number, a.title.clone(), target));
    }
    // Lists under no 附件 line of the list.
    for (i, l) in d.lists.iter().enumerate() {
        let listed = l
            .attachment
            .is_some_and(|n| d.attachments.iter().any(|a| a.number == n));
        if !listed {
            lines.push(format!(
                "  {{ title = {}, list = {} }},",
                toml_str(&l.title),
                toml_str(&ids[i])
            ));
        }
    }
    (lines, attached)
}

/// What an attachment becomes: the form its title (in the list, else under its `附件N`
/// line) names, else its plan list, else nothing.
fn target(
    d: &Draft,
    a: &Attachment,
    forms: &[(String, String)],
    ids: &[String],
    empty_ids: &[String],
) -> Target {
    let list = d
        .lists
        .iter()
        .position(|l| l.attachment == Some(a.number))
        .map(|i| ids[i].clone())
        .or_else(|| {
            d.empty_lists
                .iter()
                .position(|e| e.number == a.number)
                .map(|i| empty_ids[i].clone())
        });
    let own = d
        .appendix_titles
        .iter()
        .find(|(n, _)| *n == a.number)
        .and_then(|(_, t)| form_for(t, forms));
    match (form_for(&a.title, forms).or(own), list) {
        (Some(id), _) => Target::Form(id.to_string()),
        (None, Some(l)) => Target::List(l),
        (None, None) => Target::None,
    }
}

/// The rule numbers found in the body, commented out, each with its sentence.
fn rules_comment(d: &Draft) -> String {
    let mut t = String::new();
    if d.rules.is_empty() {
        return t;
    }
    t.push_str(
        "\n# 办班要求：导入时在正文中找到了下面的句子，它们还没有生效。请逐个核对数字，\n\
         # 再去掉行首的 #（只适用于某个名单的要求，写到那个名单的 [lists.rules] 下）。\n\
         # [rules]\n",
    );
    for h in &d.rules {
        let at = if h.section.is_empty() {
            String::new()
        } else {
            format!("{}：", h.section)
        };
        t.push_str(&format!(
            "# {} = {}  # {at}{}\n",
            h.key,
            h.value,
            cut(&h.sentence, 90).replace('\n', " ")
        ));
    }
    t
}

/// Each list's `[[lists]]` table (its programs are written after), then each empty
/// list's, saying how to import its programs.
fn list_tables(d: &Draft, ids: &[String], empty_ids: &[String]) -> String {
    let mut t = String::new();
    for (i, l) in d.lists.iter().enumerate() {
        let from = match l.attachment {
            Some(n) => format!("附件{n}，"),
            None => String::new(),
        };
        t.push_str(&format!(
            "\n# {from}表{}（第{}行是表头）。\n[[lists]]\nid = {}\ntitle = {}\n",
            l.table,
            l.imported.header_row + 1,
            toml_str(&ids[i]),
            toml_str(&l.title)
        ));
    }
    for (i, a) in d.empty_lists.iter().enumerate() {
        t.push_str(&format!(
            "\n# 附件{}：文件中没有这个名单的表格。项目可以用 site-gen import 表格文件 --notice 本通知 --list {} 导入。\n[[lists]]\nid = {}\ntitle = {}\n",
            a.number,
            empty_ids[i],
            toml_str(&empty_ids[i]),
            toml_str(&a.title)
        ));
    }
    t
}
