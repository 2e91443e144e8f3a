//! What `site-gen init` writes into a new site: the official calendars, the forms of one
//! of the two seed notices, and a commented notice skeleton for one year.
//!
//! The calendars and forms are the repository's own `content/` files, embedded in the
//! binary, so a new site starts with exactly what this site is built from. The
//! skeleton's placeholder texts all begin with [`PLACEHOLDER`], which `check` and `build`
//! look for ([`placeholders`]) so that a skeleton is never published unnoticed.

use crate::content::diag::Diagnostic;
use crate::content::Raw;

/// A file of a new site: its path below `content/` and its text.
pub type StarterFile = (&'static str, &'static str);

/// The official holiday calendars (`../shared/spec/calendars.md`).
pub const CALENDARS: &[StarterFile] = &[
    (
        "calendar/2020.toml",
        include_str!("../../../content/calendar/2020.toml"),
    ),
    (
        "calendar/2024.toml",
        include_str!("../../../content/calendar/2024.toml"),
    ),
    (
        "calendar/2025.toml",
        include_str!("../../../content/calendar/2025.toml"),
    ),
    (
        "calendar/2026.toml",
        include_str!("../../../content/calendar/2026.toml"),
    ),
];

/// The two seed notices, whose places a copy of their forms is checked for.
pub const SEED_NOTICES: &[&str] = &[
    include_str!("../../../content/notices/wenzhou-2020.toml"),
    include_str!("../../../content/notices/shandong-2024.toml"),
];

/// The seed notices whose forms a new site can start with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seed {
    Wenzhou,
    Shandong,
    None,
}

impl Seed {
    pub fn parse(s: &str) -> Option<Seed> {
        match s {
            "wenzhou" => Some(Seed::Wenzhou),
            "shandong" => Some(Seed::Shandong),
            "none" => Some(Seed::None),
            _ => None,
        }
    }

    /// The seed's forms, in the order its notice attaches them.
    pub fn forms(self) -> &'static [StarterFile] {
        match self {
            Seed::Wenzhou => &[
                (
                    "forms/wenzhou-evaluation.toml",
                    include_str!("../../../content/forms/wenzhou-evaluation.toml"),
                ),
                (
                    "forms/wenzhou-hours-roster.toml",
                    include_str!("../../../content/forms/wenzhou-hours-roster.toml"),
                ),
                (
                    "forms/wenzhou-survey.toml",
                    include_str!("../../../content/forms/wenzhou-survey.toml"),
                ),
            ],
            Seed::Shandong => &[
                (
                    "forms/shandong-filing.toml",
                    include_str!("../../../content/forms/shandong-filing.toml"),
                ),
                (
                    "forms/shandong-registration.toml",
                    include_str!("../../../content/forms/shandong-registration.toml"),
                ),
                (
                    "forms/shandong-roster.toml",
                    include_str!("../../../content/forms/shandong-roster.toml"),
                ),
                (
                    "forms/shandong-self-evaluation.toml",
                    include_str!("../../../content/forms/shandong-self-evaluation.toml"),
                ),
                (
                    "forms/shandong-acceptance.toml",
                    include_str!("../../../content/forms/shandong-acceptance.toml"),
                ),
            ],
            Seed::None => &[],
        }
    }

    /// The seed notice's rules, written as commented TOML for the clerk to confirm: the
    /// numbers are the seed's own (温人社发〔2020〕77号 二（二）（三）;
    /// 鲁人社函〔2024〕80号 二（一）（五）).
    fn rules_comment(self) -> &'static str {
        match self {
            Seed::Wenzhou => {
                "# 办班要求：下面是温州通知（温人社发〔2020〕77号）的数字。按本通知改好，再去掉行首的 # 才生效。\n\
                 # [rules]\n\
                 # min_trainees = 30            # 每期学员不少于30名\n\
                 # days = [2, 3]                # 研修时间为2-3天\n\
                 # plan_due_working_days = 10   # 办班前10个工作日报送办班方案\n\
                 # report_due_working_days = 20 # 办班结束后20个工作日内提交材料\n"
            }
            Seed::Shandong => {
                "# 办班要求：下面是山东通知（鲁人社函〔2024〕80号）的数字。按本通知改好，再去掉行首的 # 才生效。\n\
                 # [rules]\n\
                 # min_trainees = 30            # 学员不少于30人\n\
                 # days = [3, 5]                # 举办时间一般为3-5天\n\
                 # min_hours = 24               # 不少于24学时\n\
                 # plan_due_working_days = 10   # 开班前10个工作日报送\n\
                 # report_due_working_days = 15 # 结束后15个工作日内备案\n"
            }
            Seed::None => {
                "# 办班要求（学员人数、天数、工作日期限）按通知填写，例如：\n\
                 # [rules]\n\
                 # min_trainees = 学员不少于多少人\n\
                 # days = [最少天数, 最多天数]\n"
            }
        }
    }
}

/// How every placeholder text of the skeleton begins.
pub const PLACEHOLDER: &str = "（请填写";

/// The skeleton's file name (below `content/notices/`) for `year`.
pub fn skeleton_path(year: i32) -> String {
    format!("notices/notice-{year}.toml")
}

