//! Who inspected whom, as the opening sentence says: 市委第一巡察组对市公安局党委开展了巡察,
//! or 巡察组向区委办反馈巡察情况. Its subject names the inspecting team, its object the
//! inspected unit; an object listing several units (a roll-up, an announcement) names none.

use std::sync::LazyLock;

use crate::short::Short;

/// A team's name: 市委第一巡察组, 区委巡察三组, 第四轮第五巡察组, 省委第二巡视组, 巡察组.
pub static TEAM: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"[^,，。;；、:：\s“”()（）]{0,40}?(?:巡视|巡察)(?:工作)?(?:第?[一二三四五六七八九十0-9]+)?(?:组|队)",
    )
});
/// 组建4个巡察组: how many teams were formed (the number, captured), not a team's name.
pub(crate) static TEAM_COUNT: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"([0-9]+|[两二三四五六七八九十]+)个(?:巡视|巡察)(?:组|队)"));
static FORMED: LazyLock<Short> = LazyLock::new(|| Short::new(r"组建|成立|派出|抽调"));

/// The verb of an inspection: 开展了常规巡察, 进行了专项巡察, 进行巡视.
static INSPECTED: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"(?:开展了?|进行了?|实施了?)[^,，。;；]{0,8}?(?:巡察|巡视)"));
static FED_BACK: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"向([^,，。;；]{2,40}?)(?:正式|全面|集中|分别)?反馈"));
/// Two inspected bodies merged before the notice: the unit is the new one.
/// The name is its first 40 characters (`merged_name`): a bound written into the pattern
/// made it the costliest of all to compile (0.45 ms of every start).
static MERGED: LazyLock<Short> = LazyLock::new(|| {
    Short::new(r"(?:重组整合|整合|合并|合并组建|更名|组建)为([^,，。;；、()（）]{2,})")
});

/// The new name a merger gives, at most 40 characters.
fn merged_name(object: &str) -> Option<String> {
    let name = MERGED.captures(object)?.get(1)?;
    let end = name.char_indices().nth(40).map_or(name.len(), |(i, _)| i);
    Some(name[..end].trim().to_string())
}
static SHORT_NAME: LazyLock<Short> = LazyLock::new(|| Short::new(r"[(（]以下简称[^)）]*[)）]"));
/// Where the units that belong to the inspected one are added: 及29个社区, 和所属单位.
static BELONGING: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"(?:及|和|以及)(?:其)?(?:[0-9]+|[一二两三四五六七八九十]+)?(?:个|家|所)?(?:所属|所辖|下属|直属|村|社区|单位|部门|学校|企业|二级|基层)",
    )
});
/// Several units: a list, a count, or 各….
static SEVERAL: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"、|等[0-9]+|[0-9]+家|[0-9]+个(?:单位|部门|县|区|乡镇)|^各"));
/// The writer speaking of itself: 我局党组.
pub static FIRST_PERSON: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"我(?:局|院|委|部|厅|办|校|司|县|区|市|镇|乡|街道|中心|会|所|单位|们|公司|集团|党组|党委)",
    )
});
/// The words that end a party organisation's name, longest first.
pub const ORGANISATION_WORDS: [&str; 11] = [
    "总支部",
    "党总支",
    "党支部",
    "委员会",
    "党工委",
    "党组织",
    "党组",
    "党委",
    "工委",
    "总支",
    "支部",
];

/// The same words as a pattern.
pub static ORGANISATION_END: LazyLock<String> =
    LazyLock::new(|| format!("(?:{})", ORGANISATION_WORDS.join("|")));

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// The team named in the subject, several coordinated ones joined as written.
    pub team: Option<String>,
    /// The one unit inspected, as the object names it.
    pub unit: Option<String>,
    /// Whether the object lists several units.
    pub several_units: bool,
    /// Whether the sentence was found.
    pub found: bool,
}

