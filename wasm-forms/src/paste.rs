//! A block pasted from a spreadsheet into a table form: its cells, as Excel, WPS and
//! LibreOffice put them on the clipboard (tab-separated text), and whether its first row
//! is the table's own header, copied with the data.

/// The rows of tab-separated `text`. `\r\n` and `\r` end a row as `\n` does; a cell that
/// starts with `"` is quoted (`""` inside is one quote; tabs and line breaks inside stay
/// in the cell), as spreadsheets copy a cell that holds a line break. A line break at
/// the end ends the last row and does not start an empty one.
pub fn tsv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if quoted {
            if ch == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(ch);
            }
            continue;
        }
        match ch {
            '"' if cell.is_empty() => quoted = true,
            '\t' => row.push(std::mem::take(&mut cell)),
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            _ => cell.push(ch),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Whether `row`, pasted into the column whose label and those after it are `labels`,
/// is the table's own header: each cell is empty or the label of its column (spaces
/// around either ignored), and at least one is not empty.
pub fn is_header_row(row: &[String], labels: &[String]) -> bool {
    row.iter().any(|v| !v.trim().is_empty())
        && row.iter().enumerate().all(|(k, v)| {
            let v = v.trim();
            v.is_empty() || labels.get(k).is_some_and(|l| l.trim() == v)
        })
}

/// A pasted block: its rows without a copied header row, and whether one was dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasted {
    pub rows: Vec<Vec<String>>,
    pub header: bool,
}

/// [`tsv_rows`] of `text` with its first row dropped when [`is_header_row`] of `labels`.
pub fn pasted_block(text: &str, labels: &[String]) -> Pasted {
    let mut rows = tsv_rows(text);
    let header = rows.first().is_some_and(|r| is_header_row(r, labels));
    if header {
        rows.remove(0);
    }
    Pasted { rows, header }
}

/// [`pasted_block`] for the page: `labels_json` is a JSON array of the labels, the
/// answer `{rows, header}` as JSON. Labels that are not a JSON array are none (no row is
/// then taken for a header). Read and written through `serde_json::Value`, as the rest
/// of the page's API is: a typed (de)serializer here would add its own copy of the JSON
/// reader to the bundle (13 KB gzip, measured).
pub fn pasted_block_json(text: &str, labels_json: &str) -> String {
    use serde_json::Value;
    let labels: Vec<String> = match serde_json::from_str::<Value>(labels_json) {
        Ok(Value::Array(a)) => a
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                _ => String::new(),
            })
            .collect(),
        _ => Vec::new(),
    };
    let p = pasted_block(text, &labels);
    let rows = p
        .rows
        .into_iter()
        .map(|r| Value::Array(r.into_iter().map(Value::String).collect()))
        .collect();
    let mut out = serde_json::Map::new();
    out.insert("rows".into(), Value::Array(rows));
    out.insert("header".into(), Value::Bool(p.header));
    serde_json::to_string(&Value::Object(out)).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn rows_and_cells_as_spreadsheets_copy_them() {
        assert_eq!(
            tsv_rows("张三\t330302\r\n李四\t\r\n"),
            s(&[&["张三", "330302"], &["李四", ""]])
        );
        assert_eq!(tsv_rows("a\rb"), s(&[&["a"], &["b"]]));
        assert_eq!(tsv_rows("a\t"), s(&[&["a", ""]]));
        assert_eq!(tsv_rows(""), Vec::<Vec<String>>::new());
        assert_eq!(tsv_rows("\n"), s(&[&[""]]));
    }

    #[test]
    fn a_quoted_cell_keeps_its_tabs_line_breaks_and_quotes() {
        assert_eq!(
            tsv_rows("\"第一行\n第二行\"\t\"他说\"\"好\"\"\"\nx"),
            s(&[&["第一行\n第二行", "他说\"好\""], &["x"]])
        );
        // A quote inside a cell that did not start with one is text.
        assert_eq!(tsv_rows("5\"\t6"), s(&[&["5\"", "6"]]));
    }

    #[test]
    fn the_tables_own_header_is_not_data() {
        let labels: Vec<String> = ["姓名", "身份证号", "职称"].map(String::from).to_vec();
        let p = pasted_block(" 姓名 \t身份证号\n张三\t330302\n", &labels);
        assert!(p.header);
        assert_eq!(p.rows, s(&[&["张三", "330302"]]));
        // A row of the data, an empty row, or a header of other columns stays.
        assert!(!pasted_block("张三\t330302", &labels).header);
        assert!(!is_header_row(&s(&[&["", ""]])[0], &labels));
        assert!(!is_header_row(&s(&[&["身份证号", "姓名"]])[0], &labels));
        // A header longer than the columns left is not this table's.
        assert!(!is_header_row(
            &s(&[&["姓名", "身份证号", "职称", "备注"]])[0],
            &labels
        ));
        assert!(is_header_row(&s(&[&["姓名", "", "职称"]])[0], &labels));
    }

    #[test]
    fn the_pages_json() {
        let v: serde_json::Value = serde_json::from_str(&pasted_block_json(
            "姓名\t身份证号\n张三\t1",
            r#"["姓名","身份证号"]"#,
        ))
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"rows": [["张三", "1"]], "header": true})
        );
        let v: serde_json::Value =
            serde_json::from_str(&pasted_block_json("姓名", "not json")).unwrap();
        assert_eq!(v, serde_json::json!({"rows": [["姓名"]], "header": false}));
    }
}
