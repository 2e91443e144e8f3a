//! Collecting responses from many batches: files, pasted text, scanned codes.
//!
//! A batch is a list of named texts. A text that is a JSON object is one response (an
//! exported file); any other text is searched for hand-in codes, each one response. Every
//! response is validated; a bad one is rejected with its reasons and never stops the
//! batch. Responses are added to what was collected before, never replacing anything:
//! one seen again (same `response_id`) counts once and is reported as a duplicate; one
//! without `response_id` is never merged with another. The summary counts the responses
//! of one program (and those that name none) with the very aggregation of
//! [`crate::aggregate`], so the page's table and CSV equal `site-gen form aggregate`'s.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::code::{decode, PREFIX};
use super::extract::codes;
use crate::aggregate::{self, Rejected, SurveyCounts, SurveyLayout, SurveySummary};
use crate::finding::Finding;
use crate::io;
use crate::map::VecMap;
use crate::schema::FormSchema;
use crate::validate::{validate_unscored, Context};

/// One collected response and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// File name, `粘贴的文字 第 3 行`, `扫码` …
    pub source: String,
    /// `{form, version, values, program?, response_id?}` as handed in.
    pub response: Value,
}

/// A response seen again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicate {
    pub source: String,
    /// Where the response was first collected.
    pub first_source: String,
    pub response_id: String,
    /// The answers differ from the first copy (edited and handed in again); the first
    /// copy is kept.
    pub changed: bool,
}

/// What one batch did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchReport {
    /// Sources of the responses added, in order.
    pub added: Vec<String>,
    pub duplicates: Vec<Duplicate>,
    pub rejected: Vec<Rejected>,
}

/// A response read from a batch, or the findings that reject it.
pub type Item = (String, Result<Value, Vec<Finding>>);

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Validates a response read from a file or a code: `Ok` when valid (no scores: only
/// validity counts here).
fn checked(schema: &FormSchema, ctx: &Context, response: Value) -> Result<Value, Vec<Finding>> {
    let report = validate_unscored(schema, &response, ctx);
    if report.valid {
        Ok(response)
    } else {
        Err(report
            .findings
            .into_iter()
            .filter(Finding::is_error)
            .collect())
    }
}

/// The responses in one named text: a JSON file, or every code in any other text.
pub fn read(schema: &FormSchema, ctx: &Context, name: &str, text: &str) -> Vec<Item> {
    if looks_like_json(text) {
        let r = io::import_json(text).and_then(|resp| checked(schema, ctx, resp));
        return vec![(name.to_owned(), r)];
    }
    // At most MAX_CODES are read: a text holding more (64 MiB of short codes is six
    // million) is refused as a whole, before any is decoded, instead of filling memory.
    let most = crate::limits::MAX_CODES;
    let found: Vec<_> = codes(text).take(most + 1).collect();
    if found.len() > most {
        return vec![(name.to_owned(), Err(vec![too_many_codes()]))];
    }
    if found.is_empty() {
        return vec![(
            name.to_owned(),
            Err(vec![Finding::error(
                "",
                format!("没有找到提交码（以 {PREFIX} 开头），也不是导出的 JSON 文件"),
            )]),
        )];
    }
    let several = found.len() > 1 || text.contains('\n');
    let mut excerpts = Excerpts::new(text);
    found
        .into_iter()
        .map(|f| {
            let source = if several {
                format!("{name} 第 {} 行", f.line)
            } else {
                name.to_owned()
            };
            let r = if f.damaged_prefix {
                Err(vec![Finding::error(
                    "",
                    format!("提交码开头不是 {PREFIX}（被改动过）：请让学员重新复制完整的提交码"),
                )])
            } else {
                decode(schema, &f.text)
                    .map_err(|e| vec![Finding::error("", e.message(schema.version))])
                    .and_then(|resp| checked(schema, ctx, resp))
            };
            // A bad code of a longer text (a pasted chat log, cleared from the page once
            // read) is shown with its line, so that the organizer sees whose it was.
            let r = match r {
                Err(mut findings) if several => {
                    if let Some(first) = findings.first_mut() {
                        first.message =
                            format!("{}（该行原文：{}）", first.message, excerpts.line(f.line));
                    }
                    Err(findings)
                }
                r => r,
            };
            (source, r)
        })
        .collect()
}

/// The finding of a text, or a batch, holding more than [`crate::limits::MAX_CODES`]
/// codes.
pub fn too_many_codes() -> Finding {
    let most = crate::limits::MAX_CODES;
    Finding::error(
        "",
        format!("提交码超过 {most} 个：一次最多汇总 {most} 个提交码，请把文件分成几份分别汇总"),
    )
}

/// Lines of a text as the messages of its bad codes quote them, trimmed: a long line (a
/// code is hundreds of characters) keeps its first 30 and last 10 characters.
///
/// The codes of a text are found in order, so its lines are read once, front to back,
/// and a line holding many bad codes is cut once: quoting stays linear in the text
/// however many bad codes it holds (100,000 of them spread over 64 MiB, or on one line).
struct Excerpts<'a> {
    text: &'a str,
    lines: std::str::Lines<'a>,
    /// 1-based number of the line `lines` gives next.
    next: usize,
    /// The line quoted last and its excerpt.
    last: Option<(usize, String)>,
}

