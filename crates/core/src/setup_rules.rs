//! Rounds with their deadline policy, and units: set up by the office (or an
//! administrator), checked field by field, the id fixed once given.

use crate::access::{authorize, Access};
use crate::actor::Actor;
use crate::change::Change;
use crate::checks;
use crate::error::CoreError;
use crate::finding_rules::Effect;
use crate::model::*;

/// A new round or unit. `exists` says whether the id is taken already.
pub fn create(actor: &Actor, change: &Change, exists: bool) -> Result<Effect, CoreError> {
    authorize(actor, Access::Change(change, None))?;
    let effect = match change {
        Change::CreateRound { round } => {
            checks::round(round)?;
            Effect::on("round", &round.id)
        }
        Change::CreateUnit { unit } => {
            checks::unit(unit)?;
            Effect::on("unit", &unit.id)
        }
        _ => return Err(CoreError::invalid("change", "这不是新建轮次或单位")),
    };
    if exists {
        return Err(CoreError::invalid(
            "id",
            format!("标识“{}”已被使用", effect.entity_id),
        ));
    }
    Ok(effect)
}

/// Replaces a stored round's settings with the edited ones.
pub fn edit_round(actor: &Actor, stored: &mut Round, change: &Change) -> Result<Effect, CoreError> {
    authorize(actor, Access::Change(change, None))?;
    let Change::EditRound { round } = change else {
        return Err(CoreError::invalid("change", "这不是修改轮次"));
    };
    checks::round(round)?;
    if round.id != stored.id {
        return Err(CoreError::invalid("id", "轮次标识不能修改"));
    }
    *stored = round.clone();
    Ok(Effect::on("round", &round.id))
}

pub fn edit_unit(actor: &Actor, stored: &mut Unit, change: &Change) -> Result<Effect, CoreError> {
    authorize(actor, Access::Change(change, None))?;
    let Change::EditUnit { unit } = change else {
        return Err(CoreError::invalid("change", "这不是修改单位"));
    };
    checks::unit(unit)?;
    if unit.id != stored.id {
        return Err(CoreError::invalid("id", "单位标识不能修改"));
    }
    *stored = unit.clone();
    Ok(Effect::on("unit", &unit.id))
}
