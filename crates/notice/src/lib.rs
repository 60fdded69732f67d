//! Reading and writing published rectification notices (整改情况的通报). Parsing goes in
//! stages: raw bytes → decoded, normalised text (`decode`) → classified lines and the
//! outline of categories, aspects and findings (`outline`) → measures with their
//! quantities, dates and documents (`measures`, `extract`) → the `Notice` value. `render`
//! goes the other way. Pure: no I/O.

pub mod decode;
mod extract;
mod measures;
mod meta;
pub mod model;
mod outline;
pub mod render;

pub use decode::{decode, DecodeError, Decoded};
pub use model::*;

/// Parses one notice from its raw bytes. `file` is only recorded in the output.
pub fn parse(bytes: &[u8], file: &str) -> Result<Notice, DecodeError> {
    let decoded = decode(bytes)?;
    Ok(parse_text(
        &decoded.text,
        file,
        &decoded.encoding,
        &sha256_hex(bytes),
    ))
}

/// Parses already decoded text.
pub fn parse_text(text: &str, file: &str, encoding: &str, sha256: &str) -> Notice {
    let text = decode::normalize(text);
    let lines: Vec<&str> = text.split('\n').collect();
    let meta = meta::read(&text, &lines);
    let mut warnings = Vec::new();
    let tree = outline::build(&lines, &mut warnings);
    let context_year = meta.context_year();
    let findings = measures::findings(&tree, context_year, &mut warnings);
    if findings.is_empty() {
        warnings.push(Warning {
            line: None,
            message: "没有识别出任何问题：这可能不是整改通报".into(),
        });
    }
    let documents = extract::documents(&text);
    Notice {
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
        categories: tree.categories,
        aspects: tree.aspects,
        findings,
        documents,
        contact: meta.contact,
        warnings,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
