//! The ledger's commands: init, demo, verify, export, import, stats, backup, restore.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use zhenggai_app::{backup, demo, evidence_zip, ledger_json};
use zhenggai_core::event::Anchor;
use zhenggai_core::{Actor, Clock, Date, ManualClock};
use zhenggai_store::{Options, Store, SystemClock};

use crate::outcome::{io_failure, pipe_or_broken, say, Failure, Location, Outcome};

/// Opens the store; `create` makes the data directory and an embedded database when they
/// do not exist yet, otherwise a missing one is refused and no file is made.
pub async fn open(
    at: &Location,
    create: bool,
    mut options: Options,
) -> Result<Box<dyn Store>, Failure> {
    options.max_file = at.max_file;
    if at.missing() {
        if !create {
            let file = at.sqlite_file.as_deref().unwrap_or(Path::new(""));
            return Err(Failure::Refused(format!(
                "错误：数据库 {} 不存在：先运行 zhenggai init 或 zhenggai demo",
                file.display()
            )));
        }
        if let Some(dir) = at
            .sqlite_file
            .as_deref()
            .and_then(Path::parent)
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| io_failure("无法创建数据目录", dir, &e))?;
        }
    }
    Ok(zhenggai_store::open_with(&at.url, options).await?)
}

pub fn operator(name: &str) -> Actor {
    Actor::operator(name)
}

pub async fn init(at: &Location, _data: &Path) -> Outcome {
    let store = open(at, true, Options::default()).await?;
    store.close().await;
    say(format!("数据库已就绪：{}\n", at.url))?;
    Ok(ExitCode::SUCCESS)
}

pub async fn demo(at: &Location, _data: &Path) -> Outcome {
    let clock = Arc::new(ManualClock::new(SystemClock.today()));
    let options = Options {
        clock: clock.clone(),
        ..Options::default()
    };
    let store = open(at, true, options).await?;
    if !store.is_empty().await? {
        store.close().await;
        return Err(Failure::Refused(
            "错误：数据库不是空的，演示账本只能写入空数据库（要重来请先删除数据目录）".into(),
        ));
    }
    let users = demo::fill(store.as_ref(), &clock).await?;
    let events = store.event_count().await?;
    store.close().await;
    let mut text = format!(
        "演示账本已写入：{} 个单位，{events} 个事件。\n演示账号（密码都是 {}）：\n",
        demo::PEOPLE
            .iter()
            .filter_map(|p| p.3.first())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        demo::PASSWORD
    );
    for u in &users {
        text.push_str(&format!(
            "  {:<12} {}（{}）\n",
            u.login,
            u.name,
            u.role.zh()
        ));
    }
    text.push_str("试试 zhenggai stats\n");
    say(text)?;
    Ok(ExitCode::SUCCESS)
}

