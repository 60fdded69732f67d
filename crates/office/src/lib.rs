//! The text of documents as the notice parser wants it: one paragraph (or block) per line.
//! The Excel ledger, written and read: `xlsx`.

pub mod charts;
pub mod gbt9704;
pub mod notice_docx;
pub mod stats_text;
pub mod stats_xlsx;
pub mod supervision;
pub mod template;
mod xml_text;

use std::io::Read;

use docx_rs::{
    DocumentChild, ParagraphChild, RunChild, TableCellContent, TableChild, TableRowChild,
};
use ego_tree::NodeRef;
use scraper::{Html, Node};
use thiserror::Error;

pub mod xlsx;

#[derive(Debug, Error)]
pub enum OfficeError {
    #[error("不是有效的 .docx 文件（可能已损坏或不完整）")]
    BadDocx(#[source] docx_rs::ReaderError),
    #[error("不是有效的 .docx 文件（压缩包已损坏或不完整）")]
    BadZip(#[source] zip::result::ZipError),
    #[error(".docx 解压后超过 {limit_mib} MiB（可能是压缩炸弹），拒绝读取")]
    TooLarge { limit_mib: u64 },
    /// The cause is for the log, never for users.
    #[error("生成 Excel 文件失败")]
    WriteXlsx(String),
    /// A workbook offered as a ledger and refused, with the sheet, row and column.
    #[error(transparent)]
    Workbook(#[from] xlsx::WorkbookError),
    /// The cause is for the log, never for users.
    #[error("生成 Word 文件失败")]
    WriteDocx(String),
    #[error("模板中有无法识别的占位符：{0}（可用的占位符见 docs/supervision-template.md）")]
    UnknownPlaceholder(String),
    #[error("模板中没有逐条列出问题的表格行：须有一个表格行含 {{{{问题}}}} 等逐条占位符")]
    NoRows,
    #[error("占位符 {0} 只能放在表格行中（每个问题重复一行）")]
    RowOutsideTable(String),
}

impl OfficeError {
    pub fn code(&self) -> &'static str {
        match self {
            OfficeError::BadDocx(_) | OfficeError::BadZip(_) => "bad_docx",
            OfficeError::TooLarge { .. } => "docx_too_large",
            OfficeError::WriteXlsx(_) => "xlsx_write_failed",
            OfficeError::Workbook(e) => e.code(),
            OfficeError::WriteDocx(_) => "docx_write_failed",
            OfficeError::UnknownPlaceholder(_) => "template_unknown_placeholder",
            OfficeError::NoRows => "template_without_rows",
            OfficeError::RowOutsideTable(_) => "template_row_outside_table",
        }
    }
}

/// The most a .docx may inflate to. A notice of a hundred pages is a few MiB of XML; more
/// than this is a compression bomb, which would cost seconds and gigabytes to open.
pub const MAX_DOCX_INFLATED: u64 = 64 * 1024 * 1024;

/// The paragraphs of a .docx, tables cell by cell, one per line.
pub fn docx_text(bytes: &[u8]) -> Result<String, OfficeError> {
    docx_text_within(bytes, MAX_DOCX_INFLATED)
}

/// Refuses a zip whose entries inflate to more than `limit` bytes. Declared sizes can lie,
/// so the entries are inflated (to nowhere), and the count stops at the limit.
fn check_inflated(bytes: &[u8], limit: u64) -> Result<(), OfficeError> {
    let too_large = || OfficeError::TooLarge {
        limit_mib: limit / (1024 * 1024),
    };
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(OfficeError::BadZip)?;
    let declared: u64 = (0..archive.len())
        .filter_map(|i| archive.by_index_raw(i).ok().map(|e| e.size()))
        .fold(0, u64::saturating_add);
    if declared > limit {
        return Err(too_large());
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(OfficeError::BadZip)?;
        let left = limit - total;
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|e| OfficeError::BadZip(zip::result::ZipError::Io(e)))?;
        total += read;
        if total > limit {
            return Err(too_large());
        }
    }
    Ok(())
}

fn docx_text_within(bytes: &[u8], limit: u64) -> Result<String, OfficeError> {
    check_inflated(bytes, limit)?;
    let docx = docx_rs::read_docx(bytes).map_err(OfficeError::BadDocx)?;
    let mut lines = Vec::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => lines.push(paragraph(&p.children)),
            DocumentChild::Table(t) => table(t, &mut lines),
            _ => {}
        }
    }
    Ok(lines.join("\n"))
}

