// The collection page (/forms/<survey>/collect/): the organizer gathers the trainees'
// responses from pasted chat logs, dropped files and the camera.
//
// Every rule runs in the Rust engine: finding and checking codes, the duplicate rule,
// the summary table, r and its score, the CSV. This file keeps the collection in
// localStorage (it survives reload), reads files and camera frames, and shows what the
// engine returns. Camera frames are decoded by the handin_scan wasm (rqrr), loaded only
// when the organizer presses 扫码, so it works in browsers without BarcodeDetector.

import { el, engineData, parseJson, plainError, today, download } from "./dom.js";

const root = document.querySelector("[data-collect]");
const FORM_ID = root ? root.dataset.collectForm : "";
const KEY = "collection:" + FORM_ID;
const BACKUP_KEY = "collection-cleared:" + FORM_ID;

const $ = (sel) => root.querySelector(sel);

function status(msg, kind) {
  const s = document.getElementById("collect-status");
  s.textContent = msg;
  s.dataset.kind = kind || "info";
}

// ---------- state ----------

let engine = null;
let state = { entries: [], expected: null, program: "" };

function load() {
  let raw = null;
  try { raw = localStorage.getItem(KEY); } catch (_) { raw = null; }
  const s = raw ? parseJson(raw, null) : null;
  if (s && Array.isArray(s.entries)) state = Object.assign(state, s);
}

function save() {
  try {
    localStorage.setItem(KEY, JSON.stringify(state));
    return true;
  } catch (e) {
    status("无法保存到本机浏览器（" + plainError(e) + "）：请先“导出全部问卷”备份。", "error");
    return false;
  }
}

const programSelect = () => $('select[name="program"]');

function programName(key) {
  const o = Array.from(programSelect().options).find((x) => x.value === key);
  return o ? o.textContent : key;
}

// ---------- rendering ----------

let summary = null;

function render() {
  summary = parseJson(engine.collect_summary(JSON.stringify(state.entries), state.program || "", today()), null);
  if (!summary) return;
  const n = summary.counted;
  $("[data-collected-count]").textContent = String(n);
  const m = Number(state.expected);
  $("[data-expected-text]").textContent = m > 0 ? `（已收 ${n} / 应收 ${m}${n >= m ? "，已收齐" : `，还差 ${m - n} 份`}）` : "";
  const notes = [];
  if (summary.without_id) notes.push(`其中 ${summary.without_id} 份没有编号（旧版导出或纸质录入），无法判断是否重复，每份都计入。`);
  if (summary.summary.rejected && summary.summary.rejected.length) notes.push(`${summary.summary.rejected.length} 份未通过检查，未计入。`);
  $("[data-summary-note]").textContent = notes.join("");
  const others = Object.entries(summary.other_programs || {});
  const box = $("[data-other-programs]");
  box.hidden = others.length === 0;
  box.replaceChildren(
    el("h3", { text: "其他项目的问卷（未计入本表）" }),
    el("ul", null, ...others.map(([k, c]) => el("li", { text: `${programName(k)}：${c} 份` }))),
  );
  renderTable();
  // r and its score as the engine writes them (the evaluation report shows the same).
  const s = summary.summary;
  $("[data-satisfaction]").textContent = s.satisfaction_rate_text != null
    ? `满意率 r = ${s.satisfaction_rate_text}（很满意和满意占全部评价的比例）` +
      (s.satisfaction_score != null ? `；学员满意度得分 ${s.satisfaction_score} 分。` : "。")
    : "还没有有效问卷。";
  const list = $("[data-entries]");
  list.replaceChildren(...state.entries.map((e) => {
    const r = e.response || {};
    const prog = r.program ? programName(r.program) : "未注明项目";
    const id = r.response_id ? `编号 ${String(r.response_id).slice(0, 8)}` : "无编号";
    return el("li", { text: `${e.source} · ${prog} · ${id}` });
  }));
  for (const b of root.querySelectorAll('[data-action="export-summary-csv"], [data-action="to-evaluation"]')) b.disabled = n === 0;
  $('[data-action="clear"]').disabled = state.entries.length === 0;
  $('[data-action="export-collection"]').disabled = state.entries.length === 0;
}

