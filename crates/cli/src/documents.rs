//! The documents written from the ledger: a unit's notice and the supervision notices of
//! a round.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use zhenggai_app::notice_export::{self, NoticeFormat, NoticeOptions};
use zhenggai_app::supervision::{self, SupervisionOptions};
use zhenggai_core::{Clock, Date, ManualClock};
use zhenggai_notice::compose::NoticeKind;
use zhenggai_store::{Options, SystemClock};

use crate::args::{NoticeArgs, SuperviseArgs};
use crate::commands::{open, operator};
use crate::outcome::{io_failure, say, Failure, Location, Outcome};

/// The day documents are dated and deadlines judged: `--today`, else today.
fn day(today: Option<&str>) -> Result<Options, Failure> {
    let today = match today {
        Some(t) => Date::parse(t).map_err(|m| Failure::Refused(format!("错误：--today：{m}")))?,
        None => SystemClock.today(),
    };
    Ok(Options {
        clock: Arc::new(ManualClock::new(today)),
        ..Options::default()
    })
}

pub async fn notice(at: &Location, args: NoticeArgs) -> Outcome {
    let options = NoticeOptions {
        kind: if args.final_notice {
            NoticeKind::Final
        } else {
            NoticeKind::Progress
        },
        public: args.public,
        format: match args.format {
            crate::args::NoticeFormat::Docx => NoticeFormat::Docx,
            crate::args::NoticeFormat::Txt => NoticeFormat::Txt,
        },
    };
    let store = open(at, false, day(args.today.as_deref())?).await?;
    let written = notice_export::notice(
        store.as_ref(),
        &operator("命令行"),
        &args.round,
        &args.unit,
        options,
    )
    .await;
    store.close().await;
    let written = written?;
    write(&args.output, &written.bytes)?;
    say(format!("已写入 {}\n", args.output.display()))?;
    Ok(ExitCode::SUCCESS)
}

pub async fn supervise(at: &Location, args: SuperviseArgs) -> Outcome {
    let template = match &args.template {
        Some(path) => Some(std::fs::read(path).map_err(|e| io_failure("读取", path, &e))?),
        None => None,
    };
    let options = SupervisionOptions {
        reply_working_days: args.reply_days,
        issuer: args.issuer.clone(),
        template,
    };
    let store = open(at, false, day(args.today.as_deref())?).await?;
    let docs = supervision::for_round(
        store.as_ref(),
        &operator("命令行"),
        &args.round,
        args.unit.as_deref(),
        &options,
    )
    .await;
    store.close().await;
    let docs = docs?;
    if docs.is_empty() {
        say("没有逾期（红色预警）的问题，未生成督办单。\n")?;
        return Ok(ExitCode::SUCCESS);
    }
    std::fs::create_dir_all(&args.output)
        .map_err(|e| io_failure("无法创建目录", &args.output, &e))?;
    let mut text = String::new();
    for d in &docs {
        let path = args.output.join(&d.file_name);
        write(&path, &d.bytes)?;
        text.push_str(&format!("已写入 {}\n", path.display()));
    }
    say(text)?;
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| io_failure("写入", path, &e))
}
