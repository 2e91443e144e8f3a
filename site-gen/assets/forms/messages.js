// What the page shows of the engine's report: the status line, the boxes of errors,
// warnings and notes, the messages beside each control, computed values and sums.

import { el, parseJson, today } from "../dom.js";
import { getPath } from "../draft.js";
import { state } from "./state.js";
import { BASE_TITLE, app, form } from "./page.js";
import { byName, controls, cssEscape, response } from "./values.js";
import { finishAllRows, goToRow, tables } from "./table.js";

// ---------- status, notices ----------

export function announce(msg) {
  const live = document.getElementById("form-live");
  if (live) live.textContent = msg;
}

export function setStatus(msg, kind) {
  const s = document.getElementById("form-status");
  if (!s) return;
  s.textContent = msg;
  s.dataset.kind = kind || "info";
}

export function showBox(id, title, items, kind) {
  const box = document.getElementById(id);
  if (!box) return;
  box.replaceChildren();
  if (!items || items.length === 0) { box.hidden = true; return; }
  box.hidden = false;
  box.dataset.kind = kind || "info";
  box.append(el("h2", { text: title }));
  const ul = el("ul");
  for (const it of items) ul.append(typeof it === "string" ? el("li", { text: it }) : it);
  box.append(ul);
}

/** Where a path is, in words: `trainees[3].start_date` → 第 4 行“办班开始时间”. */
export function placeOf(path) {
  const m = /^([^[\]]+)\[(\d+)\]\.(.+)$/.exec(String(path));
  const ts = m && tables.get(m[1]);
  if (ts) {
    const col = ts.cols.find((c) => c.id === m[3]);
    return `第 ${Number(m[2]) + 1} 行“${col ? col.label : m[3]}”`;
  }
  const label = document.querySelector(`label[for="${cssEscape(controlId(path))}"]`);
  return label ? `“${label.textContent.replace(/（必填）/, "").trim()}”` : "";
}

/** Notes of one kind together, with where the first one is: 60 dates rewritten are one
 *  line (“已将日期统一写作“年-月-日”：共 60 处，如第 1 行“办班开始时间” “2020/10/12”→“2020-10-12””). */
export function noteLines(notes) {
  const groups = new Map();
  for (const n of notes) {
    const m = String(n.message);
    const k = m.indexOf("：");
    const head = k > 0 ? m.slice(0, k) : m;
    if (!groups.has(head)) groups.set(head, []);
    groups.get(head).push([n.path, k > 0 ? m.slice(k + 1) : ""]);
  }
  return Array.from(groups, ([head, list]) => {
    const [path, change] = list[0];
    // The place and the change, each only when there is one: no space left over.
    const detail = [placeOf(path), change].filter(Boolean).join(" ");
    if (list.length > 1) return `${head}：共 ${list.length} 处${detail ? `，如${detail}` : ""}`;
    return detail ? `${head}：${detail}` : head;
  });
}

// ---------- errors (GOV.UK pattern) ----------

function buildIndex() {
  const names = new Map();
  for (const c of controls()) if (!names.has(c.name)) names.set(c.name, c);
  const fields = new Map();
  for (const g of form.querySelectorAll("[data-field], [data-path]")) {
    for (const k of [g.dataset.field, g.dataset.path]) if (k && !fields.has(k)) fields.set(k, g);
  }
  state.index = { names, fields };
}

function targetFor(path) {
  if (!state.index) buildIndex();
  let segs = path;
  while (segs) {
    const c = state.index.names.get(segs);
    if (c) return { control: c, group: c.closest("td") || c.closest("[data-field]"), exact: true };
    const group = state.index.fields.get(segs);
    if (group) {
      return { control: group.querySelector("[name][data-type]"), group, exact: false };
    }
    const cut = Math.max(segs.lastIndexOf("."), segs.lastIndexOf("["));
    segs = cut > 0 ? segs.slice(0, cut) : "";
  }
  return { control: null, group: null, exact: false };
}

// What the last rendering of findings changed, so clearing costs O(findings), not
// O(controls), on a long roster.
let marks = { messages: [], controls: [], hosts: [] };

