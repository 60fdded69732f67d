//! `zhenggai.ledger.v1`: the whole ledger as one JSON document (docs/ledger-json.md).
//! Import streams the document record by record into an import transaction, so memory
//! stays bounded by one feedback tree however large the file is.

use std::fmt;
use std::io::{Read, Write};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use tokio::sync::mpsc;
use zhenggai_core::{Feedback, Round, Unit};
use zhenggai_store::{ImportSummary, Store, StoreError};

pub const FORMAT: &str = "zhenggai.ledger.v1";

/// One record read from the document, with its JSON path.
pub enum Record {
    Round(String, Round),
    Unit(String, Unit),
    Feedback(String, Box<Feedback>),
}

/// Why an import stopped. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {source}")]
    Store { file: String, source: StoreError },
    #[error("{file}: 无法读取：{source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

impl ImportError {
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Syntax { .. } => "invalid_json",
            ImportError::Store { source, .. } => source.code(),
            ImportError::Io { .. } => "io",
        }
    }
}

const SECTIONS: [&str; 4] = ["format", "rounds", "units", "feedbacks"];

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
                    "字段“{key}”重复或次序不对：应依次为 format、rounds、units、feedbacks"
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
    file: &str,
    reader: R,
    actor: &str,
) -> Result<ImportSummary, ImportError> {
    let (tx, mut rx) = mpsc::channel::<Record>(64);
    let parser = tokio::task::spawn_blocking(move || {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(
            1 << 16,
            reader,
        ));
        Document { tx: &tx }.deserialize(&mut de)?;
        de.end()
    });
    let store_err = |source| ImportError::Store {
        file: file.to_string(),
        source,
    };
    let written: Result<_, StoreError> = async {
        let mut import = store.begin_import(actor).await?;
        while let Some(record) = rx.recv().await {
            match record {
                Record::Round(path, r) => import.put_round(&path, &r).await?,
                Record::Unit(path, u) => import.put_unit(&path, &u).await?,
                Record::Feedback(path, f) => import.put_feedback(&path, &f).await?,
            }
        }
        Ok(import)
    }
    .await;
    // Dropping the receiver makes the parser stop at its next record.
    drop(rx);
    let parsed = parser.await;
    let import = written.map_err(store_err)?;
    match parsed {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(syntax(file, &e)),
        Err(join) => {
            return Err(ImportError::Io {
                file: file.to_string(),
                source: std::io::Error::other(join.to_string()),
            })
        }
    }
    import.commit().await.map_err(store_err)
}

fn syntax(file: &str, e: &serde_json::Error) -> ImportError {
    if e.is_io() {
        return ImportError::Io {
            file: file.to_string(),
            source: std::io::Error::other(e.to_string()),
        };
    }
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    ImportError::Syntax {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Writes the whole ledger, one record per line, in id order.
pub async fn export<W: Write>(store: &dyn Store, out: &mut W) -> anyhow::Result<()> {
    writeln!(out, "{{\"format\":\"{FORMAT}\",")?;
    write_section(out, "rounds", &store.rounds().await?)?;
    writeln!(out, ",")?;
    write_section(out, "units", &store.units().await?)?;
    writeln!(out, ",")?;
    write!(out, "\"feedbacks\":[")?;
    for (i, id) in store.feedback_ids().await?.iter().enumerate() {
        write_item(out, i, &store.feedback(id).await?)?;
    }
    writeln!(out, "]}}")?;
    out.flush()?;
    Ok(())
}

fn write_section<W: Write, T: serde::Serialize>(
    out: &mut W,
    name: &str,
    items: &[T],
) -> anyhow::Result<()> {
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
) -> anyhow::Result<()> {
    writeln!(out, "{}", if i == 0 { "" } else { "," })?;
    serde_json::to_writer(&mut *out, item)?;
    Ok(())
}
