//! A notice's compact JSON, written directly: the bytes `serde_json::to_writer` gives for
//! the same value (a property test holds them equal), in a fifth of the time. Writing
//! the 18 MB of JSON of a 10 MB notice through serde took a seventh of `zhenggai parse`,
//! half of it in escaping strings a byte at a time; here a string is checked 32 bytes at a
//! time and copied whole when nothing in it needs escaping, and the keys are
//! written as the literals they are.

use std::io::{self, Write};

use crate::model::*;

/// Bytes gathered before they are handed to the writer.
const CHUNK: usize = 1 << 16;

/// Writes `notice` as one line of compact JSON (no newline).
pub fn write(notice: &Notice, w: &mut impl Write) -> io::Result<()> {
    let mut stream = Stream::new(w);
    for f in &notice.findings {
        stream.finding(notice, f);
    }
    stream.finish(notice)
}

/// A notice's JSON written while it is read (`parse_each`): each finding as it comes, the
/// first one after everything that goes before the findings, and the rest at the end.
/// The first error of the writer is kept and given back by `finish`; after it nothing more
/// is written.
pub struct Stream<'w, W: Write> {
    out: Out<'w, W>,
    findings: usize,
    failed: Option<io::Error>,
}

impl<'w, W: Write> Stream<'w, W> {
    pub fn new(w: &'w mut W) -> Stream<'w, W> {
        Stream {
            out: Out {
                buf: Vec::with_capacity(CHUNK + 4096),
                w,
            },
            findings: 0,
            failed: None,
        }
    }

    /// Writes finding `f` of `notice` (whose findings may not be kept).
    pub fn finding(&mut self, notice: &Notice, f: &Finding) {
        if self.failed.is_some() {
            return;
        }
        let written = if self.findings == 0 {
            self.out.head(notice)
        } else {
            self.out.buf.push(b',');
            Ok(())
        };
        self.findings += 1;
        if let Err(e) = written.and_then(|()| self.out.finding(f)) {
            self.failed = Some(e);
        }
    }

    /// Writes what follows the findings, and hands everything to the writer.
    pub fn finish(mut self, notice: &Notice) -> io::Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.findings == 0 {
            self.out.head(notice)?;
        }
        self.out.tail(notice)?;
        self.out.flush()
    }
}

struct Out<'w, W: Write> {
    buf: Vec<u8>,
    w: &'w mut W,
}

