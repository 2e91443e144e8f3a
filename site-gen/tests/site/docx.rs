//! `site-gen import notice.docx` end to end: the two seed notices made into Word files
//! (paragraphs with Word's manual line breaks, the plan lists as tables) give the facts
//! of the hand-written notices; the quirks of offices' files (merged organizer cells, a
//! title row, columns in another order, invisible characters) are read; bad files
//! (.doc, PDF, encrypted, truncated, too large unpacked) are refused, naming why, with
//! nothing written.

use crate::support::{code, copy_dir, site_gen, site_gen_as_clerk, stderr, stdout};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use site_gen::content::{self, model};

// ---------------------------------------------------------------- a small .docx writer

/// A table cell: its text (`\n` between its paragraphs), the grid columns it spans and
/// its vertical merge (`Some(true)` starts one, `Some(false)` continues the one above).
#[derive(Clone)]
struct Tc {
    text: String,
    span: usize,
    vmerge: Option<bool>,
}

fn tc(s: &str) -> Tc {
    Tc {
        text: s.to_string(),
        span: 1,
        vmerge: None,
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A paragraph's XML: `\n` is a manual line break (`<w:br/>`), `\u{c}` a page break,
/// `\u{ad}` Word's soft hyphen element.
fn para_xml(text: &str) -> String {
    let mut runs = String::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, runs: &mut String| {
        if !cur.is_empty() {
            runs.push_str(&format!(
                "<w:r><w:rPr><w:rFonts w:hint=\"eastAsia\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                esc(cur)
            ));
            cur.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\n' => {
                flush(&mut cur, &mut runs);
                runs.push_str("<w:r><w:br/></w:r>");
            }
            '\u{c}' => {
                flush(&mut cur, &mut runs);
                runs.push_str("<w:r><w:br w:type=\"page\"/></w:r>");
            }
            '\u{ad}' => {
                flush(&mut cur, &mut runs);
                runs.push_str("<w:r><w:softHyphen/></w:r>");
            }
            c => cur.push(c),
        }
    }
    flush(&mut cur, &mut runs);
    format!("<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>{runs}</w:p>")
}

#[derive(Default, Clone)]
struct Docx {
    body: String,
    /// `word/numbering.xml`, when the document uses automatic numbering.
    numbering: Option<String>,
}

impl Docx {
    /// A paragraph numbered by Word (list `num`, level `ilvl`): the number is not in its text.
    fn numbered(mut self, text: &str, num: u32, ilvl: u32) -> Self {
        let p = para_xml(text).replacen(
            "<w:pPr>",
            &format!(
                "<w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr>"
            ),
            1,
        );
        self.body.push_str(&p);
        self
    }
    fn p(mut self, text: &str) -> Self {
        self.body.push_str(&para_xml(text));
        self
    }
    fn table(mut self, rows: &[Vec<Tc>]) -> Self {
        self.body
            .push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
        for row in rows {
            self.body.push_str("<w:tr>");
            for c in row {
                self.body.push_str("<w:tc><w:tcPr>");
                if c.span > 1 {
                    self.body
                        .push_str(&format!("<w:gridSpan w:val=\"{}\"/>", c.span));
                }
                match c.vmerge {
                    Some(true) => self.body.push_str("<w:vMerge w:val=\"restart\"/>"),
                    Some(false) => self.body.push_str("<w:vMerge/>"),
                    None => {}
                }
                self.body.push_str("</w:tcPr>");
                if c.text.is_empty() {
                    self.body.push_str("<w:p/>");
                }
                for line in c.text.split('\n').filter(|l| !l.is_empty()) {
                    self.body.push_str(&para_xml(line));
                }
                self.body.push_str("</w:tc>");
            }
            self.body.push_str("</w:tr>");
        }
        self.body.push_str("</w:tbl>");
        self
    }
    fn document_xml(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>{}<w:sectPr/></w:body></w:document>",
            self.body
        )
    }
    fn bytes(&self) -> Vec<u8> {
        let mut parts = vec![
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("_rels/.rels", RELS.to_string()),
            ("word/document.xml", self.document_xml()),
        ];
        if let Some(n) = &self.numbering {
            parts.push(("word/numbering.xml", n.clone()));
        }
        package(&parts)
    }
}

fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

// ---------------------------------------------------------------- the seeds as .docx

fn seed(name: &str) -> String {
    fs::read_to_string(crate::support::fixtures().join("seeds").join(name)).unwrap()
}

/// The seed's paragraphs: blocks between blank lines, the lines of a block joined by
/// manual line breaks (as the seed's text was taken from them).
fn paragraphs(doc: Docx, text: &str) -> Docx {
    let mut d = doc;
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
        if !lines.is_empty() {
            d = d.p(&lines.join("\n"));
        }
    }
    d
}

