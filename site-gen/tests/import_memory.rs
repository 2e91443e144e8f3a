//! `site-gen import` of a long plan list holds the list a bounded number of times: the
//! spreadsheet is read and dropped, each program's table is written as text into the
//! notice, and the result is checked as its other parts plus each program's table
//! alone (never one TOML document of the whole list), so the peak of live heap stays
//! within a small multiple of the text written.
//!
//! Measured with a counting global allocator (its own test binary, one test, so that no
//! other test allocates meanwhile): the peak of live heap bytes above what was live
//! before the import, compared with the size of the notice file it writes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test binary: a panic is a failed test

use std::fs;
use std::path::Path;
mod common {
    pub mod heap;
}
use common::heap::peak_above_start;

use site_gen::cmd::import::{import, ImportArgs};

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Rows as a bureau's plan list has them: two contacts and two numbers in one cell (a
/// pairing noted for every row), a 3-digit share of organizers.
fn plan_list_csv(rows: usize) -> String {
    let mut csv =
        String::from("序号,高研班名称,举办单位,专业类别,资助类型,资助金额,联系人,联系电话\r\n");
    for i in 1..=rows {
        csv.push_str(&format!(
            "{i},高研班第{i}期智能制造与工业互联网关键技术应用研究,温州市工业科学研究院第{}分院,战略新兴产业、高端装备制造类,一般类,2万,\"顾雪萍\n姜扬丰\",88526559 88505434\r\n",
            i % 97
        ));
    }
    csv
}

#[test]
fn importing_a_long_list_holds_a_bounded_multiple_of_the_text_written() {
    const ROWS: usize = 2_000;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../content"),
        &content,
    );
    let file = dir.path().join("list.csv");
    fs::write(&file, plan_list_csv(ROWS)).unwrap();
    let notice = content.join("notices/wenzhou-2020.toml");
    let before = fs::metadata(&notice).unwrap().len();

    let args = ImportArgs {
        file,
        notice: "wenzhou-2020".into(),
        list: "municipal".into(),
        content,
        sheet: None,
        dry_run: false,
    };
    let (out, peak) = peak_above_start(|| import(&args));
    let out = out.unwrap_or_else(|e| panic!("import failed: {e:?}"));
    assert!(
        out.contains(&format!("{ROWS} programs from")) && out.contains("wrote "),
        "{out}"
    );
    let written = fs::metadata(&notice).unwrap().len();
    assert!(
        written > before + 500 * ROWS as u64,
        "{written} bytes written"
    );

    // Held at the peak: the text written, the programs parsed back from it one table at
    // a time and the site's model of them (about 5.5 times the text). A TOML document of
    // the whole notice (about 12 times its text, 16.5 times in all when the check parsed
    // it whole) or the programs read kept beside the check fails here.
    let per_byte = peak as f64 / written as f64;
    eprintln!(
        "{ROWS} programs: peak {peak} bytes of live heap above the start, {written} bytes written ({per_byte:.1} × the text, {} bytes a program)",
        peak / ROWS
    );
    assert!(
        per_byte < 7.0,
        "the import held {per_byte:.1} × the text it wrote ({peak} bytes for {written}); at most 7"
    );

    // Again over the list it wrote, one row changed: the old notice is read table by
    // table (its other parts as one document, each old program alone), and checked by
    // parts for what changed, as the new one is.
    fs::write(
        &args.file,
        plan_list_csv(ROWS).replacen("温州市工业科学研究院第1分院", "温州大学", 1),
    )
    .unwrap();
    let (out, peak) = peak_above_start(|| import(&args));
    let out = out.unwrap_or_else(|e| panic!("re-import failed: {e:?}"));
    assert!(
        out.contains("1999 unchanged, 1 changed, 0 added, 0 removed"),
        "{out}"
    );
    let written = fs::metadata(&notice).unwrap().len();
    let per_byte = peak as f64 / written as f64;
    eprintln!(
        "{ROWS} programs again: peak {peak} bytes of live heap above the start, {written} bytes written ({per_byte:.1} × the text)"
    );
    // Held at the peak: the old text and the new, the programs read, the old list's and
    // the new list's models (about 8.5 times the text). A document tree of the old
    // notice (22.5 times the text in all when it was parsed whole) fails here.
    assert!(
        per_byte < 10.0,
        "the re-import held {per_byte:.1} × the text it wrote ({peak} bytes for {written}); at most 10"
    );

    // The same rows into the other list, a dry run: the notice would hold both lists
    // (refused, every name twice), each read and checked table by table.
    let other = ImportArgs {
        list: "provincial".into(),
        dry_run: true,
        ..args.clone()
    };
    let (out, peak) = peak_above_start(|| import(&other));
    let err = format!("{:?}", out.expect_err("the names are the municipal list's"));
    assert!(err.contains("duplicate program name"), "{err}");
    assert_eq!(fs::metadata(&notice).unwrap().len(), written);
    let per_byte = peak as f64 / written as f64;
    eprintln!(
        "{ROWS} programs into the other list: peak {peak} bytes of live heap above the start, the notice {written} bytes ({per_byte:.1} × its text)"
    );
    // About 11.5 times the notice's text (the new text holds both lists); 22 times when
    // the notice was parsed whole.
    assert!(
        per_byte < 15.0,
        "the import into the other list held {per_byte:.1} × the notice's text ({peak} bytes for {written}); at most 15"
    );
}
