//! Workbooks that are not what they claim: each is refused with a message that says what
//! it is, and none makes the reader panic or read without bound.

use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use zhenggai_office::xlsx::*;

use super::read_only_sheet;

fn small_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["序号", "具体问题", "整改措施", "整改时限"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    ws.write_string(1, 1, "问题甲").expect("cell");
    ws.write_string(1, 2, "措施一").expect("cell");
    wb.save_to_buffer().expect("save")
}

fn refusal(bytes: &[u8]) -> WorkbookError {
    match read_only_sheet(bytes) {
        Ok(l) => panic!("read {} findings from a broken workbook", l.findings.len()),
        Err(e) => e,
    }
}

/// A compound file (the container of .xls and of encrypted .xlsx) with a directory entry
/// of `stream`: the 512-byte header, then the name in UTF-16 where a directory would be.
fn compound_file(stream: &str) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(stream.encode_utf16().flat_map(u16::to_le_bytes));
    bytes.resize(2048, 0);
    bytes
}

#[test]
fn a_truncated_workbook_is_unreadable() {
    let whole = small_workbook();
    assert!(read_only_sheet(&whole).is_ok());
    for cut in [whole.len() / 2, whole.len() - 30, 100] {
        let e = refusal(&whole[..cut]);
        assert_eq!(e.code(), "invalid_workbook", "{e}");
        assert!(e.to_string().contains("已损坏或不完整"), "{e}");
    }
}

/// A real workbook that Excel's "encrypt with password" would give (made from a sheet of
/// our own with msoffcrypto-tool, ECMA-376 agile encryption, password `zhenggai`).
#[test]
fn a_password_protected_workbook_says_so() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/password-zhenggai.xlsx"
    );
    let bytes = std::fs::read(path).expect("fixture");
    let e = refusal(&bytes);
    assert_eq!(e.problem, Problem::Encrypted, "{e}");
    assert!(e.to_string().contains("受密码保护"), "{e}");
}

#[test]
fn an_encrypted_workbook_says_so() {
    let e = refusal(&compound_file("EncryptedPackage"));
    assert_eq!(e.problem, Problem::Encrypted);
    assert!(e.to_string().contains("受密码保护"), "{e}");
    assert_eq!(e.code(), "unsupported_media_type");
}

#[test]
fn an_xls_renamed_xlsx_says_what_it_is() {
    let e = refusal(&compound_file("Workbook"));
    assert_eq!(e.problem, Problem::Legacy);
    assert!(e.to_string().contains("97-2003"), "{e}");
}

#[test]
fn other_files_are_named_for_what_they_are() {
    assert!(refusal(b"").to_string().contains("文件是空的"));
    let e = refusal(b"<html><table><tr><td>1</td></tr></table></html>");
    assert!(e.to_string().contains("网页"), "{e}");
    let e = refusal(b"\xff\xfe\x00garbage");
    assert!(e.to_string().contains("不是 .xlsx"), "{e}");
    // A zip that is not a workbook (a .docx renamed, say).
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("entry");
    std::io::Write::write_all(&mut zip, b"<w:document/>").expect("write");
    let bytes = zip.finish().expect("zip").into_inner();
    let e = refusal(&bytes);
    assert_eq!(e.code(), "invalid_workbook", "{e}");
}

#[test]
fn a_sheet_past_the_row_limit_is_refused_early() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "具体问题").expect("header");
    ws.write_string(0, 1, "整改措施").expect("header");
    ws.write_string(0, 2, "责任人").expect("header");
    for r in 1..100_000u32 {
        ws.write_string(r, 0, "问题").expect("cell");
        ws.write_string(r, 1, "措施").expect("cell");
    }
    let bytes = wb.save_to_buffer().expect("save");
    let started = std::time::Instant::now();
    let e = refusal(&bytes);
    assert_eq!(e.problem, Problem::TooLarge, "{e}");
    assert_eq!(e.code(), "too_large");
    assert!(e.to_string().contains(&MAX_ROWS.to_string()), "{e}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "stops reading at the limit"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Bytes changed anywhere in a real workbook are read or refused, never a panic.
    #[test]
    fn damaged_bytes_never_panic(at in 0usize..4096, byte in any::<u8>(), cut in 0usize..4096) {
        let mut bytes = small_workbook();
        let len = bytes.len();
        bytes[at % len] = byte;
        bytes.truncate(len - cut % len);
        let _ = read_only_sheet(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = read_only_sheet(&bytes);
    }
}