/// A seed table: each `\t` line a cell, a following line without `\t` a further
/// paragraph of that cell; rows of `cols` cells.
fn seed_table(text: &str, cols: usize) -> Vec<Vec<Tc>> {
    let mut cells: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(c) = line.strip_prefix('\t') {
            cells.push(c.trim().to_string());
        } else if !line.trim().is_empty() {
            if let Some(last) = cells.last_mut() {
                last.push('\n');
                last.push_str(line.trim());
            }
        }
    }
    cells
        .chunks(cols)
        .map(|r| r.iter().map(|c| tc(c)).collect())
        .collect()
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> &'a str {
    let a = s.find(from).unwrap();
    let b = a + s[a..].find(to).unwrap();
    &s[a..b]
}

/// The Wenzhou 2020 notice as a .docx: its text, 附件1 and 附件2 as tables of 7 columns,
/// 附件3-5 as their headings with a table that is not a plan list.
fn wenzhou_docx() -> Docx {
    let s = seed("wenzhou-2020.txt");
    let notice = &s[..s.find("\n附件1\n").unwrap()];
    let mut d = paragraphs(Docx::default(), notice);
    let a1 = between(&s, "\n附件1\n", "\n附件2\n");
    let a2 = between(&s, "\n附件2\n", "\n附件3\n");
    for (head, text) in [("附件1", a1), ("附件2", a2)] {
        let t = &text[text.find('\t').unwrap()..];
        let title: Vec<&str> = text[..text.find('\t').unwrap()]
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && *l != head)
            .collect();
        d = d.p(head);
        for l in title {
            d = d.p(l);
        }
        d = d.table(&seed_table(t, 7));
    }
    d.p("附件3")
        .p("温州市专业技术人员高级研修班绩效评价报告")
        .table(&[vec![tc("项目名称"), tc(""), tc("类别"), tc("")]])
        .p("附件5")
        .p("市级高研班质量评估表（学员填报）")
        .table(&[vec![tc("评估内容"), tc("评估指标"), tc("评估等级")]])
        .p("温州市人力资源和社会保障局办公室          2020年7月21日印发")
}

/// The Shandong 2024 notice as a .docx: its text up to 附件 2 (its plan list is not in
/// the seed), where the seed's text was cut at the ends of pages (`精\n\n品`) one
/// paragraph running over a page break, as in the Word file.
fn shandong_docx() -> Docx {
    let s = seed("shandong-2024.txt");
    let notice = &s[..s.find("\n附件 2\n").unwrap()];
    let notice = notice
        .replace("打造项目精\n\n品", "打造项目精\u{c}品")
        .replace("加强学员\n\n的管理", "加强学员\u{c}的管理")
        .replace("专业技术人员\n\n个人收取", "专业技术人员\u{c}个人收取");
    let mut d = paragraphs(Docx::default(), &notice);
    // Each attachment: its 附件 line, its title, and a form's table (not a plan list).
    for n in 2..=6 {
        let head = format!("\n附件 {n}\n");
        let at = s.find(&head).unwrap() + head.len();
        let title = s[at..]
            .split("\n\n")
            .map(str::trim)
            .find(|b| !b.is_empty())
            .unwrap();
        d = d
            .p(&format!("附件 {n}"))
            .p(title)
            .table(&[vec![tc("项目名称"), tc("")], vec![tc("填表人"), tc("")]]);
    }
    d
}

// ---------------------------------------------------------------- a site to import into

struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// The repository's content, without the notice `without` (its files removed).
    fn new(without: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
            &dir.path().join("content"),
        );
        for slug in without {
            for ext in ["toml", "md"] {
                let _ = fs::remove_file(dir.path().join(format!("content/notices/{slug}.{ext}")));
            }
        }
        Site { dir }
    }
    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        p
    }
    fn import(&self, file: &Path, extra: &[&str]) -> Output {
        let content = self.content();
        let mut args = vec![
            "import",
            file.to_str().unwrap(),
            "--content",
            content.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        // As a clerk types it: the messages in the site's language.
        site_gen_as_clerk(&args)
    }
    fn notice(&self, slug: &str) -> model::Notice {
        notice_of(&self.content(), slug)
    }
    fn tree(&self) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
        crate::support::tree(&self.content())
    }
}

fn notice_of(content_dir: &Path, slug: &str) -> model::Notice {
    let raw = content::load(content_dir).unwrap();
    let site = content::validate(&raw).unwrap_or_else(|d| panic!("{d}"));
    (*site.notices.into_iter().find(|n| n.slug == slug).unwrap()).clone()
}

fn repo_notice(slug: &str) -> model::Notice {
    notice_of(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
        slug,
    )
}

fn repo_body(slug: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../content/notices/{slug}.md")),
    )
    .unwrap()
}

