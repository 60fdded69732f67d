//! The demo ledger: one fictional round, four units, findings in every status, reached
//! through the real rules (every status change below goes through `Store::apply`).

use zhenggai_core::*;
use zhenggai_store::{Change, Store};

/// A finding's title and its measures.
type FindingText = (&'static str, &'static [&'static str]);
/// An aspect's title and its findings.
type AspectText = (&'static str, &'static [FindingText]);

const CONTENT: &[(&str, &[AspectText])] = &[
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

const UNITS: &[(&str, &str)] = &[
    ("u-cgj", "中共示例市城市管理局党组"),
    ("u-nyj", "中共示例市农业农村局党组"),
    ("u-ybj", "中共示例市医疗保障局党组"),
    ("u-jgj", "中共示例市机关事务管理局党组"),
];

/// The status each finding is brought to, in turn; `ReturnedThenClosed` shows a full
/// closure history with a return in it.
#[derive(Clone, Copy)]
enum Target {
    Status(FindingStatus),
    ReturnedThenClosed,
}

const TARGETS: [Target; 10] = [
    Target::Status(FindingStatus::Closed),
    Target::Status(FindingStatus::InProgress),
    Target::Status(FindingStatus::ClosureRequested),
    Target::ReturnedThenClosed,
    Target::Status(FindingStatus::BasicallyDone),
    Target::Status(FindingStatus::Open),
    Target::Status(FindingStatus::LongTerm),
    Target::Status(FindingStatus::Planned),
    Target::Status(FindingStatus::Transferred),
    Target::Status(FindingStatus::Reopened),
];

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::ymd(y, m, day).unwrap_or(Date(chrono::NaiveDate::MIN))
}

pub fn round() -> Round {
    Round {
        id: "r-demo-3".into(),
        name: "示例市委第三轮巡察".into(),
        level: RoundLevel::Inspection,
        kind: RoundKind::Routine,
        team: "示例市委第二巡察组".into(),
        inspection_start: d(2026, 3, 2),
        inspection_end: d(2026, 4, 30),
        feedback_date: d(2026, 5, 20),
        policy: DeadlinePolicy::default(),
    }
}

fn feedback(unit: &str) -> Feedback {
    let fb = format!("fb-{}", unit.trim_start_matches("u-"));
    let mut n = 0;
    let categories = CONTENT
        .iter()
        .enumerate()
        .map(|(ci, (ct, aspects))| Category {
            id: format!("{fb}.c{}", ci + 1),
            title: ct.to_string(),
            aspects: aspects
                .iter()
                .enumerate()
                .map(|(ai, (at, findings))| Aspect {
                    id: format!("{fb}.c{}.a{}", ci + 1, ai + 1),
                    title: at.to_string(),
                    findings: findings
                        .iter()
                        .map(|(title, measures)| {
                            n += 1;
                            let fid = format!("{fb}.f{n}");
                            let last = measures.len() - 1;
                            Finding {
                                id: fid.clone(),
                                title: title.to_string(),
                                status: FindingStatus::Open,
                                measures: measures
                                    .iter()
                                    .enumerate()
                                    .map(|(mi, text)| Measure {
                                        id: format!("{fid}.m{}", mi + 1),
                                        text: text.to_string(),
                                        kind: if text.contains("长期") || text.contains("长效")
                                        {
                                            MeasureKind::LongTerm
                                        } else if mi == 0 {
                                            MeasureKind::Immediate
                                        } else {
                                            MeasureKind::ByDeadline
                                        },
                                        lead: "分管副局长".into(),
                                        department: if ci == 1 {
                                            "计划财务科"
                                        } else {
                                            "办公室"
                                        }
                                        .into(),
                                        owner: ["刘敏", "陈刚", "周丽"][mi % 3].into(),
                                        due: Some(d(
                                            2026,
                                            if mi == last { 12 } else { 9 },
                                            10 + (n % 15) as u32,
                                        )),
                                        status: MeasureStatus::Pending,
                                        long_term_reason: None,
                                        progress: vec![],
                                        outcomes: vec![],
                                        extensions: vec![],
                                    })
                                    .collect(),
                                evidence: vec![],
                                transitions: vec![],
                                lead: None,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Feedback {
        id: fb,
        round_id: round().id,
        unit_id: unit.to_string(),
        date: round().feedback_date,
        categories,
    }
}

struct People {
    office: Actor,
    office2: Actor,
    supervisor: Actor,
    editor: Actor,
    lead: Actor,
}

async fn cmd(
    store: &dyn Store,
    who: &Actor,
    date: Date,
    f: &Finding,
    c: FindingCommandKind,
    reason: &str,
) -> anyhow::Result<()> {
    let evidence = if matches!(c, FindingCommandKind::RequestClosure) {
        vec![format!("{}.e1", f.id)]
    } else {
        vec![]
    };
    store
        .apply(
            who,
            date,
            Change::Finding {
                finding_id: f.id.clone(),
                command: c,
                reason: reason.into(),
                evidence,
            },
        )
        .await?;
    Ok(())
}

/// Does the unit's work on every measure: progress, completion (or long-term standing),
/// outcomes and one evidence item.
async fn finish_work(store: &dyn Store, p: &People, f: &Finding, n: usize) -> anyhow::Result<()> {
    for (mi, m) in f.measures.iter().enumerate() {
        let date = d(2026, 7, 1 + (mi as u32 * 3) + (n % 10) as u32);
        store
            .apply(
                &p.editor,
                date,
                Change::AddProgress {
                    measure_id: m.id.clone(),
                    update: ProgressUpdate {
                        id: format!("{}.p1", m.id),
                        date,
                        author: p.editor.name.clone(),
                        text: format!("已按计划推进：{}，形成阶段性工作记录。", m.text),
                    },
                },
            )
            .await?;
        let is_long = m.kind == MeasureKind::LongTerm;
        store
            .apply(
                &p.editor,
                date,
                Change::SetMeasureStatus {
                    measure_id: m.id.clone(),
                    status: if is_long {
                        MeasureStatus::InProgress
                    } else {
                        MeasureStatus::Done
                    },
                    long_term_reason: None,
                },
            )
            .await?;
    }
    let outcome = match n % 5 {
        0 => Outcome::Money {
            kind: MoneyKind::Refunded,
            fen: 1_268_000 + n as i64 * 10_000,
        },
        1 => Outcome::Rule {
            change: RuleChange::New,
            title: format!("{}工作规程", f.title.chars().take(6).collect::<String>()),
        },
        2 => Outcome::Rule {
            change: RuleChange::Revised,
            title: "重大事项请示报告实施办法".into(),
        },
        3 => Outcome::Accountability {
            form: "诫勉谈话".into(),
            people: 2,
        },
        _ => Outcome::Meeting {
            date: d(2026, 6, 18),
            title: "巡察整改专题民主生活会".into(),
        },
    };
    if let Some(m) = f.measures.first() {
        store
            .apply(
                &p.editor,
                d(2026, 8, 1),
                Change::AddOutcome {
                    measure_id: m.id.clone(),
                    outcome,
                },
            )
            .await?;
    }
    store
        .apply(
            &p.editor,
            d(2026, 8, 2),
            Change::AttachEvidence {
                finding_id: f.id.clone(),
                evidence: Evidence {
                    id: format!("{}.e1", f.id),
                    name: format!("{}整改佐证.pdf", f.id),
                    media_type: "application/pdf".into(),
                    size: 182_344 + n as u64,
                    sha256: sha256_hex(f.id.as_bytes()),
                    description: "会议纪要、制度文件及台账扫描件".into(),
                },
            },
        )
        .await?;
    Ok(())
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// Marks the long-term measures as such, with the reason closure requires.
async fn stand_long_term(store: &dyn Store, p: &People, f: &Finding) -> anyhow::Result<()> {
    for m in f
        .measures
        .iter()
        .filter(|m| m.kind == MeasureKind::LongTerm)
    {
        store
            .apply(
                &p.editor,
                d(2026, 8, 3),
                Change::SetMeasureStatus {
                    measure_id: m.id.clone(),
                    status: MeasureStatus::InProgress,
                    long_term_reason: Some("机制已建立，需在日常工作中长期执行".into()),
                },
            )
            .await?;
    }
    Ok(())
}

pub async fn fill(store: &dyn Store) -> anyhow::Result<()> {
    let p = People {
        office: Actor::new("王建国（巡察办）", Role::Office),
        office2: Actor::new("孙晓燕（巡察办）", Role::Office),
        supervisor: Actor::new("黄立新（派驻纪检监察组）", Role::Supervisor),
        editor: Actor::new("刘敏", Role::UnitEditor),
        lead: Actor::new("李卫东", Role::UnitLead),
    };
    let feedbacks: Vec<Feedback> = UNITS.iter().map(|(id, _)| feedback(id)).collect();
    let mut import = store.begin_import("demo").await?;
    import.put_round("rounds[0]", &round()).await?;
    for (i, (id, name)) in UNITS.iter().enumerate() {
        import
            .put_unit(
                &format!("units[{i}]"),
                &Unit {
                    id: id.to_string(),
                    name: name.to_string(),
                },
            )
            .await?;
    }
    for (i, f) in feedbacks.iter().enumerate() {
        import.put_feedback(&format!("feedbacks[{i}]"), f).await?;
    }
    import.commit().await?;

    use FindingCommandKind as C;
    use FindingStatus as S;
    let mut n = 0usize;
    for (u, fb) in feedbacks.iter().enumerate() {
        for f in fb.findings() {
            let target = TARGETS[(n + u * 3) % TARGETS.len()];
            n += 1;
            if matches!(target, Target::Status(S::Open)) {
                continue;
            }
            cmd(
                store,
                &p.office,
                d(2026, 6, 15),
                f,
                C::ApprovePlan,
                "整改方案经审核同意",
            )
            .await?;
            match target {
                Target::Status(S::Planned) => continue,
                Target::Status(S::Transferred) => {
                    cmd(
                        store,
                        &p.supervisor,
                        d(2026, 6, 20),
                        f,
                        C::Transfer,
                        "涉及违纪问题线索，移交纪检监察机关核查",
                    )
                    .await?;
                    continue;
                }
                _ => {}
            }
            cmd(store, &p.editor, d(2026, 6, 16), f, C::Start, "").await?;
            if matches!(target, Target::Status(S::InProgress)) {
                if let Some(m) = f.measures.first() {
                    store
                        .apply(
                            &p.editor,
                            d(2026, 7, 5),
                            Change::AddProgress {
                                measure_id: m.id.clone(),
                                update: ProgressUpdate {
                                    id: format!("{}.p1", m.id),
                                    date: d(2026, 7, 5),
                                    author: p.editor.name.clone(),
                                    text: "已完成摸底排查，正在制定具体方案。".into(),
                                },
                            },
                        )
                        .await?;
                    // The unit asks for more time and the office grants it.
                    let extension_id = format!("{}.x1", m.id);
                    store
                        .apply(
                            &p.editor,
                            d(2026, 9, 1),
                            Change::RequestExtension {
                                measure_id: m.id.clone(),
                                extension_id: extension_id.clone(),
                                new_due: d(2027, 3, 31),
                                reason: "涉及跨部门协调，需延长整改时限".into(),
                            },
                        )
                        .await?;
                    store
                        .apply(
                            &p.office,
                            d(2026, 9, 5),
                            Change::DecideExtension {
                                measure_id: m.id.clone(),
                                extension_id,
                                approve: true,
                            },
                        )
                        .await?;
                }
                continue;
            }
            finish_work(store, &p, f, n).await?;
            stand_long_term(store, &p, f).await?;
            let requester = if n.is_multiple_of(2) {
                &p.editor
            } else {
                &p.lead
            };
            cmd(
                store,
                requester,
                d(2026, 8, 20),
                f,
                C::RequestClosure,
                "措施已全部落实，申请销号",
            )
            .await?;
            match target {
                Target::Status(S::ClosureRequested) => {}
                Target::ReturnedThenClosed => {
                    cmd(
                        store,
                        &p.office2,
                        d(2026, 8, 28),
                        f,
                        C::Return,
                        "佐证材料不能反映整改实效，请补充制度执行情况",
                    )
                    .await?;
                    cmd(
                        store,
                        requester,
                        d(2026, 9, 10),
                        f,
                        C::RequestClosure,
                        "已补充制度执行记录",
                    )
                    .await?;
                    cmd(
                        store,
                        &p.office,
                        d(2026, 9, 18),
                        f,
                        C::SignOff,
                        "经核查，整改到位，同意销号",
                    )
                    .await?;
                }
                Target::Status(S::BasicallyDone) => {
                    cmd(
                        store,
                        &p.office,
                        d(2026, 9, 1),
                        f,
                        C::SignOffBasicallyDone,
                        "主体工作完成，长效机制需持续推进",
                    )
                    .await?;
                }
                Target::Status(S::LongTerm) => {
                    cmd(
                        store,
                        &p.supervisor,
                        d(2026, 9, 1),
                        f,
                        C::SignOffLongTerm,
                        "阶段任务完成，转入长期坚持",
                    )
                    .await?;
                }
                Target::Status(S::Reopened) => {
                    cmd(
                        store,
                        &p.office,
                        d(2026, 9, 1),
                        f,
                        C::SignOff,
                        "经核查，整改到位，同意销号",
                    )
                    .await?;
                    cmd(
                        store,
                        &p.supervisor,
                        d(2026, 11, 10),
                        f,
                        C::Reopen,
                        "回头看发现问题反弹，重新整改",
                    )
                    .await?;
                }
                _ => {
                    cmd(
                        store,
                        &p.office2,
                        d(2026, 9, 1),
                        f,
                        C::SignOff,
                        "经核查，整改到位，同意销号",
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}
