use super::*;

/// Pieces of the texts these patterns read, and what they look for.
const PIECES: &[&str] = &[
    "来源",
    "发布时间",
    "发布日期",
    "当前位置",
    "首页",
    "字号",
    "浏览",
    "阅读次数",
    "点击数",
    "打印",
    ">>",
    " > ",
    "- ",
    "位置",
    ":",
    "：",
    " ",
    "\n",
    "通报",
    "报告",
    "公示",
    "情况",
    "方案",
    "中共",
    "某局",
    "示例县",
    "党组",
    "党委",
    "委员会",
    "关于",
    "的",
    "时间",
    "日期",
    "2021",
    "2024",
    "-",
    "/",
    ".",
    "年",
    "月",
    "日",
    "3",
    "12",
    "29",
    "08:30",
    "现",
    "根据",
    "要求",
    "将",
    "巡察",
    "巡视",
    "整改",
    "整治",
    "进展",
    "阶段",
    "予以公布",
    "反馈",
    "了",
    "意见",
    "如下",
    "问题",
    "组",
    "队",
    "个",
    "两",
    "四",
    "十",
    "。",
    ",",
    "，",
    "甲乙丙",
    // Whole phrases, so that most texts hold a match somewhere.
    "个巡察组",
    "个巡视队",
    "现将",
    "整改进展情况",
    "反馈了巡察意见",
    "巡察情况通报如下",
    "反馈意见如下",
    "反馈问题如下",
    "时间:",
    "日期：",
    "来源:",
    "中共某局党组",
    "关于中共示例县委员会",
    "2021-03-29",
    "2021年3月29日",
];

fn shorts() -> [(&'static str, &'static Short); 9] {
    [
        ("CHROME", &CHROME),
        ("TITLE_WORD", &TITLE_WORD),
        ("ORGANISATION", &ORGANISATION),
        ("UNIT_AFTER_GUANYU", &UNIT_AFTER_GUANYU),
        ("TIME_LINE", &TIME_LINE),
        ("STAMP_LINE", &STAMP_LINE),
        ("ANNOUNCED", &ANNOUNCED),
        ("FEEDBACK", &FEEDBACK),
        ("TEAM_COUNT", &TEAM_COUNT),
    ]
}

/// A `Short` pattern answers by regex-lite on a short text and by regex on a long one:
/// on any text both forms must find the same match and groups.
#[test]
fn each_short_pattern_matches_alike_in_both_engines() {
    crate::short::same_in_both(PIECES, &shorts());
}

#[test]
fn a_title_wrapped_after_its_opening_words_is_joined() {
    let body = "\n根据县委部署，县委第二巡察组对县水务局党组开展了巡察。\n";
    let cases = [
        (
            "关于县水务局党组巡察整改\n进展情况的通报",
            "关于县水务局党组巡察整改进展情况的通报",
        ),
        // A blank line between: two separate lines, the title is the one with its kind.
        (
            "关于县水务局党组巡察整改\n\n进展情况的通报",
            "进展情况的通报",
        ),
        // A page's link above a whole title, and a title whole on its first line.
        (
            "关于我们\n县水务局党组巡察整改进展情况的通报",
            "县水务局党组巡察整改进展情况的通报",
        ),
        (
            "关于县水务局党组巡察整改进展情况的通报\n2023年6月30日",
            "关于县水务局党组巡察整改进展情况的通报",
        ),
        (
            "关于县水务局巡察整改工作的说明材料\n中共县水务局党组关于巡察整改情况的通报",
            "中共县水务局党组关于巡察整改情况的通报",
        ),
    ];
    for (head, want) in cases {
        let title = meta(&format!("{head}{body}")).title;
        assert_eq!(title.as_deref(), Some(want), "{head}");
    }
}

#[test]
fn a_long_text_is_matched_as_a_short_one_is() {
    let line = "2021-03-29 08:30 来源：示例县纪委 现将巡察整改进展情况予以公布 组建4个巡察组";
    let long = format!("{}{line}", "甲".repeat(2000));
    assert!(long.len() > 4096);
    for (name, pattern) in shorts() {
        let [lite, full] = pattern.both(&long);
        assert_eq!(lite, full, "{name}");
        assert_eq!(pattern.is_match(&long), lite.is_some(), "{name}");
        let whole = lite.as_ref().and_then(|g| g.first().copied().flatten());
        assert_eq!(pattern.find(&long).map(|m| m.as_str()), whole, "{name}");
    }
    assert!(CHROME.is_match(&long));
    assert_eq!(
        ANNOUNCED.find(&long).map(|m| m.as_str()),
        Some("现将巡察整改进展情况")
    );
    assert_eq!(TEAM_COUNT.captures(&long).and_then(|c| c.get(1)), Some("4"));
}

