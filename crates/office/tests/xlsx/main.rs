//! The Excel ledger's format: what we write reads back the same, sheets made by hand read
//! as their makers meant, and no workbook, however broken, makes the reader panic.

mod broken;
mod handmade;
mod roundtrip;

use zhenggai_core::{Date, MeasureKind, MeasureStatus};
use zhenggai_office::xlsx::*;

pub fn d(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// The only sheet of `bytes`, read as a ledger.
pub fn read_only_sheet(bytes: &[u8]) -> Result<ReadLedger, WorkbookError> {
    let mut book = open(bytes)?;
    let grid = book.sheet(0)?;
    read_ledger(&grid)
}

/// A measure as the export writes it from typed values.
#[allow(clippy::too_many_arguments)]
pub fn line(
    text: &str,
    kind: MeasureKind,
    owner: &str,
    due: Option<Date>,
    status: MeasureStatus,
    progress: &[Progress],
    remark: &str,
) -> MeasureLine {
    MeasureLine {
        text: text.into(),
        kind: kind.zh().into(),
        lead: "分管副局长".into(),
        department: "办公室".into(),
        owner: owner.into(),
        due: due.map_or(Value::Empty, Value::Date),
        progress: write_progress(progress),
        status: status.zh().into(),
        remark: remark.into(),
        tone: None,
    }
}
