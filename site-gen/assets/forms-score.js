// The scored form's parts of a form page (the evaluation report): the scores and their
// reasons, the running total at the foot of the screen, the survey summary (percentage
// table and SVG chart) and the import of survey responses. forms.js loads this module
// only on a page that has them, so the survey and the other forms load less script.
//
// As in forms.js, every number comes from the Rust engine (score_report,
// summary_from_counts, survey_import); this file only shows what it returns.

import { el, parseJson, today } from "./dom.js";

let ctx = null;
let barFrame = 0; // the score bar is updated once a frame (it reads the layout)
let lastSummary = null;
const LEVELS = [];
const ROWS = [];

/** Called once by forms.js with what this module needs of the page and its engine. */
export function init(pageCtx) {
  ctx = pageCtx;
  readCountsLayout();
  addEventListener("scroll", () => {
    if (!barFrame) barFrame = requestAnimationFrame(() => { barFrame = 0; updateScoreBar(); });
  }, { passive: true });
}

/** After each validation: the engine's score report and survey summary, shown. */
export function afterRun(resp, report) {
  const { app } = ctx;
  const engine = ctx.engine();
  if (app.querySelector("[data-score]") || app.querySelector("[data-score-total]")) {
    renderScore(parseJson(engine.score_report(JSON.stringify(resp), today()), null));
  }
  const holder = app.querySelector("[data-survey-summary]");
  if (holder) {
    const counts = (report.values && report.values[holder.dataset.field]) || resp.values[holder.dataset.field];
    if (counts) renderSummary(parseJson(engine.summary_from_counts(JSON.stringify(counts)), null));
  }
}

/** The last survey summary drawn again (after a discard is undone). */
export function redrawSummary() {
  if (lastSummary) renderSummary(lastSummary);
}

function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

function renderScore(report) {
  const { app, fmt } = ctx;
  const score = report && report.score;
  if (!score) return;
  const inds = score.indicators || {};
  for (const o of app.querySelectorAll("[data-score]")) {
    const s = inds[o.dataset.score];
    o.textContent = s && s.score != null ? String(s.score) : (o.dataset.unanswered || "—");
    o.dataset.state = s && s.score != null ? "" : "open";
  }
  for (const o of app.querySelectorAll("[data-reason]")) {
    const s = inds[o.dataset.reason];
    o.textContent = s && s.reason ? s.reason : "";
  }
  (score.sections || []).forEach((sec, i) => {
    for (const o of app.querySelectorAll(`[data-section-score="${i}"]`)) {
      // A section none of whose items is answered has no subtotal yet (not 0).
      const body = o.closest("tbody");
      const open = body && [...body.querySelectorAll("[data-score]")].every((x) => x.dataset.state === "open");
      o.textContent = open ? "—" : fmt(sec.score);
    }
  });
  const open = Object.values(inds).filter((s) => !s || s.score == null).length;
  const none = open > 0 && open === Object.keys(inds).length;
  for (const o of app.querySelectorAll("[data-score-total]")) o.textContent = none ? (o.dataset.unanswered || "—") : fmt(score.total);
  for (const o of app.querySelectorAll("[data-score-open]")) o.textContent = open ? `尚有 ${open} 项未填` : "各项均已填写";
  if (!barFrame) barFrame = requestAnimationFrame(() => { barFrame = 0; updateScoreBar(); });
  // Rendered only for a schema with a pass mark; the engine says whether it is reached.
  for (const o of app.querySelectorAll("[data-score-passed]")) {
    if (typeof score.passed !== "boolean") {
      o.textContent = o.dataset.incomplete || "—";
      delete o.dataset.state;
    } else {
      o.textContent = o.dataset[score.passed ? "true" : "false"];
      o.dataset.state = score.passed ? "pass" : "fail";
    }
  }
}

// ---------- the running total at the foot of the screen ----------

