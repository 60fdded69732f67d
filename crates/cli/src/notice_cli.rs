//! `zhenggai parse`: notices in, zhenggai.notice.v1 JSON out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use zhenggai_notice::Notice;

/// Reads one notice file. Text files are decoded by the notice library itself.
pub fn read_notice(path: &Path) -> Result<Notice, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: 无法读取：{e}"))?;
    zhenggai_notice::parse(&bytes, &name).map_err(|e| format!("{name}: {e}（{}）", e.code()))
}

pub fn parse_files(files: &[PathBuf], pretty: bool) -> anyhow::Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for file in files {
        match read_notice(file) {
            Ok(notice) => {
                if pretty {
                    serde_json::to_writer_pretty(&mut out, &notice)?;
                } else {
                    serde_json::to_writer(&mut out, &notice)?;
                }
                writeln!(out)?;
            }
            Err(message) => {
                eprintln!("错误：{message}");
                failed = true;
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
