//! The words of a progress or final notice written from a ledger: the title, the opening
//! (who inspected whom, when, when the feedback came, where the rectification stands), every
//! finding under its category and aspect with its measures as recorded, the invitation to
//! public supervision with the unit's contact block, and the signature. The wording of the
//! fixed sentences is ours; the parser reads it back to the same tree (tests/compose.rs).

use std::fmt::Write;

use crate::document::{Block, Document, Level};
use crate::render::{cn, DraftCategory};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// 整改进展情况的通报: while the rectification goes on.
    Progress,
    /// 整改情况的通报: when it is over.
    Final,
}

/// Where the findings listed stand, counted the way roll-ups count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub findings: usize,
    /// Signed off or long-term.
    pub done: usize,
    pub basically_done: usize,
    pub not_done: usize,
    pub transferred: usize,
}

/// What a notice is written from: everything already in the words it is printed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDraft {
    pub kind: NoticeKind,
    pub unit: String,
    /// The round's name, e.g. 示例市委第三轮巡察.
    pub round: String,
    /// 巡察 or 巡视.
    pub level: String,
    pub team: String,
    /// Chinese dates, e.g. 2022年3月29日.
    pub inspection_start: String,
    pub inspection_end: String,
    pub feedback_date: String,
    /// The day the notice speaks of and is dated.
    pub as_of: String,
    pub counts: Counts,
    pub categories: Vec<DraftCategory>,
    /// The contact block: (label, value) in the order printed, e.g. (联系电话, 0551-…).
    pub contact: Vec<(String, String)>,
}

impl NoticeDraft {
    /// The round's name as the title and opening use it: ending in 巡察 / 巡视.
    fn round_name(&self) -> String {
        if self.round.ends_with("巡察") || self.round.ends_with("巡视") {
            self.round.clone()
        } else {
            format!("{}{}", self.round, self.level)
        }
    }

    pub fn title(&self) -> String {
        let what = match self.kind {
            NoticeKind::Progress => "整改进展情况",
            NoticeKind::Final => "整改情况",
        };
        format!("{}关于{}{what}的通报", self.unit, self.round_name())
    }
}

/// The notice as a document.
pub fn compose(d: &NoticeDraft) -> Document {
    let mut blocks = Vec::with_capacity(4 + d.categories.len() * 8);
    blocks.push(Block::Paragraph(opening(d)));
    blocks.push(Block::Paragraph(standing(d)));
    let mut aspect_no = 0;
    let mut finding_no = 0;
    let mut category_no = 0;
    for c in &d.categories {
        if !c.title.trim().is_empty() {
            category_no += 1;
            blocks.push(Block::Heading {
                level: Level::First,
                number: format!("{}、", cn(category_no)),
                text: one_line(&c.title),
            });
        }
        for a in &c.aspects {
            if !a.title.trim().is_empty() {
                aspect_no += 1;
                blocks.push(Block::Heading {
                    level: Level::Third,
                    number: format!("{aspect_no}."),
                    text: one_line(&a.title),
                });
            }
            for f in &a.findings {
                finding_no += 1;
                blocks.push(Block::Paragraph(finding_paragraph(
                    finding_no,
                    &f.title,
                    &f.measures,
                )));
            }
        }
    }
    blocks.push(Block::Paragraph(closing(d)));
    blocks.push(Block::Signature {
        issuer: d.unit.clone(),
        date: d.as_of.clone(),
    });
    Document {
        title: d.title(),
        blocks,
    }
}

fn opening(d: &NoticeDraft) -> String {
    let what = match d.kind {
        NoticeKind::Progress => "整改进展情况",
        NoticeKind::Final => "整改情况",
    };
    format!(
        "{}至{}，{}对{}开展了{}。{}，{}向{}反馈了{}意见。根据党务公开和{}工作的有关规定，现将{}{what}通报如下。",
        d.inspection_start,
        d.inspection_end,
        d.team,
        d.unit,
        d.level,
        d.feedback_date,
        d.team,
        d.unit,
        d.level,
        d.level,
        d.level,
    )
}

/// Where the rectification stands, in figures.
fn standing(d: &NoticeDraft) -> String {
    let c = &d.counts;
    let mut s = format!(
        "{}把{}反馈问题的整改作为重要政治任务，逐条制定整改措施，明确责任领导、责任部门、责任人和整改时限，实行台账管理、逐项销号。截至{}，反馈的{}个问题中，已完成整改{}个，基本完成{}个，正在整改{}个",
        d.unit, d.level, d.as_of, c.findings, c.done, c.basically_done, c.not_done
    );
    if c.transferred > 0 {
        let _ = write!(s, "，移交有关部门处理{}个", c.transferred);
    }
    s.push('。');
    s
}

/// One finding: （n）针对“title”问题。一是…；二是…。 A single measure is written without
/// its ordinal. Each measure is one clause: its own line breaks and closing punctuation are
/// dropped so that the paragraph stays one paragraph.
fn finding_paragraph(n: usize, title: &str, measures: &[String]) -> String {
    let clauses: Vec<String> = measures
        .iter()
        .map(|m| clause(m))
        .filter(|m| !m.is_empty())
        .collect();
    let mut p = format!("（{n}）针对“{}”问题。", one_line(title));
    match clauses.len() {
        0 => {}
        1 => p.push_str(&clauses[0]),
        _ => {
            for (i, m) in clauses.iter().enumerate() {
                if i > 0 {
                    p.push('；');
                }
                let _ = write!(p, "{}是{m}", cn(i + 1));
            }
        }
    }
    if !clauses.is_empty() {
        p.push('。');
    }
    p
}

/// Text on one line: its lines trimmed and joined (a paragraph of a notice is one line).
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("")
}

/// Text as one clause: on one line, closing punctuation trimmed (the notice puts its own).
pub fn clause(text: &str) -> String {
    one_line(text)
        .trim_end_matches(['。', '；', ';', '，', ',', '、', ' ', '\u{3000}'])
        .trim()
        .to_string()
}

fn closing(d: &NoticeDraft) -> String {
    let mut s = format!(
        "欢迎广大干部群众对{}整改落实情况进行监督，如有意见建议，请及时向我们反映。",
        d.level
    );
    let fields: Vec<String> = d
        .contact
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(label, v)| format!("{label}：{}", clause(v)))
        .collect();
    if !fields.is_empty() {
        s.push_str(&fields.join("；"));
        s.push('。');
    }
    s
}
