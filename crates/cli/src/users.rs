//! `zhenggai user …`: accounts from the command line, as the operator who holds the
//! database (an administrator). Passwords come from the terminal without echo, or from the
//! first line of stdin when it is not a terminal (for scripts).

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use zhenggai_app::accounts;
use zhenggai_core::{Id, Role};
use zhenggai_store::{AccountChange, Options, Store, User};

use crate::args::UserCommand;
use crate::commands::{open, operator};
use crate::outcome::{say, Failure, Location, Outcome};

fn read_password(prompt: &str) -> Result<String, Failure> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = rpassword::prompt_password(prompt)
            .map_err(|e| Failure::Refused(format!("错误：无法读取密码：{e}")))?;
        let again = rpassword::prompt_password("再输入一次：")
            .map_err(|e| Failure::Refused(format!("错误：无法读取密码：{e}")))?;
        if first != again {
            return Err(Failure::Refused("错误：两次输入的密码不一致".into()));
        }
        first
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::Refused(format!("错误：无法从标准输入读取密码：{e}")))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    Ok(password)
}

async fn user_by_login(store: &dyn Store, login: &str) -> Result<User, Failure> {
    store
        .users(&operator("命令行"))
        .await?
        .into_iter()
        .find(|u| u.login == login)
        .ok_or_else(|| Failure::Refused(format!("错误：没有登录名为“{login}”的用户")))
}

/// Units named by id or by name.
async fn unit_ids(store: &dyn Store, names: &[String]) -> Result<Vec<Id>, Failure> {
    let units = store.units(&operator("命令行")).await?;
    names
        .iter()
        .map(|n| {
            units
                .iter()
                .find(|u| &u.id == n || &u.name == n)
                .map(|u| u.id.clone())
                .ok_or_else(|| {
                    Failure::Refused(format!("错误：没有单位“{n}”（可用单位标识或全称）"))
                })
        })
        .collect()
}

pub async fn run(at: &Location, _data: &Path, cmd: UserCommand) -> Outcome {
    let create = matches!(cmd, UserCommand::Add { .. });
    if let UserCommand::Add { role, .. } = &cmd {
        // Checked before a password is asked for or a database made.
        if Role::parse(role).is_none_or(|r| r == Role::Public) {
            return Err(Failure::Refused(format!(
                "错误：角色“{role}”无效，可选：admin office supervisor unit_editor unit_lead"
            )));
        }
    }
    let store = open(at, create, Options::default()).await?;
    let result = run_on(store.as_ref(), cmd).await;
    store.close().await;
    result
}

async fn run_on(store: &dyn Store, cmd: UserCommand) -> Outcome {
    let me = operator("命令行");
    match cmd {
        UserCommand::Add {
            login,
            role,
            units,
            name,
        } => {
            let role =
                Role::parse(&role).ok_or_else(|| Failure::Refused("错误：角色无效".into()))?;
            let units = unit_ids(store, &units).await?;
            let password = read_password("密码：")?;
            let name = name.unwrap_or_else(|| login.clone());
            let user =
                accounts::add_user(store, &me, &login, &name, role, units, &password).await?;
            say(format!(
                "已新建用户 {}（{}，{}）\n",
                user.login,
                user.name,
                user.role.zh()
            ))?;
        }
        UserCommand::List => {
            let mut text = String::new();
            for u in store.users(&me).await? {
                text.push_str(&format!(
                    "{:<16} {:<20} {:<12} {}{}\n",
                    u.login,
                    u.name,
                    u.role.as_str(),
                    u.units.join(","),
                    if u.disabled { "（已停用）" } else { "" }
                ));
            }
            if text.is_empty() {
                text.push_str("还没有用户。用 zhenggai user add 新建。\n");
            }
            say(text)?;
        }
        UserCommand::Disable { login } => {
            let user = user_by_login(store, &login).await?;
            store
                .change_account(&me, AccountChange::Disable { user_id: user.id })
                .await?;
            say(format!("已停用 {login}，其会话均已结束\n"))?;
        }
        UserCommand::Enable { login } => {
            let user = user_by_login(store, &login).await?;
            store
                .change_account(&me, AccountChange::Enable { user_id: user.id })
                .await?;
            say(format!("已启用 {login}\n"))?;
        }
        UserCommand::Passwd { login } => {
            let user = user_by_login(store, &login).await?;
            let password = read_password("新密码：")?;
            accounts::set_password(store, &me, &user.id, &password).await?;
            say(format!("已重设 {login} 的密码\n"))?;
        }
        UserCommand::Token { login, label } => {
            let user = user_by_login(store, &login).await?;
            let token = accounts::issue_token(store, &me, &user.id, &label).await?;
            say(format!(
                "{token}\n（{login} 的 API 令牌，只显示这一次；请求时放在 Authorization: Bearer 后）\n"
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
