//! Survey hand-in without a server (shared/spec/handin.md), end to end at 360 px.
//!
//! A dozen trainees fill the survey opened from their program's link; each hand-in code
//! shown is read back from the page's QR code by an independent decoder (`rqrr`; the
//! page draws it with the `qrcode` crate). Their codes then reach the collection page
//! through a pasted chat log with noise, overlaps, a truncated and an altered code, and
//! through dropped files; each response counts once, the bad codes are listed, reload
//! keeps the collection, the summary CSV equals `site-gen form aggregate --csv`, and the
//! counts carried into the evaluation report add up without double counting. The camera
//! path plays a y4m video of the page's own QR codes through Chromium's fake camera.
//! Once visited, both pages open and work with the network gone (their offline workers).

use super::common::*;
use serde_json::{json, Value};
use site_tests::browser::{Browser, Options};
use site_tests::site;
use std::path::{Path, PathBuf};
use std::time::Duration;

const LEVELS: [&str; 4] = ["very_satisfied", "satisfied", "average", "dissatisfied"];
const PROGRAM: &str = "wenzhou-2020/municipal-3";

/// One trainee's hand-in: the code shown, the QR read back, the JSON file if saved.
struct HandedIn {
    code: String,
    file: Option<PathBuf>,
}

/// Fills and checks the survey as trainee `i`, and returns what the hand-in panel shows.
async fn fill_and_hand_in(b: &Browser, i: usize, save_file: bool) -> HandedIn {
    for (k, id) in RATINGS.iter().enumerate() {
        choose(b, id, LEVELS[(i + k) % 4]).await;
    }
    type_into(
        b,
        "suggestions",
        &format!("学员{i}：希望增加现场教学和分组讨论。"),
    )
    .await;
    submit(b).await;
    wait(
        b,
        "(() => { const q = document.querySelector('[data-handin-qr] svg');
                  const c = document.querySelector('[data-handin-code]');
                  return q && c && c.textContent.startsWith('GYB~'); })()",
        "the hand-in code and its QR code",
    )
    .await;
    let code = text_of(b, "[data-handin-code]").await;
    assert!(
        code.len() <= 400
            && code
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"-_.~".contains(&c)),
        "code of trainee {i}: {code}"
    );
    let how = text_of(b, "#handin").await;
    assert!(
        how.contains("把下面的提交码发给班主任，或让班主任扫码"),
        "{how}"
    );
    // The QR code on the phone's screen holds exactly the code shown.
    let (w, h, luma) = qr_shot(b, "[data-handin-qr]").await;
    assert_eq!(
        read_qr(w, h, &luma),
        vec![code.clone()],
        "QR of trainee {i}"
    );
    let file = if save_file {
        let before: Vec<PathBuf> = downloads(b);
        click(b, "[data-action=download-json]").await;
        Some(new_download(b, &before, ".json").await)
    } else {
        None
    };
    // Handed in: the phone goes to the next trainee (undoable, so no confirmation).
    click(b, "#handin [data-action=next-trainee]").await;
    wait(
        b,
        "document.getElementById('handin').hidden && !document.querySelector('input[name=goal_setting]:checked')",
        "the draft to be cleared",
    )
    .await;
    HandedIn { code, file }
}

