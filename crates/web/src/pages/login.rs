//! Signing in and out.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use zhenggai_app::accounts::{self, secret, sha256_hex};

use super::{render, CsrfOnly};
use crate::auth::{self, cookie, same_secret, set_cookie, SignedIn, LOGIN_COOKIE, SESSION_COOKIE};
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::view::{Flash, Me};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    me: Option<Me>,
    flash: Option<Flash>,
    csrf: String,
    login: String,
    error: Option<String>,
}

/// The sign-in form, with a fresh double-submit token in a cookie and in the form.
fn page(
    state: &AppState,
    login: &str,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let csrf = secret();
    let page = LoginPage {
        me: None,
        flash: None,
        csrf: csrf.clone(),
        login: login.to_string(),
        error,
    };
    let cookie = set_cookie(
        LOGIN_COOKIE,
        &csrf,
        Some(3600),
        state.settings.secure_cookies,
    );
    Ok((status, [(header::SET_COOKIE, cookie)], render(&page)?).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if auth::session(&state, &headers).await?.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    page(&state, "", None, StatusCode::OK)
}

#[derive(serde::Deserialize)]
pub struct Credentials {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Result<Response, PageError> {
    if !cookie(&headers, LOGIN_COOKIE).is_some_and(|c| same_secret(c, &form.csrf)) {
        return Err(PageError(WebError::Csrf));
    }
    let address = auth::client_address(&state, &headers, Some(peer));
    let login = form.login.trim().to_string();
    let keys = vec![format!("login:{login}"), format!("addr:{address}")];
    if let Some(wait) = state.throttle.wait(&keys) {
        let message = WebError::TooMany(wait).to_string();
        let mut response = page(&state, &login, Some(message), StatusCode::TOO_MANY_REQUESTS)?;
        let seconds = HeaderValue::from(wait.as_secs().max(1));
        response.headers_mut().insert(header::RETRY_AFTER, seconds);
        return Ok(response);
    }
    match accounts::authenticate(state.store.as_ref(), &login, &form.password).await? {
        Some(user) => {
            state.throttle.succeeded(&keys[0]);
            let session = auth::start(&state, &headers, &user).await?;
            let clear = set_cookie(LOGIN_COOKIE, "", Some(0), state.settings.secure_cookies);
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().append(header::SET_COOKIE, session);
            response.headers_mut().append(header::SET_COOKIE, clear);
            Ok(response)
        }
        None => {
            state.throttle.failed(&keys);
            // One message for a wrong name and a wrong password.
            page(
                &state,
                &login,
                Some("登录名或密码不对".into()),
                StatusCode::UNAUTHORIZED,
            )
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    me: SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    me.check_csrf(&form.csrf)?;
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        state.store.end_session(&sha256_hex(id)).await?;
    }
    let clear = set_cookie(SESSION_COOKIE, "", Some(0), state.settings.secure_cookies);
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}
