//! `zhenggai.ledger.v2`: the whole ledger as one JSON document (docs/ledger-json.md).
//! Import streams the document record by record into an import transaction, so memory
//! stays bounded by one feedback tree however large the file is.

use std::fmt;
use std::io::{Read, Write};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use tokio::sync::mpsc;
use zhenggai_core::{authorize, Access, Actor, Feedback, Round, Unit};
use zhenggai_store::{ImportSummary, ImportTx, Store, StoreError};

use crate::error::AppError;

pub const FORMAT: &str = "zhenggai.ledger.v2";

/// One record read from the document, with its JSON path.
pub enum Record {
    Round(String, Round),
    Unit(String, Unit),
    Feedback(String, Box<Feedback>),
}

const SECTIONS: [&str; 5] = ["format", "anchor", "rounds", "units", "feedbacks"];

struct Document<'a> {
    tx: &'a mpsc::Sender<Record>,
}

struct Section<'a> {
    name: &'static str,
    tx: &'a mpsc::Sender<Record>,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "一个 {FORMAT} 文档对象")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut next = 0;
        while let Some(key) = map.next_key::<String>()? {
            let Some(pos) = SECTIONS.iter().position(|s| *s == key) else {
                return Err(de::Error::custom(format!("未知字段“{key}”")));
            };
            if pos < next {
                return Err(de::Error::custom(format!(
                    "字段“{key}”重复或次序不对：应依次为 format、anchor、rounds、units、feedbacks"
                )));
            }
            if next == 0 && pos != 0 {
                return Err(de::Error::custom("文档须以 \"format\" 字段开头"));
            }
            next = pos + 1;
            if pos == 0 {
                let format: String = map.next_value()?;
                if format != FORMAT {
                    return Err(de::Error::custom(format!(
                        "不支持的格式版本“{format}”，本程序读取 {FORMAT}"
                    )));
                }
            } else if pos == 1 {
                // Where the exporting ledger's chain ended: for the reader to compare with
                // an anchor kept elsewhere. The importing ledger writes its own events.
                let anchor: String = map.next_value()?;
                zhenggai_core::event::Anchor::parse(&anchor).map_err(de::Error::custom)?;
            } else {
                map.next_value_seed(Section {
                    name: SECTIONS[pos],
                    tx: self.tx,
                })?;
            }
        }
        if next == 0 {
            return Err(de::Error::custom("缺少 \"format\" 字段"));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Section<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Section<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "“{}”的记录数组", self.name)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let path = format!("{}[{i}]", self.name);
            let record = match self.name {
                "rounds" => seq.next_element::<Round>()?.map(|r| Record::Round(path, r)),
                "units" => seq.next_element::<Unit>()?.map(|u| Record::Unit(path, u)),
                _ => seq
                    .next_element::<Feedback>()?
                    .map(|f| Record::Feedback(path, Box::new(f))),
            };
            let Some(record) = record else { return Ok(()) };
            // The writer hung up: it failed and will report why.
            if self.tx.blocking_send(record).is_err() {
                return Err(de::Error::custom("导入已中止"));
            }
            i += 1;
        }
    }
}

/// Reads `reader` as a ledger document and imports it in one transaction.
pub async fn import<R: Read + Send + 'static>(
    store: &dyn Store,
    actor: &Actor,
    file: &str,
    reader: R,
) -> Result<ImportSummary, AppError> {
    let mut tx = store.begin_import(actor).await?;
    import_into(tx.as_mut(), file, reader).await?;
    Ok(tx.commit().await?)
}

/// Reads `reader` as a ledger document into an import already under way.
pub async fn import_into<R: Read + Send + 'static>(
    import: &mut dyn ImportTx,
    file: &str,
    reader: R,
) -> Result<(), AppError> {
    let (tx, mut rx) = mpsc::channel::<Record>(64);
    let parser = tokio::task::spawn_blocking(move || {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(
            1 << 16,
            SkipBom::new(reader),
        ));
        Document { tx: &tx }.deserialize(&mut de)?;
        de.end()
    });
    let written: Result<(), StoreError> = async {
        while let Some(record) = rx.recv().await {
            match record {
                Record::Round(path, r) => import.put_round(&path, &r).await?,
                Record::Unit(path, u) => import.put_unit(&path, &u).await?,
                Record::Feedback(path, f) => import.put_feedback(&path, &f).await?,
            }
        }
        Ok(())
    }
    .await;
    // Dropping the receiver makes the parser stop at its next record.
    drop(rx);
    let parsed = parser.await;
    written.map_err(|source| AppError::Record {
        file: file.to_string(),
        source,
    })?;
    match parsed {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(syntax(file, &e)),
        Err(join) => Err(AppError::io(file, join)),
    }
}

