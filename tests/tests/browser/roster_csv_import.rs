//! A roster's CSV import held to the command line's rules: a file over the 64 MiB cap is
//! refused before it is read, a file mixing two encodings is refused at the line where
//! it changes, and control or invisible characters are removed with a note. Refused
//! files leave the rows already typed as they were.

use super::common::*;
use site_tests::browser::Options;

async fn names(b: &site_tests::browser::Browser) -> Vec<String> {
    roster_rows(b)
        .await
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_csv_import_refuses_a_file_over_the_cap_and_mixed_encodings_and_keeps_the_rows() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-hours-roster", "").await;
    let dir = tempfile::tempdir().unwrap();
    let ids = [
        id_number("33030219800101123"),
        id_number("33030219900215224"),
    ];
    // Two rows, one name with a bidi override and a zero-width space.
    let good = dir.path().join("roster.csv");
    std::fs::write(
        &good,
        format!(
            "序号,姓名,身份证号码\r\n1,张\u{202e}三\u{200b},{}\r\n2,李四,{}\r\n",
            ids[0], ids[1]
        ),
    )
    .unwrap();
    set_files(&b, "#file-import-csv", &[&good]).await;
    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 2",
        "two imported rows",
    )
    .await;
    assert_eq!(names(&b).await, ["张三", "李四"]);
    let status = text_of(&b, "#form-status").await;
    assert!(
        status.contains("已从 roster.csv 导入 2 行")
            && status
                .contains("第 2 行第 2 列（姓名）含控制字符或不可见字符（U+202E、U+200B），已删除"),
        "{status}"
    );

    // A sparse file one byte over 64 MiB: refused by its size, never read.
    let big = dir.path().join("big.csv");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(64 * 1024 * 1024 + 1).unwrap();
    set_files(&b, "#file-import-csv", &[&big]).await;
    let errors = import_refused(&b, "big.csv").await;
    assert!(
        errors.contains("无法导入 big.csv，当前草稿未改动")
            && errors.contains("文件大于 64 MiB，超出可导入的范围"),
        "{errors}"
    );
    assert_eq!(names(&b).await, ["张三", "李四"], "the rows are kept");

    // A UTF-8 header above rows saved in GBK.
    let mixed = dir.path().join("mixed.csv");
    let mut bytes = "序号,姓名,身份证号码\r\n".as_bytes().to_vec();
    bytes.extend(
        encoding_rs::GBK
            .encode(&format!("3,王五,{}\r\n", ids[0]))
            .0
            .iter(),
    );
    std::fs::write(&mixed, bytes).unwrap();
    set_files(&b, "#file-import-csv", &[&mixed]).await;
    let errors = import_refused(&b, "mixed.csv").await;
    assert!(
        errors.contains("无法导入 mixed.csv，当前草稿未改动")
            && errors.contains("文件混用了两种编码：第 1–1 行是 UTF-8，第 2 行"),
        "{errors}"
    );
    assert!(
        !errors.contains("王五") && !errors.contains('\u{fffd}'),
        "{errors}"
    );
    assert_eq!(names(&b).await, ["张三", "李四"], "the rows are kept");
}
