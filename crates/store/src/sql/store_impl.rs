//! The `Store` trait over the generic implementation.

use async_trait::async_trait;
use sqlx::{Executor, IntoArguments};
use zhenggai_core::event::{Anchor, Event};
use zhenggai_core::stats::UnitStats;
use zhenggai_core::*;

use super::reads::push_scope;
use super::{Sql, SqlStore, Stmt};
use crate::api::*;
use crate::error::{Result, StoreError};
use crate::{ImportTx, Store};

#[async_trait]
impl<DB: Sql> Store for SqlStore<DB>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Vec<u8>: sqlx::Encode<'a, DB> + sqlx::Type<DB> + sqlx::Decode<'a, DB>,
    for<'a> Option<String>: sqlx::Encode<'a, DB>,
    for<'a> Option<i64>: sqlx::Encode<'a, DB>,
    for<'r> &'r str: sqlx::ColumnIndex<DB::Row>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    fn backend(&self) -> &'static str {
        <DB as Sql>::NAME
    }

    fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    async fn is_empty(&self) -> Result<bool> {
        Ok(self.read_head().await?.seq == 0)
    }

    async fn apply(&self, actor: &Actor, work: Work) -> Result<Vec<Applied>> {
        self.apply_work(actor, work).await
    }

    async fn begin_import(&self, actor: &Actor) -> Result<Box<dyn ImportTx>> {
        Ok(Box::new(self.start_import(actor).await?))
    }

    async fn rounds(&self, actor: &Actor) -> Result<Vec<Round>> {
        authorize(actor, Access::ReadScoped)?;
        let mut st = Stmt::new::<DB>("SELECT body FROM rounds r WHERE 1 = 1");
        if actor.scope != Scope::All {
            st.push(" AND r.id IN (SELECT round_id FROM feedbacks WHERE 1 = 1");
            push_scope(&mut st, actor, "unit_id");
            st.push(")");
        }
        st.push(" ORDER BY r.id");
        let bodies: Vec<(String,)> = st.query_as().fetch_all(&self.pool).await?;
        bodies
            .iter()
            .map(|(b,)| {
                serde_json::from_str(b).map_err(|e| StoreError::Corrupt(format!("round: {e}")))
            })
            .collect()
    }

    async fn units(&self, actor: &Actor) -> Result<Vec<Unit>> {
        authorize(actor, Access::ReadScoped)?;
        let mut st = Stmt::new::<DB>("SELECT body FROM units WHERE 1 = 1");
        push_scope(&mut st, actor, "id");
        st.push(" ORDER BY id");
        let bodies: Vec<(String,)> = st.query_as().fetch_all(&self.pool).await?;
        bodies
            .iter()
            .map(|(b,)| {
                serde_json::from_str(b).map_err(|e| StoreError::Corrupt(format!("unit: {e}")))
            })
            .collect()
    }

    async fn feedbacks(&self, actor: &Actor) -> Result<Vec<FeedbackRef>> {
        authorize(actor, Access::ReadScoped)?;
        let mut st =
            Stmt::new::<DB>("SELECT id, round_id, unit_id, plan_status FROM feedbacks WHERE 1 = 1");
        push_scope(&mut st, actor, "unit_id");
        st.push(" ORDER BY id");
        let rows: Vec<(String, String, String, String)> =
            st.query_as().fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(|(id, round_id, unit_id, plan)| FeedbackRef {
                id,
                round_id,
                unit_id,
                plan: PlanStatus::ALL
                    .into_iter()
                    .find(|p| p.as_str() == plan)
                    .unwrap_or_default(),
            })
            .collect())
    }

    async fn feedback(&self, actor: &Actor, id: &str) -> Result<Feedback> {
        self.read_feedback(actor, id).await
    }

    async fn feedback_head(&self, actor: &Actor, id: &str) -> Result<FeedbackHead> {
        self.read_feedback_head(actor, id).await
    }

    async fn finding(&self, actor: &Actor, id: &str) -> Result<FindingView> {
        self.read_finding(actor, id).await
    }

    async fn findings(
        &self,
        actor: &Actor,
        today: Date,
        query: &FindingQuery,
    ) -> Result<Page<FindingLine>> {
        self.read_findings(actor, today, query).await
    }

    async fn ledger(
        &self,
        actor: &Actor,
        today: Date,
        query: &FindingQuery,
    ) -> Result<Page<LedgerLine>> {
        self.read_ledger(actor, today, query).await
    }

    async fn events(&self, actor: &Actor, query: &EventQuery) -> Result<Page<Event>> {
        self.read_events(actor, query).await
    }

    async fn stats(&self, actor: &Actor, today: Date) -> Result<Vec<UnitStats>> {
        self.read_stats(actor, today).await
    }

    async fn report(
        &self,
        actor: &Actor,
        today: Date,
        round_id: Option<&str>,
    ) -> Result<zhenggai_core::report::Report> {
        self.read_report(actor, today, round_id).await
    }

    async fn evidence_file(
        &self,
        actor: &Actor,
        finding_id: &str,
        evidence_id: &str,
    ) -> Result<(Evidence, Vec<u8>)> {
        self.read_evidence(actor, finding_id, evidence_id).await
    }

    async fn blob(&self, actor: &Actor, sha256: &str) -> Result<Vec<u8>> {
        authorize(actor, Access::ExportAll)?;
        let data: Option<Vec<u8>> = sqlx::query_scalar("SELECT data FROM blobs WHERE id = $1")
            .bind(sha256.to_string())
            .fetch_optional(&self.pool)
            .await?;
        data.ok_or_else(|| StoreError::not_found("佐证材料文件", sha256))
    }

    async fn event_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM events")
            .fetch_one(&self.pool)
            .await?)
    }

    async fn head(&self) -> Result<Anchor> {
        self.read_head().await
    }

    async fn verify(&self, anchor: Option<&Anchor>) -> Result<VerifyReport> {
        DB::verify(self, anchor).await
    }

    async fn add_user(&self, actor: &Actor, user: NewUser) -> Result<User> {
        self.create_user(actor, user).await
    }

    async fn change_account(&self, actor: &Actor, change: AccountChange) -> Result<()> {
        self.account_change(actor, change).await
    }

    async fn users(&self, actor: &Actor) -> Result<Vec<User>> {
        self.list_users(actor).await
    }

    async fn tokens(&self, actor: &Actor, user_id: &str) -> Result<Vec<ApiToken>> {
        self.list_tokens(actor, user_id).await
    }

    async fn credentials(&self, login: &str) -> Result<Option<(User, String)>> {
        self.user_credentials(login).await
    }

    async fn token_user(&self, token_sha256: &str) -> Result<Option<User>> {
        self.user_of_token(token_sha256).await
    }

    async fn create_session(&self, id_sha256: &str, user_id: &str, csrf: &str) -> Result<()> {
        self.new_session(id_sha256, user_id, csrf).await
    }

    async fn session(&self, id_sha256: &str, touch: bool) -> Result<Option<Session>> {
        self.get_session(id_sha256, touch).await
    }

    async fn end_session(&self, id_sha256: &str) -> Result<()> {
        self.drop_session(id_sha256).await
    }

    async fn backup_to(&self, path: &std::path::Path) -> Result<Anchor> {
        let Some(sql) = DB::BACKUP else {
            return Err(StoreError::Unsupported(
                "PostgreSQL 数据库请用 pg_dump 备份",
            ));
        };
        let file = path.display().to_string();
        let mut conn = self.pool.acquire().await?;
        sqlx::query(sql).bind(&file).execute(&mut *conn).await?;
        // The head comes from the copy itself: read from the live file, it may already
        // name an event that another writer committed after the copy was taken.
        sqlx::query("ATTACH DATABASE $1 AS backup_copy")
            .bind(&file)
            .execute(&mut *conn)
            .await?;
        let head: std::result::Result<(i64, String), _> =
            sqlx::query_as("SELECT seq, hash FROM backup_copy.chain_head WHERE id = 1")
                .fetch_one(&mut *conn)
                .await;
        sqlx::query("DETACH DATABASE backup_copy")
            .execute(&mut *conn)
            .await?;
        let (seq, hash) = head?;
        Ok(Anchor { seq, hash })
    }

    async fn close(&self) {
        self.close_writer().await;
        self.pool.close().await;
    }
}
