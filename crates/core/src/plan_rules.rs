//! The unit's plan (整改方案) as a whole: the unit's lead submits it once every finding has
//! measures with owners and dates; the office returns it with a reason or approves it,
//! which moves every open finding to `planned`.

use crate::access::{authorize, Access};
use crate::actor::Actor;
use crate::change::Change;
use crate::checks;
use crate::date::Date;
use crate::error::CoreError;
use crate::finding_rules::Effect;
use crate::limits::{check, TEXT};
use crate::model::*;
use crate::rules;

impl Feedback {
    pub fn apply_plan(
        &mut self,
        actor: &Actor,
        today: Date,
        change: &Change,
    ) -> Result<Effect, CoreError> {
        authorize(actor, Access::Change(change, Some(&self.unit_id)))?;
        let (action, reason) = match change {
            Change::SubmitPlan { reason, .. } => (PlanAction::Submit, reason),
            Change::ApprovePlan { reason, .. } => (PlanAction::Approve, reason),
            Change::ReturnPlan { reason, .. } => (PlanAction::Return, reason),
            _ => return Err(CoreError::invalid("change", "这不是对整改方案的改动")),
        };
        check("reason", reason, TEXT, action == PlanAction::Return)?;
        if self.plan.history.last().is_some_and(|s| today < s.date) {
            return Err(CoreError::invalid("date", "日期早于整改方案上一次审核"));
        }
        let from = self.plan.status;
        let to = rules::decide_plan(from, action, actor.role)?;
        match action {
            PlanAction::Submit => self.check_complete()?,
            PlanAction::Approve => {
                for f in self
                    .findings_mut()
                    .filter(|f| f.status == FindingStatus::Open)
                {
                    f.status =
                        f.transition(actor, today, FindingCommandKind::ApprovePlan, reason, &[])?;
                }
            }
            PlanAction::Return => {}
        }
        self.plan.status = to;
        self.plan.history.push(PlanStep {
            date: today,
            actor: actor.name.clone(),
            actor_id: actor.user_id.clone(),
            role: actor.role,
            action,
            reason: reason.clone(),
        });
        Ok(Effect::on("feedback", &self.id).edge(from.as_str(), to.as_str()))
    }

    /// Every finding still on the ordinary track has measures, each with an owner and a
    /// due date (or standing long-term). The error names the finding and measure.
    pub fn check_complete(&self) -> Result<(), CoreError> {
        for f in self
            .findings()
            .filter(|f| f.status != FindingStatus::Transferred)
        {
            if f.measures.is_empty() {
                return Err(CoreError::invalid(
                    format!("findings[{}].measures", f.id),
                    format!("问题“{}”还没有整改措施", short(&f.title)),
                ));
            }
            for m in &f.measures {
                checks::measure_planned(m).map_err(|e| match e {
                    CoreError::Invalid { field, message } => CoreError::invalid(
                        format!("measures[{}].{field}", m.id),
                        format!("{message}（问题“{}”）", short(&f.title)),
                    ),
                    other => other,
                })?;
            }
        }
        Ok(())
    }
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(30).collect();
    if s.chars().nth(30).is_some() {
        out.push('…');
    }
    out
}