/// A reader that drops a UTF-8 byte order mark at the start, as editors on Windows write.
struct SkipBom<R> {
    inner: R,
    checked: bool,
    pending: Vec<u8>,
}

impl<R> SkipBom<R> {
    fn new(inner: R) -> SkipBom<R> {
        SkipBom {
            inner,
            checked: false,
            pending: Vec::new(),
        }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut got = 0;
            while got < 3 {
                match self.inner.read(&mut head[got..])? {
                    0 => break,
                    n => got += n,
                }
            }
            if head[..got] != [0xEF, 0xBB, 0xBF] {
                self.pending = head[..got].to_vec();
            }
        }
        if self.pending.is_empty() {
            return self.inner.read(buf);
        }
        let n = self.pending.len().min(buf.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// A JSON error at its line and column, the column counted in characters.
fn syntax(file: &str, e: &serde_json::Error) -> AppError {
    if e.is_io() {
        return AppError::io(file, e);
    }
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => crate::serde_zh::zh(&text[..i]),
        None => crate::serde_zh::zh(&text),
    };
    AppError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Writes the whole ledger, one record per line, in id order, after the anchor of the
/// chain it was read from.
pub async fn export<W: Write>(
    store: &dyn Store,
    actor: &Actor,
    out: &mut W,
) -> Result<(), AppError> {
    authorize(actor, Access::ExportAll)?;
    let io = |e: std::io::Error| AppError::from_io("导出", &e);
    let head = store.head().await?;
    writeln!(out, "{{\"format\":\"{FORMAT}\",\"anchor\":\"{head}\",").map_err(io)?;
    write_section(out, "rounds", &store.rounds(actor).await?).map_err(io)?;
    writeln!(out, ",").map_err(io)?;
    write_section(out, "units", &store.units(actor).await?).map_err(io)?;
    writeln!(out, ",").map_err(io)?;
    write!(out, "\"feedbacks\":[").map_err(io)?;
    for (i, f) in store.feedbacks(actor).await?.iter().enumerate() {
        write_item(out, i, &store.feedback(actor, &f.id).await?).map_err(io)?;
    }
    writeln!(out, "]}}").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(())
}

fn write_section<W: Write, T: serde::Serialize>(
    out: &mut W,
    name: &str,
    items: &[T],
) -> std::io::Result<()> {
    write!(out, "\"{name}\":[")?;
    for (i, item) in items.iter().enumerate() {
        write_item(out, i, item)?;
    }
    write!(out, "]")?;
    Ok(())
}

/// One record on a line of its own, after a comma unless it is the first.
fn write_item<W: Write, T: serde::Serialize>(
    out: &mut W,
    i: usize,
    item: &T,
) -> std::io::Result<()> {
    writeln!(out, "{}", if i == 0 { "" } else { "," })?;
    serde_json::to_writer(&mut *out, item)?;
    Ok(())
}

/// Imports the ledger document at `path`, reporting bytes read to `progress`; a syntax
/// error names its column in characters, as an editor counts them.
pub async fn import_path(
    store: &dyn Store,
    actor: &Actor,
    path: &std::path::Path,
    progress: impl Fn(u64) + Send + Sync + 'static,
) -> Result<ImportSummary, AppError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| AppError::from_io(&name, &e))?;
    let reader = Counting {
        inner: file,
        progress,
    };
    match import(store, actor, &name, reader).await {
        Err(AppError::Syntax {
            file,
            line,
            column,
            message,
        }) => {
            let column = std::fs::read(path)
                .ok()
                .and_then(|bytes| {
                    bytes
                        .split(|b| *b == b'\n')
                        .nth(line.saturating_sub(1))
                        .map(|l| char_column(l, column))
                })
                .unwrap_or(column);
            Err(AppError::Syntax {
                file,
                line,
                column,
                message,
            })
        }
        other => other,
    }
}

/// The 1-based character column of the 1-based byte column `byte_column` in `line`.
pub fn char_column(line: &[u8], byte_column: usize) -> usize {
    let upto = &line[..byte_column.saturating_sub(1).min(line.len())];
    String::from_utf8_lossy(upto).chars().count() + 1
}

/// A reader that reports how many bytes have gone through it.
struct Counting<R, F> {
    inner: R,
    progress: F,
}

impl<R: Read, F: Fn(u64)> Read for Counting<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}
