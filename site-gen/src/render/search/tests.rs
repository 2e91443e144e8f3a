use std::collections::BTreeMap;

use proptest::prelude::*;

use super::query::Reader;
use super::*;

/// The fold cases `assets/search.js` is tested against as well (tests/tests/search_js.rs).
const FOLD_CASES: &str = include_str!("fold-cases.json");

#[test]
fn fold_follows_the_shared_table() {
    let cases: Vec<(String, String)> = serde_json::from_str(FOLD_CASES).unwrap();
    assert!(cases.len() > 10);
    for (input, want) in cases {
        assert_eq!(fold(&input), want, "{input}");
        assert_eq!(
            input.encode_utf16().count(),
            want.encode_utf16().count(),
            "{input}: same UTF-16 length"
        );
    }
}

/// Every document's fields, own and inherited, in id order: the brute-force oracle.
fn all_fields(c: &Corpus) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for n in &c.notices {
        out.push(vec![
            n.body.clone(),
            n.title.clone(),
            n.doc_number.clone(),
            n.issuer.clone(),
        ]);
        for l in &n.lists {
            for p in &l.programs {
                let mut f: Vec<String> = p.fields().into_iter().map(str::to_string).collect();
                f.extend([l.title.clone(), n.title.clone(), n.doc_number.clone()]);
                out.push(f);
            }
        }
    }
    out
}

fn brute(c: &Corpus, q: &str) -> Vec<u32> {
    let words = words(q);
    if words.is_empty() {
        return Vec::new();
    }
    all_fields(c)
        .iter()
        .enumerate()
        .filter(|(_, fields)| {
            words
                .iter()
                .all(|w| fields.iter().any(|f| fold(f).contains(w.as_str())))
        })
        .map(|(i, _)| i as u32)
        .collect()
}

