//! The demo's words: a fictional round's feedback to four fictional units, and the people
//! who work on it. Written for this project; any likeness to a real unit is chance.

use zhenggai_core::Role;

/// A finding's title and its measures.
pub type FindingText = (&'static str, &'static [&'static str]);
/// An aspect's title and its findings.
pub type AspectText = (&'static str, &'static [FindingText]);

pub const CONTENT: &[(&str, &[AspectText])] = &[
    (
        "党的领导作用发挥不够充分",
        &[
            (
                "学习贯彻上级决策部署有差距",
                &[
                    (
                        "理论学习中心组学习流于形式，研讨发言质量不高",
                        &[
                            "制定年度理论学习计划，每季度至少开展一次专题研讨",
                            "建立研讨发言材料审核和归档制度",
                        ],
                    ),
                    (
                        "落实重大事项请示报告制度不够严格",
                        &[
                            "梳理近两年重大事项决策清单，逐项补齐请示报告手续",
                            "修订重大事项请示报告实施办法",
                            "将请示报告情况纳入年度述职内容",
                        ],
                    ),
                ],
            ),
            (
                "意识形态工作责任落实不到位",
                &[
                    (
                        "意识形态工作专题研究次数偏少",
                        &[
                            "每半年召开一次意识形态工作专题会议",
                            "建立意识形态阵地台账并按月更新",
                        ],
                    ),
                    (
                        "网络舆情应对机制不健全",
                        &[
                            "制定网络舆情应急处置预案并组织演练",
                            "明确舆情监测专人，实行日报告制度",
                        ],
                    ),
                ],
            ),
        ],
    ),
    (
        "全面从严治党“两个责任”落实不到位",
        &[
            (
                "财务管理不规范",
                &[
                    (
                        "公务接待费用报销手续不全",
                        &[
                            "对近三年接待费用逐笔核查，清退不合规支出",
                            "完善公务接待审批单和报销清单",
                        ],
                    ),
                    (
                        "专项资金拨付滞后，资金使用效益不高",
                        &[
                            "建立专项资金拨付进度月通报制度",
                            "对滞留资金逐项分析原因并限期拨付",
                        ],
                    ),
                ],
            ),
            (
                "作风建设有松懈",
                &[(
                    "督查检查考核事项过多，基层负担较重",
                    &[
                        "精简合并督查检查考核事项",
                        "建立督查检查考核计划年度报备制度",
                    ],
                )],
            ),
        ],
    ),
    (
        "基层党组织建设薄弱",
        &[
            (
                "组织生活不严肃",
                &[
                    (
                        "“三会一课”记录不完整，部分支部存在补记现象",
                        &[
                            "开展支部组织生活专项检查",
                            "推行组织生活纪实管理，会后三日内录入",
                        ],
                    ),
                    (
                        "民主评议党员走过场",
                        &["修订民主评议党员工作规程", "评议结果与评先评优挂钩"],
                    ),
                ],
            ),
            (
                "干部队伍建设有短板",
                &[(
                    "干部轮岗交流不及时，部分关键岗位人员任职时间过长",
                    &[
                        "排查关键岗位任职年限，制定轮岗计划",
                        "建立干部交流长效机制并长期坚持",
                    ],
                )],
            ),
        ],
    ),
];

pub const UNITS: &[(&str, &str)] = &[
    ("u-cgj", "中共示例市城市管理局党组"),
    ("u-nyj", "中共示例市农业农村局党组"),
    ("u-ybj", "中共示例市医疗保障局党组"),
    ("u-jgj", "中共示例市机关事务管理局党组"),
];

/// Who works on the demo ledger: login, name, role, the units (by index into `UNITS`).
pub const PEOPLE: &[(&str, &str, Role, &[usize])] = &[
    ("admin", "系统管理员", Role::Admin, &[]),
    ("office", "王建国（巡察办）", Role::Office, &[]),
    ("office2", "孙晓燕（巡察办）", Role::Office, &[]),
    (
        "supervisor",
        "黄立新（派驻纪检监察组）",
        Role::Supervisor,
        &[],
    ),
    ("cgj-editor", "刘敏（城管局）", Role::UnitEditor, &[0]),
    ("cgj-lead", "李卫东（城管局）", Role::UnitLead, &[0]),
    ("nyj-editor", "陈刚（农业农村局）", Role::UnitEditor, &[1]),
    ("nyj-lead", "赵志强（农业农村局）", Role::UnitLead, &[1]),
    ("ybj-editor", "周丽（医保局）", Role::UnitEditor, &[2]),
    ("ybj-lead", "吴海涛（医保局）", Role::UnitLead, &[2]),
    ("jgj-editor", "郑红（机关事务局）", Role::UnitEditor, &[3]),
    ("jgj-lead", "钱立军（机关事务局）", Role::UnitLead, &[3]),
];

/// Every demo account signs in with this password; the demo is for trying the product,
/// not for real data.
pub const PASSWORD: &str = "zhenggai-demo";
