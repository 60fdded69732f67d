//! The text the parser reads, and the text as written. Mirror sites convert notices to
//! traditional characters and some insert a pinyin reading after a character (根據(jù)). The
//! parser reads a view in which traditional characters are mapped to simplified ones
//! (character for character, same offsets) and readings are dropped; what it reports
//! (titles, measures, names) is then given back as written.

use std::borrow::Cow;

use crate::hant;
use crate::model::{Finding, Notice};

pub struct View<'a> {
    written: &'a str,
    text: Cow<'a, str>,
    /// For each byte of the view (and one past its end), the offset in the written text;
    /// only when readings were dropped, else the offsets are the same.
    offsets: Option<Vec<u32>>,
}

const TONED: &str = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü";

/// The length of a pinyin reading `(jù)` at the start of `s`: a short run of lowercase
/// letters with a tone mark, in brackets. Plain Latin in brackets (a code, an abbreviation)
/// has no tone mark and stays.
fn reading_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('(')?;
    let mut toned = false;
    for (i, c) in inner.char_indices().take(8) {
        match c {
            ')' if i > 0 && toned => return Some(1 + i + 1),
            'a'..='z' => {}
            c if TONED.contains(c) => toned = true,
            _ => return None,
        }
    }
    None
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}')
}

/// Whether the text holds a reading: only the places where a bracket opens are looked at.
fn has_reading(s: &str) -> bool {
    // Searched with `memchr`'s vector search: this runs over every notice's whole text.
    memchr::memchr_iter(b'(', s.as_bytes()).any(|i| {
        s[..i].chars().next_back().is_some_and(is_ideograph) && reading_len(&s[i..]).is_some()
    })
}

impl<'a> View<'a> {
    #[cfg(test)]
    fn new(written: &'a str) -> Self {
        let map = hant::Map::get();
        let traditional = written.chars().any(|c| map.simplified(c).is_some());
        Self::noting(written, traditional)
    }

    /// The view of a normalised text, knowing whether it holds a traditional character
    /// (`decode::normalize_noting_traditional` found out).
    pub fn noting(written: &'a str, traditional: bool) -> Self {
        if !traditional && !has_reading(written) {
            return View {
                written,
                text: Cow::Borrowed(written),
                offsets: None,
            };
        }
        let mut text = String::with_capacity(written.len());
        let mut offsets: Option<Vec<u32>> = None;
        let mut prev_ideograph = false;
        let mut skip_to = 0;
        let map = hant::Map::get();
        for (i, c) in written.char_indices() {
            if i < skip_to {
                continue;
            }
            if c == '(' && prev_ideograph {
                if let Some(len) = reading_len(&written[i..]) {
                    // From here on the offsets differ.
                    offsets.get_or_insert_with(|| (0..text.len() as u32).collect());
                    skip_to = i + len;
                    continue;
                }
            }
            prev_ideograph = is_ideograph(c);
            let mapped = map.simplified(c).unwrap_or(c);
            if let Some(o) = offsets.as_mut() {
                o.extend((0..mapped.len_utf8()).map(|k| (i + k) as u32));
            }
            text.push(mapped);
        }
        if let Some(o) = offsets.as_mut() {
            o.push(written.len() as u32);
        }
        View {
            written,
            text: Cow::Owned(text),
            offsets,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the view is the written text itself.
    pub fn is_written(&self) -> bool {
        matches!(self.text, Cow::Borrowed(_))
    }

    fn written_at(&self, at: usize) -> usize {
        match &self.offsets {
            Some(o) => o.get(at).map_or(self.written.len(), |&w| w as usize),
            None => at,
        }
    }

    /// `s`, read from the view at or after byte `from`, as written; and where it ends in
    /// the view. Lines of `s` are searched for one after another (a measure's lines are
    /// trimmed and joined); a line not found is given as read.
    pub fn restore(&self, s: &str, from: usize) -> (String, usize) {
        if self.is_written() {
            return (s.to_string(), from);
        }
        let mut out = String::with_capacity(s.len() + s.len() / 4);
        let mut at = from.min(self.text.len());
        for (k, piece) in s.split('\n').enumerate() {
            if k > 0 {
                out.push('\n');
            }
            if piece.is_empty() {
                continue;
            }
            match self.text.get(at..).and_then(|t| t.find(piece)) {
                Some(found) => {
                    let start = at + found;
                    let end = start + piece.len();
                    let (ws, we) = (self.written_at(start), self.written_at(end));
                    out.push_str(self.written.get(ws..we).unwrap_or(piece));
                    at = end;
                }
                None => out.push_str(piece),
            }
        }
        (out, at)
    }
}

/// Every text the notice reports, given back as written. Each is searched for from the
/// start of its line, or of the document for the metadata. In parts, so that findings can
/// be given back one at a time as they are read.
pub struct Restorer<'v> {
    view: &'v View<'v>,
    /// Where each line starts in the text.
    starts: Vec<usize>,
}

impl<'v> Restorer<'v> {
    pub fn new(view: &'v View<'v>, lines: &[&str]) -> Restorer<'v> {
        let mut starts = Vec::with_capacity(lines.len());
        let mut at = 0;
        for l in lines {
            starts.push(at);
            at += l.len() + 1;
        }
        Restorer { view, starts }
    }

