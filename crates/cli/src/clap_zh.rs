//! clap's errors and the few words of its help that it writes itself, said in Chinese.
//! clap writes them in English; the kind of error and the argument and value it is about
//! are enough to say the same thing.

use clap::error::{ContextKind, ContextValue, ErrorKind};

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The message for a command line that could not be read, or `None` when clap only has
/// help or a version to show.
pub fn message(e: &clap::Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let body = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            "缺少命令".to_string()
        }
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            context(e, ContextKind::InvalidSubcommand)
        ),
        ErrorKind::UnknownArgument => format!("不认识的选项或参数“{arg}”"),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::InvalidValue => {
            let valid = context(e, ContextKind::ValidValue);
            if valid.is_empty() {
                format!("{arg} 缺少取值")
            } else {
                format!("{arg} 的取值“{value}”无效，可选：{valid}")
            }
        }
        ErrorKind::ValueValidation => format!("{arg} 的取值“{value}”无效"),
        ErrorKind::ArgumentConflict => format!("{arg} 不能与其他选项同时使用"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} 的取值个数不对")
        }
        ErrorKind::NoEquals => format!("{arg} 须写成 {arg}=取值"),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    Some(format!("错误：{body}\n运行 zhenggai --help 查看用法。"))
}

/// Help or version text, with the words clap adds to an option's help in Chinese. Plain,
/// without colour codes.
pub fn help(e: &clap::Error) -> String {
    e.render()
        .to_string()
        .replace("Possible values:", "可选值：")
        .replace("[possible values: ", "[可选值：")
        .replace("[default: ", "[默认：")
        .replace("[env: ", "[环境变量：")
        .replace("[aliases: ", "[别名：")
        .replace("[alias: ", "[别名：")
        .replace("[OPTIONS]", "[选项]")
}
