//! The signature that ends a notice: the issuing body's name on a line of its own, then the
//! date. It is no part of the last finding's text, and it names the unit when nothing
//! before it does.

/// The issuing body's name: a short line without punctuation that ends in what names an
/// organisation. Read by hand: as a pattern (`[^…]{2,40}(?:党委|…)$`) the bound compiled
/// into forty copies of its class, a third of a millisecond at every start.
const NAME_STOPS: [char; 18] = [
    '。', '，', ',', '；', ';', '：', ':', '、', '！', '!', '？', '?', '（', '）', '(', ')', '“',
    '”',
];
const NAME_ENDS: [&str; 22] = [
    "党委",
    "党组",
    "委员会",
    "党支部",
    "党总支",
    "党工委",
    "纪委",
    "监委",
    "政府",
    "机关",
    "局",
    "院",
    "公司",
    "集团",
    "中心",
    "学校",
    "大学",
    "学院",
    "医院",
    "办公室",
    "厅",
    "委",
];

/// Whether a (trimmed) line is only a date, as under a signature.
fn is_date(line: &str) -> bool {
    crate::words::is_date_line(line)
}

/// Whether a line reads as the name of a signing body: between 2 and 40 characters before
/// the word that ends it, and no punctuation.
fn is_name(line: &str) -> bool {
    let line = line.trim();
    if line.contains(NAME_STOPS) {
        return false;
    }
    let chars = line.chars().count();
    NAME_ENDS
        .iter()
        .any(|end| line.ends_with(end) && (2..=40).contains(&(chars - end.chars().count())))
}

/// At a closing line: when it is the date under a signature, the signer's name just above
/// it (the last line of the last item's `body`) is no text of that item.
pub(crate) fn unsign(body: &mut Vec<usize>, closing: &str, lines: &[&str]) {
    let signed = is_date(closing)
        && body
            .last()
            .is_some_and(|&b| lines.get(b).is_some_and(|l| is_name(l)));
    if signed {
        body.pop();
    }
}

/// The body that signs the notice, from its last non-empty lines: the name just above the
/// last date, when that body is not the inspection office.
pub(crate) fn signer(end: &[(usize, &str)]) -> Option<String> {
    let last_date = end.iter().rposition(|(_, l)| is_date(l))?;
    let (_, name) = end.get(last_date.checked_sub(1)?)?;
    (is_name(name) && !name.contains("巡察") && !name.contains("巡视")).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbering::lite;
    use regex_lite::Regex;
    use std::sync::LazyLock;

    /// The pattern the name was read with.
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        lite(
            r"^[^。，,；;：:、！!？?（）()“”]{2,40}(?:党委|党组|委员会|党支部|党总支|党工委|纪委|监委|政府|机关|局|院|公司|集团|中心|学校|大学|学院|医院|办公室|厅|委)$",
        )
    });

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn a_name_reads_as_the_pattern_read_it(
            before in 0usize..45,
            filler in proptest::sample::select(vec!["甲", "a", " ", "，"]),
            end in proptest::sample::select(NAME_ENDS.to_vec()),
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "示例", "县", "委员会", "党委", "委", "员会", "局", "，", "(", " ", "\n", "a",
            ]), 0..4),
        ) {
            // A name of every length around the bounds, then some more words or none.
            let line = format!("{}{end}{}", filler.repeat(before), parts.concat());
            proptest::prop_assert_eq!(is_name(&line), NAME.is_match(line.trim()), "{:?}", line);
        }
    }
}
