//! The commands of the `zhenggai` binary, composed from the libraries. Kept in a library
//! so that tests and the benchmark binary call exactly what the command line calls.

pub mod demo;
pub mod ledger_json;
pub mod notice_cli;
pub mod notice_import;
pub mod stats_view;

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The database URL from `--database`, or the SQLite file inside the data directory.
pub fn database_url(database: Option<&str>, data: &Path) -> anyhow::Result<String> {
    if let Some(url) = database {
        return Ok(url.to_string());
    }
    std::fs::create_dir_all(data)
        .with_context(|| format!("无法创建数据目录 {}", data.display()))?;
    let file: PathBuf = data.join("zhenggai.db");
    Ok(format!("sqlite://{}", file.display()))
}

/// A reader that reports how many bytes have gone through it, for the progress bar.
pub struct Counting<R> {
    pub inner: R,
    pub bar: indicatif::ProgressBar,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}
