// Survey hand-in on the trainee's phone (shared/spec/handin.md).
//
// Names the program the survey was opened for (`?program=`), keeps the response's
// envelope (`program`, a `response_id` made once per filled survey) beside the draft,
// and after a 检查 with no error shows the hand-in code, its QR code, the JSON file and
// the share sheet. The code, the check, the file and the QR code come from the Rust
// engine (the survey's bundle, wasm_forms_survey, has the QR maker built in).
//
// One phone, several trainees (forms.md, third wave): once a code has been shown the
// answer counts as handed in. A reload says so (never "未提交的草稿") and offers
// 为下一位学员填写: an empty form and a new response_id (undoable). Editing a
// handed-in answer and checking it again is a correction: the same response_id.
//
// forms.js tells this file about checks, restored drafts and discards through the
// `form-checked`, `form-draft-restored` (cancelable), `form-discarded` and
// `form-discard-undone` events on the document; this file asks it to clear the form with
// `form-discard`.

import { el, pageData, engineData, parseJson, today, download } from "./dom.js";

const app = document.querySelector("[data-form-id]");
const FORM_ID = app ? app.dataset.formId : "";
const KEY = "handin:" + FORM_ID;

// The state kept beside the draft: {program, response_id, handed: {at, code}, edited}.
function load() {
  try { return parseJson(localStorage.getItem(KEY) || "{}", {}) || {}; } catch (_) { return {}; }
}

function save(s) {
  try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (_) { /* storage off: still works once */ }
}

