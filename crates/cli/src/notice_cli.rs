//! `zhenggai parse`: notices in, zhenggai.notice.v1 JSON out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use zhenggai_notice::Notice;

/// Reads one notice file: .docx paragraphs and HTML text through their parsers, anything
/// else as text in whatever encoding it is in.
pub fn read_notice(path: &Path) -> Result<Notice, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: 无法读取：{e}"))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let sha = zhenggai_notice::sha256_hex(&bytes);
    let refused = |code: &str, e: &dyn std::fmt::Display| format!("{name}: {e}（{code}）");
    match ext.as_str() {
        "docx" => {
            let text = zhenggai_office::docx_text(&bytes).map_err(|e| refused(e.code(), &e))?;
            Ok(zhenggai_notice::parse_text(&text, &name, "docx", &sha))
        }
        "html" | "htm" | "xhtml" => {
            let decoded = zhenggai_notice::decode(&bytes).map_err(|e| refused(e.code(), &e))?;
            let text = zhenggai_office::html_text(&decoded.text);
            Ok(zhenggai_notice::parse_text(
                &text,
                &name,
                &decoded.encoding,
                &sha,
            ))
        }
        _ => zhenggai_notice::parse(&bytes, &name).map_err(|e| refused(e.code(), &e)),
    }
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