fn files(c: &Corpus) -> BTreeMap<String, Vec<u8>> {
    build(c).into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn search(files: &BTreeMap<String, Vec<u8>>, q: &str) -> Vec<u32> {
    Reader::new(|p| files.get(p).cloned()).search(q).unwrap()
}

fn sample() -> Corpus {
    let program = |name: &str, org: &str, phone: &str| ProgramDoc {
        url: format!("notices/a/l-{name}/"),
        name: name.into(),
        organizer: org.into(),
        category: "医学".into(),
        funding: "资助".into(),
        contacts: vec![("陈 强".into(), vec![phone.into()])],
    };
    Corpus {
        notices: vec![NoticeDoc {
            url: "notices/a/".into(),
            title: "关于2024年高研班的通知".into(),
            doc_number: "温人社〔2024〕1号".into(),
            issuer: "温州市人力资源和社会保障局".into(),
            body: "各有关单位：\n现将计划印发给你们。".into(),
            lists: vec![ListDoc {
                title: "温州市高级研修项目计划表".into(),
                programs: vec![
                    program("肺炎ＨＲＣＴ影像诊断", "温州医科大学", "0577-88000001"),
                    program("3D打印技术", "温州大学", "13800000000"),
                ],
            }],
        }],
        readings: vec![crate::content::model::Reading::parse("乐清", "yue4 qing1").unwrap()],
    }
}

#[test]
fn pinyin_initials_and_syllables_find_names_by_the_readings_of_the_order() {
    let mut c = sample();
    c.notices[0].lists[0].programs[0].organizer = "乐清市人民医院".into();
    let f = files(&c);
    let py = |q: &str| Reader::new(|p| f.get(p).cloned()).search_pinyin(q).unwrap();
    assert_eq!(py("wzdx"), vec![2]);
    assert_eq!(py("WenZhouDaXue"), vec![2]);
    // 乐清 reads yuè qīng as site.toml says, not lè.
    assert_eq!(py("yqs"), vec![1]);
    assert_eq!(py("lqs"), Vec::<u32>::new());
    // The notice's title: 关于2024年… → gy2024n…
    assert_eq!(py("gy2024n"), vec![0]);
}

#[test]
fn finds_latin_inside_chinese_and_folds_both_ways() {
    let c = sample();
    let f = files(&c);
    assert_eq!(search(&f, "RCT"), vec![1]);
    assert_eq!(search(&f, "ｈｒｃｔ"), vec![1]);
    assert_eq!(search(&f, "３d"), vec![2]);
    assert_eq!(search(&f, "温州大学"), vec![2]);
    assert_eq!(search(&f, "温州 打印"), vec![2]);
    assert_eq!(search(&f, "88000001"), vec![1]);
    // The notice's fields match the notice and every program of it; the list's title
    // every program of the list; the issuer only the notice.
    assert_eq!(search(&f, "〔2024〕"), vec![0, 1, 2]);
    assert_eq!(search(&f, "计划表"), vec![1, 2]);
    assert_eq!(search(&f, "保障局"), vec![0]);
    assert_eq!(search(&f, "印发"), vec![0]);
    // Not across fields or a space inside a field.
    assert_eq!(search(&f, "陈强"), Vec::<u32>::new());
    assert_eq!(search(&f, "学温"), Vec::<u32>::new());
    assert_eq!(search(&f, "   "), Vec::<u32>::new());
}

#[test]
fn a_long_word_fetches_only_the_shards_of_its_grams() {
    let c = crate::render::search::tests::big(2_000);
    let f = files(&c);
    let grams = f.keys().filter(|p| p.starts_with("search/g/")).count();
    assert!(grams >= 8, "{grams} shards");
    let mut r = Reader::new(|p| f.get(p).cloned());
    let got = r.search("项目7").unwrap();
    assert_eq!(got, brute(&c, "项目7"));
    // Its two bigrams' shards, and for a long list the list's own file.
    let (lists, shards): (Vec<&String>, Vec<&String>) = r
        .fetched
        .iter()
        .filter(|p| p.starts_with("search/g/"))
        .partition(|p| p.starts_with("search/g/h"));
    assert!(shards.len() <= 2 && lists.len() <= 2, "{:?}", r.fetched);
    // 项目 is in every name: its list is a file of its own, and no shard holds a long one.
    assert_eq!(lists.len(), 1, "{:?}", r.fetched);
    for (path, bytes) in &f {
        if path.starts_with("search/g/") && !path.starts_with("search/g/h") {
            let shard: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            for (g, list) in shard.as_object().unwrap() {
                let raw = list.to_string().len();
                assert!(raw <= HEAVY_BYTES + 2, "{path}: {g} is {raw} bytes");
            }
        }
    }
    // Finding reads no document: the places of the bigrams are exact.
    assert!(
        !r.fetched.iter().any(|p| p.starts_with("search/d/")),
        "{:?}",
        r.fetched
    );
}

/// A corpus of `n` programs over a few notices, names made from a small alphabet.
pub fn big(n: usize) -> Corpus {
    let words = [
        "温州", "医学", "项目", "研修", "ＡＩ", "大学", "技术", "影像", "3D", "护理",
    ];
    let mut notices = Vec::new();
    for k in 0..(n / 500).max(1) {
        let programs = (0..500.min(n))
            .map(|i| {
                let j = k * 500 + i;
                ProgramDoc {
                    url: format!("notices/n{k}/l-{i}/"),
                    name: format!(
                        "{}{}{}{j}",
                        words[j % 10],
                        words[j / 10 % 10],
                        words[j / 100 % 10]
                    ),
                    organizer: format!("{}单位{}", words[j / 7 % 10], j % 37),
                    category: words[j % 3].into(),
                    funding: String::new(),
                    contacts: vec![(format!("联系人{}", j % 11), vec![format!("1380000{j:04}")])],
                }
            })
            .collect();
        notices.push(NoticeDoc {
            url: format!("notices/n{k}/"),
            title: format!("第{k}号通知"),
            doc_number: format!("人社〔20{k:02}〕{k}号"),
            issuer: "人社局".into(),
            body: format!("正文{k}"),
            lists: vec![ListDoc {
                title: "计划表".into(),
                programs,
            }],
        });
    }
    Corpus {
        notices,
        readings: Vec::new(),
    }
}

fn text() -> impl Strategy<Value = String> {
    // A small alphabet, so that substrings repeat across documents; full-width and
    // capital forms, spaces and a character outside the BMP among them.
    proptest::collection::vec(
        prop::sample::select(vec![
            '温', '州', '大', '学', '医', 'A', 'a', 'Ａ', 'ａ', '3', '３', ' ', '　', 'É', 'é',
            '𠀀', '-',
        ]),
        0..12,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn corpus() -> impl Strategy<Value = Corpus> {
    let program = (text(), text(), text(), text(), text(), text()).prop_map(
        |(name, organizer, category, funding, contact, phone)| ProgramDoc {
            url: "x/".into(),
            name,
            organizer,
            category,
            funding,
            contacts: vec![(contact, vec![phone])],
        },
    );
    let list = (text(), proptest::collection::vec(program, 0..5))
        .prop_map(|(title, programs)| ListDoc { title, programs });
    let notice = (
        text(),
        text(),
        text(),
        text(),
        proptest::collection::vec(list, 0..3),
    )
        .prop_map(|(title, doc_number, issuer, body, lists)| NoticeDoc {
            url: "n/".into(),
            title,
            doc_number,
            issuer,
            body,
            lists,
        });
    proptest::collection::vec(notice, 1..5).prop_map(|notices| Corpus {
        notices,
        readings: Vec::new(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_index_finds_exactly_what_a_scan_finds(
        c in corpus(),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..6, 1usize..6), 1..3),
        extra in text(),
    ) {
        let f = files(&c);
        let fields: Vec<String> = all_fields(&c).into_iter().flatten().collect();
        // Random substrings of random fields, joined as words; and a random text.
        let mut words = Vec::new();
        for (i, start, len) in &picks {
            let field: Vec<char> = fields[i.index(fields.len())].chars().collect();
            let s = (*start).min(field.len());
            let e = (s + len).min(field.len());
            words.push(field[s..e].iter().collect::<String>());
        }
        let q = words.join(" ");
        prop_assert_eq!(search(&f, &q), brute(&c, &q), "query {:?}", q);
        prop_assert_eq!(search(&f, &extra), brute(&c, &extra), "query {:?}", extra);
    }
}

/// The page's script (`assets/search.js`, as served) run under Node on the same index
/// and the same fold table: it folds and finds exactly what the Rust reader does.
#[test]
fn the_page_script_folds_and_finds_what_the_rust_reader_finds() {
    let c = big(1_500);
    let f = files(&c);
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in &f {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let script = crate::render::ASSETS
        .iter()
        .find(|(n, _)| *n == "search.js")
        .unwrap()
        .1;
    std::fs::write(dir.path().join("search.mjs"), script).unwrap();
    // The matcher it imports, beside it as in assets/.
    let matcher = crate::render::ASSETS
        .iter()
        .find(|(n, _)| *n == "match.js")
        .unwrap()
        .1;
    std::fs::write(dir.path().join("match.js"), matcher).unwrap();
    // Substrings of the corpus's fields, a word across two fields, full-width and
    // capital forms, words of one and two characters and several words.
    let fields: Vec<String> = all_fields(&c).into_iter().flatten().collect();
    let mut queries: Vec<String> = (0..60)
        .map(|i| {
            let chars: Vec<char> = fields[(i * 7919) % fields.len()].chars().collect();
            let s = (i * 3) % chars.len().max(1);
            let e = (s + 1 + i % 5).min(chars.len());
            chars[s.min(e)..e].iter().collect()
        })
        .collect();
    queries.extend(
        [
            "ａｉ",
            "AI 3d",
            "护理 温州",
            "影像医学",
            "学",
            "人社〔2001〕",
            "计划表 联系人3",
            "9单位",
            "x",
        ]
        .map(String::from),
    );
    let cases: Vec<(String, String)> = serde_json::from_str(FOLD_CASES).unwrap();
    let pinyin: Vec<String> = ["wz", "yxxm", "xm", "ai", "3dhl", "wenzhou", "dw1", "j"]
        .map(String::from)
        .to_vec();
    let input = serde_json::json!({
        "queries": queries,
        "pinyin": pinyin,
        "fold": cases.iter().map(|(i, _)| i).collect::<Vec<_>>(),
    });
    std::fs::write(dir.path().join("input.json"), input.to_string()).unwrap();
    std::fs::write(
        dir.path().join("run.mjs"),
        r#"import { makeIndex, fold } from "./search.mjs";
import fs from "fs";
const input = JSON.parse(fs.readFileSync("input.json", "utf8"));
const index = makeIndex(async (p) => JSON.parse(fs.readFileSync(`search/${p}`, "utf8")));
const found = [];
for (const q of input.queries) found.push(await index.search(q));
const pinyin = [];
for (const q of input.pinyin) pinyin.push(await index.searchPinyin(q));
console.log(JSON.stringify({ found, pinyin, fold: input.fold.map(fold) }));
"#,
    )
    .unwrap();
    let out = std::process::Command::new("node")
        .arg("run.mjs")
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): run scripts/setup"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (i, (input, want)) in cases.iter().enumerate() {
        assert_eq!(
            got["fold"][i],
            serde_json::json!(want),
            "fold of {input:?} in the page"
        );
    }
    let mut nonempty = 0;
    for (i, q) in queries.iter().enumerate() {
        let want = search(&f, q);
        assert_eq!(want, brute(&c, q), "{q:?}");
        nonempty += usize::from(!want.is_empty());
        assert_eq!(
            got["found"][i],
            serde_json::json!(want),
            "the page's results for {q:?}"
        );
    }
    assert!(nonempty > 50, "{nonempty}");
    let mut r = Reader::new(|p| f.get(p).cloned());
    for (i, q) in pinyin.iter().enumerate() {
        let want = r.search_pinyin(q).unwrap();
        assert!(!want.is_empty(), "{q}");
        assert_eq!(
            got["pinyin"][i],
            serde_json::json!(want),
            "the page's 按拼音 for {q:?}"
        );
    }
}

/// The index writes its JSON by hand: strings escaped exactly as `serde_json` escapes
/// them, and a stored program that reads back as the record it stores.
#[test]
fn hand_written_json_is_serde_jsons() {
    let mut all: String = (0u8..0x80).map(char::from).collect();
    all.push_str("温州\u{7f}\u{80}\u{2028}𠀀\"\\");
    for s in [all.as_str(), "", "plain", "\"", "a\\b", "\u{1}\u{1f}\n"] {
        let mut out = String::new();
        super::push_json_str(&mut out, s);
        assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
    }
    let p = ProgramDoc {
        url: "notices/a\"b/main-1/".into(),
        name: "温州\\大学\t".into(),
        organizer: "\u{2}".into(),
        category: String::new(),
        funding: "自筹".into(),
        contacts: vec![
            ("王老师".into(), vec!["0577-1".into(), "138".into()]),
            ("李".into(), Vec::new()),
        ],
    };
    let mut out = String::new();
    super::write_program(&mut out, &p);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap(),
        serde_json::json!({
            "u": p.url,
            "f": [p.name, p.organizer, p.category, p.funding],
            "c": [["王老师", ["0577-1", "138"]], ["李", []]],
        })
    );
}
