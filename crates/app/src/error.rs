use thiserror::Error;
use zhenggai_store::StoreError;

/// Why a use case stopped. Nothing was written in any case: every use case that writes
/// does so in one transaction.
#[derive(Debug, Error)]
pub enum AppError {
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A record of an input file refused by the store.
    #[error("{file}: {source}")]
    Record { file: String, source: StoreError },
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: 无法读写：{message}")]
    Io {
        file: String,
        message: String,
        kind: std::io::ErrorKind,
    },
    #[error("{file}: {message}")]
    Notice { file: String, message: String },
    #[error("{file}: {message}")]
    Archive { file: String, message: String },
    /// A document the office crate could not read or write (a workbook refused, with
    /// its sheet, row and column).
    #[error("{file}: {source}")]
    Office {
        file: String,
        /// Boxed: a workbook's error carries its place, and errors travel in every Result.
        source: Box<zhenggai_office::OfficeError>,
    },
    #[error("{0}")]
    Invalid(String),
    /// A document could not be written, or an office's template could not be filled.
    #[error("{0}")]
    Document(Box<zhenggai_office::OfficeError>),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Store(e) | AppError::Record { source: e, .. } => e.code(),
            AppError::Syntax { .. } => "invalid_json",
            AppError::Io { .. } => "io",
            AppError::Notice { .. } => "invalid_notice",
            AppError::Archive { .. } => "invalid_archive",
            AppError::Office { source, .. } => source.code(),
            AppError::Invalid(_) => "invalid",
            AppError::Document(e) => e.code(),
        }
    }

    pub fn http_status(&self) -> u16 {
        zhenggai_core::http_status(self.code())
    }

    pub fn io(file: &str, e: impl std::fmt::Display) -> AppError {
        AppError::Io {
            file: file.to_string(),
            message: e.to_string(),
            kind: std::io::ErrorKind::Other,
        }
    }

    /// An I/O error that keeps its kind, so that a closed pipe can be told from a full disk.
    pub fn from_io(file: &str, e: &std::io::Error) -> AppError {
        AppError::Io {
            file: file.to_string(),
            message: e.to_string(),
            kind: e.kind(),
        }
    }
}

impl From<zhenggai_office::OfficeError> for AppError {
    fn from(e: zhenggai_office::OfficeError) -> Self {
        AppError::Document(Box::new(e))
    }
}

impl From<zhenggai_core::CoreError> for AppError {
    fn from(e: zhenggai_core::CoreError) -> Self {
        AppError::Store(StoreError::Rule(e))
    }
}