function renderTable() {
  const t = $("[data-summary-table]");
  // The rows and levels come with the engine's summary (the page never reads the schema).
  const { rows, levels } = summary.layout || { rows: [], levels: [] };
  const head = el("tr", null, el("th", { scope: "col", text: "评估内容" }), el("th", { scope: "col", text: "评估指标" }),
    ...levels.map((l) => el("th", { scope: "col", text: l.label })));
  t.tHead.replaceChildren(head);
  const inds = summary.summary.indicators || {};
  // Each cell names its level (data-label): a phone shows a row as a card, level by level.
  t.tBodies[0].replaceChildren(...rows.map((r) => el("tr", null,
    el("td", { class: "group", text: r.group }), el("th", { scope: "row", text: r.label }),
    ...levels.map((l) => {
      const c = (inds[r.id] || {})[l.id] || { count: 0, percent: "0" };
      return el("td", { "data-label": l.label }, `${Number(c.percent).toFixed(1)}%`, el("br"), el("span", { class: "hint", text: `${c.count} 份` }));
    }))));
}

function reportBatch(rep, what) {
  const box = $("[data-batch-report]");
  box.hidden = false;
  const added = (rep.added || []).length;
  const dups = rep.duplicates || [];
  const bad = rep.rejected || [];
  const parts = [`${what}：新增 ${added} 份`];
  if (dups.length) parts.push(`重复 ${dups.length} 份（只算一次）`);
  if (bad.length) parts.push(`无效 ${bad.length} 处`);
  box.replaceChildren(el("h2", { text: parts.join("，") + "。" }));
  if (dups.length) {
    box.append(el("h3", { text: "重复的问卷" }), el("ul", { "data-duplicates": "" }, ...dups.map((d) =>
      el("li", { text: `${d.source}：与 ${d.first_source} 是同一份问卷${d.changed ? "（内容有改动，保留先收到的一份）" : ""}` }))));
  }
  if (bad.length) {
    box.append(el("h3", { text: "无效的提交码或文件" }), el("ul", { "data-rejected": "" }, ...bad.map((r) =>
      el("li", null, el("strong", { text: r.file }), "：" + (r.findings || []).map((f) => (f.path ? `${f.path} ` : "") + f.message).join("；")))));
  }
  status(parts.join("，") + "。", bad.length ? "warning" : "ok");
  return { added, dups: dups.length, bad: bad.length };
}

// ---------- adding ----------

function addBatch(list, what, refused) {
  const res = parseJson(engine.collect_add(JSON.stringify(state.entries), list, today()), null);
  if (!res) return null;
  const before = state.entries;
  state.entries = res.entries || before;
  if (!save()) { state.entries = before; return null; }
  if (!state.program) {
    const first = state.entries.find((e) => e.response && e.response.program);
    const want = first && first.response.program;
    if (want && Array.from(programSelect().options).some((o) => o.value === want)) {
      state.program = want;
      programSelect().value = want;
      save();
    }
  }
  const rep = res.report || {};
  const out = reportBatch(refused && refused.length ? { ...rep, rejected: refused.concat(rep.rejected || []) } : rep, what);
  render();
  return out;
}

