//! Storage for the zhenggai ledger: the `Store` trait, shaped by the domain, implemented once
//! over sqlx for SQLite (the embedded default) and PostgreSQL (`sql`), each with its own
//! migrations. The store loads, asks core, writes: every change is decided by
//! `zhenggai_core` and written with its event in the same transaction; every read takes the
//! actor and is filtered by core's access function.

pub mod api;
pub mod error;
pub mod rows;
mod sql;

use std::sync::Arc;

use async_trait::async_trait;
use zhenggai_core::stats::UnitStats;
use zhenggai_core::*;

pub use api::*;
pub use error::{Result, StoreError};
pub use sql::SystemClock;

/// Evidence files larger than this are refused unless the store is opened with another
/// limit.
pub const DEFAULT_MAX_FILE: u64 = 50 * 1024 * 1024;

/// An import in progress: everything put into it lands in one transaction when committed,
/// or not at all when it is dropped or any put fails.
#[async_trait]
pub trait ImportTx: Send {
    async fn put_round(&mut self, path: &str, round: &Round) -> Result<()>;
    async fn put_unit(&mut self, path: &str, unit: &Unit) -> Result<()>;
    async fn put_feedback(&mut self, path: &str, feedback: &Feedback) -> Result<()>;
    /// An evidence file's bytes, stored once by their sha256.
    async fn put_blob(&mut self, bytes: &[u8]) -> Result<String>;
    /// Records the published notice a feedback was read from; refuses a notice whose
    /// file or decoded text was imported before.
    async fn put_source(
        &mut self,
        file_sha256: &str,
        text_sha256: &str,
        file: &str,
        feedback_id: &str,
    ) -> Result<()>;
    async fn commit(self: Box<Self>) -> Result<ImportSummary>;
}

#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> &'static str;
    fn clock(&self) -> &dyn Clock;
    async fn is_empty(&self) -> Result<bool>;

    /// Applies a unit of work in one transaction, one event per change, or nothing.
    async fn apply(&self, actor: &Actor, work: Work) -> Result<Vec<Applied>>;
    async fn begin_import(&self, actor: &Actor) -> Result<Box<dyn ImportTx>>;

    /// Rounds and units the actor may see, in id order.
    async fn rounds(&self, actor: &Actor) -> Result<Vec<Round>>;
    async fn units(&self, actor: &Actor) -> Result<Vec<Unit>>;
    async fn feedbacks(&self, actor: &Actor) -> Result<Vec<FeedbackRef>>;
    async fn feedback(&self, actor: &Actor, id: &str) -> Result<Feedback>;
    async fn feedback_head(&self, actor: &Actor, id: &str) -> Result<FeedbackHead>;
    async fn finding(&self, actor: &Actor, id: &str) -> Result<FindingView>;
    async fn findings(
        &self,
        actor: &Actor,
        today: Date,
        query: &FindingQuery,
    ) -> Result<Page<FindingLine>>;
    /// The same page with each finding's measures and the titles it hangs under.
    async fn ledger(
        &self,
        actor: &Actor,
        today: Date,
        query: &FindingQuery,
    ) -> Result<Page<LedgerLine>>;
    async fn events(&self, actor: &Actor, query: &EventQuery) -> Result<Page<event::Event>>;
    async fn stats(&self, actor: &Actor, today: Date) -> Result<Vec<UnitStats>>;
    /// The statistics of one round, or of all rounds, that the actor may see: by unit, by
    /// category, closures by month, outcomes, and the totals an office publishes.
    async fn report(
        &self,
        actor: &Actor,
        today: Date,
        round_id: Option<&str>,
    ) -> Result<zhenggai_core::report::Report>;
    /// An evidence file of a finding, with its bytes.
    async fn evidence_file(
        &self,
        actor: &Actor,
        finding_id: &str,
        evidence_id: &str,
    ) -> Result<(Evidence, Vec<u8>)>;
    /// Every stored file's bytes by sha256, for an export with evidence.
    async fn blob(&self, actor: &Actor, sha256: &str) -> Result<Vec<u8>>;

    async fn event_count(&self) -> Result<i64>;
    async fn head(&self) -> Result<Anchor>;
    /// Walks the chain, then compares every stored record and file with it.
    async fn verify(&self, anchor: Option<&Anchor>) -> Result<VerifyReport>;

    async fn add_user(&self, actor: &Actor, user: NewUser) -> Result<User>;
    async fn change_account(&self, actor: &Actor, change: AccountChange) -> Result<()>;
    async fn users(&self, actor: &Actor) -> Result<Vec<User>>;
    async fn tokens(&self, actor: &Actor, user_id: &str) -> Result<Vec<ApiToken>>;
    /// For signing in: the user and their password hash, whoever asks.
    async fn credentials(&self, login: &str) -> Result<Option<(User, String)>>;
    async fn token_user(&self, token_sha256: &str) -> Result<Option<User>>;
    async fn create_session(&self, id_sha256: &str, user_id: &str, csrf: &str) -> Result<()>;
    /// The session and its user; `touch` moves its last-seen time to now.
    async fn session(&self, id_sha256: &str, touch: bool) -> Result<Option<Session>>;
    async fn end_session(&self, id_sha256: &str) -> Result<()>;

    /// A consistent copy of the whole database while others keep writing (SQLite only);
    /// returns the copy's own chain head.
    async fn backup_to(&self, path: &std::path::Path) -> Result<Anchor>;
    async fn close(&self);
}

/// How to open a store.
#[derive(Clone)]
pub struct Options {
    pub clock: Arc<dyn Clock>,
    pub max_file: u64,
    /// This process is the database's only user while it imports (a command-line
    /// import, not a server): an import into an empty SQLite ledger may then write the
    /// file directly instead of through the write-ahead log (`Sql::BULK_JOURNAL`).
    pub sole_user: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            clock: Arc::new(SystemClock),
            max_file: DEFAULT_MAX_FILE,
            sole_user: false,
        }
    }
}

/// Opens the store a URL names (`sqlite://…` or `postgres://…`), running its migrations.
pub async fn open(url: &str) -> Result<Box<dyn Store>> {
    open_with(url, Options::default()).await
}

pub async fn open_with(url: &str, options: Options) -> Result<Box<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Box::new(sql::sqlite::connect(url, options).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(sql::postgres::connect(url, options).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_string()))
    }
}
