// Form pages: loads the wasm form engine and wires the HTML form rendered by site-gen.
//
// Every rule runs in the Rust engine (wasm_forms.js + wasm_forms_bg.wasm); this file only
// reads the controls into a response object, hands it to the engine as JSON and shows the
// report it returns (errors, warnings, normalisation notes, computed values). Drafts stay
// in localStorage; nothing is sent anywhere. Text from files or the engine is always
// inserted with textContent / value, never as HTML.

import { el, dataBlock, parseJson, today } from "./dom.js";

const app = document.querySelector("[data-form-id]");
const form = document.getElementById("form");
const FORM_ID = app ? app.dataset.formId : "";
const FORM_VERSION = app ? Number(app.dataset.formVersion || "1") : 1;
const DRAFT_KEY = "draft:" + FORM_ID;
const BASE_TITLE = document.title;

let engine = null;
let surveyEngine = null;
let submitted = false;
let lastReport = null;
let lastScore = null;
let lastSummary = null;

// ---------- small helpers ----------

function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

/** `trainees[3].id_number` → ["trainees", 3, "id_number"] */
function parsePath(path) {
  const out = [];
  for (const part of path.split(".")) {
    const m = part.match(/^([^[\]]*)((?:\[\d+\])*)$/);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function setPath(obj, segs, value) {
  let cur = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    if (cur[s] == null || typeof cur[s] !== "object") cur[s] = typeof segs[i + 1] === "number" ? [] : {};
    cur = cur[s];
  }
  cur[segs[segs.length - 1]] = value;
}

function getPath(obj, segs) {
  let cur = obj;
  for (const s of segs) {
    if (cur == null || typeof cur !== "object") return undefined;
    cur = cur[s];
  }
  return cur;
}

function controls() {
  return Array.from(form.querySelectorAll("[name][data-type]"));
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\[\].]/g, "\\$&");
}

function byName(name) {
  return form.querySelectorAll(`[name="${cssEscape(name)}"]`);
}

