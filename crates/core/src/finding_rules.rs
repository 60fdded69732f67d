//! Changes to one finding and its measures: each checks access and the rules, changes the
//! aggregate in memory and says what happened. The store loads the finding, calls
//! `Finding::apply` and writes what changed; nothing else decides.

use serde::Serialize;

use crate::access::{authorize, Access};
use crate::actor::Actor;
use crate::change::{Change, EvidenceDraft, MeasureDraft};
use crate::checks::{self, next_id};
use crate::date::Date;
use crate::error::CoreError;
use crate::limits::{check, TEXT};
use crate::model::*;
use crate::rules;

/// What a finding's change needs to know beyond the finding itself.
#[derive(Debug, Clone, Copy)]
pub struct FindingContext<'a> {
    pub unit_id: &'a str,
    pub plan: PlanStatus,
    pub today: Date,
    /// The ids of the other findings' measures of the feedback, which a new measure's id
    /// must not take (the store fills them in for `AddMeasure` only).
    pub taken: &'a [Id],
}

/// What a change did: the record it is about, any record it created, and the status edge
/// it took. It is part of the change's event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Effect {
    pub entity: &'static str,
    pub entity_id: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<Id>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl Effect {
    pub fn on(entity: &'static str, id: &str) -> Effect {
        Effect {
            entity,
            entity_id: id.to_string(),
            created: None,
            from: None,
            to: None,
        }
    }

    fn created(mut self, id: Id) -> Effect {
        self.created = Some(id);
        self
    }

    pub fn edge(mut self, from: &str, to: &str) -> Effect {
        self.from = Some(from.to_string());
        self.to = Some(to.to_string());
        self
    }
}

impl Finding {
    pub fn apply(
        &mut self,
        actor: &Actor,
        ctx: &FindingContext<'_>,
        change: &Change,
    ) -> Result<Effect, CoreError> {
        authorize(actor, Access::Change(change, Some(ctx.unit_id)))?;
        match change {
            Change::Finding {
                command,
                reason,
                evidence,
                ..
            } => self.command(actor, ctx.today, *command, reason, evidence),
            Change::AddMeasure { measure, .. } => self.add_measure(ctx, measure),
            Change::EditMeasure {
                measure_id,
                measure,
            } => self.edit_measure(ctx, measure_id, measure),
            Change::RemoveMeasure { measure_id } => self.remove_measure(ctx, measure_id),
            Change::AttachEvidence { evidence, .. } => self.attach(actor, ctx.today, evidence),
            Change::AddProgress { measure_id, text } => {
                check("text", text, TEXT, true)?;
                let (today, m) = (ctx.today, self.work_on(measure_id)?);
                let id = next_id("p", m.progress.iter().map(|p| p.id.as_str()));
                m.progress.push(ProgressUpdate {
                    id: id.clone(),
                    date: today,
                    author: actor.name.clone(),
                    author_id: actor.user_id.clone(),
                    text: text.clone(),
                });
                Ok(Effect::on("measure", measure_id).created(id))
            }
            Change::SetMeasureStatus {
                measure_id,
                status,
                long_term_reason,
            } => {
                let m = self.work_on(measure_id)?;
                if let Some(reason) = long_term_reason {
                    if m.kind != MeasureKind::LongTerm {
                        return Err(CoreError::invalid(
                            "long_term_reason",
                            "只有长期坚持的措施才写长期理由",
                        ));
                    }
                    check("long_term_reason", reason, TEXT, true)?;
                    m.long_term_reason = Some(reason.clone());
                }
                let from = m.status;
                m.status = *status;
                Ok(Effect::on("measure", measure_id).edge(from.as_str(), status.as_str()))
            }
            Change::AddOutcome {
                measure_id,
                outcome,
            } => {
                checks::outcome(outcome)?;
                self.work_on(measure_id)?.outcomes.push(outcome.clone());
                Ok(Effect::on("measure", measure_id))
            }
            Change::RequestExtension {
                measure_id,
                new_due,
                reason,
            } => {
                // Before the plan is approved the unit sets the dates itself.
                if ctx.plan != PlanStatus::Approved {
                    return Err(CoreError::PlanState {
                        from: ctx.plan,
                        action: "申请延期".into(),
                    });
                }
                let today = ctx.today;
                let m = self.work_on(measure_id)?;
                let id = request_extension(m, actor, today, *new_due, reason)?;
                Ok(Effect::on("measure", measure_id).created(id))
            }
            Change::DecideExtension {
                measure_id,
                extension_id,
                approve,
            } => {
                let today = ctx.today;
                let m = self.work_on(measure_id)?;
                decide_extension(m, actor, today, extension_id, *approve)?;
                Ok(Effect::on("measure", measure_id))
            }
            Change::MarkInternal {
                internal, reason, ..
            } => self.mark_internal(*internal, reason),
            Change::CreateRound { .. }
            | Change::EditRound { .. }
            | Change::CreateUnit { .. }
            | Change::EditUnit { .. }
            | Change::SubmitPlan { .. }
            | Change::ApprovePlan { .. }
            | Change::ReturnPlan { .. } => Err(CoreError::invalid("change", "这不是对问题的改动")),
        }
    }

