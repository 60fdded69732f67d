//! Import of a ledger document. A thread of its own parses the bytes record by record and
//! hands each record, as soon as it is whole, to the import transaction, so the parsing and
//! the writing share the work of two cores and a record's tree is the most held at once.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use tokio::sync::mpsc;
use zhenggai_core::{Actor, Feedback, Round, Unit};
use zhenggai_store::{ImportSummary, ImportTx, Store, StoreError};

use super::bytes::Bytes;
use super::located::Located;
use super::FORMAT;
use crate::error::AppError;

/// One record read from the document, with its JSON path.
enum Record {
    Round(String, Round),
    Unit(String, Unit),
    Feedback(String, Box<Feedback>),
}

const SECTIONS: [&str; 5] = ["format", "anchor", "rounds", "units", "feedbacks"];

/// Where parsed records go, and where their places in the document are told.
#[derive(Clone, Copy)]
struct Sink<'a> {
    tx: &'a mpsc::Sender<Record>,
    text: &'a [u8],
    at: &'a dyn Fn(usize),
}

struct Document<'a>(Sink<'a>);

struct Section<'a> {
    name: &'static str,
    sink: Sink<'a>,
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
                    sink: self.0,
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
        let Sink { tx, text, at } = self.sink;
        fn located<'a, T>(text: &'a [u8], at: &'a dyn Fn(usize)) -> Located<'a, T> {
            Located {
                base: text,
                at,
                what: PhantomData,
            }
        }
        let mut i = 0usize;
        loop {
            let path = format!("{}[{i}]", self.name);
            let record = match self.name {
                "rounds" => seq
                    .next_element_seed(located::<Round>(text, at))?
                    .map(|r| Record::Round(path, r)),
                "units" => seq
                    .next_element_seed(located::<Unit>(text, at))?
                    .map(|u| Record::Unit(path, u)),
                _ => seq
                    .next_element_seed(located::<Feedback>(text, at))?
                    .map(|f| Record::Feedback(path, Box::new(f))),
            };
            let Some(record) = record else { return Ok(()) };
            // The writer hung up: it failed and will report why.
            if tx.blocking_send(record).is_err() {
                return Err(de::Error::custom("导入已中止"));
            }
            i += 1;
        }
    }
}

/// Imports the ledger document `bytes` in one transaction.
pub async fn import(
    store: &dyn Store,
    actor: &Actor,
    file: &str,
    bytes: impl Into<Bytes>,
) -> Result<ImportSummary, AppError> {
    import_whole(store, actor, file, bytes.into(), |_| {}).await
}

/// Imports the ledger document `bytes` into an import already under way.
pub async fn import_into(
    import: &mut dyn ImportTx,
    file: &str,
    bytes: impl Into<Bytes>,
) -> Result<(), AppError> {
    parse_into(import, file, bytes.into(), |_| {}).await
}

/// Imports the ledger document at `path`, reporting bytes read to `progress`.
pub async fn import_path(
    store: &dyn Store,
    actor: &Actor,
    path: &Path,
    progress: impl Fn(u64) + Send + 'static,
) -> Result<ImportSummary, AppError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| AppError::from_io(&name, &e))?;
    let bytes = Bytes::of_file(file, &name)?;
    import_whole(store, actor, &name, bytes, progress).await
}

/// One transaction: begun, the document parsed into it, committed.
async fn import_whole(
    store: &dyn Store,
    actor: &Actor,
    file: &str,
    bytes: Bytes,
    progress: impl Fn(u64) + Send + 'static,
) -> Result<ImportSummary, AppError> {
    let mut tx = store.begin_import(actor).await?;
    parse_into(tx.as_mut(), file, bytes, progress).await?;
    Ok(tx.commit().await?)
}

/// The mapped pages the parser has passed are let go in steps of this many bytes.
const RELEASE_EVERY: usize = 64 << 20;

async fn parse_into(
    import: &mut dyn ImportTx,
    file: &str,
    bytes: Bytes,
    progress: impl Fn(u64) + Send + 'static,
) -> Result<(), AppError> {
    let (tx, mut rx) = mpsc::channel::<Record>(64);
    let name = file.to_string();
    let parser = tokio::task::spawn_blocking(move || {
        let all = bytes.as_ref();
        // Editors on Windows start a file with a byte order mark.
        let text = all.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(all);
        let skipped = all.len() - text.len();
        let told = Cell::new(0usize);
        let released = Cell::new(0usize);
        let at = |offset: usize| {
            let offset = offset + skipped;
            progress(offset.saturating_sub(told.get()) as u64);
            told.set(offset.max(told.get()));
            if offset >= released.get() + RELEASE_EVERY {
                let upto = offset - offset % RELEASE_EVERY;
                bytes.release(upto);
                released.set(upto);
            }
        };
        let mut de = serde_json::Deserializer::from_slice(text);
        let sink = Sink {
            tx: &tx,
            text,
            at: &at,
        };
        let parsed = Document(sink).deserialize(&mut de).and_then(|()| de.end());
        progress(all.len().saturating_sub(told.get()) as u64);
        parsed.map_err(|e| syntax(&name, &e, text))
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
        Ok(result) => result,
        Err(join) => Err(AppError::io(file, join)),
    }
}

/// A JSON error at its line and column, the column counted in characters as an editor
/// counts them.
fn syntax(file: &str, e: &serde_json::Error, text: &[u8]) -> AppError {
    let message = e.to_string();
    let message = match message.rfind(" at line ") {
        Some(i) => crate::serde_zh::zh(&message[..i]),
        None => crate::serde_zh::zh(&message),
    };
    let line = e.line();
    let column = text
        .split(|b| *b == b'\n')
        .nth(line.saturating_sub(1))
        .map_or(e.column(), |l| char_column(l, e.column()));
    AppError::Syntax {
        file: file.to_string(),
        line,
        column,
        message,
    }
}

/// The 1-based character column of the 1-based byte column `byte_column` in `line`.
fn char_column(line: &[u8], byte_column: usize) -> usize {
    let upto = &line[..byte_column.saturating_sub(1).min(line.len())];
    String::from_utf8_lossy(upto).chars().count() + 1
}
