//! Restoring a backup of the embedded database: the copy's chain (and an anchor, when
//! given) is verified before it is put in place, so a damaged copy never replaces a
//! working ledger.

use std::path::Path;

use zhenggai_core::event::Anchor;
use zhenggai_store::VerifyReport;

use crate::error::AppError;

/// Verifies the SQLite database at `copy` and, if it holds, puts it at `target`
/// (replacing what is there, with its write-ahead log). Returns the copy's report.
pub async fn restore(
    copy: &Path,
    target: &Path,
    anchor: Option<&Anchor>,
) -> Result<VerifyReport, AppError> {
    let name = copy.display().to_string();
    if !copy.is_file() {
        return Err(AppError::io(&name, "文件不存在"));
    }
    // Verify a scratch copy: opening a database may write to it (its log, a migration).
    let scratch = target.with_extension("restore.tmp");
    std::fs::copy(copy, &scratch).map_err(|e| AppError::io(&name, e))?;
    let report = async {
        let store = zhenggai_store::open(&format!("sqlite://{}", scratch.display())).await?;
        let report = store.verify(anchor).await;
        store.close().await;
        Ok::<_, AppError>(report?)
    }
    .await;
    let report = match report {
        Ok(r) if r.broken.is_none() => r,
        Ok(r) => {
            remove_with_log(&scratch);
            let why = r.broken.map(|b| b.to_string()).unwrap_or_default();
            return Err(AppError::Invalid(format!(
                "{name}：备份校验未通过，未恢复：{why}"
            )));
        }
        // A cut or foreign file fails while opening or reading: that is the copy's
        // fault, not the database's, so the user is told so and the cause is logged.
        Err(e) => {
            remove_with_log(&scratch);
            tracing::warn!(file = %name, error = %e, "backup copy unreadable");
            return Err(AppError::Invalid(format!(
                "{name}：不是完整的台账数据库副本（文件损坏、被截断或不是备份文件），未恢复"
            )));
        }
    };
    remove_with_log(target);
    std::fs::rename(&scratch, target)
        .map_err(|e| AppError::io(&target.display().to_string(), e))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&scratch, suffix));
    }
    Ok(report)
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// Removes a SQLite file and its write-ahead log and shared memory files.
fn remove_with_log(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(path, suffix));
    }
}