    fn command(
        &mut self,
        actor: &Actor,
        today: Date,
        cmd: FindingCommandKind,
        reason: &str,
        evidence: &[Id],
    ) -> Result<Effect, CoreError> {
        if cmd == FindingCommandKind::ApprovePlan {
            return Err(CoreError::invalid(
                "command",
                "整改方案按单位整体审定：请审定该单位的整改方案",
            ));
        }
        let to = self.transition(actor, today, cmd, reason, evidence)?;
        let from = self.status;
        self.status = to;
        if cmd == FindingCommandKind::Transfer {
            self.lead = Some(Lead {
                transferred_on: today,
                to_body: "纪检监察机关".into(),
                note: reason.to_string(),
            });
        }
        Ok(Effect::on("finding", &self.id).edge(from.as_str(), to.as_str()))
    }

    /// Checks a status command and records its transition; the caller sets the status.
    pub(crate) fn transition(
        &mut self,
        actor: &Actor,
        today: Date,
        cmd: FindingCommandKind,
        reason: &str,
        evidence: &[Id],
    ) -> Result<FindingStatus, CoreError> {
        check("reason", reason, TEXT, rules::needs_reason(cmd))?;
        if self.transitions.last().is_some_and(|t| today < t.date) {
            return Err(CoreError::invalid("date", "日期早于上一次状态变更"));
        }
        let to = rules::decide_edge(
            self.status,
            self.requester(),
            cmd,
            actor.role,
            &actor.user_id,
        )?;
        if cmd == FindingCommandKind::RequestClosure {
            if !self.measures_complete() {
                return Err(CoreError::MeasuresIncomplete);
            }
            if self.evidence.is_empty() {
                return Err(CoreError::EvidenceMissing);
            }
        }
        if let Some(missing) = evidence
            .iter()
            .find(|id| !self.evidence.iter().any(|e| &e.id == *id))
        {
            return Err(CoreError::NotFound {
                what: "佐证材料",
                id: missing.clone(),
            });
        }
        self.transitions.push(Transition {
            date: today,
            actor: actor.name.clone(),
            actor_id: actor.user_id.clone(),
            role: actor.role,
            command: cmd,
            from: self.status,
            to,
            reason: reason.to_string(),
            evidence: evidence.to_vec(),
        });
        Ok(to)
    }

    /// Marks the finding internal or public. Allowed in every status: a closed finding
    /// is what a final notice publishes. Marking internal needs a reason; a mark that is
    /// already so is refused, so that every event changes something.
    fn mark_internal(&mut self, internal: bool, reason: &str) -> Result<Effect, CoreError> {
        check("reason", reason, TEXT, internal)?;
        if self.internal == internal {
            return Err(CoreError::invalid(
                "internal",
                if internal {
                    "该问题已标记为不公开"
                } else {
                    "该问题本来就公开"
                },
            ));
        }
        self.internal = internal;
        let (from, to) = if internal {
            ("public", "internal")
        } else {
            ("internal", "public")
        };
        Ok(Effect::on("finding", &self.id).edge(from, to))
    }

    fn attach(
        &mut self,
        actor: &Actor,
        today: Date,
        e: &EvidenceDraft,
    ) -> Result<Effect, CoreError> {
        self.thawed()?;
        checks::evidence_draft(e)?;
        let id = next_id("e", self.evidence.iter().map(|x| x.id.as_str()));
        self.evidence.push(Evidence {
            id: id.clone(),
            name: e.name.clone(),
            media_type: e.media_type.clone(),
            size: e.size,
            sha256: e.sha256.clone(),
            description: e.description.clone(),
            added_on: today,
            added_by: actor.name.clone(),
            added_by_id: actor.user_id.clone(),
        });
        Ok(Effect::on("finding", &self.id).created(id))
    }

    fn add_measure(
        &mut self,
        ctx: &FindingContext<'_>,
        draft: &MeasureDraft,
    ) -> Result<Effect, CoreError> {
        self.plan_open(ctx)?;
        checks::measure_draft(draft)?;
        // The next number after the finding's own measures that no measure of the
        // feedback holds.
        let mut n = self.measures.len() + 1;
        let id = loop {
            let id = format!("{}.m{n}", self.id);
            if !self.measures.iter().any(|m| m.id == id) && !ctx.taken.contains(&id) {
                break id;
            }
            n += 1;
        };
        self.measures.push(Measure {
            id: id.clone(),
            text: draft.text.clone(),
            kind: draft.kind,
            lead: draft.lead.clone(),
            department: draft.department.clone(),
            owner: draft.owner.clone(),
            due: draft.due,
            status: MeasureStatus::Pending,
            long_term_reason: None,
            progress: vec![],
            outcomes: vec![],
            extensions: vec![],
        });
        Ok(Effect::on("finding", &self.id).created(id))
    }