function newId() {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

const programs = pageData("handin-programs", []) || [];
let state = load();
const wanted = new URLSearchParams(location.search).get("program");
if (wanted && wanted !== state.program) {
  // Opened through another program's link: a new survey for that program.
  state = { program: wanted };
  save(state);
}

function programInfo() {
  return state.program ? programs.find((p) => p.key === state.program) : null;
}

function showProgram() {
  const head = app.querySelector(".form-head");
  if (!head || !state.program) return;
  let p = document.getElementById("handin-program");
  if (!p) {
    p = el("p", { id: "handin-program", class: "handin-program" });
    head.append(p);
  }
  const info = programInfo();
  p.textContent = info
    ? `本问卷针对：${info.name}（${info.organizer}）`
    : `本问卷针对：${state.program}（本站的项目名单中没有这个项目，请向班主任确认链接）`;
}

let engine = null;
let qr = null;
let panel = null;

async function loadEngine() {
  // The same engine bundle as forms.js (named by the page), so one module is loaded;
  // the survey's bundle has the QR maker (`qr_svg`) in it too.
  const wasm = await import(`./wasm/${(app && app.dataset.engine) || "wasm_forms_survey"}.js`);
  await wasm.default();
  qr = wasm;
  const notices = pageData("form-notices", {}) || {};
  const first = (notices.notices || [])[0];
  engine = new wasm.Engine(engineData("form-schema"), first ? first.rules || "" : "", engineData("form-calendar"));
}

async function loadQr() {
  if (!qr) await loadEngine();
  if (typeof qr.qr_svg !== "function") throw new Error("本页的表单引擎不含二维码生成");
  return qr;
}

function fileName() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  const prog = state.program ? "-" + state.program.replace(/[\\/:*?"<>|\s]+/g, "_") : "";
  const id = state.response_id ? "-" + state.response_id.slice(0, 6) : "";
  return `${FORM_ID}${prog}-${stamp}${id}.json`;
}

function say(msg) {
  const live = document.getElementById("form-live");
  if (live) live.textContent = msg;
}

function buildPanel() {
  panel = el("section", { id: "handin", class: "handin", "aria-labelledby": "handin-title", tabindex: "-1" });
  panel.hidden = true;
  const actions = app.querySelector(".form-actions");
  (actions || app).after(panel);
}

function shortId() {
  return state.response_id ? state.response_id.slice(0, 8) : "";
}

/** The button that clears the form for the next trainee on this phone. */
function nextButton() {
  return el("button", {
    type: "button", class: "primary", "data-action": "next-trainee", text: "为下一位学员填写",
    onclick: nextTrainee,
  });
}

function renderPanel(res, correction) {
  panel.replaceChildren();
  panel.hidden = false;
  panel.dataset.state = "ready";
  const code = res.code;
  const codeBox = el("p", { class: "handin-code", "data-handin-code": "" });
  codeBox.textContent = code;
  const copied = el("span", { class: "handin-copied", role: "status" });
  const copy = el("button", {
    type: "button", class: "primary", "data-action": "copy-code", text: "复制提交码",
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(code);
        copied.textContent = "已复制，去聊天窗口粘贴发送";
      } catch (_) {
        const r = document.createRange();
        r.selectNodeContents(codeBox);
        const sel = getSelection();
        sel.removeAllRanges();
        sel.addRange(r);
        copied.textContent = "已选中提交码，请长按复制";
      }
      say(copied.textContent);
    },
  });
  const qrBox = el("div", { class: "handin-qr", "data-handin-qr": "" });
  const file = res.json;
  const name = fileName();
  const fileRow = el("p", { class: "handin-file" },
    el("button", { type: "button", "data-action": "download-json", text: "下载问卷文件", onclick: () => download(name, "application/json", file) }));
  const f = typeof File === "function" ? new File([file], name, { type: "application/json" }) : null;
  if (f && navigator.canShare && navigator.canShare({ files: [f] })) {
    fileRow.append(" ", el("button", {
      type: "button", "data-action": "share", text: "分享…",
      onclick: () => navigator.share({ files: [f], title: name }).catch(() => {}),
    }));
  }
  const info = programInfo();
  // Element.append would print a skipped part (null) as the text "null".
  const parts = [
    el("h2", { id: "handin-title", text: "交问卷" }),
    el("p", { class: "handin-how", text: correction
      ? "这是更正后的问卷：把新的提交码发给班主任，或让班主任扫码（编号不变，班主任那边不会重复计数）。"
      : "把下面的提交码发给班主任，或让班主任扫码。" }),
    info ? el("p", { class: "hint", text: `项目：${info.name}` }) : null,
    codeBox,
    el("p", null, copy, " ", copied),
    qrBox,
    el("p", { class: "hint", text: `提交码 ${code.length} 个字符，含校验：复制不全或被改动时班主任那边会提示，不会算错。` }),
    fileRow,
    el("p", { class: "hint" }, "问卷编号 ", el("strong", { "data-response-id": "", text: shortId() }),
      "：修改后再按“检查”是更正这一份，编号不变。"),
    el("div", { class: "handin-next" },
      el("p", { text: "下一位学员用这台手机填写时，请按：" }), nextButton(),
      el("p", { class: "hint", text: "表单清空，换一个新的问卷编号；本份问卷已交，清空后仍可撤销。" })),
  ];
  panel.append(...parts.filter((part) => part != null));
  loadQr().then((m) => {
    const svg = m.qr_svg(code, "提交码的二维码");
    if (svg) qrBox.innerHTML = svg; // SVG made by the engine from ASCII only
    else qrBox.textContent = "提交码太长，无法做成二维码：请复制提交码或下载问卷文件发送。";
  }).catch(() => { qrBox.textContent = "二维码无法显示：请复制提交码发送。"; });
  panel.focus();
}

function stale() {
  if (state.handed && !state.edited) {
    state.edited = true;
    save(state);
  }
  if (!panel || panel.hidden || panel.dataset.state !== "ready") return;
  panel.dataset.state = "stale";
  panel.replaceChildren(
    el("h2", { id: "handin-title", text: "交问卷" }),
    el("p", { class: "handin-stale", text: "内容已修改：请再按一次“检查”，生成更正后的提交码（问卷编号不变）。" }),
    el("div", { class: "handin-next" }, nextButton()),
  );
}

