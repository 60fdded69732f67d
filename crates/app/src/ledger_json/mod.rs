//! `zhenggai.ledger.v2`: the whole ledger as one JSON document (docs/ledger-json.md).
//! Export writes it record by record; import (`read`) parses it record by record into an
//! import transaction.

use std::io::Write;

use zhenggai_core::{authorize, Access, Actor};
use zhenggai_store::Store;

use crate::error::AppError;

mod bytes;
mod located;
mod read;

pub use bytes::Bytes;
pub use read::{import, import_into, import_path};

pub const FORMAT: &str = "zhenggai.ledger.v2";

/// Writes the whole ledger, one record per line, in id order, after the anchor of the
/// chain it was read from.
pub async fn export<W: Write>(
    store: &dyn Store,
    actor: &Actor,
    out: &mut W,
) -> Result<(), AppError> {
    authorize(actor, Access::ExportAll)?;
    let io = |e: std::io::Error| AppError::from_io("导出", &e);
    let head = store.head().await?;
    writeln!(out, "{{\"format\":\"{FORMAT}\",\"anchor\":\"{head}\",").map_err(io)?;
    write_section(out, "rounds", &store.rounds(actor).await?).map_err(io)?;
    writeln!(out, ",").map_err(io)?;
    write_section(out, "units", &store.units(actor).await?).map_err(io)?;
    writeln!(out, ",").map_err(io)?;
    write!(out, "\"feedbacks\":[").map_err(io)?;
    for (i, f) in store.feedbacks(actor).await?.iter().enumerate() {
        write_item(out, i, &store.feedback(actor, &f.id).await?).map_err(io)?;
    }
    writeln!(out, "]}}").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(())
}

fn write_section<W: Write, T: serde::Serialize>(
    out: &mut W,
    name: &str,
    items: &[T],
) -> std::io::Result<()> {
    write!(out, "\"{name}\":[")?;
    for (i, item) in items.iter().enumerate() {
        write_item(out, i, item)?;
    }
    write!(out, "]")?;
    Ok(())
}

/// One record on a line of its own, after a comma unless it is the first.
fn write_item<W: Write, T: serde::Serialize>(
    out: &mut W,
    i: usize,
    item: &T,
) -> std::io::Result<()> {
    writeln!(out, "{}", if i == 0 { "" } else { "," })?;
    serde_json::to_writer(&mut *out, item)?;
    Ok(())
}