impl<'a> Excerpts<'a> {
    fn new(text: &'a str) -> Self {
        Excerpts {
            text,
            lines: text.lines(),
            next: 1,
            last: None,
        }
    }

    /// The excerpt of line `line` (1-based).
    fn line(&mut self, line: usize) -> String {
        if let Some((n, e)) = &self.last {
            if *n == line {
                return e.clone();
            }
        }
        let l = if line >= self.next {
            let mut l = "";
            while self.next <= line {
                l = self.lines.next().unwrap_or_default();
                self.next += 1;
            }
            l
        } else {
            // Not reached (codes come in order); read from the start rather than guess.
            self.text
                .lines()
                .nth(line.saturating_sub(1))
                .unwrap_or_default()
        };
        let e = cut(l.trim());
        self.last = Some((line, e.clone()));
        e
    }
}

/// `l` itself when 48 characters or fewer, else its first 30 and last 10 characters.
fn cut(l: &str) -> String {
    if l.chars().nth(48).is_none() {
        return l.to_owned();
    }
    let head: String = l.chars().take(30).collect();
    let tail_at = l.char_indices().rev().nth(9).map_or(0, |(i, _)| i);
    format!("{head}…{}", &l[tail_at..])
}

fn response_id(v: &Value) -> Option<&str> {
    v.get("response_id").and_then(Value::as_str)
}

/// Adds read items to `entries`: new responses are appended, duplicates and rejected
/// items reported. Nothing already in `entries` changes.
pub fn add(entries: &mut Vec<Entry>, items: Vec<Item>) -> BatchReport {
    let repeats = repeated(entries, &items);
    let had = entries.len();
    // Where each new response went in `entries`, for a later one repeating it.
    let mut added_at: Vec<Option<usize>> = vec![None; items.len()];
    let mut report = BatchReport::default();
    for (k, (source, item)) in items.into_iter().enumerate() {
        match item {
            Err(findings) => report.rejected.push(Rejected {
                file: source,
                findings,
            }),
            Ok(response) => {
                let first = match repeats[k] {
                    Some(p) if p < had => Some(p),
                    Some(p) => added_at[p - had],
                    None => None,
                };
                if let (Some(i), Some(rid)) = (first, response_id(&response)) {
                    let first = &entries[i];
                    report.duplicates.push(Duplicate {
                        source,
                        first_source: first.source.clone(),
                        response_id: rid.to_owned(),
                        changed: first.response.get("values") != response.get("values"),
                    });
                    continue;
                }
                added_at[k] = Some(entries.len());
                report.added.push(source.clone());
                entries.push(Entry { source, response });
            }
        }
    }
    report
}

/// For each item, the response it repeats (same `response_id`), as a position: `p` <
/// `entries.len()` is entry `p` (of an id held twice, the later), any other `p` the item
/// `p - entries.len()`, the first of the batch with that id. The ids are grouped in one
/// sort: a batch of 10,000 files is checked in n log n.
fn repeated(entries: &[Entry], items: &[Item]) -> Vec<Option<usize>> {
    let had = entries.len();
    let mut ids = Vec::new();
    for (p, e) in entries.iter().enumerate() {
        if let Some(id) = response_id(&e.response) {
            ids.push((id.to_owned(), p));
        }
    }
    for (k, (_, item)) in items.iter().enumerate() {
        if let Some(id) = item.as_ref().ok().and_then(response_id) {
            ids.push((id.to_owned(), had + k));
        }
    }
    let mut repeats = vec![None; items.len()];
    for at in VecMap::group(ids).values() {
        // Positions in order: the entries' first, then the batch's.
        let kept = at.iter().rev().find(|&&p| p < had).or(at.first()).copied();
        for &p in at {
            if p >= had && Some(p) != kept {
                repeats[p - had] = kept;
            }
        }
    }
    repeats
}

