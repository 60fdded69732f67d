//! The use cases of zhenggai, shared by the command line and the web server: the ledger
//! document in and out (`ledger_json`, `evidence_zip`), the Excel ledger (`ledger_xlsx`), a
//! published notice into the ledger (`notice_import`), a unit's notice written from its
//! ledger (`notice_export`), supervision notices for overdue findings (`supervision`),
//! accounts and their secrets (`accounts`), the demo (`demo`) and restoring a backup
//! (`backup`). Each writes in one transaction through the store.

pub mod accounts;
pub mod backup;
pub mod demo;
pub mod error;
pub mod evidence_zip;
pub mod ledger_json;
pub mod ledger_xlsx;
pub mod notice_export;
pub mod notice_import;
pub mod notice_read;
mod serde_zh;
pub mod supervision;

pub use error::AppError;
