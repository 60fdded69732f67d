//! serde_json's messages, said in Chinese. Our own messages (already Chinese) pass
//! through; serde's fixed phrases are matched and rewritten, keeping the names they quote.

/// Text between the first pair of backticks after `prefix`, if the message starts so.
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    let rest = rest.strip_prefix('`')?;
    rest.split('`').next()
}

/// The names listed after "expected one of" / "expected", as `a、b、c`.
fn expected_names(message: &str) -> String {
    message
        .split_once("expected")
        .map(|(_, list)| {
            list.split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default()
}

fn kind_zh(what: &str) -> &'static str {
    let w = what.trim();
    if w.starts_with("string") || w.starts_with("a string") {
        "文本"
    } else if w.starts_with("integer")
        || w.starts_with("u64")
        || w.starts_with("u32")
        || w.starts_with("i64")
    {
        "整数"
    } else if w.starts_with("floating point") || w.starts_with("f64") {
        "数字"
    } else if w.starts_with("boolean") || w.starts_with("a boolean") {
        "真假值"
    } else if w.starts_with("sequence") || w.starts_with("a sequence") {
        "数组"
    } else if w.starts_with("map") || w.starts_with("struct") || w.starts_with("internally tagged")
    {
        "对象"
    } else if w.starts_with("null") || w.starts_with("unit") {
        "null"
    } else {
        "其他类型"
    }
}

pub fn zh(message: &str) -> String {
    if let Some(f) = quoted(message, "missing field ") {
        return format!("缺少字段“{f}”");
    }
    if let Some(f) = quoted(message, "unknown field ") {
        return format!("未知字段“{f}”");
    }
    if let Some(f) = quoted(message, "duplicate field ") {
        return format!("字段“{f}”重复");
    }
    if let Some(v) = quoted(message, "unknown variant ") {
        return format!("取值“{v}”无效，可选：{}", expected_names(message));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, wanted) = rest.split_once(", expected").unwrap_or((rest, ""));
        return format!("类型不对：应为{}，实为{}", kind_zh(wanted), kind_zh(found));
    }
    if message.starts_with("invalid value: ") || message.starts_with("invalid length ") {
        return "取值无效".into();
    }
    let fixed = [
        ("EOF while parsing", "文件在此意外结束：内容不完整"),
        ("expected value", "此处应为一个值"),
        ("expected `,` or `}`", "此处应为“,”或“}”"),
        ("expected `,` or `]`", "此处应为“,”或“]”"),
        ("expected `:`", "此处应为“:”"),
        ("expected ident", "此处应为 true、false 或 null"),
        ("trailing characters", "文档结束后还有多余的内容"),
        ("trailing comma", "多余的逗号"),
        ("invalid number", "数字无效"),
        ("number out of range", "数字超出范围"),
        ("control character", "文本中有未转义的控制字符"),
        ("key must be a string", "键必须是文本"),
        ("invalid escape", "转义序列无效"),
        ("invalid unicode code point", "Unicode 码点无效"),
        ("lone leading surrogate", "Unicode 代理项不成对"),
        ("recursion limit exceeded", "嵌套层数过多"),
    ];
    for (en, zh) in fixed {
        if message.starts_with(en) {
            return zh.into();
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::zh;

    #[test]
    fn serde_phrases_become_chinese() {
        assert_eq!(zh("missing field `title`"), "缺少字段“title”");
        assert_eq!(
            zh("unknown field `titel`, expected one of `id`, `title`"),
            "未知字段“titel”"
        );
        assert_eq!(
            zh("unknown variant `shut`, expected one of `open`, `closed`"),
            "取值“shut”无效，可选：open、closed"
        );
        assert_eq!(
            zh("invalid type: string \"x\", expected u64"),
            "类型不对：应为整数，实为文本"
        );
        assert_eq!(
            zh("EOF while parsing an object"),
            "文件在此意外结束：内容不完整"
        );
        assert_eq!(zh("日期“2022-02-30”不存在"), "日期“2022-02-30”不存在");
    }
}
