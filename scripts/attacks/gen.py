# The attack files of docs/security.md (made once, about 150 MB; the xlsx bombs are
# small files that unpack to gigabytes). Usage: python3 gen.py OUTDIR
import sys, os, zipfile
out = sys.argv[1]; os.makedirs(out, exist_ok=True)
P = lambda n: os.path.join(out, n)
CT = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
RR = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
WB = '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
WR = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
TAIL = '</sheetData></worksheet>'
HDR = '<row r="1"><c r="A1" t="inlineStr"><is><t>序号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c><c r="C1" t="inlineStr"><is><t>身份证号码</t></is></c></row>'

def xlsx(name, sheet_parts, shared_parts=None, workbook=True):
    with zipfile.ZipFile(P(name), "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RR)
        if workbook:
            z.writestr("xl/workbook.xml", WB)
            z.writestr("xl/_rels/workbook.xml.rels", WR)
        for part, gen in (("xl/sharedStrings.xml", shared_parts), ("xl/worksheets/sheet1.xml", sheet_parts)):
            if gen is None: continue
            with z.open(part, "w", force_zip64=True) as f:
                for chunk in gen():
                    f.write(chunk.encode() if isinstance(chunk, str) else chunk)

def one(s): return lambda: iter([s])
xlsx("far.xlsx", one(HEAD + HDR + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>' + TAIL))
xlsx("noworkbook.xlsx", one(HEAD + HDR + TAIL), workbook=False)
def bomb4g():
    yield HEAD + HDR
    blk = b" " * (1 << 20)
    for _ in range(4096): yield blk          # 4 GiB of whitespace inside sheetData
    yield TAIL
xlsx("bomb4g.xlsx", bomb4g)
def sst():
    yield '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
    blk = b"A" * (1 << 20)
    for _ in range(1536): yield blk          # one 1.5 GiB shared string
    yield '</t></si></sst>'
xlsx("sst15g.xlsx", one(HEAD + HDR + '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>' + TAIL), sst)
def rows1m():
    yield HEAD + HDR
    for r in range(2, 1_000_002):
        yield f'<row r="{r}"><c r="A{r}"><v>{r-1}</v></c><c r="B{r}" t="inlineStr"><is><t>学员{r}</t></is></c><c r="C{r}" t="inlineStr"><is><t>330302198001011234</t></is></c></row>'
    yield TAIL
xlsx("rows1m.xlsx", rows1m)
# Plan lists: at the row limit (49,990 programs, 62 MB), and 63 MB of short rows past it.
head = "序号,高研班名称,举办单位,专业类别,资助类型,资助金额,联系人,联系电话,备注\r\n"
with open(P("plan62.csv"), "w", encoding="utf-8", newline="") as f:
    f.write(head)
    for i in range(1, 49_991):
        f.write(f'{i},高研班第{i}期智能制造与工业互联网关键技术应用研究,温州市工业科学研究院第{i % 97}分院,战略新兴产业、高端装备制造类,一般类,2万,"顾雪萍\n姜扬丰",88526559 88505434,{"备" * 340}\r\n')
with open(P("short63.csv"), "w", encoding="utf-8", newline="") as f:
    f.write(head); i = 0
    while f.tell() < 63_000_000:
        i += 1; f.write(f"{i},班{i},单位,类,一般类,2万,张三,88526559,\r\n")
# The plan list's rows as an .xlsx, without the 备注 column (with it the sheet unpacks past
# the 64 MiB read): imported into the notice's other list (docs/benchmarks.md, Import memory).
from xml.sax.saxutils import escape
def plan_xlsx():
    def row(r, cells):
        return f'<row r="{r}">' + "".join(f'<c r="{"ABCDEFGH"[c]}{r}" t="inlineStr"><is><t xml:space="preserve">{escape(v)}</t></is></c>' for c, v in enumerate(cells)) + "</row>"
    yield HEAD + row(1, head.strip().split(",")[:8])
    for i in range(1, 49_991):
        yield row(i + 1, [str(i), f"高研班第{i}期智能制造与工业互联网关键技术应用研究", f"温州市工业科学研究院第{i % 97}分院", "战略新兴产业、高端装备制造类", "一般类", "2万", "顾雪萍\n姜扬丰", "88526559 88505434"])
    yield TAIL
xlsx("plan62.xlsx", plan_xlsx)
# Hand-in codes.
body = "AbC-_9" * (10_000_000 // 6)
open(P("line10mb.txt"), "w").write(body[:1000] + "GYB!" + body[1000:5_000_000] + "GYB~" + body[5_000_000:] + "\n")
open(P("codes64.txt"), "w").write("GYB~abc\n" * (64 * 1024 * 1024 // 8))
open(P("long200k.txt"), "w").write("x" * 200_000 + " GYB~abc " + "y" * 200_000 + "\n")
