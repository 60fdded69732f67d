//! The demo ledger: one fictional round, four units with their people, findings in every
//! status. After the feedback is imported, every change goes through `Store::apply` as
//! the person whose job it is, on the day the story sets on the store's clock; the story
//! ends on the day the demo is made, so that its deadlines are live.

mod content;
mod story;

use zhenggai_core::*;
use zhenggai_store::{Store, User};

use content::CONTENT;
pub use content::{PASSWORD, PEOPLE, UNITS};
use story::{finding_story, plan_story, Cast, TARGETS};

use crate::accounts;
use crate::error::AppError;

/// The story's day on which the demo is made: the feedback was given this many days ago.
const TODAY: i64 = 200;

pub fn round(base: Date) -> Round {
    Round {
        id: "r-demo-3".into(),
        name: "示例市委第三轮巡察".into(),
        level: RoundLevel::Inspection,
        kind: RoundKind::Routine,
        team: "示例市委第二巡察组".into(),
        inspection_start: base.add_days(-80),
        inspection_end: base.add_days(-20),
        feedback_date: base,
        policy: DeadlinePolicy::default(),
    }
}

fn measure(
    fid: &str,
    mi: usize,
    last: usize,
    n: usize,
    ci: usize,
    text: &str,
    base: Date,
) -> Measure {
    let kind = if text.contains("长期") || text.contains("长效") {
        MeasureKind::LongTerm
    } else if mi == 0 {
        MeasureKind::Immediate
    } else {
        MeasureKind::ByDeadline
    };
    // Due dates from before the demo's day to after it, so that every warning colour
    // shows somewhere.
    let day = 150 + 30 * mi as i64 + (n % 5) as i64 * 6 + if mi == last { 10 } else { 0 };
    Measure {
        id: format!("{fid}.m{}", mi + 1),
        text: text.to_string(),
        kind,
        lead: "分管副局长".into(),
        department: if ci == 1 {
            "计划财务科"
        } else {
            "办公室"
        }
        .into(),
        owner: ["刘敏", "陈刚", "周丽"][mi % 3].into(),
        due: (kind != MeasureKind::LongTerm).then(|| base.add_days(day)),
        status: MeasureStatus::Pending,
        long_term_reason: None,
        progress: vec![],
        outcomes: vec![],
        extensions: vec![],
    }
}

fn feedback(unit: &str, base: Date) -> Feedback {
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
                            let measures = measures
                                .iter()
                                .enumerate()
                                .map(|(mi, text)| measure(&fid, mi, last, n, ci, text, base))
                                .collect();
                            Finding::fed_back(fid, title.to_string(), measures)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Feedback {
        id: fb,
        round_id: "r-demo-3".into(),
        unit_id: unit.to_string(),
        date: base,
        plan: Plan::default(),
        categories,
    }
}

async fn accounts_for(store: &dyn Store, operator: &Actor) -> Result<Vec<User>, AppError> {
    let mut users = Vec::new();
    for (login, name, role, units) in PEOPLE {
        let units = units.iter().map(|i| UNITS[*i].0.to_string()).collect();
        users.push(accounts::add_user(store, operator, login, name, *role, units, PASSWORD).await?);
    }
    Ok(users)
}

fn cast(users: &[User]) -> Result<Cast, AppError> {
    let by_login = |login: &str| -> Result<Actor, AppError> {
        let user = users
            .iter()
            .find(|u| u.login == login)
            .ok_or_else(|| AppError::Invalid(format!("演示账号 {login} 没有建立")))?;
        Ok(user.actor()?)
    };
    let per_unit = |suffix: &str| -> Result<Vec<Actor>, AppError> {
        UNITS
            .iter()
            .map(|(id, _)| by_login(&format!("{}-{suffix}", id.trim_start_matches("u-"))))
            .collect()
    };
    Ok(Cast {
        office: by_login("office")?,
        office2: by_login("office2")?,
        supervisor: by_login("supervisor")?,
        editors: per_unit("editor")?,
        leads: per_unit("lead")?,
    })
}

/// Fills an empty ledger with the demo, moving `clock` through the story and leaving it on
/// the day it found. Returns the accounts made.
pub async fn fill(store: &dyn Store, clock: &ManualClock) -> Result<Vec<User>, AppError> {
    let today = clock.today();
    let base = today.add_days(-TODAY);
    clock.set(base);
    let operator = Actor::operator("演示数据");
    let feedbacks: Vec<Feedback> = UNITS.iter().map(|(id, _)| feedback(id, base)).collect();
    let mut import = store.begin_import(&operator).await?;
    import.put_round("rounds[0]", &round(base)).await?;
    for (i, (id, name)) in UNITS.iter().enumerate() {
        let unit = Unit {
            id: id.to_string(),
            name: name.to_string(),
            contact: Default::default(),
        };
        import.put_unit(&format!("units[{i}]"), &unit).await?;
    }
    for (i, f) in feedbacks.iter().enumerate() {
        import.put_feedback(&format!("feedbacks[{i}]"), f).await?;
    }
    import.commit().await?;
    let users = accounts_for(store, &operator).await?;
    let cast = cast(&users)?;
    let mut steps = plan_story(&feedbacks, &cast);
    let mut n = 0;
    for (u, fb) in feedbacks.iter().enumerate().take(UNITS.len() - 1) {
        for f in fb.findings() {
            let target = TARGETS[(n + u * 3) % TARGETS.len()];
            n += 1;
            steps.extend(finding_story(f, target, n, u, &cast, base));
        }
    }
    // Day by day; within a day, in the order written.
    steps.sort_by_key(|s| s.day);
    for s in steps {
        clock.set(base.add_days(s.day));
        store.apply(&s.who, s.work).await?;
    }
    clock.set(today);
    Ok(users)
}
