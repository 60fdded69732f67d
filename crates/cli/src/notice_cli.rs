//! `zhenggai parse`: notices in, zhenggai.notice.v1 JSON out. Files are read as they are
//! named; directories are walked for notices (.txt, .docx, .html …) and parsed on all cores,
//! one line per file in a stable order (sorted paths).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use zhenggai_notice::{Notice, Reading};
use zhenggai_store::Options;

use crate::args::ImportNotice;
use crate::commands::{open, operator};
use crate::outcome::{pipe_or_broken, say, Failure, Location, Outcome};

/// The extensions a directory walk takes as notices; other files (annotations, images)
/// are left alone. Files named one by one are read whatever their extension.
const NOTICE_EXTENSIONS: &[&str] = &["txt", "text", "docx", "html", "htm", "xhtml"];

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Like `read_notice`, with what an importer checks: the lines that held undecodable bytes
/// and the digest of the decoded text (the same for the same notice in any encoding).
pub fn read_notice_file(path: &Path) -> Result<Reading, String> {
    read(path, true)
}

fn read(path: &Path, digest: bool) -> Result<Reading, String> {
    let name = path.display().to_string();
    with_bytes(path, !digest, |bytes| {
        zhenggai_app::notice_read::read(bytes, &name, digest).map_err(|e| e.to_string())
    })?
}

/// Files from this size on are mapped by `parse`.
const MAP_FROM: u64 = 1 << 20;

/// Runs `f` on a file's bytes. `map`: a large regular file is mapped instead of copied into
/// fresh memory (a 10 MB notice: 3,300 page faults fewer, 4–6 % of the run). Only `parse`
/// maps: a file cut short by another program while it is mapped would stop the process
/// with SIGBUS, harmless for a parse that writes nothing, not to be risked by an import.
fn with_bytes<R>(path: &Path, map: bool, f: impl FnOnce(&[u8]) -> R) -> Result<R, String> {
    let name = path.display().to_string();
    let unreadable = |e: std::io::Error| format!("{name}: 无法读取：{}", crate::outcome::io_zh(&e));
    if map {
        let file = std::fs::File::open(path).map_err(unreadable)?;
        let meta = file.metadata().map_err(unreadable)?;
        // Small files are read: unmapping one while another thread parses makes the kernel
        // interrupt that thread's CPU (a TLB shootdown), which cost a directory walk on two
        // cores as much CPU again as the parsing.
        let regular = meta.is_file() && meta.len() >= MAP_FROM;
        // SAFETY: the map is only read, and dropped before this function returns.
        if let Some(map) = regular
            .then(|| unsafe { memmap2::Mmap::map(&file) })
            .and_then(Result::ok)
        {
            return Ok(f(&map));
        }
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    Ok(f(&bytes))
}

/// A notice's JSON line written while it is parsed: each finding is written as soon as it
/// is read and then dropped, so that a large notice's findings reuse the same memory
/// (10 MB: 5,000 page faults fewer). Nothing is written when the input cannot be read:
/// that is known before the first finding.
fn stream_notice(path: &Path, out: &mut impl Write) -> Result<(), Failed> {
    let name = path.display().to_string();
    let mut stream = zhenggai_notice::json::Stream::new(&mut *out);
    let notice = with_bytes(path, true, |bytes| {
        zhenggai_app::notice_read::read_each(bytes, &name, |head, f| stream.finding(head, &f))
            .map_err(|e| e.to_string())
    })
    .and_then(|read| read)
    .map_err(Failed::Input)?;
    stream.finish(&notice).map_err(Failed::Output)?;
    out.write_all(b"\n").map_err(Failed::Output)
}

/// Why a file gave no JSON: its input (said on stderr, the others go on) or the output.
enum Failed {
    Input(String),
    Output(std::io::Error),
}

/// The files to parse: each file as named, each directory walked recursively for notices,
/// in sorted order. Symbolic links to directories are not followed (no loops). A directory
/// that cannot be read gives an error in place of its files.
fn collect(paths: &[PathBuf], walked: &mut bool) -> Vec<Result<PathBuf, String>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            *walked = true;
            walk(p, &mut out);
        } else {
            out.push(Ok(p.clone()));
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<Result<PathBuf, String>>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Err(format!("{}: 无法读取目录：{e}", dir.display())));
            return;
        }
    };
    let mut children: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    children.sort();
    for (path, is_dir) in children {
        if is_dir {
            walk(&path, out);
        } else if NOTICE_EXTENSIONS.contains(&extension(&path).as_str()) {
            out.push(Ok(path));
        }
    }
}

/// One file's output: its JSON line, or its error line.
type Line = Result<Vec<u8>, String>;

fn render(path: &Path, pretty: bool) -> Line {
    let mut line = Vec::with_capacity(4096);
    let failed = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    if pretty {
        let notice = read(path, false)?.notice;
        write_pretty(&mut line, &notice).map_err(|e| failed(&e))?;
    } else {
        stream_notice(path, &mut line).map_err(|e| match e {
            Failed::Input(message) => message,
            Failed::Output(e) => failed(&e),
        })?;
    }
    Ok(line)
}