fn table(t: &docx_rs::Table, lines: &mut Vec<String>) {
    for TableChild::TableRow(row) in &t.rows {
        for TableRowChild::TableCell(cell) in &row.cells {
            for content in &cell.children {
                match content {
                    TableCellContent::Paragraph(p) => lines.push(paragraph(&p.children)),
                    TableCellContent::Table(inner) => table(inner, lines),
                    _ => {}
                }
            }
        }
    }
}

fn paragraph(children: &[ParagraphChild]) -> String {
    let mut out = String::new();
    for child in children {
        match child {
            ParagraphChild::Run(r) => run(&r.children, &mut out),
            ParagraphChild::Insert(i) => {
                for c in &i.children {
                    if let docx_rs::InsertChild::Run(r) = c {
                        run(&r.children, &mut out);
                    }
                }
            }
            ParagraphChild::Hyperlink(h) => out.push_str(&paragraph(&h.children)),
            _ => {}
        }
    }
    out
}

fn run(children: &[RunChild], out: &mut String) {
    for c in children {
        match c {
            RunChild::Text(t) => out.push_str(&t.text),
            RunChild::Tab(_) => out.push(' '),
            RunChild::Break(_) | RunChild::CarriageReturn(_) => out.push('\n'),
            _ => {}
        }
    }
}

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "title",
    "td",
];

/// The visible text of an HTML page, a line per block element; scripts and styles dropped.
pub fn html_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = String::new();
    walk(doc.tree.root(), &mut out);
    out
}

fn walk(node: NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&t.text),
            Node::Element(e) => {
                let name = e.name();
                // The page's <head> holds its <title>, which sites suffix with their own name;
                // the article repeats the real title in its body.
                if matches!(name, "script" | "style" | "noscript" | "template" | "head") {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                walk(child, out);
                if block && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => walk(child, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_blocks_become_lines_and_scripts_vanish() {
        let html = "<html><head><title>关于整改的通报_某某网</title><script>var x=1;</script></head>\
                    <body><h1>关于整改的通报</h1><p>一、<b>类别</b></p><div>(1)针对“问题”问题。</div>联系电话:1<br>邮编:2</body></html>";
        assert_eq!(
            html_text(html),
            "关于整改的通报\n一、类别\n(1)针对“问题”问题。\n联系电话:1\n邮编:2"
        );
    }

    #[test]
    fn docx_paragraphs_become_lines() {
        let mut buf = std::io::Cursor::new(Vec::new());
        docx_rs::Docx::new()
            .add_paragraph(
                docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text("一、类别")),
            )
            .add_paragraph(
                docx_rs::Paragraph::new()
                    .add_run(docx_rs::Run::new().add_text("(1)针对“甲”问题。")),
            )
            .build()
            .pack(&mut buf)
            .expect("pack");
        assert_eq!(
            docx_text(buf.get_ref()).expect("read"),
            "一、类别\n(1)针对“甲”问题。"
        );
        let truncated = &buf.get_ref()[..buf.get_ref().len() / 2];
        assert!(docx_text(truncated).is_err());
    }

    #[test]
    fn a_docx_that_inflates_past_the_limit_is_refused() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", deflated)
            .expect("entry");
        zip.write_all(&vec![b' '; 4 * 1024 * 1024]).expect("write");
        zip.finish().expect("finish");
        let bytes = buf.get_ref();
        // Small on disk, larger than the limit once inflated.
        assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
        let err = docx_text_within(bytes, 1024 * 1024).expect_err("refused");
        assert_eq!(err.code(), "docx_too_large");
        assert!(err.to_string().contains("压缩炸弹"), "{err}");
        // Under a larger limit the same file is read, and fails only as the non-docx it is.
        let err = docx_text_within(bytes, 8 * 1024 * 1024).expect_err("not a docx");
        assert_eq!(err.code(), "bad_docx");
    }
}
