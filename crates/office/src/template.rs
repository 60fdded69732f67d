//! Filling a .docx template an office wrote in Word or WPS: placeholders such as {{单位}}
//! anywhere in the text (the body, headers and footers), and a table row holding row
//! placeholders such as {{问题}} repeated once per item.
//!
//! Word splits what the user typed into several runs whenever formatting, spell-checking
//! or revision marks differ ({{单 in one run, 位}} in the next), so placeholders are found
//! in a paragraph's text as a whole: a placeholder spread over runs is moved into the run
//! it starts in (keeping that run's formatting) and taken out of the others. Everything
//! else in the package is copied byte for byte.

pub use crate::xml_text::escape;
use crate::xml_text::unescape;
use std::io::{Read, Write};

use crate::OfficeError;

/// Placeholders filled once per document.
pub const FIELDS: [&str; 6] = ["单位", "轮次", "日期", "回复期限", "问题数", "督办单位"];
/// Placeholders of the repeated table row, filled once per item.
pub const ROW_FIELDS: [&str; 8] = [
    "序号",
    "问题",
    "整改措施",
    "责任部门",
    "责任人",
    "整改时限",
    "逾期天数",
    "预警",
];

/// Values by placeholder name.
pub type Values = Vec<(&'static str, String)>;

/// What a template is filled with.
#[derive(Debug, Clone, Default)]
pub struct Fill {
    pub fields: Values,
    pub rows: Vec<Values>,
}

/// A placeholder in text: its byte range (braces included) and its name (trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

/// The longest name taken for a placeholder; longer braces are left as text.
const MAX_NAME_CHARS: usize = 20;

/// Every {{name}} in `text`, left to right, not overlapping. A name is non-empty after
/// trimming, at most 20 characters, and holds no brace; {{{单位}}} finds {{单位}}.
pub fn placeholders(text: &str) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(i) = text.get(pos..).and_then(|t| t.find("{{")) {
        let start = pos + i;
        let inner_from = start + 2;
        let Some(k) = text[inner_from..].find("}}") else {
            break;
        };
        let inner = &text[inner_from..inner_from + k];
        let name = inner.trim();
        let valid = !name.is_empty()
            && !inner.contains(['{', '}'])
            && name.chars().count() <= MAX_NAME_CHARS;
        if valid {
            let end = inner_from + k + 2;
            out.push(Placeholder {
                start,
                end,
                name: name.to_string(),
            });
            pos = end;
        } else {
            // Try again one character on: {{{单位}}} holds {{单位}} from its second brace.
            pos = start + 1;
        }
    }
    out
}

