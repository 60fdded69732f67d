//! Users, API tokens and sessions. Account changes are events like ledger changes (their
//! payloads leave out password hashes and tokens); sessions are not ledger data.

use serde::Serialize;
use sqlx::{Executor, FromRow, IntoArguments};
use zhenggai_core::event::NewEvent;
use zhenggai_core::limits::{check, NAME};
use zhenggai_core::*;

use super::{by_table, update_rows, write_rows, Sql, SqlStore};
use crate::api::*;
use crate::error::{Result, StoreError};
use crate::rows::{Row, RowSet, Val, API_TOKENS, USERS};

#[derive(Debug, Clone, FromRow)]
struct UserRow {
    id: String,
    login: String,
    name: String,
    role: String,
    units: String,
    password_hash: String,
    disabled: i64,
    created_at: String,
}

impl UserRow {
    fn user(&self) -> Result<User> {
        let corrupt = || StoreError::Corrupt(format!("user {}", self.id));
        Ok(User {
            id: self.id.clone(),
            login: self.login.clone(),
            name: self.name.clone(),
            role: Role::parse(&self.role).ok_or_else(corrupt)?,
            units: serde_json::from_str(&self.units).map_err(|_| corrupt())?,
            disabled: self.disabled != 0,
            created_at: self.created_at.clone(),
        })
    }

    fn row(&self) -> Row {
        Row {
            table: USERS,
            values: vec![
                self.id.clone().into(),
                self.login.clone().into(),
                self.name.clone().into(),
                self.role.clone().into(),
                self.units.clone().into(),
                self.password_hash.clone().into(),
                Val::Int(self.disabled),
                self.created_at.clone().into(),
            ],
        }
    }
}

#[derive(Debug, Clone, FromRow)]
struct TokenRow {
    id: String,
    user_id: String,
    label: String,
    created_at: String,
}

impl TokenRow {
    fn row(&self) -> Row {
        Row {
            table: API_TOKENS,
            values: vec![
                self.id.clone().into(),
                self.user_id.clone().into(),
                self.label.clone().into(),
                self.created_at.clone().into(),
            ],
        }
    }
}

/// What an account event says: who, not their secrets.
#[derive(Serialize)]
struct AccountPayload<'a> {
    user_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    login: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    units: Option<&'a [Id]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
}

fn may_manage(actor: &Actor, user_id: &str) -> Result<()> {
    if actor.user_id == user_id {
        return Ok(());
    }
    Ok(authorize(actor, Access::ManageAccounts)?)
}

const USER_COLUMNS: &str = "id, login, name, role, units, password_hash, disabled, created_at";

