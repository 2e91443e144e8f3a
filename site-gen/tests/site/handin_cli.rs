//! `site-gen form aggregate` on text files of hand-in codes (a saved chat log): the same
//! extraction, duplicate and rejection rules as the collection page.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Map, Value};
use wasm_forms::handin::encode;
use wasm_forms::schema::parse_toml;

use crate::survey_fixture::RATINGS as IDS;

fn content() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn response(level: &str, program: &str, rid: Option<&str>) -> Value {
    let values: Map<String, Value> = IDS.iter().map(|id| ((*id).into(), level.into())).collect();
    let mut r =
        json!({"form": "wenzhou-survey", "version": 1, "values": values, "program": program});
    if let Some(id) = rid {
        r["response_id"] = id.into();
    }
    r
}

fn aggregate(args: &[&str]) -> (i32, String) {
    let c = content();
    let mut all = vec!["form", "aggregate", "wenzhou-survey"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--content", c.to_str().unwrap()]);
    let o = Command::new(env!("CARGO_BIN_EXE_site-gen"))
        .args(&all)
        .output()
        .expect("site-gen runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[test]
fn aggregate_reads_codes_from_a_chat_log_counting_each_response_once() {
    let schema =
        parse_toml(&fs::read_to_string(content().join("forms/wenzhou-survey.toml")).unwrap())
            .unwrap();
    let p = "wenzhou-2020/municipal-3";
    let a = response("very_satisfied", p, Some("00000000000000a1"));
    let b = response("satisfied", p, Some("00000000000000b2"));
    let anon = response("average", p, None);
    let other = response(
        "dissatisfied",
        "wenzhou-2020/municipal-9",
        Some("00000000000000c3"),
    );
    let (ca, cb, cn, co) = (
        encode(&schema, &a),
        encode(&schema, &b),
        encode(&schema, &anon),
        encode(&schema, &other),
    );
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("群聊.txt");
    fs::write(
        &log,
        format!(
            "王老师：请发提交码\n张三：{ca}\n李四：{cb} 谢谢\n张三：{ca}\n王五：{}\n赵六：{cn}\n钱七：{co}\n",
            &cb[..cb.len() - 5]
        ),
    )
    .unwrap();
    let json_b = dir.path().join("b (copy).json");
    fs::write(&json_b, b.to_string()).unwrap();
    let empty = dir.path().join("notes.txt");
    fs::write(&empty, "没有提交码").unwrap();
    let (log_s, json_s, empty_s) = (
        log.to_str().unwrap(),
        json_b.to_str().unwrap(),
        empty.to_str().unwrap(),
    );

    let (code, out) = aggregate(&[log_s, json_s, empty_s]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["forms"],
        json!(4),
        "a, b, the one without id, the other program: {v}"
    );
    assert_eq!(v["without_id"], json!(1));
    let dups: Vec<(&str, &str)> = v["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["source"].as_str().unwrap(),
                d["first_source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(dups.len(), 2, "{v}");
    assert!(dups[0].0.ends_with("群聊.txt 第 4 行") && dups[0].1.ends_with("群聊.txt 第 2 行"));
    assert!(dups[1].0.ends_with("b (copy).json"));
    let rejected = v["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{v}");
    assert!(rejected[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("群聊.txt 第 5 行"));
    assert!(rejected[0]["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("不完整"));
    assert!(rejected[1]["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("没有找到提交码"));

    // One program: the other program's response is listed apart and left out.
    let (_, out) = aggregate(&[log_s, json_s, "--program", p]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["forms"], json!(3));
    assert_eq!(v["other_programs"], json!({"wenzhou-2020/municipal-9": 1}));

    // The CSV equals the one of the same three responses given as JSON files.
    let (_, csv) = aggregate(&[log_s, json_s, "--program", p, "--csv"]);
    let files: Vec<String> = [&a, &b, &anon]
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let f = dir.path().join(format!("r{i}.json"));
            fs::write(&f, r.to_string()).unwrap();
            f.to_str().unwrap().to_owned()
        })
        .collect();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.push("--csv");
    let (_, direct) = aggregate(&args);
    assert_eq!(csv, direct);
    assert!(csv.starts_with("\u{feff}评估内容,评估指标,很满意,满意,一般,不满意\r\n"));
}
