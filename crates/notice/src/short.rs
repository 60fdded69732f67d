//! Patterns run on a short text (the opening's lines, a title, a team's name) once a
//! notice, but sometimes on a long one (a notice without line ends is one line), and in a
//! directory walk on thousands of notices.
//!
//! `regex` compiles a pattern in up to half a millisecond and then matches fast;
//! `regex-lite` compiles in microseconds and matches slowly. A `Short` pattern keeps both
//! forms, each compiled only when first needed: regex-lite reads the first `BUDGET` bytes of
//! short texts, and everything after that (and any text longer than `SHORT`) goes to regex.
//! Parsing one notice seldom compiles the slow-to-build form; parsing many pays for it once,
//! as soon as regex-lite's slower matching would have cost more; a 10 MB line never meets
//! the slow-to-run one. Both engines read the same syntax and, on normalised text (no
//! Unicode space left), give the same answers; property tests in `opening`, `meta` and
//! `contact` hold each pattern's two forms to that.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::numbering::{lite, re};

/// Texts longer than this are matched by `regex`.
const SHORT: usize = 4096;
/// Bytes matched by regex-lite before the pattern moves to `regex` for good. One notice's
/// opening is 1–2 KiB. regex-lite reads the metadata patterns at 20–130 MB/s, and compiling
/// one for regex takes 0.3–0.6 ms, the time regex-lite takes for 8–70 KB: this stays below.
const BUDGET: usize = 4 * 1024;

pub struct Short {
    pattern: String,
    lite: OnceLock<regex_lite::Regex>,
    full: OnceLock<regex::Regex>,
    /// Bytes regex-lite has been asked to read.
    lite_read: AtomicUsize,
}

/// A match: where it is in the text searched, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Span<'t> {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn as_str(&self) -> &'t str {
        self.text.get(self.start..self.end).unwrap_or_default()
    }
}

/// The groups of a match.
pub struct Groups<'t> {
    text: &'t str,
    groups: Vec<Option<(usize, usize)>>,
}

impl<'t> Groups<'t> {
    /// Group `i` (0: the whole match), if it took part in the match.
    pub fn span(&self, i: usize) -> Option<Span<'t>> {
        let (start, end) = self.groups.get(i).copied().flatten()?;
        Some(Span {
            text: self.text,
            start,
            end,
        })
    }

    /// The text of group `i`.
    pub fn get(&self, i: usize) -> Option<&'t str> {
        self.span(i).map(|s| s.as_str())
    }
}

impl Short {
    pub fn new(pattern: impl Into<String>) -> Short {
        Short {
            pattern: pattern.into(),
            lite: OnceLock::new(),
            full: OnceLock::new(),
            lite_read: AtomicUsize::new(0),
        }
    }

    fn lite(&self) -> &regex_lite::Regex {
        self.lite.get_or_init(|| lite(&self.pattern))
    }

    fn full(&self) -> &regex::Regex {
        self.full.get_or_init(|| re(&self.pattern))
    }

    /// Whether regex-lite is to read `t`.
    fn by_lite(&self, t: &str) -> bool {
        if t.len() > SHORT || self.full.get().is_some() {
            return false;
        }
        self.lite_read.fetch_add(t.len(), Ordering::Relaxed) + t.len() <= BUDGET
    }

    pub fn is_match(&self, t: &str) -> bool {
        if self.by_lite(t) {
            self.lite().is_match(t)
        } else {
            self.full().is_match(t)
        }
    }

