//! `zhenggai serve`: the web application on the embedded database or PostgreSQL. With
//! `--demo`, an empty ledger is first filled with the demo; a ledger that holds something is
//! served as it is.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use zhenggai_app::demo;
use zhenggai_core::{Clock, ManualClock};
use zhenggai_store::{Options, SystemClock};

use crate::args::Serve;
use crate::commands::open;
use crate::outcome::{say, Failure, Location, Outcome};

pub async fn run(at: &Location, args: Serve) -> Outcome {
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|e| {
            Failure::Broken(format!(
                "错误：无法监听 {}：{}",
                args.listen,
                crate::outcome::io_zh(&e)
            ))
        })?;
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or(args.listen.clone());
    let mut shown = String::new();
    if args.demo {
        let clock = Arc::new(ManualClock::new(SystemClock.today()));
        let options = Options {
            clock: clock.clone(),
            ..Options::default()
        };
        let store = open(at, true, options).await?;
        if store.is_empty().await? {
            let users = demo::fill(store.as_ref(), &clock).await?;
            shown.push_str(&format!(
                "已写入演示账本。演示账号（密码都是 {}）：\n",
                demo::PASSWORD
            ));
            for u in &users {
                shown.push_str(&format!("  {:<12} {}\n", u.login, u.name));
            }
        } else {
            shown.push_str(
                "数据库中已有账本，直接使用（演示账号如已建立，密码为 zhenggai-demo）。\n",
            );
        }
        store.close().await;
    }
    let store: Arc<dyn zhenggai_store::Store> = open(at, true, Options::default()).await?.into();
    let settings = zhenggai_web::Settings {
        idle: Duration::from_secs(args.idle_minutes.max(1) * 60),
        secure_cookies: args.secure_cookies,
        behind_proxy: args.behind_proxy,
        max_upload: at.max_file,
        ..zhenggai_web::Settings::default()
    };
    say(format!(
        "{shown}整改台账已启动：http://{address}/ （按 Ctrl+C 停止）\n"
    ))?;
    zhenggai_web::serve(store.clone(), settings, listener, shutdown())
        .await
        .map_err(|e| Failure::Broken(format!("错误：服务中断：{}", crate::outcome::io_zh(&e))))?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl+C or SIGTERM: stop taking requests, finish the ones under way.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}