/// Reads a batch of named texts and adds it to `entries`.
pub fn add_batch(
    schema: &FormSchema,
    ctx: &Context,
    entries: &mut Vec<Entry>,
    inputs: &[(String, String)],
) -> BatchReport {
    let items = inputs
        .iter()
        .flat_map(|(name, text)| read(schema, ctx, name, text))
        .collect();
    add(entries, items)
}

/// What was collected, summarised for one program.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollectionSummary {
    /// The program counted (`None`: every response).
    pub program: Option<String>,
    /// Responses in the table: of the program, or naming none.
    pub counted: usize,
    /// Of those, how many carry no `response_id` (never merged: an earlier export, one
    /// typed in from paper).
    pub without_id: usize,
    /// Responses of other programs, left out of the table: program → count.
    pub other_programs: VecMap<String, usize>,
    /// The rows (评估内容, 评估指标) and levels of the summary table, from the survey's
    /// schema: the page draws the table from these, never from its own reading of the
    /// schema.
    pub layout: SurveyLayout,
    /// The engine's aggregation of the counted responses.
    pub summary: SurveySummary,
    /// [`aggregate::summary_csv`] of it, as `site-gen form aggregate --csv` prints.
    pub csv: String,
}

/// Whether a response belongs in the table of `program`.
pub fn counts_for(response: &Value, program: Option<&str>) -> bool {
    match (program, response.get("program").and_then(Value::as_str)) {
        (Some(want), Some(p)) => want == p,
        _ => true,
    }
}

/// The summary of the collected responses of `program` (all of them for `None`); r is
/// scored by `summarised_by` (the form that summarises this survey), when given.
pub fn summarize(
    schema: &FormSchema,
    ctx: &Context,
    entries: &[Entry],
    program: Option<&str>,
    summarised_by: Option<&FormSchema>,
) -> CollectionSummary {
    let mut other_programs = VecMap::new();
    let mut inputs = Vec::new();
    let mut without_id = 0;
    for e in entries {
        if counts_for(&e.response, program) {
            without_id += usize::from(response_id(&e.response).is_none());
            inputs.push((e.source.clone(), Ok(e.response.clone())));
        } else if let Some(p) = e.response.get("program").and_then(Value::as_str) {
            *other_programs.get_or_default(p.to_owned()) += 1;
        }
    }
    // The table's percentages and r; r's score belongs to the summarising form.
    let rate = summarised_by.and_then(crate::scoring::RateRule::of);
    let summary = aggregate::aggregate(schema, &inputs, ctx, rate);
    let layout = SurveyLayout::from_schema(schema).unwrap_or_default();
    let csv = aggregate::summary_csv(&summary, &layout);
    CollectionSummary {
        program: program.map(str::to_owned),
        counted: inputs.len(),
        without_id,
        other_programs,
        layout,
        summary,
        csv,
    }
}

/// The evaluation's survey counts after an import: what it held (`current`, maybe typed
/// in from paper forms too) minus what the earlier imports gave (`before`), plus what
/// all imports give now (`after`). Typed-in counts are kept; nothing is replaced.
pub fn carry_counts(
    current: &SurveyCounts,
    before: &SurveyCounts,
    after: &SurveyCounts,
) -> SurveyCounts {
    let mut out = current.clone();
    out.forms = current
        .forms
        .saturating_sub(before.forms)
        .saturating_add(after.forms);
    for (id, levels) in &after.indicators {
        let row = out.indicators.get_or_default(id.clone());
        for (level, &n) in levels {
            let had = before
                .indicators
                .get(id)
                .and_then(|l| l.get(level))
                .copied()
                .unwrap_or(0);
            let c = row.get_or_default(level.clone());
            *c = c.saturating_sub(had).saturating_add(n);
        }
    }
    out
}

