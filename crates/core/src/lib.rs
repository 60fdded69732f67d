//! The pure domain core of zhenggai: ledger types, who may do what (`access`), every rule
//! of every change (`rules`, `finding_rules`, `plan_rules`, `setup_rules`), the checks of
//! single records and their text bounds (`checks`, `limits`), the import validator that
//! replays history through the same rules (`validate`), the deadline policy and the hash
//! of the event chain. Nothing here performs I/O, so every rule is tested in isolation and
//! shared by every storage backend and every front end.

pub mod access;
pub mod actor;
pub mod change;
pub mod checks;
pub mod clock;
pub mod date;
pub mod error;
pub mod event;
pub mod finding_rules;
pub mod limits;
pub mod model;
pub mod plan_rules;
pub mod policy;
pub mod report;
pub mod rules;
pub mod setup_rules;
pub mod stats;
pub mod validate;

pub use access::{authorize, Access};
pub use actor::{Actor, Role, Scope};
pub use change::{Change, EvidenceDraft, MeasureDraft, Target};
pub use clock::{Clock, ManualClock};
pub use date::Date;
pub use error::{http_status, CoreError};
pub use finding_rules::{Effect, FindingContext};
pub use model::*;
pub use policy::{DeadlinePolicy, Warning};
