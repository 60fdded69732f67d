//! `zhenggai parse`: notices in, zhenggai.notice.v1 JSON out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use zhenggai_notice::Notice;
use zhenggai_store::Options;

use crate::args::ImportNotice;
use crate::commands::{open, operator};
use crate::outcome::{pipe_or_broken, say, Failure, Location, Outcome};

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

pub fn parse_files(files: &[PathBuf], pretty: bool) -> Outcome {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    for file in files {
        match read_notice(file) {
            Ok(notice) => {
                let written = if pretty {
                    serde_json::to_writer_pretty(&mut out, &notice)
                } else {
                    serde_json::to_writer(&mut out, &notice)
                };
                written
                    .map_err(std::io::Error::from)
                    .and_then(|_| writeln!(out))
                    .map_err(pipe_or_broken)?;
            }
            Err(message) => {
                eprintln!("错误：{message}");
                failed = true;
            }
        }
    }
    out.flush().map_err(pipe_or_broken)?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `zhenggai import-notice`: a dry run on a ledger that does not exist yet neither makes
/// nor opens one.
pub async fn import_notice(at: &Location, _data: &Path, args: ImportNotice) -> Outcome {
    let notice = read_notice(&args.file).map_err(|m| Failure::Refused(format!("错误：{m}")))?;
    let actor = operator(&args.actor);
    let store = if args.dry_run && at.missing() {
        None
    } else {
        Some(open(at, !args.dry_run, Options::default()).await?)
    };
    let text_sha256 = notice.source.sha256.clone();
    let result = zhenggai_app::notice_import::run(
        store.as_deref(),
        &actor,
        &notice,
        &text_sha256,
        &args.round,
        args.unit.as_deref(),
        args.dry_run,
    )
    .await;
    if let Some(s) = store {
        s.close().await;
    }
    say(format!("{}\n", result?))?;
    Ok(ExitCode::SUCCESS)
}
