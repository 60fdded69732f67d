//! The parser on arbitrary input never panics and keeps its line numbers inside the text;
//! a ledger rendered as a notice parses back to the same structure.

use proptest::prelude::*;
use zhenggai_notice::render::{render, Draft, DraftAspect, DraftCategory, DraftFinding};
use zhenggai_notice::{parse, parse_text};

const FRAGMENTS: &[&str] = &[
    "一、",
    "二、",
    "(一)",
    "（二）",
    "1.",
    "2、",
    "(1)",
    "（2）",
    "①",
    "②",
    "问题1:",
    "针对“",
    "”问题。",
    "一是",
    "二是",
    "第一,",
    "《",
    "》",
    "〈",
    "2022年3月29日",
    "5月12日",
    "至",
    "反馈",
    "巡察组",
    "0.32万余个",
    "400万元",
    "98%以上",
    "约",
    "整改情况:",
    "电话:",
    "0553-1234567",
    "邮编:238300",
    "欢迎",
    "时间:2022-11-25",
    "\u{3000}",
    " ",
    "。",
    ";",
    "“",
    "‘",
    "\r",
    "关于",
    "的",
    "问题",
    "党组学习",
    "制度",
    "下一步工作打算",
    "主要做法",
    "1.5",
    "十二",
    "百",
    "é",
    "\u{0}",
    "\u{feff}",
];

fn notice_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::collection::vec(prop::sample::select(FRAGMENTS.to_vec()), 0..12)
            .prop_map(|v| v.concat()),
        0..40,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(n) = parse(&bytes, "x") {
            prop_assert_eq!(n.source.sha256.len(), 64);
        }
    }

    #[test]
    fn notice_like_lines_never_panic_and_lines_stay_inside(text in notice_like()) {
        let n = parse_text(&text, "x", "utf-8", "0");
        // CR, LF and CRLF all end a line of the decoded text.
        let lines = text.replace("\r\n", "\n").replace('\r', "\n").split('\n').count();
        for f in &n.findings {
            prop_assert!(f.line >= 1 && f.line <= lines);
            prop_assert!(!f.measures.is_empty());
            for m in &f.measures {
                prop_assert!(m.line >= 1 && m.line <= lines);
            }
            prop_assert!(f.category.is_none_or(|c| c < n.categories.len()));
            prop_assert!(f.aspect.is_none_or(|a| a < n.aspects.len()));
        }
        for w in &n.warnings {
            prop_assert!(w.line.is_none_or(|l| l >= 1 && l <= lines));
        }
    }
}

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

fn draft() -> impl Strategy<Value = Draft> {
    let finding = (words(4, 16), prop::collection::vec(words(6, 30), 1..5))
        .prop_map(|(title, measures)| DraftFinding { title, measures });
    let aspect = (words(4, 16), prop::collection::vec(finding, 1..4))
        .prop_map(|(title, findings)| DraftAspect { title, findings });
    let category = (words(4, 16), prop::collection::vec(aspect, 1..4))
        .prop_map(|(title, aspects)| DraftCategory { title, aspects });
    prop::collection::vec(category, 1..4).prop_map(|categories| Draft {
        unit: "中共示例局党组".into(),
        round: "示例市委第一轮巡察".into(),
        team: "示例市委第二巡察组".into(),
        inspection_start: "2023年3月1日".into(),
        inspection_end: "2023年4月30日".into(),
        feedback_date: "2023年6月5日".into(),
        published: "2023年12月1日".into(),
        categories,
        contact_phone: Some("0551-7654321".into()),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn rendered_ledgers_parse_back_to_the_same_structure(d in draft()) {
        let text = render(&d);
        let n = parse_text(&text, "x", "utf-8", "0");
        let cats: Vec<&str> = n.categories.iter().map(|c| c.title.as_str()).collect();
        let want: Vec<&str> = d.categories.iter().map(|c| c.title.as_str()).collect();
        prop_assert_eq!(cats, want);
        let asps: Vec<&str> = n.aspects.iter().map(|a| a.title.as_str()).collect();
        let want: Vec<&str> = d.categories.iter().flat_map(|c| c.aspects.iter().map(|a| a.title.as_str())).collect();
        prop_assert_eq!(asps, want);
        let findings: Vec<(&str, Vec<&str>)> = n.findings.iter().map(|f| (f.title.as_str(), f.measures.iter().map(|m| m.text.as_str()).collect())).collect();
        let want: Vec<(&str, Vec<&str>)> = d.categories.iter()
            .flat_map(|c| c.aspects.iter().flat_map(|a| a.findings.iter()))
            .map(|f| (f.title.as_str(), f.measures.iter().map(String::as_str).collect()))
            .collect();
        prop_assert_eq!(findings, want);
        prop_assert_eq!(n.feedback_date.as_deref(), Some("2023-06-05"));
        prop_assert_eq!(n.published.as_deref(), Some("2023-12-01"));
        prop_assert_eq!(n.unit.as_deref(), Some("中共示例局党组"));
        prop_assert_eq!(n.inspector.as_deref(), Some("示例市委第二巡察组"));
    }
}
