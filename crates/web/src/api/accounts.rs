//! Accounts, for administrators: list and add users, disable and enable them, set a
//! password, issue an API token (shown once; only its sha256 is kept), list and revoke
//! tokens. The store asks core whether the caller may.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use zhenggai_app::accounts;
use zhenggai_core::{authorize, Access, Role};
use zhenggai_store::{AccountChange, ApiToken, User};

use super::extract::{JsonBody, PathParams};
use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::state::AppState;

/// A body for administrators only: anyone else is refused before it is read.
fn admins_only<T>(who: &ApiUser, body: Result<T, ApiError>) -> Result<T, ApiError> {
    authorize(&who.actor, Access::ManageAccounts)?;
    body
}

/// Every account.
#[utoipa::path(get, path = "/api/v1/users", operation_id = "list_users", tag = "accounts",
    responses((status = 200, description = "Accounts", body = Vec<User>)))]
pub async fn list(
    State(state): State<AppState>,
    who: ApiUser,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(state.store.users(&who.actor).await?))
}

/// A new account.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub login: String,
    /// Shown in the ledger's history; the login when empty.
    #[serde(default)]
    pub name: String,
    pub role: Role,
    /// The units a unit's people answer for (at least one); none for other roles.
    #[serde(default)]
    pub units: Vec<String>,
    /// At least 8 characters.
    #[schema(min_length = 8, max_length = 200)]
    pub password: String,
}

/// Adds an account.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "add_user", tag = "accounts", request_body = NewUserBody,
    responses((status = 201, description = "The account", body = User),
        (status = 409, description = "The login is taken", body = crate::error::ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    who: ApiUser,
    body: Result<JsonBody<NewUserBody>, ApiError>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let JsonBody(b) = admins_only(&who, body)?;
    let login = b.login.trim();
    let name = Some(b.name.trim())
        .filter(|n| !n.is_empty())
        .unwrap_or(login);
    let user = accounts::add_user(
        state.store.as_ref(),
        &who.actor,
        login,
        name,
        b.role,
        b.units,
        &b.password,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Disables an account: its sessions end at once and its tokens stop working.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", operation_id = "disable_user", tag = "accounts",
    params(("id" = String, Path, description = "The user's id")),
    responses((status = 204, description = "Disabled"),
        (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn disable(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(user_id): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    let change = AccountChange::Disable { user_id };
    state.store.change_account(&who.actor, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables an account again.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", operation_id = "enable_user", tag = "accounts",
    params(("id" = String, Path, description = "The user's id")),
    responses((status = 204, description = "Enabled"),
        (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn enable(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(user_id): PathParams<String>,
) -> Result<StatusCode, ApiError> {
    let change = AccountChange::Enable { user_id };
    state.store.change_account(&who.actor, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// At least 8 characters.
    #[schema(min_length = 8, max_length = 200)]
    pub password: String,
}

/// Sets a new password.
#[utoipa::path(put, path = "/api/v1/users/{id}/password", operation_id = "set_password", tag = "accounts",
    request_body = PasswordBody,
    params(("id" = String, Path, description = "The user's id")),
    responses((status = 204, description = "Set"),
        (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn password(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(user_id): PathParams<String>,
    body: Result<JsonBody<PasswordBody>, ApiError>,
) -> Result<StatusCode, ApiError> {
    let JsonBody(b) = admins_only(&who, body)?;
    accounts::set_password(state.store.as_ref(), &who.actor, &user_id, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's API tokens (their ids are the sha256 of the tokens, never the tokens).
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", operation_id = "list_tokens", tag = "accounts",
    params(("id" = String, Path, description = "The user's id")),
    responses((status = 200, description = "Tokens", body = Vec<ApiToken>),
        (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn tokens(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(user_id): PathParams<String>,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    Ok(Json(state.store.tokens(&who.actor, &user_id).await?))
}

#[derive(Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// What the token is for.
    #[serde(default)]
    pub label: String,
}

/// A token, shown this once.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub user_id: String,
    pub label: String,
}

/// Issues an API token for the user.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", operation_id = "issue_token", tag = "accounts",
    request_body = TokenBody,
    params(("id" = String, Path, description = "The user's id")),
    responses((status = 201, description = "The token, shown only now", body = IssuedToken),
        (status = 404, description = "No such user", body = crate::error::ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams(user_id): PathParams<String>,
    body: Result<JsonBody<TokenBody>, ApiError>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let JsonBody(b) = admins_only(&who, body)?;
    let token = accounts::issue_token(state.store.as_ref(), &who.actor, &user_id, &b.label).await?;
    let issued = IssuedToken {
        token,
        user_id,
        label: b.label,
    };
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Revokes one of the user's tokens, named by its id. Revoking a token the user does not
/// hold (any more) changes nothing.
#[utoipa::path(delete, path = "/api/v1/users/{id}/tokens/{token}", operation_id = "revoke_token", tag = "accounts",
    params(("id" = String, Path, description = "The user's id"),
        ("token" = String, Path, description = "The token's id (its sha256)")),
    responses((status = 204, description = "Revoked, or the user holds no such token")))]
pub async fn revoke(
    State(state): State<AppState>,
    who: ApiUser,
    PathParams((user_id, token)): PathParams<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let store = state.store.as_ref();
    let theirs = store.tokens(&who.actor, &user_id).await?;
    if theirs.iter().any(|t| t.id == token) {
        let change = AccountChange::RevokeToken {
            token_sha256: token,
        };
        store.change_account(&who.actor, change).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
