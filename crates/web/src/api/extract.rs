//! The parts of a request as the API reads them. A body, query or path that cannot be read
//! is refused the way every API error is, `{"error": code, "message": text}`, instead of
//! with axum's plain text.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, WebError};
use crate::state::AppState;

/// A JSON request body.
pub struct JsonBody<T>(pub T);

/// The query string.
pub struct QueryParams<T>(pub T);

/// The path's parameters.
pub struct PathParams<T>(pub T);

/// A `multipart/form-data` body, read field by field (never whole into memory first).
pub struct Form(pub Multipart);

/// A rejection whose status is the server's fault is logged and said to be so; any other is
/// the caller's.
fn refused(status: StatusCode, text: String, caller: impl FnOnce(String) -> WebError) -> ApiError {
    if status.is_server_error() {
        tracing::error!(%text, "request extraction failed");
        ApiError(WebError::Store(zhenggai_store::StoreError::Internal(text)))
    } else {
        ApiError(caller(text))
    }
}

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(JsonBody(v)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError(WebError::MediaType(
                "须为 application/json".into(),
            ))),
            Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError(WebError::TooLarge(state.settings.max_upload)))
            }
            Err(r) => Err(refused(r.status(), r.body_text(), WebError::BadJson)),
        }
    }
}

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| QueryParams(q.0))
            .map_err(|r: QueryRejection| {
                refused(r.status(), r.body_text(), |t| {
                    WebError::BadRequest(format!("查询参数有误：{t}"))
                })
            })
    }
}

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| PathParams(p.0))
            .map_err(|r: PathRejection| {
                refused(r.status(), r.body_text(), |t| {
                    WebError::BadRequest(format!("路径参数有误：{t}"))
                })
            })
    }
}

impl FromRequest<AppState> for Form {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        Multipart::from_request(req, state)
            .await
            .map(Form)
            .map_err(|_| ApiError(WebError::MediaType("须为 multipart/form-data".into())))
    }
}