async function onChecked(ev) {
  const d = ev.detail || {};
  if (!engine) await ready;
  if (!d.report || !d.report.valid) {
    if (panel) panel.hidden = true;
    return;
  }
  if (!state.response_id) {
    state.response_id = newId();
    save(state);
  }
  const resp = Object.assign({}, d.response, { response_id: state.response_id });
  if (state.program) resp.program = state.program;
  const res = engine && parseJson(engine.handin(JSON.stringify(resp), today()), null);
  if (!engine || !res || !res.ok) return;
  // A code shown is an answer handed in; shown again after an edit, a correction.
  const correction = !!(state.handed && state.handed.code !== res.code);
  state.handed = { at: new Date().toISOString(), code: res.code };
  state.edited = false;
  save(state);
  hideNotice();
  renderPanel(res, correction);
}

// ---------- one phone, several trainees ----------

let kept = null; // the state before 为下一位学员填写, for its undo

function nextTrainee() {
  kept = JSON.parse(JSON.stringify(state));
  // forms.js clears the form and offers to undo it.
  document.dispatchEvent(new CustomEvent("form-discard", {
    detail: { message: "表单已清空，请下一位学员填写（上一份问卷已交，编号已更换）。" },
  }));
  const first = document.querySelector("#form [name]");
  if (first) {
    first.closest("fieldset, .field") && first.closest("fieldset, .field").scrollIntoView({ block: "start" });
    first.focus({ preventScroll: true });
  }
  say("表单已清空，请下一位学员填写");
}

function onDiscarded() {
  // A new survey gets a new response_id; the program of the link stays.
  state = state.program ? { program: state.program } : {};
  save(state);
  if (panel) panel.hidden = true;
  hideNotice();
}

function onDiscardUndone() {
  if (!kept) return;
  state = kept;
  kept = null;
  save(state);
  if (state.handed) showHandedNotice();
}

function when(iso) {
  const d = iso ? new Date(iso) : null;
  return d && !isNaN(d) ? d.toLocaleString("zh-CN") : "";
}

function hideNotice() {
  const n = document.getElementById("handin-notice");
  if (n) n.hidden = true;
}

/** What a reload shows of an answer handed in: never "未提交的草稿". */
function showHandedNotice() {
  let n = document.getElementById("handin-notice");
  if (!n) {
    n = el("div", { id: "handin-notice", class: "draft-notice handin-notice no-print", role: "status" });
    const at = document.getElementById("draft-notice") || app.querySelector(".form-status");
    if (at) at.before(n);
    else app.prepend(n);
  }
  const t = when(state.handed.at);
  const text = state.edited
    ? `这份问卷已交${t ? `（${t}）` : ""}，之后又有修改：要更正，请按“检查”生成新的提交码（问卷编号不变）。`
    : `这份问卷已交${t ? `（${t} 生成提交码）` : ""}。要再看提交码，请按“检查”。`;
  n.replaceChildren(
    el("p", { "data-handin-notice-text": "", text }),
    nextButton(),
  );
  n.hidden = false;
}

function onDraftRestored(ev) {
  if (!state.handed) return;
  // forms.js leaves its own "restored draft" notice out: this answer was handed in.
  ev.preventDefault();
  showHandedNotice();
}

async function start() {
  if (!app) return;
  showProgram();
  buildPanel();
  document.addEventListener("form-checked", onChecked);
  document.addEventListener("form-draft-restored", onDraftRestored);
  document.addEventListener("form-discarded", onDiscarded);
  document.addEventListener("form-discard-undone", onDiscardUndone);
  const form = document.getElementById("form");
  if (form) {
    form.addEventListener("input", stale);
    form.addEventListener("change", stale);
  }
}

const ready = loadEngine().catch(() => { /* forms.js reports a missing engine */ });

start();