fn downloads(b: &Browser) -> Vec<PathBuf> {
    std::fs::read_dir(b.downloads())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// The finished download ending in `suffix` that was not in `before`.
async fn new_download(b: &Browser, before: &[PathBuf], suffix: &str) -> PathBuf {
    for _ in 0..150 {
        if let Some(p) = downloads(b).into_iter().find(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            !before.contains(p) && name.ends_with(suffix) && !name.starts_with('.')
        }) {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no new download in {}", b.downloads().display());
}

async fn collected(b: &Browser) -> i64 {
    text_of(b, "[data-collected-count]")
        .await
        .trim()
        .parse()
        .unwrap_or(-1)
}

async fn open_collect(b: &Browser) {
    let query = format!("?program={PROGRAM}");
    open_collection(b, &query, "the collection page's engine").await;
}

/// Changes one character in the middle of a code's body.
fn altered(code: &str) -> String {
    let mut c: Vec<char> = code.chars().collect();
    let i = c.len() / 2;
    c[i] = if c[i] == 'Q' { 'R' } else { 'Q' };
    c.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dozen_trainees_hand_in_and_each_is_collected_once() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&b, "wenzhou-survey", &format!("?program={PROGRAM}")).await;
    let named = text_of(&b, "#handin-program").await;
    assert!(
        named.contains("本问卷针对：") && named.contains("增材制造"),
        "the survey names its program: {named}"
    );
    let mut trainees = Vec::new();
    for i in 0..12 {
        trainees.push(fill_and_hand_in(&b, i, i >= 8).await);
    }
    let codes: Vec<&str> = trainees.iter().map(|t| t.code.as_str()).collect();
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 12, "every trainee gets a code of their own");
    let files: Vec<&Path> = trainees.iter().filter_map(|t| t.file.as_deref()).collect();
    let mut names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.dedup();
    assert_eq!(names.len(), 4, "file names differ: {names:?}");
    assert!(
        names.iter().all(|n| n.contains("municipal-3")),
        "files are named by program: {names:?}"
    );
    let exported: Value =
        serde_json::from_str(&std::fs::read_to_string(files[0]).unwrap()).unwrap();
    assert_eq!(exported["program"], json!(PROGRAM));
    assert!(exported["response_id"]
        .as_str()
        .is_some_and(|r| r.len() == 16));

    // The organizer pastes a chat log: noise, trainees 0-8, two of them twice, a code cut
    // off when copied (trainee 9) and one with a changed character (trainee 10).
    let cut = &codes[9][..codes[9].len() - 12];
    let log = format!(
        "【研修班群】聊天记录\n王老师 09:01\n请大家填完问卷把提交码发到群里，谢谢~\n\
         学员0 09:05\n{}\n学员1 09:06\n我的码：{} 收到请回复\n学员2 09:06\n{}\n{}\n\
         学员3 09:07 {}\n学员1 09:08\n再发一次 {}\n学员4 09:08\n{}\n学员5 09:09\n{}\n\
         学员6 09:10\n[图片] {}\n学员7 09:10\n{}\n学员8 09:11\n{}\n学员3 09:12\n{}\n\
         学员9 09:13\n{cut}\n学员10 09:13\n{}\n王老师 09:15\n好的 https://example.org/s/AbCdEf123456\n",
        codes[0], codes[1], codes[2], codes[2], codes[3], codes[1], codes[4], codes[5],
        codes[6], codes[7], codes[8], codes[3], altered(codes[10]),
    );
    pasting_the_chat_log_collects_nine(&b, &log).await;

    // Then drops files: trainees 8-11 as JSON (8 already pasted) and a saved chat log with
    // trainees 9 and 10 properly (already in the files) and 0 again.
    let dir = tempfile::tempdir().unwrap();
    let txt = write_file(
        dir.path(),
        "群聊记录.txt",
        &format!(
            "学员9：{}\n学员10：{}\n学员0：{}\n",
            codes[9], codes[10], codes[0]
        ),
    );
    let mut dropped: Vec<&Path> = files.clone();
    dropped.push(&txt);
    set_files(&b, "input[type=file][name=files]", &dropped).await;
    wait(
        &b,
        "document.querySelector('[data-collected-count]').textContent.trim() === '12'",
        "12 collected",
    )
    .await;
    let report = text_of(&b, "[data-batch-report]").await;
    assert!(
        report.contains("新增 3 份") && report.contains("重复 4 份"),
        "{report}"
    );

    // 已收 N / 应收 M, and reload keeps everything.
    type_into(&b, "expected", "30").await;
    b.client.refresh().await.unwrap();
    wait(
        &b,
        "document.querySelector('[data-collect].is-ready')",
        "reload",
    )
    .await;
    assert_eq!(collected(&b).await, 12, "the collection survives reload");
    let head = text_of(&b, ".collect-count").await;
    assert!(head.contains("已收 12 / 应收 30"), "{head}");
    assert_no_sideways_scroll(&b, "no sideways scrolling at 360 px").await;

    the_summary_csv_is_the_command_lines(&b, &dir, &log, &dropped).await;

    carrying_twice_adds_nothing(&b).await;
    assert_loopback_only(&b).await;
    b.finish().await.or_fail();
}

