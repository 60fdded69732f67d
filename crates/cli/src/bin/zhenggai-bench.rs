//! Benchmarks for docs/BENCHMARKS.md: generates a province-scale ledger, imports it, and
//! times stats, verify and single committed changes on the backend a URL names.
//!
//! cargo run --release --bin zhenggai-bench -- --units 10000 --database sqlite:///tmp/b.db

use std::io::Write;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use zhenggai::ledger_json;
use zhenggai_core::*;
use zhenggai_store::Change;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 10_000)]
    units: usize,
    #[arg(long)]
    database: String,
    /// Reuse this ledger file if it exists, else write it there.
    #[arg(long, default_value = "/tmp/zhenggai-bench-ledger.json")]
    ledger: std::path::PathBuf,
    /// Single committed changes to time.
    #[arg(long, default_value_t = 2_000)]
    appends: usize,
}

fn d(days: i64) -> Date {
    Date::ymd(2025, 5, 10)
        .map(|x| x.add_days(days))
        .unwrap_or(Date(chrono::NaiveDate::MIN))
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn transition(
    days: i64,
    actor: &str,
    role: Role,
    command: FindingCommandKind,
    from: FindingStatus,
    to: FindingStatus,
) -> Transition {
    Transition {
        date: d(days),
        actor: actor.into(),
        role,
        command,
        from,
        to,
        reason: String::new(),
        evidence: vec![],
    }
}

/// One unit's feedback: 3 categories × 3 aspects × 5 findings, 3 measures each, with
/// progress on every measure and a status history that follows the rules.
fn feedback(u: usize) -> Feedback {
    use FindingCommandKind as C;
    use FindingStatus as S;
    let fb = format!("fb{u}");
    let mut n = 0;
    let categories = (0..3)
        .map(|c| Category {
            id: format!("{fb}.c{c}"),
            title: format!("第{c}方面：履行主体责任不到位"),
            aspects: (0..3)
                .map(|a| Aspect {
                    id: format!("{fb}.c{c}.a{a}"),
                    title: "制度执行不严格，监督检查不到位".into(),
                    findings: (0..5)
                        .map(|_| {
                            n += 1;
                            let fid = format!("{fb}.f{n}");
                            let done = n % 3 == 0;
                            let measures = (0..3)
                                .map(|m| Measure {
                                    id: format!("{fid}.m{m}"),
                                    text: "建立问题台账，逐项明确责任人和完成时限，按月调度推进情况并形成书面报告".into(),
                                    kind: MeasureKind::ByDeadline,
                                    lead: "分管副局长".into(),
                                    department: "办公室".into(),
                                    owner: "张三".into(),
                                    due: Some(d(60 + (n as i64 * 7 + m) % 200)),
                                    status: if done { MeasureStatus::Done } else { MeasureStatus::InProgress },
                                    long_term_reason: None,
                                    progress: vec![ProgressUpdate {
                                        id: format!("{fid}.m{m}.p0"),
                                        date: d(40),
                                        author: "张三".into(),
                                        text: "已召开专题会议研究部署，完成问题清单梳理，正在逐项推进整改".into(),
                                    }],
                                    outcomes: if m == 0 && n % 4 == 0 {
                                        vec![Outcome::Money { kind: MoneyKind::Refunded, fen: 120_000 }]
                                    } else {
                                        vec![]
                                    },
                                    extensions: vec![],
                                })
                                .collect();
                            let mut transitions = vec![
                                transition(20, "巡察办", Role::Office, C::ApprovePlan, S::Open, S::Planned),
                                transition(21, "张三", Role::UnitEditor, C::Start, S::Planned, S::InProgress),
                            ];
                            let mut evidence = vec![];
                            if done {
                                evidence.push(Evidence {
                                    id: format!("{fid}.e0"),
                                    name: "整改佐证.pdf".into(),
                                    media_type: "application/pdf".into(),
                                    size: 204_800,
                                    sha256: "0f".repeat(32),
                                    description: "会议纪要和制度文件".into(),
                                });
                                transitions.push(transition(90, "张三", Role::UnitEditor, C::RequestClosure, S::InProgress, S::ClosureRequested));
                                transitions.push(transition(100, "巡察办", Role::Office, C::SignOff, S::ClosureRequested, S::Closed));
                            }
                            Finding {
                                id: fid,
                                title: "落实“三重一大”决策制度不严格，部分事项未经集体研究".into(),
                                status: if done { S::Closed } else { S::InProgress },
                                measures,
                                evidence,
                                transitions,
                                lead: None,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Feedback {
        id: fb,
        round_id: "r1".into(),
        unit_id: format!("u{u}"),
        date: d(0),
        categories,
    }
}

fn write_ledger(path: &std::path::Path, units: usize) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let round = Round {
        id: "r1".into(),
        name: "某省委第一轮巡视".into(),
        level: RoundLevel::Tour,
        kind: RoundKind::Routine,
        team: "某省委巡视组".into(),
        inspection_start: d(-90),
        inspection_end: d(-30),
        feedback_date: d(0),
        policy: DeadlinePolicy::default(),
    };
    write!(w, "{{\"format\":\"{}\",\"rounds\":[", ledger_json::FORMAT)?;
    serde_json::to_writer(&mut w, &round)?;
    write!(w, "],\"units\":[")?;
    for u in 0..units {
        if u > 0 {
            write!(w, ",")?;
        }
        serde_json::to_writer(
            &mut w,
            &Unit {
                id: format!("u{u}"),
                name: format!("被巡视单位{u}"),
            },
        )?;
    }
    write!(w, "],\"feedbacks\":[")?;
    for u in 0..units {
        writeln!(w, "{}", if u > 0 { "," } else { "" })?;
        serde_json::to_writer(&mut w, &feedback(u))?;
    }
    writeln!(w, "]}}")?;
    w.flush()?;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !args.ledger.exists() {
        let t = Instant::now();
        write_ledger(&args.ledger, args.units)?;
        eprintln!("generated {} in {:.1?}", args.ledger.display(), t.elapsed());
    }
    let size = std::fs::metadata(&args.ledger)?.len();
    let store = zhenggai_store::open(&args.database).await?;
    let store = store.as_ref();
    anyhow::ensure!(
        store.is_empty().await?,
        "the benchmark needs an empty database"
    );

    let t = Instant::now();
    let file = std::fs::File::open(&args.ledger)?;
    let summary = ledger_json::import(store, "ledger.json", file, "bench")
        .await
        .context("import")?;
    let import_s = t.elapsed().as_secs_f64();
    let rss = peak_rss_mib();
    println!(
        "backend {}: import {:.0} MiB, {} units, {} findings, {} measures, {} events in {import_s:.1} s ({:.1} MiB/s), peak RSS {rss:.0} MiB",
        store.backend(),
        size as f64 / 1048576.0,
        summary.units,
        summary.findings,
        summary.measures,
        summary.events,
        size as f64 / 1048576.0 / import_s
    );

    for _ in 0..2 {
        let t = Instant::now();
        let stats = store.stats(d(180)).await?;
        println!(
            "stats over {} units: {:.3} s",
            stats.len(),
            t.elapsed().as_secs_f64()
        );
    }

    let t = Instant::now();
    let report = store.verify().await?;
    let secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(report.broken.is_none(), "chain broken: {:?}", report.broken);
    println!(
        "verify: {} events in {secs:.1} s = {:.0} events/s",
        report.checked,
        report.checked as f64 / secs
    );

    let editor = Actor::new("张三", Role::UnitEditor);
    let t = Instant::now();
    for i in 0..args.appends {
        let change = Change::AddProgress {
            measure_id: format!("fb{}.f1.m0", i % args.units.max(1)),
            update: ProgressUpdate {
                id: format!("bench-p{i}"),
                date: d(120),
                author: "张三".into(),
                text: "按计划推进".into(),
            },
        };
        store.apply(&editor, d(120), change).await?;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "single committed changes: {} in {secs:.2} s = {:.0}/s",
        args.appends,
        args.appends as f64 / secs
    );
    store.close().await;
    Ok(())
}
