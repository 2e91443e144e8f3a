//! `site-gen import` end to end: the Wenzhou lists typed into spreadsheets the way an
//! office keeps them (title rows, merged cells, phones stored as numbers, `3万`, two
//! contacts in one cell, footnotes) give the same site facts as the hand-written TOML;
//! every quirk has its fixture; an unreadable cell is reported and nothing is written.

use crate::support::{copy_dir, english_left, site_gen, text};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use rust_xlsxwriter::{Format, Workbook};
use site_gen::content::{self, model};

/// The repository's `content/` copied into a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
            &dir.path().join("content"),
        );
        Site { dir }
    }
    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }
    fn notice_path(&self) -> PathBuf {
        self.content().join("notices/wenzhou-2020.toml")
    }
    fn notice(&self) -> String {
        fs::read_to_string(self.notice_path()).unwrap()
    }
    /// Writes a spreadsheet file beside the content folder; returns its path.
    fn sheet_file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        fs::write(&p, bytes).unwrap();
        p
    }
    fn import(&self, file: &Path, list: &str, extra: &[&str]) -> Output {
        let content = self.content();
        let mut args = vec![
            "import",
            file.to_str().unwrap(),
            "--notice",
            "wenzhou-2020",
            "--list",
            list,
            "--content",
            content.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        site_gen(&args)
    }
    /// Removes every program of the notice's list `id` (each list ends where the next
    /// `[[lists]]` begins, or at the end of the file).
    fn clear_list(&self, id: &str) {
        let t = self.notice();
        let head = t.find(&format!("id = \"{id}\"")).unwrap();
        let first = head + t[head..].find("[[lists.programs]]").unwrap();
        let end = t[first..]
            .find("\n# 附件2")
            .filter(|_| id == "provincial")
            .map_or(t.len(), |e| first + e + 1);
        // As a clerk leaves an empty list: its title line, then the next list or the end.
        let cut = format!("{}{}", &t[..first - 1], &t[end..]);
        fs::write(self.notice_path(), cut).unwrap();
    }
    fn list(&self, id: &str) -> model::PlanList {
        list_of(&self.content(), id)
    }
}

fn list_of(content_dir: &Path, id: &str) -> model::PlanList {
    let raw = content::load(content_dir).unwrap();
    let site = content::validate(&raw).unwrap_or_else(|d| panic!("{d}"));
    site.notices
        .iter()
        .find(|n| n.slug == "wenzhou-2020")
        .unwrap()
        .lists
        .iter()
        .find(|l| l.id == id)
        .unwrap()
        .clone()
}

fn real_list(id: &str) -> model::PlanList {
    list_of(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
        id,
    )
}

/// 附件2 of the Wenzhou seed, row by row: 高研班名称, 举办单位, 资助类型, 资助金额,
/// 联系人, 联系电话.
const MUNICIPAL: [[&str; 6]; 10] = [
    [
        "低压电器及其物联网技术应用",
        "温州大学技术与管理人才培训中心",
        "重点类",
        "3万",
        "钱素珍",
        "13567739185",
    ],
    [
        "基于工业物联网的智能制造系统",
        "温州市工业科学研究院",
        "重点类",
        "3万",
        "顾雪萍",
        "13587661970",
    ],
    [
        "增材制造（3D打印）技术",
        "华中科技大学温州先进制造技术研究院",
        "重点类",
        "3万",
        "吴坚",
        "15372830668",
    ],
    [
        "电力物联网背景下的用户端电器发展趋势",
        "温州大学技术与管理人才培训中心",
        "一般类",
        "2万",
        "钱素珍",
        "13567739185",
    ],
    [
        "浙南产业集聚区高端装备制造业基地工业互联网关键技术应用研究",
        "浙江东方职业技术学院",
        "一般类",
        "2万",
        "杨婵婵",
        "13868617790",
    ],
    [
        "智慧供应链与智能管理产业发展创新模式研究",
        "浙江东方职业技术学院",
        "一般类",
        "2万",
        "杨婵婵",
        "13868617790",
    ],
    [
        "温州市智慧物流",
        "浙江工贸职业技术学院",
        "一般类",
        "2万",
        "陈碎雷",
        "13505776231",
    ],
    [
        "从公共交通看温州的经济发展",
        "温州技师学院",
        "一般类",
        "2万",
        "陈朝晖",
        "13395773516",
    ],
    [
        "高延性与超高性能混凝土",
        "温州市建筑材料行业协会",
        "一般类",
        "2万",
        "陈艳",
        "15088585989",
    ],
    [
        "塑料改性与加工高性能化技术",
        "温州市塑料行业协会",
        "一般类",
        "2万",
        "宋若梅",
        "13868405587",
    ],
];

