//! `zhenggai export --format xlsx --round R [--unit U] -o F` and
//! `zhenggai import F.xlsx --round R --unit U`: the Excel ledger (整改台账).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use zhenggai_app::ledger_xlsx;
use zhenggai_core::{Clock, Date};
use zhenggai_store::{Options, SystemClock};

use crate::args::{Format, XlsxScope};
use crate::commands::{open, operator};
use crate::outcome::{io_failure, say, Failure, Location, Outcome};

/// A workbook larger than this is not a ledger a person keeps by hand.
const MAX_FILE: u64 = 64 * 1024 * 1024;

fn refused(m: &str) -> Failure {
    Failure::Refused(format!("错误：{m}"))
}

fn today(scope: &XlsxScope) -> Result<Date, Failure> {
    match scope.today.as_deref() {
        Some(t) => Date::parse(t).map_err(|m| refused(&format!("--today：{m}"))),
        None => Ok(SystemClock.today()),
    }
}

/// An import of an Excel ledger: a file named .xlsx, or any file with --round or --unit.
pub fn wanted(file: &Path, scope: &XlsxScope) -> bool {
    ledger_xlsx::is_workbook(&file.to_string_lossy())
        || scope.round.is_some()
        || scope.unit.is_some()
}

pub async fn export(
    at: &Location,
    format: Format,
    output: Option<PathBuf>,
    with_evidence: bool,
    scope: XlsxScope,
) -> Outcome {
    if !matches!(format, Format::Xlsx) {
        return Err(refused("--round 和 --unit 只用于 --format xlsx"));
    }
    if with_evidence {
        return Err(refused("--with-evidence 不能与 --format xlsx 同用"));
    }
    let Some(round) = scope.round.as_deref() else {
        return Err(refused("--format xlsx 须用 --round 指定巡察轮次"));
    };
    let Some(path) = output else {
        return Err(refused("--format xlsx 须用 -o 指定输出文件"));
    };
    let today = today(&scope)?;
    let store = open(at, false, Options::default()).await?;
    let actor = operator("命令行导出");
    let bytes =
        ledger_xlsx::export(store.as_ref(), &actor, round, scope.unit.as_deref(), today).await;
    store.close().await;
    let bytes = bytes?;
    std::fs::write(&path, &bytes).map_err(|e| io_failure("无法写入", &path, &e))?;
    say(format!("已写入 {}\n", path.display()))?;
    Ok(ExitCode::SUCCESS)
}

pub async fn import(at: &Location, file: &Path, actor: &str, scope: XlsxScope) -> Outcome {
    let (Some(round), Some(unit)) = (scope.round.as_deref(), scope.unit.as_deref()) else {
        return Err(refused(
            "导入 Excel 台账须用 --round 和 --unit 指定巡察轮次和单位",
        ));
    };
    let today = today(&scope)?;
    // Refused before the database is touched: a missing file leaves nothing behind.
    let meta = std::fs::metadata(file).map_err(|e| io_failure("无法读取", file, &e))?;
    if !meta.is_file() {
        return Err(refused(&format!("{} 不是文件", file.display())));
    }
    if meta.len() > MAX_FILE {
        return Err(refused(&format!(
            "{} 超过 {} MiB，不像一份台账",
            file.display(),
            MAX_FILE / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(file).map_err(|e| io_failure("无法读取", file, &e))?;
    let name = file.display().to_string();
    let store = open(at, false, Options::default()).await?;
    let actor = operator(actor);
    let result = async {
        let prepared =
            ledger_xlsx::prepare(store.as_ref(), &actor, &name, &bytes, round, unit, today).await?;
        let summary = ledger_xlsx::import(store.as_ref(), &actor, &name, &prepared).await?;
        Ok::<_, zhenggai_app::AppError>((prepared, summary))
    }
    .await;
    store.close().await;
    let (prepared, s) = result?;
    let mut text = ledger_xlsx::describe(&prepared);
    for w in &prepared.warnings {
        text.push_str(&format!("提示：{w}\n"));
    }
    text.push_str(&format!(
        "导入完成：反馈 {}，问题 {}，措施 {}，已存在且相同 {}，事件 {}\n",
        s.feedbacks, s.findings, s.measures, s.unchanged, s.events
    ));
    say(text)?;
    Ok(ExitCode::SUCCESS)
}
