//! What the tests of every crate share: a fresh database on each backend (a SQLite file in
//! a temporary directory; a new database on the PostgreSQL server that the test command
//! starts), a clock the test sets, fixtures in our own words, and the people who act.
//!
//! PostgreSQL cases are marked ignored, so that a plain `cargo test` reports them as not
//! run instead of as passed; `scripts/test.sh` starts a server and runs them with
//! `--include-ignored`.

pub mod office;

use std::sync::Arc;

use sqlx::{Connection, Executor};
use zhenggai_core::*;
use zhenggai_store::{Options, Store, Work};

pub struct Db {
    pub url: String,
    pub store: Box<dyn Store>,
    pub clock: Arc<ManualClock>,
    _dir: Option<tempfile::TempDir>,
}

/// The day every test starts on.
pub fn start_day() -> Date {
    date("2025-06-01")
}

impl Db {
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Moves the store's clock to `day`.
    pub fn on(&self, day: &str) -> &Db {
        self.clock.set(date(day));
        self
    }

    /// Runs raw SQL beside the store, as someone with database access could.
    pub async fn exec(&self, sql: &str) {
        if self.url.starts_with("sqlite:") {
            let mut c = sqlx::SqliteConnection::connect(&self.url)
                .await
                .expect("sqlite");
            c.execute(sql).await.expect("raw sql");
        } else {
            let mut c = sqlx::PgConnection::connect(&self.url)
                .await
                .expect("postgres");
            c.execute(sql).await.expect("raw sql");
        }
    }

    /// Opens a second store on the same database, as another process would.
    pub async fn reopen(&self) -> Box<dyn Store> {
        zhenggai_store::open_with(&self.url, self.options())
            .await
            .expect("reopen")
    }

    pub fn options(&self) -> Options {
        Options {
            clock: self.clock.clone(),
            ..Options::default()
        }
    }
}

pub async fn sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    open(url, Some(dir)).await
}

async fn open(url: String, dir: Option<tempfile::TempDir>) -> Db {
    let clock = Arc::new(ManualClock::new(start_day()));
    let options = Options {
        clock: clock.clone(),
        ..Options::default()
    };
    let store = zhenggai_store::open_with(&url, options)
        .await
        .expect("open store");
    Db {
        url,
        store,
        clock,
        _dir: dir,
    }
}

/// The URL of a new, empty database on the test server.
pub async fn postgres_url() -> String {
    let admin = std::env::var("ZHENGGAI_TEST_POSTGRES")
        .expect("PostgreSQL tests need ZHENGGAI_TEST_POSTGRES (scripts/test.sh starts a server and sets it)");
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .expect("postgres admin");
    c.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    format!("{base}/{name}")
}

pub async fn postgres() -> Db {
    open(postgres_url().await, None).await
}

/// Generates one test per backend from an `async fn(&Db)`; the PostgreSQL one is ignored
/// unless asked for (see the crate docs).
#[macro_export]
macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let db = $crate::sqlite().await;
                    super::$case(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[ignore = "needs PostgreSQL: scripts/test.sh runs it"]
                async fn $case() {
                    let db = $crate::postgres().await;
                    super::$case(&db).await;
                }
            )*
        }
    };
}

pub fn date(s: &str) -> Date {
    Date::parse(s).expect("date")
}

pub fn round() -> Round {
    Round {
        id: "r1".into(),
        name: "测试市委第一轮巡察".into(),
        level: RoundLevel::Inspection,
        kind: RoundKind::Routine,
        team: "测试市委第一巡察组".into(),
        inspection_start: date("2025-03-01"),
        inspection_end: date("2025-04-15"),
        feedback_date: date("2025-05-10"),
        policy: DeadlinePolicy::default(),
    }
}

pub fn unit(id: &str) -> Unit {
    Unit {
        id: id.into(),
        name: format!("测试单位{id}"),
        contact: Default::default(),
    }
}

pub fn measure(id: &str, due: &str) -> Measure {
    Measure {
        id: id.into(),
        text: format!("措施{id}：建立台账并逐项整改"),
        kind: MeasureKind::ByDeadline,
        lead: "副局长".into(),
        department: "办公室".into(),
        owner: "张三".into(),
        due: Some(date(due)),
        status: MeasureStatus::Pending,
        long_term_reason: None,
        progress: vec![],
        outcomes: vec![],
        extensions: vec![],
    }
}

pub fn finding(id: &str, measures: Vec<Measure>) -> Finding {
    Finding::fed_back(id.into(), format!("问题{id}：制度执行不严格"), measures)
}

