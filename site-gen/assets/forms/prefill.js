// Pre-filling from the query string, restoring the saved draft and discarding it.

import { el, parseJson } from "../dom.js";
import { state } from "./state.js";
import { BASE_TITLE, DRAFT_KEY, FORM_ID, form, query } from "./page.js";
import { fillValues, inTableRow, response } from "./values.js";
import { prefillRow, prefills, renderRows, setRowCount, sharedInputs, tables, updateShared } from "./table.js";
import { clearInline, run } from "./messages.js";
import { saveDraft } from "./save.js";
import { showUndo, updateCounters } from "./transfer.js";

// ---------- pre-fill from the query string ----------

export function applyPrefill(root, onlyEmpty) {
  for (const ts of tables.values()) {
    if (!prefills(ts).length) continue;
    let n = 0;
    for (const r of ts.rows) n += prefillRow(ts, r, onlyEmpty);
    if (n) { state.cache = null; renderRows(ts); }
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

export function restoreDraft() {
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

export function askDiscard() {
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
export function discardDraft(ev) {
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
  state.submitted = false;
  clearInline();
  const s = document.getElementById("error-summary");
  if (s) s.hidden = true;
  // The last check's outcome was of the answers just cleared.
  const w = document.getElementById("warning-summary");
  if (w) w.hidden = true;
  const ok = document.getElementById("check-result");
  if (ok) { ok.textContent = ""; delete ok.dataset.kind; }
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
    if (state.scored) state.scored.redrawSummary();
    document.dispatchEvent(new CustomEvent("form-discard-undone"));
  });
}
