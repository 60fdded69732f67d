//! What templates show, worked out in Rust so that templates stay plain: the signed-in
//! person's menu, messages, dates in Chinese, status and warning labels.

use zhenggai_core::*;

use crate::auth::SignedIn;

/// The signed-in person as the page header shows them.
pub struct Me {
    pub name: String,
    pub role: &'static str,
    pub csrf: String,
    pub sees_all: bool,
    pub audits: bool,
    pub imports: bool,
    pub admin: bool,
}

impl Me {
    pub fn of(s: &SignedIn) -> Me {
        let role = s.actor.role;
        Me {
            name: s.actor.name.clone(),
            role: role.zh(),
            csrf: s.csrf.clone(),
            sees_all: s.actor.scope == Scope::All,
            audits: authorize(&s.actor, Access::Audit).is_ok(),
            imports: authorize(&s.actor, Access::Import).is_ok(),
            admin: authorize(&s.actor, Access::ManageAccounts).is_ok(),
        }
    }
}

/// A message shown once at the top of a page.
pub struct Flash {
    pub kind: &'static str,
    pub text: String,
}

impl Flash {
    pub fn good(text: impl Into<String>) -> Option<Flash> {
        Some(Flash {
            kind: "good",
            text: text.into(),
        })
    }

    pub fn bad(text: impl Into<String>) -> Option<Flash> {
        Some(Flash {
            kind: "bad",
            text: text.into(),
        })
    }

    /// The fixed messages a redirect after a change may ask for (`?ok=…`): a link cannot
    /// put words of its own on the page.
    pub fn from_code(code: Option<&str>) -> Option<Flash> {
        let text = match code? {
            "applied" => "已办理",
            "uploaded" => "佐证材料已上传",
            "imported" => "已导入",
            "cancelled" => "已取消，未导入任何内容",
            "user" => "用户已保存",
            "password" => "密码已修改",
            _ => return None,
        };
        Flash::good(text)
    }
}

pub fn date(d: Date) -> String {
    d.zh()
}

pub fn opt_date(d: Option<Date>) -> String {
    d.map(Date::zh).unwrap_or_else(|| "—".into())
}

/// The warning a due date gives today under a policy: a CSS class and its label.
pub fn warning(
    policy: &DeadlinePolicy,
    due: Option<Date>,
    today: Date,
) -> (&'static str, &'static str) {
    match due.and_then(|d| policy.warning(d, today)) {
        Some(Warning::Red) => ("warn-red", "红色预警（逾期）"),
        Some(Warning::Yellow) => ("warn-yellow", "黄色预警"),
        Some(Warning::Green) => ("warn-green", "绿色预警"),
        None => ("", ""),
    }
}

pub fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

pub fn yuan(fen: i64) -> String {
    if fen >= 1_000_000 {
        format!("{:.2}万元", fen as f64 / 1_000_000.0)
    } else {
        format!("{:.2}元", fen as f64 / 100.0)
    }
}

/// A file's size as people read it: bytes below a kilobyte, then KB and MB.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} 字节"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}

/// The day of an event's time (`2025-06-01T…`) as the interface writes dates.
pub fn event_day(at: &str) -> String {
    let day = at.get(..10).unwrap_or(at);
    Date::parse(day).map_or_else(|_| day.to_string(), Date::zh)
}

/// An event's action in words.
pub fn action_label(action: &str) -> String {
    match action {
        "import" => "导入".to_string(),
        a => FindingCommandKind::parse(a)
            .map(|c| c.zh().to_string())
            .or_else(|| {
                PlanAction::ALL
                    .iter()
                    .find(|p| p.as_str() == a)
                    .map(|p| p.zh().to_string())
            })
            .unwrap_or_else(|| action_zh(a).to_string()),
    }
}

fn action_zh(action: &str) -> &'static str {
    match action {
        "add_measure" => "增加整改措施",
        "edit_measure" => "修改整改措施",
        "remove_measure" => "删除整改措施",
        "add_progress" => "填报整改进展",
        "set_measure_status" => "更新措施状态",
        "attach_evidence" => "上传佐证材料",
        "add_outcome" => "登记整改成效",
        "request_extension" => "申请延期",
        "approve_extension" => "批准延期",
        "refuse_extension" => "不予延期",
        "create_round" => "新建巡察轮次",
        "edit_round" => "修改巡察轮次",
        "create_unit" => "新建单位",
        "edit_unit" => "修改单位",
        "create_user" => "新建用户",
        "disable_user" => "停用用户",
        "enable_user" => "启用用户",
        "set_password" => "修改密码",
        "add_token" => "发放接口令牌",
        _ => "其他变更",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_days_sizes_and_actions_read_in_chinese() {
        assert_eq!(event_day("2025-06-01T08:30:00Z"), "2025年6月1日");
        assert_eq!(event_day("garbled"), "garbled");
        assert_eq!(size_text(32), "32 字节");
        assert_eq!(size_text(2048), "2.0 KB");
        assert_eq!(size_text(3 * 1_048_576), "3.0 MB");
        assert_eq!(action_label("sign_off"), FindingCommandKind::SignOff.zh());
        assert_eq!(action_label("submit_plan"), PlanAction::Submit.zh());
        assert_eq!(action_label("edit_round"), "修改巡察轮次");
        assert_eq!(action_label("import"), "导入");
    }
}