/// The municipal list as an office keeps it: a merged title row, an empty row, the
/// seed's header, phones as numbers, the shared organizer and contact of rows 5-6 in
/// merged cells, a blank row in the middle and a footnote below.
fn municipal_xlsx() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("附件2").unwrap();
    let plain = Format::new();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "2020年度市级专业技术人员高级研修班项目名单",
        &plain,
    )
    .unwrap();
    for (c, h) in [
        "序号",
        "高研班名称",
        "举办单位",
        "资助类型",
        "资助金额",
        "联系人",
        "联系电话",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let mut r = 3u32;
    for (i, row) in MUNICIPAL.iter().enumerate() {
        if i == 7 {
            r += 1; // a blank row
        }
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, row[0]).unwrap();
        if i == 5 {
            // rows 5 and 6 share organizer, contact and phone in merged cells
        } else {
            ws.write_string(r, 2, row[1]).unwrap();
            ws.write_string(r, 5, row[4]).unwrap();
            ws.write_number(r, 6, row[5].parse::<f64>().unwrap())
                .unwrap();
        }
        ws.write_string(r, 3, row[2]).unwrap();
        ws.write_string(r, 4, row[3]).unwrap();
        if i == 4 {
            ws.merge_range(r, 2, r + 1, 2, row[1], &plain).unwrap();
            ws.merge_range(r, 5, r + 1, 5, row[4], &plain).unwrap();
            ws.merge_range(r, 6, r + 1, 6, "", &plain).unwrap();
            ws.write_number(r, 6, row[5].parse::<f64>().unwrap())
                .unwrap();
        }
        r += 1;
    }
    ws.merge_range(r + 1, 0, r + 1, 6, "注：资助金额单位为万元。", &plain)
        .unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_wenzhou_municipal_list_from_xlsx_gives_the_same_site_facts_and_the_same_file() {
    let site = Site::new();
    let original = site.notice();
    site.clear_list("municipal");
    assert!(site.list("municipal").programs.is_empty());
    let file = site.sheet_file("市级高研班.xlsx", &municipal_xlsx());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.starts_with("wenzhou-2020 list municipal: 10 programs from "),
        "{out}"
    );
    assert!(out.contains("sheet 附件2, header row 3"), "{out}");
    assert!(
        out.contains("row 16 skipped"),
        "the footnote is noted: {out}"
    );
    assert!(
        out.ends_with("(0 unchanged, 0 changed, 10 added, 0 removed)\n"),
        "{out}"
    );
    assert_eq!(site.list("municipal"), real_list("municipal"));
    // The hand-written file comes back byte for byte: the provincial list, the rules,
    // the comments and the municipal programs in the same layout.
    assert_eq!(site.notice(), original);
}

#[test]
fn importing_the_same_sheet_again_changes_nothing() {
    let site = Site::new();
    let before = site.notice();
    let file = site.sheet_file("m.xlsx", &municipal_xlsx());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("already holds this list: nothing to write"));
    assert_eq!(site.notice(), before);
}

