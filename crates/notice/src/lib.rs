//! Reading and writing published rectification notices (整改情况的通报). Parsing goes in
//! stages: raw bytes → decoded text with its damage recorded (`decode`) → normalised text
//! and the view the parser reads, traditional characters mapped (`normalize`, `view`) →
//! classified lines, the parts of the notice and its outline (`numbering`, `parts`,
//! `outline`) → measures with their quantities, dates and documents, and the metadata
//! (`measures`, `extract`, `meta`) → the `Notice` value, given back as written. `render`
//! goes the other way, and `compose` writes a whole notice from a ledger as a `document`
//! tree (plain text here, .docx in `zhenggai-office`). Pure: no I/O.

pub mod compose;
mod contact;
pub mod decode;
pub mod document;
mod extract;
mod feedback;
mod hant;
pub mod json;
mod levels;
mod measures;
mod meta;
mod meta_dates;
pub mod model;
mod normalize;
mod numbering;
mod opening;
mod outcomes;
mod outline;
mod parts;
mod problem_heading;
pub mod render;
mod scan;
mod short;
mod signature;
mod status;
mod view;
mod words;

pub use decode::{decode, text_digest, Damage, DecodeError, Decoded};
pub use model::*;
pub use outcomes::{due, money, Due, Money, MoneyKind};

/// A notice read from a file's bytes, with what an importer checks before trusting it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub notice: Notice,
    /// Lines that held bytes the encoding could not read (also among the warnings).
    pub damage: Vec<Damage>,
    /// `text_digest` of the decoded text: the same for the same notice in any encoding.
    pub text_sha256: String,
}

/// Parses one notice from its raw bytes. `file` is only recorded in the output. Lines with
/// unreadable bytes are read as far as they go and named in the warnings.
pub fn parse(bytes: &[u8], file: &str) -> Result<Notice, DecodeError> {
    Ok(decode_and_parse(bytes, file, false, None)?.notice)
}

/// Like `parse`, and also reports the damage and the digest of the text.
pub fn read(bytes: &[u8], file: &str) -> Result<Reading, DecodeError> {
    decode_and_parse(bytes, file, true, None)
}

/// Like `parse`, but hands each finding to `each` as soon as it is read instead of keeping
/// it: the notice given back has no findings. `each` also gets the notice as far as it is
/// known, everything before its findings final (what a writer puts before them). A
/// notice's findings are most of its memory; written out and dropped one by one, they use
/// the same memory again and again.
pub fn parse_each(
    bytes: &[u8],
    file: &str,
    mut each: impl FnMut(&Notice, Finding),
) -> Result<Notice, DecodeError> {
    Ok(decode_and_parse(bytes, file, false, Some(&mut each))?.notice)
}

/// Where a finding goes as soon as it is read, with the notice as known so far.
type Each<'e> = &'e mut dyn FnMut(&Notice, Finding);

/// Findings go to `each` when given, else stay in the notice.
fn decode_and_parse(
    bytes: &[u8],
    file: &str,
    digest: bool,
    each: Option<Each<'_>>,
) -> Result<Reading, DecodeError> {
    let (text, encoding, damage) = decode::decode_borrowed(bytes)?;
    let sha256 = sha256_hex(bytes);
    let mut notice = match each {
        Some(each) => parse_text_each(&text, file, &encoding, &sha256, each),
        None => parse_text(&text, file, &encoding, &sha256),
    };
    let damaged = damage.iter().map(|d| Warning {
        line: Some(d.line),
        message: format!(
            "第{}行有{}个字节无法按 {encoding} 解码，已用“\u{fffd}”代替：请核对原文",
            d.line, d.bytes
        ),
    });
    notice.warnings.splice(0..0, damaged);
    Ok(Reading {
        notice,
        damage,
        text_sha256: if digest {
            text_digest(&text)
        } else {
            String::new()
        },
    })
}

/// Parses already decoded text.
pub fn parse_text(text: &str, file: &str, encoding: &str, sha256: &str) -> Notice {
    let mut findings = Vec::new();
    let mut notice = parse_text_each(text, file, encoding, sha256, |_, f| findings.push(f));
    notice.findings = findings;
    notice
}

/// `parse_text`, handing each finding to `each` as `parse_each` does.
pub fn parse_text_each(
    text: &str,
    file: &str,
    encoding: &str,
    sha256: &str,
    mut each: impl FnMut(&Notice, Finding),
) -> Notice {
    let (written, traditional) = normalize::normalize_noting_traditional(text);
    let view = view::View::noting(&written, traditional);
    let text = view.text();
    // Room for lines of 16 bytes on average (a notice's are longer): capacity never used
    // costs no memory, and a list grown by doubling is copied again and again.
    let mut lines: Vec<&str> = Vec::with_capacity(text.len() / 16 + 1);
    // `memchr`'s vector search, not `str::split`'s word-at-a-time one: 1 % of a parse.
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(text.get(start..end).unwrap_or_default());
        start = end + 1;
    }
    lines.push(text.get(start..).unwrap_or_default());
    let mut meta = meta::read(text, &lines);
    let mut warnings = Vec::new();
    let mut tree = outline::build(&lines, &mut warnings);
    let context_year = meta.context_year();
    // A roll-up of a round over several units reports what they did together: it holds no
    // one unit's findings, and its issuer (the inspection office) is not a unit.
    if meta.kind == Kind::Aggregate {
        tree = outline::Tree::default();
        meta.unit = None;
        warnings.clear();
        warnings.push(Warning {
            line: None,
            message: "这是多个单位整改情况的汇总，不含某一单位的问题，未读取问题".into(),
        });
    }
    let mut notice = Notice {
        format: FORMAT.to_string(),
        source: Source {
            file: file.to_string(),
            sha256: sha256.to_string(),
            encoding: encoding.to_string(),
        },
        kind: meta.kind,
        title: meta.title,
        unit: meta.unit,
        inspector: meta.inspector,
        inspection_period: meta.inspection_period,
        feedback_date: meta.feedback_date,
        published: meta.published,
        categories: std::mem::take(&mut tree.categories),
        aspects: std::mem::take(&mut tree.aspects),
        findings: Vec::new(),
        documents: Vec::new(),
        contact: meta.contact,
        warnings: Vec::new(),
    };
    let restorer = (!view.is_written()).then(|| view::Restorer::new(&view, &lines));
    if let Some(r) = &restorer {
        r.head(&mut notice);
    }
    let mut read = 0usize;
    let emit = |mut f: Finding| {
        if let Some(r) = &restorer {
            r.finding(&mut f);
        }
        read += 1;
        each(&notice, f);
    };
    match notice.kind {
        Kind::Feedback => feedback::findings(&tree, &lines).into_iter().for_each(emit),
        Kind::Aggregate => {}
        _ => measures::each_finding(&tree, context_year, &mut warnings, emit),
    }
    if read == 0 && notice.kind != Kind::Aggregate {
        warnings.push(Warning {
            line: None,
            message: "没有识别出任何问题：这可能不是整改通报".into(),
        });
    }
    notice.warnings = warnings;
    notice.documents = extract::documents(text);
    if let Some(r) = &restorer {
        r.documents(&mut notice.documents);
    }
    notice
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
