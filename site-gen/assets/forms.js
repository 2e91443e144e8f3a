// Form pages: loads the wasm form engine and wires the HTML form rendered by site-gen.
// The scored form's parts (scores, the survey summary and its import) are in
// forms-score.js, loaded only by a page that has them.
//
// Every rule runs in the Rust engine (wasm_forms.js + wasm_forms_bg.wasm); this file only
// reads the controls into a response object, hands it to the engine as JSON and shows the
// report it returns (errors, warnings, normalisation notes, computed values). Drafts stay
// in localStorage; nothing is sent anywhere. Text from files or the engine is always
// inserted with textContent / value, never as HTML.

import { el, pageData, engineData, parseJson, today, download } from "./dom.js";
import { parsePath, getPath, convert, readControl, setControl } from "./draft.js";

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
// What the engine did to pasted or imported cells it read in another form, listed
// until the next paste or import (the cells themselves now hold what it stores).
let settled = [];
// forms-score.js, loaded only on a page with scores or a survey summary (the evaluation).
let scored = null;

// ---------- small helpers ----------

function controls() {
  return Array.from(form.querySelectorAll("[name][data-type]"));
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\[\].]/g, "\\$&");
}

function byName(name) {
  return form.querySelectorAll(`[name="${cssEscape(name)}"]`);
}

// The schema names the field that names exported files (`file_name_field`).
function fileBase() {
  const field = app.dataset.fileNameField;
  const p = field ? form.querySelector(`[name="${cssEscape(field)}"]`) : null;
  const n = p && p.value.trim() ? "-" + p.value.trim().replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 40) : "";
  return FORM_ID + n;
}

// ---------- reading and writing the controls ----------

function inTableRow(c) {
  return c.closest && c.closest("tr[data-row]") && c.closest("[data-table]");
}

function collectValues() {
  const values = {};
  for (const c of controls()) {
    if (inTableRow(c)) continue; // the rows are read from their model
    readControl(values, c);
  }
  for (const ts of tables.values()) values[ts.id] = ts.rows.map((r) => rowValues(ts, r));
  return values;
}

// The values as last read from the form. An edit to one control updates only its path;
// structural changes (rows added or removed, imports, drafts) clear it.
let cache = null;

function updateCache(c) {
  if (!cache || !c || !c.name || !c.dataset || !c.dataset.type || /__i__/.test(c.name)) {
    cache = null;
    return;
  }
  readControl(cache, c);
}

function response() {
  if (!cache) cache = collectValues();
  return { form: FORM_ID, version: FORM_VERSION, values: cache };
}

/** Puts `values` into the form: tables get as many rows as the values hold. With
 *  `restoring` (a draft just read from storage, on opening the page), the rows' objects
 *  are the model's to keep, and a page of rows shows at first only the rows that fit
 *  on the screen (the rest follows, finishRowsLater). */
function fillValues(values, restoring) {
  cache = null;
  settled = [];
  for (const c of controls()) if (!inTableRow(c)) setControl(c, getPath(values || {}, parsePath(c.name)));
  for (const ts of tables.values()) {
    const rows = values && Array.isArray(values[ts.id]) ? values[ts.id] : [];
    ts.rows = rows.map(restoring ? (r) => ownRow(ts, r) : (r) => rawRow(ts, r));
    while (ts.rows.length < ts.minRows) ts.rows.push(blankRow(ts));
    ts.start = 0;
    renderRows(ts, restoring);
    updateShared(ts);
  }
  updateCounters();
}

// ---------- tables: the rows live in a model; a page of them is in the DOM ----------
//
// A roster can hold 10,000 rows: the rows are kept as plain objects (the raw text of
// each cell, or a boolean for a checkbox) and only PAGE_ROWS of them are rendered at a
// time, with a pager. The controls of a rendered row carry the row's real path
// (`trainees[9000].name`), so findings, autofill and tests see the same names.

const PAGE_ROWS = 100;
const tables = new Map();

function initTables() {
  for (const t of form.querySelectorAll("[data-table]")) {
    const tpl = document.getElementById("tpl-" + t.dataset.table);
    if (!tpl) continue;
    const cols = Array.from(tpl.content.querySelectorAll("[name][data-col]")).map((c) => ({
      id: c.dataset.col,
      type: c.dataset.type,
      bool: c.type === "checkbox",
      prefill: c.dataset.prefill || null,
      label: c.dataset.label || c.dataset.col,
    }));
    const ts = {
      id: t.dataset.table, el: t, tpl, cols, rows: [], start: 0, all: false,
      minRows: Number(t.dataset.minRows || "1"),
      shared: form.querySelector(`[data-shared-for="${cssEscape(t.dataset.table)}"]`),
      pager: app.querySelector(`[data-pager="${cssEscape(t.dataset.table)}"]`),
    };
    tables.set(ts.id, ts);
    ts.rows = [blankRow(ts)];
    renderRows(ts);
  }
}

function tableOf(node) {
  const t = node && node.closest ? node.closest("[data-table]") : null;
  return t ? tables.get(t.dataset.table) : null;
}

function blankRow(ts) {
  const r = {};
  for (const c of ts.cols) r[c.id] = c.bool ? false : "";
  prefillRow(ts, r, true);
  for (const [col, v] of sharedValues(ts)) r[col] = v;
  return r;
}

/** [column, value] of the columns the query string pre-fills (read once). */
function prefills(ts) {
  if (!ts.prefills) {
    ts.prefills = [];
    for (const c of ts.cols) {
      if (!c.prefill || c.bool) continue;
      const v = query.get(c.prefill);
      if (v != null && v !== "") ts.prefills.push([c, v.slice(0, 500)]);
    }
  }
  return ts.prefills;
}

function prefillRow(ts, r, onlyEmpty) {
  let n = 0;
  for (const [c, v] of prefills(ts)) {
    if (onlyEmpty && String(r[c.id] || "").trim() !== "") continue;
    if (r[c.id] !== v) n++;
    r[c.id] = v;
  }
  return n;
}