/// The sentence around `at`: from the last 。 or line end before it to the next.
fn sentence_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['。', '\n']).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    })
}

/// The team a subject names: every team in it, coordinated ones (甲、乙) kept together.
fn team_in(subject: &str) -> Option<String> {
    let matches = TEAM.find_iter(subject);
    let first = matches.first()?;
    let mut end = first.end();
    for m in &matches[1..] {
        if matches!(subject[end..m.start()].trim(), "、" | "和" | "及" | "与") {
            end = m.end();
        } else {
            break;
        }
    }
    let team = bare_team(&subject[first.start()..end]);
    if team.is_empty() || (FORMED.is_match(team) && TEAM_COUNT.is_match(team)) {
        return None;
    }
    Some(team.to_string())
}

/// A team's name without what its match took in before it from the same clause: a date
/// (2022年1月10日起…) or the sentence's verb (为认真落实县委第三巡察组反馈意见).
pub(crate) fn bare_team(span: &str) -> &str {
    let t = span.rsplit(['日', '起']).next().unwrap_or(span);
    let after_verb = [
        "落实", "贯彻", "根据", "按照", "对照", "针对", "配合", "接受", "迎接",
    ]
    .iter()
    .filter_map(|v| t.rfind(v).map(|i| i + v.len()))
    .max();
    after_verb.map_or(t, |i| &t[i..]).trim()
}

/// The unit an object names, or that it names several.
fn unit_in(object: &str) -> (Option<String>, bool) {
    if let Some(name) = merged_name(object) {
        return (Some(name), false);
    }
    let object = SHORT_NAME.remove_all(object);
    let object = object.trim().trim_start_matches("分别").trim();
    if SEVERAL.is_match(object) {
        return (None, true);
    }
    // 某街道及29个社区 / 某局和所属单位: the first is the one the others belong to. Within a
    // name 和 stays (文化和旅游局, 住房和城乡建设局).
    let first = BELONGING
        .find(object)
        .map_or(object, |m| &object[..m.start()])
        .trim();
    (
        (first.chars().count() >= 2).then(|| first.to_string()),
        false,
    )
}

