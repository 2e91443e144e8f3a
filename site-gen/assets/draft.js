// The draft of a form page, from the first tap: the page's first script (inline in the
// page, before forms.js and the wasm engine) keeps every answer given in the plain HTML
// controls in the draft the engine's page uses (localStorage `draft:<form id>`, the
// response as forms.md describes it, with `saved_at`), and puts a saved draft back on
// the screen. Once forms.js has the engine (`.is-ready` on the form), it takes over:
// this script then does nothing more. forms.js reads and writes the controls with the
// same helpers (handed over by this script, below), so the two write one and the same
// draft.
//
// Rows of a table live in forms.js's model and are not read here. An answer already
// handed in (the survey's `handin:<form id>` state, handin.js) stays handed in: an edit
// marks it edited, as handin.js does, and never starts a new survey.

/** `trainees[3].id_number` → ["trainees", 3, "id_number"] */
export function parsePath(path) {
  const out = [];
  for (const part of path.split(".")) {
    const m = part.match(/^([^[\]]*)((?:\[\d+\])*)$/);
    if (!m) { out.push(part); continue; }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function setPath(obj, segs, value) {
  let cur = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    if (cur[s] == null || typeof cur[s] !== "object") cur[s] = typeof segs[i + 1] === "number" ? [] : {};
    cur = cur[s];
  }
  cur[segs[segs.length - 1]] = value;
}

export function getPath(obj, segs) {
  let cur = obj;
  for (const s of segs) {
    if (cur == null || typeof cur !== "object") return undefined;
    cur = cur[s];
  }
  return cur;
}

export function delPath(obj, segs) {
  const parent = getPath(obj, segs.slice(0, -1));
  if (parent && typeof parent === "object") delete parent[segs[segs.length - 1]];
}

const NUMERIC = new Set(["number", "score", "count", "percent"]);

/** A control's text as the response holds it: plain digits of a numeric field as a
 *  number, everything else as typed (the engine normalises or reports the rest). */
export function convert(type, raw) {
  if (type === "bool") return raw === true || raw === "true";
  if (NUMERIC.has(type)) {
    const t = raw.trim();
    if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
    return raw;
  }
  return raw;
}

/** Writes what control `c` holds into `values` (a radio only when it is the one
 *  checked; an empty text box removes its answer). */
export function readControl(values, c) {
  const segs = parsePath(c.name);
  if (c.type === "checkbox") setPath(values, segs, c.checked);
  else if (c.type === "radio") {
    if (c.checked) setPath(values, segs, convert(c.dataset.type, c.value));
  } else if (c.value.trim() === "") delPath(values, segs);
  else setPath(values, segs, convert(c.dataset.type, c.value));
}

/** Puts value `v` into control `c`. */
export function setControl(c, v) {
  if (c.type === "radio") c.checked = v != null && String(v) === c.value;
  else if (c.type === "checkbox") c.checked = v === true || v === "true";
  else c.value = v == null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Whether control `c` still shows what the page came with. */
function untouched(c) {
  if (c.type === "radio" || c.type === "checkbox") return c.checked === c.defaultChecked;
  // A list shows its option marked `selected`, else its first: a select has no
  // defaultValue to compare with.
  if (c.tagName === "SELECT") {
    const d = Array.from(c.options).findIndex((o) => o.defaultSelected);
    return c.selectedIndex === (d < 0 ? 0 : d);
  }
  return c.value === c.defaultValue;
}

/** The draft of form `formId` in `storage`, or null when there is none (or not this
 *  form's). */
export function readDraft(storage, formId) {
  let raw = null;
  try { raw = storage.getItem("draft:" + formId); } catch (_) { raw = null; }
  let d = null;
  try { d = raw ? JSON.parse(raw) : null; } catch (_) { d = null; }
  if (!d || d.form !== formId || typeof d.values !== "object" || d.values === null || Array.isArray(d.values)) return null;
  return d;
}

/** Saves the answers of `changed` controls into the draft of `formId` (made when there
 *  is none), keeping every other answer of it. False when storage refused. */
export function keepAnswers(storage, formId, version, changed, now) {
  const d = readDraft(storage, formId) || { form: formId, version, values: {} };
  for (const c of changed) readControl(d.values, c);
  d.saved_at = now;
  try {
    storage.setItem("draft:" + formId, JSON.stringify(d));
  } catch (_) {
    return false;
  }
  // An answer handed in and now changed is a correction to come, not a new survey.
  try {
    const key = "handin:" + formId;
    const s = JSON.parse(storage.getItem(key) || "null");
    if (s && s.handed && !s.edited) storage.setItem(key, JSON.stringify(Object.assign(s, { edited: true })));
  } catch (_) { /* no hand-in state: nothing to mark */ }
  return true;
}

// ---------- on the page ----------

function page() {
  const app = document.querySelector("[data-form-id]");
  const form = document.getElementById("form");
  if (!app || !form) return null;
  return { app, form, id: app.dataset.formId, version: Number(app.dataset.formVersion || "1") };
}

/** A control this script keeps: named, typed, in the form, not in a table's row. */
function kept(p, c) {
  return !!(c && c.name && c.dataset && c.dataset.type && p.form.contains(c) && !c.closest("[data-table]"));
}

function controls(p) {
  return Array.from(p.form.querySelectorAll("[name][data-type]")).filter((c) => kept(p, c));
}

function onEdit(ev) {
  const p = page();
  if (!p || p.app.classList.contains("is-ready") || !kept(p, ev.target)) return;
  keepAnswers(localStorage, p.id, p.version, [ev.target], new Date().toISOString());
}

/** Once the form is parsed: the saved answers back on the screen (a control already
 *  changed keeps what was given and is saved), and a status in the trainee's words. */
function settle() {
  const collect = collectPage();
  if (collect) settleCollect(collect);
  const p = page();
  if (!p || p.app.classList.contains("is-ready")) return;
  const d = readDraft(localStorage, p.id);
  const given = [];
  const byName = new Map();
  for (const c of controls(p)) {
    if (!untouched(c)) given.push(c);
    else if (d) byName.set(c.name, (byName.get(c.name) || []).concat(c));
  }
  const givenNames = new Set(given.map((c) => c.name));
  for (const [name, group] of byName) {
    if (givenNames.has(name)) continue;
    const v = getPath(d.values, parsePath(name));
    if (v !== undefined) for (const c of group) setControl(c, v);
  }
  if (given.length) keepAnswers(localStorage, p.id, p.version, given, new Date().toISOString());
  const status = document.getElementById("form-status");
  if (status && status.dataset.kind === "info") {
    status.textContent = "可以填写了，内容自动保存在本机。“检查”马上可用。";
  }
  // From here an answer is kept (browser-bench early: time to the first kept answer).
  if (performance.mark) performance.mark("draft-ready");
}

// ---------- the collection page ----------
// What the organizer does there before collect.js has its engine is kept too: the
// expected count and the program go into the collection's own state
// (`collection:<form id>`, which collect.js reads when it starts), and text pasted into
// the box, not yet added, into `collect-paste:<form id>` until 添加 has taken its codes
// (collect.js then empties the box, with an `input` event).

const COLLECT_FIELDS = new Set(["expected", "program"]);

/** Keeps the pasted text not yet added (an empty box forgets it). */
export function keepPaste(storage, formId, text) {
  try {
    if (text.trim()) storage.setItem("collect-paste:" + formId, text);
    else storage.removeItem("collect-paste:" + formId);
  } catch (_) { /* storage refused: the text stays on the screen */ }
}

/** Saves the collection's field `name` (`expected` or `program`) into its state. */
export function keepCollectField(storage, formId, name, value) {
  let s = null;
  try { s = JSON.parse(storage.getItem("collection:" + formId) || "null"); } catch (_) { s = null; }
  if (!s || typeof s !== "object" || !Array.isArray(s.entries)) s = { entries: [], expected: null, program: "" };
  if (name === "expected") s.expected = /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
  else s.program = value;
  try { storage.setItem("collection:" + formId, JSON.stringify(s)); } catch (_) { /* refused */ }
}

function collectPage() {
  const root = document.querySelector("[data-collect]");
  return root ? { root, id: root.dataset.collectForm || "" } : null;
}

function onCollectEdit(ev) {
  const c = collectPage();
  const t = ev.target;
  if (!c || !t || !c.root.contains(t)) return;
  if (t.name === "codes") keepPaste(localStorage, c.id, t.value);
  else if (COLLECT_FIELDS.has(t.name) && !c.root.classList.contains("is-ready")) keepCollectField(localStorage, c.id, t.name, t.value);
}

/** Once the page is parsed: what was kept back on the screen (what was already given
 *  there is kept instead). */
function settleCollect(c) {
  if (c.root.classList.contains("is-ready")) return;
  const box = c.root.querySelector('textarea[name="codes"]');
  if (box) {
    let pasted = null;
    try { pasted = localStorage.getItem("collect-paste:" + c.id); } catch (_) { pasted = null; }
    if (box.value) keepPaste(localStorage, c.id, box.value);
    else if (pasted) box.value = pasted;
  }
  let s = null;
  try { s = JSON.parse(localStorage.getItem("collection:" + c.id) || "null"); } catch (_) { s = null; }
  for (const name of COLLECT_FIELDS) {
    const f = c.root.querySelector(`[name="${name}"]`);
    if (!f) continue;
    const given = !untouched(f);
    if (given) keepCollectField(localStorage, c.id, name, f.value);
    else if (s && s[name] != null && s[name] !== "") f.value = String(s[name]);
  }
  const status = document.getElementById("collect-status");
  if (status && !status.dataset.kind) status.textContent = "可以先粘贴提交码，保存在本机。";
  if (performance.mark) performance.mark("draft-ready");
}

// ---------- handed over to forms.js ----------
// The page carries this script inline, to run before anything else arrives, and its first
// copy hands the helpers above (every export) over on the global object under
// `Symbol.for("site-draft")`: forms.js, as site-scripts joins it (src/bundle.rs,
// HANDED_OVER), takes them from there instead of fetching this file a second time, and
// imports the file only on a page that did not carry it. A second copy (that import, or
// a unit test's) leaves the keeping to the first: only the first listens and settles.
const HANDOFF = Symbol.for("site-draft");
const FIRST = !globalThis[HANDOFF];
if (FIRST) {
  globalThis[HANDOFF] = Object.freeze({
    parsePath, setPath, getPath, delPath, convert, readControl, setControl,
    readDraft, keepAnswers, keepPaste, keepCollectField,
  });
}

/** Whether a survey's program line ("本问卷针对…", filled by handin.js) will show: the
 *  page was opened through a program's link, or a survey of this browser remembers one. */
function programLineComing() {
  if (new URLSearchParams(location.search).has("program")) return true;
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k && k.startsWith("handin:") && /"program"\s*:\s*"/.test(localStorage.getItem(k) || "")) return true;
    }
  } catch (_) { /* storage off: no remembered program */ }
  return false;
}

if (FIRST && typeof document !== "undefined") {
  // The program line's room is kept before anything is drawn (handin.css), and only when
  // it will be filled: no empty band under a survey's title, no shift when it is filled.
  if (programLineComing()) document.documentElement.setAttribute("data-program-line", "");
  // Listened to on the document from the start, so that the first tap is kept even while
  // the rest of the page is still arriving.
  document.addEventListener("input", onEdit, true);
  document.addEventListener("change", onEdit, true);
  document.addEventListener("input", onCollectEdit, true);
  document.addEventListener("change", onCollectEdit, true);
  // Settled once the form is parsed ("interactive"), not at DOMContentLoaded, which
  // waits for forms.js and the modules it imports.
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", () => { if (document.readyState === "interactive") settle(); });
  } else settle();
}