impl<W: Write> Out<'_, W> {
    fn raw(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// Hands the gathered bytes on once there are enough of them.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn str(&mut self, s: &str) {
        self.buf.push(b'"');
        escape_into(&mut self.buf, s);
        self.buf.push(b'"');
    }

    fn opt_str(&mut self, s: &Option<String>) {
        match s {
            Some(s) => self.str(s),
            None => self.raw("null"),
        }
    }

    fn uint(&mut self, n: usize) {
        let mut digits = [0u8; 20];
        self.buf
            .extend_from_slice(format_uint(&mut digits, n as u64));
    }

    fn opt_uint(&mut self, n: Option<usize>) {
        match n {
            Some(n) => self.uint(n),
            None => self.raw("null"),
        }
    }

    /// Numbers as serde_json writes them (shortest round-trip form, `1.0` for whole ones).
    fn float(&mut self, f: f64) -> io::Result<()> {
        serde_json::to_writer(&mut self.buf, &f).map_err(io::Error::other)
    }

    /// `[a,b,…]`, each item written by `item`.
    fn list<T>(
        &mut self,
        items: &[T],
        mut item: impl FnMut(&mut Self, &T) -> io::Result<()>,
    ) -> io::Result<()> {
        self.buf.push(b'[');
        for (i, t) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            item(self, t)?;
        }
        self.buf.push(b']');
        Ok(())
    }

    /// Everything before the findings' items.
    fn head(&mut self, n: &Notice) -> io::Result<()> {
        self.raw("{\"format\":");
        self.str(&n.format);
        self.raw(",\"source\":{\"file\":");
        self.str(&n.source.file);
        self.raw(",\"sha256\":");
        self.str(&n.source.sha256);
        self.raw(",\"encoding\":");
        self.str(&n.source.encoding);
        self.raw("},\"kind\":\"");
        self.raw(kind(n.kind));
        self.raw("\",\"title\":");
        self.opt_str(&n.title);
        self.raw(",\"unit\":");
        self.opt_str(&n.unit);
        self.raw(",\"inspector\":");
        self.opt_str(&n.inspector);
        self.raw(",\"inspection_period\":");
        match &n.inspection_period {
            Some(p) => {
                self.raw("{\"start\":");
                self.str(&p.start);
                self.raw(",\"end\":");
                self.str(&p.end);
                self.raw("}");
            }
            None => self.raw("null"),
        }
        self.raw(",\"feedback_date\":");
        self.opt_str(&n.feedback_date);
        self.raw(",\"published\":");
        self.opt_str(&n.published);
        self.raw(",\"categories\":");
        self.list(&n.categories, |o, h| {
            o.raw("{\"number\":");
            o.str(&h.number);
            o.raw(",\"title\":");
            o.str(&h.title);
            o.raw(",\"line\":");
            o.uint(h.line);
            o.raw("}");
            Ok(())
        })?;
        self.raw(",\"aspects\":");
        self.list(&n.aspects, |o, h| {
            o.raw("{\"number\":");
            o.str(&h.number);
            o.raw(",\"title\":");
            o.str(&h.title);
            o.raw(",\"category\":");
            o.opt_uint(h.category);
            o.raw(",\"line\":");
            o.uint(h.line);
            o.raw("}");
            Ok(())
        })?;
        self.raw(",\"findings\":[");
        Ok(())
    }

    /// Everything after the findings' items.
    fn tail(&mut self, n: &Notice) -> io::Result<()> {
        self.raw("],\"documents\":");
        self.list(&n.documents, |o, d| {
            o.str(d);
            Ok(())
        })?;
        self.raw(",\"contact\":{");
        for (i, (k, v)) in n.contact.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.str(k);
            self.buf.push(b':');
            self.str(v);
        }
        self.raw("},\"warnings\":");
        self.list(&n.warnings, |o, w| {
            o.raw("{\"line\":");
            o.opt_uint(w.line);
            o.raw(",\"message\":");
            o.str(&w.message);
            o.raw("}");
            Ok(())
        })?;
        self.raw("}");
        Ok(())
    }

    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.raw("{\"number\":");
        self.str(&f.number);
        self.raw(",\"title\":");
        self.str(&f.title);
        self.raw(",\"category\":");
        self.opt_uint(f.category);
        self.raw(",\"aspect\":");
        self.opt_uint(f.aspect);
        self.raw(",\"line\":");
        self.uint(f.line);
        self.raw(",\"status\":\"");
        self.raw(status(f.status));
        self.raw("\",\"measures\":");
        self.list(&f.measures, |o, m| o.measure(m))?;
        self.raw("}");
        self.spill()
    }

    fn measure(&mut self, m: &Measure) -> io::Result<()> {
        self.raw("{\"ordinal\":");
        self.uint(m.ordinal);
        self.raw(",\"text\":");
        self.str(&m.text);
        self.raw(",\"line\":");
        self.uint(m.line);
        self.raw(",\"quantities\":");
        self.list(&m.quantities, |o, q| {
            o.raw("{\"text\":");
            o.str(&q.text);
            o.raw(",\"value\":");
            o.float(q.value)?;
            o.raw(",\"unit\":");
            o.opt_str(&q.unit);
            o.raw(",\"qualifier\":");
            o.opt_str(&q.qualifier);
            o.raw("}");
            Ok(())
        })?;
        self.raw(",\"dates\":");
        self.list(&m.dates, |o, d| {
            o.raw("{\"text\":");
            o.str(&d.text);
            o.raw(",\"value\":");
            o.str(&d.value);
            o.raw("}");
            Ok(())
        })?;
        self.raw(",\"documents\":");
        self.list(&m.documents, |o, d| {
            o.str(d);
            Ok(())
        })?;
        self.raw("}");
        Ok(())
    }
}

/// The serde names of the enums (`rename_all = "snake_case"`).
fn kind(k: Kind) -> &'static str {
    match k {
        Kind::Progress => "progress",
        Kind::Final => "final",
        Kind::Plan => "plan",
        Kind::Feedback => "feedback",
        Kind::Aggregate => "aggregate",
        Kind::Unknown => "unknown",
    }
}

fn status(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Done => "done",
        FindingStatus::InProgress => "in_progress",
        FindingStatus::LongTerm => "long_term",
        FindingStatus::Transferred => "transferred",
        FindingStatus::Unknown => "unknown",
    }
}

/// `n` in decimal, at the end of `buf`.
fn format_uint(buf: &mut [u8; 20], mut n: u64) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

