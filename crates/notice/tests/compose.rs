//! A notice composed from a ledger reads back, through the parser, as the same tree: the
//! same categories, aspects, findings and measures in the same words, the same unit, team,
//! dates, kind and contact block.

use proptest::prelude::*;
use zhenggai_notice::compose::{clause, compose, Counts, NoticeDraft, NoticeKind};
use zhenggai_notice::render::{DraftAspect, DraftCategory, DraftFinding};
use zhenggai_notice::{parse_text, Kind, Notice};

/// Words that cannot form numbering, ordinals, quotes, sentence ends or section names.
const SAFE: &[char] = &[
    '党', '组', '学', '习', '制', '度', '执', '行', '监', '督', '管', '理', '财', '务', '落', '实',
    '责', '任', '干', '部', '会', '议', '资', '金', '项', '目', '检', '查', '治', '服', '规', '范',
    '台', '账', '清', '单', '审', '批', '采', '购', '公', '车', '津', '贴', '培', '训', '宣', '传',
];

fn words(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SAFE.to_vec()), min..max)
        .prop_map(|v| v.into_iter().collect())
}

fn draft(kind: NoticeKind, categories: Vec<DraftCategory>) -> NoticeDraft {
    NoticeDraft {
        kind,
        unit: "中共示例区水务局党组".into(),
        round: "示例区委第五轮巡察".into(),
        level: "巡察".into(),
        team: "示例区委第一巡察组".into(),
        inspection_start: "2024年3月4日".into(),
        inspection_end: "2024年5月10日".into(),
        feedback_date: "2024年6月18日".into(),
        as_of: "2024年12月20日".into(),
        counts: Counts {
            findings: 3,
            done: 1,
            basically_done: 1,
            not_done: 1,
            transferred: 0,
        },
        categories,
        contact: vec![
            ("联系电话".into(), "0551-6543210".into()),
            ("邮政信箱".into(), "示例区12号信箱".into()),
            ("邮政编码".into(), "230001".into()),
            ("电子邮箱".into(), "xcb@example.cn".into()),
        ],
    }
}

/// The tree the parser should give back: titles and measures as the composer writes them.
type Tree = (Vec<String>, Vec<String>, Vec<(String, Vec<String>)>);

/// The parser gives text back with full-width punctuation made plain (，→ ,) and a
/// heading's closing full stop dropped: the same words.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

fn heading(s: &str) -> String {
    plain(s.trim_end_matches('。'))
}

fn written(d: &NoticeDraft) -> Tree {
    let cats = d.categories.iter().map(|c| heading(&c.title)).collect();
    let asps = d
        .categories
        .iter()
        .flat_map(|c| c.aspects.iter().map(|a| heading(&a.title)))
        .collect();
    let findings = d
        .categories
        .iter()
        .flat_map(|c| c.aspects.iter().flat_map(|a| a.findings.iter()))
        .map(|f| {
            (
                plain(&f.title),
                f.measures.iter().map(|m| plain(&clause(m))).collect(),
            )
        })
        .collect();
    (cats, asps, findings)
}

fn read(n: &Notice) -> Tree {
    (
        n.categories.iter().map(|c| c.title.clone()).collect(),
        n.aspects.iter().map(|a| a.title.clone()).collect(),
        n.findings
            .iter()
            .map(|f| {
                (
                    f.title.clone(),
                    f.measures.iter().map(|m| m.text.clone()).collect(),
                )
            })
            .collect(),
    )
}

fn check(d: &NoticeDraft) -> Result<(), TestCaseError> {
    let text = compose(d).to_text();
    let n = parse_text(&text, "x.txt", "utf-8", "0");
    prop_assert_eq!(read(&n), written(d), "{}", text);
    prop_assert_eq!(n.unit.as_deref(), Some("中共示例区水务局党组"));
    prop_assert_eq!(n.inspector.as_deref(), Some("示例区委第一巡察组"));
    prop_assert_eq!(n.feedback_date.as_deref(), Some("2024-06-18"));
    prop_assert_eq!(n.published.as_deref(), Some("2024-12-20"));
    let period = n
        .inspection_period
        .as_ref()
        .map(|p| (p.start.as_str(), p.end.as_str()));
    prop_assert_eq!(period, Some(("2024-03-04", "2024-05-10")));
    let kind = match d.kind {
        NoticeKind::Progress => Kind::Progress,
        NoticeKind::Final => Kind::Final,
    };
    prop_assert_eq!(n.kind, kind);
    prop_assert_eq!(
        n.contact.get("phone").map(String::as_str),
        Some("0551-6543210")
    );
    prop_assert_eq!(
        n.contact.get("email").map(String::as_str),
        Some("xcb@example.cn")
    );
    prop_assert_eq!(
        n.contact.get("postcode").map(String::as_str),
        Some("230001")
    );
    Ok(())
}

#[test]
fn a_written_notice_reads_back() {
    let cats = vec![
        DraftCategory {
            title: "落实上级决策部署不到位".into(),
            aspects: vec![DraftAspect {
                title: "学习研究不深入。".into(),
                findings: vec![
                    DraftFinding {
                        title: "党组会议学习流于形式".into(),
                        measures: vec![
                            "修订党组理论学习中心组学习制度，明确每季度专题研讨不少于1次。".into(),
                            "2024年7月起逐月通报学习情况\n已通报5次".into(),
                        ],
                    },
                    DraftFinding {
                        title: "调研成果转化不够".into(),
                        measures: vec!["形成调研报告3篇，转化为制度措施2项".into()],
                    },
                ],
            }],
        },
        DraftCategory {
            title: "资金管理存在漏洞".into(),
            aspects: vec![DraftAspect {
                title: "工程款支付不规范".into(),
                findings: vec![DraftFinding {
                    title: "超进度支付工程款".into(),
                    measures: vec![
                        "追回超付资金12.5万元".into(),
                        "制定《工程款支付管理办法》".into(),
                        "对相关责任人进行诫勉谈话".into(),
                    ],
                }],
            }],
        },
    ];
    for kind in [NoticeKind::Progress, NoticeKind::Final] {
        if let Err(e) = check(&draft(kind, cats.clone())) {
            panic!("{e}");
        }
    }
}

fn categories() -> impl Strategy<Value = Vec<DraftCategory>> {
    let finding = (words(4, 16), prop::collection::vec(words(6, 30), 1..5))
        .prop_map(|(title, measures)| DraftFinding { title, measures });
    let aspect = (words(4, 16), prop::collection::vec(finding, 1..4))
        .prop_map(|(title, findings)| DraftAspect { title, findings });
    let category = (words(4, 16), prop::collection::vec(aspect, 1..4))
        .prop_map(|(title, aspects)| DraftCategory { title, aspects });
    prop::collection::vec(category, 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn composed_notices_read_back(cats in categories(), last in any::<bool>()) {
        let kind = if last { NoticeKind::Final } else { NoticeKind::Progress };
        check(&draft(kind, cats))?;
    }

    /// Whatever a ledger holds, composing never panics and every block is one line.
    #[test]
    fn any_text_composes_to_one_line_blocks(title in ".{0,40}", m in prop::collection::vec(".{0,60}", 0..4)) {
        let cats = vec![DraftCategory {
            title: title.clone(),
            aspects: vec![DraftAspect {
                title: title.clone(),
                findings: vec![DraftFinding { title, measures: m }],
            }],
        }];
        let doc = compose(&draft(NoticeKind::Progress, cats));
        for b in &doc.blocks {
            if let zhenggai_notice::document::Block::Paragraph(p) = b {
                prop_assert!(!p.contains('\n'), "{p:?}");
            }
        }
    }
}
