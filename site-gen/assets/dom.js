// Small DOM and data helpers shared by the form page (forms.js), the survey hand-in
// panel (handin.js) and the collection page (collect.js). No rule lives here.

/** An element with attributes (`class`, `text`, `on<event>` handlers, others as
 * attributes) and children (strings become text nodes; null children are skipped). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c == null) continue;
    e.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return e;
}

/** Saves `data` (a Blob, or text of type `mime`) as the file `name` through the
 *  browser's own download. */
export function download(name, mime, data) {
  const blob = data instanceof Blob ? data : new Blob([data], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---------- the page's data blocks: the one reader every script uses ----------
//
// site-gen embeds two kinds of data block (forms_page.rs, handin_pages.rs):
// `<script type="application/json">`, data for this page's scripts, and
// `<script type="text/plain">`, a schema, notice rules or calendar in the engine's wire
// form (postcard in base64url), which only the Rust engine reads. `pageData` and
// `engineData` each read one kind and refuse the other loudly, so that a script never
// parses the engine's wire form as JSON (and shows an empty table) again.

const WIRE = "text/plain";

function block(id) {
  return document.getElementById(id);
}

/** The parsed JSON of the page's data block `id` (`application/json`); `fallback` when
 *  the page has no such block. A wire-form block is an error: its content is the
 *  engine's to read (ask the engine for what it says). */
export function pageData(id, fallback) {
  const s = block(id);
  if (!s) return fallback;
  if (s.type === WIRE) throw new Error(`数据块 ${id} 是表单引擎的内部格式，页面脚本不能直接读取`);
  return parseJson(s.textContent, fallback);
}

/** The text of the page's data block `id` in the engine's wire form (`text/plain`),
 *  for the engine's constructor; "" when the page has no such block. */
export function engineData(id) {
  const s = block(id);
  if (!s) return "";
  if (s.type !== WIRE) throw new Error(`数据块 ${id} 不是表单引擎的格式（${s.type}）`);
  return s.textContent;
}

// What the browser's errors mean, in words a trainee or organizer understands (the
// browser's own text, e.g. "NotFoundError: Requested device not found", is not shown).
const PLAIN = {
  NotFoundError: "没有找到（文件已被移走或删除，或本机没有摄像头）",
  NotAllowedError: "没有得到允许（请在浏览器的提示或设置中允许）",
  NotReadableError: "无法读取（可能正被其他程序使用）",
  SecurityError: "浏览器出于安全限制不允许",
  QuotaExceededError: "本机浏览器的存储空间已满",
  AbortError: "操作被中断",
  OverconstrainedError: "没有合适的摄像头",
  NetworkError: "网络连接失败",
};

/** A browser error (an exception or DOMException) in plain Chinese. */
export function plainError(e) {
  const name = e && e.name;
  if (name && PLAIN[name]) return PLAIN[name];
  if (e instanceof TypeError && /fetch|import|load/i.test(String(e.message))) return "网络连接失败，文件没有下载下来";
  return "浏览器报告了意外的错误";
}

/** JSON.parse, or `fallback` when the text is not JSON. */
export function parseJson(s, fallback) {
  try { return JSON.parse(s); } catch (_) { return fallback; }
}

/** Today's date on this device as YYYY-MM-DD. */
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
