//! The ledger's types. The nested `Feedback` tree is what is imported and exported; its
//! JSON form is `zhenggai.ledger.v2` (docs/ledger-json.md). A `Finding` with its measures
//! is the aggregate that changes are applied to (`crate::finding_rules`).

mod finding;
mod measure;
mod plan;
mod structure;

pub use finding::*;
pub use measure::*;
pub use plan::*;
pub use structure::*;

pub type Id = String;
