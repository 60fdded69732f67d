//! The ledger's columns: the header the export writes, the headers offices write by hand
//! that mean the same, and how wide each column is printed.

/// One column of the ledger (整改台账), in the order the export writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Serial,
    Category,
    Finding,
    Measure,
    Kind,
    Lead,
    Department,
    Owner,
    Due,
    Progress,
    Status,
    SignedOff,
    Evidence,
    Remark,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Serial,
        Column::Category,
        Column::Finding,
        Column::Measure,
        Column::Kind,
        Column::Lead,
        Column::Department,
        Column::Owner,
        Column::Due,
        Column::Progress,
        Column::Status,
        Column::SignedOff,
        Column::Evidence,
        Column::Remark,
    ];

    /// The header the export writes.
    pub fn header(self) -> &'static str {
        self.names()[0]
    }

    /// Every header that means this column, the export's first. Compared after dropping
    /// spaces, line breaks and a bracketed note (整改时限（年月日） is 整改时限).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Column::Serial => &["序号", "编号", "问题序号", "问题编号"],
            Column::Category => &[
                "问题类别",
                "问题类型",
                "问题分类",
                "类别",
                "方面",
                "问题方面",
                "所属方面",
                "问题领域",
            ],
            Column::Finding => &[
                "具体问题",
                "问题清单",
                "存在问题",
                "问题表现",
                "反馈问题",
                "巡察反馈问题",
                "巡视反馈问题",
                "问题描述",
                "问题内容",
                "主要问题",
                "问题",
            ],
            Column::Measure => &[
                "整改措施",
                "整改举措",
                "具体措施",
                "具体整改措施",
                "整改任务",
                "措施",
            ],
            Column::Kind => &["整改类型", "整改方式", "整改类别", "措施类型", "整改要求"],
            Column::Lead => &["责任领导", "牵头领导", "分管领导", "责任领导人", "领导"],
            Column::Department => &[
                "责任部门",
                "责任单位",
                "牵头单位",
                "牵头部门",
                "责任科室",
                "责任处室",
                "责任股室",
                "部门",
            ],
            Column::Owner => &["责任人", "具体责任人", "经办人"],
            Column::Due => &[
                "整改时限",
                "完成时限",
                "完成时间",
                "整改期限",
                "时限要求",
                "整改时间",
                "完成期限",
                "时限",
            ],
            Column::Progress => &[
                "整改进展",
                "整改进度",
                "进展情况",
                "整改进展情况",
                "整改落实情况",
                "整改情况",
                "进展",
            ],
            Column::Status => &[
                "完成情况",
                "整改状态",
                "完成状态",
                "是否完成",
                "整改完成情况",
                "状态",
            ],
            Column::SignedOff => &["销号日期", "销号时间", "销号情况", "是否销号", "销号"],
            Column::Evidence => &[
                "佐证材料",
                "佐证资料",
                "印证材料",
                "支撑材料",
                "佐证材料清单",
            ],
            Column::Remark => &["备注", "说明", "备考"],
        }
    }

    /// The column a header names, if any.
    pub fn named(header: &str) -> Option<Column> {
        let key = header_key(header);
        if key.is_empty() {
            return None;
        }
        Column::ALL
            .into_iter()
            .find(|c| c.names().contains(&key.as_str()))
    }

    /// Printed width in Excel's character units; the total fits A4 landscape at about
    /// three quarters of full size.
    pub fn width(self) -> f64 {
        match self {
            Column::Serial => 5.0,
            Column::Category => 15.0,
            Column::Finding => 26.0,
            Column::Measure => 30.0,
            Column::Kind => 7.5,
            Column::Lead => 8.0,
            Column::Department => 10.0,
            Column::Owner => 7.5,
            Column::Due => 12.5,
            Column::Progress => 28.0,
            Column::Status => 7.5,
            Column::SignedOff => 12.5,
            Column::Evidence => 14.0,
            Column::Remark => 12.0,
        }
    }

    /// The finding's columns: one cell merged across its measures' rows.
    pub fn per_finding(self) -> bool {
        matches!(
            self,
            Column::Serial
                | Column::Category
                | Column::Finding
                | Column::SignedOff
                | Column::Evidence
        )
    }

    /// Short cells that read best centred.
    pub fn centred(self) -> bool {
        matches!(
            self,
            Column::Serial
                | Column::Kind
                | Column::Lead
                | Column::Owner
                | Column::Due
                | Column::Status
                | Column::SignedOff
        )
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A header as compared: without white space of any width, without a trailing note in
/// brackets, without a leading asterisk (a required field in many templates).
pub fn header_key(text: &str) -> String {
    let mut key: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect();
    for open in ['（', '('] {
        if let Some(i) = key.find(open) {
            if i > 0 {
                key.truncate(i);
            }
        }
    }
    key.trim_start_matches(['*', '＊'])
        .trim_end_matches([':', '：'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_name_their_column() {
        assert_eq!(Column::named("问题清单"), Some(Column::Finding));
        assert_eq!(Column::named(" 存在\n问题 "), Some(Column::Finding));
        assert_eq!(Column::named("问题表现"), Some(Column::Finding));
        assert_eq!(Column::named("牵头单位"), Some(Column::Department));
        assert_eq!(Column::named("责任单位"), Some(Column::Department));
        assert_eq!(Column::named("完成时限"), Some(Column::Due));
        assert_eq!(Column::named("整改时限（年月日）"), Some(Column::Due));
        assert_eq!(Column::named("*责任人"), Some(Column::Owner));
        assert_eq!(Column::named("整改目标"), None);
        assert_eq!(Column::named(""), None);
    }

    #[test]
    fn every_name_belongs_to_one_column() {
        let mut seen = std::collections::HashSet::new();
        for c in Column::ALL {
            assert_eq!(Column::named(c.header()), Some(c));
            for n in c.names() {
                assert!(seen.insert(*n), "{n} twice");
            }
        }
    }
}
