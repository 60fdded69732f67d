//! The pure domain core of zhenggai: ledger types, the finding status rules, the deadline
//! policy and the hash of the event chain. Nothing here performs I/O, so every rule can be
//! tested in isolation and reused by every storage backend.

pub mod date;
pub mod error;
pub mod event;
pub mod model;
pub mod policy;
pub mod rules;
pub mod stats;
pub mod validate;

pub use date::Date;
pub use error::CoreError;
pub use model::*;
pub use policy::{DeadlinePolicy, Warning};
pub use rules::{Actor, FindingCommand, FindingFacts, Role};
