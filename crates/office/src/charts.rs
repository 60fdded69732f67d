//! Charts of a round's statistics as SVG drawn here, so that pages and downloads need no
//! script and no network: completion by unit, status by category, closures over time.
//! Chinese labels name CJK fonts first (Noto/Source Han on Linux, YaHei on Windows) so
//! that they render wherever the SVG is opened.

use std::fmt::Write;

use zhenggai_core::report::{percent, Report, Tally};
use zhenggai_core::stats::UnitStats;

const FONT: &str =
    "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif";
const WIDTH: f64 = 760.0;
const DONE: &str = "#2e7d32";
const BASIC: &str = "#9ccc65";
const NOT_DONE: &str = "#cfd8dc";
const TRANSFERRED: &str = "#8d6e63";
const INK: &str = "#263238";
/// Beyond this many units a bar each is unreadable: the chart shows how many units fall in
/// each tenth of completion instead.
pub const MAX_UNIT_BARS: usize = 40;

/// The charts a round page shows, by file name (without `.svg`) and title.
pub const CHARTS: [(&str, &str); 3] = [
    ("completion-by-unit", "各单位整改完成率"),
    ("status-by-category", "各类问题整改情况"),
    ("progress", "销号进度"),
];

/// The chart named `name` (one of `CHARTS`), or `None`.
pub fn chart(name: &str, report: &Report) -> Option<String> {
    match name {
        "completion-by-unit" => Some(completion_by_unit(&report.units)),
        "status-by-category" => Some(status_by_category(report)),
        "progress" => Some(progress(report)),
        _ => None,
    }
}

/// XML-escapes text for an attribute or an element.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// At most `n` characters, with an ellipsis when cut.
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn open(height: f64, title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{FONT}" font-size="13" role="img" aria-label="{t}"><title>{t}</title><rect width="{WIDTH}" height="{height}" fill="#fff"/><text x="16" y="26" font-size="16" font-weight="bold" fill="{INK}">{t}</text>"##,
        t = esc(title),
    );
    s
}

fn empty(title: &str) -> String {
    let mut s = open(90.0, title);
    let _ = write!(
        s,
        r##"<text x="16" y="64" fill="#78909c">暂无数据</text></svg>"##
    );
    s
}

/// One stacked bar of a tally at (x, y): done, basically done, not done, transferred.
fn stacked(s: &mut String, x: f64, y: f64, w: f64, h: f64, t: &Tally) {
    if t.findings <= 0 {
        return;
    }
    let mut at = x;
    for (n, colour, label) in [
        (t.done, DONE, "已完成"),
        (t.basically_done, BASIC, "基本完成"),
        (t.not_done, NOT_DONE, "未完成"),
        (t.transferred, TRANSFERRED, "移交"),
    ] {
        if n <= 0 {
            continue;
        }
        let part = w * n as f64 / t.findings as f64;
        let _ = write!(
            s,
            r#"<rect x="{at:.1}" y="{y:.1}" width="{part:.1}" height="{h:.1}" fill="{colour}"><title>{label} {n}</title></rect>"#
        );
        at += part;
    }
}

fn legend(s: &mut String, y: f64) {
    let mut x = 16.0;
    for (colour, label) in [
        (DONE, "已完成"),
        (BASIC, "基本完成"),
        (NOT_DONE, "未完成"),
        (TRANSFERRED, "移交"),
    ] {
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{}" width="12" height="12" fill="{colour}"/><text x="{}" y="{y}" fill="{INK}">{label}</text>"#,
            y - 10.0,
            x + 16.0
        );
        x += 96.0;
    }
}

/// A bar per unit, lowest completion first (those that need pressing lead); a histogram
/// of units by tenth of completion when there are more than `MAX_UNIT_BARS`.
pub fn completion_by_unit(units: &[UnitStats]) -> String {
    let title = "各单位整改完成率";
    if units.is_empty() {
        return empty(title);
    }
    if units.len() > MAX_UNIT_BARS {
        return completion_histogram(units);
    }
    let mut rows: Vec<(&UnitStats, Tally)> =
        units.iter().map(|u| (u, Tally::of(&u.by_status))).collect();
    rows.sort_by(|a, b| {
        a.1.completion_rate
            .total_cmp(&b.1.completion_rate)
            .then_with(|| a.0.unit.cmp(&b.0.unit))
    });
    let (left, bar_w, row_h) = (190.0, WIDTH - 190.0 - 90.0, 24.0);
    let height = 70.0 + row_h * rows.len() as f64 + 30.0;
    let mut s = open(height, title);
    legend(&mut s, 52.0);
    for (i, (u, t)) in rows.iter().enumerate() {
        let y = 66.0 + row_h * i as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end" fill="{INK}"><title>{}</title>{}</text>"#,
            left - 8.0,
            y + 15.0,
            esc(&u.unit),
            esc(&short(&u.unit, 12))
        );
        let _ = write!(
            s,
            r##"<rect x="{left}" y="{y:.1}" width="{bar_w}" height="18" fill="#f5f5f5"/>"##
        );
        stacked(&mut s, left, y, bar_w, 18.0, t);
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" fill="{INK}">{}（{}/{}）</text>"#,
            left + bar_w + 6.0,
            y + 14.0,
            percent(t.completion_rate),
            t.done,
            t.findings
        );
    }
    s.push_str("</svg>");
    s
}

