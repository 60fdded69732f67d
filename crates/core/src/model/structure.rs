use serde::{Deserialize, Serialize};

use super::{Finding, Id, Plan};
use crate::date::Date;
use crate::policy::DeadlinePolicy;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundLevel {
    /// 巡视: by the centre or a province.
    Tour,
    /// 巡察: by a city or a county.
    Inspection,
}

impl RoundLevel {
    pub fn zh(self) -> &'static str {
        match self {
            RoundLevel::Tour => "巡视",
            RoundLevel::Inspection => "巡察",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    Routine,
    Special,
    Cross,
    Elevated,
    FollowUp,
}

impl RoundKind {
    pub fn zh(self) -> &'static str {
        match self {
            RoundKind::Routine => "常规",
            RoundKind::Special => "专项",
            RoundKind::Cross => "交叉",
            RoundKind::Elevated => "提级",
            RoundKind::FollowUp => "回头看",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Round {
    pub id: Id,
    pub name: String,
    pub level: RoundLevel,
    pub kind: RoundKind,
    pub team: String,
    pub inspection_start: Date,
    pub inspection_end: Date,
    pub feedback_date: Date,
    #[serde(default)]
    pub policy: DeadlinePolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Id,
    pub name: String,
    /// Where the public sends opinions on the unit's rectification: the contact block of
    /// its published notice. Absent when empty, so older ledgers read and verify unchanged.
    #[serde(default, skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
}

/// The contact block of a published notice (接受群众监督的联系方式). Every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Contact {
    /// 联系电话
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    /// 邮政信箱, e.g. 某市12号信箱
    #[serde(skip_serializing_if = "String::is_empty")]
    pub mailbox: String,
    /// 通信地址
    #[serde(skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// 邮政编码
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    /// 电子邮箱
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
}

impl Contact {
    pub fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, _, v)| v.trim().is_empty())
    }

    /// Each field with its JSON name and its label in a notice, in the order a notice
    /// lists them.
    pub fn fields(&self) -> [(&'static str, &'static str, &str); 5] {
        [
            ("phone", "联系电话", &self.phone),
            ("mailbox", "邮政信箱", &self.mailbox),
            ("address", "通信地址", &self.address),
            ("postcode", "邮政编码", &self.postcode),
            ("email", "电子邮箱", &self.email),
        ]
    }

    /// This contact with the non-empty fields of `over` put in place of its own.
    pub fn overridden_by(&self, over: &Contact) -> Contact {
        let pick = |mine: &String, theirs: &String| {
            if theirs.trim().is_empty() {
                mine.clone()
            } else {
                theirs.clone()
            }
        };
        Contact {
            phone: pick(&self.phone, &over.phone),
            mailbox: pick(&self.mailbox, &over.mailbox),
            address: pick(&self.address, &over.address),
            postcode: pick(&self.postcode, &over.postcode),
            email: pick(&self.email, &over.email),
        }
    }
}

/// What one round handed one unit, with everything the unit did about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Feedback {
    pub id: Id,
    pub round_id: Id,
    pub unit_id: Id,
    pub date: Date,
    /// The unit's rectification plan for the whole feedback and its review.
    #[serde(default)]
    pub plan: Plan,
    #[serde(default)]
    pub categories: Vec<Category>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub aspects: Vec<Aspect>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Aspect {
    pub id: Id,
    pub title: String,
    #[serde(default)]
    pub findings: Vec<Finding>,
}

impl Feedback {
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.categories
            .iter()
            .flat_map(|c| c.aspects.iter())
            .flat_map(|a| a.findings.iter())
    }

    pub fn findings_mut(&mut self) -> impl Iterator<Item = &mut Finding> {
        self.categories
            .iter_mut()
            .flat_map(|c| c.aspects.iter_mut())
            .flat_map(|a| a.findings.iter_mut())
    }
}
