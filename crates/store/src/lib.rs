//! Storage for the zhenggai ledger: the `Store` trait, shaped by the domain, with a SQLite
//! implementation (the embedded default) and a PostgreSQL one. Both share the row mapping in
//! `rows` and the SQL in `backend`, and write every change together with its event in one
//! transaction.

mod backend;
pub mod error;
pub mod postgres;
pub mod rows;
pub mod sqlite;

use async_trait::async_trait;
use serde::Serialize;
use zhenggai_core::stats::UnitStats;
use zhenggai_core::*;

pub use error::{Result, StoreError};

/// One change to the ledger; each is written with exactly one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Finding {
        finding_id: Id,
        command: FindingCommandKind,
        reason: String,
        evidence: Vec<Id>,
    },
    AddProgress {
        measure_id: Id,
        update: ProgressUpdate,
    },
    SetMeasureStatus {
        measure_id: Id,
        status: MeasureStatus,
        long_term_reason: Option<String>,
    },
    AttachEvidence {
        finding_id: Id,
        evidence: Evidence,
    },
    AddOutcome {
        measure_id: Id,
        outcome: Outcome,
    },
    /// The unit asks for a later due date (延期).
    RequestExtension {
        measure_id: Id,
        extension_id: Id,
        new_due: Date,
        reason: String,
    },
    /// The inspection office approves or refuses a pending extension.
    DecideExtension {
        measure_id: Id,
        extension_id: Id,
        approve: bool,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub rounds: u64,
    pub units: u64,
    pub feedbacks: u64,
    pub findings: u64,
    pub measures: u64,
    /// Records already present with the same content, left as they were.
    pub unchanged: u64,
    pub events: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub checked: u64,
    /// The first event that does not fit the chain, and why.
    pub broken: Option<(i64, String)>,
}

/// An import in progress: everything put into it lands in one transaction when committed,
/// or not at all when it is dropped or any put fails.
#[async_trait]
pub trait ImportTx: Send {
    async fn put_round(&mut self, path: &str, round: &Round) -> Result<()>;
    async fn put_unit(&mut self, path: &str, unit: &Unit) -> Result<()>;
    async fn put_feedback(&mut self, path: &str, feedback: &Feedback) -> Result<()>;
    /// Records the published notice a feedback was read from; refuses a file seen before.
    async fn put_source(&mut self, sha256: &str, file: &str, feedback_id: &str) -> Result<()>;
    async fn commit(self: Box<Self>) -> Result<ImportSummary>;
}

#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> &'static str;
    async fn is_empty(&self) -> Result<bool>;
    async fn begin_import(&self, actor: &str) -> Result<Box<dyn ImportTx>>;
    /// Rounds, units and feedback ids in id order, the order of the export.
    async fn rounds(&self) -> Result<Vec<Round>>;
    async fn units(&self) -> Result<Vec<Unit>>;
    async fn feedback_ids(&self) -> Result<Vec<Id>>;
    async fn feedback(&self, id: &str) -> Result<Feedback>;
    /// Applies one change by `actor` on `date`, checked by the domain rules.
    async fn apply(&self, actor: &Actor, date: Date, change: Change) -> Result<()>;
    async fn stats(&self, today: Date) -> Result<Vec<UnitStats>>;
    async fn event_count(&self) -> Result<i64>;
    async fn verify(&self) -> Result<VerifyReport>;
    async fn close(&self);
}

/// Opens the store a URL names (`sqlite://…` or `postgres://…`), running its migrations.
pub async fn open(url: &str) -> Result<Box<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Box::new(sqlite::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}
