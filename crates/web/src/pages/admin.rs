//! 用户 (administrators): accounts, their roles and units, disabling, new passwords and API
//! tokens. A token is shown once; only its sha256 is kept.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use zhenggai_app::accounts;
use zhenggai_core::*;
use zhenggai_store::AccountChange;

use super::render;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{Flash, Me};

pub struct UserLine {
    pub id: String,
    pub login: String,
    pub name: String,
    pub role: &'static str,
    pub units: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    me: Option<Me>,
    flash: Option<Flash>,
    csrf: String,
    users: Vec<UserLine>,
    units: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    token: Option<(String, String)>,
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    ok: Option<String>,
}

async fn show(
    state: &AppState,
    me: &SignedIn,
    flash: Option<Flash>,
    token: Option<(String, String)>,
) -> Result<Html<String>, PageError> {
    let store = state.store.as_ref();
    let units: Vec<(String, String)> = store
        .units(&me.actor)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let name_of = |id: &str| {
        units
            .iter()
            .find(|(u, _)| u == id)
            .map_or(id.to_string(), |(_, n)| n.clone())
    };
    let users = store
        .users(&me.actor)
        .await?
        .into_iter()
        .map(|u| UserLine {
            units: u
                .units
                .iter()
                .map(|x| name_of(x))
                .collect::<Vec<_>>()
                .join("、"),
            id: u.id,
            login: u.login,
            name: u.name,
            role: u.role.zh(),
            disabled: u.disabled,
        })
        .collect();
    let roles = [
        Role::Admin,
        Role::Office,
        Role::Supervisor,
        Role::UnitEditor,
        Role::UnitLead,
    ]
    .iter()
    .map(|r| (r.as_str(), r.zh()))
    .collect();
    render(&UsersPage {
        me: Some(Me::of(me)),
        flash,
        csrf: me.csrf.clone(),
        users,
        units,
        roles,
        token,
    })
}

pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    authorize(&me.actor, Access::ManageAccounts)?;
    show(&state, &me, Flash::from_code(q.ok.as_deref()), None).await
}

#[derive(serde::Deserialize)]
pub struct NewUserForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    password: String,
}

async fn refused(state: &AppState, me: &SignedIn, e: WebError) -> Result<Response, PageError> {
    if matches!(e.status(), StatusCode::FORBIDDEN) || e.status().is_server_error() {
        return Err(PageError(e));
    }
    let status = e.status();
    Ok((
        status,
        show(state, me, Flash::bad(e.public_message()), None).await?,
    )
        .into_response())
}

pub async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    Form(f): Form<NewUserForm>,
) -> Result<Response, PageError> {
    me.check_csrf(&f.csrf)?;
    let Some(role) = Role::parse(&f.role).filter(|r| *r != Role::Public) else {
        return refused(&state, &me, WebError::BadRequest("请选择角色".into())).await;
    };
    let units = if f.unit.is_empty() {
        vec![]
    } else {
        vec![f.unit.clone()]
    };
    let name = if f.name.trim().is_empty() {
        f.login.trim()
    } else {
        f.name.trim()
    };
    match accounts::add_user(
        state.store.as_ref(),
        &me.actor,
        f.login.trim(),
        name,
        role,
        units,
        &f.password,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users?ok=user").into_response()),
        Err(e) => refused(&state, &me, e.into()).await,
    }
}

#[derive(serde::Deserialize)]
pub struct UserActionForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    label: String,
}

pub async fn act(
    State(state): State<AppState>,
    me: SignedIn,
    Path(user_id): Path<String>,
    Form(f): Form<UserActionForm>,
) -> Result<Response, PageError> {
    me.check_csrf(&f.csrf)?;
    authorize(&me.actor, Access::ManageAccounts)?;
    let store = state.store.as_ref();
    let result: Result<Option<(String, String)>, WebError> = async {
        match f.action.as_str() {
            "disable" => {
                store
                    .change_account(&me.actor, AccountChange::Disable { user_id })
                    .await?
            }
            "enable" => {
                store
                    .change_account(&me.actor, AccountChange::Enable { user_id })
                    .await?
            }
            "password" => accounts::set_password(store, &me.actor, &user_id, &f.password).await?,
            "token" => {
                let login = store
                    .users(&me.actor)
                    .await?
                    .into_iter()
                    .find(|u| u.id == user_id)
                    .map(|u| u.login)
                    .unwrap_or_default();
                let token = accounts::issue_token(store, &me.actor, &user_id, &f.label).await?;
                return Ok(Some((login, token)));
            }
            _ => return Err(WebError::BadRequest("未知的操作".into())),
        }
        Ok(None)
    }
    .await;
    match result {
        Ok(Some(token)) => Ok(show(
            &state,
            &me,
            Flash::good("令牌已发放，只显示这一次，请立即保存"),
            Some(token),
        )
        .await?
        .into_response()),
        Ok(None) => Ok(Redirect::to("/admin/users?ok=user").into_response()),
        Err(e) => refused(&state, &me, e).await,
    }
}
