//! A sheet's cells → the ledger it holds: the header found under any title rows (in any
//! column order, with the variants offices use, on one row or two), then findings and
//! their measures row by row. A finding spans the rows its cell is merged across, or the
//! rows that repeat it or leave it blank; blank rows, repeated headers and section rows
//! (一、… across the table) are stepped over. Every cell is read into a typed value here,
//! and a cell that cannot be is an error naming its sheet, row and column.

use zhenggai_core::{Date, MeasureKind, MeasureStatus};

use super::cells::{self, Due, Progress};
use super::columns::{header_key, Column};
use super::dates;
use super::error::{Place, WorkbookError};
use super::grid::Grid;

/// How far down a header is looked for.
const HEADER_SEARCH_ROWS: u32 = 30;

#[derive(Debug, Clone, PartialEq)]
pub struct ReadLedger {
    pub sheet: (usize, String),
    /// 反馈日期 as written above the header, if it is.
    pub feedback_date: Option<Date>,
    /// Where each recognised column is (0-based index).
    pub columns: Vec<(Column, u16)>,
    pub findings: Vec<ReadFinding>,
    /// What was read past: columns not recognised, rows without a finding or measure.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadFinding {
    /// 1-based row where the finding starts.
    pub row: u32,
    pub serial: String,
    /// 问题类别 as written (or the section row above it).
    pub category: String,
    pub title: String,
    /// 销号日期: the day, or what the cell says when it is not a day (已申请销号 …).
    pub signed_off: Option<SignedOff>,
    pub evidence: String,
    pub measures: Vec<ReadMeasure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignedOff {
    On(Date),
    Text(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReadMeasure {
    pub row: u32,
    pub text: String,
    pub kind: Option<MeasureKind>,
    pub lead: String,
    pub department: String,
    pub owner: String,
    pub due: Due,
    pub status: Option<MeasureStatus>,
    /// What 完成情况 says beyond its status word.
    pub status_note: String,
    pub progress: Vec<Progress>,
    pub remark: String,
}

impl ReadLedger {
    /// The place of `column` on 1-based `row`.
    pub fn place(&self, row: u32, column: Column) -> Place {
        let place = Place::sheet(self.sheet.0, &self.sheet.1).row(row);
        match self.columns.iter().find(|(c, _)| *c == column) {
            Some((c, i)) => place.column(*i, c.header()),
            None => place,
        }
    }

    /// The first place where `other` says something else than this ledger (rows are not
    /// compared, nor the serial numbers, which the importer does not keep).
    pub fn first_difference(&self, other: &ReadLedger) -> Option<Place> {
        let at = |row, col| Some(self.place(row, col));
        for (i, f) in self.findings.iter().enumerate() {
            let Some(g) = other.findings.get(i) else {
                return at(f.row, Column::Finding);
            };
            if f.category != g.category {
                return at(f.row, Column::Category);
            }
            if f.title != g.title {
                return at(f.row, Column::Finding);
            }
            if f.signed_off != g.signed_off {
                return at(f.row, Column::SignedOff);
            }
            if f.evidence != g.evidence {
                return at(f.row, Column::Evidence);
            }
            for (k, m) in f.measures.iter().enumerate() {
                let Some(n) = g.measures.get(k) else {
                    return at(m.row, Column::Measure);
                };
                let col = if m.text != n.text {
                    Column::Measure
                } else if m.kind != n.kind {
                    Column::Kind
                } else if m.lead != n.lead {
                    Column::Lead
                } else if m.department != n.department {
                    Column::Department
                } else if m.owner != n.owner {
                    Column::Owner
                } else if m.due != n.due {
                    Column::Due
                } else if m.progress != n.progress {
                    Column::Progress
                } else if (m.status, &m.status_note) != (n.status, &n.status_note) {
                    Column::Status
                } else if m.remark != n.remark {
                    Column::Remark
                } else {
                    continue;
                };
                return at(m.row, col);
            }
            if g.measures.len() > f.measures.len() {
                let row = f.measures.last().map_or(f.row, |m| m.row);
                return at(row, Column::Measure);
            }
        }
        if other.findings.len() > self.findings.len() {
            let row = self.findings.last().map_or(1, |f| f.row);
            return at(row, Column::Finding);
        }
        None
    }
}

struct Header {
    /// 0-based row of the header's last row.
    row: u32,
    columns: Vec<(Column, u16)>,
    ignored: Vec<(u16, String)>,
}

fn text(grid: &Grid, row: u32, col: u16) -> String {
    grid.get(row, col).text().trim().to_string()
}

/// The columns row `r` names, alone or with the row under it (责任 over 领导 / 部门 / 人).
fn header_at(grid: &Grid, r: u32) -> Option<Header> {
    // A spacer row above the header would otherwise borrow the header's names as its
    // "second row" and hide the columns the header does not know.
    if grid.blank_row(r) {
        return None;
    }
    let two_rows = r + 1 < grid.height();
    let mut columns: Vec<(Column, u16)> = Vec::new();
    let mut ignored = Vec::new();
    let mut used_second = false;
    for c in 0..grid.width() {
        let top = text(grid, r, c);
        let named = Column::named(&top).or_else(|| {
            if !two_rows {
                return None;
            }
            let below = text(grid, r + 1, c);
            let found = Column::named(&format!("{top}{below}"))
                .or_else(|| top.is_empty().then(|| Column::named(&below)).flatten());
            used_second |= found.is_some();
            found
        });
        match named {
            Some(col) => columns.push((col, c)),
            None if !top.is_empty() => ignored.push((c, top)),
            None => {}
        }
    }
    let has = |col| columns.iter().any(|(c, _)| *c == col);
    if columns.len() < 3 || !has(Column::Finding) {
        return None;
    }
    Some(Header {
        row: if used_second { r + 1 } else { r },
        columns,
        ignored,
    })
}

fn find_header(grid: &Grid) -> Result<Header, WorkbookError> {
    let sheet = Place::sheet(grid.number, &grid.name);
    let header = (0..grid.height().min(HEADER_SEARCH_ROWS))
        .find_map(|r| header_at(grid, r))
        .ok_or_else(|| {
            WorkbookError::at(
                sheet.clone(),
                format!(
                    "前 {HEADER_SEARCH_ROWS} 行中找不到表头：须有“具体问题”（或问题清单、存在问题、问题表现）列，以及整改措施、责任部门、整改时限等列中的至少两列"
                ),
            )
        })?;
    let mut seen: Vec<(Column, u16)> = Vec::new();
    for (col, c) in &header.columns {
        if let Some((_, first)) = seen.iter().find(|(x, _)| x == col) {
            return Err(WorkbookError::at(
                sheet
                    .row(header.row + 1)
                    .column(*c, &text(grid, header.row, *c)),
                format!(
                    "与{}列（“{}”）都表示“{}”，请删去或改名其一",
                    super::error::column_letter(*first),
                    text(grid, header.row, *first),
                    col.header()
                ),
            ));
        }
        seen.push((*col, *c));
    }
    Ok(header)
}

/// 反馈日期：2022年3月29日 in a title row above the header.
fn feedback_date(grid: &Grid, above: u32) -> Result<Option<Date>, WorkbookError> {
    for r in 0..above {
        for c in 0..grid.width() {
            if grid.continues_above(r, c) || grid.merge_at(r, c).is_some_and(|m| m.first_col < c) {
                continue;
            }
            let t = text(grid, r, c);
            for label in ["反馈日期", "反馈时间"] {
                if let Some(i) = t.find(label) {
                    let after =
                        t[i + label.len()..].trim_start_matches([':', '：', ' ', '\u{3000}']);
                    if let Some(day) = dates::prefix_day(after) {
                        let place = Place::sheet(grid.number, &grid.name).row(r + 1);
                        return day.map(Some).map_err(|m| WorkbookError::at(place, m));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// The ledger a sheet holds.
pub fn read_ledger(grid: &Grid) -> Result<ReadLedger, WorkbookError> {
    let header = find_header(grid)?;
    let mut out = ReadLedger {
        sheet: (grid.number, grid.name.clone()),
        feedback_date: feedback_date(grid, header.row)?,
        columns: header.columns.clone(),
        findings: Vec::new(),
        warnings: Vec::new(),
    };
    if !header.ignored.is_empty() {
        let names: Vec<String> = header
            .ignored
            .iter()
            .map(|(c, t)| format!("{}列“{}”", super::error::column_letter(*c), t))
            .collect();
        out.warnings.push(format!(
            "工作表“{}”中未识别的列不导入：{}",
            grid.name,
            names.join("、")
        ));
    }
    let mut rows = Rows {
        grid,
        ledger: &mut out,
        header: &header,
        section: String::new(),
    };
    for r in header.row + 1..grid.height() {
        rows.row(r)?;
    }
    Ok(out)
}

struct Rows<'a> {
    grid: &'a Grid,
    ledger: &'a mut ReadLedger,
    header: &'a Header,
    /// The last section row (一、… across the table): the category of what follows when
    /// the sheet has no category column.
    section: String,
}

impl Rows<'_> {
    fn col(&self, column: Column) -> Option<u16> {
        self.header
            .columns
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, i)| *i)
    }

    fn place(&self, r: u32, column: Column) -> Place {
        self.ledger.place(r + 1, column)
    }

    /// A cell's text, or the error for a formula error in it.
    fn cell(&self, r: u32, column: Column) -> Result<String, WorkbookError> {
        match self.col(column) {
            Some(c) => cells::clean(self.grid.get(r, c))
                .map_err(|m| WorkbookError::at(self.place(r, column), m)),
            None => Ok(String::new()),
        }
    }

    fn fail<T>(&self, r: u32, column: Column, message: String) -> Result<T, WorkbookError> {
        Err(WorkbookError::at(self.place(r, column), message))
    }

    fn continues(&self, r: u32, column: Column) -> bool {
        self.col(column)
            .is_some_and(|c| self.grid.continues_above(r, c))
    }

    /// The header repeated further down (as sheets glued from several do).
    fn repeats_header(&self, r: u32) -> bool {
        self.header.columns.iter().all(|(col, c)| {
            let t = header_key(&text(self.grid, r, *c));
            t.is_empty() || Column::named(&t) == Some(*col)
        }) && self
            .header
            .columns
            .iter()
            .filter(|(_, c)| !text(self.grid, r, *c).is_empty())
            .count()
            >= 3
    }

    fn row(&mut self, r: u32) -> Result<(), WorkbookError> {
        if self.grid.blank_row(r) || self.repeats_header(r) {
            return Ok(());
        }
        let title = self.cell(r, Column::Finding)?;
        let measure = self.cell(r, Column::Measure)?;
        let texts: std::collections::BTreeSet<String> = (0..self.grid.width())
            .map(|c| text(self.grid, r, c))
            .filter(|t| !t.is_empty())
            .collect();
        // A section row: one text, merged across the table or outside the finding and
        // measure columns. A finding's title alone in its column is a finding.
        let across = self
            .col(Column::Finding)
            .and_then(|c| self.grid.merge_at(r, c))
            .is_some_and(|m| m.last_col > m.first_col);
        let empty = title.is_empty() && measure.is_empty();
        if texts.len() == 1 && (empty || across) {
            self.section = texts.into_iter().next().unwrap_or_default();
            return Ok(());
        }
        if empty {
            self.ledger.warnings.push(format!(
                "工作表“{}”第{}行既没有具体问题也没有整改措施，未导入",
                self.grid.name,
                r + 1
            ));
            return Ok(());
        }
        let serial = self.cell(r, Column::Serial)?;
        let same = self.ledger.findings.last().is_some_and(|f| {
            title.is_empty()
                || self.continues(r, Column::Finding)
                || (f.title == title && (serial.is_empty() || serial == f.serial))
        });
        if !same {
            if title.is_empty() {
                return self.fail(
                    r,
                    Column::Finding,
                    "具体问题为空，上方也没有问题可以归属：请填写这项措施针对的问题".into(),
                );
            }
            let finding = self.finding(r, serial, title)?;
            self.ledger.findings.push(finding);
        } else {
            self.more_of_finding(r)?;
        }
        if measure.is_empty() {
            let stray = [
                Column::Lead,
                Column::Department,
                Column::Owner,
                Column::Due,
                Column::Progress,
            ]
            .into_iter()
            .find(|c| !self.continues(r, *c) && self.cell(r, *c).is_ok_and(|t| !t.is_empty()));
            if let Some(c) = stray {
                return self.fail(
                    r,
                    Column::Measure,
                    format!("整改措施为空，本行却填了{}：请补写整改措施", c.header()),
                );
            }
            return Ok(());
        }
        let m = self.measure(r, measure)?;
        if let Some(f) = self.ledger.findings.last_mut() {
            f.measures.push(m);
        }
        Ok(())
    }

    fn finding(&self, r: u32, serial: String, title: String) -> Result<ReadFinding, WorkbookError> {
        let category = match self.cell(r, Column::Category)? {
            c if c.is_empty() => self.section.clone(),
            c => c,
        };
        Ok(ReadFinding {
            row: r + 1,
            serial,
            category,
            title,
            signed_off: self.signed_off(r)?,
            evidence: self.cell(r, Column::Evidence)?,
            measures: Vec::new(),
        })
    }

    fn signed_off(&self, r: u32) -> Result<Option<SignedOff>, WorkbookError> {
        let Some(c) = self.col(Column::SignedOff) else {
            return Ok(None);
        };
        let cell = self.grid.get(r, c);
        let t = self.cell(r, Column::SignedOff)?;
        if t.is_empty() {
            return Ok(None);
        }
        let read = match cell {
            super::grid::Cell::Text(_) => dates::day(&t).map(|d| d.map(SignedOff::On)),
            other => cells::day(other).map(|d| d.map(SignedOff::On)),
        };
        match read {
            Ok(Some(on)) => Ok(Some(on)),
            Ok(None) => Ok(Some(SignedOff::Text(t))),
            Err(m) => self.fail(r, Column::SignedOff, m),
        }
    }

    /// A later row of the current finding, not merged: its finding cells may add to it.
    fn more_of_finding(&mut self, r: u32) -> Result<(), WorkbookError> {
        let evidence = if self.continues(r, Column::Evidence) {
            String::new()
        } else {
            self.cell(r, Column::Evidence)?
        };
        let signed = if self.continues(r, Column::SignedOff) {
            None
        } else {
            self.signed_off(r)?
        };
        if let Some(f) = self.ledger.findings.last_mut() {
            if !evidence.is_empty() && !f.evidence.split('\n').any(|l| l == evidence) {
                if !f.evidence.is_empty() {
                    f.evidence.push('\n');
                }
                f.evidence.push_str(&evidence);
            }
            if f.signed_off.is_none() {
                f.signed_off = signed;
            }
        }
        Ok(())
    }

    fn measure(&self, r: u32, text: String) -> Result<ReadMeasure, WorkbookError> {
        let kind =
            cells::kind(&self.cell(r, Column::Kind)?).or_else(|m| self.fail(r, Column::Kind, m))?;
        let due = match self.col(Column::Due) {
            Some(c) => cells::due(self.grid.get(r, c)).or_else(|m| self.fail(r, Column::Due, m))?,
            None => Due::None,
        };
        let status_text = self.cell(r, Column::Status)?;
        let (status, status_note) =
            match cells::status(&status_text).or_else(|m| self.fail(r, Column::Status, m))? {
                Some((s, note)) => (Some(s), note),
                None => (None, String::new()),
            };
        let progress = cells::progress(&self.cell(r, Column::Progress)?)
            .or_else(|m| self.fail(r, Column::Progress, m))?;
        Ok(ReadMeasure {
            row: r + 1,
            text,
            kind,
            lead: self.cell(r, Column::Lead)?,
            department: self.cell(r, Column::Department)?,
            owner: self.cell(r, Column::Owner)?,
            due,
            status,
            status_note,
            progress,
            remark: self.cell(r, Column::Remark)?,
        })
    }
}