fn en(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

// ---------------------------------------------------------------- the round trips

#[test]
fn wenzhou_docx_imports_to_the_hand_written_facts() {
    let site = Site::new(&["wenzhou-2020"]);
    let file = site.file("温人社发〔2020〕77号.docx", &wenzhou_docx().bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let out = stdout(&o);
    assert!(out.contains("wrote "), "{out}");
    assert!(out.contains("wenzhou-2020.toml"), "{out}");
    assert!(out.contains("附件1 2020年度省级专业技术人员高级研修班项目名单 → list provincial: 11 programs (table 1)"), "{out}");
    assert!(
        out.contains("附件3 温州市专业技术人员高级研修班绩效评价报告 → form wenzhou-evaluation"),
        "{out}"
    );

    let got = site.notice("wenzhou-2020");
    let want = repo_notice("wenzhou-2020");
    assert_eq!(got.title, want.title);
    assert_eq!(got.doc_number, want.doc_number);
    assert_eq!(got.issuer, want.issuer);
    assert_eq!(got.date, want.date);
    assert_eq!(got.publication, want.publication);
    assert_eq!(got.lists.len(), 2);
    for (g, w) in got.lists.iter().zip(&want.lists) {
        assert_eq!(g.id, w.id);
        assert_eq!(g.title, w.title);
        assert_eq!(g.programs, w.programs, "list {}", w.id);
    }
    let forms: Vec<&str> = got.form_ids().collect();
    assert_eq!(
        forms,
        [
            "wenzhou-evaluation",
            "wenzhou-hours-roster",
            "wenzhou-survey"
        ]
    );
    // The section text: the hand-written Markdown, paragraph for paragraph.
    let body = fs::read_to_string(site.content().join("notices/wenzhou-2020.md")).unwrap();
    assert_eq!(body.trim(), repo_body("wenzhou-2020").trim());

    // The rules are in the file for the clerk to confirm, each with its sentence, and
    // not in force.
    let toml = fs::read_to_string(site.content().join("notices/wenzhou-2020.toml")).unwrap();
    assert!(toml.contains("# min_trainees = 30  # 二（二）：市级高研班要面向全市相关行业领域专业技术人才，每期学员不少于30名，研修时间为2-3天。"), "{toml}");
    assert!(
        toml.contains("# plan_due_working_days = 10  # 二（三）：办班前10个工作日"),
        "{toml}"
    );
    assert!(toml.contains("# report_due_working_days = 20"), "{toml}");
    assert!(toml.contains("# days = [2, 3]"), "{toml}");
    assert!(toml.contains("# complete_by = 2020-11-30"), "{toml}");
    assert_eq!(got.rules.min_trainees, None);
    assert_eq!(got.rules.plan_due_working_days, None);
    // The program with two contacts and two numbers in one cell: the guess is said.
    assert!(toml.contains("# import: "), "{toml}");

    // The new site checks and builds.
    let c = crate::support::check(&site.content());
    assert_eq!(code(&c), 0, "{}", stderr(&c));
}

#[test]
fn shandong_docx_imports_its_text_and_no_programs() {
    let site = Site::new(&["shandong-2024"]);
    let file = site.file("鲁人社函〔2024〕80号.docx", &shandong_docx().bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let got = site.notice("shandong-2024");
    let want = repo_notice("shandong-2024");
    assert_eq!(got.title, want.title);
    assert_eq!(got.doc_number, want.doc_number);
    assert_eq!(got.issuer, want.issuer);
    assert_eq!(got.date, want.date);
    assert_eq!(got.region, want.region);
    assert_eq!(got.publication, want.publication);
    assert_eq!(got.lists.len(), 1);
    assert!(got.lists[0].programs.is_empty());
    assert_eq!(got.lists[0].title, want.lists[0].title);
    let forms: Vec<&str> = got.form_ids().collect();
    let want_forms: Vec<&str> = want.form_ids().collect();
    assert_eq!(forms, want_forms);
    let body = fs::read_to_string(site.content().join("notices/shandong-2024.md")).unwrap();
    assert_eq!(body.trim(), repo_body("shandong-2024").trim());
    let toml = fs::read_to_string(site.content().join("notices/shandong-2024.toml")).unwrap();
    for rule in [
        "# min_trainees = 30",
        "# days = [3, 5]",
        "# min_hours = 24",
        "# plan_due_working_days = 10",
        "# report_due_working_days = 15",
        "# complete_by = 2024-11-15",
    ] {
        assert!(toml.contains(rule), "{rule} in\n{toml}");
    }
}

// ---------------------------------------------------------------- quirks

const HEADER: [&str; 7] = [
    "序号",
    "高研班名称",
    "举办单位",
    "资助类型",
    "资助金额",
    "联系人",
    "联系电话",
];

/// A short notice around `table`.
fn notice_with(table: &[Vec<Tc>]) -> Docx {
    Docx::default()
        .p("测人社发〔2025〕3号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .p("一、总体要求")
        .p("每期学员不少于30名。")
        .p("附件：2025年度市级高级研修班项目名单")
        .p("杭州市人力资源和社会保障局")
        .p("2025年3月9日")
        .p("附件1")
        .table(table)
}

#[test]
fn merged_organizers_a_title_row_another_column_order_and_invisible_characters() {
    let title = Tc {
        text: "2025年度市级高级研修班项目名单".into(),
        span: 7,
        vmerge: None,
    };
    let mut header: Vec<Tc> = HEADER.iter().map(|h| tc(h)).collect();
    header.swap(2, 6); // 联系电话 where 举办单位 was
    let org = |first: bool| Tc {
        text: if first {
            "温州技师\u{200b}学院".into()
        } else {
            String::new()
        },
        span: 1,
        vmerge: Some(first),
    };
    let rows = vec![
        vec![title],
        header,
        vec![
            tc("1"),
            tc("智慧\n物流"),
            tc("13505776231"),
            tc("一般类"),
            tc("2万"),
            tc("陈碎雷"),
            org(true),
        ],
        vec![
            tc("2"),
            tc("公共交通"),
            tc("0577-88888888"),
            tc("重点类"),
            tc("3万"),
            tc("陈\u{ad}朝晖"),
            org(false),
        ],
    ];
    let site = Site::new(&[]);
    let file = site.file("notice.docx", &notice_with(&rows).bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let out = stdout(&o);
    assert!(out.contains("hangzhou-2025"), "{out}");
    assert!(
        out.contains("notice.docx: table 1, row 3, column 7: removed Word's invisible characters"),
        "{out}"
    );
    let n = site.notice("hangzhou-2025");
    let p = &n.lists[0].programs;
    assert_eq!(n.lists[0].id, "municipal");
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].name, "智慧物流");
    assert_eq!(p[0].organizer, "温州技师学院");
    assert_eq!(
        p[1].organizer, "温州技师学院",
        "the merged cell covers row 2"
    );
    assert_eq!(p[0].contacts[0].phones, ["13505776231"]);
    assert_eq!(p[1].contacts[0].name, "陈朝晖");
    assert_eq!(p[1].contacts[0].phones, ["0577-88888888"]);
    assert_eq!(p[1].amount_wan.map(|d| d.to_string()).as_deref(), Some("3"));
    assert_eq!(n.region, "杭州市");
}

#[test]
fn headings_numbered_by_word_are_read_with_their_numbers() {
    let mut d = Docx::default()
        .p("测人社发〔2025〕3号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .numbered("省级高研班", 7, 0)
        .p("按省里的要求执行。")
        .numbered("市级高研班", 7, 0)
        .numbered("项目计划", 7, 1)
        .p("本年度共确定10期。")
        .numbered("办班流程", 7, 1)
        .p("杭州市人力资源和社会保障局")
        .p("2025年3月9日");
    d.numbering = Some(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#
            .to_string(),
    );
    let site = Site::new(&[]);
    let file = site.file("numbered.docx", &d.bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    assert!(
        !stdout(&o).contains("automatic numbering"),
        "{}",
        stdout(&o)
    );
    let body = fs::read_to_string(site.content().join("notices/hangzhou-2025.md")).unwrap();
    assert_eq!(
        body,
        "各有关单位：\n\n## 一、省级高研班\n\n按省里的要求执行。\n\n## 二、市级高研班\n\n### （一）项目计划\n\n本年度共确定10期。\n\n### （二）办班流程\n"
    );
}

#[test]
fn an_unreadable_cell_is_named_by_table_row_and_column_and_nothing_is_written() {
    let rows = vec![
        HEADER.iter().map(|h| tc(h)).collect(),
        vec![
            tc("1"),
            tc("智慧物流"),
            tc("浙江工贸职业技术学院"),
            tc("一般类"),
            tc("2万"),
            tc("陈碎雷"),
            tc("见官网"),
        ],
    ];
    let site = Site::new(&[]);
    let before = site.tree();
    let file = site.file("notice.docx", &notice_with(&rows).bytes());
    let o = site.import(&file, &[]);
    assert_eq!(code(&o), 1, "{}", en(&o));
    let err = stderr(&o);
    assert!(
        err.contains("notice.docx: 表1 第2行第7列：联系电话 \"见官网\" 不是电话号码：应为手机号"),
        "{err}"
    );
    assert!(
        err.contains("notice.docx 有 1 处无法读取：没有写入任何文件"),
        "{err}"
    );
    let o = site.import(&file, &["--lang", "en"]);
    assert!(
        stderr(&o).contains("1 place of ") && !stderr(&o).contains("1 places"),
        "{}",
        stderr(&o)
    );
    assert_eq!(site.tree(), before);
}

#[test]
fn a_date_not_on_the_calendar_is_named_by_its_paragraph() {
    let d = Docx::default()
        .p("测人社发〔2025〕3号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .p("学员不少于30人。")
        .p("杭州市人力资源和社会保障局")
        .p("2025年2月30日");
    let site = Site::new(&[]);
    let before = site.tree();
    let file = site.file("notice.docx", &d.bytes());
    let o = site.import(&file, &[]);
    assert_eq!(code(&o), 1, "{}", en(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "notice.docx: 第6段（“2025年2月30日”）：落款日期“2025年2月30日”不是日历上的日期"
        ),
        "{err}"
    );
    assert_eq!(site.tree(), before);
}

#[test]
fn an_unclear_city_asks_for_a_slug_and_an_existing_notice_needs_force() {
    let d = Docx::default()
        .p("人社部发〔2025〕1号")
        .p("关于高级研修项目的通知")
        .p("各省人力资源社会保障厅：")
        .p("学员不少于30人。")
        .p("人力资源和社会保障部")
        .p("2025年1月2日");
    let site = Site::new(&[]);
    let file = site.file("notice.docx", &d.bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 2, "{}", en(&o));
    assert!(stderr(&o).contains("--slug"), "{}", stderr(&o));

    // Into an existing notice's name: refused without --force, nothing written.
    let before = site.tree();
    let o = site.import(&file, &["--slug", "wenzhou-2020", "--lang", "en"]);
    assert_eq!(code(&o), 2, "{}", en(&o));
    assert!(stderr(&o).contains("add --force"), "{}", stderr(&o));
    assert_eq!(site.tree(), before);

    // --dry-run prints the notice and writes nothing.
    let o = site.import(
        &file,
        &["--slug", "mohrss-2025", "--dry-run", "--lang", "en"],
    );
    assert_eq!(code(&o), 0, "{}", en(&o));
    assert!(
        stdout(&o).contains("doc_number = \"人社部发〔2025〕1号\""),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("dry run: nothing written"));
    assert_eq!(site.tree(), before);

    // A --slug no notice may have is a usage error (exit 2), as the build would refuse it.
    for bad in ["Bad Slug", "Wenzhou-2025", "温州-2025", "a/b"] {
        let o = site.import(&file, &["--slug", bad, "--lang", "en"]);
        assert_eq!(code(&o), 2, "{bad}: {}", en(&o));
        assert!(
            stderr(&o).contains("expected lowercase letters, digits and -"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(site.tree(), before);

    let o = site.import(
        &file,
        &["--slug", "wenzhou-2020", "--force", "--lang", "en"],
    );
    assert_eq!(code(&o), 0, "{}", en(&o));
    assert_eq!(
        site.notice("wenzhou-2020").doc_number,
        "人社部发〔2025〕1号"
    );
}

#[test]
fn an_untouched_init_skeleton_is_replaced_and_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let site_dir = dir.path().join("site");
    let o = site_gen(&["init", site_dir.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let content = site_dir.join("content");
    let skeletons: Vec<_> = fs::read_dir(content.join("notices"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(skeletons.len(), 1);
    let file = dir.path().join("notice.docx");
    fs::write(&file, wenzhou_docx().bytes()).unwrap();
    let o = site_gen(&[
        "import",
        file.to_str().unwrap(),
        "--content",
        content.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    assert!(
        stdout(&o).contains("untouched notice skeleton: replaced by the imported notice"),
        "{}",
        stdout(&o)
    );
    assert!(!skeletons[0].exists());
    assert!(content.join("notices/wenzhou-2020.toml").exists());
}

#[test]
fn a_plan_table_docx_imports_into_a_list() {
    // A title row over the header and the first program.
    let mut rows = vec![vec![Tc {
        text: "市级项目名单".into(),
        span: 7,
        vmerge: None,
    }]];
    rows.extend(two_programs().into_iter().take(2));
    let d = Docx::default()
        .p("2020年度市级专业技术人员高级研修班项目名单")
        .table(&rows);
    let site = Site::new(&[]);
    let file = site.file("名单.docx", &d.bytes());
    let content = site.content();
    let o = site_gen(&[
        "import",
        file.to_str().unwrap(),
        "--notice",
        "wenzhou-2020",
        "--list",
        "municipal",
        "--content",
        content.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let n = site.notice("wenzhou-2020");
    let m = n.lists.iter().find(|l| l.id == "municipal").unwrap();
    assert_eq!(m.programs.len(), 1);
    assert_eq!(m.programs[0].contacts[0].phones, ["13505776231"]);
}

/// A plan list of two programs, header first.
fn two_programs() -> Vec<Vec<Tc>> {
    vec![
        HEADER.iter().map(|h| tc(h)).collect(),
        vec![
            tc("1"),
            tc("智慧物流"),
            tc("浙江工贸职业技术学院"),
            tc("一般类"),
            tc("2万"),
            tc("陈碎雷"),
            tc("13505776231"),
        ],
        vec![
            tc("2"),
            tc("公共交通"),
            tc("温州技师学院"),
            tc("重点类"),
            tc("3万"),
            tc("陈朝晖"),
            tc("0577-88888888"),
        ],
    ]
}

#[test]
fn a_single_attachment_headed_by_fujian_alone_gets_its_plan_table() {
    // GB/T 9704: one attachment is not numbered, in the list (`附件：标题`) nor over its
    // page (`附件`).
    let d = Docx::default()
        .p("杭人社发〔2025〕12号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .p("每期学员不少于30名。")
        .p("附件：2025年度市级高级研修班项目名单")
        .p("杭州市人力资源和社会保障局")
        .p("2025年4月18日")
        .p("（此件公开发布）")
        .p("附件")
        .p("2025年度市级高级研修班项目名单")
        .table(&two_programs());
    let site = Site::new(&[]);
    let file = site.file("notice.docx", &d.bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let out = stdout(&o);
    assert!(
        out.contains("附件1 2025年度市级高级研修班项目名单 → list municipal: 2 programs (table 1)"),
        "{out}"
    );
    assert!(!out.contains("no table of programs"), "{out}");
    let n = site.notice("hangzhou-2025");
    assert_eq!(n.lists.len(), 1, "one list, the attachment's");
    assert_eq!(n.lists[0].id, "municipal");
    assert_eq!(n.lists[0].title, "2025年度市级高级研修班项目名单");
    assert_eq!(n.lists[0].programs.len(), 2);
    assert_eq!(n.publication.as_deref(), Some("此件公开发布"));
    // The attachment's page is not read into the body.
    let body = fs::read_to_string(site.content().join("notices/hangzhou-2025.md")).unwrap();
    assert_eq!(body, "各有关单位：\n\n每期学员不少于30名。\n");
}

/// A short notice of two attachments signed by `signature` (its paragraphs), dated
/// 2025年3月1日.
fn signed_by(signature: &[&str]) -> Docx {
    let mut d = Docx::default()
        .p("温人社发〔2025〕3号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .p("每期学员不少于30名。")
        .p("附件：1．2025年度市级高级研修班项目名单")
        .p("2．市级高研班质量评估表（学员填报）");
    for s in signature {
        d = d.p(s);
    }
    d.p("2025年3月1日")
        .p("附件1")
        .p("2025年度市级高级研修班项目名单")
        .table(&two_programs())
}

#[test]
fn a_joint_signature_gives_both_issuers_and_leaves_the_last_attachment_title() {
    let joint = "温州市人力资源和社会保障局、温州市财政局";
    for (how, signature) in [
        (
            "a paragraph each",
            vec!["温州市人力资源和社会保障局", "温州市财政局"],
        ),
        (
            "a line each in one paragraph",
            vec!["温州市人力资源和社会保障局\n温州市财政局"],
        ),
        (
            "on one line apart by spaces",
            vec!["温州市人力资源和社会保障局　　温州市财政局"],
        ),
    ] {
        let site = Site::new(&[]);
        let file = site.file("notice.docx", &signed_by(&signature).bytes());
        let o = site.import(&file, &["--lang", "en"]);
        assert_eq!(code(&o), 0, "{how}: {}", en(&o));
        let out = stdout(&o);
        assert!(
            out.contains("附件2 市级高研班质量评估表（学员填报） → form wenzhou-survey"),
            "{how}: {out}"
        );
        // The lead body names the notice.
        let n = site.notice("wenzhou-2025");
        assert_eq!(n.issuer, joint, "{how}");
        assert_eq!(n.region, "温州市", "{how}");
        assert_eq!(n.attachments.len(), 2, "{how}");
        let body = fs::read_to_string(site.content().join("notices/wenzhou-2025.md")).unwrap();
        assert_eq!(body, "各有关单位：\n\n每期学员不少于30名。\n", "{how}");
        let c = crate::support::check(&site.content());
        assert_eq!(code(&c), 0, "{how}: {}", stderr(&c));
    }
    // One body over the date, as before.
    let site = Site::new(&[]);
    let file = site.file("notice.docx", &signed_by(&["温州市财政局"]).bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    assert_eq!(site.notice("wenzhou-2025").issuer, "温州市财政局");
}

#[test]
fn a_date_in_numbers_or_full_width_digits_below_the_issuer_is_read() {
    for date in [
        "２０２０年５月９日",
        "2020.5.9",
        "2020.05.09",
        "2020/5/9",
        "2020-05-09",
        "２０２０．５．９",
    ] {
        let d = Docx::default()
            .p("测人社发〔2025〕3号")
            .p("关于公布2025年度高级研修班计划的通知")
            .p("各有关单位：")
            .p("学员不少于30人。")
            .p("杭州市人力资源和社会保障局")
            .p(date);
        let site = Site::new(&[]);
        let file = site.file("notice.docx", &d.bytes());
        let o = site.import(&file, &["--lang", "en"]);
        assert_eq!(code(&o), 0, "{date}: {}", en(&o));
        let n = site.notice("hangzhou-2020");
        assert_eq!(n.date.to_string(), "2020-05-09", "{date}");
        assert_eq!(n.issuer, "杭州市人力资源和社会保障局", "{date}");
    }
}

#[test]
fn a_date_in_numbers_in_the_body_is_not_taken_for_the_date_of_the_signature() {
    // A line of the body holding only a date in numbers (below a label, not an issuer).
    let d = Docx::default()
        .p("测人社发〔2025〕3号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .p("学员不少于30人。报名截止日期为")
        .p("2025.4.30")
        .p("杭州市人力资源和社会保障局")
        .p("2025年3月9日");
    let site = Site::new(&[]);
    let file = site.file("notice.docx", &d.bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 0, "{}", en(&o));
    let n = site.notice("hangzhou-2025");
    assert_eq!(n.date.to_string(), "2025-03-09");
    assert_eq!(n.issuer, "杭州市人力资源和社会保障局");
    let body = fs::read_to_string(site.content().join("notices/hangzhou-2025.md")).unwrap();
    // Kept in the body (its `.` escaped, lest Markdown read a numbered list).
    assert!(body.contains("2025\\.4.30"), "{body}");

    // Without the issuer above it, a date in numbers is no 落款.
    let d = Docx::default()
        .p("测人社发〔2025〕3号")
        .p("关于公布2025年度高级研修班计划的通知")
        .p("各有关单位：")
        .p("学员不少于30人。报名截止日期为")
        .p("2025.4.30");
    let before = site.tree();
    let file = site.file("unsigned.docx", &d.bytes());
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 1, "{}", en(&o));
    assert!(stderr(&o).contains("no 落款 found"), "{}", en(&o));
    assert_eq!(site.tree(), before);
}

#[test]
fn a_doc_number_in_full_width_digits_is_read_with_ascii_digits() {
    for written in [
        "温人社发〔２０２０〕７７号",
        "温人社发（２０２０）７７号",
        "温人社发〔2020〕７７号",
    ] {
        let d = Docx::default()
            .p(written)
            .p("关于公布2020年度高级研修班计划的通知")
            .p("各有关单位：")
            .p("学员不少于30人。")
            .p("温州市人力资源和社会保障局")
            .p("2020年7月21日");
        let site = Site::new(&["wenzhou-2020"]);
        let file = site.file("notice.docx", &d.bytes());
        let o = site.import(&file, &["--lang", "en"]);
        assert_eq!(code(&o), 0, "{written}: {}", en(&o));
        assert_eq!(
            site.notice("wenzhou-2020").doc_number,
            "温人社发〔2020〕77号",
            "{written}"
        );
    }
}

#[test]
fn errors_the_content_had_before_the_import_are_not_blamed_on_the_document() {
    let site = Site::new(&[]);
    let wz = site.content().join("notices/wenzhou-2020.toml");
    let text = fs::read_to_string(&wz).unwrap();
    fs::write(&wz, text.replace("date = 2020-07-21", "date = 2020/7/21")).unwrap();
    let before = site.tree();
    let file = site.file("notice.docx", &notice_with(&two_programs()).bytes());

    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 1, "{}", en(&o));
    let err = stderr(&o);
    assert!(err.contains("wenzhou-2020.toml:4:"), "{err}");
    assert!(
        err.contains(&format!(
            "the content already had the errors above before this import (in {}), not from {}: correct them and import again; nothing written",
            wz.display(),
            file.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains("would make the content above invalid"),
        "{err}"
    );
    assert_eq!(site.tree(), before);

    // In the site's language, from the catalogue.
    let o = site.import(&file, &[]);
    assert_eq!(code(&o), 1, "{}", en(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "上面的错误在导入之前就已经在内容里了（{}），不是 {} 造成的：请先改正它们，再导入。没有写入任何文件。",
            wz.display(),
            file.display()
        )),
        "{err}"
    );
    assert!(!err.contains("会使上面的内容出错"), "{err}");
    assert_eq!(site.tree(), before);

    // A notice that brings an error of its own (an issuer beyond its 100 characters) is
    // blamed for that one only.
    let long = ["温州市人力资源和社会保障局", "温州市财政局", "温州市教育局"]
        .map(|b| format!("{}{b}", "某".repeat(25)));
    let file = site.file(
        "joint.docx",
        &signed_by(&long.iter().map(String::as_str).collect::<Vec<_>>()).bytes(),
    );
    let o = site.import(&file, &["--slug", "joint-2025", "--lang", "en"]);
    assert_eq!(code(&o), 1, "{}", en(&o));
    let err = stderr(&o);
    let (had, brought) = err
        .split_once(&format!(
            "the content already had the errors above before this import (in {}), not from {}\n",
            wz.display(),
            file.display()
        ))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(had.contains("wenzhou-2020.toml:4:"), "{err}");
    assert!(!had.contains("joint-2025.toml"), "{err}");
    assert!(brought.contains("joint-2025.toml:4:"), "{err}");
    assert!(!brought.contains("wenzhou-2020.toml"), "{err}");
    assert!(
        brought.contains(&format!(
            "the notice read from {} would make the content above invalid: nothing written",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(site.tree(), before);
}

// ---------------------------------------------------------------- bad files

fn refused(name: &str, bytes: &[u8], expect: &str) {
    let site = Site::new(&[]);
    let before = site.tree();
    let file = site.file(name, bytes);
    let o = site.import(&file, &["--lang", "en"]);
    assert_eq!(code(&o), 1, "{name}: {}", en(&o));
    let err = stderr(&o);
    assert!(err.contains(expect), "{name}: {err}");
    assert!(
        err.contains(&format!("{}: ", file.display())),
        "{name}: {err}"
    );
    assert_eq!(site.tree(), before, "{name}: nothing written");
}

#[test]
fn doc_wps_pdf_encrypted_and_broken_files_are_refused() {
    let ole = |extra: &[u8]| {
        let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        b.extend(std::iter::repeat_n(0u8, 504));
        b.extend_from_slice(extra);
        b
    };
    let save = "save as type \"Word Document (*.docx)\"";
    refused("old.doc", &ole(b""), "Word 97-2003 document (.doc)");
    refused("old.doc", &ole(b""), save);
    refused("notice.wps", &ole(b""), "WPS Writer document (.wps)");
    refused("notice.pdf", b"%PDF-1.7\n%\xe2\xe3", "this is a PDF file");
    let enc: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    refused("secret.docx", &ole(&enc), "protected by a password");
    refused("page.docx", b"<html><body>x</body></html>", "web page");
    refused("notes.docx", b"just text", "not a .docx document");
    let whole = wenzhou_docx().bytes();
    refused(
        "cut.docx",
        &whole[..whole.len() / 2],
        "cannot be read as a .docx",
    );
    // A zip whose parts are encrypted (the flag of the central directory's entries).
    let mut z = wenzhou_docx().bytes();
    let mut i = 0;
    while let Some(at) = z[i..].windows(4).position(|w| w == b"PK\x01\x02") {
        z[i + at + 8] |= 1;
        i += at + 4;
    }
    refused("zipcrypto.docx", &z, "protected by a password");
    let xlsx = package(&[("xl/workbook.xml", "<workbook/>".into())]);
    refused("sheet.docx", &xlsx, "this is a spreadsheet");
}

#[test]
fn a_document_unpacking_beyond_the_limit_is_refused_before_it_is_read() {
    let site = Site::new(&[]);
    let before = site.tree();
    // 2 MB of one paragraph's text: a few KB packed.
    let big = Docx::default().p(&"字".repeat(700_000)).bytes();
    assert!(big.len() < 100_000);
    let file = site.file("big.docx", &big);
    let o = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args([
            "import",
            file.to_str().unwrap(),
            "--content",
            site.content().to_str().unwrap(),
            "--lang",
            "en",
        ])
        .env("SITE_GEN_TEST_SHEET_LIMITS", "unpacked=1000000")
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", en(&o));
    assert!(
        stderr(&o).contains("unpacks to more than"),
        "{}",
        stderr(&o)
    );
    assert_eq!(site.tree(), before);
}

#[test]
fn a_table_beyond_the_cell_limit_is_refused_naming_it() {
    let rows: Vec<Vec<Tc>> = (0..30)
        .map(|_| (0..10).map(|_| tc("x")).collect())
        .collect();
    let site = Site::new(&[]);
    let file = site.file("wide.docx", &notice_with(&rows).bytes());
    let o = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args([
            "import",
            file.to_str().unwrap(),
            "--content",
            site.content().to_str().unwrap(),
            "--lang",
            "en",
        ])
        .env("SITE_GEN_TEST_SHEET_LIMITS", "cells=100")
        .output()
        .unwrap();
    assert_eq!(code(&o), 1, "{}", en(&o));
    assert!(stderr(&o).contains("table 1: a value at"), "{}", stderr(&o));
}

// ---------------------------------------------------------------- never a panic

mod never_panics {
    use super::*;
    use proptest::prelude::*;
    use site_gen::import::docx::{notice, read_package, xml};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_text_and_cells(
            paras in proptest::collection::vec("\\PC{0,40}", 0..12),
            cells in proptest::collection::vec(proptest::collection::vec("\\PC{0,12}", 1..8), 0..6),
            span in 1usize..4,
            merge in proptest::option::of(any::<bool>()),
        ) {
            let mut d = Docx::default();
            for p in &paras {
                d = d.p(p);
            }
            let mut rows: Vec<Vec<Tc>> = vec![HEADER.iter().map(|h| tc(h)).collect()];
            for r in &cells {
                rows.push(r.iter().map(|c| Tc { text: c.clone(), span, vmerge: merge }).collect());
            }
            d = d.table(&rows);
            for p in &paras {
                d = d.p(p);
            }
            let bytes = d.bytes();
            if let Ok(body) = read_package(&bytes, Path::new("x.docx"), &wasm_forms::limits::SHEET) {
                let _ = notice::read(&body, "x.docx");
                let _ = notice::plan_tables(&body, "x.docx");
            }
            // The XML itself, cut anywhere.
            let x = d.document_xml();
            let cut = x.char_indices().nth(x.chars().count() / 2).map_or(0, |(i, _)| i);
            let _ = xml::read(&x[..cut], &wasm_forms::limits::SHEET);
        }
    }
}

/// Writes the seed notices' .docx files into `$SITE_GEN_DOCX_OUT` (to open them in Word
/// or WPS, or to import them by hand): `cargo test -p site-gen --test site
/// write_seed_docx_files -- --ignored`.
#[test]
#[ignore]
fn write_seed_docx_files() {
    let dir = PathBuf::from(std::env::var("SITE_GEN_DOCX_OUT").unwrap());
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("温人社发〔2020〕77号.docx"),
        wenzhou_docx().bytes(),
    )
    .unwrap();
    fs::write(
        dir.join("鲁人社函〔2024〕80号.docx"),
        shandong_docx().bytes(),
    )
    .unwrap();
}
