//! Benchmarks for docs/BENCHMARKS.md: generates a ledger of N units, imports it, and times
//! stats, verify, the read model's pages, single committed changes and units of work on
//! the backend a URL names.
//!
//! cargo run --release --bin zhenggai-bench -- --units 10000 --database sqlite:///tmp/b.db
//! With `--xlsx` (after the import): the Excel ledger's timings only (`bench_xlsx.rs`).

#[path = "bench/documents.rs"]
mod bench_documents;
#[path = "bench/writes.rs"]
mod bench_writes;
#[path = "bench/xlsx.rs"]
mod bench_xlsx;

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Parser;
use zhenggai_app::ledger_json;
use zhenggai_core::FindingCommandKind as C;
use zhenggai_core::FindingStatus as S;
use zhenggai_core::*;
use zhenggai_store::{FindingQuery, Options};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 10_000)]
    units: usize,
    #[arg(long)]
    database: String,
    /// Reuse this ledger file if it exists, else write it there.
    #[arg(long, default_value = "/tmp/zhenggai-bench-ledger.json")]
    ledger: std::path::PathBuf,
    /// Single committed changes to time (and as many changes again in units of ten).
    #[arg(long, default_value_t = 2_000)]
    appends: usize,
    /// Skip the import: time reads and writes on a database imported before.
    #[arg(long)]
    no_import: bool,
    /// Stop after the import (for profiling it).
    #[arg(long)]
    only_import: bool,
    /// Time the page reads only (no stats, verify or writes), on a database imported before.
    #[arg(long)]
    only_reads: bool,
    /// Time the Excel ledger only: the round's workbook and a 10,000-row import.
    #[arg(long)]
    xlsx: bool,
    /// Time the notice and the supervision notice of one 45-finding unit only (no
    /// database: `--database` is not opened).
    #[arg(long)]
    only_documents: bool,
    /// Time the statistics report with its charts and workbook only, on a database
    /// imported before.
    #[arg(long)]
    only_report: bool,
    /// Time the writes only, on a database imported before (for profiling them).
    #[arg(long)]
    only_writes: bool,
}

