// The tables (rosters): their rows as data, the rendered page of rows, the pager, adding
// and removing rows and the inputs shared by every row.

import { convert } from "../draft.js";
import { el } from "../dom.js";
import { state } from "./state.js";
import { app, form, query } from "./page.js";
import { cssEscape } from "./values.js";
import { renderFindings } from "./messages.js";

// ---------- tables: the rows live in a model; a page of them is in the DOM ----------
//
// A roster can hold 10,000 rows: the rows are kept as plain objects (the raw text of
// each cell, or a boolean for a checkbox) and only PAGE_ROWS of them are rendered at a
// time, with a pager. The controls of a rendered row carry the row's real path
// (`trainees[9000].name`), so findings, autofill and tests see the same names.

export const PAGE_ROWS = 100;
export const tables = new Map();

export function initTables() {
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

export function tableOf(node) {
  const t = node && node.closest ? node.closest("[data-table]") : null;
  return t ? tables.get(t.dataset.table) : null;
}

export function blankRow(ts) {
  const r = {};
  for (const c of ts.cols) r[c.id] = c.bool ? false : "";
  prefillRow(ts, r, true);
  for (const [col, v] of sharedValues(ts)) r[col] = v;
  return r;
}

/** [column, value] of the columns the query string pre-fills (read once). */
export function prefills(ts) {
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

export function prefillRow(ts, r, onlyEmpty) {
  let n = 0;
  for (const [c, v] of prefills(ts)) {
    if (onlyEmpty && String(r[c.id] || "").trim() !== "") continue;
    if (r[c.id] !== v) n++;
    r[c.id] = v;
  }
  return n;
}

export function rawRow(ts, v) {
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
export function ownRow(ts, o) {
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

export function rowValues(ts, r) {
  const out = {};
  for (const c of ts.cols) {
    const v = r[c.id];
    if (c.bool && typeof v === "boolean") out[c.id] = v;
    else if (v != null && String(v).trim() !== "") out[c.id] = convert(c.type, String(v));
  }
  return out;
}

export function rowIsEmpty(ts, r) {
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
export function renderRows(ts, inView) {
  const body = ts.el.tBodies[0];
  const n = ts.rows.length;
  if (ts.start >= n) ts.start = Math.max(0, Math.floor((n - 1) / PAGE_ROWS) * PAGE_ROWS);
  const from = ts.all ? 0 : ts.start;
  const to = ts.all ? n : Math.min(n, ts.start + PAGE_ROWS);
  const now = inView && !ts.all ? Math.min(to, from + rowsInView()) : to;
  ts.pending = now < to ? { next: now, to } : null;
  body.replaceChildren(rowElements(ts, from, now));
  state.index = null;
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
  state.index = null;
  // Messages of a check already shown go on the rows just added.
  if (late && state.submitted && state.lastReport) renderFindings(state.lastReport, false);
}

export function finishAllRows() {
  for (const ts of tables.values()) finishRows(ts, false);
}

/** The rows left for later, added once the browser has drawn the frame that shows the
 *  first ones (the timer covers a hidden tab, which draws no frames). */
export function finishRowsLater() {
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

export function goToRow(ts, i) {
  finishRows(ts, false);
  const first = Math.floor(i / PAGE_ROWS) * PAGE_ROWS;
  if (first !== ts.start || !ts.el.querySelector(`tbody tr[data-row="${i}"]`)) {
    ts.start = first;
    renderRows(ts);
    if (state.submitted && state.lastReport) renderFindings(state.lastReport, false);
  }
}

export function focusRow(ts, i, col) {
  goToRow(ts, i);
  const tr = ts.el.querySelector(`tbody tr[data-row="${i}"]`);
  if (!tr) return;
  const c = (col && tr.querySelector(`[data-col="${cssEscape(col)}"][name]`)) || tr.querySelector("input, select, textarea");
  tr.scrollIntoView({ block: "center" });
  if (c) c.focus();
}

export function addRow(ts, focus) {
  ts.rows.push(blankRow(ts));
  state.cache = null;
  goToRow(ts, ts.rows.length - 1);
  if (focus) focusRow(ts, ts.rows.length - 1);
}

/** Sets the number of rows (blank rows added at the end). */
export function setRowCount(ts, n) {
  if (ts.rows.length > n) ts.rows.length = n;
  while (ts.rows.length < n) ts.rows.push(blankRow(ts));
  state.cache = null;
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

export function syncCell(c) {
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

export function sharedInputs(ts) {
  return ts.shared ? Array.from(ts.shared.querySelectorAll("[data-shared-col]")) : [];
}

function sharedValues(ts) {
  return sharedInputs(ts).filter((i) => i.value.trim() !== "").map((i) => [i.dataset.sharedCol, i.value]);
}

/** Shows in each shared control the value all rows have, or says that they differ. */
export function updateShared(ts, only) {
  const inputs = sharedInputs(ts).filter((i) => !only || i.dataset.sharedCol === only);
  // One pass over the rows for all the columns.
  const cols = inputs.map((i) => i.dataset.sharedCol);
  const sets = cols.map(() => new Set());
  for (const r of ts.rows) for (let k = 0; k < cols.length; k++) sets[k].add(String(r[cols[k]] || ""));
  inputs.forEach((input, k) => {
    const col = cols[k];
    const seen = sets[k];
    const hint = ts.shared.querySelector(`[data-shared-state="${cssEscape(col)}"]`);
    if (seen.size === 1) {
      input.value = [...seen][0];
      if (hint) hint.textContent = "";
    } else {
      if (document.activeElement !== input) input.value = "";
      if (hint) hint.textContent = `各行不同（${seen.size} 种）；在此填写会把每一行改为同一内容`;
    }
  });
}

export function applyShared(input) {
  const ts = tables.get(input.closest("[data-shared-for]").dataset.sharedFor);
  if (!ts) return;
  const col = input.dataset.sharedCol;
  for (const r of ts.rows) r[col] = input.value;
  const hint = ts.shared.querySelector(`[data-shared-state="${cssEscape(col)}"]`);
  if (hint) hint.textContent = ts.rows.length > 1 ? `已应用到全部 ${ts.rows.length} 行` : "";
  state.cache = null;
  renderRows(ts);
}
