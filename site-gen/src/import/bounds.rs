//! The `.xls` and `.ods` readers (`calamine`) lay out every sheet of a workbook as a
//! dense rows × columns grid as soon as the file is opened, and an `.xls` sheet even
//! reserves room for the used range its `DIMENSIONS` record declares. Before either
//! is opened, the file is walked here without storing any cell: each sheet's used
//! range, its cells' text and the workbook's sum of used ranges are checked against
//! the same [`SheetLimits`] as an `.xlsx`, and a file beyond them is refused with the
//! sheet (and cell) named. Nothing is allocated from a size the file declares.

use std::collections::HashSet;
use std::io::Read as _;

use quick_xml::events::{BytesStart, Event};
use wasm_forms::limits::{Exceeded, SheetLimits, UsedRange};

/// What the workbook's sheets hold together: their used ranges' cells are summed, so
/// that many sheets cannot each take the whole allowance.
#[derive(Default)]
struct Total {
    cells: u64,
}

impl Total {
    fn add(&mut self, sheet: &str, used: &UsedRange, limits: &SheetLimits) -> Result<(), String> {
        self.cells = self
            .cells
            .saturating_add(used.rows.saturating_mul(used.columns));
        if self.cells > limits.cells {
            return Err(format!(
                "sheet {}: the sheets up to this one hold more than {} cells in all (rows × columns of each sheet's used range), more than a workbook may hold to be read: delete the sheets that are not the list, or split the workbook",
                short(sheet),
                limits.cells
            ));
        }
        Ok(())
    }
}

fn in_sheet(sheet: &str, m: String) -> String {
    format!("sheet {}: {m}", short(sheet))
}

