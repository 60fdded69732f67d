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
        // The export writes 长期坚持 where a long-term measure has no date, as offices do.
        due: match (due, kind) {
            (Some(d), _) => Value::Date(d),
            (None, MeasureKind::LongTerm) => Value::text("长期坚持"),
            (None, _) => Value::Empty,
        },
        progress: write_progress(progress),
        status: status.zh().into(),
        remark: remark.into(),
        tone: None,
    }
}
