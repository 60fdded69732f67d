//! Logs: warnings and errors go to a daily file in the data directory (kept for 30 days),
//! which is where "详情见日志" sends people; the terminal gets nothing but what commands
//! print themselves, with no colour codes when stderr is not a terminal.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

/// A rolling file opened on the first line written, so that commands that log nothing
/// leave no files behind.
#[derive(Clone)]
struct LazyFile {
    dir: PathBuf,
    file: Arc<OnceLock<Option<Mutex<tracing_appender::rolling::RollingFileAppender>>>>,
}

impl LazyFile {
    fn appender(&self) -> &Option<Mutex<tracing_appender::rolling::RollingFileAppender>> {
        self.file.get_or_init(|| {
            // Made here, on the first line logged: the appender prunes old files on start and
            // complains on stderr when the directory is missing.
            std::fs::create_dir_all(&self.dir).ok()?;
            tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix("zhenggai")
                .filename_suffix("log")
                .max_log_files(30)
                .build(&self.dir)
                .ok()
                .map(Mutex::new)
        })
    }
}

pub struct LazyWriter<'a>(&'a LazyFile);

impl Write for LazyWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.0.appender() {
            Some(m) => m.lock().map_or(Ok(buf.len()), |mut f| f.write(buf)),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.0.appender() {
            Some(m) => m.lock().map_or(Ok(()), |mut f| f.flush()),
            None => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for LazyFile {
    type Writer = LazyWriter<'a>;
    fn make_writer(&'a self) -> Self::Writer {
        LazyWriter(self)
    }
}

/// The directory logs are written to.
pub fn dir(data: &Path) -> PathBuf {
    data.join("logs")
}

/// `ZHENGGAI_LOG` chooses what is logged (default: warnings and errors; sqlx's notes on
/// slow statements stay out). `ZHENGGAI_LOG_STDERR=1` copies the log to stderr.
pub fn init(data: &Path) {
    let filter = || {
        EnvFilter::try_from_env("ZHENGGAI_LOG")
            .unwrap_or_else(|_| EnvFilter::new("warn,sqlx::query=error"))
    };
    let file = LazyFile {
        dir: dir(data),
        file: Arc::new(OnceLock::new()),
    };
    let to_file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(file)
        .with_filter(filter());
    let to_stderr = std::env::var_os("ZHENGGAI_LOG_STDERR").map(|_| {
        tracing_subscriber::fmt::layer()
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });
    tracing_subscriber::registry()
        .with(to_file)
        .with(to_stderr)
        .init();
}
