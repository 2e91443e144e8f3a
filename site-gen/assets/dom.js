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

/** The text of the data block (`<script type="application/json">`, or `text/plain` for a
 * schema in the engine's wire form) with this id ("" if none). */
export function dataBlock(id) {
  const s = document.getElementById(id);
  return s ? s.textContent : "";
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