function addPasted() {
  const ta = $('textarea[name="codes"]');
  const text = ta.value;
  if (!text.trim()) { status("请先粘贴提交码或聊天记录。", "warning"); ta.focus(); return; }
  const r = addBatch([{ name: "粘贴的文字", text }], "粘贴的文字");
  // The text is cleared only once its codes are in the collection.
  // (draft.js keeps the box's text until then: the event tells it the box is empty.)
  if (r && (r.added || r.dups)) {
    ta.value = "";
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

async function addFiles(files) {
  if (!files.length) return;
  // The engine's limit on any one file (the command line's too): a larger file is refused
  // before it is read; the others of the batch are added, the collection kept as it was.
  const limit = parseJson(engine.file_limit(), null);
  const list = [];
  const refused = [];
  for (const f of files) {
    if (limit && f.size > limit.bytes) {
      refused.push({ file: f.name, findings: [{ path: "", message: limit.message }] });
      continue;
    }
    let text = "";
    try { text = await f.text(); } catch (e) { text = ""; }
    list.push({ name: f.name, text });
  }
  const done = addBatch(list, `${files.length} 个文件`, refused);
  if (done && refused.length) {
    status(`无法导入 ${refused.map((r) => r.file).join("、")}，已收到的问卷未受影响：${limit.message}。`, "error");
  }
}

// ---------- camera ----------

let scanning = false;
let stream = null;
let scanner = null;
let audio = null;
const seenThisScan = new Set();

function beep(ok) {
  try {
    audio = audio || new AudioContext();
    const o = audio.createOscillator();
    const g = audio.createGain();
    o.frequency.value = ok ? 880 : 220;
    g.gain.value = 0.15;
    o.connect(g).connect(audio.destination);
    o.start();
    o.stop(audio.currentTime + (ok ? 0.12 : 0.3));
  } catch (_) { /* no audio: the visible confirmation remains */ }
}

async function startScan() {
  const box = $("[data-scanner]");
  const st = $("[data-scan-status]");
  box.hidden = false;
  st.textContent = "正在打开摄像头…";
  try {
    if (!scanner) {
      const m = await import("./wasm/handin_scan.js");
      await m.default();
      scanner = m;
    }
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (e) {
    st.textContent = "无法使用摄像头（" + plainError(e) + "）：请改为粘贴提交码或选择文件。";
    return;
  }
  const video = box.querySelector("video");
  video.srcObject = stream;
  await video.play().catch(() => {});
  scanning = true;
  seenThisScan.clear();
  st.textContent = "把学员手机上的二维码对准摄像头，一个接一个扫。";
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const tick = () => {
    if (!scanning) return;
    const w = video.videoWidth, h = video.videoHeight;
    if (w && h) {
      const scale = Math.min(1, 800 / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (const text of scanner.scan_rgba(img.data, canvas.width, canvas.height)) {
        if (seenThisScan.has(text)) continue;
        seenThisScan.add(text);
        const r = addBatch([{ name: "扫码", text }], "扫码");
        if (!r) continue;
        const ok = r.added > 0;
        beep(ok);
        st.textContent = ok ? `✓ 已收第 ${$("[data-collected-count]").textContent} 份` : r.dups ? "这份已经收过（重复，不重复计）" : "✗ 无效的二维码：见下方原因";
        st.dataset.kind = ok ? "ok" : "warning";
      }
    }
    setTimeout(tick, 120);
  };
  tick();
}

function stopScan() {
  scanning = false;
  if (stream) for (const t of stream.getTracks()) t.stop();
  stream = null;
  $("[data-scanner]").hidden = true;
}

// ---------- export, clear, hand over ----------

function exportCsv() {
  if (!summary) return;
  const prog = state.program ? "-" + state.program.replace(/[\\/:*?"<>|\s]+/g, "_") : "";
  download(`${FORM_ID}${prog}-汇总.csv`, "text/csv;charset=utf-8", summary.csv);
}

function exportCollection() {
  download(`${FORM_ID}-全部问卷-${today()}.txt`, "text/plain;charset=utf-8", engine.collect_export(JSON.stringify(state.entries)));
}

function clearAll() {
  if (!confirm(`确定清空已收的 ${state.entries.length} 份问卷？清空后可以立即撤销。`)) return;
  try { localStorage.setItem(BACKUP_KEY, JSON.stringify(state)); } catch (_) { /* ignore */ }
  state = { entries: [], expected: state.expected, program: state.program };
  save();
  render();
  const box = $("[data-batch-report]");
  box.hidden = false;
  box.replaceChildren(el("p", null, "已清空。", el("button", { type: "button", "data-action": "undo-clear", text: "撤销清空", onclick: undoClear })));
  status("已清空收集。", "ok");
}

function undoClear() {
  const s = parseJson((() => { try { return localStorage.getItem(BACKUP_KEY); } catch (_) { return null; } })() || "null", null);
  if (!s || !Array.isArray(s.entries)) return;
  const res = parseJson(engine.collect_add(JSON.stringify(s.entries), [], today()), null);
  state.entries = (res && res.entries) || s.entries;
  save();
  $("[data-batch-report]").hidden = true;
  status(`已恢复 ${state.entries.length} 份问卷。`, "ok");
  render();
}

function toEvaluation(ev) {
  const evalId = ev.currentTarget.dataset.form;
  // A sibling form page: relative, so that it works wherever the site is served. Opened
  // for the program collected (its name and organizer filled in, its list's rules), as
  // the program's own page opens it; the page then shows section 五.
  const opt = Array.from(programSelect().options).find((o) => o.value === state.program);
  const query = (state.program && opt && opt.dataset.formQuery) || "";
  const target = new URL(`../../${evalId}/${query}`, location.href).href;
  const list = state.entries
    .filter((e) => !state.program || !e.response.program || e.response.program === state.program)
    .map((e) => ({ name: e.source, text: JSON.stringify(e.response) }));
  try { localStorage.setItem("handoff:" + evalId, JSON.stringify(list)); } catch (e) {
    status("无法交给评价报告页（" + plainError(e) + "）", "error");
    return;
  }
  location.href = target;
}

// ---------- start ----------

async function start() {
  if (!root) return;
  load();
  try {
    // The collection's own engine bundle: collecting and summarising, no scoring.
    const wasm = await import("./wasm/wasm_forms_collect.js");
    await wasm.default();
    engine = new wasm.Engine(engineData("form-schema"), engineData("form-rules"), engineData("form-calendar"));
    // The evaluation report's schema: its tiers score r (学员满意度得分).
    engine.set_summarised_by(engineData("form-summarised-by"));
  } catch (e) {
    status("无法加载问卷引擎：" + plainError(e) + "。请刷新页面重试，或换用新版的 Chrome、Edge 或 Firefox。", "error");
    return;
  }
  const sel = programSelect();
  const want = new URLSearchParams(location.search).get("program");
  if (want && Array.from(sel.options).some((o) => o.value === want)) state.program = want;
  sel.value = state.program || "";
  sel.addEventListener("change", () => { state.program = sel.value; save(); render(); });
  const exp = $('input[name="expected"]');
  if (state.expected) exp.value = state.expected;
  exp.addEventListener("input", () => { state.expected = exp.value ? Number(exp.value) : null; save(); render(); });
  const on = (action, fn) => { const b = $(`[data-action="${action}"]`); if (b) b.addEventListener("click", fn); };
  on("add-codes", addPasted);
  on("scan", startScan);
  on("stop-scan", stopScan);
  on("export-summary-csv", exportCsv);
  on("export-collection", exportCollection);
  on("clear", clearAll);
  on("to-evaluation", toEvaluation);
  const input = $('input[type="file"][name="files"]');
  input.addEventListener("change", () => { const fs = Array.from(input.files); input.value = ""; addFiles(fs); });
  const drop = document.getElementById("drop");
  drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("is-over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
  drop.addEventListener("drop", (ev) => { ev.preventDefault(); drop.classList.remove("is-over"); addFiles(Array.from(ev.dataTransfer.files)); });
  for (const b of root.querySelectorAll("[data-needs-wasm]")) b.disabled = false;
  root.classList.add("is-ready");
  if (performance.mark) performance.mark("form-ready");
  status(state.entries.length ? `已恢复本机保存的 ${state.entries.length} 份问卷。` : "还没有收到问卷。", "ok");
  render();
}

start();
