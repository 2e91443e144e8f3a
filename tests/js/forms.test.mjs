// Unit tests of the modules of site-gen/assets/forms/ (joined into the served forms.js by
// site-scripts): the page's facts, the shared state and the cache of values, and what
// the page makes of the engine's notes. A small stand-in for the document is installed
// before the modules are loaded: they read the page once, when they load.
import { test } from "node:test";
import assert from "node:assert/strict";

const listeners = [];
const fakeForm = {
  addEventListener: (type) => listeners.push(type),
  querySelectorAll: () => [],
};
// Marked ready, as forms.js marks it once it has loaded: draft.js (imported) keeps
// answers itself only before that.
const fakeApp = { dataset: { formId: "reg", formVersion: "3" }, classList: { contains: (c) => c === "is-ready" } };
const labels = new Map([["f-contact", "联系人（必填）"]]);
globalThis.document = {
  title: "登记表",
  querySelector: (sel) => {
    if (sel === "[data-form-id]") return fakeApp;
    const m = /^label\[for="(.+)"\]$/.exec(sel);
    return m && labels.has(m[1]) ? { textContent: labels.get(m[1]) } : null;
  },
  getElementById: (id) => (id === "form" ? fakeForm : null),
  readyState: "complete",
  addEventListener: () => {},
};
globalThis.location = { search: "?notice=wenzhou&list=a" };
globalThis.addEventListener = () => {};
globalThis.window = {};

const page = await import("../../site-gen/assets/forms/page.js");
const { state } = await import("../../site-gen/assets/forms/state.js");
const values = await import("../../site-gen/assets/forms/values.js");
const { tables } = await import("../../site-gen/assets/forms/table.js");
const messages = await import("../../site-gen/assets/forms/messages.js");

test("the page's facts come from the form's data attributes and the query string", () => {
  assert.equal(page.FORM_ID, "reg");
  assert.equal(page.FORM_VERSION, 3);
  assert.equal(page.DRAFT_KEY, "draft:reg");
  assert.equal(page.BASE_TITLE, "登记表");
  assert.equal(page.query.get("notice"), "wenzhou");
  assert.equal(page.form, fakeForm);
  // Loading the modules wired the table's paste and its add/remove buttons.
  assert.deepEqual(listeners.sort(), ["click", "paste"]);
});

test("the shared state starts empty and is one object for every module", async () => {
  const again = await import("../../site-gen/assets/forms/state.js");
  assert.equal(again.state, state);
  assert.deepEqual(Object.keys(state).sort(), ["cache", "engine", "index", "lastReport", "scored", "settled", "submitted", "surveyEngine"]);
  assert.equal(state.submitted, false);
  assert.deepEqual(state.settled, []);
});

test("the response reuses the cached values until a change clears them", () => {
  tables.clear();
  state.cache = { name: "张三" };
  assert.deepEqual(values.response(), { form: "reg", version: 3, values: { name: "张三" } });
  // An edit of one control updates only its path in the cache.
  values.updateCache({ name: "phone", value: "123", type: "text", dataset: { type: "text" } });
  assert.deepEqual(state.cache, { name: "张三", phone: "123" });
  // A row template's control, or something that is not a control, clears it.
  values.updateCache({ name: "trainees[__i__].name", value: "x", type: "text", dataset: { type: "text" } });
  assert.equal(state.cache, null);
  state.cache = { a: 1 };
  values.updateCache(null);
  assert.equal(state.cache, null);
  // Read again from the form: no controls, one table with one row.
  tables.set("trainees", { id: "trainees", cols: [{ id: "name", label: "姓名" }], rows: [{ name: "李四" }] });
  const r = values.response();
  assert.deepEqual(r.values, { trainees: [{ name: "李四" }] });
  assert.equal(state.cache, r.values);
  tables.clear();
  state.cache = null;
});

test("values are shown as the page shows them", () => {
  assert.equal(messages.fmt(true), "是");
  assert.equal(messages.fmt(false), "否");
  assert.equal(messages.fmt(null), "—");
  assert.equal(messages.fmt(undefined), "—");
  assert.equal(messages.fmt(0), "0");
  assert.equal(messages.fmt("12.5"), "12.5");
});

test("notes of one kind are one line naming the first place and how many there are", () => {
  tables.set("trainees", { id: "trainees", cols: [{ id: "start", label: "办班开始时间" }], rows: [] });
  assert.equal(messages.placeOf("trainees[0].start"), "第 1 行“办班开始时间”");
  assert.equal(messages.placeOf("trainees[4].other"), "第 5 行“other”");
  assert.equal(messages.placeOf("contact"), "“联系人”");
  assert.equal(messages.placeOf("nowhere"), "");
  const notes = [
    { path: "trainees[0].start", message: "已将日期统一写作“年-月-日”：“2020/10/12”→“2020-10-12”" },
    { path: "trainees[1].start", message: "已将日期统一写作“年-月-日”：“2020/10/13”→“2020-10-13”" },
    { path: "contact", message: "已去掉首尾空格：“王五 ”→“王五”" },
  ];
  assert.deepEqual(messages.noteLines(notes), [
    "已将日期统一写作“年-月-日”：共 2 处，如第 1 行“办班开始时间” “2020/10/12”→“2020-10-12”",
    "已去掉首尾空格：“联系人” “王五 ”→“王五”",
  ]);
  assert.deepEqual(messages.noteLines([]), []);
  tables.clear();
});

test("a note with no detail ends at its place, with no space or colon left over", () => {
  const note = { path: "contact", message: "已去掉首尾空格" };
  assert.deepEqual(messages.noteLines([note]), ["已去掉首尾空格：“联系人”"]);
  assert.deepEqual(messages.noteLines([note, note]), ["已去掉首尾空格：共 2 处，如“联系人”"]);
  // Nowhere on the page: the change alone, or the note's words alone.
  assert.deepEqual(messages.noteLines([{ path: "nowhere", message: "已合并空行：3 行→1 行" }]), ["已合并空行：3 行→1 行"]);
  assert.deepEqual(messages.noteLines([{ path: "nowhere", message: "已合并空行" }]), ["已合并空行"]);
  assert.deepEqual(messages.noteLines([{ path: "nowhere", message: "已合并空行" }, { path: "nowhere", message: "已合并空行" }]), ["已合并空行：共 2 处"]);
});
