//! Template filling on outside input: placeholder scanning on any text, filling any
//! XML-like part, never panics; a paragraph cut into runs anywhere fills as if it were one.

use proptest::prelude::*;
use zhenggai_office::template::{fill_part, placeholders, Fill};

const PIECES: &[&str] = &[
    "{{", "}}", "{", "}", "单位", "日期", "问题", "序号", " ", "致", "：", "&amp;", "<", ">", "é",
    "\u{3000}",
];

fn texty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES.to_vec()).prop_map(String::from),
            ".{0,3}"
        ],
        0..30,
    )
    .prop_map(|v| v.concat())
}

fn fill() -> Fill {
    Fill {
        fields: vec![
            ("单位", "某局{{日期}}".into()),
            ("日期", "2025年1月2日".into()),
        ],
        rows: vec![vec![("序号", "1".into()), ("问题", "甲".into())]],
    }
}

/// The text of a part's w:t nodes, entities resolved (the three we write).
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<w:t") {
        rest = &rest[i..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        if rest[..open_end].ends_with('/') || !matches!(rest.as_bytes().get(4), Some(b'>' | b' ')) {
            rest = &rest[open_end..];
            continue;
        }
        let Some(close) = rest.find("</w:t>") else {
            break;
        };
        out.push_str(&rest[open_end + 1..close]);
        rest = &rest[close..];
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn scanning_any_text_is_safe(text in texty()) {
        for p in placeholders(&text) {
            let s = &text[p.start..p.end];
            prop_assert!(s.starts_with("{{") && s.ends_with("}}"));
            prop_assert_eq!(s[2..s.len() - 2].trim(), p.name.as_str());
        }
    }

    #[test]
    fn filling_any_part_never_panics(xml in prop::collection::vec(prop_oneof![
        Just("<w:p>".to_string()), Just("</w:p>".to_string()), Just("<w:t>".to_string()),
        Just("</w:t>".to_string()), Just("<w:tr>".to_string()), Just("</w:tr>".to_string()),
        Just("<w:t/>".to_string()), Just("<!--".to_string()), Just("-->".to_string()),
        texty()], 0..20).prop_map(|v| v.concat()), rows in any::<bool>()) {
        let _ = fill_part(&xml, &fill(), rows);
    }

    /// The same paragraph text cut into runs at any places (as Word does) fills to the
    /// same text as when it is one run.
    #[test]
    fn runs_cut_anywhere_fill_alike(words in prop::collection::vec(prop_oneof![
        Just("{{单位}}"), Just("{{ 日期 }}"), Just("致"), Just("：于"), Just("前报送。"), Just("{"), Just("}")], 1..10),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6)) {
        let text: String = words.concat();
        let chars: Vec<char> = text.chars().collect();
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(chars.len() + 1)).collect();
        at.sort_unstable();
        at.dedup();
        let mut runs = Vec::new();
        let mut from = 0;
        for &c in at.iter().chain(std::iter::once(&chars.len())) {
            runs.push(chars[from..c].iter().collect::<String>());
            from = c;
        }
        let para = |runs: &[String]| {
            let body: String = runs
                .iter()
                .map(|r| format!("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{r}</w:t></w:r><w:proofErr w:type=\"gramEnd\"/>"))
                .collect();
            format!("<w:p><w:pPr/>{body}</w:p>")
        };
        let whole = fill_part(&para(std::slice::from_ref(&text)), &fill(), false);
        let cut = fill_part(&para(&runs), &fill(), false);
        match (whole, cut) {
            (Ok(w), Ok(c)) => {
                prop_assert_eq!(text_of(&w), text_of(&c));
                prop_assert!(!text_of(&c).contains("{{单位}}"));
                // A value holding braces is written as it is, not filled again.
                if text.contains("{{单位}}") {
                    prop_assert!(text_of(&c).contains("某局{{日期}}"));
                }
            }
            (w, c) => prop_assert_eq!(w.is_err(), c.is_err()),
        }
    }
}
