//! A sheet as cells: values by row and column, and merged ranges, whose value every cell
//! of the range gives back (a finding merged across its measures reads on each row).

use zhenggai_core::Date;

/// A cell's value as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    /// A cell Excel formats as a date.
    Date(Date),
    /// A formula's error value (#REF!, #N/A …).
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers without a needless fraction, dates as 2022年3月29日.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => super::dates::zh(*d),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: u32,
    pub first_col: u16,
    pub last_row: u32,
    pub last_col: u16,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// 1-based position among the workbook's sheets, and the sheet's name.
    pub number: usize,
    pub name: String,
    rows: Vec<Vec<Cell>>,
    /// Per column, the merged ranges crossing it, by first row (ranges do not overlap).
    merged: Vec<Vec<Merge>>,
}

impl Grid {
    /// A grid of `rows` (row-major, 0-based) with `merges`; a range that overlaps one
    /// taken before it (by first row) is ignored whole, as Excel would refuse the file.
    pub fn new(number: usize, name: &str, rows: Vec<Vec<Cell>>, merges: &[Merge]) -> Grid {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut merged: Vec<Vec<Merge>> = vec![Vec::new(); width];
        let mut valid: Vec<Merge> = merges
            .iter()
            .filter(|m| m.first_row <= m.last_row && m.first_col <= m.last_col)
            .filter(|m| !(m.first_row == m.last_row && m.first_col == m.last_col))
            .filter(|m| (m.first_col as usize) < width)
            .copied()
            .collect();
        valid.sort_by_key(|m| (m.first_row, m.first_col));
        for m in valid {
            let last = (m.last_col as usize).min(width - 1);
            let cols = &mut merged[m.first_col as usize..=last];
            // Taken in order of first row, the last range of each column is the only one
            // that can reach down to this one.
            let overlaps = cols
                .iter()
                .any(|c| c.last().is_some_and(|k| k.last_row >= m.first_row));
            if !overlaps {
                for col in cols {
                    col.push(m);
                }
            }
        }
        Grid {
            number,
            name: name.to_string(),
            rows,
            merged,
        }
    }

    pub fn height(&self) -> u32 {
        self.rows.len() as u32
    }

    pub fn width(&self) -> u16 {
        self.merged.len() as u16
    }

    /// The merged range holding `(row, col)`, if any.
    pub fn merge_at(&self, row: u32, col: u16) -> Option<Merge> {
        let ranges = self.merged.get(col as usize)?;
        let i = ranges.partition_point(|m| m.first_row <= row);
        let m = ranges.get(i.checked_sub(1)?)?;
        (m.last_row >= row && m.first_col <= col && m.last_col >= col).then_some(*m)
    }

    fn raw(&self, row: u32, col: u16) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row as usize)
            .and_then(|r| r.get(col as usize))
            .unwrap_or(&EMPTY)
    }

    /// The value at `(row, col)`: a merged range's value on every cell of it.
    pub fn get(&self, row: u32, col: u16) -> &Cell {
        match self.merge_at(row, col) {
            Some(m) => self.raw(m.first_row, m.first_col),
            None => self.raw(row, col),
        }
    }

    /// Inside a merged range but not its first row: the same value as the row above,
    /// because it is the same cell.
    pub fn continues_above(&self, row: u32, col: u16) -> bool {
        self.merge_at(row, col).is_some_and(|m| m.first_row < row)
    }

    /// Every cell of the row is empty.
    pub fn blank_row(&self, row: u32) -> bool {
        (0..self.width()).all(|c| self.get(row, c).is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn merged_cells_read_their_range_value() {
        let rows = vec![
            vec![t("甲"), t("措施1")],
            vec![Cell::Empty, t("措施2")],
            vec![t("乙"), t("措施3")],
        ];
        let merges = [Merge {
            first_row: 0,
            first_col: 0,
            last_row: 1,
            last_col: 0,
        }];
        let g = Grid::new(1, "表", rows, &merges);
        assert_eq!(g.get(1, 0), &t("甲"));
        assert!(g.continues_above(1, 0));
        assert!(!g.continues_above(0, 0));
        assert_eq!(g.get(2, 0), &t("乙"));
        assert!(!g.continues_above(2, 0));
        assert_eq!(g.get(9, 9), &Cell::Empty);
        assert!(g.blank_row(7));
    }

    #[test]
    fn overlapping_and_stray_ranges_are_ignored() {
        let rows = vec![vec![t("a"), t("b")], vec![t("c"), t("d")]];
        let merges = [
            Merge {
                first_row: 0,
                first_col: 0,
                last_row: 1,
                last_col: 0,
            },
            Merge {
                first_row: 1,
                first_col: 0,
                last_row: 1,
                last_col: 1,
            },
            Merge {
                first_row: 5,
                first_col: 0,
                last_row: 2,
                last_col: 0,
            },
        ];
        let g = Grid::new(1, "表", rows, &merges);
        assert_eq!(g.get(1, 0), &t("a"));
        assert_eq!(g.get(1, 1), &t("d"));
    }
}