    /// The first match.
    pub fn find<'t>(&self, t: &'t str) -> Option<Span<'t>> {
        let (start, end) = if self.by_lite(t) {
            self.lite().find(t).map(|m| (m.start(), m.end()))?
        } else {
            self.full().find(t).map(|m| (m.start(), m.end()))?
        };
        Some(Span {
            text: t,
            start,
            end,
        })
    }

    /// Every match, in order.
    pub fn find_iter<'t>(&self, t: &'t str) -> Vec<Span<'t>> {
        let span = |(start, end)| Span {
            text: t,
            start,
            end,
        };
        if self.by_lite(t) {
            let m = self.lite().find_iter(t);
            m.map(|m| span((m.start(), m.end()))).collect()
        } else {
            let m = self.full().find_iter(t);
            m.map(|m| span((m.start(), m.end()))).collect()
        }
    }

    /// `t` with every match taken out.
    pub fn remove_all<'t>(&self, t: &'t str) -> std::borrow::Cow<'t, str> {
        let found = self.find_iter(t);
        if found.is_empty() {
            return std::borrow::Cow::Borrowed(t);
        }
        let mut out = String::with_capacity(t.len());
        let mut from = 0;
        for m in found {
            out.push_str(t.get(from..m.start).unwrap_or_default());
            from = m.end;
        }
        out.push_str(t.get(from..).unwrap_or_default());
        std::borrow::Cow::Owned(out)
    }

    pub fn captures<'t>(&self, t: &'t str) -> Option<Groups<'t>> {
        let groups = if self.by_lite(t) {
            let c = self.lite().captures(t)?;
            c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
        } else {
            let c = self.full().captures(t)?;
            c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()
        };
        Some(Groups { text: t, groups })
    }

    /// Every match's groups, in order.
    pub fn captures_all<'t>(&self, t: &'t str) -> Vec<Groups<'t>> {
        let groups = |groups| Groups { text: t, groups };
        if self.by_lite(t) {
            self.lite()
                .captures_iter(t)
                .map(|c| groups(c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()))
                .collect()
        } else {
            self.full()
                .captures_iter(t)
                .map(|c| groups(c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()))
                .collect()
        }
    }

    /// Whether the pattern has moved to `regex`.
    #[cfg(test)]
    pub fn moved(&self) -> bool {
        self.full.get().is_some()
    }

    /// Both forms' answers for `t`, whatever its length: for the tests that hold them equal.
    #[cfg(test)]
    pub fn both<'t>(&self, t: &'t str) -> [Option<Vec<Option<&'t str>>>; 2] {
        let lite = self
            .lite()
            .captures(t)
            .map(|c| c.iter().map(|m| m.map(|m| m.as_str())).collect());
        let full = self
            .full()
            .captures(t)
            .map(|c| c.iter().map(|m| m.map(|m| m.as_str())).collect());
        [lite, full]
    }
}

/// Checks, on texts made of `pieces` in any order, that each pattern's two forms find the
/// same match and groups: the property every module holding `Short` patterns tests.
#[cfg(test)]
pub fn same_in_both(pieces: &'static [&'static str], patterns: &[(&str, &Short)]) {
    use proptest::test_runner::{Config, TestRunner};
    let texts = proptest::collection::vec(proptest::sample::select(pieces), 0..24);
    let mut runner = TestRunner::new(Config::with_cases(2000));
    let checked = runner.run(&texts, |pieces| {
        let text = pieces.concat();
        for (name, pattern) in patterns {
            let [lite, full] = pattern.both(&text);
            proptest::prop_assert_eq!(lite, full, "{} on {:?}", name, text);
        }
        Ok(())
    });
    if let Err(e) = checked {
        panic!("{e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_moves_to_regex_once_regex_lite_has_read_its_budget() {
        let p = Short::new(r"([0-9]+)个巡察组");
        let line = "组建了4个巡察组，开展巡察";
        assert_eq!(p.captures(line).and_then(|c| c.get(1)), Some("4"));
        assert!(!p.moved(), "one notice's opening stays with regex-lite");
        let mut reads = 1;
        while !p.moved() {
            assert_eq!(p.find(line).map(|m| m.as_str()), Some("4个巡察组"));
            reads += 1;
            assert!(
                reads * line.len() <= BUDGET + line.len() + 1,
                "moved too late"
            );
        }
        assert!(reads * line.len() > BUDGET, "moved too early");
        assert_eq!(p.captures(line).and_then(|c| c.get(1)), Some("4"));
        assert!(!p.is_match("组建了巡察组"));
    }

    #[test]
    fn a_long_text_goes_to_regex_at_once() {
        let p = Short::new(r"来源[:：]");
        let long = format!("{}来源:某县", "甲".repeat(SHORT));
        assert!(p.is_match(&long));
        assert!(p.moved());
    }
}
