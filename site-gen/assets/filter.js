// Filter boxes above plan tables: narrows the rows as one types. The full table is in
// the page without JavaScript; this only reveals the box and hides non-matching rows.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-filter]");
  Array.prototype.forEach.call(boxes, function (box) {
    var table = document.getElementById(box.getAttribute("data-filter"));
    var input = box.querySelector("input");
    var out = box.querySelector("output");
    if (!table || !input) { return; }
    var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
    var texts = rows.map(function (r) { return r.textContent.replace(/\s+/g, " ").toLowerCase(); });
    box.hidden = false;
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (r, i) {
        var ok = terms.every(function (t) { return texts[i].indexOf(t) !== -1; });
        r.classList.toggle("filtered-out", !ok);
        if (ok) { shown += 1; }
      });
      if (out) { out.textContent = terms.length ? "显示 " + shown + " / " + rows.length + " 项" : ""; }
    }
    input.addEventListener("input", apply);
    apply();
  });
})();
