// Reads the first worksheet of an .xlsx file into typed cells for the form engine;
// loaded only when a spreadsheet is chosen in a table form's import control.
//
// Only the container is undone here: the zip directory (entries stored or deflated,
// inflated by the browser's DecompressionStream), the workbook's first sheet, shared
// and inline strings. Every cell is handed over with its type as stored — {t:"s"} text,
// {t:"n"} number, {t:"b"} boolean, {t:"d"} ISO date, {t:"e"} error — and the engine
// decides what a number means (an id number stored as a number is an error, a number
// in a date column a serial date).
//
// The engine's limits (`limits`: rows, columns, cells, unpacked_bytes, text_bytes) bound
// what is read, and `said(kind, row, col)` gives its message: every part's declared size
// and the bytes actually inflated count against `unpacked_bytes`, and each cell's place
// is checked against the used range allowed before the row is laid out up to it.

const utf8 = new TextDecoder();

function fail(msg) {
  throw new Error(msg);
}

function directory(buf, limits, said) {
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
    const e = {
      method: dv.getUint16(p + 10, true),
      size: dv.getUint32(p + 20, true),
      unpacked: dv.getUint32(p + 24, true),
      local: dv.getUint32(p + 42, true),
    };
    if (e.unpacked > limits.unpacked_bytes) fail(said("unpacked", 0, 0));
    out.set(name, e);
    p += 46 + nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  }
  return { dv, out, limits, said, unpacked: 0 };
}

// The inflated bytes of a part, counted as they come: past the limit (with what the
// other parts took) reading stops.
async function inflate(data, dir, name) {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let n = 0;
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch {
      fail(`XLSX 文件已损坏：${name} 无法解压`);
    }
    if (step.done) break;
    n += step.value.length;
    dir.unpacked += step.value.length;
    if (dir.unpacked > dir.limits.unpacked_bytes) {
      reader.cancel().catch(() => {});
      fail(dir.said("unpacked", 0, 0));
    }
    chunks.push(step.value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

async function entry(buf, dir, name) {
  const e = dir.out.get(name);
  if (!e) return null;
  const dv = dir.dv;
  if (e.local + 30 > buf.length || dv.getUint32(e.local, true) !== 0x04034b50) fail(`XLSX 文件已损坏：${name}`);
  const start = e.local + 30 + dv.getUint16(e.local + 26, true) + dv.getUint16(e.local + 28, true);
  const data = buf.subarray(start, start + e.size);
  let bytes;
  if (e.method === 0) {
    bytes = data;
    dir.unpacked += data.length;
    if (dir.unpacked > dir.limits.unpacked_bytes) fail(dir.said("unpacked", 0, 0));
  } else if (e.method === 8) bytes = await inflate(data, dir, name);
  else fail(`XLSX 文件使用了不支持的压缩方式（${e.method}）`);
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

/** The first worksheet as {sheet, rows}: rows[0] is row 1, each cell {t, v} or null.
 *  `limits` and `said` are the engine's (see the note at the top). */
export async function readXlsx(arrayBuffer, limits, said) {
  const buf = new Uint8Array(arrayBuffer);
  const dir = directory(buf, limits, said);
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
  const inSheet = (msg) => (sheetName ? `工作表“${sheetName.slice(0, 60)}”：${msg}` : msg);
  const rows = [];
  let nextRow = 0;
  let usedRows = 0, usedCols = 0, text = 0;
  for (const rowEl of kids(sheet, "row")) {
    const r = rowEl.getAttribute("r") ? Number(rowEl.getAttribute("r")) - 1 : nextRow;
    nextRow = r + 1;
    if (!(r >= 0)) continue;
    const cells = [];
    let nextCol = 0;
    for (const c of kids(rowEl, "c")) {
      const at = colIndex(c.getAttribute("r"));
      const col = at ? at.col : nextCol;
      nextCol = col + 1;
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
      if (!cell) continue;
      // The used range with this cell, checked before the row is laid out up to it.
      const ur = Math.max(usedRows, r + 1), uc = Math.max(usedCols, col + 1);
      if (ur > limits.rows || uc > limits.columns || ur * uc > limits.cells) fail(inSheet(said("range", r, col)));
      usedRows = ur; usedCols = uc;
      if (typeof cell.v === "string") {
        text += cell.v.length;
        if (text > limits.text_bytes) fail(inSheet(said("text", 0, 0)));
      }
      while (cells.length < col) cells.push(null);
      cells[col] = cell;
    }
    if (!cells.length) continue;
    while (rows.length < r) rows.push([]);
    rows[r] = cells;
  }
  return { sheet: sheetName, rows };
}
