//! Evidence files: uploaded with the form's CSRF token as the first field, refused over the
//! size limit before anything is stored; downloaded as attachments, under the original
//! (Chinese) name, only by those who may read the finding.

use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use zhenggai_core::{Change, EvidenceDraft};
use zhenggai_store::Work;

use super::finding::respond;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;

/// What an upload form sent.
pub struct Upload {
    pub csrf: String,
    pub name: String,
    pub media_type: String,
    pub description: String,
    pub bytes: Vec<u8>,
    /// The form's other text fields (a few, short).
    pub fields: std::collections::HashMap<String, String>,
}

/// Reads a multipart upload, stopping as soon as the file passes `max` bytes.
pub async fn read_upload(mut form: Multipart, max: u64) -> Result<Upload, WebError> {
    let broken = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("上传未完成：{}", e.body_text()))
    };
    let mut upload = Upload {
        csrf: String::new(),
        name: String::new(),
        media_type: String::new(),
        description: String::new(),
        bytes: Vec::new(),
        fields: Default::default(),
    };
    while let Some(mut field) = form.next_field().await.map_err(broken)? {
        match field.name().unwrap_or("") {
            "_csrf" => upload.csrf = field.text().await.map_err(broken)?,
            "description" => upload.description = field.text().await.map_err(broken)?,
            "file" => {
                upload.name = clean_name(field.file_name().unwrap_or("未命名文件"));
                upload.media_type = field
                    .content_type()
                    .filter(|t| HeaderValue::from_str(t).is_ok())
                    .unwrap_or("application/octet-stream")
                    .to_string();
                while let Some(chunk) = field.chunk().await.map_err(broken)? {
                    if (upload.bytes.len() + chunk.len()) as u64 > max {
                        return Err(WebError::TooLarge(max));
                    }
                    upload.bytes.extend_from_slice(&chunk);
                }
            }
            name if upload.fields.len() < 8 => {
                let name = name.to_string();
                let text = field.text().await.map_err(broken)?;
                upload
                    .fields
                    .insert(name, text.chars().take(1000).collect());
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// A file name as given, without the folders some browsers send and without characters
/// that could break a header or a path.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "未命名文件".into()
    } else {
        cleaned
    }
}

/// The unit of work that attaches an uploaded file to a finding.
pub fn attach(finding_id: &str, up: Upload) -> Work {
    let change = Change::AttachEvidence {
        finding_id: finding_id.to_string(),
        evidence: EvidenceDraft {
            name: up.name,
            media_type: up.media_type,
            size: up.bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&up.bytes)),
            description: up.description,
        },
    };
    Work {
        changes: vec![change],
        blobs: vec![up.bytes],
    }
}

pub async fn upload(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    let up = read_upload(form, state.settings.max_upload).await;
    let up = match up {
        Ok(up) => up,
        Err(e) => return respond(&state, &me, &id, Err(e)).await,
    };
    me.check_csrf(&up.csrf)?;
    if up.name.is_empty() {
        // No file part at all: nothing to attach (the page shows why, to those who may
        // read the finding).
        let none = WebError::BadRequest("请选择要上传的文件".into());
        return respond(&state, &me, &id, Err(none)).await;
    }
    let result = state
        .apply(&me.actor, attach(&id, up))
        .await
        .map(|_| "uploaded")
        .map_err(WebError::from);
    respond(&state, &me, &id, result).await
}

/// `Content-Disposition` for a download: an ASCII fallback name and the real one in
/// RFC 5987 form, so that every browser keeps the Chinese name.
pub fn disposition(name: &str) -> HeaderValue {
    let name = clean_name(name);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

pub async fn download(
    State(state): State<AppState>,
    me: SignedIn,
    Path((id, evidence_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    Ok(fetch(&state, &me.actor, &id, &evidence_id).await?)
}

/// An evidence file of a finding, for someone who may read the finding.
pub async fn fetch(
    state: &AppState,
    actor: &zhenggai_core::Actor,
    finding_id: &str,
    evidence_id: &str,
) -> Result<Response, WebError> {
    let (e, bytes) = state
        .store
        .evidence_file(actor, finding_id, evidence_id)
        .await?;
    Ok(file_response(&e, bytes))
}

/// An evidence file as an attachment, under its own name and media type.
fn file_response(e: &zhenggai_core::Evidence, bytes: Vec<u8>) -> Response {
    let kind = HeaderValue::from_str(&e.media_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CONTENT_DISPOSITION, disposition(&e.name)),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_chinese_and_lose_their_paths() {
        assert_eq!(
            clean_name("C:\\文件\\会议纪要（一）.pdf"),
            "会议纪要（一）.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(
            clean_name("a\r\nSet-Cookie: x=1.txt"),
            "aSet-Cookie: x=1.txt"
        );
        assert_eq!(clean_name("\"引号\".pdf"), "引号.pdf");
        assert_eq!(clean_name(".."), "未命名文件");
        let d = disposition("整改\r\n报告.pdf");
        let text = d.to_str().expect("ascii header");
        assert!(
            text.contains("filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A%2Epdf"),
            "{text}"
        );
        assert!(!text.contains('\r') && !text.contains('\n'));
    }
}