    fn edit_measure(
        &mut self,
        ctx: &FindingContext<'_>,
        id: &str,
        draft: &MeasureDraft,
    ) -> Result<Effect, CoreError> {
        self.plan_open(ctx)?;
        checks::measure_draft(draft)?;
        let m = self.measure_mut(id)?;
        m.text = draft.text.clone();
        m.kind = draft.kind;
        m.lead = draft.lead.clone();
        m.department = draft.department.clone();
        m.owner = draft.owner.clone();
        m.due = draft.due;
        if m.kind != MeasureKind::LongTerm {
            m.long_term_reason = None;
        }
        Ok(Effect::on("measure", id))
    }

    fn remove_measure(&mut self, ctx: &FindingContext<'_>, id: &str) -> Result<Effect, CoreError> {
        self.plan_open(ctx)?;
        let m = self.measure_mut(id)?;
        if !(m.progress.is_empty() && m.outcomes.is_empty() && m.extensions.is_empty()) {
            return Err(CoreError::invalid(
                "measure_id",
                "该措施已有进展、成效或延期记录，不能删除",
            ));
        }
        self.measures.retain(|m| m.id != id);
        Ok(Effect::on("finding", &self.id))
    }

    fn plan_open(&self, ctx: &FindingContext<'_>) -> Result<(), CoreError> {
        if !ctx.plan.is_open() {
            return Err(CoreError::PlanState {
                from: ctx.plan,
                action: "修改整改措施".into(),
            });
        }
        self.thawed()
    }

    fn thawed(&self) -> Result<(), CoreError> {
        if self.status.freezes_work() {
            Err(CoreError::WorkFrozen {
                status: self.status,
            })
        } else {
            Ok(())
        }
    }

    pub fn measure_mut(&mut self, id: &str) -> Result<&mut Measure, CoreError> {
        self.measures
            .iter_mut()
            .find(|m| m.id == id)
            .ok_or_else(|| CoreError::NotFound {
                what: "整改措施",
                id: id.to_string(),
            })
    }

    /// A measure whose work record may change now.
    fn work_on(&mut self, id: &str) -> Result<&mut Measure, CoreError> {
        self.thawed()?;
        self.measure_mut(id)
    }
}

fn request_extension(
    m: &mut Measure,
    actor: &Actor,
    today: Date,
    new_due: Date,
    reason: &str,
) -> Result<Id, CoreError> {
    check("reason", reason, TEXT, true)?;
    if m.status == MeasureStatus::Done {
        return Err(CoreError::invalid("measure_id", "已完成的措施不需要延期"));
    }
    let Some(due) = m.effective_due() else {
        return Err(CoreError::invalid(
            "measure_id",
            "该措施没有整改时限，无需延期",
        ));
    };
    if new_due <= due {
        return Err(CoreError::invalid(
            "new_due",
            "延期后的时限须晚于现在的时限",
        ));
    }
    if m.extensions
        .iter()
        .any(|x| x.decision == ExtensionDecision::Requested)
    {
        return Err(CoreError::invalid(
            "measure_id",
            "该措施已有待审批的延期申请",
        ));
    }
    let id = next_id("x", m.extensions.iter().map(|x| x.id.as_str()));
    m.extensions.push(Extension {
        id: id.clone(),
        requested_on: today,
        requested_by: actor.name.clone(),
        requested_by_id: actor.user_id.clone(),
        new_due,
        reason: reason.to_string(),
        decision: ExtensionDecision::Requested,
        decided_by: None,
        decided_by_id: None,
        decided_on: None,
    });
    Ok(id)
}

fn decide_extension(
    m: &mut Measure,
    actor: &Actor,
    today: Date,
    extension_id: &str,
    approve: bool,
) -> Result<(), CoreError> {
    let x = m
        .extensions
        .iter_mut()
        .find(|x| x.id == extension_id)
        .ok_or_else(|| CoreError::NotFound {
            what: "延期申请",
            id: extension_id.to_string(),
        })?;
    if x.decision != ExtensionDecision::Requested {
        return Err(CoreError::invalid("extension_id", "该延期申请已审批过"));
    }
    if today < x.requested_on {
        return Err(CoreError::invalid("date", "审批日期早于申请日期"));
    }
    x.decision = if approve {
        ExtensionDecision::Approved
    } else {
        ExtensionDecision::Refused
    };
    x.decided_by = Some(actor.name.clone());
    x.decided_by_id = Some(actor.user_id.clone());
    x.decided_on = Some(today);
    Ok(())
}
