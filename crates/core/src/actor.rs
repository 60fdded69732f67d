//! Who acts: a user with an id, the role they act in and the units they answer for.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::model::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Office,
    Supervisor,
    UnitEditor,
    UnitLead,
    Public,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Office,
        Role::Supervisor,
        Role::UnitEditor,
        Role::UnitLead,
        Role::Public,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Supervisor => "supervisor",
            Role::UnitEditor => "unit_editor",
            Role::UnitLead => "unit_lead",
            Role::Public => "public",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Office => "巡察办",
            Role::Supervisor => "纪检监察",
            Role::UnitEditor => "单位填报人",
            Role::UnitLead => "单位负责人",
            Role::Public => "公众",
        }
    }

    /// Checks closures and leads: the second party of every sign-off.
    pub fn is_checker(self) -> bool {
        matches!(self, Role::Office | Role::Supervisor)
    }

    /// Works for one or more units and sees only them.
    pub fn is_unit(self) -> bool {
        matches!(self, Role::UnitEditor | Role::UnitLead)
    }
}

/// The units whose data an actor may see and change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    All,
    Units(BTreeSet<Id>),
    /// Nothing of any unit: the public reads published notices only.
    None,
}

impl Scope {
    pub fn covers(&self, unit_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(units) => units.contains(unit_id),
            Scope::None => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Id,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
}

impl Actor {
    /// An actor whose scope follows from the role: a unit's people answer for the units
    /// given (at least one), everyone else for all units or, the public, for none.
    pub fn new(
        user_id: impl Into<Id>,
        name: impl Into<String>,
        role: Role,
        units: impl IntoIterator<Item = Id>,
    ) -> Result<Actor, CoreError> {
        let (user_id, name) = (user_id.into(), name.into());
        // What history records of a person, the import checks: the same check here.
        crate::checks::person("name", &name, "user_id", &user_id)?;
        let units: BTreeSet<Id> = units.into_iter().collect();
        let scope = match role {
            Role::UnitEditor | Role::UnitLead if units.is_empty() => {
                return Err(CoreError::invalid("units", "单位人员须至少属于一个单位"));
            }
            Role::UnitEditor | Role::UnitLead => Scope::Units(units),
            _ if !units.is_empty() => {
                return Err(CoreError::invalid("units", "只有单位人员才归属单位"));
            }
            Role::Public => Scope::None,
            _ => Scope::All,
        };
        Ok(Actor {
            user_id,
            name,
            role,
            scope,
        })
    }

    /// The operator at the command line: acts on the whole ledger as an administrator.
    pub fn operator(name: &str) -> Actor {
        Actor {
            user_id: format!("cli:{name}"),
            name: name.to_string(),
            role: Role::Admin,
            scope: Scope::All,
        }
    }

    /// Anyone, not signed in.
    pub fn public() -> Actor {
        Actor {
            user_id: "public".into(),
            name: "公众".into(),
            role: Role::Public,
            scope: Scope::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_follows_the_role() {
        let editor = Actor::new("u1", "张三", Role::UnitEditor, ["a".to_string()]).expect("ok");
        assert!(editor.scope.covers("a"));
        assert!(!editor.scope.covers("b"));
        assert_eq!(
            Actor::new("u2", "李四", Role::UnitLead, Vec::<Id>::new()).map(|a| a.role),
            Err(CoreError::invalid("units", "单位人员须至少属于一个单位"))
        );
        assert!(Actor::new("u3", "王五", Role::Office, ["a".to_string()]).is_err());
        let office = Actor::new("u4", "赵六", Role::Office, Vec::<Id>::new()).expect("ok");
        assert_eq!(office.scope, Scope::All);
        let public = Actor::new("u5", "公众", Role::Public, Vec::<Id>::new()).expect("ok");
        assert!(!public.scope.covers("a"));
    }
}