/// Replaces every known placeholder in `text` with its value; others stay as written.
pub fn substitute(text: &str, values: &[(&'static str, String)]) -> String {
    let found = placeholders(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for p in found {
        if let Some((_, v)) = values.iter().find(|(n, _)| *n == p.name) {
            out.push_str(&text[at..p.start]);
            out.push_str(v);
            at = p.end;
        }
    }
    out.push_str(&text[at..]);
    out
}

/// A w:t element: where its content lies in the XML and the content decoded.
#[derive(Debug)]
struct TextNode {
    open: (usize, usize),
    content: (usize, usize),
    text: String,
}

/// The text nodes of a part, grouped by the paragraph that holds them (innermost when
/// paragraphs nest, as in text boxes).
fn paragraphs(xml: &str) -> Vec<Vec<TextNode>> {
    let mut groups = Vec::new();
    let mut open: Vec<Vec<TextNode>> = Vec::new();
    let bytes = xml.as_bytes();
    let mut pos = 0;
    while let Some(i) = memchr_lt(bytes, pos) {
        let Some(close) = xml[i..].find('>').map(|k| i + k) else {
            break;
        };
        let tag = &xml[i + 1..close];
        pos = close + 1;
        if tag.starts_with("!--") {
            pos = xml[i..].find("-->").map_or(xml.len(), |k| i + k + 3);
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let closing = tag.starts_with('/');
        match (name, closing, self_closing) {
            ("w:p", false, false) => open.push(Vec::new()),
            ("w:p", true, _) => {
                if let Some(g) = open.pop() {
                    groups.push(g);
                }
            }
            ("w:t", false, false) => {
                let Some(end) = xml[pos..].find("</w:t>").map(|k| pos + k) else {
                    break;
                };
                let node = TextNode {
                    open: (i, pos),
                    content: (pos, end),
                    text: unescape(&xml[pos..end]),
                };
                match open.last_mut() {
                    Some(g) => g.push(node),
                    None => groups.push(vec![node]),
                }
                pos = end + "</w:t>".len();
            }
            _ => {}
        }
    }
    groups.extend(open);
    groups
}

fn memchr_lt(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'<')
        .map(|k| from + k)
}

/// Rewrites each paragraph's text nodes with `f` (given the decoded texts, it changes
/// them in place); nodes whose text changed are written back escaped, with their spaces
/// preserved.
fn rewrite(xml: &str, mut f: impl FnMut(&mut [String])) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for group in paragraphs(xml) {
        let mut texts: Vec<String> = group.iter().map(|n| n.text.clone()).collect();
        f(&mut texts);
        for (node, text) in group.iter().zip(texts) {
            if text != node.text {
                edits.push((
                    node.open.0,
                    node.content.1,
                    format!(r#"<w:t xml:space="preserve">{}"#, escape(&text)),
                ));
            }
        }
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(xml.len() + 256);
    let mut at = 0;
    for (start, end, with) in edits {
        out.push_str(&xml[at..start]);
        out.push_str(&with);
        at = end;
    }
    out.push_str(&xml[at..]);
    out
}

/// Gathers each placeholder that spreads over several text nodes of a paragraph into the
/// node it starts in.
pub fn merge_split_placeholders(xml: &str) -> String {
    rewrite(xml, |texts| {
        if texts.len() < 2 || !texts.iter().any(|t| t.contains(['{', '}'])) {
            return;
        }
        let whole: String = texts.concat();
        // Which node each byte of the paragraph's text ends up in.
        let mut owner: Vec<usize> = Vec::with_capacity(whole.len());
        for (i, t) in texts.iter().enumerate() {
            owner.extend(std::iter::repeat_n(i, t.len()));
        }
        let mut moved = false;
        for p in placeholders(&whole) {
            let first = owner[p.start];
            if owner[p.end - 1] != first {
                owner[p.start..p.end].fill(first);
                moved = true;
            }
        }
        if !moved {
            return;
        }
        for t in texts.iter_mut() {
            t.clear();
        }
        // Placeholders are whole characters, so each node receives whole characters.
        for (ch_start, ch) in whole.char_indices() {
            texts[owner[ch_start]].push(ch);
        }
    })
}

/// The byte ranges of the table rows (w:tr) of a part, nested rows included.
fn rows(xml: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    let bytes = xml.as_bytes();
    let mut pos = 0;
    while let Some(i) = memchr_lt(bytes, pos) {
        let Some(close) = xml[i..].find('>').map(|k| i + k) else {
            break;
        };
        let tag = &xml[i + 1..close];
        pos = close + 1;
        let name = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .find(|s| !s.is_empty())
            .unwrap_or("");
        if name == "w:tr" && !tag.ends_with('/') {
            if tag.starts_with('/') {
                if let Some(start) = open.pop() {
                    out.push((start, pos));
                }
            } else {
                open.push(i);
            }
        }
    }
    out
}

/// Fills one XML part: checks every placeholder is known, repeats the rows holding row
/// placeholders once per row of values, then fills the document's fields. `needs_rows`
/// is set for the document body, which must list the items.
pub fn fill_part(xml: &str, fill: &Fill, needs_rows: bool) -> Result<String, OfficeError> {
    let xml = merge_split_placeholders(xml);
    let mut unknown = Vec::new();
    let mut row_nodes = Vec::new();
    for group in paragraphs(&xml) {
        for node in group {
            for p in placeholders(&node.text) {
                if ROW_FIELDS.contains(&p.name.as_str()) {
                    row_nodes.push((node.open.0, p.name));
                } else if !FIELDS.contains(&p.name.as_str()) && !unknown.contains(&p.name) {
                    unknown.push(p.name);
                }
            }
        }
    }
    if !unknown.is_empty() {
        let named: Vec<String> = unknown.iter().map(|n| format!("{{{{{n}}}}}")).collect();
        return Err(OfficeError::UnknownPlaceholder(named.join("、")));
    }
    if row_nodes.is_empty() && needs_rows {
        return Err(OfficeError::NoRows);
    }
    let all_rows = rows(&xml);
    let mut repeated: Vec<(usize, usize)> = Vec::new();
    for (at, name) in &row_nodes {
        let innermost = all_rows
            .iter()
            .filter(|(s, e)| s <= at && at < e)
            .min_by_key(|(s, e)| e - s);
        match innermost {
            Some(r) if !repeated.contains(r) => repeated.push(*r),
            Some(_) => {}
            None => return Err(OfficeError::RowOutsideTable(format!("{{{{{name}}}}}"))),
        }
    }
    // Rows inside a repeated row are repeated with it.
    let outer: Vec<(usize, usize)> = repeated
        .iter()
        .filter(|(s, e)| !repeated.iter().any(|(s2, e2)| s2 < s && e <= e2))
        .copied()
        .collect();
    let mut sorted = outer;
    sorted.sort_unstable();
    // Each text node is filled once, with the document's fields and (in a repeated row)
    // the item's: a value that happens to contain braces is never read as a placeholder.
    let fields_only = |part: &str| {
        rewrite(part, |texts| {
            for t in texts.iter_mut() {
                *t = substitute(t, &fill.fields);
            }
        })
    };
    let mut out = String::with_capacity(xml.len() * 2);
    let mut at = 0;
    for (start, end) in sorted {
        out.push_str(&fields_only(&xml[at..start]));
        let row = &xml[start..end];
        for item in &fill.rows {
            let values: Values = fill.fields.iter().chain(item).cloned().collect();
            out.push_str(&rewrite(row, |texts| {
                for t in texts.iter_mut() {
                    *t = substitute(t, &values);
                }
            }));
        }
        at = end;
    }
    out.push_str(&fields_only(&xml[at..]));
    Ok(out)
}

/// Is this part of the package one whose text is filled: the body, headers, footers.
fn filled_part(name: &str) -> bool {
    name == "word/document.xml"
        || (name.starts_with("word/header") || name.starts_with("word/footer"))
            && name.ends_with(".xml")
            && !name[5..].contains('/')
}

/// Fills a .docx template. The template is checked like any .docx read (size when
/// inflated) and refused with the placeholder at fault when it cannot be filled.
pub fn fill_docx(template: &[u8], fill: &Fill) -> Result<Vec<u8>, OfficeError> {
    crate::check_inflated(template, crate::MAX_DOCX_INFLATED)?;
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(template)).map_err(OfficeError::BadZip)?;
    if archive.by_name("word/document.xml").is_err() {
        return Err(OfficeError::BadZip(zip::result::ZipError::FileNotFound));
    }
    let out = std::io::Cursor::new(Vec::with_capacity(template.len() * 2));
    let mut writer = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let bad = |e: std::io::Error| OfficeError::BadZip(zip::result::ZipError::Io(e));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(OfficeError::BadZip)?;
        let name = entry.name().to_string();
        if filled_part(&name) {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).map_err(bad)?;
            let filled = fill_part(&xml, fill, name == "word/document.xml")?;
            writer
                .start_file(name, options)
                .map_err(|e| OfficeError::WriteDocx(e.to_string()))?;
            writer
                .write_all(filled.as_bytes())
                .map_err(|e| OfficeError::WriteDocx(e.to_string()))?;
        } else {
            writer
                .raw_copy_file(entry)
                .map_err(|e| OfficeError::WriteDocx(e.to_string()))?;
        }
    }
    let out = writer
        .finish()
        .map_err(|e| OfficeError::WriteDocx(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders() {
        let t = "致{{单位}}：{{ 日期 }}前{{{问题}}}，{{}}和{{未闭合";
        let names: Vec<String> = placeholders(t).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["单位", "日期", "问题"]);
    }

    #[test]
    fn a_placeholder_split_over_runs_is_gathered() {
        let xml = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>致{{</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve">单</w:t></w:r><w:r><w:t>位}}：</w:t></w:r></w:p>"#;
        let fill = Fill {
            fields: vec![("单位", "中共某局党组 & 机关".into())],
            rows: vec![],
        };
        let out = fill_part(xml, &fill, false).expect("fills");
        assert_eq!(
            out,
            r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">致中共某局党组 &amp; 机关</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t xml:space="preserve"></w:t></w:r><w:r><w:t xml:space="preserve">：</w:t></w:r></w:p>"#
        );
    }

    #[test]
    fn rows_repeat_once_per_item() {
        let xml = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>{{序号}}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{{问</w:t></w:r><w:r><w:t>题}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>共{{问题数}}个</w:t></w:r></w:p>";
        let fill = Fill {
            fields: vec![("问题数", "2".into())],
            rows: vec![
                vec![("序号", "1".into()), ("问题", "甲".into())],
                vec![("序号", "2".into()), ("问题", "乙<".into())],
            ],
        };
        let out = fill_part(xml, &fill, true).expect("fills");
        assert_eq!(out.matches("<w:tr>").count(), 3, "{out}");
        assert!(
            out.contains(">甲<") && out.contains(">乙&lt;<") && out.contains(">共2个<"),
            "{out}"
        );
        assert!(!out.contains("{{"), "{out}");
    }

    #[test]
    fn refuses_what_it_cannot_fill() {
        let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
        let fill = Fill::default();
        assert!(matches!(
            fill_part(&p("{{单位名称}}"), &fill, false),
            Err(OfficeError::UnknownPlaceholder(n)) if n == "{{单位名称}}"
        ));
        assert!(matches!(
            fill_part(&p("{{问题}}"), &fill, true),
            Err(OfficeError::RowOutsideTable(_))
        ));
        assert!(matches!(
            fill_part(&p("{{单位}}"), &fill, true),
            Err(OfficeError::NoRows)
        ));
    }

    #[test]
    fn entities_are_read() {
        assert_eq!(unescape("a&amp;b&lt;&#x41;&#66;&bogus;&"), "a&b<AB&bogus;&");
    }
}