function rawRow(ts, v) {
  const r = {};
  const o = v && typeof v === "object" ? v : {};
  for (const c of ts.cols) {
    const x = o[c.id];
    if (c.bool) r[c.id] = x === true || x === "true";
    else r[c.id] = x == null ? "" : typeof x === "object" ? JSON.stringify(x) : String(x);
  }
  return r;
}

/** rawRow in place, for a row object nobody else holds (fresh from JSON.parse): a
 *  draft's cells are mostly text already, so only the others are written. */
function ownRow(ts, o) {
  if (!o || typeof o !== "object" || Array.isArray(o)) return rawRow(ts, o);
  for (const c of ts.cols) {
    const x = o[c.id];
    if (c.bool) {
      if (typeof x !== "boolean") o[c.id] = x === "true";
    } else if (typeof x !== "string") {
      o[c.id] = x == null ? "" : typeof x === "object" ? JSON.stringify(x) : String(x);
    }
  }
  return o;
}

function rowValues(ts, r) {
  const out = {};
  for (const c of ts.cols) {
    const v = r[c.id];
    if (c.bool && typeof v === "boolean") out[c.id] = v;
    else if (v != null && String(v).trim() !== "") out[c.id] = convert(c.type, String(v));
  }
  return out;
}

function rowIsEmpty(ts, r) {
  return ts.cols.every((c) => (c.bool ? r[c.id] !== true : String(r[c.id] || "").trim() === ""));
}

/** The rows `from`..`to` of the model as table rows. */
function rowElements(ts, from, to) {
  const proto = ts.tpl.content.firstElementChild;
  const frag = document.createDocumentFragment();
  for (let i = from; i < to; i++) {
    const tr = proto.cloneNode(true);
    tr.dataset.row = String(i);
    const num = tr.querySelector("[data-row-number]");
    if (num) num.textContent = String(i + 1);
    const r = ts.rows[i];
    for (const c of tr.querySelectorAll("[name]")) {
      const col = c.dataset.col;
      c.name = `${ts.id}[${i}].${col}`;
      c.id = `f-${ts.id}-${i}-${col}`;
      c.setAttribute("aria-label", `第 ${i + 1} 行 ${c.dataset.label || col}`);
      if (c.type === "checkbox") c.checked = r[col] === true || r[col] === "true";
      else c.value = r[col] == null ? "" : String(r[col]);
      printValue(c);
    }
    const rm = tr.querySelector("[data-remove-row]");
    if (rm) rm.setAttribute("aria-label", `删除第 ${i + 1} 行`);
    frag.append(tr);
  }
  return frag;
}

/** How many rows can be on the screen at once: a row is at least 40 px high
 *  (table.rows input in forms.css). */
function rowsInView() {
  return Math.max(10, Math.ceil((window.innerHeight || 800) / 40));
}

/** Renders the rows of the current page (or all of them, for printing). With `inView`,
 *  only the rows that fit on the screen; the rest of the page is left in `ts.pending`
 *  for finishRowsLater (or finishRows, at once, whenever something needs them). */
function renderRows(ts, inView) {
  const body = ts.el.tBodies[0];
  const n = ts.rows.length;
  if (ts.start >= n) ts.start = Math.max(0, Math.floor((n - 1) / PAGE_ROWS) * PAGE_ROWS);
  const from = ts.all ? 0 : ts.start;
  const to = ts.all ? n : Math.min(n, ts.start + PAGE_ROWS);
  const now = inView && !ts.all ? Math.min(to, from + rowsInView()) : to;
  ts.pending = now < to ? { next: now, to } : null;
  body.replaceChildren(rowElements(ts, from, now));
  index = null;
  const count = app.querySelector(`[data-row-count="${cssEscape(ts.id)}"]`);
  if (count) count.textContent = String(n);
  renderPager(ts);
}

/** Adds the rows of the page that renderRows left for later (none left: nothing). */
function finishRows(ts, late) {
  const p = ts.pending;
  if (!p) return;
  ts.pending = null;
  ts.el.tBodies[0].append(rowElements(ts, p.next, Math.min(p.to, ts.rows.length)));
  index = null;
  // Messages of a check already shown go on the rows just added.
  if (late && submitted && lastReport) renderFindings(lastReport, false);
}

function finishAllRows() {
  for (const ts of tables.values()) finishRows(ts, false);
}

/** The rows left for later, added once the browser has drawn the frame that shows the
 *  first ones (the timer covers a hidden tab, which draws no frames). */
function finishRowsLater() {
  let done = false;
  const later = () => {
    if (done) return;
    done = true;
    for (const ts of tables.values()) finishRows(ts, true);
  };
  requestAnimationFrame(() => setTimeout(later, 0));
  setTimeout(later, 250);
}

function renderPager(ts) {
  const p = ts.pager;
  if (!p) return;
  const n = ts.rows.length;
  if (n <= PAGE_ROWS) { p.hidden = true; p.replaceChildren(); return; }
  p.hidden = false;
  const last = Math.floor((n - 1) / PAGE_ROWS) * PAGE_ROWS;
  const btn = (text, to, disabled) => {
    const b = el("button", {
      type: "button", class: "secondary", text,
      onclick: () => { goToRow(ts, to); const f = ts.el.querySelector("tbody tr[data-row] input"); if (f) f.focus(); },
    });
    b.disabled = disabled;
    return b;
  };
  const jump = el("input", { type: "text", inputmode: "numeric", id: `pager-${ts.id}-row`, class: "pager-row" });
  const go = el("button", {
    type: "button", class: "secondary", text: "前往",
    onclick: () => {
      const k = Number(jump.value.trim());
      if (!Number.isInteger(k) || k < 1 || k > n) { jump.setAttribute("aria-invalid", "true"); return; }
      jump.removeAttribute("aria-invalid");
      focusRow(ts, k - 1);
    },
  });
  jump.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); go.click(); } });
  p.replaceChildren(
    el("p", { class: "pager-where", text: `第 ${ts.start + 1}–${Math.min(n, ts.start + PAGE_ROWS)} 行，共 ${n} 行` }),
    btn("上一页", Math.max(0, ts.start - PAGE_ROWS), ts.start === 0),
    btn("下一页", Math.min(last, ts.start + PAGE_ROWS), ts.start >= last),
    el("label", { for: jump.id, text: "跳到第" }), jump, el("span", { text: "行" }), go,
  );
}

