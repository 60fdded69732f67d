//! Errors as responses: a Chinese error page for pages, `{"error": code, "message": text}`
//! for the API, with the HTTP status each code has (`zhenggai_core::http_status`). Causes
//! inside the server are logged and never shown.

use std::time::Duration;

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use zhenggai_app::AppError;
use zhenggai_core::CoreError;
use zhenggai_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    App(#[from] AppError),
    #[error("请先登录")]
    Unauthenticated,
    #[error("表单已过期或来源不明，请刷新页面后重试")]
    Csrf,
    #[error("尝试次数过多，请 {} 秒后再试", .0.as_secs().max(1))]
    TooMany(Duration),
    #[error("找不到这个页面")]
    NoRoute,
    #[error("{0}")]
    BadRequest(String),
    #[error("文件过大：上限为 {0} 字节")]
    TooLarge(u64),
    #[error("请求正文不是所需的 JSON：{0}")]
    BadJson(String),
    #[error("请求正文的类型不对：{0}")]
    MediaType(String),
}

impl From<CoreError> for WebError {
    fn from(e: CoreError) -> Self {
        WebError::Store(StoreError::Rule(e))
    }
}

impl WebError {
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Store(e) => e.code(),
            WebError::App(e) => e.code(),
            WebError::Unauthenticated => "unauthenticated",
            WebError::Csrf => "forbidden",
            WebError::TooMany(_) => "too_many_attempts",
            WebError::NoRoute => "not_found",
            WebError::BadRequest(_) => "invalid",
            WebError::TooLarge(_) => "too_large",
            WebError::BadJson(_) => "invalid_json",
            WebError::MediaType(_) => "unsupported_media_type",
        }
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(zhenggai_core::http_status(self.code()))
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// What a user may read: the message, unless the error is the server's own.
    pub fn public_message(&self) -> String {
        if self.status().is_server_error() {
            tracing::error!(error = %self, code = self.code(), "request failed");
            "服务器内部错误，请稍后再试；如仍有问题请联系管理员".into()
        } else {
            self.to_string()
        }
    }
}

/// An error of a page: the error page, or the sign-in page for someone not signed in.
pub struct PageError(pub WebError);

impl<E: Into<WebError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
}

pub fn error_page(status: StatusCode, message: &str) -> Response {
    let title = match status.as_u16() {
        403 => "无权访问",
        404 => "找不到",
        413 => "文件过大",
        429 => "请稍后再试",
        500..=599 => "出错了",
        _ => "无法办理",
    };
    let page = ErrorPage {
        status: status.as_u16(),
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, message.to_string()).into_response(),
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, WebError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        let mut response = error_page(self.0.status(), &self.0.public_message());
        if let WebError::TooMany(wait) = self.0 {
            if let Ok(v) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// An error of the API: JSON with a stable code.
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

/// Every refusal and failure of the API: a stable code (its HTTP status is the code's) and
/// a message in Chinese for people. A server error says only that the server failed.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    #[schema(example = "not_found")]
    pub error: &'static str,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.0.code(),
            message: self.0.public_message(),
        };
        (self.0.status(), Json(body)).into_response()
    }
}