/// 附件1 of the Wenzhou seed: the first row's two contacts in one cell (a line break
/// between them) and two numbers in one cell; the 温州市机电技术协会 rows 4-8 sharing one
/// merged organizer cell and one merged phone cell; empty 专业类别 cells; the header
/// in another order than the seed's.
fn provincial_xlsx() -> Vec<u8> {
    let rows: [[&str; 6]; 11] = [
        [
            "高端轻工装备与智能制造协同创新",
            "温州市工业科学研究院",
            "战略新兴产业、高端装备制造类",
            "顾雪萍\n\n姜扬丰",
            "88526559 88505434",
            "一般类资助",
        ],
        [
            "智能锁具产业新技术",
            "温州大学技术与管理人才培训中心",
            "数字经济",
            "钱素珍",
            "88368177",
            "自筹",
        ],
        [
            "高端印刷包装装备制造技术及应用",
            "温州大学平阳智能制造研究院",
            "战略新兴产业、高端装备制造类",
            "袁芳芳",
            "58111085",
            "自筹",
        ],
        [
            "新能源与智能网联汽车技术提升",
            "温州市机电技术协会",
            "",
            "陈 强",
            "88879706",
            "自筹",
        ],
        ["模具制造过程智能化技术应用", "", "", "陈 强", "", "自筹"],
        [
            "新材料概论及新型高强铝合金在汽配中的应用",
            "",
            "",
            "陈 强",
            "",
            "自筹",
        ],
        [
            "印刷包装装备数字化智能化技术提升",
            "",
            "",
            "陈 强",
            "",
            "自筹",
        ],
        [
            "疫情困局下的温州制造产业转型升级",
            "",
            "其他",
            "林贤行",
            "",
            "自筹",
        ],
        [
            "新型冠状病毒肺炎HRCT表现及演变经验交流会",
            "乐清市人民医院",
            "疫情防控与科研、公共卫生类",
            "郑汉朋",
            "62061960",
            "自筹",
        ],
        [
            "乐清市“新冠肺炎”医务人员职业安全防护经验交流会",
            "乐清市人民医院",
            "",
            "谢多希",
            "62061290",
            "自筹",
        ],
        [
            "新型冠状病毒肺炎诊疗的回顾与复盘",
            "乐清市人民医院",
            "",
            "赵晖",
            "62061780",
            "自筹",
        ],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("附件1").unwrap();
    ws.write_string(0, 0, "附件1").unwrap();
    ws.write_string(1, 0, "2020年度省级专业技术人员高级研修班")
        .unwrap();
    ws.write_string(2, 0, "项目名单").unwrap();
    // Header: 经费形式 first, spaces inside two names, 序号 last.
    let header = [
        "经费形式",
        "高研班名称",
        "举 办 单 位",
        "专业类别",
        "联系人",
        "联系\n电话",
        "序号",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    let plain = Format::new();
    for (i, row) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_string(r, 0, row[5]).unwrap();
        ws.write_string(r, 1, row[0]).unwrap();
        if !row[1].is_empty() {
            ws.write_string(r, 2, row[1]).unwrap();
        }
        if !row[2].is_empty() {
            ws.write_string(r, 3, row[2]).unwrap();
        }
        ws.write_string(r, 4, row[3]).unwrap();
        if !row[4].is_empty() {
            match row[4].parse::<f64>() {
                Ok(n) => ws.write_number(r, 5, n).unwrap(),
                Err(_) => ws.write_string(r, 5, row[4]).unwrap(),
            };
        }
        ws.write_number(r, 6, (i + 1) as f64).unwrap();
    }
    // Rows 4-8 of the list (sheet rows 8-12): one organizer and one phone cell.
    ws.merge_range(7, 2, 11, 2, "温州市机电技术协会", &plain)
        .unwrap();
    ws.merge_range(7, 5, 11, 5, "", &plain).unwrap();
    ws.write_number(7, 5, 88879706.0).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn the_provincial_list_pairs_two_contacts_in_order_and_says_it_is_a_guess() {
    let site = Site::new();
    site.clear_list("provincial");
    let file = site.sheet_file("省级.xlsx", &provincial_xlsx());
    let o = site.import(&file, "provincial", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("note: ")
            && out.contains(
                "省级.xlsx:附件1!F5: 2 contacts and 2 numbers in one row: paired in order, a guess"
            ),
        "{out}"
    );
    assert_eq!(site.list("provincial"), real_list("provincial"));
    let toml = site.notice();
    assert!(
        toml.contains("# import: E5 顾雪萍、姜扬丰 and F5 88526559 88505434: 2 contacts and 2 numbers in one row: paired in order"),
        "{toml}"
    );
    // The municipal list and everything after the provincial list is untouched.
    let real = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/notices/wenzhou-2020.toml"),
    )
    .unwrap();
    let tail = &real[real.find("# 附件2").unwrap()..];
    assert!(toml.ends_with(tail));
    assert_eq!(site.list("municipal"), real_list("municipal"));
}

/// The municipal list as CSV text, columns in another order than the seed's.
fn municipal_csv() -> String {
    let mut s = String::from("2020年度市级专业技术人员高级研修班项目名单\r\n联系电话,联系人,高研班名称,举办单位,资助金额,资助类型,序号\r\n");
    for (i, r) in MUNICIPAL.iter().enumerate() {
        s.push_str(&format!(
            "{},{},{},{},{},{},{}\r\n",
            r[5],
            r[4],
            r[0],
            r[1],
            r[3],
            r[2],
            i + 1
        ));
    }
    s
}

#[test]
fn a_gbk_csv_and_a_utf16_text_file_give_the_same_list() {
    let gbk = encoding_rs::GBK.encode(&municipal_csv()).0.into_owned();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in municipal_csv().replace(',', "\t").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    for (name, bytes, charset) in [
        ("市级.csv", gbk, "GBK/GB18030"),
        ("市级.txt", utf16, "UTF-16LE"),
    ] {
        let site = Site::new();
        site.clear_list("municipal");
        let file = site.sheet_file(name, &bytes);
        let o = site.import(&file, "municipal", &[]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        assert!(
            out.contains(&format!("(read as {charset}), sheet 市级, header row 2")),
            "{out}"
        );
        assert_eq!(site.list("municipal"), real_list("municipal"), "{name}");
    }
}

#[test]
fn dry_run_shows_the_changes_and_writes_nothing() {
    let site = Site::new();
    let before = site.notice();
    let csv = municipal_csv()
        .replace("温州技师学院", "温州技师学院（东校区）")
        .replace("宋若梅,塑料改性与加工高性能化技术", "宋若梅,塑料改性技术");
    let file = site.sheet_file("m.csv", csv.as_bytes());
    let o = site.import(&file, "municipal", &["--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("  changed   8 从公共交通看温州的经济发展 (organizer)\n"),
        "{out}"
    );
    assert!(out.contains("  added    10 塑料改性技术\n"), "{out}");
    assert!(
        out.contains("  removed     塑料改性与加工高性能化技术 (not in the sheet)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("not written (8 unchanged, 1 changed, 1 added, 1 removed)\n"),
        "{out}"
    );
    assert_eq!(site.notice(), before);
}

#[test]
fn unreadable_cells_are_each_reported_and_nothing_is_written() {
    let site = Site::new();
    let before = site.notice();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("附件2").unwrap();
    for (c, h) in [
        "序号",
        "高研班名称",
        "举办单位",
        "资助类型",
        "资助金额",
        "联系人",
        "联系电话",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let good = MUNICIPAL[0];
    ws.write_string(1, 1, good[0]).unwrap();
    ws.write_string(1, 2, good[1]).unwrap();
    ws.write_string(1, 4, "三万").unwrap();
    ws.write_string(1, 5, good[4]).unwrap();
    ws.write_number(1, 6, 1356773918.0).unwrap();
    ws.write_string(2, 1, MUNICIPAL[1][0]).unwrap();
    ws.write_string(2, 5, "顾雪萍").unwrap();
    ws.write_string(2, 6, "13587661970").unwrap();
    let file = site.sheet_file("坏.xlsx", &wb.save_to_buffer().unwrap());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    let shown = file.display().to_string();
    let expected = format!(
        "{shown}:附件2!E2: 资助金额 holds \"三万\": expected an amount in 万元 such as 3万, 2.5万元 or 3\n\
         {shown}:附件2!G2: 联系电话 holds the number 1356773918, which is not a phone number (a number cell drops a leading 0; format the column as text): expected phone numbers: mobiles (11 digits starting 13-19) or landlines (such as 88879706 or 0577-88888888), several separated by spaces, commas, 、 or /\n\
         {shown}:附件2!C3: 举办单位 is empty: expected the program's 举办单位 (every row with a program needs it)\n\
         3 cells of {shown} could not be read: nothing written\n"
    );
    assert_eq!(err, expected);
    assert_eq!(text(&o.stdout), "");
    assert_eq!(site.notice(), before);
}

#[test]
fn csv_cells_are_named_by_the_files_line_below_a_multi_line_cell_and_all_reported() {
    let site = Site::new();
    let before = site.notice();
    let m = MUNICIPAL;
    // Line 1 a title, line 2 the header, the first program's name on lines 3–4, an
    // unreadable amount on line 5, an empty organizer on line 6.
    let csv = format!(
        "2020年度市级专业技术人员高级研修班项目名单\r\n序号,高研班名称,举办单位,资助金额,联系人,联系电话\r\n\
         1,\"{}\r\n（第一期）\",{},{},{},{}\r\n\
         2,{},{},三万,{},{}\r\n\
         3,{},,{},{},{}\r\n",
        m[0][0], m[0][1], m[0][3], m[0][4], m[0][5],
        m[1][0], m[1][1], m[1][4], m[1][5],
        m[2][0], m[2][3], m[2][4], m[2][5],
    );
    let file = site.sheet_file("坏.csv", csv.as_bytes());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let shown = file.display().to_string();
    assert!(
        err.contains(&format!(
            "{shown}: line 5, column D: 资助金额 holds \"三万\""
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{shown}: line 6, column C: 举办单位 is empty")),
        "{err}"
    );
    assert!(
        err.contains(&format!("2 cells of {shown} could not be read")),
        "{err}"
    );
    assert_eq!(site.notice(), before);
}

#[test]
fn errors_the_content_had_before_the_import_are_not_blamed_on_the_spreadsheet() {
    let site = Site::new();
    let sd = site.content().join("notices/shandong-2024.toml");
    let t = fs::read_to_string(&sd).unwrap();
    fs::write(&sd, t.replace("date = 2024-07-03", "date = 2024/7/3")).unwrap();
    let before = site.notice();
    // A sheet that changes the list, so that there would be something to write.
    let csv = municipal_csv().replace("温州技师学院", "温州技师学院（东校区）");
    let file = site.sheet_file("m.csv", csv.as_bytes());
    let shown = file.display();

    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("shandong-2024.toml:4:"), "{err}");
    assert!(
        err.ends_with(&format!(
            "the content already had the errors above before this import (in {}), not from {shown}: correct them and import again; nothing written\n",
            sd.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains("would make the content above invalid"),
        "{err}"
    );
    assert_eq!(text(&o.stdout), "");
    assert_eq!(site.notice(), before);

    // In the site's language, from the catalogue.
    let o = site.import(&file, "municipal", &["--lang", "zh-CN"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "上面的错误在导入之前就已经在内容里了（{}），不是 {shown} 造成的：请先改正它们，再导入。没有写入任何文件。",
            sd.display()
        )),
        "{err}"
    );
    assert!(!err.contains("会使上面的内容出错"), "{err}");
    assert_eq!(site.notice(), before);

    // A sheet that brings an error of its own (a program named as one of the provincial
    // list) is blamed for that one only.
    let csv = municipal_csv().replace(
        "低压电器及其物联网技术应用",
        "高端轻工装备与智能制造协同创新",
    );
    let file = site.sheet_file("dup.csv", csv.as_bytes());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let (had, brought) = err
        .split_once(&format!(
            "the content already had the errors above before this import (in {}), not from {}\n",
            sd.display(),
            file.display()
        ))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(had.contains("shandong-2024.toml:4:"), "{err}");
    assert!(!had.contains("wenzhou-2020.toml"), "{err}");
    assert!(brought.contains("wenzhou-2020.toml:"), "{err}");
    assert!(
        brought.contains("duplicate program name `高端轻工装备与智能制造协同创新`"),
        "{err}"
    );
    assert!(!brought.contains("shandong-2024.toml"), "{err}");
    assert!(
        brought.ends_with(&format!(
            "the list read from {} would make the content above invalid: nothing written\n",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(site.notice(), before);
}

#[test]
fn an_error_the_notice_had_below_the_list_is_not_blamed_on_the_spreadsheet() {
    // The provincial list comes first: importing it moves the municipal list's rules
    // down by the new programs' lines. The error there is shown where it is in the file.
    let site = Site::new();
    site.clear_list("provincial");
    let t = site.notice();
    fs::write(
        site.notice_path(),
        t.replace("min_trainees = 30", "min_trainee = 30"),
    )
    .unwrap();
    let before = site.notice();
    let line = before
        .lines()
        .position(|l| l == "min_trainee = 30")
        .unwrap()
        + 1;
    let file = site.sheet_file("省级.xlsx", &provincial_xlsx());
    let o = site.import(&file, "provincial", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let place = format!(
        "{}:{line}:1: unknown field `min_trainee`",
        site.notice_path().display()
    );
    assert!(err.starts_with(&place), "{place}\n{err}");
    assert!(
        err.ends_with(&format!(
            "the content already had the errors above before this import (in {}), not from {}: correct them and import again; nothing written\n",
            site.notice_path().display(),
            file.display()
        )),
        "{err}"
    );
    assert!(
        !err.contains("would make the content above invalid"),
        "{err}"
    );
    assert_eq!(site.notice(), before);
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let site = Site::new();
    let before = site.notice();
    let file = site.sheet_file("m.xlsx", &municipal_xlsx());
    let o = site.import(&file, "county", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains(
            "notice `wenzhou-2020` has no list `county` (its lists: provincial, municipal)"
        ),
        "{}",
        text(&o.stderr)
    );
    // A .docx is read for its plan table (tests in docx.rs); one that is not a Word
    // document is refused as unreadable, with the way to save one.
    let doc = site.sheet_file("m.docx", b"x");
    let o = site.import(&doc, "municipal", &["--lang", "en"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("this is not a .docx document"),
        "{}",
        text(&o.stderr)
    );
    let missing = site.dir.path().join("missing.xlsx");
    assert_eq!(
        site.import(&missing, "municipal", &[]).status.code(),
        Some(2)
    );
    let o = site.import(&file, "municipal", &["--sheet", "附件9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("has no sheet `附件9` (its sheets: 附件2)"));
    assert_eq!(site_gen(&["import"]).status.code(), Some(2));
    // Not a workbook at all.
    let junk = site.sheet_file("junk.xlsx", b"PK\x03\x04 not really");
    let o = site.import(&junk, "municipal", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("not a readable .xlsx workbook"));
    assert_eq!(site.notice(), before);
}

#[test]
fn a_workbook_with_both_lists_needs_sheet() {
    let site = Site::new();
    site.clear_list("municipal");
    let mut wb = Workbook::new();
    // Two sheets with headers: the command asks which.
    let ws = wb.add_worksheet();
    ws.set_name("附件1").unwrap();
    ws.write_string(0, 0, "高研班名称").unwrap();
    ws.write_string(0, 1, "举办单位").unwrap();
    ws.write_string(1, 0, "a").unwrap();
    ws.write_string(1, 1, "b").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("附件2").unwrap();
    ws.write_string(0, 0, "高研班名称").unwrap();
    ws.write_string(0, 1, "举办单位").unwrap();
    for (i, r) in MUNICIPAL.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, r[0]).unwrap();
        ws.write_string(1 + i as u32, 1, r[1]).unwrap();
    }
    let file = site.sheet_file("both.xlsx", &wb.save_to_buffer().unwrap());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains(
        "has a plan list on each of the sheets 附件1, 附件2: choose one with --sheet NAME"
    ));
    let o = site.import(&file, "municipal", &["--sheet", "附件2"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let names: Vec<String> = site
        .list("municipal")
        .programs
        .iter()
        .map(|p| p.name.clone())
        .collect();
    assert_eq!(
        names,
        MUNICIPAL
            .iter()
            .map(|r| r[0].to_string())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_sheet_without_the_header_names_says_what_it_looked_for() {
    let site = Site::new();
    let file = site.sheet_file("x.csv", "名称,单位\r\na,b\r\n".as_bytes());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("no header row found on sheet x: expected a row with the column names 高研班名称 and 举办单位"),
        "{}",
        text(&o.stderr)
    );
}

mod never_panics {
    use proptest::prelude::*;
    use site_gen::import::read::{read_bytes, Kind};
    use site_gen::import::{table, Cell, Sheet};

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            Just(Cell::Empty),
            "[ \\n0-9万元.,、/ -]{0,12}".prop_map(Cell::Text),
            prop::sample::select(vec![
                "序号",
                "高研班名称",
                "举办单位",
                "专业类别",
                "经费形式",
                "资助类型",
                "资助金额",
                "联系人",
                "联系电话",
                "3万",
                "顾雪萍\n姜扬丰",
                "陈 强",
                "88526559 88505434",
                "合计",
            ])
            .prop_map(|s| Cell::Text(s.to_string())),
            any::<String>().prop_map(Cell::Text),
            any::<f64>().prop_map(Cell::Number),
            any::<bool>().prop_map(Cell::Bool),
            "[0-9:T-]{0,12}".prop_map(Cell::Date),
            "#[A-Z/0!?]{1,6}".prop_map(Cell::Error),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn arbitrary_cells(rows in prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12)) {
            let sheet = Sheet { name: "s".into(), rows, lines: Vec::new() };
            let _ = table::programs("f.xlsx", &sheet);
        }

        #[test]
        fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
            for kind in [Kind::Csv, Kind::Xlsx, Kind::Xls, Kind::Ods] {
                if let Ok(wb) = read_bytes(kind, &bytes, "f") {
                    for s in &wb.sheets {
                        let _ = table::programs("f", s);
                    }
                }
            }
        }
    }
}

#[test]
fn each_lists_xlsx_download_imports_back_as_the_same_list() {
    use site_gen::render::{self, Templates};
    use site_gen::urls;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let site = content::validate(&content::load(&dir).unwrap()).unwrap();
    let templates = Templates::load(None).unwrap();
    let files = render::render(&site, &templates).unwrap();
    for id in ["provincial", "municipal"] {
        let path = urls::file_for(&urls::list_file("wenzhou-2020", id, "xlsx"));
        let bytes = &files.iter().find(|f| f.path == path).unwrap().bytes;
        let copy = Site::new();
        copy.clear_list(id);
        let file = copy.sheet_file(&format!("{id}.xlsx"), bytes);
        let o = copy.import(&file, id, &[]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", text(&o.stderr));
        assert_eq!(copy.list(id), real_list(id), "{id}");
    }
}

/// A minimal OpenDocument spreadsheet (as LibreOffice and WPS save `.ods`): a title row,
/// the header, then the municipal rows with phones as float cells.
fn municipal_ods() -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let text = |s: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>"
        )
    };
    let mut rows = String::new();
    rows.push_str(&format!(
        "<table:table-row>{}</table:table-row><table:table-row><table:table-cell/></table:table-row>",
        text("2020年度市级专业技术人员高级研修班项目名单")
    ));
    rows.push_str("<table:table-row>");
    for h in [
        "序号",
        "高研班名称",
        "举办单位",
        "资助类型",
        "资助金额",
        "联系人",
        "联系电话",
    ] {
        rows.push_str(&text(h));
    }
    rows.push_str("</table:table-row>");
    for (i, r) in MUNICIPAL.iter().enumerate() {
        rows.push_str(&format!(
            "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"{}\"/>{}{}{}{}{}<table:table-cell office:value-type=\"float\" office:value=\"{}\"/></table:table-row>",
            i + 1,
            text(r[0]),
            text(r[1]),
            text(r[2]),
            text(r[3]),
            text(r[4]),
            r[5]
        ));
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="附件2">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        z.start_file(name, stored).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn the_municipal_list_from_ods_gives_the_same_site_facts() {
    let site = Site::new();
    site.clear_list("municipal");
    let file = site.sheet_file("市级.ods", &municipal_ods());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("sheet 附件2, header row 3"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(site.list("municipal"), real_list("municipal"));
}

#[test]
fn control_bidi_and_zero_width_characters_are_stripped_with_a_note() {
    // The same list with a bidi override, a zero-width space, a C1 control and a bell
    // in its cells: imported as the real list, each changed cell named in a note.
    let csv = municipal_csv()
        .replacen("温州技师学院", "温州\u{202E}技师\u{200B}学院", 1)
        .replacen("联系人", "联系\u{85}人\u{7}", 1);
    let site = Site::new();
    site.clear_list("municipal");
    let file = site.sheet_file("市级.csv", csv.as_bytes());
    let o = site.import(&file, "municipal", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("市级.csv: line 2, column B: removed invisible or control characters (U+0085, U+0007) from the cell"),
        "{out}"
    );
    assert!(
        out.contains("removed invisible or control characters (U+202E, U+200B) from the cell"),
        "{out}"
    );
    assert_eq!(site.list("municipal"), real_list("municipal"));
}

/// A program as a sheet's row gives it.
fn row_program(name: &str, organizer: &str) -> site_gen::import::Program {
    site_gen::import::Program {
        row: 3,
        program: model::Program {
            name: name.into(),
            organizer: organizer.into(),
            category: Some("机械工程".into()),
            funding: Some("一般类".into()),
            amount_wan: Some(rust_decimal::Decimal::new(2, 0)),
            contacts: vec![model::Contact {
                name: "陈朝晖".into(),
                phones: vec!["13395773516".into()],
            }],
            description: None,
        },
        notes: vec!["F5 paired in order, a guess".into()],
    }
}

/// The repository's content with the provincial list rewritten to `programs` by the
/// import's writer, checked whole and checked as the import checks it (the notice's
/// other parts, then each program's table alone): the same site or the same findings,
/// at the same lines and columns.
fn both_checks(
    edit: impl Fn(String) -> String,
    programs: &[site_gen::import::Program],
) -> (
    Result<model::Site, content::Diagnostics>,
    Result<model::Site, content::Diagnostics>,
) {
    let site = Site::new();
    fs::write(site.notice_path(), edit(site.notice())).unwrap();
    let mut raw = content::load(&site.content()).unwrap();
    let idx = raw
        .notices
        .iter()
        .position(|f| f.stem() == "wenzhou-2020")
        .unwrap();
    let rewritten =
        site_gen::import::write::replace_list(&raw.notices[idx].text, "provincial", programs)
            .unwrap();
    raw.notices[idx].text = rewritten.text;
    let whole = content::validate(&raw);
    let parts = content::validate_spliced(
        &raw,
        &content::Spliced {
            notice: idx,
            list: "provincial".into(),
            tables: rewritten.tables.expect("the programs' tables are known"),
            others: rewritten.others,
        },
    );
    (whole, parts)
}

#[test]
fn the_imports_check_by_parts_finds_what_the_whole_check_finds_at_the_same_places() {
    // A program kept from before with a description (a broken link, a bidi override), a
    // municipal program's amount made unreadable after the list, and rows giving a
    // name of the municipal list, a name twice, a 250-character name and no organizer.
    let edit = |t: String| {
        t.replacen(
            "name = \"高端轻工装备与智能制造协同创新\"\n",
            "name = \"高端轻工装备与智能制造协同创新\"\ndescription = \"见 [附件](/no/such/page/) \u{202e}\"\n",
            1,
        )
        .replacen(
            "organizer = \"温州市工业科学研究院\"\nfunding = \"重点类\"\namount_wan = 3",
            "organizer = \"温州市工业科学研究院\"\nfunding = \"重点类\"\namount_wan = \"三\"",
            1,
        )
    };
    let long = "长".repeat(250);
    let programs = [
        row_program("高端轻工装备与智能制造协同创新", "温州大学"),
        row_program("低压电器及其物联网技术应用", "温州大学"),
        row_program("数字经济", "温州大学"),
        row_program("数字经济", "温州医科大学"),
        row_program(&long, "温州大学"),
        row_program("空的举办单位", " "),
    ];
    let (whole, parts) = both_checks(edit, &programs);
    let (whole, parts) = (
        whole.unwrap_err().to_string(),
        parts.unwrap_err().to_string(),
    );
    assert_eq!(parts, whole);
    for found in [
        "broken internal link `/no/such/page/`",
        "`description` holds U+202E",
        "duplicate program name `低压电器及其物联网技术应用` in this notice (first at line",
        "duplicate program name `数字经济` in this notice (first at line",
        "`name` is 250 characters long",
        "program `空的举办单位` has an empty organizer",
        "amount_wan",
        "7 content errors found",
    ] {
        assert!(parts.contains(found), "{found} not in:\n{parts}");
    }

    // A list that checks: the same site, the programs in the list as written.
    let programs: Vec<_> = (1..=30)
        .map(|i| row_program(&format!("高研班第{i}期"), "温州大学"))
        .collect();
    let (whole, parts) = both_checks(|t| t, &programs);
    let (whole, parts) = (whole.unwrap(), parts.unwrap());
    let list = |s: &model::Site| {
        let n = s.notices.iter().find(|n| n.slug == "wenzhou-2020").unwrap();
        n.lists.clone()
    };
    assert_eq!(list(&parts), list(&whole));
    assert_eq!(list(&parts)[0].programs.len(), 30);
    assert_eq!(list(&parts)[0].programs[29].name, "高研班第30期");
}

/// On a Chinese site the import's findings are Chinese: a CSV cell's place, what a cell
/// holds and what was expected, the guessed pairing, a list the notice does not have.
#[test]
fn a_chinese_site_gets_the_imports_findings_in_chinese() {
    let site = Site::new();
    let before = site.notice();
    let zh = ["--lang", "zh-CN"];
    let mut all = String::new();
    let bad = site.sheet_file(
        "bad.csv",
        "序号,高研班名称,举办单位,资助类型,资助金额,联系人,联系电话\n\
         1,数字经济,杭州某院,重点类,三万,张三,电话待定\n"
            .as_bytes(),
    );
    let o = site.import(&bad, "municipal", &zh);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("bad.csv：第 2 行 E 列：资助金额填的是 \"三万\"：应为以万元计的金额，例如 3万、2.5万元 或 3"),
        "{err}"
    );
    assert!(
        err.contains("bad.csv：第 2 行 G 列：联系电话 \"电话待定\" 不是电话号码：应为手机号（13-19 开头的 11 位数字）"),
        "{err}"
    );
    all.push_str(&err);
    let good = site.sheet_file(
        "good.csv",
        "序号,高研班名称,举办单位,资助类型,资助金额,联系人,联系电话\n\
         1,数字经济,杭州某院,重点类,3万,张三、李四,13512345678 13612345678\n"
            .as_bytes(),
    );
    let o = site.import(&good, "municipal", &["--lang", "zh-CN", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("说明：") && out.contains("：第 2 行 G 列：2 位联系人、2 个号码在同一行：按顺序配对，这是推测（表中没有写哪个号码是谁的）"),
        "{out}"
    );
    all.push_str(&out);
    all.push_str(&text(&o.stderr));
    let o = site.import(&good, "nosuch", &zh);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("错误：通知 `wenzhou-2020` 没有名单 `nosuch`（它的名单：provincial, municipal）；新的名单要先在 "),
        "{}",
        text(&o.stderr)
    );
    all.push_str(&text(&o.stderr));
    let left = english_left(&all);
    assert!(left.is_empty(), "English left:\n{}", left.join("\n"));
    assert_eq!(site.notice(), before);
}
