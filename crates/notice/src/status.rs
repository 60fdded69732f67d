//! A finding's status from the wording of its measures: handed to a discipline body, still
//! going on, long-term, done.

use std::sync::LazyLock;

use regex::RegexSet;

use crate::model::FindingStatus;

/// The wording of each status, strongest signal first: being handed to a discipline body,
/// then work still going on, then long-term work, then work done. One set, so each measure
/// is scanned once for all of them.
static STATUS_WORDS: LazyLock<RegexSet> = LazyLock::new(|| {
    let patterns = [
        r"移交|移送|核实核查|核查报告|立案审查|纪律审查|处理建议",
        r"正在|推进中|力争|逐步|尚未|拟于|计划于|目前按|有序推进",
        r"长期坚持|持续推进|持续整改|常态化|长效",
        r"已全部整改|整改到位|已整改完成|整改完毕|已完成整改|已办结|已清退|已追缴|全部收缴到位|已纠正|已拆除|已完成",
    ];
    debug_assert!(RegexSet::new(patterns).is_ok());
    RegexSet::new(patterns).unwrap_or_else(|_| RegexSet::empty())
});
const STATUSES: [FindingStatus; 4] = [
    FindingStatus::Transferred,
    FindingStatus::InProgress,
    FindingStatus::LongTerm,
    FindingStatus::Done,
];

/// The status the wording of a finding's measures implies, strongest signal first.
pub fn status(texts: &[&str]) -> FindingStatus {
    let mut strongest = STATUSES.len();
    for t in texts {
        if let Some(i) = STATUS_WORDS.matches(t).iter().next() {
            strongest = strongest.min(i);
        }
        if strongest == 0 {
            break;
        }
    }
    STATUSES
        .get(strongest)
        .copied()
        .unwrap_or(FindingStatus::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_the_strongest_wording() {
        assert_eq!(status(&["问题已全部整改到位"]), FindingStatus::Done);
        assert_eq!(
            status(&["已完成一半", "其余正在推进"]),
            FindingStatus::InProgress
        );
        assert_eq!(status(&["力争年底前完成"]), FindingStatus::InProgress);
        assert_eq!(status(&["建立长效机制，长期坚持"]), FindingStatus::LongTerm);
        assert_eq!(
            status(&["已移交纪检监察机关核查"]),
            FindingStatus::Transferred
        );
        assert_eq!(status(&["召开会议"]), FindingStatus::Unknown);
        // A weaker word overlapping a stronger one: 持续推进 (long-term), 推进中 (going on).
        assert_eq!(status(&["各项工作持续推进中"]), FindingStatus::InProgress);
    }
}