impl<DB: Sql> SqlStore<DB>
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
    /// Writes what changed between `before` and `after` with one event, in one transaction.
    async fn account_write(
        &self,
        actor: &Actor,
        action: &str,
        payload: &AccountPayload<'_>,
        before: RowSet,
        after: RowSet,
    ) -> Result<()> {
        let diff = before.diff(&after);
        let mut tx = self.pool.begin_with(DB::BEGIN_WRITE).await?;
        let mut linker = self.lock_head(&mut tx).await?;
        update_rows::<DB>(&mut DB::exec(&mut tx), diff.updates).await?;
        for (table, rows) in by_table(diff.inserts) {
            write_rows::<DB>(&mut DB::exec(&mut tx), table, rows).await?;
        }
        for (table, id) in diff.deletes {
            sqlx::query(&format!("DELETE FROM {} WHERE id = $1", table.name))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        linker.link(
            NewEvent::new(
                &actor.user_id,
                &actor.name,
                "user",
                payload.user_id,
                action,
                payload,
            )
            .with_states(&diff.states),
        );
        self.append(&mut DB::exec(&mut tx), linker).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn user_row(&self, id: &str) -> Result<Option<UserRow>> {
        Ok(
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub(crate) async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        authorize(actor, Access::ManageAccounts)?;
        let id = format!("usr-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
        check("login", &new.login, 64, true)?;
        if new
            .login
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ':' | '/' | '\\'))
        {
            return Err(CoreError::invalid("login", "登录名不能含空白、冒号或斜杠").into());
        }
        check("name", &new.name, NAME, true)?;
        Actor::new(id.clone(), new.name.clone(), new.role, new.units.clone())?;
        let mut conn = self.pool.acquire().await?;
        for u in &new.units {
            if self.load_unit(&mut DB::exec(&mut conn), u).await?.is_none() {
                return Err(CoreError::invalid("units", format!("单位“{u}”不存在")).into());
            }
        }
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE login = $1")
            .bind(new.login.clone())
            .fetch_optional(&mut *conn)
            .await?;
        drop(conn);
        if taken.is_some() {
            return Err(StoreError::Conflict {
                path: "login".into(),
                message: format!("登录名“{}”已被使用", new.login),
            });
        }
        let row = UserRow {
            id: id.clone(),
            login: new.login.clone(),
            name: new.name.clone(),
            role: new.role.as_str().into(),
            units: serde_json::to_string(&new.units).unwrap_or_else(|_| "[]".into()),
            password_hash: new.password_hash,
            disabled: 0,
            created_at: super::timestamp(self.clock.now()),
        };
        let payload = AccountPayload {
            user_id: &id,
            login: Some(&new.login),
            role: Some(new.role.as_str()),
            units: Some(&new.units),
            label: None,
        };
        self.account_write(
            actor,
            "create_user",
            &payload,
            RowSet::default(),
            RowSet::new([row.row()]),
        )
        .await?;
        row.user()
    }

    pub(crate) async fn account_change(&self, actor: &Actor, change: AccountChange) -> Result<()> {
        let payload = |user_id| AccountPayload {
            user_id,
            login: None,
            role: None,
            units: None,
            label: None,
        };
        match change {
            AccountChange::Disable { user_id } => {
                self.set_disabled(actor, &user_id, true, payload(&user_id))
                    .await
            }
            AccountChange::Enable { user_id } => {
                self.set_disabled(actor, &user_id, false, payload(&user_id))
                    .await
            }
            AccountChange::SetPassword {
                user_id,
                password_hash,
            } => {
                may_manage(actor, &user_id)?;
                let old = self
                    .user_row(&user_id)
                    .await?
                    .ok_or_else(|| StoreError::not_found("用户", &user_id))?;
                let mut new = old.clone();
                new.password_hash = password_hash;
                self.account_write(
                    actor,
                    "set_password",
                    &payload(&user_id),
                    RowSet::new([old.row()]),
                    RowSet::new([new.row()]),
                )
                .await
            }
            AccountChange::AddToken {
                user_id,
                token_sha256,
                label,
            } => {
                may_manage(actor, &user_id)?;
                check("label", &label, NAME, false)?;
                self.user_row(&user_id)
                    .await?
                    .ok_or_else(|| StoreError::not_found("用户", &user_id))?;
                let row = TokenRow {
                    id: token_sha256,
                    user_id: user_id.clone(),
                    label: label.clone(),
                    created_at: super::timestamp(self.clock.now()),
                };
                let p = AccountPayload {
                    label: Some(&label),
                    ..payload(&user_id)
                };
                self.account_write(
                    actor,
                    "add_token",
                    &p,
                    RowSet::default(),
                    RowSet::new([row.row()]),
                )
                .await
            }
            AccountChange::RevokeToken { token_sha256 } => {
                let row: Option<TokenRow> = sqlx::query_as(
                    "SELECT id, user_id, label, created_at FROM api_tokens WHERE id = $1",
                )
                .bind(token_sha256.clone())
                .fetch_optional(&self.pool)
                .await?;
                let row = row.ok_or_else(|| StoreError::not_found("令牌", "…"))?;
                may_manage(actor, &row.user_id)?;
                let p = AccountPayload {
                    label: Some(&row.label),
                    ..payload(&row.user_id)
                };
                self.account_write(
                    actor,
                    "revoke_token",
                    &p,
                    RowSet::new([row.row()]),
                    RowSet::default(),
                )
                .await
            }
        }
    }

    async fn set_disabled(
        &self,
        actor: &Actor,
        user_id: &str,
        disabled: bool,
        payload: AccountPayload<'_>,
    ) -> Result<()> {
        authorize(actor, Access::ManageAccounts)?;
        let old = self
            .user_row(user_id)
            .await?
            .ok_or_else(|| StoreError::not_found("用户", user_id))?;
        let mut new = old.clone();
        new.disabled = i64::from(disabled);
        let action = if disabled {
            "disable_user"
        } else {
            "enable_user"
        };
        self.account_write(
            actor,
            action,
            &payload,
            RowSet::new([old.row()]),
            RowSet::new([new.row()]),
        )
        .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id.to_string())
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    pub(crate) async fn list_users(&self, actor: &Actor) -> Result<Vec<User>> {
        authorize(actor, Access::ManageAccounts)?;
        let rows: Vec<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY login"))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(UserRow::user).collect()
    }

    pub(crate) async fn list_tokens(&self, actor: &Actor, user_id: &str) -> Result<Vec<ApiToken>> {
        may_manage(actor, user_id)?;
        let rows: Vec<TokenRow> =
            sqlx::query_as("SELECT id, user_id, label, created_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at")
                .bind(user_id.to_string())
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|r| ApiToken {
                id: r.id,
                user_id: r.user_id,
                label: r.label,
                created_at: r.created_at,
            })
            .collect())
    }

    pub(crate) async fn user_credentials(&self, login: &str) -> Result<Option<(User, String)>> {
        let row: Option<UserRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE login = $1"
        ))
        .bind(login.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.user()?, r.password_hash))).transpose()
    }

    pub(crate) async fn user_of_token(&self, token_sha256: &str) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT u.id, u.login, u.name, u.role, u.units, u.password_hash, u.disabled, u.created_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1 AND u.disabled = 0",
        )
        .bind(token_sha256.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.user()).transpose()
    }

    pub(crate) async fn new_session(
        &self,
        id_sha256: &str,
        user_id: &str,
        csrf: &str,
    ) -> Result<()> {
        let now = super::timestamp(self.clock.now());
        sqlx::query("INSERT INTO sessions (id, user_id, csrf, created_at, seen_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(id_sha256.to_string())
            .bind(user_id.to_string())
            .bind(csrf.to_string())
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub(crate) async fn get_session(
        &self,
        id_sha256: &str,
        touch: bool,
    ) -> Result<Option<Session>> {
        #[derive(FromRow)]
        struct S {
            #[sqlx(flatten)]
            user: UserRow,
            csrf: String,
            session_created_at: String,
            seen_at: String,
        }
        // One statement: every page view asks for its session.
        let s: Option<S> = sqlx::query_as(
            "SELECT u.id, u.login, u.name, u.role, u.units, u.password_hash, u.disabled, u.created_at, \
             s.csrf, s.created_at AS session_created_at, s.seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
        )
        .bind(id_sha256.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(s) = s else { return Ok(None) };
        let user = s.user.user()?;
        if user.disabled {
            return Ok(None);
        }
        if touch {
            sqlx::query("UPDATE sessions SET seen_at = $1 WHERE id = $2")
                .bind(super::timestamp(self.clock.now()))
                .bind(id_sha256.to_string())
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(Session {
            user,
            csrf: s.csrf,
            created_at: s.session_created_at,
            seen_at: s.seen_at,
        }))
    }

    pub(crate) async fn drop_session(&self, id_sha256: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id_sha256.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
