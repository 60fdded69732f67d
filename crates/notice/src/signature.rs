//! The signature that ends a notice: the issuing body's name on a line of its own, then the
//! date. It is no part of the last finding's text, and it names the unit when nothing
//! before it does.

use std::sync::LazyLock;

use regex::Regex;

use crate::outline::re;

/// The date that closes a notice, on a line of its own under the signature.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}-[0-9]{2})$"));
/// The issuing body's name: a short line without punctuation that names an organisation.
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[^。，,；;：:、！!？?（）()“”]{2,40}(?:党委|党组|委员会|党支部|党总支|党工委|纪委|监委|政府|机关|局|院|公司|集团|中心|学校|大学|学院|医院|办公室|厅|委)$",
    )
});

/// Whether a (trimmed) line is only a date, as under a signature.
fn is_date(line: &str) -> bool {
    DATE.is_match(line)
}

/// Whether a line reads as the name of a signing body.
fn is_name(line: &str) -> bool {
    NAME.is_match(line.trim())
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
