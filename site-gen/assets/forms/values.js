// Reading and filling the form's values: the controls, the response object the engine
// checks (kept in state.cache until a control changes) and filling values back in.

import { getPath, parsePath, readControl, setControl } from "../draft.js";
import { state } from "./state.js";
import { FORM_ID, FORM_VERSION, app, form } from "./page.js";
import { blankRow, ownRow, rawRow, renderRows, rowValues, tables, updateShared } from "./table.js";
import { updateCounters } from "./transfer.js";

// ---------- small helpers ----------

export function controls() {
  return Array.from(form.querySelectorAll("[name][data-type]"));
}

export function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\[\].]/g, "\\$&");
}

export function byName(name) {
  return form.querySelectorAll(`[name="${cssEscape(name)}"]`);
}

// The schema names the field that names exported files (`file_name_field`).
export function fileBase() {
  const field = app.dataset.fileNameField;
  const p = field ? form.querySelector(`[name="${cssEscape(field)}"]`) : null;
  const n = p && p.value.trim() ? "-" + p.value.trim().replace(/[\\/:*?"<>|\s]+/g, "_").slice(0, 40) : "";
  return FORM_ID + n;
}

// ---------- reading and writing the controls ----------

export function inTableRow(c) {
  return c.closest && c.closest("tr[data-row]") && c.closest("[data-table]");
}

export function collectValues() {
  const values = {};
  for (const c of controls()) {
    if (inTableRow(c)) continue; // the rows are read from their model
    readControl(values, c);
  }
  for (const ts of tables.values()) values[ts.id] = ts.rows.map((r) => rowValues(ts, r));
  return values;
}

export function updateCache(c) {
  if (!state.cache || !c || !c.name || !c.dataset || !c.dataset.type || /__i__/.test(c.name)) {
    state.cache = null;
    return;
  }
  readControl(state.cache, c);
}

export function response() {
  if (!state.cache) state.cache = collectValues();
  return { form: FORM_ID, version: FORM_VERSION, values: state.cache };
}

/** Puts `values` into the form: tables get as many rows as the values hold. With
 *  `restoring` (a draft just read from storage, on opening the page), the rows' objects
 *  are the model's to keep, and a page of rows shows at first only the rows that fit
 *  on the screen (the rest follows, finishRowsLater). */
export function fillValues(values, restoring) {
  state.cache = null;
  state.settled = [];
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
