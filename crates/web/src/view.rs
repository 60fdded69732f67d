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
