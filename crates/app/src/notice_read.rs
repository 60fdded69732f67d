//! A notice file's bytes, whatever it is (.docx, .html, text in any encoding), read into a
//! notice: what `zhenggai parse`, `import-notice` and the import page all do.

use zhenggai_notice::{Damage, Finding, Notice, Reading};

use crate::error::AppError;

fn extension(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// A refusal naming the file, the reason and its code.
fn refused(name: &str, code: &str, e: &dyn std::fmt::Display) -> AppError {
    AppError::Notice {
        file: name.to_string(),
        message: format!("{e}（{code}）"),
    }
}

/// The text of a document that is not plain text (.docx, .html), with its encoding and the
/// lines that held unreadable bytes; `None` for plain text, which the parser decodes.
fn extracted(bytes: &[u8], name: &str) -> Result<Option<(String, String, Vec<Damage>)>, AppError> {
    match extension(name).as_str() {
        "docx" => {
            let text =
                zhenggai_office::docx_text(bytes).map_err(|e| refused(name, e.code(), &e))?;
            Ok(Some((text, "docx".to_string(), Vec::new())))
        }
        "html" | "htm" | "xhtml" => {
            let decoded =
                zhenggai_notice::decode(bytes).map_err(|e| refused(name, e.code(), &e))?;
            let text = zhenggai_office::html_text(&decoded.text);
            Ok(Some((text, decoded.encoding, decoded.damage)))
        }
        _ => Ok(None),
    }
}

/// Reads `bytes` named `name`; `digest` also computes the digest of the decoded text
/// (the same for the same notice in any encoding), which only importers need.
pub fn read(bytes: &[u8], name: &str, digest: bool) -> Result<Reading, AppError> {
    match extracted(bytes, name)? {
        // Plain text is hashed by the parser itself; the others here, once.
        Some((text, encoding, damage)) => Ok(Reading {
            notice: zhenggai_notice::parse_text(
                &text,
                name,
                &encoding,
                &zhenggai_notice::sha256_hex(bytes),
            ),
            damage,
            text_sha256: if digest {
                zhenggai_notice::text_digest(&text)
            } else {
                String::new()
            },
        }),
        None if digest => {
            zhenggai_notice::read(bytes, name).map_err(|e| refused(name, e.code(), &e))
        }
        None => zhenggai_notice::parse(bytes, name)
            .map(|notice| Reading {
                notice,
                damage: Vec::new(),
                text_sha256: String::new(),
            })
            .map_err(|e| refused(name, e.code(), &e)),
    }
}

/// Like `read` without the digest, handing each finding to `each` as soon as it is read
/// (`zhenggai_notice::parse_each`): the notice given back has no findings.
pub fn read_each(
    bytes: &[u8],
    name: &str,
    each: impl FnMut(&Notice, Finding),
) -> Result<Notice, AppError> {
    match extracted(bytes, name)? {
        Some((text, encoding, _)) => {
            let sha256 = zhenggai_notice::sha256_hex(bytes);
            Ok(zhenggai_notice::parse_text_each(
                &text, name, &encoding, &sha256, each,
            ))
        }
        None => {
            zhenggai_notice::parse_each(bytes, name, each).map_err(|e| refused(name, e.code(), &e))
        }
    }
}
