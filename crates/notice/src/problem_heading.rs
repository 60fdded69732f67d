//! Whether a numbered heading names one problem (针对“…”问题, 关于“…”的问题) or a whole
//! area (关于党的建设方面的问题). Read by hand, not by patterns: it is asked of every heading
//! of every notice; property tests hold it to the patterns it replaced.

use crate::numbering::Style;

const OPENING_QUOTES: [char; 6] = ['“', '"', '「', '『', '‘', '\''];
const CLOSING_QUOTES: [char; 6] = ['”', '"', '」', '』', '’', '\''];
const SENTENCE_ENDS: [char; 3] = ['。', ';', '；'];

/// A heading that names one problem: 针对“…”问题 or 关于“…”的问题 (a quote a few words
/// in, closed later), or 针对…问题 (问题 before the sentence ends). Read by hand: it is
/// asked of every heading that opens with 针对 or 关于.
pub(crate) fn quoted_problem(heading: &str) -> bool {
    quoted_problem_within(heading, usize::MAX)
}

/// `quoted_problem` of the first `limit` characters of `heading`, counted as they are read
/// rather than cut off first (it is asked of every heading).
fn quoted_problem_within(heading: &str, limit: usize) -> bool {
    let Some(after) = heading
        .strip_prefix("针对")
        .or_else(|| heading.strip_prefix("关于"))
    else {
        return false;
    };
    // The characters of `after` inside the limit (针对 and 关于 are two).
    let budget = limit.saturating_sub(2);
    for (k, (i, c)) in after.char_indices().enumerate() {
        if k > 12 || k >= budget || SENTENCE_ENDS.contains(&c) || c == '\n' {
            break;
        }
        if OPENING_QUOTES.contains(&c) {
            let inside = &after[i + c.len_utf8()..];
            let mut chars = inside.chars().take(budget - (k + 1));
            if chars.next().is_some_and(|first| first != '\n')
                && chars
                    .take_while(|d| *d != '\n')
                    .any(|d| CLOSING_QUOTES.contains(&d))
            {
                return true;
            }
            // ‘ and ' may also stand in the words before the quote.
            if !matches!(c, '‘' | '\'') {
                break;
            }
        }
    }
    after
        .char_indices()
        .take(budget)
        .take_while(|(_, c)| !SENTENCE_ENDS.contains(c) && *c != '\n')
        .enumerate()
        .any(|(k, (i, _))| {
            (2..=80).contains(&k) && k + 2 <= budget && after[i..].starts_with("问题")
        })
}

/// 关于党的建设方面的问题: a heading about a whole area, which names a group.
fn area(sentence: &str) -> bool {
    let s = sentence.trim_end();
    let s = s
        .strip_suffix(['。', '.', ':', '：'])
        .unwrap_or(s)
        .trim_end();
    ["方面的问题", "方面存在的问题", "方面问题", "方面"]
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix))
        .is_some_and(|before| !before.contains('\n') && before.chars().count() <= 60)
}

/// Whether a numbered heading names one problem: the unnumbered and labelled forms do; a
/// numbered one when it opens with a quoted problem within its first hundred characters
/// and is not about a whole area.
pub(crate) fn names_a_problem(style: Style, rest: &str) -> bool {
    if style == Style::Unnumbered || style == Style::Problem {
        return true;
    }
    // Both forms open with 针对 or 关于: most headings are decided without the patterns.
    if !(rest.starts_with("针对") || rest.starts_with("关于")) {
        return false;
    }
    // Only the opening of the heading matters, and headings can run on into long text.
    quoted_problem_within(rest, 100) && !area(rest.split(SENTENCE_ENDS).next().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbering::re;

    proptest::proptest! {
        /// The hand reading against the patterns it replaces.
        #[test]
        fn quoted_problems_and_areas_as_the_patterns_said(s in "(针对|关于)?[甲“”‘’'\"「」。;问题方面的存在:. ]{0,20}") {
            let quoted = re(r#"^(?:针对|关于)[^。;；“"「『]{0,12}[“"「『‘'].+?[”"」』’']|^(?:针对|关于)[^。;；]{2,80}?问题"#);
            // Spaces after the closing stop are ignored too (found by proptest: "方面. ").
            let area_pattern = re(r"^.{0,60}?方面(?:的问题|存在的问题|问题)?\s*[。.:：]?\s*$");
            proptest::prop_assert_eq!(quoted_problem(&s), quoted.is_match(&s), "{}", s);
            proptest::prop_assert_eq!(area(&s), area_pattern.is_match(&s), "{}", s);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        /// Counting the limit while reading is cutting the heading at the limit first.
        #[test]
        fn a_limit_counted_is_a_heading_cut(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "针对", "关于", "“", "”", "‘", "'", "\"", "「", "」", "。", ";", "问题", "问",
                "题", "\n", " ", "甲", "a",
            ]), 0..30),
            limit in 0usize..45,
        ) {
            let s = parts.concat();
            let cut = match s.char_indices().nth(limit) {
                Some((i, _)) => &s[..i],
                None => s.as_str(),
            };
            proptest::prop_assert_eq!(quoted_problem_within(&s, limit), quoted_problem(cut), "{} {}", s, limit);
        }
    }

    #[test]
    fn a_problem_cut_by_the_limit_is_no_problem() {
        assert!(quoted_problem_within("针对甲甲问题", 6));
        assert!(!quoted_problem_within("针对甲甲问题", 5));
    }
}
