//! The finding page's one form: `action` names the change, the other fields its values,
//! each checked here with the field it came from before the rules see it.

use zhenggai_core::*;

use crate::error::WebError;

/// Every form of the finding page posts here; `action` says which change it is.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ActionForm {
    #[serde(rename = "_csrf", default)]
    pub(super) csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    measure_id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    new_due: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    title: String,
}

fn bad(field: &str, message: &str) -> WebError {
    WebError::from(CoreError::invalid(field, message))
}

fn date_field(field: &str, s: &str) -> Result<Option<Date>, WebError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(s.trim()).map(Some).map_err(|m| bad(field, &m))
}

fn number(field: &str, s: &str) -> Result<f64, WebError> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| bad(field, "须为非负数"))
}

fn outcome(f: &ActionForm) -> Result<Outcome, WebError> {
    let title = f.title.trim().to_string();
    Ok(match f.outcome.as_str() {
        "refunded" | "recovered" | "saved" => Outcome::Money {
            kind: match f.outcome.as_str() {
                "refunded" => MoneyKind::Refunded,
                "recovered" => MoneyKind::Recovered,
                _ => MoneyKind::Saved,
            },
            // Entered in yuan; kept in fen so that sums are exact.
            fen: (number("amount", &f.amount)? * 100.0).round() as i64,
        },
        "rule_new" | "rule_revised" | "rule_repealed" => Outcome::Rule {
            change: match f.outcome.as_str() {
                "rule_new" => RuleChange::New,
                "rule_revised" => RuleChange::Revised,
                _ => RuleChange::Repealed,
            },
            title,
        },
        "accountability" => Outcome::Accountability {
            form: title,
            people: f
                .amount
                .trim()
                .parse::<u32>()
                .map_err(|_| bad("amount", "人数须为正整数"))?,
        },
        "meeting" => Outcome::Meeting {
            date: date_field("due", &f.due)?.ok_or_else(|| bad("due", "请填写会议日期"))?,
            title,
        },
        _ => Outcome::Quantity {
            value: number("amount", &f.amount)?,
            unit: String::new(),
            what: title,
        },
    })
}

/// The change a form asks for.
pub(super) fn change(finding_id: &str, f: ActionForm) -> Result<Change, WebError> {
    let measure_id = f.measure_id.clone();
    let draft = |f: &ActionForm| -> Result<MeasureDraft, WebError> {
        Ok(MeasureDraft {
            text: f.text.clone(),
            kind: MeasureKind::parse(&f.kind).unwrap_or(MeasureKind::ByDeadline),
            lead: f.lead.clone(),
            department: f.department.clone(),
            owner: f.owner.clone(),
            due: date_field("due", &f.due)?,
        })
    };
    Ok(match f.action.as_str() {
        "progress" => Change::AddProgress {
            measure_id,
            text: f.text,
        },
        "status" => Change::SetMeasureStatus {
            measure_id,
            status: MeasureStatus::parse(&f.status)
                .ok_or_else(|| bad("status", "请选择措施状态"))?,
            long_term_reason: Some(f.reason.trim().to_string()).filter(|r| !r.is_empty()),
        },
        "extension" => Change::RequestExtension {
            measure_id,
            new_due: date_field("new_due", &f.new_due)?
                .ok_or_else(|| bad("new_due", "请填写延期后的时限"))?,
            reason: f.reason,
        },
        "decide" => Change::DecideExtension {
            measure_id,
            extension_id: f.text.clone(),
            approve: f.decision == "approve",
        },
        "outcome" => Change::AddOutcome {
            outcome: outcome(&f)?,
            measure_id,
        },
        "add_measure" => Change::AddMeasure {
            finding_id: finding_id.to_string(),
            measure: draft(&f)?,
        },
        "edit_measure" => Change::EditMeasure {
            measure: draft(&f)?,
            measure_id,
        },
        "remove_measure" => Change::RemoveMeasure { measure_id },
        command => Change::Finding {
            finding_id: finding_id.to_string(),
            command: FindingCommandKind::parse(command)
                .ok_or_else(|| WebError::BadRequest("未知的操作".into()))?,
            reason: f.reason,
            evidence: vec![],
        },
    })
}
