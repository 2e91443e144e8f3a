// The filter box above the plan tables: one box narrows every table of the page as one
// types. The full tables are in the page without JavaScript; this only reveals the box,
// hides the rows that do not match, says "没有匹配的项目" under a table left empty and
// keeps each caption's count right.
//
// Matching ignores spaces and the difference between full-width and half-width forms
// (NFKC: "３Ｄ" finds "3D", "陈强" finds "陈 强"); several words must all match, each
// within one cell.
(function () {
  "use strict";
  var box = document.querySelector("[data-filter-box]");
  var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-filterable]"));
  if (!box || !tables.length) { return; }
  var input = box.querySelector("input");
  var out = box.querySelector("output");
  if (!input) { return; }

  function norm(s) {
    return (s.normalize ? s.normalize("NFKC") : s).replace(/\s+/g, "").toLowerCase();
  }

  var all = tables.map(function (table) {
    var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
    return {
      table: table,
      rows: rows,
      cells: rows.map(function (r) {
        return Array.prototype.map.call(r.cells, function (c) { return norm(c.textContent); });
      }),
      count: table.querySelector("caption [data-count]"),
      empty: document.querySelector("[data-no-match=\"" + table.id + "\"]")
    };
  });
  var total = all.reduce(function (n, t) { return n + t.rows.length; }, 0);
  box.hidden = false;

  function apply() {
    var terms = (input.value.normalize ? input.value.normalize("NFKC") : input.value)
      .split(/\s+/).map(norm).filter(Boolean);
    var shownAll = 0;
    all.forEach(function (t) {
      var shown = 0;
      t.rows.forEach(function (r, i) {
        var ok = terms.every(function (term) {
          return t.cells[i].some(function (c) { return c.indexOf(term) !== -1; });
        });
        r.classList.toggle("filtered-out", !ok);
        if (ok) { shown += 1; }
      });
      shownAll += shown;
      if (t.count) {
        var n = t.count.getAttribute("data-total");
        t.count.textContent = terms.length ? "（显示" + shown + "项，共" + n + "项）" : "（共" + n + "项）";
      }
      if (t.empty) { t.empty.hidden = !(terms.length && shown === 0); }
    });
    if (out) {
      out.textContent = !terms.length ? "" :
        (shownAll ? "显示 " + shownAll + " / " + total + " 项" : "没有匹配的项目");
    }
  }
  input.addEventListener("input", apply);
  apply();
})();
