// Unit tests of the XLSX writer (site-gen/assets/forms-xlsx.js): the zip container, its
// CRC-32 and the cells written for the table forms' "导出 Excel".
import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { crc32, zipStored, xlsx } from "../../site-gen/assets/forms-xlsx.js";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The entries of a zip of stored entries, read from its central directory. */
function unzip(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  assert.equal(dv.getUint32(end, true), 0x06054b50, "end of central directory record at the end");
  const count = dv.getUint16(end + 10, true);
  let p = dv.getUint32(end + 16, true);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    assert.equal(dv.getUint32(p, true), 0x02014b50, `central directory entry ${i}`);
    const crc = dv.getUint32(p + 16, true);
    const size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const local = dv.getUint32(p + 42, true);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    assert.equal(dv.getUint32(local, true), 0x04034b50, `local header of ${name}`);
    assert.equal(dv.getUint16(local + 8, true), 0, `${name} is stored`);
    const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    assert.equal(crc32(data), crc, `CRC-32 of ${name}`);
    out.set(name, dec.decode(data));
    p += 46 + nameLen;
  }
  return out;
}

async function bytesOf(blob) {
  return new Uint8Array(await blob.arrayBuffer());
}

test("crc32 is the IEEE CRC-32 of zlib", () => {
  assert.equal(crc32(enc.encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const text = enc.encode("温州市工业科学研究院 2020 年度培训计划");
  if (zlib.crc32) assert.equal(crc32(text), zlib.crc32(text));
});

test("zipStored writes entries a zip reader finds, with UTF-8 names", async () => {
  const files = [["a.txt", enc.encode("一")], ["目录/b.xml", enc.encode("<b/>")], ["empty", new Uint8Array(0)]];
  const zip = await bytesOf(zipStored(files));
  const got = unzip(zip);
  assert.deepEqual([...got.keys()], ["a.txt", "目录/b.xml", "empty"]);
  assert.equal(got.get("a.txt"), "一");
  assert.equal(got.get("目录/b.xml"), "<b/>");
  assert.equal(got.get("empty"), "");
});

test("xlsx keeps long digit strings as text and writes plain numbers as numbers", async () => {
  const cols = [
    { id: "name", label: "姓名", numeric: false },
    { id: "id_number", label: "身份证号", numeric: false },
    { id: "hours", label: "学时", numeric: true },
    { id: "phone", label: "手机", numeric: true },
    { id: "passed", label: "合格", numeric: false },
  ];
  const rows = [
    { name: "张三 & <李四>", id_number: "330302199001011234", hours: 24, phone: "13800138000", passed: true },
    { name: "王五\u0007", id_number: "", hours: "1.5", phone: "1380013800012345", passed: false },
    null,
  ];
  const parts = unzip(await bytesOf(xlsx("2020/年度:名单", cols, rows)));
  for (const name of ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"]) {
    assert.ok(parts.has(name), `the package has ${name}`);
  }
  const sheet = parts.get("xl/worksheets/sheet1.xml");
  assert.match(sheet, /<c r="A1" t="inlineStr"><is><t xml:space="preserve">姓名<\/t><\/is><\/c>/);
  // Text is escaped, and a character XML does not allow is dropped.
  assert.match(sheet, /<c r="A2" t="inlineStr"><is><t xml:space="preserve">张三 &amp; &lt;李四&gt;<\/t>/);
  assert.match(sheet, /<c r="A3" t="inlineStr"><is><t xml:space="preserve">王五<\/t>/);
  // An id number in a text column stays text: never 3.30302E+17.
  assert.match(sheet, /<c r="B2" t="inlineStr"><is><t xml:space="preserve">330302199001011234<\/t>/);
  assert.doesNotMatch(sheet, /r="B3"/, "an empty cell is not written");
  assert.match(sheet, /<c r="C2"><v>24<\/v><\/c>/);
  assert.match(sheet, /<c r="C3"><v>1.5<\/v><\/c>/);
  // 11 digits in a numeric column are a number; 16 digits would lose precision: text.
  assert.match(sheet, /<c r="D2"><v>13800138000<\/v><\/c>/);
  assert.match(sheet, /<c r="D3" t="inlineStr"><is><t xml:space="preserve">1380013800012345<\/t>/);
  assert.match(sheet, /<c r="E2" t="inlineStr"><is><t xml:space="preserve">是<\/t>/);
  assert.match(sheet, /<c r="E3" t="inlineStr"><is><t xml:space="preserve">否<\/t>/);
  assert.match(sheet, /<row r="4"><\/row>/, "a missing row is an empty row");
  // Excel refuses / and : in a sheet name.
  assert.match(parts.get("xl/workbook.xml"), /<sheet name="2020 年度 名单" sheetId="1"/);
});

test("xlsx names columns past Z as Excel does", async () => {
  const cols = Array.from({ length: 28 }, (_, i) => ({ id: "c" + i, label: "列" + i, numeric: false }));
  const sheet = unzip(await bytesOf(xlsx("", cols, []))).get("xl/worksheets/sheet1.xml");
  assert.match(sheet, /<c r="Z1" t="inlineStr"><is><t xml:space="preserve">列25</);
  assert.match(sheet, /<c r="AA1" t="inlineStr"><is><t xml:space="preserve">列26</);
  assert.match(sheet, /<c r="AB1" t="inlineStr"><is><t xml:space="preserve">列27</);
});