/// Checks an `.ods` spreadsheet's `content.xml`: cells repeated by
/// `table:number-columns-repeated` and rows by `table:number-rows-repeated` count as
/// many times as they are repeated, as the reader lays them out.
pub fn ods(bytes: &[u8], limits: &SheetLimits) -> Result<(), String> {
    const WHAT: &str = "not a readable .ods spreadsheet";
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("{WHAT} (not a zip package: {e})"))?;
    let part = zip
        .by_name("content.xml")
        .map_err(|e| format!("{WHAT} (content.xml: {e})"))?;
    let input = std::io::BufReader::new(part.take(limits.unpacked_bytes.saturating_add(1)));
    let mut xml = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut total = Total::default();
    let mut sheet: Option<Ods> = None;
    loop {
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| format!("{WHAT} (content.xml: {e})"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                if let Some(s) = sheet.take() {
                    s.finish(&mut total, limits)?;
                }
                sheet = Some(Ods {
                    name: attr(&e, "table:name").unwrap_or_default(),
                    ..Ods::default()
                });
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(s) = sheet.take() {
                    s.finish(&mut total, limits)?;
                }
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(s) = &mut sheet {
                    s.row_repeat = repeat(&e, "table:number-rows-repeated");
                    s.col = 0;
                }
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(s) = &mut sheet {
                    s.row = s
                        .row
                        .saturating_add(repeat(&e, "table:number-rows-repeated"));
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let Some(s) = &mut sheet {
                    s.row = s.row.saturating_add(s.row_repeat);
                    s.row_repeat = 1;
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) if is_cell(e) => {
                let open = matches!(event, Event::Start(_));
                if let Some(s) = &mut sheet {
                    let n = repeat(e, "table:number-columns-repeated");
                    // A cell with content (any element, even an empty paragraph) or a
                    // typed value is stored by the reader; a bare empty one is not.
                    let valued = open || attr(e, "office:value-type").is_some();
                    let text = e.attributes().flatten().map(|a| a.value.len() as u64).sum();
                    if valued {
                        s.cell = Some((n, text));
                    } else {
                        s.col = s.col.saturating_add(n);
                    }
                    if !open {
                        s.end_cell(limits)?;
                    }
                }
            }
            Event::Text(t) => {
                if let Some(Ods {
                    cell: Some((_, text)),
                    ..
                }) = &mut sheet
                {
                    *text += t.len() as u64;
                }
            }
            Event::End(e) if is_cell_name(e.name().as_ref()) => {
                if let Some(s) = &mut sheet {
                    s.end_cell(limits)?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// One `.ods` sheet as it is walked.
#[derive(Default)]
struct Ods {
    name: String,
    /// 0-based row of the current `table:table-row` and how many times it repeats.
    row: u64,
    row_repeat: u64,
    /// 0-based column of the next cell.
    col: u64,
    /// The open cell holding a value: its repeat and its text's bytes so far.
    cell: Option<(u64, u64)>,
    used: UsedRange,
    text: u64,
}

impl Ods {
    fn end_cell(&mut self, limits: &SheetLimits) -> Result<(), String> {
        let Some((n, text)) = self.cell.take() else {
            return Ok(());
        };
        let rows = self.row_repeat.max(1);
        let (last_row, last_col) = (
            self.row.saturating_add(rows - 1),
            self.col.saturating_add(n.max(1) - 1),
        );
        self.used
            .add(limits, last_row, last_col)
            .map_err(|e| in_sheet(&self.name, e.english(limits)))?;
        self.text = self
            .text
            .saturating_add(text.saturating_mul(n).saturating_mul(rows));
        if self.text > limits.text_bytes {
            return Err(in_sheet(&self.name, Exceeded::Text.english(limits)));
        }
        self.col = self.col.saturating_add(n);
        Ok(())
    }

    fn finish(self, total: &mut Total, limits: &SheetLimits) -> Result<(), String> {
        total.add(&self.name, &self.used, limits)
    }
}

fn is_cell_name(n: &str) -> bool {
    n == "table:table-cell" || n == "table:covered-table-cell"
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    is_cell_name(e.name().as_ref())
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.into_owned())
}

/// A repeat count; one when absent or unreadable, and a count too long to read is more
/// than any limit.
fn repeat(e: &BytesStart<'_>, name: &str) -> u64 {
    match attr(e, name) {
        None => 1,
        Some(v) => {
            let v = v.trim();
            if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                v.parse::<u64>().unwrap_or(u64::MAX).max(1)
            } else {
                1
            }
        }
    }
}

/// Checks an `.xls` workbook (BIFF5 or BIFF8 in a compound file): each sheet's cell
/// records, its declared dimensions and the shared strings its cells repeat.
pub fn xls(bytes: &[u8], limits: &SheetLimits) -> Result<(), String> {
    const WHAT: &str = "not a readable .xls workbook";
    let stream = cfb_stream(bytes).map_err(|e| format!("{WHAT} ({e})"))?;
    let records = Records::new(&stream);
    // The workbook globals: the sheets' names and positions, and the shared strings'
    // lengths (each cell using one gets its own copy).
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst: Vec<u64> = Vec::new();
    let mut globals = records.clone();
    while let Some((typ, data, _)) = globals.next_record() {
        match typ {
            0x000A => break,
            0x0085 if data.len() >= 7 => {
                let pos = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                sheets.push((pos, sheet_name(&data[6..])));
            }
            0x00FC => sst = sst_lengths(&mut globals, data),
            _ => {}
        }
    }
    let mut total = Total::default();
    let mut seen = HashSet::new();
    for (i, (pos, name)) in sheets.iter().enumerate() {
        let name = if name.is_empty() {
            format!("{}", i + 1)
        } else {
            name.clone()
        };
        let at = |m: String| in_sheet(&name, m);
        let mut rs = Records::new(stream.get(*pos..).unwrap_or_default());
        if !seen.insert(*pos) || rs.peek_type() != Some(0x0809) {
            return Err(at(format!(
                "{WHAT}: its place in the file ({pos}) is not the start of a sheet or is another sheet's"
            )));
        }
        let mut used = UsedRange::default();
        let mut text = 0u64;
        let mut depth = 0usize;
        let mut first = true;
        while let Some((typ, data, _)) = rs.next_record() {
            if typ == 0x0809 {
                if !first {
                    depth += 1;
                }
                first = false;
                continue;
            }
            if typ == 0x000A {
                if depth == 0 {
                    break;
                }
                depth -= 1;
                continue;
            }
            if depth > 0 {
                continue;
            }
            let u16_at = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
            let u32_at = |i: usize| {
                data.get(i..i + 4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            };
            let mut cell = |row: u64, col: u64, bytes: u64| -> Result<(), String> {
                used.add(limits, row, col)
                    .map_err(|e| at(e.english(limits)))?;
                text = text.saturating_add(bytes);
                if text > limits.text_bytes {
                    return Err(at(Exceeded::Text.english(limits)));
                }
                Ok(())
            };
            match typ {
                // DIMENSIONS: the reader reserves room for the box it declares.
                0x0200 => {
                    let (r0, r1, c0, c1) = match data.len() {
                        10 => (
                            u64::from(u16_at(0).unwrap_or(0)),
                            u64::from(u16_at(2).unwrap_or(0)),
                            u64::from(u16_at(4).unwrap_or(0)),
                            u64::from(u16_at(6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u64::from(u32_at(0).unwrap_or(0)),
                            u64::from(u32_at(4).unwrap_or(0)),
                            u64::from(u16_at(8).unwrap_or(0)),
                            u64::from(u16_at(10).unwrap_or(0)),
                        ),
                        _ => continue,
                    };
                    let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
                    if (r1 >= 1 && r1 - 1 < r0) || (c1 >= 1 && c1 - 1 < c0) {
                        return Err(at(format!(
                            "{WHAT}: its DIMENSIONS record ends before it starts (rows {r0}-{r1}, columns {c0}-{c1})"
                        )));
                    }
                    let rows = r1.saturating_sub(r0).max(1);
                    let cols = c1.saturating_sub(c0).max(1);
                    let mut declared = UsedRange::default();
                    declared
                        .add(limits, rows - 1, cols - 1)
                        .map_err(|_| {
                            at(format!(
                                "it declares a used range of {rows} rows × {cols} columns, more than is read: at most {} rows, {} columns and {} cells; delete the cells outside the table or split the sheet",
                                limits.rows, limits.columns, limits.cells
                            ))
                        })?;
                }
                // NUMBER, LABEL, RSTRING, BOOLERR, RK, FORMULA: one cell each.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x0006 => {
                    if let (Some(r), Some(c)) = (u16_at(0), u16_at(2)) {
                        cell(u64::from(r), u64::from(c), data.len() as u64)?;
                    }
                }
                // LABELSST: the shared string is copied into the cell.
                0x00FD => {
                    if let (Some(r), Some(c), Some(i)) = (u16_at(0), u16_at(2), u32_at(6)) {
                        let len = sst.get(i as usize).copied().unwrap_or(0);
                        cell(u64::from(r), u64::from(c), len)?;
                    }
                }
                // MULRK: a row of cells from its first column to its last.
                0x00BD if data.len() >= 6 => {
                    let (r, first) = (u16_at(0).unwrap_or(0), u16_at(2).unwrap_or(0));
                    let last = u16_at(data.len() - 2).unwrap_or(0);
                    if last < first {
                        return Err(at(format!(
                            "{WHAT}: a MULRK record in row {} ends before it starts",
                            u32::from(r) + 1
                        )));
                    }
                    cell(u64::from(r), u64::from(last), 0)?;
                }
                _ => {}
            }
        }
        total.add(&name, &used, limits)?;
    }
    Ok(())
}

/// A sheet's name in a BOUNDSHEET record (from its length byte on), for messages.
fn sheet_name(d: &[u8]) -> String {
    let Some(&n) = d.first() else {
        return String::new();
    };
    let n = n as usize;
    match d.get(1) {
        Some(&flags) if flags & 1 == 1 && d.len() >= 2 + 2 * n => {
            let units: Vec<u16> = d[2..2 + 2 * n]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        Some(0) if d.len() >= 2 + n => d[2..2 + n].iter().map(|&b| char::from(b)).collect(),
        _ => d
            .get(1..(1 + n).min(d.len()))
            .unwrap_or_default()
            .iter()
            .map(|&b| char::from(b))
            .collect(),
    }
}

/// The BIFF records of a stream: type, data, and where the next one starts.
#[derive(Clone)]
struct Records<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Records<'a> {
    fn new(s: &'a [u8]) -> Self {
        Records { s, at: 0 }
    }
    fn peek_type(&self) -> Option<u16> {
        let h = self.s.get(self.at..self.at + 2)?;
        Some(u16::from_le_bytes([h[0], h[1]]))
    }
    fn next_record(&mut self) -> Option<(u16, &'a [u8], usize)> {
        let h = self.s.get(self.at..self.at + 4)?;
        let typ = u16::from_le_bytes([h[0], h[1]]);
        let len = u16::from_le_bytes([h[2], h[3]]) as usize;
        let data = self.s.get(self.at + 4..self.at + 4 + len)?;
        self.at += 4 + len;
        Some((typ, data, self.at))
    }
}

/// The UTF-8 length of each string of an SST record and the CONTINUE records after it
/// ([MS-XLS] 2.4.265): a string's characters may go on in the next record, which then
/// starts with a new flags byte.
fn sst_lengths(rs: &mut Records<'_>, first: &[u8]) -> Vec<u64> {
    let mut segs: Vec<&[u8]> = vec![first.get(8..).unwrap_or_default()];
    while rs.peek_type() == Some(0x003C) {
        if let Some((_, d, _)) = rs.next_record() {
            segs.push(d);
        }
    }
    let mut out = Vec::new();
    let (mut seg, mut at) = (0usize, 0usize);
    // Reads n bytes across segments; None at the end.
    let take = |seg: &mut usize, at: &mut usize, n: usize| -> Option<Vec<u8>> {
        let mut v = Vec::with_capacity(n.min(16));
        while v.len() < n {
            let s = segs.get(*seg)?;
            if *at >= s.len() {
                *seg += 1;
                *at = 0;
                continue;
            }
            let k = (n - v.len()).min(s.len() - *at);
            v.extend_from_slice(&s[*at..*at + k]);
            *at += k;
        }
        Some(v)
    };
    let skip = |seg: &mut usize, at: &mut usize, mut n: u64| -> Option<()> {
        while n > 0 {
            let s = segs.get(*seg)?;
            if *at >= s.len() {
                *seg += 1;
                *at = 0;
                continue;
            }
            let k = n.min((s.len() - *at) as u64);
            *at += k as usize;
            n -= k;
        }
        Some(())
    };
    while let Some(h) = take(&mut seg, &mut at, 3) {
        let cch = u16::from_le_bytes([h[0], h[1]]) as usize;
        let mut flags = h[2];
        let runs = if flags & 8 != 0 {
            take(&mut seg, &mut at, 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as u64)
        } else {
            0
        };
        let ext = if flags & 4 != 0 {
            take(&mut seg, &mut at, 4)
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64)
        } else {
            0
        };
        let mut len = 0u64;
        let mut left = cch;
        let mut ok = true;
        while left > 0 {
            let Some(s) = segs.get(seg) else {
                ok = false;
                break;
            };
            if at >= s.len() {
                // The characters go on in the next record, after its own flags byte.
                seg += 1;
                at = 0;
                match segs.get(seg).and_then(|s| s.first()) {
                    Some(&f) => {
                        flags = f;
                        at = 1;
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
                continue;
            }
            let wide = flags & 1 != 0;
            let width = if wide { 2 } else { 1 };
            let fit = ((s.len() - at) / width).min(left);
            if fit == 0 {
                ok = false;
                break;
            }
            for c in s[at..at + fit * width].chunks_exact(width) {
                let u = if wide {
                    u32::from(u16::from_le_bytes([c[0], c[1]]))
                } else {
                    u32::from(c[0])
                };
                len += match u {
                    0..0x80 => 1,
                    0x80..0x800 => 2,
                    0xD800..0xE000 => 2,
                    _ => 3,
                };
            }
            at += fit * width;
            left -= fit;
        }
        out.push(len);
        if !ok || skip(&mut seg, &mut at, 4 * runs + ext).is_none() {
            break;
        }
    }
    out
}

/// The workbook stream (`Workbook`, or `Book` for BIFF5) of a compound file, read by
/// following its sectors' chain; every chain is bounded by the file's sector count.
fn cfb_stream(b: &[u8]) -> Result<Vec<u8>, String> {
    const END: u32 = 0xFFFF_FFFE;
    if b.len() < 512 || b[..8] != *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
        return Err("not a compound file".into());
    }
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let size = match u16_at(30) {
        9 => 512usize,
        12 => 4096,
        s => return Err(format!("sector shift {s}")),
    };
    let count = b.len() / size;
    let sector = |id: u32| -> Result<&[u8], String> {
        let start = (id as usize + 1)
            .checked_mul(size)
            .filter(|s| s + size <= b.len())
            .ok_or(format!("sector {id} is beyond the end of the file"))?;
        Ok(&b[start..start + size])
    };
    let words = |s: &[u8]| -> Vec<u32> {
        s.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    // The FAT's sectors: 109 in the header, more in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = words(&b[76..512]);
    let mut difat = u32_at(68);
    let mut hops = 0;
    while difat < 0xFFFF_FFFA {
        hops += 1;
        if hops > count {
            return Err("the DIFAT chain loops".into());
        }
        let mut w = words(sector(difat)?);
        difat = w.pop().unwrap_or(END);
        fat_sectors.extend(w);
    }
    let mut fat = Vec::new();
    for id in fat_sectors.into_iter().filter(|&id| id < 0xFFFF_FFFA) {
        if fat.len() > count.saturating_mul(2) {
            break;
        }
        fat.extend(words(sector(id)?));
    }
    let chain = |start: u32,
                 table: &[u32],
                 get: &dyn Fn(u32) -> Result<Vec<u8>, String>,
                 most: usize|
     -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id != END && out.len() < most {
            hops += 1;
            if hops > table.len() + 1 {
                return Err("a sector chain loops".into());
            }
            out.extend(get(id)?);
            id = *table
                .get(id as usize)
                .ok_or(format!("sector {id} is not in the allocation table"))?;
        }
        out.truncate(most);
        Ok(out)
    };
    let big = |id: u32| sector(id).map(<[u8]>::to_vec);
    let dir = chain(u32_at(48), &fat, &big, b.len())?;
    let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
    let root = entries.first().ok_or("no directory")?;
    let len_of = |e: &[u8]| -> usize {
        let n = u64::from_le_bytes(e[120..128].try_into().unwrap_or([0; 8]));
        let n = if size == 512 { n & 0xFFFF_FFFF } else { n };
        usize::try_from(n).unwrap_or(usize::MAX).min(b.len())
    };
    let name_of = |e: &[u8]| -> String {
        let n = (u16::from_le_bytes([e[64], e[65]]) as usize).min(64);
        let units: Vec<u16> = e[..n]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let book = entries
        .iter()
        .find(|e| e[66] == 2 && name_of(e).eq_ignore_ascii_case("Workbook"))
        .or_else(|| {
            entries
                .iter()
                .find(|e| e[66] == 2 && name_of(e).eq_ignore_ascii_case("Book"))
        })
        .ok_or("it holds no Workbook stream")?;
    let start = u32::from_le_bytes(book[116..120].try_into().unwrap_or([0; 4]));
    let len = len_of(book);
    if len >= u32_at(56) as usize {
        return chain(start, &fat, &big, len);
    }
    // A small stream lives in the mini stream, in sectors of 64 bytes.
    let mini = chain(
        u32::from_le_bytes(root[116..120].try_into().unwrap_or([0; 4])),
        &fat,
        &big,
        len_of(root),
    )?;
    let minifat = words(&chain(u32_at(60), &fat, &big, b.len())?);
    let small = |id: u32| -> Result<Vec<u8>, String> {
        let s = (id as usize).saturating_mul(64);
        mini.get(s..s.saturating_add(64))
            .map(<[u8]>::to_vec)
            .ok_or(format!("mini sector {id} is beyond the mini stream"))
    };
    chain(start, &minifat, &small, len)
}

/// A value cut for a message: its first 60 characters and how many more there are.
pub fn short(s: &str) -> String {
    const KEEP: usize = 60;
    let n = s.chars().count();
    if n <= KEEP {
        s.to_string()
    } else {
        let head: String = s.chars().take(KEEP).collect();
        format!("{head}… ({} more characters)", n - KEEP)
    }
}