/// The whole collection as text: a heading line, then one hand-in code per response
/// followed by where it came from. Read back (pasted or as a file) it gives the same
/// responses, so an export can be merged into another collection.
pub fn export_codes(schema: &FormSchema, entries: &[Entry]) -> String {
    let mut out = format!("# {}：{} 份问卷的提交码\n", schema.title, entries.len());
    for e in entries {
        out.push_str(&super::code::encode(schema, &e.response));
        out.push_str(" ← ");
        out.push_str(&e.source.replace(['\r', '\n'], " "));
        out.push('\n');
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// `add` as it was, one id at a time in a `BTreeMap`: the oracle of the grouped one.
    fn add_one_by_one(entries: &mut Vec<Entry>, items: Vec<Item>) -> BatchReport {
        let mut seen = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(r) = response_id(&e.response) {
                seen.insert(r.to_owned(), i);
            }
        }
        let mut report = BatchReport::default();
        for (source, item) in items {
            match item {
                Err(findings) => report.rejected.push(Rejected {
                    file: source,
                    findings,
                }),
                Ok(response) => {
                    if let Some(rid) = response_id(&response) {
                        if let Some(&i) = seen.get(rid) {
                            let first: &Entry = &entries[i];
                            report.duplicates.push(Duplicate {
                                source,
                                first_source: first.source.clone(),
                                response_id: rid.to_owned(),
                                changed: first.response.get("values") != response.get("values"),
                            });
                            continue;
                        }
                        seen.insert(rid.to_owned(), entries.len());
                    }
                    report.added.push(source.clone());
                    entries.push(Entry { source, response });
                }
            }
        }
        report
    }

    /// A response with an id out of a few (or none) and one of two answers.
    fn response(id: Option<u8>, answer: u8) -> Value {
        let mut v = serde_json::json!({"form": "s", "version": 1, "values": {"a": answer}});
        if let Some(id) = id {
            v["response_id"] = Value::from(format!("id{id}"));
        }
        v
    }

    fn entry(n: usize, id: Option<u8>, answer: u8) -> Entry {
        Entry {
            source: format!("held {n}"),
            response: response(id, answer),
        }
    }

    fn item(n: usize, id: Option<u8>, answer: u8, rejected: bool) -> Item {
        let source = format!("new {n}");
        if rejected {
            (source, Err(vec![Finding::error("", "坏的")]))
        } else {
            (source, Ok(response(id, answer)))
        }
    }

    proptest! {
        #[test]
        fn add_is_adding_one_by_one(
            held in proptest::collection::vec((proptest::option::of(0u8..6), 0u8..2), 0..12),
            new in proptest::collection::vec(
                (proptest::option::of(0u8..6), 0u8..2, proptest::bool::weighted(0.1)),
                0..24,
            ),
        ) {
            // Held entries may repeat an id too (a collection merged from an old export).
            let held: Vec<Entry> = held.iter().enumerate().map(|(n, &(id, a))| entry(n, id, a)).collect();
            let items = || -> Vec<Item> {
                new.iter().enumerate().map(|(n, &(id, a, bad))| item(n, id, a, bad)).collect()
            };
            let (mut ours, mut theirs) = (held.clone(), held);
            let a = add(&mut ours, items());
            let b = add_one_by_one(&mut theirs, items());
            prop_assert_eq!(a, b);
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_large_batch_in_any_order() {
        // 10,000 ids in a scrambled order, each handed in twice: half are duplicates,
        // each naming the first copy.
        let n = 10_000;
        let items: Vec<Item> = (0..2 * n)
            .map(|i| {
                let id = (i % n) * 7919 % n;
                let r = serde_json::json!({"response_id": format!("{id:04}"), "values": {}});
                (format!("file {i}"), Ok(r))
            })
            .collect();
        let mut entries = Vec::new();
        let rep = add(&mut entries, items);
        assert_eq!(rep.added.len(), n);
        assert_eq!(rep.duplicates.len(), n);
        for (i, d) in rep.duplicates.iter().enumerate() {
            assert_eq!(d.source, format!("file {}", n + i));
            assert_eq!(d.first_source, format!("file {i}"));
            assert!(!d.changed);
        }
    }
}