    /// Where 1-based `line` starts.
    fn start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }

    fn fix(&self, s: &mut String, from: usize) {
        *s = self.view.restore(s, from).0;
    }

    /// The metadata, the contact block and the headings.
    pub fn head(&self, n: &mut Notice) {
        for s in [&mut n.title, &mut n.unit, &mut n.inspector]
            .into_iter()
            .flatten()
        {
            self.fix(s, 0);
        }
        for v in n.contact.values_mut() {
            self.fix(v, 0);
        }
        for c in &mut n.categories {
            self.fix(&mut c.title, self.start(c.line));
        }
        for a in &mut n.aspects {
            self.fix(&mut a.title, self.start(a.line));
        }
    }

    /// The document titles of the whole notice.
    pub fn documents(&self, documents: &mut [String]) {
        for d in documents {
            self.fix(d, 0);
        }
    }

    pub fn finding(&self, f: &mut Finding) {
        self.fix(&mut f.title, self.start(f.line));
        for m in &mut f.measures {
            let from = self.start(m.line);
            self.fix(&mut m.text, from);
            for q in &mut m.quantities {
                self.fix(&mut q.text, from);
            }
            for d in &mut m.dates {
                self.fix(&mut d.text, from);
            }
            for d in &mut m.documents {
                self.fix(d, from);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_text_is_its_own_view() {
        let v = View::new("市委第一巡察组反馈(2022)意见(ABC)");
        assert!(v.is_written());
    }

    #[test]
    fn traditional_text_is_read_simplified_and_given_back_as_written() {
        let written = "市委第一巡察組反饋了意見";
        let v = View::new(written);
        assert_eq!(v.text(), "市委第一巡察组反馈了意见");
        assert_eq!(v.text().len(), written.len());
        assert_eq!(v.restore("巡察组反馈", 0).0, "巡察組反饋");
    }

    #[test]
    fn readings_are_dropped_for_reading_and_kept_as_written() {
        let written = "根據(jù)統(tǒng)一部署,開(kāi)展巡察(ABC)";
        let v = View::new(written);
        assert_eq!(v.text(), "根据统一部署,开展巡察(ABC)");
        assert_eq!(v.restore("根据统一", 0).0, "根據(jù)統(tǒng)一");
        assert_eq!(v.restore("开展巡察", 0).0, "開(kāi)展巡察");
        let (two_lines, _) =
            View::new("一是開(kāi)展\n  二是進(jìn)展").restore("开展\n二是进展", 0);
        assert_eq!(two_lines, "開(kāi)展\n二是進(jìn)展");
    }
}
