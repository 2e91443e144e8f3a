// Unit tests of site-gen/assets/draft.js: the response paths, the values read from
// controls and the draft kept before the engine (with a storage of its own).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as draft from "../../site-gen/assets/draft.js";
import { parsePath, setPath, getPath, delPath, convert, readControl, readDraft, keepAnswers } from "../../site-gen/assets/draft.js";

/** localStorage's interface over a Map; `full` makes setItem throw as a full store does. */
function storage(entries = {}, full = false) {
  const m = new Map(Object.entries(entries));
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => { if (full) throw new Error("QuotaExceededError"); m.set(k, String(v)); },
    map: m,
  };
}

const radio = (name, value, checked, type = "choice") => ({ type: "radio", name, value, checked, dataset: { type } });
const text = (name, value, type = "text") => ({ type: "text", name, value, dataset: { type } });
const box = (name, checked) => ({ type: "checkbox", name, checked, dataset: { type: "bool" } });

test("paths: names of the response's fields, rows and columns", () => {
  assert.deepEqual(parsePath("trainees[3].id_number"), ["trainees", 3, "id_number"]);
  assert.deepEqual(parsePath("a.b[0][2]"), ["a", "b", 0, 2]);
  assert.deepEqual(parsePath("suggestions"), ["suggestions"]);
  const o = {};
  setPath(o, ["t", 1, "x"], 5);
  assert.ok(Array.isArray(o.t));
  assert.equal(getPath(o, ["t", 1, "x"]), 5);
  assert.equal(getPath(o, ["t", 7, "x"]), undefined);
  delPath(o, ["t", 1, "x"]);
  assert.deepEqual(o.t[1], {});
});

test("convert: plain digits of a numeric field are a number, the rest stays as typed", () => {
  assert.equal(convert("number", " 24 "), 24);
  assert.equal(convert("score", "-1.5"), -1.5);
  assert.equal(convert("count", "２４"), "２４", "full-width digits are the engine's to read");
  assert.equal(convert("number", "1e3"), "1e3");
  assert.equal(convert("text", "007"), "007");
  assert.equal(convert("bool", "true"), true);
});

test("readControl: a checked radio, a checkbox, and an emptied text box removes its answer", () => {
  const v = { suggestions: "旧的" };
  readControl(v, radio("goal_setting", "satisfied", false));
  assert.equal(v.goal_setting, undefined, "an unchecked radio says nothing");
  readControl(v, radio("goal_setting", "satisfied", true));
  readControl(v, box("agree", false));
  readControl(v, text("days", "3", "number"));
  readControl(v, text("suggestions", "  "));
  assert.deepEqual(v, { goal_setting: "satisfied", agree: false, days: 3 });
});

test("keepAnswers: the draft keeps every other answer, and a new draft is the response", () => {
  const s = storage();
  assert.equal(readDraft(s, "wenzhou-survey"), null);
  assert.ok(keepAnswers(s, "wenzhou-survey", 1, [radio("faculty", "average", true)], "2026-03-01T08:00:00.000Z"));
  assert.ok(keepAnswers(s, "wenzhou-survey", 1, [text("suggestions", "希望增加现场教学。")], "2026-03-01T08:01:00.000Z"));
  assert.deepEqual(JSON.parse(s.getItem("draft:wenzhou-survey")), {
    form: "wenzhou-survey", version: 1, saved_at: "2026-03-01T08:01:00.000Z",
    values: { faculty: "average", suggestions: "希望增加现场教学。" },
  });
  // Another form's draft under this key, or one that is not a response, is not read.
  const other = storage({ "draft:wenzhou-survey": JSON.stringify({ form: "x", values: {} }) });
  assert.equal(readDraft(other, "wenzhou-survey"), null);
  assert.equal(readDraft(storage({ "draft:f": "{not json" }), "f"), null);
  assert.equal(readDraft(storage({ "draft:f": JSON.stringify({ form: "f", values: [] }) }), "f"), null);
});

test("keepAnswers: an answer handed in and changed is marked edited, never made new", () => {
  const handed = { response_id: "0123456789abcdef", handed: { at: "2026-03-01T08:00:00.000Z", code: "X" }, edited: false };
  const s = storage({
    "draft:wenzhou-survey": JSON.stringify({ form: "wenzhou-survey", version: 1, values: { faculty: "satisfied" } }),
    "handin:wenzhou-survey": JSON.stringify(handed),
  });
  keepAnswers(s, "wenzhou-survey", 1, [radio("faculty", "average", true)], "t");
  assert.deepEqual(JSON.parse(s.getItem("handin:wenzhou-survey")), { ...handed, edited: true });
  assert.equal(JSON.parse(s.getItem("draft:wenzhou-survey")).values.faculty, "average");
  // Without a hand-in, no hand-in state is made.
  const plain = storage();
  keepAnswers(plain, "wenzhou-survey", 1, [radio("faculty", "average", true)], "t");
  assert.equal(plain.getItem("handin:wenzhou-survey"), null);
});

test("keepAnswers: a full storage is reported, not thrown", () => {
  assert.equal(keepAnswers(storage({}, true), "f", 1, [text("a", "b")], "t"), false);
});

test("the first copy hands every export over, as forms.js takes them (site-scripts HANDED_OVER)", () => {
  const handed = globalThis[Symbol.for("site-draft")];
  assert.ok(handed, "draft.js put nothing under Symbol.for(\"site-draft\")");
  assert.deepEqual(Object.keys(handed).sort(), Object.keys(draft).sort());
  for (const [name, f] of Object.entries(draft)) assert.equal(handed[name], f, name);
  assert.ok(Object.isFrozen(handed));
});
