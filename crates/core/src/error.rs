use thiserror::Error;

use crate::model::{FindingStatus, PlanStatus};

/// Every way the domain rules refuse a command. Each variant has a stable snake_case code
/// for programs, the HTTP status it maps to, and a zh-CN message for people.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    /// The actor may not do this, or the thing is outside what they may see: the message
    /// says neither which nor whether it exists.
    #[error("无权{action}")]
    Forbidden { action: String },
    #[error("问题当前状态为“{}”，不能{action}", .from.zh())]
    InvalidTransition { from: FindingStatus, action: String },
    #[error("整改方案当前为“{}”，不能{action}", .from.zh())]
    PlanState { from: PlanStatus, action: String },
    #[error("问题当前状态为“{}”，整改记录不能再改动", .status.zh())]
    WorkFrozen { status: FindingStatus },
    #[error("申请销号前，每项整改措施都须已完成，或为长期坚持并写明理由")]
    MeasuresIncomplete,
    #[error("申请销号前须至少上传一份佐证材料")]
    EvidenceMissing,
    #[error("销号或退回须由申请人以外的人办理")]
    SamePerson,
    #[error("找不到{what}“{id}”")]
    NotFound { what: &'static str, id: String },
    #[error("{field}：{message}")]
    Invalid { field: String, message: String },
}

impl CoreError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> CoreError {
        CoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn forbidden(action: impl Into<String>) -> CoreError {
        CoreError::Forbidden {
            action: action.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Forbidden { .. } => "forbidden",
            CoreError::InvalidTransition { .. } => "invalid_transition",
            CoreError::PlanState { .. } => "plan_state",
            CoreError::WorkFrozen { .. } => "work_frozen",
            CoreError::MeasuresIncomplete => "measures_incomplete",
            CoreError::EvidenceMissing => "evidence_missing",
            CoreError::SamePerson => "same_person",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Invalid { .. } => "invalid",
        }
    }
}

/// The HTTP status of every error code of every layer, in one table, so that the API and
/// its documentation cannot disagree. Unknown codes are server errors.
pub fn http_status(code: &str) -> u16 {
    match code {
        "unauthenticated" => 401,
        "forbidden" | "same_person" => 403,
        "not_found" => 404,
        "invalid_transition" | "plan_state" | "work_frozen" | "conflict" => 409,
        "too_large" => 413,
        "unsupported_media_type" => 415,
        "measures_incomplete"
        | "evidence_missing"
        | "invalid"
        | "invalid_record"
        | "invalid_json"
        | "invalid_notice"
        | "invalid_workbook"
        | "bad_docx"
        | "docx_too_large"
        | "template_unknown_placeholder"
        | "template_without_rows"
        | "template_row_outside_table" => 422,
        "too_many_attempts" => 429,
        "unavailable" => 503,
        _ => 500,
    }
}
