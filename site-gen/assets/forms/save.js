// Saving the draft to localStorage and scheduling the next check.

import { state } from "./state.js";
import { DRAFT_KEY } from "./page.js";
import { inTableRow, response, updateCache } from "./values.js";
import { PAGE_ROWS, applyShared, syncCell, tables } from "./table.js";
import { run } from "./messages.js";
import { updateCounter } from "./transfer.js";

let slowSave = false;
let saveTimer = 0;

export function saveDraft() {
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

export function changed(ev) {
  // A text box fires "input" on every keystroke and "change" again on leaving it.
  if (ev && ev.type === "change" && ev.target && ev.target.matches("input[type=text], input[type=tel], input[type=email], textarea")) return;
  const t = ev && ev.target;
  if (t && t.closest && t.closest(".pager")) return;
  if (t && t.dataset && t.dataset.sharedCol !== undefined) applyShared(t);
  else if (t && t.closest && inTableRow(t)) syncCell(t);
  if (t && t.tagName === "TEXTAREA") updateCounter(t);
  if (t) updateCache(t);
  else state.cache = null;
  scheduleSave();
  if (bigTables()) scheduleRun();
  else run(false);
}

// A roster of thousands of rows takes the engine a noticeable time to check: typing
// there is checked once the typing pauses, not on every keystroke (检查 still checks
// at once).
export function bigTables() {
  for (const ts of tables.values()) if (ts.rows.length > PAGE_ROWS) return true;
  return false;
}

let runTimer = 0;
function scheduleRun(delay) {
  clearTimeout(runTimer);
  runTimer = setTimeout(() => { runTimer = 0; run(false); }, delay == null ? 400 : delay);
}