pub async fn verify(at: &Location, anchor: Option<&str>) -> Outcome {
    let anchor = anchor
        .map(Anchor::parse)
        .transpose()
        .map_err(|m| Failure::Refused(format!("错误：{m}")))?;
    let store = open(at, false, Options::default()).await?;
    let report = store.verify(anchor.as_ref()).await?;
    store.close().await;
    match report.broken {
        None => {
            let anchored = anchor.map(|a| format!("，含锚点 {a}")).unwrap_or_default();
            say(format!(
                "事件链完整：已校验 {} 个事件、{} 条记录、{} 个文件{anchored}\n链头锚点（请另行保存）：{}\n",
                report.checked, report.records, report.files, report.head
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(b) => {
            say(format!(
                "事件链被破坏：{b}（此前 {} 个事件完好）\n",
                report.checked
            ))?;
            Ok(ExitCode::from(1))
        }
    }
}

pub async fn export(at: &Location, output: Option<PathBuf>, with_evidence: bool) -> Outcome {
    let store = open(at, false, Options::default()).await?;
    let actor = operator("命令行导出");
    match (output, with_evidence) {
        (None, true) => {
            return Err(Failure::Refused(
                "错误：--with-evidence 须用 -o 指定 zip 文件".into(),
            ))
        }
        (Some(path), true) => {
            let file =
                std::fs::File::create(&path).map_err(|e| io_failure("无法写入", &path, &e))?;
            let files =
                evidence_zip::export(store.as_ref(), &actor, std::io::BufWriter::new(file)).await?;
            eprintln!("已导出到 {}，含佐证文件 {files} 个", path.display());
        }
        (Some(path), false) => {
            let file =
                std::fs::File::create(&path).map_err(|e| io_failure("无法写入", &path, &e))?;
            let mut w = std::io::BufWriter::new(file);
            ledger_json::export(store.as_ref(), &actor, &mut w).await?;
        }
        (None, false) => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            match ledger_json::export(store.as_ref(), &actor, &mut w).await {
                Err(zhenggai_app::AppError::Io {
                    kind: std::io::ErrorKind::BrokenPipe,
                    ..
                }) => return Err(Failure::Pipe),
                other => other?,
            }
            w.flush().map_err(pipe_or_broken)?;
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn import(at: &Location, _data: &Path, file: &Path, actor: &str) -> Outcome {
    // Refused before the database is touched: a missing file leaves nothing behind.
    let meta = std::fs::metadata(file).map_err(|e| io_failure("无法读取", file, &e))?;
    if !meta.is_file() {
        return Err(Failure::Refused(format!(
            "错误：{} 不是文件",
            file.display()
        )));
    }
    // The command is the database's only user while it runs: an import into an empty
    // SQLite ledger then writes the file directly rather than through the log.
    let options = Options {
        sole_user: true,
        ..Options::default()
    };
    let store = open(at, true, options).await?;
    let actor = operator(actor);
    let is_zip = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let result = if is_zip {
        evidence_zip::import(store.as_ref(), &actor, file, at.max_file).await
    } else {
        let bar = progress_bar(meta.len());
        let counter = bar.clone();
        let r =
            ledger_json::import_path(store.as_ref(), &actor, file, move |n| counter.inc(n)).await;
        bar.finish_and_clear();
        r
    };
    store.close().await;
    let s = result?;
    say(format!(
        "导入完成：轮次 {}，单位 {}，反馈 {}，问题 {}，措施 {}，佐证文件 {}，已存在且相同 {}，事件 {}\n",
        s.rounds, s.units, s.feedbacks, s.findings, s.measures, s.evidence_files, s.unchanged, s.events
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// A progress bar on a terminal; nothing when stderr is piped.
fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} 已用 {elapsed} 剩余约 {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

pub async fn stats(at: &Location, args: crate::args::Stats) -> Outcome {
    use crate::args::StatsFormat;
    let today = match args.today.as_deref() {
        Some(t) => Date::parse(t).map_err(|m| Failure::Refused(format!("错误：--today：{m}")))?,
        None => SystemClock.today(),
    };
    let format = if args.json {
        StatsFormat::Json
    } else {
        args.format
    };
    if format == StatsFormat::Xlsx && args.output.is_none() {
        return Err(Failure::Refused(
            "错误：--format xlsx 须用 -o 指定输出文件".into(),
        ));
    }
    let store = open(at, false, Options::default()).await?;
    let report = store
        .report(&operator("命令行"), today, args.round.as_deref())
        .await;
    store.close().await;
    let report = report?;
    let bytes = match format {
        StatsFormat::Txt => zhenggai_office::stats_text::render(&report).into_bytes(),
        StatsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report)
                .map_err(|e| Failure::Broken(format!("错误：{e}")))?;
            text.push('\n');
            text.into_bytes()
        }
        StatsFormat::Xlsx => zhenggai_office::stats_xlsx::workbook(&report).map_err(|e| {
            tracing::error!("stats workbook: {e:?}");
            Failure::Broken(format!("错误：{e}"))
        })?,
    };
    match args.output {
        Some(path) => {
            std::fs::write(&path, &bytes).map_err(|e| io_failure("写入", &path, &e))?;
            say(format!("已写入 {}\n", path.display()))?;
        }
        None => say(String::from_utf8_lossy(&bytes))?,
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn backup(at: &Location, output: &Path) -> Outcome {
    if output.exists() {
        return Err(Failure::Refused(format!(
            "错误：{} 已存在，不覆盖",
            output.display()
        )));
    }
    let store = open(at, false, Options::default()).await?;
    let head = store.backup_to(output).await?;
    store.close().await;
    say(format!(
        "已备份到 {}\n备份时的链头锚点：{head}\n",
        output.display()
    ))?;
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(at: &Location, file: &Path, anchor: Option<&str>) -> Outcome {
    let anchor = anchor
        .map(Anchor::parse)
        .transpose()
        .map_err(|m| Failure::Refused(format!("错误：{m}")))?;
    let Some(target) = at.sqlite_file.as_deref() else {
        return Err(Failure::Refused(
            "错误：restore 只用于内置 SQLite 数据库；PostgreSQL 请用 pg_restore（见 README）"
                .into(),
        ));
    };
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io_failure("无法创建数据目录", dir, &e))?;
    }
    let report = backup::restore(file, target, anchor.as_ref()).await?;
    say(format!(
        "已恢复：{} 个事件、{} 条记录、{} 个文件校验无误，链头 {}\n",
        report.checked, report.records, report.files, report.head
    ))?;
    Ok(ExitCode::SUCCESS)
}
