//! Why a workbook was refused, and where: 工作表“城管局”第7行“整改时限”列（I列）：….

use std::fmt;

/// What kind of refusal: decides the stable code (and through it the HTTP status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not a readable .xlsx: a damaged or truncated zip, missing parts, bad XML.
    Unreadable,
    /// An encrypted (password-protected) workbook: nothing can be read without the password.
    Encrypted,
    /// An Excel 97–2003 .xls (a compound file), whatever its name says.
    Legacy,
    /// Beyond a documented limit (inflated size, rows, sheets, merged ranges).
    TooLarge,
    /// Readable, but what a cell or the layout says cannot be used.
    Content,
}

/// A place in a workbook, as people count: sheets and rows from 1, columns by letter and
/// header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    /// 1-based sheet number and the sheet's name.
    pub sheet: Option<(usize, String)>,
    /// 1-based row number, as Excel shows it.
    pub row: Option<u32>,
    /// 0-based column index and its header (empty when the header is unknown).
    pub column: Option<(u16, String)>,
}

impl Place {
    pub fn sheet(no: usize, name: &str) -> Place {
        Place {
            sheet: Some((no, name.to_string())),
            ..Place::default()
        }
    }

    pub fn row(mut self, row: u32) -> Place {
        self.row = Some(row);
        self
    }

    pub fn column(mut self, index: u16, header: &str) -> Place {
        self.column = Some((index, header.to_string()));
        self
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Sheet names are unique in a workbook, so the name alone finds the sheet.
        if let Some((_, name)) = &self.sheet {
            write!(f, "工作表“{name}”")?;
        }
        if let Some(row) = self.row {
            write!(f, "第{row}行")?;
        }
        if let Some((index, header)) = &self.column {
            let letter = column_letter(*index);
            if header.is_empty() {
                write!(f, "{letter}列")?;
            } else {
                write!(f, "“{header}”列（{letter}列）")?;
            }
        }
        Ok(())
    }
}

/// Excel's letters for a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: u16) -> String {
    let mut n = u32::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookError {
    pub problem: Problem,
    pub place: Place,
    pub message: String,
}

impl WorkbookError {
    pub fn new(problem: Problem, message: impl Into<String>) -> WorkbookError {
        WorkbookError {
            problem,
            place: Place::default(),
            message: message.into(),
        }
    }

    /// A cell, row or sheet whose content cannot be used.
    pub fn at(place: Place, message: impl Into<String>) -> WorkbookError {
        WorkbookError {
            problem: Problem::Content,
            place,
            message: message.into(),
        }
    }

    pub fn placed(mut self, place: Place) -> WorkbookError {
        self.place = place;
        self
    }

    /// Stable codes, each already in core's table of HTTP statuses.
    pub fn code(&self) -> &'static str {
        match self.problem {
            Problem::Unreadable | Problem::Content => "invalid_workbook",
            Problem::Encrypted | Problem::Legacy => "unsupported_media_type",
            Problem::TooLarge => "too_large",
        }
    }
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = self.place.to_string();
        if place.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{place}：{}", self.message)
        }
    }
}

impl std::error::Error for WorkbookError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_people_count() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        let e = WorkbookError::at(
            Place::sheet(2, "城管局").row(7).column(8, "整改时限"),
            "日期“2022年2月30日”不存在",
        );
        assert_eq!(
            e.to_string(),
            "工作表“城管局”第7行“整改时限”列（I列）：日期“2022年2月30日”不存在"
        );
        assert_eq!(e.code(), "invalid_workbook");
        let e = WorkbookError::new(Problem::Encrypted, "受密码保护");
        assert_eq!(e.to_string(), "受密码保护");
        assert_eq!(e.code(), "unsupported_media_type");
    }
}
