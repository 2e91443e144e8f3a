//! A roster CSV with a bad id number: the row is flagged, the others are not.

use super::common::*;
use serde_json::json;
use site_tests::browser::Options;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_csv_import_flags_the_row_with_a_bad_id_number() {
    let b = open(Options::default()).await;
    open_form(&b, "wenzhou-hours-roster", "").await;

    let good1 = id_number("33030219800101123");
    let good2 = id_number("33030219900215224");
    let mut bad = id_number("33030219851120331");
    // Wrong check character: swap it for another valid-looking one.
    let last = if bad.ends_with('1') { '2' } else { '1' };
    bad.pop();
    bad.push(last);
    let csv = format!(
        "\u{feff}序号,证书编号,姓名,身份证号码,职称,工作单位,办班开始时间,办班结束时间,办班单位,培训班名称,天数\r\n\
         1,A001,张三,{good1},工程师,温州市工业科学研究院,2020-09-01,2020-09-03,温州市工业科学研究院,智能制造研修班,3\r\n\
         2,A002,李四,{bad},高级工程师,温州大学,2020-09-01,2020-09-03,温州市工业科学研究院,智能制造研修班,3\r\n\
         3,A003,王五,{good2},讲师,温州医科大学,2020-09-01,2020-09-03,温州市工业科学研究院,智能制造研修班,3\r\n"
    );
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = write_file(dir.path(), "roster.csv", &csv);
    set_files(&b, "#file-import-csv", &[&file]).await;

    wait(
        &b,
        "document.querySelectorAll('#form [data-table] tbody tr[data-row]').length === 3",
        "three imported rows",
    )
    .await;
    assert_eq!(value_of(&b, "trainees[1].name").await, "李四");
    assert_eq!(value_of(&b, "trainees[1].id_number").await, bad);

    wait(
        &b,
        "document.querySelector('[name=\"trainees[1].id_number\"][aria-invalid=\"true\"]')",
        "row 2's id number to be flagged",
    )
    .await;
    let row_message = b
        .js(
            "const c = document.querySelector('[name=\"trainees[1].id_number\"]');
             const ids = (c.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
             return ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ');",
            vec![],
        )
        .await
        .or_fail();
    let row_message = row_message.as_str().unwrap_or("");
    assert!(
        row_message.contains("校验"),
        "the flagged cell says the check character is wrong: {row_message}"
    );
    for ok in ["trainees[0].id_number", "trainees[2].id_number"] {
        let flagged = b
            .js(
                "return document.querySelector(arguments[0]).getAttribute('aria-invalid');",
                vec![json!(named(ok))],
            )
            .await
            .or_fail();
        assert_eq!(flagged, serde_json::Value::Null, "{ok} is not flagged");
    }
    let summary = text_of(&b, "#error-summary").await;
    assert!(
        summary.contains("存在以下问题"),
        "error summary shown: {summary}"
    );

    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}