function updateScoreBar() {
  const { app } = ctx;
  const bar = app.querySelector("[data-score-bar]");
  if (!bar) return;
  const out = bar.querySelector("[data-score-bar-section]");
  const mid = innerHeight / 2;
  const table = app.querySelector("table.scoring");
  // The table's section first: while it is off screen its rows are not laid out
  // (forms.css, `content-visibility`), and measuring a row would lay the whole table out.
  const around = table && (table.closest("fieldset.section") || table).getBoundingClientRect();
  if (!around || around.top > mid || around.bottom <= 0) { out.textContent = ""; return; }
  let current = null;
  for (const tb of app.querySelectorAll("table.scoring tbody")) {
    const r = tb.getBoundingClientRect();
    if (r.top <= mid) current = tb;
    if (r.top > mid) break;
  }
  const tr = table.getBoundingClientRect().bottom > 0 && current ? current.querySelector("tr.subtotal") : null;
  if (!tr) { out.textContent = ""; return; }
  out.textContent = `${tr.dataset.sectionLabel} ${tr.querySelector("output").textContent} / ${tr.dataset.sectionMax}`;
}

// ---------- survey summary: percentage table + inline SVG chart ----------

function readCountsLayout() {
  const holder = ctx.app.querySelector("[data-survey-summary]");
  if (!holder) return;
  const layout = parseJson(holder.dataset.layout || "{}", {});
  LEVELS.splice(0, LEVELS.length, ...(layout.levels || []));
  ROWS.splice(0, ROWS.length, ...(layout.rows || []));
}

function renderSummary(summary) {
  const holder = ctx.app.querySelector("[data-survey-summary]");
  if (!holder || !summary) return;
  lastSummary = summary;
  holder.replaceChildren();
  const forms = summary.forms || 0;
  // r as the engine writes it (the collection page shows the same).
  const rate = summary.satisfaction_rate_text;
  const d = holder.dataset;
  holder.append(el("p", { class: "survey-rate" },
    `${d.formsLabel} ${forms} 份；${d.rateLabel} = ${rate == null ? "—" : rate}` +
    (summary.satisfaction_score == null ? "" : `；${d.scoreLabel} ${summary.satisfaction_score} 分`)));
  const wrap = el("div", { class: "survey-summary" });
  const table = el("table", { class: "pct-table" });
  table.append(el("caption", { text: d.percentCaption }));
  const head = el("tr", null, el("th", { scope: "col", text: d.rowHeader }));
  for (const l of LEVELS) head.append(el("th", { scope: "col", text: l.label }));
  table.append(el("thead", null, head));
  const body = el("tbody");
  const inds = summary.indicators || {};
  for (const r of ROWS) {
    const tr = el("tr", null, el("th", { scope: "row", text: r.label }));
    for (const l of LEVELS) {
      const c = inds[r.id] && inds[r.id][l.id];
      tr.append(el("td", { text: c && c.percent != null ? Number(c.percent).toFixed(1) : "—" }));
    }
    body.append(tr);
  }
  table.append(body);
  wrap.append(table, chart(inds, d.chartTitle));
  holder.append(wrap);
}

function chart(inds, titleText) {
  const rowH = 26, labelW = 170, barW = 300, top = 28;
  const h = top + ROWS.length * rowH + 8;
  const s = svg("svg", { viewBox: `0 0 ${labelW + barW + 10} ${h}`, role: "img", class: "survey-chart" });
  const title = svg("title");
  title.textContent = titleText;
  s.append(title);
  let lx = 0;
  LEVELS.forEach((l, i) => {
    const g = svg("g");
    g.append(svg("rect", { x: lx, y: 4, width: 12, height: 12, class: `lv lv${i}` }));
    const t = svg("text", { x: lx + 16, y: 15, class: "legend" });
    t.textContent = l.label;
    g.append(t);
    s.append(g);
    lx += 20 + l.label.length * 14 + 12;
  });
  ROWS.forEach((r, ri) => {
    const y = top + ri * rowH;
    const lab = svg("text", { x: labelW - 6, y: y + 16, "text-anchor": "end", class: "row-label" });
    lab.textContent = r.label;
    s.append(lab);
    let x = labelW;
    LEVELS.forEach((l, li) => {
      const c = inds[r.id] && inds[r.id][l.id];
      const pct = c ? Number(c.percent) || 0 : 0;
      const w = (barW * pct) / 100;
      if (w > 0) {
        const rect = svg("rect", { x, y: y + 3, width: w, height: rowH - 8, class: `lv lv${li}` });
        const tt = svg("title");
        tt.textContent = `${r.label} ${l.label} ${pct}%`;
        rect.append(tt);
        s.append(rect);
        if (w > 26) {
          const t = svg("text", { x: x + w / 2, y: y + 16, "text-anchor": "middle", class: "bar-label" });
          t.textContent = String(Math.round(pct));
          s.append(t);
        }
      }
      x += w;
    });
  });
  return s;
}