fn meta(text: &str) -> Meta {
    let lines: Vec<&str> = text.split('\n').collect();
    read(text, &lines)
}

#[test]
fn inspector_is_the_team_not_the_dates_before_it() {
    let team = |t: &str| meta(t).inspector;
    assert_eq!(
        team(
            "通报\n2021年10月28日至2022年1月10日,十一届某市委第一提级交叉巡察组对某局开展了巡察。"
        )
        .as_deref(),
        Some("十一届某市委第一提级交叉巡察组")
    );
    assert_eq!(
        team("通报\n根据部署,省委第二巡视组对某厅党组进行了巡视。").as_deref(),
        Some("省委第二巡视组")
    );
    assert_eq!(
        team("通报\n县委第三轮巡察第二巡察组进驻").as_deref(),
        Some("县委第三轮巡察第二巡察组")
    );
    assert_eq!(
        team("方案\n为认真落实县委第三巡察组反馈意见,制定本方案。").as_deref(),
        Some("县委第三巡察组")
    );
}

#[test]
fn the_signer_is_the_unit_when_nothing_else_names_it() {
    let text = "关于巡察整改进展情况的通报\n县委第二巡察组对我局开展了巡察。\n正文\n中共示例县档案局党组\n2023年9月28日";
    assert_eq!(meta(text).unit.as_deref(), Some("中共示例县档案局党组"));
    let office = "关于巡察整改进展情况的通报\n县委第二巡察组对我局开展了巡察。\n正文\n县委巡察工作领导小组办公室\n2023年9月28日";
    assert_eq!(meta(office).unit, None);
}

#[test]
fn a_unit_is_completed_to_its_party_organisation() {
    let text = "区委巡察组对示例街及8个社区开展了巡察。示例街道工委和社区党组织高度重视。";
    assert_eq!(with_organisation("示例街".into(), text), "示例街道工委");
    assert_eq!(with_organisation("示例局党组".into(), text), "示例局党组");
    assert_eq!(
        with_organisation("区委办".into(), "区委办要从讲政治的高度抓整改"),
        "区委办"
    );
}

#[test]
fn kind_follows_the_most_specific_wording() {
    let kind = |t: &str| meta(t).kind;
    assert_eq!(kind("某局党组关于巡察反馈意见整改情况的通报"), Kind::Final);
    assert_eq!(kind("某局党组关于巡察整改进展情况的通报"), Kind::Progress);
    assert_eq!(kind("某局党组关于巡察整改方案的通报"), Kind::Plan);
    assert_eq!(
        kind("关于市委第二轮巡察整改情况综述的通报"),
        Kind::Aggregate
    );
    assert_eq!(kind("关于巡察反馈情况的通报"), Kind::Feedback);
}

#[test]
fn unit_stands_before_or_just_after_guanyu() {
    assert_eq!(
        meta("中共某局党组关于巡察整改情况的通报").unit.as_deref(),
        Some("中共某局党组")
    );
    assert_eq!(
        meta("关于中共某镇委员会巡察整改情况的通报").unit.as_deref(),
        Some("中共某镇委员会")
    );
}

#[test]
fn feedback_date_is_the_one_next_to_fankui() {
    let m = meta("某通报\n2022年9月1日至10月31日开展巡察，2022年12月20日反馈了意见。");
    assert_eq!(m.feedback_date.as_deref(), Some("2022-12-20"));
    assert_eq!(
        m.inspection_period.map(|p| p.end).as_deref(),
        Some("2022-10-31")
    );
}

#[test]
fn dates_at_the_precision_written() {
    let m = meta("中共某局党组\n关于巡察整改情况的通报\n2022年3月至4月开展巡察,于2022年6月反馈意见。\n某党组\n二〇二二年十一月二十五日");
    assert_eq!(
        m.title.as_deref(),
        Some("中共某局党组关于巡察整改情况的通报")
    );
    assert_eq!(m.unit.as_deref(), Some("中共某局党组"));
    assert_eq!(
        m.inspection_period,
        Some(Period {
            start: "2022-03".into(),
            end: "2022-04".into()
        })
    );
    assert_eq!(m.feedback_date.as_deref(), Some("2022-06"));
    assert_eq!(m.published.as_deref(), Some("2022-11-25"));
}

#[test]
fn published_from_a_time_line_or_the_closing_date() {
    assert_eq!(
        meta("标题通报\n来源:某网 发布时间:2024-05-06 09:00\n正文")
            .published
            .as_deref(),
        Some("2024-05-06")
    );
    assert_eq!(
        meta("标题通报\n正文\n某党组\n2023年4月3日")
            .published
            .as_deref(),
        Some("2023-04-03")
    );
}
