//! The `zhenggai` binary: reads the command line, opens the store, runs a use case.

mod args;
mod clap_zh;
mod commands;
mod documents;
mod logging;
mod notice_cli;
mod outcome;
mod serve;
mod users;
mod xlsx_cli;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};
use outcome::{Location, Outcome};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            return match clap_zh::message(&e) {
                None => {
                    print!("{}", clap_zh::help(&e));
                    ExitCode::SUCCESS
                }
                Some(m) => {
                    eprintln!("{m}");
                    ExitCode::from(2)
                }
            };
        }
    };
    logging::init(&cli.data);
    let logs = logging::dir(&cli.data);
    // Parsing needs no database and no runtime threads: its threads are its own (starting
    // the workers cost a small parse a tenth of a millisecond). Every other command runs on
    // tokio's threads.
    let runtime = if matches!(cli.command, Command::Parse { .. }) {
        tokio::runtime::Builder::new_current_thread().build()
    } else {
        tokio::runtime::Runtime::new()
    };
    let outcome = match runtime {
        Ok(runtime) => runtime.block_on(run(cli)),
        Err(e) => {
            eprintln!("错误：无法启动：{e}");
            return ExitCode::from(1);
        }
    };
    match outcome {
        Ok(code) => code,
        Err(f) => f.exit(&logs),
    }
}

async fn run(cli: Cli) -> Outcome {
    let at = Location::new(cli.database.as_deref(), &cli.data, cli.max_file_mb);
    match cli.command {
        Command::Parse { files, pretty } => notice_cli::parse_files(&files, pretty),
        Command::ImportNotice(args) => notice_cli::import_notice(&at, &cli.data, args).await,
        Command::Init => commands::init(&at, &cli.data).await,
        Command::Demo => commands::demo(&at, &cli.data).await,
        Command::Verify { anchor } => commands::verify(&at, anchor.as_deref()).await,
        Command::Export {
            format: args::Format::Json,
            output,
            with_evidence,
            xlsx,
        } if xlsx.round.is_none() && xlsx.unit.is_none() => {
            commands::export(&at, output, with_evidence).await
        }
        Command::Export {
            format,
            output,
            with_evidence,
            xlsx,
        } => xlsx_cli::export(&at, format, output, with_evidence, xlsx).await,
        Command::Import { file, actor, xlsx } => {
            if xlsx_cli::wanted(&file, &xlsx) {
                xlsx_cli::import(&at, &file, &actor, xlsx).await
            } else {
                commands::import(&at, &cli.data, &file, &actor).await
            }
        }
        Command::Stats(args) => commands::stats(&at, args).await,
        Command::Notice(args) => documents::notice(&at, args).await,
        Command::Supervise(args) => documents::supervise(&at, args).await,
        Command::User(cmd) => users::run(&at, &cli.data, cmd).await,
        Command::Serve(args) => serve::run(&at, args).await,
        Command::Backup { output } => commands::backup(&at, &output).await,
        Command::Restore { file, anchor } => commands::restore(&at, &file, anchor.as_deref()).await,
    }
}
