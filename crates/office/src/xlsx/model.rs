//! What the export writes, decided before any byte is written: a ledger sheet per unit
//! (one block per finding, one line per measure) and tables such as the round's summary.
//! The use case fills these from the ledger; `write` only lays them out.

use zhenggai_core::Date;

/// A cell's value as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    /// An Excel date shown as 2022年3月29日, so that offices can sort and filter by it.
    Date(Date),
    Number(f64),
    /// A fraction shown as a percentage with one decimal.
    Percent(f64),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }
}

/// The colour of a row: how close its deadline is under the round's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Green,
    Yellow,
    Red,
}

/// One unit's ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerSheet {
    /// The tab's name; made valid and unique by the writer (31 characters, no []:*?/\).
    pub name: String,
    /// The first row: 某某单位落实某轮巡察反馈意见整改台账.
    pub title: String,
    /// Lines under the title: round, feedback date, the day the colours are reckoned on,
    /// what each colour means.
    pub notes: Vec<String>,
    pub findings: Vec<FindingBlock>,
}

/// A finding and its measures: the finding's cells are merged across the measures' rows.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingBlock {
    /// 问题类别: the category, and on a second line the aspect when it has a title.
    pub category: String,
    pub title: String,
    pub signed_off: Value,
    pub evidence: String,
    /// The colour of the finding's merged cells: the most urgent of its measures'.
    pub tone: Option<Tone>,
    /// At least one line is written even for a finding without measures.
    pub measures: Vec<MeasureLine>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MeasureLine {
    pub text: String,
    pub kind: String,
    pub lead: String,
    pub department: String,
    pub owner: String,
    pub due: Value,
    pub progress: String,
    pub status: String,
    pub remark: String,
    pub tone: Option<Tone>,
}

/// A plain table under a title, such as the round's summary by unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub title: String,
    pub notes: Vec<String>,
    /// Headers and printed widths in Excel's character units.
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<Value>>,
    /// A last row set in bold (totals).
    pub total: Option<Vec<Value>>,
}

/// A workbook: tables first (the summary), then one ledger sheet per unit.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Book {
    pub tables: Vec<Table>,
    pub ledgers: Vec<LedgerSheet>,
}
