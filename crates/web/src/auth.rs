//! Who is asking. A browser signs in and carries a session cookie (the store keeps only its
//! sha256; the id is new at every sign-in; HttpOnly, SameSite=Strict, Secure behind HTTPS;
//! it ends when idle or old), and every form carries the session's CSRF token. A program
//! sends `Authorization: Bearer <token>` (an API token, stored as its sha256) or the
//! session cookie with the CSRF token in `X-CSRF-Token`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use chrono::{DateTime, Utc};
use zhenggai_app::accounts::{secret, sha256_hex};
use zhenggai_core::Actor;
use zhenggai_store::User;

use crate::error::{ApiError, PageError, WebError};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "zg_session";
/// The double-submit token of the sign-in form, before there is a session.
pub const LOGIN_COOKIE: &str = "zg_login";

/// A value of the request's cookies.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub fn set_cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("zg_invalid=1"))
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A signed-in person in a browser.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub actor: Actor,
    pub csrf: String,
}

impl SignedIn {
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if same_secret(&self.csrf, token) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The session the request's cookie names, if it is alive; an expired one is ended.
pub async fn session(state: &AppState, headers: &HeaderMap) -> Result<Option<SignedIn>, WebError> {
    let Some(id) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let key = sha256_hex(id);
    let Some(s) = state.store.session(&key, false).await? else {
        return Ok(None);
    };
    let now = state.store.clock().now();
    let settings = &state.settings;
    let alive = |t: &str, limit: std::time::Duration| {
        parse_time(t).is_some_and(|t| {
            now.signed_duration_since(t)
                .to_std()
                .map_or(true, |d| d < limit)
        })
    };
    if !alive(&s.seen_at, settings.idle) || !alive(&s.created_at, settings.absolute) {
        state.store.end_session(&key).await?;
        return Ok(None);
    }
    // Touching on every request would be a write per page view: a minute's precision is
    // enough for a half-hour idle limit.
    if parse_time(&s.seen_at)
        .is_none_or(|t| now.signed_duration_since(t) > chrono::Duration::seconds(60))
    {
        state.store.session(&key, true).await?;
    }
    let actor = s.user.actor()?;
    Ok(Some(SignedIn {
        user: s.user,
        actor,
        csrf: s.csrf,
    }))
}

/// Starts a session for `user`: a new id (any old one is ended), a new CSRF token.
pub async fn start(
    state: &AppState,
    headers: &HeaderMap,
    user: &User,
) -> Result<HeaderValue, WebError> {
    if let Some(old) = cookie(headers, SESSION_COOKIE) {
        state.store.end_session(&sha256_hex(old)).await?;
    }
    let id = secret();
    state
        .store
        .create_session(&sha256_hex(&id), &user.id, &secret())
        .await?;
    let age = state.settings.absolute.as_secs();
    Ok(set_cookie(
        SESSION_COOKIE,
        &id,
        Some(age),
        state.settings.secure_cookies,
    ))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session(state, &parts.headers)
            .await?
            .ok_or(PageError(WebError::Unauthenticated))
    }
}

/// The caller of the API: a bearer token, or a session whose CSRF token comes with every
/// request that changes something.
pub struct ApiUser {
    pub user: User,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if let Some(token) = bearer {
            let user = state
                .store
                .token_user(&sha256_hex(token.trim()))
                .await?
                .ok_or(WebError::Unauthenticated)?;
            let actor = user.actor()?;
            return Ok(ApiUser { user, actor });
        }
        let signed = session(state, &parts.headers)
            .await?
            .ok_or(WebError::Unauthenticated)?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            signed.check_csrf(sent)?;
        }
        Ok(ApiUser {
            user: signed.user,
            actor: signed.actor,
        })
    }
}

/// The client's address, for throttling sign-ins.
pub fn client_address(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    if state.settings.behind_proxy {
        if let Some(forwarded) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return forwarded.trim().to_string();
        }
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_default()
}
