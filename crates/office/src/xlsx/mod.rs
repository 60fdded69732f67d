//! The Excel ledger (整改台账, .xlsx): written with rust_xlsxwriter in the layout offices
//! use, and read back with calamine, from our own files and from sheets made by hand.
//!
//! Writing: `model` (what a sheet shows, filled by the use case) → `write` (layout).
//! Reading, in stages: bytes → `open` (what the file is, limits) → `grid` (cells and
//! merged ranges) → `read` (header, findings and measures; `cells` and `dates` give each
//! cell its typed value). Nothing here knows the store: the use case maps what was read
//! to the ledger's records and its rules.

mod cells;
mod columns;
mod dates;
mod error;
mod grid;
mod model;
mod open;
#[cfg(test)]
mod parse_props;
mod read;
mod write;

pub use cells::{write_progress, Due, Progress};
pub use columns::Column;
pub use dates::{excel_serial, zh as date_zh};
pub use error::{column_letter, Place, Problem, WorkbookError};
pub use grid::{Cell, Grid, Merge};
pub use model::{Book, FindingBlock, LedgerSheet, MeasureLine, Table, Tone, Value};
pub use open::{open, Workbook, MAX_COLUMNS, MAX_MERGES, MAX_ROWS, MAX_XLSX_INFLATED};
pub use read::{read_ledger, ReadFinding, ReadLedger, ReadMeasure, SignedOff};
pub use write::write;
