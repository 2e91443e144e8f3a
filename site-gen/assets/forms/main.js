// Form pages: loads the wasm form engine and wires the HTML form rendered by site-gen.
// The scored form's parts (scores, the survey summary and its import) are in
// forms-score.js, loaded only by a page that has them.
//
// Every rule runs in the Rust engine (wasm_forms.js + wasm_forms_bg.wasm); this file only
// reads the controls into a response object, hands it to the engine as JSON and shows the
// report it returns (errors, warnings, normalisation notes, computed values). Drafts stay
// in localStorage; nothing is sent anywhere. Text from files or the engine is always
// inserted with textContent / value, never as HTML.
//
// The entry module: it wires the page. site-scripts joins it and the modules it uses into
// the one forms.js a page loads (site-scripts/src/bundle.rs).

import { engineData, pageData } from "../dom.js";
import { state } from "./state.js";
import { FORM_ID, app, form, query } from "./page.js";
import { collectValues, fileBase, fillValues, response } from "./values.js";
import { PAGE_ROWS, finishAllRows, finishRowsLater, initTables, renderRows, tables } from "./table.js";
import { fmt, run, setStatus, showBox } from "./messages.js";
import { bigTables, changed, saveDraft } from "./save.js";
import { applyPrefill, askDiscard, discardDraft, restoreDraft } from "./prefill.js";
import { settleAll } from "./paste.js";
import { exportCsv, exportJson, exportXlsx, importCsvFile, importFailed, importJsonFile, importOk, updateCounters } from "./transfer.js";

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
    state.submitted = true;
    run(true);
    // What the check read in another form is shown as it is stored.
    settleAll();
    saveDraft();
    // Other modules of the page (the survey's hand-in panel) act on a finished check.
    document.dispatchEvent(new CustomEvent("form-checked", { detail: { response: response(), report: state.lastReport } }));
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
    if (state.scored) state.scored.importSurveys(fs);
  });
  const drop = document.getElementById("survey-drop");
  if (drop && state.scored) {
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("is-over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault();
      drop.classList.remove("is-over");
      state.scored.importSurveys(Array.from(ev.dataTransfer.files));
    });
  }
  const sel = document.getElementById("notice-select");
  if (sel) {
    const want = query.get("notice");
    if (want && Array.from(sel.options).some((o) => o.value === want)) sel.value = want;
    sel.addEventListener("change", () => {
      try {
        state.engine.set_rules(currentRules(notices));
        if (state.surveyEngine) state.surveyEngine.set_rules(currentRules(notices));
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
  return import(`../wasm/${name}.js`).then((wasm) => wasm.default({ module_or_path: source }).then(() => wasm));
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
  const scoring = app.querySelector("[data-score], [data-score-total], [data-survey-summary]") ? import("../forms-score.js") : null;
  if (scoring) scoring.catch(() => { /* reported below */ });
  // The draft is put back once the engine is there, not while it loads: this thread
  // does both, and restoring first only made the engine later (browser-bench).
  try {
    const wasm = await loading;
    const rules = currentRules(notices);
    state.engine = new wasm.Engine(engineData("form-schema"), rules, engineData("form-calendar"));
    if (engineData("form-survey-schema")) {
      state.surveyEngine = new wasm.Engine(engineData("form-survey-schema"), rules, engineData("form-calendar"));
    }
    if (scoring) {
      state.scored = await scoring;
      state.scored.init({
        app, formId: FORM_ID, fmt, engine: () => state.engine, surveyEngine: () => state.surveyEngine,
        collectValues, fillValues, saveDraft, showBox, importOk, importFailed, run,
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
    await import("../handin.js").catch(() => { /* the panel reports its own failure */ });
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
  if (state.scored) state.scored.takeHandoff();
}

start();