fn d(days: i64) -> Date {
    Date::ymd(2025, 5, 10).map_or(Date(chrono::NaiveDate::MIN), |x| x.add_days(days))
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

fn office() -> Actor {
    Actor::new("usr-office", "巡察办", Role::Office, Vec::<Id>::new())
        .unwrap_or_else(|_| Actor::operator("bench"))
}

fn editor(u: usize) -> Actor {
    Actor::new(
        format!("usr-editor-{u}"),
        "张三",
        Role::UnitEditor,
        [format!("u{u}")],
    )
    .unwrap_or_else(|_| Actor::operator("bench"))
}

fn transition(days: i64, who: &Actor, command: C, from: S, to: S) -> Transition {
    Transition {
        date: d(days),
        actor: who.name.clone(),
        actor_id: who.user_id.clone(),
        role: who.role,
        command,
        from,
        to,
        reason: String::new(),
        evidence: vec![],
    }
}

/// One unit's feedback: 3 categories × 3 aspects × 5 findings, 3 measures each, the plan
/// approved, progress on every measure and a status history that follows the rules (a
/// third of the findings closed with evidence).
fn feedback(u: usize) -> Feedback {
    let (office, editor) = (office(), editor(u));
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
                            finding(&fb, n, &office, &editor)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let step = |days, who: &Actor, action| PlanStep {
        date: d(days),
        actor: who.name.clone(),
        actor_id: who.user_id.clone(),
        role: who.role,
        action,
        reason: String::new(),
    };
    let lead = Actor::new(
        format!("usr-lead-{u}"),
        "李四",
        Role::UnitLead,
        [format!("u{u}")],
    )
    .unwrap_or_else(|_| Actor::operator("bench"));
    Feedback {
        id: fb,
        round_id: "r1".into(),
        unit_id: format!("u{u}"),
        date: d(0),
        plan: Plan {
            status: PlanStatus::Approved,
            history: vec![
                step(15, &lead, PlanAction::Submit),
                step(20, &office, PlanAction::Approve),
            ],
        },
        categories,
    }
}

fn finding(fb: &str, n: usize, office: &Actor, editor: &Actor) -> Finding {
    let fid = format!("{fb}.f{n}");
    let done = n.is_multiple_of(3);
    let measures = (0..3)
        .map(|m| Measure {
            id: format!("{fid}.m{m}"),
            text: "建立问题台账，逐项明确责任人和完成时限，按月调度推进情况并形成书面报告".into(),
            kind: MeasureKind::ByDeadline,
            lead: "分管副局长".into(),
            department: "办公室".into(),
            owner: "张三".into(),
            due: Some(d(60 + (n as i64 * 7 + m) % 200)),
            status: if done {
                MeasureStatus::Done
            } else {
                MeasureStatus::InProgress
            },
            long_term_reason: None,
            progress: vec![ProgressUpdate {
                id: "p1".into(),
                date: d(40),
                author: editor.name.clone(),
                author_id: editor.user_id.clone(),
                text: "已召开专题会议研究部署，完成问题清单梳理，正在逐项推进整改".into(),
            }],
            outcomes: if m == 0 && n.is_multiple_of(4) {
                vec![Outcome::Money {
                    kind: MoneyKind::Refunded,
                    fen: 120_000,
                }]
            } else {
                vec![]
            },
            extensions: vec![],
        })
        .collect();
    let mut transitions = vec![
        transition(20, office, C::ApprovePlan, S::Open, S::Planned),
        transition(21, editor, C::Start, S::Planned, S::InProgress),
    ];
    let mut evidence = vec![];
    if done {
        evidence.push(Evidence {
            id: "e1".into(),
            name: "整改佐证.pdf".into(),
            media_type: "application/pdf".into(),
            size: 204_800,
            sha256: "0f".repeat(32),
            description: "会议纪要和制度文件".into(),
            added_on: d(85),
            added_by: editor.name.clone(),
            added_by_id: editor.user_id.clone(),
        });
        transitions.push(transition(
            90,
            editor,
            C::RequestClosure,
            S::InProgress,
            S::ClosureRequested,
        ));
        transitions.push(transition(
            100,
            office,
            C::SignOff,
            S::ClosureRequested,
            S::Closed,
        ));
    }
    Finding {
        id: fid,
        title: "落实“三重一大”决策制度不严格，部分事项未经集体研究".into(),
        status: if done { S::Closed } else { S::InProgress },
        measures,
        evidence,
        transitions,
        lead: None,
        internal: false,
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
        let unit = Unit {
            id: format!("u{u}"),
            name: format!("被巡视单位{u}"),
            contact: Default::default(),
        };
        serde_json::to_writer(&mut w, &unit)?;
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

/// Mean and worst of `n` timed runs of `f`, in milliseconds.
async fn time_each<F, Fut>(n: usize, mut f: F) -> anyhow::Result<(f64, f64)>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut total = 0.0;
    let mut worst: f64 = 0.0;
    for i in 0..n {
        let t = Instant::now();
        f(i).await?;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        total += ms;
        worst = worst.max(ms);
    }
    Ok((total / n as f64, worst))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.only_documents {
        return bench_documents::time_documents();
    }
    let clock = Arc::new(ManualClock::new(d(120)));
    let options = || Options {
        clock: clock.clone(),
        ..Options::default()
    };
    let me = Actor::operator("bench");
    // The --only-* timings run on a database imported before.
    let imported = args.no_import || args.only_writes || args.only_reads || args.only_report;
    if !imported {
        if !args.ledger.exists() {
            let t = Instant::now();
            write_ledger(&args.ledger, args.units)?;
            eprintln!("generated {} in {:.1?}", args.ledger.display(), t.elapsed());
        }
        let size = std::fs::metadata(&args.ledger)?.len() as f64 / 1_048_576.0;
        // As `zhenggai import` does: a store of its own, the file's only user.
        let t = Instant::now();
        let store = zhenggai_store::open_with(
            &args.database,
            Options {
                sole_user: true,
                ..options()
            },
        )
        .await?;
        anyhow::ensure!(
            store.is_empty().await?,
            "the benchmark needs an empty database"
        );
        let summary = ledger_json::import_path(store.as_ref(), &me, &args.ledger, |_| {})
            .await
            .context("import")?;
        store.close().await;
        let import_s = t.elapsed().as_secs_f64();
        println!(
            "backend {}: import {size:.0} MiB, {} units, {} findings, {} measures, {} events in {import_s:.2} s ({:.1} MiB/s), peak RSS {:.0} MiB",
            store.backend(),
            summary.units,
            summary.findings,
            summary.measures,
            summary.events,
            size / import_s,
            peak_rss_mib()
        );
        if args.only_import {
            return Ok(());
        }
    }
    let store = zhenggai_store::open_with(&args.database, options()).await?;
    let store = store.as_ref();
    let units = args.units.max(1);
    let pick = |i: usize| (i * 7919) % units;
    if args.only_writes {
        bench_writes::run(store, args.appends, &pick, editor).await?;
        store.close().await;
        return Ok(());
    }
    if args.xlsx {
        bench_xlsx::run(store, &me, d(180), peak_rss_mib).await?;
        store.close().await;
        return Ok(());
    }

    if !args.only_reads {
        for round in [Some("r1"), None] {
            // Four times: each of the pool's connections has its own page cache to warm.
            for _ in 0..4 {
                bench_documents::time_report(store, &me, round).await?;
            }
        }
    }
    if args.only_report {
        store.close().await;
        return Ok(());
    }

    for _ in 0..2 {
        if args.only_reads {
            break;
        }
        let t = Instant::now();
        let stats = store.stats(&me, d(180)).await?;
        println!(
            "stats over {} units: {:.3} s",
            stats.len(),
            t.elapsed().as_secs_f64()
        );
    }

    if !args.only_reads {
        let t = Instant::now();
        let report = store.verify(None).await?;
        let secs = t.elapsed().as_secs_f64();
        anyhow::ensure!(report.broken.is_none(), "chain broken: {:?}", report.broken);
        println!(
            "verify: {} events and {} records in {secs:.1} s = {:.0} events/s, peak RSS {:.0} MiB",
            report.checked,
            report.records,
            report.checked as f64 / secs,
            peak_rss_mib()
        );
    }

    let (mean, worst) = time_each(200, |i| async move {
        let f = format!("fb{}.f{}", pick(i), 1 + i % 45);
        store.finding(&editor(pick(i)), &f).await?;
        Ok(())
    })
    .await?;
    println!("one finding (as its unit's editor): mean {mean:.2} ms, worst {worst:.2} ms over 200");
    let (mean, worst) = time_each(200, |i| async move {
        let q = FindingQuery {
            unit_id: Some(format!("u{}", pick(i))),
            status: Some(FindingStatus::InProgress),
            limit: 50,
            ..FindingQuery::default()
        };
        let page = store.findings(&office(), d(180), &q).await?;
        anyhow::ensure!(page.items.len() == 30, "{} lines", page.items.len());
        Ok(())
    })
    .await?;
    println!(
        "findings of a unit in progress (office): mean {mean:.2} ms, worst {worst:.2} ms over 200"
    );
    let (mean, worst) = time_each(50, |i| async move {
        let q = FindingQuery {
            round_id: Some("r1".into()),
            overdue: true,
            after: Some((pick(i) * 46) as i64),
            limit: 50,
            ..FindingQuery::default()
        };
        store.findings(&office(), d(180), &q).await?;
        Ok(())
    })
    .await?;
    println!("overdue findings of the round, a page of 50 (office): mean {mean:.2} ms, worst {worst:.2} ms over 50");
    let (mean, worst) = time_each(500, |i| async move {
        let q = FindingQuery {
            feedback_id: Some(format!("fb{}", pick(i))),
            limit: 50,
            ..FindingQuery::default()
        };
        let page = store.ledger(&editor(pick(i)), d(180), &q).await?;
        anyhow::ensure!(page.items.len() == 45, "{} lines", page.items.len());
        Ok(())
    })
    .await?;
    println!("a unit's ledger, 45 findings with their measures and titles (its editor): mean {mean:.2} ms, worst {worst:.2} ms over 500");
    if args.only_reads {
        store.close().await;
        return Ok(());
    }

    bench_writes::run(store, args.appends, &pick, editor).await?;
    store.close().await;
    Ok(())
}