export function clearInline() {
  for (const m of marks.messages) m.remove();
  for (const c of marks.controls) {
    c.removeAttribute("aria-invalid");
    if (c.dataset.described !== undefined) {
      if (c.dataset.described) c.setAttribute("aria-describedby", c.dataset.described);
      else c.removeAttribute("aria-describedby");
      delete c.dataset.described;
    }
  }
  for (const g of marks.hosts) g.classList.remove("has-error", "has-warning", "has-missing");
  marks = { messages: [], controls: [], hosts: [] };
}

function describe(c, id) {
  if (!c) return;
  marks.controls.push(c);
  if (c.dataset.described === undefined) c.dataset.described = c.getAttribute("aria-describedby") || "";
  const cur = c.getAttribute("aria-describedby");
  c.setAttribute("aria-describedby", cur ? `${id} ${cur}` : id);
}

/** A finding shown at its field. `missing`: the field is a question not answered yet,
 *  shown as such (with `lead`, the words for the first of them), not as a red error. */
function showInline(finding, n, missing, lead) {
  const { control, group, exact } = targetFor(finding.path);
  const isError = finding.severity === "error";
  const id = `msg-${n}`;
  const msg = missing
    ? el("p", { class: "field-message is-missing", id }, el("span", { class: "msg-tag", text: "未回答：" }), lead || "请回答这一题。")
    : el("p", { class: "field-message " + (isError ? "is-error" : "is-warning"), id },
      el("span", { class: "msg-tag", text: isError ? "错误：" : "注意：" }), finding.message);
  const anchor = control;
  const host = group || (control && control.closest("td, .field")) || null;
  marks.messages.push(msg);
  if (host) {
    marks.hosts.push(host);
    host.classList.add(missing ? "has-missing" : isError ? "has-error" : "has-warning");
    const slot = host.querySelector(":scope > .field-messages") || host.querySelector(".field-messages") ||
      (host.tagName === "TR" ? host.querySelector("th, td") : null);
    if (slot) slot.append(msg);
    else if (control && control.closest("td")) control.closest("td").prepend(msg);
    else host.prepend(msg);
  } else {
    const top = document.getElementById("form-level-messages");
    if (top) top.append(msg);
  }
  if (control && exact) {
    const radios = control.type === "radio" || control.type === "checkbox";
    const targets = radios ? byName(control.name) : [control];
    for (const t of targets) {
      describe(t, id);
      if (isError) t.setAttribute("aria-invalid", "true");
    }
  }
  return anchor ? anchor.id : id;
}

/** A finding on a table row outside the rendered page: [table state, row index]. */
function offPageRow(path) {
  const m = /^([^.[\]]+)\[(\d+)\]/.exec(path || "");
  const ts = m && tables.get(m[1]);
  if (!ts) return null;
  const i = Number(m[2]);
  return ts.el.querySelector(`tbody tr[data-row="${i}"]`) ? null : [ts, i];
}

/** Goes to the control of `path` (turning the roster's page first if needed). */
function jumpTo(path, targetId) {
  const m = /^([^.[\]]+)\[(\d+)\](?:\.(.+))?/.exec(path || "");
  const ts = m && tables.get(m[1]);
  if (ts) goToRow(ts, Number(m[2]));
  const t = document.getElementById(targetId) || (ts && ts.el.querySelector(`tbody tr[data-row="${m[2]}"] [name]`));
  if (!t) return false;
  const label = t.closest("[data-field], td, fieldset") || t;
  label.scrollIntoView({ block: "center" });
  t.focus();
  return true;
}

function findingLink(f, target, text) {
  const link = el("a", { href: "#" + target }, text);
  link.addEventListener("click", (ev) => { if (jumpTo(f.path, target)) ev.preventDefault(); });
  return link;
}

/** Whether an error is about a question left empty: a field of the form itself (not a
 *  table cell) none of whose controls holds an answer. The rule that it must be answered
 *  is the engine's; this only tells how to show it. */
