//! A notice file's bytes, whatever it is (.docx, .html, text in any encoding), read into a
//! notice: what `zhenggai parse`, `import-notice` and the import page all do.

use zhenggai_notice::{Finding, Notice, Reading};

use crate::error::AppError;

fn extension(name: &str) -> String {
    std::path::Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Reads `bytes` named `name`; `digest` also computes the digest of the decoded text
/// (the same for the same notice in any encoding), which only importers need.
pub fn read(bytes: &[u8], name: &str, digest: bool) -> Result<Reading, AppError> {
    let refused = |code: &str, e: &dyn std::fmt::Display| AppError::Notice {
        file: name.to_string(),
        message: format!("{e}（{code}）"),
    };
    // Plain text is hashed by the parser itself; the others here, once.
    let from_text = |text: &str, encoding: &str, damage| Reading {
        notice: zhenggai_notice::parse_text(
            text,
            name,
            encoding,
            &zhenggai_notice::sha256_hex(bytes),
        ),
        damage,
        text_sha256: if digest {
            zhenggai_notice::text_digest(text)
        } else {
            String::new()
        },
    };
    match extension(name).as_str() {
        "docx" => {
            let text = zhenggai_office::docx_text(bytes).map_err(|e| refused(e.code(), &e))?;
            Ok(from_text(&text, "docx", Vec::new()))
        }
        "html" | "htm" | "xhtml" => {
            let decoded = zhenggai_notice::decode(bytes).map_err(|e| refused(e.code(), &e))?;
            let text = zhenggai_office::html_text(&decoded.text);
            Ok(from_text(&text, &decoded.encoding, decoded.damage))
        }
        _ if digest => zhenggai_notice::read(bytes, name).map_err(|e| refused(e.code(), &e)),
        _ => zhenggai_notice::parse(bytes, name)
            .map(|notice| Reading {
                notice,
                damage: Vec::new(),
                text_sha256: String::new(),
            })
            .map_err(|e| refused(e.code(), &e)),
    }
}

/// Like `read` without the digest, handing each finding to `each` as soon as it is read
/// (`zhenggai_notice::parse_each`): the notice given back has no findings.
pub fn read_each(
    bytes: &[u8],
    name: &str,
    mut each: impl FnMut(&Notice, Finding),
) -> Result<Notice, AppError> {
    let refused = |code: &str, e: &dyn std::fmt::Display| AppError::Notice {
        file: name.to_string(),
        message: format!("{e}（{code}）"),
    };
    let from_text = |text: &str, encoding: &str, each: &mut dyn FnMut(&Notice, Finding)| {
        let sha256 = zhenggai_notice::sha256_hex(bytes);
        zhenggai_notice::parse_text_each(text, name, encoding, &sha256, each)
    };
    match extension(name).as_str() {
        "docx" => {
            let text = zhenggai_office::docx_text(bytes).map_err(|e| refused(e.code(), &e))?;
            Ok(from_text(&text, "docx", &mut each))
        }
        "html" | "htm" | "xhtml" => {
            let decoded = zhenggai_notice::decode(bytes).map_err(|e| refused(e.code(), &e))?;
            let text = zhenggai_office::html_text(&decoded.text);
            Ok(from_text(&text, &decoded.encoding, &mut each))
        }
        _ => zhenggai_notice::parse_each(bytes, name, each).map_err(|e| refused(e.code(), &e)),
    }
}
