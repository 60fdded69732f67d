//! The ledger with its evidence files in one archive: `ledger.json` (the ledger document)
//! and `evidence/<sha256>` for every file, so that a backup or a move between databases
//! keeps the bytes too.

use std::collections::BTreeSet;
use std::io::{Read, Seek, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zhenggai_core::Actor;
use zhenggai_store::{ImportSummary, Store, StoreError};
use zip::write::SimpleFileOptions;

use crate::error::AppError;
use crate::ledger_json;

const LEDGER: &str = "ledger.json";
const EVIDENCE: &str = "evidence/";

/// Writes the archive; returns how many files it holds.
pub async fn export(
    store: &dyn Store,
    actor: &Actor,
    out: impl Write + Seek,
) -> Result<u64, AppError> {
    let archive_err = |e: zip::result::ZipError| AppError::Archive {
        file: "导出".into(),
        message: e.to_string(),
    };
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(LEDGER, options).map_err(archive_err)?;
    ledger_json::export(store, actor, &mut zip).await?;
    let mut shas = BTreeSet::new();
    for f in store.feedbacks(actor).await? {
        for finding in store.feedback(actor, &f.id).await?.findings() {
            shas.extend(finding.evidence.iter().map(|e| e.sha256.clone()));
        }
    }
    let mut files = 0;
    for sha in shas {
        let bytes = match store.blob(actor, &sha).await {
            Ok(b) => b,
            // Evidence imported as a description only has no bytes to carry.
            Err(StoreError::Rule(zhenggai_core::CoreError::NotFound { .. })) => continue,
            Err(e) => return Err(e.into()),
        };
        zip.start_file(
            format!("{EVIDENCE}{sha}"),
            options.compression_method(zip::CompressionMethod::Stored),
        )
        .map_err(archive_err)?;
        zip.write_all(&bytes).map_err(|e| AppError::io("导出", e))?;
        files += 1;
    }
    zip.finish().map_err(archive_err)?;
    Ok(files)
}

/// Imports an archive in one transaction: every file (checked against its name) and the
/// ledger document. `max_file` bounds what one entry may inflate to.
pub async fn import(
    store: &dyn Store,
    actor: &Actor,
    path: &Path,
    max_file: u64,
) -> Result<ImportSummary, AppError> {
    let name = path.display().to_string();
    let bad = |message: String| AppError::Archive {
        file: name.clone(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| AppError::io(&name, e))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| bad(format!("不是有效的 zip 压缩包：{e}")))?;
    let mut tx = store.begin_import(actor).await?;
    let mut ledger = None;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| bad(format!("第 {i} 个条目无法读取：{e}")))?;
        let entry_name = entry.name().to_string();
        if entry_name == LEDGER {
            let mut tmp = tempfile::tempfile().map_err(|e| AppError::io(&name, e))?;
            std::io::copy(&mut entry, &mut tmp).map_err(|e| AppError::io(&name, e))?;
            tmp.rewind().map_err(|e| AppError::io(&name, e))?;
            ledger = Some(tmp);
        } else if let Some(sha) = entry_name.strip_prefix(EVIDENCE) {
            let mut bytes = Vec::new();
            (&mut entry)
                .take(max_file + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| bad(format!("{entry_name}：{e}")))?;
            if bytes.len() as u64 > max_file {
                return Err(StoreError::TooLarge {
                    size: entry.size(),
                    max: max_file,
                }
                .into());
            }
            if hex::encode(Sha256::digest(&bytes)) != sha {
                return Err(bad(format!(
                    "{entry_name}：文件内容与其名称中的 sha256 不符"
                )));
            }
            tx.put_blob(&bytes).await?;
        } else if !entry.is_dir() {
            return Err(bad(format!(
                "不认识的条目“{entry_name}”：压缩包只应含 {LEDGER} 和 {EVIDENCE}"
            )));
        }
    }
    let ledger = ledger.ok_or_else(|| bad(format!("压缩包中没有 {LEDGER}")))?;
    let ledger = ledger_json::Bytes::of_file(ledger, &name)?;
    ledger_json::import_into(tx.as_mut(), &format!("{name}:{LEDGER}"), ledger).await?;
    Ok(tx.commit().await?)
}
