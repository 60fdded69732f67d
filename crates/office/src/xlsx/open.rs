//! Bytes → a workbook → one sheet's cells. What is not an .xlsx is named for what it is
//! (an .xls, an encrypted workbook, a truncated or foreign zip, a web page); what is one
//! is read within limits: inflated size, rows, columns, merged ranges. A sheet's cells are
//! streamed and the reading stops at the row limit, so memory stays bounded however many
//! rows the sheet has.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::error::{Problem, WorkbookError};
use super::grid::{Cell, Grid, Merge};
use crate::OfficeError;

/// The most a workbook may inflate to. A ledger of 10,000 rows with long texts is some
/// tens of MiB of XML; more than this is a compression bomb or not a ledger.
pub const MAX_XLSX_INFLATED: u64 = 128 * 1024 * 1024;
/// Rows read from a sheet (title rows and blank rows included). A round's ledger of one
/// unit is hundreds of rows; a sheet past this is refused, not read.
pub const MAX_ROWS: u32 = 20_000;
/// Columns read; cells to the right are ignored (a ledger has fourteen).
pub const MAX_COLUMNS: u16 = 64;
/// Merged ranges in a sheet.
pub const MAX_MERGES: usize = 200_000;

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub struct Workbook<'a> {
    xlsx: Xlsx<Cursor<&'a [u8]>>,
    names: Vec<String>,
}

fn unreadable(why: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::new(
        Problem::Unreadable,
        format!("不是有效的 .xlsx 工作簿（文件可能已损坏或不完整）：{why}"),
    )
}

/// What a file that is not a zip most likely is.
fn not_a_zip(bytes: &[u8]) -> WorkbookError {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let message = if bytes.is_empty() {
        "文件是空的".to_string()
    } else if head.contains("<html") || head.contains("<table") || head.contains("<?xml") {
        "这是网页或 XML 格式的表格，不是 .xlsx 工作簿：请在 Excel 或 WPS 中打开后另存为 .xlsx"
            .to_string()
    } else {
        "不是 .xlsx 工作簿（文件开头不是 zip 压缩包）：请上传 Excel 2007 及以后版本的 .xlsx 文件"
            .to_string()
    };
    WorkbookError::new(Problem::Unreadable, message)
}

/// Opens `bytes` as an .xlsx workbook.
pub fn open(bytes: &[u8]) -> Result<Workbook<'_>, WorkbookError> {
    if bytes.starts_with(&CFB_MAGIC) {
        // Excel writes both old .xls files and encrypted .xlsx files as compound files; an
        // encrypted one holds a stream named EncryptedPackage, whose name is stored in
        // UTF-16 in the directory, so it is found without parsing the container.
        let encrypted = contains(bytes, &utf16("EncryptedPackage"));
        return Err(match Xlsx::new(Cursor::new(bytes)) {
            Err(XlsxError::Password) => encrypted_error(),
            _ if encrypted => encrypted_error(),
            _ => WorkbookError::new(
                Problem::Legacy,
                "这是 Excel 97-2003 格式（.xls）的文件：请在 Excel 或 WPS 中另存为 .xlsx 后再导入",
            ),
        });
    }
    open_zip(bytes)
}

fn encrypted_error() -> WorkbookError {
    WorkbookError::new(
        Problem::Encrypted,
        "工作簿受密码保护（已加密），无法读取：请在 Excel 中取消密码后另存为 .xlsx 再导入",
    )
}

fn utf16(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn open_zip(bytes: &[u8]) -> Result<Workbook<'_>, WorkbookError> {
    if !bytes.starts_with(b"PK") {
        return Err(not_a_zip(bytes));
    }
    crate::check_inflated(bytes, MAX_XLSX_INFLATED).map_err(|e| match e {
        OfficeError::TooLarge { limit_mib } => WorkbookError::new(
            Problem::TooLarge,
            format!("工作簿解压后超过 {limit_mib} MiB（可能是压缩炸弹），拒绝读取"),
        ),
        other => unreadable(other),
    })?;
    let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => WorkbookError::new(
            Problem::Unreadable,
            "压缩包里没有 Excel 工作簿（可能是 .docx 或其他文件改了扩展名）",
        ),
        other => unreadable(other),
    })?;
    let names = xlsx.sheet_names();
    if names.is_empty() {
        return Err(WorkbookError::new(
            Problem::Unreadable,
            "工作簿里没有工作表",
        ));
    }
    Ok(Workbook { xlsx, names })
}

fn cell(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::Text(s.clone())
        }
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match zhenggai_core::Date::ymd(i32::from(y), u32::from(m), u32::from(d)) {
                Some(date) => Cell::Date(date),
                None => Cell::Number(dt.as_f64()),
            }
        }
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

impl Workbook<'_> {
    pub fn sheet_names(&self) -> &[String] {
        &self.names
    }

    /// The cells of sheet `index` (0-based), refused past `MAX_ROWS` rows.
    pub fn sheet(&mut self, index: usize) -> Result<Grid, WorkbookError> {
        let name = self
            .names
            .get(index)
            .cloned()
            .ok_or_else(|| WorkbookError::new(Problem::Content, "没有这张工作表"))?;
        let place = super::error::Place::sheet(index + 1, &name);
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        {
            let mut reader = self
                .xlsx
                .worksheet_cells_reader(&name)
                .map_err(|e| unreadable(e).placed(place.clone()))?;
            while let Some(c) = reader
                .next_cell()
                .map_err(|e| unreadable(e).placed(place.clone()))?
            {
                let value = cell(c.get_value());
                if value.is_empty() {
                    continue;
                }
                let (row, col) = c.get_position();
                if row >= MAX_ROWS {
                    return Err(WorkbookError::new(
                        Problem::TooLarge,
                        format!("超过 {MAX_ROWS} 行，超出一次导入的上限：请按单位拆分后分别导入"),
                    )
                    .placed(place));
                }
                if col >= u32::from(MAX_COLUMNS) {
                    continue;
                }
                let (row, col) = (row as usize, col as usize);
                if rows.len() <= row {
                    rows.resize_with(row + 1, Vec::new);
                }
                let r = &mut rows[row];
                if r.len() <= col {
                    r.resize(col + 1, Cell::Empty);
                }
                r[col] = value;
            }
        }
        let merges = self
            .xlsx
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| unreadable(e).placed(place.clone()))?;
        if merges.len() > MAX_MERGES {
            return Err(WorkbookError::new(
                Problem::TooLarge,
                format!("合并单元格超过 {MAX_MERGES} 处，超出导入上限"),
            )
            .placed(place));
        }
        let merges: Vec<Merge> = merges
            .iter()
            .filter(|d| d.start.0 < MAX_ROWS && d.start.1 < u32::from(MAX_COLUMNS))
            .map(|d| Merge {
                first_row: d.start.0,
                first_col: d.start.1 as u16,
                last_row: d.end.0.min(MAX_ROWS),
                last_col: d.end.1.min(u32::from(MAX_COLUMNS) - 1) as u16,
            })
            .collect();
        Ok(Grid::new(index + 1, &name, rows, &merges))
    }
}