/// Runs `f` on every item on `threads` threads and hands the results to `sink` in the
/// items' order. Workers take the next item as they finish one; results that arrive early
/// wait in a reorder buffer, and the channel's bound keeps workers from running far ahead
/// of the writer.
fn in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if threads <= 1 || items.len() <= 1 {
        return items.iter().try_for_each(|item| sink(f(item)));
    }
    let next = AtomicUsize::new(0);
    let (next, f) = (&next, &f);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, R)>(threads * 16);
        for _ in 0..threads.min(items.len()) {
            let tx = tx.clone();
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                // The writer has stopped (stdout closed): so do we.
                if tx.send((i, f(item))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut early = std::collections::BTreeMap::new();
        let mut wanted = 0;
        for (i, r) in rx {
            early.insert(i, r);
            while let Some(r) = early.remove(&wanted) {
                sink(r)?;
                wanted += 1;
            }
        }
        Ok(())
    })
}

/// Writes one notice's JSON, pretty, and a newline (the compact form is streamed:
/// `stream_notice`).
fn write_pretty(out: &mut impl Write, notice: &Notice) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(&mut *out, notice)?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// Standard output without its line buffer. `Stdout` looks for the last line end in every
/// write, and a large notice's JSON is one long line: that search was 1.4 % of a 10 MB
/// parse.
#[cfg(unix)]
fn stdout_unbuffered() -> Box<dyn Write> {
    use std::os::fd::AsFd;
    match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(std::fs::File::from(fd)),
        Err(_) => Box::new(std::io::stdout().lock()),
    }
}

#[cfg(not(unix))]
fn stdout_unbuffered() -> Box<dyn Write> {
    Box::new(std::io::stdout().lock())
}

/// One file: its JSON streamed to stdout, no copy in memory.
fn parse_one(path: &Path, pretty: bool) -> Outcome {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout_unbuffered());
    if pretty {
        let notice = match read(path, false) {
            Ok(reading) => reading.notice,
            Err(message) => {
                eprintln!("错误：{message}");
                return Ok(ExitCode::from(2));
            }
        };
        write_pretty(&mut out, &notice)
            .map_err(std::io::Error::from)
            .map_err(pipe_or_broken)?;
        // The process ends here: freeing a large notice's many small allocations one by
        // one would cost a tenth of the run for nothing.
        std::mem::forget(notice);
    } else {
        match stream_notice(path, &mut out) {
            Ok(()) => {}
            Err(Failed::Input(message)) => {
                eprintln!("错误：{message}");
                return Ok(ExitCode::from(2));
            }
            Err(Failed::Output(e)) => return Err(pipe_or_broken(e)),
        }
    }
    out.flush().map_err(pipe_or_broken)?;
    Ok(ExitCode::SUCCESS)
}

pub fn parse_files(paths: &[PathBuf], pretty: bool) -> Outcome {
    let mut walked = false;
    let files = collect(paths, &mut walked);
    if let [Ok(path)] = files.as_slice() {
        return parse_one(path, pretty);
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let bar = if walked && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 份 {elapsed} 剩余约{eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = false;
    in_order(
        &files,
        threads,
        |file| {
            let outcome: Line = match file {
                Ok(path) => render(path, pretty),
                Err(message) => Err(message.clone()),
            };
            bar.inc(1);
            outcome
        },
        |outcome| match outcome {
            Ok(line) => out.write_all(&line),
            Err(message) => {
                failed = true;
                bar.suspend(|| eprintln!("错误：{message}"));
                Ok(())
            }
        },
    )
    .map_err(pipe_or_broken)?;
    bar.finish_and_clear();
    out.flush().map_err(pipe_or_broken)?;
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `zhenggai import-notice`: refuses a damaged file unless told to go on, and on a dry
/// run with no ledger yet neither makes nor opens one.
pub async fn import_notice(at: &Location, _data: &Path, args: ImportNotice) -> Outcome {
    let reading =
        read_notice_file(&args.file).map_err(|m| Failure::Refused(format!("错误：{m}")))?;
    if !reading.damage.is_empty() && !args.allow_damaged {
        let lines: Vec<String> = reading.damage.iter().map(|d| d.line.to_string()).collect();
        return Err(Failure::Refused(format!(
            "错误：{}：第 {} 行有无法解码的字节，文件可能已损坏，未导入（确认内容无误可加 --allow-damaged）",
            args.file.display(),
            lines.join("、")
        )));
    }
    let actor = operator(&args.actor);
    let store = if args.dry_run && at.missing() {
        None
    } else {
        Some(open(at, !args.dry_run, Options::default()).await?)
    };
    let result = zhenggai_app::notice_import::run(
        store.as_deref(),
        &actor,
        &reading.notice,
        &reading.text_sha256,
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