/// The chat log pasted: nine collected, the repeats counted, the cut-off and the altered
/// code reported.
async fn pasting_the_chat_log_collects_nine(b: &Browser, log: &str) {
    open_collect(b).await;
    let ta = b.find("textarea[name=codes]").await.or_fail();
    b.js(
        "const t = document.querySelector('textarea[name=codes]'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
        vec![json!(log)],
    )
    .await
    .or_fail();
    drop(ta);
    click(b, "[data-action=add-codes]").await;
    wait(
        b,
        "document.querySelector('[data-collected-count]').textContent.trim() === '9'",
        "9 collected",
    )
    .await;
    let report = text_of(b, "[data-batch-report]").await;
    assert!(
        report.contains("新增 9 份") && report.contains("重复 3 份"),
        "{report}"
    );
    let rejected = text_of(b, "[data-rejected]").await;
    assert!(
        rejected.contains("不完整"),
        "the cut-off code is reported: {rejected}"
    );
    assert!(
        rejected.contains("校验不符"),
        "the altered code is reported: {rejected}"
    );
}

/// The summary CSV is byte for byte the command line's on the same responses.
async fn the_summary_csv_is_the_command_lines(
    b: &Browser,
    dir: &tempfile::TempDir,
    log: &str,
    dropped: &[&Path],
) {
    let before = downloads(b);
    click(b, "[data-action=export-summary-csv]").await;
    let csv = std::fs::read(new_download(b, &before, ".csv").await).unwrap();
    let log_file = write_file(dir.path(), "log.txt", log);
    let mut args = vec!["form", "aggregate", "wenzhou-survey"];
    let log_arg = log_file.display().to_string();
    let file_args: Vec<String> = dropped.iter().map(|p| p.display().to_string()).collect();
    args.push(&log_arg);
    args.extend(file_args.iter().map(String::as_str));
    args.push("--csv");
    let out = site::run_site_gen(&args).or_fail();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&csv),
        String::from_utf8_lossy(&out.stdout),
        "page CSV = site-gen form aggregate --csv"
    );
    assert_eq!(csv, out.stdout);
    let json_args: Vec<&str> = args.iter().copied().filter(|a| *a != "--csv").collect();
    let out = site::run_site_gen(&json_args).or_fail();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["forms"], json!(12), "{v}");
    assert_eq!(v["duplicates"].as_array().map(Vec::len), Some(7));
    assert_eq!(v["rejected"].as_array().map(Vec::len), Some(2));
}

/// One action carries the counts into section 五; doing it again adds nothing.
async fn carrying_twice_adds_nothing(b: &Browser) {
    for round in 0..2 {
        open_collect(b).await;
        click(b, "[data-action=to-evaluation]").await;
        wait_ready(b).await;
        wait(
            b,
            "document.querySelector('[name=\"survey.forms\"]') && document.querySelector('[name=\"survey.forms\"]').value === '12'",
            "section 五 to hold the 12 responses",
        )
        .await;
        let status = text_of(b, "#form-status").await;
        let want = if round == 0 {
            "本次新增 12 份"
        } else {
            "本次新增 0 份"
        };
        assert!(status.contains(want), "round {round}: {status}");
    }
}