function goToRow(ts, i) {
  finishRows(ts, false);
  const first = Math.floor(i / PAGE_ROWS) * PAGE_ROWS;
  if (first !== ts.start || !ts.el.querySelector(`tbody tr[data-row="${i}"]`)) {
    ts.start = first;
    renderRows(ts);
    if (submitted && lastReport) renderFindings(lastReport, false);
  }
}

function focusRow(ts, i, col) {
  goToRow(ts, i);
  const tr = ts.el.querySelector(`tbody tr[data-row="${i}"]`);
  if (!tr) return;
  const c = (col && tr.querySelector(`[data-col="${cssEscape(col)}"][name]`)) || tr.querySelector("input, select, textarea");
  tr.scrollIntoView({ block: "center" });
  if (c) c.focus();
}

function addRow(ts, focus) {
  ts.rows.push(blankRow(ts));
  cache = null;
  goToRow(ts, ts.rows.length - 1);
  if (focus) focusRow(ts, ts.rows.length - 1);
}

/** Sets the number of rows (blank rows added at the end). */
function setRowCount(ts, n) {
  if (ts.rows.length > n) ts.rows.length = n;
  while (ts.rows.length < n) ts.rows.push(blankRow(ts));
  cache = null;
  renderRows(ts);
}

/** A cell typed into: its row in the model follows. */
/** A cell prints its whole value as text (its cell's `data-print`, forms.css): an input
 *  box would cut a long 工作单位 or an 18-character id number to its width. */
function printValue(c) {
  const td = c.closest("td[data-col]");
  if (!td || c.type === "checkbox") return;
  td.dataset.print = c.tagName === "SELECT" ? (c.value ? c.options[c.selectedIndex].text : "") : c.value;
}

function syncCell(c) {
  const ts = tableOf(c);
  const tr = c.closest("tr[data-row]");
  if (!ts || !tr || !c.dataset.col) return;
  const r = ts.rows[Number(tr.dataset.row)];
  if (!r) return;
  r[c.dataset.col] = c.type === "checkbox" ? c.checked : c.value;
  printValue(c);
  if (ts.shared && ts.shared.querySelector(`[data-shared-col="${cssEscape(c.dataset.col)}"]`)) updateShared(ts, c.dataset.col);
}

// ---------- shared columns: entered once, applied to every row ----------

function sharedInputs(ts) {
  return ts.shared ? Array.from(ts.shared.querySelectorAll("[data-shared-col]")) : [];
}

function sharedValues(ts) {
  return sharedInputs(ts).filter((i) => i.value.trim() !== "").map((i) => [i.dataset.sharedCol, i.value]);
}

/** Shows in each shared control the value all rows have, or says that they differ. */
function updateShared(ts, only) {
  const inputs = sharedInputs(ts).filter((i) => !only || i.dataset.sharedCol === only);
  // One pass over the rows for all the columns.
  const cols = inputs.map((i) => i.dataset.sharedCol);
  const sets = cols.map(() => new Set());
  for (const r of ts.rows) for (let k = 0; k < cols.length; k++) sets[k].add(String(r[cols[k]] || ""));
  inputs.forEach((input, k) => {
    const col = cols[k];
    const seen = sets[k];
    const state = ts.shared.querySelector(`[data-shared-state="${cssEscape(col)}"]`);
    if (seen.size === 1) {
      input.value = [...seen][0];
      if (state) state.textContent = "";
    } else {
      if (document.activeElement !== input) input.value = "";
      if (state) state.textContent = `各行不同（${seen.size} 种）；在此填写会把每一行改为同一内容`;
    }
  });
}

function applyShared(input) {
  const ts = tables.get(input.closest("[data-shared-for]").dataset.sharedFor);
  if (!ts) return;
  const col = input.dataset.sharedCol;
  for (const r of ts.rows) r[col] = input.value;
  const state = ts.shared.querySelector(`[data-shared-state="${cssEscape(col)}"]`);
  if (state) state.textContent = ts.rows.length > 1 ? `已应用到全部 ${ts.rows.length} 行` : "";
  cache = null;
  renderRows(ts);
}

// ---------- paste a block copied from Excel / WPS ----------

/** Tab-separated lines (CRLF or LF), with Excel's quoting of cells holding a tab,
 *  a line break or a quote. The trailing line break Excel adds is dropped. */
function pasteBlock(ev) {
  const c = ev.target;
  const ts = tableOf(c);
  const tr = c && c.closest ? c.closest("tr[data-row]") : null;
  if (!ts || !tr || !c.dataset.col) return;
  const text = ev.clipboardData ? ev.clipboardData.getData("text/plain") : "";
  if (!/[\t\n\r]/.test(text.replace(/[\r\n]+$/, ""))) return; // one cell: the browser pastes it
  ev.preventDefault();
  const row0 = Number(tr.dataset.row);
  const col0 = ts.cols.findIndex((x) => x.id === c.dataset.col);
  if (col0 < 0 || !engine) return;
  // The engine reads the block's cells and drops a copied header row (the table's own
  // labels from this column on).
  const labels = ts.cols.slice(col0).map((x) => x.label);
  const grid = parseJson(engine.paste_block(text, JSON.stringify(labels)), { rows: [] }).rows || [];
  if (!grid.length) return;
  const width = Math.max(...grid.map((r) => r.length));
  if (col0 + width > ts.cols.length) {
    showBox("import-errors", "没有粘贴：列数放不下，表格未改动", [
      `复制的内容有 ${width} 列，从“${ts.cols[col0].label}”到最后一列只有 ${ts.cols.length - col0} 列。请从更靠左的一栏开始粘贴，或先在表格软件中删去多余的列。`,
    ], "error");
    return;
  }
  const before = ts.rows.map((r) => Object.assign({}, r));
  settled = [];
  let overwritten = 0;
  for (let k = 0; k < grid.length; k++) {
    const i = row0 + k;
    while (ts.rows.length <= i) ts.rows.push(blankRow(ts));
    const r = ts.rows[i];
    grid[k].forEach((v, j) => {
      const col = ts.cols[col0 + j];
      let val = v.trim();
      if (col.bool) val = /^(是|true|√|✓)$/i.test(val) ? true : /^(否|false|×)?$/i.test(val) ? false : val;
      const old = r[col.id];
      if (old !== val && old !== "" && old !== false && old != null) overwritten++;
      r[col.id] = val;
    });
  }
  cache = null;
  renderRows(ts);
  updateShared(ts);
  focusRow(ts, row0, c.dataset.col);
  // What was pasted is checked at once, as an import is: a cell that cannot be read
  // keeps its text with its error beside it.
  submitted = true;
  run(false);
  settle(ts, row0, row0 + grid.length);
  saveDraft();
  const msg = `已粘贴 ${grid.length} 行、${width} 列（从第 ${row0 + 1} 行“${ts.cols[col0].label}”起）` +
    (overwritten ? `，替换了 ${overwritten} 个原有内容` : "");
  showUndo(msg, () => { ts.rows = before; settled = []; cache = null; renderRows(ts); updateShared(ts); saveDraft(); run(false); });
}

