//! The statistics as plain text for people: the sentence an office publishes, then the
//! figures by unit, by category and by month (`zhenggai stats` and the page's download).

use std::fmt::Write;

use zhenggai_core::report::{outcome_figures, percent, Report, Tally};
use zhenggai_core::stats::UnitStats;
use zhenggai_core::FindingStatus;

fn tally(t: &Tally) -> String {
    let mut s = format!("问题{}个，已完成{}个", t.findings, t.done);
    if t.basically_done > 0 {
        let _ = write!(s, "，基本完成{}个", t.basically_done);
    }
    let _ = write!(s, "，未完成{}个", t.not_done);
    if t.transferred > 0 {
        let _ = write!(s, "，移交{}个", t.transferred);
    }
    let _ = write!(s, "，完成率{}", percent(t.completion_rate));
    s
}

fn unit(out: &mut String, s: &UnitStats) {
    let statuses: Vec<String> = FindingStatus::ALL
        .iter()
        .filter_map(|st| s.by_status.get(st).map(|n| format!("{}{}", st.zh(), n)))
        .collect();
    let _ = writeln!(
        out,
        "  {}：{}（{}），逾期{}个",
        s.unit,
        tally(&Tally::of(&s.by_status)),
        statuses.join("、"),
        s.overdue
    );
    let w = &s.warnings;
    if w.red + w.yellow + w.green > 0 {
        let _ = writeln!(
            out,
            "    预警：红色{}个，黄色{}个，绿色{}个",
            w.red, w.yellow, w.green
        );
    }
    let parts: Vec<String> = outcome_figures(&s.outcomes)
        .into_iter()
        .map(|(label, figure)| format!("{label}{figure}"))
        .collect();
    if !parts.is_empty() {
        let _ = writeln!(out, "    成效：{}", parts.join("，"));
    }
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    if r.units.is_empty() {
        out.push_str("账本中还没有数据。\n");
        return out;
    }
    let _ = writeln!(out, "{}\n", r.paragraph());
    let _ = writeln!(out, "按单位：");
    let mut round = None;
    for s in &r.units {
        if r.round.is_none() && round != Some(&s.round_id) {
            let _ = writeln!(out, "【{}】", s.round);
            round = Some(&s.round_id);
        }
        unit(&mut out, s);
    }
    if !r.categories.is_empty() {
        let _ = writeln!(out, "\n按问题类别：");
        for c in &r.categories {
            let _ = writeln!(out, "  {}：{}", c.title, tally(&Tally::of(&c.by_status)));
        }
    }
    if !r.months.is_empty() {
        let _ = writeln!(out, "\n按月完成（销号或转为长期坚持）：");
        for (m, (_, total)) in r.months.iter().zip(r.cumulative()) {
            let _ = writeln!(out, "  {}：{}个，累计{}个", m.month, m.closed, total);
        }
    }
    out
}
