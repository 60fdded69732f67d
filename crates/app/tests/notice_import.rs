//! A notice read into a feedback: money typed by its wording, due dates as the measures
//! state them, the round's end of concentrated rectification otherwise.

use zhenggai_app::notice_import;
use zhenggai_core::*;

const NOTICE: &str = "\
中共示例区住房保障局党组关于巡察整改进展情况的通报
根据区委统一部署，2024年3月4日至4月30日，区委第二巡察组对区住房保障局党组开展了常规巡察，并于2024年6月3日反馈了巡察意见。现将整改进展情况通报如下。
一、落实全面从严治党责任方面
1.违规发放津贴补贴问题
一是全面清查2021年以来津贴补贴发放情况，已清退违规发放的津贴补贴12.5万元。二是修订《机关津贴补贴发放管理办法》，2024年底前完成。
2.公租房分配管理不规范问题
一是对公租房分配情况开展专项核查，追缴违规占用租金3.6万元，收回公租房5套。二是建立分配结果公示制度，长期坚持。
";

#[test]
fn money_and_deadlines_come_from_the_wording() {
    let notice = zhenggai_notice::parse_text(NOTICE, "n.txt", "utf-8", &"0".repeat(64));
    assert_eq!(notice.findings.len(), 2, "{:?}", notice.warnings);
    let round = notice_import::new_round(&notice, "区委第二轮巡察").expect("round");
    let fb = notice_import::feedback(&notice, &round, "u1", &"a".repeat(64));
    let findings: Vec<&Finding> = fb.findings().collect();
    let m = &findings[0].measures;
    assert!(
        m[0].outcomes.contains(&Outcome::Money {
            kind: MoneyKind::Refunded,
            fen: 12_500_000
        }),
        "{:?}",
        m[0].outcomes
    );
    assert!(!m[0]
        .outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Quantity { unit, .. } if unit.contains('元'))));
    assert_eq!(m[1].due, Date::ymd(2024, 12, 31));
    // No deadline stated: the end of concentrated rectification, 180 days after feedback.
    assert_eq!(m[0].due, Some(round.policy.concentrated_end(fb.date)));
    let m = &findings[1].measures;
    assert!(m[0].outcomes.contains(&Outcome::Money {
        kind: MoneyKind::Recovered,
        fen: 3_600_000
    }));
    assert!(m[0]
        .outcomes
        .iter()
        .any(|o| matches!(o, Outcome::Quantity { value, .. } if *value == 5.0)));
    assert_eq!((m[1].kind, m[1].due), (MeasureKind::LongTerm, None));
    // What the import builds, an import accepts.
    validate::feedback("fb", &fb, |_| true, |_| true).expect("valid");
}