/// A notice skeleton for `year`, dated `date`, attaching the seed's forms whose
/// `(id, title)` are given, with one empty plan list `plan` ready for `site-gen import`.
pub fn skeleton(year: i32, date: &str, seed: Seed, forms: &[(String, String)]) -> String {
    let mut attachments =
        format!("  {{ title = \"{year}年度专业技术人员高级研修班项目名单\", list = \"plan\" }},\n");
    for (id, title) in forms {
        attachments.push_str(&format!(
            "  {{ title = \"{}\", form = \"{id}\" }},\n",
            toml_escape(title)
        ));
    }
    format!(
        "# {year}年度的通知。由 site-gen init 生成：把每个“{PLACEHOLDER}…）”换成通知原文，\n\
         # 在此之前 check 和 build 会提醒。也可以整份从 Word 导入（site-gen import 通知.docx），\n\
         # 项目名单可从表格导入：site-gen import 名单.xlsx --notice notice-{year} --list plan\n\
         title = \"{PLACEHOLDER}通知标题）\"\n\
         doc_number = \"{PLACEHOLDER}文号，如 某人社发〔{year}〕1号）\"\n\
         issuer = \"{PLACEHOLDER}发文机关，如 某市人力资源和社会保障局）\"\n\
         date = {date}\n\
         region = \"{PLACEHOLDER}地区，如 浙江省杭州市）\"\n\
         body = \"\"\"\n\
         {PLACEHOLDER}通知正文，可用 Markdown：一行“## 一、……”是一个标题，空一行是新的一段。）\n\
         \"\"\"\n\
         # 附件，按通知中的顺序。form 是 content/forms/ 下的表单文件名（不含 .toml）。\n\
         attachments = [\n{attachments}]\n\
         \n{rules}\n\
         [[lists]]\n\
         id = \"plan\"\n\
         title = \"{year}年度专业技术人员高级研修班项目名单\"\n\
         # 项目按下面的样子一项一项写，或用上面的 site-gen import 从表格导入：\n\
         # [[lists.programs]]\n\
         # name = \"高研班名称\"\n\
         # organizer = \"举办单位\"\n\
         # contacts = [{{ name = \"联系人\", phones = [\"联系电话\"] }}]\n",
        rules = seed.rules_comment(),
    )
}

/// `site.toml` of a new site.
pub fn site_toml(title: &str, base_url: &str) -> String {
    format!(
        "title = \"{}\"\n\
         # 网站发布后的地址。二维码和打印的海报都指向这里：发布前改成真实地址。\n\
         base_url = \"{}\"\n\
         language = \"zh-CN\"\n\
         # 首页标题下的说明文字。\n\
         # intro = \"本局公布的专业技术人员高级研修班计划通知，按发文日期由新到旧排列。\"\n\
         # footer = \"页脚文字\"\n",
        toml_escape(title),
        toml_escape(base_url)
    )
}

/// A string's text inside TOML's `"…"`.
fn toml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A form's title, read from its schema's top-level `title = "…"` line.
pub fn form_title(schema: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(schema).ok()?;
    value.get("title")?.as_str().map(str::to_string)
}

/// Warnings for every placeholder text left in the notices: one a line, naming it.
pub fn placeholders(raw: &Raw) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in &raw.notices {
        for (i, line) in f.text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            if let Some(at) = line.find(PLACEHOLDER) {
                let column = line[..at].chars().count() + 1;
                let end = line[at..]
                    .find('）')
                    .map_or(line.len(), |e| at + e + '）'.len_utf8());
                out.push(Diagnostic::at_line(
                    &f.path,
                    &f.text,
                    i + 1,
                    column,
                    format!(
                        "warning: placeholder text left from site-gen init: replace “{}” with the notice's own text",
                        &line[at..end]
                    ),
                ));
            }
        }
    }
    out
}

/// Warnings for every form that no notice (nor any of its plan lists) attaches: its page
/// is still published, which a clerk who copied `content/` rarely means.
pub fn unattached_forms(raw: &Raw, site: &crate::content::Site) -> Vec<Diagnostic> {
    let attached: std::collections::BTreeSet<&str> =
        site.notices.iter().flat_map(|n| n.form_ids()).collect();
    let mut out = Vec::new();
    for form in &site.forms {
        if attached.contains(form.id.as_str()) {
            continue;
        }
        let file = raw
            .forms
            .iter()
            .find(|f| f.path.file_stem().is_some_and(|s| *s == *form.id));
        let message = format!(
            "warning: form `{0}` is attached to no notice, yet its page /forms/{0}/ is published: name it in a notice's attachments, or remove its file",
            form.id
        );
        out.push(match file {
            Some(f) => {
                let line = f
                    .text
                    .lines()
                    .position(|l| l.trim_start().starts_with("id"))
                    .map_or(1, |i| i + 1);
                Diagnostic::at_line(&f.path, &f.text, line, 1, message)
            }
            None => Diagnostic {
                path: raw.dir.join("forms"),
                line: 1,
                column: 1,
                message,
                source_line: None,
            },
        });
    }
    out
}

/// Every warning about a site started with `site-gen init` that is not finished yet.
pub fn warnings(raw: &Raw, site: &crate::content::Site) -> Vec<Diagnostic> {
    let mut out = placeholders(raw);
    out.extend(unattached_forms(raw, site));
    out
}