/** After a paste or an import into rows `from`..`to`: each cell the engine read in
 *  another form (2020/10/12, 2020年10月12日, full-width digits, a serial date, a choice
 *  by its name) shows the value it stores, and its note stays listed. A cell it cannot read keeps its text
 *  and its error. */
function settle(ts, from, to) {
  const report = lastReport;
  const rows = report && report.values && Array.isArray(report.values[ts.id]) ? report.values[ts.id] : [];
  const notes = new Map();
  for (const n of (report && report.notes) || []) notes.set(n.path, (notes.get(n.path) || []).concat(n));
  let updated = 0;
  for (let i = from; i < Math.min(to, ts.rows.length); i++) {
    const r = ts.rows[i], v = rows[i];
    if (!r || !v || typeof v !== "object") continue;
    for (const c of ts.cols) {
      const n = notes.get(`${ts.id}[${i}].${c.id}`);
      const x = v[c.id];
      if (!n || c.bool || (typeof x !== "string" && typeof x !== "number")) continue;
      if (String(x) !== r[c.id]) { r[c.id] = String(x); updated++; }
      settled.push(...n);
    }
  }
  if (!updated) return;
  cache = null;
  renderRows(ts);
  updateShared(ts);
  run(false);
}

form.addEventListener("paste", pasteBlock);

