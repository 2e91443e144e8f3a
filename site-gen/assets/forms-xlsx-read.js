// Reads the first worksheet of an .xlsx file into typed cells for the form engine;
// loaded only when a spreadsheet is chosen in a table form's import control.
//
// Only the container is undone here: the zip directory (entries stored or deflated,
// inflated by the browser's DecompressionStream), the workbook's first sheet, shared
// and inline strings. Every cell is handed over with its type as stored — {t:"s"} text,
// {t:"n"} number, {t:"b"} boolean, {t:"d"} ISO date, {t:"e"} error — and the engine
// decides what a number means (an id number stored as a number is an error, a number
// in a date column a serial date).

const utf8 = new TextDecoder();

function fail(msg) {
  throw new Error(msg);
}

function directory(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) fail("不是 Excel（XLSX）文件：找不到压缩包目录。请用 Excel 或 WPS 另存为 .xlsx 后再导入");
  const count = dv.getUint16(end + 10, true);
  let p = dv.getUint32(end + 16, true);
  const out = new Map();
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || dv.getUint32(p, true) !== 0x02014b50) fail("XLSX 文件已损坏：压缩包目录不完整");
    const nameLen = dv.getUint16(p + 28, true);
    const name = utf8.decode(buf.subarray(p + 46, p + 46 + nameLen));
    out.set(name, {
      method: dv.getUint16(p + 10, true),
      size: dv.getUint32(p + 20, true),
      local: dv.getUint32(p + 42, true),
    });
    p += 46 + nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  }
  return { dv, out };
}

async function entry(buf, dir, name) {
  const e = dir.out.get(name);
  if (!e) return null;
  const dv = dir.dv;
  if (e.local + 30 > buf.length || dv.getUint32(e.local, true) !== 0x04034b50) fail(`XLSX 文件已损坏：${name}`);
  const start = e.local + 30 + dv.getUint16(e.local + 26, true) + dv.getUint16(e.local + 28, true);
  const data = buf.subarray(start, start + e.size);
  let bytes;
  if (e.method === 0) bytes = data;
  else if (e.method === 8) {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  } else fail(`XLSX 文件使用了不支持的压缩方式（${e.method}）`);
  const doc = new DOMParser().parseFromString(utf8.decode(bytes), "application/xml");
  if (doc.getElementsByTagName("parsererror").length) fail(`XLSX 文件已损坏：${name} 不是有效的 XML`);
  return doc;
}

const kids = (node, local) => Array.from(node.getElementsByTagNameNS("*", local));

// The text of a shared or inline string: its <t> runs, without phonetic guides (<rPh>).
function runText(node) {
  return kids(node, "t")
    .filter((t) => !(t.parentNode && t.parentNode.localName === "rPh"))
    .map((t) => t.textContent)
    .join("");
}

function colIndex(ref) {
  const m = /^([A-Z]+)(\d+)$/.exec(ref || "");
  if (!m) return null;
  let c = 0;
  for (const ch of m[1]) c = c * 26 + (ch.charCodeAt(0) - 64);
  return { col: c - 1, row: Number(m[2]) - 1 };
}

/** The first worksheet as {sheet, rows}: rows[0] is row 1, each cell {t, v} or null. */
export async function readXlsx(arrayBuffer) {
  const buf = new Uint8Array(arrayBuffer);
  const dir = directory(buf);
  let sheetPath = "xl/worksheets/sheet1.xml";
  let sheetName = "";
  const wb = await entry(buf, dir, "xl/workbook.xml");
  const rels = await entry(buf, dir, "xl/_rels/workbook.xml.rels");
  if (wb) {
    const first = kids(wb, "sheet")[0];
    if (first) {
      sheetName = first.getAttribute("name") || "";
      const rid = first.getAttributeNS("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")
        || first.getAttribute("r:id");
      const rel = rels && kids(rels, "Relationship").find((r) => r.getAttribute("Id") === rid);
      if (rel) {
        const target = rel.getAttribute("Target") || "";
        sheetPath = target.startsWith("/") ? target.slice(1) : "xl/" + target.replace(/^\.\//, "");
      }
    }
  }
  const sst = await entry(buf, dir, "xl/sharedStrings.xml");
  const shared = sst ? kids(sst, "si").map(runText) : [];
  const sheet = await entry(buf, dir, sheetPath);
  if (!sheet) fail("XLSX 文件中没有工作表");
  const rows = [];
  let nextRow = 0;
  for (const rowEl of kids(sheet, "row")) {
    const r = rowEl.getAttribute("r") ? Number(rowEl.getAttribute("r")) - 1 : nextRow;
    nextRow = r + 1;
    if (!(r >= 0 && r < 1048576)) continue;
    const cells = [];
    let nextCol = 0;
    for (const c of kids(rowEl, "c")) {
      const at = colIndex(c.getAttribute("r"));
      const col = at ? at.col : nextCol;
      nextCol = col + 1;
      if (col > 16383) continue;
      const t = c.getAttribute("t") || "n";
      const vEl = kids(c, "v")[0];
      const v = vEl ? vEl.textContent : null;
      let cell = null;
      if (t === "s") cell = v == null ? null : { t: "s", v: shared[Number(v)] ?? "" };
      else if (t === "inlineStr") cell = { t: "s", v: kids(c, "is").map(runText).join("") };
      else if (t === "str") cell = v == null ? null : { t: "s", v };
      else if (t === "b") cell = v == null ? null : { t: "b", v: v === "1" };
      else if (t === "e") cell = { t: "e", v: v || "#ERROR" };
      else if (t === "d") cell = v == null ? null : { t: "d", v };
      else if (v != null && v !== "") cell = Number.isFinite(Number(v)) ? { t: "n", v: Number(v) } : { t: "s", v };
      if (cell && cell.t === "s" && cell.v === "") cell = null;
      while (cells.length < col) cells.push(null);
      cells[col] = cell;
    }
    while (rows.length < r) rows.push([]);
    rows[r] = cells;
  }
  return { sheet: sheetName, rows };
}
