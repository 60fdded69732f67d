//! How a command ends: exit 0 when it did its work, 1 when the input was refused and
//! nothing changed, 2 when zhenggai could not run. Messages are Chinese, system errors
//! included; a closed pipe on stdout (`| head`) ends the command quietly.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use zhenggai_app::AppError;
use zhenggai_store::StoreError;

#[derive(Debug)]
pub enum Failure {
    /// The input or request was refused; nothing changed.
    Refused(String),
    /// zhenggai could not do its work (database unreachable, disk full, …).
    Broken(String),
    /// Whoever read our output went away.
    Pipe,
}

pub type Outcome = Result<ExitCode, Failure>;

impl Failure {
    pub fn exit(self, logs: &std::path::Path) -> ExitCode {
        match self {
            Failure::Refused(m) => {
                eprintln!("{m}");
                ExitCode::from(1)
            }
            Failure::Broken(m) => {
                if m.contains("详情见日志") {
                    eprintln!("{m}（日志在 {}）", logs.display());
                } else {
                    eprintln!("{m}");
                }
                ExitCode::from(2)
            }
            Failure::Pipe => ExitCode::SUCCESS,
        }
    }
}

/// The store's failures that are not about the input.
fn broken_code(code: &str) -> bool {
    matches!(
        code,
        "database" | "migrate" | "corrupt" | "internal" | "unsupported_url"
    )
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        let m = format!("错误（{}）：{e}", e.code());
        if broken_code(e.code()) {
            Failure::Broken(m)
        } else {
            Failure::Refused(m)
        }
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        match e {
            AppError::Store(s) => s.into(),
            other if broken_code(other.code()) => {
                Failure::Broken(format!("错误（{}）：{other}", other.code()))
            }
            other => Failure::Refused(format!(
                "错误（{}）：{other}\n数据库未作任何改动。",
                other.code()
            )),
        }
    }
}

/// An I/O error in words a user of a Chinese system reads.
pub fn io_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或目录不存在".into(),
        K::PermissionDenied => "没有权限".into(),
        K::AlreadyExists => "已经存在".into(),
        K::IsADirectory => "这是一个目录，不是文件".into(),
        K::NotADirectory => "不是目录".into(),
        K::StorageFull => "磁盘已满".into(),
        K::InvalidData => "内容不是有效的文本".into(),
        K::UnexpectedEof => "文件不完整".into(),
        K::BrokenPipe => "输出管道已关闭".into(),
        _ => format!("系统错误（{}）", e.kind()),
    }
}

pub fn io_failure(what: &str, path: &std::path::Path, e: &std::io::Error) -> Failure {
    Failure::Refused(format!("错误：{what} {}：{}", path.display(), io_zh(e)))
}

/// Writes to stdout; a closed pipe ends the command without an error.
pub fn say(text: impl AsRef<str>) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let r = out
        .write_all(text.as_ref().as_bytes())
        .and_then(|_| out.flush());
    r.map_err(pipe_or_broken)
}

pub fn pipe_or_broken(e: std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::Pipe
    } else {
        Failure::Broken(format!("错误：无法输出：{}", io_zh(&e)))
    }
}

/// Where the data lives: a database URL and, for the embedded default, the file.
pub struct Location {
    pub url: String,
    pub sqlite_file: Option<PathBuf>,
    /// The largest evidence file accepted, in bytes.
    pub max_file: u64,
}

impl Location {
    pub fn new(database: Option<&str>, data: &std::path::Path, max_file_mb: u64) -> Location {
        let max_file = max_file_mb.saturating_mul(1024 * 1024);
        match database {
            Some(url) => Location {
                url: url.to_string(),
                sqlite_file: url
                    .strip_prefix("sqlite://")
                    .or_else(|| url.strip_prefix("sqlite:"))
                    .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p))),
                max_file,
            },
            None => {
                let file = data.join("zhenggai.db");
                Location {
                    url: format!("sqlite://{}", file.display()),
                    sqlite_file: Some(file),
                    max_file,
                }
            }
        }
    }

    /// Whether an embedded database file is missing (a server database always exists).
    pub fn missing(&self) -> bool {
        self.sqlite_file.as_ref().is_some_and(|f| !f.exists())
    }
}
