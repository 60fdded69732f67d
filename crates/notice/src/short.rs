//! Patterns run on a short text most of the time (the opening's lines, a title, a team's
//! name) but on a long one now and then (a notice without line ends is one line).
//!
//! `regex` compiles a pattern in up to half a millisecond and then matches fast;
//! `regex-lite` compiles in microseconds and matches slowly. A `Short` pattern keeps both
//! forms, each compiled only when first needed: a text up to `SHORT` bytes is matched by
//! regex-lite, a longer one by regex. A notice's usual metadata never compiles the slow-to-build
//! form, and a 10 MB line never meets the slow-to-run one. Both engines read the same syntax
//! and, on normalised text (no Unicode space left), give the same answers; a property test
//! in `meta` holds each pattern's two forms to that.

use std::sync::OnceLock;

use crate::numbering::{lite, re};

/// Texts longer than this are matched by `regex`.
const SHORT: usize = 4096;

pub struct Short {
    pattern: String,
    lite: OnceLock<regex_lite::Regex>,
    full: OnceLock<regex::Regex>,
}

/// The groups of a match, as text.
pub struct Groups<'t> {
    groups: Vec<Option<&'t str>>,
}

impl<'t> Groups<'t> {
    /// Group `i` (0: the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<&'t str> {
        self.groups.get(i).copied().flatten()
    }
}

impl Short {
    pub fn new(pattern: impl Into<String>) -> Short {
        Short {
            pattern: pattern.into(),
            lite: OnceLock::new(),
            full: OnceLock::new(),
        }
    }

    fn lite(&self) -> &regex_lite::Regex {
        self.lite.get_or_init(|| lite(&self.pattern))
    }

    fn full(&self) -> &regex::Regex {
        self.full.get_or_init(|| re(&self.pattern))
    }

    pub fn is_match(&self, t: &str) -> bool {
        if t.len() <= SHORT {
            self.lite().is_match(t)
        } else {
            self.full().is_match(t)
        }
    }

    /// The text of the first match.
    pub fn find<'t>(&self, t: &'t str) -> Option<&'t str> {
        if t.len() <= SHORT {
            self.lite().find(t).map(|m| m.as_str())
        } else {
            self.full().find(t).map(|m| m.as_str())
        }
    }

    pub fn captures<'t>(&self, t: &'t str) -> Option<Groups<'t>> {
        let groups = if t.len() <= SHORT {
            let c = self.lite().captures(t)?;
            c.iter().map(|m| m.map(|m| m.as_str())).collect()
        } else {
            let c = self.full().captures(t)?;
            c.iter().map(|m| m.map(|m| m.as_str())).collect()
        };
        Some(Groups { groups })
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
