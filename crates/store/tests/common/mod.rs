//! Test harness: every store test runs on a fresh SQLite file and, when the test command
//! has started a PostgreSQL server (ZHENGGAI_TEST_POSTGRES), on a fresh PostgreSQL database.

#![allow(dead_code)]

use sqlx::{Connection, Executor};
use zhenggai_core::*;
use zhenggai_store::Store;

pub struct Db {
    pub url: String,
    pub store: Box<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
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
}

pub async fn sqlite() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = zhenggai_store::open(&url).await.expect("open sqlite");
    Db {
        url,
        store,
        _dir: Some(dir),
    }
}

/// A fresh database on the test server, or None when no server was started and none is
/// required.
pub async fn postgres() -> Option<Db> {
    let Ok(admin) = std::env::var("ZHENGGAI_TEST_POSTGRES") else {
        assert!(
            std::env::var("ZHENGGAI_REQUIRE_POSTGRES").is_err(),
            "ZHENGGAI_REQUIRE_POSTGRES is set but ZHENGGAI_TEST_POSTGRES is not"
        );
        eprintln!("skipping PostgreSQL: ZHENGGAI_TEST_POSTGRES is not set");
        return None;
    };
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .expect("postgres admin");
    c.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    let url = format!("{base}/{name}");
    let store = zhenggai_store::open(&url).await.expect("open postgres");
    Some(Db {
        url,
        store,
        _dir: None,
    })
}

/// Generates one test per backend from an `async fn(&Db)`.
#[macro_export]
macro_rules! on_both {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let db = $crate::common::sqlite().await;
                    super::$case(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    if let Some(db) = $crate::common::postgres().await {
                        super::$case(&db).await;
                    }
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
    Finding {
        id: id.into(),
        title: format!("问题{id}：制度执行不严格"),
        status: FindingStatus::Open,
        measures,
        evidence: vec![],
        transitions: vec![],
        lead: None,
    }
}

/// One feedback with two findings of two measures each, all open.
pub fn feedback(id: &str, unit: &str) -> Feedback {
    Feedback {
        id: id.into(),
        round_id: "r1".into(),
        unit_id: unit.into(),
        date: date("2025-05-10"),
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

/// Imports a round, two units and one feedback for each.
pub async fn seed(store: &dyn Store) {
    let mut tx = store.begin_import("test").await.expect("begin");
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

pub fn office() -> Actor {
    Actor::new("巡察办甲", Role::Office)
}

pub fn editor() -> Actor {
    Actor::new("编辑乙", Role::UnitEditor)
}

pub fn supervisor() -> Actor {
    Actor::new("纪检丙", Role::Supervisor)
}

pub fn evidence(id: &str) -> Evidence {
    Evidence {
        id: id.into(),
        name: "会议纪要.pdf".into(),
        media_type: "application/pdf".into(),
        size: 1024,
        sha256: "ab".repeat(32),
        description: "整改专题会议纪要".into(),
    }
}
