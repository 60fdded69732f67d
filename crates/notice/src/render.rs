//! A ledger written out as notice text in the standard layout: 一、category, 1.aspect,
//! (1)针对“finding”问题。一是…;二是…。 Parsing the result gives back the same structure.

use std::fmt::Write;

/// What a notice is written from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub unit: String,
    pub round: String,
    pub team: String,
    /// Chinese dates, e.g. 2022年3月29日.
    pub inspection_start: String,
    pub inspection_end: String,
    pub feedback_date: String,
    pub published: String,
    pub categories: Vec<DraftCategory>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftCategory {
    pub title: String,
    pub aspects: Vec<DraftAspect>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftAspect {
    pub title: String,
    pub findings: Vec<DraftFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftFinding {
    pub title: String,
    pub measures: Vec<String>,
}

pub const CN_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 12 → 十二, 35 → 三十五 (up to 99).
pub fn cn(n: usize) -> String {
    match n {
        0..=9 => CN_DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", CN_DIGITS[n % 10]),
        _ if n.is_multiple_of(10) => format!("{}十", CN_DIGITS[(n / 10) % 10]),
        _ => format!("{}十{}", CN_DIGITS[(n / 10) % 10], CN_DIGITS[n % 10]),
    }
}

pub fn render(d: &Draft) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}关于{}整改进展情况的通报\n", d.unit, d.round);
    let _ = writeln!(
        out,
        "{}至{},{}对{}开展了巡察。{},巡察组反馈了巡察意见。现将整改进展情况予以通报。\n",
        d.inspection_start, d.inspection_end, d.team, d.unit, d.feedback_date
    );
    let mut aspect_no = 0;
    let mut finding_no = 0;
    for (ci, c) in d.categories.iter().enumerate() {
        let _ = writeln!(out, "{}、{}\n", cn(ci + 1), c.title);
        for a in &c.aspects {
            aspect_no += 1;
            let _ = writeln!(out, "{aspect_no}.{}\n", a.title);
            for f in &a.findings {
                finding_no += 1;
                let measures = if f.measures.len() == 1 {
                    f.measures[0].clone()
                } else {
                    f.measures
                        .iter()
                        .enumerate()
                        .map(|(i, m)| format!("{}是{m}", cn(i + 1)))
                        .collect::<Vec<_>>()
                        .join(";")
                };
                let _ = writeln!(out, "({finding_no})针对“{}”问题。{measures}。\n", f.title);
            }
        }
    }
    out.push_str("欢迎广大干部群众对巡察整改落实情况进行监督。");
    if let Some(phone) = &d.contact_phone {
        let _ = write!(out, "联系电话:{phone}。");
    }
    let _ = writeln!(out, "\n\n{}", d.published);
    out
}
