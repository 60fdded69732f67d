//! The closing contact block of a notice: phone, e-mail, postcode, mailbox, address. Its
//! patterns read the last lines of a notice: `Short`, regex-lite until they have read 4 KiB.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::short::Short;

static PHONE: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"(?:电话|热线|手机|传真)\s*[:：]?\s*((?:[0-9(][0-9\-—－ ()]{5,}[0-9])(?:\s*[、/或,，]\s*[0-9(][0-9\-—－()]{5,}[0-9])*)",
    )
});
static EMAIL: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"));
static POSTCODE: LazyLock<Short> =
    LazyLock::new(|| Short::new(r"(?:邮编|邮政编码)\s*[:：]?\s*([0-9]{6})"));
static MAILBOX: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"(?:^|[^电子])(?:邮政邮箱|邮政信箱|信箱|邮箱|来信地址|邮寄地址|来信请寄|信函请寄|来信请寄至)\s*[:：]?\s*([^;；。,，\n]+)",
    )
});
static ADDRESS: LazyLock<Short> = LazyLock::new(|| {
    Short::new(r"(?:通信地址|通讯地址|办公地址|来信地址|邮寄地址|地址)\s*[:：]\s*([^;；。\n]+)")
});

/// A web page's footer: the site's own details, not the unit's.
static FOOTER: LazyLock<Short> = LazyLock::new(|| {
    Short::new(
        r"版权所有|Copyright|copyright|ICP备|公网安备|网站标识码|主办单位|承办单位|技术支持|网站地图",
    )
});

/// A postal address without the postcode noted after it in brackets (某路8号（邮编：000001）):
/// the postcode is a detail of its own.
fn without_postcode(v: &str) -> &str {
    let cut = ["(邮", "（邮"]
        .iter()
        .filter_map(|open| v.find(open))
        .min()
        .unwrap_or(v.len());
    v[..cut].trim()
}

/// The contact details near the end: phone, e-mail, postcode, mailbox, address.
pub fn contact(nonempty: &[(usize, &str)]) -> BTreeMap<String, String> {
    let end = nonempty
        .iter()
        .position(|(_, l)| FOOTER.is_match(l))
        .unwrap_or(nonempty.len());
    let nonempty = &nonempty[..end];
    let tail: String = nonempty
        .iter()
        .rev()
        .take(8)
        .rev()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeMap::new();
    if let Some(m) = PHONE.captures(&tail).and_then(|c| c.get(1)) {
        out.insert("phone".to_string(), m.trim().to_string());
    }
    if let Some(m) = EMAIL.find(&tail) {
        out.insert("email".to_string(), m.as_str().to_string());
    }
    if let Some(m) = POSTCODE.captures(&tail).and_then(|c| c.get(1)) {
        out.insert("postcode".to_string(), m.to_string());
    }
    if let Some(m) = MAILBOX
        .captures_all(&tail)
        .into_iter()
        .filter_map(|c| c.get(1))
        .find(|m| !m.contains('@'))
    {
        out.insert("mailbox".to_string(), without_postcode(m).to_string());
    }
    if let Some(m) = ADDRESS.captures(&tail).and_then(|c| c.get(1)) {
        out.insert(
            "address".to_string(),
            without_postcode(m.trim().trim_end_matches(['，', ','])).to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PIECES: &[&str] = &[
        "电话",
        "热线",
        "传真",
        "手机",
        ":",
        "：",
        " ",
        "0123-4567890",
        "(0123)4567890",
        "12345678",
        "、",
        "/",
        "或",
        ",",
        "，",
        "—",
        "－",
        "邮编",
        "邮政编码",
        "100000",
        "12345",
        "信箱",
        "电子信箱",
        "邮政信箱",
        "来信请寄",
        "来信请寄至",
        "来信地址",
        "地址",
        "通讯地址",
        "某市某路8号",
        "(邮编:000001)",
        "abc@example.com",
        "x.y@z",
        "@",
        ".cn",
        "版权所有",
        "Copyright",
        "ICP备",
        "主办单位",
        "网站地图",
        "\n",
        ";",
        "；",
        "。",
        "某县纪委",
        "电话：0123-4567890",
        "邮编：100000",
        "地址：某市某路8号",
        "来信请寄：某市某路8号",
    ];

    /// These patterns answer by regex-lite or by regex (`Short`): on any text both forms
    /// must find the same match and groups.
    #[test]
    fn each_contact_pattern_matches_alike_in_both_engines() {
        crate::short::same_in_both(
            PIECES,
            &[
                ("PHONE", &PHONE),
                ("EMAIL", &EMAIL),
                ("POSTCODE", &POSTCODE),
                ("MAILBOX", &MAILBOX),
                ("ADDRESS", &ADDRESS),
                ("FOOTER", &FOOTER),
            ],
        );
    }

    struct Meta {
        contact: BTreeMap<String, String>,
    }

    fn meta(text: &str) -> Meta {
        let nonempty: Vec<(usize, &str)> = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        Meta {
            contact: contact(&nonempty),
        }
    }

    #[test]
    fn a_web_footer_is_not_the_contact_block() {
        let m = meta(
            "标题通报\n正文\n联系电话:0551-1111111\n版权所有:某某网 电话:010-9999999 邮编:100000",
        );
        assert_eq!(
            m.contact.get("phone").map(String::as_str),
            Some("0551-1111111")
        );
        assert_eq!(m.contact.get("postcode"), None);
    }

    #[test]
    fn contact_details_by_kind() {
        let m = meta("标题通报\n正文\n联系电话:(0554)6543210;来信请寄:某路9号,邮编232000;电子邮箱:a.b@example.cn;通讯地址:某路1号");
        assert_eq!(
            m.contact.get("phone").map(String::as_str),
            Some("(0554)6543210")
        );
        assert_eq!(
            m.contact.get("mailbox").map(String::as_str),
            Some("某路9号")
        );
        assert_eq!(
            m.contact.get("postcode").map(String::as_str),
            Some("232000")
        );
        assert_eq!(
            m.contact.get("email").map(String::as_str),
            Some("a.b@example.cn")
        );
        assert_eq!(
            m.contact.get("address").map(String::as_str),
            Some("某路1号")
        );
        let m = meta("标题通报\n正文\n来信请寄:某路8号某局办公室(邮编:000001);通信地址:某路8号(邮政编码:000001)");
        assert_eq!(
            m.contact.get("mailbox").map(String::as_str),
            Some("某路8号某局办公室")
        );
        assert_eq!(
            m.contact.get("address").map(String::as_str),
            Some("某路8号")
        );
        assert_eq!(
            m.contact.get("postcode").map(String::as_str),
            Some("000001")
        );
    }
}
