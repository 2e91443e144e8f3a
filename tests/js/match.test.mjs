// Unit tests of site-gen/assets/match.js, the matcher shared by the search page
// (search.js) and the filter box of the plan tables (filter.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fold, words, matchesAll } from "../../site-gen/assets/match.js";
import * as search from "../../site-gen/assets/search.js";

const CASES = JSON.parse(
  readFileSync(new URL("../../site-gen/src/render/search/fold-cases.json", import.meta.url), "utf8"),
);

test("fold follows the table the Rust fold is tested against, keeping lengths", () => {
  assert.ok(CASES.length > 10);
  for (const [input, want] of CASES) {
    assert.equal(fold(input), want, input);
    assert.equal(fold(input).length, input.length, `${input}: same UTF-16 length`);
  }
});

test("words folds a query and cuts it at any white space, the ideographic one too", () => {
  assert.deepEqual(words("  乐清　６２０６１９６０\tＨＲＣＴ "), ["乐清", "62061960", "hrct"]);
  assert.deepEqual(words(" \u3000 "), []);
  assert.deepEqual(words(""), []);
});

test("matchesAll wants each word in one text, not across two", () => {
  const row = ["增材制造（3D打印）技术", "温州市机电技术协会", "陈 强", "88879706"].map(fold);
  assert.ok(matchesAll(row, words("３Ｄ")));
  assert.ok(matchesAll(row, words("机电 88879706")));
  assert.ok(matchesAll(row, words("陈 强")), "two words, each in the contact's cell");
  assert.ok(!matchesAll(row, words("陈强")), "not a substring of any cell");
  assert.ok(!matchesAll(row, words("技术陈")), "a word never spans two cells");
  assert.ok(!matchesAll(row, words("机电 护理")), "every word must match");
  assert.ok(matchesAll(row, []), "no words: every row");
});

test("the search page reads the very same matcher", () => {
  assert.equal(search.fold, fold);
  assert.equal(search.words, words);
});
