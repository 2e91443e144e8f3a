// Unit tests of the data helpers of site-gen/assets/dom.js that need no page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJson, plainError, today } from "../../site-gen/assets/dom.js";

test("parseJson returns the fallback for text that is not JSON", () => {
  assert.deepEqual(parseJson('{"a":[1,"二"]}', null), { a: [1, "二"] });
  assert.equal(parseJson("{a:1}", "fallback"), "fallback");
  assert.equal(parseJson("", 7), 7);
  assert.equal(parseJson(null, 7), null, "JSON.parse(null) is null");
});

test("plainError names a browser failure in plain Chinese", () => {
  const named = (name) => Object.assign(new Error("x"), { name });
  assert.equal(plainError(named("QuotaExceededError")), "本机浏览器的存储空间已满");
  assert.equal(plainError(named("NotAllowedError")), "没有得到允许（请在浏览器的提示或设置中允许）");
  assert.equal(plainError(new TypeError("Failed to fetch dynamically imported module")), "网络连接失败，文件没有下载下来");
  assert.equal(plainError(new TypeError("x is not a function")), "浏览器报告了意外的错误");
  assert.equal(plainError(null), "浏览器报告了意外的错误");
});

test("today is this device's date as YYYY-MM-DD", () => {
  const d = new Date();
  const t = today();
  assert.match(t, /^\d{4}-\d{2}-\d{2}$/);
  const [y, m, day] = t.split("-").map(Number);
  // Around midnight the two readings may straddle a day.
  const near = Math.abs(new Date(y, m - 1, day) - new Date(d.getFullYear(), d.getMonth(), d.getDate()));
  assert.ok(near <= 86400000, `${t} is today`);
});
