//! A notice as a document: its title and blocks in reading order, each block knowing what
//! it is (a heading of some level, a body paragraph, the signature). The plain-text writer
//! here and the .docx writer in `zhenggai-office` both read this one tree, so the two
//! files say the same words.

use std::fmt::Write;

/// The numbering levels of an official document (GB/T 9704-2012 7.3.3): 一、 (一) 1. (1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// 一、 set in 黑体.
    First,
    /// （一） set in 楷体.
    Second,
    /// 1. set in 仿宋, bold.
    Third,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A numbered heading on its own line; `number` includes its punctuation (一、, 1.).
    Heading {
        level: Level,
        number: String,
        text: String,
    },
    /// A body paragraph, first line indented two characters.
    Paragraph(String),
    /// The issuer and the date under the body, aligned to the right.
    Signature { issuer: String, date: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Document {
    /// Plain text: the title, then one block a line with a blank line between blocks (as
    /// published notices are pasted onto web pages), ending with a line break.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(self.len_hint());
        let _ = writeln!(out, "{}\n", self.title);
        for b in &self.blocks {
            match b {
                Block::Heading { number, text, .. } => {
                    let _ = writeln!(out, "{number}{text}\n");
                }
                Block::Paragraph(p) => {
                    let _ = writeln!(out, "{p}\n");
                }
                Block::Signature { issuer, date } => {
                    let _ = writeln!(out, "{issuer}\n{date}");
                }
            }
        }
        out
    }

    fn len_hint(&self) -> usize {
        self.title.len()
            + self
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Heading { number, text, .. } => number.len() + text.len() + 2,
                    Block::Paragraph(p) => p.len() + 2,
                    Block::Signature { issuer, date } => issuer.len() + date.len() + 2,
                })
                .sum::<usize>()
    }
}
