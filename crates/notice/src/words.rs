//! Word tests read without a regex: such a pattern took 0.05–0.35 ms to compile at every
//! start (the regex crate builds its automata forwards and backwards), most of what a
//! one-page parse spent on the patterns it runs on every line or heading. Property tests
//! hold each to the pattern it replaced.

/// A list of words written as a pattern of alternatives (`甲|乙|丙`, nothing else), and
/// where a text must hold one of them. Lists searched for anywhere in a text stay patterns:
/// Aho–Corasick built them faster but searched the headings more slowly.
pub(crate) enum Words {
    /// At its end.
    AtEnd(Vec<&'static str>),
    /// The whole text is one of them.
    Whole(Vec<&'static str>),
}

impl Words {
    fn list(words: &'static str) -> Vec<&'static str> {
        debug_assert!(
            !words.contains(['(', ')', '[', ']', '?', '*', '+', '^', '$', '\\', '.', '{']),
            "not a plain list of words: {words}"
        );
        words.split('|').collect()
    }

    pub(crate) fn at_end(words: &'static str) -> Words {
        Words::AtEnd(Words::list(words))
    }

    pub(crate) fn whole(words: &'static str) -> Words {
        Words::Whole(Words::list(words))
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        match self {
            Words::AtEnd(list) => list.iter().any(|w| text.ends_with(w)),
            Words::Whole(list) => list.contains(&text),
        }
    }
}

/// The characters that alone say something went wrong (不严, 未落实, 缺位, 松懈…).
fn wrong_char(c: char) -> bool {
    matches!(
        c,
        '不' | '未' | '缺' | '欠' | '偏' | '松' | '失' | '乏' | '低' | '慢' | '少' | '乱' | '违'
    )
}

/// The two-character words that say it: 差距 薄弱 弱化 虚化 淡化 有待 滞后.
fn wrong_pair(a: char, b: char) -> bool {
    matches!(
        (a, b),
        ('差', '距')
            | ('薄', '弱')
            | ('弱', '化')
            | ('虚', '化')
            | ('淡', '化')
            | ('有', '待')
            | ('滞', '后')
    )
}

/// Whether `s` says what went wrong: 不 未 差距 薄弱 缺 弱化 虚化 淡化 有待 欠 偏 松 滞后
/// 失 乏 低 慢 少 乱 违 anywhere in it; with `or_problem`, 问题 too.
pub(crate) fn says_wrong(s: &str, or_problem: bool) -> bool {
    let mut prev = '\0';
    for c in s.chars() {
        if wrong_char(c) || wrong_pair(prev, c) || (or_problem && prev == '问' && c == '题') {
            return true;
        }
        prev = c;
    }
    false
}

/// The words that open the closing part of a notice on a line of their own: the invitation
/// to supervise, the contact details, the signature, the plans.
const CLOSING_WORDS: [&str; 22] = [
    "欢迎",
    "如有",
    "如对",
    "联系方式",
    "联系电话",
    "联系人",
    "电话",
    "电子邮箱",
    "邮箱",
    "邮政",
    "邮编",
    "通信地址",
    "通讯地址",
    "来信",
    "特此通报",
    "下一步",
    "下步",
    "今后",
    "接下来",
    "我们将",
    "总之",
    "总的来看",
];

/// Whether a plain line starts the closing part: one of `CLOSING_WORDS`, 附件 with a colon,
/// or the line is a date alone (2022年3月29日, 2022-03-29).
pub(crate) fn opens_closing(line: &str) -> bool {
    CLOSING_WORDS.iter().any(|w| line.starts_with(w))
        || line
            .strip_prefix("附件")
            .is_some_and(|rest| rest.starts_with([':', '：']))
        || is_date_line(line)
}

/// 2022年3月29日 (month and day of one or two digits) or 2022-03-29, and nothing else.
pub(crate) fn is_date_line(line: &str) -> bool {
    let digits = |s: &str, min: usize, max: usize| -> Option<usize> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (min..=max).contains(&n).then_some(n)
    };
    let chinese = || -> Option<()> {
        let rest = line.get(digits(line, 4, 4)?..)?.strip_prefix('年')?;
        let rest = rest.get(digits(rest, 1, 2)?..)?.strip_prefix('月')?;
        let rest = rest.get(digits(rest, 1, 2)?..)?.strip_prefix('日')?;
        rest.is_empty().then_some(())
    };
    let iso = || -> Option<()> {
        let b = line.as_bytes();
        let shape = b.len() == 10
            && b.iter().enumerate().all(|(i, &c)| match i {
                4 | 7 => c == b'-',
                _ => c.is_ascii_digit(),
            });
        shape.then_some(())
    };
    chinese().is_some() || iso().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WRONG: &str = "不|未|差距|薄弱|缺|弱化|虚化|淡化|有待|欠|偏|松|滞后|失|乏|低|慢|少|乱|违";

    const CLOSING: &str = r"^(欢迎|如有|如对|联系方式|联系电话|联系人|电话|电子邮箱|邮箱|邮政|邮编|通信地址|通讯地址|来信|特此通报|附件[:：]|下一步|下步|今后|接下来|我们将|总之|总的来看|([0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}-[0-9]{2})$)";

    /// Text made of halves of the words, with nothing else that says one: a word is there
    /// only when its halves meet.
    fn halves(of: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(of.to_vec()), 0..6).prop_map(|p| p.concat())
    }

    const WRONG_HALVES: &[&str] = &[
        "差", "距", "薄", "弱", "化", "虚", "淡", "有", "待", "滞", "后", "问", "题", "整改", "。",
    ];
    const CLOSING_HALVES: &[&str] = &[
        "欢",
        "迎",
        "如",
        "有",
        "对",
        "联系",
        "方式",
        "电话",
        "人",
        "电子",
        "邮",
        "箱",
        "政",
        "编",
        "通信",
        "通讯",
        "地址",
        "来信",
        "特此",
        "通报",
        "附件",
        ":",
        "：",
        "下",
        "一步",
        "步",
        "今后",
        "接下",
        "来",
        "我们",
        "将",
        "总",
        "之",
        "的来看",
        "2022",
        "年",
        "3",
        "03",
        "月",
        "12",
        "日",
        "-",
        "0",
        " ",
    ];

    proptest! {
        #[test]
        fn says_wrong_as_the_pattern_did(s in halves(WRONG_HALVES)) {
            let wrong = regex::Regex::new(WRONG).expect("pattern");
            let problemish = regex::Regex::new(&format!("{WRONG}|问题")).expect("pattern");
            prop_assert_eq!(says_wrong(&s, false), wrong.is_match(&s));
            prop_assert_eq!(says_wrong(&s, true), problemish.is_match(&s));
        }

        #[test]
        fn opens_closing_as_the_pattern_did(s in halves(CLOSING_HALVES)) {
            let closing = regex::Regex::new(CLOSING).expect("pattern");
            prop_assert_eq!(opens_closing(&s), closing.is_match(&s));
        }
    }

    /// Each list as the pattern it was, and as read now.
    fn lists() -> Vec<(&'static str, Words)> {
        vec![
            ("(?:情况|打算|计划)$", Words::at_end("情况|打算|计划")),
            (
                "方面(?:的问题|存在的问题|问题)?$",
                Words::at_end("方面|方面的问题|方面存在的问题|方面问题"),
            ),
            (
                "^整改(?:措施|情况|落实情况)$",
                Words::whole("整改措施|整改情况|整改落实情况"),
            ),
        ]
    }

    const LIST_HALVES: &[&str] = &[
        "下", "一步", "步", "今", "后", "工作", "打算", "情况", "计划", "方面", "的", "存在",
        "问题", "整改", "措施", "落实", "。", " ",
    ];

    proptest! {
        #[test]
        fn lists_read_as_their_patterns(s in halves(LIST_HALVES)) {
            for (pattern, words) in lists() {
                let re = regex::Regex::new(pattern).expect("pattern");
                prop_assert_eq!(words.is_match(&s), re.is_match(&s), "{}", pattern);
            }
        }
    }

    #[test]
    fn every_word_is_read() {
        for w in WRONG.split('|') {
            assert!(says_wrong(&format!("整改{w}措施"), false), "{w}");
        }
        assert!(says_wrong("有关问题", true) && !says_wrong("有关问题", false));
        // The words as the pattern lists them, not as `CLOSING_WORDS` does.
        let words = CLOSING
            .trim_start_matches("^(")
            .split('|')
            .filter(|w| !w.is_empty() && w.chars().all(|c| c >= '\u{4e00}'));
        for w in words {
            assert!(opens_closing(&format!("{w}整改")), "{w}");
            assert!(!opens_closing(&format!("整改{w}")), "{w}");
        }
    }

    #[test]
    fn dates_alone_close() {
        assert!(opens_closing("2022年3月29日"));
        assert!(opens_closing("2022-03-29"));
        assert!(!opens_closing("2022年3月29日召开"));
        assert!(!opens_closing("2022-3-29"));
        assert!(!opens_closing("附件"));
        assert!(opens_closing("附件：名单"));
    }
}