/// Whether any byte of `chunk` is a control character, `"` or `\`. Every byte is tested,
/// without stopping early, so that the compiler tests a whole vector register at once.
#[inline]
fn needs_escape(chunk: &[u8]) -> bool {
    chunk.iter().fold(false, |acc, &b| {
        acc | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

/// Appends `s` escaped as serde_json escapes it: `"` `\` and the control characters
/// (`\b \f \n \r \t`, the others as `\u00XX`); everything else, DEL and non-ASCII
/// included, as it is.
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut clean = 0;
    for chunk in bytes.chunks_exact(32) {
        if needs_escape(chunk) {
            break;
        }
        clean += 32;
    }
    out.extend_from_slice(&bytes[..clean]);
    let mut start = clean;
    for (i, &b) in bytes.iter().enumerate().skip(clean) {
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escaped);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(n: &Notice) -> String {
        let mut v = Vec::new();
        write(n, &mut v).expect("to memory");
        String::from_utf8(v).expect("utf-8")
    }

    /// Text with every kind of character that escaping treats apart, in runs longer and
    /// shorter than the 32 bytes checked at once.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\\".to_string()),
                (0u8..0x20).prop_map(|b| char::from(b).to_string()),
                Just("\u{7f}".to_string()),
                Just("整改措施".to_string()),
                Just("整改措施已全部落实到位，".to_string()),
                Just("，".to_string()),
                Just("/".to_string()),
                "[a-z0-9 ]{0,9}",
                any::<char>().prop_map(String::from),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat())
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn measure() -> impl Strategy<Value = Measure> {
        (
            (0usize..40, text(), any::<usize>()),
            proptest::collection::vec((text(), any::<f64>(), opt_text(), opt_text()), 0..3),
            proptest::collection::vec((text(), text()), 0..3),
            proptest::collection::vec(text(), 0..3),
        )
            .prop_map(|((ordinal, text, line), q, d, documents)| Measure {
                ordinal,
                text,
                line,
                quantities: q
                    .into_iter()
                    // JSON has no NaN or infinity; a parse never produces them.
                    .filter(|(_, v, _, _)| v.is_finite())
                    .map(|(text, value, unit, qualifier)| Quantity {
                        text,
                        value,
                        unit,
                        qualifier,
                    })
                    .collect(),
                dates: d
                    .into_iter()
                    .map(|(text, value)| DateMention { text, value })
                    .collect(),
                documents,
            })
    }

    fn finding() -> impl Strategy<Value = Finding> {
        (
            (text(), text(), proptest::option::of(0usize..9)),
            (proptest::option::of(0usize..9), any::<usize>(), 0usize..5),
            proptest::collection::vec(measure(), 0..3),
        )
            .prop_map(
                |((number, title, category), (aspect, line, s), measures)| Finding {
                    number,
                    title,
                    category,
                    aspect,
                    line,
                    status: [
                        FindingStatus::Done,
                        FindingStatus::InProgress,
                        FindingStatus::LongTerm,
                        FindingStatus::Transferred,
                        FindingStatus::Unknown,
                    ][s],
                    measures,
                },
            )
    }

    fn notice() -> impl Strategy<Value = Notice> {
        (
            (text(), text(), text(), text(), 0usize..6),
            (
                opt_text(),
                opt_text(),
                opt_text(),
                proptest::option::of((text(), text())),
            ),
            (opt_text(), opt_text()),
            (
                proptest::collection::vec((text(), text(), any::<usize>()), 0..3),
                proptest::collection::vec(
                    (
                        text(),
                        text(),
                        proptest::option::of(0usize..3),
                        any::<usize>(),
                    ),
                    0..3,
                ),
                proptest::collection::vec(finding(), 0..4),
            ),
            (
                proptest::collection::vec(text(), 0..3),
                proptest::collection::btree_map(text(), text(), 0..3),
                proptest::collection::vec((proptest::option::of(any::<usize>()), text()), 0..3),
            ),
        )
            .prop_map(
                |(
                    (format, file, sha256, encoding, k),
                    (title, unit, inspector, period),
                    (feedback_date, published),
                    (categories, aspects, findings),
                    (documents, contact, warnings),
                )| Notice {
                    format,
                    source: Source {
                        file,
                        sha256,
                        encoding,
                    },
                    kind: [
                        Kind::Progress,
                        Kind::Final,
                        Kind::Plan,
                        Kind::Feedback,
                        Kind::Aggregate,
                        Kind::Unknown,
                    ][k],
                    title,
                    unit,
                    inspector,
                    inspection_period: period.map(|(start, end)| Period { start, end }),
                    feedback_date,
                    published,
                    categories: categories
                        .into_iter()
                        .map(|(number, title, line)| Heading {
                            number,
                            title,
                            line,
                        })
                        .collect(),
                    aspects: aspects
                        .into_iter()
                        .map(|(number, title, category, line)| AspectHeading {
                            number,
                            title,
                            category,
                            line,
                        })
                        .collect(),
                    findings,
                    documents,
                    contact,
                    warnings: warnings
                        .into_iter()
                        .map(|(line, message)| Warning { line, message })
                        .collect(),
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn strings_escape_as_serde_json_escapes_them(s in text()) {
            let mut v = Vec::new();
            escape_into(&mut v, &s);
            let serde = serde_json::to_string(&s).expect("string");
            prop_assert_eq!(format!("\"{}\"", String::from_utf8(v).expect("utf-8")), serde);
        }

        #[test]
        fn a_notice_is_written_as_serde_json_writes_it(n in notice()) {
            prop_assert_eq!(ours(&n), serde_json::to_string(&n).expect("notice"));
        }
    }

    #[test]
    fn a_parsed_notice_is_written_as_serde_json_writes_it() {
        let text = "中共示例局党组关于巡察整改进展情况的通报\n一、党建方面\n(一)关于“台账不全”的问题\n整改措施:1.补齐台账3本，清退资金1.5万元;2.2024年6月底前建立《核对制度》。\n来信请寄：示例路1号\t\"引号\"\\";
        let n = crate::parse_text(text, "a\u{1}b.txt", "utf-8", "00");
        assert!(!n.findings.is_empty());
        assert_eq!(ours(&n), serde_json::to_string(&n).expect("notice"));
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut b = [0u8; 20];
        for n in [0u64, 7, 10, 99, 12345, u64::MAX] {
            assert_eq!(format_uint(&mut b, n), n.to_string().as_bytes());
        }
    }
}
