// The undo bar, the character counters, and importing and exporting the response (JSON,
// CSV, spreadsheet).

import { download, el, parseJson, today } from "../dom.js";
import { state } from "./state.js";
import { FORM_ID, app, form } from "./page.js";
import { collectValues, cssEscape, fileBase, fillValues, response } from "./values.js";
import { rowIsEmpty, rowValues, tables } from "./table.js";
import { settle } from "./paste.js";
import { announce, run, setStatus, showBox } from "./messages.js";
import { saveDraft } from "./save.js";

/** The bar that undoes the last discard or paste (until the next one). */
export function showUndo(msg, undo) {
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
export function updateCounter(t) {
  const out = app.querySelector(`[data-char-count="${cssEscape(t.name)}"]`);
  if (!out || !state.engine) return;
  // The engine's count, the one its max_chars check makes.
  const n = state.engine.text_len(t.value);
  const max = t.dataset.maxChars ? Number(t.dataset.maxChars) : null;
  out.textContent = max ? `${n} / ${max} 字（空白不计）` + (n > max ? `，超出 ${n - max} 字` : "") : `${n} 字（空白不计）`;
  out.dataset.over = max && n > max ? "true" : "false";
}

export function updateCounters() {
  for (const t of form.querySelectorAll("textarea[name]")) updateCounter(t);
}

// ---------- import ----------

export function importFailed(title, findings) {
  showBox("import-errors", title, findings.map((f) => (f.path ? `${f.path}：` : "") + f.message), "error");
  const box = document.getElementById("import-errors");
  if (box) { box.tabIndex = -1; box.focus(); }
}

export function importOk(msg) {
  const box = document.getElementById("import-errors");
  if (box) box.hidden = true;
  setStatus(msg, "ok");
  announce(msg);
}

export async function importJsonFile(file) {
  // The engine's limit on any one file: a larger one is refused before it is read.
  const limit = parseJson(state.engine.file_limit(), null);
  if (limit && file.size > limit.bytes) {
    return importFailed(`无法导入 ${file.name}，当前草稿未改动`, [{ path: "", message: limit.message }]);
  }
  const text = await file.text();
  const res = parseJson(state.engine.import_json(text), { ok: false, findings: [{ path: "", message: "无法读取" }] });
  if (!res.ok) return importFailed(`无法导入 ${file.name}，当前草稿未改动`, res.findings || []);
  const r = res.response || {};
  if (r.form !== FORM_ID) {
    return importFailed(`无法导入 ${file.name}，当前草稿未改动`,
      [{ path: "form", message: `文件属于表单“${String(r.form)}”，本页是“${FORM_ID}”` }]);
  }
  fillValues(r.values || {});
  saveDraft();
  importOk(`已导入 ${file.name}`);
  state.submitted = true;
  run(false);
}

export async function importCsvFile(file) {
  const table = form.querySelector("[data-table][data-csv]");
  if (!table) return;
  // A spreadsheet goes to the engine as typed cells (the reader is loaded only now); a
  // CSV is decoded in the encoding the engine recognises (UTF-8, UTF-16, GBK/GB18030).
  // The command line's limit on any file read, from the engine: a larger file is refused
  // before it is read, and the rows already typed stay as they are.
  const limits = parseJson(state.engine.sheet_limits(), null);
  if (limits && file.size > limits.file_bytes) {
    return importFailed(`无法导入 ${file.name}，当前草稿未改动`, [{ path: "", message: state.engine.sheet_limit_message("file", 0, 0) }]);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const unreadable = { ok: false, findings: [{ path: "", message: "无法读取" }] };
  let res, note = null;
  if (/\.xlsx$/i.test(file.name) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) {
    const { readXlsx } = await import("../forms-xlsx-read.js");
    // The engine's limits bound the reader (rows, cells, unpacked bytes); a file beyond
    // them, or broken, is refused with the reader's message and the draft is kept.
    const said = (kind, r, c) => state.engine.sheet_limit_message(kind, r, c);
    let sheet;
    try {
      sheet = await readXlsx(bytes.buffer, limits, said);
    } catch (e) {
      return importFailed(`无法导入 ${file.name}，当前草稿未改动`, [{ path: "", message: e && e.message ? e.message : String(e) }]);
    }
    res = parseJson(state.engine.import_cells(JSON.stringify(sheet.rows)), unreadable);
  } else {
    // One rule for the encoding, the engine's: a file mixing two is refused at the line
    // where it changes; bytes the encoding cannot read are refused, never replaced.
    const enc = parseJson(state.engine.sniff_csv(bytes), { label: "utf-8", note: null });
    if (enc.error) return importFailed(`无法导入 ${file.name}，当前草稿未改动`, [{ path: "", message: enc.error }]);
    note = enc.note;
    let text;
    try {
      text = new TextDecoder(enc.label, { fatal: true }).decode(bytes);
    } catch {
      return importFailed(`无法导入 ${file.name}，当前草稿未改动`, [{ path: "", message: "文件不是 UTF-8、UTF-16 或 GBK/GB18030 编码的文字：请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx 后再导入" }]);
    }
    res = parseJson(state.engine.import_csv(text), unreadable);
  }
  if (!res.ok) return importFailed(`无法导入 ${file.name}，当前草稿未改动`, res.findings || []);
  // Imported rows are added after the rows already typed (empty rows are dropped).
  const ts = tables.get(table.dataset.table);
  const values = collectValues();
  const kept = ts.rows.filter((r) => !rowIsEmpty(ts, r)).map((r) => rowValues(ts, r));
  values[table.dataset.table] = kept.concat(res.rows || []);
  fillValues(values);
  const cleaned = (res.notes || []).map((n) => n.message).join("；");
  importOk(`已从 ${file.name} 导入 ${(res.rows || []).length} 行` + (kept.length ? `，加在原有的 ${kept.length} 行之后` : "") + (note ? `。${note}` : "") + (cleaned ? `。${cleaned}` : ""));
  state.submitted = true;
  run(false);
  settle(ts, kept.length, ts.rows.length);
  saveDraft();
}

// ---------- export ----------

export function exportJson() {
  const out = state.engine.export_json(JSON.stringify(response()), today());
  download(fileBase() + ".json", "application/json", out);
}

function tableRows(table) {
  const values = collectValues();
  return values[table.dataset.table] || [];
}

export function exportCsv() {
  const table = form.querySelector("[data-table][data-csv]");
  if (!table) return;
  const csv = state.engine.export_csv(table.dataset.table, JSON.stringify(tableRows(table)));
  download(fileBase() + ".csv", "text/csv;charset=utf-8", csv);
}

export async function exportXlsx() {
  const table = form.querySelector("[data-table][data-csv]");
  if (!table) return;
  const { xlsx } = await import("../forms-xlsx.js");
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