/// A y4m video (4:2:0, 640 × 480, 10 fps): each image centred and scaled to fit, shown for
/// 15 frames, with 5 grey frames between.
fn y4m(images: &[(usize, usize, Vec<u8>)]) -> Vec<u8> {
    let (fw, fh) = (640usize, 480usize);
    let mut out = format!("YUV4MPEG2 W{fw} H{fh} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    let chroma = vec![128u8; fw * fh / 2];
    let frame = |y: &[u8], out: &mut Vec<u8>| {
        out.extend_from_slice(b"FRAME\n");
        out.extend_from_slice(y);
        out.extend_from_slice(&chroma);
    };
    let grey = vec![150u8; fw * fh];
    for (w, h, luma) in images {
        let scale = (440.0 / *w.max(h) as f64).min(1.0);
        let (sw, sh) = ((*w as f64 * scale) as usize, (*h as f64 * scale) as usize);
        let (ox, oy) = ((fw - sw) / 2, (fh - sh) / 2);
        let mut y = grey.clone();
        for row in 0..sh {
            for col in 0..sw {
                let (sx, sy) = ((col as f64 / scale) as usize, (row as f64 / scale) as usize);
                y[(oy + row) * fw + ox + col] = luma[sy.min(h - 1) * w + sx.min(w - 1)];
            }
        }
        for _ in 0..15 {
            frame(&y, &mut out);
        }
        for _ in 0..5 {
            frame(&grey, &mut out);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_collects_each_qr_code_once() {
    // Three trainees' QR codes, taken from the survey page itself.
    let phone = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&phone, "wenzhou-survey", &format!("?program={PROGRAM}")).await;
    let mut images = Vec::new();
    let mut codes = Vec::new();
    for i in 0..3 {
        for (k, id) in RATINGS.iter().enumerate() {
            choose(&phone, id, LEVELS[(i + 2 * k) % 4]).await;
        }
        submit(&phone).await;
        wait(
            &phone,
            "document.querySelector('[data-handin-qr] svg')",
            "the QR code",
        )
        .await;
        codes.push(text_of(&phone, "[data-handin-code]").await);
        images.push(qr_shot(&phone, "[data-handin-qr]").await);
        click(&phone, "#handin [data-action=next-trainee]").await;
        wait(
            &phone,
            "document.getElementById('handin').hidden",
            "the draft to be cleared",
        )
        .await;
    }
    phone.finish().await.or_fail();
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("codes.y4m");
    std::fs::write(&video, y4m(&images)).unwrap();

    // The organizer's browser sees them through its (fake) camera.
    let dist = site::dist().or_fail();
    let b = Browser::start_with_args(
        &dist,
        Options::default(),
        &[
            "--use-fake-device-for-media-stream".into(),
            "--use-fake-ui-for-media-stream".into(),
            format!("--use-file-for-fake-video-capture={}", video.display()),
        ],
    )
    .await
    .or_fail();
    open_collect(&b).await;
    click(&b, "[data-action=scan]").await;
    wait(
        &b,
        "document.querySelector('[data-collected-count]').textContent.trim() === '3'",
        "three codes scanned",
    )
    .await;
    // The video loops: seen again, nothing is counted twice.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(collected(&b).await, 3);
    let status = text_of(&b, "[data-scan-status]").await;
    assert!(!status.is_empty(), "a visible confirmation: {status}");
    let entries = b
        .js(
            "return JSON.parse(localStorage.getItem('collection:wenzhou-survey')).entries.map(e => e.source);",
            vec![],
        )
        .await
        .or_fail();
    assert_eq!(entries, json!(["扫码", "扫码", "扫码"]));
    click(&b, "[data-action=stop-scan]").await;
    // What was scanned is exactly what the phones showed.
    let before = downloads(&b);
    click(&b, "[data-action=export-collection]").await;
    let export = std::fs::read_to_string(new_download(&b, &before, ".txt").await).unwrap();
    for code in &codes {
        assert!(
            export.contains(code.as_str()),
            "{code} not in the export:\n{export}"
        );
    }
    b.finish().await.or_fail();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn program_page_and_poster_qr_codes_hold_the_survey_link() {
    let b = open(Options::default()).await;
    let want = format!(
        "https://training.example.org/forms/wenzhou-survey/?program={}",
        PROGRAM.replace('/', "%2F")
    );
    for path in [
        "/notices/wenzhou-2020/municipal-3/",
        "/notices/wenzhou-2020/municipal-3/poster/",
    ] {
        b.goto(path).await.or_fail();
        let shown = text_of(&b, "[data-survey-url]").await;
        assert_eq!(shown.trim(), want, "{path} shows the absolute survey link");
        // The whole code on screen: the poster of a site whose address is not set shows
        // that notice above it.
        to_middle(&b, "[data-survey-qr]").await;
        let (w, h, luma) = qr_shot(&b, "[data-survey-qr]").await;
        assert_eq!(read_qr(w, h, &luma), vec![want.clone()], "QR on {path}");
    }
    // The link opens the survey for that program.
    b.goto(&format!("/forms/wenzhou-survey/?program={PROGRAM}"))
        .await
        .or_fail();
    wait_ready(&b).await;
    wait(
        &b,
        "document.getElementById('handin-program')",
        "the program line",
    )
    .await;
    assert!(text_of(&b, "#handin-program").await.contains("增材制造"));
    b.finish().await.or_fail();
}

/// A survey opened without a program's link hands in all the same, and its panel shows
/// no program line (nor the text "null" in its place).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_without_a_program_hands_in_with_no_program_line() {
    let b = open(Options {
        mobile_width: Some(360),
    })
    .await;
    open_form(&b, "wenzhou-survey", "").await;
    let handed = fill_and_hand_in(&b, 0, false).await;
    assert!(handed.code.starts_with("GYB~"), "{}", handed.code);
    let panel = text_of(&b, "#handin").await;
    assert!(
        !panel.contains("null") && !panel.contains("项目："),
        "{panel}"
    );
}

/// The page is controlled by its own worker (`sw.js` of its folder; the collection page
/// lies inside the survey worker's scope too), which has kept every file by then.
const OWN_WORKER: &str = "navigator.serviceWorker.controller
    && navigator.serviceWorker.controller.scriptURL === new URL('sw.js', location.href).href";

/// Whether a same-origin `fetch` of `path` gets any answer (false: a network error).
async fn answered(b: &Browser, path: &str) -> bool {
    b.js_async(
        "const done = arguments[arguments.length - 1];
         fetch(arguments[0], { cache: 'no-store' }).then(() => done(true), () => done(false));",
        vec![json!(path)],
    )
    .await
    .or_fail()
        == json!(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_visited_the_survey_and_the_collection_page_work_with_no_connection() {
    // A copy of the site, changed below as a new build would change it.
    let dir = tempfile::tempdir().unwrap();
    site::copy_dir(&site::dist().or_fail(), dir.path()).or_fail();
    let b = Browser::start(
        dir.path(),
        Options {
            mobile_width: Some(360),
        },
    )
    .await
    .or_fail();
    let survey = format!("?program={PROGRAM}");
    // A first visit of each page, online, installs its worker.
    open_form(&b, "wenzhou-survey", &survey).await;
    wait(&b, OWN_WORKER, "the survey's offline worker").await;
    open_collect(&b).await;
    wait(&b, OWN_WORKER, "the collection page's offline worker").await;

    // The Wi-Fi goes: nothing reaches the server any more.
    b.server.set_offline(true);
    assert!(!answered(&b, "/forms/").await, "the server still answers");

    // The survey opens from its program's link, checks, and hands in with its QR code
    // (the QR maker is loaded only now, from the worker's copy).
    open_form(&b, "wenzhou-survey", &survey).await;
    let named = text_of(&b, "#handin-program").await;
    assert!(
        named.contains("增材制造"),
        "offline, the program is named: {named}"
    );
    let handed = fill_and_hand_in(&b, 3, false).await;

    // The collection page takes the code.
    open_collect(&b).await;
    b.js(
        "const t = document.querySelector('textarea[name=codes]'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
        vec![json!(format!("学员3：{}", handed.code))],
    )
    .await
    .or_fail();
    click(&b, "[data-action=add-codes]").await;
    wait(
        &b,
        "document.querySelector('[data-collected-count]').textContent.trim() === '1'",
        "the code collected offline",
    )
    .await;
    // A page never visited is not there offline (an error page, or no page at all).
    let opened = b.goto("/forms/wenzhou-evaluation/").await.is_ok()
        && b.js("return document.body.innerText", vec![])
            .await
            .is_ok_and(|t| t.as_str().unwrap_or("").contains("绩效评价报告"));
    assert!(!opened, "an unvisited page opened offline");

    // Online again, a new build is what the survey shows (the network answers first),
    // and that is what it shows offline afterwards.
    b.server.set_offline(false);
    let page = dir.path().join("forms/wenzhou-survey/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("</h1>"));
    std::fs::write(&page, html.replacen("</h1>", "（新版）</h1>", 1)).unwrap();
    for online in [true, false] {
        b.server.set_offline(!online);
        open_form(&b, "wenzhou-survey", &survey).await;
        let h1 = text_of(&b, "h1").await;
        assert!(h1.ends_with("（新版）"), "online {online}: {h1}");
    }
    b.finish().await.or_fail();
}