function download(name, mime, data) {
  const blob = data instanceof Blob ? data : new Blob([data], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The schema names the field that names exported files (`file_name_field`).
function fileBase() {
  const field = app.dataset.fileNameField;
  const p = field ? form.querySelector(`[name="${cssEscape(field)}"]`) : null;
  const n = p && p.value.trim() ? "-" + p.value.trim().replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 40) : "";
  return FORM_ID + n;
}

// ---------- reading and writing the controls ----------

const NUMERIC = new Set(["number", "score", "count", "percent"]);

function convert(type, raw) {
  if (type === "bool") return raw === true || raw === "true";
  if (NUMERIC.has(type)) {
    const t = raw.trim();
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    return raw; // the engine normalises full-width digits or reports what is wrong
  }
  return raw;
}

function collectValues() {
  const values = {};
  for (const c of controls()) {
    let v;
    if (c.type === "radio") {
      if (!c.checked) continue;
      v = convert(c.dataset.type, c.value);
    } else if (c.type === "checkbox") {
      v = c.checked;
    } else {
      if (c.value.trim() === "") continue;
      v = convert(c.dataset.type, c.value);
    }
    setPath(values, parsePath(c.name), v);
  }
  for (const t of form.querySelectorAll("[data-table]")) {
    const id = t.dataset.table;
    const n = t.querySelectorAll("tbody tr[data-row]").length;
    const arr = Array.isArray(values[id]) ? values[id] : [];
    for (let i = 0; i < n; i++) if (arr[i] == null) arr[i] = {};
    arr.length = n;
    values[id] = arr;
  }
  return values;
}

// The values as last read from the form. An edit to one control updates only its path;
// structural changes (rows added or removed, imports, drafts) clear it.
let cache = null;

function delPath(obj, segs) {
  const parent = getPath(obj, segs.slice(0, -1));
  if (parent && typeof parent === "object") delete parent[segs[segs.length - 1]];
}

function updateCache(c) {
  if (!cache || !c || !c.name || !c.dataset || !c.dataset.type || /__i__/.test(c.name)) {
    cache = null;
    return;
  }
  const segs = parsePath(c.name);
  if (c.type === "checkbox") setPath(cache, segs, c.checked);
  else if (c.type === "radio") {
    if (c.checked) setPath(cache, segs, convert(c.dataset.type, c.value));
  } else if (c.value.trim() === "") delPath(cache, segs);
  else setPath(cache, segs, convert(c.dataset.type, c.value));
}

function response() {
  if (!cache) cache = collectValues();
  return { form: FORM_ID, version: FORM_VERSION, values: cache };
}

function setControl(c, v) {
  if (c.type === "radio") c.checked = v != null && String(v) === c.value;
  else if (c.type === "checkbox") c.checked = v === true || v === "true";
  else c.value = v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Puts `values` into the form: tables get as many rows as the values hold. */
function fillValues(values) {
  cache = null;
  for (const t of form.querySelectorAll("[data-table]")) {
    const rows = values && Array.isArray(values[t.dataset.table]) ? values[t.dataset.table] : [];
    setRowCount(t, Math.max(rows.length, t.dataset.minRows ? Number(t.dataset.minRows) : 1));
  }
  for (const c of controls()) setControl(c, getPath(values || {}, parsePath(c.name)));
}

// ---------- tables: add / remove rows ----------

function renumber(table) {
  cache = null;
  const id = table.dataset.table;
  const rows = table.querySelectorAll("tbody tr[data-row]");
  rows.forEach((tr, i) => {
    tr.dataset.row = String(i);
    const num = tr.querySelector("[data-row-number]");
    if (num) num.textContent = String(i + 1);
    for (const c of tr.querySelectorAll("[name]")) {
      const col = c.dataset.col;
      c.name = `${id}[${i}].${col}`;
      c.id = `f-${id}-${i}-${col}`;
      c.setAttribute("aria-label", `第 ${i + 1} 行 ${c.dataset.label || col}`);
    }
    const rm = tr.querySelector("[data-remove-row]");
    if (rm) rm.setAttribute("aria-label", `删除第 ${i + 1} 行`);
  });
  const count = app.querySelector(`[data-row-count="${cssEscape(id)}"]`);
  if (count) count.textContent = String(rows.length);
}

function addRow(table, focus) {
  const tpl = document.getElementById("tpl-" + table.dataset.table);
  if (!tpl) return null;
  const tr = tpl.content.firstElementChild.cloneNode(true);
  table.querySelector("tbody").append(tr);
  renumber(table);
  applyPrefill(tr, true);
  if (focus) {
    const first = tr.querySelector("input, select, textarea");
    if (first) first.focus();
  }
  return tr;
}

/** Sets the number of rows in one pass (an import of 10,000 rows renumbers once). */
function setRowCount(table, n) {
  const body = table.querySelector("tbody");
  const rows = body.querySelectorAll("tr[data-row]");
  for (let i = rows.length; i > n; i--) rows[i - 1].remove();
  const tpl = document.getElementById("tpl-" + table.dataset.table);
  if (tpl && rows.length < n) {
    const proto = tpl.content.firstElementChild;
    const frag = document.createDocumentFragment();
    for (let i = rows.length; i < n; i++) {
      const tr = proto.cloneNode(true);
      applyPrefill(tr, true);
      frag.append(tr);
    }
    body.append(frag);
  }
  renumber(table);
}

form.addEventListener("click", (ev) => {
  const add = ev.target.closest("[data-add-row]");
  if (add) {
    const t = form.querySelector(`[data-table="${cssEscape(add.dataset.addRow)}"]`);
    if (t) { addRow(t, true); changed(); }
    return;
  }
  const rm = ev.target.closest("[data-remove-row]");
  if (rm) {
    const tr = rm.closest("tr");
    const t = rm.closest("[data-table]");
    const next = tr.nextElementSibling || tr.previousElementSibling;
    tr.remove();
    renumber(t);
    const target = next ? next.querySelector("[data-remove-row]") : t.parentElement.querySelector("[data-add-row]");
    if (target) target.focus();
    announce("已删除一行");
    changed();
  }
});

// ---------- status, notices ----------

function announce(msg) {
  const live = document.getElementById("form-live");
  if (live) live.textContent = msg;
}

function setStatus(msg, kind) {
  const s = document.getElementById("form-status");
  if (!s) return;
  s.textContent = msg;
  s.dataset.kind = kind || "info";
}

function showBox(id, title, items, kind) {
  const box = document.getElementById(id);
  if (!box) return;
  box.replaceChildren();
  if (!items || items.length === 0) { box.hidden = true; return; }
  box.hidden = false;
  box.dataset.kind = kind || "info";
  box.append(el("h2", { text: title }));
  const ul = el("ul");
  for (const it of items) ul.append(typeof it === "string" ? el("li", { text: it }) : it);
  box.append(ul);
}

// ---------- errors (GOV.UK pattern) ----------

// name → first control, data-field / data-path → element; rebuilt for each rendering
// of the findings so that thousands of findings on a long roster stay fast.
let index = null;

function buildIndex() {
  const names = new Map();
  for (const c of controls()) if (!names.has(c.name)) names.set(c.name, c);
  const fields = new Map();
  for (const g of form.querySelectorAll("[data-field], [data-path]")) {
    for (const k of [g.dataset.field, g.dataset.path]) if (k && !fields.has(k)) fields.set(k, g);
  }
  index = { names, fields };
}

function targetFor(path) {
  if (!index) buildIndex();
  let segs = path;
  while (segs) {
    const c = index.names.get(segs);
    if (c) return { control: c, group: c.closest("td") || c.closest("[data-field]"), exact: true };
    const group = index.fields.get(segs);
    if (group) {
      const c = group.querySelector("[name][data-type]");
      return { control: c, group, exact: false };
    }
    const cut = Math.max(segs.lastIndexOf("."), segs.lastIndexOf("["));
    segs = cut > 0 ? segs.slice(0, cut) : "";
  }
  return { control: null, group: null, exact: false };
}

// What the last rendering of findings changed, so clearing costs O(findings), not
// O(controls), on a long roster.
let marks = { messages: [], controls: [], hosts: [] };

function clearInline() {
  for (const m of marks.messages) m.remove();
  for (const c of marks.controls) {
    c.removeAttribute("aria-invalid");
    if (c.dataset.described !== undefined) {
      if (c.dataset.described) c.setAttribute("aria-describedby", c.dataset.described);
      else c.removeAttribute("aria-describedby");
      delete c.dataset.described;
    }
  }
  for (const g of marks.hosts) g.classList.remove("has-error", "has-warning");
  marks = { messages: [], controls: [], hosts: [] };
}

function describe(c, id) {
  if (!c) return;
  marks.controls.push(c);
  if (c.dataset.described === undefined) c.dataset.described = c.getAttribute("aria-describedby") || "";
  const cur = c.getAttribute("aria-describedby");
  c.setAttribute("aria-describedby", cur ? `${id} ${cur}` : id);
}

function showInline(finding, n) {
  const { control, group, exact } = targetFor(finding.path);
  const isError = finding.severity === "error";
  const id = `msg-${n}`;
  const msg = el("p", { class: "field-message " + (isError ? "is-error" : "is-warning"), id },
    el("span", { class: "msg-tag", text: isError ? "错误：" : "注意：" }), finding.message);
  let anchor = control;
  const host = group || (control && control.closest("td, .field")) || null;
  marks.messages.push(msg);
  if (host) {
    marks.hosts.push(host);
    host.classList.add(isError ? "has-error" : "has-warning");
    const slot = host.querySelector(":scope > .field-messages") || host.querySelector(".field-messages") ||
      (host.tagName === "TR" ? host.querySelector("th, td") : null);
    if (slot) slot.append(msg);
    else if (control && control.closest("td")) control.closest("td").prepend(msg);
    else host.prepend(msg);
  } else {
    const top = document.getElementById("form-level-messages");
    if (top) top.append(msg);
  }
  if (control && exact) {
    const radios = control.type === "radio" || control.type === "checkbox";
    const targets = radios ? byName(control.name) : [control];
    for (const t of targets) {
      describe(t, id);
      if (isError) t.setAttribute("aria-invalid", "true");
    }
  }
  return anchor ? anchor.id : id;
}

function renderFindings(report, moveFocus) {
  index = null;
  clearInline();
  const errors = [];
  const warnings = [];
  const formLevel = document.getElementById("form-level-messages");
  if (formLevel) formLevel.replaceChildren();
  const MAX = 300;
  let hidden = 0;
  (report.findings || []).forEach((f, i) => {
    if (i >= MAX) { if (f.severity === "error") hidden++; return; }
    const target = showInline(f, i);
    const link = el("a", { href: "#" + target }, f.message);
    link.addEventListener("click", (ev) => {
      const t = document.getElementById(target);
      if (!t) return;
      ev.preventDefault();
      const label = t.closest("[data-field], td, fieldset") || t;
      label.scrollIntoView({ block: "center" });
      t.focus();
    });
    const li = el("li", null, link);
    (f.severity === "error" ? errors : warnings).push(li);
  });
  const summary = document.getElementById("error-summary");
  if (summary) {
    const list = summary.querySelector("ul");
    if (hidden) errors.push(el("li", { text: `另有 ${hidden} 个问题未列出，请先修改以上问题` }));
    list.replaceChildren(...errors);
    summary.hidden = errors.length === 0;
    if (moveFocus && errors.length) summary.focus();
  }
  showBox("warning-summary", "请注意（不影响提交）", warnings, "warning");
  document.title = errors.length ? "错误：" + BASE_TITLE : BASE_TITLE;
  const ok = document.getElementById("check-result");
  if (ok) {
    const nErr = (report.findings || []).filter((f) => f.severity === "error").length;
    ok.textContent = errors.length ? `共 ${nErr} 个问题需要修改` :
      (warnings.length ? "检查通过（有需要注意的地方）" : "检查通过") + "。可按“导出草稿（JSON）”保存文件并提交。";
    ok.dataset.kind = errors.length ? "error" : "ok";
  }
}

// ---------- computed values ----------

function fmt(v) {
  if (v === true) return "是";
  if (v === false) return "否";
  if (v == null) return "—";
  return String(v);
}

function renderComputed(report) {
  const computed = (report && report.computed) || {};
  for (const o of app.querySelectorAll("[data-computed]")) {
    const v = getPath(computed, o.dataset.computed.split("."));
    const word = typeof v === "boolean" ? o.dataset[v ? "true" : "false"] : undefined;
    o.textContent = word !== undefined ? word : fmt(v);
    if (typeof v === "boolean") o.dataset.state = v ? "pass" : "fail";
  }
}

// ---------- sums beside their total (the engine adds them up) ----------

function renderSums(report) {
  const lines = new Map(((report && report.sums) || []).map((l) => [l.total, l]));
  for (const line of app.querySelectorAll(".sum-line")) {
    const out = line.querySelector("output");
    const s = lines.get(line.dataset.sumTotal);
    const unit = line.dataset.unit || "";
    const label = line.dataset.totalLabel;
    if (!s || s.sum == null) { out.textContent = "—"; delete out.dataset.state; continue; }
    let text = `${s.sum} ${unit}`;
    if (s.equal != null) {
      text += s.equal ? `，与${label}一致` : `，${label} ${s.total_value} ${unit}，相差 ${s.difference} ${unit}`;
      out.dataset.state = s.equal ? "pass" : "fail";
    } else delete out.dataset.state;
    out.textContent = text;
  }
}

function renderScore(report) {
  const score = report && report.score;
  if (!score) return;
  const inds = score.indicators || {};
  for (const o of app.querySelectorAll("[data-score]")) {
    const s = inds[o.dataset.score];
    o.textContent = s && s.score != null ? String(s.score) : "—";
  }
  for (const o of app.querySelectorAll("[data-reason]")) {
    const s = inds[o.dataset.reason];
    o.textContent = s && s.reason ? s.reason : "";
  }
  (score.sections || []).forEach((sec, i) => {
    for (const o of app.querySelectorAll(`[data-section-score="${i}"]`)) o.textContent = fmt(sec.score);
  });
  for (const o of app.querySelectorAll("[data-score-total]")) o.textContent = fmt(score.total);
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

// ---------- survey summary: percentage table + inline SVG chart ----------

const LEVELS = [];
const ROWS = [];

function readCountsLayout() {
  const holder = app.querySelector("[data-survey-summary]");
  if (!holder) return null;
  const layout = parseJson(holder.dataset.layout || "{}", {});
  LEVELS.splice(0, LEVELS.length, ...(layout.levels || []));
  ROWS.splice(0, ROWS.length, ...(layout.rows || []));
  return holder;
}

function renderSummary(summary) {
  const holder = app.querySelector("[data-survey-summary]");
  if (!holder || !summary) return;
  lastSummary = summary;
  holder.replaceChildren();
  const forms = summary.forms || 0;
  const rate = summary.satisfaction_rate;
  const d = holder.dataset;
  holder.append(el("p", { class: "survey-rate" },
    `${d.formsLabel} ${forms} 份；${d.rateLabel} = ${rate == null ? "—" : Number(rate).toFixed(2) + "%"}` +
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

// ---------- the engine round trip ----------

function run(moveFocus) {
  if (!engine) return;
  const resp = response();
  const report = parseJson(engine.validate(JSON.stringify(resp), today()), null);
  if (!report) return;
  lastReport = report;
  renderComputed(report);
  renderSums(report);
  if (app.querySelector("[data-score]") || app.querySelector("[data-score-total]")) {
    lastScore = parseJson(engine.score_report(JSON.stringify(resp), today()), null);
    renderScore(lastScore);
  }
  const holder = app.querySelector("[data-survey-summary]");
  if (holder) {
    const counts = (report.values && report.values[holder.dataset.field]) || resp.values[holder.dataset.field];
    if (counts) renderSummary(parseJson(engine.summary_from_counts(JSON.stringify(counts)), null));
  }
  // Normalisations (full-width digits, a lower-case x …) are shown as soon as made.
  showBox("notes-box", "已自动调整（不影响提交）", (report.notes || []).map((n) => n.message), "note");
  if (submitted) renderFindings(report, moveFocus);
}

let slowSave = false;
let saveTimer = 0;

function saveDraft() {
  clearTimeout(saveTimer);
  saveTimer = 0;
  try {
    const t0 = performance.now();
    const r = Object.assign({}, response(), { saved_at: new Date().toISOString() });
    localStorage.setItem(DRAFT_KEY, JSON.stringify(r));
    slowSave = performance.now() - t0 > 8;
  } catch (_) { /* storage full or disabled: the form still works */ }
}

/** Every change is saved at once; a very large form (a long roster) is saved at most
 *  every half second while typing, and always when the page is hidden or left. */
function scheduleSave() {
  if (!slowSave) return saveDraft();
  if (!saveTimer) saveTimer = setTimeout(saveDraft, 500);
}

addEventListener("pagehide", () => { if (saveTimer) saveDraft(); });
document.addEventListener("visibilitychange", () => { if (document.hidden && saveTimer) saveDraft(); });

function changed(ev) {
  // A text box fires "input" on every keystroke and "change" again on leaving it.
  if (ev && ev.type === "change" && ev.target && ev.target.matches("input[type=text], input[type=tel], input[type=email], textarea")) return;
  if (ev && ev.target) updateCache(ev.target);
  else cache = null;
  scheduleSave();
  run(false);
}

// ---------- pre-fill from the query string ----------

const query = new URLSearchParams(location.search);

function applyPrefill(root, onlyEmpty) {
  for (const c of root.querySelectorAll("[data-prefill]")) {
    const v = query.get(c.dataset.prefill);
    if (v == null || v === "") continue;
    if (onlyEmpty && c.value.trim() !== "") continue;
    c.value = v.slice(0, 500);
  }
}

// ---------- drafts ----------

function restoreDraft() {
  let raw = null;
  try { raw = localStorage.getItem(DRAFT_KEY); } catch (_) { raw = null; }
  const draft = raw ? parseJson(raw, null) : null;
  if (!draft || draft.form !== FORM_ID || typeof draft.values !== "object" || draft.values === null) return false;
  fillValues(draft.values);
  const n = document.getElementById("draft-notice");
  if (n) {
    const when = draft.saved_at ? new Date(draft.saved_at) : null;
    n.querySelector("[data-draft-text]").textContent = "已恢复上次未提交的草稿" +
      (when && !isNaN(when) ? `（保存于 ${when.toLocaleString("zh-CN")}）` : "") + "。";
    n.hidden = false;
  }
  return true;
}

function discardDraft() {
  try { localStorage.removeItem(DRAFT_KEY); localStorage.removeItem("surveys:" + FORM_ID); } catch (_) { /* ignore */ }
  form.reset();
  for (const t of form.querySelectorAll("[data-table]")) {
    setRowCount(t, 0);
    setRowCount(t, Number(t.dataset.minRows || "1"));
  }
  applyPrefill(form, false);
  submitted = false;
  clearInline();
  const s = document.getElementById("error-summary");
  if (s) s.hidden = true;
  document.title = BASE_TITLE;
  document.getElementById("draft-notice").hidden = true;
  announce("草稿已丢弃");
  document.dispatchEvent(new CustomEvent("form-discarded"));
  run(false);
}

// ---------- import ----------

function importFailed(title, findings) {
  showBox("import-errors", title, findings.map((f) => (f.path ? `${f.path}：` : "") + f.message), "error");
  const box = document.getElementById("import-errors");
  if (box) { box.tabIndex = -1; box.focus(); }
}

function importOk(msg) {
  const box = document.getElementById("import-errors");
  if (box) box.hidden = true;
  setStatus(msg, "ok");
  announce(msg);
}

async function importJsonFile(file) {
  const text = await file.text();
  const res = parseJson(engine.import_json(text), { ok: false, findings: [{ path: "", message: "无法读取" }] });
  if (!res.ok) return importFailed(`无法导入 ${file.name}，当前草稿未改动`, res.findings || []);
  const r = res.response || {};
  if (r.form !== FORM_ID) {
    return importFailed(`无法导入 ${file.name}，当前草稿未改动`,
      [{ path: "form", message: `文件属于表单“${String(r.form)}”，本页是“${FORM_ID}”` }]);
  }
  fillValues(r.values || {});
  saveDraft();
  importOk(`已导入 ${file.name}`);
  submitted = true;
  run(false);
}

async function importCsvFile(file) {
  const table = form.querySelector("[data-table][data-csv]");
  if (!table) return;
  // A spreadsheet goes to the engine as typed cells (the reader is loaded only now); a
  // CSV is decoded in the encoding the engine recognises (UTF-8, UTF-16, GBK/GB18030).
  const bytes = new Uint8Array(await file.arrayBuffer());
  const unreadable = { ok: false, findings: [{ path: "", message: "无法读取" }] };
  let res, note = null;
  if (/\.xlsx$/i.test(file.name) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    const { readXlsx } = await import("./forms-xlsx-read.js");
    const sheet = await readXlsx(bytes.buffer);
    res = parseJson(engine.import_cells(JSON.stringify(sheet.rows)), unreadable);
  } else {
    const enc = parseJson(engine.sniff_csv(bytes), { label: "utf-8", note: null });
    note = enc.note;
    res = parseJson(engine.import_csv(new TextDecoder(enc.label).decode(bytes)), unreadable);
  }
  if (!res.ok) return importFailed(`无法导入 ${file.name}，当前草稿未改动`, res.findings || []);
  const values = collectValues();
  values[table.dataset.table] = res.rows || [];
  fillValues(values);
  saveDraft();
  importOk(`已从 ${file.name} 导入 ${(res.rows || []).length} 行` + (note ? `。${note}` : ""));
  submitted = true;
  run(false);
}

// Survey responses imported into the counts field are kept (localStorage, beside the
// draft) so that each import ADDS to the counts: the engine skips a response seen before
// (same response_id), keeps counts typed in from paper forms, and reports both.
const SURVEYS_KEY = "surveys:" + FORM_ID;

function importedSurveys() {
  try { return localStorage.getItem(SURVEYS_KEY) || "[]"; } catch (_) { return "[]"; }
}

async function importSurveys(files, named) {
  const holder = app.querySelector("[data-survey-summary]");
  if (!holder || !files.length) return;
  const list = [];
  for (const f of files) {
    if (named) { list.push(f); continue; }
    let text = "";
    try { text = await f.text(); } catch (e) { text = "\u0000unreadable"; }
    list.push({ name: f.name, text });
  }
  const field = holder.dataset.field;
  const values = collectValues();
  const res = parseJson((surveyEngine || engine).survey_import(importedSurveys(),
    JSON.stringify(values[field] || { forms: 0, indicators: {} }), list, today()), null);
  if (!res) return;
  try { localStorage.setItem(SURVEYS_KEY, JSON.stringify(res.entries || [])); } catch (_) { /* storage off */ }
  values[field] = res.counts;
  fillValues(values);
  saveDraft();
  const rep = res.report || {};
  const rejected = (rep.rejected || []).map((r) => {
    const li = el("li", null, el("strong", { text: r.file }), "：");
    li.append((r.findings || []).map((f) => (f.path ? `${f.path} ` : "") + f.message).join("；"));
    return li;
  });
  for (const d of rep.duplicates || []) {
    rejected.push(el("li", null, el("strong", { text: d.source }), `：与 ${d.first_source} 是同一份问卷，只计一次`));
  }
  showBox("survey-rejected", `未计入 ${rejected.length} 份（无效或重复）`, rejected, "warning");
  const added = (rep.added || []).length;
  importOk(`本次新增 ${added} 份有效问卷，合计 ${res.counts ? res.counts.forms : 0} 份` +
    (rejected.length ? `，${rejected.length} 份未计入` : "") +
    (res.without_id ? `；其中 ${res.without_id} 份没有编号（旧版导出），无法判断是否重复` : ""));
  run(false);
}

// The collection page hands its responses over through localStorage ("handoff:<form>").
function takeHandoff() {
  const key = "handoff:" + FORM_ID;
  let raw = null;
  try { raw = localStorage.getItem(key); localStorage.removeItem(key); } catch (_) { raw = null; }
  const list = raw ? parseJson(raw, null) : null;
  return Array.isArray(list) ? list : null;
}

// ---------- export ----------

function exportJson() {
  const out = engine.export_json(JSON.stringify(response()), today());
  download(fileBase() + ".json", "application/json", out);
}

function tableRows(table) {
  const values = collectValues();
  return values[table.dataset.table] || [];
}

function exportCsv() {
  const table = form.querySelector("[data-table][data-csv]");
  if (!table) return;
  const csv = engine.export_csv(table.dataset.table, JSON.stringify(tableRows(table)));
  download(fileBase() + ".csv", "text/csv;charset=utf-8", csv);
}

async function exportXlsx() {
  const table = form.querySelector("[data-table][data-csv]");
  if (!table) return;
  const { xlsx } = await import("./forms-xlsx.js");
  const cols = Array.from(table.querySelectorAll("thead th[data-col]")).map((th) => ({
    id: th.dataset.col,
    label: th.dataset.label || th.textContent.trim(),
    numeric: th.dataset.numeric === "true",
  }));
  const rows = tableRows(table);
  const title = app.querySelector("h1") ? app.querySelector("h1").textContent.trim() : FORM_ID;
  download(fileBase() + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    xlsx(title.slice(0, 31), cols, rows));
}

// ---------- notice choice (rules of each notice attaching the form) ----------

function currentRules(notices) {
  const sel = document.getElementById("notice-select");
  const slug = (sel && sel.value) || query.get("notice") || notices.default;
  const n = (notices.notices || []).find((x) => x.slug === slug) || (notices.notices || [])[0];
  if (!n) return {};
  // Opened from a program page: the rules of the program's own list.
  const list = n.slug === query.get("notice") ? query.get("list") : null;
  return (list && n.lists && n.lists[list]) || n.rules || {};
}

// ---------- start ----------

function wireButtons(notices) {
  const on = (id, ev, fn) => { const b = document.getElementById(id); if (b) b.addEventListener(ev, fn); };
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    submitted = true;
    run(true);
    saveDraft();
    // Other modules of the page (the survey's hand-in panel) act on a finished check.
    document.dispatchEvent(new CustomEvent("form-checked", { detail: { response: response(), report: lastReport } }));
  });
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  on("btn-discard-draft", "click", discardDraft);
  on("btn-export-json", "click", exportJson);
  on("btn-export-csv", "click", exportCsv);
  on("btn-export-xlsx", "click", () => { exportXlsx().catch((e) => setStatus("导出失败：" + e, "error")); });
  on("btn-print", "click", () => window.print());
  on("file-import-json", "change", (ev) => {
    const f = ev.target.files[0]; ev.target.value = "";
    if (f) importJsonFile(f).catch((e) => importFailed("无法导入，当前草稿未改动", [{ path: "", message: String(e) }]));
  });
  on("file-import-csv", "change", (ev) => {
    const f = ev.target.files[0]; ev.target.value = "";
    if (f) importCsvFile(f).catch((e) => importFailed("无法导入，当前草稿未改动", [{ path: "", message: String(e) }]));
  });
  on("file-import-surveys", "change", (ev) => {
    const fs = Array.from(ev.target.files); ev.target.value = "";
    importSurveys(fs);
  });
  const drop = document.getElementById("survey-drop");
  if (drop) {
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("is-over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault();
      drop.classList.remove("is-over");
      importSurveys(Array.from(ev.dataTransfer.files));
    });
  }
  const sel = document.getElementById("notice-select");
  if (sel) {
    const want = query.get("notice");
    if (want && Array.from(sel.options).some((o) => o.value === want)) sel.value = want;
    sel.addEventListener("change", () => {
      try {
        engine.set_rules(JSON.stringify(currentRules(notices)));
        if (surveyEngine) surveyEngine.set_rules(JSON.stringify(currentRules(notices)));
      } catch (e) { setStatus(String(e), "error"); }
      run(false);
    });
  }
}

async function start() {
  if (!app || !form) return;
  readCountsLayout();
  for (const t of form.querySelectorAll("[data-table]")) renumber(t);
  if (typeof WebAssembly !== "object") {
    setStatus("本页的检查和计算需要浏览器支持 WebAssembly。表单仍可阅读和打印。", "error");
    return;
  }
  const notices = parseJson(dataBlock("form-notices") || "{}", {});
  try {
    // The page names its engine bundle (the survey's leaves out the organizers' parts).
    const wasm = await import(`./wasm/${app.dataset.engine || "wasm_forms"}.js`);
    await wasm.default();
    const rules = JSON.stringify(currentRules(notices));
    engine = new wasm.Engine(dataBlock("form-schema"), rules, dataBlock("form-calendar") || "null");
    if (dataBlock("form-survey-schema")) {
      surveyEngine = new wasm.Engine(dataBlock("form-survey-schema"), rules, dataBlock("form-calendar") || "null");
    }
  } catch (e) {
    setStatus("无法加载表单引擎（WebAssembly）：" + String(e), "error");
    return;
  }
  const restored = restoreDraft();
  applyPrefill(form, restored);
  wireButtons(notices);
  app.classList.add("is-ready");
  for (const b of app.querySelectorAll("[data-needs-wasm]")) b.disabled = false;
  setStatus("填写时自动保存在本机浏览器中，不会上传。填好后按“检查”。", "ok");
  run(false);
  const handed = takeHandoff();
  if (handed) importSurveys(handed, true);
}

start();