/// The sentence that says who inspected whom: 对…开展了巡察, else 向…反馈. Its subject
/// (the clause before 对 or 向) names the team, its object the unit; the writer speaking of
/// itself (我局) names no unit.
pub fn read(head: &str) -> Inspection {
    let sentence = INSPECTED
        .find(head)
        .and_then(|verb| {
            let before = &head[sentence_start(head, verb.start())..verb.start()];
            let dui = before.rfind('对')?;
            Some((&before[..dui], &before[dui + '对'.len_utf8()..]))
        })
        .or_else(|| {
            let c = FED_BACK.captures(head)?;
            let (all, object) = (c.span(0)?, c.get(1)?);
            Some((
                &head[sentence_start(head, all.start())..all.start()],
                object,
            ))
        });
    let Some((subject, object)) = sentence else {
        return Inspection::default();
    };
    let subject = subject.rsplit([',', '，']).next().unwrap_or(subject);
    let (unit, several_units) = unit_in(object);
    Inspection {
        team: team_in(subject.trim_end_matches("分别")),
        unit: unit.filter(|u| !FIRST_PERSON.is_match(u)),
        several_units,
        found: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIECES: &[&str] = &[
        "市委",
        "第一",
        "巡察组",
        "巡视组",
        "巡察三组",
        "第四轮",
        "工作队",
        "4个",
        "两个",
        "组建",
        "成立",
        "派出",
        "对",
        "向",
        "市公安局党委",
        "区委办",
        "开展了",
        "进行",
        "实施了",
        "常规",
        "巡察",
        "巡视",
        "正式",
        "反馈",
        "合并组建为",
        "更名为",
        "(以下简称甲局)",
        "及",
        "和",
        "所属单位",
        "29个社区",
        "、",
        "等3家",
        "各",
        "我局",
        "我们",
        "党组",
        "，",
        "。",
        "；",
        ":",
        " ",
        "甲乙",
        "2021年3月",
        "起",
    ];

    /// These patterns answer by regex-lite or by regex (`Short`): on any text both forms
    /// must find the same match and groups.
    #[test]
    fn each_opening_pattern_matches_alike_in_both_engines() {
        crate::short::same_in_both(
            PIECES,
            &[
                ("TEAM", &TEAM),
                ("TEAM_COUNT", &TEAM_COUNT),
                ("FORMED", &FORMED),
                ("INSPECTED", &INSPECTED),
                ("FED_BACK", &FED_BACK),
                ("MERGED", &MERGED),
                ("SHORT_NAME", &SHORT_NAME),
                ("BELONGING", &BELONGING),
                ("SEVERAL", &SEVERAL),
                ("FIRST_PERSON", &FIRST_PERSON),
            ],
        );
    }

    /// The pattern `MERGED` was, with the bound written in.
    static BOUNDED: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
        crate::numbering::lite(
            r"(?:重组整合|整合|合并|合并组建|更名|组建)为([^,，。;；、()（）]{2,40})",
        )
    });

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// The name cut by hand is the one the bounded pattern captured.
        #[test]
        fn a_merged_name_is_cut_as_the_bounded_pattern_cut_it(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "合并", "组建", "重组整合", "为", "甲", "乙局", " ", ",", "。", "(", "a",
                "甲乙丙丁戊己庚辛壬癸",
            ]), 0..40),
        ) {
            let s = parts.concat();
            let expected = BOUNDED
                .captures(&s)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().trim().to_string());
            proptest::prop_assert_eq!(merged_name(&s), expected, "{}", s);
        }
    }

    fn pair(text: &str) -> (Option<String>, Option<String>, bool) {
        let i = read(text);
        (i.team, i.unit, i.several_units)
    }

    #[test]
    fn subject_and_object_of_the_inspection() {
        assert_eq!(
            pair("根据市委部署,2024年2月1日至4月1日,市委第一巡察组对市示例局党委开展了专项巡察。"),
            (
                Some("市委第一巡察组".into()),
                Some("市示例局党委".into()),
                false
            )
        );
        assert_eq!(
            pair("市委第四巡察组于2024年7月9日至9月14日对市示例委党组开展了巡察"),
            (
                Some("市委第四巡察组".into()),
                Some("市示例委党组".into()),
                false
            )
        );
        assert_eq!(
            pair("区委巡察三组对示例街及12个社区开展了常规巡察"),
            (Some("区委巡察三组".into()), Some("示例街".into()), false)
        );
        assert_eq!(
            pair("近日,区委第二巡察组向区示例办反馈巡察情况。"),
            (
                Some("区委第二巡察组".into()),
                Some("区示例办".into()),
                false
            )
        );
    }

    #[test]
    fn a_unit_keeps_the_and_of_its_name() {
        assert_eq!(
            pair("区委第三巡察组对区文化和旅游局党组开展了巡察")
                .1
                .as_deref(),
            Some("区文化和旅游局党组")
        );
        assert_eq!(
            pair("市委第二巡察组对市示例局及所属单位开展了巡察")
                .1
                .as_deref(),
            Some("市示例局")
        );
    }

    #[test]
    fn several_units_name_none() {
        assert_eq!(
            pair("区委组建3个巡察组对区甲局、区乙局等2家单位开展常规巡察"),
            (None, None, true)
        );
    }

    #[test]
    fn coordinated_teams_and_merged_units() {
        assert_eq!(
            pair("市委第一巡察组、第三巡察组分别对甲公司(以下简称“甲”)、乙公司(两家已于2022年合并为丙集团有限公司,以下简称“丙”)开展了巡察"),
            (
                Some("市委第一巡察组、第三巡察组".into()),
                Some("丙集团有限公司".into()),
                false
            )
        );
    }
}
