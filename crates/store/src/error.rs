use thiserror::Error;
use zhenggai_core::validate::Invalid;
use zhenggai_core::CoreError;

/// What the store refuses or fails at. `code()` is stable for programs; `Display` is the
/// zh-CN message for people. Database causes are logged, not shown.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0}")]
    Invalid(Invalid),
    #[error("{path}：{message}")]
    Conflict { path: String, message: String },
    #[error("{0}")]
    Rule(#[from] CoreError),
    #[error("文件过大：{size} 字节，上限为 {max} 字节")]
    TooLarge { size: u64, max: u64 },
    #[error("不支持的数据库地址“{0}”：请使用 sqlite:// 或 postgres:// 开头的地址")]
    UnsupportedUrl(String),
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("数据库出错，详情见日志")]
    Database(#[source] sqlx::Error),
    #[error("数据库结构升级失败，详情见日志")]
    Migrate(String),
    #[error("数据库中的记录已损坏，详情见日志")]
    Corrupt(String),
    #[error("内部错误，详情见日志")]
    Internal(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Invalid(_) => "invalid_record",
            StoreError::Conflict { .. } => "conflict",
            StoreError::Rule(e) => e.code(),
            StoreError::TooLarge { .. } => "too_large",
            StoreError::UnsupportedUrl(_) => "unsupported_url",
            StoreError::Unsupported(_) => "unsupported",
            StoreError::Database(_) => "database",
            StoreError::Migrate(_) => "migrate",
            StoreError::Corrupt(_) => "corrupt",
            StoreError::Internal(_) => "internal",
        }
    }

    pub fn http_status(&self) -> u16 {
        zhenggai_core::http_status(self.code())
    }

    pub(crate) fn not_found(what: &'static str, id: &str) -> StoreError {
        StoreError::Rule(CoreError::NotFound {
            what,
            id: id.to_string(),
        })
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        StoreError::Database(e)
    }
}

impl From<Invalid> for StoreError {
    fn from(e: Invalid) -> Self {
        StoreError::Invalid(e)
    }
}

impl From<crate::rows::CorruptRow> for StoreError {
    fn from(e: crate::rows::CorruptRow) -> Self {
        tracing::error!(error = %e, "corrupt row");
        StoreError::Corrupt(e.to_string())
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
