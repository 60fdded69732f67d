use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use zhenggai::{database_url, demo, ledger_json, notice_cli, notice_import, stats_view, Counting};
use zhenggai_core::Date;

/// 整改台账：巡视巡察整改的账本（zhenggai: the rectification ledger）
#[derive(Parser)]
#[command(name = "zhenggai", version)]
struct Cli {
    /// 数据目录，内置 SQLite 数据库放在这里（Data directory）
    #[arg(
        long,
        env = "ZHENGGAI_DATA",
        default_value = "./zhenggai-data",
        global = true
    )]
    data: PathBuf,
    /// 数据库地址 sqlite://文件 或 postgres://…，优先于 --data（Database URL）
    #[arg(long, env = "ZHENGGAI_DATABASE", global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// 解析已发布的整改通报，输出 zhenggai.notice.v1 JSON，每个文件一行；目录则递归解析其中所有通报（多核并行，按路径排序）
    Parse {
        /// 通报文件或目录
        #[arg(required = true, value_name = "FILE|DIR")]
        files: Vec<PathBuf>,
        /// 输出缩进排版的 JSON
        #[arg(long)]
        pretty: bool,
    },
    /// 把一份整改通报导入为某轮巡察对某单位的反馈（一个事务）
    ImportNotice {
        file: PathBuf,
        /// 巡察轮次名称；账本中没有时按通报新建
        #[arg(long)]
        round: String,
        /// 单位名称（默认取通报中的整改单位）
        #[arg(long)]
        unit: Option<String>,
        /// 只显示将要建立的结构，不写入
        #[arg(long)]
        dry_run: bool,
        /// 导入人，记入每个事件
        #[arg(long, default_value = "import")]
        actor: String,
    },
    /// 建立空数据库（每次启动也会自动升级结构）
    Init,
    /// 向空数据库写入演示账本
    Demo,
    /// 校验事件日志的哈希链
    Verify,
    /// 把整个账本导出为 zhenggai.ledger.v1 JSON 文档
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// 输出文件（缺省为标准输出）
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// 导入 zhenggai.ledger.v1 JSON 文档，要么全部导入，要么不导入
    Import {
        file: PathBuf,
        /// 导入人，记入每个事件
        #[arg(long, default_value = "import")]
        actor: String,
    },
    /// 按轮次和单位统计问题状态、逾期、预警、完成率和整改成效
    Stats {
        #[arg(long)]
        json: bool,
        /// 以哪一天计算逾期和预警（默认今天）
        #[arg(long)]
        today: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZHENGGAI_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx::query=error")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Parse { files, pretty } = &cli.command {
        return notice_cli::parse_files(files, *pretty);
    }
    let url = database_url(cli.database.as_deref(), &cli.data)?;
    let store = zhenggai_store::open(&url).await?;
    let store = store.as_ref();
    let code = match cli.command {
        Command::Parse { .. } => ExitCode::SUCCESS,
        Command::ImportNotice {
            file,
            round,
            unit,
            dry_run,
            actor,
        } => {
            let notice = match notice_cli::read_notice(&file) {
                Ok(n) => n,
                Err(message) => {
                    eprintln!("错误：{message}");
                    return Ok(ExitCode::from(1));
                }
            };
            match notice_import::run(store, &notice, &round, unit.as_deref(), dry_run, &actor).await
            {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("导入失败：{e:#}\n数据库未作任何改动。");
                    ExitCode::from(1)
                }
            }
        }
        Command::Init => {
            println!("数据库已就绪：{url}");
            ExitCode::SUCCESS
        }
        Command::Demo => {
            if !store.is_empty().await? {
                bail!("数据库不是空的，演示账本只能写入空数据库");
            }
            demo::fill(store).await?;
            println!(
                "演示账本已写入：{} 个单位，{} 个事件。试试 zhenggai stats",
                store.units().await?.len(),
                store.event_count().await?
            );
            ExitCode::SUCCESS
        }
        Command::Verify => {
            let report = store.verify().await?;
            match report.broken {
                None => {
                    println!("事件链完整：已校验 {} 个事件", report.checked);
                    ExitCode::SUCCESS
                }
                Some((seq, why)) => {
                    println!(
                        "事件链被破坏：第 {seq} 号事件不符：{why}（此前 {} 个事件完好）",
                        report.checked
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Export {
            format: Format::Json,
            output,
        } => {
            match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("无法写入 {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(file);
                    ledger_json::export(store, &mut w).await?;
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    ledger_json::export(store, &mut w).await?;
                }
            }
            ExitCode::SUCCESS
        }
        Command::Import { file, actor } => {
            let name = file.display().to_string();
            let f = std::fs::File::open(&file).with_context(|| format!("无法打开 {name}"))?;
            let len = f.metadata().map(|m| m.len()).unwrap_or(0);
            let bar = indicatif::ProgressBar::new(len);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {elapsed} 剩余约{eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let reader = Counting {
                inner: f,
                bar: bar.clone(),
            };
            let result = ledger_json::import(store, &name, reader, &actor).await;
            bar.finish_and_clear();
            match result {
                Ok(s) => {
                    println!(
                        "导入完成：轮次 {}，单位 {}，反馈 {}，问题 {}，措施 {}，已存在且相同 {}，事件 {}",
                        s.rounds, s.units, s.feedbacks, s.findings, s.measures, s.unchanged, s.events
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("导入失败（{}）：{e}\n数据库未作任何改动。", e.code());
                    ExitCode::from(1)
                }
            }
        }
        Command::Stats { json, today } => {
            let today = match today {
                Some(t) => Date::parse(&t).map_err(anyhow::Error::msg)?,
                None => Date(chrono::Local::now().date_naive()),
            };
            let stats = store.stats(today).await?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &stats)?;
                writeln!(out)?;
            } else {
                write!(out, "{}", stats_view::render(&stats))?;
            }
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}
