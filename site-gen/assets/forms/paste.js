// Pasting a block copied from Excel / WPS into a table, and settling its cells through
// the engine.

import { parseJson } from "../dom.js";
import { getPath, parsePath } from "../draft.js";
import { state } from "./state.js";
import { form } from "./page.js";
import { addRow, blankRow, focusRow, renderRows, tableOf, tables, updateShared } from "./table.js";
import { announce, run, showBox } from "./messages.js";
import { changed, saveDraft } from "./save.js";
import { controls, inTableRow } from "./values.js";
import { showUndo } from "./transfer.js";

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
  if (col0 < 0 || !state.engine) return;
  // The engine reads the block's cells and drops a copied header row (the table's own
  // labels from this column on).
  const labels = ts.cols.slice(col0).map((x) => x.label);
  const grid = parseJson(state.engine.paste_block(text, JSON.stringify(labels)), { rows: [] }).rows || [];
  if (!grid.length) return;
  const width = Math.max(...grid.map((r) => r.length));
  if (col0 + width > ts.cols.length) {
    showBox("import-errors", "没有粘贴：列数放不下，表格未改动", [
      `复制的内容有 ${width} 列，从“${ts.cols[col0].label}”到最后一列只有 ${ts.cols.length - col0} 列。请从更靠左的一栏开始粘贴，或先在表格软件中删去多余的列。`,
    ], "error");
    return;
  }
  // A refusal of an earlier paste no longer holds.
  showBox("import-errors", "", [], "error");
  const before = ts.rows.map((r) => Object.assign({}, r));
  state.settled = [];
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
  state.cache = null;
  renderRows(ts);
  updateShared(ts);
  focusRow(ts, row0, c.dataset.col);
  // What was pasted is checked at once, as an import is: a cell that cannot be read
  // keeps its text with its error beside it.
  state.submitted = true;
  run(false);
  settle(ts, row0, row0 + grid.length);
  saveDraft();
  const msg = `已粘贴 ${grid.length} 行、${width} 列（从第 ${row0 + 1} 行“${ts.cols[col0].label}”起）` +
    (overwritten ? `，替换了 ${overwritten} 个原有内容` : "");
  showUndo(msg, () => { ts.rows = before; state.settled = []; state.cache = null; renderRows(ts); updateShared(ts); saveDraft(); run(false); });
}

/** The report's normalisation notes by the path of their field or cell. */
function notesByPath(report) {
  const notes = new Map();
  for (const n of (report && report.notes) || []) notes.set(n.path, (notes.get(n.path) || []).concat(n));
  return notes;
}

/** After a paste or an import into rows `from`..`to`: each cell the engine read in
 *  another form (2020/10/12, 2020年10月12日, full-width digits, a serial date, a choice
 *  by its name) shows the value it stores, and its note stays listed. A cell it cannot read keeps its text
 *  and its error. */
export function settle(ts, from, to, changedOnly) {
  const report = state.lastReport;
  const rows = report && report.values && Array.isArray(report.values[ts.id]) ? report.values[ts.id] : [];
  const notes = notesByPath(report);
  let updated = 0;
  for (let i = from; i < Math.min(to, ts.rows.length); i++) {
    const r = ts.rows[i], v = rows[i];
    if (!r || !v || typeof v !== "object") continue;
    for (const c of ts.cols) {
      const n = notes.get(`${ts.id}[${i}].${c.id}`);
      const x = v[c.id];
      if (!n || c.bool || (typeof x !== "string" && typeof x !== "number")) continue;
      if (String(x) !== r[c.id]) { r[c.id] = String(x); updated++; } else if (changedOnly) continue;
      state.settled.push(...n);
    }
  }
  if (!updated) return;
  state.cache = null;
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
    state.cache = null;
    renderRows(ts);
    updateShared(ts);
    const next = ts.el.querySelector(`tbody tr[data-row="${Math.min(i, ts.rows.length - 1)}"] [data-remove-row]`);
    const target = next || ts.el.closest("[data-field]").querySelector("[data-add-row]");
    if (target) target.focus();
    announce(`已删除第 ${i + 1} 行`);
    changed();
  }
});

/** After a check: every field and cell typed in another form than the engine stores
 *  (2020/9/1, a lower-case x, full-width digits) shows the stored value, as after a
 *  paste, and its note stays listed. A value it cannot read keeps its text and error. */
export function settleAll() {
  const report = state.lastReport;
  if (!report) return;
  const notes = notesByPath(report);
  let updated = 0;
  for (const c of controls()) {
    if (inTableRow(c) || c.tagName !== "INPUT" || c.type === "radio" || c.type === "checkbox") continue;
    const n = notes.get(c.name);
    const x = n ? getPath(report.values || {}, parsePath(c.name)) : undefined;
    if ((typeof x !== "string" && typeof x !== "number") || String(x) === c.value) continue;
    c.value = String(x);
    state.settled.push(...n);
    updated++;
  }
  if (updated) { state.cache = null; run(false); }
  for (const ts of tables.values()) settle(ts, 0, ts.rows.length, true);
}