fn completion_histogram(units: &[UnitStats]) -> String {
    let mut bands = [0usize; 10];
    for u in units {
        let rate = Tally::of(&u.by_status).completion_rate.clamp(0.0, 1.0);
        let i = ((rate * 10.0).floor() as usize).min(9);
        if let Some(b) = bands.get_mut(i) {
            *b += 1;
        }
    }
    let most = bands.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (left, bottom, plot_h, band_w) = (56.0, 300.0, 220.0, (WIDTH - 56.0 - 24.0) / 10.0);
    let mut s = open(
        350.0,
        &format!("各单位整改完成率分布（{}个单位）", units.len()),
    );
    for (i, n) in bands.iter().enumerate() {
        let h = plot_h * *n as f64 / most;
        let x = left + band_w * i as f64;
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="{DONE}"><title>{}0%–{}0%：{n}个单位</title></rect>"#,
            x + 4.0,
            bottom - h,
            band_w - 8.0,
            i,
            i + 1
        );
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{n}</text><text x="{:.1}" y="{}" text-anchor="middle" font-size="11" fill="{INK}">{}0–{}0%</text>"#,
            x + band_w / 2.0,
            bottom - h - 6.0,
            x + band_w / 2.0,
            bottom + 18.0,
            i,
            i + 1
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{bottom}" x2="{}" y2="{bottom}" stroke="{INK}"/><text x="16" y="{}" fill="{INK}" font-size="11">单位数</text></svg>"#,
        WIDTH - 24.0,
        bottom - plot_h - 10.0
    );
    s
}

/// A stacked bar per category title: done, basically done, not done, transferred.
pub fn status_by_category(report: &Report) -> String {
    let title = "各类问题整改情况";
    if report.categories.is_empty() {
        return empty(title);
    }
    let (left, bar_w, row_h) = (250.0, WIDTH - 250.0 - 90.0, 26.0);
    let height = 70.0 + row_h * report.categories.len() as f64 + 24.0;
    let mut s = open(height, title);
    legend(&mut s, 52.0);
    let most = report
        .categories
        .iter()
        .map(|c| c.by_status.values().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    for (i, c) in report.categories.iter().enumerate() {
        let t = Tally::of(&c.by_status);
        let y = 66.0 + row_h * i as f64;
        let w = bar_w * t.findings as f64 / most;
        let _ = write!(
            s,
            r#"<text x="{}" y="{:.1}" text-anchor="end" fill="{INK}"><title>{}</title>{}</text>"#,
            left - 8.0,
            y + 15.0,
            esc(&c.title),
            esc(&short(&c.title, 17))
        );
        stacked(&mut s, left, y, w, 18.0, &t);
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" fill="{INK}">{}/{}</text>"#,
            left + w + 6.0,
            y + 14.0,
            t.done,
            t.findings
        );
    }
    s.push_str("</svg>");
    s
}

/// Findings done, added up month by month, against all findings fed back.
pub fn progress(report: &Report) -> String {
    let title = "销号进度（累计已完成问题数）";
    let points = report.cumulative();
    if points.is_empty() {
        return empty(title);
    }
    let total = report.totals.findings.max(1) as f64;
    let (left, right, top, bottom) = (64.0, WIDTH - 30.0, 60.0, 290.0);
    let mut s = open(340.0, title);
    let x_of = |i: usize| {
        if points.len() == 1 {
            (left + right) / 2.0
        } else {
            left + (right - left) * i as f64 / (points.len() - 1) as f64
        }
    };
    let y_of = |n: i64| bottom - (bottom - top) * (n as f64 / total).min(1.0);
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" stroke="#b0bec5" stroke-dasharray="4 3"/><text x="{left}" y="{}" fill="#78909c" font-size="11">反馈问题 {} 个</text><line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/><line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{INK}"/><text x="{}" y="{}" text-anchor="end" font-size="11" fill="{INK}">0</text>"##,
        top - 4.0,
        report.totals.findings,
        left - 6.0,
        bottom + 4.0
    );
    let mut path = String::new();
    for (i, (_, n)) in points.iter().enumerate() {
        let _ = write!(
            path,
            "{}{:.1},{:.1}",
            if i == 0 { "M" } else { " L" },
            x_of(i),
            y_of(*n)
        );
    }
    let _ = write!(
        s,
        r#"<path d="{path}" fill="none" stroke="{DONE}" stroke-width="2.5"/>"#
    );
    // Label every month when few, else about eight evenly.
    let step = points.len().div_ceil(8).max(1);
    for (i, (month, n)) in points.iter().enumerate() {
        let (x, y) = (x_of(i), y_of(*n));
        let _ = write!(
            s,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="{DONE}"><title>{}：累计{n}个</title></circle>"#,
            esc(&month_zh(month))
        );
        if i % step == 0 || i + 1 == points.len() {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{INK}">{n}</text><text x="{x:.1}" y="{}" text-anchor="middle" font-size="11" fill="{INK}">{}</text>"#,
                y - 8.0,
                bottom + 18.0,
                esc(&month_zh(month))
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// 2025-06 → 2025年6月.
fn month_zh(m: &str) -> String {
    match m.split_once('-') {
        Some((y, mo)) => format!("{y}年{}月", mo.trim_start_matches('0')),
        None => m.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_cut() {
        assert_eq!(esc("<a&\"b'>\u{1}"), "&lt;a&amp;&quot;b&apos;&gt;");
        assert_eq!(short("一二三四五", 4), "一二三…");
        assert_eq!(short("一二三", 4), "一二三");
        assert_eq!(month_zh("2025-06"), "2025年6月");
    }
}
