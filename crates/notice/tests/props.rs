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
            // A feedback problem is stated, not answered: only it may have no measures.
            prop_assert!(!f.measures.is_empty() || n.kind == zhenggai_notice::Kind::Feedback);
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

/// Notice-like text in Chinese, long enough for encoding detection to have evidence.
fn chinese_notice() -> impl Strategy<Value = String> {
    prop::collection::vec(words(8, 40), 3..12).prop_map(|lines| {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("({})针对“{l}”问题。一是整改;二是落实。", i + 1))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// One damaged byte, or a cut anywhere, in a GB18030 notice: still read as GB18030,
    /// with the damaged line named, and the rest of the text intact.
    #[test]
    fn damaged_gbk_stays_gbk(text in chinese_notice(), at in any::<prop::sample::Index>(), cut in any::<bool>()) {
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        let mut bytes = gb.to_vec();
        let i = at.index(bytes.len());
        if cut {
            bytes.truncate(i.max(1));
        } else {
            bytes[i] = 0xff;
        }
        let Ok(d) = zhenggai_notice::decode(&bytes) else {
            // A cut that leaves almost nothing may be refused; it must not panic.
            return Ok(());
        };
        if bytes.len() > 64 {
            prop_assert_eq!(&d.encoding, "gb18030");
        }
        let lines = d.text.split('\n').count();
        for damage in &d.damage {
            prop_assert!(damage.line >= 1 && damage.line <= lines);
            prop_assert!(damage.bytes >= 1);
        }
        // The lines before the damage (and, after a cut, before the last) read as written.
        let whole = if cut { lines - 1 } else { lines };
        let first = d.damage.first().map_or(whole, |x| (x.line - 1).min(whole));
        for (got, want) in d.text.split('\n').zip(text.split('\n')).take(first) {
            prop_assert_eq!(got, want);
        }
    }

    /// The same text in any encoding has one digest.
    #[test]
    fn one_digest_per_text(text in chinese_notice()) {
        let (gb, _, _) = encoding_rs::GB18030.encode(&text);
        let mut utf16: Vec<u8> = vec![0xff, 0xfe];
        utf16.extend(text.replace('\n', "\r\n").encode_utf16().flat_map(|u| u.to_le_bytes()));
        let a = zhenggai_notice::read(text.as_bytes(), "a").map(|r| r.text_sha256);
        let b = zhenggai_notice::read(&gb, "b").map(|r| r.text_sha256);
        let c = zhenggai_notice::read(&utf16, "c").map(|r| r.text_sha256);
        prop_assert!(a.is_ok());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(&a, &c);
    }

    /// Money and due dates on any text: no panic, amounts not negative, dates valid.
    #[test]
    fn money_and_due_on_any_text(text in notice_like(), year in prop::option::of(1990i32..2100)) {
        for m in zhenggai_notice::money(&text) {
            prop_assert!(m.yuan >= 0.0);
            prop_assert!(text.contains(&m.text));
        }
        if let Some(zhenggai_notice::Due::By(d)) = zhenggai_notice::due(&text, year) {
            prop_assert_eq!(d.len(), 10);
            prop_assert!(d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-');
        }
    }
}
