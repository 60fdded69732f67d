//! Hostile files: an upload over the limit is refused and nothing is stored; a file name
//! with folders or control characters neither escapes nor breaks the download header,
//! however it came in (the upload form, RFC 5987 in the form, or a record written by
//! another way in, as an import or the API would).

use reqwest::header::{CONTENT_DISPOSITION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};
use zhenggai_core::{Change, EvidenceDraft};
use zhenggai_store::Work;
use zhenggai_web::Settings;

use crate::harness::{
    demo_on_sqlite, disposition_name, reader, Answer, Body, Browser, Multipart, Server,
};

async fn evidence_count(server: &Server, finding: &str) -> usize {
    server
        .store
        .finding(&reader(), finding)
        .await
        .expect("finding")
        .finding
        .evidence
        .len()
}

fn upload(b: &Browser, name: &str, bytes: &[u8]) -> Body {
    Body::Multipart(
        Multipart::default()
            .text("_csrf", &b.csrf)
            .text("description", "会议纪要")
            .file(name, "application/pdf", bytes),
    )
}

/// Refused for its size, the limit named: reading stops at the limit, before the body's.
fn too_large(a: &Answer, what: &str) {
    assert_eq!(
        a.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{what}: {}",
        a.flash()
    );
    assert!(
        a.body.contains("文件过大：上限为 1024 字节"),
        "{what}: {}",
        a.flash()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_over_the_limit_is_refused_and_nothing_is_stored() {
    let settings = Settings {
        max_upload: 1024,
        ..Settings::default()
    };
    let (_db, demo, server) = demo_on_sqlite(settings).await;
    let editor = Browser::sign_in(&server, "cgj-editor").await;
    let office = Browser::sign_in(&server, "office").await;
    let f = &demo.in_progress;
    let path = format!("/findings/{f}/evidence");
    let (events, files) = (server.events().await, evidence_count(&server, f).await);

    // Just over the limit, then far over the body limit too.
    for size in [1025, 300 * 1024] {
        let a = editor
            .send(
                Method::POST,
                &path,
                upload(&editor, "大文件.pdf", &vec![b'x'; size]),
                &[],
            )
            .await;
        too_large(&a, &format!("evidence of {size} bytes"));
        let notice = Body::Multipart(
            Multipart::default()
                .text("_csrf", &office.csrf)
                .text("round", "测试轮次")
                .file("通报.txt", "text/plain", &vec![b'x'; size]),
        );
        let a = office.send(Method::POST, "/import", notice, &[]).await;
        too_large(&a, &format!("a notice of {size} bytes"));
    }
    assert_eq!(server.events().await, events, "an event was written");
    assert_eq!(evidence_count(&server, f).await, files);
    assert!(server.verifies().await);

    // At the limit it is taken: the refusal above was the size's.
    let a = editor
        .send(
            Method::POST,
            &path,
            upload(&editor, "刚好.pdf", &[b'y'; 1024]),
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.flash());
    assert_eq!(evidence_count(&server, f).await, files + 1);
}

/// The download of the newest evidence of `f`, checked to be a clean attachment; its name.
async fn downloaded_name(b: &Browser, server: &Server, f: &str, bytes: &[u8]) -> String {
    let view = server.store.finding(&reader(), f).await.expect("finding");
    let e = view.finding.evidence.last().expect("evidence");
    let (status, headers, body) = b
        .download(&format!("/findings/{f}/evidence/{}", e.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes);
    assert!(headers.get(SET_COOKIE).is_none(), "a cookie set by a name");
    let all: Vec<_> = headers.get_all(CONTENT_DISPOSITION).iter().collect();
    assert_eq!(all.len(), 1);
    let d = all[0].to_str().expect("an ASCII header");
    assert!(d.starts_with("attachment;"), "{d}");
    assert!(!d.chars().any(|c| c.is_control()), "{d:?}");
    let fallback = d
        .split("filename=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an ASCII fallback name");
    assert!(
        !fallback.contains(['/', '\\']) && !fallback.starts_with('.'),
        "{d}"
    );
    let name = disposition_name(d).expect("filename*");
    assert!(
        !name.contains(['/', '\\'])
            && !name.starts_with('.')
            && !name.chars().any(char::is_control),
        "{name:?}"
    );
    name
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_names_with_folders_or_control_characters_cannot_escape_or_break_the_header() {
    let (_db, demo, server) = demo_on_sqlite(Settings::default()).await;
    let editor = Browser::sign_in(&server, "cgj-editor").await;
    let f = demo.in_progress.clone();
    let path = format!("/findings/{f}/evidence");
    let bytes = b"%PDF-1.4 test\n";

    for (sent, kept) in [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("/var/tmp/.hidden.pdf", "hidden.pdf"),
    ] {
        let a = editor
            .send(Method::POST, &path, upload(&editor, sent, bytes), &[])
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{sent}: {}", a.flash());
        assert_eq!(downloaded_name(&editor, &server, &f, bytes).await, kept);
    }

    // CR LF written raw into the part's header, then in RFC 5987 form (which RFC 7578 does
    // not have, so the parser may read no name at all): the part is refused or taken under
    // a clean name, and no header comes of it.
    let tails: [&[u8]; 2] = [
        b"filename=\"a\r\nSet-Cookie: x=1.pdf\"",
        b"filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.pdf",
    ];
    for tail in tails {
        let before = server.events().await;
        let part = Multipart::default().text("_csrf", &editor.csrf).file_raw(
            tail,
            "application/pdf",
            bytes,
        );
        let a = editor
            .send(Method::POST, &path, Body::Multipart(part), &[])
            .await;
        assert!(a.set_cookies("x").is_empty());
        if server.events().await > before {
            downloaded_name(&editor, &server, &f, bytes).await;
        }
    }

    // A record that holds such a name already (core lets line breaks into names of files
    // that come by import or the API): its download is still one clean header.
    let who = server
        .store
        .users(&reader())
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.login == "cgj-editor")
        .expect("editor")
        .actor()
        .expect("actor");
    let stored = Change::AttachEvidence {
        finding_id: f.clone(),
        evidence: EvidenceDraft {
            name: "../../etc/整改\r\nSet-Cookie: x=1.pdf".into(),
            media_type: "text/html".into(),
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(bytes)),
            description: String::new(),
        },
    };
    server
        .store
        .apply(
            &who,
            Work {
                changes: vec![stored],
                blobs: vec![bytes.to_vec()],
            },
        )
        .await
        .expect("a name with a line break, written beside the pages");
    let name = downloaded_name(&editor, &server, &f, bytes).await;
    assert_eq!(name, "整改Set-Cookie: x=1.pdf");
}
