use thiserror::Error;

use crate::model::FindingStatus;

/// Every way the domain rules refuse a command. Each variant has a stable snake_case code
/// for programs and a zh-CN message for people.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    #[error("角色“{role}”无权执行“{action}”")]
    Forbidden { role: String, action: String },
    #[error("问题当前状态为“{}”，不能执行“{action}”", .from.zh())]
    InvalidTransition { from: FindingStatus, action: String },
    #[error("申请销号前，每项整改措施都须已完成，或为长期坚持并写明理由")]
    MeasuresIncomplete,
    #[error("申请销号前须至少上传一份佐证材料")]
    EvidenceMissing,
    #[error("销号或退回须由申请人以外的人办理")]
    SamePerson,
    #[error("{0}")]
    Invalid(String),
}

impl CoreError {
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Forbidden { .. } => "forbidden",
            CoreError::InvalidTransition { .. } => "invalid_transition",
            CoreError::MeasuresIncomplete => "measures_incomplete",
            CoreError::EvidenceMissing => "evidence_missing",
            CoreError::SamePerson => "same_person",
            CoreError::Invalid(_) => "invalid",
        }
    }
}