// ---------- survey import ----------

// Survey responses imported into the counts field are kept (localStorage, beside the
// draft) so that each import ADDS to the counts: the engine skips a response seen before
// (same response_id), keeps counts typed in from paper forms, and reports both.
function surveysKey() {
  return "surveys:" + ctx.formId;
}

function importedSurveys() {
  try { return localStorage.getItem(surveysKey()) || "[]"; } catch (_) { return "[]"; }
}

/** Adds survey files (or `{name, text}` handed over when `named`) to the counts. */
export async function importSurveys(files, named) {
  const holder = ctx.app.querySelector("[data-survey-summary]");
  if (!holder || !files.length) return;
  const list = [];
  // The engine's limit on any one file: a larger one is refused before it is read, and
  // the counts stay as they were.
  const engine = ctx.surveyEngine() || ctx.engine();
  const limit = named ? null : parseJson(engine.file_limit(), null);
  const big = limit ? files.filter((f) => f.size > limit.bytes) : [];
  if (big.length) {
    return ctx.importFailed(`无法导入 ${big.map((f) => f.name).join("、")}，问卷汇总未改动`, [{ path: "", message: limit.message }]);
  }
  for (const f of files) {
    if (named) { list.push(f); continue; }
    let text = "";
    try { text = await f.text(); } catch (e) { text = "\u0000unreadable"; }
    list.push({ name: f.name, text });
  }
  const field = holder.dataset.field;
  const values = ctx.collectValues();
  const res = parseJson(engine.survey_import(importedSurveys(),
    JSON.stringify(values[field] || { forms: 0, indicators: {} }), list, today()), null);
  if (!res) return;
  try { localStorage.setItem(surveysKey(), JSON.stringify(res.entries || [])); } catch (_) { /* storage off */ }
  values[field] = res.counts;
  ctx.fillValues(values);
  ctx.saveDraft();
  const rep = res.report || {};
  const rejected = (rep.rejected || []).map((r) => {
    const li = el("li", null, el("strong", { text: r.file }), "：");
    li.append((r.findings || []).map((f) => (f.path ? `${f.path} ` : "") + f.message).join("；"));
    return li;
  });
  for (const d of rep.duplicates || []) {
    rejected.push(el("li", null, el("strong", { text: d.source }), `：与 ${d.first_source} 是同一份问卷，只计一次`));
  }
  ctx.showBox("survey-rejected", `未计入 ${rejected.length} 份（无效或重复）`, rejected, "warning");
  const added = (rep.added || []).length;
  ctx.importOk(`本次新增 ${added} 份有效问卷，合计 ${res.counts ? res.counts.forms : 0} 份` +
    (rejected.length ? `，${rejected.length} 份未计入` : "") +
    (res.without_id ? `；其中 ${res.without_id} 份没有编号（旧版导出），无法判断是否重复` : ""));
  ctx.run(false);
}

/** Responses the collection page handed over through localStorage ("handoff:<form>"). */
export function takeHandoff() {
  const key = "handoff:" + ctx.formId;
  let raw = null;
  try { raw = localStorage.getItem(key); localStorage.removeItem(key); } catch (_) { raw = null; }
  const list = raw ? parseJson(raw, null) : null;
  if (!Array.isArray(list)) return;
  importSurveys(list, true).then(showSurveySection);
}

/** After the collection's carry: section 五 (the counts and their summary) in view, its
 *  heading focused, since that is what the organizer came for. */
function showSurveySection() {
  const holder = ctx.app.querySelector("[data-survey-summary]");
  const section = holder && holder.closest("fieldset, section");
  if (!section) return;
  if (!section.hasAttribute("tabindex")) section.setAttribute("tabindex", "-1");
  section.scrollIntoView({ block: "start" });
  section.focus({ preventScroll: true });
}
