//! The documents' timings for zhenggai-bench: the notice and the supervision notice of one
//! unit, and the statistics report with its charts, workbook and text.

use std::time::Instant;

use anyhow::Context;

use zhenggai_core::*;

use super::{d, feedback};

/// The notice (.docx and .txt) and the supervision notice of one generated unit: 45
/// findings of 3 measures with progress, the shape a county bureau's feedback has.
pub fn time_documents() -> anyhow::Result<()> {
    use zhenggai_app::notice_export::{self, NoticeFormat, NoticeOptions};
    use zhenggai_app::supervision::{self, SupervisionOptions};
    use zhenggai_notice::compose::NoticeKind;
    let fb = feedback(0);
    let round = Round {
        id: "r1".into(),
        name: "示例市委第一轮巡察".into(),
        level: RoundLevel::Inspection,
        kind: RoundKind::Routine,
        team: "示例市委第一巡察组".into(),
        inspection_start: d(-60),
        inspection_end: d(-20),
        feedback_date: d(0),
        policy: DeadlinePolicy::default(),
    };
    let unit = Unit {
        id: "u0".into(),
        name: "中共示例市某局党组".into(),
        contact: Contact {
            phone: "0551-1234567".into(),
            ..Contact::default()
        },
    };
    let runs = 200;
    let report = |what: &str, f: &mut dyn FnMut() -> anyhow::Result<usize>| -> anyhow::Result<()> {
        let mut times = Vec::with_capacity(runs);
        let mut size = 0;
        for _ in 0..runs {
            let t = Instant::now();
            size = f()?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / runs as f64;
        println!(
            "{what}: mean {mean:.2} ms, median {:.2} ms, worst {:.2} ms over {runs} ({} KiB)",
            times[runs / 2],
            times[runs - 1],
            size / 1024
        );
        Ok(())
    };
    for (what, format) in [
        ("notice .docx, 45 findings", NoticeFormat::Docx),
        ("notice .txt, 45 findings", NoticeFormat::Txt),
    ] {
        let options = NoticeOptions {
            kind: NoticeKind::Progress,
            public: true,
            format,
        };
        report(what, &mut || {
            Ok(notice_export::write(&round, &unit, &fb, options, d(180))?
                .bytes
                .len())
        })?;
    }
    let options = SupervisionOptions::default();
    report(
        "supervision notice .docx (built-in template filled)",
        &mut || {
            let fill = supervision::fill(&round, &unit, &fb, d(180), &options)
                .context("overdue findings")?;
            Ok(zhenggai_office::supervision::supervision_docx(None, &fill)?.len())
        },
    )?;
    Ok(())
}

/// The statistics of a round (or all rounds) as the round page and its downloads need
/// them: the report, the three charts, the workbook and the text.
pub async fn time_report(
    store: &dyn zhenggai_store::Store,
    me: &Actor,
    round: Option<&str>,
) -> anyhow::Result<()> {
    let t = Instant::now();
    let cpu = cpu_secs();
    let report = store.report(me, d(180), round).await?;
    let read = t.elapsed().as_secs_f64();
    let read_cpu = cpu_secs() - cpu;
    let t = Instant::now();
    let mut svg = 0;
    for (name, _) in zhenggai_office::charts::CHARTS {
        svg += zhenggai_office::charts::chart(name, &report).map_or(0, |s| s.len());
    }
    let charts = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let xlsx = zhenggai_office::stats_xlsx::workbook(&report)?;
    let text = zhenggai_office::stats_text::render(&report);
    let files = t.elapsed().as_secs_f64();
    println!(
        "report of {} ({} units, {} findings): read {:.3} s ({:.2} s CPU in this process), 3 charts {:.1} ms ({} KiB), workbook and text {:.3} s ({} KiB, {} KiB)",
        round.unwrap_or("all rounds"),
        report.units.len(),
        report.totals.findings,
        read,
        read_cpu,
        charts * 1000.0,
        svg / 1024,
        files,
        xlsx.len() / 1024,
        text.len() / 1024
    );
    Ok(())
}

/// CPU seconds this process has used (user and system), so that a figure taken on a
/// busy machine still says what the work costs.
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // The fields after the command name, which is in parentheses.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok());
            Some((ticks(11)? + ticks(12)?) / 100.0)
        })
        .unwrap_or(0.0)
}