/// One feedback with two findings of two measures each, all open, the plan a draft.
pub fn feedback(id: &str, unit: &str) -> Feedback {
    Feedback {
        id: id.into(),
        round_id: "r1".into(),
        unit_id: unit.into(),
        date: date("2025-05-10"),
        plan: Plan::default(),
        categories: vec![Category {
            id: format!("{id}.c1"),
            title: "党的领导弱化".into(),
            aspects: vec![Aspect {
                id: format!("{id}.a1"),
                title: "学习贯彻不到位".into(),
                findings: vec![
                    finding(
                        &format!("{id}.f1"),
                        vec![
                            measure(&format!("{id}.f1.m1"), "2025-06-30"),
                            measure(&format!("{id}.f1.m2"), "2025-09-30"),
                        ],
                    ),
                    finding(
                        &format!("{id}.f2"),
                        vec![
                            measure(&format!("{id}.f2.m1"), "2025-07-31"),
                            measure(&format!("{id}.f2.m2"), "2025-12-31"),
                        ],
                    ),
                ],
            }],
        }],
    }
}

/// Imports a round, units u1 and u2, and feedbacks fb1 (u1) and fb2 (u2).
pub async fn seed(store: &dyn Store) {
    let mut tx = store.begin_import(&operator()).await.expect("begin");
    tx.put_round("rounds[0]", &round()).await.expect("round");
    for (i, u) in ["u1", "u2"].iter().enumerate() {
        tx.put_unit(&format!("units[{i}]"), &unit(u))
            .await
            .expect("unit");
    }
    tx.put_feedback("feedbacks[0]", &feedback("fb1", "u1"))
        .await
        .expect("fb1");
    tx.put_feedback("feedbacks[1]", &feedback("fb2", "u2"))
        .await
        .expect("fb2");
    tx.commit().await.expect("commit");
}

fn person(id: &str, name: &str, role: Role, units: &[&str]) -> Actor {
    Actor::new(id, name, role, units.iter().map(|u| u.to_string())).expect("actor")
}

pub fn operator() -> Actor {
    Actor::operator("测试")
}

pub fn admin() -> Actor {
    person("usr-admin", "管理员", Role::Admin, &[])
}

pub fn office() -> Actor {
    person("usr-office", "巡察办甲", Role::Office, &[])
}

pub fn office2() -> Actor {
    person("usr-office2", "巡察办乙", Role::Office, &[])
}

pub fn supervisor() -> Actor {
    person("usr-sup", "纪检丙", Role::Supervisor, &[])
}

/// The unit editor of u1 (or of `unit` with `editor_of`).
pub fn editor() -> Actor {
    editor_of("u1")
}

pub fn editor_of(unit: &str) -> Actor {
    person(
        &format!("usr-editor-{unit}"),
        "编辑乙",
        Role::UnitEditor,
        &[unit],
    )
}

pub fn lead_of(unit: &str) -> Actor {
    person(
        &format!("usr-lead-{unit}"),
        "负责人丁",
        Role::UnitLead,
        &[unit],
    )
}

/// The unit's lead submits the plan and the office approves it: every open finding of
/// the feedback becomes planned.
pub async fn approve_plan(store: &dyn Store, feedback_id: &str, unit: &str) {
    let submit = Change::SubmitPlan {
        feedback_id: feedback_id.into(),
        reason: String::new(),
    };
    store
        .apply(&lead_of(unit), Work::one(submit))
        .await
        .expect("submit plan");
    let approve = Change::ApprovePlan {
        feedback_id: feedback_id.into(),
        reason: String::new(),
    };
    store
        .apply(&office(), Work::one(approve))
        .await
        .expect("approve plan");
}

pub fn command(finding_id: &str, command: FindingCommandKind, reason: &str) -> Change {
    Change::Finding {
        finding_id: finding_id.into(),
        command,
        reason: reason.into(),
        evidence: vec![],
    }
}

/// A unit of work that attaches `bytes` as an evidence file named `name`.
pub fn evidence(finding_id: &str, name: &str, bytes: &[u8]) -> Work {
    Work {
        changes: vec![Change::AttachEvidence {
            finding_id: finding_id.into(),
            evidence: EvidenceDraft {
                name: name.into(),
                media_type: "application/pdf".into(),
                size: bytes.len() as u64,
                sha256: sha256_hex(bytes),
                description: "整改专题会议纪要".into(),
            },
        }],
        blobs: vec![bytes.to_vec()],
    }
}

/// Every measure of the finding done.
pub fn finish_measures(f: &Finding) -> Work {
    Work::from(
        f.measures
            .iter()
            .map(|m| Change::SetMeasureStatus {
                measure_id: m.id.clone(),
                status: MeasureStatus::Done,
                long_term_reason: None,
            })
            .collect::<Vec<_>>(),
    )
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
