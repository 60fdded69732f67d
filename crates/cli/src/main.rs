use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use zhenggai::{database_url, demo, ledger_json, notice_cli, notice_import, stats_view, Counting};
use zhenggai_core::Date;

/// 整改台账：巡视巡察整改的账本。
#[derive(Parser)]
#[command(name = "zhenggai", version, about)]
struct Cli {
    /// Data directory holding the embedded SQLite database.
    #[arg(
        long,
        env = "ZHENGGAI_DATA",
        default_value = "./zhenggai-data",
        global = true
    )]
    data: PathBuf,
    /// Database URL (sqlite://FILE or postgres://…); overrides --data.
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
    /// Parse published notices into zhenggai.notice.v1 JSON (one object per line).
    Parse {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Indented JSON for people.
        #[arg(long)]
        pretty: bool,
    },
    /// Import a published notice as a round's feedback to a unit, in one transaction.
    ImportNotice {
        file: PathBuf,
        /// The round's name; created from the notice when the ledger has no such round.
        #[arg(long)]
        round: String,
        /// The unit's name (default: the rectifying organisation the notice names).
        #[arg(long)]
        unit: Option<String>,
        /// Show the tree that would be created and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, default_value = "import")]
        actor: String,
    },
    /// Create an empty database (migrations also run on every start).
    Init,
    /// Fill an empty database with a demo ledger.
    Demo,
    /// Check the hash chain of the event log.
    Verify,
    /// Write the whole ledger as one zhenggai.ledger.v1 JSON document.
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// Output file (standard output when absent).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Import a zhenggai.ledger.v1 JSON document, all or nothing.
    Import {
        file: PathBuf,
        /// Who is importing, recorded on every event.
        #[arg(long, default_value = "import")]
        actor: String,
    },
    /// Findings by status, overdue, completion and outcomes per round and unit.
    Stats {
        #[arg(long)]
        json: bool,
        /// The day to compute overdue against (default: today).
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