function unanswered(f) {
  if (f.severity !== "error" || !f.path || /[[.]/.test(f.path)) return false;
  const cs = byName(f.path);
  if (!cs.length) return false;
  for (const c of cs) {
    if (c.type === "checkbox") return false;
    if (c.type === "radio" ? c.checked : c.value.trim() !== "") return false;
  }
  return true;
}

/** The words a person sees for the field `path` (its row label, legend or label). */
function fieldLabel(path) {
  const g = form.querySelector(`[data-field="${cssEscape(path)}"]`);
  const l = g && (g.querySelector(".row-label") || g.querySelector("legend, label"));
  if (!l) return path;
  const t = l.cloneNode(true);
  for (const r of t.querySelectorAll(".req, .opt-tag")) r.remove();
  return t.textContent.trim();
}

/** The key a repeated reason is grouped by: the engine's message without its row
 *  ("第 12 行") and without the particulars after its first "：". */
function reasonOf(f) {
  const m = /^第 (\d+) 行(.*)$/.exec(f.message || "");
  if (!m || !/\[\d+\]/.test(f.path || "")) return null;
  const rest = m[2];
  const cut = rest.indexOf("：");
  return { row: Number(m[1]), key: f.severity + "\u0000" + (cut > 0 ? rest.slice(0, cut) : rest), text: cut > 0 ? rest.slice(0, cut) : rest };
}

export function renderFindings(report, moveFocus) {
  finishAllRows();
  state.index = null;
  clearInline();
  const formLevel = document.getElementById("form-level-messages");
  if (formLevel) formLevel.replaceChildren();
  const MAX = 300;
  const findings = report.findings || [];
  const targets = [];
  // Questions left empty are said once, plainly: how many, and where the first one is.
  const missing = findings.filter(unanswered);
  const firstMissing = missing[0];
  const questions = missing.every((f) => byName(f.path)[0].type === "radio");
  const [unit, verb] = questions ? ["题", "回答"] : ["项", "填写"];
  let inline = 0;
  findings.forEach((f, i) => {
    // Rows on other pages of a long roster are reached from the summary.
    if (offPageRow(f.path)) { targets.push(controlId(f.path)); return; }
    if (inline++ >= MAX) { targets.push(controlId(f.path)); return; }
    const isMissing = missing.includes(f);
    let lead = null;
    if (isMissing) {
      // A choice is chosen, a box is filled in: each empty field says which.
      const choice = byName(f.path)[0].type === "radio";
      const here = choice ? "这一题还没有回答，请选择。" : "这一项还没有填写。";
      lead = f === firstMissing && missing.length > 1
        ? `还有 ${missing.length} ${unit}没有${verb}，请从这一${choice ? "题开始选择" : "项开始填写"}。`
        : here;
    }
    targets.push(showInline(f, i, isMissing, lead));
  });
  // One line per reason: a reason repeated on several rows is shown once, with its
  // count and the rows, each a link to its row.
  const groups = new Map();
  const items = [];
  findings.forEach((f, i) => {
    if (missing.includes(f)) return;
    const r = reasonOf(f);
    if (r) {
      const g = groups.get(r.key);
      if (g) { g.list.push([f, i, r.row]); return; }
      const ng = { f, i, r, list: [[f, i, r.row]] };
      groups.set(r.key, ng);
      items.push(ng);
    } else items.push({ f, i, list: null });
  });
  const errors = [];
  const warnings = [];
  const SHOWN_ROWS = 30;
  for (const it of items) {
    let li;
    if (!it.list || it.list.length === 1) {
      li = el("li", null, findingLink(it.f, targets[it.i], it.f.message));
    } else {
      li = el("li", { class: "grouped" }, el("span", { class: "group-reason", text: `${it.r.text}（${it.list.length} 处）：` }));
      it.list.slice(0, SHOWN_ROWS).forEach(([f, i, row], k) => {
        if (k) li.append("、");
        li.append(findingLink(f, targets[i], `第 ${row} 行`));
      });
      if (it.list.length > SHOWN_ROWS) {
        const more = el("button", { type: "button", class: "link-button", "data-show-all": "", text: `列出全部 ${it.list.length} 处` });
        more.addEventListener("click", () => {
          const rest = document.createDocumentFragment();
          for (const [f, i, row] of it.list.slice(SHOWN_ROWS)) rest.append("、", findingLink(f, targets[i], `第 ${row} 行`));
          more.replaceWith(rest);
        });
        li.append(" … ", more);
      }
    }
    (it.f.severity === "error" ? errors : warnings).push(li);
  }
  if (firstMissing) {
    const at = findings.indexOf(firstMissing);
    errors.unshift(el("li", { class: "missing" }, `还有 ${missing.length} ${unit}没有${verb}：`,
      findingLink(firstMissing, targets[at], `从“${fieldLabel(firstMissing.path)}”开始`)));
  }
  const nErr = findings.filter((f) => f.severity === "error").length;
  const onlyMissing = firstMissing && nErr === missing.length;
  const summary = document.getElementById("error-summary");
  if (summary) {
    const list = summary.querySelector("ul");
    list.replaceChildren(...errors);
    summary.hidden = errors.length === 0;
    // Only questions left empty: straight to the first of them (its message says how
    // many there are); other errors: to the list of them.
    if (moveFocus && onlyMissing) jumpTo(firstMissing.path, targets[findings.indexOf(firstMissing)]);
    else if (moveFocus && errors.length) summary.focus();
  }
  showBox("warning-summary", "请注意（不影响提交）", warnings, "warning");
  document.title = errors.length ? "错误：" + BASE_TITLE : BASE_TITLE;
  const ok = document.getElementById("check-result");
  if (ok) {
    const primary = document.querySelector(".toolbar-main > .primary");
    ok.textContent = onlyMissing ? `还有 ${missing.length} ${unit}没有${verb}，请从“${fieldLabel(firstMissing.path)}”开始。`
      : errors.length ? `共 ${nErr} 个问题需要修改` + (missing.length ? `（其中 ${missing.length} ${unit}没有${verb}）` : "") :
      (warnings.length ? "检查通过（有需要注意的地方）" : "检查通过") + "。" + ((primary && primary.dataset.afterCheck) || "");
    ok.dataset.kind = errors.length ? "error" : "ok";
  }
}

/** `trainees[3].id_number` → `f-trainees-3-id_number` (as site-gen names controls). */
function controlId(path) {
  return "f-" + String(path).replace(/[[.]/g, "-").replace(/]/g, "");
}

// ---------- computed values ----------

export function fmt(v) {
  if (v === true) return "是";
  if (v === false) return "否";
  if (v == null) return "—";
  return String(v);
}

function renderComputed(report) {
  const computed = (report && report.computed) || {};
  for (const o of app.querySelectorAll("[data-computed]")) {
    const v = getPath(computed, o.dataset.computed.split("."));
    const word = typeof v === "boolean" ? o.dataset[v ? "true" : "false"] : undefined;
    o.textContent = word !== undefined ? word : fmt(v);
    if (typeof v === "boolean") o.dataset.state = v ? "pass" : "fail";
  }
}

// ---------- sums beside their total (the engine adds them up) ----------

function renderSums(report) {
  const lines = new Map(((report && report.sums) || []).map((l) => [l.total, l]));
  for (const line of app.querySelectorAll(".sum-line")) {
    const out = line.querySelector("output");
    const s = lines.get(line.dataset.sumTotal);
    const unit = line.dataset.unit || "";
    const label = line.dataset.totalLabel;
    if (!s || s.sum == null) { out.textContent = "—"; delete out.dataset.state; continue; }
    let text = `${s.sum} ${unit}`;
    if (s.equal != null) {
      text += s.equal ? `，与${label}一致` : `，${label} ${s.total_value} ${unit}，相差 ${s.difference} ${unit}`;
      out.dataset.state = s.equal ? "pass" : "fail";
    } else delete out.dataset.state;
    out.textContent = text;
  }
}

// ---------- the engine round trip ----------

export function run(moveFocus) {
  if (!state.engine) return;
  const resp = response();
  const report = parseJson(state.engine.validate(JSON.stringify(resp), today()), null);
  if (!report) return;
  state.lastReport = report;
  renderComputed(report);
  renderSums(report);
  if (state.scored) state.scored.afterRun(resp, report);
  // Normalisations (full-width digits, a lower-case x …) are shown as soon as made.
  showBox("notes-box", "已自动调整（不影响提交）", noteLines(state.settled.concat(report.notes || [])), "note");
  if (state.submitted) renderFindings(report, moveFocus);
}