form.addEventListener("click", (ev) => {
  const add = ev.target.closest("[data-add-row]");
  if (add) {
    const ts = tables.get(add.dataset.addRow);
    if (ts) { addRow(ts, true); changed(); }
    return;
  }
  const rm = ev.target.closest("[data-remove-row]");
  if (rm) {
    const tr = rm.closest("tr");
    const ts = tableOf(rm);
    const i = Number(tr.dataset.row);
    ts.rows.splice(i, 1);
    cache = null;
    renderRows(ts);
    updateShared(ts);
    const next = ts.el.querySelector(`tbody tr[data-row="${Math.min(i, ts.rows.length - 1)}"] [data-remove-row]`);
    const target = next || ts.el.closest("[data-field]").querySelector("[data-add-row]");
    if (target) target.focus();
    announce(`已删除第 ${i + 1} 行`);
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

/** Where a path is, in words: `trainees[3].start_date` → 第 4 行“办班开始时间”. */
function placeOf(path) {
  const m = /^([^[\]]+)\[(\d+)\]\.(.+)$/.exec(String(path));
  const ts = m && tables.get(m[1]);
  if (ts) {
    const col = ts.cols.find((c) => c.id === m[3]);
    return `第 ${Number(m[2]) + 1} 行“${col ? col.label : m[3]}”`;
  }
  const label = document.querySelector(`label[for="${cssEscape(controlId(path))}"]`);
  return label ? `“${label.textContent.replace(/（必填）/, "").trim()}”` : "";
}

/** Notes of one kind together, with where the first one is: 60 dates rewritten are one
 *  line (“已将日期统一写作“年-月-日”：共 60 处，如第 1 行“办班开始时间” “2020/10/12”→“2020-10-12””). */
function noteLines(notes) {
  const groups = new Map();
  for (const n of notes) {
    const m = String(n.message);
    const k = m.indexOf("：");
    const head = k > 0 ? m.slice(0, k) : m;
    if (!groups.has(head)) groups.set(head, []);
    groups.get(head).push([n.path, k > 0 ? m.slice(k + 1) : ""]);
  }
  return Array.from(groups, ([head, list]) => {
    const [path, change] = list[0];
    const where = placeOf(path);
    return list.length > 1 ? `${head}：共 ${list.length} 处，如${where} ${change}` : `${head}：${where} ${change}`.replace(/： /, "：");
  });
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
      return { control: group.querySelector("[name][data-type]"), group, exact: false };
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
  for (const g of marks.hosts) g.classList.remove("has-error", "has-warning", "has-missing");
  marks = { messages: [], controls: [], hosts: [] };
}

function describe(c, id) {
  if (!c) return;
  marks.controls.push(c);
  if (c.dataset.described === undefined) c.dataset.described = c.getAttribute("aria-describedby") || "";
  const cur = c.getAttribute("aria-describedby");
  c.setAttribute("aria-describedby", cur ? `${id} ${cur}` : id);
}

/** A finding shown at its field. `missing`: the field is a question not answered yet,
 *  shown as such (with `lead`, the words for the first of them), not as a red error. */
function showInline(finding, n, missing, lead) {
  const { control, group, exact } = targetFor(finding.path);
  const isError = finding.severity === "error";
  const id = `msg-${n}`;
  const msg = missing
    ? el("p", { class: "field-message is-missing", id }, el("span", { class: "msg-tag", text: "未回答：" }), lead || "请回答这一题。")
    : el("p", { class: "field-message " + (isError ? "is-error" : "is-warning"), id },
      el("span", { class: "msg-tag", text: isError ? "错误：" : "注意：" }), finding.message);
  const anchor = control;
  const host = group || (control && control.closest("td, .field")) || null;
  marks.messages.push(msg);
  if (host) {
    marks.hosts.push(host);
    host.classList.add(missing ? "has-missing" : isError ? "has-error" : "has-warning");
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

/** A finding on a table row outside the rendered page: [table state, row index]. */
function offPageRow(path) {
  const m = /^([^.[\]]+)\[(\d+)\]/.exec(path || "");
  const ts = m && tables.get(m[1]);
  if (!ts) return null;
  const i = Number(m[2]);
  return ts.el.querySelector(`tbody tr[data-row="${i}"]`) ? null : [ts, i];
}

/** Goes to the control of `path` (turning the roster's page first if needed). */
function jumpTo(path, targetId) {
  const m = /^([^.[\]]+)\[(\d+)\](?:\.(.+))?/.exec(path || "");
  const ts = m && tables.get(m[1]);
  if (ts) goToRow(ts, Number(m[2]));
  const t = document.getElementById(targetId) || (ts && ts.el.querySelector(`tbody tr[data-row="${m[2]}"] [name]`));
  if (!t) return false;
  const label = t.closest("[data-field], td, fieldset") || t;
  label.scrollIntoView({ block: "center" });
  t.focus();
  return true;
}

function findingLink(f, target, text) {
  const link = el("a", { href: "#" + target }, text);
  link.addEventListener("click", (ev) => { if (jumpTo(f.path, target)) ev.preventDefault(); });
  return link;
}

/** Whether an error is about a question left empty: a field of the form itself (not a
 *  table cell) none of whose controls holds an answer. The rule that it must be answered
 *  is the engine's; this only tells how to show it. */
function unanswered(f) {
  if (f.severity !== "error" || !f.path || /[[.]/.test(f.path)) return false;
  const cs = byName(f.path);
  if (!cs.length) return false;
  for (const c of cs) {
    if (c.type === "checkbox") return false;
    if (c.type === "radio" ? c.checked : c.value.trim() !== "") return false;
  }
  return true;
}

/** The words a person sees for the field `path` (its row label, legend or label). */
function fieldLabel(path) {
  const g = form.querySelector(`[data-field="${cssEscape(path)}"]`);
  const l = g && (g.querySelector(".row-label") || g.querySelector("legend, label"));
  if (!l) return path;
  const t = l.cloneNode(true);
  for (const r of t.querySelectorAll(".req, .opt-tag")) r.remove();
  return t.textContent.trim();
}

/** The key a repeated reason is grouped by: the engine's message without its row
 *  ("第 12 行") and without the particulars after its first "：". */
function reasonOf(f) {
  const m = /^第 (\d+) 行(.*)$/.exec(f.message || "");
  if (!m || !/\[\d+\]/.test(f.path || "")) return null;
  const rest = m[2];
  const cut = rest.indexOf("：");
  return { row: Number(m[1]), key: f.severity + "\u0000" + (cut > 0 ? rest.slice(0, cut) : rest), text: cut > 0 ? rest.slice(0, cut) : rest };
}

function renderFindings(report, moveFocus) {
  finishAllRows();
  index = null;
  clearInline();
  const formLevel = document.getElementById("form-level-messages");
  if (formLevel) formLevel.replaceChildren();
  const MAX = 300;
  const findings = report.findings || [];
  const targets = [];
  // Questions left empty are said once, plainly: how many, and where the first one is.
  const missing = findings.filter(unanswered);
  const firstMissing = missing[0];
  const questions = missing.every((f) => byName(f.path)[0].type === "radio");
  const [unit, verb] = questions ? ["题", "回答"] : ["项", "填写"];
  let inline = 0;
  findings.forEach((f, i) => {
    // Rows on other pages of a long roster are reached from the summary.
    if (offPageRow(f.path)) { targets.push(controlId(f.path)); return; }
    if (inline++ >= MAX) { targets.push(controlId(f.path)); return; }
    const isMissing = missing.includes(f);
    let lead = null;
    if (isMissing) {
      // A choice is chosen, a box is filled in: each empty field says which.
      const choice = byName(f.path)[0].type === "radio";
      const here = choice ? "这一题还没有回答，请选择。" : "这一项还没有填写。";
      lead = f === firstMissing && missing.length > 1
        ? `还有 ${missing.length} ${unit}没有${verb}，请从这一${choice ? "题开始选择" : "项开始填写"}。`
        : here;
    }
    targets.push(showInline(f, i, isMissing, lead));
  });
  // One line per reason: a reason repeated on several rows is shown once, with its
  // count and the rows, each a link to its row.
  const groups = new Map();
  const items = [];
  findings.forEach((f, i) => {
    if (missing.includes(f)) return;
    const r = reasonOf(f);
    if (r) {
      const g = groups.get(r.key);
      if (g) { g.list.push([f, i, r.row]); return; }
      const ng = { f, i, r, list: [[f, i, r.row]] };
      groups.set(r.key, ng);
      items.push(ng);
    } else items.push({ f, i, list: null });
  });
  const errors = [];
  const warnings = [];
  const SHOWN_ROWS = 30;
  for (const it of items) {
    let li;
    if (!it.list || it.list.length === 1) {
      li = el("li", null, findingLink(it.f, targets[it.i], it.f.message));
    } else {
      li = el("li", { class: "grouped" }, el("span", { class: "group-reason", text: `${it.r.text}（${it.list.length} 处）：` }));
      it.list.slice(0, SHOWN_ROWS).forEach(([f, i, row], k) => {
        if (k) li.append("、");
        li.append(findingLink(f, targets[i], `第 ${row} 行`));
      });
      if (it.list.length > SHOWN_ROWS) {
        const more = el("button", { type: "button", class: "link-button", "data-show-all": "", text: `列出全部 ${it.list.length} 处` });
        more.addEventListener("click", () => {
          const rest = document.createDocumentFragment();
          for (const [f, i, row] of it.list.slice(SHOWN_ROWS)) rest.append("、", findingLink(f, targets[i], `第 ${row} 行`));
          more.replaceWith(rest);
        });
        li.append(" … ", more);
      }
    }
    (it.f.severity === "error" ? errors : warnings).push(li);
  }
  if (firstMissing) {
    const at = findings.indexOf(firstMissing);
    errors.unshift(el("li", { class: "missing" }, `还有 ${missing.length} ${unit}没有${verb}：`,
      findingLink(firstMissing, targets[at], `从“${fieldLabel(firstMissing.path)}”开始`)));
  }
  const nErr = findings.filter((f) => f.severity === "error").length;
  const onlyMissing = firstMissing && nErr === missing.length;
  const summary = document.getElementById("error-summary");
  if (summary) {
    const list = summary.querySelector("ul");
    list.replaceChildren(...errors);
    summary.hidden = errors.length === 0;
    // Only questions left empty: straight to the first of them (its message says how
    // many there are); other errors: to the list of them.
    if (moveFocus && onlyMissing) jumpTo(firstMissing.path, targets[findings.indexOf(firstMissing)]);
    else if (moveFocus && errors.length) summary.focus();
  }
  showBox("warning-summary", "请注意（不影响提交）", warnings, "warning");
  document.title = errors.length ? "错误：" + BASE_TITLE : BASE_TITLE;
  const ok = document.getElementById("check-result");
  if (ok) {
    const primary = document.querySelector(".toolbar-main > .primary");
    ok.textContent = onlyMissing ? `还有 ${missing.length} ${unit}没有${verb}，请从“${fieldLabel(firstMissing.path)}”开始。`
      : errors.length ? `共 ${nErr} 个问题需要修改` + (missing.length ? `（其中 ${missing.length} ${unit}没有${verb}）` : "") :
      (warnings.length ? "检查通过（有需要注意的地方）" : "检查通过") + "。" + ((primary && primary.dataset.afterCheck) || "");
    ok.dataset.kind = errors.length ? "error" : "ok";
  }
}

/** `trainees[3].id_number` → `f-trainees-3-id_number` (as site-gen names controls). */
function controlId(path) {
  return "f-" + String(path).replace(/[[.]/g, "-").replace(/]/g, "");
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

// ---------- the engine round trip ----------

function run(moveFocus) {
  if (!engine) return;
  const resp = response();
  const report = parseJson(engine.validate(JSON.stringify(resp), today()), null);
  if (!report) return;
  lastReport = report;
  renderComputed(report);
  renderSums(report);
  if (scored) scored.afterRun(resp, report);
  // Normalisations (full-width digits, a lower-case x …) are shown as soon as made.
  showBox("notes-box", "已自动调整（不影响提交）", noteLines(settled.concat(report.notes || [])), "note");
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
  if (!slowSave && !bigTables()) return saveDraft();
  if (!saveTimer) saveTimer = setTimeout(saveDraft, 500);
}

addEventListener("pagehide", () => { if (saveTimer) saveDraft(); });
document.addEventListener("visibilitychange", () => { if (document.hidden && saveTimer) saveDraft(); });

function changed(ev) {
  // A text box fires "input" on every keystroke and "change" again on leaving it.
  if (ev && ev.type === "change" && ev.target && ev.target.matches("input[type=text], input[type=tel], input[type=email], textarea")) return;
  const t = ev && ev.target;
  if (t && t.closest && t.closest(".pager")) return;
  if (t && t.dataset && t.dataset.sharedCol !== undefined) applyShared(t);
  else if (t && t.closest && inTableRow(t)) syncCell(t);
  if (t && t.tagName === "TEXTAREA") updateCounter(t);
  if (t) updateCache(t);
  else cache = null;
  scheduleSave();
  if (bigTables()) scheduleRun();
  else run(false);
}

// A roster of thousands of rows takes the engine a noticeable time to check: typing
// there is checked once the typing pauses, not on every keystroke (检查 still checks
// at once).
function bigTables() {
  for (const ts of tables.values()) if (ts.rows.length > PAGE_ROWS) return true;
  return false;
}

let runTimer = 0;
function scheduleRun(delay) {
  clearTimeout(runTimer);
  runTimer = setTimeout(() => { runTimer = 0; run(false); }, delay == null ? 400 : delay);
}

// ---------- pre-fill from the query string ----------

const query = new URLSearchParams(location.search);

function applyPrefill(root, onlyEmpty) {
  for (const ts of tables.values()) {
    if (!prefills(ts).length) continue;
    let n = 0;
    for (const r of ts.rows) n += prefillRow(ts, r, onlyEmpty);
    if (n) { cache = null; renderRows(ts); }
  }
  for (const c of root.querySelectorAll("[data-prefill]")) {
    if (inTableRow(c)) continue;
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
  fillValues(draft.values, true);
  // Another module of the page may know better what this draft is (the survey: an
  // answer already handed in) and show its own notice instead.
  const claimed = !document.dispatchEvent(new CustomEvent("form-draft-restored", { cancelable: true, detail: { saved_at: draft.saved_at } }));
  const n = document.getElementById("draft-notice");
  if (n && !claimed) {
    const when = draft.saved_at ? new Date(draft.saved_at) : null;
    n.querySelector("[data-draft-text]").textContent = "已恢复上次未提交的草稿" +
      (when && !isNaN(when) ? `（保存于 ${when.toLocaleString("zh-CN")}）` : "") + "。";
    n.hidden = false;
  }
  return true;
}

// Discarding asks first, and can be undone: the whole response (and the survey files
// imported beside it) is kept until the page is left, and 撤销 puts it all back.

function askDiscard() {
  const n = document.getElementById("draft-notice");
  if (!n || n.querySelector(".discard-confirm")) return;
  const box = el("div", { class: "discard-confirm", role: "group", "aria-labelledby": "discard-q" },
    el("p", { id: "discard-q", text: "确定丢弃？本页已填写的全部内容将被清空（丢弃后仍可撤销）。" }));
  const yes = el("button", { type: "button", id: "btn-discard-confirm", class: "danger", text: "确定丢弃" });
  const no = el("button", { type: "button", class: "secondary", text: "取消" });
  yes.addEventListener("click", () => { box.remove(); discardDraft(); });
  no.addEventListener("click", () => { box.remove(); document.getElementById("btn-discard-draft").focus(); });
  box.append(yes, " ", no);
  n.append(box);
  no.focus();
}

/** Clears the form (after askDiscard's confirmation, or when the survey's hand-in panel
 *  asks for it with a `form-discard` event, whose detail may carry the message). */
function discardDraft(ev) {
  const message = (ev && ev.detail && ev.detail.message) || "草稿已丢弃，表单已清空。";
  const kept = { values: JSON.parse(JSON.stringify(response().values)), surveys: null, draft: null };
  try {
    kept.surveys = localStorage.getItem("surveys:" + FORM_ID);
    kept.draft = localStorage.getItem(DRAFT_KEY);
    localStorage.removeItem(DRAFT_KEY);
    localStorage.removeItem("surveys:" + FORM_ID);
  } catch (_) { /* ignore */ }
  form.reset();
  for (const ts of tables.values()) {
    for (const i of sharedInputs(ts)) i.value = "";
    ts.rows = [];
    setRowCount(ts, ts.minRows);
    updateShared(ts);
  }
  applyPrefill(form, false);
  updateCounters();
  submitted = false;
  clearInline();
  const s = document.getElementById("error-summary");
  if (s) s.hidden = true;
  document.title = BASE_TITLE;
  document.getElementById("draft-notice").hidden = true;
  document.dispatchEvent(new CustomEvent("form-discarded"));
  run(false);
  showUndo(message, () => {
    fillValues(kept.values);
    try {
      if (kept.surveys != null) localStorage.setItem("surveys:" + FORM_ID, kept.surveys);
      if (kept.draft != null) localStorage.setItem(DRAFT_KEY, kept.draft);
    } catch (_) { /* storage off */ }
    saveDraft();
    run(false);
    if (scored) scored.redrawSummary();
    document.dispatchEvent(new CustomEvent("form-discard-undone"));
  });
}

/** The bar that undoes the last discard or paste (until the next one). */
function showUndo(msg, undo) {
  let bar = document.getElementById("undo-bar");
  if (!bar) {
    bar = el("div", { id: "undo-bar", class: "undo-bar no-print", role: "status" });
    const at = document.getElementById("draft-notice");
    at.after(bar);
  }
  const btn = el("button", { type: "button", id: "btn-undo", text: "撤销" });
  const close = el("button", { type: "button", class: "link-button", text: "关闭", "aria-label": "关闭此提示" });
  btn.addEventListener("click", () => {
    bar.hidden = true;
    undo();
    setStatus("已撤销，内容已恢复。", "ok");
    announce("已撤销，内容已恢复");
  });
  close.addEventListener("click", () => { bar.hidden = true; });
  bar.replaceChildren(el("p", { text: msg }), btn, close);
  bar.hidden = false;
  announce(msg);
  if (bar.getBoundingClientRect().top < 0 || bar.getBoundingClientRect().top > innerHeight) bar.scrollIntoView({ block: "nearest" });
}

// ---------- text areas: a live count against the schema's limit ----------

/** Characters as forms.md's text(max) counts them: Unicode characters, whitespace not counted. */
function updateCounter(t) {
  const out = app.querySelector(`[data-char-count="${cssEscape(t.name)}"]`);
  if (!out || !engine) return;
  // The engine's count, the one its max_chars check makes.
  const n = engine.text_len(t.value);
  const max = t.dataset.maxChars ? Number(t.dataset.maxChars) : null;
  out.textContent = max ? `${n} / ${max} 字（空白不计）` + (n > max ? `，超出 ${n - max} 字` : "") : `${n} 字（空白不计）`;
  out.dataset.over = max && n > max ? "true" : "false";
}

function updateCounters() {
  for (const t of form.querySelectorAll("textarea[name]")) updateCounter(t);
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
    // The engine's limits bound the reader (rows, cells, unpacked bytes); a file beyond
    // them, or broken, is refused with the reader's message and the draft is kept.
    const limits = parseJson(engine.sheet_limits(), null);
    const said = (kind, r, c) => engine.sheet_limit_message(kind, r, c);
    let sheet;
    try {
      sheet = await readXlsx(bytes.buffer, limits, said);
    } catch (e) {
      return importFailed(`无法导入 ${file.name}，当前草稿未改动`, [{ path: "", message: e && e.message ? e.message : String(e) }]);
    }
    res = parseJson(engine.import_cells(JSON.stringify(sheet.rows)), unreadable);
  } else {
    const enc = parseJson(engine.sniff_csv(bytes), { label: "utf-8", note: null });
    note = enc.note;
    res = parseJson(engine.import_csv(new TextDecoder(enc.label).decode(bytes)), unreadable);
  }
  if (!res.ok) return importFailed(`无法导入 ${file.name}，当前草稿未改动`, res.findings || []);
  // Imported rows are added after the rows already typed (empty rows are dropped).
  const ts = tables.get(table.dataset.table);
  const values = collectValues();
  const kept = ts.rows.filter((r) => !rowIsEmpty(ts, r)).map((r) => rowValues(ts, r));
  values[table.dataset.table] = kept.concat(res.rows || []);
  fillValues(values);
  importOk(`已从 ${file.name} 导入 ${(res.rows || []).length} 行` + (kept.length ? `，加在原有的 ${kept.length} 行之后` : "") + (note ? `。${note}` : ""));
  submitted = true;
  run(false);
  settle(ts, kept.length, ts.rows.length);
  saveDraft();
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

// The chosen notice's rules, in the engine's wire form (opaque here; "" for none).
function currentRules(notices) {
  const sel = document.getElementById("notice-select");
  const slug = (sel && sel.value) || query.get("notice") || notices.default;
  const n = (notices.notices || []).find((x) => x.slug === slug) || (notices.notices || [])[0];
  if (!n) return "";
  // Opened from a program page: the rules of the program's own list.
  const list = n.slug === query.get("notice") ? query.get("list") : null;
  return (list && n.lists && n.lists[list]) || n.rules || "";
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
  on("btn-discard-draft", "click", askDiscard);
  // The hand-in panel's "handed in" (after its own confirmation) discards directly.
  document.addEventListener("form-discard", discardDraft);
  on("btn-handin", "click", () => form.requestSubmit(document.getElementById("btn-check")));
  const menu = document.getElementById("toolbar-menu");
  if (menu) {
    const shut = () => { menu.open = false; };
    document.addEventListener("click", (ev) => { if (menu.open && !menu.contains(ev.target)) shut(); });
    menu.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && menu.open) { shut(); menu.querySelector("summary").focus(); } });
    menu.addEventListener("click", (ev) => { if (ev.target.closest("button")) shut(); });
    menu.addEventListener("change", shut);
  }
  // Printing shows every row of a long roster, not only the page on screen.
  addEventListener("beforeprint", () => {
    finishAllRows();
    for (const ts of tables.values()) if (ts.rows.length > PAGE_ROWS) { ts.all = true; renderRows(ts); }
  });
  addEventListener("afterprint", () => { for (const ts of tables.values()) if (ts.all) { ts.all = false; renderRows(ts); } });
  on("btn-export-json", "click", () => {
    exportJson();
    setStatus(`已保存为文件 ${fileBase()}.json（在浏览器的“下载”文件夹中）；以后可在“更多操作”中打开这个文件继续填写。`, "ok");
  });
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
    if (scored) scored.importSurveys(fs);
  });
  const drop = document.getElementById("survey-drop");
  if (drop && scored) {
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("is-over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault();
      drop.classList.remove("is-over");
      scored.importSurveys(Array.from(ev.dataTransfer.files));
    });
  }
  const sel = document.getElementById("notice-select");
  if (sel) {
    const want = query.get("notice");
    if (want && Array.from(sel.options).some((o) => o.value === want)) sel.value = want;
    sel.addEventListener("change", () => {
      try {
        engine.set_rules(currentRules(notices));
        if (surveyEngine) surveyEngine.set_rules(currentRules(notices));
      } catch (e) { setStatus(String(e), "error"); }
      run(false);
    });
  }
}

/** Starts loading the engine: the page names its bundle (the survey's leaves out the
 *  organizers' parts) and preloads its two files; the WebAssembly is compiled off this
 *  thread as it arrives. */
function loadEngine() {
  const name = app.dataset.engine || "wasm_forms";
  const url = new URL(`./wasm/${name}_bg.wasm`, import.meta.url);
  // Not compiled here (a server that does not send application/wasm): the glue is
  // handed the response and instantiates it its own way.
  const source = WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(fetch(url)).catch(() => fetch(url))
    : fetch(url);
  // The glue is initialised at once, so that the other scripts of the page that load
  // it (the survey's hand-in panel) share this module instead of fetching their own.
  return import(`./wasm/${name}.js`).then((wasm) => wasm.default({ module_or_path: source }).then(() => wasm));
}

async function start() {
  if (!app || !form) return;
  initTables();
  if (typeof WebAssembly !== "object") {
    setStatus("本页的检查和计算需要浏览器支持 WebAssembly。表单仍可阅读和打印。", "error");
    return;
  }
  const notices = pageData("form-notices", {}) || {};
  const loading = loadEngine();
  const scoring = app.querySelector("[data-score], [data-score-total], [data-survey-summary]") ? import("./forms-score.js") : null;
  if (scoring) scoring.catch(() => { /* reported below */ });
  // The draft is put back once the engine is there, not while it loads: this thread
  // does both, and restoring first only made the engine later (browser-bench).
  try {
    const wasm = await loading;
    const rules = currentRules(notices);
    engine = new wasm.Engine(engineData("form-schema"), rules, engineData("form-calendar"));
    if (engineData("form-survey-schema")) {
      surveyEngine = new wasm.Engine(engineData("form-survey-schema"), rules, engineData("form-calendar"));
    }
    if (scoring) {
      scored = await scoring;
      scored.init({
        app, formId: FORM_ID, fmt, engine: () => engine, surveyEngine: () => surveyEngine,
        collectValues, fillValues, saveDraft, showBox, importOk, run,
      });
    }
  } catch (e) {
    setStatus("无法加载表单引擎（WebAssembly）：" + String(e), "error");
    return;
  }
  // The survey's hand-in panel (handin.js, its own script on the page) listens for the
  // restored draft: it is evaluated before the draft is put back (the same module
  // instance as the page's script tag, so nothing is loaded twice). The tag is found by
  // its mark, since its name carries a content hash.
  if (document.querySelector("script[data-handin-panel]")) {
    await import("./handin.js").catch(() => { /* the panel reports its own failure */ });
  }
  const restored = restoreDraft();
  applyPrefill(form, restored);
  wireButtons(notices);
  app.classList.add("is-ready");
  for (const b of app.querySelectorAll("[data-needs-wasm]")) b.disabled = false;
  const bar = app.querySelector("[data-score-bar]");
  if (bar) bar.hidden = false;
  updateCounters();
  setStatus("自动保存在本机，不会上传。填好后按“检查”。", "ok");
  // The page answers input from here on (browser-bench: time to first interaction); a
  // roster of thousands of rows is checked just after, not before.
  if (bigTables()) {
    if (performance.mark) performance.mark("form-ready");
    setTimeout(() => { run(false); if (performance.mark) performance.mark("form-checked"); }, 50);
  } else {
    run(false);
    if (performance.mark) performance.mark("form-ready");
  }
  // …and once the browser has drawn the frame that shows it (browser-bench).
  if (performance.mark) requestAnimationFrame(() => setTimeout(() => performance.mark("form-shown"), 0));
  finishRowsLater();
  if (scored) scored.takeHandoff();
}

start();
